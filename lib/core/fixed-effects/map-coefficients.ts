import type { Factor } from "./factorize";

/** One column demeaned by `mapCoefficients`: the residual, the fixed-effect coefficients, and the convergence report. */
export interface MapCoefficientsResult {
  /** x − Σ_q α_q[g_q(i)]. */
  readonly residual: Float64Array;
  /** α_q, one array per factor, in the factors' order (one normalisation among many; the fitted sums are unique). */
  readonly alpha: Float64Array[];
  /** Accelerated iterations (each two Gauss–Seidel sweeps; the grand acceleration's sweep, one every twelve iterations, is not counted). */
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
 * `mapCoefficients` on up to eight columns at once, their coefficients interleaved (level g of
 * column c at g·B + c), so that one pass over the codes serves every column and each coefficient
 * gathered from memory brings its neighbours' with it (eight columns: one cache line). The loops
 * over the observations are unrolled over the block's columns, generated once per shape (width,
 * weights, number of factors) and kept: V8 compiles such a loop to straight-line code, where a
 * loop over the columns inside the loop over the observations would not be. Each column keeps
 * its own acceleration steps and its own stopping rule, and its arithmetic is the same
 * operations in the same order as alone, so its result is bit for bit that of
 * `mapCoefficients` on it alone, whichever columns share its block (tested). A column that has
 * converged rides along with the others, unchanged in its result.
 *
 * Besides the Irons–Tuck step of every iteration, every fourth iteration keeps its G X; after
 * three such, (Y, GY, GGY), one more Irons–Tuck step on that coarser sequence gives a new X (the
 * "grand acceleration" of fixest's demeaning, `iter_grandAcc = 4`). Unlike fixest, which
 * extrapolates into Y and goes on from G Y with the old X, the iteration goes on from the new X,
 * and only in the columns where it lies closer to the fixed point (max |G X − X| smaller than at
 * the X it replaces); the others go on from where they were. Unguarded, the step can lock into a
 * cycle that never meets the stopping rule (a review found designs that converged without it
 * fail at 10,000 iterations); guarded, it cut the iterations of 30 slow-mixing designs from
 * 92,950 to 50,977 (unguarded: 74,540), and those of firm + city × product + year from 33 to 26.
 * Its extra sweep (one every twelve iterations) is not counted in `iterations`.
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
  const B = xs.length;
  if (B > 8) throw new RangeError(`mapCoefficientsBlock: at most 8 columns a block, got ${B}`);
  const Q = F.length;
  const n = B ? (xs[0] as Float64Array).length : 0;
  const p0 = order[0] as number;
  const size0 = (F[p0] as Factor).size;
  const R = rest.length;
  const out: (MapCoefficientsResult | undefined)[] = new Array(B);
  if (B === 0) return [];

  // The loop kernels, generated per shape and kept on this function (its source text is all the
  // worker thread of map-columns.ts receives). Column c of every kernel does the same operations
  // in the same order whatever B is: that is what makes a column's result independent of its block.
  type Kernel = (...args: unknown[]) => void;
  const cache = ((mapCoefficientsBlock as unknown as { kernels?: Map<string, Kernel> }).kernels ??= new Map());
  const cols = (f: (c: number) => string): string => Array.from({ length: B }, (_, c) => f(c)).join("\n");
  const kernel = (key: string, params: string[], body: () => string): Kernel => {
    let k = cache.get(key);
    if (!k) cache.set(key, (k = new Function(...params, `"use strict";\n${body()}`) as Kernel));
    return k;
  };
  const others = (r: number, prefix: string): string[] => Array.from({ length: r }, (_, j) => `${prefix}${j}`);
  const sumOf = (head: string[], c: number): string => head.map((h) => `${h}[${h === "f" ? "g" : "h" + h.slice(1)} + ${c}]`).join(" + ");
  /** out[g0[k]] += w_k Σ_j a_j[c_j[k]] (the largest factor's sums of the others' coefficients, over the ordered observations). */
  const firstKernel = (r: number): Kernel =>
    kernel(`first|${B}|${w ? 1 : 0}|${r}`, ["out", "g0", "n", "w", ...others(r, "c"), ...others(r, "a")], () =>
      r === 0
        ? ""
        : `for (let k = 0; k < n; k++) {
  const g = g0[k] * ${B}${w ? ", wk = w[k]" : ""};
  ${others(r, "")
    .map((j) => `const h${j} = c${j}[k] * ${B};`)
    .join(" ")}
  ${cols((c) => `out[g + ${c}] += ${w ? "wk * (" : ""}${sumOf(others(r, "a"), c)}${w ? ")" : ""};`)}
}`,
    );
  /** out[t(k)] += w_k (f[g0[k]] + Σ_j a_j[c_j[k]]) (a smaller factor's sums of the others' coefficients). */
  const restKernel = (r: number): Kernel =>
    kernel(
      `rest|${B}|${w ? 1 : 0}|${r}`,
      ["out", "tc", "g0", "n", "w", "f", ...others(r, "c"), ...others(r, "a")],
      () =>
        `for (let k = 0; k < n; k++) {
  const t = tc[k] * ${B}, g = g0[k] * ${B}${w ? ", wk = w[k]" : ""};
  ${others(r, "")
    .map((j) => `const h${j} = c${j}[k] * ${B};`)
    .join(" ")}
  ${cols((c) => `out[t + ${c}] += ${w ? "wk * (" : ""}${sumOf(["f", ...others(r, "a")], c)}${w ? ")" : ""};`)}
}`,
    );
  /** dst[g] = (S[g] − acc[g]) / W[g] per column (0 for a level without weight: nothing reads it, and 0/0 would stall the stopping rule). */
  const divide = kernel(
    `divide|${B}`,
    ["dst", "S", "acc", "W", "size"],
    () =>
      `for (let g = 0; g < size; g++) {
  const wg = W[g], b = g * ${B};
  if (wg > 0) {
    ${cols((c) => `dst[b + ${c}] = (S[b + ${c}] - acc[b + ${c}]) / wg;`)}
  } else {
    ${cols((c) => `dst[b + ${c}] = 0;`)}
  }
}`,
  );
  /** s[cq[i]] += w_i x_i per column, in the original row order. */
  const sumsKernel = kernel(
    `sums|${B}|${plan.rowWeights ? 1 : 0}`,
    ["s", "cq", "n", "w", ...others(B, "x")],
    () =>
      `for (let i = 0; i < n; i++) {
  const h = cq[i] * ${B}${plan.rowWeights ? ", wi = w[i]" : ""};
  ${cols((c) => `s[h + ${c}] += ${plan.rowWeights ? "wi * " : ""}x${c}[i];`)}
}`,
  );

  const scale = new Float64Array(B);
  for (let c = 0; c < B; c++) {
    const x = xs[c] as Float64Array;
    let sc = 0;
    for (let i = 0; i < n; i++) sc = Math.max(sc, Math.abs(x[i] as number));
    scale[c] = Math.max(sc, 1e-300);
  }
  // S_q[g·B + c] = Σ_{i∈g} w_i x_ci, in the original row order
  const S = F.map((f) => {
    const s = new Float64Array(f.size * B);
    sumsKernel(s, f.codes, n, plan.rowWeights, ...xs);
    return s;
  });
  const views = (z: Float64Array): Float64Array[] =>
    rest.map((q, k) => z.subarray((offsets[k] as number) * B, ((offsets[k] as number) + (F[q] as Factor).size) * B));
  const acc = new Float64Array(m * B);
  const first = firstKernel(R);
  const restK = R > 0 ? restKernel(R - 1) : first;

  /** One Gauss–Seidel sweep: z (coefficients of `rest`) → a0 (the largest factor's) and zOut. */
  function sweep(z: Float64Array, a0: Float64Array, zOut: Float64Array): void {
    const cur = views(z);
    const nxt = views(zOut);
    a0.fill(0);
    first(a0, g0, n, w, ...codes, ...cur);
    divide(a0, S[p0], a0, W[p0], size0);
    for (let k = 0; k < R; k++) {
      const q = rest[k] as number;
      const size = (F[q] as Factor).size;
      const a = acc.subarray(0, size * B);
      a.fill(0);
      // the others' latest coefficients: updated earlier in this sweep (before k) or not yet (after k)
      const oc: Int32Array[] = [];
      const oa: Float64Array[] = [];
      for (let j = 0; j < R; j++)
        if (j !== k) {
          oc.push(codes[j] as Int32Array);
          oa.push((j < k ? nxt[j] : cur[j]) as Float64Array);
        }
      restK(a, codes[k], g0, n, w, a0, ...oc, ...oa);
      divide(nxt[k], S[q], a, W[q], size);
    }
  }

  /** Columns cs's residuals x − Σ_q α_q[g_q(i)] and coefficients, from the interleaved state. */
  function resultsOf(a0: Float64Array, z: Float64Array, cs: readonly number[], iterations: number, converged: boolean): void {
    const v: Float64Array[] = new Array(Q);
    views(z).forEach((a, k) => (v[rest[k] as number] = a));
    v[p0] = a0;
    const res = cs.map((c) => Float64Array.from(xs[c] as Float64Array));
    // one kernel per number of columns (their offsets are arguments: any subset of the block)
    const L = cs.length;
    const resid = kernel(
      `resid|${B}|${L}`,
      ["a", "cq", "n", ...others(L, "o"), ...others(L, "r")],
      () =>
        `for (let i = 0; i < n; i++) {
  const h = cq[i] * ${B};
  ${cs.map((_, l) => `r${l}[i] -= a[h + o${l}];`).join("\n")}
}`,
    );
    for (let q = 0; q < Q; q++) resid(v[q], (F[q] as Factor).codes, n, ...cs, ...res);
    cs.forEach((c, l) => {
      const alpha = v.map((a, q) => {
        const G = a.length / B;
        const o = new Float64Array(G);
        const lab = plan.labels[q];
        for (let g = 0; g < G; g++) o[g] = a[(lab ? (lab[g] as number) : g) * B + c] as number;
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
  /** num, den (the Irons–Tuck step on X, GX, GGX) and the change bound Σ_q max_g |Δα_q[g]|, per column. */
  function measure(): void {
    ironsTuckTerms(X, GX, GGX);
    change.fill(0);
    for (let k = 0; k < R; k++) {
      const lo = offsets[k] as number,
        hi = lo + (F[rest[k] as number] as Factor).size;
      blockChange.fill(0);
      for (let j = lo; j < hi; j++)
        for (let c = 0; c < B; c++)
          blockChange[c] = Math.max(blockChange[c] as number, Math.abs((GGX[j * B + c] as number) - (GX[j * B + c] as number)));
      for (let c = 0; c < B; c++) change[c] += blockChange[c] as number;
    }
    blockChange.fill(0);
    for (let g = 0; g < size0; g++)
      for (let c = 0; c < B; c++)
        blockChange[c] = Math.max(blockChange[c] as number, Math.abs((a0GGX[g * B + c] as number) - (a0GX[g * B + c] as number)));
  }
  /** to ← ggx − [(δGX·δ²X)/(δ²X·δ²X)] δGX per column (ggx where δ²X vanishes), with num and den already measured. */
  function extrapolate(gx: Float64Array, ggx: Float64Array, to: Float64Array): void {
    for (let c = 0; c < B; c++) {
      const dc = den[c] as number;
      const coef = dc > 0 ? (num[c] as number) / dc : 0;
      if (dc > 0)
        for (let j = 0; j < m; j++)
          to[j * B + c] = (ggx[j * B + c] as number) - coef * ((ggx[j * B + c] as number) - (gx[j * B + c] as number));
      else for (let j = 0; j < m; j++) to[j * B + c] = ggx[j * B + c] as number;
    }
  }
  /** num and den of the Irons–Tuck step on (x, gx, ggx), per column. */
  function ironsTuckTerms(x: Float64Array, gx: Float64Array, ggx: Float64Array): void {
    num.fill(0);
    den.fill(0);
    for (let j = 0; j < m; j++)
      for (let c = 0; c < B; c++) {
        const g1 = gx[j * B + c] as number,
          g2 = ggx[j * B + c] as number;
        const d1 = g2 - g1;
        const d2 = d1 - (g1 - (x[j * B + c] as number));
        num[c] += d1 * d2;
        den[c] += d2 * d2;
      }
  }
  const GRAND = 4;
  const Y = new Float64Array(m * B);
  const GY = new Float64Array(m * B);
  let Xs: Float64Array | null = null,
    GXs: Float64Array | null = null,
    A0s: Float64Array | null = null;
  const pre = new Float64Array(B),
    post = new Float64Array(B);
  /** to[c] = max_j |gx − x| over the accelerated coefficients (the fixed-point residual at x), per column. */
  function residualBound(x: Float64Array, gx: Float64Array, to: Float64Array): void {
    to.fill(0);
    for (let j = 0; j < m; j++)
      for (let c = 0; c < B; c++) {
        const d = Math.abs((gx[j * B + c] as number) - (x[j * B + c] as number));
        if (!(d <= (to[c] as number))) to[c] = d;
      }
  }
  let grand = 0;
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
    extrapolate(GX, GGX, X);
    sweep(X, a0GX, GX);
    // the grand acceleration: every GRAND-th G X is kept; the third of them, with the two before,
    // is one more Irons–Tuck triple (Y, GY, GGY = GX), and the iteration goes on from its extrapolation
    if (iter % GRAND === 0) {
      grand++;
      if (grand === 1) Y.set(GX);
      else if (grand === 2) GY.set(GX);
      else {
        // a column keeps the step only if it brings it closer to the fixed point (a smaller
        // residual |G X − X|); otherwise it goes on from where it was
        Xs ??= new Float64Array(m * B);
        GXs ??= new Float64Array(m * B);
        A0s ??= new Float64Array(size0 * B);
        Xs.set(X);
        GXs.set(GX);
        A0s.set(a0GX);
        residualBound(X, GX, pre);
        ironsTuckTerms(Y, GY, GX);
        extrapolate(GY, GX, X);
        sweep(X, a0GX, GX);
        residualBound(X, GX, post);
        for (let c = 0; c < B; c++)
          if (!((post[c] as number) < (pre[c] as number))) {
            for (let j = c; j < m * B; j += B) {
              X[j] = Xs[j] as number;
              GX[j] = GXs[j] as number;
            }
            for (let j = c; j < size0 * B; j += B) a0GX[j] = A0s[j] as number;
          }
        grand = 0;
      }
    }
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
  /** The factors, the levels of all but the largest renumbered (see `labels`). */
  readonly factors: readonly Factor[];
  /** Per factor: original level → its number in `factors` (null: unchanged). */
  readonly labels: readonly (Int32Array | null)[];
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
  // the other factors' levels renumbered by first appearance in that order: the levels met in
  // neighbouring runs get neighbouring numbers, so the coefficients gathered in a sweep share
  // cache lines (a firm's products are one city's runs). The fitted values do not depend on
  // the numbering; `labels` maps each original level to its number here (levels without
  // observations last, in their original order)
  const labels: (Int32Array | null)[] = F.map(() => null);
  const Fp: Factor[] = F.slice();
  for (const q of rest) {
    const f = F[q] as Factor;
    const lab = new Int32Array(f.size).fill(-1);
    let next = 0;
    for (let k = 0; k < n; k++) {
      const v = f.codes[perm[k] as number] as number;
      if (lab[v] === -1) lab[v] = next++;
    }
    for (let g = 0; g < f.size; g++) if (lab[g] === -1) lab[g] = next++;
    const c = new Int32Array(n);
    for (let i = 0; i < n; i++) c[i] = lab[f.codes[i] as number] as number;
    labels[q] = lab;
    Fp[q] = { codes: c, size: f.size };
  }
  const codes = rest.map((q) => inOrder((Fp[q] as Factor).codes));
  const W = Fp.map((f) => {
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
  return { factors: Fp, labels, order, rest, offsets, m, sorted, codes, ...(rw ? { weights, rowWeights: rw } : {}), W };
}
