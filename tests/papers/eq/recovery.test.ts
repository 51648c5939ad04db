import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate, TRUTH } from "../../../lib/synth/index";
import { eqRecoveryEstimates } from "../../../lib/papers/eq/recovery";
import { eqTrueOutcome } from "../../../lib/papers/eq/true-outcome";
import { buildQualityPanel } from "../../../lib/papers/eq/panel";
import { EQ_BASELINE } from "../../../lib/papers/eq/specs";
import { feols } from "../../../lib/estimators/feols";

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
  // truths: the same estimator on the noiseless true outcome over the same rows (eqTrueOutcome)
  const tq = (await eqTrueOutcome(await buildQualityPanel(dir), dir))!;
  assert.is(tq.unmatchedFirmRows, 0);
  const t2 = feols(tq.panel, EQ_BASELINE.replace(/^quality ~/, "quality_true ~"), { vcov: "iid" }).coef["vagg"] as number;
  assert.ok(Math.abs(r.find((x) => x.name === "T2 (4) baseline")!.truth - t2) < 1e-12);
  assert.is(r.find((x) => x.name === "T2 (4) baseline, city clusters")!.truth, r.find((x) => x.name === "T2 (4) baseline")!.truth);
  const realised = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8")).realised.eq.beta_vagg as number;
  assert.ok(Math.abs(t2 - realised) < 0.05, `same-sample truth ${t2} vs the generator's realised β ${realised}`);
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
