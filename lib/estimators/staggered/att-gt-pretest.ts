import { ArgumentError } from "../../util/errors";
import { pChi2 } from "../../util/distributions";
import type { AttGtResult } from "./att-gt";

/** Wald pre-test of Callaway & Sant'Anna: χ² statistic, degrees of freedom, p-value. */
export interface AttGtPreTest {
  readonly stat: number;
  readonly df: number;
  readonly p: number;
  /** Why there is no statistic (stat and p NaN), as did returns none: a singular variance. */
  readonly reason?: string;
}

/**
 * Callaway & Sant'Anna's (2021, J. Econometrics 225(2), §4) pre-test of parallel trends, as R's
 * `did::att_gt` prints it: W = n · â' V̂⁻¹ â ~ χ²(q), â the q pre-treatment ATT(g,t) (t < g) and
 * V̂ = Ψ'Ψ / n their influence-function variance (cells with an NA or zero SE left out, as did).
 * A numerically singular V̂ (a Cholesky pivot below 1e-12 of the largest diagonal entry; did: rcond ≤
 * machine epsilon) gives NaN with a `reason`, as did returns no statistic — e.g. more pre-period cells
 * than the few units can identify.
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
  // Cholesky V = LL'; W = n·|L⁻¹a|²
  const q = pre.length;
  const L = V.map((r) => r.map(() => 0));
  const maxDiag = Math.max(...V.map((r, i) => r[i]!));
  for (let j = 0; j < q; j++) {
    let d = V[j]![j]!;
    for (let k = 0; k < j; k++) d -= L[j]![k]! ** 2;
    if (!(d > 1e-12 * maxDiag))
      return Object.freeze({ stat: NaN, df: q, p: NaN, reason: `singular variance of the ${q} pre-treatment ATT(g,t) (n = ${n} units)` });
    L[j]![j] = Math.sqrt(d);
    for (let i = j + 1; i < q; i++) {
      let s = V[i]![j]!;
      for (let k = 0; k < j; k++) s -= L[i]![k]! * L[j]![k]!;
      L[i]![j] = s / L[j]![j]!;
    }
  }
  const z = new Array<number>(q).fill(0);
  for (let i = 0; i < q; i++) {
    let s = gt.cells[pre[i]!]!.att;
    for (let k = 0; k < i; k++) s -= L[i]![k]! * z[k]!;
    z[i] = s / L[i]![i]!;
  }
  const stat = n * z.reduce((s, v) => s + v * v, 0);
  return Object.freeze({ stat, df: q, p: pChi2(stat, q) });
}
