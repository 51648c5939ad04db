import { test } from "uvu";
import * as assert from "uvu/assert";
import { gmmJ, momentScores } from "../../../lib/estimators/iv/gmm";
import { cross, dot } from "../../../lib/estimators/iv/linalg";
import { meatOf } from "../../../lib/estimators/iv/ssc";
import { MODELS, close, haveStata, readStataCsv, stataDesign, tsls } from "./helpers";

// Efficient GMM (Hansen 1982). Closed forms: with Ω ∝ Z'Z the estimator is 2SLS (any scale)
// and J is Sargan's statistic; with Ω from the 2SLS residuals it is ivreg2's two-step J.
// Tolerances: 1e-9 relative for identities between exact computations; 1e-6 against Stata
// (data in the CSVs at ~8 significant digits, observed ≤ 1e-7).

test("Ω = c·Z'Z: β̂ = 2SLS for any c, J = N·ê'P_Zê/ê'ê (Sargan) with c = ê'ê/N", () => {
  if (!haveStata("gmm on card_overid")) return;
  const d = stataDesign(MODELS.card_overid, "iid");
  const { b, e } = tsls(d);
  const X = [...d.endo, ...d.exog],
    Z = [...d.exog, ...d.inst];
  const s2 = dot(e, e) / d.n;
  for (const c of [1, s2, 1e3]) {
    const g = gmmJ(
      d.y,
      X,
      Z,
      cross(Z).map((r) => r.map((v) => v * c)),
    );
    g.beta.forEach((v, j) => close(v, b[j]!, 1e-9, `β[${j}] at c=${c}`));
  }
  const g = gmmJ(
    d.y,
    X,
    Z,
    cross(Z).map((r) => r.map((v) => v * s2)),
  );
  close(g.J, readStataCsv("card_overid_diagnostics_iid.csv")[0]!["sargan"]!, 1e-6, "J = Stata sargan");
});

test("two-step with the HC moment covariance of the 2SLS residuals: J = ivreg2 j (robust)", () => {
  if (!haveStata("gmm two-step on card_overid")) return;
  const d = stataDesign(MODELS.card_overid, "hetero");
  const { e } = tsls(d);
  const X = [...d.endo, ...d.exog],
    Z = [...d.exog, ...d.inst];
  const g = gmmJ(d.y, X, Z, meatOf(momentScores(Z, e), d.vce));
  close(g.J, readStataCsv("card_overid_diagnostics_hc1.csv")[0]!["j"]!, 1e-6, "J = Stata j");
  // the residual returned is y − Xβ̂
  const r = Float64Array.from(d.y, (v, i) => v - X.reduce((s, x, j) => s + g.beta[j]! * x[i]!, 0));
  assert.ok(r.every((v, i) => Math.abs(v - g.resid[i]!) < 1e-10));
});

test("momentScores: z_j ⊙ e", () => {
  const s = momentScores([Float64Array.of(1, 2, 3)], Float64Array.of(2, -1, 0.5));
  assert.equal(Array.from(s[0]!), [2, -2, 1.5]);
});

test.run();
