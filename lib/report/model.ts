import type { Table } from "../data/table";

/** One table cell: raw text, optional stars, a plain (CSV) form and a column span. */
export interface Cell {
  readonly text: string;
  /** Significance stars, rendered after the text (superscript where the format allows). */
  readonly stars?: string;
  /**
   * The text for plain machine formats (CSV) when it differs from the display text: a count
   * without thousands separators (`text` "616,591", `plain` "616591"). Default: `text`.
   */
  readonly plain?: string;
}

export interface HeaderCell {
  readonly text: string;
  /** Number of columns the cell spans (default 1). */
  readonly span?: number;
  /** Draw a partial rule under this cell (booktabs \cmidrule) — used for column groups. */
  readonly rule?: boolean;
}

/** Language of the words a builder adds itself (stat labels, Yes/No, notes). */
export type Lang = "en" | "zh";

export type RowKind = "coef" | "se" | "indicator" | "stat" | "extra" | "panel" | "data";

export interface BodyRow {
  readonly kind: RowKind;
  /** `ncol` cells; a "panel" row has one cell that spans the whole table. */
  readonly cells: readonly Cell[];
  /** Draw a thin full-width rule above this row (panel separators). */
  readonly ruleAbove?: boolean;
}

/**
 * One model × term of a regression table in the tidy layout of broom's / pyfixest's `tidy()`:
 * the raw doubles behind the printed coefficient, SE, statistic and p-value, plus the model's
 * N and the numeric per-model rows the table prints (e.g. "Published", R²) in `extra`.
 */
export interface TidyRow {
  /** Panel title when the table stacks panels (`panels`). */
  readonly panel?: string;
  /** 1-based column number of the model in the table. */
  readonly model: number;
  /** Column label of the model (the `headers` option), if any. */
  readonly modelLabel?: string;
  /** Column-group label spanning the model (the `groups` option), if any. */
  readonly group?: string;
  /** Dependent variable, if the model names it. */
  readonly depvar?: string;
  /** Coefficient name as in the model. */
  readonly term: string;
  /** Row label the table prints for the term. */
  readonly termLabel: string;
  readonly estimate: number;
  readonly stdError: number;
  /** t (or z) statistic: the model's own, else estimate / std error. */
  readonly statistic: number;
  readonly pValue: number;
  readonly nobs: number;
  /** Numeric per-model values printed in the table (column name → value), e.g. { published: 0.2013, r2: 0.41 }. */
  readonly extra?: Readonly<Record<string, number>>;
}

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
export interface ReportTable {
  readonly kind: "report-table";
  /** Columns including the first (stub) column. */
  readonly ncol: number;
  readonly title?: string;
  readonly header: readonly (readonly HeaderCell[])[];
  readonly body: readonly BodyRow[];
  readonly notes: readonly string[];
  /**
   * Language of the table ("zh" from `regressionTable`/`dataTable` with `lang: "zh"`). Renderers
   * use it to pick a CJK font stack (HTML), a CJK engine note (LaTeX) and East Asian run
   * properties (Word); when absent they look for CJK characters in the text (`isCjkTable`).
   */
  readonly lang?: Lang;
  /**
   * Machine-readable payload of a data table: the column table it was built from (shown columns,
   * all rows), unrounded. `toCsv` writes it instead of the display grid.
   */
  readonly data?: Table;
  /** Machine-readable payload of a regression table: one row per model × term (`toTidyCsv`). */
  readonly tidy?: readonly TidyRow[];
}

/**
 * Type guard: is `x` a ReportTable (the object the notebooks display and the exporter writes)?
 *
 * @example if (isReportTable(out)) writeTable(out);
 */
export function isReportTable(x: unknown): x is ReportTable {
  return typeof x === "object" && x !== null && (x as { kind?: unknown }).kind === "report-table";
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u{20000}-\u{2fa1f}]/u;

/** Does the text hold CJK characters (ideographs, CJK punctuation, full-width forms)? */
export function hasCjk(s: string): boolean {
  return CJK.test(s);
}

/**
 * Is the table Chinese (or otherwise CJK)? `t.lang === "zh"`, or, when `lang` is not set, CJK
 * characters in its title, header, body or notes. Renderers use this to add CJK fonts or notes.
 *
 * @example
 *   isCjkTable(regressionTable([m], { lang: "zh" })); // true
 *   isCjkTable(regressionTable([m], { labels: { x: "虚拟集聚" } })); // true (detected)
 */
export function isCjkTable(t: ReportTable): boolean {
  if (t.lang !== undefined) return t.lang === "zh";
  if (t.title !== undefined && hasCjk(t.title)) return true;
  if (t.notes.some(hasCjk)) return true;
  if (t.header.some((r) => r.some((c) => hasCjk(c.text)))) return true;
  return t.body.some((r) => r.cells.some((c) => hasCjk(c.text)));
}

/** The text of a cell with its stars appended. */
export function cellText(c: Cell): string {
  return c.text + (c.stars ?? "");
}

/**
 * The text of a cell for plain machine formats (CSV): `plain` when set, else `text`, with its
 * stars appended.
 *
 * @example
 *   cellPlainText({ text: "616,591", plain: "616591" }); // "616591"
 */
export function cellPlainText(c: Cell): string {
  return (c.plain ?? c.text) + (c.stars ?? "");
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
