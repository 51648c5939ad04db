import { parseVcov, vcovLabel, type VcovSpec, type VcovResult } from "../vcov";
import type { ModelFrame } from "./model-frame";

/** A further variance of the same fit (option `vcovAlso` of `feols` and `iv2sls`). */
export interface AlsoVcov {
  /** The variance's label, as `vcovType` (e.g. "cluster: city"). */
  readonly label: string;
  /** Standard errors by coefficient name. */
  readonly se: Readonly<Record<string, number>>;
  /** Row-major k × k, in `coefNames` order. */
  readonly vcov: readonly (readonly number[])[];
  /** Number of clusters of each cluster variable (clustered variances only). */
  readonly G?: Readonly<Record<string, number>>;
  /** Degrees of freedom of t-based inference with this variance. */
  readonly tDf: number;
}

/** A variance spec from its string or object form. @example toVcovSpec("cluster:city") // { cluster: ["city"] } */
export function toVcovSpec(v: VcovSpec | string): VcovSpec {
  return typeof v === "string" ? parseVcov(v) : v;
}

/**
 * The cluster variables a model frame must carry for several variance specs (the first one's
 * first, then each further name once).
 *
 * @example clusterUnion([{ cluster: ["city^hs4"] }, { cluster: ["city"] }, "iid"])   // ["city^hs4", "city"]
 */
export function clusterUnion(specs: readonly VcovSpec[]): string[] {
  const out: string[] = [];
  for (const s of specs) if (typeof s === "object") for (const c of s.cluster) if (!out.includes(c)) out.push(c);
  return out;
}

/**
 * The model frame as one variance spec sees it: the same sample and arrays, with only that spec's
 * cluster factors, in the spec's order (a frame built for several specs carries the union).
 *
 * @example frameForSpec(frame, { cluster: ["city"] }).clusterNames   // ["city"]
 */
export function frameForSpec(frame: ModelFrame, spec: VcovSpec): ModelFrame {
  const names = typeof spec === "object" ? spec.cluster : [];
  if (names.length === frame.clusterNames.length && names.every((n, q) => frame.clusterNames[q] === n)) return frame;
  return {
    ...frame,
    clusters: names.map((n) => frame.clusters[frame.clusterNames.indexOf(n)] as ModelFrame["clusters"][number]),
    clusterNames: [...names],
  };
}

/**
 * Further variances of a fitted model, computed from the same scores and bread as its own
 * variance (as fixest's `summary(fit, vcov = …)` or `etable(…, vcov = list(…))`): no second
 * demeaning or solve. `compute(spec, frame)` is the estimator's own variance routine.
 *
 * @example
 *   alsoVcovs(names, [{ cluster: ["city"] }], frame, (s, fr) => computeVcov({ ...inputs, clusters: fr.clusters, clusterNames: fr.clusterNames, spec: s }))
 */
export function alsoVcovs(
  names: readonly string[],
  specs: readonly VcovSpec[],
  frame: ModelFrame,
  compute: (spec: VcovSpec, frame: ModelFrame) => Pick<VcovResult, "V"> & { dof: Pick<VcovResult["dof"], "G" | "tDf"> },
): AlsoVcov[] {
  const k = names.length;
  return specs.map((s) => {
    const vc = compute(s, frameForSpec(frame, s));
    const se: Record<string, number> = {};
    const vcov: number[][] = [];
    names.forEach((nm, a) => {
      se[nm] = Math.sqrt(vc.V[a * k + a] as number);
      vcov.push(Array.from({ length: k }, (_, b) => vc.V[a * k + b] as number));
    });
    return { label: vcovLabel(s), se, vcov, ...(vc.dof.G ? { G: { ...vc.dof.G } } : {}), tDf: vc.dof.tDf };
  });
}
