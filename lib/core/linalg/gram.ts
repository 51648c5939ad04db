const BLOCK = 2048;

/**
 * Cross-products of column arrays, blocked over rows so that every block of every column
 * stays in cache while all K(K+1)/2 products are accumulated: one pass over memory instead of
 * one per pair. Sums are accumulated per block and then added (pairwise over blocks), which
 * also keeps the rounding error of long sums small. Within a block the products are taken for
 * 2 × 2 pairs of columns at once (each loaded value serves two products); every product keeps
 * its two accumulators (even and odd rows of the block), so the sums are those of one product at
 * a time, bit for bit.
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
    let a = 0;
    for (; a + 1 < k; a += 2) {
      const ca = cols[a] as Float64Array,
        cd = cols[a + 1] as Float64Array;
      let b = 0;
      for (; b + 1 < a; b += 2)
        part2x2(ca, cd, cols[b] as Float64Array, cols[b + 1] as Float64Array, s, e, part, a * k + b, (a + 1) * k + b);
      if (b < a) {
        part[a * k + b] = dotBlock(ca, cols[b] as Float64Array, s, e);
        part[(a + 1) * k + b] = dotBlock(cd, cols[b] as Float64Array, s, e);
      }
      // the diagonal pair: (a, a), (a + 1, a), (a + 1, a + 1)
      let p0 = 0,
        p1 = 0,
        u0 = 0,
        u1 = 0,
        v0 = 0,
        v1 = 0,
        i = s;
      for (; i + 1 < e; i += 2) {
        const x = ca[i] as number,
          y = cd[i] as number,
          x1 = ca[i + 1] as number,
          y1 = cd[i + 1] as number;
        p0 += x * x;
        u0 += y * x;
        v0 += y * y;
        p1 += x1 * x1;
        u1 += y1 * x1;
        v1 += y1 * y1;
      }
      if (i < e) {
        const x = ca[i] as number,
          y = cd[i] as number;
        p0 += x * x;
        u0 += y * x;
        v0 += y * y;
      }
      part[a * k + a] = p0 + p1;
      part[(a + 1) * k + a] = u0 + u1;
      part[(a + 1) * k + a + 1] = v0 + v1;
    }
    if (a < k) for (let b = 0; b <= a; b++) part[a * k + b] = dotBlock(cols[a] as Float64Array, cols[b] as Float64Array, s, e);
    for (let a = 0; a < k; a++) for (let b = 0; b <= a; b++) G[a * k + b] += part[a * k + b] as number;
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) G[b * k + a] = G[a * k + b] as number;
  return G;
}

/** Σ_{i ∈ [s, e)} x_i y_i with two accumulators (even and odd offsets from s), as `crossprod` sums one product. */
function dotBlock(x: Float64Array, y: Float64Array, s: number, e: number): number {
  let acc0 = 0,
    acc1 = 0,
    i = s;
  for (; i + 1 < e; i += 2) {
    acc0 += (x[i] as number) * (y[i] as number);
    acc1 += (x[i + 1] as number) * (y[i + 1] as number);
  }
  if (i < e) acc0 += (x[i] as number) * (y[i] as number);
  return acc0 + acc1;
}

/**
 * Rows [s, e) of four products at once — (a, b), (a, c), (d, b), (d, c) for columns a, d
 * against b, c — into part[ab], part[ab + 1], part[db], part[db + 1], each summed as `dotBlock`.
 */
function part2x2(
  ca: Float64Array,
  cd: Float64Array,
  cb: Float64Array,
  cc: Float64Array,
  s: number,
  e: number,
  part: Float64Array,
  ab: number,
  db: number,
): void {
  let p0 = 0,
    p1 = 0,
    q0 = 0,
    q1 = 0,
    u0 = 0,
    u1 = 0,
    v0 = 0,
    v1 = 0,
    i = s;
  for (; i + 1 < e; i += 2) {
    const x = ca[i] as number,
      y = cd[i] as number,
      b0 = cb[i] as number,
      c0 = cc[i] as number;
    p0 += x * b0;
    q0 += x * c0;
    u0 += y * b0;
    v0 += y * c0;
    const x1 = ca[i + 1] as number,
      y1 = cd[i + 1] as number,
      b1 = cb[i + 1] as number,
      c1 = cc[i + 1] as number;
    p1 += x1 * b1;
    q1 += x1 * c1;
    u1 += y1 * b1;
    v1 += y1 * c1;
  }
  if (i < e) {
    const x = ca[i] as number,
      y = cd[i] as number,
      b0 = cb[i] as number,
      c0 = cc[i] as number;
    p0 += x * b0;
    q0 += x * c0;
    u0 += y * b0;
    v0 += y * c0;
  }
  part[ab] = p0 + p1;
  part[ab + 1] = q0 + q1;
  part[db] = u0 + u1;
  part[db + 1] = v0 + v1;
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
