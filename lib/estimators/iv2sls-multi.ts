import { type Table } from "../data/table";
import { type ParsedFormula } from "./formula";
import { parseVcov, type VcovSpec } from "../vcov";
import { defaultVcov } from "./feols";
import { clusterUnion, frameForSpec, toVcovSpec } from "./vcov-also";
import { checkIvFormula, ivCores } from "./iv-core";
import { ivFitFrame, type Iv2slsOptions, type Iv2slsResult } from "./iv2sls";
import { namesBesidesOutcome, outcomeFormulas, outcomeFrames } from "./multiple-outcomes";

/**
 * 2SLS with fixed effects for several outcomes on the same exogenous and endogenous regressors,
 * instruments, fixed effects, weights and variance, as fixest's `feols(c(y1, y2) ~ x | fe | d ~ z)`:
 * one `Iv2slsResult` per outcome, in the order of `c(…)`, each equal to
 * `iv2sls(data, "y_k ~ rhs", opts)` bit for bit (first stage, diagnostics and all).
 *
 * As `feolsMulti`: outcomes with the same missing rows share one model frame and one demeaning of
 * every other column (exogenous, endogenous, instruments), done together with the outcomes;
 * outcomes with other missing rows, or also used elsewhere in the model, get their own frame.
 * The first stage does not depend on the outcome, so its statistics are the same in every result.
 *
 * @example
 *   const [m, truth] = iv2slsMulti(panel, "c(quality, quality_true) ~ fdi + open | city + year + hs4 | vagg ~ tel_iv", { vcov: "cluster:city^hs4" });
 *   m.coef.vagg - truth.coef.vagg;
 */
export function iv2slsMulti(data: Table, formula: string, opts: Iv2slsOptions = {}): Iv2slsResult[] {
  const fs = outcomeFormulas(formula);
  const f0 = fs[0] as ParsedFormula;
  checkIvFormula(f0, formula);
  const spec: VcovSpec = typeof opts.vcov === "string" ? parseVcov(opts.vcov) : (opts.vcov ?? defaultVcov(f0));
  const also = (opts.vcovAlso ?? []).map(toVcovSpec);
  const frameOpts = { weights: opts.weights, singletons: opts.singletons, cluster: clusterUnion([spec, ...also]) };
  const out: Iv2slsResult[] = new Array(fs.length);
  for (const { members, frames } of outcomeFrames(data, fs, frameOpts, namesBesidesOutcome(f0, frameOpts.cluster, opts.weights))) {
    const lead = frameForSpec(frames[0] as (typeof frames)[number], spec);
    const cores = ivCores(
      lead,
      frames.map((fr) => fr.y),
      f0.intercept,
      formula,
      opts,
    );
    members.forEach(
      (k, j) =>
        (out[k] = ivFitFrame(
          frames[j] as (typeof frames)[number],
          fs[k] as ParsedFormula,
          (fs[k] as ParsedFormula).text,
          spec,
          also,
          opts,
          cores[j],
        )),
    );
  }
  return out;
}
