import { Column, Table, numeric, table } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { groupByColumn } from "../data/keys";
import { checkNumber } from "../util/check";

/** One indicator of the index: column name, dimension and direction ("+" larger is better). */
export interface EntropyIndicator {
  readonly name: string;
  readonly dimension?: string;
  /** "+" larger is better (positive), "-" larger is worse (negative). */
  readonly direction: "+" | "-";
}

/** Shift, pooling and sub-index convention of the entropy index. */
export interface EntropyOptions {
  /** Additive shift after min–max normalisation (default 1e-4). */
  readonly shift?: number;
  /** "pooled" (default) or "year" (needs `year`). */
  readonly by?: "pooled" | "year";
  /** Name of the year column, required for by = "year". */
  readonly year?: string;
  /** "global" (default) or "within", see `entropyIndex`. */
  readonly dimensionWeights?: "global" | "within";
}

/** The weight table, the shifted normalised values and per-row weights. */
export interface EntropyWeights {
  /** Columns indicator, dimension, direction, e, d, w (and year when by = "year"). */
  readonly weights: Table;
  /** Shifted normalised values x'_ij per indicator (NaN for rows left out). */
  readonly normalized: Record<string, Float64Array>;
  /** Weight of each indicator per row (varies by row only with by = "year"). */
  readonly rowWeights: Record<string, Float64Array>;
  /** Rows left out for NA. */
  readonly dropped: number;
  readonly shift: number;
}

/** The index and its per-dimension sub-indices, with the weights. */
export interface EntropyIndexResult extends EntropyWeights {
  readonly index: Float64Array;
  /** Sub-index per dimension. */
  readonly dimensions: Record<string, Float64Array>;
}

/**
 * Entropy weights (steps 1–5 of the method documented on `entropyIndex`): e_j, d_j = 1 − e_j,
 * w_j = d_j / Σ_k d_k, and the shifted normalised values x'_ij they are computed from.
 *
 * @example toRecords(entropyWeights(t, ind).weights); // [{ indicator, dimension, direction, e, d, w }, ...]
 */
export function entropyWeights(t: Table, indicators: readonly EntropyIndicator[], opts: EntropyOptions = {}): EntropyWeights {
  const shift = opts.shift ?? 1e-4;
  checkNumber(shift, "entropy shift", (v) => v >= 0, "≥ 0");
  if (indicators.length === 0) throw new ArgumentError("entropy index needs at least one indicator");
  const seen = new Set<string>();
  for (const ind of indicators) {
    if (seen.has(ind.name)) throw new ArgumentError("indicator listed twice", { column: ind.name });
    seen.add(ind.name);
    if (ind.direction !== "+" && ind.direction !== "-")
      throw new ArgumentError(`direction must be "+" or "-", got "${String(ind.direction)}"`, { column: ind.name });
  }
  const X = indicators.map((ind) => numeric(t, ind.name));
  indicators.forEach((ind, j) => {
    const x = X[j] as Float64Array;
    if (!x.some((v) => !Number.isNaN(v)))
      throw new DataError("all values are NA: the indicator cannot be normalised", { file: t.source, column: ind.name });
  });
  const n = t.nrows;
  const complete: number[] = [];
  for (let i = 0; i < n; i++) if (X.every((x) => !Number.isNaN(x[i] as number))) complete.push(i);
  const dropped = n - complete.length;

  let samples: { label: string | null; rows: number[] }[];
  const by = opts.by ?? "pooled";
  if (by === "year") {
    if (!opts.year) throw new ArgumentError('by: "year" needs the name of the year column (option `year`)');
    const g = groupByColumn(t, opts.year);
    const isComplete = new Uint8Array(n);
    for (const i of complete) isComplete[i] = 1;
    samples = [...g.entries()]
      .map(([label, rows]) => ({ label, rows: rows.filter((i) => isComplete[i]) }))
      .sort((a, b) => Number(a.label) - Number(b.label));
  } else if (by === "pooled") samples = [{ label: null, rows: complete }];
  else throw new ArgumentError(`by must be "pooled" or "year", got "${String(by)}"`);

  const m = indicators.length;
  const normalized: Record<string, Float64Array> = {};
  const rowWeights: Record<string, Float64Array> = {};
  for (const ind of indicators) {
    normalized[ind.name] = new Float64Array(n).fill(NaN);
    rowWeights[ind.name] = new Float64Array(n).fill(NaN);
  }
  const wt = {
    indicator: [] as string[],
    dimension: [] as (string | null)[],
    direction: [] as string[],
    e: [] as number[],
    d: [] as number[],
    w: [] as number[],
    year: [] as number[],
  };
  for (const s of samples) {
    const where = s.label === null ? "" : ` in year ${s.label}`;
    const rows = s.rows;
    if (rows.length < 2)
      throw new DataError(`entropy weights need at least 2 complete rows${where}, found ${rows.length} (e_j divides by ln n)`, {
        file: t.source,
        column: opts.year,
      });
    const lnN = Math.log(rows.length);
    const e = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const ind = indicators[j] as EntropyIndicator;
      const x = X[j] as Float64Array;
      let lo = Infinity;
      let hi = -Infinity;
      for (const i of rows) {
        const v = x[i] as number;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (!(hi > lo))
        throw new DataError(
          `indicator is constant (= ${lo})${where}: min–max normalisation divides by max − min = 0, so its entropy weight is undefined; drop it or fix the data`,
          { file: t.source, column: ind.name },
        );
      const z = normalized[ind.name] as Float64Array;
      let sum = 0;
      for (const i of rows) {
        const v = x[i] as number;
        const zz = (ind.direction === "+" ? v - lo : hi - v) / (hi - lo) + shift;
        z[i] = zz;
        sum += zz;
      }
      let h = 0;
      for (const i of rows) {
        const p = (z[i] as number) / sum;
        if (p > 0) h += p * Math.log(p);
      }
      e[j] = -h / lnN;
    }
    let dsum = 0;
    for (let j = 0; j < m; j++) dsum += 1 - (e[j] as number);
    for (let j = 0; j < m; j++) {
      const ind = indicators[j] as EntropyIndicator;
      const d = 1 - (e[j] as number);
      const w = d / dsum;
      const rw = rowWeights[ind.name] as Float64Array;
      for (const i of rows) rw[i] = w;
      wt.indicator.push(ind.name);
      wt.dimension.push(ind.dimension ?? null);
      wt.direction.push(ind.direction);
      wt.e.push(e[j] as number);
      wt.d.push(d);
      wt.w.push(w);
      if (s.label !== null) wt.year.push(Number(s.label));
    }
  }
  const cols: Record<string, Column | number[]> = {
    indicator: wt.indicator,
    dimension: wt.dimension,
    direction: wt.direction,
    e: Float64Array.from(wt.e),
    d: Float64Array.from(wt.d),
    w: Float64Array.from(wt.w),
  };
  const weights = by === "year" ? table({ year: Int32Array.from(wt.year), ...cols }) : table(cols);
  return { weights, normalized, rowWeights, dropped, shift };
}

/**
 * Entropy-weight composite index (熵值法), as used by RS §3 Table 1 (resilience: 14
 * indicators in 3 dimensions) and RS §4.3 (digital-infrastructure index).
 *
 * Method (the standard entropy-weight method, e.g. Zhu, Tian & Yan 2020, "Effectiveness of
 * entropy weight method in decision-making", Mathematical Problems in Engineering 2020:3564835;
 * common in Chinese regional-economics practice; Shannon 1948, Bell System Technical Journal
 * 27, for the entropy):
 *
 *  1. Direction-aware min–max normalisation over the weighting sample S (all complete rows, or
 *     the rows of one year):  positive  z_ij = (x_ij − min_j)/(max_j − min_j),
 *                              negative  z_ij = (max_j − x_ij)/(max_j − min_j).
 *  2. Shift to avoid ln 0: x'_ij = z_ij + shift. CONVENTION: additive shift, default
 *     `shift = 1e-4` (the common "+0.0001" convention). With `shift = 0`, 0·ln 0 is taken as 0.
 *  3. Proportions p_ij = x'_ij / Σ_{i∈S} x'_ij.
 *  4. Entropy e_j = −(1/ln n) Σ_i p_ij ln p_ij, n = |S| (needs n ≥ 2).
 *  5. Divergence d_j = 1 − e_j; weight w_j = d_j / Σ_k d_k.
 *  6. Index_i = Σ_j w_j x'_ij (the shifted normalised values); sub-index of dimension D:
 *     `dimensionWeights: "global"` (default) Σ_{j∈D} w_j x'_ij, so sub-indices add up to the
 *     index; `"within"` uses w_j / Σ_{k∈D} w_k, so each sub-index lies in [shift, 1 + shift].
 *
 * Assumptions and rules:
 *  - A row with NA in any indicator is left out of the weighting sample and gets NaN index
 *    (`complete cases`); the count is reported in `dropped`.
 *  - A constant indicator in the weighting sample (max = min) makes step 1 divide by zero:
 *    its weight is undefined, and this is a DataError naming the indicator (and the year),
 *    not a silent zero weight.
 *  - `by: "year"` normalises and weights within each year separately (weights then vary
 *    by year; the weight table has a `year` column); `"pooled"` (default) uses all years at
 *    once, which keeps the index comparable over time.
 *
 * @example
 *   const ind = [
 *     { name: "gdppc", dimension: "resist", direction: "+" },
 *     { name: "cpi_sd", dimension: "resist", direction: "-" },
 *     { name: "patents", dimension: "transform", direction: "+" },
 *   ] as const;
 *   const r = entropyIndex(t, ind);               // pooled weights, shift 1e-4
 *   r.index;                                       // Float64Array, one value per row
 *   r.dimensions.resist;                           // sub-index
 *   toRecords(r.weights);                          // [{indicator, dimension, direction, e, d, w}, ...]
 */
export function entropyIndex(t: Table, indicators: readonly EntropyIndicator[], opts: EntropyOptions = {}): EntropyIndexResult {
  const ew = entropyWeights(t, indicators, opts);
  const n = t.nrows;
  const index = new Float64Array(n);
  const dims = new Map<string, EntropyIndicator[]>();
  for (const ind of indicators) {
    const d = ind.dimension;
    if (d === undefined) continue;
    let l = dims.get(d);
    if (!l) dims.set(d, (l = []));
    l.push(ind);
  }
  for (const ind of indicators) {
    const z = ew.normalized[ind.name] as Float64Array;
    const w = ew.rowWeights[ind.name] as Float64Array;
    for (let i = 0; i < n; i++) index[i] = (index[i] as number) + (w[i] as number) * (z[i] as number);
  }
  const mode = opts.dimensionWeights ?? "global";
  if (mode !== "global" && mode !== "within")
    throw new ArgumentError(`dimensionWeights must be "global" or "within", got "${String(mode)}"`);
  const dimensions: Record<string, Float64Array> = {};
  for (const [d, inds] of dims) {
    const s = new Float64Array(n);
    const tot = new Float64Array(n);
    for (const ind of inds) {
      const z = ew.normalized[ind.name] as Float64Array;
      const w = ew.rowWeights[ind.name] as Float64Array;
      for (let i = 0; i < n; i++) {
        s[i] = (s[i] as number) + (w[i] as number) * (z[i] as number);
        tot[i] = (tot[i] as number) + (w[i] as number);
      }
    }
    if (mode === "within") for (let i = 0; i < n; i++) s[i] = (s[i] as number) / (tot[i] as number);
    dimensions[d] = s;
  }
  return { ...ew, index, dimensions };
}
