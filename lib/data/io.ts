import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import * as zlib from "node:zlib";
import * as iconv from "iconv-lite";
import { isUtf8 } from "node:buffer";
import { sql, exec, registerTable, sqlString, quoteIdent } from "./duckdb";
import { table, STATA_MISSING_CODE, type Column, type Table } from "./table";
import { type Schema, validateTable } from "./schema";
import { ArgumentError, DataError } from "../util/errors";
import { firstInvalidGb18030, firstInvalidUtf8, gbCommonShare, isGbEncoding, normalizeEncoding } from "./dta/encoding";
import { checkDistinctNames } from "./dta/reader";

/**
 * Read and write column tables: CSV and Parquet through embedded DuckDB.
 *
 * @example
 *   const t = await readTable("data/raw/public/cities/cities.csv", { schema: CITIES });
 *   await writeTable(t, "data/derived/cities.parquet");
 */
export interface ReadOptions {
  /** Validate and coerce the columns against a schema (one-line errors naming file/column/row). */
  readonly schema?: Schema;
  /** Read only these columns. */
  readonly columns?: readonly string[];
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

export function fileFormat(file: string): FileFormat {
  const f = file.toLowerCase();
  if (f.endsWith(".parquet") || f.endsWith(".pq")) return "parquet";
  if (f.endsWith(".dta")) return "dta";
  if (f.endsWith(".xlsx") || f.endsWith(".xls") || f.endsWith(".xlsm")) return "xlsx";
  if (f.endsWith(".csv") || f.endsWith(".csv.gz") || f.endsWith(".tsv") || f.endsWith(".txt")) return "csv";
  throw new DataError(`unknown file type (expected .csv, .csv.gz, .tsv, .parquet, .dta, .xlsx or .xls)`, { file });
}

/** DuckDB table function that scans a file. */
export function scanExpression(file: string): string {
  const f = sqlString(path.resolve(file));
  return fileFormat(file) === "parquet" ? `read_parquet(${f})` : `read_csv(${f}, header = true, sample_size = 20480)`;
}

/**
 * Read a .csv/.csv.gz/.tsv/.txt, .parquet, .dta or Excel (.xlsx/.xls, one sheet: `readXlsx`)
 * file into a column table. CSV text is
 * checked for its encoding (UTF-8, else GBK/GB18030 in auto mode; `opts.encoding` overrides)
 * and transcoded to UTF-8 when needed; plain numeric ASCII files take the fast JavaScript path,
 * everything else DuckDB. Header names must be distinct. Stata's missing codes "." and
 * ".a"–".z" in numeric CSV columns are NA. Every problem is one DataError line naming the
 * file (and column, row, byte offset where they apply).
 *
 * @example
 *   const t = await readTable("城市面板.csv");                       // GBK from Excel: detected
 *   const u = await readTable("panel.dta", { encoding: "gbk" });   // Stata 13, Chinese Windows
 */
export async function readTable(file: string, opts: ReadOptions = {}): Promise<Table> {
  if (!fs.existsSync(file)) throw new DataError(`file not found`, { file });
  const st = fs.statSync(file);
  if (st.isDirectory()) throw new DataError(`is a directory, not a file`, { file });
  const fmt = fileFormat(file);
  if (fmt === "dta") {
    // Stata files are parsed in JavaScript (lib/data/dta); DuckDB cannot read them.
    const { readDta } = require("./dta") as typeof import("./dta");
    const t = readDta(file, { encoding: opts.encoding ?? "auto" }).table;
    return opts.schema ? validateTable({ ...t, source: file }, opts.schema, file) : t;
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
    return opts.schema ? validateTable({ ...picked, source: file }, opts.schema, file) : picked;
  }
  if (st.size === 0) throw new DataError(`file is empty`, { file });
  const enc = normalizeEncoding(opts.encoding ?? "auto");
  if (enc !== "auto" && enc !== "utf-8" && !iconv.encodingExists(enc)) throw new ArgumentError(`unknown text encoding "${opts.encoding}" (e.g. "gbk", "gb18030", "utf-8", "auto")`);
  const fastOk = fmt === "csv" && !opts.where && !(opts.intColumns && opts.intColumns.length) && process.env["VAGG_CSV_FAST"] !== "0";
  // plain numeric CSV: parsed in JavaScript (lib/data/csv-fast.ts), same values as DuckDB;
  // anything else (or VAGG_CSV_FAST=0) goes through DuckDB. The fast path accepts ASCII bodies
  // and a UTF-8 header only, so it needs no encoding check.
  if (fastOk && (enc === "auto" || enc === "utf-8")) {
    const { readNumericCsv } = require("./csv-fast") as typeof import("./csv-fast");
    const fast = await readNumericCsv(file);
    if (fast) return finishFast(fast, file, opts);
  }
  // parquet is binary; CSV text is checked (and transcoded to UTF-8 when it is not UTF-8)
  const prepared = fmt === "csv" ? await prepareCsv(file, enc) : { scanFile: file, text: null as Buffer | null, cleanup: () => undefined };
  try {
    if (prepared.text !== null && fastOk) {
      const { parseNumericCsv } = require("./csv-fast") as typeof import("./csv-fast");
      const fast = await parseNumericCsv(prepared.text, file);
      if (fast) return finishFast(fast, file, opts);
    }
    const cols = opts.columns ? opts.columns.map(quoteIdent).join(", ") : "*";
    const where = opts.where ? ` WHERE ${opts.where}` : "";
    let t: Table;
    try {
      t = await sql(`SELECT ${cols} FROM ${scanExpression(prepared.scanFile)}${where}`, { intColumns: opts.intColumns, source: file });
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
    if (fmt === "csv") t = stataMissingColumns(t, file, opts.mixedColumns ?? "text", new Set(opts.schema?.columns.map((c) => c.name)));
    return opts.schema ? validateTable(t, opts.schema, file) : t;
  } finally {
    prepared.cleanup();
  }
}

/** The fast path's table, narrowed to `opts.columns` and validated against `opts.schema`. */
function finishFast(fast: Table, file: string, opts: ReadOptions): Table {
  let t = fast;
  if (opts.columns) {
    const missing = opts.columns.find((c) => !(c in fast.columns));
    if (missing !== undefined) throw new DataError(`missing`, { file, column: missing });
    t = table(Object.fromEntries(opts.columns.map((c) => [c, fast.columns[c] as Column])), file);
  }
  return opts.schema ? validateTable(t, opts.schema, file) : t;
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

/**
 * Check a CSV file's text encoding and make it readable for DuckDB as UTF-8: the file itself
 * when it is UTF-8 (or ASCII), else a temporary UTF-8 copy (`text` holds its bytes, `cleanup`
 * removes it). Checks the header for duplicate column names. Throws one-line DataErrors: bytes
 * that are not valid in the encoding (byte offset, row), a duplicate column.
 */
async function prepareCsv(file: string, enc: string): Promise<{ scanFile: string; text: Buffer | null; cleanup: () => void }> {
  const gz = /\.gz$/i.test(file);
  const size = fs.statSync(file).size;
  let bytes: Buffer;
  if (gz) bytes = zlib.gunzipSync(fs.readFileSync(file));
  else if (size <= inMemoryBytes()) bytes = fs.readFileSync(file);
  else {
    const fd = fs.openSync(file, "r");
    try {
      bytes = Buffer.alloc(Math.min(SNIFF_BYTES, inMemoryBytes()));
      bytes = bytes.subarray(0, fs.readSync(fd, bytes, 0, bytes.length, 0));
      // cut at the last line feed so that a multi-byte character is not split
      bytes = bytes.subarray(0, bytes.lastIndexOf(10) + 1 || bytes.length);
    } finally { fs.closeSync(fd); }
  }
  const partial = !gz && size > inMemoryBytes();
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let use = enc;
  if (enc === "auto") {
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
  if (use === "utf-8") {
    checkHeader(bytes.toString("utf8", bom ? 3 : 0, Math.min(bytes.length, headerEnd(bytes))), file);
    return { scanFile: file, text: null, cleanup: () => undefined };
  }
  const tmp = path.join(os.tmpdir(), `vagg-utf8-${process.pid}-${++tmpCounter}${gz ? path.extname(file.slice(0, -3)) : path.extname(file)}`);
  const cleanup = () => fs.rmSync(tmp, { force: true });
  if (partial) {
    checkHeader(iconv.decode(bytes.subarray(0, headerEnd(bytes)), use), file);
    try {
      await transcodeStream(file, tmp, use);
    } catch (e) {
      cleanup();
      throw e;
    }
    return { scanFile: tmp, text: null, cleanup };
  }
  const text = iconv.decode(bytes, use);
  if (!isGbEncoding(use)) {
    const k = text.indexOf("\ufffd");
    if (k >= 0) throw new DataError(`is not valid ${use} text at row ${rowOfText(text, k)} (an undecodable byte sequence); set the right encoding with --encoding (readTable: { encoding }), e.g. "gbk" or "utf-8"`, { file });
  }
  checkHeader(text.slice(0, (text.indexOf("\n") + 1 || text.length + 1) - 1), file);
  const utf8 = Buffer.from(text, "utf8");
  fs.writeFileSync(tmp, utf8);
  return { scanFile: tmp, text: utf8, cleanup };
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
function checkHeader(line: string, file: string): void {
  const l = line.replace(/\r$/, "").replace(/^\ufeff/, "");
  const counts: Record<string, number> = { ",": 0, ";": 0, "\t": 0, "|": 0 };
  let q = false;
  for (const ch of l) if (ch === '"') q = !q; else if (!q && ch in counts) counts[ch]!++;
  const delim = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0];
  if (counts[delim] === 0) return;
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
  checkDistinctNames(names.filter((n) => n !== ""), file);
  const lower = new Map<string, number>();
  names.forEach((n, j) => {
    if (n === "") return;
    const k = lower.get(n.toLowerCase());
    if (k !== undefined) throw new DataError(`columns "${names[k]}" (column ${k + 1}) and "${n}" (column ${j + 1}) differ only in case; rename one`, { file });
    lower.set(n.toLowerCase(), j);
  });
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

export { checkDistinctNames } from "./dta/reader";

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
  const name = `__vagg_write_${process.pid}_${Date.now()}`;
  await registerTable(name, t);
  const target = sqlString(path.resolve(file));
  const how = fmt === "parquet" ? "(FORMAT PARQUET, COMPRESSION ZSTD)" : "(FORMAT CSV, HEADER TRUE)";
  try {
    await exec(`COPY (SELECT * FROM ${quoteIdent(name)}) TO ${target} ${how}`);
  } finally {
    await exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
  }
}
