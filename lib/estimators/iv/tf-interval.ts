import { pNormal2 } from "../../util/distributions";
import { tfCriticalValue } from "./tf-critical-value";

/** The tF-adjusted inference on one 2SLS coefficient. */
export interface TfInterval {
  readonly F: number;
  /** tF critical value c(F) replacing 1.96. */
  readonly critical: number;
  /** Adjustment factor c(F)/1.96: the SE inflation that makes the usual ±1.96·SE interval valid. */
  readonly adjustment: number;
  readonly estimate: number;
  readonly se: number;
  readonly t: number;
  readonly lower: number;
  readonly upper: number;
  /** Adjusted p-value 2Φ(−|t|·1.96/c(F)) (as ivDiag reports it); 1 when c = ∞. */
  readonly p: number;
  readonly level: number;
}

/**
 * The tF procedure of Lee, McCrary, Moreira & Porter (2022, AER 112(10), "Valid t-ratio
 * inference for IV") for one endogenous regressor and one instrument: reject β = β₀ at 5 % when
 * |t| > c(F), with c the tF critical-value function of the first-stage F (`tfCriticalValue`);
 * the confidence interval is β̂ ± c(F)·SE. With a robust or clustered SE, F must be the robust
 * (cluster) first-stage F — for one instrument the squared robust t-ratio of the first-stage
 * coefficient, which equals the Montiel Olea–Pflueger effective F.
 *
 *   CI = [β̂ − c(F)·se, β̂ + c(F)·se],  adjustment = c(F)/1.96.
 *
 * @example
 *   const tf = tfInterval({ estimate: 0.5, se: 0.1, F: 10 });
 *   tf.critical; tf.lower; tf.upper;   // 3.436…, 0.156…, 0.843…
 */
export function tfInterval(inp: { estimate: number; se: number; F: number; level?: number }): TfInterval {
  const level = inp.level ?? 0.95;
  const c = tfCriticalValue(inp.F, 1 - level);
  const t = inp.estimate / inp.se;
  const finite = Number.isFinite(c);
  return Object.freeze({
    F: inp.F,
    critical: c,
    adjustment: c / 1.96,
    estimate: inp.estimate,
    se: inp.se,
    t,
    lower: finite ? inp.estimate - c * inp.se : -Infinity,
    upper: finite ? inp.estimate + c * inp.se : Infinity,
    p: finite ? pNormal2((Math.abs(t) * 1.96) / c) : 1,
    level,
  });
}
