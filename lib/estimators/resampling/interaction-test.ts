import { type Table, withColumns } from "../../data/table";
import { parseFormula, type ParsedFormula } from "../formula";
import { feols, defaultVcov, type FeolsResult } from "../feols";
import { parseVcov, type VcovSpec } from "../../vcov";
import { pF } from "../../util/distributions";
import { ArgumentError } from "../../util/errors";
import { twoGroups } from "./group-split";

/** Options of `coefDiffInteraction`: group indicator, coefficient, vcov. */
export interface InteractionTestOptions {
  readonly group: string;
  readonly coef: string;
  readonly vcov?: VcovSpec | string;
  readonly weights?: string;
}

/** d = b₁ − b₀ from the interacted model, its SE, Wald F and p. */
export interface InteractionTestResult {
  readonly group: string;
  readonly levels: readonly [string | number, string | number];
  readonly coef: string;
  /** Name of the interaction coefficient in `model`. */
  readonly term: string;
  readonly diff: number;
  readonly se: number;
  readonly t: number;
  readonly wald: number;
  readonly df: readonly [number, number];
  readonly p: number;
  readonly formula: string;
  readonly model: FeolsResult;
}

export const GROUP_INDICATOR = "__vagg_d";

/**
 * The fully interacted pooled model of a two-group comparison (Chow 1960): every regressor
 * interacted with the 0/1 indicator D of the second group (column `GROUP_INDICATOR`), every fixed
 * effect interacted with it (fe → fe^D; without fixed effects the intercept gets D), so that its
 * coefficients reproduce the two separate regressions and the coefficient of `coef:D` is
 * d = b₁ − b₀. With `targetColumn`, the product coef × D is not written as the term `coef:D` but
 * read from that column (added by the caller, e.g. for `prepareFwl`, which re-estimates one
 * column and refuses a term sharing its variables with another). Returns the group levels, the
 * indicator over the table's rows, and the formula text.
 *
 * @example
 *   interactedModel(t, parseFormula("y ~ x + c | city"), "east", "x").text
 *   // "y ~ x + c + x:__vagg_d + c:__vagg_d | city^__vagg_d"
 */
export function interactedModel(
  data: Table,
  f: ParsedFormula,
  group: string,
  coef: string,
  targetColumn?: string,
): { levels: readonly [string | number, string | number]; indicator: Float64Array; text: string } {
  if (f.endo.length) throw new ArgumentError(`IV formulas are not supported here`, { term: f.text });
  if (!f.rhs.some((t) => t.label === coef)) throw new ArgumentError(`"${coef}" is not a regressor of the formula`, { term: coef });
  const { levels, indicator } = twoGroups(data, group);
  const D = GROUP_INDICATOR;
  const rhs = f.rhs.map((t) => t.label);
  const inter = rhs.map((l) => (targetColumn && l === coef ? targetColumn : `${l}:${D}`));
  const parts = [...rhs, ...inter];
  if (f.fixef.length === 0) {
    if (f.intercept) parts.push(D);
    else throw new ArgumentError(`without fixed effects the formula needs an intercept for the interacted model`);
  }
  const fe = f.fixef.map((vars) => [...vars, D].join("^"));
  const text = `${f.lhs.label} ~ ${parts.join(" + ")}${fe.length ? ` | ${fe.join(" + ")}` : ""}`;
  return { levels, indicator, text };
}

/**
 * The interaction-based alternative to a split-sample coefficient comparison: one pooled,
 * fully interacted model in which every regressor is interacted with the indicator D of the
 * second group and every fixed effect is interacted with the group (fe → fe^D; without fixed
 * effects the intercept gets D as its interaction). Its coefficients reproduce the two
 * separate regressions exactly — the coefficient on `coef:D` is d = b₁ − b₀ — while the
 * variance comes from one pooled (cluster-robust) vcov. The Wald test of the interaction,
 * W = (d/se)² ~ F(1, df) (df = G − 1 when clustered, as feols' t), is what a reader compares
 * with the resampling p-values of `coefDiffTest` (Chow 1960, Econometrica 28; Lian 2017 method 1).
 *
 * @example
 *   const w = coefDiffInteraction(rs, "resi ~ vagg + gdp | city + year", { group: "east", coef: "vagg", vcov: "cluster:city" });
 *   w.diff; w.p;
 */
export function coefDiffInteraction(data: Table, formula: string, opts: InteractionTestOptions): InteractionTestResult {
  const f = parseFormula(formula);
  const { levels, indicator, text } = interactedModel(data, f, opts.group, opts.coef);
  const D = GROUP_INDICATOR;
  const spec = opts.vcov ? (typeof opts.vcov === "string" ? parseVcov(opts.vcov) : opts.vcov) : defaultVcov(f);
  const model = feols(withColumns(data, { [D]: indicator }), text, { vcov: spec, weights: opts.weights });
  const term = `${opts.coef}:${D}`;
  if (!(term in model.coef)) throw new ArgumentError(`the interaction "${term}" was dropped as collinear`, { term });
  const diff = model.coef[term] as number,
    se = model.se[term] as number;
  const t = diff / se;
  const df2 = model.dof.tDf;
  return {
    group: opts.group,
    levels,
    coef: opts.coef,
    term,
    diff,
    se,
    t,
    wald: t * t,
    df: [1, df2],
    p: pF(t * t, 1, df2),
    formula: text,
    model,
  };
}
