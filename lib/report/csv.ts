import { NA_INT, table, type Column, type Table } from "../data/table";
import { formatRaw } from "./format";
import { cellPlainText, expandHeaderRow, type ReportTable, type TidyRow } from "./model";
import { mapF64From, mapI32From } from "../util/typed-map";

export interface CsvOptions {
  /** Field separator (default ","). */
  readonly sep?: string;
  /** Add the title as the first line and the notes as last lines (default false: the grid only). */
  readonly titleAndNotes?: boolean;
  /**
   * "auto" (default): a table that carries `data` (data tables) is written as that data, raw;
   * any other as its display grid. "display": always the display grid.
   */
  readonly layout?: "auto" | "display";
}

/** Quote a CSV field when it contains the separator, a quote or a line break (RFC 4180). */
export function csvField(s: string, sep = ","): string {
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvLines(rows: readonly (readonly string[])[], sep: string): string {
  return rows.map((r) => r.map((f) => csvField(f, sep)).join(sep)).join("\n") + "\n";
}

/**
 * A column table as machine-readable CSV: a header line of column names, then every row with
 * numbers as `formatRaw` prints them — the shortest text that reads back to the same double
 * (`Number(field)` gives the original bits), integers as integers ("1990"), no thousands
 * separators — missing values (NaN, NA_INT, null) as empty fields, text as is.
 *
 * @example
 *   tableCsv(table({ year: Int32Array.of(1990), alpha: [0.1 + 0.2] })); // "year,alpha\n1990,0.30000000000000004\n"
 */
export function tableCsv(t: Table, opts: { readonly sep?: string } = {}): string {
  const sep = opts.sep ?? ",";
  const cols = t.names.map((n) => t.columns[n] as Column);
  const rows: string[][] = [[...t.names]];
  for (let i = 0; i < t.nrows; i++)
    rows.push(
      cols.map((c) => {
        if (c instanceof Float64Array) return formatRaw(c[i]);
        if (c instanceof Int32Array) return c[i] === NA_INT ? "" : String(c[i]);
        return c[i] ?? "";
      }),
    );
  return csvLines(rows, sep);
}

/**
 * Render a report table as CSV. A data table (`dataTable`, which attaches `data`) is written as
 * its data: column names, all rows, raw round-trip numbers (`tableCsv`). Any other table —
 * regression tables, or with `layout: "display"` — cell for cell as printed: header rows (a
 * spanning label in its first column), body rows with stars attached and SEs in parentheses,
 * panel titles in the first column, counts without thousands separators (`Cell.plain`).
 * Lines end with "\n".
 *
 * @example
 *   fs.writeFileSync("exports/tables/table2.csv", toCsv(regressionTable([m1, m2])));
 *   toCsv(dataTable(describe(panel)));                        // raw numbers
 *   toCsv(dataTable(describe(panel)), { layout: "display" }); // rounded, as printed
 */
export function toCsv(t: ReportTable, opts: CsvOptions = {}): string {
  const sep = opts.sep ?? ",";
  const head = opts.titleAndNotes && t.title ? csvLines([[t.title]], sep) : "";
  const tail =
    opts.titleAndNotes && t.notes.length
      ? csvLines(
          t.notes.map((n) => [n]),
          sep,
        )
      : "";
  if (t.data && (opts.layout ?? "auto") === "auto") return head + tableCsv(t.data, { sep }) + tail;
  const rows: string[][] = [];
  for (const r of t.header) rows.push(expandHeaderRow(r, t.ncol));
  for (const r of t.body) {
    const cells = r.cells.map(cellPlainText);
    while (cells.length < t.ncol) cells.push("");
    rows.push(cells);
  }
  return head + csvLines(rows, sep) + tail;
}

/**
 * Tidy rows as a column table: `panel` (when any row has one), `model` (1-based column),
 * `model_label`, `group`, `depvar` (each when any row has it), `term`, `term_label`, `estimate`,
 * `std_error`, `statistic`, `p_value`, `nobs`, then the per-model `extra` columns in order of
 * first appearance (empty where a model has no value).
 *
 * @example
 *   tableCsv(tidyTable(regressionTable([m1, m2]).tidy!));
 */
export function tidyTable(rows: readonly TidyRow[]): Table {
  const cols: Record<string, Column> = {};
  const text = (f: (r: TidyRow) => string | undefined) => rows.map((r) => f(r) ?? null);
  const num = (f: (r: TidyRow) => number | undefined) => mapF64From(rows, (r) => f(r) ?? NaN);
  if (rows.some((r) => r.panel !== undefined)) cols.panel = text((r) => r.panel);
  cols.model = mapI32From(rows, (r) => r.model);
  if (rows.some((r) => r.modelLabel !== undefined)) cols.model_label = text((r) => r.modelLabel);
  if (rows.some((r) => r.group !== undefined)) cols.group = text((r) => r.group);
  if (rows.some((r) => r.depvar !== undefined)) cols.depvar = text((r) => r.depvar);
  cols.term = text((r) => r.term);
  cols.term_label = text((r) => r.termLabel);
  cols.estimate = num((r) => r.estimate);
  cols.std_error = num((r) => r.stdError);
  cols.statistic = num((r) => r.statistic);
  cols.p_value = num((r) => r.pValue);
  cols.nobs = num((r) => r.nobs);
  const extra: string[] = [];
  for (const r of rows) for (const k of Object.keys(r.extra ?? {})) if (!extra.includes(k) && !(k in cols)) extra.push(k);
  for (const k of extra) cols[k] = num((r) => r.extra?.[k]);
  return table(cols);
}

const NUMBER = /^[-+−]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * The cells of a report table in long form, for tables that carry no machine-readable payload:
 * one row per body cell after the stub column, with `row` (1-based body row), `panel` (the
 * panel title above it, if any), `stub` (the row's first cell), `column` (1-based table
 * column), `header` (that column's header labels joined with " / "), `text` (as printed, stars
 * attached, counts unseparated: `cellPlainText`) and `value` (the number in the plain text with stars and enclosing parentheses
 * removed; empty when the cell is not one number). Values carry only the printed digits.
 *
 * @example
 *   tableCsv(cellsTidy(t)); // row,panel,stub,column,header,text,value …
 */
export function cellsTidy(t: ReportTable): Table {
  const headers = Array.from({ length: t.ncol }, (_, j) =>
    t.header
      .map((r) => expandHeaderRow(r, t.ncol)[j] ?? "")
      .filter((s) => s !== "")
      .join(" / "),
  );
  const rec = {
    row: [] as number[],
    panel: [] as (string | null)[],
    stub: [] as (string | null)[],
    column: [] as number[],
    header: [] as (string | null)[],
    text: [] as (string | null)[],
    value: [] as number[],
  };
  let panel: string | null = null;
  t.body.forEach((r, i) => {
    if (r.kind === "panel") {
      panel = r.cells[0]?.text ?? null;
      return;
    }
    for (let j = 1; j < r.cells.length; j++) {
      const c = r.cells[j];
      if (!c) continue;
      const plain = (c.plain ?? c.text)
        .trim()
        .replace(/^\((.*)\)$/, "$1")
        .replace(/,/g, "");
      rec.row.push(i + 1);
      rec.panel.push(panel);
      rec.stub.push(r.cells[0]?.text ?? null);
      rec.column.push(j + 1);
      rec.header.push(headers[j] ?? null);
      rec.text.push(cellPlainText(c));
      rec.value.push(NUMBER.test(plain) ? Number(plain.replace("−", "-")) : NaN);
    }
  });
  const cols: Record<string, Column> = { row: Int32Array.from(rec.row) };
  if (rec.panel.some((p) => p !== null)) cols.panel = rec.panel;
  Object.assign(cols, {
    stub: rec.stub,
    column: Int32Array.from(rec.column),
    header: rec.header,
    text: rec.text,
    value: Float64Array.from(rec.value),
  });
  return table(cols);
}

/**
 * The tidy companion CSV of a report table: its `tidy` rows (regression tables, one per model ×
 * term, see `tidyTable`), else its `data` (data tables), else its cells in long form
 * (`cellsTidy`). Numbers raw, as in `tableCsv`.
 *
 * @example
 *   fs.writeFileSync("exports/tables/table2.tidy.csv", toTidyCsv(regressionTable([m1, m2])));
 */
export function toTidyCsv(t: ReportTable, opts: { readonly sep?: string } = {}): string {
  return tableCsv(t.tidy ? tidyTable(t.tidy) : (t.data ?? cellsTidy(t)), opts);
}
