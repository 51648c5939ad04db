import { TF_CRITICAL_05, TF_F_THRESHOLD_05, TF_SQRT_F_GRID_START, TF_SQRT_F_GRID_STEP } from "./tf-table";

/**
 * The tF critical value c₀.₀₅(F) of Lee, McCrary, Moreira & Porter (2022, AER 112(10)) for
 * the 2SLS t-ratio with one endogenous regressor and one instrument, given the first-stage F:
 * linear interpolation in √F between the tabulated points (√F = 2.0, 2.1, …, 10.3), as
 * ivDiag::tF interpolates; c = 1.96 for F ≥ 104.67 and c = Infinity for F < 4. The paper's c(F)
 * is finite for F > 3.84 but rises without bound as F → 3.84 and the table starts at F = 4, so
 * for 3.84 < F < 4 the interval is reported as the whole line (conservative).
 * Only the 5 % level is tabulated here (see ./tf-table for the source); other levels throw.
 *
 *   c(F) = c_i + (√F − s_i)/(s_{i+1} − s_i)·(c_{i+1} − c_i),  s_i ≤ √F < s_{i+1}.
 *
 * @example tfCriticalValue(10)      // ≈ 3.436 (the paper: 3.43)
 * @example tfCriticalValue(104.7)   // 1.96
 */
export function tfCriticalValue(F: number, level = 0.05): number {
  if (Math.abs(level - 0.05) > 1e-12) throw new RangeError(`tF critical values are tabulated here for the 5 % level only (asked ${level})`);
  if (!(F >= 0)) return NaN;
  if (F >= TF_F_THRESHOLD_05) return 1.96;
  const s = Math.sqrt(F);
  if (s < TF_SQRT_F_GRID_START) return Infinity;
  const pos = (s - TF_SQRT_F_GRID_START) / TF_SQRT_F_GRID_STEP;
  const i = Math.min(Math.floor(pos + 1e-12), TF_CRITICAL_05.length - 2);
  const w = Math.min(Math.max(pos - i, 0), 1);
  const c0 = TF_CRITICAL_05[i] as number,
    c1 = TF_CRITICAL_05[i + 1] as number;
  return c0 + w * (c1 - c0);
}
