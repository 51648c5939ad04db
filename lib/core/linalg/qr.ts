import { residuals } from "./residuals";
import { ddLeastSquares } from "./dd-least-squares";

/** A least-squares fit: kept/dropped columns, coefficients, (X'X)⁻¹, R and RSS. */
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
  /** Residuals y − Xβ (Cholesky solver and double-double refits; undefined for the double Householder, which never forms them). */
  readonly residuals?: Float64Array;
}

/** Options of the least-squares solvers: collinearity tolerance, reference norms, solver choice, Gram cache. */
export interface LeastSquaresOptions {
  /** Collinearity tolerance on remaining norm / reference norm. Default 1e-10 (QR), see below for Cholesky. */
  readonly tol?: number;
  /** Reference norms of the columns (default: their own norms). */
  readonly refNorms?: ArrayLike<number>;
  /**
   * "qr": Householder (always); "cholesky": blocked Gram matrix + ordered pivoted Cholesky +
   * one step of corrected semi-normal equations (Björck 1987), about 5–10× faster for large N;
   * "auto" (default): Cholesky when N·K² > 5e6, else QR.
   */
  readonly solver?: "auto" | "qr" | "cholesky";
  /** Reuse cross-products across calls on the same immutable columns (Cholesky solver only). */
  readonly cache?: import("./gram").GramCache;
  /**
   * Arithmetic of the solution once the kept columns are known. "auto" (default): the double
   * Householder result, redone in double-double (`ddLeastSquares`) when `qrErrorEstimate`
   * predicts a relative error above 1e-8 in a coefficient or in (X'X)⁻¹ — never on the
   * Cholesky (large-N) path; "double": never; "double-double": always, on either path.
   */
  readonly precision?: "auto" | "double" | "double-double";
}

/**
 * Least squares by Householder QR with limited column pivoting, as R's `lm` does
 * (LINPACK dqrdc2, Businger & Golub 1965): columns are processed in order, and a column
 * whose remaining norm falls below `tol` × its reference norm is declared collinear and
 * moved out, so the *later* of two collinear regressors is the one dropped (as in lm and
 * fixest). Accuracy is that of QR (backward stable), not of the normal equations.
 *
 * Columns are given separately (column-major), so the N×K design is never copied to a
 * row-major matrix. Cost: about 2NK² flops. With `solver: "auto"` (default) large problems
 * (N·K² > 5e6) go to `choleskyLeastSquares` instead, with the same collinearity rule.
 *
 * Formula: β̂ = argmin ‖y − Xβ‖² from X = QR, Rβ̂ = Q'y; (X'X)⁻¹ = R⁻¹R⁻ᵀ.
 *
 * Accuracy: after a double-precision Householder fit, `qrErrorEstimate` bounds the relative
 * error of the coefficients and of (X'X)⁻¹ from R, β and the RSS (O(k³), no pass over the
 * data); when a bound exceeds 1e-8 the kept columns are refitted by Householder QR in
 * double-double arithmetic (`ddLeastSquares`, ~106-bit), whose coefficients, (X'X)⁻¹ and
 * (Dot2-computed) residuals replace the double ones. The kept/dropped decision is the double
 * QR's either way. This gives LRE ≥ 7.9 on all 11 NIST StRD linear-regression datasets
 * (coefficients and standard errors; Filip at the limit set by its data rounded to double,
 * Wampler5 from 5.8). A well-conditioned design pays only the O(k³) estimate (~4 µs at k = 11);
 * the Cholesky (large-N) path is not touched.
 *
 * @example
 *   const fit = qrLeastSquares([ones, x1, x2], y);
 *   fit.beta;   // coefficients of the kept columns
 *   fit.kept;   // indices of kept columns
 */
export function qrLeastSquares(X: readonly Float64Array[], y: Float64Array, opts: LeastSquaresOptions = {}): QrFit {
  const cholesky = usesCholesky(y.length, X.length, opts);
  const fit = cholesky ? choleskyLeastSquares(X, y, opts) : householderLeastSquares(X, y, opts);
  const precision = opts.precision ?? "auto";
  if (precision === "double" || fit.kept.length === 0) return fit;
  if (precision === "auto") {
    if (cholesky) return fit;
    const est = qrErrorEstimate(fit.R, fit.beta, fit.rss);
    if (!(est.coef > DD_THRESHOLD || est.xtxInv > DD_THRESHOLD)) return fit;
  }
  const dd = ddLeastSquares(
    fit.kept.map((j) => X[j] as Float64Array),
    y,
  );
  return dd ? { ...fit, beta: dd.beta, xtxInv: dd.xtxInv, R: dd.R, rss: dd.rss, residuals: dd.residuals } : fit;
}

/** Predicted relative error above which `qrLeastSquares` redoes a Householder fit in double-double. */
const DD_THRESHOLD = 1e-8;

/**
 * A-posteriori error estimate of a double-precision Householder least-squares fit, from its R,
 * β and RSS alone (O(k³), no pass over the data). With column norms c_j = ‖R e_j‖ = ‖x_j‖, the
 * equilibrated factor R_s = R·diag(c)⁻¹ and κ = ‖R_s‖₁‖R_s⁻¹‖₁ (the 1-norm condition number of
 * the column-scaled design, within a factor k of the 2-norm one), the first-order perturbation
 * bound of least squares for a backward-stable QR (Higham 2002, "Accuracy and Stability of
 * Numerical Algorithms", Thm 20.1 and §20.2; Wedin 1973) gives, for γ = diag(c)β,
 *
 *   coef     = max_j u·κ·(‖γ‖ + κ‖r‖) / |γ_j|     (relative error of each coefficient)
 *   xtxInv   = u·κ                                (relative error of each diagonal element of (X'X)⁻¹)
 *
 * with u = 2⁻⁵³ and ‖r‖ = √RSS. The κ²‖r‖ term is what large residuals cost (NIST Wampler4/5:
 * κ ≈ 2e3 but R² ≈ 0.002); a coefficient that is zero gives coef = ∞. Both are bounds, and
 * pessimistic: on the NIST StRD designs the actual errors of the double fit are ~10× (xtxInv,
 * Filip) and 1e4–5e5× (coef: Wampler4/5, Filip, Longley) smaller, so `qrLeastSquares`'s threshold
 * of 1e-8 keeps well over 7 correct digits. In the core/estimators/vcov test suites it fired on
 * 9 of ~2,000 Householder solves: the NIST Filip, Longley and Wampler1/3/4/5 designs, and one
 * regression with a coefficient of essentially zero (|γ_j| tiny: the relative error of an
 * estimate near 0 is large, even though its absolute error is not).
 *
 * @example qrErrorEstimate(fit.R, fit.beta, fit.rss) // { coef: 3e-14, xtxInv: 2e-15, kappa: 18 }
 */
export function qrErrorEstimate(R: Float64Array, beta: Float64Array, rss: number): { coef: number; xtxInv: number; kappa: number } {
  const k = beta.length;
  const u = 2 ** -53;
  const c = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i <= j; i++) s += (R[i * k + j] as number) ** 2;
    c[j] = Math.sqrt(s);
  }
  // ‖R_s‖₁: max column sum of |R_ij|/c_j; ‖R_s⁻¹‖₁ from R⁻¹ (upper triangular), (R_s⁻¹)_ij = c_i (R⁻¹)_ij
  let nR = 0;
  for (let j = 0; j < k; j++) {
    let s = 0;
    for (let i = 0; i <= j; i++) s += Math.abs(R[i * k + j] as number);
    nR = Math.max(nR, s / (c[j] as number));
  }
  const Rinv = new Float64Array(k * k);
  let nRinv = 0;
  for (let col = 0; col < k; col++) {
    Rinv[col * k + col] = 1 / (R[col * k + col] as number);
    for (let i = col - 1; i >= 0; i--) {
      let s = 0;
      for (let j = i + 1; j <= col; j++) s += (R[i * k + j] as number) * (Rinv[j * k + col] as number);
      Rinv[i * k + col] = -s / (R[i * k + i] as number);
    }
    let s = 0;
    for (let i = 0; i <= col; i++) s += Math.abs(Rinv[i * k + col] as number) * (c[i] as number);
    nRinv = Math.max(nRinv, s);
  }
  const kappa = nR * nRinv;
  let g2 = 0;
  for (let j = 0; j < k; j++) g2 += ((c[j] as number) * (beta[j] as number)) ** 2;
  const num = u * kappa * (Math.sqrt(g2) + kappa * Math.sqrt(Math.max(rss, 0)));
  let coef = 0;
  for (let j = 0; j < k; j++) coef = Math.max(coef, num / Math.abs((c[j] as number) * (beta[j] as number)));
  const xtxInv = u * kappa;
  return { coef: Number.isNaN(coef) ? Infinity : coef, xtxInv: Number.isFinite(xtxInv) ? xtxInv : Infinity, kappa };
}

/** The solver rule of `qrLeastSquares` (and `collinearityCheck`): Cholesky when asked, or "auto" with N·K² > 5e6. */
function usesCholesky(n: number, k: number, opts: LeastSquaresOptions): boolean {
  const solver = opts.solver ?? "auto";
  return solver === "cholesky" || (solver === "auto" && n * k * k > 5e6);
}

/**
 * Least squares through the Gram matrix with the same column-ordered collinearity rule as the
 * QR: the Cholesky pivot d_j of column j is its squared remaining norm after projection on the
 * earlier kept columns, so a column is dropped when sqrt(d_j) ≤ tol·ref_j — with tol raised
 * to at least 1e-7 (R lm's tolerance), since d_j from a Gram matrix is only accurate to about
 * ε·‖x_j‖². Columns are equilibrated (scaled to unit norm) before the factorisation, and the
 * coefficients get one corrected-semi-normal-equations step (r = y − Xβ; β += (X'X)^{-1}X'r),
 * which restores QR-level forward accuracy for condition numbers up to ~1e7 (Björck 1987,
 * "Stability analysis of the method of seminormal equations", LAA 88/89). Tested against
 * Householder QR and the NIST StRD Longley certified values.
 */
export function choleskyLeastSquares(X: readonly Float64Array[], y: Float64Array, opts: LeastSquaresOptions = {}): QrFit {
  const n = y.length;
  const { crossprod2 } = require("./gram") as typeof import("./gram");
  const K = X.length;
  const { G, kept, dropped, L, scale } = gramPivots(X, y, opts);
  const K1 = K + 1;
  const k = kept.length;
  const solve = (b: Float64Array): Float64Array => {
    const z = Float64Array.from(b);
    for (let i = 0; i < k; i++) {
      let s = z[i] as number;
      for (let t = 0; t < i; t++) s -= (L[i * K + t] as number) * (z[t] as number);
      z[i] = s / (L[i * K + i] as number);
    }
    for (let i = k - 1; i >= 0; i--) {
      let s = z[i] as number;
      for (let t = i + 1; t < k; t++) s -= (L[t * K + i] as number) * (z[t] as number);
      z[i] = s / (L[i * K + i] as number);
    }
    return z;
  };
  const Xk = kept.map((j) => X[j] as Float64Array);
  const sk = Float64Array.from(kept, (j) => scale[j] as number);
  const xty = Float64Array.from(kept, (j, a) => (G[j * K1 + K] as number) / (sk[a] as number));
  const gam = solve(xty); // coefficients of the scaled columns
  // one CSNE refinement step
  const r = residuals(
    y,
    Xk,
    Float64Array.from(gam, (g, a) => g / (sk[a] as number)),
  );
  const xtr = crossprod2(Xk, [r]).map((v, a) => v / (sk[a] as number));
  const dg = solve(xtr);
  const beta = new Float64Array(k);
  for (let a = 0; a < k; a++) beta[a] = ((gam[a] as number) + (dg[a] as number)) / (sk[a] as number);
  // final residual sum of squares, computed directly
  const e = residuals(y, Xk, beta);
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (e[i] as number) * (e[i] as number);
  // (X'X)^{-1} = S^{-1} (L L')^{-1} S^{-1}; R = L' S (upper)
  const xtxInv = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    const ec = new Float64Array(k);
    ec[c] = 1;
    const col = solve(ec);
    for (let a = 0; a < k; a++) xtxInv[a * k + c] = (col[a] as number) / ((sk[a] as number) * (sk[c] as number));
  }
  const R = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) R[a * k + b] = (L[b * K + a] as number) * (sk[b] as number);
  return { kept, dropped, beta, xtxInv, R, rss, residuals: e };
}

/**
 * The column-ordered Cholesky pivots of `choleskyLeastSquares` (equilibrated Gram matrix of
 * [X, y], same tolerance rule), without solving: which columns are kept and which are
 * collinear. For collinearity checks that need no coefficients (e.g. 2SLS instrument lists).
 */
export function gramPivots(
  X: readonly Float64Array[],
  y: Float64Array,
  opts: LeastSquaresOptions = {},
): { G: Float64Array; kept: number[]; dropped: number[]; L: Float64Array; scale: Float64Array } {
  const tol = Math.max(opts.tol ?? 1e-10, 1e-7);
  const K = X.length;
  const { crossprod } = require("./gram") as typeof import("./gram");
  const G = opts.cache ? opts.cache.crossprod([...X, y]) : crossprod([...X, y]);
  const K1 = K + 1;
  const kept: number[] = [];
  const dropped: number[] = [];
  const scale = new Float64Array(K);
  for (let j = 0; j < K; j++) scale[j] = Math.sqrt(G[j * K1 + j] as number);
  // absorbed / zero columns: own norm vs reference norm (accurate, no cancellation)
  const ref = opts.refNorms;
  const L = new Float64Array(K * K); // lower factor of the kept, scaled columns (index by kept order)
  for (let j = 0; j < K; j++) {
    const sj = scale[j] as number;
    const rj = ref ? (ref[j] as number) : sj;
    if (!(sj > (opts.tol ?? 1e-10) * rj) || !Number.isFinite(sj)) {
      dropped.push(j);
      continue;
    }
    const m = kept.length;
    // row m of L: L[m][c] for c < m, then the pivot
    let d = 1; // scaled diagonal G_jj / s_j² = 1
    for (let c = 0; c < m; c++) {
      const kc = kept[c] as number;
      let v = (G[j * K1 + kc] as number) / (sj * (scale[kc] as number));
      for (let t = 0; t < c; t++) v -= (L[m * K + t] as number) * (L[c * K + t] as number);
      v /= L[c * K + c] as number;
      L[m * K + c] = v;
      d -= v * v;
    }
    if (!(d > tol * tol)) {
      for (let c = 0; c < m; c++) L[m * K + c] = 0;
      dropped.push(j);
      continue;
    }
    L[m * K + m] = Math.sqrt(d);
    kept.push(j);
  }
  return { G, kept, dropped, L, scale };
}

/**
 * Kept and collinear columns of X (in order), by the same rule as `qrLeastSquares` with the
 * same options: Cholesky pivots of the Gram matrix when the Cholesky solver would be used,
 * the Householder QR otherwise.
 */
export function collinearityCheck(
  X: readonly Float64Array[],
  y: Float64Array,
  opts: LeastSquaresOptions = {},
): { kept: number[]; dropped: number[] } {
  if (usesCholesky(y.length, X.length, opts)) {
    const { kept, dropped } = gramPivots(X, y, opts);
    return { kept, dropped };
  }
  const q = householderLeastSquares(X, y, opts);
  return { kept: q.kept, dropped: q.dropped };
}

function householderLeastSquares(X: readonly Float64Array[], y: Float64Array, opts: LeastSquaresOptions = {}): QrFit {
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
    if (!(rem > tol * (ref[j] as number)) || !Number.isFinite(rem)) {
      dropped.push(j);
      continue;
    }
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
  let scale = 0,
    ssq = 1;
  for (let i = from; i < a.length; i++) {
    const v = a[i] as number;
    if (v !== 0) {
      const av = Math.abs(v);
      if (scale < av) {
        ssq = 1 + ssq * (scale / av) * (scale / av);
        scale = av;
      } else ssq += (av / scale) * (av / scale);
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
