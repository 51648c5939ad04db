import * as fs from "fs";
import * as iconv from "iconv-lite";
import { Table, Column, NA_INT } from "../table";
import { ArgumentError, DataError } from "../../util/errors";
import type { ByteOrder, StorageType, ValueLabelSet } from "./types";
import { BYTE_MAX, INT_MAX, LONG_MAX, BYTE_MISS, INT_MISS, LONG_MISS, DOUBLE_MISS_MIN, doubleMissingBitsHigh, missingTagOfCode } from "./missing";
import { dateKind, isoToStataDate, isoToStataDatetime } from "./dates";
import type { DtaMeta } from "./reader";

export interface WriteDtaOptions {
  /** Variable label per column (≤ 80 characters). */
  variableLabels?: Record<string, string>;
  /**
   * Value labels per column: either a set ({ "1": "urban", "2": "rural", ".a": "refused" }),
   * stored under the column's name, or the name of a set in `labelSets` (sets can be shared).
   */
  valueLabels?: Record<string, ValueLabelSet | string>;
  /** Named value-label sets; all are written, used or not. */
  labelSets?: Record<string, ValueLabelSet>;
  /**
   * Display formats per column. A string column whose format is `%td…` / `%tc…` holding ISO
   * dates / timestamps (as `readDta` returns them) is written back as Stata numbers.
   */
  formats?: Record<string, string>;
  /** Dataset label (≤ 80 characters). */
  dataLabel?: string;
  /** Timestamp to record (default: now). */
  timestamp?: Date;
  /** Extended-missing tags per column (1..26 = .a…z) for NaN rows, as `readDta` returns in `meta.missingTags`. */
  missingTags?: Record<string, Uint8Array>;
  /** Store integer-valued numeric columns as byte/int/long when they fit (default true); else double/long. */
  compress?: boolean;
  /** Default "LSF". */
  byteOrder?: ByteOrder;
  /**
   * 118 (default; ≤ 32,767 variables), 119, or 117 (Stata 13: text in a code page, see
   * `encoding`; names ≤ 32 bytes, labels ≤ 80 bytes, N < 2^32).
   */
  version?: 117 | 118 | 119;
  /**
   * Text encoding of format 117 (118+ is always UTF-8): any name iconv-lite knows, e.g. "gbk"
   * or "gb18030" for a file as Stata 13 on Chinese Windows writes it; default "windows-1252".
   */
  encoding?: string;
  /** Strings longer than this many UTF-8 bytes make the column a strL (default and maximum 2045). */
  strlThreshold?: number;
}

/** Options that write a table read by `readDta` back with its labels, formats and missing tags. */
export function writeOptionsFromMeta(meta: DtaMeta): WriteDtaOptions {
  return {
    variableLabels: meta.variableLabels,
    valueLabels: meta.valueLabelNames,
    labelSets: meta.valueLabels,
    formats: meta.formats,
    dataLabel: meta.dataLabel,
    missingTags: meta.missingTags,
  };
}

interface Plan {
  name: string;
  type: StorageType;
  width: number;
  code: number;
  format: string;
  label: string;
  labelSet: string;
  num?: Float64Array;
  bytes?: Buffer[];
  tags?: Uint8Array;
}

const TYPE_CODE: Record<string, number> = { double: 65526, float: 65527, long: 65528, int: 65529, byte: 65530, strL: 32768 };
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const EMPTY = Buffer.alloc(0);
const CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Write a column table as a Stata .dta file of format 118 (Stata 14+; 119 on request), the
 * layout of `help dta`: `<stata_dta><header>…</header><map>…</map><variable_types>…
 * <varnames>…<sortlist>…<formats>…<value_label_names>…<variable_labels>…
 * <characteristics></characteristics><data>…</data><strls>…</strls><value_labels>…
 * </value_labels></stata_dta>`, text in UTF-8.
 *
 * Numeric columns: NaN is written as system missing `.`, or as `.a`–`.z` where
 * `missingTags` says so. Values ≥ 2^1023 (+Infinity included) fall in Stata's missing range and
 * are an error naming the row.
 * String columns: `null` is written as "" (Stata has no string NA).
 *
 * @example
 *   writeDta("/tmp/panel.dta", t, {
 *     variableLabels: { gdp: "GDP, 10k yuan" },
 *     valueLabels: { east: { "0": "west/central", "1": "east" } },
 *     dataLabel: "city panel 2003-2019",
 *   });
 */
export function writeDta(path: string, t: Table, opts: WriteDtaOptions = {}): void {
  const version = opts.version ?? 118;
  if (version !== 117 && version !== 118 && version !== 119) throw new ArgumentError(`writeDta writes formats 117, 118 and 119, not ${String(version)}`, { file: path });
  const enc = version >= 118 ? "utf-8" : (opts.encoding ?? "windows-1252").toLowerCase();
  if (enc !== "utf-8" && enc !== "utf8" && !iconv.encodingExists(enc)) throw new ArgumentError(`unknown text encoding "${opts.encoding}"`, { file: path });
  encodeText = enc === "utf-8" || enc === "utf8" ? (t: string) => Buffer.from(t, "utf8") : (t: string) => encodeStrict(t, enc, path);
  encodingName = enc === "utf8" ? "utf-8" : enc;
  const old = version === 117;
  if (old && t.nrows > 4294967295) throw new DataError(`${t.nrows} observations need format 118`, { file: path });
  const le = (opts.byteOrder ?? "LSF") === "LSF";
  const compress = opts.compress ?? true;
  const strlThreshold = Math.min(opts.strlThreshold ?? 2045, 2045);
  if (version <= 118 && t.names.length > 32767) throw new DataError(`${t.names.length} variables need format 119 (version: 119)`, { file: path });

  // Value-label sets: named sets first, then per-column ones.
  const sets = new Map<string, ValueLabelSet>();
  for (const [name, set] of Object.entries(opts.labelSets ?? {})) sets.set(name, set);
  const plans: Plan[] = t.names.map((name) => {
    const spec = opts.valueLabels?.[name];
    let labelSet = "";
    if (typeof spec === "string") {
      if (!sets.has(spec)) throw new ArgumentError(`value-label set "${spec}" is not in labelSets`, { file: path, column: name });
      labelSet = spec;
    } else if (spec !== undefined) {
      sets.set(name, spec);
      labelSet = name;
    }
    return planColumn(path, name, t.columns[name] as Column, opts, labelSet, compress, strlThreshold);
  });

  const w = new Out(le);
  const K = plans.length;
  const N = t.nrows;
  w.ascii(`<stata_dta><header><release>${version}</release><byteorder>${le ? "LSF" : "MSF"}</byteorder><K>`);
  w.uint(K, version === 119 ? 4 : 2);
  w.ascii("</K><N>");
  w.uint(N, old ? 4 : 8);
  w.ascii("</N><label>");
  const dl = textBytes(opts.dataLabel ?? "", old ? 80 : 320, path, "data label");
  w.uint(dl.length, old ? 1 : 2);
  w.bytes(dl);
  w.ascii("</label><timestamp>");
  const ts = stamp(opts.timestamp ?? new Date());
  w.uint(ts.length, 1);
  w.ascii(ts);
  w.ascii("</timestamp></header>");
  const map: number[] = new Array<number>(14).fill(0);
  map[1] = w.length;
  w.ascii("<map>");
  const mapValuesAt = w.length;
  for (let i = 0; i < 14; i++) w.uint(0, 8);
  w.ascii("</map>");
  map[2] = w.length;
  w.ascii("<variable_types>");
  for (const p of plans) w.uint(p.code, 2);
  w.ascii("</variable_types>");
  map[3] = w.length;
  w.ascii("<varnames>");
  for (const p of plans) w.fixed(textBytes(p.name, old ? 32 : 128, path, "variable name", p.name), old ? 33 : 129);
  w.ascii("</varnames>");
  map[4] = w.length;
  w.ascii("<sortlist>");
  w.bytes(Buffer.alloc((K + 1) * (version === 119 ? 4 : 2)));
  w.ascii("</sortlist>");
  map[5] = w.length;
  w.ascii("<formats>");
  for (const p of plans) w.fixed(textBytes(p.format, old ? 48 : 56, path, "format", p.name), old ? 49 : 57);
  w.ascii("</formats>");
  map[6] = w.length;
  w.ascii("<value_label_names>");
  for (const p of plans) w.fixed(textBytes(p.labelSet, old ? 32 : 128, path, "value-label name", p.name), old ? 33 : 129);
  w.ascii("</value_label_names>");
  map[7] = w.length;
  w.ascii("<variable_labels>");
  for (const p of plans) w.fixed(textBytes(p.label, old ? 80 : 320, path, "variable label", p.name), old ? 81 : 321);
  w.ascii("</variable_labels>");
  map[8] = w.length;
  w.ascii("<characteristics></characteristics>");
  map[9] = w.length;
  w.ascii("<data>");

  const fd = fs.openSync(path, "w");
  try {
    let pos = w.flush(fd, 0);
    pos = writeData(fd, pos, plans, N, le, version);
    const tail = new Out(le);
    tail.ascii("</data>");
    map[10] = pos + tail.length;
    tail.ascii("<strls>");
    plans.forEach((p, j) => {
      if (p.type !== "strL") return;
      for (let i = 0; i < N; i++) {
        const b = p.bytes![i]!;
        if (b.length === 0) continue;
        tail.ascii("GSO");
        tail.uint(j + 1, 4);
        tail.uint(i + 1, old ? 4 : 8);
        tail.uint(130, 1);
        tail.uint(b.length + 1, 4);
        tail.bytes(b);
        tail.uint(0, 1);
      }
    });
    tail.ascii("</strls>");
    map[11] = pos + tail.length;
    tail.ascii("<value_labels>");
    for (const [name, set] of sets) writeLabelTable(tail, name, set, path, old ? 33 : 129);
    tail.ascii("</value_labels>");
    map[12] = pos + tail.length;
    tail.ascii("</stata_dta>");
    map[13] = pos + tail.length;
    pos = tail.flush(fd, pos);
    const m = new Out(le);
    for (const x of map) m.uint(x, 8);
    m.flush(fd, mapValuesAt);
  } finally {
    fs.closeSync(fd);
  }
}

function planColumn(path: string, name: string, col: Column, opts: WriteDtaOptions, labelSet: string, compress: boolean, strlThreshold: number): Plan {
  const label = opts.variableLabels?.[name] ?? "";
  let format = opts.formats?.[name];
  const tags = opts.missingTags?.[name];
  if (tags !== undefined && tags.length !== col.length) throw new ArgumentError(`missingTags has ${tags.length} rows, the table ${col.length}`, { file: path, column: name });
  let num: Float64Array | undefined;
  if (col instanceof Float64Array) num = col;
  else if (col instanceof Int32Array) {
    num = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) num[i] = col[i] === NA_INT ? NaN : (col[i] as number);
  } else {
    const kind = format !== undefined ? dateKind(format) : null;
    if (kind !== null) {
      // ISO strings back to Stata dates (the inverse of readDta's dates: "iso").
      num = new Float64Array(col.length);
      for (let i = 0; i < col.length; i++) {
        const s = col[i];
        if (s === null || s === undefined || s === "") num[i] = NaN;
        else {
          const x = kind === "date" ? isoToStataDate(s) : isoToStataDatetime(s);
          if (Number.isNaN(x)) throw new DataError(`format ${format} needs a ${kind === "date" ? "YYYY-MM-DD date" : "ISO timestamp"}, found "${s}"`, { file: path, column: name, row: i + 1 });
          num[i] = x;
        }
      }
    }
  }
  if (num !== undefined) {
    let allInt = true;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < num.length; i++) {
      const x = num[i] as number;
      if (x !== x) continue;
      if (x >= DOUBLE_MISS_MIN)
        throw new DataError(`${x} cannot be stored in a Stata file (values from 8.988e307 up are Stata's missing codes; write NaN for missing)`, { file: path, column: name, row: i + 1 });
      if (allInt && !Number.isInteger(x)) allInt = false;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    let type: StorageType = "double";
    if (compress && allInt) {
      if (lo >= -127 && hi <= BYTE_MAX) type = "byte";
      else if (lo >= -32767 && hi <= INT_MAX) type = "int";
      else if (lo >= -2147483647 && hi <= LONG_MAX) type = "long";
    } else if (col instanceof Int32Array && allInt && lo >= -2147483647 && hi <= LONG_MAX) type = "long";
    if (format === undefined) format = type === "double" ? "%10.0g" : type === "long" ? "%12.0g" : "%8.0g";
    return { name, type, width: type === "double" ? 8 : type === "long" ? 4 : type === "int" ? 2 : 1, code: TYPE_CODE[type] as number, format, label, labelSet, num, tags };
  }
  if (labelSet !== "") throw new ArgumentError(`value labels need a numeric column`, { file: path, column: name });
  const strs = col as ReadonlyArray<string | null>;
  const bytes = new Array<Buffer>(strs.length);
  let maxLen = 1;
  for (let i = 0; i < strs.length; i++) {
    const s = strs[i];
    const b = s === null || s === undefined || s === "" ? EMPTY : encodeText(s);
    if (b.indexOf(0) >= 0 && b.length <= strlThreshold) throw new DataError(`a NUL character cannot be stored in a Stata str# value`, { file: path, column: name, row: i + 1 });
    bytes[i] = b;
    if (b.length > maxLen) maxLen = b.length;
  }
  if (maxLen > strlThreshold) return { name, type: "strL", width: 8, code: 32768, format: format ?? "%9s", label, labelSet, bytes };
  return { name, type: "str", width: maxLen, code: maxLen, format: format ?? `%${Math.max(maxLen, 9)}s`, label, labelSet, bytes };
}

function writeData(fd: number, pos: number, plans: Plan[], n: number, le: boolean, version: number): number {
  const offsets: number[] = [];
  let rec = 0;
  for (const p of plans) {
    offsets.push(rec);
    rec += p.width;
  }
  if (n === 0 || rec === 0) return pos;
  const chunkRows = Math.max(1, Math.min(n, Math.floor(CHUNK_BYTES / rec)));
  const ab = new ArrayBuffer(chunkRows * rec);
  const buf = Buffer.from(ab);
  const dv = new DataView(ab);
  const vBytes = version === 117 ? 4 : version === 118 ? 2 : 3;
  for (let row0 = 0; row0 < n; row0 += chunkRows) {
    const rows = Math.min(chunkRows, n - row0);
    buf.fill(0, 0, rows * rec);
    plans.forEach((p, j) => {
      const off = offsets[j] as number;
      const num = p.num;
      const tags = p.tags;
      for (let r = 0, q = off; r < rows; r++, q += rec) {
        const i = row0 + r;
        if (num !== undefined) {
          const x = num[i] as number;
          if (x !== x) {
            const tg = tags !== undefined ? Math.min(tags[i] as number, 26) : 0;
            switch (p.type) {
              case "double":
                dv.setUint32(le ? q + 4 : q, doubleMissingBitsHigh(tg), le);
                dv.setUint32(le ? q : q + 4, 0, le);
                break;
              case "long":
                dv.setInt32(q, LONG_MISS + tg, le);
                break;
              case "int":
                dv.setInt16(q, INT_MISS + tg, le);
                break;
              default:
                dv.setInt8(q, BYTE_MISS + tg);
            }
          } else
            switch (p.type) {
              case "double":
                dv.setFloat64(q, x, le);
                break;
              case "long":
                dv.setInt32(q, x, le);
                break;
              case "int":
                dv.setInt16(q, x, le);
                break;
              default:
                dv.setInt8(q, x);
            }
        } else if (p.type === "str") {
          p.bytes![i]!.copy(buf, q);
        } else {
          // strL reference (v, o): variable j+1, observation i+1; (0, 0) for "".
          const empty = p.bytes![i]!.length === 0;
          putUInt(buf, q, vBytes, empty ? 0 : j + 1, le);
          putUInt(buf, q + vBytes, 8 - vBytes, empty ? 0 : i + 1, le);
        }
      }
    });
    fs.writeSync(fd, buf, 0, rows * rec, pos);
    pos += rows * rec;
  }
  return pos;
}

function putUInt(buf: Uint8Array, pos: number, n: number, v: number, le: boolean): void {
  for (let k = 0; k < n; k++) {
    const byte = Math.floor(v / 2 ** (8 * k)) % 256;
    buf[le ? pos + k : pos + n - 1 - k] = byte;
  }
}

function writeLabelTable(w: Out, name: string, set: ValueLabelSet, path: string, nameWidth: number): void {
  const entries: [number, Buffer][] = [];
  for (const [key, text] of Object.entries(set)) {
    const tag = missingTagOfCode(key);
    const v = tag >= 0 ? LONG_MISS + tag : Number(key);
    if (!Number.isInteger(v) || (tag < 0 && (v < -2147483647 || v > LONG_MAX)))
      throw new ArgumentError(`value label key "${key}" of set "${name}" is not an integer from -2147483647 to 2147483620 or a missing code ".", ".a"…".z"`, { file: path });
    entries.push([v, encodeText(text)]);
  }
  entries.sort((a, b) => a[0] - b[0]);
  const n = entries.length;
  let txtlen = 0;
  for (const [, b] of entries) txtlen += b.length + 1;
  w.ascii("<lbl>");
  w.uint(8 + 8 * n + txtlen, 4);
  w.fixed(textBytes(name, nameWidth - 1, path, "value-label name"), nameWidth);
  w.bytes(Buffer.alloc(3));
  w.uint(n, 4);
  w.uint(txtlen, 4);
  let off = 0;
  for (const [, b] of entries) {
    w.uint(off, 4);
    off += b.length + 1;
  }
  for (const [v] of entries) w.uint(v < 0 ? v + 4294967296 : v, 4);
  for (const [, b] of entries) {
    w.bytes(b);
    w.uint(0, 1);
  }
  w.ascii("</lbl>");
}

function textBytes(s: string, max: number, file: string, what: string, column?: string): Buffer {
  const b = encodeText(s);
  if (b.length > max) throw new DataError(`${what} is ${b.length} bytes in ${encodingName}; Stata allows ${max}`, column === undefined ? { file } : { file, column });
  return b;
}

/** The text encoder of the file being written (set by `writeDta`, which runs synchronously). */
let encodeText: (s: string) => Buffer = (s) => Buffer.from(s, "utf8");
let encodingName = "utf-8";

/** Encode `s` in `enc`; a character the encoding cannot represent is an error naming it. */
function encodeStrict(s: string, enc: string, file: string): Buffer {
  const b = iconv.encode(s, enc);
  const back = iconv.decode(b, enc);
  if (back !== s) {
    let k = 0;
    while (k < s.length && s[k] === back[k]) k++;
    throw new DataError(`text "${s}" has a character ("${s[k] ?? ""}") that ${enc} cannot store; write format 118 (UTF-8) instead`, { file });
  }
  return b;
}

/** "dd Mon yyyy hh:mm" as `help dta` §5.1 prescribes (17 characters). */
function stamp(d: Date): string {
  const two = (x: number) => String(x).padStart(2, "0");
  return `${two(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** A growable byte buffer for the small (non-data) parts of the file. */
class Out {
  private parts: Buffer[] = [];
  length = 0;
  constructor(private readonly le: boolean) {}
  bytes(b: Uint8Array): void {
    const c = Buffer.from(b);
    this.parts.push(c);
    this.length += c.length;
  }
  ascii(s: string): void {
    this.bytes(Buffer.from(s, "latin1"));
  }
  fixed(b: Buffer, width: number): void {
    const c = Buffer.alloc(width);
    b.copy(c, 0, 0, Math.min(b.length, width - 1));
    this.bytes(c);
  }
  uint(v: number, n: number): void {
    const b = Buffer.alloc(n);
    putUInt(b, 0, n, v, this.le);
    this.bytes(b);
  }
  flush(fd: number, pos: number): number {
    const all = Buffer.concat(this.parts);
    fs.writeSync(fd, all, 0, all.length, pos);
    return pos + all.length;
  }
}
