import { column, table, type Table, NA_INT } from "../data/table";
import { DataError } from "../util/errors";

/**
 * Descriptive statistics as journals print them (EQ Table 1, RS Table 2): for each variable,
 * N (non-missing count), mean, standard deviation (n − 1 denominator), min and max.
 *
 * Missing = NaN in Float64 columns, NA_INT in Int32 columns; ±Inf are values and propagate
 * into the statistics. With N = 0 all statistics are NaN; with N = 1 the sd is NaN.
 * A text column is an error. Mean and sd are computed in two passes (no cancellation).
 *
 * Returns a table with columns `variable` (text), `N` (Int32), `mean`, `sd`, `min`, `max`,
 * ready for `dataTable`.
 *
 * @example
 *   const d = describe(panel, ["hs4_qua", "vagg", "fdi"]);
 *   dataTable(d, { digits: 3, title: "Table 1 Descriptive statistics" });
 */
export function describe(t: Table, vars?: readonly string[]): Table {
  const names = vars ?? t.names.filter((n) => !Array.isArray(t.columns[n]));
  const N = new Int32Array(names.length);
  const mean = new Float64Array(names.length);
  const sd = new Float64Array(names.length);
  const min = new Float64Array(names.length);
  const max = new Float64Array(names.length);
  names.forEach((name, j) => {
    const c = column(t, name);
    if (!(c instanceof Float64Array) && !(c instanceof Int32Array))
      throw new DataError("is a text column; describe() needs numbers", { file: t.source, column: name });
    const isInt = c instanceof Int32Array;
    let n = 0;
    let s = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < c.length; i++) {
      const v = c[i] as number;
      if (isInt ? v === NA_INT : Number.isNaN(v)) continue;
      n++;
      s += v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const m = n ? s / n : NaN;
    let ss = 0;
    for (let i = 0; i < c.length; i++) {
      const v = c[i] as number;
      if (isInt ? v === NA_INT : Number.isNaN(v)) continue;
      ss += (v - m) * (v - m);
    }
    N[j] = n;
    mean[j] = m;
    sd[j] = n > 1 ? Math.sqrt(ss / (n - 1)) : NaN;
    min[j] = n ? lo : NaN;
    max[j] = n ? hi : NaN;
  });
  return table({ variable: [...names], N, mean, sd, min, max }, t.source);
}
