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
 * @example
 *   const t = readNumericCsv("design.csv");   // Table, or null → use DuckDB
 */
import * as fs from "node:fs";
import { table, type Table } from "./table";

const COMMA = 44, LF = 10, CR = 13, MINUS = 45, PLUS = 43, DOT = 46, E_LO = 101, E_UP = 69, D0 = 48, D9 = 57;
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Files larger than this are left to DuckDB (which streams), so memory stays bounded. */
const MAX_BYTES = 2 ** 31 - 1;

export function readNumericCsv(file: string): Table | null {
  const size = fs.statSync(file).size;
  if (size === 0 || size > MAX_BYTES) return null;
  const buf = fs.readFileSync(file);
  return parseNumericCsv(buf, file);
}

/** Parse a buffer as a plain numeric CSV (see the module comment); null when it is not one. */
export function parseNumericCsv(buf: Uint8Array, source?: string): Table | null {
  const n = buf.length;
  // header
  let he = 0;
  while (he < n && buf[he] !== LF) he++;
  let headerText = Buffer.from(buf.buffer, buf.byteOffset, he).toString("utf8");
  if (headerText.endsWith("\r")) headerText = headerText.slice(0, -1);
  if (headerText.startsWith("\ufeff")) return null;
  if (/["'\t;|]/.test(headerText)) return null;
  const names = headerText.split(",");
  const K = names.length;
  if (K < 2 || names.some((s) => s === "" || s.trim() !== s || /^[-+.\d]/.test(s))) return null;
  if (new Set(names.map((s) => s.toLowerCase())).size !== K) return null;
  // rows: count line feeds after the header (an upper bound on the number of rows)
  let rowsMax = 0;
  for (let p = buf.indexOf(LF, he + 1); p !== -1; p = buf.indexOf(LF, p + 1)) rowsMax++;
  rowsMax++;
  const cols = Array.from({ length: K }, () => new Float64Array(rowsMax));
  const seen = new Uint8Array(K); // 1 once a column has a non-empty value
  const row = parseBody(buf, he + 1, K, cols, seen);
  if (row < 0) return null;
  if (row === 0 || seen.some((s) => s === 0)) return null;
  const out: Record<string, Float64Array> = {};
  names.forEach((nm, k) => { out[nm] = row === rowsMax ? cols[k]! : cols[k]!.slice(0, row); });
  return table(out, source);
}

/** Validates and converts one token the fast loop could not (exponent, > 15 digits, sign "+"): NaN when it is not a number. */
function slowToken(buf: Uint8Array, s: number, e: number): number {
  const tok = Buffer.from(buf.buffer, buf.byteOffset + s, e - s).toString("latin1");
  if (!/^[-+]?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/.test(tok) && !/^[-+]?\.\d+([eE][-+]?\d+)?$/.test(tok)) return NaN;
  const v = Number(tok);
  return v === 0 ? 0 : v;
}

/**
 * The data rows, byte by byte (a small, monomorphic loop: V8 keeps it optimised). Returns the
 * number of rows, or −1 when the text is not a plain numeric CSV.
 */
function parseBody(buf: Uint8Array, start: number, K: number, cols: Float64Array[], seen: Uint8Array): number {
  const n = buf.length;
  let i = start, row = 0, k = 0;
  let fieldStart = i, mant = 0, nd = 0, frac = 0, inFrac = 0, neg = 0, special = 0, dots = 0;
  let col = cols[0] as Float64Array;
  while (i <= n) {
    const c = i < n ? (buf[i] as number) : LF;
    const d = c - D0;
    if (d >= 0 && d <= 9) {
      mant = mant * 10 + d; nd++; frac += inFrac;
    } else if (c === DOT) { inFrac = 1; dots++; }
    else if (c === MINUS && i === fieldStart) neg = 1;
    else if (c === COMMA || c === LF || c === CR) {
      if (c === CR) { if (i + 1 < n && buf[i + 1] !== LF) return -1; }
      const end = i;
      if (c === COMMA) { if (k === K - 1) return -1; }
      else {
        if (k !== K - 1) {
          // an empty line: only allowed at the very end
          if (k === 0 && end === fieldStart) {
            let j = i;
            while (j < n && (buf[j] === LF || buf[j] === CR)) j++;
            if (j >= n) return row;
          }
          return -1;
        }
        if (c === CR) i++; // skip the LF of CRLF
      }
      if (end === fieldStart) col[row] = NaN;
      else {
        let v: number;
        const d0 = fieldStart + neg;
        // leading zeros ("007") and bare dots ("1.", ".") are not plain numbers here
        if (nd === 0 || dots > 1 || (buf[d0] === D0 && end > d0 + 1 && buf[d0 + 1] !== DOT) || buf[end - 1] === DOT) {
          if (special === 0) return -1;
        }
        if (special === 0 && nd <= 15 && frac <= 22) {
          v = frac === 0 ? mant : mant / (POW10[frac] as number);
          if (neg === 1 && v !== 0) v = -v;
        } else {
          v = slowToken(buf, fieldStart, end);
          if (v !== v) return -1;
        }
        col[row] = v;
        seen[k] = 1;
      }
      // next field
      if (c === COMMA) k++;
      else { k = 0; row++; if (i + 1 >= n) return row; }
      col = cols[k] as Float64Array;
      mant = 0; nd = 0; frac = 0; inFrac = 0; neg = 0; special = 0; dots = 0;
      fieldStart = i + 1;
    } else if (c === E_LO || c === E_UP || c === PLUS || c === MINUS) special = 1;
    else return -1;
    i++;
  }
  return row;
}
