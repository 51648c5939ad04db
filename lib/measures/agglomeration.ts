import { Table, column, numeric } from "../data/table";
import { locationQuotient as lqArrays } from "../data/panel";
import { DataError } from "../util/errors";

/**
 * Geographic agglomeration (RS §6): `agg = above-scale industrial firms / administrative area`
 * ("限额以上工业企业数量与城市行政面积的比值"), firms per km². A zero, negative or NA area gives
 * NaN and is counted in `undefinedRows` (with a non-NA firm count); negative firm counts are a DataError.
 *
 * @example
 *   const { value } = geoAgglomeration(t, "firms", "area_km2");
 */
export function geoAgglomeration(t: Table, firms: string, area: string): { value: Float64Array; undefinedRows: number } {
  const f = numeric(t, firms);
  const a = numeric(t, area);
  const out = new Float64Array(t.nrows).fill(NaN);
  let bad = 0;
  for (let i = 0; i < t.nrows; i++) {
    const fi = f[i] as number;
    const ai = a[i] as number;
    if (fi < 0) throw new DataError(`negative firm count ${fi}`, { file: t.source, column: firms, row: i + 1 });
    if (Number.isNaN(fi)) continue;
    if (!(ai > 0)) {
      bad++;
      continue;
    }
    out[i] = fi / ai;
  }
  return { value: out, undefinedRows: bad };
}

/**
 * Location quotient on a long table of region × industry (× period) rows:
 * LQ_rj = (e_rj / e_r) / (E_j / E) (Isard 1960), used for the "agglomeration" part of RS vagg
 * (Alibaba members by city × industry) and for EQ's agg (secondary employment LQ). Thin
 * wrapper over `locationQuotient` in `lib/data/panel.ts` that resolves the columns by name
 * (so an unknown column is a DataError naming it) and refuses negative activity values.
 *
 * @example
 *   const { values } = locationQuotientTable(t, { value: "members", region: "city", industry: "ind", period: "year" });
 */
export function locationQuotientTable(
  t: Table,
  o: { value: string; region: string; industry: string; period?: string },
): { values: Float64Array; undefinedRows: number } {
  const e = numeric(t, o.value);
  for (let i = 0; i < e.length; i++)
    if ((e[i] as number) < 0)
      throw new DataError(`negative activity ${e[i]} in a location quotient`, { file: t.source, column: o.value, row: i + 1 });
  return lqArrays(e, column(t, o.region), column(t, o.industry), o.period ? column(t, o.period) : undefined);
}
