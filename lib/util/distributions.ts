/**
 * p-values and critical values from @stdlib (accurate incomplete beta/gamma functions).
 * Upper tails are computed from the complement so that tiny p-values keep their digits.
 */
const tDist = require("@stdlib/stats-base-dists-t") as { cdf(x: number, v: number): number; quantile(p: number, v: number): number };
const fDist = require("@stdlib/stats-base-dists-f") as { cdf(x: number, d1: number, d2: number): number; quantile(p: number, d1: number, d2: number): number };
const chi2 = require("@stdlib/stats-base-dists-chisquare") as { cdf(x: number, k: number): number; quantile(p: number, k: number): number };
const gammainc = require("@stdlib/math-base-special-gammainc") as (x: number, s: number, regularized?: boolean, upper?: boolean) => number;
const normal = require("@stdlib/stats-base-dists-normal") as { cdf(x: number, m: number, s: number): number; quantile(p: number, m: number, s: number): number };

/** Two-sided p-value of a t statistic with `df` degrees of freedom (df = Infinity: normal). */
export function pT2(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  if (!Number.isFinite(df)) return 2 * normal.cdf(-Math.abs(t), 0, 1);
  return 2 * tDist.cdf(-Math.abs(t), df);
}
/** Upper quantile t_{1−α/2, df}. */
export function qT(p: number, df: number): number {
  return Number.isFinite(df) ? tDist.quantile(p, df) : normal.quantile(p, 0, 1);
}
/** Upper-tail p-value of an F statistic. */
export function pF(f: number, d1: number, d2: number): number {
  if (!(f >= 0)) return NaN;
  if (!Number.isFinite(d2)) return pChi2(f * d1, d1);
  // P(F > f) = P(F(d2, d1) < 1/f)
  return f === 0 ? 1 : fDist.cdf(1 / f, d2, d1);
}
/** Upper-tail p-value of a chi-square statistic: Q(k/2, x/2), the regularised upper incomplete gamma (keeps tiny p-values). */
export function pChi2(x: number, k: number): number {
  if (!(x >= 0) || !(k > 0)) return NaN;
  return gammainc(x / 2, k / 2, true, true);
}
export function qChi2(p: number, k: number): number {
  return chi2.quantile(p, k);
}
export function pNormal2(z: number): number {
  return 2 * normal.cdf(-Math.abs(z), 0, 1);
}
export function qNormal(p: number): number {
  return normal.quantile(p, 0, 1);
}
