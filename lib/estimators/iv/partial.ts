import { freezeColumns, residualize } from "./linalg";
import type { IvDesign } from "./types";

/** y, endogenous regressors and excluded instruments with the included exogenous regressors partialled out. */
export interface Partialled {
  readonly y: Float64Array;
  readonly endo: Float64Array[];
  readonly inst: Float64Array[];
}

const cache = new WeakMap<IvDesign, Partialled>();

/**
 * Frisch–Waugh–Lovell partialling (Frisch & Waugh 1933, Econometrica 1; Lovell 1963, JASA 58)
 * of the included exogenous regressors X2 out of y, the endogenous regressors and the excluded
 * instruments: v ↦ v − X2(X2'X2)⁻¹X2'v (ivreg2's `partial()`, ranktest's `partial(inexog)`).
 * Cached per design. Sandwich statistics without small-sample factors and Wald tests on the
 * excluded instruments are numerically invariant to it (FWL).
 *
 * @example
 *   const p = partialOut(design);  // p.y, p.endo, p.inst ⟂ design.exog
 */
export function partialOut(d: IvDesign): Partialled {
  const hit = cache.get(d);
  if (hit) return hit;
  const r = residualize([d.y, ...d.endo, ...d.inst], d.exog).resid;
  freezeColumns(r);
  const out = { y: r[0] as Float64Array, endo: r.slice(1, 1 + d.endo.length), inst: r.slice(1 + d.endo.length) };
  cache.set(d, out);
  return out;
}
