import type { Factor } from "../core/fixed-effects/factorize";

/**
 * Sandwich variance estimators on the demeaned (and √w-scaled) design, before any
 * small-sample factor. The scores are s_i = x̃_i ẽ_i (x̃ = √w·x, ẽ = √w·e, so s_i = w_i x_i e_i).
 *
 * - `meatHetero`:  Σ_i s_i s_i'                     (White 1980)
 * - `meatCluster`: Σ_g (Σ_{i∈g} s_i)(Σ_{i∈g} s_i)'  (Liang & Zeger 1986; Arellano 1987)
 * - `sandwich(bread, meat)` = bread · meat · bread
 *
 * Multi-way clustering (Cameron, Gelbach & Miller 2011) combines one-way meats by
 * inclusion–exclusion over the intersections of the cluster variables: `meatMultiway`.
 */

/**
 * Score columns s_i = x_i e_i of a (demeaned, √w-scaled) design X and residual e.
 *
 * @example scoresMatrix([ones, x], e) // [e, x ⊙ e]
 */
export function scoresMatrix(X: readonly Float64Array[], e: Float64Array): Float64Array[] {
  return X.map((x) => {
    const s = new Float64Array(e.length);
    for (let i = 0; i < e.length; i++) s[i] = (x[i] as number) * (e[i] as number);
    return s;
  });
}

/**
 * Heteroskedasticity-robust meat Σ_i s_i s_i' (White 1980, Econometrica 48) from score
 * columns; k×k row-major, no small-sample factor.
 *
 * @example sandwich(bread, meatHetero(scoresMatrix(X, e)), k) // HC0
 */
export function meatHetero(S: readonly Float64Array[]): Float64Array {
  const k = S.length;
  const M = new Float64Array(k * k);
  for (let a = 0; a < k; a++)
    for (let b = a; b < k; b++) {
      const sa = S[a] as Float64Array,
        sb = S[b] as Float64Array;
      let s = 0;
      for (let i = 0; i < sa.length; i++) s += (sa[i] as number) * (sb[i] as number);
      M[a * k + b] = s;
      M[b * k + a] = s;
    }
  return M;
}

/**
 * One-way cluster-robust meat Σ_g (Σ_{i∈g} s_i)(Σ_{i∈g} s_i)' (Liang & Zeger 1986,
 * Biometrika 73; Arellano 1987) from score columns and the cluster factor; no G/(G − 1).
 *
 * @example sandwich(bread, meatCluster(scoresMatrix(X, e), city), k)
 */
export function meatCluster(S: readonly Float64Array[], cl: Factor): Float64Array {
  const k = S.length;
  const sums = new Float64Array(cl.size * k);
  const c = cl.codes;
  const n = k === 0 ? 0 : (S[0] as Float64Array).length;
  // one pass: each observation adds its k scores to one row of the G × k table (as meatClusterXe);
  // each sum still runs over the observations in order, so the sums are those of one column at a time
  for (let i = 0; i < n; i++) {
    const o = (c[i] as number) * k;
    for (let a = 0; a < k; a++) sums[o + a] += (S[a] as Float64Array)[i] as number;
  }
  return meatFromClusterSums(sums, cl.size, k);
}

/**
 * Σ_g s_g s_g' from per-cluster score sums (G × k, row-major). Clusters are taken two at a time
 * (one load and store of each entry of M per pair); each entry still adds the clusters' products
 * one at a time in the order of g, so the sums are the same as one cluster at a time.
 */
function meatFromClusterSums(sums: Float64Array, G: number, k: number): Float64Array {
  const M = new Float64Array(k * k);
  let g = 0;
  for (; g + 1 < G; g += 2) {
    const o = g * k,
      o2 = o + k;
    for (let a = 0; a < k; a++) {
      const va = sums[o + a] as number,
        wa = sums[o2 + a] as number;
      for (let b = a; b < k; b++) M[a * k + b] = (M[a * k + b] as number) + va * (sums[o + b] as number) + wa * (sums[o2 + b] as number);
    }
  }
  for (; g < G; g++) {
    const o = g * k;
    for (let a = 0; a < k; a++) {
      const va = sums[o + a] as number;
      for (let b = a; b < k; b++) M[a * k + b] += va * (sums[o + b] as number);
    }
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) M[a * k + b] = M[b * k + a] as number;
  return M;
}

/**
 * `meatCluster` on the scores x_i e_i without materialising them. One pass over the
 * observations: each observation adds its k scores to one row of the G × k table of cluster
 * sums (one cache line or two, instead of k scattered writes when the table is filled column by
 * column — with ~300,000 clusters the table is far larger than the cache).
 *
 * @example meatClusterXe([ones, x], e, city) // = meatCluster(scoresMatrix([ones, x], e), city)
 */
export function meatClusterXe(X: readonly Float64Array[], e: Float64Array, cl: Factor): Float64Array {
  const k = X.length;
  const sums = new Float64Array(cl.size * k);
  const c = cl.codes;
  const n = e.length;
  for (let i = 0; i < n; i++) {
    const ei = e[i] as number;
    const o = (c[i] as number) * k;
    for (let a = 0; a < k; a++) sums[o + a] += ((X[a] as Float64Array)[i] as number) * ei;
  }
  return meatFromClusterSums(sums, cl.size, k);
}

/**
 * The sandwich V = B·M·B of a k×k bread B = (X'WX)⁻¹ and meat M (row-major).
 *
 * @example sandwich(Float64Array.of(1, 2, 3, 4), Float64Array.of(5, 6, 7, 8), 2) // [85, 126, 193, 286]
 */
export function sandwich(bread: Float64Array, meat: Float64Array, k: number): Float64Array {
  const T = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += (bread[i * k + m] as number) * (meat[m * k + j] as number);
      T[i * k + j] = s;
    }
  const V = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let m = 0; m < k; m++) s += (T[i * k + m] as number) * (bread[m * k + j] as number);
      V[i * k + j] = s;
    }
  return V;
}

/**
 * Multiway cluster-robust meat (Cameron, Gelbach & Miller 2011, "Robust inference with
 * multiway clustering", JBES 29(2)): inclusion–exclusion over all non-empty subsets S of the
 * cluster variables, M = Σ_S (−1)^{|S|+1} meat(∩S); for two ways M = M_a + M_b − M_{a∩b}.
 * `intersect` builds the factor of an intersection (e.g. `interact`).
 *
 * @example meatMultiway(S, [firm, year], (fs) => fs.reduce((a, b) => interact(a, b)))
 */
export function meatMultiway(
  S: readonly Float64Array[],
  clusters: readonly Factor[],
  intersect: (fs: readonly Factor[]) => Factor,
): Float64Array {
  const k = S.length;
  const M = new Float64Array(k * k);
  const m = clusters.length;
  for (let mask = 1; mask < 1 << m; mask++) {
    const members = clusters.filter((_, j) => mask & (1 << j));
    const sign = members.length % 2 === 1 ? 1 : -1;
    const f = members.length === 1 ? (members[0] as Factor) : intersect(members);
    const Mi = meatCluster(S, f);
    for (let t = 0; t < k * k; t++) M[t] += sign * (Mi[t] as number);
  }
  return M;
}

/**
 * Eigenvalue fix of a multiway vcov (Cameron, Gelbach & Miller 2011, p. 241): V = UΛU' →
 * U max(Λ, 0) U'. As in fixest it is applied only when some variance (a diagonal element) is
 * negative; an indefinite matrix with a non-negative diagonal is returned unchanged
 * (`fixed: false`). Jacobi eigen-decomposition (k is small).
 *
 * @example psdFix(Float64Array.of(-1, 0, 0, 4), 2) // { V: [0, 0, 0, 4], fixed: true }
 */
export function psdFix(V: Float64Array, k: number): { V: Float64Array; fixed: boolean } {
  let neg = false;
  for (let i = 0; i < k; i++) if ((V[i * k + i] as number) < 0) neg = true;
  if (!neg) return { V, fixed: false };
  const { values, vectors } = jacobiEigen(V, k);
  const out = new Float64Array(k * k);
  for (let m = 0; m < k; m++) {
    const lam = Math.max(values[m] as number, 0);
    if (lam === 0) continue;
    for (let i = 0; i < k; i++)
      for (let j = 0; j < k; j++) out[i * k + j] += lam * (vectors[i * k + m] as number) * (vectors[j * k + m] as number);
  }
  return { V: out, fixed: true };
}

/**
 * Eigen-decomposition of a symmetric k×k matrix by cyclic Jacobi rotations (Golub & Van Loan,
 * Matrix Computations, §8.5): values unsorted, eigenvectors as the columns of `vectors`.
 *
 * @example jacobiEigen(Float64Array.of(2, 1, 1, 2), 2).values // {1, 3} in some order
 */
export function jacobiEigen(A0: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(A0);
  const Vv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) Vv[i * k + i] = 1;
  for (let sweepN = 0; sweepN < 100; sweepN++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += (A[p * k + q] as number) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < k; p++)
      for (let q = p + 1; q < k; q++) {
        const apq = A[p * k + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const app = A[p * k + p] as number,
          aqq = A[q * k + q] as number;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1),
          s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = A[r * k + p] as number,
            arq = A[r * k + q] as number;
          A[r * k + p] = c * arp - s * arq;
          A[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = A[p * k + r] as number,
            aqr = A[q * k + r] as number;
          A[p * k + r] = c * apr - s * aqr;
          A[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = Vv[r * k + p] as number,
            vrq = Vv[r * k + q] as number;
          Vv[r * k + p] = c * vrp - s * vrq;
          Vv[r * k + q] = s * vrp + c * vrq;
        }
      }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = A[i * k + i] as number;
  return { values, vectors: Vv };
}
