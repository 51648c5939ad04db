import { Table, numeric, withColumns, hasColumn } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { groupByColumn, keyAt } from "../data/keys";
import { column } from "../data/table";
import { feols, FeolsOptions, FeolsResult } from "./feols";

/** Who adopts when: unit and time columns, and the adoption year (a column, or a record unit → year). */
export interface AdoptionSpec {
  readonly unit: string;
  readonly time: string;
  readonly adoption: string | Readonly<Record<string, number>>;
}

function adoptionYears(t: Table, o: AdoptionSpec): Float64Array {
  const n = t.nrows;
  const out = new Float64Array(n).fill(NaN);
  const groups = groupByColumn(t, o.unit);
  if (typeof o.adoption === "string") {
    const a = numeric(t, o.adoption);
    for (const [u, rows] of groups) {
      let v = NaN;
      for (const r of rows) {
        const x = a[r] as number;
        if (Number.isNaN(x)) continue;
        if (Number.isNaN(v)) v = x;
        else if (x !== v)
          throw new DataError(`adoption year varies within unit "${u}" (${v} vs ${x})`, { file: t.source, column: o.adoption, row: r + 1 });
      }
      for (const r of rows) out[r] = v;
    }
  } else {
    const rec = o.adoption;
    const uc = column(t, o.unit);
    for (let i = 0; i < n; i++) {
      const k = keyAt(uc, i) as string;
      const v = rec[k];
      out[i] = v === undefined ? NaN : v;
    }
  }
  return out;
}

/**
 * Staggered-adoption treatment indicator D_it = 1[t ≥ A_i] (A_i the unit's adoption year; 0
 * for never-treated units) and the group dummy ever_i = 1[A_i < ∞]. Throws a DataError when the
 * adoption column varies within a unit.
 *
 * @example
 *   const { treated, ever } = treatmentIndicator(t, { unit: "city", time: "year", adoption: "pilot_year" });
 */
export function treatmentIndicator(t: Table, o: AdoptionSpec): { treated: Float64Array; ever: Float64Array; adoption: Float64Array } {
  const a = adoptionYears(t, o);
  const tm = numeric(t, o.time);
  const treated = new Float64Array(t.nrows);
  const ever = new Float64Array(t.nrows);
  for (let i = 0; i < t.nrows; i++) {
    if (Number.isNaN(tm[i] as number)) throw new DataError("time is missing (NA)", { file: t.source, column: o.time, row: i + 1 });
    const ai = a[i] as number;
    if (Number.isNaN(ai)) continue;
    ever[i] = 1;
    treated[i] = (tm[i] as number) >= ai ? 1 : 0;
  }
  return { treated, ever, adoption: a };
}

/**
 * Column name of the event-time dummy for e = t − A_i.
 *
 * @example eventName(-3) // "et_m3";  eventName(2) // "et_p2"
 */
export function eventName(e: number): string {
  return e < 0 ? `et_m${-e}` : `et_p${e}`;
}

/**
 * Event-time dummies 1[t − A_i = e] for e in [lo, hi] except the reference period (default −1);
 * with `bin: true` (default) the end points absorb the tails (e ≤ lo → lo, e ≥ hi → hi;
 * Schmidheiny & Siegloch 2023, J. Appl. Econometrics 38(5)). Never-treated rows are all zero.
 *
 * @example
 *   const { columns, names } = eventTimeDummies(t, { unit: "city", time: "year", adoption: "pilot_year", window: [-4, 5] });
 */
export function eventTimeDummies(
  t: Table,
  o: AdoptionSpec & { window: readonly [number, number]; reference?: number; bin?: boolean },
): { columns: Record<string, Float64Array>; names: string[]; eventTime: Float64Array } {
  const [lo, hi] = o.window;
  const ref = o.reference ?? -1;
  const bin = o.bin ?? true;
  if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo < hi))
    throw new ArgumentError(`window must be integers lo < hi, got [${lo}, ${hi}]`);
  if (!(ref >= lo && ref <= hi)) throw new ArgumentError(`reference period ${ref} must lie in the window [${lo}, ${hi}]`);
  const { adoption } = treatmentIndicator(t, o);
  const tm = numeric(t, o.time);
  const n = t.nrows;
  const eventTime = new Float64Array(n).fill(NaN);
  const names: string[] = [];
  const columns: Record<string, Float64Array> = {};
  for (let e = lo; e <= hi; e++) {
    if (e === ref) continue;
    names.push(eventName(e));
    columns[eventName(e)] = new Float64Array(n);
  }
  for (let i = 0; i < n; i++) {
    const a = adoption[i] as number;
    if (Number.isNaN(a)) continue;
    let e = (tm[i] as number) - a;
    eventTime[i] = e;
    if (e < lo || e > hi) {
      if (!bin) continue;
      e = e < lo ? lo : hi;
    }
    if (e === ref) continue;
    (columns[eventName(e)] as Float64Array)[i] = 1;
  }
  return { columns, names, eventTime };
}

/** Options of `did` / `eventStudy`: outcome, controls and the estimation options passed to `feols`. */
export interface DidOptions extends AdoptionSpec {
  readonly y: string;
  readonly controls?: readonly string[];
  readonly feols?: FeolsOptions;
}

function fe(o: DidOptions): string {
  return `${o.unit} + ${o.time}`;
}

/**
 * TWFE DID: y ~ did_treat (+ controls) | unit + time (clustered by unit by default) — the
 * difference-in-differences helpers for staggered adoption (RS §4.2: smart-city pilot DID).
 *
 * Data preparation (pure; returns columns):
 *  - `treatmentIndicator`: D_it = 1 if unit i has adopted by time t (t ≥ adoption year),
 *    0 otherwise; never-treated units (adoption NA / absent) are 0 throughout. `ever` is the
 *    group dummy (1 for units that ever adopt).
 *  - `eventTimeDummies`: event time e = t − adoption year; one dummy per e in [lo, hi]
 *    except the reference period (default −1); with `bin: true` (default) the end points
 *    are binned (e ≤ lo → the lo dummy, e ≥ hi → the hi dummy, Schmidheiny & Siegloch 2023,
 *    J. Appl. Econometrics 38(5)), otherwise rows outside the window get all zeros.
 *    Never-treated units: all zeros (they identify the time effects). Names: `et_m3`, `et_p0`, `et_p2`.
 * Adoption is given either as a column (the adoption year repeated on each row of the unit,
 * NA for never-treated; it must be constant within unit) or as a record unit → year.
 *
 * Estimation (calls `feols` from lib/estimators/feols.ts):
 *  - `did`: two-way fixed effects  y ~ D (+ controls) | unit + time, SE clustered by unit
 *    unless `vcov` says otherwise. CAVEAT: with staggered adoption and heterogeneous effects
 *    TWFE is a weighted average with possibly negative weights (Goodman-Bacon 2021; de
 *    Chaisemartin & D'Haultfœuille 2020) — use it as the paper does, and report the event study.
 *  - `eventStudy`: y ~ Σ_e et_e (+ controls) | unit + time.
 *
 * @example
 *   const { treated } = treatmentIndicator(t, { unit: "city", time: "year", adoption: "pilot_year" });
 *   const r = did(t, { y: "resi", unit: "city", time: "year", adoption: "pilot_year", controls: ["pop", "open"] });
 *   r.coef.did_treat;
 *   const es = eventStudy(t, { y: "resi", unit: "city", time: "year", adoption: "pilot_year", window: [-4, 5] });
 */
export function did(t: Table, o: DidOptions): FeolsResult {
  if (hasColumn(t, "did_treat")) throw new ArgumentError('the table already has a column "did_treat"', { column: "did_treat" });
  const { treated } = treatmentIndicator(t, o);
  const t2 = withColumns(t, { did_treat: treated });
  const rhs = ["did_treat", ...(o.controls ?? [])].join(" + ");
  return feols(t2, `${o.y} ~ ${rhs} | ${fe(o)}`, { vcov: { cluster: [o.unit] }, ...o.feols });
}

/**
 * Event study: y ~ Σ_e β_e et_e (+ controls) | unit + time, reference period omitted (see
 * `eventTimeDummies`); SE clustered by unit unless `vcov` says otherwise.
 *
 * @example
 *   const es = eventStudy(t, { y: "resi", unit: "city", time: "year", adoption: "pilot_year", window: [-4, 5] });
 *   es.eventNames.map((e) => es.coef[e]);
 */
export function eventStudy(
  t: Table,
  o: DidOptions & { window: readonly [number, number]; reference?: number; bin?: boolean },
): FeolsResult & { eventNames: string[] } {
  const d = eventTimeDummies(t, o);
  for (const nm of d.names) if (hasColumn(t, nm)) throw new ArgumentError(`the table already has a column "${nm}"`, { column: nm });
  const t2 = withColumns(t, d.columns);
  const rhs = [...d.names, ...(o.controls ?? [])].join(" + ");
  const r = feols(t2, `${o.y} ~ ${rhs} | ${fe(o)}`, { vcov: { cluster: [o.unit] }, ...o.feols });
  // keep the result's descriptors (copy-on-read getters of residuals/obsRows) and stay frozen
  const out = Object.defineProperties(
    {},
    { ...Object.getOwnPropertyDescriptors(r), eventNames: { value: Object.freeze([...d.names]), enumerable: true } },
  );
  return Object.freeze(out) as FeolsResult & { eventNames: string[] };
}
