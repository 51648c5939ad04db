import { Column, NA_INT, Table, column, numeric } from "../../data/table";
import { ArgumentError, DataError } from "../../util/errors";

/**
 * Shared helpers of the RS measures: grouping rows by a panel key and reading numeric
 * columns with location-carrying errors. Internal to `lib/measures/rs/` and `lib/estimators/psm/`.
 *
 * @example
 *   const g = groupRows(t, "city");   // Map<key, row indices in table order>
 */

/** Key of row i of a column as a string, or null when NA. */
export function keyAt(c: Column, i: number): string | null {
  if (c instanceof Float64Array) {
    const v = c[i] as number;
    return Number.isNaN(v) ? null : String(v);
  }
  if (c instanceof Int32Array) {
    const v = c[i] as number;
    return v === NA_INT ? null : String(v);
  }
  return c[i] ?? null;
}

/** Row indices grouped by the value of column `name` (insertion order = first appearance). */
export function groupRows(t: Table, name: string): Map<string, number[]> {
  const c = column(t, name);
  const out = new Map<string, number[]>();
  for (let i = 0; i < t.nrows; i++) {
    const k = keyAt(c, i);
    if (k === null) throw new DataError("panel key is missing (NA)", { file: t.source, column: name, row: i + 1 });
    let g = out.get(k);
    if (!g) out.set(k, (g = []));
    g.push(i);
  }
  return out;
}

/**
 * Row indices grouped by `unit`, each group sorted by `time`. Duplicate (unit, time) pairs
 * and missing times are DataErrors naming the time column and row.
 */
export function panelGroups(t: Table, unit: string, time: string): { groups: number[][]; time: Float64Array } {
  const tm = numeric(t, time);
  const groups: number[][] = [];
  for (const rows of groupRows(t, unit).values()) {
    for (const r of rows)
      if (Number.isNaN(tm[r] as number)) throw new DataError("time is missing (NA)", { file: t.source, column: time, row: r + 1 });
    rows.sort((a, b) => (tm[a] as number) - (tm[b] as number));
    for (let k = 1; k < rows.length; k++)
      if (tm[rows[k] as number] === tm[rows[k - 1] as number])
        throw new DataError(`duplicate time ${tm[rows[k] as number]} within unit (first at row ${(rows[k - 1] as number) + 1})`, {
          file: t.source,
          column: time,
          row: (rows[k] as number) + 1,
        });
    groups.push(rows);
  }
  return { groups, time: tm };
}

/** Numeric column that must contain at least one non-NA value. */
export function numericNonEmpty(t: Table, name: string): Float64Array {
  const x = numeric(t, name);
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] as number)) return x;
  throw new DataError("all values are NA", { file: t.source, column: name });
}

/** Throws an ArgumentError unless `v` is a finite number satisfying `ok`. */
export function checkNumber(v: number, what: string, ok: (v: number) => boolean, rule: string): void {
  if (!Number.isFinite(v) || !ok(v)) throw new ArgumentError(`${what} must be ${rule}, got ${v}`);
}
