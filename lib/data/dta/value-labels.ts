import type { DtaSource } from "./source";
import { readUInt, cstrEnd } from "./source";
import type { Decoder } from "./encoding";
import type { DtaHeader, ValueLabelSet } from "./types";
import { LONG_MISS, missingCode } from "./missing";

/**
 * Parse the value-label tables (`help dta` §5.12 "Value labels"; `help dta_115` §5.6).
 *
 * Each table is `len` (u32), the set name (33 bytes in ≤117, 129 in 118+), 3 bytes padding,
 * then `len` bytes: `n` (u32), `txtlen` (u32), `off[n]` (u32), `val[n]` (i32), `txt[txtlen]`
 * (NUL-terminated labels at the offsets). In 117+ each table is wrapped in `<lbl>…</lbl>` inside
 * `<value_labels>…</value_labels>`; in 114/115 tables follow the data until the end of the file.
 * Values above 2,147,483,620 are missing codes and are keyed ".", ".a" … ".z".
 *
 * @example
 *   const sets = parseValueLabels(src, header, decoder);
 *   sets["yesno"]; // { "0": "no", "1": "yes", ".a": "refused" }
 */
export function parseValueLabels(src: DtaSource, h: DtaHeader, dec: Decoder): Record<string, ValueLabelSet> {
  const out: Record<string, ValueLabelSet> = {};
  const start = h.valueLabelsOffset;
  const end = h.valueLabelsEnd;
  if (end <= start) return out;
  const buf = src.read(start, end - start, "value labels");
  const le = h.littleEndian;
  const xml = h.version >= 117;
  const nameW = h.version >= 118 ? 129 : 33;
  let p = 0;
  const expect = (tag: string): boolean => {
    if (buf.toString("latin1", p, p + tag.length) !== tag) return false;
    p += tag.length;
    return true;
  };
  if (xml && !expect("<value_labels>")) throw src.error(`corrupt file: expected "<value_labels>" at byte ${start}`);
  for (;;) {
    if (xml) {
      if (expect("</value_labels>")) break;
      if (!expect("<lbl>")) throw src.error(`corrupt file: expected "<lbl>" at byte ${start + p}`);
    } else if (p + 4 > buf.length) break;
    if (p + 4 + nameW + 3 > buf.length) throw src.error(`truncated or corrupt file: value-label table at byte ${start + p} is cut off`);
    const len = readUInt(buf, p, 4, le);
    p += 4;
    const name = dec(buf, p, cstrEnd(buf, p, nameW));
    p += nameW + 3;
    if (p + len > buf.length || len < 8) throw src.error(`truncated or corrupt file: value-label table "${name}" is cut off`);
    const n = readUInt(buf, p, 4, le);
    const txtlen = readUInt(buf, p + 4, 4, le);
    if (8 + 8 * n + txtlen > len) throw src.error(`corrupt file: value-label table "${name}" has inconsistent lengths`);
    const offs = p + 8;
    const vals = offs + 4 * n;
    const txt = vals + 4 * n;
    const set: ValueLabelSet = {};
    for (let i = 0; i < n; i++) {
      const o = readUInt(buf, offs + 4 * i, 4, le);
      let v = readUInt(buf, vals + 4 * i, 4, le);
      if (v >= 2147483648) v -= 4294967296;
      if (o >= txtlen) throw src.error(`corrupt file: value-label table "${name}" has a label offset past its text`);
      const s = txt + o;
      const key = v >= LONG_MISS ? missingCode(Math.min(v - LONG_MISS, 26)) : String(v);
      set[key] = dec(buf, s, cstrEnd(buf, s, txtlen - o));
    }
    out[name] = set;
    p += len;
    if (xml && !expect("</lbl>")) throw src.error(`corrupt file: expected "</lbl>" at byte ${start + p}`);
  }
  return out;
}
