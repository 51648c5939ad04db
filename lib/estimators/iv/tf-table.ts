/**
 * The tF critical-value function of Lee, McCrary, Moreira & Porter (2022, AER 112(10),
 * "Valid t-ratio inference for IV", Table 3 / online appendix), 5 % two-sided level: c₀.₀₅(F)
 * tabulated on √F = 2.0, 2.1, …, 10.3 (F = 4.00 … 106.09); c = 1.96 for F ≥ 104.67 (the
 * paper's abstract: "a true 5 percent test instead requires an F greater than 104.7"; "maintaining
 * 10 as a threshold requires replacing the critical value 1.96 with 3.43").
 *
 * Source of the numbers: the table as transcribed in the R package ivDiag (Lal, Lockhart, Xu &
 * Zu, `tF()`, file R/tF.R of github.com/apoorvalal/ivDiag), compared here with the two values
 * the paper states in its abstract (F = 104.7 → 1.96; F = 10 → 3.43); the AER table itself was
 * not available to this project, so the 1 % and 10 % columns are not included.
 */
export const TF_SQRT_F_GRID_START = 2;
export const TF_SQRT_F_GRID_STEP = 0.1;
/** c₀.₀₅ at √F = 2.0 + 0.1·i, i = 0 … 83. */
export const TF_CRITICAL_05: readonly number[] = Object.freeze([
  18.66, 9.74, 7.37, 6.18, 5.43, 4.92, 4.54, 4.25, 4.01, 3.82, 3.65, 3.51, 3.39, 3.29, 3.19, 3.11, 3.03, 2.97, 2.91, 2.85, 2.8, 2.75, 2.71,
  2.67, 2.63, 2.6, 2.57, 2.54, 2.51, 2.48, 2.46, 2.43, 2.41, 2.39, 2.37, 2.35, 2.33, 2.32, 2.3, 2.29, 2.27, 2.26, 2.24, 2.23, 2.22, 2.21,
  2.2, 2.19, 2.17, 2.16, 2.16, 2.15, 2.14, 2.13, 2.12, 2.11, 2.1, 2.1, 2.09, 2.08, 2.08, 2.07, 2.06, 2.06, 2.05, 2.04, 2.04, 2.03, 2.03,
  2.02, 2.02, 2.01, 2.01, 2.0, 2.0, 1.99, 1.99, 1.99, 1.98, 1.98, 1.97, 1.97, 1.97, 1.96,
]);
/** F above which the tF critical value is 1.96 (LMMP 2022). */
export const TF_F_THRESHOLD_05 = 104.67;
export const TF_SOURCE =
  "Lee, McCrary, Moreira & Porter (2022, AER 112(10)), tF critical values at 5 %, √F grid 2.0(0.1)10.3, as transcribed in R ivDiag::tF";
