/**
 * Schema declarations for raw and derived files: columns with types, units and keys.
 * `validateTable` turns a freshly read table into the declared types and checks it, with
 * one-line errors that name the file, the column and the first offending row:
 *
 * - empty file (no data rows);
 * - a required column missing;
 * - a value of the wrong type (text in a number column, a fraction in an integer column);
 * - duplicate keys.
 *
 * @example
 *   const CITY_YEAR: Schema = { name: "city_year", key: ["city", "year"], columns: [
 *     { name: "city", type: "string" }, { name: "year", type: "integer" }, { name: "gdp", type: "number", unit: "10k CNY" } ] };
 *   const t = await readTable("x.csv", { schema: CITY_YEAR });   // = validateTable(await readTable("x.csv"), CITY_YEAR), plus file rows in messages
 */
import { DataError } from "../util/errors";
import { type Column, type StringColumn, type Table, NA_INT, STATA_MISSING_CODE, column, hasColumn, table, isNA } from "./table";

/** The declared type of a column: "number" → Float64Array, "integer" → Int32Array, "string" → text. */
export type ColumnType = "number" | "integer" | "string";

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  /** Default true. An optional column may be absent; if present it is validated. */
  readonly required?: boolean;
  readonly unit?: string;
  readonly description?: string;
  /** Allow NA values (default true). */
  readonly nullable?: boolean;
}

export interface Schema {
  readonly name: string;
  readonly description?: string;
  readonly columns: readonly ColumnSpec[];
  /** Columns that identify a row uniquely. */
  readonly key?: readonly string[];
  /** Allow zero data rows (default false). */
  readonly allowEmpty?: boolean;
}

export interface ValidateOptions {
  /**
   * The row number to name in messages for the 0-based table row `i` (default `i + 1`).
   * `readTable` passes the file's own numbering when it left rows out (blank lines, all-missing
   * rows; Excel: the Excel row), so that a message points at the row a spreadsheet shows.
   */
  readonly rowNumber?: (i: number) => number;
}

/**
 * Check a table against a schema and turn its columns into the declared types; returns a new
 * table (the input is not modified). Every problem stops with one DataError line naming the file,
 * the column and the row (and value, or the duplicated key and both rows).
 *
 * Method, in this order:
 *  1. zero data rows is an error unless `schema.allowEmpty`;
 *  2. every declared column must be present unless `required: false` (the message lists the
 *     columns found); columns the schema does not declare are kept as they are, and the order of
 *     the columns does not matter;
 *  3. each declared column is coerced: "number" → Float64Array (text holding numbers is parsed;
 *     empty, "NA", "NaN", "." and ".a"–".z" are NA; other text is an error naming the value),
 *     "integer" → Int32Array (a fraction or a value outside ±2^31 is an error), "string" →
 *     text (numbers become their decimal text); `nullable: false` and key columns must have no NA;
 *  4. the key columns must be unique together: one pass with an open-addressing hash table of
 *     row indices (hashes of the typed values, no per-row strings), O(n) time and 4–8 bytes per row.
 *
 * @example
 *   const CITY_YEAR: Schema = { name: "city_year", key: ["city", "year"], columns: [
 *     { name: "city", type: "string" }, { name: "year", type: "integer" }, { name: "gdp", type: "number", unit: "10k CNY" } ] };
 *   const t = validateTable(table({ city: ["A", "B"], year: [2010, 2010], gdp: ["1.5", "NA"] }), CITY_YEAR, "mem");
 *   t.columns.year;   // Int32Array [2010, 2010]
 *   // a repeated (city, year): vagg data error: x.csv: duplicate key (city=A, year=2010) at rows 1 and 3 (key city+year of schema "city_year")
 */
export function validateTable(t: Table, schema: Schema, file = t.source, opts: ValidateOptions = {}): Table {
  const loc = file ?? schema.name;
  const rowOf = opts.rowNumber ?? ((i: number) => i + 1);
  if (t.nrows === 0 && !schema.allowEmpty) throw new DataError(`file is empty (no data rows; schema "${schema.name}")`, { file: loc });
  const cols: Record<string, Column> = { ...t.columns };
  const keys = new Set(schema.key ?? []);
  for (const spec of schema.columns) {
    if (!hasColumn(t, spec.name)) {
      if (spec.required === false) continue;
      throw new DataError(`missing (required by schema "${schema.name}"; found: ${t.names.join(", ")})`, { file: loc, column: spec.name });
    }
    cols[spec.name] = coerce(column(t, spec.name), spec, loc, rowOf, keys.has(spec.name));
  }
  const out = table(cols, loc);
  if (schema.key && schema.key.length) checkUniqueKey(out, schema.key, loc, { rowNumber: rowOf, schema: schema.name });
  return out;
}

function coerce(c: Column, spec: ColumnSpec, file: string, rowOf: (i: number) => number, isKey: boolean): Column {
  const noNA = spec.nullable === false || isKey;
  const naError = (i: number) => new DataError(isKey ? `missing value in a key column` : `missing value where none is allowed`, { file, column: spec.name, row: rowOf(i) });
  if (spec.type === "string") {
    let out: (string | null)[] | StringColumn;
    if (c instanceof Float64Array || c instanceof Int32Array) {
      const s: (string | null)[] = new Array(c.length);
      for (let i = 0; i < c.length; i++) s[i] = isNA(c, i) ? null : String(c[i]);
      out = s;
    } else out = c;
    if (noNA) for (let i = 0; i < out.length; i++) if (out[i] === null || out[i] === undefined) throw naError(i);
    return out;
  }
  if (spec.type === "integer" && c instanceof Int32Array) {
    if (noNA) for (let i = 0; i < c.length; i++) if (c[i] === NA_INT) throw naError(i);
    return c;
  }
  const x = toNumbers(c, spec.name, file, rowOf);
  if (spec.type === "integer") {
    const n = x.length;
    const o = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = x[i] as number;
      if ((v | 0) === v && v !== NA_INT) { o[i] = v; continue; }
      if (v !== v) { if (noNA) throw naError(i); o[i] = NA_INT; continue; }
      throw new DataError(`expected an integer, found ${v}`, { file, column: spec.name, row: rowOf(i) });
    }
    return o;
  }
  if (noNA) for (let i = 0; i < x.length; i++) if ((x[i] as number) !== (x[i] as number)) throw naError(i);
  return x;
}

/** A column as numbers (NA → NaN); text that is not a number nor an NA spelling is an error naming its row and value. */
function toNumbers(c: Column, name: string, file: string, rowOf: (i: number) => number): Float64Array {
  if (c instanceof Float64Array) return c;
  if (c instanceof Int32Array) {
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = c[i] === NA_INT ? NaN : (c[i] as number);
    return out;
  }
  const out = new Float64Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    if (v === null || v === undefined) { out[i] = NaN; continue; }
    const s = v.trim();
    if (s === "" || s === "NA" || s === "NaN" || STATA_MISSING_CODE.test(s)) { out[i] = NaN; continue; }
    const x = Number(s);
    if (Number.isNaN(x)) throw new DataError(`expected a number, found "${v}"`, { file, column: name, row: rowOf(i) });
    out[i] = x;
  }
  return out;
}

export interface UniqueKeyOptions {
  /** Row number to name for the 0-based table row `i` (default `i + 1`). */
  readonly rowNumber?: (i: number) => number;
  /** Schema name, for the message. */
  readonly schema?: string;
}

/**
 * Throw a one-line DataError when two rows have the same values in all `key` columns, naming the
 * file, the key values and both rows:
 * `city_yearbook.csv: duplicate key (city_code=110000, year=2006) at rows 5 and 9 (key city_code+year of schema "yearbook")`.
 *
 * Method: integer key columns whose ranges multiply to at most 2^28 combinations (city × year)
 * are checked with a bitmap addressed by the combination (one sequential pass); otherwise
 * open addressing (linear probing) in an Int32Array of 2^k ≥ 2n slots holding row
 * indices; a row's hash mixes its key values (integers as they are, doubles by their bits with
 * -0 = 0 and one NaN, strings by their UTF-16 code units), and equal hashes are confirmed by
 * comparing the key columns. O(n) expected time, no per-row allocation; NA equals NA.
 *
 * @example
 *   checkUniqueKey(table({ id: [1, 2, 1] }), ["id"], "x.csv");
 *   // throws: vagg data error: x.csv: duplicate key (id=1) at rows 1 and 3 (key id)
 */
export function checkUniqueKey(t: Table, key: readonly string[], file = t.source, opts: UniqueKeyOptions = {}): void {
  const n = t.nrows;
  if (n < 2 || key.length === 0) return;
  const cols = key.map((k) => column(t, k));
  const rowOf = opts.rowNumber ?? ((i: number) => i + 1);
  const dup = (j: number, i: number): DataError => {
    const vals = key.map((name, q) => `${name}=${isNA(cols[q] as Column, i) ? "NA" : String((cols[q] as Column)[i])}`).join(", ");
    const what = `key ${key.join("+")}${opts.schema ? ` of schema "${opts.schema}"` : ""}`;
    return new DataError(`duplicate key (${vals}) at rows ${rowOf(j)} and ${rowOf(i)} (${what})`, { file });
  };
  if (cols.every((c) => c instanceof Int32Array)) {
    const e = uniqueIntKeys(cols as Int32Array[], n);
    if (e !== null) { if (e[0] >= 0) throw dup(e[0], e[1]); return; }
  }
  const h = new Uint32Array(n);
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  for (const c of cols) {
    if (c instanceof Int32Array) {
      for (let i = 0; i < n; i++) h[i] = Math.imul((h[i] as number) ^ (c[i] as number), 0x9e3779b1) ^ ((h[i] as number) >>> 15);
    } else if (c instanceof Float64Array) {
      for (let i = 0; i < n; i++) {
        let v = c[i] as number;
        if (v === 0) v = 0; else if (v !== v) v = NaN;
        f64[0] = v;
        const m = Math.imul(((h[i] as number) ^ (u32[0] as number)), 0x85ebca6b) ^ (u32[1] as number);
        h[i] = Math.imul(m ^ (m >>> 13), 0xc2b2ae35);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const s = c[i];
        let x = (h[i] as number) ^ 0x27d4eb2d;
        if (s === null || s === undefined) x = Math.imul(x ^ 0x5bd1e995, 0x01000193);
        else for (let j = 0; j < s.length; j++) x = Math.imul(x ^ s.charCodeAt(j), 0x01000193);
        h[i] = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
      }
    }
  }
  let size = 2;
  while (size < 2 * n) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  for (let i = 0; i < n; i++) {
    let x = h[i] as number;
    x ^= x >>> 16; x = Math.imul(x, 0x7feb352d); x ^= x >>> 15;
    let s = x & mask;
    for (;;) {
      const j = slots[s] as number;
      if (j < 0) { slots[s] = i; break; }
      if (h[j] === h[i] && sameKey(cols, i, j)) throw dup(j, i);
      s = (s + 1) & mask;
    }
  }
}

/**
 * Integer keys whose value ranges multiply to at most 2^28 combinations (city × year: ~3·10^5 ×
 * 20): a bitmap addressed by the combination, one sequential pass. Returns null when the ranges
 * are too wide (the caller hashes), [-1, -1] when unique, else the rows [first, repeat].
 */
function uniqueIntKeys(cols: readonly Int32Array[], n: number): [number, number] | null {
  const lo: number[] = [], span: number[] = [];
  let cells = 1;
  for (const c of cols) {
    let a = 2147483647, b = -2147483648;
    for (let i = 0; i < n; i++) { const v = c[i] as number; if (v < a) a = v; if (v > b) b = v; }
    lo.push(a); span.push(b - a + 1);
    cells *= b - a + 1;
    if (cells > 2 ** 28) return null;
  }
  const bits = new Uint32Array(Math.ceil(cells / 32));
  const m = cols.length;
  for (let i = 0; i < n; i++) {
    let k = 0;
    for (let q = 0; q < m; q++) k = k * (span[q] as number) + ((cols[q] as Int32Array)[i] as number) - (lo[q] as number);
    const w = k >>> 5, bit = 1 << (k & 31);
    if ((bits[w] as number) & bit) {
      // the first row with this key: only looked for when there is a repeat
      for (let j = 0; j < i; j++) { let same = true; for (let q = 0; q < m && same; q++) same = (cols[q] as Int32Array)[j] === (cols[q] as Int32Array)[i]; if (same) return [j, i]; }
    }
    bits[w] = (bits[w] as number) | bit;
  }
  return [-1, -1];
}

function sameKey(cols: readonly Column[], i: number, j: number): boolean {
  for (const c of cols) {
    const a = c[i], b = c[j];
    if (a === b) continue;
    if (typeof a === "number" && typeof b === "number" && a !== a && b !== b) continue;
    return false;
  }
  return true;
}
