import { at, cross, crossVec, dot, inv, mulVec, residualize, transpose, mul, type Mat } from "./linalg";
import { partialOut } from "./partial";
import { meatOf, nClusters } from "./ssc";
import { pF } from "../../util/distributions";
import { type FStat, type Invalid, type IvDesign, invalid } from "./types";

/** First-stage statistics of one endogenous regressor. */
export interface FirstStageResult {
  readonly endogenous: string;
  readonly coef: Readonly<Record<string, number>>;
  readonly partialR2: number;
  readonly sheaR2: number;
  readonly f: FStat;
  readonly wald: FStat | Invalid;
  readonly ivreg2F: FStat | Invalid;
  readonly swF: FStat | Invalid;
}

/**
 * Returns the model-preset vcov (row-major k×k) of an OLS fit with regressors X, residuals e,
 * bread (X'X)^{-1}; `kCoef` (default X.length) is the coefficient count of the small-sample
 * factor, larger than X.length when X holds partialled columns of a bigger regression.
 */
export type VcovFor = (X: readonly Float64Array[], e: Float64Array, bread: Float64Array, rss: number, kCoef?: number) => Float64Array;

/** ivreg2's Wald F of all columns of Z̃ in a regression of the residual-generating vector r on Z̃ (partialled). */
function ivreg2WaldF(d: IvDesign, r: Float64Array, Zt: readonly Float64Array[], df1: number): FStat | Invalid {
  const N = d.n,
    L1 = Zt.length,
    L = L1 + d.exog.length;
  const A = inv(cross(Zt));
  const b = mulVec(A, crossVec(Zt, r));
  const e = Float64Array.from(r);
  Zt.forEach((z, l) => {
    const c = b[l] as number;
    for (let i = 0; i < N; i++) e[i] -= c * (z[i] as number);
  });
  let V: Mat;
  if (d.vce.kind === "iid") {
    const s2 = dot(e, e) / N;
    V = A.map((row) => row.map((v) => v * s2));
  } else {
    if (d.vce.kind === "cluster" && nClusters(d.vce) < L1)
      return invalid(`${nClusters(d.vce)} clusters for ${L1} excluded instruments: robust first-stage Wald not identified`);
    const M = meatOf(
      Zt.map((z) => {
        const s = new Float64Array(N);
        for (let i = 0; i < N; i++) s[i] = (z[i] as number) * (e[i] as number);
        return s;
      }),
      d.vce,
    );
    V = mul(mul(A, M), A);
  }
  let W: number;
  try {
    W = dot(b, mulVec(inv(V), b));
  } catch {
    return invalid("singular first-stage variance matrix");
  }
  if (d.vce.kind === "cluster") {
    const G = nClusters(d.vce);
    const stat = ((W / (N - 1)) * (N - L - d.sdofminus) * (G - 1)) / G / df1;
    return Object.freeze({ kind: "F", stat, df1, df2: G - 1, p: pF(stat, df1, G - 1) });
  }
  const df2 = N - L - d.sdofminus;
  const stat = ((W / N) * df2) / df1;
  return Object.freeze({ kind: "F", stat, df1, df2, p: pF(stat, df1, df2) });
}

/**
 * First-stage regressions, one per endogenous regressor x_j on [included exogenous,
 * excluded instruments] (after the fixed effects):
 *
 * - `coef`: first-stage coefficients by name;
 * - `partialR2`: R² of x_j on the excluded instruments after partialling out the included
 *   exogenous regressors (and fixed effects); `sheaR2`: Shea's (1997, REStat 79) partial R²,
 *   [(X'X)⁻¹]_jj / [(X̂'X̂)⁻¹]_jj on the partialled design;
 * - `f`: fixest's `ivf` — the iid F test of the excluded instruments, df (L1, N − k_first −
 *   fixest FE count);
 * - `wald`: fixest's `ivwald` — Wald F of the excluded instruments with the model's vcov
 *   (supplied by the caller, same small-sample preset), same df;
 * - `ivreg2F`: ivreg2's first-stage F (robust/cluster Wald without small-sample factor, scaled
 *   as in ivreg2's `s_ffirst`: (N − L − sdofminus)/N, or for clusters
 *   (N − L − sdofminus)/(N − 1)·(G − 1)/G, divided by L1; df2 N − L − sdofminus or G − 1);
 * - `swF`: Sanderson & Windmeijer (2016, J. Econometrics 190) conditional F, as ivreg2 computes it: residualise
 *   x_j on the other endogenous regressors by 2SLS, then the same Wald F of the excluded
 *   instruments with df1 = L1 − K1 + 1 (equal to `ivreg2F` when K1 = 1).
 *
 * @example
 *   const fs = firstStage(design, vcovFor);
 *   fs[0].f.stat;  // fixest ivf
 */
export function firstStage(d: IvDesign, vcovFor?: VcovFor): FirstStageResult[] {
  const p = partialOut(d);
  const K1 = d.endo.length,
    L1 = d.inst.length;
  const W = [...d.exog, ...d.inst];
  const Wnames = [...d.exogNames, ...d.instNames];
  const WtWi = inv(cross(W));
  // full first-stage coefficients from the (cached) cross-products; residuals from the
  // partialled regression, equal to the full ones by FWL
  const full = { coef: mul(WtWi, cross(W, [...d.endo])) };
  const fit = residualize(p.endo, p.inst);
  const oneWay = d.vce.kind !== "cluster" || d.vce.clusters.length === 1;
  const Xhat = p.endo.map((x, j) => {
    const h = Float64Array.from(x);
    const r = fit.resid[j] as Float64Array;
    for (let i = 0; i < h.length; i++) h[i] -= r[i] as number;
    return h;
  });
  const XXi = inv(cross(p.endo)),
    XhXhi = inv(cross(Xhat));
  const df2 = d.n - (W.length + d.feDofFixest);
  return d.endo.map((x, j) => {
    const coef: Record<string, number> = {};
    Wnames.forEach((nm, i) => (coef[nm] = at(full.coef, i, j)));
    const rssU = dot(fit.resid[j] as Float64Array, fit.resid[j] as Float64Array);
    const rssR = dot(p.endo[j] as Float64Array, p.endo[j] as Float64Array);
    const fstat = (rssR - rssU) / L1 / (rssU / df2);
    const f: FStat = Object.freeze({ kind: "F", stat: fstat, df1: L1, df2, p: pF(fstat, L1, df2) });
    let wald: FStat | Invalid = invalid("no vcov supplied");
    if (vcovFor) {
      const e = fit.resid[j] as Float64Array;
      // FWL for the sandwich: the instrument block of the full first-stage vcov equals the vcov of
      // the partialled regression (same scores z̃_i e_i, bread (Z̃'Z̃)^{-1}) with the full
      // coefficient count in the small-sample factor. Multiway clustering repairs negative
      // eigenvalues of the whole matrix, so it keeps the full computation.
      const Xv = oneWay ? p.inst : W;
      const k = Xv.length;
      const Bi = oneWay ? inv(cross(p.inst)) : WtWi;
      const bread = new Float64Array(k * k);
      for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) bread[a * k + c] = at(Bi, a, c);
      const V = vcovFor(Xv, e, bread, dot(e, e), W.length);
      const off = oneWay ? 0 : d.exog.length;
      const idx = Array.from({ length: L1 }, (_, l) => off + l);
      const bz = Array.from({ length: L1 }, (_, l) => at(full.coef, d.exog.length + l, j));
      const Vz = idx.map((a) => idx.map((c) => V[a * k + c] as number));
      try {
        const s = dot(bz, mulVec(inv(Vz), bz)) / L1;
        wald = Object.freeze({ kind: "F", stat: s, df1: L1, df2, p: pF(s, L1, df2) });
      } catch {
        wald = invalid("singular first-stage vcov of the excluded instruments");
      }
    }
    const ivreg2F = ivreg2WaldF(d, p.endo[j] as Float64Array, p.inst, L1);
    let swF: FStat | Invalid = ivreg2F;
    if (K1 > 1) {
      const others = p.endo.filter((_, i) => i !== j);
      const othersHat = Xhat.filter((_, i) => i !== j);
      const b1 = mulVec(inv(cross(othersHat)), crossVec(othersHat, p.endo[j] as Float64Array));
      const e1 = Float64Array.from(p.endo[j] as Float64Array);
      others.forEach((o, i) => {
        const c = b1[i] as number;
        for (let t = 0; t < e1.length; t++) e1[t] -= c * (o[t] as number);
      });
      swF = ivreg2WaldF(d, e1, p.inst, L1 - K1 + 1);
    }
    void x;
    void transpose;
    return Object.freeze({
      endogenous: d.endoNames[j] as string,
      coef: Object.freeze(coef),
      partialR2: 1 - rssU / rssR,
      sheaR2: at(XXi, j, j) / at(XhXhi, j, j),
      f,
      wald,
      ivreg2F,
      swF,
    });
  });
}
