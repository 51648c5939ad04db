import * as iconv from "iconv-lite";
import { ArgumentError } from "../../util/errors";

/**
 * Decoding of text fields. `help dta`: formats 118 and 119 store all text as UTF-8; format 117
 * and earlier store it in the encoding of the machine that wrote the file, which Stata does not
 * record — usually windows-1252 on Western systems and GB18030/GBK on Chinese ones. The
 * `encoding` option of `readDta` chooses it (default "windows-1252", as haven does).
 *
 * @example
 *   const dec = makeDecoder(115, "gb18030");
 *   dec(buf, 0, 8); // "北京市"
 */
export type Decoder = (buf: Buffer, start: number, end: number) => string;

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
