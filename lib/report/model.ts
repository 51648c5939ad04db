/**
 * The intermediate form every report table is built into and every renderer reads:
 * a title, header rows (cells may span columns), body rows, notes. Builders
 * (`regressionTable`, `dataTable`, `panels`) produce it; renderers (`toHtml`, `toLatex`,
 * `toMarkdown`, `toCsv`, `toDocx`, `toText`) turn it into text or a Word file.
 *
 * Text in the model is raw (unescaped); each renderer escapes for its own format.
 * Significance stars are kept apart from the number (`Cell.stars`) so that HTML,
 * LaTeX and Word can set them as superscripts and Markdown can leave them unescaped.
 *
 * @example
 *   const t: ReportTable = {
 *     kind: "report-table", ncol: 2, title: "Demo",
 *     header: [[{ text: "" }, { text: "(1)" }]],
 *     body: [{ kind: "coef", cells: [{ text: "x" }, { text: "0.5000", stars: "***" }] }],
 *     notes: [],
 *   };
 */
export interface Cell {
  readonly text: string;
  /** Significance stars, rendered after the text (superscript where the format allows). */
  readonly stars?: string;
}

export interface HeaderCell {
  readonly text: string;
  /** Number of columns the cell spans (default 1). */
  readonly span?: number;
  /** Draw a partial rule under this cell (booktabs \cmidrule) — used for column groups. */
  readonly rule?: boolean;
}

export type RowKind = "coef" | "se" | "indicator" | "stat" | "extra" | "panel" | "data";

export interface BodyRow {
  readonly kind: RowKind;
  /** `ncol` cells; a "panel" row has one cell that spans the whole table. */
  readonly cells: readonly Cell[];
  /** Draw a thin full-width rule above this row (panel separators). */
  readonly ruleAbove?: boolean;
}

export interface ReportTable {
  readonly kind: "report-table";
  /** Columns including the first (stub) column. */
  readonly ncol: number;
  readonly title?: string;
  readonly header: readonly (readonly HeaderCell[])[];
  readonly body: readonly BodyRow[];
  readonly notes: readonly string[];
}

export function isReportTable(x: unknown): x is ReportTable {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "report-table";
}

/** The text of a cell with its stars appended. */
export function cellText(c: Cell): string {
  return c.text + (c.stars ?? "");
}

/** Header row expanded to one string per column (a spanning cell fills its first column). */
export function expandHeaderRow(row: readonly HeaderCell[], ncol: number): string[] {
  const out: string[] = [];
  for (const c of row) {
    out.push(c.text);
    for (let k = 1; k < (c.span ?? 1); k++) out.push("");
  }
  while (out.length < ncol) out.push("");
  return out.slice(0, ncol);
}
