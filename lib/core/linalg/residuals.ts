/**
 * Residuals y − Xβ of a linear fit, in one pass over the observations for all columns (the
 * column-by-column loop makes k passes, reading and writing the residual k times). Each
 * element is computed in the same order as the column loop, ((y_i − β₁x_i1) − β₂x_i2) − …, so the
 * result is bit-for-bit the same.
 *
 * Formula: e_i = y_i − Σ_j β_j x_ij, accumulated left to right over j.
 *
 * @example residuals(Float64Array.of(3, 5), [Float64Array.of(1, 2)], [2]) // Float64Array [1, 1]
 */
export function residuals(y: Float64Array, X: readonly Float64Array[], beta: ArrayLike<number>): Float64Array {
  const n = y.length;
  const e = Float64Array.from(y);
  let a = 0;
  // four columns per pass
  for (; a + 3 < X.length; a += 4) {
    const x0 = X[a] as Float64Array,
      x1 = X[a + 1] as Float64Array,
      x2 = X[a + 2] as Float64Array,
      x3 = X[a + 3] as Float64Array;
    const b0 = beta[a] as number,
      b1 = beta[a + 1] as number,
      b2 = beta[a + 2] as number,
      b3 = beta[a + 3] as number;
    for (let i = 0; i < n; i++)
      e[i] = (e[i] as number) - b0 * (x0[i] as number) - b1 * (x1[i] as number) - b2 * (x2[i] as number) - b3 * (x3[i] as number);
  }
  for (; a < X.length; a++) {
    const x = X[a] as Float64Array,
      b = beta[a] as number;
    for (let i = 0; i < n; i++) e[i] = (e[i] as number) - b * (x[i] as number);
  }
  return e;
}
