import { type Column, type Table, column, isNA, takeColumn, numeric, NA_INT } from "./table";
import { DataError } from "../util/errors";

/**
 * Key and grouping helpers shared by the measures and estimators: one or more key columns as
 * string keys, rows grouped by key (`groupRows`, the one grouping routine), panel groups sorted
 * by time. Internal: imported by path, not from the package index.
 */

/** The key of row i of a column as a string; null for NA. Numbers print without trailing ".0". */
export function keyAt(c: Column, i: number): string | null {
  if (isNA(c, i)) return null;
  if (c instanceof Float64Array || c instanceof Int32Array) return String(c[i]);
  return c[i] as string;
}

/** Keys of a single column (NA → null). */
export function keysOf(c: Column): (string | null)[] {
  const out: (string | null)[] = new Array(c.length);
  for (let i = 0; i < c.length; i++) out[i] = keyAt(c, i);
  return out;
}

/**
 * Composite keys of several columns of a table, joined with "\u001f" (NA in any part → null).
 * Throws a DataError naming the table source and column when a column is missing.
 */
export function compositeKeys(t: Table, names: readonly string[]): (string | null)[] {
  const cols = names.map((n) => column(t, n));
  const out: (string | null)[] = new Array(t.nrows);
  for (let i = 0; i < t.nrows; i++) {
    let k = "";
    let na = false;
    for (let j = 0; j < cols.length; j++) {
      const v = keyAt(cols[j] as Column, i);
      if (v === null) {
        na = true;
        break;
      }
      k = j === 0 ? v : k + "\u001f" + v;
    }
    out[i] = na ? null : k;
  }
  return out;
}

/** Group row indices by key, in order of first appearance (null keys skipped). */
export function groupRows(keys: readonly (string | null)[]): { keys: string[]; first: number[]; rows: number[][]; index: Map<string, number> } {
  const index = new Map<string, number>();
  const ks: string[] = [];
  const first: number[] = [];
  const rows: number[][] = [];
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    if (k === null || k === undefined) continue;
    let g = index.get(k);
    if (g === undefined) {
      g = ks.length;
      index.set(k, g);
      ks.push(k);
      first.push(i);
      rows.push([]);
    }
    (rows[g] as number[]).push(i);
  }
  return { keys: ks, first, rows, index };
}


/**
 * Row indices grouped by the value of column `name`, in order of first appearance, as a Map
 * from key to rows (the form the panel measures use). A missing key is a DataError naming the
 * column and row. Built on `groupRows`.
 *
 * @example
 *   groupByColumn(t, "city").get("110000"); // [0, 1, 2, …] rows of Beijing
 */
export function groupByColumn(t: Table, name: string): Map<string, number[]> {
  const keys = keysOf(column(t, name));
  const na = keys.indexOf(null);
  if (na >= 0) throw new DataError("panel key is missing (NA)", { file: t.source, column: name, row: na + 1 });
  const g = groupRows(keys);
  return new Map(g.keys.map((key, j) => [key, g.rows[j] as number[]]));
}

/**
 * Row indices grouped by `unit`, each group sorted by `time`. Duplicate (unit, time) pairs
 * and missing times are DataErrors naming the time column and row.
 */
export function panelGroups(t: Table, unit: string, time: string): { groups: number[][]; time: Float64Array } {
  const tm = numeric(t, time);
  const groups: number[][] = [];
  for (const rows of groupByColumn(t, unit).values()) {
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

/** The numeric value of a time/year column at row i (NaN for NA); strings are parsed. */
export function numberAt(c: Column, i: number, source: string | undefined, name: string): number {
  if (c instanceof Float64Array) return c[i] as number;
  if (c instanceof Int32Array) return c[i] === NA_INT ? NaN : (c[i] as number);
  const v = c[i];
  if (v === null || v === undefined || v === "") return NaN;
  const x = Number(v);
  if (Number.isNaN(x)) throw new DataError(`expected a number, found "${v}"`, { file: source, column: name, row: i + 1 });
  return x;
}

/** Output columns for the given key columns, taken at the given representative rows. */
export function keyColumns(t: Table, names: readonly string[], rows: ArrayLike<number>): Record<string, Column> {
  const out: Record<string, Column> = {};
  for (const n of names) out[n] = takeColumn(column(t, n), rows);
  return out;
}

/** A column name or list of names as a list. @example asArray("city") // ["city"] */
export function asArray(x: string | readonly string[]): readonly string[] {
  return typeof x === "string" ? [x] : x;
}
