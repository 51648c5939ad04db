/**
 * A fast path for the most common input of `readTable`: a plain numeric CSV (one header line of
 * distinct names, every other field a decimal number, a missing code or empty). Such a file
 * is parsed in one pass over its bytes into Float64Arrays, empty fields → NaN, with the same
 * values DuckDB's reader gives: the correctly rounded double of each decimal token, bit for bit
 * what `Number()` (ECMAScript) gives, except that "-0" is read as 0 (as it always was here; DuckDB
 * keeps −0). The digits of a token are gathered as hi·10^nlo + lo (hi: the first 8 significant
 * digits, lo: the next ones) and its power of ten q from the point and the exponent; then:
 *  - ≤ 15 significant digits and |q| ≤ 22: one division or multiplication of two exact doubles,
 *    which rounds correctly (Clinger 1990, "How to read floating point numbers accurately");
 *  - ≤ 19 significant digits and |q| ≤ 250 (16–17-digit output of R's fwrite, Stata, pandas,
 *    exponents such as "1.23456789012345e-05"): `decimalToDouble`, a double-double product of the
 *    digits and 10^q (Dekker 1971) with an error below 2^-101 and a test that the rounding is
 *    decided — Eisel–Lemire's idea (Lemire 2021) in doubles; the proof is in its comment;
 *  - the rest — the near-ties that test refers back (in practice only exact halfway strings such
 *    as "9007199254740993"), > 19 significant digits, |q| > 250 — goes to `slowToken`,
 *    which checks the grammar and uses `Number()` where the two routes above do not apply.
 * `bench/read-csv-precision.ts` times files of 6 decimals, 15, 16 and 17 significant digits.
 *
 * Users' dialects (each read as DuckDB reads it, tested against it):
 *  - the delimiter is the one of DuckDB's candidates (comma, tab, semicolon, bar) that the header
 *    holds; a header with two of them, or — for a delimiter other than the comma — another
 *    candidate in the first 64 KB, declines;
 *  - header names may be quoted (R's `write.csv`), and a UTF-8 byte-order mark opens the file
 *    (Excel's "CSV UTF-8"; the text must then be UTF-8);
 *  - the missing codes R's "NA", "NaN" and Stata's "." and ".a"–".z" in a numeric column are NaN,
 *    what `readTable`'s DuckDB path makes of them (`stataMissingColumns`), also when the first one
 *    comes after the rows DuckDB sniffs. A column of numbers and missing codes was read as text
 *    and converted afterwards (616,591 rows: 2.7 → 1.0 s);
 *  - quoted numbers and missing codes ("1.5", "NA": exports that quote every field) are read
 *    unquoted, as DuckDB reads them.
 *
 * Anything outside that grammar — a leading "+" (text for DuckDB), other words, quoted fields
 * holding a delimiter or "", quoted fields when the header and first 64 KB hold no quote (DuckDB
 * then keeps the quotes), fields starting with ' (DuckDB might take it for the quote), dates,
 * booleans, leading zeros such as "007", a row with the wrong number of fields, a column with no
 * value at all, a header that looks numeric — makes it return `null`, and `readTable` reads the
 * file with DuckDB as before, so the fast path never changes what a file means; it only skips
 * DuckDB's type sniffing and the copy out of its vectors. A test checks bitwise equality with the
 * DuckDB path. Known differences, kept: "-0" is 0 here; a schema's string column of numbers in a
 * file with neither text nor missing codes is read as numbers ("8471.0" → "8471", on which the
 * appendix's synthetic files rely; declined from 2^53 on, where a number cannot hold the digits).
 *
 * Text columns (`text: true`, as `readTable` asks): users' files carry names — cities, firms,
 * provinces, often in Chinese and often GBK-encoded. A column whose first 64 KB hold a field that
 * is certainly text for any type sniffer (`certainlyText`) is read as text: each field's bytes go
 * into the column's dictionary (`textField`: an open-addressing hash of byte strings, per thread),
 * and only the distinct values are checked for their encoding (UTF-8, else GB18030 as `readTable`
 * decides, `textEncoding`) and decoded — the bytes ≥ 0x80 of such a file can only be in its header
 * and text fields, since numbers are ASCII. A 616,591-row file with a Chinese city column reads
 * as fast as its numeric twin (DuckDB's reader and the GBK transcoding took 2–4 times as long).
 * Dates, codes with leading zeros, booleans, "" escapes and line breaks inside quotes still decline.
 *
 * `columns` (optional): the only columns wanted. When every one of them is in the header, the
 * other fields are not converted at all — only checked to hold nothing but the bytes of a number
 * (digits, ".", "-", "+", "e", "E"; anything else still declines) — and the table holds the wanted
 * columns only. The wanted columns' values are the same bits either way.
 *
 * Threads: files from 16 MB on are cut at T − 1 byte offsets (T = the processors available, at
 * most 4, at least 2); part j runs from the line after the first line feed at or after its
 * offset to the first line feed at or after the next one. Each part is read from the file and
 * parsed by its own thread (a worker for every part but the first, started before the first is
 * read, so reading, worker start-up and parsing overlap) into its own columns; the parts' rows
 * are then copied after the first part's, in order. No line feeds are counted in advance: the
 * columns grow when a part has more rows than estimated from the first 64 KB.
 *
 * @example
 *   const t = await readNumericCsv("design.csv");   // Table, or null → use DuckDB
 *   const u = await readNumericCsv("design.csv", { columns: ["y", "x1", "city"] });
 */
import * as fs from "node:fs";
import * as os from "node:os";
import { isUtf8 } from "node:buffer";
import * as iconv from "iconv-lite";
import { table, type Table } from "./table";
import { firstInvalidGb18030, gbCommonShare, isGbEncoding, normalizeEncoding } from "./dta/encoding";

const LF = 10;
/** Files larger than this are left to DuckDB (which streams), so memory stays bounded. */
const MAX_BYTES = 2 ** 31 - 1;
/** Files larger than this are parsed by several threads. */
const PARALLEL_BYTES = 16 * 2 ** 20;
/** At most this many threads parse one file. */
const MAX_THREADS = 4;
/** Bytes read beyond a part's nominal end to find the line feed that ends it (more when needed). */
const OVERLAP = 65536;

/** `parallelBytes`: the size from which several threads parse (default 16 MB; for `parseNumericCsv`
 * a shared buffer only). `threads`: how many then (default: the processors available, 2 to 4).
 * `stats`: filled with the number of tokens that went to `Number()` (near-ties, > 19 digits, …).
 * `columns`: the columns wanted (see the module comment). */
export interface ParseOptions {
  readonly parallelBytes?: number;
  readonly threads?: number;
  readonly stats?: { fallbacks: number };
  readonly columns?: readonly string[];
  /**
   * Also accept text columns (default false: any text declines). A column is text when a field of
   * the first 64 KB is not a number and is certainly text for DuckDB's type sniffer too (a byte
   * ≥ 0x80, or letters that no boolean, date, time or special number spells: `certainlyText`);
   * its fields are kept as byte strings in a dictionary and decoded once per distinct value. Quoted
   * fields are accepted in text columns (not with "" escapes or line breaks inside). Empty and
   * quoted-empty fields are null, spaces are kept: as DuckDB reads them.
   */
  readonly text?: boolean;
  /** Encoding of the text (with `text`): "auto" (default: UTF-8, else GB18030 when the text is
   * valid GB18030 and mostly common Chinese characters, else decline), "utf-8", or one of the GB
   * family ("gbk", "gb18030", …). Only the header and the text fields can hold bytes ≥ 0x80, so
   * checking them checks the file. */
  readonly encoding?: string;
  /** Columns that must be read as text (a schema's string columns): when the file has text columns,
   * the fast path declines if one of these is in the header but not a text column. */
  readonly textColumns?: readonly string[];
}

/** The delimiters a type sniffer tries (DuckDB's: comma, tab, semicolon, bar), as bytes. */
const DELIMITERS = [44, 9, 59, 124];

/** The header line of a file: its column names, their number K, the index of its line feed `he`,
 * the delimiter byte `sep` and whether the file starts with a UTF-8 byte-order mark (`bom`, which
 * DuckDB skips; the text must then be UTF-8). The delimiter is the one candidate of `DELIMITERS`
 * the header holds: a header with none or two of them is declined (null), as is one that is not a
 * plain header (`headerNames`). Names may be quoted ("y","x1": R's `write.csv`). With
 * `anyEncoding`, a header that is not ASCII (GBK names) is accepted with names null: they are
 * decoded once the file's encoding is known (`headerNames` in `finishParts`), and K counts its
 * fields (neither a delimiter nor a quote byte is ever part of a GB character). */
function parseHeader(buf: Buffer, n: number, anyEncoding = false): { names: string[] | null; K: number; he: number; sep: number; bom: boolean } | null {
  let he = buf.indexOf(LF);
  if (he === -1 || he > n) he = n;
  const bom = he >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf;
  const from = bom ? 3 : 0;
  const to = he > from && buf[he - 1] === 13 ? he - 1 : he;
  let sep = -1;
  for (const d of DELIMITERS) {
    const at = buf.indexOf(d, from);
    if (at === -1 || at >= to) continue;
    if (sep !== -1) return null; // two candidates: which one a sniffer takes is not for this path to guess
    sep = d;
  }
  if (sep === -1) return null;
  let ascii = true;
  for (let i = from; i < to; i++) if ((buf[i] as number) >= 0x80) { ascii = false; break; }
  // a header that is not UTF-8 (e.g. GBK column names) is left to readTable's encoding check; with
  // `anyEncoding`, a header with any byte ≥ 0x80 is decoded with the text (`textEncoding`), so that
  // GBK names whose bytes happen to be valid UTF-8 are read as GBK too
  if (!ascii && (bom || !anyEncoding) && !isUtf8(buf.subarray(from, to))) return null;
  if (!ascii && anyEncoding) {
    const fields = splitLine(buf.toString("latin1", from, to), sep);
    return fields && fields.length >= 2 ? { names: null, K: fields.length, he, sep, bom } : null;
  }
  const names = headerNames(buf.toString("utf8", from, to), sep);
  return names ? { names, K: names.length, he, sep, bom } : null;
}

/** The names of a decoded header line (without its line end and byte-order mark), or null when it
 * is not a plain header: at least two names, each bare or wholly quoted, none empty, padded,
 * numeric-looking or holding a quote or a delimiter, no two equal (ignoring case). */
function headerNames(line: string, sep: number): string[] | null {
  if (line.startsWith("\ufeff")) return null;
  const fields = splitLine(line, sep);
  if (!fields) return null;
  const names = fields.map((f) => f.text);
  const K = names.length;
  if (K < 2 || names.some((s) => s === "" || s.trim() !== s || /^[-+.\d]/.test(s) || /["'\t;|,\r\n]/.test(s))) return null;
  if (new Set(names.map((s) => s.toLowerCase())).size !== K) return null;
  return names;
}

/** Which fields to convert (1) or only check (0): all, unless every wanted column is in the header. */
function usedMask(names: readonly string[] | null, K: number, columns: readonly string[] | undefined): Uint8Array {
  const use = new Uint8Array(K).fill(1);
  if (names && columns && columns.every((c) => names.includes(c))) names.forEach((nm, k) => (use[k] = columns.includes(nm) ? 1 : 0));
  return use;
}

/**
 * The field modes of a file: `use` (1 convert, 0 only check) with 2 for each text column (3 when
 * not wanted) when `opts.text` allows them, from the first 64 KB after the header. A column is
 * text when one of its fields there is neither a number nor a missing code (`MISSING_CODE`); the
 * file is declined (null) when such a column holds no field there that is `certainlyText`, so that
 * DuckDB's sniffer, which reads at least those rows, also types it VARCHAR — or when every column
 * would be text (DuckDB might then take the header for data), a line there has not K fields, or,
 * with a delimiter other than the comma, another candidate delimiter appears there (a sniffer
 * might weigh it).
 */
function fieldModes(buf: Buffer, he: number, K: number, sep: number, use: Uint8Array, opts: ParseOptions): Uint8Array | null {
  const stop = buf.lastIndexOf(LF, Math.min(buf.length, he + 1 + OVERLAP) - 1);
  if (stop <= he) return use;
  if (sep !== 44) for (const d of DELIMITERS) if (d !== sep && buf.indexOf(d, he + 1) !== -1 && buf.indexOf(d, he + 1) < stop) return null;
  if (!opts.text) return use;
  const nonNumber = new Uint8Array(K), sure = new Uint8Array(K);
  for (const raw of buf.toString("latin1", he + 1, stop).split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line === "") continue;
    const fields = splitLine(line, sep);
    if (!fields || fields.length !== K) return null;
    for (const f of fields) if (!f.quoted && f.text.startsWith("'")) return null; // DuckDB might take ' for the quote
    fields.forEach((f, k) => {
      if (f.text === "" || NUMBER_TEXT.test(f.text) || MISSING_CODE.test(f.text)) return;
      nonNumber[k] = 1;
      if (certainlyText(f.text)) sure[k] = 1;
    });
  }
  let text = 0;
  for (let k = 0; k < K; k++) if (nonNumber[k] === 1) { if (sure[k] === 0) return null; text++; }
  if (text === 0) return use;
  if (text === K) return null;
  return use.map((u, k) => (nonNumber[k] === 1 ? (u === 1 ? 2 : 3) : u));
}

/**
 * The missing codes a numeric column may hold, read as NaN: R's "NA", "NaN", Stata's "." and
 * ".a"–".z" — what `readTable`'s DuckDB path makes of them (`stataMissingColumns`; DuckDB reads
 * "NaN" as NaN itself). Unquoted only; any other word makes the column text or the file declined.
 */
const MISSING_CODE = /^(NA|NaN|\.[a-z]?)$/;

/** A number in the grammar the parser accepts (a leading "+" too). */
const NUMBER_TEXT = /^[-+]?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$|^[-+]?\.\d+([eE][-+]?\d+)?$/;
/** Words without digits that DuckDB can cast to a boolean, a special double or a special date. */
const CASTABLE_WORDS = new Set(["true", "false", "t", "f", "yes", "no", "y", "n", "on", "off", "nan", "inf", "infinity", "epoch", "today", "now", "tomorrow", "yesterday", "allballs", "null"]);

/**
 * Is this field (bytes as latin1) text for any type sniffer: a byte ≥ 0x80 (Chinese names in
 * UTF-8 or GBK); or letters, no digit, and not one of the `CASTABLE_WORDS` ("NA", "Beijing");
 * or, with digits, neither a 0x/0b/0o literal nor holding a date or a time ("2020-01-05 …",
 * "10:00 UTC"), a letter outside a b e m p t x z, which numbers (1e5), times (AM/PM) and
 * timestamps (T, Z) use ("GD001", "3rd")? Anything else ("007", "2020-01-01", "1.",
 * "-") may be sniffed as another type, and the file is left to DuckDB.
 */
function certainlyText(field: string): boolean {
  const t = field.trim();
  if (/[\x80-\xff]/.test(t)) return true;
  if (!/[A-Za-z]/.test(t)) return false;
  if (!/\d/.test(t)) return !CASTABLE_WORDS.has(t.toLowerCase().replace(/^[-+]/, ""));
  if (/^[-+]?0[xXbBoO]/.test(t)) return false; // hexadecimal, binary or octal literals
  // a date or a time, whatever follows ("2020-01-05 10:00:00 Asia/Shanghai", "10:00 UTC"): DuckDB may read a timestamp
  if (/\d[-/.]\d{1,2}[-/.]\d|\d:\d/.test(t)) return false;
  return /[cdfghijklnoqrsuvwyCDFGHIJKLNOQRSUVWY]/.test(t);
}

/** The fields of one line (latin1), unquoted, split at the delimiter byte `sep`; null when a quote is not a whole field's or a "" escape. */
function splitLine(line: string, sep: number): { text: string; quoted: boolean }[] | null {
  const out: { text: string; quoted: boolean }[] = [];
  const sepChar = String.fromCharCode(sep);
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      const j = line.indexOf('"', i + 1);
      if (j < 0 || line.charCodeAt(j + 1) === 34) return null;
      if (j + 1 < line.length && line.charCodeAt(j + 1) !== sep) return null;
      out.push({ text: line.slice(i + 1, j), quoted: true });
      i = j + 1;
    } else {
      let j = line.indexOf(sepChar, i);
      if (j < 0) j = line.length;
      const text = line.slice(i, j);
      if (text.includes('"')) return null;
      out.push({ text, quoted: false });
      i = j;
    }
    if (i >= line.length) return out;
    i++; // the delimiter
    if (i === line.length) { out.push({ text: "", quoted: false }); return out; }
  }
}

/**
 * The parser's dialect as one number: the delimiter byte, plus 256 when a double quote appears in
 * the header or in the rows after it up to 64 KB and at most 20,000 lines — inside DuckDB's
 * 20,480-row sample, whose sniffer then takes " for the quote. Without one it reads no quotes at
 * all ("Bei" keeps its quotes), so a quoted field met later declines the file.
 */
function dialectOf(buf: Buffer, h: { he: number; sep: number }): number {
  let stop = Math.min(buf.length, h.he + 1 + OVERLAP);
  for (let p = h.he, lines = 0; p !== -1 && p < stop; p = buf.indexOf(10, p + 1))
    if (++lines > 20000) { stop = p; break; }
  const q = buf.indexOf(34);
  return h.sep | (q !== -1 && q < stop ? 256 : 0);
}

/** Threads for a file of `size` bytes (1 below `parallelBytes`). */
function threadCount(size: number, opts: ParseOptions): number {
  if (size < (opts.parallelBytes ?? PARALLEL_BYTES)) return 1;
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  return Math.max(2, Math.min(MAX_THREADS, opts.threads ?? cores));
}

/**
 * Read a file and parse it as a plain numeric CSV (method: see the module comment); null when it
 * is not one. Blank lines at the end are accepted (and counted by `readTable`).
 *
 * @example
 *   const t = await readNumericCsv("design.csv");   // Table of Float64Arrays, or null → use DuckDB
 */
export async function readNumericCsv(file: string, opts: ParseOptions = {}): Promise<Table | null> {
  const size = fs.statSync(file).size;
  if (size === 0 || size > MAX_BYTES) return null;
  // the header first (its first 64 KB, more for a longer header), so the workers can start before the bulk is read
  let head = readAt(file, 0, Math.min(size, OVERLAP));
  while (head && head.indexOf(LF) === -1 && head.length < size) head = readAt(file, 0, Math.min(size, head.length * 4));
  if (!head) return null;
  const h = parseHeader(head, head.length, opts.text === true);
  if (!h) return null;
  const use = fieldModes(head, h.he, h.K, h.sep, usedMask(h.names, h.K, opts.columns), opts);
  if (!use) return null;
  const T = threadCount(size, opts);
  const cut = (j: number): number => Math.floor((size * j) / T);
  const est = rowsPerByte(head, h.he);
  const workers: Promise<Part>[] = [];
  const dia = dialectOf(head, h);
  for (let j = 1; j < T; j++) workers.push(parsePartInWorker({ file, from: cut(j), to: cut(j + 1), size }, h.K, dia, use, est));
  const buf = readPart(file, 0, cut(1), size, fs);
  if (!buf) { await Promise.all(workers); return null; }
  const end = T === 1 ? buf.length : partEnd(buf, 0, cut(1), size);
  return finishParts(h, head, use, mainPart(buf, h.he + 1, end, h.K, dia, use, est * size), workers, file, opts);
}

/** Parse a buffer as a plain numeric CSV (see the module comment); null when it is not one. A
 * shared buffer from `parallelBytes` on is parsed by several threads (parts as in `readNumericCsv`). */
export async function parseNumericCsv(bytes: Uint8Array, source?: string, opts: ParseOptions = {}): Promise<Table | null> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length); // a view: Buffer's native indexOf
  const n = buf.length;
  const h = parseHeader(buf, n, opts.text === true);
  if (!h) return null;
  const use = fieldModes(buf, h.he, h.K, h.sep, usedMask(h.names, h.K, opts.columns), opts);
  if (!use) return null;
  const T = buf.buffer instanceof SharedArrayBuffer ? threadCount(n, opts) : 1;
  const cut = (j: number): number => Math.floor((n * j) / T);
  const est = rowsPerByte(buf, h.he);
  const workers: Promise<Part>[] = [];
  const dia = dialectOf(buf, h);
  for (let j = 1; j < T; j++)
    workers.push(parsePartInWorker({ shared: buf.buffer as SharedArrayBuffer, offset: buf.byteOffset, length: n, from: cut(j), to: cut(j + 1) }, h.K, dia, use, est));
  const end = T === 1 ? n : partEnd(buf, 0, cut(1), n);
  return finishParts(h, buf, use, mainPart(buf, h.he + 1, end, h.K, dia, use, est * n), workers, source, opts);
}

/** One part's result: its rows (−1: not a plain numeric CSV), its wanted columns (capacity ≥ rows), which columns had a value, Number() fallbacks. */
interface Part { rows: number; cols: Float64Array[]; seen: Uint8Array; fb: number; dicts: (TextDict | null)[] }

/** Rows per byte after the header, from the line feeds in its first 64 KB, plus 5% (an estimate: the columns grow if it is low). */
function rowsPerByte(buf: Buffer, he: number): number {
  const stop = Math.min(buf.length, he + 1 + OVERLAP);
  let lines = 0;
  for (let p = buf.indexOf(LF, he + 1); p !== -1 && p < stop; p = buf.indexOf(LF, p + 1)) lines++;
  // no line feed there: the first row is longer than the sample
  return (Math.max(1, lines) / Math.max(1, stop - he - 1)) * 1.05;
}

/** Parse the first part on this thread. */
function mainPart(buf: Buffer, start: number, end: number, K: number, dialect: number, use: Uint8Array, estRows: number): Part {
  // headroom of one chunk's worst case (`chunked` grows the columns when the next chunk might not fit)
  const cols = newColumns(K, use, Math.ceil(estRows + 1048576 / K) + 16);
  const seen = new Uint8Array(K), fb = new Float64Array(1);
  const dicts = Array.from({ length: K }, (_, k) => ((use[k] as number) >= 2 ? newTextDict() : null));
  const rows = start >= end ? 0 : chunked(buf, start, end, K, dialect, use, cols, seen, fb, tenPowers(), parseBody, slowToken, decimalToDouble, textField, dicts, missingCode);
  return { rows, cols: cols.filter((_, k) => use[k] === 1 || use[k] === 2), seen, fb: fb[0] as number, dicts };
}

/** Columns of a part: one Float64Array per wanted field, one shared scratch array for every other field. */
function newColumns(K: number, use: Uint8Array, cap: number): Float64Array[] {
  let sink: Float64Array | undefined;
  return Array.from({ length: K }, (_, k) => (use[k] === 1 || use[k] === 2 ? new Float64Array(cap) : (sink ??= new Float64Array(cap))));
}

/** Join the parts (the first one's rows, then each worker's, in order) into the table, or null.
 * `h`: the header (`parseHeader`) of `buf`; names null: they are decoded with the text (`textEncoding`). */
async function finishParts(h: NonNullable<ReturnType<typeof parseHeader>>, buf: Buffer, use: Uint8Array, first: Part, workers: Promise<Part>[], source: string | undefined, opts: ParseOptions): Promise<Table | null> {
  const parts = [first, ...(await Promise.all(workers))];
  if (opts.stats) opts.stats.fallbacks = parts.reduce((s, p) => s + p.fb, 0);
  if (parts.some((p) => p.rows < 0)) return null;
  const rows = parts.reduce((s, p) => s + p.rows, 0);
  const K = use.length;
  // a kept column needs a value (or a missing code) somewhere: an empty one is VARCHAR for DuckDB
  for (let k = 0; k < K; k++) if ((use[k] === 1 || use[k] === 2) && !parts.some((p) => p.seen[k] !== 0)) return null;
  if (rows === 0) return null;
  // text columns: one dictionary over the parts, then the file's encoding from the header and the distinct values
  const texts = new Map<number, { codes: Int32Array; values: Buffer[] }>();
  const counts: number[] = [];
  for (let k = 0, c = 0; k < K; k++) {
    // a text column not wanted (3) has a dictionary too, so that its bytes are checked for the encoding
    if ((use[k] as number) >= 2) texts.set(k, mergeText(parts, k, use[k] === 2 ? c : -1, rows, counts));
    if (use[k] === 1 || use[k] === 2) c++;
  }
  const pieces: Buffer[] = [];
  const weights: number[] = [];
  const from = h.bom ? 3 : 0, to = h.he > from && buf[h.he - 1] === 13 ? h.he - 1 : h.he;
  if (h.names === null) { pieces.push(buf.subarray(from, to)); weights.push(1); }
  let ci = 0;
  for (const t of texts.values()) for (const v of t.values) { pieces.push(v); weights.push(counts[ci++] as number); }
  // only UTF-8 after a UTF-8 byte-order mark (as readTable's own check), and with the bar delimiter:
  // "|" (0x7C) can be the second byte of a GBK character, which the parser would have split
  const utf8Only = h.bom || h.sep === 124;
  const enc = pieces.length ? textEncoding(pieces, weights, utf8Only ? "utf-8" : (opts.encoding ?? "auto")) : "utf-8";
  if (enc === null || (utf8Only && opts.encoding !== undefined && !["auto", "utf-8"].includes(normalizeEncoding(opts.encoding)))) return null;
  const names = h.names ?? headerNames(decodeText(buf.subarray(from, to), enc), h.sep);
  if (!names || names.length !== K) return null;
  // with text columns the DuckDB path reads a schema's string columns as VARCHAR ("8471", not 8471): decline
  // when one of them is numeric here (a file without text keeps its numbers, as it always did)
  // and likewise when the file has a missing code (the DuckDB path reads that column as text too); a
  // number from 2^53 on cannot hold a code's digits (an 18-digit ID): declined in every file
  const coded = parts.some((p) => p.seen.some((b) => (b & 2) !== 0));
  const wide = (k: number): boolean => { const c = use.slice(0, k).filter((u) => u === 1 || u === 2).length; return parts.some((p) => (p.cols[c] as Float64Array).subarray(0, p.rows).some((v) => Math.abs(v) >= 2 ** 53)); };
  if (opts.textColumns?.some((c) => { const k = names.indexOf(c); return k >= 0 && (use[k] as number) < 2 && (texts.size > 0 || coded || (use[k] === 1 && wide(k))); })) return null;
  const out: Record<string, Float64Array | (string | null)[]> = {};
  let c = 0;
  for (let k = 0; k < K; k++) {
    if (use[k] !== 1 && use[k] !== 2) continue;
    const nm = names[k] as string;
    const t = texts.get(k);
    if (t) {
      const strings = t.values.map((v) => decodeText(v, enc));
      const col: (string | null)[] = new Array(rows);
      for (let i = 0; i < rows; i++) { const code = t.codes[i] as number; col[i] = code < 0 ? null : (strings[code] as string); }
      out[nm] = col;
      c++;
      continue;
    }
    let col = first.cols[c] as Float64Array;
    if (col.length < rows) { const wide = new Float64Array(rows); wide.set(col.subarray(0, first.rows)); col = wide; }
    for (let j = 1, at = first.rows; j < parts.length; j++) {
      const p = parts[j] as Part;
      col.set((p.cols[c] as Float64Array).subarray(0, p.rows), at);
      at += p.rows;
    }
    // a view, not a copy (the capacity beyond the rows is left unused)
    out[nm] = col.length === rows ? col : col.subarray(0, rows);
    c++;
  }
  return table(out, source);
}

/**
 * Text column k over the parts: each row's code in one dictionary of distinct byte strings (−1:
 * null), in order of first appearance; the number of fields holding each value is appended to
 * `counts` (for the encoding's share of common Chinese characters). `c`: its position among the
 * parts' kept columns, which hold the codes as doubles (NaN: null); −1 for a column not kept
 * (only its distinct values and counts, for the encoding check).
 */
function mergeText(parts: readonly Part[], k: number, c: number, rows: number, counts: number[]): { codes: Int32Array; values: Buffer[] } {
  const codes = new Int32Array(c < 0 ? 0 : rows);
  const ids = new Map<string, number>();
  const values: Buffer[] = [];
  const base = counts.length;
  let at = 0;
  for (const p of parts) {
    const d = p.dicts[k] as TextDict;
    const remap = new Int32Array(d.n);
    for (let e = 0; e < d.n; e++) {
      const bytes = Buffer.from(d.arena.buffer, d.arena.byteOffset + (d.start[e] as number), d.len[e] as number);
      const key = bytes.toString("latin1");
      let id = ids.get(key);
      if (id === undefined) { id = values.length; ids.set(key, id); values.push(Buffer.from(bytes)); counts.push(0); }
      counts[base + id] = (counts[base + id] as number) + (d.count[e] as number);
      remap[e] = id;
    }
    if (c >= 0) {
      const col = p.cols[c] as Float64Array;
      for (let i = 0; i < p.rows; i++) { const v = col[i] as number; codes[at + i] = v !== v ? -1 : (remap[v] as number); }
    }
    at += p.rows;
  }
  return { codes, values };
}

/**
 * The encoding to decode the text with, from its pieces (the header when not UTF-8, and each
 * distinct text value, weighted by how many fields hold it): `enc` "utf-8" when every piece is
 * UTF-8; "auto": UTF-8 likewise, else GB18030 when every piece is valid GB18030 and at least half
 * of the characters are common Chinese ones (`gbCommonShare`, as `readTable` decides on the whole
 * file); a GB-family name when every piece is valid GB18030; null otherwise (readTable's own
 * check then reads the file and says what is wrong).
 */
function textEncoding(pieces: readonly Buffer[], weights: readonly number[], enc: string): string | null {
  const e = normalizeEncoding(enc);
  const utf8 = pieces.every((b) => isUtf8(b));
  if (utf8 && (e === "auto" || e === "utf-8")) return "utf-8";
  if (e === "utf-8") return null;
  if (e !== "auto" && !isGbEncoding(e)) return null;
  if (pieces.some((b) => firstInvalidGb18030(b) >= 0)) return null;
  if (e !== "auto") return e;
  let chars = 0, common = 0;
  pieces.forEach((b, j) => { const g = gbCommonShare(b); chars += g.chars * (weights[j] as number); common += g.common * (weights[j] as number); });
  return 2 * common >= chars ? "gb18030" : null;
}

function decodeText(b: Buffer, enc: string): string {
  return enc === "utf-8" ? b.toString("utf8") : iconv.decode(b, enc);
}

/** Where a part is: a byte range [from, to) of a file of `size` bytes, or of a shared buffer. */
type PartSource = { file: string; from: number; to: number; size: number } | { shared: SharedArrayBuffer; offset: number; length: number; from: number; to: number };

/** Parse one part in a worker thread (it reads its own bytes from a file); resolves to its result (rows −1 on any failure). */
function parsePartInWorker(src: PartSource, K: number, dialect: number, use: Uint8Array, rowsPerByte: number): Promise<Part> {
  const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
  const code = `const { parentPort, workerData: d } = require("node:worker_threads");
const fs = require("node:fs");
const readPart = (${readPart.toString()});
const partEnd = (${partEnd.toString()});
const dec = (${decimalToDouble.toString()});
const slow = (${slowToken.toString()});
const body = (${parseBody.toString()});
const chunked = (${chunked.toString()});
const txt = (${textField.toString()});
const newTextDict = (${newTextDict.toString()});
const miss = (${missingCode.toString()});
const s = d.src;
let buf = null, base = 0, size = 0;
if (s.file !== undefined) { buf = readPart(s.file, s.from, s.to, s.size, fs); base = s.from; size = s.size; }
else { buf = Buffer.from(s.shared, s.offset, s.length); size = s.length; }
const fail = { rows: -1, cols: [], seen: new Uint8Array(d.K), fb: 0, dicts: [] };
if (!buf) parentPort.postMessage(fail);
else {
  const p = buf.indexOf(10, s.from - base);
  const end = partEnd(buf, base, s.to, size) - base;
  const start = p === -1 ? end : Math.min(end, p + 1);
  let sink;
  const cap = Math.ceil((end - start) * d.rpb + 1048576 / d.K) + 16;
  const cols = Array.from({ length: d.K }, (_, k) => (d.use[k] === 1 || d.use[k] === 2 ? new Float64Array(cap) : (sink ??= new Float64Array(cap))));
  const seen = new Uint8Array(d.K), fb = new Float64Array(1);
  const dicts = Array.from({ length: d.K }, (_, k) => (d.use[k] >= 2 ? newTextDict() : null));
  const rows = start >= end ? 0 : chunked(buf, start, end, d.K, d.dialect, d.use, cols, seen, fb, d.pw, body, slow, dec, txt, dicts, miss);
  const out = cols.filter((_, k) => d.use[k] === 1 || d.use[k] === 2);
  parentPort.postMessage({ rows, cols: out, seen, fb: fb[0], dicts }, out.map((c) => c.buffer));
}`;
  return new Promise((resolve) => {
    const fail: Part = { rows: -1, cols: [], seen: new Uint8Array(K), fb: 0, dicts: [] };
    let w: import("node:worker_threads").Worker;
    try {
      w = new Worker(code, { eval: true, workerData: { src, K, dialect, use, rpb: rowsPerByte, pw: tenPowers() } });
    } catch { resolve(fail); return; }
    let done = false;
    w.once("message", (r: Part) => { done = true; resolve(r); void w.terminate(); });
    w.once("error", () => { if (!done) { done = true; resolve(fail); } });
    w.once("exit", () => { if (!done) { done = true; resolve(fail); } });
  });
}

/** Bytes [from, from + len) of a file (a Buffer of exactly that length), or null when fewer could be read. */
function readAt(file: string, from: number, len: number): Buffer | null {
  return readPart(file, from, from + len, from + len, fs);
}

/**
 * The bytes of a file of `size` bytes from `from` on, far enough to hold the first line feed at
 * or after `to` and one byte beyond it (so that an empty line just before a part's end is seen
 * to be followed by more text), or to the end of the file; null when the file could not be
 * read so far. Self-contained (it also runs in the worker, from its source text).
 */
function readPart(file: string, from: number, to: number, size: number, nodeFs: typeof fs): Buffer | null {
  let len = Math.min(size, to + 65536) - from;
  for (;;) {
    const buf = Buffer.allocUnsafe(len);
    const fd = nodeFs.openSync(file, "r");
    let off = 0;
    try {
      while (off < len) { const r = nodeFs.readSync(fd, buf, off, len - off, from + off); if (r <= 0) break; off += r; }
    } finally { nodeFs.closeSync(fd); }
    if (off !== len) return null;
    const p = to >= size ? -1 : buf.indexOf(10, to - from);
    if (from + len >= size || (p !== -1 && p + 1 < len)) return buf;
    len = Math.min(size - from, len * 2);
  }
}

/** End (exclusive, in file offsets) of the part ending at nominal offset `to`: after the first line feed at or after it, or the end. Self-contained. */
function partEnd(buf: Buffer, base: number, to: number, size: number): number {
  if (to >= size) return base + buf.length;
  const p = buf.indexOf(10, to - base);
  return p === -1 ? base + buf.length : base + p + 1;
}

/**
 * Parse lines [start, stop) into `cols` from row 0, in chunks of ~1 MB (V8 optimises the small
 * loop after the first calls; one long call runs in on-stack-replaced code with poor type
 * feedback, about twice as slow). Before each chunk the columns grow (×1.5, copied) if they could
 * not hold it: a row has at least K bytes (K − 1 delimiters and a line feed). Returns the row count,
 * or −1. Self-contained (it also runs in the worker, from its source text).
 */
function chunked(buf: Uint8Array, start: number, stop: number, K: number, dialect: number, use: Uint8Array, cols: Float64Array[], seen: Uint8Array, fb: Float64Array, pw: Float64Array, body: typeof parseBody, slow: typeof slowToken, dec: typeof decimalToDouble, txt: typeof textField, dicts: (TextDict | null)[], miss: typeof missingCode): number {
  let row = 0;
  for (let s = start; s < stop && row >= 0;) {
    let e = s + 1048576 < stop ? buf.indexOf(10, s + 1048576) + 1 : stop;
    if (e <= 0 || e > stop) e = stop;
    const need = row + Math.ceil((e - s) / K) + 2;
    const cap = (cols[0] as Float64Array).length;
    if (need > cap) {
      const old = cols.slice();
      const wide = Math.max(need, Math.ceil(cap * 1.5));
      for (let k = 0; k < K; k++) {
        const j = old.indexOf(old[k] as Float64Array);
        if (j < k) cols[k] = cols[j] as Float64Array;
        else { const g = new Float64Array(wide); g.set((old[k] as Float64Array).subarray(0, row)); cols[k] = g; }
      }
    }
    row = body(buf, s, e, row, K, dialect, use, cols, seen, slow, dec, pw, fb, txt, dicts, miss);
    s = e;
  }
  return row;
}

let powers: Float64Array | undefined;
/**
 * The powers of ten 10^q, q = −250..250, as double-doubles, four numbers each from index
 * 4·(q + 250): th, the correctly rounded double of 10^q (exact for 0 ≤ q ≤ 22); tl, the rest
 * 10^q − th rounded to nearest (for q < 0 up to 2^-180·th more), so that 10^q = th + tl + π with
 * |tl| ≤ 2^-53·th and |π| ≤ 2^-105·th; and Veltkamp's split of th
 * into two halves of 26 bits (th = bh + bl, for Dekker's product). Exact integer arithmetic
 * (BigInt; Number(bigint) rounds to nearest). Built once.
 */
export function tenPowers(): Float64Array {
  if (powers) return powers;
  const pw = new Float64Array(4 * 501);
  const set = (q: number, h: number, l: number): void => {
    const t = 134217729 * h, bh = t - (t - h);
    pw.set([h, l, bh, h - bh], 4 * (q + 250));
  };
  for (let k = 0, p = BigInt(1); k <= 250; k++, p *= BigInt(10)) {
    const h = Number(p);
    set(k, h, Number(p - BigInt(h)));
    if (k === 0) continue;
    // 10^-k: h = RN(10^-k) (ECMAScript's string-to-number rounds correctly) = M·2^-s with M < 2^53 an
    // integer, so D = 2^s − M·10^k = 2^s·10^k·(10^-k − h) is exact, and the rest D / (2^s·10^k) is
    // taken to 128 more bits by integer division (error ≤ 2^-128·2^-s ≪ 2^-105·h) and rounded once
    const hn = Number("1e-" + k);
    let e = Math.floor(Math.log2(hn));
    while (2 ** e > hn) e--;
    while (2 ** (e + 1) <= hn) e++;
    const s = 52 - e; // hn·2^s ∈ [2^52, 2^53): an integer, and 2^s ≤ 2^883 a double
    const D = (BigInt(1) << BigInt(s)) - BigInt(hn * 2 ** s) * p;
    set(-k, hn, Number((D << BigInt(128)) / p) * 2 ** -128 * 2 ** -s);
  }
  return (powers = pw);
}

/**
 * The correctly rounded double of x = w·10^q, where w = hi·10^nlo + lo are the significant
 * digits (hi: the first ≤ 8, an integer < 10^8, ≥ 1 unless w = 0; lo: the next nlo ≤ 11
 * digits, < 10^nlo), or NaN when it cannot be decided here: then the caller uses `Number()`,
 * which rounds correctly by the ECMAScript specification. Self-contained (it also runs in the
 * worker); pw: `tenPowers()`.
 *
 * Method, in the spirit of Eisel–Lemire (Lemire 2021, "Number parsing at a gigabyte per
 * second", Software: Practice and Experience 51(8)): a product of the digits and a power of
 * ten about twice as wide as a double, and a fallback when it lies too close to a rounding
 * boundary; but as a double-double (Dekker 1971, "A floating-point technique for extending the
 * available precision", Numerische Mathematik 18) rather than 128-bit integers, because V8
 * computes in doubles; and for ≤ 15 digits the parser uses Clinger's exact fast path instead
 * (Clinger 1990, "How to read floating point numbers accurately", PLDI). RN = rounding to
 * nearest (every JavaScript operation), u = 2^-53. Let T = 10^q = th + tl + π (`tenPowers`).
 *
 * 1. w exactly as wh + wl: A = hi·10^nlo is an exact double (hi·5^nlo < 10^8·5^11 < 2^53; the
 *    2^nlo only moves the exponent), lo < 10^11 is exact, and Fast2Sum (A ≥ 10^nlo > lo) gives
 *    wh = RN(A + lo) and wl = A + lo − wh exactly, |wl| ≤ u·wh.
 * 2. p + e = wh·th exactly (Dekker's TwoProduct, with Veltkamp's split of wh and the table's of
 *    th); s = RN(e + RN(RN(wh·tl) + RN(wl·th))); (h, l) = Fast2Sum(p, s), so h + l = p + s exactly.
 *    x = wh·th + wh·tl + wl·th + wl·tl + w·π, and with |e| ≤ u·p: the four roundings add at most
 *    (1 + 1 + 2 + 3)·u²·wh·th (first order), the neglected wl·tl and w·π at most (1 + 2)·u²·wh·th, and
 *    wh·th ≤ (1 + 3u)·x, so |x − (h + l)| ≤ 10.1·u²·x < 2^-102·x < 2^-101·h.
 * 3. Rounding. h = RN(h + l) (Fast2Sum). Let E = 2^-96·h (exact: a power-of-two scaling). Since
 *    |l| ≤ u·h, RN(l + E) ≥ l + E − u·(|l| + E) > l + 2^-97·h, and likewise RN(l − E) < l − 2^-97·h;
 *    so if RN(h + RN(l + E)) and RN(h + RN(l − E)) both equal h, every real number between
 *    h + l − 2^-97·h and h + l + 2^-97·h, x among them (2^-101 < 2^-97, a margin of 16), rounds to h
 *    (rounding is monotone; this also covers the narrower gap below a power of two and ties to
 *    even): RN(x) = h. Otherwise x lies within about 2^-96·h of a midpoint between two doubles — a
 *    near-tie: about 2^-42 of random digit strings, and every exact halfway string — and NaN sends
 *    the token to `Number()`.
 * Range: w = 0 → 0. |q| ≤ 250 (else NaN) keeps x in [10^-250, 10^269]: no step overflows
 * (Veltkamp's split multiplies by 2^27 + 1) or underflows (the smallest terms, ~u²·x, stay far
 * above 2^-1022), as the exactness of TwoProduct and Fast2Sum requires.
 */
function decimalToDouble(hi: number, lo: number, nlo: number, q: number, pw: Float64Array): number {
  if (hi === 0) return 0;
  if (nlo > 11 || q > 250 || q < -250) return NaN;
  const a = nlo === 0 ? hi : hi * (pw[1000 + 4 * nlo] as number);
  const wh = a + lo, wl = lo - (wh - a);
  const k = 1000 + 4 * q, th = pw[k] as number, tl = pw[k + 1] as number, bh = pw[k + 2] as number, bl = pw[k + 3] as number;
  const p = wh * th, t = 134217729 * wh, ah = t - (t - wh), al = wh - ah;
  const s = ah * bh - p + ah * bl + al * bh + al * bl + (wh * tl + wl * th);
  const h = p + s, l = s - (h - p);
  const E = h * 1.262177448353619e-29; // 2^-96
  return h + (l + E) === h && h + (l - E) === h ? h : NaN;
}

const scratch = new Float64Array(1);
/**
 * The correctly rounded double of the decimal number in bytes [s, e) (the grammar of
 * `slowToken`: optional sign, digits, point, exponent), or NaN when they are not one. As
 * `Number()` of the text, except that "-0" gives 0.
 *
 * @example
 *   decimalBytes(Buffer.from("0.30000000000000004"), 0, 19); // 0.30000000000000004
 */
export function decimalBytes(buf: Uint8Array, s: number, e: number): number {
  return slowToken(buf, s, e, tenPowers(), decimalToDouble, scratch);
}

/**
 * Validates and converts one field the fast loop did not (a sign "+", > 19 significant digits, a
 * near-tie, any other byte): NaN when it is not a number of the grammar
 * [-+]?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)? or [-+]?\.\d+([eE][-+]?\d+)?. The value comes from
 * Clinger's fast path or `decimalToDouble` when they apply, else from `Number()` (counted in fb[0]);
 * −0 is read as 0. Self-contained.
 */
function slowToken(buf: Uint8Array, s: number, e: number, pw: Float64Array, dec: typeof decimalToDouble, fb: Float64Array): number {
  let i = s, neg = 0, c = buf[i] as number;
  if (c === 45 || c === 43) { neg = c === 45 ? 1 : 0; i++; }
  // digits as in parseBody, but zeros are held back (z) until a digit other than 0 follows, so that
  // trailing zeros ("6667650330998280000000", "0.5000000000000000000000") only scale by 10^z
  let hi = 0, lo = 0, nlo = 0, z = 0, frac = 0, ex = 0, d = 0;
  const i0 = i;
  while (i < e && (d = (buf[i] as number) - 48) >= 0 && d <= 9) {
    if (d === 0) z++;
    else { for (; z > 0; z--) if (hi < 1e7) hi *= 10; else { lo *= 10; nlo++; } if (hi < 1e7) hi = hi * 10 + d; else { lo = lo * 10 + d; nlo++; } }
    i++;
  }
  const nInt = i - i0;
  if (nInt > 1 && buf[i0] === 48) return NaN; // a leading zero
  if (i < e && buf[i] === 46) {
    const f0 = ++i;
    while (i < e && (d = (buf[i] as number) - 48) >= 0 && d <= 9) {
      if (d === 0) z++;
      else { for (; z > 0; z--) if (hi < 1e7) hi *= 10; else { lo *= 10; nlo++; } if (hi < 1e7) hi = hi * 10 + d; else { lo = lo * 10 + d; nlo++; } }
      i++;
    }
    frac = i - f0;
    if (frac === 0) return NaN;
  } else if (nInt === 0) return NaN;
  if (i < e && ((c = buf[i] as number) === 101 || c === 69)) {
    i++;
    let eneg = 0;
    if (i < e && ((c = buf[i] as number) === 45 || c === 43)) { eneg = c === 45 ? 1 : 0; i++; }
    const x0 = i;
    while (i < e && (d = (buf[i] as number) - 48) >= 0 && d <= 9) { if (ex < 1e6) ex = ex * 10 + d; i++; }
    if (i === x0) return NaN;
    if (eneg === 1) ex = -ex;
  }
  if (i !== e) return NaN;
  const q = ex - frac + z;
  let v: number;
  if (nlo <= 7 && q >= -22 && q <= 22) { const m = nlo === 0 ? hi : hi * (pw[1000 + 4 * nlo] as number) + lo; v = q < 0 ? m / (pw[1000 - 4 * q] as number) : m * (pw[1000 + 4 * q] as number); }
  else v = dec(hi, lo, nlo, q, pw);
  if (v !== v) {
    fb[0] = (fb[0] as number) + 1;
    v = Number(Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString("latin1"));
    return v === 0 ? 0 : v;
  }
  return neg === 1 && v !== 0 ? -v : v;
}

/** A part's distinct byte strings of one text column: an open-addressing hash table (`slots`:
 * entry + 1, 0 empty) over entries (`start`, `len` into `arena`, their FNV-1a `hash` and `count` of
 * fields); `last`: the code of the field just read (−1: empty). */
interface TextDict {
  slots: Int32Array;
  start: Int32Array;
  len: Int32Array;
  hash: Int32Array;
  count: Float64Array;
  n: number;
  arena: Uint8Array;
  used: number;
  last: Int32Array;
}

/**
 * Are bytes [s, e) a missing code (`MISSING_CODE`: "NA", "NaN", ".", ".a"–".z")? Self-contained
 * (it also runs in the worker). Bytes: 78 "N", 65 "A", 97 "a", 46 ".", 97–122 "a"–"z".
 */
function missingCode(buf: Uint8Array, s: number, e: number): boolean {
  const L = e - s, b0 = buf[s] as number, b1 = L > 1 ? (buf[s + 1] as number) : 0;
  return (L === 2 && b0 === 78 && b1 === 65) || (L === 3 && b0 === 78 && b1 === 97 && buf[s + 2] === 78) || (L === 1 && b0 === 46) || (L === 2 && b0 === 46 && b1 >= 97 && b1 <= 122);
}

/** An empty `TextDict`. Self-contained (it also runs in the worker). */
function newTextDict(): TextDict {
  return { slots: new Int32Array(1024), start: new Int32Array(512), len: new Int32Array(512), hash: new Int32Array(512), count: new Float64Array(512), n: 0, arena: new Uint8Array(65536), used: 0, last: new Int32Array(1) };
}

/**
 * Read the text field at i (unquoted, or "quoted" without "" escapes or line breaks inside;
 * `dialect` as `dialectOf`) and set d.last[0] to its code in `d` (adding it when new), −1 when it
 * is empty; returns the index just after it (where the delimiter should be), or −1 when the field
 * is not one of those forms, is quoted in a file whose sample has no quote (DuckDB would then keep
 * the quotes), starts with ' (which DuckDB might take for the quote) or with a byte-order mark.
 * Self-contained (it also runs in the worker).
 */
function textField(buf: Uint8Array, i: number, n: number, dialect: number, d: TextDict): number {
  const sep = dialect & 255;
  let s = i, e = i, end = i;
  if (i < n && buf[i] === 39) return -1; // ' might be DuckDB's quote
  if (i < n && buf[i] === 34) {
    if (dialect >>> 8 === 0) return -1; // no quote in DuckDB's sample: it would keep the quotes
    s = i + 1;
    let j = s;
    for (;;) {
      if (j >= n) return -1;
      const c = buf[j] as number;
      if (c === 34) break;
      if (c === 10 || c === 13) return -1;
      j++;
    }
    if (j + 1 < n && buf[j + 1] === 34) return -1; // a "" escape: left to DuckDB
    e = j;
    end = j + 1;
  } else {
    let c = 0;
    while (e < n && (c = buf[e] as number) !== sep && c !== 10 && c !== 13) {
      if (c === 34) return -1;
      e++;
    }
    end = e;
  }
  const L = e - s;
  if (L === 0) { d.last[0] = -1; return end; }
  if (L >= 3 && buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf) return -1; // a byte-order mark, which DuckDB strips
  let h = -2128831035; // FNV-1a offset basis 0x811c9dc5
  for (let p = s; p < e; p++) h = Math.imul(h ^ (buf[p] as number), 16777619);
  let mask = d.slots.length - 1, at = h & mask;
  for (;;) {
    const id = (d.slots[at] as number) - 1;
    if (id < 0) break;
    if (d.hash[id] === h && d.len[id] === L) {
      const o = d.start[id] as number, a = d.arena;
      let p = 0;
      while (p < L && a[o + p] === buf[s + p]) p++;
      if (p === L) { d.count[id] = (d.count[id] as number) + 1; d.last[0] = id; return end; }
    }
    at = (at + 1) & mask;
  }
  const id = d.n;
  if (id === d.start.length) {
    // written out, no inner function: under tsx, esbuild's keepNames would wrap one in __name(),
    // which the worker (this function's source text) does not have
    const m = 2 * id;
    const start = new Int32Array(m), len = new Int32Array(m), hash = new Int32Array(m), count = new Float64Array(m);
    start.set(d.start);
    len.set(d.len);
    hash.set(d.hash);
    count.set(d.count);
    d.start = start;
    d.len = len;
    d.hash = hash;
    d.count = count;
  }
  if (d.used + L > d.arena.length) {
    const a = new Uint8Array(Math.max(2 * d.arena.length, d.used + L));
    a.set(d.arena.subarray(0, d.used));
    d.arena = a;
  }
  d.arena.set(buf.subarray(s, e), d.used);
  d.start[id] = d.used;
  d.len[id] = L;
  d.hash[id] = h;
  d.count[id] = 1;
  d.used += L;
  d.n = id + 1;
  d.slots[at] = id + 1;
  if (2 * d.n > d.slots.length) {
    // rehash into a table twice as large
    const slots = new Int32Array(2 * d.slots.length);
    mask = slots.length - 1;
    for (let q = 0; q < d.n; q++) {
      let t = (d.hash[q] as number) & mask;
      while (slots[t] !== 0) t = (t + 1) & mask;
      slots[t] = q + 1;
    }
    d.slots = slots;
  }
  d.last[0] = id;
  return end;
}

/**
 * The data rows [start, stop), field by field (a small, monomorphic loop: V8 keeps it
 * optimised). Returns the row count after them, or −1 when the text is not a plain numeric
 * CSV. Self-contained (no outer references: it also runs in the worker from its source text).
 * A field k with use[k] = 0 is not converted (nor marked seen), only checked for a number's bytes
 * or a missing code. seen[k]: bit 1 a number or text, bit 2 a missing code (`MISSING_CODE`: NaN).
 * `dialect`: as `dialectOf` (a quoted field declines when its quote bit is 0; a leading "+" always
 * declines: DuckDB reads "+2" as text).
 * Bytes: `sep` the delimiter (44 ",", 9 tab, 59 ";", 124 "|"), 10 LF, 13 CR, 45 "-", 46 ".",
 * 48–57 digits, 43 "+", 101/69 "e"/"E"; missing codes: `missingCode`.
 */
function parseBody(buf: Uint8Array, start: number, stop: number, row0: number, K: number, dialect: number, use: Uint8Array, cols: Float64Array[], seen: Uint8Array, slow: typeof slowToken, dec: typeof decimalToDouble, pw: Float64Array, fb: Float64Array, txt: typeof textField, dicts: (TextDict | null)[], miss: typeof missingCode): number {
  const n = buf.length, dv = new DataView(buf.buffer, buf.byteOffset, n);
  const sep = dialect & 255, quotes = dialect >>> 8;
  let i = start, row = row0, k = 0, lineStart = start;
  let col = cols[0] as Float64Array;
  while (i <= n) {
    const fieldStart = i;
    let c = i < n ? (buf[i] as number) : 10, v = NaN;
    if (c === 34 && (use[k] as number) < 2) {
      if (quotes === 0) return -1; // no quote in DuckDB's sample: it would keep the quotes
      // a quoted field of a numeric column ("1.5", "", "NA": exports that quote every field), read as
      // DuckDB reads it, unquoted; no delimiter, line break or "" escape inside (else declined)
      let j = i + 1;
      while (j < n && (c = buf[j] as number) !== 34 && c !== sep && c !== 10 && c !== 13) j++;
      if (j >= n || c !== 34) return -1;
      const ts = i + 1;
      i = j + 1;
      c = i < n ? (buf[i] as number) : 10;
      if (c !== sep && c !== 10 && c !== 13) return -1;
      if (j > ts) {
        if (buf[ts] === 43) return -1; // "+2": text for DuckDB
        v = slow(buf, ts, j, pw, dec, fb);
        if (v !== v) {
          if (!miss(buf, ts, j)) return -1;
          seen[k] |= 2;
        } else if (use[k] === 1) seen[k] |= 1;
      }
    } else if (use[k] === 0) {
      // a field not wanted: not converted, only checked to hold nothing but a number's bytes (digits . - + e E)
      // or to be a missing code
      while (c !== sep && c !== 10 && c !== 13) {
        if (i + 4 <= n) {
          // four digits at once (the test of the fraction loop below)
          const b = dv.getUint32(i, true);
          if (((b & 0xf0f0f0f0) | (((b + 0x06060606) & 0xf0f0f0f0) >>> 4)) === 0x33333333) {
            i += 4;
            c = i < n ? (buf[i] as number) : 10;
            continue;
          }
        }
        if ((c < 48 || c > 57) && c !== 46 && c !== 45 && c !== 43 && c !== 101 && c !== 69) {
          while (i < n && (c = buf[i] as number) !== sep && c !== 10 && c !== 13) i++;
          if (i >= n) c = 10;
          if (!miss(buf, fieldStart, i)) return -1;
          seen[k] |= 2;
          break;
        }
        c = ++i < n ? (buf[i] as number) : 10;
      }
    } else if ((use[k] as number) >= 2) {
      // a text column: the field's bytes (unquoted) as a code in the column's dictionary; empty → null (NaN)
      // (a text column not wanted, 3, has its dictionary too: its distinct values are checked for the encoding)
      const d = dicts[k] as TextDict;
      i = txt(buf, i, n, dialect, d);
      if (i < 0) return -1;
      c = i < n ? (buf[i] as number) : 10;
      if (c !== sep && c !== 10 && c !== 13) return -1;
      const code = d.last[0] as number;
      if (code >= 0) { v = code; seen[k] = 1; }
    } else if (c !== sep && c !== 10 && c !== 13) {
      // the plain grammar -?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)? or -?\.\d+([eE][-+]?\d+)?, its significant
      // digits as hi (the first 8; leading zeros leave it at 0) and lo (the nlo others): hi·10^nlo + lo
      let neg = 0, hi = 0, lo = 0, nlo = 0, frac = 0, ex = 0, plain = 1, d = 0;
      if (c === 45) { neg = 1; i++; }
      const i0 = i;
      while (i < n && (d = (buf[i] as number) - 48) >= 0 && d <= 9) { if (hi < 1e7) hi = hi * 10 + d; else { lo = lo * 10 + d; nlo++; } i++; }
      if (i - i0 > 1 && buf[i0] === 48) plain = 0; // a leading zero ("007")
      c = i < n ? (buf[i] as number) : 10;
      if (c === 46) {
        const f0 = ++i;
        // the fraction's digits four at a time (SWAR) while all four go to hi or all to lo (one at a time between)
        for (;;) {
          if (hi >= 1e4 && hi < 1e7) {
            if (i >= n || (d = (buf[i] as number) - 48) < 0 || d > 9) break;
            hi = hi * 10 + d;
            i++;
            continue;
          }
          if (i + 4 > n) break;
          const b = dv.getUint32(i, true); // bytes i..i+3, byte i lowest
          // all four in 0x30..0x39: high nibbles 3, and still 3 after adding 6 (no carries, as each byte ≤ 0x3f)
          if (((b & 0xf0f0f0f0) | (((b + 0x06060606) & 0xf0f0f0f0) >>> 4)) !== 0x33333333) break;
          let g = b & 0x0f0f0f0f;
          g = (Math.imul(g, 10) + (g >>> 8)) & 0x00ff00ff; // 10·d0 + d1 and 10·d2 + d3
          const d4 = (g & 0xff) * 100 + (g >>> 16);
          if (hi < 1e4) hi = hi * 1e4 + d4; else { lo = lo * 1e4 + d4; nlo += 4; }
          i += 4;
        }
        while (i < n && (d = (buf[i] as number) - 48) >= 0 && d <= 9) { if (hi < 1e7) hi = hi * 10 + d; else { lo = lo * 10 + d; nlo++; } i++; }
        frac = i - f0;
        if (frac === 0) plain = 0; // a bare dot ("1.", ".")
        c = i < n ? (buf[i] as number) : 10;
      } else if (i === i0) plain = 0; // no digits
      if (c === 101 || c === 69) {
        let eneg = 0;
        c = ++i < n ? (buf[i] as number) : 10;
        if (c === 45 || c === 43) { eneg = c === 45 ? 1 : 0; i++; }
        const x0 = i;
        while (i < n && (d = (buf[i] as number) - 48) >= 0 && d <= 9) { if (ex < 1e6) ex = ex * 10 + d; i++; }
        if (i === x0) plain = 0;
        if (eneg === 1) ex = -ex;
        c = i < n ? (buf[i] as number) : 10;
      }
      if (plain === 1 && (c === sep || c === 10 || c === 13) && nlo <= 11) {
        const q = ex - frac; // the value is (hi·10^nlo + lo)·10^q
        if (nlo <= 7 && q >= -22 && q <= 22) {
          // Clinger's fast path: the ≤ 15 significant digits m < 10^15 and 10^|q| are exact doubles, one correctly rounded operation
          const m = nlo === 0 ? hi : hi * (pw[1000 + 4 * nlo] as number) + lo;
          v = q < 0 ? m / (pw[1000 - 4 * q] as number) : q === 0 ? m : m * (pw[1000 + 4 * q] as number);
        } else v = dec(hi, lo, nlo, q, pw); // ≤ 19 digits: double-double; NaN for a near-tie
        if (v !== v) v = slow(buf, fieldStart, i, pw, dec, fb);
        else if (neg === 1 && v !== 0) v = -v;
        seen[k] |= 1;
      } else {
        // anything else ("+1", > 19 digits, "1e5x", "NA", …): slowToken validates the field and converts it,
        // else it must be a missing code (NA, NaN, ".", ".a"–".z" → NaN), or the file is declined
        while (i < n && (c = buf[i] as number) !== sep && c !== 10 && c !== 13) i++;
        if (i >= n) c = 10;
        if (buf[fieldStart] === 43) return -1; // "+2": DuckDB reads the column as text
        v = slow(buf, fieldStart, i, pw, dec, fb);
        if (v !== v) {
          if (!miss(buf, fieldStart, i)) return -1;
          seen[k] |= 2;
        } else seen[k] |= 1;
      }
    }
    // the field ends at i with c: sep, 10 LF, 13 CR (i = n reads as LF)
    if (c === 13) { if (i + 1 < n && buf[i + 1] !== 10) return -1; }
    if (c === sep) { if (k === K - 1) return -1; }
    else {
      if (k !== K - 1) {
        // an empty line: only allowed at the very end
        if (k === 0 && i === fieldStart) {
          let j = i;
          while (j < n && (buf[j] === 10 || buf[j] === 13)) j++;
          if (j >= n) return row;
        }
        return -1;
      }
      if (sep === 9) {
        // a line of only tabs and spaces is blank for readTable (left out and counted): declined here
        let p = lineStart;
        while (p < i && (buf[p] === 9 || buf[p] === 32 || buf[p] === 13)) p++;
        if (p === i) return -1;
      }
      if (c === 13) i++; // skip the LF of CRLF
    }
    col[row] = v;
    if (c === sep) k++;
    else { k = 0; row++; lineStart = i + 1; if (i + 1 >= stop) return row; }
    col = cols[k] as Float64Array;
    i++;
  }
  return row;
}
