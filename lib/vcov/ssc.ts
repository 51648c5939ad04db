import type { Factor } from "../core/fixed-effects/factorize";

/**
 * Small-sample corrections, named after the tools people compare with.
 *
 * `fixest` (default; fixest ≥ 0.10 `ssc(adj = TRUE, fixef.K = "nested", cluster.adj = TRUE,
 * cluster.df = "min", t.df = "min")`):
 * - K = #coefficients + Σ_q (G_q − 1) + 1 with fixed effects (one redundancy assumed per
 *   extra fixed effect), minus the levels of fixed effects nested in a cluster variable
 *   (K −= Σ_nested (G_q − 1); all nested → K = #coefficients + 1);
 * - every vcov × (n − 1)/(n − K); hetero additionally × n/(n − 1) (= HC1);
 * - clustered × G/(G − 1), G = the smallest number of clusters (multiway);
 * - t df: G_min − 1 when clustered, else n − K.
 *
 * `reghdfe` (Correia 2016): the same factors, but the absorbed degrees of freedom are
 * counted exactly for the first two fixed effects (redundant levels = number of connected
 * components of the bipartite graph of their levels, the "mobility groups"), fixed effects
 * nested in a cluster variable count zero levels, and each further fixed effect is assumed
 * to have one redundant level.
 */
export type SscPreset = "fixest" | "reghdfe";

/** The numbers behind a vcov's small-sample factors (n, K, FE levels, clusters, t df). */
export interface DofAudit {
  readonly n: number;
  /** Estimated slope coefficients (after collinear drops), incl. an explicit intercept. */
  readonly kCoef: number;
  /** Fixed-effect levels per FE. */
  readonly feLevels: Record<string, number>;
  /** FE whose levels are nested in a cluster variable (not counted). */
  readonly nestedFe: string[];
  /** Redundant FE levels assumed (fixest) or computed (reghdfe). */
  readonly redundant: number;
  /** Total parameter count K used in (n − 1)/(n − K). */
  readonly K: number;
  /** Clusters per cluster variable. */
  readonly G?: Record<string, number>;
  readonly tDf: number;
  readonly ssAdj: number;
  readonly clusterAdj: number;
}

/** Is every level of `fe` inside a single level of `cl`? */
export function isNested(fe: Factor, cl: Factor): boolean {
  const owner = new Int32Array(fe.size).fill(-1);
  const a = fe.codes,
    b = cl.codes;
  for (let i = 0; i < a.length; i++) {
    const g = a[i] as number;
    const o = owner[g] as number;
    if (o === -1) owner[g] = b[i] as number;
    else if (o !== b[i]) return false;
  }
  return true;
}

/** Connected components of the bipartite graph linking levels of f1 and f2 (union–find). */
export function mobilityGroups(f1: Factor, f2: Factor): number {
  const parent = new Int32Array(f1.size + f2.size);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x] as number] as number;
      x = parent[x] as number;
    }
    return x;
  };
  for (let i = 0; i < f1.codes.length; i++) {
    const a = find(f1.codes[i] as number),
      b = find(f1.size + (f2.codes[i] as number));
    if (a !== b) parent[a] = b;
  }
  let c = 0;
  for (let i = 0; i < parent.length; i++) if (find(i) === i) c++;
  return c;
}
