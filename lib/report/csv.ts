import { expandHeaderRow, cellText, type ReportTable } from "./model";

export interface CsvOptions {
  /** Field separator (default ","). */
  readonly sep?: string;
  /** Add the title as the first line and the notes as last lines (default false: the grid only). */
  readonly titleAndNotes?: boolean;
}

/** Quote a CSV field when it contains the separator, a quote or a line break (RFC 4180). */
export function csvField(s: string, sep = ","): string {
  return s.includes(sep) || /["\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Render a report table as CSV, cell for cell as printed: header rows (a spanning label in its
 * first column), body rows with stars attached and SEs in parentheses, panel titles in the first
 * column. Lines end with "\n". Thousands separators in N make such cells quoted.
 *
 * @example
 *   fs.writeFileSync("exports/tables/table2.csv", toCsv(t));
 */
export function toCsv(t: ReportTable, opts: CsvOptions = {}): string {
  const sep = opts.sep ?? ",";
  const rows: string[][] = [];
  if (opts.titleAndNotes && t.title) rows.push([t.title]);
  for (const r of t.header) rows.push(expandHeaderRow(r, t.ncol));
  for (const r of t.body) {
    const cells = r.cells.map(cellText);
    while (cells.length < t.ncol) cells.push("");
    rows.push(cells);
  }
  if (opts.titleAndNotes) for (const n of t.notes) rows.push([n]);
  return rows.map((r) => r.map((f) => csvField(f, sep)).join(sep)).join("\n") + "\n";
}
