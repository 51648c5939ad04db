/**
 * Column names must be distinct in every input (CSV header, Parquet schema, Stata variable list,
 * Excel header): tables are keyed by name, so a repeated name would silently hide a column, and
 * DuckDB would rename it ("gdp_1") into a column nobody named. This is the one check every reader
 * calls.
 */
import { DataError } from "../util/errors";

/** Options of `checkDistinctNames`. */
export interface DistinctNamesOptions {
  /** Also refuse names that differ only in case (DuckDB identifiers are case-insensitive). */
  readonly ignoreCase?: boolean;
  /** How a 0-based position is shown (default 1-based numbers: "2"; Excel passes column letters: "B"). */
  readonly position?: (j: number) => string;
  /** Text put before the message, e.g. `sheet "表1"`. */
  readonly where?: string;
  /** Text put after the message, e.g. a hint on how to fix it. */
  readonly hint?: string;
}

/**
 * Throw a one-line DataError naming the file, the repeated column and both positions when two
 * columns share a name; with `ignoreCase`, also when two names differ only in case. Empty names
 * are ignored (a CSV's unnamed trailing delimiter column).
 *
 * Method: one pass with a Map from name to first position; with `ignoreCase` a second pass on the
 * lower-cased names.
 *
 * @example
 *   checkDistinctNames(["id", "gdp", "gdp"], "x.csv");
 *   // throws: vagg data error: x.csv: column "gdp" appears twice (columns 2 and 3)
 *   checkDistinctNames(["GDP", "gdp"], "y.parquet", { ignoreCase: true });
 *   // throws: vagg data error: y.parquet: columns "GDP" (column 1) and "gdp" (column 2) differ only in case; rename one
 */
export function checkDistinctNames(names: readonly string[], file?: string, opts: DistinctNamesOptions = {}): void {
  const pos = opts.position ?? ((j: number) => String(j + 1));
  const pre = opts.where ? `${opts.where}: ` : "";
  const post = opts.hint ? ` (${opts.hint})` : "";
  const at = new Map<string, number>();
  names.forEach((n, j) => {
    if (n === "") return;
    const k = at.get(n);
    if (k !== undefined) throw new DataError(`${pre}column "${n}" appears twice (columns ${pos(k)} and ${pos(j)})${post}`, { file });
    at.set(n, j);
  });
  if (!opts.ignoreCase) return;
  const lower = new Map<string, number>();
  names.forEach((n, j) => {
    if (n === "") return;
    const l = n.toLowerCase();
    const m = lower.get(l);
    if (m !== undefined) throw new DataError(`${pre}columns "${names[m]}" (column ${pos(m)}) and "${n}" (column ${pos(j)}) differ only in case; rename one${post}`, { file });
    lower.set(l, j);
  });
}
