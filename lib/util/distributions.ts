/**
 * p-values and critical values from @stdlib (accurate incomplete beta/gamma functions).
 * Upper tails are computed from the complement so that tiny p-values keep their digits.
 */
// the single-function packages, not the distribution namespaces (which bundle every
// property of the distribution: 1.3 MB that each start of the CLI would parse)
const tDist = {
  cdf: require("@stdlib/stats-base-dists-t-cdf") as (x: number, v: number) => number,
  quantile: require("@stdlib/stats-base-dists-t-quantile") as (p: number, v: number) => number,
};
const fDist = {
  cdf: require("@stdlib/stats-base-dists-f-cdf") as (x: number, d1: number, d2: number) => number,
  quantile: require("@stdlib/stats-base-dists-f-quantile") as (p: number, d1: number, d2: number) => number,
};
const chi2 = {
  cdf: require("@stdlib/stats-base-dists-chisquare-cdf") as (x: number, k: number) => number,
  quantile: require("@stdlib/stats-base-dists-chisquare-quantile") as (p: number, k: number) => number,
};
const gammainc = require("@stdlib/math-base-special-gammainc") as (x: number, s: number, regularized?: boolean, upper?: boolean) => number;
const normal = {
  cdf: require("@stdlib/stats-base-dists-normal-cdf") as (x: number, m: number, s: number) => number,
  quantile: require("@stdlib/stats-base-dists-normal-quantile") as (p: number, m: number, s: number) => number,
};

/** Two-sided p-value 2·P(T_df > |t|) of a t statistic (df = Infinity: normal). @example pT2(2.228138851986, 10) // 0.05 */
export function pT2(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  if (!Number.isFinite(df)) return 2 * normal.cdf(-Math.abs(t), 0, 1);
  return 2 * tDist.cdf(-Math.abs(t), df);
}
/** Quantile of Student's t with df degrees of freedom (df = Infinity: normal); e.g. qT(0.975, df) is the two-sided 95% critical value. @example qT(0.975, 10) // 2.228138851986 */
export function qT(p: number, df: number): number {
  return Number.isFinite(df) ? tDist.quantile(p, df) : normal.quantile(p, 0, 1);
}
/** Upper-tail p-value P(F(d1, d2) > f), computed as P(F(d2, d1) < 1/f) so tiny p-values keep their digits (d2 = Infinity: χ²_{d1}/d1). @example pF(4.964602743730711, 1, 10) // 0.05 */
export function pF(f: number, d1: number, d2: number): number {
  if (!(f >= 0)) return NaN;
  if (!Number.isFinite(d2)) return pChi2(f * d1, d1);
  // P(F > f) = P(F(d2, d1) < 1/f)
  return f === 0 ? 1 : fDist.cdf(1 / f, d2, d1);
}
/** Upper-tail p-value of a chi-square statistic: Q(k/2, x/2), the regularised upper incomplete gamma (keeps tiny p-values). @example pChi2(3.841458820694124, 1) // 0.05 */
export function pChi2(x: number, k: number): number {
  if (!(x >= 0) || !(k > 0)) return NaN;
  return gammainc(x / 2, k / 2, true, true);
}
/** Quantile of χ²_k: the x with P(χ²_k ≤ x) = p. @example qChi2(0.95, 1) // 3.841458820694124 */
export function qChi2(p: number, k: number): number {
  return chi2.quantile(p, k);
}
/** Two-sided normal p-value 2Φ(−|z|). @example pNormal2(1.959963984540054) // 0.05 */
export function pNormal2(z: number): number {
  return 2 * normal.cdf(-Math.abs(z), 0, 1);
}
/** Standard normal quantile Φ⁻¹(p). @example qNormal(0.975) // 1.959963984540054 */
export function qNormal(p: number): number {
  return normal.quantile(p, 0, 1);
}
