import type { Factor } from "../../core/fixed-effects/factorize";
import type { Vce } from "./ssc";

/**
 * Shared shapes of the IV diagnostics. Every statistic is either computed or
 * `{ kind: "invalid", reason }` saying why it cannot be (never a silent NaN).
 */
export interface Invalid {
  readonly kind: "invalid";
  readonly reason: string;
}
export interface Chi2Stat {
  readonly kind: "chi2";
  readonly stat: number;
  readonly df: number;
  readonly p: number;
}
export interface FStat {
  readonly kind: "F";
  readonly stat: number;
  readonly df1: number;
  readonly df2: number;
  readonly p: number;
}

/**
 * A statistic that cannot be computed, with the reason (frozen).
 *
 * @example invalid("exactly identified") // { kind: "invalid", reason: "exactly identified" }
 */
export function invalid(reason: string): Invalid {
  return Object.freeze({ kind: "invalid", reason });
}
/**
 * Type guard: is this result an `Invalid`?
 *
 * @example if (isInvalid(j)) console.log(j.reason); else console.log(j.stat);
 */
export function isInvalid(x: unknown): x is Invalid {
  return typeof x === "object" && x !== null && (x as { kind?: string }).kind === "invalid";
}

/**
 * The estimation sample of a 2SLS model, after absorbing the fixed effects and scaling by √w
 * (so that every cross-product below is the weighted one): what the diagnostics need.
 *
 * - `exog` includes the intercept column when there are no fixed effects;
 * - `sdofminus` is ivreghdfe's small-sample count of absorbed parameters (reghdfe's count of
 *   fixed-effect levels, fixed effects nested in a cluster variable counting 0, at least 1);
 *   0 without fixed effects (the intercept is then a column of `exog`);
 * - `feDofFixest` is fixest's count Σ(G_q − 1) + 1 (0 without fixed effects).
 */
export interface IvDesign {
  readonly n: number;
  readonly y: Float64Array;
  readonly endo: readonly Float64Array[];
  readonly endoNames: readonly string[];
  readonly exog: readonly Float64Array[];
  readonly exogNames: readonly string[];
  readonly inst: readonly Float64Array[];
  readonly instNames: readonly string[];
  readonly vce: Vce;
  readonly sdofminus: number;
  readonly feDofFixest: number;
  readonly fixef: readonly Factor[];
}
