/**
 * Upper-tail χ² p-value from the regularised upper incomplete gamma function Q(k/2, x/2)
 * (@stdlib `gammainc(x, s, regularized, upper)`), so that tiny p-values keep their digits
 * (lib/util/distributions' `pChi2` computes 1 − cdf, which floors at ~1e-16).
 *
 * Suggested upstream change: compute `pChi2` this way in lib/util/distributions.ts.
 *
 * @example
 *   pChi2Upper(69.18, 1); // 8.98e-17 (Sargan, fixest prints the same)
 */
/* eslint-disable @typescript-eslint/no-var-requires */
const gammainc = require("@stdlib/math-base-special-gammainc") as (x: number, s: number, regularized?: boolean, upper?: boolean) => number;

export function pChi2Upper(x: number, k: number): number {
  if (!(x >= 0) || !(k > 0)) return NaN;
  return gammainc(x / 2, k / 2, true, true);
}
