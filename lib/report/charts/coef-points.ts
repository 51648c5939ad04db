import { qNormal, qT } from "../../util/distributions";
import type { RegressionModel } from "../regression-table";

/** One point of a coefficient plot. */
export interface CoefPoint {
  readonly term: string;
  readonly estimate: number;
  readonly lo: number;
  readonly hi: number;
  /** Model (series) name when several models are plotted together. */
  readonly model?: string;
  /** Published value to mark next to the estimate. */
  readonly published?: number;
}

export interface CoefPointsOptions {
  /** Coefficients to take, in order (default all except the intercept). */
  readonly keep?: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  /** Confidence level (default 0.95). */
  readonly level?: number;
  /** Series name for each model (default "(1)", "(2)", …; left out with one model). */
  readonly modelNames?: readonly string[];
  /** Published values by coefficient name, one record per model. */
  readonly published?: readonly (Readonly<Record<string, number>> | undefined)[];
}

/**
 * Coefficient points with confidence intervals from fitted models: estimate ± q·SE with
 * q = t quantile at the model's residual degrees of freedom (`dof.tDf`) when known, the normal
 * quantile otherwise.
 *
 * @example
 *   coefPlot(coefPoints([m1, m2], { keep: ["vagg"], published: [{ vagg: 0.2013 }, { vagg: 0.1818 }] }));
 */
export function coefPoints(
  models: readonly (RegressionModel & { readonly dof?: { readonly tDf?: number } })[],
  opts: CoefPointsOptions = {},
): CoefPoint[] {
  const level = opts.level ?? 0.95;
  const out: CoefPoint[] = [];
  models.forEach((m, i) => {
    const df = m.dof?.tDf;
    const q = df !== undefined && Number.isFinite(df) && df > 0 ? qT(1 - (1 - level) / 2, df) : qNormal(1 - (1 - level) / 2);
    const names = opts.keep ?? (m.coefNames ?? Object.keys(m.coef)).filter((n) => n !== "(Intercept)");
    for (const n of names) {
      const b = m.coef[n];
      const se = m.se[n];
      if (b === undefined || se === undefined) continue;
      const model = opts.modelNames?.[i] ?? (models.length > 1 ? `(${i + 1})` : undefined);
      const pub = opts.published?.[i]?.[n];
      out.push({
        term: opts.labels?.[n] ?? n,
        estimate: b,
        lo: b - q * se,
        hi: b + q * se,
        ...(model !== undefined ? { model } : {}),
        ...(pub !== undefined ? { published: pub } : {}),
      });
    }
  });
  return out;
}
