/**
 * Shift-share (Bartik) inference: AKM standard errors and AKM0 intervals (Adão, Kolesár & Morales
 * 2019, QJE) for OLS and 2SLS, and the Borusyak–Hull–Jaravel (2022) shock-level equivalence.
 */
export * from "./types";
export { shareMatrix } from "./share-matrix";
export { shiftSharePartialOut, type ShiftSharePartialOut } from "./partial-out";
export { shockCoefficients, type ShockCoefficients } from "./shock-coefficients";
export { akmSectorTerms } from "./akm-terms";
export { akm0Interval, type Akm0Interval } from "./akm0-interval";
export { shiftShareOls } from "./ols";
export { shiftShareIv } from "./iv";
export { shockLevelIv, type ShockLevelIvResult } from "./shock-level-iv";
export { panelShareMatrix, type BaseShares, type PanelShareMatrix } from "./panel-share-matrix";
