import { computeVcov, type VcovInput, type VcovResult, type SscPreset, meatCluster, meatHetero, meatMultiway } from "../../vcov";
import { interact, type Factor } from "../../core/fixed-effects/factorize";
import type { Mat } from "./linalg";

/** OLS presets plus `ivreghdfe` (ivreg2 without `small`). */
export type IvSscPreset = SscPreset | "ivreghdfe";

/**
 * Small-sample presets for IV, wrapping `computeVcov` (lib/vcov) with a third preset:
 *
 * - `fixest`, `reghdfe`: exactly as for OLS (lib/vcov/ssc.ts), applied to the second-stage
 *   sandwich (scores = fitted regressors × structural residuals, bread = (X̂'X̂)^{-1}).
 * - `ivreghdfe`: ivreghdfe/ivreg2 *without* the `small` option (their default): no
 *   small-sample factor at all — iid σ² = RSS/N, robust = HC0, cluster = Σ_g u_g u_g' without
 *   G/(G−1) — and z (normal) inference (tDf = ∞). Baum, Schaffer & Stillman (2007, §2.3).
 *   The degrees-of-freedom audit keeps reghdfe's count of absorbed levels, which ivreghdfe
 *   uses as `sdofminus` in its F statistics.
 *
 * Suggested upstream change: add "ivreghdfe" to `SscPreset` in lib/vcov/ssc.ts.
 *
 * @example
 *   const vc = ivVcov({ ...input, preset: "ivreghdfe" });
 *   vc.V; vc.dof.tDf; // Infinity
 */
export function ivVcov(inp: Omit<VcovInput, "preset"> & { readonly preset: IvSscPreset }): VcovResult {
  if (inp.preset !== "ivreghdfe") return computeVcov(inp as VcovInput);
  const base = computeVcov({ ...inp, preset: "reghdfe" });
  const { n, K } = base.dof;
  const factor = inp.spec === "iid" ? (n - K) / n : 1 / (base.dof.ssAdj * base.dof.clusterAdj);
  return {
    ...base,
    V: base.V.map((v) => v * factor),
    dof: { ...base.dof, ssAdj: 1, clusterAdj: 1, tDf: Infinity },
  };
}

/** Variance-estimator kind for the diagnostics (ivreg2's `robust` / `cluster()` / none). */
export interface Vce {
  readonly kind: "iid" | "hetero" | "cluster";
  readonly clusters: readonly Factor[];
}

/** Number of clusters used in small-sample factors: the smallest G over cluster variables (ivreg2: min(N_clust1, N_clust2)). */
export function nClusters(vce: Vce): number {
  return vce.kind === "cluster" ? Math.min(...vce.clusters.map((c) => c.size)) : NaN;
}

/**
 * Unnormalised "meat" Σ_g (Σ_{i∈g} s_i)(Σ_{i∈g} s_i)' of score columns (hetero: g = i;
 * multiway: Cameron–Gelbach–Miller inclusion–exclusion, as ivreg2's m_omega for two-way).
 */
export function meatOf(S: readonly Float64Array[], vce: Vce): Mat {
  const k = S.length;
  let M: Float64Array;
  if (vce.kind === "hetero") M = meatHetero(S);
  else if (vce.kind === "cluster") {
    M =
      vce.clusters.length === 1
        ? meatCluster(S, vce.clusters[0] as Factor)
        : meatMultiway(S, vce.clusters, (fs) => fs.reduce((a, b) => interact(a, b)));
  } else throw new Error("meatOf: iid has no meat");
  return Array.from({ length: k }, (_, i) => Array.from(M.subarray(i * k, (i + 1) * k)));
}
