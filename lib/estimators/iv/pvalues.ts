import { pChi2 } from "../../util/distributions";

/**
 * Upper-tail χ² p-value, P(χ²_k > x) = Q(k/2, x/2), the regularised upper incomplete gamma
 * function, so that tiny p-values keep their digits (no 1 − cdf cancellation).
 *
 * One implementation: this is lib/util/distributions' `pChi2`, re-exported under the name the
 * IV diagnostics have always used.
 *
 * @example
 *   pChi2Upper(3.841458820694124, 1); // 0.05
 *   pChi2Upper(69.18, 1);             // 8.98e-17 (Sargan, fixest prints the same)
 */
export const pChi2Upper: (x: number, k: number) => number = pChi2;
