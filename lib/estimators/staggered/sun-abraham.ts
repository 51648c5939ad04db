import { type Table, hasColumn, withColumns, takeRows } from "../../data/table";
import { ArgumentError, EstimationError } from "../../util/errors";
import { pT2, qT } from "../../util/distributions";
import { eventName, type DidOptions } from "../did";
import { feols, type FeolsResult } from "../feols";
import { cohortPanel } from "./cohorts";

/** One aggregated estimate (an event-time coefficient or an ATT) with its inference. */
export interface StaggeredEstimate {
  readonly estimate: number;
  readonly se: number;
  readonly t: number;
  readonly p: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

export interface SunAbrahamOptions extends DidOptions {
  /** Control cohort: never-treated units (default) or the last-treated cohort on the periods before it adopts. */
  readonly control?: "never" | "last";
  /** Omitted relative period (default −1). */
  readonly reference?: number;
}

export interface SunAbrahamResult {
  /** Interaction-weighted event-time coefficients, sorted by relative period. */
  readonly eventTime: readonly (StaggeredEstimate & { readonly period: number })[];
  /** Variance of the event-time coefficients (row-major, `eventTime` order). */
  readonly vcov: readonly (readonly number[])[];
  /** Overall ATT: all post-period (e ≥ 0) cohort × period coefficients weighted by their observation counts. */
  readonly att: StaggeredEstimate;
  /** The cohort × relative-period coefficients of the saturated regression with their observation counts. */
  readonly cells: readonly {
    readonly cohort: number;
    readonly period: number;
    readonly name: string;
    readonly n: number;
    readonly estimate: number;
    readonly se: number;
  }[];
  /** The saturated TWFE regression (feols). */
  readonly fit: FeolsResult;
  readonly control: "never" | "last";
  readonly reference: number;
  readonly nobs: number;
  /** Units treated from the first period on, left out (no pre-period to identify their effects). */
  readonly alwaysTreatedUnits: number;
  /** fixest's parameter count of the saturated model (for Wald degrees of freedom). */
  readonly nparams: number;
}

function cellName(g: number, e: number): string {
  return `sa_c${g}_${eventName(e)}`;
}

/**
 * Sun & Abraham (2021, J. Econometrics 225(2)) interaction-weighted event study, as fixest's
 * `feols(y ~ sunab(cohort, period) | unit + time, cluster = ~unit)`: TWFE on cohort × relative-period
 * dummies, y_it = α_i + λ_t + Σ_g Σ_{e≠−1} δ_{g,e} 1[G_i = g]·1[t − g = e] (+ controls) + ε_it, then
 * β_e = Σ_g w_{g,e} δ_{g,e} with w_{g,e} = n_{g,e} / Σ_g n_{g,e} (cohort shares of the observations at
 * e) and V(β) = W V(δ) W'; the ATT weights every e ≥ 0 cell by its count. Controls: the never-treated
 * units, or (`control: "last"`) the last-treated cohort on the periods before it adopts (never-treated
 * units dropped). SE clustered by unit unless `feols.vcov` says otherwise; t inference on the fit's df.
 *
 * @example
 *   const sa = sunAbraham(t, { y: "resi", unit: "city", time: "year", adoption: "smart_year", controls: ["pop"] });
 *   sa.eventTime.map((r) => [r.period, r.estimate, r.se]); sa.att.estimate;
 */
export function sunAbraham(t: Table, o: SunAbrahamOptions): SunAbrahamResult {
  const control = o.control ?? "never";
  const ref = o.reference ?? -1;
  let cp = cohortPanel(t, o);
  let data = t;
  // Cohorts treated from the first period on have no pre-period: their cohort × period effects
  // are not identified against the unit effects, so their units are left out (and counted), as
  // attGt does. Cohorts adopting after the last period are untreated within the sample and
  // serve as never-treated controls (fixest's sunab does the same).
  const first = cp.periods[0] as number;
  const alwaysUnits = new Set<number>();
  cp.cohort.forEach((g, u) => {
    if (Number.isFinite(g) && g <= first) alwaysUnits.add(u);
  });
  if (alwaysUnits.size) {
    const keep: number[] = [];
    for (let i = 0; i < t.nrows; i++) if (!alwaysUnits.has(cp.unitOf[i] as number)) keep.push(i);
    data = takeRows(t, Int32Array.from(keep));
    cp = cohortPanel(data, o);
  }
  let controlCohort = Infinity;
  if (control === "last") {
    const cohorts = cp.cohorts;
    if (!cohorts.length) throw new ArgumentError("sunAbraham: no treated cohort");
    controlCohort = cohorts[cohorts.length - 1] as number;
    if (cohorts.length < 2) throw new ArgumentError("sunAbraham: control 'last' needs at least two treated cohorts");
    const keep: number[] = [];
    for (let i = 0; i < data.nrows; i++) {
      const g = cp.cohort[cp.unitOf[i] as number] as number;
      if (Number.isFinite(g) && (cp.periods[cp.periodOf[i] as number] as number) < controlCohort) keep.push(i);
    }
    data = takeRows(data, Int32Array.from(keep));
    cp = cohortPanel(data, o);
  } else if (!cp.cohort.some((g) => !Number.isFinite(g)))
    throw new ArgumentError("sunAbraham: no never-treated unit (nor one adopting after the sample); use control: 'last'");
  const cols: Record<string, Float64Array> = {};
  const meta = new Map<string, { cohort: number; period: number }>();
  for (let i = 0; i < data.nrows; i++) {
    const g = cp.cohort[cp.unitOf[i] as number] as number;
    if (!Number.isFinite(g) || g === controlCohort) continue;
    const e = (cp.periods[cp.periodOf[i] as number] as number) - g;
    if (e === ref) continue;
    const nm = cellName(g, e);
    let c = cols[nm];
    if (!c) {
      if (hasColumn(data, nm)) throw new ArgumentError(`the table already has a column "${nm}"`, { column: nm });
      c = cols[nm] = new Float64Array(data.nrows);
      meta.set(nm, { cohort: g, period: e });
    }
    c[i] = 1;
  }
  const names = [...meta.keys()].sort((a, b) => {
    const A = meta.get(a)!,
      B = meta.get(b)!;
    return A.period - B.period || A.cohort - B.cohort;
  });
  if (!names.length) throw new EstimationError("sunAbraham: no cohort × period cell to estimate");
  const rhs = [...names, ...(o.controls ?? [])].join(" + ");
  const fit = feols(withColumns(data, cols), `${o.y} ~ ${rhs} | ${o.unit} + ${o.time}`, { vcov: { cluster: [o.unit] }, ...o.feols });
  const used = fit.obsRows;
  const cn = fit.coefNames;
  const pos = new Map(cn.map((n, j) => [n, j]));
  const cells = names
    .filter((nm) => pos.has(nm))
    .map((nm) => {
      const c = cols[nm] as Float64Array;
      let n = 0;
      for (let k = 0; k < used.length; k++) n += c[used[k] as number] as number;
      return { ...meta.get(nm)!, name: nm, n, estimate: fit.coef[nm] as number, se: fit.se[nm] as number };
    });
  const V = fit.vcov;
  const tDf = fit.dof.tDf;
  const crit = qT(1 - (1 - fit.level) / 2, tDf);
  const combine = (sel: typeof cells): { w: number[]; idx: number[] } => {
    const tot = sel.reduce((s, c) => s + c.n, 0);
    return { w: sel.map((c) => c.n / tot), idx: sel.map((c) => pos.get(c.name) as number) };
  };
  const quad = (a: { w: number[]; idx: number[] }, b: { w: number[]; idx: number[] }) => {
    let s = 0;
    a.idx.forEach((i, x) => b.idx.forEach((j, y) => (s += (a.w[x] as number) * (V[i] as readonly number[])[j]! * (b.w[y] as number))));
    return s;
  };
  const est = (a: { w: number[]; idx: number[] }): StaggeredEstimate => {
    const b = a.idx.reduce((s, i, x) => s + (a.w[x] as number) * (fit.coef[cn[i] as string] as number), 0);
    const se = Math.sqrt(quad(a, a));
    return { estimate: b, se, t: b / se, p: pT2(b / se, tDf), ciLow: b - crit * se, ciHigh: b + crit * se };
  };
  const periods = [...new Set(cells.map((c) => c.period))].sort((a, b) => a - b);
  const combos = periods.map((e) => combine(cells.filter((c) => c.period === e)));
  const post = cells.filter((c) => c.period >= 0);
  if (!post.length) throw new EstimationError("sunAbraham: no post-treatment cell (e ≥ 0)");
  const nparams = cn.length + (fit.fixef.sizes.length ? fit.fixef.sizes.reduce((s, g) => s + g - 1, 0) + 1 : 0);
  return Object.freeze({
    eventTime: Object.freeze(periods.map((e, k) => Object.freeze({ period: e, ...est(combos[k]!) }))),
    vcov: Object.freeze(combos.map((a) => Object.freeze(combos.map((b) => quad(a, b))))),
    att: Object.freeze(est(combine(post))),
    cells: Object.freeze(cells.map((c) => Object.freeze(c))),
    fit,
    control,
    reference: ref,
    nobs: fit.nobs,
    alwaysTreatedUnits: alwaysUnits.size,
    nparams,
  });
}
