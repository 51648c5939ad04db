import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate, TRUTH } from "../../../lib/synth/index";
import { eqRecoveryEstimates } from "../../../lib/papers/eq/recovery";

test("eqRecoveryEstimates: every estimate with a true value, finite, truths from truth.json; none without truth.json", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-rec-"));
  await generate({ scale: "small", seed: 3, outDir: dir });
  const r = await eqRecoveryEstimates(dir);
  const names = r.map((x) => x.name);
  for (const n of [
    "T2 (4) baseline",
    "T3 (5) 2SLS, IV Tel1984 × inv",
    "T5 processing",
    "T5 ordinary",
    "T7 (5) total",
    "T8 (2) ln road per capita",
  ])
    assert.ok(names.includes(n), n);
  for (const x of r) assert.ok(Number.isFinite(x.estimate) && x.se > 0 && Number.isFinite(x.truth), x.name);
  const realised = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8")).realised?.eq?.beta_vagg;
  assert.is(r.find((x) => x.name === "T2 (4) baseline")!.truth, typeof realised === "number" ? realised : TRUTH.eq.beta_vagg);
  assert.is(r.find((x) => x.name === "T8 (2) ln road per capita")!.truth, TRUTH.eq.road_vagg);
  fs.rmSync(path.join(dir, "truth.json"));
  let msg = "";
  try {
    await eqRecoveryEstimates(dir);
  } catch (e) {
    msg = String((e as Error).message);
  }
  assert.match(msg, /no truth\.json/);
});

test.run();
