import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IBorderOptions,
  type ITableCellBorders,
} from "docx";
import { hasCjk, isCjkTable, type ReportTable } from "./model";
import { normalizeZip } from "../util/reproducible-zip";
import { sourceDateEpoch } from "../util/source-date";

export interface DocxOptions {
  /** Latin font (default "Times New Roman"). */
  readonly font?: string;
  /** East Asian font (default "SimSun", 宋体). */
  readonly eastAsiaFont?: string;
  /** Body font size in points (default 10.5, 五号). */
  readonly fontSize?: number;
  /** Stars as superscripts (default true). */
  readonly superscriptStars?: boolean;
  /**
   * Seconds since the Unix epoch used for the document's created/modified dates and the zip entries'
   * times (default `sourceDateEpoch()`: SOURCE_DATE_EPOCH, else the commit time of HEAD).
   */
  readonly epoch?: number;
}

const THICK: IBorderOptions = { style: BorderStyle.SINGLE, size: 12, color: "000000" }; // 1.5 pt
const THIN: IBorderOptions = { style: BorderStyle.SINGLE, size: 6, color: "000000" }; // 0.75 pt
const NONE: IBorderOptions = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };

/** Text width of docx's default page (A4, 11906 twips, less two 1-inch margins), in twips. */
const PAGE_TEXT_WIDTH = 11906 - 2 * 1440;

/**
 * Grid column widths (twips) for a table on the default page: the stub column as wide as its
 * longest label (a CJK character 1 em, anything else about 0.55 em, plus cell padding; between
 * 15% and 45% of the text width), the other columns sharing the rest equally — so a label such
 * as 产品(HS4)固定效应 stays on one line in Word, WPS and LibreOffice.
 *
 * @example
 *   stubColumnWidths(t, 21); // e.g. [2376, 1662, 1662, 1662, 1662] for five columns at 10.5 pt
 */
export function stubColumnWidths(t: ReportTable, halfPoints: number): number[] {
  if (t.ncol <= 1) return [PAGE_TEXT_WIDTH];
  const em = halfPoints * 10;
  const widthEm = (s: string): number => [...s].reduce((a, c) => a + (hasCjk(c) ? 1 : 0.55), 0);
  let longest = 0;
  for (const r of t.header) if ((r[0]?.span ?? 1) === 1) longest = Math.max(longest, widthEm(r[0]?.text ?? ""));
  for (const r of t.body) if (r.kind !== "panel") longest = Math.max(longest, widthEm(r.cells[0]?.text ?? ""));
  const stub = Math.round(Math.min(0.45 * PAGE_TEXT_WIDTH, Math.max(0.15 * PAGE_TEXT_WIDTH, longest * em + 300)));
  const rest = Math.floor((PAGE_TEXT_WIDTH - stub) / (t.ncol - 1));
  return [PAGE_TEXT_WIDTH - rest * (t.ncol - 1), ...Array.from({ length: t.ncol - 1 }, () => rest)];
}

/**
 * Render one or more report tables as a Word document (.docx, returned as a Buffer): each table
 * a real three-line table — borders only on top (thick), under the header (thin, plus thin partial
 * rules under column groups and above later panels) and at the bottom (thick) — with its title
 * above and its notes below.
 *
 * Every run names a Latin font (Times New Roman) and an East Asian one (SimSun, 宋体), so Word
 * and WPS set digits in Times and Chinese in 宋体. Runs of a Chinese table (`isCjkTable`) also
 * carry `w:lang w:eastAsia="zh-CN"` and the font hint "eastAsia" (shared symbols such as × and
 * “” in the Chinese font), as a document typed in Chinese Word has them.
 *
 * The stub column is as wide as its longest label (`stubColumnWidths`), the others share the rest.
 *
 * The bytes are a function of the tables, the options and the time `opts.epoch` only (see
 * `sourceDateEpoch`): docProps/core.xml carries that time as its created and modified dates, and
 * the zip has every entry stamped with it, in a fixed order ([Content_Types].xml first, then by name).
 *
 * @example
 *   fs.writeFileSync("exports/tables/table2.docx", await toDocx(regressionTable([m1, m2], { lang: "zh" })));
 */
export async function toDocx(tables: ReportTable | readonly ReportTable[], opts: DocxOptions = {}): Promise<Buffer> {
  const list: readonly ReportTable[] = Array.isArray(tables) ? tables : [tables as ReportTable];
  const latin = opts.font ?? "Times New Roman";
  const eastAsia = opts.eastAsiaFont ?? "SimSun";
  const size = Math.round((opts.fontSize ?? 10.5) * 2);
  const sup = opts.superscriptStars ?? true;
  let cjk = false;
  const run = (text: string, extra: { bold?: boolean; superScript?: boolean; size?: number; italics?: boolean } = {}) =>
    new TextRun({
      text,
      font: { ascii: latin, hAnsi: latin, cs: latin, eastAsia, ...(cjk ? { hint: "eastAsia" } : {}) },
      ...(cjk ? { language: { value: "en-US", eastAsia: "zh-CN" } } : {}),
      size: extra.size ?? size,
      bold: extra.bold,
      superScript: extra.superScript,
      italics: extra.italics,
    });
  const children: (Paragraph | Table)[] = [];
  list.forEach((t, ti) => {
    cjk = isCjkTable(t);
    if (ti > 0) children.push(new Paragraph({ children: [] }));
    if (t.title) children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [run(t.title, { bold: true })] }));
    const rows: TableRow[] = [];
    const nh = t.header.length;
    t.header.forEach((hr, r) => {
      let col = 0;
      rows.push(
        new TableRow({
          tableHeader: true,
          children: hr.map((c) => {
            const span = c.span ?? 1;
            const borders: ITableCellBorders = {
              top: r === 0 ? THICK : NONE,
              bottom: r === nh - 1 ? (t.body.length ? THIN : THICK) : c.rule && c.text !== "" ? THIN : NONE,
              left: NONE,
              right: NONE,
            };
            const align = col === 0 ? AlignmentType.LEFT : AlignmentType.CENTER;
            col += span;
            return new TableCell({
              columnSpan: span > 1 ? span : undefined,
              borders,
              children: [new Paragraph({ alignment: align, children: [run(c.text)] })],
            });
          }),
        }),
      );
    });
    t.body.forEach((br, r) => {
      const last = r === t.body.length - 1;
      const borders: ITableCellBorders = { top: br.ruleAbove ? THIN : NONE, bottom: last ? THICK : NONE, left: NONE, right: NONE };
      if (br.kind === "panel") {
        rows.push(
          new TableRow({
            children: [
              new TableCell({
                columnSpan: t.ncol,
                borders,
                children: [new Paragraph({ children: [run(br.cells[0]?.text ?? "", { italics: true })] })],
              }),
            ],
          }),
        );
        return;
      }
      rows.push(
        new TableRow({
          children: br.cells.map(
            (c, j) =>
              new TableCell({
                borders,
                children: [
                  new Paragraph({
                    alignment: j === 0 ? AlignmentType.LEFT : AlignmentType.CENTER,
                    children: c.stars ? [run(c.text), run(c.stars, { superScript: sup })] : [run(c.text)],
                  }),
                ],
              }),
          ),
        }),
      );
    });
    children.push(
      new Table({
        rows,
        width: { size: 100, type: WidthType.PERCENTAGE },
        columnWidths: stubColumnWidths(t, size),
        borders: { top: THICK, bottom: THICK, left: NONE, right: NONE, insideHorizontal: NONE, insideVertical: NONE },
      }),
    );
    for (const n of t.notes) children.push(new Paragraph({ children: [run(n, { size: Math.max(2, size - 3) })] }));
  });
  const doc = new Document({ sections: [{ children }] });
  const epoch = opts.epoch ?? sourceDateEpoch();
  if (!Number.isFinite(epoch)) throw new Error(`vagg argument error: toDocx epoch must be a finite number of seconds, got ${epoch}`);
  const zip = await Packer.toBuffer(doc, undefined, [{ path: "docProps/core.xml", data: coreXml(epoch) }]);
  return normalizeZip(zip, { epoch, first: ["[Content_Types].xml"] });
}

/** W3CDTF (ISO 8601, UTC, whole seconds) of `seconds` since the Unix epoch. */
function w3cdtf(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * docProps/core.xml as docx writes it for a document without title/creator options (creator
 * "Un-named", revision 1), but with `epoch` as the created and modified dates instead of the clock.
 */
function coreXml(epoch: number): string {
  const t = w3cdtf(epoch);
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    "<dc:creator>Un-named</dc:creator><cp:lastModifiedBy>Un-named</cp:lastModifiedBy><cp:revision>1</cp:revision>" +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${t}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${t}</dcterms:modified>` +
    "</cp:coreProperties>"
  );
}
