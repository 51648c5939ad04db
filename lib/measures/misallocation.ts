import { Table, numeric } from "../data/table";
import { ArgumentError, DataError, EstimationError } from "../util/errors";
import { groupByColumn } from "../data/keys";
import { factorize } from "../core/fixed-effects/factorize";
import { demean } from "../core/fixed-effects/demean";
import { mapF64From, mapI32From } from "../util/typed-map";

/** Columns of `misallocation` (unit, year, Y, K, L) and the elasticities (given or estimated). */
export interface MisallocationOptions {
  readonly unit: string;
  readonly year: string;
  readonly y: string;
  readonly k: string;
  readonly l: string;
  readonly elasticities?: { readonly alpha: number; readonly beta: number };
  readonly estimate?: "crs" | "free";
}
/** Elasticities used, and per row γ, τ and the dist/distK/distL indices. */
export interface MisallocationResult {
  readonly alpha: number;
  readonly beta: number;
  readonly elasticitySource: "given" | "crs" | "free";
  /** Observations used in the estimation (0 when given). */
  readonly nobs: number;
  readonly gammaK: Float64Array;
  readonly gammaL: Float64Array;
  readonly tauK: Float64Array;
  readonly tauL: Float64Array;
  readonly distK: Float64Array;
  readonly distL: Float64Array;
  readonly dist: Float64Array;
}

/**
 * Two-way within transformation (unit and year effects) of several columns over `rows`, by the
 * library's fixed-effect demeaner (lib/core/fixed-effects) at a tight tolerance.
 */
function twoWayWithin(cols: Float64Array[], unitOf: Int32Array, yearOf: Int32Array, rows: number[]): Float64Array[] {
  const sub = (c: Int32Array): Int32Array => mapI32From(rows, (r) => c[r] as number);
  const factors = [factorize(sub(unitOf)), factorize(sub(yearOf))];
  const dm = demean(
    cols.map((c) => mapF64From(rows, (r) => c[r] as number)),
    { factors },
    { tol: 1e-13 },
  );
  if (!dm.converged) throw new EstimationError("two-way demeaning (city and year effects) did not converge");
  return dm.columns as Float64Array[];
}

/**
 * Resource misallocation by the production-function approach (RS §5, Table 5: dist, distK,
 * distL; RS follows 刘诚 & 夏杰长 2023 but omits the formulas, "留存备索").
 *
 * Source method: Chen Yongwei & Hu Weimin (陈永伟, 胡伟民 2011), "价格扭曲、要素错配和效率损失:
 * 理论和应用", China Economic Quarterly 10(4): 1401–1422, which adapts Hsieh & Klenow (2009,
 * QJE 124(4)) to a sector (here: city) decomposition. With output shares s_i = Y_i / Σ_c Y_c
 * and factor shares k_i = K_i / Σ_c K_c, l_i = L_i / Σ_c L_c (sums over the cities of the same
 * year with complete data), the "absolute distortion coefficients" are
 *
 *     γ_Ki = k_i / (s_i α_i / ᾱ),   ᾱ = Σ_c s_c α_c ;    γ_Li likewise with β.
 *     τ_Ki = 1/γ_Ki − 1,            τ_Li = 1/γ_Li − 1.
 *
 * τ > 0: the city has too little of the factor relative to an efficient allocation (its
 * marginal revenue product is above average); τ < 0: too much. With elasticities common to
 * all cities (the default here), γ_Ki = (K_i/Y_i)/(K/Y), i.e. 1+τ_Ki is the city's MRPK
 * relative to the aggregate (exactly the Hsieh–Klenow wedge).
 *
 * Reported indices (CONVENTION of this library, because the paper does not print its own):
 *   distK = |τ_K|, distL = |τ_L| (misallocation in either direction counts);
 *   dist  = |(1+τ_K)^{α/(α+β)} (1+τ_L)^{β/(α+β)} − 1|, the absolute deviation of the city's
 *           relative TFPR (Hsieh–Klenow: TFPR ∝ MRPK^{α̃} MRPL^{β̃}) from 1.
 * The signed τ_K, τ_L and γ are returned too.
 *
 * Output elasticities, one of:
 *  - `elasticities: { alpha, beta }` given (e.g. α = 0.4, β = 0.6);
 *  - `estimate: "crs"` (default): Cobb–Douglas with constant returns,
 *        ln(Y/L)_it = ln A + α ln(K/L)_it + μ_i + δ_t + ε_it, β = 1 − α,
 *    OLS with city and year fixed effects (two-way within transformation by alternating
 *    projections, tolerance 1e-13 on the demeaned variables; handles unbalanced panels);
 *  - `estimate: "free"`: ln Y = α ln K + β ln L + μ_i + δ_t + ε (no CRS restriction).
 * Rows with NA in Y, K or L are left out (estimation and indices) and get NaN; a zero or
 * negative value is a DataError naming the column and row (logs are taken).
 * The usual caveats apply: OLS elasticities ignore simultaneity (no Olley–Pakes/LP
 * correction), and K is whatever capital-stock series is supplied (perpetual inventory).
 *
 * @example
 *   const m = misallocation(t, { unit: "city", year: "year", y: "gdp", k: "capital", l: "employment" });
 *   m.alpha; m.beta;          // estimated elasticities
 *   m.dist; m.distK; m.distL; // Float64Array per row
 */
export function misallocation(t: Table, o: MisallocationOptions): MisallocationResult {
  const Y = numeric(t, o.y);
  const K = numeric(t, o.k);
  const L = numeric(t, o.l);
  const n = t.nrows;
  const ok: number[] = [];
  for (let i = 0; i < n; i++) if ((Y[i] as number) > 0 && (K[i] as number) > 0 && (L[i] as number) > 0) ok.push(i);
  for (const [name, x] of [
    [o.y, Y],
    [o.k, K],
    [o.l, L],
  ] as const)
    for (let i = 0; i < n; i++)
      if ((x[i] as number) <= 0)
        throw new DataError(`must be positive for a Cobb–Douglas production function, found ${x[i]}`, {
          file: t.source,
          column: name,
          row: i + 1,
        });
  if (ok.length === 0) throw new DataError(`no row has Y, K and L all present`, { file: t.source, column: o.y });

  const units = groupByColumn(t, o.unit);
  const years = groupByColumn(t, o.year);
  const unitOf = new Int32Array(n);
  const yearOf = new Int32Array(n);
  [...units.values()].forEach((rows, k) => rows.forEach((r) => (unitOf[r] = k)));
  [...years.values()].forEach((rows, k) => rows.forEach((r) => (yearOf[r] = k)));

  let alpha: number;
  let beta: number;
  let src: "given" | "crs" | "free";
  let nobs = 0;
  if (o.elasticities) {
    ({ alpha, beta } = o.elasticities);
    if (!(alpha > 0 && beta > 0 && Number.isFinite(alpha + beta)))
      throw new ArgumentError(`elasticities must be positive, got α = ${alpha}, β = ${beta}`);
    src = "given";
  } else {
    src = o.estimate ?? "crs";
    if (src !== "crs" && src !== "free") throw new ArgumentError(`estimate must be "crs" or "free", got "${String(src)}"`);
    nobs = ok.length;
    const lnY = new Float64Array(n);
    const lnK = new Float64Array(n);
    const lnL = new Float64Array(n);
    for (const i of ok) {
      lnY[i] = Math.log(Y[i] as number);
      lnK[i] = Math.log(K[i] as number);
      lnL[i] = Math.log(L[i] as number);
    }
    if (src === "crs") {
      const yl = lnY.map((v, i) => v - (lnL[i] as number));
      const kl = lnK.map((v, i) => v - (lnL[i] as number));
      const [dy, dk] = twoWayWithin([yl, kl], unitOf, yearOf, ok) as [Float64Array, Float64Array];
      let sxy = 0;
      let sxx = 0;
      for (let q = 0; q < dy.length; q++) {
        sxy += (dk[q] as number) * (dy[q] as number);
        sxx += (dk[q] as number) ** 2;
      }
      if (!(sxx > 1e-12 * dy.length))
        throw new EstimationError("ln(K/L) has no variation left after city and year effects: α is not identified", { column: o.k });
      alpha = sxy / sxx;
      beta = 1 - alpha;
    } else {
      const [dy, dk, dl] = twoWayWithin([lnY, lnK, lnL], unitOf, yearOf, ok) as [Float64Array, Float64Array, Float64Array];
      let skk = 0,
        sll = 0,
        skl = 0,
        sky = 0,
        sly = 0;
      for (let q = 0; q < dy.length; q++) {
        const a = dk[q] as number,
          b = dl[q] as number,
          c = dy[q] as number;
        skk += a * a;
        sll += b * b;
        skl += a * b;
        sky += a * c;
        sly += b * c;
      }
      const det = skk * sll - skl * skl;
      if (!(det > 1e-12 * skk * sll))
        throw new EstimationError("ln K and ln L are collinear after city and year effects: elasticities not identified", { column: o.k });
      alpha = (sll * sky - skl * sly) / det;
      beta = (skk * sly - skl * sky) / det;
    }
    if (!(alpha > 0 && beta > 0))
      throw new EstimationError(
        `estimated elasticities α = ${alpha.toFixed(4)}, β = ${beta.toFixed(4)} are not both positive; supply them with \`elasticities\``,
      );
  }

  const gammaK = new Float64Array(n).fill(NaN);
  const gammaL = new Float64Array(n).fill(NaN);
  const tauK = new Float64Array(n).fill(NaN);
  const tauL = new Float64Array(n).fill(NaN);
  const distK = new Float64Array(n).fill(NaN);
  const distL = new Float64Array(n).fill(NaN);
  const dist = new Float64Array(n).fill(NaN);
  const isOk = new Uint8Array(n);
  for (const i of ok) isOk[i] = 1;
  const aT = alpha / (alpha + beta);
  const bT = beta / (alpha + beta);
  for (const rows of years.values()) {
    let sy = 0,
      sk = 0,
      sl = 0;
    for (const r of rows)
      if (isOk[r]) {
        sy += Y[r] as number;
        sk += K[r] as number;
        sl += L[r] as number;
      }
    for (const r of rows) {
      if (!isOk[r]) continue;
      const s = (Y[r] as number) / sy;
      // common elasticities: s_i α / ᾱ = s_i
      const gk = (K[r] as number) / sk / s;
      const gl = (L[r] as number) / sl / s;
      gammaK[r] = gk;
      gammaL[r] = gl;
      const tk = 1 / gk - 1;
      const tl = 1 / gl - 1;
      tauK[r] = tk;
      tauL[r] = tl;
      distK[r] = Math.abs(tk);
      distL[r] = Math.abs(tl);
      dist[r] = Math.abs(Math.pow(1 + tk, aT) * Math.pow(1 + tl, bT) - 1);
    }
  }
  return { alpha, beta, elasticitySource: src, nobs, gammaK, gammaL, tauK, tauL, distK, distL, dist };
}
