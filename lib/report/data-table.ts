import { column, NA_INT, select, type Table } from "../data/table";
import { ArgumentError } from "../util/errors";
import { countCell, formatCount, formatNumber } from "./format";
import type { BodyRow, Cell, HeaderCell, Lang, ReportTable } from "./model";

/**
 * Chinese header words for the columns of common statistics tables (`describe` output and the
 * like): variable → 变量, N → 观测值, mean → 均值, sd → 标准差, min → 最小值, max → 最大值, ….
 * `dataTable(t, { lang: "zh" })` uses them for columns without an entry in `headers`.
 */
export const ZH_STAT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  variable: "变量",
  var: "变量",
  label: "变量含义",
  N: "观测值",
  n: "观测值",
  nobs: "观测值",
  obs: "观测值",
  mean: "均值",
  sd: "标准差",
  se: "标准误",
  min: "最小值",
  max: "最大值",
  median: "中位数",
  p50: "中位数",
  p25: "25%分位数",
  p75: "75%分位数",
  year: "年份",
  city: "城市",
  province: "省份",
});

export interface DataTableOptions {
  readonly title?: string;
  readonly notes?: readonly string[];
  /** Columns to show, in order (default all). The first is the stub column. */
  readonly columns?: readonly string[];
  /** Header text per column name (default the name itself). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Decimals of float columns: one number, or per column name (default 4). */
  readonly digits?: number | Readonly<Record<string, number>>;
  /** Columns printed as counts with thousands separators (default: "N", "n", "nobs", "obs" when present). */
  readonly counts?: readonly string[];
  /**
   * Columns holding years, printed as plain integers ("1990", never "1,990"). Default: the
   * columns named "year", "yr", or ending in "_year" / starting with "year_" (e.g. "smart_year").
   */
  readonly years?: readonly string[];
  /**
   * Replacements for text values (e.g. variable name → label). Empty labels are ignored, so a
   * .dta file's `meta.variableLabels` can be passed as it is.
   */
  readonly rowLabels?: Readonly<Record<string, string>>;
  /** Show at most this many rows (a note says how many were left out). */
  readonly maxRows?: number;
  /** Column groups over the columns after the first (spans must add up to their number). */
  readonly groups?: readonly { readonly label: string; readonly span: number }[];
  /** Text for missing values (default ""). */
  readonly na?: string;
  /**
   * In float columns, print whole numbers of magnitude ≥ 100 as counts ("128,354", not
   * "128354.0000"): mixed statistic/value tables hold counts and estimates in one column.
   * Default true; false prints every float with fixed decimals.
   */
  readonly wholeNumbersAsCounts?: boolean;
  /**
   * Language of the words the table adds (default "en"). "zh": headers of columns not in
   * `headers` from `ZH_STAT_HEADERS` (变量, 观测值, 均值, 标准差, 最小值, 最大值, …) and the
   * row-limit note in Chinese; renderers then use CJK fonts (see `ReportTable.lang`).
   */
  readonly lang?: Lang;
}

/**
 * A descriptive or any other data table (from the project's column `Table`) in the same
 * three-line model as regression tables, so it renders to HTML, LaTeX, Markdown, CSV and Word.
 * Float columns get fixed decimals (whole numbers ≥ 100 print as counts), count columns
 * thousands separators, Int32 and year columns plain integers (years stay "2010"), text columns
 * their (relabelled) text.
 *
 * The returned table carries the shown columns of `t` with all rows, unrounded, as `data`:
 * `toCsv` and `exportTable` write that (raw round-trip doubles, integers as integers, missing
 * empty, original text values), while HTML, LaTeX, Markdown and Word print the display grid.
 *
 * With `lang: "zh"` the stock column names get Chinese headers (`ZH_STAT_HEADERS`).
 *
 * @example
 *   dataTable(describe(panel, ["vagg", "quality"]), { lang: "zh", title: "表1 描述性统计", rowLabels: { vagg: "虚拟集聚", quality: "出口产品质量" } });
 *   // header: 变量 | 观测值 | 均值 | 标准差 | 最小值 | 最大值
 *   dataTable(describe(panel, ["hs4_qua", "vagg"]), {
 *     title: "Table 1 Descriptive statistics", digits: 3,
 *     headers: { variable: "Variable", sd: "S.D." }, rowLabels: { hs4_qua: "Export quality" },
 *   });
 */
export function dataTable(t: Table, opts: DataTableOptions = {}): ReportTable {
  const cols = opts.columns ?? t.names;
  if (cols.length === 0) throw new ArgumentError("dataTable needs at least one column");
  const counts = new Set(opts.counts ?? ["N", "n", "nobs", "obs"]);
  const na = opts.na ?? "";
  const wholeAsCounts = opts.wholeNumbersAsCounts ?? true;
  const nShow = Math.min(t.nrows, opts.maxRows ?? t.nrows);
  const digitsOf = (name: string) => (typeof opts.digits === "number" ? opts.digits : (opts.digits?.[name] ?? 4));
  const years = new Set(opts.years ?? cols.filter((n) => /^(year|yr)$|_year$|^year_/i.test(n)));
  const rows: Cell[][] = Array.from({ length: nShow }, () => []);
  for (const name of cols) {
    const c = column(t, name);
    for (let i = 0; i < nShow; i++) {
      const row = rows[i] as Cell[];
      if (c instanceof Float64Array) {
        const v = c[i] as number;
        if (years.has(name)) row.push({ text: Number.isInteger(v) ? String(v) : formatNumber(v, digitsOf(name), na) });
        else {
          const whole = wholeAsCounts && Number.isInteger(v) && Math.abs(v) >= 100;
          row.push(counts.has(name) || whole ? countCell(v, na) : { text: formatNumber(v, digitsOf(name), na) });
        }
      } else if (c instanceof Int32Array) {
        const v = c[i] as number;
        row.push(v === NA_INT ? { text: na } : counts.has(name) && !years.has(name) ? countCell(v) : { text: String(v) });
      } else {
        const v = c[i];
        row.push({ text: v === null || v === undefined ? na : opts.rowLabels?.[v] || v });
      }
    }
  }
  const header: HeaderCell[][] = [];
  if (opts.groups) {
    const total = opts.groups.reduce((a, g) => a + g.span, 0);
    if (total !== cols.length - 1)
      throw new ArgumentError(`column groups span ${total} columns but the table has ${cols.length - 1} after the first`);
    header.push([{ text: "" }, ...opts.groups.map((g) => ({ text: g.label, span: g.span, rule: true }))]);
  }
  const zh = opts.lang === "zh";
  header.push(cols.map((c) => ({ text: opts.headers?.[c] ?? (zh ? ZH_STAT_HEADERS[c] : undefined) ?? c })));
  const body: BodyRow[] = rows.map((cells) => ({ kind: "data", cells }));
  const notes = [...(opts.notes ?? [])];
  if (nShow < t.nrows)
    notes.push(zh ? `仅显示前 ${nShow} 行（共 ${formatCount(t.nrows)} 行）。` : `Showing ${nShow} of ${formatCount(t.nrows)} rows.`);
  return {
    kind: "report-table",
    ncol: cols.length,
    title: opts.title,
    header,
    body,
    notes,
    ...(zh ? { lang: "zh" as const } : {}),
    data: select(t, cols),
  };
}
