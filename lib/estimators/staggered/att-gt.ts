import { type Table, numeric } from "../../data/table";
import { ArgumentError, EstimationError } from "../../util/errors";
import { type AdoptionSpec } from "../did";
import { cohortPanel } from "./cohorts";
import { mapF64From } from "../../util/typed-map";

export interface AttGtOptions extends AdoptionSpec {
  readonly y: string;
  /** Comparison units: never-treated (default) or not-yet-treated by period t (never-treated included). */
  readonly control?: "never" | "notyet";
}

/** One group-time average treatment effect ATT(g, t). */
export interface AttGtCell {
  readonly group: number;
  readonly time: number;
  /** The base period b (g − 1 for t ≥ g; t − 1 before treatment: did's "varying" base period). */
  readonly base: number;
  readonly att: number;
  readonly se: number;
  readonly post: boolean;
  readonly nTreated: number;
  readonly nControl: number;
}

export interface AttGtResult {
  readonly cells: readonly AttGtCell[];
  /** Influence functions, one Float64Array of length n (units) per cell, in `cells` order: ATT(g,t) − θ ≈ mean(ψ). */
  readonly influence: readonly Float64Array[];
  /** Cohort of each unit used (Infinity: never treated), in the order of `influence`. */
  readonly unitCohort: Float64Array;
  readonly units: readonly string[];
  readonly groups: readonly number[];
  readonly periods: readonly number[];
  readonly control: "never" | "notyet";
  readonly n: number;
  /** What was dropped, as did does: units with a missing outcome in some period, units treated in the first period. */
  readonly dropped: { readonly incomplete: number; readonly alwaysTreated: number; readonly lastCohortAsControl: number | null };
}

/**
 * Callaway & Sant'Anna (2021, J. Econometrics 225(2)) group-time average treatment effects under
 * unconditional parallel trends on a balanced panel, as R's `did::att_gt(xformla = ~1, bstrap = FALSE)`:
 * ATT(g,t) = E[Y_t − Y_b | G = g] − E[Y_t − Y_b | C], b = g − 1 for t ≥ g and t − 1 before
 * (did's varying base), C the never-treated units or the units not yet treated at t (G > t, G ≠ g).
 * Influence function per unit ψ_i = n·[D_i(ΔY_i − m̄₁)/n_g − C_i(ΔY_i − m̄₀)/n_c], SE = √(Σψ²)/n
 * (clustered at the unit, which the panel form already is). Units with a missing outcome are
 * dropped (did balances the panel), as are units treated in the first period; adoption after the
 * last period counts as never treated.
 *
 * @example
 *   const gt = attGt(t, { y: "resi", unit: "city", time: "year", adoption: "smart_year", control: "notyet" });
 *   gt.cells.filter((c) => c.post).map((c) => [c.group, c.time, c.att, c.se]);
 */
export function attGt(t: Table, o: AttGtOptions): AttGtResult {
  const control = o.control ?? "never";
  const cp = cohortPanel(t, o);
  const y = numeric(t, o.y);
  const T = cp.periods.length;
  if (T < 2) throw new ArgumentError("attGt: needs at least two periods");
  const Y = new Float64Array(cp.units.length * T).fill(NaN);
  for (let i = 0; i < t.nrows; i++) Y[(cp.unitOf[i] as number) * T + (cp.periodOf[i] as number)] = y[i] as number;
  const first = cp.periods[0] as number;
  const keep: number[] = [];
  let incomplete = 0,
    alwaysTreated = 0;
  for (let u = 0; u < cp.units.length; u++) {
    let ok = true;
    for (let p = 0; p < T; p++) if (!Number.isFinite(Y[u * T + p] as number)) ok = false;
    if (!ok) incomplete++;
    else if ((cp.cohort[u] as number) <= first) alwaysTreated++;
    else keep.push(u);
  }
  const n = keep.length;
  const G = mapF64From(keep, (u) => cp.cohort[u] as number);
  let groups = [...new Set(Array.from(G).filter((g) => Number.isFinite(g)))].sort((a, b) => a - b);
  if (!groups.length) throw new EstimationError("attGt: no treated group with a pre-treatment period");
  // No never-treated unit: as did does, the last treated cohort becomes the control group and the
  // periods from its adoption on are dropped (nothing is untreated there); with control "never"
  // there is no comparison at all.
  let nT = T;
  let lastCohortAsControl: number | null = null;
  if (!Array.from(G).some((g) => !Number.isFinite(g))) {
    if (control === "never")
      throw new EstimationError('attGt: no never-treated unit; use control: "notyet" (the last treated cohort then serves as control)');
    const lastG = groups[groups.length - 1] as number;
    if (groups.length < 2) throw new EstimationError("attGt: one treated cohort and no never-treated unit: no comparison group");
    lastCohortAsControl = lastG;
    for (let k = 0; k < n; k++) if (G[k] === lastG) G[k] = Infinity;
    groups = groups.slice(0, -1);
    nT = cp.periods.filter((p) => p < lastG).length;
  }
  const yAt = (k: number, p: number) => Y[(keep[k] as number) * T + p] as number;
  const cells: AttGtCell[] = [];
  const influence: Float64Array[] = [];
  for (const g of groups) {
    let pg = -1;
    cp.periods.forEach((p, i) => {
      if (p < g) pg = i;
    });
    for (let ti = 1; ti < nT; ti++) {
      const tt = cp.periods[ti] as number;
      const bi = g <= tt ? pg : ti - 1;
      let s1 = 0,
        s0 = 0,
        n1 = 0,
        n0 = 0;
      const dY = new Float64Array(n);
      const role = new Int8Array(n); // 1 treated, −1 control
      for (let k = 0; k < n; k++) {
        const gk = G[k] as number;
        const isC = control === "never" ? !Number.isFinite(gk) : !Number.isFinite(gk) || (gk > tt && gk !== g);
        if (gk === g) role[k] = 1;
        else if (isC) role[k] = -1;
        else continue;
        const d = yAt(k, ti) - yAt(k, bi);
        dY[k] = d;
        if (role[k] === 1) ((s1 += d), n1++);
        else ((s0 += d), n0++);
      }
      const psi = new Float64Array(n);
      let att = NaN,
        se = NaN;
      if (n1 > 0 && n0 > 0) {
        const m1 = s1 / n1,
          m0 = s0 / n0;
        att = m1 - m0;
        let ss = 0;
        for (let k = 0; k < n; k++) {
          if (role[k] === 1) psi[k] = (n * ((dY[k] as number) - m1)) / n1;
          else if (role[k] === -1) psi[k] = (-n * ((dY[k] as number) - m0)) / n0;
          ss += (psi[k] as number) ** 2;
        }
        se = Math.sqrt(ss) / n;
      } else psi.fill(NaN);
      cells.push(Object.freeze({ group: g, time: tt, base: cp.periods[bi] as number, att, se, post: tt >= g, nTreated: n1, nControl: n0 }));
      influence.push(psi);
    }
  }
  return Object.freeze({
    cells: Object.freeze(cells),
    influence: Object.freeze(influence),
    unitCohort: G,
    units: Object.freeze(keep.map((u) => cp.units[u] as string)),
    groups: Object.freeze(groups),
    periods: cp.periods.slice(0, nT),
    control,
    n,
    dropped: Object.freeze({ incomplete, alwaysTreated, lastCohortAsControl }),
  });
}
