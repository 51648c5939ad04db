import * as fs from "node:fs";
import * as path from "node:path";
import * as XLSX from "@e965/xlsx";
import { table, type Column, type Table } from "./table";
import { DataError } from "../util/errors";
import { checkDistinctNames } from "./names";
import { readXlsxSheet } from "./xlsx-fast";

/**
 * Excel sheets as column tables, including yearbook-style sheets (a title row, a two-row header
 * with merged group labels, footnotes under the data).
 *
 * Library: `@e965/xlsx` 0.20.3, the SheetJS Community Edition 0.20.3 republished on the npm
 * registry (SheetJS itself stopped publishing to npm after 0.18.5 and serves newer builds from its
 * own site, which an install here cannot reach). Compared on a 50,000 × 12 sheet with Chinese text:
 *
 *   - `@e965/xlsx` 0.20.3: 1.6 s for .xlsx, 1.5 s for .xls; no dependencies, no install script;
 *     SheetJS's own build, republished unmodified by a third party (the name to watch for updates);
 *     reads .xlsx/.xlsm/.xlsb/.xls (BIFF 2–8)/.ods, exposes merged ranges (`!merges`), and has a writer
 *     (used by tests/fixtures/zh/make-xlsx.ts). Chosen.
 *   - `xlsx` 0.18.5 (the last SheetJS build on npm, 2022): same API but unmaintained there, with known
 *     advisories fixed only in 0.19.3/0.20.2 (prototype pollution CVE-2023-30533, ReDoS CVE-2024-22363).
 *   - `exceljs` 4.4.0: 2.2 s, nine dependencies (archiver, unzipper, …), no .xls; last release 2023.
 *   - `read-excel-file` 9.3: fastest (1.1 s), four dependencies, actively released, but .xlsx only
 *     (.xls is refused) and no merged-cell ranges, which the two-row headers need; no writer for fixtures.
 *   (Times: one run each on this project's 2-core machine, whole sheet to arrays of values.)
 *
 * Method (see {@link readXlsx}):
 *  1. Header: `headerRow` (1-based Excel row; default: the first row with two or more labelled cells
 *     and at least half as many as the fullest of the first 50 rows, where a merge wider than half
 *     the sheet counts once and a unit cell "单位：…" not at all: title and unit rows such as
 *     "表1 各城市主要经济指标 … 单位：亿元" are skipped) and `headerRows` rows (default: 1, or
 *     the height of the merged cells starting in the header row, 2 when a merged group label spans
 *     columns but one row). A merged cell's label fills every column it spans. Column names join the
 *     header rows' labels with "_" ("地区生产总值_增速"; a label repeated by a vertical merge counts
 *     once), or take the last non-empty label with `header: "last"` ("增速"). Whitespace runs (line
 *     breaks in header cells) become one space. A column with data but no label is named by its
 *     Excel letter ("F"); columns empty in header and data are left out.
 *  2. Footer: scanning up from the bottom, rows that are empty, whose first filled cell is a note
 *     ("注：…", "资料来源：…", "数据来源", "说明", "备注", "Note", "Source", "*", "①"), or whose first
 *     filled cell is text and whose other numeric columns are all empty ("合计" with no numbers,
 *     a note's continuation line) are dropped; the scan stops at the first row holding data. Every
 *     dropped row is listed in `xlsx.dropped` with its Excel row and text, and counted in
 *     `xlsx.summary` — never silently. Empty rows inside the data are dropped and listed as well.
 *  3. Types: a column whose filled cells are mostly numbers (number cells, or text such as "1234.5",
 *     "1,234") is numeric (Float64Array, empty cells and `na` strings → NaN); any other text in it is
 *     an error naming file, sheet, column, Excel row and value. Other columns are text (`null` when
 *     empty); numbers in them become their text. Excel error cells (#N/A, #DIV/0!) are missing and
 *     counted in `xlsx.errorCells`. Dates stay Excel serial numbers.
 *
 * @example
 *   const t = readXlsx("data/raw/yearbook-2020.xlsx", { sheet: "表1" });
 *   t.names;            // ["城市", "年份", "地区生产总值_总量", "地区生产总值_增速", ...]
 *   t.xlsx.dropped;     // [{ row: 12, reason: "note", text: "注：增速按可比价格计算。" }, ...]
 */
/**
 * The markers Chinese statistical yearbooks print for a missing figure: "—" (not available or not
 * applicable) and "…" / "..." (too small or not collected). The default `na` of `readXlsx`; cells
 * holding them are NA in a numeric column and counted per variable by the estimators like any
 * other missing value. Pass `na: []` to treat them as errors.
 */
export const YEARBOOK_NA: readonly string[] = ["—", "——", "…", "……", "..."];

export interface XlsxOptions {
  /** Sheet name or 1-based position; default the first sheet. */
  readonly sheet?: string | number;
  /** 1-based Excel row of the first header row; default: the first row at least half as full as the fullest (title rows skipped). */
  readonly headerRow?: number;
  /** Number of header rows; default from the merged cells of the header row (1 when none). */
  readonly headerRows?: number;
  /** Read only this cell range, e.g. "A3:H40" (header detection starts at its first row). */
  readonly range?: string;
  /** How several header rows make a name: "join" ("group_sub", default) or "last" (the last label). */
  readonly header?: "join" | "last";
  /** Text that means missing in a numeric column besides empty cells (default `YEARBOOK_NA`: "—", "…"; `[]`: none). */
  readonly na?: readonly string[];
}

export interface DroppedRow {
  /** 1-based Excel row number. */
  readonly row: number;
  /** "note" (a footnote line), "no-data" (numeric columns empty) or "empty" (no filled cell). */
  readonly reason: "note" | "no-data" | "empty";
  /** The row's filled cells joined with " | " (cut to 80 characters). */
  readonly text: string;
}

export interface XlsxInfo {
  readonly sheet: string;
  /** Excel rows of the header (1-based, inclusive). */
  readonly headerRows: readonly [number, number];
  /** Excel rows of the data (1-based, inclusive, before dropping empty rows inside it). */
  readonly dataRows: readonly [number, number];
  /** Rows left out: the footer and empty rows inside the data. */
  readonly dropped: readonly DroppedRow[];
  /** Excel error cells (#N/A, #DIV/0!, …) read as missing. */
  readonly errorCells: number;
  /** One line for a log, e.g. `sheet "表1": 6 rows, 7 columns; dropped 3 rows (rows 11-13: 注：…)`. */
  readonly summary: string;
}

export type XlsxTable = Table & { readonly xlsx: XlsxInfo };

type Cell = XLSX.CellObject | undefined;

const NOTE = /^(注|注释|附注|资料来源|数据来源|来源|说明|备注|notes?\b|sources?\b|\*|※|①|\(1\)|（1）)/i;
const UNIT = /^(计量)?单位[:：]/;
const NUMERIC_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const THOUSANDS = /^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/;

/** Excel column letters of a 0-based column index (0 → "A", 27 → "AB"). */
function colLetter(c: number): string {
  return XLSX.utils.encode_col(c);
}

function cellText(cell: Cell): string {
  if (!cell || cell.v === undefined || cell.v === null || cell.t === "z" || cell.t === "e") return "";
  return String(cell.v).trim();
}

function isFilled(cell: Cell): boolean {
  // a number cell always has text (String of a number is never empty): no conversion needed
  if (cell !== undefined && cell.t === "n" && typeof cell.v === "number") return true;
  return cellText(cell) !== "";
}

/** The number a cell holds (number cell or numeric text), or null. */
function cellNumber(cell: Cell): number | null {
  if (!cell) return null;
  if (cell.t === "n" && typeof cell.v === "number") return cell.v;
  if (cell.t === "b") return cell.v ? 1 : 0;
  if (cell.t === "d" && cell.v instanceof Date) return cell.v.getTime() / 86400000 + 25569;
  const s = cellText(cell);
  if (NUMERIC_TEXT.test(s)) return Number(s);
  if (THOUSANDS.test(s)) return Number(s.replace(/,/g, ""));
  return null;
}

function openSheet(file: string, opts: XlsxOptions): { name: string; ws: XLSX.WorkSheet } {
  if (!fs.existsSync(file)) throw new DataError(`file not found`, { file });
  if (fs.statSync(file).isDirectory()) throw new DataError(`is a directory, not a file`, { file });
  const buf = fs.readFileSync(file);
  if (buf.length === 0) throw new DataError(`file is empty`, { file });
  // SheetJS would read any bytes as text: accept only what a spreadsheet starts with
  const zip = buf[0] === 0x50 && buf[1] === 0x4b; // .xlsx, .xlsm, .xlsb, .ods
  const cfb = buf.length >= 4 && buf.readUInt32BE(0) === 0xd0cf11e0; // .xls (BIFF5/8 in a compound file)
  const biff = buf[0] === 0x09 && [0x00, 0x02, 0x04, 0x08].includes(buf[1] as number); // BIFF2-4 .xls
  const markup = /^(\ufeff)?\s*</.test(buf.subarray(0, 64).toString("utf8")); // HTML or XML "xls" exports
  if (/\.(xlsx|xlsm|xlsb|ods)$/i.test(file) ? !zip : !(zip || cfb || biff || markup)) {
    const what = /\.(xlsx|xlsm|xlsb|ods)$/i.test(file) ? `an ${path.extname(file)} workbook (that is a zip archive)` : `an Excel workbook (neither .xls nor .xlsx)`;
    throw new DataError(`is not ${what}; if it is comma- or tab-separated text, rename it to .csv or .tsv; otherwise open it in Excel or WPS and save it as .xlsx`, { file });
  }
  const sel = opts.sheet;
  // the common .xlsx sheet: read by lib/data/xlsx-fast.ts, the cells SheetJS would give (else, or with
  // VAGG_XLSX_FAST=0, SheetJS reads it)
  if (zip && /\.(xlsx|xlsm)$/i.test(file) && process.env["VAGG_XLSX_FAST"] !== "0") {
    const fast = readXlsxSheet(buf, sel);
    if (fast) return { name: fast.name, ws: { "!data": fast.data, "!ref": fast.ref, "!merges": fast.merges } as unknown as XLSX.WorkSheet };
  }
  let wb: XLSX.WorkBook;
  try {
    wb = XLSX.read(buf, {
      // cellText: false — no formatted text (.w) per cell: only the values (.v) are read here
      type: "buffer", dense: true, cellFormula: false, cellHTML: false, cellStyles: false, cellNF: false, cellText: false,
      sheets: typeof sel === "number" ? sel - 1 : sel ?? 0,
    });
  } catch (e) {
    const msg = String((e as Error).message ?? e).split("\n")[0];
    const hint = /\.xls$/i.test(file) ? ` (save it as .xlsx in Excel or WPS and read that)` : "";
    throw new DataError(`cannot be read as a spreadsheet: ${msg}${hint}`, { file });
  }
  const names = wb.SheetNames;
  let name: string | undefined;
  if (typeof sel === "number") {
    if (!Number.isInteger(sel) || sel < 1 || sel > names.length) throw new DataError(`has no sheet ${sel} (it has ${names.length}: ${names.map((n) => `"${n}"`).join(", ")})`, { file });
    name = names[sel - 1];
  } else if (typeof sel === "string") {
    name = names.find((n) => n === sel) ?? names.find((n) => n.trim() === sel.trim());
    if (name === undefined) throw new DataError(`has no sheet "${sel}" (sheets: ${names.map((n) => `"${n}"`).join(", ")})`, { file });
  } else name = names[0];
  const ws = name === undefined ? undefined : wb.Sheets[name];
  if (name === undefined || !ws) throw new DataError(`has no sheets`, { file });
  return { name, ws };
}

/**
 * Read one sheet of an Excel file (.xlsx, .xlsm, .xls, .xlsb, .ods) as a column table; see the
 * method above. The result is a {@link Table} (with `source` = the file) plus `xlsx`, which says
 * which rows were the header and the data and lists every row left out.
 *
 * Errors are one line: a missing sheet lists the sheets; a numeric column holding text names
 * file, sheet, column, Excel row and value; a duplicate column name names both Excel columns.
 *
 * @example
 *   // 表1: row 1 title, rows 2-3 header (group labels merged over row 2), data, then "注：…"
 *   const t = readXlsx("yearbook.xlsx", { sheet: "表1" });
 *   numeric(t, "地区生产总值_总量");
 *   readXlsx("yearbook.xlsx", { headerRow: 2, headerRows: 2, header: "last", na: ["—"] });
 */
export function readXlsx(file: string, opts: XlsxOptions = {}): XlsxTable {
  const { name: sheet, ws } = openSheet(file, opts);
  const where = `sheet "${sheet}"`;
  const data: Cell[][] = ((ws as { "!data"?: Cell[][] })["!data"]) ?? [];
  const ref = opts.range ?? ws["!ref"];
  const empty = (): XlsxTable => {
    const info: XlsxInfo = { sheet, headerRows: [0, 0], dataRows: [0, 0], dropped: [], errorCells: 0, summary: `${where}: empty` };
    return Object.freeze({ ...table({}, file), xlsx: info });
  };
  if (!ref) return empty();
  let rg: XLSX.Range;
  try { rg = XLSX.utils.decode_range(ref); } catch { throw new DataError(`range "${ref}" is not an Excel range like "A3:H40"`, { file }); }
  if (opts.range && !/^[A-Z]+\d+:[A-Z]+\d+$/i.test(opts.range)) throw new DataError(`range "${opts.range}" is not an Excel range like "A3:H40"`, { file });
  const at = (r: number, c: number): Cell => data[r]?.[c];
  const r0 = rg.s.r, r1 = rg.e.r, c0 = rg.s.c, c1 = rg.e.c;
  const filledIn = (r: number): number => { let k = 0; for (let c = c0; c <= c1; c++) if (isFilled(at(r, c))) k++; return k; };

  // 1. header position
  const merges = (ws["!merges"] ?? []).filter((m) => m.e.r >= r0 && m.s.r <= r1 && m.e.c >= c0 && m.s.c <= c1);
  let h0: number;
  if (opts.headerRow !== undefined) {
    if (!Number.isInteger(opts.headerRow) || opts.headerRow < 1) throw new DataError(`headerRow must be an Excel row number (1, 2, …), not ${opts.headerRow}`, { file });
    h0 = opts.headerRow - 1;
    if (h0 < r0 || h0 > r1) throw new DataError(`${where}: headerRow ${opts.headerRow} is outside the used range ${XLSX.utils.encode_range(rg)}`, { file });
  } else {
    // the header is the first row with two labelled cells and at least half as many as the fullest
    // of the first 50 rows. Cells under a merged label count as labelled, a merge wider than half the
    // sheet counts once and a unit cell ("单位：亿元") not at all, so title and unit rows are skipped.
    const width = c1 - c0 + 1;
    const labelled = (r: number): number => {
      let k = 0;
      for (let c = c0; c <= c1; c++) {
        const m = merges.find((m) => r >= m.s.r && r <= m.e.r && c >= m.s.c && c <= m.e.c);
        if (m) {
          if (!isFilled(at(m.s.r, m.s.c))) continue;
          if (m.e.c - m.s.c + 1 > width / 2) { if (c === Math.max(m.s.c, c0)) k++; continue; }
          k++;
          continue;
        }
        const t = cellText(at(r, c));
        if (t && !UNIT.test(t)) k++;
      }
      return k;
    };
    const top = Math.min(r1, r0 + 49);
    const counts: number[] = [];
    for (let r = r0; r <= top; r++) counts.push(labelled(r));
    const need = width > 1 ? Math.max(2, Math.ceil(Math.max(...counts) / 2)) : 1;
    const i = counts.findIndex((k) => k >= need);
    h0 = i < 0 ? -1 : r0 + i;
    if (h0 < 0) { for (let r = r0; r <= r1; r++) if (filledIn(r) >= 1) { h0 = r; break; } }
    if (h0 < 0) return empty();
  }
  let nh = opts.headerRows ?? 1;
  if (opts.headerRows === undefined)
    for (const m of merges) if (m.s.r === h0) nh = Math.max(nh, m.e.r > m.s.r ? m.e.r - m.s.r + 1 : m.e.c > m.s.c ? 2 : 1);
  if (!Number.isInteger(nh) || nh < 1) throw new DataError(`headerRows must be 1, 2, …, not ${opts.headerRows}`, { file });
  const h1 = Math.min(h0 + nh - 1, r1);

  // labels, with merged cells filling the cells they span
  const label = (r: number, c: number): string => {
    for (const m of merges) if (r >= m.s.r && r <= m.e.r && c >= m.s.c && c <= m.e.c) return cellText(at(m.s.r, m.s.c)).replace(/\s+/g, " ");
    return cellText(at(r, c)).replace(/\s+/g, " ");
  };
  const d0 = h1 + 1;
  const hasData = (c: number): boolean => { for (let r = d0; r <= r1; r++) if (isFilled(at(r, c))) return true; return false; };
  const cols: { c: number; name: string }[] = [];
  for (let c = c0; c <= c1; c++) {
    const parts: string[] = [];
    for (let r = h0; r <= h1; r++) { const l = label(r, c); if (l && parts[parts.length - 1] !== l) parts.push(l); }
    let name = opts.header === "last" ? parts[parts.length - 1] ?? "" : parts.join("_");
    if (!name) { if (!hasData(c)) continue; name = colLetter(c); }
    cols.push({ c, name });
  }
  checkDistinctNames(cols.map((x) => x.name), file, { where, position: (j) => colLetter((cols[j] as { c: number }).c), hint: `rename one, or read with header: "join"` });

  // 2. column kinds on the body, then the footer from the bottom up
  const nas = new Set((opts.na ?? YEARBOOK_NA).map((s) => s.trim()));
  // a number cell can only be missing when an `na` string is the text of a number ("-999")
  const numericNa = [...nas].some((s) => s === "NaN" || (s !== "" && !Number.isNaN(Number(s))));
  const isMissing = (cell: Cell): boolean => {
    if (cell !== undefined && cell.t === "n" && typeof cell.v === "number") return numericNa && nas.has(cellText(cell));
    return !isFilled(cell) || nas.has(cellText(cell));
  };
  let errorCells = 0;
  const kindOf = (c: number, last: number): boolean => {
    let num = 0, txt = 0;
    for (let r = d0; r <= last; r++) {
      const cell = at(r, c);
      if (isMissing(cell)) continue;
      if (cellNumber(cell) !== null) num++; else txt++;
    }
    return num > 0 && num >= txt;
  };
  const rowText = (r: number): string => {
    const s: string[] = [];
    for (let c = c0; c <= c1; c++) { const t = cellText(at(r, c)); if (t) s.push(t.replace(/\s+/g, " ")); }
    const j = s.join(" | ");
    return j.length > 80 ? j.slice(0, 79) + "…" : j;
  };
  let numericCols = cols.filter(({ c }) => kindOf(c, r1));
  const dropped: DroppedRow[] = [];
  let last = r1;
  for (; last >= d0; last--) {
    const firstCol = cols.find(({ c }) => isFilled(at(last, c)));
    if (firstCol === undefined) { dropped.push({ row: last + 1, reason: "empty", text: "" }); continue; }
    const first = at(last, firstCol.c);
    if (first?.t === "s" && NOTE.test(cellText(first))) { dropped.push({ row: last + 1, reason: "note", text: rowText(last) }); continue; }
    // a text line under the data: every numeric column empty, apart from the cell the text starts in
    const others = numericCols.filter(({ c }) => c !== firstCol.c);
    if (others.length > 0 && cellNumber(first) === null && others.every(({ c }) => isMissing(at(last, c)))) {
      dropped.push({ row: last + 1, reason: "no-data", text: rowText(last) }); continue;
    }
    break;
  }
  dropped.reverse();
  numericCols = cols.filter(({ c }) => kindOf(c, last));
  const isNum = new Set(numericCols.map(({ c }) => c));

  // 3. rows and columns
  const rows: number[] = [];
  const inner: DroppedRow[] = [];
  for (let r = d0; r <= last; r++) {
    if (cols.some(({ c }) => isFilled(at(r, c)))) rows.push(r);
    else inner.push({ row: r + 1, reason: "empty", text: "" });
  }
  const out: Record<string, Column> = {};
  for (const { c, name } of cols) {
    if (isNum.has(c)) {
      const v = new Float64Array(rows.length);
      rows.forEach((r, i) => {
        const cell = at(r, c);
        if (cell?.t === "e") { errorCells++; v[i] = NaN; return; }
        if (isMissing(cell)) { v[i] = NaN; return; }
        const x = cellNumber(cell);
        if (x === null)
          throw new DataError(`${where}, Excel row ${r + 1} (cell ${colLetter(c)}${r + 1}): expected a number, found "${cellText(cell)}" (the column's other values are numbers; fix the cell or pass it in na: [...])`, { file, column: name });
        v[i] = x;
      });
      out[name] = v;
    } else {
      out[name] = rows.map((r) => {
        const cell = at(r, c);
        if (cell?.t === "e") { errorCells++; return null; }
        return isFilled(cell) && !nas.has(cellText(cell)) ? cellText(cell) : null;
      });
    }
  }
  const allDropped = [...inner, ...dropped];
  const t = table(out, file);
  const dr = allDropped.length
    ? `; dropped ${allDropped.length} row${allDropped.length > 1 ? "s" : ""} (${allDropped.map((d) => `row ${d.row}${d.text ? `: ${d.text.length > 30 ? d.text.slice(0, 29) + "…" : d.text}` : " empty"}`).join("; ")})`
    : "";
  const info: XlsxInfo = {
    sheet,
    headerRows: [h0 + 1, h1 + 1],
    dataRows: [d0 + 1, last + 1],
    dropped: Object.freeze(allDropped),
    errorCells,
    summary: `${path.basename(file)} ${where}: ${t.nrows} rows, ${t.names.length} columns (header rows ${h0 + 1}-${h1 + 1})${dr}${errorCells ? `; ${errorCells} Excel error cells read as missing` : ""}`,
  };
  return Object.freeze({ ...t, xlsx: Object.freeze(info) });
}
