import { ArgumentError } from "../util/errors";
import type { BodyRow, ReportTable } from "./model";

export interface Panel {
  /** e.g. "Panel A: 2SLS second stage" */
  readonly title: string;
  readonly table: ReportTable;
}

export interface PanelsOptions {
  /** Title of the combined table (default: the first panel table's title). */
  readonly title?: string;
  /** Notes of the combined table (default: the distinct notes of all panels, in order). */
  readonly notes?: readonly string[];
}

/**
 * Stack tables with the same columns into one table with panels (A, B, …): the header of the
 * first table, then for each panel a title row spanning the table and the panel's body; a thin
 * rule separates panels. The tables must have the same number of columns.
 *
 * @example
 *   const t = panels([
 *     { title: "Panel A: second stage", table: regressionTable(ivModels, { keep: ["vagg"] }) },
 *     { title: "Panel B: first stage", table: regressionTable(firstStages, { keep: ["iv"] }) },
 *   ], { title: "Table 3 Endogeneity" });
 */
export function panels(list: readonly Panel[], opts: PanelsOptions = {}): ReportTable {
  const first = list[0];
  if (!first) throw new ArgumentError("panels needs at least one panel");
  const body: BodyRow[] = [];
  const notes: string[] = [];
  list.forEach((p, i) => {
    if (p.table.ncol !== first.table.ncol)
      throw new ArgumentError(`panel "${p.title}" has ${p.table.ncol} columns but panel "${first.title}" has ${first.table.ncol}`);
    body.push({ kind: "panel", cells: [{ text: p.title }], ruleAbove: i > 0 });
    body.push(...p.table.body);
    for (const n of p.table.notes) if (!notes.includes(n)) notes.push(n);
  });
  return {
    kind: "report-table",
    ncol: first.table.ncol,
    title: opts.title ?? first.table.title,
    header: first.table.header,
    body,
    notes: opts.notes ?? notes,
  };
}
