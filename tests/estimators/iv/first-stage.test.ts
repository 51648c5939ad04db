import { test } from "uvu";
import * as assert from "uvu/assert";
import { firstStage, type VcovFor } from "../../../lib/estimators/iv/first-stage";
import { dot, inv, cross, crossVec, mulVec, residualize } from "../../../lib/estimators/iv/linalg";
import { isInvalid } from "../../../lib/estimators/iv/types";
import { MODELS, close, haveStata, readStataCsv, stataDesign } from "./helpers";

// First-stage statistics. With one endogenous regressor ivreg2's weak-identification F equals
// the first-stage F (iid: Cragg–Donald `cdf`; robust/cluster: KP Wald F `widstat`), which gives a
// Stata reference. Tolerances: 1e-6 relative against Stata (data in the CSVs at ~8 significant
// digits, observed ≤ 2.4e-8); 1e-9 relative for identities between exact computations.
const STATA = 1e-6,
  EXACT = 1e-9;

test("one endogenous: f (iid, no FE) = ivreg2 cdf; ivreg2F (HC, cluster) = ivreg2 widstat", () => {
  if (!haveStata("first stage vs Stata")) return;
  const iid = stataDesign(MODELS.card_overid, "iid");
  const f0 = firstStage(iid)[0]!;
  close(f0.f.stat, readStataCsv("card_overid_diagnostics_iid.csv")[0]!["cdf"]!, STATA, "f = cdf");
  assert.is(f0.f.df1, 2);
  assert.is(f0.f.df2, iid.n - 7);
  const i2 = f0.ivreg2F;
  assert.ok(!isInvalid(i2) && Math.abs(i2.stat / f0.f.stat - 1) < EXACT, "iid ivreg2F = classic F without FE");
  for (const [name, kind, suf] of [
    ["card_overid", "hetero", "hc1"],
    ["sim_cluster", "cluster", "cl"],
    ["sim_cluster", "hetero", "hc1"],
  ] as const) {
    const fs = firstStage(stataDesign(MODELS[name], kind))[0]!;
    assert.ok(!isInvalid(fs.ivreg2F));
    if (!isInvalid(fs.ivreg2F))
      close(fs.ivreg2F.stat, readStataCsv(`${name}_diagnostics_${suf}.csv`)[0]!["widstat"]!, STATA, `${name} ${suf}`);
  }
});

test("coefficients = OLS of x on [exog, inst]; partial R² by FWL; Shea R² = partial R² when K1 = 1", () => {
  if (!haveStata("first stage closed forms")) return;
  const d = stataDesign(MODELS.card_overid, "iid");
  const W = [...d.exog, ...d.inst];
  const b = mulVec(inv(cross(W)), crossVec(W, d.endo[0]!));
  const fs = firstStage(d)[0]!;
  [...d.exogNames, ...d.instNames].forEach((nm, j) => close(fs.coef[nm]!, b[j]!, EXACT, nm));
  const xt = residualize([d.endo[0]!], d.exog).resid[0]!;
  const u = residualize([d.endo[0]!], W).resid[0]!;
  close(fs.partialR2, 1 - dot(u, u) / dot(xt, xt), EXACT, "partial R²");
  close(fs.sheaR2, fs.partialR2, EXACT, "Shea = partial (K1 = 1)");
  assert.is(fs.swF, fs.ivreg2F, "SW F is the plain ivreg2 F with one endogenous regressor");
});

test("wald with an iid vcovFor (σ² = RSS/(n − k)) equals the classic F", () => {
  if (!haveStata("first stage wald")) return;
  const d = stataDesign(MODELS.card_overid, "iid");
  const vcovFor: VcovFor = (X, e, bread, rss, kCoef) => {
    void X;
    void e;
    const s2 = rss / (d.n - (kCoef ?? X.length));
    return bread.map((v) => v * s2);
  };
  const fs = firstStage(d, vcovFor)[0]!;
  assert.ok(!isInvalid(fs.wald));
  if (!isInvalid(fs.wald)) close(fs.wald.stat, fs.f.stat, EXACT, "Wald F = F");
  assert.ok(isInvalid(firstStage(d)[0]!.wald), "no vcov supplied → invalid, not a number");
});

test("two endogenous: SW conditional F has df1 = L1 − K1 + 1 and differs from the plain first-stage F", () => {
  if (!haveStata("first stage K1 = 2")) return;
  const fs = firstStage(stataDesign(MODELS.sim_multi_endo, "hetero"));
  assert.is(fs.length, 2);
  for (const f of fs) {
    assert.ok(!isInvalid(f.swF) && !isInvalid(f.ivreg2F));
    if (isInvalid(f.swF) || isInvalid(f.ivreg2F)) return;
    assert.is(f.swF.df1, 3);
    assert.ok(f.swF.stat !== f.ivreg2F.stat);
    assert.ok(f.sheaR2 > 0 && f.sheaR2 <= f.partialR2 + 1e-12, "Shea ≤ partial R²");
  }
});

test.run();
