import { type Table } from "../data/table";
import { type ParsedFormula } from "./formula";
import { parseVcov } from "../vcov";
import { FormulaError } from "../util/errors";
import { clusterUnion, toVcovSpec } from "./vcov-also";
import { defaultVcov, fitFrame, linearCores, type FeolsOptions, type FeolsResult } from "./feols";
import { namesBesidesOutcome, outcomeFormulas, outcomeFrames } from "./multiple-outcomes";

/**
 * OLS with fixed effects for several outcomes on the same regressors, fixed effects, weights and
 * variance, as fixest's multiple estimation `feols(c(y1, y2) ~ x | fe, data)`: one `FeolsResult`
 * per outcome, in the order of `c(…)`, each equal to `feols(data, "y_k ~ rhs", opts)` bit for bit.
 *
 * Outcomes whose missing (NA/±Inf) rows are the same share one model frame (sample, singletons,
 * factorised fixed effects and clusters) and one demeaning of the regressors, done together with
 * the outcomes; each outcome is then solved and its variance computed on its own. Outcomes
 * with other missing rows get their own frame (so every result is that outcome's own sample, as
 * in fixest). An outcome that is also used on the right-hand side, as a fixed effect, cluster or
 * weight is fitted alone. The saving is the demeaning of the regressors: with K outcomes and p
 * regressors, p + K columns are demeaned instead of K(p + 1).
 *
 * @example
 *   const [m, truth] = feolsMulti(panel, "c(quality, quality_true) ~ vagg + fdi + open | city + year + hs4", { vcov: "cluster:city^hs4" });
 *   m.coef.vagg - truth.coef.vagg;   // estimate minus its true value, both on the same rows
 */
export function feolsMulti(data: Table, formula: string, opts: FeolsOptions = {}): FeolsResult[] {
  const fs = outcomeFormulas(formula);
  const f0 = fs[0] as ParsedFormula;
  if (f0.endo.length) throw new FormulaError(`this formula has an IV part; use iv2sls()`, { term: formula });
  const spec = typeof opts.vcov === "string" ? parseVcov(opts.vcov) : (opts.vcov ?? defaultVcov(f0));
  const also = (opts.vcovAlso ?? []).map(toVcovSpec);
  const frameOpts = { weights: opts.weights, singletons: opts.singletons, cluster: clusterUnion([spec, ...also]) };
  const out: FeolsResult[] = new Array(fs.length);
  for (const { members, frames } of outcomeFrames(data, fs, frameOpts, namesBesidesOutcome(f0, frameOpts.cluster, opts.weights))) {
    const frame = frames[0] as (typeof frames)[number];
    const cores = linearCores(
      frame,
      frames.map((fr) => fr.y),
      frame.X,
      frame.xNames,
      f0.intercept,
      opts,
    );
    members.forEach(
      (k, j) => (out[k] = fitFrame(frames[j] as (typeof frames)[number], fs[k] as ParsedFormula, spec, opts, also, cores[j])),
    );
  }
  return out;
}
