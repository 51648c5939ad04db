import { DataError } from "../util/errors";
import { type Column, type Table, NA_INT, column, hasColumn, numeric, table, isNA } from "./table";

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
 *   const t = validateTable(await readTable("x.csv"), CITY_YEAR);
 */
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

export function validateTable(t: Table, schema: Schema, file = t.source): Table {
  const loc = file ?? schema.name;
  if (t.nrows === 0 && !schema.allowEmpty) throw new DataError(`file is empty (no data rows; schema "${schema.name}")`, { file: loc });
  const cols: Record<string, Column> = { ...t.columns };
  for (const spec of schema.columns) {
    if (!hasColumn(t, spec.name)) {
      if (spec.required === false) continue;
      throw new DataError(`missing (required by schema "${schema.name}"; found: ${t.names.join(", ")})`, { file: loc, column: spec.name });
    }
    cols[spec.name] = coerce(t, spec, loc);
  }
  const out = table(cols, loc);
  if (schema.key && schema.key.length) checkUniqueKey(out, schema.key, loc);
  return out;
}

function coerce(t: Table, spec: ColumnSpec, file: string): Column {
  const c = column(t, spec.name);
  let out: Column;
  if (spec.type === "string") {
    if (c instanceof Float64Array || c instanceof Int32Array) {
      const s: (string | null)[] = new Array(c.length);
      for (let i = 0; i < c.length; i++) s[i] = isNA(c, i) ? null : String(c[i]);
      out = s;
    } else out = c;
  } else {
    const x = numeric({ ...t, source: file }, spec.name);
    if (spec.type === "integer") {
      const o = new Int32Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const v = x[i] as number;
        if (Number.isNaN(v)) { o[i] = NA_INT; continue; }
        if (!Number.isInteger(v) || v <= NA_INT || v > 2147483647)
          throw new DataError(`expected an integer, found ${v}`, { file, column: spec.name, row: i + 1 });
        o[i] = v;
      }
      out = o;
    } else out = x;
  }
  if (spec.nullable === false) {
    for (let i = 0; i < out.length; i++) if (isNA(out, i)) throw new DataError(`missing value where none is allowed`, { file, column: spec.name, row: i + 1 });
  }
  return out;
}

/** Throws a DataError naming the first row whose key repeats an earlier row. */
export function checkUniqueKey(t: Table, key: readonly string[], file = t.source): void {
  const cols = key.map((k) => column(t, k));
  const seen = new Map<string, number>();
  for (let i = 0; i < t.nrows; i++) {
    let k = "";
    for (const c of cols) k += (isNA(c, i) ? "NA" : String(c[i])) + "\u0001";
    const prev = seen.get(k);
    if (prev !== undefined)
      throw new DataError(`duplicate key (${key.map((n, j) => `${n}=${isNA(cols[j] as Column, i) ? "NA" : String((cols[j] as Column)[i])}`).join(", ")}) first seen at row ${prev + 1}`, { file, column: key.join("+"), row: i + 1 });
    seen.set(k, i);
  }
}
