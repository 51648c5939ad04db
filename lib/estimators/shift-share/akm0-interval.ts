import { qNormal } from "../../util/distributions";

/** The AKM0 confidence set: an interval, the union of two half-lines (ciLow > ciHigh), or the real line. */
export interface Akm0Interval {
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Normalised SE: half-length / z_{1−α/2} (Inf when the set is unbounded). */
  readonly se: number;
  readonly shape: "interval" | "two-half-lines" | "real-line";
}

/**
 * The AKM0 confidence set of Adão, Kolesár & Morales (2019, QJE, Remark 6 step iv): the β0 not
 * rejected by the null-imposed AKM test, solved in closed form as a quadratic inequality, as in
 * ShiftShareSE. Inputs are the estimate β̂, the denominator RX (Σ w Ẍ² for OLS, Σ w Ÿ₂Ẍ for IV),
 * the sector terms cR = c(ε̂) and cW = c(Ẍ) (OLS) or c(Ÿ₂) (IV) from `akmSectorTerms`.
 *
 * Formula: Q = RX²/z² − Σc_W²; mid = β̂ − Σc_R c_W/Q; disc = (Σc_R c_W/Q)² + Σc_R²/Q; CI = mid ± √disc when Q > 0.
 *
 * @example
 *   akm0Interval(0.631, RX, cR, cW, 0.05); // { ciLow: 0.5376, ciHigh: 0.8383, shape: "interval", … }
 */
export function akm0Interval(beta: number, RX: number, cR: Float64Array, cW: Float64Array, alpha = 0.05): Akm0Interval {
  const cv = qNormal(1 - alpha / 2);
  let sRR = 0;
  let sRW = 0;
  let sWW = 0;
  for (let k = 0; k < cR.length; k++) {
    const r = cR[k] as number;
    const w = cW[k] as number;
    sRR += r * r;
    sRW += r * w;
    sWW += w * w;
  }
  const Q = (RX * RX) / (cv * cv) - sWW;
  const Q2 = sRW / Q;
  const mid = beta - Q2;
  const dis = Q2 * Q2 + sRR / Q;
  if (Q > 0) return { ciLow: mid - Math.sqrt(dis), ciHigh: mid + Math.sqrt(dis), se: Math.sqrt(dis) / cv, shape: "interval" };
  if (dis > 0) return { ciLow: mid + Math.sqrt(dis), ciHigh: mid - Math.sqrt(dis), se: Infinity, shape: "two-half-lines" };
  return { ciLow: -Infinity, ciHigh: Infinity, se: Infinity, shape: "real-line" };
}
