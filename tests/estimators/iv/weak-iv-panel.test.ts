import { test } from "uvu";
import * as assert from "uvu/assert";
import { iv2sls } from "../../../lib/estimators/iv2sls";
import { weakIvPanel } from "../../../lib/estimators/iv/weak-iv-panel";
import { tfCriticalValue } from "../../../lib/estimators/iv/tf-critical-value";
import { isInvalid } from "../../../lib/estimators/iv/types";
import { weakIvData } from "./weak-iv-synthetic";

// The panel assembles tested parts; the checks here are identities between them. Tolerance
// 1e-10 relative: the same quantities through two code paths on the same doubles.
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test("one instrument, city fixed effects, clustered: effective F = robust first-stage F; tF uses c(F_eff) and the fit's SE", () => {
  const fit = iv2sls(weakIvData(), "y ~ w | city | x ~ z1", { vcov: { cluster: ["city"] } });
  const p = weakIvPanel(fit);
  if (isInvalid(p.mop) || isInvalid(p.firstStageF) || isInvalid(p.tF)) throw new Error("unexpected invalid");
  assert.is(p.vce, "cluster");
  assert.ok(rel(p.mop.effectiveF, p.firstStageF.stat) < 1e-10, `${p.mop.effectiveF} vs ${p.firstStageF.stat}`);
  assert.ok(rel(p.tF.critical, tfCriticalValue(p.mop.effectiveF)) < 1e-12);
  assert.ok(rel(p.tF.upper - p.tF.lower, 2 * p.tF.critical * (fit.se["x"] as number)) < 1e-12);
  assert.ok(Math.abs(p.mop.critical.generalized.critical - 23.108511211606483) < 1e-8);
  assert.is(p.mop.verdict, p.mop.effectiveF > p.mop.critical.generalized.critical ? "strong" : "weak");
  assert.equal(p.andersonRubin, fit.diagnostics!.andersonRubin);
});

test("weak first stage: verdict weak and a wide tF interval; strong first stage: verdict strong and c near 1.96", () => {
  const weak = weakIvPanel(iv2sls(weakIvData(0.05), "y ~ w | city | x ~ z1", { vcov: "hetero" }));
  const strong = weakIvPanel(iv2sls(weakIvData(1.5), "y ~ w | city | x ~ z1", { vcov: "hetero" }));
  if (isInvalid(weak.mop) || isInvalid(strong.mop) || isInvalid(strong.tF)) throw new Error("unexpected invalid");
  assert.is(weak.mop.verdict, "weak");
  assert.is(strong.mop.verdict, "strong");
  assert.ok(strong.tF.critical < 2.1);
});

test("two instruments: MOP reported with generalized ≤ simplified; tF explained invalid", () => {
  const p = weakIvPanel(iv2sls(weakIvData(), "y ~ w | city | x ~ z1 + z2", { vcov: { cluster: ["city"] } }));
  if (isInvalid(p.mop)) throw new Error(p.mop.reason);
  assert.is(p.mop.K, 2);
  assert.ok(p.mop.critical.generalized.critical <= p.mop.critical.simplified.critical + 1e-9);
  assert.ok(isInvalid(p.tF) && /one instrument/.test(p.tF.reason));
});

test.run();
