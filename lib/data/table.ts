import { DataError } from "../util/errors";

/**
 * The column table: named, equally long columns of three kinds.
 *
 * - `Float64Array`: numbers; NA is `NaN` (±Inf is kept as a value and counted separately where it matters).
 * - `Int32Array`: integers (ids, years, codes); NA is `NA_INT` (-2^31, R's NA_integer_).
 * - `StringColumn` (`(string | null)[]`): text; NA is `null`.
 *
 * Tables are immutable by convention: functions return new tables and never write into
 * the arrays they were given. Columns can be shared between tables (no copies on select).
 *
 * @example
 *   const t = table({ city: ["a", "b"], year: Int32Array.of(2010, 2011), gdp: Float64Array.of(1.5, NaN) });
 *   numeric(t, "gdp"); // Float64Array [1.5, NaN]
 */
export type StringColumn = ReadonlyArray<string | null>;
export type Column = Float64Array | Int32Array | StringColumn;
export type ColumnKind = "f64" | "i32" | "str";

/** R's NA_integer_: the NA marker of Int32Array columns. */
export const NA_INT = -2147483648;

export interface Table {
  readonly nrows: number;
  readonly names: readonly string[];
  readonly columns: Readonly<Record<string, Column>>;
  /** Where the table came from (a file path), used in error messages. */
  readonly source?: string;
}

/**
 * The kind of a column: `f64` (Float64Array, NA = NaN), `i32` (Int32Array, NA = NA_INT) or `str` (strings, NA = null).
 *
 * @example
 *   columnKind(Float64Array.of(1, 2)); // "f64"
 */
export function columnKind(c: Column): ColumnKind {
  if (c instanceof Float64Array) return "f64";
  if (c instanceof Int32Array) return "i32";
  return "str";
}

/** Build a table from columns of equal length. Plain number arrays become Float64Array. */
export function table(cols: Record<string, Column | readonly number[]>, source?: string): Table {
  const names = Object.keys(cols);
  const columns: Record<string, Column> = {};
  let nrows = -1;
  for (const name of names) {
    let c = cols[name] as Column | readonly number[];
    if (Array.isArray(c) && c.length > 0 && c.every((v) => typeof v === "number")) c = Float64Array.from(c as number[]);
    const col = c as Column;
    if (nrows === -1) nrows = col.length;
    else if (col.length !== nrows)
      throw new DataError(`has ${col.length} rows but the table has ${nrows}`, { file: source, column: name });
    columns[name] = col;
  }
  return Object.freeze({ nrows: Math.max(nrows, 0), names: Object.freeze(names), columns: Object.freeze(columns), source });
}

/** The column `name`, or a DataError naming it (and the closest existing name). */
export function column(t: Table, name: string): Column {
  const c = t.columns[name];
  if (c === undefined) throw new DataError(`not found${suggest(name, t.names)}`, { file: t.source, column: name });
  return c;
}

/**
 * Whether the table has a column of this exact name.
 *
 * @example
 *   hasColumn(t, "city"); // true
 */
export function hasColumn(t: Table, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(t.columns, name);
}

/**
 * The column as Float64Array (NA → NaN). Int32 columns are converted; in a string column
 * empty cells, "NA", "NaN" and Stata's missing codes "." / ".a"–".z" are NaN, and the first
 * other value that is not a number is an error naming it and its row.
 */
export function numeric(t: Table, name: string): Float64Array {
  const c = column(t, name);
  if (c instanceof Float64Array) return c;
  if (c instanceof Int32Array) {
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = c[i] === NA_INT ? NaN : (c[i] as number);
    return out;
  }
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    if (v === null || v === undefined || v === "") {
      out[i] = NaN;
      continue;
    }
    const x = Number(v);
    if (Number.isNaN(x) && v !== "NaN" && v !== "NA" && !STATA_MISSING_CODE.test(v))
      throw new DataError(`expected a number, found "${v}"`, { file: t.source, column: name, row: i + 1 });
    out[i] = x;
  }
  return out;
}

/** Stata's missing codes as text: "." (system missing) and ".a"–".z" (extended missing). */
export const STATA_MISSING_CODE = /^\.[a-z]?$/;

/**
 * Why column `name` cannot be used as a number, as a one-line DataError naming the file,
 * column, row and value — or null when it can (numeric, or text holding only numbers and NA
 * spellings: empty, "NA", "NaN", ".", ".a"–".z"). A mostly numeric column names its first
 * non-numeric cell ("non-numeric text "n/a" at row 17 …"); only a mostly-text column (e.g. city
 * names) gets the hint to use it as a fixed effect. For callers that need a number column
 * (formula variables, estimators).
 *
 * @example
 *   const e = nonNumericError(t, "gdp", "log(gdp)");
 *   if (e) throw e; // vagg data error: x.csv: column "gdp", row 17, term "log(gdp)": non-numeric text "n/a" in a numeric column (…)
 */
export function nonNumericError(t: Table, name: string, term?: string): DataError | null {
  const c = column(t, name);
  if (c instanceof Float64Array || c instanceof Int32Array) return null;
  let nNum = 0, nText = 0, first = -1;
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    if (v === null || v === undefined) continue;
    const s = v.trim();
    if (s === "" || s === "NA" || s === "NaN" || STATA_MISSING_CODE.test(s)) continue;
    if (Number.isNaN(Number(s))) { nText++; if (first < 0) first = i; }
    else nNum++;
  }
  if (first < 0) return null;
  const value = (c[first] as string).trim();
  const loc = { file: t.source, column: name, row: first + 1, ...(term !== undefined && term !== name ? { term } : {}) };
  if (nNum > nText)
    return new DataError(`non-numeric text "${value}" in a numeric column (${nNum} of ${nNum + nText} values are numbers); correct it, or leave the cell empty or "." for missing`, loc);
  return new DataError(`is text (e.g. "${value}"), not numeric${nNum > 0 ? ` (${nNum} of ${nNum + nText} values are numbers)` : ""}; to use it as a fixed effect, put it after "|"`, loc);
}

/** Keep the named columns, in the given order. */
export function select(t: Table, names: readonly string[]): Table {
  const cols: Record<string, Column> = {};
  for (const n of names) cols[n] = column(t, n);
  return table(cols, t.source);
}

/** Add or replace columns. */
export function withColumns(t: Table, cols: Record<string, Column>): Table {
  return table({ ...t.columns, ...cols }, t.source);
}

/** Rows at the given indices (repeats allowed), all columns. */
export function takeRows(t: Table, idx: ArrayLike<number>): Table {
  const cols: Record<string, Column> = {};
  for (const n of t.names) cols[n] = takeColumn(t.columns[n] as Column, idx);
  return table(cols, t.source);
}

/**
 * The rows `idx` of one column, in that order, as a new column of the same kind.
 *
 * @example
 *   takeColumn(Float64Array.of(1, 2, 3), [2, 0]); // Float64Array [3, 1]
 */
export function takeColumn(c: Column, idx: ArrayLike<number>): Column {
  const m = idx.length;
  if (c instanceof Float64Array) {
    const o = new Float64Array(m);
    for (let i = 0; i < m; i++) o[i] = c[idx[i] as number] as number;
    return o;
  }
  if (c instanceof Int32Array) {
    const o = new Int32Array(m);
    for (let i = 0; i < m; i++) o[i] = c[idx[i] as number] as number;
    return o;
  }
  const o: (string | null)[] = new Array(m);
  for (let i = 0; i < m; i++) o[i] = c[idx[i] as number] ?? null;
  return o;
}

/** Rows where mask[i] is true (or non-zero). */
export function filterRows(t: Table, mask: ArrayLike<boolean | number>): Table {
  return takeRows(t, maskToIndex(mask));
}

/**
 * The indices of the true (non-zero) entries of a mask.
 *
 * @example
 *   maskToIndex([true, false, true]); // Int32Array [0, 2]
 */
export function maskToIndex(mask: ArrayLike<boolean | number>): Int32Array {
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) k++;
  const idx = new Int32Array(k);
  k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) idx[k++] = i;
  return idx;
}

/** Is the value at row i missing (NaN, NA_INT or null)? */
export function isNA(c: Column, i: number): boolean {
  if (c instanceof Float64Array) return Number.isNaN(c[i] as number);
  if (c instanceof Int32Array) return c[i] === NA_INT;
  const v = c[i];
  return v === null || v === undefined;
}

/** The first `n` rows as plain objects, for display. */
export function toRecords(t: Table, n = t.nrows): Record<string, number | string | null>[] {
  const out: Record<string, number | string | null>[] = [];
  const m = Math.min(n, t.nrows);
  for (let i = 0; i < m; i++) {
    const r: Record<string, number | string | null> = {};
    for (const name of t.names) {
      const c = t.columns[name] as Column;
      if (c instanceof Int32Array) r[name] = c[i] === NA_INT ? null : (c[i] as number);
      else if (c instanceof Float64Array) r[name] = Number.isNaN(c[i] as number) ? null : (c[i] as number);
      else r[name] = c[i] ?? null;
    }
    out.push(r);
  }
  return out;
}

/** Build a table from row objects (small data only: tests, hand-made examples). */
export function fromRecords(rows: readonly Record<string, number | string | null | undefined>[], source?: string): Table {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), names.push(k));
  const cols: Record<string, Column> = {};
  for (const n of names) {
    const allNum = rows.every((r) => r[n] === null || r[n] === undefined || typeof r[n] === "number");
    if (allNum) cols[n] = Float64Array.from(rows, (r) => (typeof r[n] === "number" ? (r[n] as number) : NaN));
    else cols[n] = rows.map((r) => (r[n] === null || r[n] === undefined ? null : String(r[n])));
  }
  return table(cols, source);
}

/** " (did you mean "x"?)" when a close name exists, else "". */
export function suggest(name: string, names: readonly string[]): string {
  let best = "";
  let bestD = Infinity;
  for (const n of names) {
    const d = editDistance(name.toLowerCase(), n.toLowerCase());
    if (d < bestD) (bestD = d), (best = n);
  }
  return best && bestD <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : "";
}

function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = cur;
  }
  return prev[n] as number;
}
