import { residuals } from "../../core/linalg/residuals";
import { cross, crossVec, inv, mul, mulVec, transpose, dot, type Mat } from "./linalg";

/**
 * Efficient-GMM objective at the optimum for a given (unnormalised) moment covariance Ω:
 *
 *   β̂ = (X'Z Ω^{-1} Z'X)^{-1} X'Z Ω^{-1} Z'y,   J = (Z'ê)' Ω^{-1} (Z'ê),
 *
 * which is ivreg2's N·ḡ'S^{-1}ḡ with S = Ω/N (Hansen 1982). With Ω ∝ Z'Z the estimator is
 * 2SLS and J is Sargan's statistic.
 *
 * @example
 *   const { J, beta } = gmmJ(y, [x1, x2], [z1, z2, z3, x2], Omega);
 */
export function gmmJ(
  y: Float64Array,
  X: readonly Float64Array[],
  Z: readonly Float64Array[],
  Omega: Mat,
): { J: number; beta: number[]; resid: Float64Array } {
  const ZX = cross(Z, X); // l×k
  const Zy = crossVec(Z, y);
  const Wi = inv(Omega);
  const XZW = mul(transpose(ZX), Wi); // k×l
  const beta = mulVec(inv(mul(XZW, ZX)), mulVec(XZW, Zy));
  const resid = residuals(y, X, beta);
  const g = crossVec(Z, resid);
  return { J: dot(g, mulVec(Wi, g)), beta, resid };
}

/** Columns z_j ⊙ e (scores of the moment conditions). */
export function momentScores(Z: readonly Float64Array[], e: Float64Array): Float64Array[] {
  return Z.map((z) => {
    const s = new Float64Array(e.length);
    for (let i = 0; i < e.length; i++) s[i] = (z[i] as number) * (e[i] as number);
    return s;
  });
}
