/**
 * The inner loops of the placebo fast path (./placebo-fast.ts), written as self-contained
 * functions — no imports, no closures, no calls except to their arguments — because the same
 * source text also runs in the worker thread (shipped with `Function.prototype.toString`, as
 * lib/data/csv-fast.ts does), so that one thread or two give bitwise the same numbers. Each
 * reproduces the arithmetic of the reference path operation for operation: `shuffleInPlace` with
 * `Rng` (lib/util/rng.ts), `directProjector().groupSums` and `fusedFit` (./fwl.ts); only the
 * order of the loops and the memory layout differ (sums that have to be sequential in i stay
 * sequential in i).
 */

/**
 * xoshiro128** state of `new Rng(seed)` (splitmix32 of the seed, as the `Rng` constructor), into
 * st[0..3] (int32). Self-contained.
 *
 * @example const st = new Int32Array(4); xoshiroState(rng(1).fork("placebo").seed, st);
 */
export function xoshiroState(seed: number, st: Int32Array): void {
  let x = seed >>> 0;
  for (let j = 0; j < 4; j++) {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    st[j] = (z ^ (z >>> 16)) >>> 0;
  }
  if ((st[0]! | st[1]! | st[2]! | st[3]!) === 0) st[0] = 1;
}

/**
 * out ← src shuffled by Fisher–Yates with the generator state st (advanced in place): exactly
 * `out.set(src); shuffleInPlace(rng, out, 0, n)` for the `Rng` whose state st is — the same
 * xoshiro128** outputs (Blackman & Vigna 2018), the same Lemire (2019) multiply-and-reject
 * bounded integers for ranges ≤ 2²¹ and `Rng.int`'s rejection rule above — with the generator
 * state kept in local variables instead of object fields. Self-contained.
 *
 * @example fisherYates(st, x, out);   // the next placebo permutation of x
 */
export function fisherYates(st: Int32Array, src: Float64Array, out: Float64Array): void {
  const n = src.length;
  out.set(src);
  let s0 = st[0]! | 0,
    s1 = st[1]! | 0,
    s2 = st[2]! | 0,
    s3 = st[3]! | 0;
  const TWO32 = 4294967296,
    INV32 = 1 / 4294967296;
  for (let i = n - 1; i > 0; i--) {
    const m = i + 1;
    // next uint32 (xoshiro128**)
    let r = Math.imul(s1, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
    let t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    let j: number;
    if (m <= 2097152) {
      let p = r * m;
      let hi = Math.floor(p * INV32);
      let lo = p - hi * TWO32;
      if (lo < m) {
        const lim = TWO32 % m;
        while (lo < lim) {
          r = Math.imul(s1, 5);
          r = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
          t = s1 << 9;
          s2 ^= s0;
          s3 ^= s1;
          s1 ^= s2;
          s0 ^= s3;
          s2 ^= t;
          s3 = (s3 << 11) | (s3 >>> 21);
          p = r * m;
          hi = Math.floor(p * INV32);
          lo = p - hi * TWO32;
        }
      }
      j = hi;
    } else {
      const limit = TWO32 - (TWO32 % m);
      while (r >= limit) {
        r = Math.imul(s1, 5);
        r = Math.imul((r << 7) | (r >>> 25), 9) >>> 0;
        t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
      }
      j = r % m;
    }
    const v = out[i]!;
    out[i] = out[j]!;
    out[j] = v;
  }
  st[0] = s0;
  st[1] = s1;
  st[2] = s2;
  st[3] = s3;
}

/**
 * Pass 1 of one placebo fit: the sums of x by level of the three fixed effects (`groupSums3`)
 * and c = Q'x (`dots1`).
 *
 * @example pass1(x, big, o0, o1, sBig, rhs, blocks4, singles, c);
 */
export function pass1(
  x: Float64Array,
  big: Int32Array,
  o0: Int32Array,
  o1: Int32Array,
  sBig: Float64Array,
  rhs: Float64Array,
  blocks4: readonly Float64Array[],
  singles: readonly Float64Array[],
  c: Float64Array,
): void {
  groupSums3(x, big, o0, o1, sBig, rhs);
  dots1(x, blocks4, singles, c);
}

/** Rows per chunk of the cache-blocked kernels: a chunk of x, of qc and of one block of Q stay in L1/L2 while every block is applied. */
export const CHUNK = 2048;

/**
 * c = Q'x with Q stored in blocks of four columns (row-major n × 4) plus single columns; each c_a
 * is the sequential sum over i, as `dotsBlocked` (./fwl.ts). Rows are processed in chunks of
 * `CHUNK` (every block over one chunk, the accumulators carried from chunk to chunk, so the order
 * of each sum is unchanged) and x is read from memory once. Self-contained.
 *
 * @example dots1(x, blocks4, singles, c);
 */
export function dots1(x: Float64Array, blocks4: readonly Float64Array[], singles: readonly Float64Array[], c: Float64Array): void {
  const n = x.length,
    CH = 2048;
  c.fill(0);
  for (let i0 = 0; i0 < n; i0 += CH) {
    const i1 = i0 + CH < n ? i0 + CH : n;
    let a = 0;
    for (let blk = 0; blk < blocks4.length; blk++) {
      const q = blocks4[blk]!;
      let c0 = c[a]!,
        c1 = c[a + 1]!,
        c2 = c[a + 2]!,
        c3 = c[a + 3]!;
      for (let i = i0, o = i0 * 4; i < i1; i++, o += 4) {
        const v = x[i]!;
        c0 += q[o]! * v;
        c1 += q[o + 1]! * v;
        c2 += q[o + 2]! * v;
        c3 += q[o + 3]! * v;
      }
      c[a] = c0;
      c[a + 1] = c1;
      c[a + 2] = c2;
      c[a + 3] = c3;
      a += 4;
    }
    for (let sg = 0; sg < singles.length; sg++) {
      const q = singles[sg]!;
      let t = c[a]!;
      for (let i = i0; i < i1; i++) t += q[i]! * x[i]!;
      c[a++] = t;
    }
  }
}

/**
 * Pass 2 of one placebo fit, given the fixed-effect coefficients (aBig; alpha = the solved rhs)
 * and c: qc = Qc (accumulated block by block, in the column order of `axpyBlocked`), the residual
 * regressor r_i = x_i − α_big − α_0 − α_1 − qc_i, r'r, x'ry and, when `cd` is given, the
 * per-cluster sums S1_g = Σ r_i ry_i and S2_g = Σ r_i² (each cluster's run summed in registers
 * from the stored value, bitwise as adding into memory). Rows go in chunks of `CHUNK`, with qc
 * for the chunk in the scratch `qc` (length ≥ CHUNK), so qc never goes to main memory. Writes
 * [r'r, x'ry] into out. Self-contained.
 *
 * @example pass2(x, big, o0, o1, aBig, alpha, blocks4, singles, c, qc, ry, cd, S1, S2, out);
 */
export function pass2(
  x: Float64Array,
  big: Int32Array,
  o0: Int32Array,
  o1: Int32Array,
  aBig: Float64Array,
  alpha: Float64Array,
  blocks4: readonly Float64Array[],
  singles: readonly Float64Array[],
  c: Float64Array,
  qc: Float64Array,
  ry: Float64Array,
  cd: Int32Array | null,
  S1: Float64Array | null,
  S2: Float64Array | null,
  out: Float64Array,
): void {
  const n = x.length,
    CH = 2048;
  let rr = 0,
    xry = 0;
  const clustered = cd !== null && S1 !== null && S2 !== null && n > 0;
  if (S1) S1.fill(0);
  if (S2) S2.fill(0);
  let gc = clustered ? cd[0]! : 0,
    s1 = 0,
    s2 = 0;
  for (let i0 = 0; i0 < n; i0 += CH) {
    const i1 = i0 + CH < n ? i0 + CH : n,
      m = i1 - i0;
    qc.fill(0, 0, m);
    let a = 0;
    for (let blk = 0; blk < blocks4.length; blk++) {
      const q = blocks4[blk]!;
      const c0 = c[a]!,
        c1 = c[a + 1]!,
        c2 = c[a + 2]!,
        c3 = c[a + 3]!;
      for (let p = 0, o = i0 * 4; p < m; p++, o += 4) qc[p] = qc[p]! + c0 * q[o]! + c1 * q[o + 1]! + c2 * q[o + 2]! + c3 * q[o + 3]!;
      a += 4;
    }
    for (let sg = 0; sg < singles.length; sg++) {
      const q = singles[sg]!;
      const ca = c[a++]!;
      for (let p = 0; p < m; p++) qc[p] = qc[p]! + ca * q[i0 + p]!;
    }
    if (clustered) {
      for (let i = i0, p = 0; i < i1; i++, p++) {
        const xi = x[i]!,
          w = ry[i]!;
        const v = xi - aBig[big[i]!]! - alpha[o0[i]!]! - alpha[o1[i]!]! - qc[p]!;
        rr += v * v;
        xry += xi * w;
        const g = cd[i]!;
        if (g !== gc) {
          S1[gc] = s1;
          S2[gc] = s2;
          gc = g;
          s1 = S1[g]!;
          s2 = S2[g]!;
        }
        s1 += v * w;
        s2 += v * v;
      }
    } else
      for (let i = i0, p = 0; i < i1; i++, p++) {
        const xi = x[i]!;
        const v = xi - aBig[big[i]!]! - alpha[o0[i]!]! - alpha[o1[i]!]! - qc[p]!;
        rr += v * v;
        xry += xi * ry[i]!;
      }
  }
  if (clustered) {
    S1[gc] = s1;
    S2[gc] = s2;
  }
  out[0] = rr;
  out[1] = xry;
}

/**
 * The sums of x by level of the three fixed effects (sBig: the eliminated one; rhs: the other two,
 * codes already offset), as `directProjector().groupSums`. A run of equal codes is summed in a
 * register starting from the stored value — the same sequence of additions as adding into
 * memory, so the sums are bitwise those of `groupSums`, without the store-to-load round trip per
 * row. Self-contained (it also runs in the worker thread).
 *
 * @example groupSums3(x, big, o0, o1, sBig, rhs);
 */
export function groupSums3(x: Float64Array, big: Int32Array, o0: Int32Array, o1: Int32Array, sBig: Float64Array, rhs: Float64Array): void {
  const n = x.length;
  sBig.fill(0);
  rhs.fill(0);
  if (n === 0) return;
  let gb = big[0]!,
    vb = 0,
    g0 = o0[0]!,
    v0 = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    const b = big[i]!;
    if (b !== gb) {
      sBig[gb] = vb;
      gb = b;
      vb = sBig[b]!;
    }
    vb += v;
    const a0 = o0[i]!;
    if (a0 !== g0) {
      rhs[g0] = v0;
      g0 = a0;
      v0 = rhs[a0]!;
    }
    v0 += v;
    rhs[o1[i]!] += v;
  }
  sBig[gb] = vb;
  rhs[g0] = v0;
}

/**
 * c = Q'x for two draws at once (ca for xa, cb for xb): each block of Q is read once for both,
 * and every c_a is still the sequential sum over i of its own draw (chunks of `CHUNK` rows, as
 * `dots1`). Self-contained.
 *
 * @example dots2(xa, xb, blocks4, singles, ca, cb);
 */
export function dots2(
  xa: Float64Array,
  xb: Float64Array,
  blocks4: readonly Float64Array[],
  singles: readonly Float64Array[],
  ca: Float64Array,
  cb: Float64Array,
): void {
  const n = xa.length,
    CH = 2048;
  ca.fill(0);
  cb.fill(0);
  for (let i0 = 0; i0 < n; i0 += CH) {
    const i1 = i0 + CH < n ? i0 + CH : n;
    let a = 0;
    for (let blk = 0; blk < blocks4.length; blk++) {
      const q = blocks4[blk]!;
      let a0 = ca[a]!,
        a1 = ca[a + 1]!,
        a2 = ca[a + 2]!,
        a3 = ca[a + 3]!,
        b0 = cb[a]!,
        b1 = cb[a + 1]!,
        b2 = cb[a + 2]!,
        b3 = cb[a + 3]!;
      for (let i = i0, o = i0 * 4; i < i1; i++, o += 4) {
        const u = xa[i]!,
          w = xb[i]!;
        const q0 = q[o]!,
          q1 = q[o + 1]!,
          q2 = q[o + 2]!,
          q3 = q[o + 3]!;
        a0 += q0 * u;
        a1 += q1 * u;
        a2 += q2 * u;
        a3 += q3 * u;
        b0 += q0 * w;
        b1 += q1 * w;
        b2 += q2 * w;
        b3 += q3 * w;
      }
      ca[a] = a0;
      ca[a + 1] = a1;
      ca[a + 2] = a2;
      ca[a + 3] = a3;
      cb[a] = b0;
      cb[a + 1] = b1;
      cb[a + 2] = b2;
      cb[a + 3] = b3;
      a += 4;
    }
    for (let sg = 0; sg < singles.length; sg++) {
      const q = singles[sg]!;
      let s = ca[a]!,
        t = cb[a]!;
      for (let i = i0; i < i1; i++) {
        const qi = q[i]!;
        s += qi * xa[i]!;
        t += qi * xb[i]!;
      }
      ca[a] = s;
      cb[a++] = t;
    }
  }
}

/**
 * `pass2` for two draws at once (a and b): the blocks of Q, the fixed-effect and cluster codes
 * and ry are read once for both; every sum keeps its own draw's sequential order, so each draw's
 * numbers are bitwise those of `pass2`. qcA, qcB: scratch of length ≥ `CHUNK`. Writes
 * [r'r_a, x'ry_a, r'r_b, x'ry_b] into out. With the next pair's columns nxa, nxb, it also sums
 * their c = Q'x into nca, ncb — exactly the loop of `dots2` (same chunks, same order, bitwise),
 * run on each chunk while that chunk of Q is in cache, so Q is read from memory once per pair
 * instead of twice. Self-contained.
 *
 * @example pass2x2(xa, xb, big, o0, o1, aBigA, alA, aBigB, alB, blocks4, singles, ca, cb, qcA, qcB, ry, cd, S1A, S2A, S1B, S2B, out);
 */
export function pass2x2(
  xa: Float64Array,
  xb: Float64Array,
  big: Int32Array,
  o0: Int32Array,
  o1: Int32Array,
  aBigA: Float64Array,
  alA: Float64Array,
  aBigB: Float64Array,
  alB: Float64Array,
  blocks4: readonly Float64Array[],
  singles: readonly Float64Array[],
  ca: Float64Array,
  cb: Float64Array,
  qcA: Float64Array,
  qcB: Float64Array,
  ry: Float64Array,
  cd: Int32Array | null,
  S1A: Float64Array | null,
  S2A: Float64Array | null,
  S1B: Float64Array | null,
  S2B: Float64Array | null,
  out: Float64Array,
  nxa: Float64Array | null = null,
  nxb: Float64Array | null = null,
  nca: Float64Array | null = null,
  ncb: Float64Array | null = null,
): void {
  const n = xa.length,
    CH = 2048;
  const clustered = cd !== null && S1A !== null && S2A !== null && S1B !== null && S2B !== null && n > 0;
  const next = nxa !== null && nxb !== null && nca !== null && ncb !== null;
  if (next) {
    nca.fill(0);
    ncb.fill(0);
  }
  if (clustered) {
    S1A.fill(0);
    S2A.fill(0);
    S1B.fill(0);
    S2B.fill(0);
  }
  let rrA = 0,
    xryA = 0,
    rrB = 0,
    xryB = 0;
  let gc = clustered ? cd[0]! : 0,
    s1a = 0,
    s2a = 0,
    s1b = 0,
    s2b = 0;
  for (let i0 = 0; i0 < n; i0 += CH) {
    const i1 = i0 + CH < n ? i0 + CH : n,
      m = i1 - i0;
    qcA.fill(0, 0, m);
    qcB.fill(0, 0, m);
    let a = 0;
    for (let blk = 0; blk < blocks4.length; blk++) {
      const q = blocks4[blk]!;
      const a0 = ca[a]!,
        a1 = ca[a + 1]!,
        a2 = ca[a + 2]!,
        a3 = ca[a + 3]!,
        b0 = cb[a]!,
        b1 = cb[a + 1]!,
        b2 = cb[a + 2]!,
        b3 = cb[a + 3]!;
      for (let p = 0, o = i0 * 4; p < m; p++, o += 4) {
        const q0 = q[o]!,
          q1 = q[o + 1]!,
          q2 = q[o + 2]!,
          q3 = q[o + 3]!;
        qcA[p] = qcA[p]! + a0 * q0 + a1 * q1 + a2 * q2 + a3 * q3;
        qcB[p] = qcB[p]! + b0 * q0 + b1 * q1 + b2 * q2 + b3 * q3;
      }
      if (next) {
        // the next pair's Q'x on the same rows, while this block of Q is in cache (the loop of `dots2`)
        let e0 = nca[a]!,
          e1 = nca[a + 1]!,
          e2 = nca[a + 2]!,
          e3 = nca[a + 3]!,
          f0 = ncb[a]!,
          f1 = ncb[a + 1]!,
          f2 = ncb[a + 2]!,
          f3 = ncb[a + 3]!;
        for (let i = i0, o = i0 * 4; i < i0 + m; i++, o += 4) {
          const u = nxa[i]!,
            w = nxb[i]!;
          const q0 = q[o]!,
            q1 = q[o + 1]!,
            q2 = q[o + 2]!,
            q3 = q[o + 3]!;
          e0 += q0 * u;
          e1 += q1 * u;
          e2 += q2 * u;
          e3 += q3 * u;
          f0 += q0 * w;
          f1 += q1 * w;
          f2 += q2 * w;
          f3 += q3 * w;
        }
        nca[a] = e0;
        nca[a + 1] = e1;
        nca[a + 2] = e2;
        nca[a + 3] = e3;
        ncb[a] = f0;
        ncb[a + 1] = f1;
        ncb[a + 2] = f2;
        ncb[a + 3] = f3;
      }
      a += 4;
    }
    for (let sg = 0; sg < singles.length; sg++) {
      const q = singles[sg]!;
      const sa = ca[a]!,
        sb = cb[a]!;
      for (let p = 0; p < m; p++) {
        const qi = q[i0 + p]!;
        qcA[p] = qcA[p]! + sa * qi;
        qcB[p] = qcB[p]! + sb * qi;
      }
      if (next) {
        let e = nca[a]!,
          f = ncb[a]!;
        for (let i = i0; i < i0 + m; i++) {
          const qi = q[i]!;
          e += qi * nxa[i]!;
          f += qi * nxb[i]!;
        }
        nca[a] = e;
        ncb[a] = f;
      }
      a++;
    }
    if (clustered) {
      for (let i = i0, p = 0; i < i1; i++, p++) {
        const h = big[i]!,
          e0 = o0[i]!,
          e1 = o1[i]!,
          w = ry[i]!;
        const xi = xa[i]!,
          xj = xb[i]!;
        const va = xi - aBigA[h]! - alA[e0]! - alA[e1]! - qcA[p]!;
        const vb = xj - aBigB[h]! - alB[e0]! - alB[e1]! - qcB[p]!;
        rrA += va * va;
        xryA += xi * w;
        rrB += vb * vb;
        xryB += xj * w;
        const g = cd[i]!;
        if (g !== gc) {
          S1A[gc] = s1a;
          S2A[gc] = s2a;
          S1B[gc] = s1b;
          S2B[gc] = s2b;
          gc = g;
          s1a = S1A[g]!;
          s2a = S2A[g]!;
          s1b = S1B[g]!;
          s2b = S2B[g]!;
        }
        s1a += va * w;
        s2a += va * va;
        s1b += vb * w;
        s2b += vb * vb;
      }
    } else
      for (let i = i0, p = 0; i < i1; i++, p++) {
        const h = big[i]!,
          e0 = o0[i]!,
          e1 = o1[i]!,
          w = ry[i]!;
        const xi = xa[i]!,
          xj = xb[i]!;
        const va = xi - aBigA[h]! - alA[e0]! - alA[e1]! - qcA[p]!;
        const vb = xj - aBigB[h]! - alB[e0]! - alB[e1]! - qcB[p]!;
        rrA += va * va;
        xryA += xi * w;
        rrB += vb * vb;
        xryB += xj * w;
      }
  }
  if (clustered) {
    S1A[gc] = s1a;
    S2A[gc] = s2a;
    S1B[gc] = s1b;
    S2B[gc] = s2b;
  }
  out[0] = rrA;
  out[1] = xryA;
  out[2] = rrB;
  out[3] = xryB;
}

/**
 * The body of the placebo worker thread (started by `fastPlaceboLoop`): it owns the permutation
 * stream and fills the slots of a ring in draw order — slot r mod S gets the permuted column of
 * draw r (`fisherYates`) and its fixed-effect sums (`groupSums3`) — waiting while the slot is
 * still in use (state 1) and stopping when the main thread raises the stop flag (state[S] = 1).
 * Self-contained; the kernels are passed in.
 *
 * @example // in the worker: placeboWorker(workerData, xoshiroState, fisherYates, groupSums3)
 */
export function placeboWorker(
  d: {
    seed: number;
    reps: number;
    slots: number;
    x0: SharedArrayBuffer;
    big: SharedArrayBuffer;
    o0: SharedArrayBuffer;
    o1: SharedArrayBuffer;
    state: SharedArrayBuffer;
    X: SharedArrayBuffer[];
    SB: SharedArrayBuffer[];
    RH: SharedArrayBuffer[];
  },
  seedState: typeof xoshiroState,
  shuffle: typeof fisherYates,
  sums: typeof groupSums3,
): void {
  const st = new Int32Array(4);
  seedState(d.seed, st);
  const x0 = new Float64Array(d.x0),
    big = new Int32Array(d.big),
    o0 = new Int32Array(d.o0),
    o1 = new Int32Array(d.o1);
  const state = new Int32Array(d.state);
  const S = d.slots;
  const X: Float64Array[] = [],
    SB: Float64Array[] = [],
    RH: Float64Array[] = [];
  for (let s = 0; s < S; s++) {
    X.push(new Float64Array(d.X[s]!));
    SB.push(new Float64Array(d.SB[s]!));
    RH.push(new Float64Array(d.RH[s]!));
  }
  for (let r = 0; r < d.reps; r++) {
    const s = r % S;
    while (Atomics.load(state, s) !== 0) {
      if (Atomics.load(state, S) !== 0) return;
      Atomics.wait(state, s, 1, 200);
    }
    if (Atomics.load(state, S) !== 0) return;
    shuffle(st, x0, X[s]!);
    sums(X[s]!, big, o0, o1, SB[s]!, RH[s]!);
    Atomics.store(state, s, 1);
    Atomics.notify(state, s);
  }
}
