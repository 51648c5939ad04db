import { ArgumentError } from "../../util/errors";
import { shiftSharePartialOut } from "./partial-out";
import type { ShareMatrix, ShiftShareControls } from "./types";

/** The shock-level regression of Borusyak, Hull & Jaravel and the unit-level shift-share IV it reproduces. */
export interface ShockLevelIvResult {
  /** Shock-level IV coefficient: ȳ⊥_s on x̄⊥_s instrumented by g_s, weights s_s, no constant. */
  readonly shockLevel: number;
  /** Unit-level IV coefficient with the shift-share instrument X_i = Σ_s w_is g_s (same controls, weights). */
  readonly unitLevel: number;
  /** Exposure weights s_s = Σ_i e_i w_is (length S). */
  readonly exposure: Float64Array;
  /** Exposure-weighted averages ȳ⊥_s and x̄⊥_s of the residualised outcome and treatment (NaN where s_s = 0). */
  readonly yBar: Float64Array;
  readonly xBar: Float64Array;
  /** Shocks with positive exposure (the shock-level sample). */
  readonly nShocks: number;
}

/**
 * The shock-level equivalence of Borusyak, Hull & Jaravel (2022, ReStud 89(1), "Quasi-experimental
 * shift-share research designs", Prop. 1): the unit-level IV of y on x instrumented by the
 * shift-share X_i = Σ_s w_is g_s (controls and weights e partialled out) equals the IV, at the
 * shock level, of the exposure-weighted averages ȳ⊥_s on x̄⊥_s instrumented by g_s with weights
 * s_s = Σ_i e_i w_is. Returns both coefficients so a caller (or test) can check the identity.
 * With x = X (the shift-share regressor itself) it is the OLS/reduced-form coefficient.
 *
 * Formula: β̂ = Σ_i e_i X_i ÿ_i / Σ_i e_i X_i ẍ_i = Σ_s s_s g_s ȳ⊥_s / Σ_s s_s g_s x̄⊥_s, ȳ⊥_s = Σ_i e_i w_is ÿ_i / s_s.
 *
 * @example
 *   const r = shockLevelIv(y, shock, g, W, { controls, weights }); // r.shockLevel === r.unitLevel (to rounding)
 */
export function shockLevelIv(
  y: Float64Array,
  x: Float64Array,
  g: ArrayLike<number>,
  W: ShareMatrix,
  ctrl: ShiftShareControls = {},
): ShockLevelIvResult {
  const n = y.length;
  const S = W.nSectors;
  if (x.length !== n || W.nRows !== n) throw new ArgumentError("shockLevelIv: y, x and the share matrix differ in rows");
  if (g.length !== S) throw new ArgumentError(`shockLevelIv: ${g.length} shocks for ${S} sectors`);
  const e = ctrl.weights;
  const [ddY, ddX] = shiftSharePartialOut([y, x], ctrl).columns as [Float64Array, Float64Array];
  const exposure = new Float64Array(S);
  const sy = new Float64Array(S);
  const sx = new Float64Array(S);
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const ei = e ? (e[i] as number) : 1;
    let Xi = 0;
    for (let k = W.rowPtr[i] as number; k < (W.rowPtr[i + 1] as number); k++) {
      const s = W.sectors[k] as number;
      const v = ei * (W.values[k] as number);
      exposure[s] += v;
      sy[s] += v * (ddY[i] as number);
      sx[s] += v * (ddX[i] as number);
      Xi += (W.values[k] as number) * (g[s] as number);
    }
    num += ei * Xi * (ddY[i] as number);
    den += ei * Xi * (ddX[i] as number);
  }
  const yBar = new Float64Array(S).fill(NaN);
  const xBar = new Float64Array(S).fill(NaN);
  let sNum = 0;
  let sDen = 0;
  let nShocks = 0;
  for (let s = 0; s < S; s++) {
    const q = exposure[s] as number;
    if (q === 0) continue;
    nShocks++;
    yBar[s] = (sy[s] as number) / q;
    xBar[s] = (sx[s] as number) / q;
    sNum += q * (g[s] as number) * (yBar[s] as number);
    sDen += q * (g[s] as number) * (xBar[s] as number);
  }
  return { shockLevel: sNum / sDen, unitLevel: num / den, exposure, yBar, xBar, nShocks };
}
