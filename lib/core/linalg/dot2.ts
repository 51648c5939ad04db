import { twoProductError, twoSumError } from "./double-double";

/**
 * Residuals e = y − Xβ of given coefficients, each computed by Dot2 (Ogita, Rump & Oishi 2005,
 * "Accurate sum and dot product", SIAM J. Sci. Comput. 26(6), Algorithm 5.3) on the vectors
 * (y_i, x_i1, …, x_ik)·(1, −β_1, …, −β_k): every product is split exactly into a double and its
 * error (TwoProduct), the running sum likewise (TwoSum), and the errors are summed apart. The
 * result is as accurate as if computed in twice the working precision and then rounded:
 * |e_i − ê_i| ≤ u|e_i| + γ²_{k+1}·(|y_i| + Σ_j |x_ij β_j|), instead of plain evaluation's
 * γ_{k+1}·(|y_i| + Σ_j |x_ij β_j|). This matters when the fit nearly cancels y (large terms,
 * small residuals: polynomial fits such as NIST's Filip), where plain evaluation loses the
 * digits that cancel. Cost: about 10 flops per term instead of 2.
 *
 * @example
 *   const e = dot2Residuals([ones, x], y, Float64Array.of(b0, b1)); // y − b0 − b1·x, accurately
 */
export function dot2Residuals(X: readonly Float64Array[], y: Float64Array, beta: ArrayLike<number>): Float64Array {
  const n = y.length;
  const k = X.length;
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i] as number;
    let c = 0;
    for (let j = 0; j < k; j++) {
      const a = -(beta[j] as number);
      const xij = (X[j] as Float64Array)[i] as number;
      const p = a * xij;
      const q = twoProductError(a, xij, p);
      const t = s + p;
      c += twoSumError(s, p, t) + q;
      s = t;
    }
    e[i] = s + c;
  }
  return e;
}
