import { Table, column, numeric, table, withColumns } from "../data/table";
import { interpolatePanel, winsorize } from "../data/panel";
import { ArgumentError, DataError } from "../util/errors";

/** Per-column audit of `interpolateColumn`: NAs before, values filled, NAs after. */
export interface InterpolateAudit {
  readonly column: string;
  readonly naBefore: number;
  readonly interpolated: number;
  readonly naAfter: number;
}
export interface WinsorizeAudit {
  readonly column: string;
  readonly winsorized: number;
  readonly lower: number;
  readonly upper: number;
}

function countNA(x: Float64Array): number {
  let k = 0;
  for (const v of x) if (Number.isNaN(v)) k++;
  return k;
}

function nonEmpty(t: Table, name: string): Float64Array {
  const x = numeric(t, name);
  if (countNA(x) === x.length) throw new DataError("all values are NA", { file: t.source, column: name });
  return x;
}

/** Linear interpolation within panel unit; returns the new column and the audit count. */
export function interpolateColumn(
  t: Table,
  name: string,
  o: { unit: string; time: string; extrapolate?: boolean },
): { values: Float64Array; audit: InterpolateAudit } {
  const x = nonEmpty(t, name);
  const r = interpolatePanel(x, column(t, o.unit), column(t, o.time), { extrapolate: o.extrapolate });
  return { values: r.values, audit: { column: name, naBefore: countNA(x), interpolated: r.changed, naAfter: countNA(r.values) } };
}

/** Winsorisation at [lower, upper] quantiles (default 1 %/99 %, pooled or `by` a column). */
export function winsorizeColumn(
  t: Table,
  name: string,
  o: { lower?: number; upper?: number; by?: string } = {},
): { values: Float64Array; audit: WinsorizeAudit; bounds: [number, number][] } {
  const x = nonEmpty(t, name);
  const r = winsorize(x, { lower: o.lower, upper: o.upper, by: o.by ? column(t, o.by) : undefined });
  return {
    values: r.values,
    bounds: r.bounds,
    audit: { column: name, winsorized: r.changed, lower: o.lower ?? 0.01, upper: o.upper ?? 0.99 },
  };
}

/**
 * Interpolate, then winsorise, each named column; returns the new table and an audit table —
 * panel hygiene with an audit trail (RS §3 data processing: "线性插值法进行补齐 … 对样本进行1%
 * 的缩尾处理"). The numerical work is done by `interpolatePanel` and `winsorize` in
 * `lib/data/panel.ts` (Stata `ipolate` semantics; type-7 quantiles); this module adds the
 * table interface and an audit record per column of how many values were changed.
 *
 * Order in `cleanPanel` (as in RS): interpolate within unit first, then winsorise the
 * interpolated column (so filled values are also subject to the caps).
 *
 * @example
 *   const { table: clean, audit } = cleanPanel(t, ["gdp", "pop"], { unit: "city", time: "year" });
 *   toRecords(audit); // [{ column: "gdp", naBefore: 12, interpolated: 9, naAfter: 3, winsorized: 64, lower: ..., upper: ... }, ...]
 */
export function cleanPanel(
  t: Table,
  columns: readonly string[],
  o: { unit: string; time: string; interpolate?: boolean; winsorize?: number | false; by?: string },
): { table: Table; audit: Table } {
  if (columns.length === 0) throw new ArgumentError("cleanPanel needs at least one column");
  const p = o.winsorize === undefined ? 0.01 : o.winsorize;
  if (p !== false && !(p >= 0 && p < 0.5)) throw new ArgumentError(`winsorize must be a tail share in [0, 0.5) or false, got ${p}`);
  const out: Record<string, Float64Array> = {};
  const a = {
    column: [] as string[],
    naBefore: [] as number[],
    interpolated: [] as number[],
    naAfter: [] as number[],
    winsorized: [] as number[],
  };
  for (const name of columns) {
    let x = nonEmpty(t, name);
    const naBefore = countNA(x);
    let filled = 0;
    if (o.interpolate !== false) {
      const r = interpolateColumn(t, name, o);
      x = r.values;
      filled = r.audit.interpolated;
    }
    let w = 0;
    if (p !== false) {
      const r = winsorize(x, { lower: p, upper: 1 - p, by: o.by ? column(t, o.by) : undefined });
      x = r.values;
      w = r.changed;
    }
    out[name] = x;
    a.column.push(name);
    a.naBefore.push(naBefore);
    a.interpolated.push(filled);
    a.naAfter.push(countNA(x));
    a.winsorized.push(w);
  }
  return {
    table: withColumns(t, out),
    audit: table({
      column: a.column,
      naBefore: Int32Array.from(a.naBefore),
      interpolated: Int32Array.from(a.interpolated),
      naAfter: Int32Array.from(a.naAfter),
      winsorized: Int32Array.from(a.winsorized),
    }),
  };
}
