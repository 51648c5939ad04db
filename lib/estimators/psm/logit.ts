import { Table, numeric } from "../../data/table";
import { ArgumentError, DataError, EstimationError } from "../../util/errors";
import { pT2 } from "../../util/distributions";
import { mapF64From } from "../../util/typed-map";

/** Coefficients, SEs, z, p, fitted propensity scores and convergence report of `logit`. */
export interface LogitResult {
  readonly names: readonly string[];
  readonly coef: Float64Array;
  readonly se: Float64Array;
  readonly z: Float64Array;
  readonly p: Float64Array;
  readonly vcov: Float64Array[];
  readonly logLik: number;
  readonly deviance: number;
  readonly nullDeviance: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Some fitted probability is within 1e-10 of 0 or 1 (glm warns at 10·eps; glm may still
   *  report convergence in that case, because the deviance stops changing). */
  readonly separation: boolean;
  /** Row indices (into the table) used. */
  readonly rows: Int32Array;
  /** Fitted probabilities for `rows`. */
  readonly fitted: Float64Array;
  /** Fitted probability per table row (NaN for dropped rows). */
  readonly score: Float64Array;
}

/** IRLS tolerance and iteration cap of `logit`. */
export interface LogitOptions {
  readonly intercept?: boolean;
  readonly tol?: number;
  readonly maxIter?: number;
  /** Restrict to these rows (e.g. one year); default all. */
  readonly subset?: ArrayLike<number>;
}

/** Cholesky factor of a symmetric positive definite k×k matrix (rows), or the failing pivot index. */
export function cholesky(A: Float64Array[]): { L: Float64Array[] } | { fail: number } {
  const k = A.length;
  const L = A.map(() => new Float64Array(k));
  for (let j = 0; j < k; j++) {
    let s = (A[j] as Float64Array)[j] as number;
    for (let q = 0; q < j; q++) s -= ((L[j] as Float64Array)[q] as number) ** 2;
    const scale = Math.abs((A[j] as Float64Array)[j] as number);
    if (!(s > 1e-11 * Math.max(scale, 1e-300))) return { fail: j };
    const d = Math.sqrt(s);
    (L[j] as Float64Array)[j] = d;
    for (let i = j + 1; i < k; i++) {
      let t = (A[i] as Float64Array)[j] as number;
      for (let q = 0; q < j; q++) t -= ((L[i] as Float64Array)[q] as number) * ((L[j] as Float64Array)[q] as number);
      (L[i] as Float64Array)[j] = t / d;
    }
  }
  return { L };
}

function cholSolve(L: Float64Array[], b: Float64Array): Float64Array {
  const k = L.length;
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i] as number;
    for (let q = 0; q < i; q++) s -= ((L[i] as Float64Array)[q] as number) * (y[q] as number);
    y[i] = s / ((L[i] as Float64Array)[i] as number);
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i] as number;
    for (let q = i + 1; q < k; q++) s -= ((L[q] as Float64Array)[i] as number) * (y[q] as number);
    y[i] = s / ((L[i] as Float64Array)[i] as number);
  }
  return y;
}

/**
 * (LL')⁻¹ from a lower Cholesky factor L, column by column (forward/back substitution).
 *
 * @example cholInverse([Float64Array.of(2)]) // [[0.25]]
 */
export function cholInverse(L: Float64Array[]): Float64Array[] {
  const k = L.length;
  const inv = L.map(() => new Float64Array(k));
  for (let j = 0; j < k; j++) {
    const e = new Float64Array(k);
    e[j] = 1;
    const c = cholSolve(L, e);
    for (let i = 0; i < k; i++) (inv[i] as Float64Array)[j] = c[i] as number;
  }
  return inv;
}

const binDev = (y: number, p: number): number => -2 * (y === 1 ? Math.log(p) : Math.log(1 - p));

/**
 * Logistic regression by iteratively reweighted least squares (Fisher scoring; McCullagh &
 * Nelder 1989, Generalized Linear Models, 2nd ed., §4.5), used for propensity scores in RS §4.2 (PSM-DID with the smart-city pilot).
 *
 *   P(y = 1 | x) = 1 / (1 + exp(−x'b));   b_{k+1} = (X'WX)^{-1} X'W z,  W = p(1−p),  z = Xb + (y−p)/W.
 *
 * Matches R `glm(family = binomial)`: start from p = (y + 0.5)/2 (glm's mustart), stop when
 * |dev − dev_old| / (|dev| + 0.1) < `tol` (default 1e-8, glm's epsilon), at most `maxIter`
 * (default 25, glm's maxit) iterations. SEs are sqrt(diag((X'WX)^{-1})) with W from the last
 * IRLS iteration, exactly as `summary.glm` (model-based, not robust; at convergence W at the
 * final estimate differs by O(tol)); z-tests use the normal distribution.
 *
 * Rows with NA in y or any x are dropped (reported in `rows`). y must be 0/1. Complete or
 * quasi-complete separation shows up as fitted probabilities of 0 or 1 and/or no convergence:
 * both are reported (`converged`, `separation`), never silently hidden; a singular X'WX is an
 * EstimationError naming the covariate that is collinear.
 *
 * @example
 *   const m = logit(t, "treat", ["pop", "open", "wage"]);
 *   m.coef; m.se; m.logLik; m.converged; m.iterations;
 *   m.fitted;  // propensity scores for m.rows
 */
export function logit(t: Table, y: string, xs: readonly string[], opts: LogitOptions = {}): LogitResult {
  const intercept = opts.intercept ?? true;
  const tol = opts.tol ?? 1e-8;
  const maxIter = opts.maxIter ?? 25;
  if (!(tol > 0) || !(maxIter >= 1)) throw new ArgumentError(`tol must be > 0 and maxIter ≥ 1`);
  const yv = numeric(t, y);
  const cols = xs.map((x) => numeric(t, x));
  const names = [...(intercept ? ["(Intercept)"] : []), ...xs];
  const k = names.length;
  if (k === 0) throw new ArgumentError("logit needs at least one regressor");
  const cand = opts.subset ? Array.from(opts.subset) : Array.from({ length: t.nrows }, (_, i) => i);
  const rows: number[] = [];
  for (const i of cand) {
    const v = yv[i] as number;
    if (Number.isNaN(v) || cols.some((c) => Number.isNaN(c[i] as number))) continue;
    if (v !== 0 && v !== 1) throw new DataError(`outcome of a logit must be 0 or 1, found ${v}`, { file: t.source, column: y, row: i + 1 });
    rows.push(i);
  }
  xs.forEach((x, j) => {
    if (!rows.length && (cols[j] as Float64Array).every((v) => Number.isNaN(v)))
      throw new DataError("all values are NA", { file: t.source, column: x });
  });
  const n = rows.length;
  if (n <= k) throw new EstimationError(`logit has ${n} complete rows for ${k} coefficients`, { column: y });
  const X = rows.map((i) => {
    const r = new Float64Array(k);
    let q = 0;
    if (intercept) r[q++] = 1;
    for (const c of cols) r[q++] = c[i] as number;
    return r;
  });
  const Y = mapF64From(rows, (i) => yv[i] as number);
  const ny1 = Y.reduce((a, b) => a + b, 0);
  if (ny1 === 0 || ny1 === n)
    throw new EstimationError(`outcome is constant (${ny1 === 0 ? "all 0" : "all 1"}) in the estimation sample`, { column: y });

  let p = mapF64From(Y, (v) => (v + 0.5) / 2);
  let eta = mapF64From(p, (v) => Math.log(v / (1 - v)));
  let dev = Infinity;
  let b = new Float64Array(k);
  let L: Float64Array[] = [];
  let converged = false;
  let it = 0;
  const buildXtWX = (w: Float64Array) => {
    const A = names.map(() => new Float64Array(k));
    for (let r = 0; r < n; r++) {
      const x = X[r] as Float64Array;
      const wr = w[r] as number;
      for (let i = 0; i < k; i++) {
        const xi = (x[i] as number) * wr;
        const Ai = A[i] as Float64Array;
        for (let j = 0; j <= i; j++) Ai[j] = (Ai[j] as number) + xi * (x[j] as number);
      }
    }
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) (A[i] as Float64Array)[j] = (A[j] as Float64Array)[i] as number;
    return A;
  };
  for (it = 1; it <= maxIter; it++) {
    const w = mapF64From(p, (v) => v * (1 - v));
    const A = buildXtWX(w);
    const ch = cholesky(A);
    if ("fail" in ch)
      throw new EstimationError("X'WX is singular: the covariate is collinear with the ones before it (or constant)", {
        file: t.source,
        term: names[ch.fail],
      });
    L = ch.L;
    const rhs = new Float64Array(k);
    for (let r = 0; r < n; r++) {
      const z = (eta[r] as number) + ((Y[r] as number) - (p[r] as number)) / (w[r] as number);
      const x = X[r] as Float64Array;
      const wz = (w[r] as number) * z;
      for (let i = 0; i < k; i++) rhs[i] = (rhs[i] as number) + (x[i] as number) * wz;
    }
    b = cholSolve(L, rhs);
    eta = mapF64From(X, (x) => x.reduce((s, v, i) => s + v * (b[i] as number), 0));
    p = mapF64From(eta, (e) => {
      const q = 1 / (1 + Math.exp(-e));
      return Math.min(Math.max(q, 2.220446e-16), 1 - 2.220446e-16); // glm's binomial linkinv clamp
    });
    let d = 0;
    for (let r = 0; r < n; r++) d += binDev(Y[r] as number, p[r] as number);
    if (Math.abs(d - dev) / (Math.abs(d) + 0.1) < tol) {
      dev = d;
      converged = true;
      break;
    }
    dev = d;
  }
  if (it > maxIter) it = maxIter;
  // vcov as glm reports it: (X'WX)^{-1} with the working weights of the last IRLS iteration
  const V = cholInverse(L);
  const se = mapF64From(V, (r, i) => Math.sqrt(r[i] as number));
  const z = mapF64From(b, (v, i) => v / (se[i] as number));
  const pv = mapF64From(z, (v) => pT2(v, Infinity));
  const pbar = ny1 / n;
  const nullDev = -2 * (ny1 * Math.log(pbar) + (n - ny1) * Math.log(1 - pbar));
  const score = new Float64Array(t.nrows).fill(NaN);
  rows.forEach((r, q) => (score[r] = p[q] as number));
  const separation = p.some((v) => v < 1e-10 || v > 1 - 1e-10);
  return {
    names,
    coef: b,
    se,
    z,
    p: pv,
    vcov: V,
    logLik: -dev / 2,
    deviance: dev,
    nullDeviance: nullDev,
    iterations: it,
    converged,
    separation,
    rows: Int32Array.from(rows),
    fitted: p,
    score,
  };
}
