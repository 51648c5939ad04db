import { DoubleDouble } from "./double-double";
import { dot2Residuals } from "./dot2";

/** The result of `ddLeastSquares`, in the units of the input columns, rounded to double. */
export interface DdLeastSquaresFit {
  /** Coefficients. */
  readonly beta: Float64Array;
  /** (X'X)⁻¹, row-major k×k. */
  readonly xtxInv: Float64Array;
  /** Upper-triangular R of X = QR, row-major k×k. */
  readonly R: Float64Array;
  /** Residual sum of squares of the least-squares solution. */
  readonly rss: number;
  /** Residuals y − Xβ of the returned (rounded) β, computed by Dot2. */
  readonly residuals: Float64Array;
}

/**
 * Least squares by Householder QR carried out entirely in double-double arithmetic (unit
 * roundoff u² ≈ 1.2e-32; `DoubleDouble`), for small or ill-conditioned full-rank designs where
 * double precision loses digits. Householder QR is backward stable (Higham 2002, "Accuracy and
 * Stability of Numerical Algorithms", 2nd ed., Thm 19.4 and §20.2), so the forward error of the
 * coefficients is of order κ(X)·u² + κ(X)²·u²·‖r‖/(‖X‖‖β‖) and that of (X'X)⁻¹ of order κ(X)·u²:
 * with κ of the column-scaled design up to ~1e8 (up to ~1e15 when the residual is small, as for
 * NIST's Filip, κ ≈ 8e9) the results are exact to double precision for the data as given (the
 * data themselves are taken as exact doubles). This is the extra-precise alternative of Higham's
 * ch. 12/§20.5 (iterative refinement with residuals in extended precision): for the small
 * designs it is used on, refactoring in double-double costs about as much as refining β and
 * every column of (X'X)⁻¹, and it needs no convergence test.
 *
 * Columns and y are first scaled by powers of two (exactly) to norms near 1, so the squares
 * stay far from overflow; results are scaled back exactly. Residuals are those of the returned
 * β, computed by Dot2 (`dot2Residuals`); rss is the double-double ‖Q₂'y‖² of the exact
 * least-squares solution, rounded. Returns null when the columns are numerically dependent even
 * in double-double, or contain a zero or non-finite column: the caller keeps its double result.
 * Cost: about 2nk² double-double operations (≈ 20–40 doubles each), so meant for small nk² or
 * for problems an error estimate flags (see `qrLeastSquares`).
 *
 * @example
 *   const fit = ddLeastSquares([ones, x, x2], y); // NIST Pontius-like polynomial
 *   fit?.beta; fit?.xtxInv;
 */
export function ddLeastSquares(X: readonly Float64Array[], y: Float64Array): DdLeastSquaresFit | null {
  const n = y.length;
  const k = X.length;
  if (k === 0 || n < k) return null;
  const scaleOf = (c: Float64Array): number => {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (c[i] as number) * (c[i] as number);
    const nrm = Math.sqrt(ss);
    if (!(nrm > 0) || !Number.isFinite(nrm)) return NaN;
    return Math.pow(2, -Math.round(Math.log2(nrm)));
  };
  const d = X.map(scaleOf);
  if (d.some((v) => !Number.isFinite(v))) return null;
  const dyRaw = scaleOf(y);
  const dy = Number.isFinite(dyRaw) ? dyRaw : 1;
  // working columns (hi, lo) of the scaled design and of y
  const Ah = X.map((c, j) => c.map((v) => v * (d[j] as number)));
  const Al = X.map(() => new Float64Array(n));
  const bh = y.map((v) => v * dy);
  const bl = new Float64Array(n);
  const Rh = new Float64Array(k * k);
  const Rl = new Float64Array(k * k);
  const acc = new DoubleDouble();
  const w = new DoubleDouble();
  const vh = new Float64Array(n);
  const vl = new Float64Array(n);
  // apply H = I − τvv' (v in vh/vl from row j) to a column (hi/lo)
  const reflect = (j: number, tauH: number, tauL: number, ch: Float64Array, cl: Float64Array): void => {
    w.set(0);
    for (let i = j; i < n; i++) w.addMul(vh[i] as number, vl[i] as number, ch[i] as number, cl[i] as number);
    w.mul(tauH, tauL);
    const fh = -w.hi,
      fl = -w.lo;
    for (let i = j; i < n; i++) {
      acc.set(ch[i] as number, cl[i] as number).addMul(fh, fl, vh[i] as number, vl[i] as number);
      ch[i] = acc.hi;
      cl[i] = acc.lo;
    }
  };
  for (let j = 0; j < k; j++) {
    const ch = Ah[j] as Float64Array,
      cl = Al[j] as Float64Array;
    acc.set(0);
    for (let i = j; i < n; i++) acc.addMul(ch[i] as number, cl[i] as number, ch[i] as number, cl[i] as number);
    acc.sqrt();
    if (!(acc.hi > 0) || !Number.isFinite(acc.hi)) return null;
    const alphaH = ch[j] as number,
      alphaL = cl[j] as number;
    // s = −sign(α)·‖a‖ (no cancellation in v0 = α − s)
    const sH = alphaH >= 0 ? -acc.hi : acc.hi,
      sL = alphaH >= 0 ? -acc.lo : acc.lo;
    acc.set(alphaH, alphaL).add(-sH, -sL);
    vh[j] = acc.hi;
    vl[j] = acc.lo;
    for (let i = j + 1; i < n; i++) {
      vh[i] = ch[i] as number;
      vl[i] = cl[i] as number;
    }
    // τ = 2/(v'v) = −1/(s·v0)
    acc.mul(sH, sL);
    const den = new DoubleDouble(-1).div(acc.hi, acc.lo);
    for (let c = j + 1; c < k; c++) reflect(j, den.hi, den.lo, Ah[c] as Float64Array, Al[c] as Float64Array);
    reflect(j, den.hi, den.lo, bh, bl);
    Rh[j * k + j] = sH;
    Rl[j * k + j] = sL;
    for (let c = j + 1; c < k; c++) {
      Rh[j * k + c] = (Ah[c] as Float64Array)[j] as number;
      Rl[j * k + c] = (Al[c] as Float64Array)[j] as number;
    }
  }
  // rss = ‖(Q'b)[k:n]‖², γ = R⁻¹(Q'b)[0:k]
  acc.set(0);
  for (let i = k; i < n; i++) acc.addMul(bh[i] as number, bl[i] as number, bh[i] as number, bl[i] as number);
  const rss = acc.hi / (dy * dy);
  const gh = new Float64Array(k),
    gl = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    acc.set(bh[i] as number, bl[i] as number);
    for (let c = i + 1; c < k; c++) acc.addMul(-(Rh[i * k + c] as number), -(Rl[i * k + c] as number), gh[c] as number, gl[c] as number);
    acc.div(Rh[i * k + i] as number, Rl[i * k + i] as number);
    gh[i] = acc.hi;
    gl[i] = acc.lo;
  }
  // R⁻¹ (upper triangular), then (X_s'X_s)⁻¹ = R⁻¹R⁻ᵀ
  const Ih = new Float64Array(k * k),
    Il = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    acc.set(1).div(Rh[c * k + c] as number, Rl[c * k + c] as number);
    Ih[c * k + c] = acc.hi;
    Il[c * k + c] = acc.lo;
    for (let i = c - 1; i >= 0; i--) {
      acc.set(0);
      for (let t = i + 1; t <= c; t++)
        acc.addMul(Rh[i * k + t] as number, Rl[i * k + t] as number, Ih[t * k + c] as number, Il[t * k + c] as number);
      acc.div(-(Rh[i * k + i] as number), -(Rl[i * k + i] as number));
      Ih[i * k + c] = acc.hi;
      Il[i * k + c] = acc.lo;
    }
  }
  const beta = new Float64Array(k);
  for (let j = 0; j < k; j++) beta[j] = ((gh[j] as number) + (gl[j] as number)) * ((d[j] as number) / dy);
  const xtxInv = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      acc.set(0);
      for (let t = b; t < k; t++)
        acc.addMul(Ih[a * k + t] as number, Il[a * k + t] as number, Ih[b * k + t] as number, Il[b * k + t] as number);
      const v = acc.hi * (d[a] as number) * (d[b] as number);
      xtxInv[a * k + b] = v;
      xtxInv[b * k + a] = v;
    }
  const R = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let b = a; b < k; b++) R[a * k + b] = (Rh[a * k + b] as number) / (d[b] as number);
  const residuals = dot2Residuals(X, y, beta);
  if (!beta.every(Number.isFinite) || !xtxInv.every(Number.isFinite)) return null;
  return { beta, xtxInv, R, rss, residuals };
}
