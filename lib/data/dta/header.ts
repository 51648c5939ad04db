import { DtaSource, readUInt, cstrEnd } from "./source";
import type { Decoder } from "./encoding";
import { DtaHeader, DtaVariable, DtaVersion, StorageType, storageWidth, SUPPORTED_VERSIONS, ByteOrder } from "./types";
import { checkDistinctNames } from "../names";

/**
 * Parse everything before the data: header, descriptors (types, names, formats, value-label
 * names), variable labels, and the positions of the data, strL and value-label sections.
 *
 * Layouts follow Stata's `help dta` (118/119), `help dta_117` and `help dta_115`/`dta_114`:
 *
 * - 114/115: a 109-byte binary header (`ds_format`, `byteorder` 1=HILO 2=LOHI, `filetype`,
 *   unused, `nvar` u16, `nobs` u32, 81-byte data label, 18-byte timestamp), then `typlist`
 *   (nvar bytes: 1–244 = str#, 251–255 = byte/int/long/float/double), `varlist` (33 bytes
 *   each), `srtlist`, `fmtlist` (49), `lbllist` (33), variable labels (81), expansion fields
 *   (type u8 + length u32, ended by 0/0), data, value labels to the end of the file.
 * - 117/118/119: tagged sections `<stata_dta><header>…<map>…`; `K` is u16 (u32 in 119), `N` u32
 *   (u64 in 118/119); types are u16 (1–2045 str#, 32768 strL, 65526–65530 double…byte); names
 *   33/129 bytes, formats 49/57, label names 33/129, variable labels 81/321 (117 / 118+).
 *   Section offsets are taken from the 14-entry `<map>`.
 *
 * Problems (wrong magic, unsupported version, truncation) are DataErrors naming the file.
 *
 * @example
 *   const h = parseHeader(DtaSource.open("auto.dta"), makeDecoder(118, undefined));
 *   h.version; // 118
 *   h.variables.map((v) => v.name); // ["make", "price", …]
 */
export function parseHeader(src: DtaSource, decode: (version: number) => Decoder): DtaHeader {
  if (src.size < 2) throw src.error(`not a Stata .dta file: only ${src.size} bytes`);
  const head = src.read(0, Math.min(src.size, 11));
  if (head.toString("latin1") === "<stata_dta>") return parseXmlHeader(src, decode);
  const v = head[0] as number;
  if (v >= 102 && v <= 115 && (head[1] === 1 || head[1] === 2)) {
    if (v !== 114 && v !== 115)
      throw src.error(`unsupported .dta format ${v} (readable: ${SUPPORTED_VERSIONS.join(", ")}; re-save it with a newer Stata)`);
    return parseOldHeader(src, v as DtaVersion, decode(v));
  }
  throw src.error("not a Stata .dta file (unrecognised header bytes)");
}

function oldTypeCode(src: DtaSource, code: number, i: number): [StorageType, number] {
  if (code >= 1 && code <= 244) return ["str", code];
  switch (code) {
    case 251:
      return ["byte", 0];
    case 252:
      return ["int", 0];
    case 253:
      return ["long", 0];
    case 254:
      return ["float", 0];
    case 255:
      return ["double", 0];
  }
  throw src.error(`corrupt file: variable ${i + 1} has unknown storage type code ${code}`);
}

function newTypeCode(src: DtaSource, code: number, i: number): [StorageType, number] {
  if (code >= 1 && code <= 2045) return ["str", code];
  switch (code) {
    case 32768:
      return ["strL", 0];
    case 65526:
      return ["double", 0];
    case 65527:
      return ["float", 0];
    case 65528:
      return ["long", 0];
    case 65529:
      return ["int", 0];
    case 65530:
      return ["byte", 0];
  }
  throw src.error(`corrupt file: variable ${i + 1} has unknown storage type code ${code}`);
}

function finish(
  src: DtaSource,
  base: Omit<DtaHeader, "recordLength" | "fieldOffsets" | "variables" | "fileSize">,
  types: [StorageType, number][],
  names: string[],
  formats: string[],
  lblnames: string[],
  labels: string[],
): DtaHeader {
  const variables: DtaVariable[] = [];
  const fieldOffsets: number[] = [];
  let rec = 0;
  // the same one-line message as a CSV header with a repeated name
  checkDistinctNames(names, src.path);
  for (let i = 0; i < types.length; i++) {
    const [type, strWidth] = types[i] as [StorageType, number];
    const name = names[i] as string;
    if (name === "") throw src.error(`corrupt file: variable ${i + 1} has an empty name`);
    variables.push({ name, type, strWidth, format: formats[i] as string, valueLabel: lblnames[i] as string, label: labels[i] as string });
    fieldOffsets.push(rec);
    rec += storageWidth(type, strWidth);
  }
  const h: DtaHeader = { ...base, variables, recordLength: rec, fieldOffsets, fileSize: src.size };
  const dataEnd = h.dataOffset + h.nobs * rec;
  if (dataEnd > src.size)
    throw src.error(`truncated or corrupt file: ${h.nobs} observations of ${rec} bytes need ${dataEnd} bytes but the file has ${src.size}`);
  return h;
}

function strings(buf: Buffer, start: number, count: number, width: number, dec: Decoder): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = start + i * width;
    out.push(dec(buf, s, cstrEnd(buf, s, width)));
  }
  return out;
}

function parseOldHeader(src: DtaSource, version: DtaVersion, dec: Decoder): DtaHeader {
  const h = src.read(0, 109);
  const byteOrder: ByteOrder = h[1] === 1 ? "MSF" : "LSF";
  const le = byteOrder === "LSF";
  const nvar = readUInt(h, 4, 2, le);
  const nobs = readUInt(h, 6, 4, le);
  const dataLabel = dec(h, 10, cstrEnd(h, 10, 81));
  const timestamp = dec(h, 91, cstrEnd(h, 91, 18));
  // typlist, varlist, srtlist, fmtlist, lbllist, variable labels (help dta_114 §5.2-5.3).
  const descLen = nvar + 33 * nvar + 2 * (nvar + 1) + 49 * nvar + 33 * nvar + 81 * nvar;
  const d = src.read(109, descLen, "descriptors");
  const types: [StorageType, number][] = [];
  for (let i = 0; i < nvar; i++) types.push(oldTypeCode(src, d[i] as number, i));
  let p = nvar;
  const names = strings(d, p, nvar, 33, dec);
  p += 33 * nvar + 2 * (nvar + 1);
  const formats = strings(d, p, nvar, 49, dec);
  p += 49 * nvar;
  const lblnames = strings(d, p, nvar, 33, dec);
  p += 33 * nvar;
  const labels = strings(d, p, nvar, 81, dec);
  // Expansion fields: (data_type u8, len u32, contents) … terminated by 0, 0.
  let pos = 109 + descLen;
  for (;;) {
    const e = src.read(pos, 5, "expansion fields");
    const type = e[0] as number;
    const len = readUInt(e, 1, 4, le);
    pos += 5;
    if (type === 0 && len === 0) break;
    pos += len;
    if (pos > src.size) throw src.error(`truncated or corrupt file: expansion field runs past the end of the file`);
  }
  const dataOffset = pos;
  let rec = 0;
  for (const [t, w] of types) rec += storageWidth(t, w);
  const vlOffset = dataOffset + nobs * rec;
  return finish(
    src,
    { version, byteOrder, littleEndian: le, nvar, nobs, dataLabel, timestamp, dataOffset, strlsOffset: -1, valueLabelsOffset: vlOffset, valueLabelsEnd: src.size },
    types,
    names,
    formats,
    lblnames,
    labels,
  );
}

/** Cursor over a buffer that checks the literal tags of formats 117+. */
class Tags {
  pos = 0;
  constructor(
    private readonly src: DtaSource,
    private readonly buf: Buffer,
    private readonly base: number,
  ) {}
  expect(tag: string): void {
    const got = this.buf.toString("latin1", this.pos, this.pos + tag.length);
    if (got !== tag) throw this.src.error(`corrupt file: expected "${tag}" at byte ${this.base + this.pos}`);
    this.pos += tag.length;
  }
  uint(n: number, le: boolean): number {
    if (this.pos + n > this.buf.length) throw this.src.error(`truncated or corrupt file: header ends early`);
    const v = readUInt(this.buf, this.pos, n, le);
    this.pos += n;
    return v;
  }
}

function parseXmlHeader(src: DtaSource, decode: (version: number) => Decoder): DtaHeader {
  // The header is at most ~2.5 KB (118: 320-byte label); read what is there.
  const buf = src.read(0, Math.min(src.size, 4096));
  const t = new Tags(src, buf, 0);
  t.expect("<stata_dta><header><release>");
  const rel = buf.toString("latin1", t.pos, t.pos + 3);
  const version = Number(rel);
  if (!/^\d{3}$/.test(rel)) throw src.error(`corrupt file: unreadable release "${rel}"`);
  if (version !== 117 && version !== 118 && version !== 119)
    throw src.error(`unsupported .dta format ${version} (readable: ${SUPPORTED_VERSIONS.join(", ")})`);
  t.pos += 3;
  t.expect("</release><byteorder>");
  const bo = buf.toString("latin1", t.pos, t.pos + 3);
  if (bo !== "LSF" && bo !== "MSF") throw src.error(`corrupt file: byte order "${bo}" is neither LSF nor MSF`);
  const le = bo === "LSF";
  t.pos += 3;
  t.expect("</byteorder><K>");
  const nvar = t.uint(version === 119 ? 4 : 2, le);
  t.expect("</K><N>");
  const nobs = t.uint(version === 117 ? 4 : 8, le);
  t.expect("</N><label>");
  const dec = decode(version);
  const llen = t.uint(version === 117 ? 1 : 2, le);
  if (t.pos + llen > buf.length) throw src.error(`truncated or corrupt file: data label runs past the header`);
  const dataLabel = dec(buf, t.pos, t.pos + llen);
  t.pos += llen;
  t.expect("</label><timestamp>");
  const tlen = t.uint(1, le);
  const timestamp = dec(buf, t.pos, t.pos + tlen);
  t.pos += tlen;
  t.expect("</timestamp></header><map>");
  const map: number[] = [];
  for (let i = 0; i < 14; i++) map.push(t.uint(8, le));
  t.expect("</map>");
  // The descriptor sections follow the map back to back with sizes fixed by K, so they are
  // read in sequence: Stata 13 writes 0 for the <variable_labels> entry of the map.
  const nameW = version === 117 ? 33 : 129;
  const fmtW = version === 117 ? 49 : 57;
  const lblW = version === 117 ? 81 : 321;
  const sortW = version === 119 ? 4 : 2;
  let at = t.pos;
  const section = (open: string, len: number, what: string): Buffer => {
    const b = src.read(at, open.length + len + open.length + 1, what);
    const tt = new Tags(src, b, at);
    tt.expect(open);
    tt.pos += len;
    tt.expect("</" + open.slice(1));
    at += tt.pos;
    return b.subarray(open.length, open.length + len);
  };
  const tb = section("<variable_types>", 2 * nvar, "variable types");
  const types: [StorageType, number][] = [];
  for (let i = 0; i < nvar; i++) types.push(newTypeCode(src, readUInt(tb, 2 * i, 2, le), i));
  const names = strings(section("<varnames>", nameW * nvar, "variable names"), 0, nvar, nameW, dec);
  section("<sortlist>", sortW * (nvar + 1), "sort list");
  const formats = strings(section("<formats>", fmtW * nvar, "formats"), 0, nvar, fmtW, dec);
  const lblnames = strings(section("<value_label_names>", nameW * nvar, "value-label names"), 0, nvar, nameW, dec);
  const labels = strings(section("<variable_labels>", lblW * nvar, "variable labels"), 0, nvar, lblW, dec);
  // <characteristics>: a sequence of <ch> llll … </ch> (help dta §5.9); skip each by its length.
  const isAt = (pos: number, tag: string): boolean =>
    pos + tag.length <= src.size && src.read(pos, tag.length).toString("latin1") === tag;
  if (!isAt(at, "<characteristics>")) throw src.error(`corrupt file: expected "<characteristics>" at byte ${at}`);
  at += 17;
  while (isAt(at, "<ch>")) {
    const len = readUInt(src.read(at + 4, 4, "characteristics"), 0, 4, le);
    at += 8 + len;
    if (!isAt(at, "</ch>")) throw src.error(`corrupt file: expected "</ch>" at byte ${at}`);
    at += 5;
  }
  if (!isAt(at, "</characteristics><data>")) throw src.error(`corrupt file: expected "</characteristics><data>" at byte ${at}`);
  const dataOffset = at + 24;
  let rec = 0;
  for (const [ty, wd] of types) rec += storageWidth(ty, wd);
  const dataEnd = dataOffset + nobs * rec;
  if (dataEnd > src.size)
    throw src.error(`truncated or corrupt file: ${nobs} observations of ${rec} bytes need ${dataEnd} bytes but the file has ${src.size}`);
  if (!isAt(dataEnd, "</data><strls>")) throw src.error(`corrupt file: expected "</data><strls>" at byte ${dataEnd}`);
  const strlsOffset = dataEnd + 7;
  // After the strLs: the map's entries for <value_labels> and </stata_dta>, checked.
  const vlAt = map[11] as number;
  const endAt = map[12] as number;
  if (!(vlAt > strlsOffset && isAt(vlAt, "<value_labels>")))
    throw src.error(`corrupt file: the map does not point to "<value_labels>" (byte ${vlAt})`);
  if (!(endAt > vlAt && isAt(endAt, "</stata_dta>")))
    throw src.error(`truncated or corrupt file: no "</stata_dta>" where the map says the file ends (byte ${endAt} of ${src.size})`);
  const vlEnd = endAt;
  return finish(
    src,
    {
      version: version as DtaVersion,
      byteOrder: bo,
      littleEndian: le,
      nvar,
      nobs,
      dataLabel,
      timestamp,
      dataOffset,
      strlsOffset,
      valueLabelsOffset: vlAt,
      valueLabelsEnd: vlEnd,
    },
    types,
    names,
    formats,
    lblnames,
    labels,
  );
}
