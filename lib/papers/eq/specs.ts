import { EQ_CONTROLS } from "./panel";

/**
 * The EQ specifications, named once: every regression of the EQ notebooks is
 *
 *   lhs ~ rhs + fdi + open + fisc + dlp + sci + edu + wage + gdp + fixinv | fixed effects [| iv],
 *
 * the control list `EQ_CONTROLS` of EQ (1) (Table 1). Notebooks write `eqFormula(...)` instead
 * of typing the controls.
 */

/** The fixed effects of the baseline EQ (1): city, year and HS4 (Table 2 col. 4). */
export const EQ_FE = "city + year + hs4";

/**
 * `lhs ~ rhs + controls | fe`, or `lhs ~ controls | fe | iv` for 2SLS (give `rhs` as `""`).
 *
 * @example
 *   eqFormula("quality", "vagg", "city + year")                    // Table 2 col. 2
 *   eqFormula("quality", "", EQ_FE, "vagg ~ tel_iv")                 // Table 3 col. 5
 *   eqFormula("quality", "vagg + vagg:east", EQ_FE)                  // Table 6 col. 3
 */
export function eqFormula(lhs: string, rhs: string, fe: string = EQ_FE, iv?: string): string {
  const right = [rhs, ...EQ_CONTROLS].filter((s) => s !== "").join(" + ");
  return `${lhs} ~ ${right} | ${fe}${iv ? ` | ${iv}` : ""}`;
}

/** EQ (1), the baseline: quality on vagg, controls, city, year and HS4 fixed effects (Table 2 col. 4). */
export const EQ_BASELINE = eqFormula("quality", "vagg", EQ_FE);
