import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../lib/synth";
import { calibrationReport } from "../../lib/papers/calibration";
import { EQ_TABLE1 } from "../../lib/papers/eq/published";
import { RS_TABLE2 } from "../../lib/papers/rs/published";
import { toRecords } from "../../lib/data/table";

// calibrationReport: one row per published variable, published and synthetic N/mean/sd/min/max;
// a few key variables within stated bands at small scale (16 cities).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-cal-"));
test.before(async () => {
  await generate({ scale: "small", seed: 3, outDir: dir });
});

const COLS = ["variable", "n_pub", "mean_pub", "sd_pub", "min_pub", "max_pub", "n_syn", "mean_syn", "sd_syn", "min_syn", "max_syn"];

test("structure: every published variable, published and synthetic columns", async () => {
  for (const [paper, pub] of [
    ["EQ", EQ_TABLE1],
    ["RS", RS_TABLE2],
  ] as const) {
    const t = await calibrationReport(dir, paper);
    assert.equal([...t.names], COLS);
    const r = toRecords(t);
    assert.equal(
      r.map((x) => x.variable),
      Object.keys(pub),
    );
    for (const x of r) assert.is(x.mean_pub, (pub as Record<string, { mean: number }>)[x.variable as string]!.mean);
  }
});

test("EQ bands (small scale): vagg mean ±0.05, wage ±0.3, dlp ±0.03, fisc ±0.03", async () => {
  const r = new Map(toRecords(await calibrationReport(dir, "EQ")).map((x) => [x.variable, x]));
  const near = (v: string, tol: number) => {
    const x = r.get(v)!;
    assert.ok(Math.abs((x.mean_syn as number) - (x.mean_pub as number)) <= tol, `${v}: ${x.mean_syn} vs ${x.mean_pub}`);
  };
  near("vagg", 0.05);
  near("wage", 0.3);
  near("dlp", 0.03);
  near("fisc", 0.03);
});

test("RS bands (small scale): pop ±0.5, fre ±0.5, road ±0.3, edu ±0.5; resi in [0,1]", async () => {
  const r = new Map(toRecords(await calibrationReport(dir, "RS")).map((x) => [x.variable, x]));
  const near = (v: string, tol: number) => {
    const x = r.get(v)!;
    assert.ok(Math.abs((x.mean_syn as number) - (x.mean_pub as number)) <= tol, `${v}: ${x.mean_syn} vs ${x.mean_pub}`);
  };
  near("pop", 0.5);
  near("fre", 0.5);
  near("road", 0.3);
  near("edu", 0.5);
  const z = r.get("resi")!;
  assert.ok((z.min_syn as number) >= 0 && (z.max_syn as number) <= 1 && (z.n_syn as number) === 16 * 12);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
