import { ArgumentError, EstimationError } from "../../util/errors";
import { pF } from "../../util/distributions";
import { inv } from "../iv/linalg";
import { wald, type WaldTest } from "../wald";
import type { FeolsResult } from "../feols";
import type { SunAbrahamResult } from "./sun-abraham";

type EventStudyFit = FeolsResult & { readonly eventNames: readonly string[] };

/**
 * Joint pre-trend test H0: every pre-period event-time coefficient is zero, in F form
 * F = b'V⁻¹b / q on (q, n − nparams), b the q lead coefficients and V their variance (fixest's `wald()`).
 * For a TWFE `eventStudy` fit it tests the lead dummies et_m*; for a `sunAbraham` result it tests the
 * aggregated lead coefficients β_e (e < 0) with V = W V(δ) W' (`cells: true`: every cohort × lead
 * interaction δ_{g,e}, which is what fixest's `wald(est, keep = "::-")` does on a sunab model).
 *
 * @example
 *   preTrendTest(eventStudy(t, { y: "resi", unit: "city", time: "year", adoption: "smart_year", window: [-4, 4] })).p;
 *   preTrendTest(sunAbraham(t, spec)).p; preTrendTest(sunAbraham(t, spec), { cells: true }).p;
 */
export function preTrendTest(x: EventStudyFit | SunAbrahamResult, opts: { readonly cells?: boolean } = {}): WaldTest {
  if ("eventNames" in x) {
    const leads = x.eventNames.filter((n) => /^et_m\d+$/.test(n) && x.coefNames.includes(n));
    if (!leads.length) throw new ArgumentError("preTrendTest: the event study has no lead (et_m*) coefficient");
    return wald(x, leads);
  }
  if (opts.cells) {
    const leads = x.cells.filter((c) => c.period < 0).map((c) => c.name);
    if (!leads.length) throw new ArgumentError("preTrendTest: no cohort × lead interaction");
    return wald(x.fit, leads);
  }
  const idx = x.eventTime.map((e, i) => (e.period < 0 ? i : -1)).filter((i) => i >= 0);
  if (!idx.length) throw new ArgumentError("preTrendTest: no pre-period event-time coefficient");
  const b = idx.map((i) => x.eventTime[i]!.estimate);
  const V = idx.map((i) => idx.map((j) => x.vcov[i]![j]!));
  let Vi: number[][];
  try {
    Vi = inv(V);
  } catch {
    throw new EstimationError("preTrendTest: the variance of the lead coefficients is singular");
  }
  const q = idx.length;
  let stat = 0;
  for (let a = 0; a < q; a++) for (let c = 0; c < q; c++) stat += b[a]! * Vi[a]![c]! * b[c]!;
  stat /= q;
  const df2 = x.nobs - x.nparams;
  return Object.freeze({
    stat,
    p: pF(stat, q, df2),
    df1: q,
    df2,
    vcov: x.fit.vcovType,
    restrictions: Object.freeze(idx.map((i) => `beta_e${x.eventTime[i]!.period} = 0`)),
  });
}
