import { residuals } from "../../core/linalg/residuals";
import { jacobiEigen } from "../../vcov/sandwich";
import { crossprod, crossprod2, GramCache } from "../../core/linalg/gram";

/**
 * Small dense linear algebra for the IV diagnostics (matrices of the size of the instrument
 * and regressor lists, never N×k): cross-products of column arrays, Gauss–Jordan inverse with
 * partial pivoting, symmetric eigen-decomposition (Jacobi, from lib/vcov/sandwich), and the
 * symmetric square root. Matrices are `number[][]` (row-major rows).
 *
 * @example
 *   const A = cross([x1, x2]);      // [[x1'x1, x1'x2], [x2'x1, x2'x2]]
 *   const Ai = inv(A);
 */
export type Mat = number[][];

/** An r×c matrix of zeros. @example zeros(2, 2) // [[0, 0], [0, 0]] */
export function zeros(r: number, c: number): Mat {
  return Array.from({ length: r }, () => new Array<number>(c).fill(0));
}
/** The k×k identity. @example eye(2) // [[1, 0], [0, 1]] */
export function eye(k: number): Mat {
  const I = zeros(k, k);
  for (let i = 0; i < k; i++) (I[i] as number[])[i] = 1;
  return I;
}
/** Element A[i][j] (typed access without non-null assertions). @example at([[1, 2]], 0, 1) // 2 */
export function at(A: Mat, i: number, j: number): number {
  return (A[i] as number[])[j] as number;
}
/** A'. @example transpose([[1, 2, 3]]) // [[1], [2], [3]] */
export function transpose(A: Mat): Mat {
  const r = A.length,
    c = r ? (A[0] as number[]).length : 0;
  const T = zeros(c, r);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) (T[j] as number[])[i] = at(A, i, j);
  return T;
}
/** Matrix product AB (skips zero entries of A). @example mul([[1, 2], [3, 4]], [[5, 6], [7, 8]]) // [[19, 22], [43, 50]] */
export function mul(A: Mat, B: Mat): Mat {
  const r = A.length,
    m = B.length,
    c = m ? (B[0] as number[]).length : 0;
  const C = zeros(r, c);
  for (let i = 0; i < r; i++) {
    const Ai = A[i] as number[],
      Ci = C[i] as number[];
    for (let k = 0; k < m; k++) {
      const a = Ai[k] as number;
      if (a === 0) continue;
      const Bk = B[k] as number[];
      for (let j = 0; j < c; j++) Ci[j] = (Ci[j] as number) + a * (Bk[j] as number);
    }
  }
  return C;
}
/** Matrix–vector product Av. @example mulVec([[1, 2], [3, 4]], [1, -1]) // [-1, -1] */
export function mulVec(A: Mat, v: ArrayLike<number>): number[] {
  return A.map((row) => row.reduce((s, a, j) => s + a * (v[j] as number), 0));
}
/** Inner product a'b. @example dot([1, 2, 3], [4, 5, 6]) // 32 */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
/** Quadratic form v'A^{-1}v through a linear solve. */
export function quadInv(A: Mat, v: readonly number[]): number {
  return dot(v, solve(A, v));
}
/** (A + A')/2. @example symmetrize([[1, 2], [4, 3]]) // [[1, 3], [3, 3]] */
export function symmetrize(A: Mat): Mat {
  const k = A.length;
  const S = zeros(k, k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) (S[i] as number[])[j] = (at(A, i, j) + at(A, j, i)) / 2;
  return S;
}

/**
 * Columns declared immutable by `freezeColumns` (the demeaned design of a 2SLS fit and its
 * partialled copies): their pairwise cross-products are computed once and shared by every
 * diagnostic (`cross`, `crossVec`). Keyed by array identity in WeakMaps, so nothing is kept
 * alive; a column that is modified after `freezeColumns` would return stale products, so only
 * arrays that are never written again may be declared.
 */
const frozen = new WeakSet<Float64Array>();
const gram = new GramCache();
/**
 * Declare columns immutable so that `cross`/`crossVec` on them share one cached Gram matrix.
 *
 * @example freezeColumns([y, x1, z1]); cross([x1], [z1]); // computed once, then cached
 */
export function freezeColumns(cols: readonly Float64Array[]): void {
  for (const c of cols) frozen.add(c);
}
/** The shared cross-product cache of frozen columns (for `qrLeastSquares(…, { cache })` on them). */
export function frozenGram(): GramCache {
  return gram;
}

/** A'B for column lists A (a columns) and B (b columns), each of length n (blocked kernels of lib/core/linalg/gram). */
export function cross(A: readonly Float64Array[], B: readonly Float64Array[] = A): Mat {
  const p = A.length,
    q = B.length;
  if (A.every((a) => frozen.has(a)) && B.every((b) => frozen.has(b))) {
    if (A === B) {
      const G = gram.crossprod(A);
      return Array.from({ length: p }, (_, i) => Array.from(G.subarray(i * p, (i + 1) * p)));
    }
    // A'B is the off-diagonal block of the Gram matrix of [A, B]
    const G = gram.crossprod([...A, ...B]),
      m = p + q;
    return Array.from({ length: p }, (_, i) => Array.from({ length: q }, (_, j) => G[i * m + p + j] as number));
  }
  const flat = A === B ? crossprod(A) : crossprod2(A, B);
  return Array.from({ length: p }, (_, i) => Array.from(flat.subarray(i * q, (i + 1) * q)));
}
/** A'y for a column list A. */
export function crossVec(A: readonly Float64Array[], y: Float64Array): number[] {
  if (frozen.has(y) && A.every((a) => frozen.has(a))) return cross(A, [y]).map((r) => r[0] as number);
  return Array.from(crossprod2(A, [y]));
}

/** Inverse by Gauss–Jordan elimination with partial pivoting; throws on a singular matrix. */
export function inv(A0: Mat): Mat {
  const k = A0.length;
  const A = A0.map((r) => r.slice());
  const I = eye(k);
  for (let c = 0; c < k; c++) {
    let p = c,
      best = Math.abs(at(A, c, c));
    for (let r = c + 1; r < k; r++)
      if (Math.abs(at(A, r, c)) > best) {
        best = Math.abs(at(A, r, c));
        p = r;
      }
    if (!(best > 0) || !Number.isFinite(best)) throw new Error("singular matrix");
    [A[c], A[p]] = [A[p] as number[], A[c] as number[]];
    [I[c], I[p]] = [I[p] as number[], I[c] as number[]];
    const piv = at(A, c, c);
    const Ac = A[c] as number[],
      Ic = I[c] as number[];
    for (let j = 0; j < k; j++) {
      Ac[j] = (Ac[j] as number) / piv;
      Ic[j] = (Ic[j] as number) / piv;
    }
    for (let r = 0; r < k; r++) {
      if (r === c) continue;
      const f = at(A, r, c);
      if (f === 0) continue;
      const Ar = A[r] as number[],
        Ir = I[r] as number[];
      for (let j = 0; j < k; j++) {
        Ar[j] = (Ar[j] as number) - f * (Ac[j] as number);
        Ir[j] = (Ir[j] as number) - f * (Ic[j] as number);
      }
    }
  }
  return I;
}
/** x = A⁻¹b (through `inv`; the matrices here are instrument-sized). @example solve([[2, 0], [0, 4]], [2, 2]) // [1, 0.5] */
export function solve(A: Mat, b: readonly number[]): number[] {
  return mulVec(inv(A), b);
}

/** Symmetric eigen-decomposition, eigenvalues ascending; vectors as columns of `vectors`. */
export function eigSym(A: Mat): { values: number[]; vectors: Mat } {
  const k = A.length;
  const flat = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) flat[i * k + j] = (at(A, i, j) + at(A, j, i)) / 2;
  const { values, vectors } = jacobiEigen(flat, k);
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => (values[a] as number) - (values[b] as number));
  const V = zeros(k, k);
  order.forEach((src, dst) => {
    for (let i = 0; i < k; i++) (V[i] as number[])[dst] = vectors[i * k + src] as number;
  });
  return { values: order.map((i) => values[i] as number), vectors: V };
}
/** Symmetric PSD square root V diag(√λ) V' (negative rounding-level eigenvalues set to 0). */
export function sqrtSym(A: Mat): Mat {
  const { values, vectors } = eigSym(A);
  const k = A.length;
  const S = zeros(k, k);
  for (let m = 0; m < k; m++) {
    const l = Math.sqrt(Math.max(values[m] as number, 0));
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) (S[i] as number[])[j] = at(S, i, j) + l * at(vectors, i, m) * at(vectors, j, m);
  }
  return S;
}
/** Lower Cholesky factor L (A = LL'); throws if A is not positive definite. */
export function cholLower(A: Mat): Mat {
  const k = A.length;
  const L = zeros(k, k);
  for (let j = 0; j < k; j++) {
    let s = at(A, j, j);
    for (let m = 0; m < j; m++) s -= at(L, j, m) ** 2;
    if (!(s > 0)) throw new Error("matrix not positive definite");
    const d = Math.sqrt(s);
    (L[j] as number[])[j] = d;
    for (let i = j + 1; i < k; i++) {
      let t = at(A, i, j);
      for (let m = 0; m < j; m++) t -= at(L, i, m) * at(L, j, m);
      (L[i] as number[])[j] = t / d;
    }
  }
  return L;
}

/** Residuals of each column of Y on the columns of X (least squares), plus the coefficients (X'X)^{-1}X'Y (rows = X columns). */
export function residualize(Y: readonly Float64Array[], X: readonly Float64Array[]): { resid: Float64Array[]; coef: Mat } {
  if (X.length === 0) return { resid: Y.map((y) => Float64Array.from(y)), coef: [] };
  const XtXi = inv(cross(X));
  const coef = zeros(X.length, Y.length);
  const resid = Y.map((y, j) => {
    const b = mulVec(XtXi, crossVec(X, y));
    b.forEach((v, i) => ((coef[i] as number[])[j] = v));
    return residuals(y, X, b);
  });
  return { resid, coef };
}
