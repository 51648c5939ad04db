import { Table, numeric } from "../data/table";
import { ArgumentError } from "../util/errors";
import { panelGroups } from "../data/keys";

/** Unit, time and value columns, window, divisor and minimum count of `rollingSd`. */
export interface RollingOptions {
  readonly unit: string;
  readonly time: string;
  readonly value: string;
  readonly window?: number;
  readonly divisor?: "n" | "n-1";
  readonly minObs?: number;
}

/**
 * Rolling standard deviation within a panel unit — the RS Table 1 volatility indicators
 * ("CPI 年增长率 3 年滚动标准差", "GDP 增长指数 3 年滚动标准差"), printed in the paper as
 * sqrt( (1/3) Σ (x − x̄)² ) over the current and the two previous years.
 *
 * Assumptions:
 *  - The window is in calendar time: at year t it holds the unit's values with time in
 *    (t − window, t] (a gap year is simply absent, not filled).
 *  - `divisor: "n"` (default, as printed in RS: 1/3) divides by the number of values used;
 *    `"n-1"` gives the sample SD (Stata `sd()`, R `sd()`).
 *  - NA values inside the window are skipped; the result is NaN when fewer than `minObs`
 *    (default = window) values are available, so the first two years of a unit are NaN.
 *
 * @example
 *   // city, year, cpi_growth
 *   const sd = rollingSd(t, { unit: "city", time: "year", value: "cpi_growth" }); // Float64Array
 */
export function rollingSd(t: Table, o: RollingOptions): Float64Array {
  const window = o.window ?? 3;
  if (!Number.isInteger(window) || window < 2) throw new ArgumentError(`window must be an integer ≥ 2, got ${window}`);
  const minObs = o.minObs ?? window;
  const divisor = o.divisor ?? "n";
  if (divisor !== "n" && divisor !== "n-1") throw new ArgumentError(`divisor must be "n" or "n-1", got "${String(divisor)}"`);
  if (!Number.isInteger(minObs) || minObs < (divisor === "n" ? 1 : 2) || minObs > window)
    throw new ArgumentError(`minObs must be an integer in [${divisor === "n" ? 1 : 2}, window], got ${minObs}`);
  const x = numeric(t, o.value);
  const { groups, time } = panelGroups(t, o.unit, o.time);
  const out = new Float64Array(t.nrows).fill(NaN);
  for (const rows of groups) {
    for (let k = 0; k < rows.length; k++) {
      const r = rows[k] as number;
      const tr = time[r] as number;
      let n = 0;
      let s = 0;
      const vals: number[] = [];
      for (let q = k; q >= 0; q--) {
        const rq = rows[q] as number;
        if ((time[rq] as number) <= tr - window) break;
        const v = x[rq] as number;
        if (Number.isNaN(v)) continue;
        vals.push(v);
        s += v;
        n++;
      }
      if (n < minObs) continue;
      const m = s / n;
      let ss = 0;
      for (const v of vals) ss += (v - m) * (v - m);
      out[r] = Math.sqrt(ss / (divisor === "n" ? n : n - 1));
    }
  }
  return out;
}

/**
 * Growth rate within a panel unit: x_t / x_{t−1} − 1 (times `scale`, default 1), using the
 * unit's value at exactly time t − 1 (NaN when that year is absent, NA, or zero).
 *
 * @example
 *   const g = growthRate(t, { unit: "city", time: "year", value: "cpi", scale: 100 }); // percent
 */
export function growthRate(t: Table, o: { unit: string; time: string; value: string; scale?: number }): Float64Array {
  const x = numeric(t, o.value);
  const scale = o.scale ?? 1;
  const { groups, time } = panelGroups(t, o.unit, o.time);
  const out = new Float64Array(t.nrows).fill(NaN);
  for (const rows of groups)
    for (let k = 1; k < rows.length; k++) {
      const r = rows[k] as number;
      const p = rows[k - 1] as number;
      if ((time[r] as number) - (time[p] as number) !== 1) continue;
      const a = x[p] as number;
      if (a === 0 || Number.isNaN(a)) continue;
      out[r] = ((x[r] as number) / a - 1) * scale;
    }
  return out;
}

/**
 * Ratio of two columns, num / den × scale (per-capita values: patents per person, S&T or
 * education spending per person, new firms per person; also retail sales/GDP, loans/deposits,
 * fiscal revenue/expenditure, tertiary/secondary output). A zero or NA denominator gives NaN
 * (never ±Inf); `undefinedRows` counts the rows whose numerator is present but whose
 * denominator is zero or NA (a NA numerator is just NA and not counted).
 *
 * @example
 *   const { value, undefinedRows } = ratio(t, "patents", "pop", 1e4); // patents per 10,000 people
 */
export function ratio(t: Table, num: string, den: string, scale = 1): { value: Float64Array; undefinedRows: number } {
  const a = numeric(t, num);
  const b = numeric(t, den);
  const out = new Float64Array(t.nrows);
  let bad = 0;
  for (let i = 0; i < t.nrows; i++) {
    const d = b[i] as number;
    if (d === 0 || Number.isNaN(d) || Number.isNaN(a[i] as number)) {
      out[i] = NaN;
      if (!Number.isNaN(a[i] as number)) bad++;
    } else out[i] = ((a[i] as number) / d) * scale;
  }
  return { value: out, undefinedRows: bad };
}
