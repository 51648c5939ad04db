import type { CommonResult } from "./fit";
import { qT } from "../util/distributions";
import { ArgumentError } from "../util/errors";

export interface ConfintRow {
  readonly name: string;
  readonly estimate: number;
  readonly lower: number;
  readonly upper: number;
}

/**
 * Confidence intervals β̂_j ± t_{1−α/2, df} · se_j with the model's vcov and t degrees of
 * freedom (`result.dof.tDf`: fixest's t.df = "min", G − 1 when clustered, else N − K; infinite
 * → normal quantiles, ivreghdfe without `small`), as fixest's `confint()`.
 *
 * @example
 *   confint(feols(data, "y ~ x1 + x2 | fe1"), 0.9);   // [{ name: "x1", estimate, lower, upper }, …]
 *   confint(r, 0.99, ["x1"]);
 */
export function confint(result: CommonResult, level = 0.95, parm?: readonly string[]): readonly ConfintRow[] {
  if (!(level > 0 && level < 1)) throw new ArgumentError(`confint: level must be in (0, 1), got ${level}`);
  const use = parm ?? result.coefNames;
  for (const p of use)
    if (!result.coefNames.includes(p))
      throw new ArgumentError(`confint: "${p}" is not a coefficient of the model (coefficients: ${result.coefNames.join(", ")})`);
  const q = qT(1 - (1 - level) / 2, result.dof.tDf);
  return Object.freeze(
    use.map((name) => {
      const b = result.coef[name] as number,
        s = result.se[name] as number;
      return Object.freeze({ name, estimate: b, lower: b - q * s, upper: b + q * s });
    }),
  );
}
