import { Matrix, QrDecomposition } from "ml-matrix";
import { type Table, column, numeric, table } from "../data/table";
import { ArgumentError, DataError, EstimationError } from "../util/errors";
import { keyAt, keysOf, numberAt } from "../data/keys";
import { mapF64From } from "../util/typed-map";

/** Outcome, regressor, share columns Z_k, shifts G_k, controls, weights and cluster of `rotembergWeights`. */
export interface RotembergInput {
  y: Float64Array;
  x: Float64Array;
  /** K instrument columns (shares), each of length n. */
  Z: readonly Float64Array[];
  /** K shifts. */
  G: Float64Array;
  /** Control columns, each of length n (an intercept is appended unless `intercept: false`). */
  controls?: readonly Float64Array[];
  /** Regression (analytic) weights, length n; all ones when absent. */
  weight?: Float64Array;
  intercept?: boolean;
  /** Cluster ids for the per-instrument first-stage F (CR1); homoskedastic F when absent. */
  cluster?: ArrayLike<string | number>;
}

/** Per-instrument α_k, β_k, π_k, γ_k, F_k and the Bartik 2SLS estimate Σ α_k β_k. */
export interface RotembergResult {
  alpha: Float64Array;
  beta: Float64Array;
  /** First-stage coefficient of x on Z_k (with controls). */
  pi: Float64Array;
  /** Reduced-form coefficient of y on Z_k (with controls). */
  gamma: Float64Array;
  /** First-stage F of Z_k. */
  F: Float64Array;
  /** Σ_k α_k β_k. */
  betaBartik: number;
  /** The same estimate computed directly as B'Ω ỹ / B'Ω x̃ with B = Σ G_k Z_k. */
  betaBartikDirect: number;
  n: number;
  K: number;
}

/** Weighted residuals of the columns of V (n × m) on WW, via QR of √w·WW. */
function residualize(WW: Matrix, sw: Float64Array, V: Matrix): Matrix {
  const n = WW.rows;
  const A = WW.clone();
  for (let i = 0; i < n; i++) for (let j = 0; j < A.columns; j++) A.set(i, j, A.get(i, j) * (sw[i] as number));
  const qr = new QrDecomposition(A);
  if (!qr.isFullRank()) throw new EstimationError("the controls (with intercept) are collinear: rank-deficient design");
  const B = V.clone();
  for (let i = 0; i < n; i++) for (let j = 0; j < B.columns; j++) B.set(i, j, B.get(i, j) * (sw[i] as number));
  const coef = qr.solve(B);
  return V.clone().sub(WW.mmul(coef));
}

/**
 * Rotemberg weights of a Bartik instrument (Goldsmith-Pinkham, Sorkin & Swift 2020, AER 110(8),
 * "Bartik Instruments: What, When, Why, and How", §III and Appendix), with the conventions of
 * the authors' code, paulgp/bartik-weight: R `bartik.weight::bw()` → `src/bw.cpp`
 * `ComputeAlphaBeta`, and Stata `code/bartik_weight.ado` (mata `weights()`):
 *
 *   WW  = [controls, 1]   (the intercept is always appended; `intercept: false` drops it)
 *   Ω   = diag(weight)    (analytic/regression weights; identity when absent)
 *   M_W = I − WW (WW'Ω WW)⁻¹ WW'Ω,   x̃ = M_W x,   ỹ = M_W y
 *   α_k = G_k · Z_k'Ω x̃ / Σ_j G_j · Z_j'Ω x̃          (Σ_k α_k = 1)
 *   β_k = Z_k'Ω ỹ / Z_k'Ω x̃                            (just-identified IV with instrument Z_k)
 *   Σ_k α_k β_k = B'Ω ỹ / B'Ω x̃ = β̂_Bartik-2SLS,      B = Σ_k G_k Z_k
 *
 * Z_k are the raw (not residualised) share columns, exactly as in the authors' code (the result
 * is the same with M_W Z_k because M_W'Ω M_W = Ω M_W). M_W is applied through a QR
 * decomposition of √Ω·WW, never an explicit inverse.
 *
 * Also returned per instrument, as in `bartik_weight.ado` and `make_rotemberg_summary_ADH.do`:
 * the first-stage coefficient π_k (x on Z_k and controls), the reduced-form coefficient γ_k
 * (y on Z_k and controls) and the first-stage F = (π_k / se(π_k))² — homoskedastic (Stata
 * `regress [aweight]`, df n − p) by default, or cluster-robust CR1 (Stata `, cluster()`:
 * ×G/(G−1)·(n−1)/(n−p)) when `cluster` is given; p = #controls + intercept + 1. Both are
 * invariant to the scale of the weights. Note: the authors' Stata summary computes F for the
 * industry-level instrument pooled over periods (share × g); here F is per column Z_k.
 * Industries with G_k = 0 get α_k = 0 (β_k is still defined).
 *
 * @example
 *   const r = rotembergWeights({ y, x, Z: [z1, z2], G: Float64Array.of(1, 2), controls: [w1] });
 *   r.alpha; // Float64Array(2), sums to 1
 *   r.betaBartik; // Σ α_k β_k, the Bartik 2SLS estimate
 */
export function rotembergWeights(input: RotembergInput): RotembergResult {
  const n = input.x.length;
  const K = input.Z.length;
  if (input.y.length !== n) throw new ArgumentError(`y has length ${input.y.length}, x has ${n}`);
  if (input.G.length !== K) throw new ArgumentError(`G has length ${input.G.length} but there are ${K} instruments`);
  const controls = input.controls ?? [];
  const intercept = input.intercept ?? true;
  const w = input.weight ?? new Float64Array(n).fill(1);
  if (w.length !== n) throw new ArgumentError(`weight has length ${w.length}, expected ${n}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(input.y[i] as number) || !Number.isFinite(input.x[i] as number) || !Number.isFinite(w[i] as number))
      throw new DataError("NA or non-finite y, x or weight (drop incomplete rows first)", { row: i + 1 });
    if ((w[i] as number) < 0) throw new DataError("negative weight", { row: i + 1 });
  }
  controls.forEach((c, j) => {
    if (c.length !== n) throw new ArgumentError(`control ${j + 1} has length ${c.length}, expected ${n}`);
    for (let i = 0; i < n; i++) if (!Number.isFinite(c[i] as number)) throw new DataError(`NA in control ${j + 1}`, { row: i + 1 });
  });
  input.Z.forEach((z, k) => {
    if (z.length !== n) throw new ArgumentError(`instrument ${k + 1} has length ${z.length}, expected ${n}`);
  });
  const p0 = controls.length + (intercept ? 1 : 0);
  const sw = new Float64Array(n);
  for (let i = 0; i < n; i++) sw[i] = Math.sqrt(w[i] as number);

  // [x, y, Z_1..Z_K] residualised together
  const V = new Matrix(n, 2 + K);
  for (let i = 0; i < n; i++) {
    V.set(i, 0, input.x[i] as number);
    V.set(i, 1, input.y[i] as number);
    for (let k = 0; k < K; k++) {
      const v = (input.Z[k] as Float64Array)[i] as number;
      if (!Number.isFinite(v))
        throw new DataError(`NA or non-finite share in instrument ${k + 1} (use 0 for absent industries)`, { row: i + 1 });
      V.set(i, 2 + k, v);
    }
  }
  let R: Matrix;
  if (p0 > 0) {
    const WW = new Matrix(n, p0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < controls.length; j++) WW.set(i, j, (controls[j] as Float64Array)[i] as number);
      if (intercept) WW.set(i, controls.length, 1);
    }
    R = residualize(WW, sw, V);
  } else R = V;
  const xx = R.getColumn(0);
  const yy = R.getColumn(1);

  const alpha = new Float64Array(K);
  const beta = new Float64Array(K);
  const pi = new Float64Array(K);
  const gamma = new Float64Array(K);
  const F = new Float64Array(K);
  const zx = new Float64Array(K);
  let den = 0;
  let bx = 0;
  let by = 0;
  // cluster index
  let cl: Int32Array | null = null;
  let nCl = 0;
  if (input.cluster) {
    if (input.cluster.length !== n) throw new ArgumentError(`cluster has length ${input.cluster.length}, expected ${n}`);
    const m = new Map<string | number, number>();
    cl = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = input.cluster[i] as string | number;
      let g = m.get(c);
      if (g === undefined) m.set(c, (g = m.size));
      cl[i] = g;
    }
    nCl = m.size;
  }
  const p = p0 + 1;
  const clSum = cl ? new Float64Array(nCl) : null;
  for (let k = 0; k < K; k++) {
    const z = input.Z[k] as Float64Array;
    let zwx = 0;
    let zwy = 0;
    let zzwx = 0;
    let zzwy = 0;
    let zzwzz = 0;
    for (let i = 0; i < n; i++) {
      const wi = w[i] as number;
      const zi = z[i] as number;
      const zz = R.get(i, 2 + k);
      zwx += zi * wi * (xx[i] as number);
      zwy += zi * wi * (yy[i] as number);
      zzwx += zz * wi * (xx[i] as number);
      zzwy += zz * wi * (yy[i] as number);
      zzwzz += zz * wi * zz;
    }
    zx[k] = zwx;
    const gk = input.G[k] as number;
    den += gk * zwx;
    bx += gk * zwx;
    by += gk * zwy;
    beta[k] = zwy / zwx;
    pi[k] = zzwx / zzwzz;
    gamma[k] = zzwy / zzwzz;
    // first-stage F for pi[k]
    if (!(zzwzz > 0)) {
      F[k] = NaN;
      continue;
    }
    const pk = pi[k] as number;
    if (cl && clSum) {
      clSum.fill(0);
      for (let i = 0; i < n; i++) {
        const e = (xx[i] as number) - pk * R.get(i, 2 + k);
        clSum[cl[i] as number] += (w[i] as number) * R.get(i, 2 + k) * e;
      }
      let s = 0;
      for (let g = 0; g < nCl; g++) s += (clSum[g] as number) ** 2;
      const v = ((nCl / (nCl - 1)) * ((n - 1) / (n - p)) * s) / (zzwzz * zzwzz);
      F[k] = (pk * pk) / v;
    } else {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const e = (xx[i] as number) - pk * R.get(i, 2 + k);
        s += (w[i] as number) * e * e;
      }
      const v = s / (n - p) / zzwzz;
      F[k] = (pk * pk) / v;
    }
  }
  if (den === 0) throw new EstimationError("Σ_k G_k Z_k'Ω x̃ = 0: the Bartik instrument has no first stage");
  let bb = 0;
  for (let k = 0; k < K; k++) {
    alpha[k] = ((input.G[k] as number) * (zx[k] as number)) / den;
    const ab = (alpha[k] as number) * (beta[k] as number);
    if (alpha[k] !== 0) bb += ab; // α_k = 0 (G_k = 0) contributes nothing even if β_k is not finite
  }
  return { alpha, beta, pi, gamma, F, betaBartik: bb, betaBartikDirect: by / bx, n, K };
}

/** One instrument's row: period, industry, shift g and its statistics. */
export interface RotembergRow {
  year: number;
  ind: string;
  g: number;
  alpha: number;
  beta: number;
  pi: number;
  gamma: number;
  F: number;
}

export interface RotembergLongOptions {
  /** Unit × period table with y, x, weight and controls. */
  master: Table;
  /** Long shares: unit, period, industry, share (zero shares may be omitted). */
  shares: Table;
  /** Shifts: period, industry, g. One instrument per row, in this order. */
  shocks: Table;
  y: string;
  x: string;
  controls?: readonly string[];
  weight?: string;
  intercept?: boolean;
  /** Column names; defaults: unit "czone", time "year", industry "ind", share "share", shock "g". */
  unit?: string;
  time?: string;
  industry?: string;
  share?: string;
  shock?: string;
  /** Master column of cluster ids for the first-stage F (default: homoskedastic F). */
  cluster?: string;
}

export interface RotembergLongReport {
  /** Share industries with no shock in that period (not instruments), with their row counts. */
  unmatchedIndustries: { year: number; ind: string; rows: number }[];
  /** Share rows whose (unit, period) is not in master. */
  sharesWithoutMaster: number;
  /** Instruments whose column is entirely zero. */
  zeroInstruments: number;
}

/**
 * Rotemberg weights from long-format data, built as in GPSS's ADH example: one instrument per
 * (period Y, industry k) row of `shocks`, whose column is share_k for master rows of period Y
 * and 0 for the other periods ("t{Y}_sh_ind_{k}"); missing (unit, period, industry) shares are
 * 0. Returns all K rows `{year, ind, g, alpha, beta, pi, gamma, F}` in the order of `shocks`,
 * the full result, and a report of share rows that could not be used (never dropped silently).
 *
 * @example
 *   const { rows } = rotembergLong({ master, shares, shocks, y: "d_sh_empl_mfg", x: "d_tradeusch_pw",
 *     controls, weight: "timepwt48" });
 *   rotembergTop(rows, 5); // the 5 largest α_k
 */
export function rotembergLong(o: RotembergLongOptions): { rows: RotembergRow[]; result: RotembergResult; report: RotembergLongReport } {
  const unit = o.unit ?? "czone";
  const time = o.time ?? "year";
  const ind = o.industry ?? "ind";
  const shareName = o.share ?? "share";
  const shockName = o.shock ?? "g";
  const m = o.master;
  const n = m.nrows;
  const rowOf = new Map<string, number>();
  const mTime = column(m, time);
  const mUnit = column(m, unit);
  for (let i = 0; i < n; i++) {
    const u = keyAt(mUnit, i);
    const yv = numberAt(mTime, i, m.source, time);
    if (u === null || Number.isNaN(yv)) throw new DataError("NA unit or period", { file: m.source, row: i + 1 });
    const k = u + "\u001f" + String(yv);
    if (rowOf.has(k)) throw new DataError(`duplicate (unit, period) (${u}, ${yv})`, { file: m.source, row: i + 1 });
    rowOf.set(k, i);
  }
  // instruments
  const s = o.shocks;
  const sYear = column(s, time);
  const sInd = keysOf(column(s, ind));
  const G = numeric(s, shockName);
  const K = s.nrows;
  const instr = new Map<string, number>();
  const years: number[] = [];
  for (let k = 0; k < K; k++) {
    const yv = numberAt(sYear, k, s.source, time);
    const iv = sInd[k];
    if (iv === null || iv === undefined || Number.isNaN(yv)) throw new DataError("NA period or industry", { file: s.source, row: k + 1 });
    const key = yv + "\u001f" + iv;
    if (instr.has(key)) throw new DataError(`duplicate shock for (${yv}, ${iv})`, { file: s.source, row: k + 1 });
    if (!Number.isFinite(G[k] as number)) throw new DataError("NA or non-finite shock", { file: s.source, column: shockName, row: k + 1 });
    instr.set(key, k);
    years.push(yv);
  }
  const Z: Float64Array[] = [];
  for (let k = 0; k < K; k++) Z.push(new Float64Array(n));
  const sh = o.shares;
  const shUnit = column(sh, unit);
  const shYear = column(sh, time);
  const shInd = column(sh, ind);
  const shVal = numeric(sh, shareName);
  const unmatched = new Map<string, { year: number; ind: string; rows: number }>();
  let sharesWithoutMaster = 0;
  for (let r = 0; r < sh.nrows; r++) {
    const u = keyAt(shUnit, r);
    const yv = numberAt(shYear, r, sh.source, time);
    const iv = keyAt(shInd, r);
    if (u === null || iv === null || Number.isNaN(yv)) throw new DataError("NA unit, period or industry", { file: sh.source, row: r + 1 });
    const i = rowOf.get(u + "\u001f" + String(yv));
    const k = instr.get(yv + "\u001f" + iv);
    if (k === undefined) {
      const key = yv + "\u001f" + iv;
      const e = unmatched.get(key);
      if (e) e.rows++;
      else unmatched.set(key, { year: yv, ind: iv, rows: 1 });
      continue;
    }
    if (i === undefined) {
      sharesWithoutMaster++;
      continue;
    }
    const v = shVal[r] as number;
    if (Number.isNaN(v)) throw new DataError("NA share", { file: sh.source, column: shareName, row: r + 1 });
    const zk = Z[k] as Float64Array;
    if (zk[i] !== 0) throw new DataError(`duplicate share for (${u}, ${yv}, ${iv})`, { file: sh.source, row: r + 1 });
    zk[i] = v;
  }
  let zeroInstruments = 0;
  for (let k = 0; k < K; k++) if ((Z[k] as Float64Array).every((v) => v === 0)) zeroInstruments++;
  const w = o.weight ? numeric(m, o.weight) : undefined;
  const cluster = o.cluster ? keysOf(column(m, o.cluster)).map((c) => c ?? "") : undefined;
  const result = rotembergWeights({
    y: numeric(m, o.y),
    x: numeric(m, o.x),
    Z,
    G,
    controls: (o.controls ?? []).map((c) => numeric(m, c)),
    weight: w,
    intercept: o.intercept,
    cluster,
  });
  const rows: RotembergRow[] = [];
  for (let k = 0; k < K; k++)
    rows.push({
      year: years[k] as number,
      ind: sInd[k] as string,
      g: G[k] as number,
      alpha: result.alpha[k] as number,
      beta: result.beta[k] as number,
      pi: result.pi[k] as number,
      gamma: result.gamma[k] as number,
      F: result.F[k] as number,
    });
  return { rows, result, report: { unmatchedIndustries: [...unmatched.values()], sharesWithoutMaster, zeroInstruments } };
}

/** The `n` rows with the largest α (R `top_n(n, alpha) %>% arrange(desc(alpha))`). */
export function rotembergTop(rows: readonly RotembergRow[], n = 5): RotembergRow[] {
  return [...rows].sort((a, b) => b.alpha - a.alpha).slice(0, n);
}

/**
 * GPSS Table 5 panels A and E style summary: sums, means and shares of positive and negative
 * weights, and the α-weighted β of each sign (their sum is Σ α_k β_k). Rows with α = 0 count
 * as neither sign.
 */
export function rotembergSummary(rows: readonly RotembergRow[]): {
  sumPositive: number;
  sumNegative: number;
  meanPositive: number;
  meanNegative: number;
  sharePositive: number;
  shareNegative: number;
  betaWeightedPositive: number;
  betaWeightedNegative: number;
  betaBartik: number;
  sumAlphaByYear: Record<string, number>;
} {
  let sp = 0,
    sn = 0,
    np = 0,
    nn = 0,
    bp = 0,
    bn = 0;
  const byYear: Record<string, number> = {};
  for (const r of rows) {
    byYear[String(r.year)] = (byYear[String(r.year)] ?? 0) + r.alpha;
    if (r.alpha > 0) ((sp += r.alpha), np++, (bp += r.alpha * r.beta));
    else if (r.alpha < 0) ((sn += r.alpha), nn++, (bn += r.alpha * r.beta));
  }
  const tot = Math.abs(sp) + Math.abs(sn);
  return {
    sumPositive: sp,
    sumNegative: sn,
    meanPositive: np ? sp / np : NaN,
    meanNegative: nn ? sn / nn : NaN,
    sharePositive: Math.abs(sp) / tot,
    shareNegative: Math.abs(sn) / tot,
    betaWeightedPositive: bp,
    betaWeightedNegative: bn,
    betaBartik: bp + bn,
    sumAlphaByYear: byYear,
  };
}

/**
 * All instrument rows as a column table `year, ind, g, alpha, beta, pi, gamma, F` (for export:
 * the ADH example gives 780 rows = 390 industries × 2 periods).
 *
 * @example
 *   const t = rotembergTable(rotembergLong({ ... }).rows); // t.nrows === 780 on ADH
 */
export function rotembergTable(rows: readonly RotembergRow[]): Table {
  return table({
    year: mapF64From(rows, (r) => r.year),
    ind: rows.map((r) => r.ind),
    g: mapF64From(rows, (r) => r.g),
    alpha: mapF64From(rows, (r) => r.alpha),
    beta: mapF64From(rows, (r) => r.beta),
    pi: mapF64From(rows, (r) => r.pi),
    gamma: mapF64From(rows, (r) => r.gamma),
    F: mapF64From(rows, (r) => r.F),
  });
}
