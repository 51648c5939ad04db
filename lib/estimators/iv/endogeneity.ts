import { cross, dot, inv, mulVec, crossVec, residualize, at, type Mat } from "./linalg";
import { gmmJ, momentScores } from "./gmm";
import { partialOut } from "./partial";
import { meatOf } from "./ssc";
import { pF } from "../../util/distributions";
import { pChi2Upper as pChi2 } from "./pvalues";
import { type Chi2Stat, type FStat, type Invalid, type IvDesign, invalid } from "./types";

/**
 * Endogeneity tests of the endogenous regressors (H0: they are exogenous).
 *
 * `cStatistic` — ivreg2's `endog()` (Baum, Schaffer & Stillman 2003, §4.2; Hayashi 2000,
 * p. 220): the difference of two Sargan–Hansen statistics,
 *   C = J(Z ∪ X1) − J(Z),
 * both evaluated with the moment covariance Ω of the larger model (estimated from its
 * residuals — OLS, since all regressors are then instruments), J(Z) using the Z-block of Ω.
 * iid: Ω = σ̂²Z'Z with σ̂² = ê'ê/N. χ²(K1); guaranteed ≥ 0.
 *
 * `wuHausman` — fixest's `wh` (Wu 1973; Hausman 1978), the control-function F test:
 * regress y on [X1, V̂1, X2] (V̂1 first-stage residuals) and F-test V̂1 = 0 with the iid
 * variance, df = (K1, N − nparams − K1), nparams counting fixest's fixed-effect levels.
 *
 * @example
 *   cStatistic(design);   // { kind: "chi2", stat, df: 1, p }
 *   wuHausman(design);    // { kind: "F", stat, df1, df2, p }
 */
export function cStatistic(d: IvDesign): Chi2Stat | Invalid {
  const K1 = d.endo.length;
  // On the partialled design (exogenous regressors removed by FWL): both J statistics are
  // numerically invariant to it, because the exogenous moments are matched exactly by their
  // own coefficients (minimising over them leaves the Schur complement, i.e. the partialled
  // block of Ω), and the residuals are the full-model ones.
  const p = partialOut(d);
  const X = p.endo;
  const Zr = p.inst;
  const Zf = [...Zr, ...p.endo];
  // full model: all regressors are instruments → OLS residuals
  const eOls = residualize([p.y], X).resid[0] as Float64Array;
  let Of: Mat;
  if (d.vce.kind === "iid") {
    const s2 = dot(eOls, eOls) / d.n;
    Of = cross(Zf).map((r) => r.map((v) => v * s2));
  } else Of = meatOf(momentScores(Zf, eOls), d.vce);
  const lr = Zr.length;
  const Or = Of.slice(0, lr).map((r) => r.slice(0, lr));
  try {
    const Jf = gmmJ(p.y, X, Zf, Of).J;
    const Jr = gmmJ(p.y, X, Zr, Or).J;
    const stat = Jf - Jr;
    return Object.freeze({ kind: "chi2", stat, df: K1, p: pChi2(stat, K1) });
  } catch {
    return invalid("singular moment covariance in the C statistic (too few clusters or collinear instruments)");
  }
}

/**
 * fixest's Wu–Hausman endogeneity test (Wu 1973, Econometrica 41; Hausman 1978, Econometrica
 * 46), control-function form: regress y on [X1, V̂1, X2] with V̂1 the first-stage residuals and
 * F-test V̂1 = 0 with the iid variance,
 *
 *   F = b_V' [s² (R'R)⁻¹]_VV⁻¹ b_V / K1,  s² = ê'ê/(N − nparams − K1),  ~ F(K1, N − nparams − K1)
 *
 * nparams = included exogenous + K1 + fixest's FE count. Equals the RSS form
 * ((RSS_r − RSS_u)/K1)/(RSS_u/df2).
 *
 * @example wuHausman(design); // { kind: "F", stat, df1: 1, df2, p }
 */
export function wuHausman(d: IvDesign): FStat | Invalid {
  const K1 = d.endo.length;
  // partialled design (FWL: same coefficients, residuals and inverse block of V̂)
  const p = partialOut(d);
  const V = residualize(p.endo, p.inst).resid;
  const R = [...p.endo, ...V];
  let XtXi: Mat;
  try {
    XtXi = inv(cross(R));
  } catch {
    return invalid("collinear control-function regression");
  }
  const b = mulVec(XtXi, crossVec(R, p.y));
  const e = Float64Array.from(p.y);
  R.forEach((x, j) => {
    const bj = b[j] as number;
    for (let i = 0; i < e.length; i++) e[i] -= bj * (x[i] as number);
  });
  const nparams = d.exog.length + K1 + d.feDofFixest;
  const df2 = d.n - (nparams + K1);
  const s2 = dot(e, e) / df2;
  const idx = Array.from({ length: K1 }, (_, j) => K1 + j);
  const bv = idx.map((j) => b[j] as number);
  const Vv = idx.map((i) => idx.map((j) => at(XtXi, i, j) * s2));
  const stat = dot(bv, mulVec(inv(Vv), bv)) / K1;
  return Object.freeze({ kind: "F", stat, df1: K1, df2, p: pF(stat, K1, df2) });
}
