import { type Invalid, invalid } from "./types";

/** The Cragg–Donald eigenvalue statistic and its F in the ivreg2 and fixest conventions. */
export interface CraggDonald {
  readonly kind: "cd";
  /** ρ²/(1 − ρ²) for the smallest canonical correlation ρ. */
  readonly eigen: number;
  /** ivreg2/ivreghdfe's Cragg–Donald Wald F. */
  readonly ivreg2: number;
  /** fixest 0.12.2's Cragg–Donald statistic. */
  readonly fixest: number;
}

/**
 * Cragg & Donald (1993, Econometric Theory 9) minimum-eigenvalue statistic from the smallest canonical correlation
 * ρ_K of the (partialled) endogenous regressors and excluded instruments: cd = ρ²/(1 − ρ²),
 * as an F in two conventions that differ only in the degrees of freedom:
 *
 * - ivreg2/ivreghdfe (`cdf`): cd · (N − L − sdofminus) / L1, L = all instruments (excluded +
 *   included exogenous, incl. the constant), sdofminus = absorbed fixed-effect parameters
 *   (Baum, Schaffer & Stillman 2007, §7.1);
 * - fixest (`fitstat(, "cd")`, 0.12.2 `cd_stat`): cd · (N − K1 − L1 − 1) / L1 — it ignores the
 *   included exogenous regressors and the fixed effects.
 *
 * @example
 *   craggDonald(kp.ccorr, { n: 2990, L: 2, L1: 1, K1: 1, sdofminus: 81 });
 */
export function craggDonald(
  ccorr: readonly number[],
  d: { n: number; L: number; L1: number; K1: number; sdofminus: number },
): CraggDonald | Invalid {
  if (!ccorr.length) return invalid("no canonical correlations");
  const r = ccorr[ccorr.length - 1] as number;
  const eigen = (r * r) / (1 - r * r);
  if (!Number.isFinite(eigen)) return invalid("smallest canonical correlation equals 1 (collinear instruments and regressors)");
  return Object.freeze({
    kind: "cd",
    eigen,
    ivreg2: (eigen * (d.n - d.L - d.sdofminus)) / d.L1,
    fixest: (eigen * (d.n - d.K1 - d.L1 - 1)) / d.L1,
  });
}
