import { EstimationError, ArgumentError } from "../../util/errors";
import { pChi2 } from "../../util/distributions";
import { inv } from "../iv/linalg";
import type { AttGtResult } from "./att-gt";

/** Wald pre-test of Callaway & Sant'Anna: χ² statistic, degrees of freedom, p-value. */
export interface AttGtPreTest {
  readonly stat: number;
  readonly df: number;
  readonly p: number;
}

/**
 * Callaway & Sant'Anna's (2021, J. Econometrics 225(2), §4) pre-test of parallel trends, as R's
 * `did::att_gt` prints it: W = n · â' V̂⁻¹ â ~ χ²(q), â the q pre-treatment ATT(g,t) (t < g) and
 * V̂ = Ψ'Ψ / n their influence-function variance (cells with an NA or zero SE left out, as did).
 *
 * @example
 *   const pre = attGtPreTest(attGt(t, { y: "resi", unit: "city", time: "year", adoption: "smart_year" }));
 *   pre.p;
 */
export function attGtPreTest(gt: AttGtResult): AttGtPreTest {
  const n = gt.n;
  const pre = gt.cells.map((c, k) => (c.time < c.group && Number.isFinite(c.se) && c.se > 1e-7 ? k : -1)).filter((k) => k >= 0);
  if (!pre.length) throw new ArgumentError("attGtPreTest: no pre-treatment group-time ATT to test");
  const V = pre.map((a) =>
    pre.map((b) => {
      const fa = gt.influence[a] as Float64Array,
        fb = gt.influence[b] as Float64Array;
      let s = 0;
      for (let i = 0; i < n; i++) s += (fa[i] as number) * (fb[i] as number);
      return s / n;
    }),
  );
  let Vi: number[][];
  try {
    Vi = inv(V);
  } catch {
    throw new EstimationError("attGtPreTest: the variance of the pre-treatment ATT(g,t) is singular");
  }
  const a = pre.map((k) => gt.cells[k]!.att);
  let w = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a.length; j++) w += a[i]! * Vi[i]![j]! * a[j]!;
  const stat = n * w;
  return Object.freeze({ stat, df: pre.length, p: pChi2(stat, pre.length) });
}
