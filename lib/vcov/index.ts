import type { Factor } from "../core/fixed-effects/factorize";
import { interact } from "../core/fixed-effects/factorize";
import { meatClusterXe, meatHetero, meatMultiway, psdFix, sandwich, scoresMatrix } from "./sandwich";
import { type DofAudit, type SscPreset, isNested, mobilityGroups } from "./ssc";
import { ArgumentError } from "../util/errors";

export * from "./sandwich";
export * from "./ssc";

/** "iid", "hetero" (HC1), or clustering on one or more variables (each may be "a^b"). */
export type VcovSpec = "iid" | "hetero" | { readonly cluster: readonly string[] };

/**
 * Parse a vcov spec: "iid" | "standard", "hetero" | "HC1" | "robust" | "white", or
 * "cluster:a[+b…]" (each may be an interaction a^b). Throws an ArgumentError otherwise.
 *
 * @example parseVcov("cluster:city^hs4+year") // { cluster: ["city^hs4", "year"] }
 */
export function parseVcov(s: string): VcovSpec {
  const t = s.trim();
  if (t === "iid" || t === "standard") return "iid";
  if (t === "hetero" || t === "HC1" || t === "hc1" || t === "robust" || t === "white") return "hetero";
  const m = /^cluster:(.+)$/.exec(t);
  if (m)
    return {
      cluster: (m[1] as string)
        .split("+")
        .map((v) => v.trim())
        .filter(Boolean),
    };
  throw new ArgumentError(`unknown vcov "${s}" (use iid, hetero, or cluster:VAR[+VAR2], e.g. cluster:city^hs4)`);
}

/**
 * The human label of a vcov spec, as fixest prints it.
 *
 * @example vcovLabel({ cluster: ["a", "b"] }) // "2-way clustered (a & b)"
 */
export function vcovLabel(v: VcovSpec): string {
  if (v === "iid") return "IID";
  if (v === "hetero") return "Heteroskedasticity-robust";
  return v.cluster.length === 1 ? `Clustered (${v.cluster[0]})` : `${v.cluster.length}-way clustered (${v.cluster.join(" & ")})`;
}

/** Everything `computeVcov` needs: the scaled design, residuals, bread, fixed effects, clusters, spec and preset. */
export interface VcovInput {
  /** Demeaned, √w-scaled regressors (kept columns only). */
  readonly X: readonly Float64Array[];
  /** √w-scaled residuals. */
  readonly e: Float64Array;
  /** (X'WX)^{-1}, row-major. */
  readonly bread: Float64Array;
  readonly rss: number;
  readonly n: number;
  readonly kCoef: number;
  readonly fixef: readonly Factor[];
  readonly fixefNames: readonly string[];
  readonly clusters: readonly Factor[];
  readonly clusterNames: readonly string[];
  readonly spec: VcovSpec;
  readonly preset: SscPreset;
}

/** A variance matrix with its label and degrees-of-freedom audit. */
export interface VcovResult {
  readonly V: Float64Array;
  readonly dof: DofAudit;
  readonly label: string;
  /** True when a multiway vcov had negative eigenvalues set to zero (CGM 2011). */
  readonly psdFixed: boolean;
}

/**
 * The parameter count K of a preset's small-sample factor (N − K), with the fixed-effect
 * levels, the fixed effects nested in a cluster variable (counted 0) and the redundant levels:
 * fixest counts Σ(G_q − 1) + 1, reghdfe the first FE fully, the second minus its mobility
 * groups with the first, further ones minus 1 (Correia 2016, reghdfe; Abowd, Creecy & Kramarz
 * 2002 for the connected sets).
 *
 * @example vcovDof({ n, kCoef: 10, fixef, fixefNames, clusters, spec, preset: "reghdfe" }).K
 */
export function vcovDof(inp: Pick<VcovInput, "n" | "kCoef" | "fixef" | "fixefNames" | "clusters" | "spec" | "preset">): {
  K: number;
  redundant: number;
  nestedFe: string[];
  feLevels: Record<string, number>;
} {
  const { kCoef, fixef, fixefNames, clusters, spec, preset } = inp;
  const feLevels: Record<string, number> = {};
  fixef.forEach((f, q) => (feLevels[fixefNames[q] as string] = f.size));
  const clustered = typeof spec === "object";
  const nestedMask = fixef.map((f) => clustered && clusters.some((c) => isNested(f, c)));
  const nestedFe = fixefNames.filter((_, q) => nestedMask[q]);
  let K: number;
  let redundant = 0;
  const Q = fixef.length;
  if (Q === 0) K = kCoef;
  else if (preset === "fixest") {
    redundant = Q - 1;
    K = kCoef + fixef.reduce((s, f) => s + f.size - 1, 0) + 1;
    if (nestedMask.every(Boolean)) K = kCoef + 1;
    else K -= fixef.reduce((s, f, q) => s + (nestedMask[q] ? f.size - 1 : 0), 0);
  } else {
    // reghdfe: nested FE count 0; first non-nested FE counts all its levels (it absorbs the
    // intercept); the second loses as many levels as there are mobility groups with the first;
    // further FE lose one each.
    const active = fixef.map((f, q) => ({ f, q })).filter((o) => !nestedMask[o.q]);
    let absorbed = 0;
    active.forEach((o, idx) => {
      if (idx === 0) absorbed += o.f.size;
      else if (idx === 1) {
        const m = mobilityGroups((active[0] as { f: Factor }).f, o.f);
        absorbed += o.f.size - m;
        redundant += m;
      } else {
        absorbed += o.f.size - 1;
        redundant += 1;
      }
    });
    K = kCoef + (active.length === 0 ? 1 : absorbed);
  }
  return { K, redundant, nestedFe, feLevels };
}

/**
 * The variance matrix with the preset's small-sample factors and its degrees-of-freedom audit
 * (fixest's `ssc(adj = TRUE, cluster.adj = TRUE)` conventions, see lib/vcov/ssc.ts):
 *
 *   iid:     V = RSS/(n − K) · B
 *   hetero:  V = n/(n − K) · B (Σ s_i s_i') B                              (HC1; White 1980)
 *   cluster: V = (n − 1)/(n − K) · G/(G − 1) · B M B, G = min_j G_j         (Liang & Zeger 1986;
 *            M multiway by inclusion–exclusion, Cameron, Gelbach & Miller 2011, with the
 *            eigenvalue fix when a variance is negative)
 *
 * with B = (X'WX)⁻¹ and K from `vcovDof`. t df: n − K, or G_min − 1 when clustered.
 *
 * @example
 *   const vc = computeVcov({ X, e, bread, rss, n, kCoef, fixef: [], fixefNames: [], clusters: [city], clusterNames: ["city"], spec: { cluster: ["city"] }, preset: "fixest" });
 *   vc.V; vc.dof.tDf;
 */
export function computeVcov(inp: VcovInput): VcovResult {
  const { n, kCoef, clusters, clusterNames, spec } = inp;
  const k = inp.X.length;
  const { K, redundant, nestedFe, feLevels } = vcovDof(inp);
  const ssAdj = (n - 1) / (n - K);
  let V: Float64Array;
  let clusterAdj = 1;
  let tDf = n - K;
  let G: Record<string, number> | undefined;
  let psdFixed = false;
  if (spec === "iid") {
    const sigma2 = inp.rss / (n - K);
    V = inp.bread.map((b) => b * sigma2);
  } else {
    // one-way clustering: cluster sums of x_i e_i accumulated directly (no N×k score matrix)
    const S = spec !== "hetero" && clusters.length === 1 ? null : scoresMatrix(inp.X, inp.e);
    if (spec === "hetero") {
      clusterAdj = n / (n - 1);
      V = sandwich(inp.bread, meatHetero(S as Float64Array[]), k).map((v) => v * ssAdj * clusterAdj);
    } else {
      if (clusters.length === 0) throw new ArgumentError(`cluster vcov requested but no cluster variable given`);
      const meat =
        S === null
          ? meatClusterXe(inp.X, inp.e, clusters[0] as Factor)
          : meatMultiway(S, clusters, (fs) => fs.reduce((a, b) => interact(a, b)));
      const Gmin = Math.min(...clusters.map((c) => c.size));
      G = {};
      clusters.forEach((c, q) => ((G as Record<string, number>)[clusterNames[q] as string] = c.size));
      clusterAdj = Gmin / (Gmin - 1);
      V = sandwich(inp.bread, meat, k).map((v) => v * ssAdj * clusterAdj);
      tDf = Math.max(Gmin - 1, 1);
      if (clusters.length > 1) {
        const fx = psdFix(V, k);
        V = fx.V;
        psdFixed = fx.fixed;
      }
    }
  }
  return {
    V,
    label: vcovLabel(spec),
    psdFixed,
    dof: { n, kCoef, feLevels, nestedFe, redundant, K, G, tDf, ssAdj, clusterAdj },
  };
}
