import type { DtaSource } from "./source";
import { readUInt } from "./source";
import type { Decoder } from "./encoding";
import type { DtaHeader } from "./types";

/**
 * strL support (`help dta` §5.11 "StrLs"; `help dta_117`).
 *
 * In the data, a strL is an 8-byte reference (v, o): variable number and observation number of
 * the GSO that holds the text. The split is v:4+o:4 bytes in 117, v:2+o:6 in 118, v:3+o:5 in
 * 119, each part in the file's byte order, v first. (0, 0) is the empty string. The `<strls>`
 * section holds the GSOs: "GSO", v (u32), o (u32 in 117, u64 in 118+), t (u8: 129 binary,
 * 130 text with a trailing NUL), len (u32), then len bytes.
 *
 * `strlKey` packs (v, o) into one exact JS number (v < 2^24, o < 2^29 in practice).
 *
 * @example
 *   const key = strlKey(1, 5);              // variable 1, observation 5
 *   parseStrls(src, header, dec).get(key);  // "a long text…"
 */
export function strlKey(v: number, o: number): number {
  return o * 16777216 + v;
}

/** (v, o) reference of a strL field at `pos` of a data record, packed with `strlKey`. */
export function readStrlRef(buf: Uint8Array, pos: number, version: number, le: boolean): number {
  const vBytes = version === 117 ? 4 : version === 118 ? 2 : 3;
  const v = readUInt(buf, pos, vBytes, le);
  const o = readUInt(buf, pos + vBytes, 8 - vBytes, le);
  return strlKey(v, o);
}

/** All GSOs of the file, keyed by `strlKey(v, o)`. */
export function parseStrls(src: DtaSource, h: DtaHeader, dec: Decoder): Map<number, string> {
  const out = new Map<number, string>();
  if (h.strlsOffset < 0) return out;
  const len = h.valueLabelsOffset - h.strlsOffset;
  const buf = src.read(h.strlsOffset, len, "strLs");
  const le = h.littleEndian;
  const oBytes = h.version === 117 ? 4 : 8;
  if (buf.toString("latin1", 0, 7) !== "<strls>") throw src.error(`corrupt file: expected "<strls>" at byte ${h.strlsOffset}`);
  let p = 7;
  for (;;) {
    const tag = buf.toString("latin1", p, p + 3);
    if (tag === "GSO") {
      p += 3;
      if (p + 4 + oBytes + 5 > buf.length) throw src.error(`truncated or corrupt file: strL at byte ${h.strlsOffset + p} is cut off`);
      const v = readUInt(buf, p, 4, le);
      const o = readUInt(buf, p + 4, oBytes, le);
      const t = buf[p + 4 + oBytes] as number;
      const n = readUInt(buf, p + 5 + oBytes, 4, le);
      p += 9 + oBytes;
      if (p + n > buf.length) throw src.error(`truncated or corrupt file: strL (${v}, ${o}) runs past its section`);
      const end = t === 130 && n > 0 && buf[p + n - 1] === 0 ? p + n - 1 : p + n;
      out.set(strlKey(v, o), dec(buf, p, end));
      p += n;
    } else if (buf.toString("latin1", p, p + 8) === "</strls>") break;
    else throw src.error(`corrupt file: expected "GSO" or "</strls>" at byte ${h.strlsOffset + p}`);
  }
  return out;
}
