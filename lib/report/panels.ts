import { column, NA_INT, table, type Column, type Table } from "../data/table";
import { ArgumentError } from "../util/errors";
import type { BodyRow, ReportTable, TidyRow } from "./model";

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
 * Machine-readable payloads are stacked too, with the panel title in a first column `panel`:
 * `tidy` when every panel has one (regression tables), `data` when every panel has data with
 * the same column names (data tables). The result is Chinese (`lang: "zh"`) when any panel is. Otherwise the combined table has no payload and
 * `exportTable` falls back to the cells (`cellsTidy`).
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
  const tidy = list.every((p) => p.table.tidy)
    ? list.flatMap((p) => (p.table.tidy as readonly TidyRow[]).map((r): TidyRow => ({ ...r, panel: p.title })))
    : undefined;
  const data = stackData(list);
  return {
    kind: "report-table",
    ncol: first.table.ncol,
    title: opts.title ?? first.table.title,
    header: first.table.header,
    body,
    notes: opts.notes ?? notes,
    ...(list.some((p) => p.table.lang === "zh") ? { lang: "zh" as const } : {}),
    ...(tidy ? { tidy } : {}),
    ...(data ? { data } : {}),
  };
}

/** The panels' `data` stacked under a `panel` column, or undefined unless all have data with the same column names. */
function stackData(list: readonly Panel[]): Table | undefined {
  const ds = list.map((p) => p.table.data);
  if (!ds.every((d): d is Table => d !== undefined)) return undefined;
  const names = (ds[0] as Table).names;
  if (names.includes("panel") || !ds.every((d) => d.names.length === names.length && d.names.every((n, j) => n === names[j])))
    return undefined;
  const cols: Record<string, Column> = { panel: list.flatMap((p, i) => Array.from({ length: (ds[i] as Table).nrows }, () => p.title)) };
  for (const n of names) {
    const parts = ds.map((d) => column(d, n));
    if (parts.every((c) => c instanceof Int32Array)) cols[n] = Int32Array.from(parts.flatMap((c) => Array.from(c as Int32Array)));
    else if (parts.every((c) => c instanceof Float64Array || c instanceof Int32Array))
      cols[n] = Float64Array.from(
        parts.flatMap((c) => Array.from(c as Float64Array | Int32Array, (v) => (c instanceof Int32Array && v === NA_INT ? NaN : v))),
      );
    else
      cols[n] = parts.flatMap((c) =>
        Array.from(c as ArrayLike<unknown>, (v) =>
          v === null || v === undefined || (typeof v === "number" && (Number.isNaN(v) || (c instanceof Int32Array && v === NA_INT)))
            ? null
            : String(v),
        ),
      );
  }
  return table(cols);
}
