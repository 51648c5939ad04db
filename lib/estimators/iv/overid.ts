import { cross, dot, solve } from "./linalg";
import { gmmJ, momentScores } from "./gmm";
import { partialOut } from "./partial";
import { meatOf, nClusters } from "./ssc";
import { pChi2Upper as pChi2 } from "./pvalues";
import { type Chi2Stat, type Invalid, type IvDesign, invalid } from "./types";

/** Sargan or Hansen J (χ²) of `overid`, or an explained `invalid`. */
export type OverId = (Chi2Stat & { readonly test: "sargan" | "hansen" }) | Invalid;

/**
 * Test of over-identifying restrictions as ivreg2 reports it:
 *
 * - iid VCE: Sargan (1958, Econometrica 26), N·ê'P_Z ê / ê'ê with the 2SLS residuals ê (= N × uncentred R² of
 *   ê on all instruments; fixest's `sargan` uses the centred R², identical when ê has mean 0);
 * - robust / cluster VCE: Hansen (1982, Econometrica 50) J at the two-step efficient GMM estimator whose
 *   weighting matrix is built from the 2SLS residuals (ivreg2 `s_iegmm`), Ω = Σ_g u_g u_g'.
 *
 * df = L1 − K1. Exactly identified models give `{kind: "invalid", reason: "exactly identified"}`;
 * fewer clusters than instruments (singular Ω) are invalid too.
 *
 * @example
 *   const j = overid(design, residuals2sls);  // { kind: "chi2", stat, df, p, test: "hansen" }
 */
export function overid(d: IvDesign, resid2sls: Float64Array): OverId {
  const K1 = d.endo.length,
    L1 = d.inst.length;
  const df = L1 - K1;
  if (df <= 0) return invalid("exactly identified");
  // On the partialled design: X2'ê = 0 for the 2SLS residuals, so Sargan's quadratic form and
  // Hansen's J only involve the partialled instruments (FWL; ivreg2's partial() leaves them unchanged).
  const p = partialOut(d);
  const Z = p.inst;
  const X = p.endo;
  const nInst = d.inst.length + d.exog.length;
  if (d.vce.kind === "iid") {
    const g = cross(Z, [resid2sls]).map((r) => r[0] as number);
    const ZZ = cross(Z);
    const stat = (d.n * dot(g, solve(ZZ, g))) / dot(resid2sls, resid2sls);
    return Object.freeze({ kind: "chi2", test: "sargan", stat, df, p: pChi2(stat, df) });
  }
  if (d.vce.kind === "cluster" && nClusters(d.vce) < nInst)
    return invalid(
      `${nClusters(d.vce)} clusters but ${nInst} instruments: the cluster-robust moment covariance is singular, so Hansen's J is not defined`,
    );
  const Omega = meatOf(momentScores(Z, resid2sls), d.vce);
  try {
    const { J } = gmmJ(p.y, X, Z, Omega);
    return Object.freeze({ kind: "chi2", test: "hansen", stat: J, df, p: pChi2(J, df) });
  } catch {
    return invalid("the robust moment covariance matrix is singular");
  }
}
