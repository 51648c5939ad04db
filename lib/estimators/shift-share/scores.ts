import { factorize } from "../../core/fixed-effects/factorize";
import { pNormal2 } from "../../util/distributions";
import type { ShiftShareInference } from "./types";

/**
 * One normal-theory inference row of a shift-share fit: the test of β = β₀ with standard error
 * `se`, p = 2Φ(−|β̂ − β₀|/se), interval β̂ ± cv·se (cv the normal quantile of the level).
 *
 * @example normalRow("ehw", 0.5, 0, 0.1, 1.96); // { method: "ehw", se: 0.1, p: 5.7e-7, ciLow: 0.304, ciHigh: 0.696 }
 */
export function normalRow(method: ShiftShareInference["method"], beta: number, beta0: number, se: number, cv: number): ShiftShareInference {
  return { method, se, p: pNormal2((beta - beta0) / se), ciLow: beta - cv * se, ciHigh: beta + cv * se };
}

/**
 * The region-clustered score of a shift-share fit: Σ_g (Σ_{i∈g} w_i ε̂_i x_i)² over the clusters
 * of `cluster`, and the number of clusters G (the meat of the cluster-robust variance).
 *
 * @example clusterScoreSumSq(state, (i) => 1, resid, ddX).sumSq;
 */
export function clusterScoreSumSq(
  cluster: ArrayLike<unknown>,
  wt: (i: number) => number,
  resid: Float64Array,
  x: Float64Array,
): { sumSq: number; G: number } {
  const f = factorize(cluster);
  const sums = new Float64Array(f.size);
  for (let i = 0; i < resid.length; i++) sums[f.codes[i] as number] += wt(i) * (resid[i] as number) * (x[i] as number);
  return { sumSq: sums.reduce((a, v) => a + v * v, 0), G: f.size };
}
