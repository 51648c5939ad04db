/**
 * A fast path for the most common input of `readTable`: a plain numeric CSV (comma-separated,
 * one header line of distinct names, every other field a decimal number or empty). Such a file
 * is parsed in one pass over its bytes into Float64Arrays, empty fields → NaN, with the same
 * values DuckDB's reader gives (both round correctly: decimal tokens with at most 15
 * significant digits and a power of ten ≤ 22 are computed as one exact division or
 * multiplication — Clinger's (1990) fast path, correctly rounded because both operands are
 * exact doubles — and every other token goes through `Number()`, which rounds correctly
 * by the ECMAScript specification).
 *
 * Anything outside that grammar — quotes, strings, "NA", dates, booleans, leading zeros such as
 * "007", a row with the wrong number of fields, a column with no value at all, a header that
 * looks numeric — makes it return `null`, and `readTable` reads the file with DuckDB as
 * before, so the fast path never changes what a file means; it only skips DuckDB's type sniffing
 * and the copy out of its vectors. A test checks bitwise equality with the DuckDB path.
 *
 * Files above 16 MB are split at a line break and the second half is parsed by a worker
 * thread into the same (shared) column buffers, so both cores parse; the row offset of the
 * second half is the number of line feeds before the split.
 *
 * @example
 *   const t = await readNumericCsv("design.csv");   // Table, or null → use DuckDB
 */
import * as fs from "node:fs";
import { isUtf8 } from "node:buffer";
import { table, type Table } from "./table";

const LF = 10;
/** Files larger than this are left to DuckDB (which streams), so memory stays bounded. */
const MAX_BYTES = 2 ** 31 - 1;
/** Files larger than this are parsed by two threads. */
const PARALLEL_BYTES = 16 * 2 ** 20;

/**
 * Read a file and parse it with `parseNumericCsv` (method: see the module comment); null when it
 * is not a plain numeric CSV. Blank lines at the end are accepted (and counted by `readTable`).
 *
 * @example
 *   const t = await readNumericCsv("design.csv");   // Table of Float64Arrays, or null → use DuckDB
 */
export async function readNumericCsv(file: string): Promise<Table | null> {
  const size = fs.statSync(file).size;
  if (size === 0 || size > MAX_BYTES) return null;
  // read into shared memory so that a worker can parse half of it without a copy
  const buf = new Uint8Array(size >= PARALLEL_BYTES ? new SharedArrayBuffer(size) : new ArrayBuffer(size));
  const fd = fs.openSync(file, "r");
  try {
    let off = 0;
    while (off < size) { const r = fs.readSync(fd, buf, off, size - off, off); if (r <= 0) break; off += r; }
    if (off !== size) return null;
  } finally { fs.closeSync(fd); }
  return parseNumericCsv(buf, file);
}

/** Parse a buffer as a plain numeric CSV (see the module comment); null when it is not one. */
export async function parseNumericCsv(bytes: Uint8Array, source?: string, opts: { readonly parallelBytes?: number } = {}): Promise<Table | null> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length); // a view: Buffer's native indexOf
  const n = buf.length;
  // header
  let he = 0;
  while (he < n && buf[he] !== LF) he++;
  // a header that is not UTF-8 (e.g. GBK column names) is left to readTable's encoding check
  if (!isUtf8(buf.subarray(0, he))) return null;
  let headerText = Buffer.from(buf.buffer, buf.byteOffset, he).toString("utf8");
  if (headerText.endsWith("\r")) headerText = headerText.slice(0, -1);
  if (headerText.startsWith("\ufeff")) return null;
  if (/["'\t;|]/.test(headerText)) return null;
  const names = headerText.split(",");
  const K = names.length;
  if (K < 2 || names.some((s) => s === "" || s.trim() !== s || /^[-+.\d]/.test(s))) return null;
  if (new Set(names.map((s) => s.toLowerCase())).size !== K) return null;
  // split point (parallel): the line feed after the middle; rows before it = line feeds before it
  const shared = buf.buffer instanceof SharedArrayBuffer && n >= (opts.parallelBytes ?? PARALLEL_BYTES);
  const mid = shared ? buf.indexOf(LF, he + 1 + Math.floor((n - he) / 2)) : -1;
  // rows: count line feeds after the header (an upper bound on the number of rows)
  let rowsMax = 0, rowsFirst = 0;
  for (let p = buf.indexOf(LF, he + 1); p !== -1; p = buf.indexOf(LF, p + 1)) { rowsMax++; if (p <= mid) rowsFirst++; }
  rowsMax++;
  const alloc = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  const cols = Array.from({ length: K }, () => new Float64Array(alloc(rowsMax * 8)));
  const seen = new Uint8Array(alloc(K)); // 1 once a column has a non-empty value
  let row: number;
  if (mid > he && mid + 1 < n) {
    const seen2 = new Uint8Array(alloc(K));
    const second = parseInWorker(buf, mid + 1, n, rowsFirst, K, cols, seen2);
    const first = parseRange(buf, he + 1, mid + 1, 0, K, cols, seen);
    const rowEnd = await second;
    // the first half must end exactly where the second begins (an empty line inside it would not)
    row = first === rowsFirst && rowEnd >= rowsFirst ? rowEnd : -1;
    for (let k = 0; k < K; k++) seen[k] = (seen[k] as number) | (seen2[k] as number);
  } else row = parseRange(buf, he + 1, n, 0, K, cols, seen);
  if (row < 0) return null;
  if (row === 0 || seen.some((s) => s === 0)) return null;
  const out: Record<string, Float64Array> = {};
  // a view, not a copy (at most the one row of a trailing line feed is left unused)
  names.forEach((nm, k) => { out[nm] = row === rowsMax ? cols[k]! : cols[k]!.subarray(0, row); });
  return table(out, source);
}

/** Parse lines [start, stop) in chunks of ~1 MB (V8 optimises the small loop after the first
 * calls; one long call runs in on-stack-replaced code with poor type feedback, about twice as slow). */
function parseRange(buf: Uint8Array, start: number, stop: number, row0: number, K: number, cols: Float64Array[], seen: Uint8Array): number {
  return chunked(buf, start, stop, row0, K, cols, seen, parseBody, slowToken);
}

/** Self-contained (it also runs in the worker, from its source text). */
function chunked(buf: Uint8Array, start: number, stop: number, row0: number, K: number, cols: Float64Array[], seen: Uint8Array, body: typeof parseBody, slow: typeof slowToken): number {
  const pow = new Float64Array(23);
  for (let p = 0; p < 23; p++) pow[p] = Number("1e" + p);
  let row = row0;
  for (let s = start; s < stop && row >= 0;) {
    let e = s + 1048576 < stop ? buf.indexOf(10, s + 1048576) + 1 : stop;
    if (e <= 0 || e > stop) e = stop;
    row = body(buf, s, e, row, K, cols, seen, slow, pow);
    s = e;
  }
  return row;
}

/** Parse [start, stop) in a worker thread writing into the shared column buffers; resolves to the row count (−1: not plain numeric). */
function parseInWorker(buf: Uint8Array, start: number, stop: number, row0: number, K: number, cols: Float64Array[], seen: Uint8Array): Promise<number> {
  const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
  const src = `const { parentPort, workerData: d } = require("node:worker_threads");
const slow = (${slowToken.toString()});
const body = (${parseBody.toString()});
const chunked = (${chunked.toString()});
const buf = Buffer.from(d.buf);
const cols = d.cols.map((b) => new Float64Array(b));
parentPort.postMessage(chunked(buf, d.start, d.stop, d.row0, d.K, cols, new Uint8Array(d.seen), body, slow));`;
  return new Promise((resolve) => {
    const w = new Worker(src, { eval: true, workerData: { buf: buf.buffer, start, stop, row0, K, cols: cols.map((c) => c.buffer), seen: seen.buffer } });
    let done = false;
    w.once("message", (r: number) => { done = true; resolve(r); void w.terminate(); });
    w.once("error", () => { if (!done) { done = true; resolve(-1); } });
    w.once("exit", () => { if (!done) { done = true; resolve(-1); } });
  });
}

/** Validates and converts one token the fast loop could not (exponent, > 15 digits, sign "+"): NaN when it is not a number. Self-contained. */
function slowToken(buf: Uint8Array, s: number, e: number): number {
  const tok = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString("latin1");
  if (!/^[-+]?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(tok) && !/^[-+]?\.\d+([eE][-+]?\d+)?$/.test(tok)) return NaN;
  const v = Number(tok);
  return v === 0 ? 0 : v;
}

/**
 * The data rows [start, stop), byte by byte (a small, monomorphic loop: V8 keeps it
 * optimised). Returns the row count after them, or −1 when the text is not a plain numeric
 * CSV. Self-contained (no outer references: it also runs in the worker from its source text).
 * Bytes: 44 ",", 10 LF, 13 CR, 45 "-", 46 ".", 48–57 digits, 43 "+", 101/69 "e"/"E".
 */
function parseBody(buf: Uint8Array, start: number, stop: number, row0: number, K: number, cols: Float64Array[], seen: Uint8Array, slow: (b: Uint8Array, s: number, e: number) => number, pow: Float64Array): number {
  const n = buf.length;
  let i = start, row = row0, k = 0;
  let fieldStart = i, mant = 0, nd = 0, frac = 0, inFrac = 0, neg = 0, special = 0, dots = 0;
  let col = cols[0] as Float64Array;
  while (i <= n) {
    const c = i < n ? (buf[i] as number) : 10;
    const d = c - 48;
    if (d >= 0 && d <= 9) {
      mant = mant * 10 + d; nd++; frac += inFrac;
    } else if (c === 46) { inFrac = 1; dots++; }
    else if (c === 45 && i === fieldStart) neg = 1;
    else if (c === 44 || c === 10 || c === 13) {
      if (c === 13) { if (i + 1 < n && buf[i + 1] !== 10) return -1; }
      const end = i;
      if (c === 44) { if (k === K - 1) return -1; }
      else {
        if (k !== K - 1) {
          // an empty line: only allowed at the very end
          if (k === 0 && end === fieldStart) {
            let j = i;
            while (j < n && (buf[j] === 10 || buf[j] === 13)) j++;
            if (j >= n) return row;
          }
          return -1;
        }
        if (c === 13) i++; // skip the LF of CRLF
      }
      if (end === fieldStart) col[row] = NaN;
      else {
        let v: number;
        const d0 = fieldStart + neg;
        // leading zeros ("007") and bare dots ("1.", ".") are not plain numbers here
        if (nd === 0 || dots > 1 || (buf[d0] === 48 && end > d0 + 1 && buf[d0 + 1] !== 46) || buf[end - 1] === 46) {
          if (special === 0) return -1;
        }
        if (special === 0 && nd <= 15 && frac <= 22) {
          // Clinger's fast path: mant < 10^15 and 10^frac are exact doubles, one correctly rounded division
          v = frac === 0 ? mant : mant / (pow[frac] as number);
          if (neg === 1 && v !== 0) v = -v;
        } else {
          v = slow(buf, fieldStart, end);
          if (v !== v) return -1;
        }
        col[row] = v;
        seen[k] = 1;
      }
      // next field
      if (c === 44) k++;
      else { k = 0; row++; if (i + 1 >= stop) return row; }
      col = cols[k] as Float64Array;
      mant = 0; nd = 0; frac = 0; inFrac = 0; neg = 0; special = 0; dots = 0;
      fieldStart = i + 1;
    } else if (c === 101 || c === 69 || c === 43 || c === 45) special = 1;
    else return -1;
    i++;
  }
  return row;
}
