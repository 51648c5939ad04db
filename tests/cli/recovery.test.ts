/**
 * `vagg recovery`: the study loop end to end at small scale with two seeds and a toy estimate
 * function (the number of cities in cities.csv against the generator's realised count, and a
 * seed-specific realised quantity), written to a temporary folder (never exports/); and bad
 * options reported as one line.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../lib/cli/main";
import { runRecoveryStudy } from "../../lib/cli/commands/recovery";
import { recoverySeeds } from "../../lib/papers/recovery";
import { readTable } from "../../lib/data/io";

const out = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-cli-recovery-"));

test("two seeds at small scale: fresh data per seed, both CSVs written, temp folders removed", async () => {
  const seen: string[] = [];
  const r = await runRecoveryStudy({
    paper: "toy",
    seeds: 2,
    scale: "small",
    outDir: out,
    baseSeed: 7,
    generateOptions: {},
    estimator: async (dir) => {
      seen.push(dir);
      const truth = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8"));
      const cities = fs.readFileSync(path.join(dir, "cities.csv"), "utf8").trim().split("\n").length - 1;
      return [
        { name: "cities", estimate: cities, se: 0.5, truth: truth.realised.cities },
        { name: "z_scale", estimate: truth.realised.rs_z_scale, se: 1, truth: 0 },
      ];
    },
  });
  assert.equal(r.seeds, recoverySeeds("toy", 2, 7));
  assert.is(r.draws.length, 4);
  const cities = r.summary.find((s) => s.name === "cities")!;
  assert.is(cities.seeds, 2);
  assert.is(cities.coverage, 1);
  assert.is(cities.bias, 0);
  const z = r.draws.filter((d) => d.name === "z_scale").map((d) => d.estimate);
  assert.is.not(z[0], z[1]); // each seed generated its own data
  for (const d of seen) assert.not.ok(fs.existsSync(d), `temp folder ${d} left behind`);
  const s = await readTable(path.join(out, "toy-recovery.csv"));
  assert.is(s.nrows, 2);
  assert.ok(s.names.includes("coverage95") && s.names.includes("bias_sd_units") && s.names.includes("coverage95_se"));
  const d = await readTable(path.join(out, "toy-recovery-draws.csv"));
  assert.is(d.nrows, 4);
  assert.equal(d.names, ["replication", "seed", "name", "estimate", "se", "truth"]);
});

test("--jobs 2 (worker processes) gives the same CSVs as --jobs 1 for the registered RS estimates", async () => {
  const a = path.join(out, "j1"),
    b = path.join(out, "j2");
  const r1 = await runRecoveryStudy({ paper: "rs", seeds: 3, scale: "small", outDir: a, baseSeed: 3 });
  const r2 = await runRecoveryStudy({ paper: "rs", seeds: 3, scale: "small", outDir: b, baseSeed: 3, jobs: 2 });
  assert.ok(r1.draws.length > 3 * 5, "several RS estimates per seed");
  assert.is(fs.readFileSync(path.join(b, "rs-recovery-draws.csv"), "utf8"), fs.readFileSync(path.join(a, "rs-recovery-draws.csv"), "utf8"));
  assert.is(fs.readFileSync(path.join(b, "rs-recovery.csv"), "utf8"), fs.readFileSync(path.join(a, "rs-recovery.csv"), "utf8"));
  assert.equal(r2.summary, r1.summary);
  let msg = "";
  try {
    await runRecoveryStudy({ paper: "toy", seeds: 2, scale: "small", outDir: a, jobs: 2, estimator: () => [] });
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.match(msg, /--jobs > 1 needs a registered paper/);
});

test("bad options: unknown paper, bad seeds, bad scale → exit 1 with one line", async () => {
  const errs: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  (process.stderr as unknown as { write: (s: string) => boolean }).write = (s: string) => (errs.push(String(s)), true);
  try {
    assert.is(await main(["recovery", "--paper", "nope", "--out", out]), 1);
    assert.is(await main(["recovery", "--paper", "rs", "--seeds", "0", "--out", out]), 1);
    assert.is(await main(["recovery", "--paper", "rs", "--scale", "huge", "--out", out]), 1);
  } finally {
    (process.stderr as unknown as { write: typeof orig }).write = orig;
  }
  assert.match(errs[0]!, /unknown --paper "nope" \(registered: rs/);
  assert.match(errs[1]!, /--seeds must be a positive integer/);
  assert.match(errs[2]!, /unknown --scale "huge"/);
  for (const e of errs) assert.is(e.trim().split("\n").length, 1);
});

test.after(() => fs.rmSync(out, { recursive: true, force: true }));
test.run();
