import { type Table, column, hasColumn, suggest } from "../../data/table";
import { ArgumentError, FormulaError } from "../../util/errors";

/**
 * The two levels of a grouping variable, sorted (numbers numerically, text lexically), and a
 * 0/1/NaN indicator of the second level. Exactly two non-missing levels are required.
 *
 * @example twoGroups(t, "east") // { levels: [0, 1], indicator: Float64Array [0, 1, NaN, …] }
 */
export function twoGroups(t: Table, group: string): { levels: [string | number, string | number]; indicator: Float64Array } {
  if (!hasColumn(t, group))
    throw new FormulaError(`unknown group variable "${group}"${suggest(group, t.names)}`, { term: group, file: t.source });
  const c = column(t, group);
  const vals = new Set<string | number>();
  const get = (i: number): string | number | null => {
    const v = c[i] as number | string | null;
    if (v === null || v === undefined || (typeof v === "number" && (Number.isNaN(v) || v === -2147483648))) return null;
    return v;
  };
  for (let i = 0; i < t.nrows; i++) {
    const v = get(i);
    if (v !== null) vals.add(v);
  }
  if (vals.size !== 2)
    throw new ArgumentError(
      `group variable "${group}" must have exactly 2 levels, found ${vals.size}${vals.size > 2 ? ` (${[...vals].slice(0, 5).join(", ")}${vals.size > 5 ? ", …" : ""})` : ""}`,
      { term: group },
    );
  const levels = [...vals].sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : 1)) as [
    string | number,
    string | number,
  ];
  const indicator = new Float64Array(t.nrows);
  for (let i = 0; i < t.nrows; i++) {
    const v = get(i);
    indicator[i] = v === null ? NaN : v === levels[1] ? 1 : 0;
  }
  return { levels, indicator };
}
