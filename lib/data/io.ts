/**
 * Read and write column tables: CSV (incl. .csv.gz and GBK text), Parquet (through embedded
 * DuckDB), Stata .dta and Excel, all through `readTable` — the one way in for data.
 *
 * @example
 *   const t = await readTable("data/raw/synthetic/small/city_yearbook.csv", { schema: "auto" });
 *   const c = await readRawFile(env.dataDir, "cities.csv");   // the same, by raw-file name
 *   t.dropped.summary;                                          // "dropped no rows" or which and why
 *   await writeTable(t, "data/derived/cities.parquet");
 */

import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import * as zlib from "node:zlib";
import * as iconv from "iconv-lite";
import { isUtf8 } from "node:buffer";
import { sql, exec, sqlString, quoteIdent, withTempRelation } from "./duckdb";
import { table, takeRows, STATA_MISSING_CODE, type Column, type Table } from "./table";
import { type Schema, validateTable } from "./schema";
import { SCHEMA_BY_FILE } from "./schemas/by-file";
import { ArgumentError, DataError } from "../util/errors";
import { firstInvalidGb18030, firstInvalidUtf8, gbCommonShare, isGbEncoding, normalizeEncoding } from "./dta/encoding";
import { checkDistinctNames } from "./names";

/** Options of `readTable` (and `readRawFile`, without `schema`). */
export interface ReadOptions {
  /**
   * Validate the read: a `Schema`, or "auto" for the schema of one of the raw files, looked up
   * by the file's base name in `SCHEMA_BY_FILE` (a name not there is an error listing them).
   * Rows whose every value is missing are then left out and listed in `dropped`.
   */
  readonly schema?: Schema | "auto";
  /** Read only these columns. */
  readonly columns?: readonly string[];
  /**
   * A hint: only these columns are needed (e.g. the variables of a formula). A plain numeric CSV
   * (lib/data/csv-fast.ts) then converts only them, when all are in its header, and the table
   * holds only them; every other reader, or a name not in the header, gives all columns. Ignored
   * with a `schema`, which validates every column of the file.
   */
  readonly wanted?: readonly string[];
  /** Columns to bring back as Int32Array (ids, years). */
  readonly intColumns?: readonly string[];
  /** A SQL WHERE clause applied while reading. */
  readonly where?: string;
  /**
   * Text encoding of a CSV file or of a .dta file before Stata 14 (formats ≤ 117): any name
   * iconv-lite knows ("gbk", "gb18030", "big5", "windows-1252", "utf-8", …) or "auto"
   * (default). Auto: a UTF-8 byte-order mark or valid UTF-8 means UTF-8; otherwise a file that
   * decodes as GB18030 (a superset of GBK/GB2312: Excel's "CSV" on Chinese Windows) and whose
   * characters are mostly common Chinese ones is read as GB18030; otherwise the read stops with
   * one line naming the byte offset and row (Latin-1 text is refused, not misread). Non-UTF-8
   * text is transcoded to UTF-8 before parsing; plain ASCII/UTF-8 files are not copied.
   */
  readonly encoding?: string;
  /**
   * A CSV column whose values are mostly numbers but which also holds other text (not empty,
   * not "NA", not a Stata missing code "." / ".a"–".z"): "text" (default) keeps it as text —
   * code lists such as "01T02, …, TXS_IMP_FNL" are legitimate — and the estimators stop with
   * file, column, row and value only when it is used as a number (`nonNumericError` in
   * ./table); "error" stops right away with the same line.
   */
  readonly mixedColumns?: "error" | "text";
  /** Excel (.xlsx/.xls): sheet name or 1-based position (default the first sheet); see `readXlsx`. */
  readonly sheet?: string | number;
  /** Excel: 1-based row of the first header row (default: detected, title rows skipped). */
  readonly headerRow?: number;
  /** Excel: number of header rows (default: from the merged cells of the header row). */
  readonly headerRows?: number;
  /** Excel: read only this cell range, e.g. "A3:H40". */
  readonly range?: string;
  /** Excel: text meaning missing besides empty cells, e.g. ["—", "…"]. */
  readonly na?: readonly string[];
}

export type FileFormat = "csv" | "parquet" | "dta" | "xlsx";

/**
 * The reader a file goes to, by its extension: csv (also .csv.gz, .tsv, .txt), parquet, dta or xlsx (also .xls). Anything else is a DataError naming the file.
 *
 * @example
 *   fileFormat("panel.dta"); // "dta"
 */
export function fileFormat(file: string): FileFormat {
  const f = file.toLowerCase();
  if (f.endsWith(".parquet") || f.endsWith(".pq")) return "parquet";
  if (f.endsWith(".dta")) return "dta";
  if (f.endsWith(".xlsx") || f.endsWith(".xls") || f.endsWith(".xlsm")) return "xlsx";
  if (f.endsWith(".csv") || f.endsWith(".csv.gz") || f.endsWith(".tsv") || f.endsWith(".txt")) return "csv";
  throw new DataError(`unknown file type (expected .csv, .csv.gz, .tsv, .parquet, .dta, .xlsx or .xls)`, { file });
}

/**
 * DuckDB table function that scans a CSV or Parquet file, for SQL over files too large to load.
 * `textColumns` (CSV only) are read as VARCHAR whatever they look like. CSV column types (and the
 * delimiter, quote and escape) are sniffed from the first 20,480 rows; with `dialect` (as
 * `sniffCsvDialect` gives it) the delimiter, quote and escape are those, and the types are sniffed
 * from every row — what `readTable` retries with when a value after those rows does not fit the
 * sniffed type (R's "NA" in row 40,000 of a numeric column). With `numbersAsDouble` numbers are
 * sniffed as DOUBLE, never BIGINT (as `readTable` reads them): DuckDB would otherwise round a
 * "1.5" met after 20,480 integer rows to 2, without an error.
 *
 * @example
 *   await sql(`SELECT year, sum(value_usd) FROM ${scanExpression(file)} GROUP BY year`);
 */
export function scanExpression(file: string, textColumns: readonly string[] = [], dialect?: CsvDialect, numbersAsDouble = false): string {
  const f = sqlString(path.resolve(file));
  if (fileFormat(file) === "parquet") return `read_parquet(${f})`;
  const types = textColumns.length ? `, types = {${textColumns.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(", ")}}` : "";
  // without the integer types: DuckDB's cast of "1.5" to a column it sniffed as BIGINT rounds it to 2
  const doubles = numbersAsDouble ? `, auto_type_candidates = ['BOOLEAN', 'DOUBLE', 'TIME', 'DATE', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'VARCHAR']` : "";
  if (!dialect) return `read_csv(${f}, header = true, sample_size = 20480${doubles}${types})`;
  return `read_csv(${f}, header = true, sample_size = -1, delim = ${sqlString(dialect.delim)}, quote = ${sqlString(dialect.quote)}, escape = ${sqlString(dialect.escape)}${doubles}${types})`;
}

/** A CSV file's delimiter, quote and escape characters ("" for none). */
export interface CsvDialect {
  readonly delim: string;
  readonly quote: string;
  readonly escape: string;
}

/**
 * The delimiter, quote and escape DuckDB's sniffer finds in a CSV file's first 20,480 rows
 * (`sniff_csv`), as `scanExpression` reads the file by default.
 *
 * @example
 *   await sniffCsvDialect("panel.tsv");   // { delim: "\t", quote: "", escape: "" }
 */
export async function sniffCsvDialect(file: string): Promise<CsvDialect> {
  const t = await sql(`SELECT Delimiter AS d, Quote AS q, Escape AS e FROM sniff_csv(${sqlString(path.resolve(file))}, sample_size = 20480)`);
  const get = (n: string): string => { const v = String((t.columns[n] as unknown[])[0] ?? ""); return v === "(empty)" ? "" : v; };
  return { delim: get("d"), quote: get("q"), escape: get("e") };
}

/** A row `readTable` left out of the table. */
export interface DroppedRow {
  /**
   * Where it was: for text, Parquet and Stata files the 1-based data row (the header is row 0,
   * blank lines count, a quoted field's line breaks do not) — the numbering of error messages;
   * for Excel the Excel row.
   */
  readonly row: number;
  /**
   * "blank": an empty or whitespace-only line of a text file; "all-missing": every value missing
   * (left out only in a read with a schema); Excel: "empty", "note" (a footnote), "no-data" (see `readXlsx`).
   */
  readonly reason: "blank" | "all-missing" | "empty" | "note" | "no-data";
  /** Excel only: the row's text, cut to 80 characters. */
  readonly text?: string;
}

/** Every row `readTable` left out, frozen. */
export interface Dropped {
  /** The number of rows left out (= `rows.length`). */
  readonly count: number;
  /** Each row left out, in file order. */
  readonly rows: readonly DroppedRow[];
  /** One line for a log: `x.csv: dropped 3 rows: 2 blank (rows 4, 9), 1 all-missing (row 12)`, or `x.csv: dropped no rows`. */
  readonly summary: string;
}

/** What `readTable` returns: the table and the record of the rows it left out. */
export type LoadedTable = Table & { readonly dropped: Dropped };

/**
 * The schema of one of the raw files, by the file's base name (`SCHEMA_BY_FILE`); a DataError
 * naming the file and listing the known names when there is none.
 *
 * @example
 *   schemaForFile("data/raw/synthetic/small/census_2004.csv").name;   // "census"
 */
export function schemaForFile(file: string): Schema {
  const base = path.basename(file);
  const s = Object.prototype.hasOwnProperty.call(SCHEMA_BY_FILE, base) ? SCHEMA_BY_FILE[base] : undefined;
  if (!s) throw new DataError(`no schema for a raw file named "${base}" (schema "auto" knows: ${Object.keys(SCHEMA_BY_FILE).join(", ")}); pass a Schema object instead`, { file });
  return s;
}

/**
 * Read one of the raw files (`name` as in `SCHEMA_BY_FILE`, e.g. "city_yearbook.csv") from
 * the data folder `dir`, validated against its schema: `readTable(path.join(dir, name), { ...opts,
 * schema: "auto" })`. An unknown name is a DataError listing the known ones.
 *
 * @example
 *   const env = notebookEnv();
 *   const yb = await readRawFile(env.dataDir, "city_yearbook.csv");             // Int32Array city_code, year
 *   const c = await readRawFile(env.dataDir, "customs.parquet", { where: "year >= 2010" });
 */
export async function readRawFile(dir: string, name: string, opts: Omit<ReadOptions, "schema"> = {}): Promise<LoadedTable> {
  const file = path.join(dir, name);
  schemaForFile(file);
  return readTable(file, { ...opts, schema: "auto" });
}

/**
 * Read a .csv/.csv.gz/.tsv/.txt, .parquet, .dta or Excel (.xlsx/.xls, one sheet: `readXlsx`)
 * file into a column table, optionally validated against a schema.
 *
 * Method:
 *  - Text: the encoding is checked (UTF-8, else GBK/GB18030 in auto mode, UTF-16 after its byte-order mark; `opts.encoding`
 *    overrides) and the text transcoded to UTF-8 when needed; CRLF and LF line ends are both
 *    read. Blank (empty or whitespace-only) lines are left out — never silently: each is in
 *    `dropped` with its row. Files of numbers and text columns (comma, tab, semicolon or bar
 *    delimited, quoted header names, a UTF-8 byte-order mark) take the fast JavaScript path
 *    (lib/data/csv-fast.ts), everything else DuckDB. Stata's missing codes "." and ".a"–".z" and
 *    R's "NA" in numeric columns are NA; DuckDB sniffs column types from 20,480 rows and, when a
 *    later value does not fit (an "NA" in row 40,000), again from every row.
 *  - Column names must be distinct in every format (CSV header, Parquet schema, .dta
 *    variables, Excel header; CSV and Parquet also case-insensitively): a repeat is a DataError
 *    naming the column, both positions and the file (`checkDistinctNames`).
 *  - With `schema` (a `Schema`, or "auto": the raw file's schema by base name): rows whose every
 *    value is missing are left out and listed in `dropped`; then `validateTable` checks required
 *    columns, coerces types and checks the key, naming the file's own row numbers. Columns the
 *    schema does not declare, and any column order, are accepted. A schema's text columns are
 *    read as text by DuckDB (codes such as HS6 "010110" keep their leading zeros). With
 *    `columns`, only the selected schema columns are checked (the key only if all of it is selected);
 *    with `where`, rows are numbered in the filtered result.
 *
 * Every problem is one DataError line naming the file (and column, row, value, byte offset where
 * they apply); the CLI prints it without a stack trace.
 *
 * @example
 *   const t = await readTable("城市面板.csv");                             // GBK from Excel: detected
 *   const u = await readTable("panel.dta", { encoding: "gbk" });         // Stata 13, Chinese Windows
 *   const y = await readTable(path.join(dir, "city_yearbook.csv"), { schema: "auto" });
 *   y.dropped.count;   // rows left out (blank lines, all-missing rows), each in y.dropped.rows
 *   // a repeated city-year: vagg data error: …/city_yearbook.csv: duplicate key (city_code=110000, year=2006) at rows 5 and 9 (key city_code+year of schema "yearbook")
 */
export async function readTable(file: string, opts: ReadOptions = {}): Promise<LoadedTable> {
  const full = opts.schema === undefined ? undefined : opts.schema === "auto" ? schemaForFile(file) : opts.schema;
  const schema = full && opts.columns ? narrowSchema(full, opts.columns) : full;
  if (!fs.existsSync(file)) throw new DataError(`file not found`, { file });
  const st = fs.statSync(file);
  if (st.isDirectory()) throw new DataError(`is a directory, not a file`, { file });
  const fmt = fileFormat(file);
  if (fmt === "dta") {
    // Stata files are parsed in JavaScript (lib/data/dta); DuckDB cannot read them.
    const { readDta } = require("./dta") as typeof import("./dta");
    const t = readDta(file, { encoding: opts.encoding ?? "auto" }).table;
    const picked = opts.columns ? selectColumns(t, opts.columns, file) : t;
    return finish({ ...picked, source: file }, file, schema, []);
  }
  if (fmt === "xlsx") {
    // one sheet of a workbook, read in JavaScript (lib/data/xlsx): yearbook titles, merged
    // two-row headers and footnotes handled there, every dropped row listed in `.xlsx.dropped`
    const { readXlsx } = require("./xlsx") as typeof import("./xlsx");
    const x = readXlsx(file, {
      ...(opts.sheet !== undefined ? { sheet: opts.sheet } : {}),
      ...(opts.headerRow !== undefined ? { headerRow: opts.headerRow } : {}),
      ...(opts.headerRows !== undefined ? { headerRows: opts.headerRows } : {}),
      ...(opts.range !== undefined ? { range: opts.range } : {}),
      ...(opts.na !== undefined ? { na: opts.na } : {}),
    });
    const picked = opts.columns ? selectColumns(x, opts.columns, file) : x;
    // table row i → Excel row: the first data row, plus the empty rows inside the data left out before it
    const first = x.xlsx.dataRows[0];
    const inner = x.xlsx.dropped.filter((d) => d.reason === "empty" && d.row >= first && d.row <= x.xlsx.dataRows[1]).map((d) => d.row - first + 1);
    const skip = rowsAfterRemoved(inner);
    const excelRow = (i: number) => first - 1 + skip(i);
    const pre = x.xlsx.dropped.map((d): DroppedRow => Object.freeze({ row: d.row, reason: d.reason, text: d.text }));
    return finish({ ...picked, source: file }, file, schema, pre, excelRow, { xlsx: x.xlsx });
  }
  if (st.size === 0) throw new DataError(`file is empty`, { file });
  const enc = normalizeEncoding(opts.encoding ?? "auto");
  if (enc !== "auto" && enc !== "utf-8" && !iconv.encodingExists(enc)) throw new ArgumentError(`unknown text encoding "${opts.encoding}" (e.g. "gbk", "gb18030", "utf-8", "auto")`);
  const fastOk = fmt === "csv" && !opts.where && !(opts.intColumns && opts.intColumns.length) && process.env["VAGG_CSV_FAST"] !== "0";
  // a plain CSV of numbers and text columns: parsed in JavaScript (lib/data/csv-fast.ts), same
  // values as DuckDB; anything else (or VAGG_CSV_FAST=0) goes through DuckDB. Only the header and
  // the text fields can hold bytes ≥ 0x80, and the fast path checks their encoding (UTF-8, or the
  // GB family) as prepareCsv checks the whole file; when they are not valid it declines and
  // prepareCsv says what is wrong. It accepts blank lines only at the end of the file; they are
  // counted from the file's tail.
  if (fastOk && (enc === "auto" || enc === "utf-8" || isGbEncoding(enc)) && !/\.gz$/i.test(file)) {
    const fast = await readFastCsv(file, file, opts, schema, enc, null);
    if (fast) return fast;
  }
  if (fmt === "parquet") checkParquetNames(file, await parquetNames(file));
  // parquet is binary; CSV text is checked (and transcoded to UTF-8 when it is not UTF-8)
  const prepared = fmt === "csv" ? await prepareCsv(file, enc) : { scanFile: file, text: null as Buffer | null, cleanup: () => undefined, names: [] as string[], blank: [] as number[] };
  try {
    const blank = prepared.blank.map((row): DroppedRow => Object.freeze({ row, reason: "blank" }));
    if (prepared.text !== null && fastOk) {
      const fast = await readFastCsv(prepared.text, file, opts, schema, "auto", blank);
      if (fast) return fast;
    }
    const cols = opts.columns ? opts.columns.map(quoteIdent).join(", ") : "*";
    const where = opts.where ? ` WHERE ${opts.where}` : "";
    // a schema's text columns are read as text (DuckDB would read "010110" as the number 10110)
    const header = new Set(prepared.names);
    const textCols = fmt === "csv" && schema ? schema.columns.filter((c) => c.type === "string" && header.has(c.name)).map((c) => c.name) : [];
    let t: Table;
    // numbers sniffed as DOUBLE (the table holds doubles anyway): a decimal after 20,480 integer rows is not rounded
    const scan = (dialect?: CsvDialect) => sql(`SELECT ${cols} FROM ${scanExpression(prepared.scanFile, textCols, dialect, true)}${where}`, { intColumns: opts.intColumns, source: file });
    try {
      try {
        t = await scan();
      } catch (e) {
        // a value after the sniffed rows that does not fit the column's type (an "NA" in row 40,000 of
        // a numeric column): the types sniffed from every row instead, with the dialect of the first
        // rows (a full sniff could also pick another quote), so that the column is read as text and its
        // missing codes are then handled as anywhere else (stataMissingColumns)
        if (fmt !== "csv" || opts.where || e instanceof DataError || !/^Conversion Error/.test(String((e as Error).message ?? e))) throw e;
        t = await scan(await sniffCsvDialect(prepared.scanFile));
      }
    } catch (e) {
      if (e instanceof DataError) throw e;
      const msg = String((e as Error).message ?? e).split("\n")[0] ?? "";
      if (/No files found|does not exist/.test(msg)) throw new DataError(`file not found`, { file });
      if (opts.columns && /not found|Referenced column/.test(msg)) {
        const m = /column "?([^"\s]+)"? not found|Referenced column "?([^"\s]+)"?/i.exec(msg);
        throw new DataError(`missing`, { file, column: m?.[1] ?? m?.[2] ?? opts.columns.join(",") });
      }
      throw new DataError(`cannot be read: ${msg.split(path.resolve(prepared.scanFile)).join(file)}`, { file });
    }
    // columns a schema declares are checked by the schema (its own message names the row)
    if (fmt === "csv") t = stataMissingColumns(t, file, opts.mixedColumns ?? "text", new Set(schema?.columns.map((c) => c.name)));
    return finish(t, file, schema, blank);
  } finally {
    prepared.cleanup();
  }
}

/**
 * The fast CSV path (lib/data/csv-fast.ts) on a file (`src` its path; the file's encoding `enc`) or
 * on its text already read, gunzipped or transcoded to UTF-8 (`src` the bytes): the finished table,
 * or null when the parser declines or lacks a column asked for (then DuckDB reads it). `blank`: the
 * blank lines already found (null: counted from the file's tail, the only place the parser allows them).
 */
async function readFastCsv(src: string | Buffer, file: string, opts: ReadOptions, schema: Schema | undefined, enc: string, blank: readonly DroppedRow[] | null): Promise<LoadedTable | null> {
  const csv = require("./csv-fast") as typeof import("./csv-fast");
  const want = opts.columns ?? (schema ? undefined : opts.wanted);
  const textColumns = schema ? schema.columns.filter((c) => c.type === "string").map((c) => c.name) : [];
  const o = { ...(want ? { columns: want } : {}), text: true, encoding: enc, textColumns };
  const fast = typeof src === "string" ? await csv.readNumericCsv(src, o) : await csv.parseNumericCsv(sharedCopy(src), file, o);
  if (!fast || !hasColumns(fast, opts.columns)) return null;
  return finishFast(fast, file, opts, schema, blank ?? trailingBlankRows(file, fast.nrows));
}

/** Bytes from 16 MB on copied into a SharedArrayBuffer, so that the fast parser splits them over threads (a copy costs ≈ 1/10 of a parse). */
function sharedCopy(b: Buffer): Uint8Array {
  if (b.length < 16 * 2 ** 20) return b;
  const out = new Uint8Array(new SharedArrayBuffer(b.length));
  out.set(b);
  return out;
}

/** Does the fast path's table hold every column asked for, spelt as asked? Otherwise DuckDB reads the
 * file (its names match whatever the case, and it says which column is missing). */
function hasColumns(t: Table, columns: readonly string[] | undefined): boolean {
  return !columns || columns.every((c) => c in t.columns);
}

/** The fast path's table, narrowed to `opts.columns`, then `finish`ed. */
function finishFast(fast: Table, file: string, opts: ReadOptions, schema: Schema | undefined, blank: readonly DroppedRow[]): LoadedTable {
  let t = fast;
  if (opts.columns) {
    t = table(Object.fromEntries(opts.columns.map((c) => [c, fast.columns[c] as Column])), file);
  }
  // text columns as the DuckDB path leaves them: numbers with Stata/R missing codes become numeric
  t = stataMissingColumns(t, file, opts.mixedColumns ?? "text", new Set(schema?.columns.map((c) => c.name)));
  return finish(t, file, schema, blank);
}

/**
 * The last step of every read: with a schema, rows whose every value is missing are left out and
 * the rest validated (messages name the file's rows: `rowOf` maps a table row to them, by
 * default skipping the `blank` rows already left out); then the record of dropped rows is attached.
 */
function finish(t: Table, file: string, schema: Schema | undefined, pre: readonly DroppedRow[], rowOf?: (i: number) => number, extra: object = {}): LoadedTable {
  const base = rowOf ?? rowsAfterRemoved(pre.filter((d) => d.reason === "blank").map((d) => d.row));
  let out = t;
  const dropped = [...pre];
  if (schema) {
    const empty = allMissingRows(t);
    let row = base;
    if (empty.length) {
      const gone = new Uint8Array(t.nrows);
      for (const i of empty) { gone[i] = 1; dropped.push(Object.freeze({ row: base(i), reason: "all-missing" as const })); }
      const keep = new Int32Array(t.nrows - empty.length);
      for (let i = 0, k = 0; i < t.nrows; i++) if (!gone[i]) keep[k++] = i;
      out = takeRows(t, keep);
      row = (i: number) => base(keep[i] as number);
    }
    out = validateTable(out, schema, file, { rowNumber: row });
  }
  dropped.sort((a, b) => a.row - b.row);
  return Object.freeze({ ...out, ...extra, dropped: droppedRecord(dropped, file) });
}

/** `(i) → file row` for a table read from a file whose (sorted, 1-based) rows `removed` were left out. */
function rowsAfterRemoved(removed: readonly number[]): (i: number) => number {
  if (removed.length === 0) return (i) => i + 1;
  return (i) => {
    let r = i + 1;
    for (const b of removed) { if (b <= r) r++; else break; }
    return r;
  };
}

/**
 * Rows whose every value is missing (NaN, NA_INT, null, or text "", "NA", "NaN", "." or ".a"–".z":
 * a text column may still hold them when another cell made it text). The first column is scanned and
 * only its missing rows are checked further, so a table with few such rows costs one column pass.
 */
function allMissingRows(t: Table): number[] {
  const cols = t.names.map((n) => t.columns[n] as Column);
  const out: number[] = [];
  if (cols.length === 0) return out;
  const miss = (c: Column, i: number): boolean => {
    if (c instanceof Float64Array) { const v = c[i] as number; return v !== v; }
    if (c instanceof Int32Array) return c[i] === -2147483648;
    const v = c[i];
    if (v === null || v === undefined) return true;
    const s = v.trim();
    return s === "" || isMissingToken(s);
  };
  const c0 = cols[0] as Column;
  for (let i = 0; i < t.nrows; i++) {
    if (!miss(c0, i)) continue;
    let all = true;
    for (let j = 1; j < cols.length && all; j++) all = miss(cols[j] as Column, i);
    if (all) out.push(i);
  }
  return out;
}

function droppedRecord(rows: readonly DroppedRow[], file: string): Dropped {
  const name = path.basename(file);
  if (rows.length === 0) return Object.freeze({ count: 0, rows: Object.freeze([]), summary: `${name}: dropped no rows` });
  const by = new Map<string, number[]>();
  for (const d of rows) { const l = by.get(d.reason); if (l) l.push(d.row); else by.set(d.reason, [d.row]); }
  const parts = [...by].map(([reason, rs]) => `${rs.length} ${reason} (row${rs.length > 1 ? "s" : ""} ${rs.slice(0, 10).join(", ")}${rs.length > 10 ? ", …" : ""})`);
  return Object.freeze({ count: rows.length, rows: Object.freeze([...rows]), summary: `${name}: dropped ${rows.length} row${rows.length > 1 ? "s" : ""}: ${parts.join(", ")}` });
}

/** The schema restricted to `columns` (the key kept only when all of it is selected). */
function narrowSchema(schema: Schema, columns: readonly string[]): Schema {
  const sel = new Set(columns);
  const key = schema.key && schema.key.every((k) => sel.has(k)) ? schema.key : undefined;
  return { ...schema, columns: schema.columns.filter((c) => sel.has(c.name)), key };
}

/**
 * The column names of a CSV (header line) or Parquet file (schema), checked to be distinct as
 * every reader requires (`checkDistinctNames`): DuckDB's scans would rename a repeat ("gdp_1").
 * For a file that SQL reads in place (`checkScan`).
 *
 * @example
 *   await fileColumnNames("customs.parquet"); // ["firm_id", "city_code", …]
 */
export async function fileColumnNames(file: string): Promise<string[]> {
  if (fileFormat(file) === "parquet") { const names = await parquetNames(file); checkParquetNames(file, names); return names; }
  if (fileFormat(file) !== "csv") throw new DataError("column names can be checked for CSV and Parquet files only", { file });
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(1 << 16);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    let bytes = buf.subarray(0, n);
    if (file.endsWith(".gz")) bytes = zlib.gunzipSync(fs.readFileSync(file)).subarray(0, 1 << 16);
    return checkHeader(bytes.subarray(0, headerEnd(bytes)).toString("utf8"), file);
  } finally { fs.closeSync(fd); }
}

/** The top-level column names of a Parquet file, in order (its schema tree, depth first). */
async function parquetNames(file: string): Promise<string[]> {
  let rows: Table;
  try {
    rows = await sql(`SELECT name, num_children FROM parquet_schema(${sqlString(path.resolve(file))})`, { source: file });
  } catch (e) {
    throw new DataError(`cannot be read as Parquet: ${String((e as Error).message ?? e).split("\n")[0]?.split(path.resolve(file)).join(file)}`, { file });
  }
  const names = rows.columns["name"] as readonly (string | null)[];
  const kids = rows.columns["num_children"] as Column;
  const nk = (i: number): number => { const v = Number(kids[i]); return Number.isFinite(v) ? v : 0; };
  const out: string[] = [];
  // skip a subtree: returns the index after it
  const skip = (i: number): number => { let j = i + 1; for (let k = 0; k < nk(i); k++) j = skip(j); return j; };
  let i = 1;
  for (let k = 0; k < nk(0) && i < rows.nrows; k++) { out.push(String(names[i] ?? "")); i = skip(i); }
  return out;
}

function checkParquetNames(file: string, names: readonly string[]): void {
  checkDistinctNames(names, file, { ignoreCase: true });
}

/**
 * Data rows of the blank lines at the end of a file (those the fast path accepts), numbered after
 * the `nrows` data rows. Reads the file's tail only.
 */
function trailingBlankRows(file: string, nrows: number): DroppedRow[] {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, "r");
  let lf = 0;
  try {
    const buf = Buffer.alloc(65536);
    let end = size;
    scan: while (end > 0) {
      const start = Math.max(0, end - buf.length);
      const n = fs.readSync(fd, buf, 0, end - start, start);
      for (let i = n - 1; i >= 0; i--) {
        const c = buf[i];
        if (c === 10) lf++;
        else if (c !== 13) break scan;
      }
      end = start;
    }
  } finally { fs.closeSync(fd); }
  const k = Math.max(0, lf - 1);
  return Array.from({ length: k }, (_, j) => Object.freeze({ row: nrows + 1 + j, reason: "blank" as const }));
}

/**
 * Files up to this size are checked (and transcoded) in memory. Larger ones are sniffed on their
 * first 64 MB; if that is UTF-8 the file goes to DuckDB as it is, otherwise it is transcoded as a
 * stream (memory stays bounded).
 */
const CHECK_ALL_BYTES = 256 * 2 ** 20;
/** The in-memory limit; `VAGG_CSV_INMEMORY_BYTES` lowers it (tests exercise the streaming path with small files). */
function inMemoryBytes(): number {
  const v = Number(process.env["VAGG_CSV_INMEMORY_BYTES"]);
  return Number.isFinite(v) && v > 0 ? v : CHECK_ALL_BYTES;
}
const SNIFF_BYTES = 64 * 2 ** 20;
let tmpCounter = 0;

/** What `prepareCsv` hands to DuckDB. */
interface PreparedCsv {
  /** The file DuckDB reads: the file itself or a temporary UTF-8 copy. */
  readonly scanFile: string;
  /** The UTF-8 bytes of `scanFile` when they are in memory (for the fast parser), else null. */
  readonly text: Buffer | null;
  readonly cleanup: () => void;
  /** The header's column names. */
  readonly names: string[];
  /** Data rows (1-based) of the blank lines left out of `scanFile`. */
  readonly blank: number[];
}

/**
 * Check a CSV file's text encoding and make it readable for DuckDB as UTF-8: the file itself
 * when it is UTF-8 (or ASCII) and has no blank lines, else a temporary UTF-8 copy without them
 * (`text` holds its bytes, `cleanup` removes it; DuckDB skips empty lines silently and a
 * whitespace-only line derails its dialect sniffing, so blank lines are cut here and reported).
 * Checks the header for duplicate column names. Throws one-line DataErrors: bytes that are not
 * valid in the encoding (byte offset, row), a duplicate column.
 */
async function prepareCsv(file: string, enc: string): Promise<PreparedCsv> {
  const gz = /\.gz$/i.test(file);
  const size = fs.statSync(file).size;
  // a large file is sniffed on its first 64 MB only, unless it has blank lines to cut
  // UTF-16 is read whole: its line breaks are two bytes, which the byte search for blank lines would miss
  const fileUtf16 = !gz && utf16Of(readHead(file, 2)) !== null;
  let partial = !gz && size > inMemoryBytes() && !fileUtf16;
  if (fileUtf16 && size >= 2 ** 31)
    throw new DataError(`is UTF-16 text of ${size} bytes, too large to transcode in memory; convert it to UTF-8 first (e.g. iconv -f UTF-16 -t UTF-8)`, { file });
  if (partial && (await mayHaveBlankLines(file))) {
    if (size >= 2 ** 31) throw new DataError(`has blank lines (empty or whitespace-only) and is too large (${size} bytes) to remove them in memory; remove them (e.g. grep -v '^[[:space:]]*$')`, { file });
    partial = false;
  }
  let bytes: Buffer;
  if (gz) bytes = zlib.gunzipSync(fs.readFileSync(file));
  else if (!partial) bytes = fs.readFileSync(file);
  else {
    const fd = fs.openSync(file, "r");
    try {
      bytes = Buffer.alloc(Math.min(SNIFF_BYTES, inMemoryBytes()));
      bytes = bytes.subarray(0, fs.readSync(fd, bytes, 0, bytes.length, 0));
      // cut at the last line feed so that a multi-byte character is not split
      bytes = bytes.subarray(0, bytes.lastIndexOf(10) + 1 || bytes.length);
    } finally { fs.closeSync(fd); }
  }
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  // a UTF-16 byte-order mark (Excel's "Unicode Text" .txt, tab-delimited): FF FE / FE FF can start
  // neither UTF-8 nor GB18030 text, so it decides the encoding
  const utf16 = utf16Of(bytes);
  let use = enc;
  if (enc === "auto" && utf16) use = utf16;
  else if (enc === "auto") {
    // native check first (fast); the byte offset is only looked for when it fails
    const bad = isUtf8(bom ? bytes.subarray(3) : bytes) ? -1 : firstInvalidUtf8(bytes, bom ? 3 : 0);
    if (bad < 0) use = "utf-8";
    else if (bom) throw encodingError(file, bytes, bad, "UTF-8 (it starts with a UTF-8 byte-order mark)");
    else {
      const badGb = firstInvalidGb18030(bytes);
      if (badGb >= 0)
        throw new DataError(`text encoding not recognised: not UTF-8 (${where(bytes, bad)}) nor GBK/GB18030 (${where(bytes, badGb)}); set the file's encoding with --encoding (readTable: { encoding }), e.g. "big5" or "windows-1252"`, { file });
      const { chars, common } = gbCommonShare(bytes);
      if (2 * common < chars)
        throw new DataError(`text encoding not recognised: not UTF-8 (${where(bytes, bad)}), and only ${common} of its ${chars} two-byte characters are common Chinese ones, so probably not GBK either; set the file's encoding with --encoding (readTable: { encoding }), e.g. "windows-1252" or "gbk"`, { file });
      use = "gb18030";
    }
  } else if (enc === "utf-8") {
    const bad = isUtf8(bom ? bytes.subarray(3) : bytes) ? -1 : firstInvalidUtf8(bytes, bom ? 3 : 0);
    if (bad >= 0) throw encodingError(file, bytes, bad, "UTF-8");
  } else if (isGbEncoding(enc)) {
    const bad = firstInvalidGb18030(bytes);
    if (bad >= 0) throw encodingError(file, bytes, bad, enc.toUpperCase());
  }
  const tmp = path.join(os.tmpdir(), `vagg-utf8-${process.pid}-${++tmpCounter}${gz ? path.extname(file.slice(0, -3)) : path.extname(file)}`);
  const cleanup = () => fs.rmSync(tmp, { force: true });
  if (use === "utf-8") {
    const names = checkHeader(bytes.toString("utf8", bom ? 3 : 0, Math.min(bytes.length, headerEnd(bytes))), file);
    // a partial read has no blank lines (mayHaveBlankLines said so)
    const cut = partial ? null : cutBlankLines(bytes);
    // a gzipped file's text is in memory already: handed to the fast parser (DuckDB reads the .gz if it declines)
    if (!cut) return { scanFile: file, text: gz ? bytes : null, cleanup: () => undefined, names, blank: [] };
    fs.writeFileSync(tmp, cut.text);
    return { scanFile: tmp, text: cut.text, cleanup, names, blank: cut.rows };
  }
  if (partial) {
    const names = checkHeader(iconv.decode(bytes.subarray(0, headerEnd(bytes)), use), file);
    try {
      await transcodeStream(file, tmp, use);
    } catch (e) {
      cleanup();
      throw e;
    }
    return { scanFile: tmp, text: null, cleanup, names, blank: [] };
  }
  const text = iconv.decode(bytes, use);
  if (!isGbEncoding(use)) {
    const k = text.indexOf("\ufffd");
    if (k >= 0) throw new DataError(`is not valid ${use} text at row ${rowOfText(text, k)} (an undecodable byte sequence); set the right encoding with --encoding (readTable: { encoding }), e.g. "gbk" or "utf-8"`, { file });
  }
  const names = checkHeader(text.slice(0, (text.indexOf("\n") + 1 || text.length + 1) - 1), file);
  let utf8 = Buffer.from(text, "utf8");
  const cut = cutBlankLines(utf8);
  if (cut) utf8 = cut.text;
  fs.writeFileSync(tmp, utf8);
  return { scanFile: tmp, text: utf8, cleanup, names, blank: cut ? cut.rows : [] };
}

/**
 * Could the file hold a blank line (an empty or whitespace-only line after the header)? Streams
 * it in 8 MB pieces looking for "\n\n", "\n\r\n", "\n " and "\n\t" (bytes that GBK/GB18030 never
 * use inside a character); false means certainly not.
 */
/** The UTF-16 encoding whose byte-order mark (FF FE, FE FF) the bytes start with, or null. */
function utf16Of(b: Buffer): "utf-16le" | "utf-16be" | null {
  if (b.length < 2) return null;
  return b[0] === 0xff && b[1] === 0xfe ? "utf-16le" : b[0] === 0xfe && b[1] === 0xff ? "utf-16be" : null;
}

/** The first `n` bytes of a file (fewer when it is shorter). */
function readHead(file: string, n: number): Buffer {
  const b = Buffer.alloc(n);
  const fd = fs.openSync(file, "r");
  try {
    return b.subarray(0, fs.readSync(fd, b, 0, n, 0));
  } finally {
    fs.closeSync(fd);
  }
}

async function mayHaveBlankLines(file: string): Promise<boolean> {
  let prev = Buffer.alloc(0);
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 8 * 2 ** 20 })) {
    const b = chunk as Buffer;
    // the seam between two pieces, then the piece itself (no copy of the piece)
    if (hasBlankCandidate(Buffer.concat([prev, b.subarray(0, 2)]), 0) || hasBlankCandidate(b, 0)) return true;
    prev = b.subarray(Math.max(0, b.length - 2));
  }
  return false;
}

function hasBlankCandidate(b: Buffer, from: number): boolean {
  return b.indexOf("\n\n", from) >= 0 || b.indexOf("\n\r\n", from) >= 0 || b.indexOf("\n ", from) >= 0 || b.indexOf("\n\t", from) >= 0;
}

/**
 * The text without its blank lines (empty, or only spaces, tabs and CR) after the header, and the
 * data rows (1-based; line breaks inside quoted fields do not start a row) they were on; null
 * when there are none. A native search for "\n\n", "\n\r\n", "\n ", "\n\t" rules most files out
 * at once; only then is the text walked byte by byte, minding quotes.
 */
function cutBlankLines(buf: Buffer): { text: Buffer; rows: number[] } | null {
  const h = buf.indexOf(10);
  if (h < 0) return null;
  const start = h + 1;
  if (!hasBlankCandidate(buf, h)) return null;
  const rows: number[] = [];
  const keep: Buffer[] = [];
  const n = buf.length;
  let row = 0, lineStart = start, blank = true, inQ = false, from = 0;
  const endLine = (e: number) => {
    row++;
    if (blank) { rows.push(row); if (lineStart > from) keep.push(buf.subarray(from, lineStart)); from = e; }
  };
  for (let i = start; i < n; i++) {
    const c = buf[i] as number;
    if (inQ) { if (c === 34) inQ = false; continue; }
    if (c === 34) { inQ = true; blank = false; continue; }
    if (c === 10) { endLine(i + 1); lineStart = i + 1; blank = true; continue; }
    if (c !== 13 && c !== 32 && c !== 9) blank = false;
  }
  if (lineStart < n) endLine(n);
  if (rows.length === 0) return null;
  if (from < n) keep.push(buf.subarray(from, n));
  return { text: Buffer.concat(keep), rows };
}

/**
 * Transcode a large file from `enc` to UTF-8 chunk by chunk (iconv-lite carries partial
 * characters across chunks); an undecodable sequence (U+FFFD in the output) stops with its row.
 */
async function transcodeStream(file: string, out: string, enc: string): Promise<void> {
  const dec = iconv.getDecoder(enc);
  const fdOut = fs.openSync(out, "w");
  let lines = 0;
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 8 * 2 ** 20 })) {
      const text = dec.write(chunk as Buffer);
      const k = text.indexOf("\ufffd");
      if (k >= 0) throw new DataError(`not valid ${enc.toUpperCase()} text at row ${lines + rowOfText(text, k)}; set the file's encoding with --encoding (readTable: { encoding })`, { file });
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines++;
      fs.writeSync(fdOut, Buffer.from(text, "utf8"));
    }
    const rest = dec.end();
    if (rest) {
      if (rest.includes("\ufffd")) throw new DataError(`not valid ${enc.toUpperCase()} text at the end of the file (row ${lines}); set the file's encoding with --encoding (readTable: { encoding })`, { file });
      fs.writeSync(fdOut, Buffer.from(rest, "utf8"));
    }
  } finally {
    fs.closeSync(fdOut);
  }
}

/** One line for an invalid byte sequence: byte offset, row (1-based, header excluded; 0 = the header) and the option to use. */
function encodingError(file: string, bytes: Uint8Array, at: number, what: string): DataError {
  return new DataError(`not valid ${what} text: ${where(bytes, at)}; set the file's encoding with --encoding (readTable: { encoding }), e.g. "gbk" or "utf-8"`, { file });
}

/** "bytes FF B1 at byte 157 (row 7)": the offending bytes, their offset, and the data row (or "header"). */
function where(bytes: Uint8Array, at: number): string {
  const hex = Array.from(bytes.subarray(at, Math.min(at + 2, bytes.length)), (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ");
  const row = rowAt(bytes, at);
  return `bytes ${hex} at byte ${at} (${row === 0 ? "header" : `row ${row}`})`;
}

/** Data row (1-based, header excluded; 0 = the header line) of byte offset `at`. */
function rowAt(bytes: Uint8Array, at: number): number {
  let n = 0;
  for (let i = 0; i < at; i++) if (bytes[i] === 10) n++;
  return n;
}

function rowOfText(text: string, at: number): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < at; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

function headerEnd(bytes: Buffer): number {
  const i = bytes.indexOf(10);
  return i < 0 ? bytes.length : i;
}

/**
 * The header line's column names (delimiter: the most frequent of , ; tab | outside quotes)
 * must be distinct: DuckDB would rename a duplicate ("gdp_1") and the table would silently
 * hold a column nobody named. Names differing only in case are also refused, since DuckDB
 * identifiers are case-insensitive.
 */
function checkHeader(line: string, file: string): string[] {
  const l = line.replace(/\r$/, "").replace(/^\ufeff/, "");
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0, "|": 0 };
  let q = false;
  for (const ch of l) if (ch === '"') q = !q; else if (!q && ch in counts) counts[ch]!++;
  const delim = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0];
  if (counts[delim] === 0) return [l.trim()];
  const names: string[] = [];
  let cur = "";
  q = false;
  for (let i = 0; i < l.length; i++) {
    const ch = l[i] as string;
    if (ch === '"') { if (q && l[i + 1] === '"') { cur += '"'; i++; } else q = !q; }
    else if (ch === delim && !q) { names.push(cur.trim()); cur = ""; }
    else cur += ch;
  }
  names.push(cur.trim());
  checkDistinctNames(names, file, { ignoreCase: true });
  return names;
}

/** Stata's missing codes: "." (system missing) and ".a"–".z" (extended missing). */
const STATA_MISSING = STATA_MISSING_CODE;
/** Cells read as missing in a numeric column: Stata's codes and the NA spellings `numeric()` accepts. */
function isMissingToken(v: string): boolean {
  return STATA_MISSING.test(v) || v === "NA" || v === "NaN";
}

/**
 * Text columns of a CSV that are really numeric columns with Stata's missing codes (a Stata
 * `export delimited` or `outsheet` writes "." and ".a"–".z"): every non-empty value a number
 * or a missing code → a Float64Array with NaN for the missing ones, so that estimators count
 * them per variable as every other NA (`removed.naByVariable`). A column that is mostly
 * numbers but also holds other text stays text (default `mixed` "text"; `nonNumericError`
 * names the cell when it is used as a number) or, with `mixed` "error" and unless it is in
 * `leave`, is an error naming the file, column, row and value; a mostly-text column stays text.
 */
export function stataMissingColumns(t: Table, file: string, mixed: "error" | "text" = "text", leave: ReadonlySet<string> = new Set()): Table {
  let changed: Record<string, Column> | null = null;
  for (const name of t.names) {
    const c = t.columns[name] as Column;
    if (c instanceof Float64Array || c instanceof Int32Array) continue;
    let nNum = 0, nMiss = 0, nText = 0, firstText = -1;
    for (let i = 0; i < c.length; i++) {
      const v = c[i];
      if (v === null || v === undefined) continue;
      const s = v.trim();
      if (s === "") continue;
      if (isMissingToken(s)) nMiss++;
      else if (isNumberText(s)) {
        nNum++;
        if (/^[-+]?0\d/.test(s)) { nText = -1; break; } // "007": a code whose zeros a number would drop; leave the column as text
      }
      else {
        nText++;
        if (firstText < 0) firstText = i;
        if (2 * nText >= c.length) break; // text in half the rows: a text column, whatever follows
      }
    }
    if (nText < 0) continue;
    if (nText > 0) {
      if (mixed === "error" && nNum > nText && !leave.has(name)) {
        const v = (c[firstText] as string).trim();
        throw new DataError(`non-numeric text "${v}" in a numeric column (${nNum} of ${nNum + nText} values are numbers); correct it, or leave the cell empty or "." for missing`, { file, column: name, row: firstText + 1 });
      }
      continue;
    }
    if (nMiss === 0) continue; // DuckDB keeps such a column as text on purpose (e.g. "007" codes)
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) {
      const v = c[i];
      const s = v === null || v === undefined ? "" : v.trim();
      out[i] = s === "" || isMissingToken(s) ? NaN : Number(s);
    }
    (changed ??= {})[name] = out;
  }
  return changed ? table({ ...t.columns, ...changed }, t.source ?? file) : t;
}

/** A decimal number as a CSV holds one ("12", "-0.5", "1e-3", "+3"). */
function isNumberText(s: string): boolean {
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s);
}

export { checkDistinctNames } from "./names";

/** The named columns of an in-memory table, in that order (a missing one is a DataError naming it). */
function selectColumns(t: Table, names: readonly string[], file: string): Table {
  const cols: Record<string, Column> = {};
  for (const n of names) {
    if (!(n in t.columns)) throw new DataError(`missing`, { file, column: n });
    cols[n] = t.columns[n] as Column;
  }
  return { ...t, names: [...names], columns: cols };
}
export { nonNumericError } from "./table";

/** Write a table to CSV or Parquet (by extension), creating the directory. */
export async function writeTable(t: Table, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const fmt = fileFormat(file);
  if (fmt === "dta") {
    const { writeDta } = require("./dta") as { writeDta: (p: string, t: Table) => void };
    writeDta(file, t);
    return;
  }
  const target = sqlString(path.resolve(file));
  const how = fmt === "parquet" ? "(FORMAT PARQUET, COMPRESSION ZSTD)" : "(FORMAT CSV, HEADER TRUE)";
  await withTempRelation(t, (rel) => exec(`COPY (SELECT * FROM ${rel}) TO ${target} ${how}`));
}
