import { Table, numeric, table } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { groupByColumn } from "../data/keys";

/** A named period [start, end] of `martinSensitivity`. */
export interface MartinPeriod {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}
/** Columns, periods, form ("expected" or "ratio") and optional national series of `martinSensitivity`. */
export interface MartinOptions {
  readonly unit: string;
  readonly time: string;
  readonly value: string;
  readonly periods: readonly MartinPeriod[];
  readonly form?: "expected" | "ratio";
  readonly national?: Readonly<Record<number, number>>;
}

/**
 * Martin sensitivity (resistance / recovery) index, RS §4.2 robustness: "借鉴 Martin 等(2016)
 * ... 选取总产出为核心指标, 将 2008—2011 年划分为金融风险抵御期, 2012—2019 年划分为...恢复期".
 *
 * Two forms (choose with `form`):
 *  - `"expected"` (DEFAULT; Martin, Sunley, Gardiner & Tyler 2016, Regional Studies 50(4):
 *    561–585, eqs. for Resis and Recov):
 *        index_r = (ΔE_r − ΔE_r^exp) / |ΔE_r^exp|,   ΔE_r^exp = E_r(start) · ΔE_N / E_N(start)
 *    i.e. the region's change minus the change it would have had growing at the national
 *    rate, relative to the latter's size. > 0: more resistant / faster recovery than the nation.
 *    This is the one-sector version: Martin et al. compute the expected change sector by
 *    sector (Σ_i g_N E_ir); with only total output (as RS uses) it reduces to the formula above.
 *  - `"ratio"` (Martin 2012, J. Econ. Geogr. 12(1): 1–32, sensitivity index):
 *        β_r = (ΔE_r / E_r(start)) / (ΔE_N / E_N(start)).
 *    When national growth g_N > 0 the two forms are related by index = β_r − 1 (g_N < 0:
 *    index = 1 − β_r).
 *
 * Assumptions:
 *  - ΔE over a period [start, end] is E(end) − E(start), both read from the panel.
 *    The RS periods are resistance 2008–2011 and recovery 2012–2019; note that with the
 *    recovery period starting in 2012, the 2011→2012 change belongs to neither.
 *  - National E_N: by default the sum over the units that have non-NA values in BOTH the
 *    start and end years of the period (a balanced aggregate), or a given series `national`
 *    (year → value), e.g. national GDP from the yearbook.
 *  - A unit without a value at the start or end gets NaN. A zero national change makes the
 *    index undefined (DataError).
 *
 * @example
 *   const r = martinSensitivity(t, { unit: "city", time: "year", value: "gdp",
 *     periods: [{ name: "resistance", start: 2008, end: 2011 }, { name: "recovery", start: 2012, end: 2019 }] });
 *   // r: Table with columns unit, resistance, recovery (one row per city)
 */
export function martinSensitivity(t: Table, o: MartinOptions): Table {
  const form = o.form ?? "expected";
  if (form !== "expected" && form !== "ratio") throw new ArgumentError(`form must be "expected" or "ratio", got "${String(form)}"`);
  if (o.periods.length === 0) throw new ArgumentError("at least one period is needed");
  for (const p of o.periods)
    if (!(p.end > p.start)) throw new ArgumentError(`period "${p.name}" must have end > start, got ${p.start}–${p.end}`);
  const x = numeric(t, o.value);
  const tm = numeric(t, o.time);
  const groups = groupByColumn(t, o.unit);
  const units = [...groups.keys()];
  const at = (rows: number[], year: number): number => {
    let v = NaN;
    let found = 0;
    for (const r of rows)
      if (tm[r] === year) {
        v = x[r] as number;
        found++;
        if (found > 1) throw new DataError(`duplicate time ${year} within unit`, { file: t.source, column: o.time, row: r + 1 });
      }
    return v;
  };
  const cols: Record<string, Float64Array | (string | null)[]> = { unit: units };
  for (const p of o.periods) {
    const s = new Float64Array(units.length);
    const e = new Float64Array(units.length);
    let sN = 0;
    let eN = 0;
    units.forEach((u, k) => {
      const rows = groups.get(u) as number[];
      s[k] = at(rows, p.start);
      e[k] = at(rows, p.end);
      if (!Number.isNaN(s[k] as number) && !Number.isNaN(e[k] as number)) {
        sN += s[k] as number;
        eN += e[k] as number;
      }
    });
    if (o.national) {
      sN = o.national[p.start] ?? NaN;
      eN = o.national[p.end] ?? NaN;
      if (!Number.isFinite(sN) || !Number.isFinite(eN))
        throw new ArgumentError(`national series has no value for ${Number.isFinite(sN) ? p.end : p.start} (period "${p.name}")`);
    }
    const gN = (eN - sN) / sN;
    if (!(Number.isFinite(gN) && gN !== 0))
      throw new DataError(
        `national change over period "${p.name}" (${p.start}–${p.end}) is ${eN - sN} on a base of ${sN}: the index is undefined`,
        {
          file: t.source,
          column: o.value,
        },
      );
    const out = new Float64Array(units.length);
    for (let k = 0; k < units.length; k++) {
      const s0 = s[k] as number;
      const dE = (e[k] as number) - s0;
      if (form === "ratio") out[k] = dE / s0 / gN;
      else {
        const exp = s0 * gN;
        out[k] = (dE - exp) / Math.abs(exp);
      }
    }
    if (p.name === "unit") throw new ArgumentError('a period cannot be named "unit"');
    cols[p.name] = out;
  }
  return table(cols, t.source);
}
