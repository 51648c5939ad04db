const BLOCK = 2048;

/**
 * Cross-products of column arrays, blocked over rows so that every block of every column
 * stays in cache while all K(K+1)/2 products are accumulated: one pass over memory instead of
 * one per pair. Sums are accumulated per block and then added (pairwise over blocks), which
 * also keeps the rounding error of long sums small.
 *
 * @example crossprod([x1, x2]) // Float64Array [x1'x1, x1'x2, x2'x1, x2'x2] (row-major 2×2)
 */
export function crossprod(cols: readonly Float64Array[]): Float64Array {
  const k = cols.length;
  const G = new Float64Array(k * k);
  if (k === 0) return G;
  const n = (cols[0] as Float64Array).length;
  const part = new Float64Array(k * k);
  for (let s = 0; s < n; s += BLOCK) {
    const e = Math.min(n, s + BLOCK);
    for (let a = 0; a < k; a++) {
      const ca = cols[a] as Float64Array;
      for (let b = 0; b <= a; b++) {
        const cb = cols[b] as Float64Array;
        let acc0 = 0,
          acc1 = 0;
        let i = s;
        for (; i + 1 < e; i += 2) {
          acc0 += (ca[i] as number) * (cb[i] as number);
          acc1 += (ca[i + 1] as number) * (cb[i + 1] as number);
        }
        if (i < e) acc0 += (ca[i] as number) * (cb[i] as number);
        part[a * k + b] = acc0 + acc1;
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) G[a * k + b] += part[a * k + b] as number;
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) G[b * k + a] = G[a * k + b] as number;
  return G;
}

/** A'B for column lists A (p columns) and B (q columns): row-major p×q. */
export function crossprod2(A: readonly Float64Array[], B: readonly Float64Array[]): Float64Array {
  const p = A.length,
    q = B.length;
  const C = new Float64Array(p * q);
  if (p === 0 || q === 0) return C;
  const n = (A[0] as Float64Array).length;
  for (let s = 0; s < n; s += BLOCK) {
    const e = Math.min(n, s + BLOCK);
    for (let a = 0; a < p; a++) {
      const ca = A[a] as Float64Array;
      for (let b = 0; b < q; b++) {
        const cb = B[b] as Float64Array;
        let acc = 0;
        for (let i = s; i < e; i++) acc += (ca[i] as number) * (cb[i] as number);
        C[a * q + b] += acc;
      }
    }
  }
  return C;
}

/**
 * A cache of column cross-products for estimators that solve several least-squares problems
 * on the same (immutable) columns, e.g. 2SLS: exogenous, instrument, endogenous and
 * second-stage regressions share most of their columns. Keyed by array identity: only use
 * it with arrays that are not modified afterwards.
 */
export class GramCache {
  private readonly m = new WeakMap<Float64Array, WeakMap<Float64Array, number>>();
  get(a: Float64Array, b: Float64Array): number | undefined {
    return this.m.get(a)?.get(b) ?? this.m.get(b)?.get(a);
  }
  set(a: Float64Array, b: Float64Array, v: number): void {
    let inner = this.m.get(a);
    if (!inner) {
      inner = new WeakMap();
      this.m.set(a, inner);
    }
    inner.set(b, v);
  }
  /** The Gram matrix of `cols`, computing (blocked, in one pass) only the pairs not yet known. */
  crossprod(cols: readonly Float64Array[]): Float64Array {
    const k = cols.length;
    const G = new Float64Array(k * k);
    const missing: [number, number][] = [];
    for (let a = 0; a < k; a++)
      for (let b = 0; b <= a; b++) {
        const v = this.get(cols[a] as Float64Array, cols[b] as Float64Array);
        if (v === undefined) missing.push([a, b]);
        else {
          G[a * k + b] = v;
          G[b * k + a] = v;
        }
      }
    if (missing.length) {
      const n = (cols[0] as Float64Array).length;
      const acc = new Float64Array(missing.length);
      // pairs sharing their first column four at a time: that column is read once for four
      // products (each product still summed in observation order within a block)
      const runs: number[] = [];
      for (let p = 0; p < missing.length;) {
        let q = p + 1;
        while (q < missing.length && q - p < 4 && (missing[q] as [number, number])[0] === (missing[p] as [number, number])[0]) q++;
        runs.push(p, q);
        p = q;
      }
      for (let s = 0; s < n; s += BLOCK) {
        const e = Math.min(n, s + BLOCK);
        for (let u = 0; u < runs.length; u += 2) {
          const p = runs[u] as number,
            m = (runs[u + 1] as number) - p;
          const ca = cols[(missing[p] as [number, number])[0]] as Float64Array;
          if (m === 4) {
            const c0 = cols[(missing[p] as [number, number])[1]] as Float64Array,
              c1 = cols[(missing[p + 1] as [number, number])[1]] as Float64Array,
              c2 = cols[(missing[p + 2] as [number, number])[1]] as Float64Array,
              c3 = cols[(missing[p + 3] as [number, number])[1]] as Float64Array;
            let t0 = 0,
              t1 = 0,
              t2 = 0,
              t3 = 0;
            for (let i = s; i < e; i++) {
              const v = ca[i] as number;
              t0 += v * (c0[i] as number);
              t1 += v * (c1[i] as number);
              t2 += v * (c2[i] as number);
              t3 += v * (c3[i] as number);
            }
            acc[p] += t0;
            acc[p + 1] += t1;
            acc[p + 2] += t2;
            acc[p + 3] += t3;
          } else
            for (let q = p; q < p + m; q++) {
              const cb = cols[(missing[q] as [number, number])[1]] as Float64Array;
              let t = 0;
              for (let i = s; i < e; i++) t += (ca[i] as number) * (cb[i] as number);
              acc[q] += t;
            }
        }
      }
      missing.forEach(([a, b], p) => {
        const v = acc[p] as number;
        G[a * k + b] = v;
        G[b * k + a] = v;
        this.set(cols[a] as Float64Array, cols[b] as Float64Array, v);
      });
    }
    return G;
  }
}
