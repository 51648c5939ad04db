import { ArgumentError } from "../../util/errors";
import { pT2, qNormal } from "../../util/distributions";
import type { AttGtResult } from "./att-gt";

export type AttAggregation = "simple" | "dynamic" | "group" | "calendar";

/** One aggregated effect with its influence-function SE (normal inference, as did). */
export interface AggregatedAtt {
  readonly estimate: number;
  readonly se: number;
  readonly z: number;
  readonly p: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

export interface AttAggregate {
  readonly type: AttAggregation;
  /** The overall summary: simple ATT; mean of e ≥ 0 effects (dynamic); group-share-weighted (group); mean over periods (calendar). */
  readonly overall: AggregatedAtt;
  /** By event time e (dynamic), group g (group) or period t (calendar); empty for simple. */
  readonly by: readonly (AggregatedAtt & { readonly key: number })[];
}

/**
 * Aggregations of Callaway & Sant'Anna (2021, J. Econometrics 225(2), §3) group-time ATTs, as
 * `did::aggte(type, bstrap = FALSE)` (did ≥ 2.3 for the group overall SE): θ = Σ_{(g,t)} w_{gt}·ATT(g,t)
 * with w ∝ P(G = g) over the cells selected — simple: all t ≥ g; dynamic: t − g = e; calendar: t,
 * g ≤ t; group: equal weights over t ≥ g within g, then P(G = g) across groups — and the influence
 * function Σ w_{gt} ψ_{gt} + Σ ATT(g,t)·ψ^w_{gt}, ψ^w the estimation effect of the P(G = g) weights
 * (did's `wif`); SE = √(mean ψ² / n). Overall: dynamic = mean of e ≥ 0, calendar = mean over t.
 *
 * @example
 *   const gt = attGt(t, { y: "resi", unit: "city", time: "year", adoption: "smart_year" });
 *   aggregateAtt(gt, "dynamic").by.map((r) => [r.key, r.estimate, r.se]);
 *   aggregateAtt(gt, "simple").overall.estimate;
 */
export function aggregateAtt(gt: AttGtResult, type: AttAggregation, opts: { level?: number } = {}): AttAggregate {
  const level = opts.level ?? 0.95;
  const crit = qNormal(1 - (1 - level) / 2);
  const n = gt.n;
  const G = gt.unitCohort;
  const ok = gt.cells.map((c) => Number.isFinite(c.att)); // did's na.rm = TRUE
  const pgOf = (g: number) => G.reduce((s, x) => s + (x === g ? 1 : 0), 0) / n;
  const cellPg = gt.cells.map((c) => pgOf(c.group));
  const inference = (est: number, psi: Float64Array): AggregatedAtt => {
    const se = Math.sqrt(psi.reduce((s, v) => s + v * v, 0) / n / n);
    const z = est / se;
    return Object.freeze({ estimate: est, se, z, p: pT2(z, Infinity), ciLow: est - crit * se, ciHigh: est + crit * se });
  };
  /** Σ_k w_k ψ_k + Σ_k wif_k ATT_k over the chosen cells, w_k = pg_k / Σ pg (did's get_agg_inf_func with wif). */
  const combine = (idx: number[], withWif: boolean): { est: number; psi: Float64Array } => {
    const pg = idx.map((k) => cellPg[k] as number);
    const sp = pg.reduce((s, v) => s + v, 0);
    const psi = new Float64Array(n);
    let est = 0;
    idx.forEach((k, j) => {
      const w = (pg[j] as number) / sp;
      const att = gt.cells[k]!.att;
      est += w * att;
      const f = gt.influence[k] as Float64Array;
      for (let i = 0; i < n; i++) psi[i] += w * (f[i] as number);
    });
    if (withWif)
      addWif(
        psi,
        idx.map((k) => gt.cells[k]!.group),
        pg,
        idx.map((k) => gt.cells[k]!.att),
        G,
      );
    return { est, psi };
  };
  const cellIdx = (pred: (c: AttGtResult["cells"][number]) => boolean) =>
    gt.cells.map((c, k) => (ok[k] && pred(c) ? k : -1)).filter((k) => k >= 0);
  const meanOf = (parts: { est: number; psi: Float64Array }[]) => {
    const psi = new Float64Array(n);
    for (const p of parts) for (let i = 0; i < n; i++) psi[i] += (p.psi[i] as number) / parts.length;
    return { est: parts.reduce((s, p) => s + p.est, 0) / parts.length, psi };
  };
  const nonEmpty = (idx: number[], what: string) => {
    if (!idx.length) throw new ArgumentError(`aggregateAtt: no group-time ATT for ${what}`);
    return idx;
  };
  if (type === "simple") {
    const c = combine(
      nonEmpty(
        cellIdx((x) => x.post),
        "t ≥ g",
      ),
      true,
    );
    return Object.freeze({ type, overall: inference(c.est, c.psi), by: Object.freeze([]) });
  }
  if (type === "dynamic") {
    const es = [...new Set(gt.cells.map((c) => c.time - c.group))].sort((a, b) => a - b);
    const parts = es.map((e) => ({
      e,
      ...combine(
        nonEmpty(
          cellIdx((c) => c.time - c.group === e),
          `e = ${e}`,
        ),
        true,
      ),
    }));
    const post = parts.filter((p) => p.e >= 0);
    if (!post.length) throw new ArgumentError("aggregateAtt: no group-time ATT with e ≥ 0");
    const o = meanOf(post);
    return Object.freeze({
      type,
      overall: inference(o.est, o.psi),
      by: Object.freeze(parts.map((p) => Object.freeze({ key: p.e, ...inference(p.est, p.psi) }))),
    });
  }
  if (type === "calendar") {
    const minG = Math.min(...gt.groups);
    const ts = gt.periods.filter((t) => t >= minG);
    const parts = ts.map((t) => ({
      t,
      ...combine(
        nonEmpty(
          cellIdx((c) => c.time === t && c.group <= t),
          `t = ${t}`,
        ),
        true,
      ),
    }));
    const o = meanOf(parts);
    return Object.freeze({
      type,
      overall: inference(o.est, o.psi),
      by: Object.freeze(parts.map((p) => Object.freeze({ key: p.t, ...inference(p.est, p.psi) }))),
    });
  }
  if (type === "group") {
    const parts = gt.groups.map((g) => ({
      g,
      ...combine(
        nonEmpty(
          cellIdx((c) => c.group === g && c.post),
          `g = ${g}`,
        ),
        false,
      ),
    }));
    const pgg = gt.groups.map(pgOf);
    const sp = pgg.reduce((s, v) => s + v, 0);
    const psi = new Float64Array(n);
    let est = 0;
    parts.forEach((p, j) => {
      const w = (pgg[j] as number) / sp;
      est += w * p.est;
      for (let i = 0; i < n; i++) psi[i] += w * (p.psi[i] as number);
    });
    addWif(
      psi,
      [...gt.groups],
      pgg,
      parts.map((p) => p.est),
      G,
    );
    return Object.freeze({
      type,
      overall: inference(est, psi),
      by: Object.freeze(parts.map((p) => Object.freeze({ key: p.g, ...inference(p.est, p.psi) }))),
    });
  }
  throw new ArgumentError(`aggregateAtt: unknown type "${type as string}" (simple, dynamic, group, calendar)`);
}

/**
 * did's `wif`: the influence of estimating the weights pg_k / Σ pg on Σ_k w_k ATT_k, added to psi:
 * Σ_k ATT_k · [(1{G_i = g_k} − pg_k)/Σpg − (Σ_j (1{G_i = g_j} − pg_j)) · pg_k/(Σpg)²].
 */
function addWif(psi: Float64Array, groups: readonly number[], pg: readonly number[], att: readonly number[], G: Float64Array): void {
  const sp = pg.reduce((s, v) => s + v, 0);
  for (let i = 0; i < psi.length; i++) {
    let rowSum = 0;
    groups.forEach((g, k) => (rowSum += (G[i] === g ? 1 : 0) - (pg[k] as number)));
    let add = 0;
    groups.forEach((g, k) => {
      const if1 = ((G[i] === g ? 1 : 0) - (pg[k] as number)) / sp;
      const if2 = (rowSum * (pg[k] as number)) / (sp * sp);
      add += (if1 - if2) * (att[k] as number);
    });
    psi[i] += add;
  }
}
