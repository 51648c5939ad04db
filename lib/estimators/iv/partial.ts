import { freezeColumns, residualize } from "./linalg";
import type { IvDesign } from "./types";

/**
 * Frisch–Waugh–Lovell partialling of the included exogenous regressors out of y, the
 * endogenous regressors and the excluded instruments (ivreg2's `partial()`, ranktest's
 * `partial(inexog)`). Sandwich statistics without small-sample factors and Wald tests on the
 * excluded instruments are numerically invariant to it (FWL).
 *
 * @example
 *   const p = partialOut(design);  // p.y, p.endo, p.inst ⟂ design.exog
 */
export interface Partialled {
  readonly y: Float64Array;
  readonly endo: Float64Array[];
  readonly inst: Float64Array[];
}

const cache = new WeakMap<IvDesign, Partialled>();

export function partialOut(d: IvDesign): Partialled {
  const hit = cache.get(d);
  if (hit) return hit;
  const r = residualize([d.y, ...d.endo, ...d.inst], d.exog).resid;
  freezeColumns(r);
  const out = { y: r[0] as Float64Array, endo: r.slice(1, 1 + d.endo.length), inst: r.slice(1 + d.endo.length) };
  cache.set(d, out);
  return out;
}
