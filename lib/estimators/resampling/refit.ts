import type { ModelFrame } from "../model-frame";
import type { ParsedFormula } from "../formula";
import { linearCore, type LinearCore } from "../feols";
import { subsetFactor } from "../../core/fixed-effects/factorize";

/**
 * Coefficients of the model re-estimated on a multiset of frame rows (bootstrap samples:
 * repeated rows allowed; subsamples), by the same numerical core as `feols` (`linearCore`:
 * demeaning, pivoted QR). A fixed-effect level drawn twice stays one level (its dummies
 * repeat), as `bootstrap, cluster()` without `idcluster()` in Stata. Returns one value per
 * `names` entry, NaN for a coefficient dropped as collinear in that sample.
 *
 * @example
 *   const b = refitRows(frame, f, Int32Array.of(0, 0, 5, 7), ["x1", "x2"]);
 */
export function refitRows(frame: ModelFrame, f: ParsedFormula, rows: Int32Array, names: readonly string[]): Float64Array {
  const m = rows.length;
  const take = (v: Float64Array) => {
    const o = new Float64Array(m);
    for (let i = 0; i < m; i++) o[i] = v[rows[i] as number] as number;
    return o;
  };
  const sub: ModelFrame = {
    ...frame,
    n: m,
    rows,
    y: take(frame.y),
    X: frame.X.map(take),
    weights: frame.weights ? take(frame.weights) : undefined,
    fixef: frame.fixef.map((g) => subsetFactor(g, rows)),
    clusters: [],
    clusterNames: [],
  };
  const out = new Float64Array(names.length).fill(NaN);
  let core: LinearCore;
  try {
    core = linearCore(sub, sub.y, sub.X, frame.xNames, f.intercept);
  } catch {
    return out;
  }
  const kept = core.names;
  names.forEach((nm, a) => {
    const j = kept.indexOf(nm);
    if (j >= 0) out[a] = core.beta[j] as number;
  });
  return out;
}

/** Row indices of the frame grouped by the levels of a factor: members[g] = rows of level g. */
export function membersOf(codes: Int32Array, size: number): Int32Array[] {
  const counts = new Int32Array(size);
  for (let i = 0; i < codes.length; i++) counts[codes[i] as number]++;
  const out = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(size);
  for (let i = 0; i < codes.length; i++) {
    const g = codes[i] as number;
    (out[g] as Int32Array)[fill[g]++] = i;
  }
  return out;
}

/** Concatenate the rows of the chosen clusters (with repeats). */
export function rowsOfClusters(members: readonly Int32Array[], chosen: ArrayLike<number>): Int32Array {
  let m = 0;
  for (let a = 0; a < chosen.length; a++) m += (members[chosen[a] as number] as Int32Array).length;
  const rows = new Int32Array(m);
  let p = 0;
  for (let a = 0; a < chosen.length; a++) {
    const mem = members[chosen[a] as number] as Int32Array;
    rows.set(mem, p);
    p += mem.length;
  }
  return rows;
}
