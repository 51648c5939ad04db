/**
 * Least squares by Householder QR with limited column pivoting, as R's `lm` does
 * (LINPACK dqrdc2, Businger & Golub 1965): columns are processed in order, and a column
 * whose remaining norm falls below `tol` × its reference norm is declared collinear and
 * moved out, so the *later* of two collinear regressors is the one dropped (as in lm and
 * fixest). Accuracy is that of QR (backward stable), not of the normal equations.
 *
 * Columns are given separately (column-major), so the N×K design is never copied to a
 * row-major matrix. Cost: about 2NK² flops.
 *
 * @example
 *   const fit = qrLeastSquares([ones, x1, x2], y);
 *   fit.beta;   // coefficients of the kept columns
 *   fit.kept;   // indices of kept columns
 */
export interface QrFit {
  /** Indices (into the input columns) of the columns kept, in order. */
  readonly kept: number[];
  /** Indices of columns dropped as collinear. */
  readonly dropped: number[];
  /** Coefficients of the kept columns. */
  readonly beta: Float64Array;
  /** (X'X)^{-1} of the kept columns, row-major k×k. */
  readonly xtxInv: Float64Array;
  /** Upper-triangular R (k×k, row-major) of the kept columns. */
  readonly R: Float64Array;
  /** Residual sum of squares. */
  readonly rss: number;
}

export function qrLeastSquares(X: readonly Float64Array[], y: Float64Array, opts: { tol?: number; refNorms?: ArrayLike<number> } = {}): QrFit {
  const tol = opts.tol ?? 1e-10;
  const n = y.length;
  const K = X.length;
  const A = X.map((c) => Float64Array.from(c));
  const b = Float64Array.from(y);
  const ref = new Float64Array(K);
  for (let j = 0; j < K; j++) ref[j] = opts.refNorms ? (opts.refNorms[j] as number) : norm(A[j] as Float64Array, 0);
  const kept: number[] = [];
  const dropped: number[] = [];
  const vs: { v: Float64Array; beta: number; start: number }[] = [];
  const Rcols: Float64Array[] = []; // R column j (length k) for kept j
  for (let j = 0; j < K; j++) {
    const a = A[j] as Float64Array;
    // apply previous reflections to column j
    for (const h of vs) applyReflection(h, a);
    const l = kept.length;
    const rem = norm(a, l);
    if (!(rem > tol * (ref[j] as number)) || !Number.isFinite(rem)) { dropped.push(j); continue; }
    // build reflection zeroing a[l+1..n)
    const alpha = a[l] as number;
    const s = alpha >= 0 ? -rem : rem;
    const v = new Float64Array(n - l);
    v[0] = alpha - s;
    for (let i = l + 1; i < n; i++) v[i - l] = a[i] as number;
    const vtv = (v[0] as number) * (v[0] as number) + (rem * rem - alpha * alpha);
    const h = { v, beta: vtv > 0 ? 2 / vtv : 0, start: l };
    vs.push(h);
    const rc = new Float64Array(l + 1);
    for (let i = 0; i < l; i++) rc[i] = a[i] as number;
    rc[l] = s;
    Rcols.push(rc);
    kept.push(j);
  }
  for (const h of vs) applyReflection(h, b);
  const k = kept.length;
  const R = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const rc = Rcols[j] as Float64Array;
    for (let i = 0; i <= j; i++) R[i * k + j] = rc[i] as number;
  }
  // beta = R^{-1} (Q'y)[0:k]
  const beta = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let j = i + 1; j < k; j++) s -= (R[i * k + j] as number) * (beta[j] as number);
    beta[i] = s / (R[i * k + i] as number);
  }
  let rss = 0;
  for (let i = k; i < n; i++) rss += (b[i] as number) * (b[i] as number);
  // (X'X)^{-1} = R^{-1} R^{-T}
  const Rinv = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    Rinv[c * k + c] = 1 / (R[c * k + c] as number);
    for (let i = c - 1; i >= 0; i--) {
      let s = 0;
      for (let j = i + 1; j <= c; j++) s += (R[i * k + j] as number) * (Rinv[j * k + c] as number);
      Rinv[i * k + c] = -s / (R[i * k + i] as number);
    }
  }
  const xtxInv = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = i; j < k; j++) {
      let s = 0;
      for (let m = j; m < k; m++) s += (Rinv[i * k + m] as number) * (Rinv[j * k + m] as number);
      xtxInv[i * k + j] = s;
      xtxInv[j * k + i] = s;
    }
  return { kept, dropped, beta, xtxInv, R, rss };
}

function norm(a: Float64Array, from: number): number {
  // scaled to avoid overflow
  let scale = 0, ssq = 1;
  for (let i = from; i < a.length; i++) {
    const v = a[i] as number;
    if (v !== 0) {
      const av = Math.abs(v);
      if (scale < av) { ssq = 1 + ssq * (scale / av) * (scale / av); scale = av; }
      else ssq += (av / scale) * (av / scale);
    }
  }
  return scale * Math.sqrt(ssq);
}

function applyReflection(h: { v: Float64Array; beta: number; start: number }, a: Float64Array): void {
  const { v, beta, start } = h;
  if (beta === 0) return;
  const m = v.length;
  let s = 0;
  for (let i = 0; i < m; i++) s += (v[i] as number) * (a[start + i] as number);
  s *= beta;
  if (s === 0) return;
  for (let i = 0; i < m; i++) a[start + i] -= s * (v[i] as number);
}
