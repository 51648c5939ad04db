import * as zlib from "node:zlib";
import * as XLSX from "@e965/xlsx";
import { decimalBytes } from "./csv-fast";

/**
 * A fast reader for the common .xlsx/.xlsm sheet: the cells of one worksheet as SheetJS's dense
 * `!data` (rows of `{ t, v }` cells), its `!ref` and `!merges` — the only parts of a SheetJS
 * worksheet `readXlsx` uses — without SheetJS's regular-expression parse of the whole sheet, which
 * took ≈ 9 s for a 100,000 × 16 sheet (≈ 6 µs a cell; this reader: well under 1 µs).
 *
 * Method: the zip's central directory (APPNOTE 4.3.12–4.3.16; stored or deflated entries, no
 * ZIP64, no encryption), `xl/workbook.xml` and its relationships for the sheets' names and parts,
 * `xl/sharedStrings.xml` (ECMA-376 Part 1 §18.4), then one forward scan of the worksheet's
 * `<sheetData>` (§18.3.1.80): each `<c r="…" t="…">` with its `<v>` or `<is>`. Every value is
 * taken as SheetJS 0.20.3 takes it with `cellText: false, cellDates: false, sheetStubs: false`
 * (`parse_ws_xml_data`, `parse_si`, `unescapexml`): numbers by `parseFloat`, shared and inline
 * strings with XML entities, `_xHHHH_` escapes and CRLF → LF, formula strings ("str") unescaped
 * twice as SheetJS does, booleans by `parsexmlbool`, error cells as SheetJS's codes; a cell without
 * a value is left out. `!ref` is the sheet's `<dimension>`; merges are the `<mergeCell>` ranges.
 *
 * Anything else returns null and `readXlsx` lets SheetJS read the workbook as before: a part it
 * cannot find or that `[Content_Types].xml` does not declare, a sheet whose `r:id` does not
 * resolve, ZIP64 or encrypted entries, namespace-prefixed or CDATA markup, phonetic runs, a cell
 * or row without its `r` reference, a cell tag laid out otherwise than ` name="value"` (single
 * quotes, tabs, line breaks), a cell outside a row, a formula string holding an escape of a
 * character ≥ 0x80 (SheetJS decodes those differently), date cells (t="d"), no `<dimension>`
 * range, an unknown cell type, a shared-string index out of range, a chart sheet. Where SheetJS
 * itself fails (stored entries with data descriptors) or its `sheets` option does not trim a
 * sheet's name, this reader reads the sheet. A test compares it with SheetJS cell by cell on the
 * project's workbooks, on generated ones and on hand-made layouts of other writers.
 *
 * @example
 *   const s = readXlsxSheet(fs.readFileSync("panel.xlsx"), 1);
 *   s?.data[1]?.[0];   // { t: "s", v: "北京市" }
 */
export interface FastSheet {
  readonly names: readonly string[];
  readonly name: string;
  readonly data: FastCell[][];
  readonly ref: string;
  readonly merges: { s: { r: number; c: number }; e: { r: number; c: number } }[];
}

export interface FastCell {
  t: "n" | "s" | "b" | "e";
  v: number | string | boolean | undefined;
}

/** SheetJS's error codes (RBErr) of the error strings an `e` cell holds. */
const ERROR_CODES: Readonly<Record<string, number>> = { "#NULL!": 0x00, "#DIV/0!": 0x07, "#VALUE!": 0x0f, "#REF!": 0x17, "#NAME?": 0x1d, "#NUM!": 0x24, "#N/A": 0x2a, "#GETTING_DATA": 0x2b, "#WTF?": 0xff };
const ENTITIES: Readonly<Record<string, string>> = { "&quot;": '"', "&apos;": "'", "&gt;": ">", "&lt;": "<", "&amp;": "&" };

/** SheetJS's `unescapexml` (without CDATA, which is declined): entities, then `_xHHHH_`; with `xlsx`, CRLF → LF. */
function unescapeXml(text: string, xlsx = false): string {
  if (text.indexOf("&") < 0 && text.indexOf("_x") < 0 && text.indexOf("_X") < 0) return xlsx && text.indexOf("\r\n") >= 0 ? text.replace(/\r\n/g, "\n") : text;
  const out = text
    .replace(/&(?:quot|apos|gt|lt|amp|#x?([\da-fA-F]+));/gi, (m: string, code: string | undefined) => ENTITIES[m] || String.fromCharCode(parseInt(code as string, m.indexOf("x") > -1 ? 16 : 10)) || m)
    .replace(/_x([\da-fA-F]{4})_/gi, (_m: string, c: string) => String.fromCharCode(parseInt(c, 16)));
  return xlsx ? out.replace(/\r\n/g, "\n") : out;
}

/** The zip's entries by name: a function that inflates one (null when absent or not readable here). */
function zipEntries(buf: Buffer): ((name: string) => Buffer | null) | null {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10), cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) return null; // ZIP64
  const entries = new Map<string, { method: number; csize: number; usize: number; local: number }>();
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
    const flags = buf.readUInt16LE(p + 8), method = buf.readUInt16LE(p + 10);
    const csize = buf.readUInt32LE(p + 20), usize = buf.readUInt32LE(p + 24);
    const nl = buf.readUInt16LE(p + 28), xl = buf.readUInt16LE(p + 30), cl = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString("utf8", p + 46, p + 46 + nl);
    const key = name.toLowerCase();
    if ((flags & 1) === 0 && csize !== 0xffffffff && usize !== 0xffffffff && !entries.has(key)) entries.set(key, { method, csize, usize, local });
    p += 46 + nl + xl + cl;
  }
  return (name) => {
    const e = entries.get(name.toLowerCase());
    if (!e || e.local + 30 > buf.length || buf.readUInt32LE(e.local) !== 0x04034b50) return null;
    const start = e.local + 30 + buf.readUInt16LE(e.local + 26) + buf.readUInt16LE(e.local + 28);
    const raw = buf.subarray(start, start + e.csize);
    try {
      const out = e.method === 0 ? raw : e.method === 8 ? zlib.inflateRawSync(raw) : null;
      return out && out.length === e.usize ? out : null;
    } catch {
      return null;
    }
  };
}

/** An attribute's value in one tag's text (double or single quotes), or undefined. */
function attr(tag: string, name: string): string | undefined {
  // the usual form ( name="…") by indexOf; anything else (line breaks, spaces around =, single quotes) by a regular expression
  const k = tag.indexOf(` ${name}="`);
  if (k >= 0) {
    const from = k + name.length + 3;
    const to = tag.indexOf('"', from);
    return to < 0 ? undefined : tag.slice(from, to);
  }
  if (tag.indexOf(name) < 0) return undefined;
  let re = ATTR_RE.get(name);
  if (!re) ATTR_RE.set(name, (re = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const m = re.exec(tag);
  return m ? (m[1] ?? m[2]) : undefined;
}
const ATTR_RE = new Map<string, RegExp>();

/** A shared or inline string's text as SheetJS's `parse_si` gives it; null when it has markup declined here. */
function stringItem(x: string): string | null | undefined {
  if (x.indexOf("<rPh") >= 0 || x.indexOf("<t/>") >= 0) return null;
  if (/^\s*<t[^>]*>/.test(x)) return unescapeXml(x.slice(x.indexOf(">") + 1).split(/<\/t>/)[0] || "", true);
  if (/<r\b[^<>]*>/.test(x)) return unescapeXml((x.match(/<t\b[^<>]*>([^<]*)<\/t>/g) || []).join("").replace(/<[^<>]*>/g, ""), true);
  return undefined;
}

/** "B3:D10" → 0-based range, or null. */
function rangeOf(ref: string): FastSheet["merges"][number] | null {
  const m = /^([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)$/.exec(ref);
  if (!m) return null;
  const s = { c: XLSX.utils.decode_col(m[1] as string), r: Number(m[2]) - 1 };
  const e = { c: XLSX.utils.decode_col(m[3] as string), r: Number(m[4]) - 1 };
  return s.r < 0 || e.r < 0 ? null : { s, e };
}

/** Does the text hold a numeric character reference or _xHHHH_ escape of a character ≥ 0x80? */
function escapesBeyondAscii(text: string): boolean {
  if (text.indexOf("&#") < 0 && !/_x/i.test(text)) return false;
  for (const m of text.matchAll(/&#(x?)([\da-fA-F]+);|_x([\da-fA-F]{4})_/gi)) {
    const code = m[3] !== undefined ? parseInt(m[3], 16) : parseInt(m[2] as string, m[1] ? 16 : 10);
    if (!(code < 0x80)) return true;
  }
  return false;
}

/** Index of the first byte ">" at or after i before `end`, or −1. */
function tagEnd(b: Buffer, i: number, end: number): number {
  while (i < end && b[i] !== 62) i++;
  return i < end ? i : -1;
}

/** Index of the closing tag "</x>" (one-letter name x as a byte) at or after i before `end`, or −1. */
function closeOf(b: Buffer, i: number, end: number, x: number): number {
  for (; i + 3 < end; i++) if (b[i] === 60 && b[i + 1] === 47 && b[i + 2] === x && b[i + 3] === 62) return i;
  return -1;
}

/**
 * The cells of `<sheetData>`'s bytes [from, end) as SheetJS's dense rows (see the module
 * comment), or null when something is declined. Each `<row>` and `<c>` is found by a forward scan
 * of the bytes; a cell's `r` and `t` attributes are read in place (` r="…"`, ` t="…"`); numbers
 * are converted from their bytes exactly (`decimalBytes`, else `parseFloat` of the text as SheetJS).
 */
function scanCells(b: Buffer, from: number, end: number, shared: readonly string[]): FastCell[][] | null {
  const data: FastCell[][] = [];
  let i = from, inRow = false;
  for (;;) {
    while (i < end && b[i] !== 60) i++;
    if (i >= end) break;
    const b1 = b[i + 1] as number, te = tagEnd(b, i, end);
    if (te < 0) return null;
    if (b1 === 47) { inRow = false; i = te + 1; continue; } // a closing tag (</row>)
    if (b1 === 114 && b[i + 2] === 111 && b[i + 3] === 119 && (b[i + 4] === 32 || b[i + 4] === 62 || b[i + 4] === 47)) {
      // <row …>: it must carry its number
      let has = false;
      for (let j = i + 4; j + 3 < te; j++) if (b[j] === 32 && b[j + 1] === 114 && b[j + 2] === 61 && b[j + 3] === 34) { has = true; break; }
      if (!has) return null;
      inRow = b[te - 1] !== 47;
      i = te + 1;
      continue;
    }
    if (b1 !== 99 || (b[i + 2] !== 32 && b[i + 2] !== 62 && b[i + 2] !== 47)) return null; // not a cell
    if (!inRow) return null; // a cell outside a row (SheetJS leaves it out)
    const self = b[te - 1] === 47;
    let rFrom = -1, rTo = -1, tFrom = -1, tTo = -1;
    // only the usual layout ( name="value"): single quotes, tabs, line breaks or spaces around = decline
    for (let j = i + 2; j < te; j++) {
      const x = b[j];
      if (x === 39 || x === 9 || x === 10 || x === 13 || (x === 61 && b[j + 1] !== 34) || (x === 32 && b[j + 1] === 61)) return null;
    }
    for (let j = i + 2; j + 3 < te; j++) {
      if (b[j] !== 32 || b[j + 2] !== 61 || b[j + 3] !== 34) continue;
      const a = b[j + 1];
      if (a !== 114 && a !== 116) continue;
      let q = j + 4;
      while (q < te && b[q] !== 34) q++;
      if (a === 114) { rFrom = j + 4; rTo = q; } else { tFrom = j + 4; tTo = q; }
      j = q;
    }
    if (rFrom < 0) return null; // no r="…" (or another attribute layout)
    let k = rFrom, col = 0, d = 0;
    for (; k < rTo && (d = (b[k] as number) - 64) >= 1 && d <= 26; k++) col = 26 * col + d;
    let row = 0;
    if (k === rFrom || k === rTo) return null;
    for (let q = k; q < rTo; q++) { d = (b[q] as number) - 48; if (d < 0 || d > 9) return null; row = 10 * row + d; }
    col -= 1;
    row -= 1;
    if (row < 0) return null;
    const ce = self ? te : closeOf(b, te + 1, end, 99);
    if (ce < 0) return null;
    // the value: <v>…</v>
    let vFrom = -1, vTo = -1;
    if (!self) {
      for (let q = te + 1; q + 1 < ce; q++) {
        if (b[q] !== 60) continue;
        // a namespace-prefixed element inside the cell (<x:v>) would hide its value: declined
        for (let z = q + 1; z < ce && b[z] !== 62 && b[z] !== 32 && b[z] !== 47; z++) if (b[z] === 58) return null;
        if (b[q + 1] === 118 && (b[q + 2] === 62 || b[q + 2] === 32)) {
          const vte = tagEnd(b, q, ce);
          const vEnd = vte < 0 ? -1 : closeOf(b, vte + 1, ce + 4, 118);
          if (vEnd < 0) return null;
          vFrom = vte + 1;
          vTo = vEnd;
          break;
        }
      }
    }
    const hasV = vFrom >= 0 && vTo > vFrom;
    const raw = (): string => unescapeXml(b.toString("utf8", vFrom, vTo));
    const tLen = tTo - tFrom, t0 = tFrom < 0 ? 0 : (b[tFrom] as number);
    let cell: FastCell;
    if (tFrom < 0 || (tLen === 1 && t0 === 110)) {
      // a number (no t, or t="n")
      if (!hasV) { i = self ? te + 1 : ce + 4; continue; }
      let v = decimalBytes(b, vFrom, vTo);
      if (v !== v) v = parseFloat(raw());
      else if (v === 0 && b[vFrom] === 45) v = -0; // parseFloat("-0") is −0
      cell = { t: "n", v };
    } else {
      const t = b.toString("latin1", tFrom, tTo);
      if (t === "s") {
        if (!hasV) { i = self ? te + 1 : ce + 4; continue; }
        const s = shared[parseInt(raw(), 10)];
        if (s === undefined) return null;
        cell = { t: "s", v: s };
      } else if (t === "str") {
        // SheetJS unescapes the bytes, decodes UTF-8, then unescapes again: an escape that gives a
        // character ≥ 0x80 comes out differently there (U+FFFD), so such a value is declined
        if (hasV && escapesBeyondAscii(b.toString("latin1", vFrom, vTo))) return null;
        cell = { t: "s", v: hasV ? unescapeXml(raw(), true) : "" };
      } else if (t === "inlineStr") {
        const content = self ? "" : b.toString("utf8", te + 1, ce);
        const m = /<is\b[^<>]*>([\s\S]*?)<\/is>/.exec(content);
        const s = m ? stringItem(m[1] as string) : "";
        if (s === null) return null;
        cell = { t: "s", v: s }; // undefined for an <is> without text, as SheetJS
      } else if (t === "b") { const x = hasV ? raw() : undefined; cell = { t: "b", v: x === "1" || x === "true" }; }
      else if (t === "e") cell = { t: "e", v: hasV ? ERROR_CODES[raw()] : undefined };
      else return null; // "d" (ISO dates) and anything unknown
    }
    (data[row] ??= [])[col] = cell;
    i = self ? te + 1 : ce + 4;
  }
  return data;
}

/**
 * Sheet `sel` (1-based number, name — exact, else trimmed — or the first) of an .xlsx/.xlsm
 * workbook's bytes, as `FastSheet`; null when this reader declines (see the module comment).
 */
export function readXlsxSheet(buf: Buffer, sel: string | number | undefined): FastSheet | null {
  const get = zipEntries(buf);
  if (!get) return null;
  // the parts SheetJS finds through [Content_Types].xml: declined unless each is declared there
  const types = get("[Content_Types].xml")?.toString("utf8") ?? "";
  const declared = (part: string): boolean => types.includes(`PartName="/${part}"`);
  if (!declared("xl/workbook.xml")) return null;
  const wbXml = get("xl/workbook.xml")?.toString("utf8");
  const relXml = get("xl/_rels/workbook.xml.rels")?.toString("utf8");
  if (!wbXml || !relXml || /<!\[CDATA\[/.test(wbXml)) return null;
  const rels = new Map<string, { type: string; target: string }>();
  for (const m of relXml.match(/<Relationship\b[^>]*>/g) ?? []) {
    const id = attr(m, "Id"), type = attr(m, "Type"), target = attr(m, "Target");
    if (id !== undefined && type !== undefined && target !== undefined) rels.set(id, { type, target });
  }
  const partOf = (target: string): string | null => (target.includes("..") ? null : target.startsWith("/") ? target.slice(1) : `xl/${target}`);
  const sheets: { name: string; rid: string }[] = [];
  for (const m of wbXml.match(/<sheet\b[^>]*>/g) ?? []) {
    const name = attr(m, "name"), rid = attr(m, "r:id");
    if (name === undefined || rid === undefined) return null;
    sheets.push({ name: unescapeXml(name), rid });
  }
  // every sheet must resolve (SheetJS falls back to sheet files by position when one does not)
  if (sheets.length === 0 || sheets.some((sh) => !rels.has(sh.rid))) return null;
  const names = sheets.map((s) => s.name);
  let pick: number;
  if (typeof sel === "number") pick = Number.isInteger(sel) ? sel - 1 : -1;
  else if (typeof sel === "string") {
    pick = names.indexOf(sel);
    if (pick < 0) pick = names.findIndex((n) => n.trim() === sel.trim());
  } else pick = 0;
  const chosen = sheets[pick];
  if (!chosen) return null;
  const rel = rels.get(chosen.rid);
  if (!rel || !/\/worksheet$/.test(rel.type)) return null;
  const part = partOf(rel.target);
  const xb = part && declared(part) ? get(part) : null;
  if (!xb) return null;
  // shared strings
  let shared: string[] = [];
  const sstRel = [...rels.values()].find((r) => /\/sharedStrings$/.test(r.type));
  if (sstRel) {
    const sp = partOf(sstRel.target);
    const sst = sp && declared(sp) ? get(sp)?.toString("utf8") : undefined;
    if (sst === undefined) return null;
    if (/<!\[CDATA\[|<\w+:(si|t|r)\b|<sstItem/.test(sst)) return null;
    const open = sst.indexOf("<sst");
    const body = open < 0 ? "" : sst.slice(sst.indexOf(">", open) + 1, sst.lastIndexOf("</sst>"));
    for (const piece of body.replace(/<si>/g, "").split(/<\/si>/)) {
      const t = stringItem(piece.trim());
      if (t === null || t === undefined) {
        if (piece.trim() === "") { shared.push(""); continue; }
        return null;
      }
      shared.push(t);
    }
  } else shared = [];
  // the worksheet, scanned as bytes: only text values are decoded
  const sd = xb.indexOf("<sheetData>");
  const sdEnd = sd < 0 ? -1 : xb.indexOf("</sheetData>", sd);
  if (sd < 0 || sdEnd < 0 || xb.indexOf("<![CDATA[") >= 0) return null;
  const head = xb.toString("utf8", 0, sd);
  const di = head.search(/<(?:\w*:)?dimension/);
  const dim = di > 0 ? /"(\w*:\w*)"/.exec(head.slice(di, di + 50)) : null;
  const range = dim ? rangeOf(dim[1] as string) : null;
  if (!range || range.s.r > range.e.r || range.s.c > range.e.c || range.s.c < 0) return null;
  const from = XLSX.utils.encode_cell(range.s), to = XLSX.utils.encode_cell(range.e);
  const ref = from === to ? from : `${from}:${to}`; // SheetJS's encode_range writes one cell as "A1"
  const data = scanCells(xb, sd + 11, sdEnd, shared);
  if (!data) return null;
  const tail = xb.toString("utf8", sdEnd);
  const merges: FastSheet["merges"] = [];
  for (const m of tail.match(/<(?:\w+:)?mergeCell ref=["'][A-Z0-9:]+['"]\s*[/]?>/g) ?? []) {
    const g = rangeOf(m.slice(m.indexOf("=") + 2).replace(/['"]\s*\/?>$/, ""));
    if (!g) return null;
    merges.push(g);
  }
  return { names, name: chosen.name, data, ref, merges };
}
