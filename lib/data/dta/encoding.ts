import * as iconv from "iconv-lite";
import { ArgumentError } from "../../util/errors";

/**
 * Decoding of text fields. `help dta`: formats 118 and 119 store all text as UTF-8; format 117
 * and earlier store it in the encoding of the machine that wrote the file, which Stata does not
 * record — usually windows-1252 on Western systems and GB18030/GBK on Chinese ones. The
 * `encoding` option of `readDta` chooses it; its default "auto" detects it (see `autoProbe`).
 *
 * @example
 *   const dec = makeDecoder(115, "gb18030");
 *   dec(buf, 0, 8); // "北京市"
 */
export type Decoder = (buf: Buffer, start: number, end: number) => string;

/**
 * A string decoder for a `.dta` file: UTF-8 from format 118 on; before that the given encoding (default windows-1252; e.g. `gb18030` for files saved by Chinese Stata 13 or older). An unknown encoding is an ArgumentError.
 *
 * @example
 *   const dec = makeDecoder(115, "gb18030");
 *   dec(buf, 0, 8); // "北京市"
 */
export function makeDecoder(version: number, encoding: string | undefined): Decoder {
  const enc = (version >= 118 ? "utf-8" : (encoding ?? "windows-1252")).toLowerCase();
  if (enc === "utf-8" || enc === "utf8") return (buf, s, e) => buf.toString("utf8", s, e);
  if (enc === "latin1" || enc === "iso-8859-1") return (buf, s, e) => buf.toString("latin1", s, e);
  if (!iconv.encodingExists(enc)) throw new ArgumentError(`unknown text encoding "${encoding}"`);
  return (buf, s, e) => {
    // Fast path: pure ASCII is the same in every encoding Stata users meet.
    let ascii = true;
    for (let i = s; i < e; i++)
      if ((buf[i] as number) >= 0x80) {
        ascii = false;
        break;
      }
    return ascii ? buf.toString("latin1", s, e) : iconv.decode(buf.subarray(s, e), enc);
  };
}

/** Names under which iconv-lite decodes the GB family (GB2312 ⊂ GBK/CP936 ⊂ GB18030). */
const GB_FAMILY = new Set(["gb18030", "gbk", "cp936", "gb2312", "gb-2312", "gb_2312", "euc-cn", "ms936", "windows-936"]);

/** Is `enc` one of the Chinese GB encodings (GB2312, GBK/CP936, GB18030)? */
export function isGbEncoding(enc: string): boolean {
  return GB_FAMILY.has(enc.toLowerCase());
}

/** "utf8", "UTF-8", "utf-8" → "utf-8"; other names lower-cased. */
export function normalizeEncoding(enc: string): string {
  const e = enc.trim().toLowerCase();
  return e === "utf8" || e === "utf-8" ? "utf-8" : e;
}

/**
 * Byte offset of the first byte sequence in buf[start, end) that is not valid UTF-8 (overlongs,
 * surrogates and code points above U+10FFFF included), or −1 when all of it is valid.
 *
 * @example
 *   firstInvalidUtf8(Buffer.from([0x61, 0xb1, 0xb1])); // 1
 */
export function firstInvalidUtf8(buf: Uint8Array, start = 0, end = buf.length): number {
  let i = start;
  while (i < end) {
    const c = buf[i] as number;
    if (c < 0x80) { i++; continue; }
    let n: number, min: number;
    if (c >= 0xc2 && c <= 0xdf) { n = 1; min = 0x80; }
    else if (c >= 0xe0 && c <= 0xef) { n = 2; min = 0x800; }
    else if (c >= 0xf0 && c <= 0xf4) { n = 3; min = 0x10000; }
    else return i;
    if (i + n >= end) return i; // truncated sequence
    let cp = c & (n === 1 ? 0x1f : n === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= n; k++) {
      const b = buf[i + k] as number;
      if ((b & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/**
 * Byte offset of the first byte sequence in buf[start, end) that is not valid GB18030 (which
 * includes GBK and GB2312): ASCII, or a lead byte 0x81–0xFE followed by 0x40–0x7E / 0x80–0xFE
 * (two bytes) or by 0x30–0x39, 0x81–0xFE, 0x30–0x39 (four bytes). −1 when all of it is valid.
 *
 * @example
 *   firstInvalidGb18030(iconv.encode("北京", "gbk")); // -1
 */
export function firstInvalidGb18030(buf: Uint8Array, start = 0, end = buf.length): number {
  let i = start;
  while (i < end) {
    const c = buf[i] as number;
    if (c < 0x80) { i++; continue; }
    if (c === 0x80 || c === 0xff || i + 1 >= end) return i;
    const b = buf[i + 1] as number;
    if ((b >= 0x40 && b <= 0x7e) || (b >= 0x80 && b <= 0xfe)) { i += 2; continue; }
    if (b >= 0x30 && b <= 0x39 && i + 3 < end) {
      const b3 = buf[i + 2] as number, b4 = buf[i + 3] as number;
      if (b3 >= 0x81 && b3 <= 0xfe && b4 >= 0x30 && b4 <= 0x39) { i += 4; continue; }
    }
    return i;
  }
  return -1;
}

/**
 * Multi-byte characters of valid GB18030 text in buf[start, end), and how many of them lie in
 * the GB2312 block (both bytes 0xA1–0xFE: the 7,445 common Chinese characters and symbols).
 * Chinese text is almost all GB2312; Latin-1/windows-1252 text that happens to be valid GBK
 * ("Zürich": FC 72 → "黵") pairs an accented letter with an ASCII trail byte and is not, so a
 * low share means "probably not Chinese".
 *
 * @example
 *   gbCommonShare(iconv.encode("北京", "gbk")); // { chars: 2, common: 2 }
 */
export function gbCommonShare(buf: Uint8Array, start = 0, end = buf.length): { chars: number; common: number } {
  let chars = 0, common = 0;
  for (let i = start; i < end; ) {
    const c = buf[i] as number;
    if (c < 0x80 || i + 1 >= end) { i++; continue; }
    const b = buf[i + 1] as number;
    chars++;
    if (c >= 0xa1 && b >= 0xa1 && b <= 0xfe) common++;
    i += b >= 0x30 && b <= 0x39 ? 4 : 2;
  }
  return { chars, common };
}

/** Does buf[start, end) contain a byte ≥ 0x80? */
export function hasNonAscii(buf: Uint8Array, start = 0, end = buf.length): boolean {
  for (let i = start; i < end; i++) if ((buf[i] as number) >= 0x80) return true;
  return false;
}

/**
 * A decoder for `encoding: "auto"` that reads every text field as latin1 (byte for byte) and
 * records whether all non-ASCII fields are valid UTF-8 and valid GB18030. `choice()` then names
 * the encoding to decode with: "utf-8" if every non-ASCII field is valid UTF-8, else "gb18030"
 * if every one is valid GB18030 and at least half of the characters are common Chinese ones
 * (`gbCommonShare`), else "windows-1252" (Stata's Western default); null when no
 * field had a non-ASCII byte (every encoding reads the file the same).
 *
 * @example
 *   const probe = autoProbe();
 *   probe.decoder(buf, 0, buf.length);
 *   probe.choice(); // "gb18030"
 */
export function autoProbe(): { decoder: Decoder; choice: () => string | null } {
  let seen = false, utf8 = true, gb = true, chars = 0, common = 0;
  const decoder: Decoder = (buf, s, e) => {
    if (hasNonAscii(buf, s, e)) {
      seen = true;
      if (utf8 && firstInvalidUtf8(buf, s, e) >= 0) utf8 = false;
      if (gb && firstInvalidGb18030(buf, s, e) >= 0) gb = false;
      if (gb) {
        const st = gbCommonShare(buf, s, e);
        chars += st.chars;
        common += st.common;
      }
    }
    return buf.toString("latin1", s, e);
  };
  // GB18030 only when most characters are common Chinese ones (see gbCommonShare)
  return { decoder, choice: () => (!seen ? null : utf8 ? "utf-8" : gb && 2 * common >= chars ? "gb18030" : "windows-1252") };
}
