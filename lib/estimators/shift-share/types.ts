import type { Factor } from "../../core/fixed-effects/factorize";

/**
 * A sparse N×S share matrix W (rows = regions/units i, columns = sectors/shocks s), stored by
 * row (compressed sparse rows): the shares of row i are `values[rowPtr[i] .. rowPtr[i+1])` in the
 * sectors `sectors[…]` (0-based, < `nSectors`). Built by `shareMatrix`.
 */
export interface ShareMatrix {
  readonly nRows: number;
  readonly nSectors: number;
  readonly rowPtr: Int32Array;
  readonly sectors: Int32Array;
  readonly values: Float64Array;
}

/** Controls, absorbed fixed effects and weights partialled out of every variable (Frisch–Waugh–Lovell). */
export interface ShiftShareControls {
  /** Control columns Z (length N each). */
  readonly controls?: readonly Float64Array[];
  /** Add a constant to the controls (default true; ignored when fixed effects are absorbed, which contain it). */
  readonly intercept?: boolean;
  /** Fixed effects absorbed by `demean` (factor codes, length N each). */
  readonly fixedEffects?: readonly Factor[];
  /** Analytic weights (length N, positive): weighted least squares throughout, as `lm(weights=)`. */
  readonly weights?: Float64Array;
}

/** The shift-share part of a design and the inference options shared by `shiftShareOls` and `shiftShareIv`. */
export interface ShiftShareOptions extends ShiftShareControls {
  /** The shift-share regressor (OLS) or instrument (IV): X_i = Σ_s w_is g_s, length N. */
  readonly x: Float64Array;
  /** The share matrix W (N×S) that built `x`. */
  readonly shares: ShareMatrix;
  /** Cluster of the regions for the region-clustered SE ("Reg. cluster" in ShiftShareSE), length N. */
  readonly regionCluster?: ArrayLike<unknown>;
  /** Cluster of the sectors (ShiftShareSE `sector_cvar`), length S: AKM/AKM0 sum the sector terms within clusters. */
  readonly sectorCluster?: ArrayLike<unknown>;
  /** Null value of the AKM0 test (default 0). */
  readonly beta0?: number;
  /** 1 − confidence level (default 0.05). */
  readonly alpha?: number;
}

/** One inference method: SE, two-sided p-value against beta0, and the (1−alpha) confidence interval. */
export interface ShiftShareInference {
  readonly method: "homoskedastic" | "ehw" | "cluster" | "akm" | "akm0";
  /**
   * Standard error. For AKM0 it is the normalised length (ci length / 2z) as ShiftShareSE prints it,
   * Inf when the AKM0 set is unbounded.
   */
  readonly se: number;
  readonly p: number;
  /**
   * Interval bounds. AKM0 may be the union (−∞, ciHigh] ∪ [ciLow, ∞) — then ciLow > ciHigh,
   * as in ShiftShareSE — or the whole line (−∞, ∞).
   */
  readonly ciLow: number;
  readonly ciHigh: number;
}

/** The result of `shiftShareOls` / `shiftShareIv`. */
export interface ShiftShareResult {
  readonly estimate: number;
  readonly nobs: number;
  /** Rank p of the regression of the outcome on [X, Z, fixed effects] (used by the small-sample factors). */
  readonly rank: number;
  /** Sectors used by AKM after dropping collinear columns of W (and their clusters, if any). */
  readonly nSectors: number;
  readonly droppedSectors: number[];
  readonly inference: readonly ShiftShareInference[];
}
