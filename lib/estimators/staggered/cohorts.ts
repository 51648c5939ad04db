import { type Table, numeric, column } from "../../data/table";
import { keyAt } from "../../data/keys";
import { DataError } from "../../util/errors";
import { treatmentIndicator, type AdoptionSpec } from "../did";

/** A staggered-adoption panel read once: units, periods, each row's unit and period index, each unit's cohort. */
export interface CohortPanel {
  /** Unit keys in order of first appearance. */
  readonly units: readonly string[];
  /** Sorted distinct periods. */
  readonly periods: readonly number[];
  /** Per row: index into `units`. */
  readonly unitOf: Int32Array;
  /** Per row: index into `periods`. */
  readonly periodOf: Int32Array;
  /** Per unit: adoption period, Infinity for never-treated units and for units adopting after the last period. */
  readonly cohort: Float64Array;
  /** Treated cohorts (finite adoption periods), sorted. */
  readonly cohorts: readonly number[];
  /** True when every unit has exactly one row per period. */
  readonly balanced: boolean;
}

/**
 * Reads the unit, period and adoption columns of a staggered-adoption panel (adoption as in
 * `treatmentIndicator`: a column constant within unit, NA for never-treated, or a record): the
 * cohort G_i of each unit (Infinity if never treated), the period grid and whether the panel is
 * balanced. One row per unit and period is required (a duplicate is a DataError).
 *
 * @example
 *   const p = cohortPanel(t, { unit: "city", time: "year", adoption: "smart_year" });
 *   p.cohorts; // [2012, 2013, 2014]
 */
export function cohortPanel(t: Table, o: AdoptionSpec): CohortPanel {
  const { adoption } = treatmentIndicator(t, o);
  const tm = numeric(t, o.time);
  const uc = column(t, o.unit);
  const periods = [...new Set(Array.from(tm))].sort((a, b) => a - b);
  const pIndex = new Map(periods.map((p, i) => [p, i]));
  const units: string[] = [];
  const uIndex = new Map<string, number>();
  const unitOf = new Int32Array(t.nrows);
  const periodOf = new Int32Array(t.nrows);
  const coh: number[] = [];
  for (let i = 0; i < t.nrows; i++) {
    const k = keyAt(uc, i);
    if (k === null) throw new DataError("unit is missing (NA)", { file: t.source, column: o.unit, row: i + 1 });
    let u = uIndex.get(k);
    if (u === undefined) {
      u = units.length;
      uIndex.set(k, u);
      units.push(k);
      const a = adoption[i] as number;
      // adoption after the last period: untreated within the sample, i.e. never treated here
      coh.push(Number.isNaN(a) || a > (periods[periods.length - 1] as number) ? Infinity : a);
    }
    unitOf[i] = u;
    periodOf[i] = pIndex.get(tm[i] as number) as number;
  }
  const seen = new Uint8Array(units.length * periods.length);
  for (let i = 0; i < t.nrows; i++) {
    const c = (unitOf[i] as number) * periods.length + (periodOf[i] as number);
    if (seen[c])
      throw new DataError(`two rows for unit "${units[unitOf[i] as number]}" in period ${tm[i]}`, { file: t.source, row: i + 1 });
    seen[c] = 1;
  }
  const cohort = Float64Array.from(coh);
  const cohorts = [...new Set(coh.filter((g) => Number.isFinite(g)))].sort((a, b) => a - b);
  return Object.freeze({ units, periods, unitOf, periodOf, cohort, cohorts, balanced: t.nrows === units.length * periods.length });
}
