import type { Factor } from "./factorize";

/** One column demeaned by `mapCoefficients`: the residual, the fixed-effect coefficients, and the convergence report. */
export interface MapCoefficientsResult {
  /** x − Σ_q α_q[g_q(i)]. */
  readonly residual: Float64Array;
  /** α_q, one array per factor, in the factors' order (one normalisation among many; the fitted sums are unique). */
  readonly alpha: Float64Array[];
  /** Accelerated iterations (each two Gauss–Seidel sweeps), as the observation-space MAP counts them. */
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * Alternating projections on the fixed-effect coefficients instead of the observations: the
 * Gauss–Seidel sweep of the normal equations D'WDα = D'Wx, one fixed effect at a time,
 *
 *   α_q[g] ← (S_q[g] − Σ_{i∈g} w_i Σ_{r≠q} α_r[g_r(i)]) / W_q[g],   S_q[g] = Σ_{i∈g} w_i x_i,  W_q[g] = Σ_{i∈g} w_i,
 *
 * accelerated by Irons & Tuck (1969), as fixest demeans (Bergé 2018, "Efficient estimation of
 * maximum likelihood models with multiple fixed-effects: the R package FENmlm", CREA Discussion
 * Paper 2018-13, §3; the algorithm of fixest's demeaning.cpp). It is the same fixed point as the
 * observation-space sweeps (the residual of the weighted projection on the dummies), reached
 * with less memory traffic: a sweep reads only the factor codes and gathers coefficients, the
 * column itself is read twice (S_q, and the residual at the end), and the accelerated vector is
 * the coefficients of every fixed effect but the largest (whose coefficients follow from the
 * others in the first step of each sweep), not the n observations.
 *
 * Convergence: stop when Σ_q max_g |Δα_q[g]| between two sweeps — an upper bound on the largest
 * change of any fitted value — is below `tol` × max_i |x_i|, the observation-space rule's
 * criterion bounded from above; at most `maxIter` iterations, non-convergence reported.
 *
 * One column here is `mapCoefficientsBlock` of that column alone.
 *
 * @example
 *   const plan = mapCoefficientsPlan({ factors: [firm, product] });   // once per design
 *   const r = mapCoefficients(y, plan, 1e-10, 10_000);
 *   r.residual;   // y within firm and product (equal to the direct solution up to ~1e-10 · max|y|)
 */
export function mapCoefficients(x: Float64Array, plan: MapCoefficientsPlan, tol: number, maxIter: number): MapCoefficientsResult {
  return mapCoefficientsBlock([x], plan, tol, maxIter)[0] as MapCoefficientsResult;
}

/**
 * `mapCoefficients` on up to four columns at once, their coefficients interleaved (level g of
 * column c at g·B + c), so that one pass over the codes serves every column and each coefficient
 * gathered from memory brings its neighbours' with it (one cache line for four columns). Each
 * column keeps its own acceleration step and its own stopping rule, and its arithmetic is the
 * same operations in the same order as alone, so its result is bit for bit that of
 * `mapCoefficients` on it alone, whichever columns share its block (tested). A column that has
 * converged rides along with the others, unchanged in its result.
 *
 * @example
 *   const [ry, rx1, rx2] = mapCoefficientsBlock([y, x1, x2], plan, 1e-10, 10_000);
 */
export function mapCoefficientsBlock(
  xs: readonly Float64Array[],
  plan: MapCoefficientsPlan,
  tol: number,
  maxIter: number,
  progress?: Int32Array,
): MapCoefficientsResult[] {
  const { factors: F, order, rest, offsets, m, sorted: g0, codes, weights: w, W } = plan;
  // two or three columns ride in a block of four (the unrolled kernels); the padding is zeros,
  // which converge at the first check and are not returned
  if (xs.length === 2 || xs.length === 3) {
    const zero = new Float64Array((xs[0] as Float64Array).length);
    return mapCoefficientsBlock([...xs, ...Array.from({ length: 4 - xs.length }, () => zero)], plan, tol, maxIter, progress).slice(
      0,
      xs.length,
    );
  }
  const B = xs.length;
  const Q = F.length;
  const n = B ? (xs[0] as Float64Array).length : 0;
  const p0 = order[0] as number;
  const size0 = (F[p0] as Factor).size;
  const scale = new Float64Array(B);
  for (let c = 0; c < B; c++) {
    const x = xs[c] as Float64Array;
    let sc = 0;
    for (let i = 0; i < n; i++) sc = Math.max(sc, Math.abs(x[i] as number));
    scale[c] = Math.max(sc, 1e-300);
  }
  // S_q[g·B + c] = Σ_{i∈g} w_i x_ci, in the original row order (four columns in one pass: the same
  // additions per column)
  const S = levelSums();
  function levelSums(): Float64Array[] {
    const S = F.map((f) => new Float64Array(f.size * B));
    const rw = plan.rowWeights;
    for (let q = 0; q < Q; q++) {
      const cq = (F[q] as Factor).codes,
        s = S[q] as Float64Array;
      if (B === 4) {
        const x0 = xs[0] as Float64Array,
          x1 = xs[1] as Float64Array,
          x2 = xs[2] as Float64Array,
          x3 = xs[3] as Float64Array;
        if (rw)
          for (let i = 0; i < n; i++) {
            const h = (cq[i] as number) * 4,
              wi = rw[i] as number;
            s[h] += wi * (x0[i] as number);
            s[h + 1] += wi * (x1[i] as number);
            s[h + 2] += wi * (x2[i] as number);
            s[h + 3] += wi * (x3[i] as number);
          }
        else
          for (let i = 0; i < n; i++) {
            const h = (cq[i] as number) * 4;
            s[h] += x0[i] as number;
            s[h + 1] += x1[i] as number;
            s[h + 2] += x2[i] as number;
            s[h + 3] += x3[i] as number;
          }
        continue;
      }
      for (let c = 0; c < B; c++) {
        const x = xs[c] as Float64Array;
        if (rw) for (let i = 0; i < n; i++) s[(cq[i] as number) * B + c] += (rw[i] as number) * (x[i] as number);
        else for (let i = 0; i < n; i++) s[(cq[i] as number) * B + c] += x[i] as number;
      }
    }
    return S;
  }
  const views = (z: Float64Array): Float64Array[] =>
    rest.map((q, k) => z.subarray((offsets[k] as number) * B, ((offsets[k] as number) + (F[q] as Factor).size) * B));
  const acc = new Float64Array(m * B);
  const out: (MapCoefficientsResult | undefined)[] = new Array(B);

  // The block kernels are inner functions so that this one function's source text is the whole
  // iteration: the column-parallel runner (map-columns.ts) evaluates it in a worker thread.

  /** The largest factor's coefficients from the others': a0[g] = (S0[g] − Σ_{k in run g} w_k Σ_r a_r[c_r(k)]) / W0[g], per column. */
  function firstBlock(a0: Float64Array, S0: Float64Array, W0: Float64Array, oc: readonly Int32Array[], oa: readonly Float64Array[]): void {
    // flat loops over the ordered observations (runs are often short: no per-run overhead), the
    // sums accumulated in a0 itself in observation order — the same additions, in the same order,
    // for each column as alone; the case is chosen once, outside the loop
    a0.fill(0);
    const c1 = oc[0] as Int32Array,
      a1 = oa[0] as Float64Array,
      c2 = oc[1] as Int32Array,
      a2 = oa[1] as Float64Array;
    if (B === 4 && !w && oc.length === 1)
      for (let k = 0; k < n; k++) {
        const g = (g0[k] as number) * 4,
          h = (c1[k] as number) * 4;
        a0[g] += a1[h] as number;
        a0[g + 1] += a1[h + 1] as number;
        a0[g + 2] += a1[h + 2] as number;
        a0[g + 3] += a1[h + 3] as number;
      }
    else if (B === 4 && !w && oc.length === 2)
      for (let k = 0; k < n; k++) {
        const g = (g0[k] as number) * 4,
          h1 = (c1[k] as number) * 4,
          h2 = (c2[k] as number) * 4;
        a0[g] += (a1[h1] as number) + (a2[h2] as number);
        a0[g + 1] += (a1[h1 + 1] as number) + (a2[h2 + 1] as number);
        a0[g + 2] += (a1[h1 + 2] as number) + (a2[h2 + 2] as number);
        a0[g + 3] += (a1[h1 + 3] as number) + (a2[h2 + 3] as number);
      }
    else if (B === 4 && w && oc.length === 1)
      for (let k = 0; k < n; k++) {
        const g = (g0[k] as number) * 4,
          h = (c1[k] as number) * 4,
          wk = w[k] as number;
        a0[g] += wk * (a1[h] as number);
        a0[g + 1] += wk * (a1[h + 1] as number);
        a0[g + 2] += wk * (a1[h + 2] as number);
        a0[g + 3] += wk * (a1[h + 3] as number);
      }
    else if (B === 4 && w && oc.length === 2)
      for (let k = 0; k < n; k++) {
        const g = (g0[k] as number) * 4,
          h1 = (c1[k] as number) * 4,
          h2 = (c2[k] as number) * 4,
          wk = w[k] as number;
        a0[g] += wk * ((a1[h1] as number) + (a2[h2] as number));
        a0[g + 1] += wk * ((a1[h1 + 1] as number) + (a2[h2 + 1] as number));
        a0[g + 2] += wk * ((a1[h1 + 2] as number) + (a2[h2 + 2] as number));
        a0[g + 3] += wk * ((a1[h1 + 3] as number) + (a2[h2 + 3] as number));
      }
    else if (B === 1 && !w && oc.length === 1) for (let k = 0; k < n; k++) a0[g0[k] as number] += a1[c1[k] as number] as number;
    else if (B === 1 && !w && oc.length === 2)
      for (let k = 0; k < n; k++) a0[g0[k] as number] += (a1[c1[k] as number] as number) + (a2[c2[k] as number] as number);
    else if (oc.length > 0)
      for (let k = 0; k < n; k++) {
        const g = (g0[k] as number) * B;
        for (let c = 0; c < B; c++) {
          let u = 0;
          for (let r = 0; r < oc.length; r++) u += (oa[r] as Float64Array)[((oc[r] as Int32Array)[k] as number) * B + c] as number;
          a0[g + c] += w ? (w[k] as number) * u : u;
        }
      }
    for (let g = 0; g < size0; g++) {
      // a level without observations (weight 0) keeps coefficient 0: nothing reads it, and 0/0 would stall the stopping rule
      const wg = W0[g] as number;
      for (let c = 0; c < B; c++) a0[g * B + c] = wg > 0 ? ((S0[g * B + c] as number) - (a0[g * B + c] as number)) / wg : 0;
    }
  }

  /** acc[t(k)] += w_k (a0[g(k)] + Σ_r a_r[c_r(k)]) over the ordered observations (g(k): the run k is in), per column. */
  function restBlock(a: Float64Array, tc: Int32Array, a0: Float64Array, oc: readonly Int32Array[], oa: readonly Float64Array[]): void {
    const c1 = oc[0] as Int32Array,
      a1 = oa[0] as Float64Array;
    if (B === 4 && !w && oc.length === 0)
      for (let k = 0; k < n; k++) {
        const h = (tc[k] as number) * 4,
          g = (g0[k] as number) * 4;
        a[h] += a0[g] as number;
        a[h + 1] += a0[g + 1] as number;
        a[h + 2] += a0[g + 2] as number;
        a[h + 3] += a0[g + 3] as number;
      }
    else if (B === 4 && !w && oc.length === 1)
      for (let k = 0; k < n; k++) {
        const h = (tc[k] as number) * 4,
          g = (g0[k] as number) * 4,
          h1 = (c1[k] as number) * 4;
        a[h] += (a0[g] as number) + (a1[h1] as number);
        a[h + 1] += (a0[g + 1] as number) + (a1[h1 + 1] as number);
        a[h + 2] += (a0[g + 2] as number) + (a1[h1 + 2] as number);
        a[h + 3] += (a0[g + 3] as number) + (a1[h1 + 3] as number);
      }
    else if (B === 4 && w && oc.length === 0)
      for (let k = 0; k < n; k++) {
        const h = (tc[k] as number) * 4,
          g = (g0[k] as number) * 4,
          wk = w[k] as number;
        a[h] += wk * (a0[g] as number);
        a[h + 1] += wk * (a0[g + 1] as number);
        a[h + 2] += wk * (a0[g + 2] as number);
        a[h + 3] += wk * (a0[g + 3] as number);
      }
    else if (B === 4 && w && oc.length === 1)
      for (let k = 0; k < n; k++) {
        const h = (tc[k] as number) * 4,
          g = (g0[k] as number) * 4,
          h1 = (c1[k] as number) * 4,
          wk = w[k] as number;
        a[h] += wk * ((a0[g] as number) + (a1[h1] as number));
        a[h + 1] += wk * ((a0[g + 1] as number) + (a1[h1 + 1] as number));
        a[h + 2] += wk * ((a0[g + 2] as number) + (a1[h1 + 2] as number));
        a[h + 3] += wk * ((a0[g + 3] as number) + (a1[h1 + 3] as number));
      }
    else if (B === 1 && !w && oc.length === 0) for (let k = 0; k < n; k++) a[tc[k] as number] += a0[g0[k] as number] as number;
    else if (B === 1 && !w && oc.length === 1)
      for (let k = 0; k < n; k++) a[tc[k] as number] += (a0[g0[k] as number] as number) + (a1[c1[k] as number] as number);
    else
      for (let k = 0; k < n; k++) {
        const h = (tc[k] as number) * B,
          g = (g0[k] as number) * B;
        for (let c = 0; c < B; c++) {
          let u = a0[g + c] as number;
          for (let r = 0; r < oc.length; r++) u += (oa[r] as Float64Array)[((oc[r] as Int32Array)[k] as number) * B + c] as number;
          a[h + c] += w ? (w[k] as number) * u : u;
        }
      }
  }

  /** One Gauss–Seidel sweep: z (coefficients of `rest`) → a0 (the largest FE's) and zOut. */
  function sweep(z: Float64Array, a0: Float64Array, zOut: Float64Array): void {
    const cur = views(z);
    const nxt = views(zOut);
    firstBlock(a0, S[p0] as Float64Array, W[p0] as Float64Array, codes, cur);
    for (let k = 0; k < rest.length; k++) {
      const q = rest[k] as number;
      const size = (F[q] as Factor).size;
      const a = acc.subarray(0, size * B);
      a.fill(0);
      // the others' latest coefficients: updated earlier in this sweep (before k) or not yet (after k)
      const oc: Int32Array[] = [];
      const oa: Float64Array[] = [];
      for (let j = 0; j < rest.length; j++)
        if (j !== k) {
          oc.push(codes[j] as Int32Array);
          oa.push((j < k ? nxt[j] : cur[j]) as Float64Array);
        }
      restBlock(a, codes[k] as Int32Array, a0, oc, oa);
      const s = S[q] as Float64Array,
        ws = W[q] as Float64Array,
        out = nxt[k] as Float64Array;
      for (let g = 0; g < size; g++) {
        const wg = ws[g] as number;
        for (let c = 0; c < B; c++) out[g * B + c] = wg > 0 ? ((s[g * B + c] as number) - (a[g * B + c] as number)) / wg : 0;
      }
    }
  }

  /** Columns cs's residuals x − Σ_q α_q[g_q(i)] and coefficients, from the interleaved state (one pass per factor for all of them). */
  function resultsOf(a0: Float64Array, z: Float64Array, cs: readonly number[], iterations: number, converged: boolean): void {
    const v: Float64Array[] = new Array(Q);
    views(z).forEach((a, k) => (v[rest[k] as number] = a));
    v[p0] = a0;
    const res = cs.map((c) => Float64Array.from(xs[c] as Float64Array));
    const L = cs.length;
    for (let q = 0; q < Q; q++) {
      const cq = (F[q] as Factor).codes,
        a = v[q] as Float64Array;
      if (L === 4 && B === 4) {
        const r0 = res[0] as Float64Array,
          r1 = res[1] as Float64Array,
          r2 = res[2] as Float64Array,
          r3 = res[3] as Float64Array;
        for (let i = 0; i < n; i++) {
          const h = (cq[i] as number) * 4;
          r0[i] -= a[h] as number;
          r1[i] -= a[h + 1] as number;
          r2[i] -= a[h + 2] as number;
          r3[i] -= a[h + 3] as number;
        }
      } else
        for (let l = 0; l < L; l++) {
          const r0 = res[l] as Float64Array,
            c0 = cs[l] as number;
          for (let i = 0; i < n; i++) r0[i] -= a[(cq[i] as number) * B + c0] as number;
        }
    }
    cs.forEach((c, l) => {
      const alpha = v.map((a) => {
        const G = a.length / B;
        const o = new Float64Array(G);
        for (let g = 0; g < G; g++) o[g] = a[g * B + c] as number;
        return o;
      });
      out[c] = { residual: res[l] as Float64Array, alpha, iterations, converged };
    });
  }

  const X = new Float64Array(m * B);
  const GX = new Float64Array(m * B);
  const GGX = new Float64Array(m * B);
  const a0GX = new Float64Array(size0 * B);
  const a0GGX = new Float64Array(size0 * B);
  sweep(X, a0GX, GX);
  if (Q === 1) {
    resultsOf(
      a0GX,
      GX,
      xs.map((_, c) => c),
      1,
      true,
    );
    return out as MapCoefficientsResult[];
  }
  const num = new Float64Array(B),
    den = new Float64Array(B),
    change = new Float64Array(B),
    blockChange = new Float64Array(B);
  // (the loops of each step are small functions of their own, so that the compiler optimises them
  // early in a one-shot run instead of waiting for this whole function)
  /** num, den (the Irons–Tuck step) and the change bound Σ_q max_g |Δα_q[g]|, per column. */
  function measure(): void {
    num.fill(0);
    den.fill(0);
    change.fill(0);
    for (let k = 0; k < rest.length; k++) {
      const lo = offsets[k] as number,
        hi = lo + (F[rest[k] as number] as Factor).size;
      blockChange.fill(0);
      for (let j = lo; j < hi; j++)
        for (let c = 0; c < B; c++) {
          const g1 = GX[j * B + c] as number,
            g2 = GGX[j * B + c] as number;
          const d1 = g2 - g1;
          const d2 = d1 - (g1 - (X[j * B + c] as number));
          num[c] += d1 * d2;
          den[c] += d2 * d2;
          blockChange[c] = Math.max(blockChange[c] as number, Math.abs(d1));
        }
      for (let c = 0; c < B; c++) change[c] += blockChange[c] as number;
    }
    blockChange.fill(0);
    for (let g = 0; g < size0; g++)
      for (let c = 0; c < B; c++)
        blockChange[c] = Math.max(blockChange[c] as number, Math.abs((a0GGX[g * B + c] as number) - (a0GX[g * B + c] as number)));
  }
  /** X ← GGX − [(δGX·δ²X)/(δ²X·δ²X)] δGX per column (GGX where δ²X vanishes). */
  function extrapolate(): void {
    for (let c = 0; c < B; c++) {
      const dc = den[c] as number;
      const coef = dc > 0 ? (num[c] as number) / dc : 0;
      if (dc > 0)
        for (let j = 0; j < m; j++)
          X[j * B + c] = (GGX[j * B + c] as number) - coef * ((GGX[j * B + c] as number) - (GX[j * B + c] as number));
      else for (let j = 0; j < m; j++) X[j * B + c] = GGX[j * B + c] as number;
    }
  }
  let left = B;
  let iter = 1;
  for (; iter < maxIter; iter++) {
    // a heartbeat for the thread that waits on this block (map-columns.ts): outside the arithmetic
    if (progress) Atomics.add(progress, 0, 1);
    sweep(GX, a0GGX, GGX);
    // Irons–Tuck on the accelerated coefficients, per column: X' = GGX − [(δGX·δ²X)/(δ²X·δ²X)] δGX
    measure();
    const now: number[] = [];
    for (let c = 0; c < B; c++) {
      change[c] += blockChange[c] as number;
      if (!out[c] && (change[c] as number) / (scale[c] as number) < tol) now.push(c);
    }
    if (now.length) {
      resultsOf(a0GGX, GGX, now, iter + 1, true);
      left -= now.length;
    }
    if (left === 0) return out as MapCoefficientsResult[];
    extrapolate();
    sweep(X, a0GX, GX);
  }
  resultsOf(
    a0GX,
    GX,
    xs.map((_, c) => c).filter((c) => !out[c]),
    iter,
    false,
  );
  return out as MapCoefficientsResult[];
}

/**
 * What `mapCoefficients` needs of a design, built once for all its columns: the observations
 * ordered by the largest fixed effect (counting sort; its groups become contiguous runs, so its
 * sums need no scatter and the other effects' coefficients are read in cache-friendly runs),
 * the other factors' codes in that order, and the weight sums.
 */
export interface MapCoefficientsPlan {
  readonly factors: readonly Factor[];
  /** Factor indices, largest first. */
  readonly order: readonly number[];
  /** order[1..]: the factors whose coefficients are accelerated. */
  readonly rest: readonly number[];
  readonly offsets: readonly number[];
  /** Σ of the sizes of `rest`. */
  readonly m: number;
  /** The largest factor's codes in that order (non-decreasing: level g's observations are one run). */
  readonly sorted: Int32Array;
  /** Codes of rest[k] in that order. */
  readonly codes: readonly Int32Array[];
  /** Weights in that order, and in the original order. */
  readonly weights?: Float64Array;
  readonly rowWeights?: Float64Array;
  /** W_q[g] = Σ_{i∈g} w_i. */
  readonly W: readonly Float64Array[];
}

/** Build the plan of `mapCoefficients` for a design (see `MapCoefficientsPlan`). */
export function mapCoefficientsPlan(fe: { readonly factors: readonly Factor[]; readonly weights?: Float64Array }): MapCoefficientsPlan {
  const F = fe.factors;
  const n = (F[0] as Factor).codes.length;
  const rw = fe.weights;
  const order = F.map((_, q) => q).sort((a, b) => (F[b] as Factor).size - (F[a] as Factor).size || a - b);
  const p0 = order[0] as number;
  const rest = order.slice(1);
  const offsets: number[] = [];
  let m = 0;
  for (const q of rest) {
    offsets.push(m);
    m += (F[q] as Factor).size;
  }
  const c0 = (F[p0] as Factor).codes;
  const size0 = (F[p0] as Factor).size;
  for (let q = 0; q < F.length; q++) {
    const f = F[q] as Factor;
    const c = f.codes;
    if (c.length !== n) throw new RangeError(`mapCoefficientsPlan: factor ${q} has ${c.length} codes for ${n} observations`);
    for (let i = 0; i < n; i++) {
      const v = c[i] as number;
      if (!(v >= 0 && v < f.size))
        throw new RangeError(
          `mapCoefficientsPlan: factor ${q} has code ${v} at observation ${i} (levels 0..${f.size - 1}; missing values must be dropped first)`,
        );
    }
  }
  const start = new Int32Array(size0 + 1);
  for (let i = 0; i < n; i++) start[(c0[i] as number) + 1]++;
  for (let g = 0; g < size0; g++) start[g + 1] += start[g] as number;
  const pos = start.slice(0, size0);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[pos[c0[i] as number]++] = i;
  const inOrder = (c: Int32Array): Int32Array => {
    const o = new Int32Array(n);
    for (let k = 0; k < n; k++) o[k] = c[perm[k] as number] as number;
    return o;
  };
  const sorted = inOrder(c0);
  const codes = rest.map((q) => inOrder((F[q] as Factor).codes));
  const W = F.map((f) => {
    const s = new Float64Array(f.size);
    const c = f.codes;
    if (rw) for (let i = 0; i < n; i++) s[c[i] as number] += rw[i] as number;
    else for (let i = 0; i < n; i++) s[c[i] as number] += 1;
    return s;
  });
  let weights: Float64Array | undefined;
  if (rw) {
    weights = new Float64Array(n);
    for (let k = 0; k < n; k++) weights[k] = rw[perm[k] as number] as number;
  }
  return { factors: F, order, rest, offsets, m, sorted, codes, ...(rw ? { weights, rowWeights: rw } : {}), W };
}
