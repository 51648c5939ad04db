import type { DtaSource } from "./source";
import { cstrEnd } from "./source";
import type { Decoder } from "./encoding";
import type { DtaHeader } from "./types";
import { BYTE_MAX, INT_MAX, LONG_MAX, DOUBLE_MISS_MIN, FLOAT_MISS_MIN, missingTagOfDoubleHigh, missingTagOfFloatBits, missingTagOfInt } from "./missing";
import { readStrlRef } from "./strl";
import { StringMemo } from "./string-memo";

/** What the data pass produces for one variable before dates/labels are applied. */
export interface RawColumn {
  /** Numbers (NaN = missing) for numeric types; strL references (see `strlKey`) for strL. */
  num?: Float64Array;
  str?: string[];
  /** NA count (numeric types). */
  missing: number;
  /** Per-row tag 1..26 for `.a`..`.z`, 0 otherwise; allocated on the first extended missing value. */
  tags?: Uint8Array;
  /** Counts per tag (index 0 = system missing). */
  tagCounts?: Int32Array;
}

const NATIVE_LE = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
/** Target bytes per read of the data section: small enough to stay in L2 cache while each column is decoded. */
export const CHUNK_BYTES = 512 * 1024;

/**
 * Read the `<data>` section (`help dta` §5.10): N records of the variables' values in order,
 * each in its storage type and the file's byte order. The section is read in chunks of whole
 * records (≈ `CHUNK_BYTES`) with `fs.readSync` into one reused buffer, and every value is
 * decoded straight into the output column, so peak memory is the output plus one chunk.
 * Doubles in native byte order at 8-byte-aligned record offsets are read through a
 * Float64Array view of the chunk; everything else through a DataView. With a pure decoder
 * (`pureDecoder`, the default), each fixed-width string column decodes each distinct value once
 * (`StringMemo`): its rows share one string object per value.
 *
 * @example
 *   const cols = readDataSection(src, header, decoder);
 *   cols[0].num; // Float64Array of the first variable, NaN for missing
 */
export function readDataSection(src: DtaSource, h: DtaHeader, dec: Decoder, chunkBytes = CHUNK_BYTES, pureDecoder = true): RawColumn[] {
  const n = h.nobs;
  const rec = h.recordLength;
  const cols: RawColumn[] = h.variables.map((v) =>
    v.type === "str" ? { str: new Array<string>(n), missing: 0 } : { num: new Float64Array(n), missing: 0 },
  );
  if (n === 0 || rec === 0) return cols;
  const chunkRows = Math.max(1, Math.min(n, Math.floor(chunkBytes / rec)));
  const ab = new ArrayBuffer(chunkRows * rec);
  const buf = Buffer.from(ab);
  const dv = new DataView(ab);
  const le = h.littleEndian;
  const f64 = rec % 8 === 0 && le === NATIVE_LE ? new Float64Array(ab) : null;
  const memos = h.variables.map((v) => (pureDecoder && v.type === "str" ? new StringMemo(dec) : null));
  for (let row0 = 0; row0 < n; row0 += chunkRows) {
    const rows = Math.min(chunkRows, n - row0);
    src.readInto(buf, 0, rows * rec, h.dataOffset + row0 * rec, "data");
    for (let j = 0; j < h.variables.length; j++) {
      const v = h.variables[j]!;
      const c = cols[j]!;
      const off = h.fieldOffsets[j]!;
      switch (v.type) {
        case "double":
          readDoubles(dv, f64, off, rec, rows, row0, le, c);
          break;
        case "float": {
          const out = c.num!;
          for (let r = 0, p = off; r < rows; r++, p += rec) {
            const x = dv.getFloat32(p, le);
            if (x >= FLOAT_MISS_MIN || x !== x) {
              out[row0 + r] = NaN;
              markMissing(c, row0 + r, x !== x ? 0 : missingTagOfFloatBits(dv.getUint32(p, le)), n);
            } else out[row0 + r] = x;
          }
          break;
        }
        case "long":
          readInts(dv, off, rec, rows, row0, le, c, 4, LONG_MAX, "long", n);
          break;
        case "int":
          readInts(dv, off, rec, rows, row0, le, c, 2, INT_MAX, "int", n);
          break;
        case "byte":
          readInts(dv, off, rec, rows, row0, le, c, 1, BYTE_MAX, "byte", n);
          break;
        case "str": {
          const out = c.str!;
          const w = v.strWidth;
          const memo = memos[j];
          if (memo) for (let r = 0, p = off; r < rows; r++, p += rec) out[row0 + r] = memo.get(buf, p, cstrEnd(buf, p, w));
          else for (let r = 0, p = off; r < rows; r++, p += rec) out[row0 + r] = dec(buf, p, cstrEnd(buf, p, w));
          break;
        }
        case "strL": {
          const out = c.num!;
          for (let r = 0, p = off; r < rows; r++, p += rec) out[row0 + r] = readStrlRef(buf, p, h.version, le);
          break;
        }
      }
    }
  }
  return cols;
}

function markMissing(c: RawColumn, row: number, tag: number, n: number): void {
  c.missing++;
  const t = tag < 0 ? 0 : tag;
  if (!c.tagCounts) c.tagCounts = new Int32Array(27);
  c.tagCounts[t]!++;
  if (t > 0) {
    if (!c.tags) c.tags = new Uint8Array(n);
    c.tags[row] = t;
  }
}

function readDoubles(dv: DataView, f64: Float64Array | null, off: number, rec: number, rows: number, row0: number, le: boolean, c: RawColumn): void {
  const out = c.num!;
  const n = out.length;
  if (f64 !== null && off % 8 === 0) {
    const stride = rec / 8;
    for (let r = 0, k = off / 8; r < rows; r++, k += stride) {
      const x = f64[k]!;
      if (x >= DOUBLE_MISS_MIN || x !== x) {
        out[row0 + r] = NaN;
        markMissing(c, row0 + r, x !== x ? 0 : missingTagOfDoubleHigh(dv.getUint32(k * 8 + (le ? 4 : 0), le)), n);
      } else out[row0 + r] = x;
    }
    return;
  }
  for (let r = 0, p = off; r < rows; r++, p += rec) {
    const x = dv.getFloat64(p, le);
    if (x >= DOUBLE_MISS_MIN || x !== x) {
      out[row0 + r] = NaN;
      markMissing(c, row0 + r, x !== x ? 0 : missingTagOfDoubleHigh(dv.getUint32(le ? p + 4 : p, le)), n);
    } else out[row0 + r] = x;
  }
}

function readInts(
  dv: DataView,
  off: number,
  rec: number,
  rows: number,
  row0: number,
  le: boolean,
  c: RawColumn,
  width: 1 | 2 | 4,
  max: number,
  type: "byte" | "int" | "long",
  n: number,
): void {
  const out = c.num!;
  for (let r = 0, p = off; r < rows; r++, p += rec) {
    const x = width === 4 ? dv.getInt32(p, le) : width === 2 ? dv.getInt16(p, le) : dv.getInt8(p);
    if (x > max) {
      out[row0 + r] = NaN;
      markMissing(c, row0 + r, missingTagOfInt(x, type), n);
    } else out[row0 + r] = x;
  }
}
