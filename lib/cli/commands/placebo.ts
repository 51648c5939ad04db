import { readTable } from "../../data/io";
import { parseArgs, helpText, type ArgSpec } from "../args";
import { ArgumentError } from "../../util/errors";
import { progress } from "../../util/progress";
import { placebo, type PlaceboResult } from "../../estimators/resampling/placebo";

/**
 * `vagg placebo`: the randomisation (placebo) test of one regressor — EQ Figure 2.
 *
 *   npx vagg placebo --data F --formula "y ~ vagg + fdi | city + hs4 + year" --permute vagg \
 *     --reps 1000 --seed 20220707 --vcov cluster:city^hs4 --json
 *
 * prints {reps, coef_mean, coef_sd, t_mean, actual: {coef, t}, p_value} (plus the rule, the
 * t-based p, and whether the run was interrupted). Ctrl-C stops between replications and
 * prints the partial result, flagged "interrupted": true.
 */
const SPEC: ArgSpec = {
  data: { type: "string", help: "data file (.csv, .csv.gz, .parquet, .dta)", required: true },
  encoding: {
    type: "string",
    help: "text encoding of a CSV or pre-Stata-14 .dta: auto (default: UTF-8, else GBK/GB18030) | gbk | gb18030 | utf-8 | big5 | …",
  },
  formula: { type: "string", help: 'fixest-style formula, e.g. "y ~ vagg + x | city + year"', required: true },
  permute: { type: "string", help: "the regressor whose values are reassigned at random", required: true },
  reps: { type: "number", help: "number of replications (default 1000)" },
  seed: { type: "number", help: "seed (default: the project seed / VAGG_SEED)" },
  vcov: { type: "string", help: "iid | hetero | cluster:VAR[+VAR2]; default: cluster by the first FE, else iid" },
  within: { type: "string", help: "permute within the levels of this variable" },
  "cluster-level": { type: "string", help: "permute whole levels of this variable (regressor constant within them)" },
  weights: { type: "string", help: "analytic weights variable" },
  threads: {
    type: "number",
    help: "threads of the default scheme: 1, or 2 = a worker permutes ahead (default 2 from 100,000 rows on a machine with ≥ 2 cores; 1 when the cores are busy with other work); results do not depend on it",
  },
  json: { type: "boolean", help: "print one JSON object" },
  progress: { type: "boolean", help: "show progress on stderr" },
  help: { type: "boolean", help: "show this help" },
};

export const placeboHelp = helpText("placebo", "placebo (randomisation) test: permute a regressor, re-estimate R times", SPEC);

/**
 * A placebo (randomisation-inference) result as plain JSON for `vagg placebo --json`: the actual estimate, the draws' summary and the two-sided p-values.
 *
 * @example
 *   JSON.stringify(placeboJson(await placebo(d, f, { permute: "vagg", reps: 999 })));
 */
export function placeboJson(p: PlaceboResult): Record<string, unknown> {
  return {
    reps: p.reps,
    coef_mean: p.coefMean,
    coef_sd: p.coefSd,
    t_mean: p.tMean,
    t_sd: p.tSd,
    actual: { coef: p.actual.coef, se: p.actual.se, t: p.actual.t },
    p_value: p.pValue,
    p_value_t: p.pValueT,
    p_rule: p.pRule,
    share_abs_t_gt_1_96: p.shareAbsTGt196,
    permute: p.permute,
    scheme: p.scheme,
    nobs: p.nobs,
    vcov: p.vcov,
    seed: p.seed,
    interrupted: p.interrupted,
    requested: p.requested,
  };
}

/**
 * `vagg placebo`: read the data, permute one regressor (or reassign it across units) `--reps` times and re-estimate, print the summary or `--json`. Returns the exit code.
 *
 * @example
 *   await runPlacebo(["--data", "panel.csv", "--formula", "y ~ x | city + year", "--permute", "x", "--reps", "999"]);
 */
export async function runPlacebo(argv: string[]): Promise<number> {
  const { opts } = parseArgs(argv, SPEC, "placebo");
  if (opts["help"]) {
    console.log(placeboHelp);
    return 0;
  }
  const reps = (opts["reps"] as number | undefined) ?? 1000;
  if (!Number.isInteger(reps) || reps < 1) throw new ArgumentError(`--reps must be a positive integer, got ${reps}`);
  const seed = opts["seed"] as number | undefined;
  const threads = opts["threads"] as number | undefined;
  if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 2))
    throw new ArgumentError(`--threads must be 1 or 2, got ${threads}`);
  if (seed !== undefined && (!Number.isInteger(seed) || seed < 0))
    throw new ArgumentError(`--seed must be a non-negative integer, got ${seed}`);
  const data = await readTable(opts["data"] as string, { encoding: opts["encoding"] as string | undefined });
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once("SIGINT", onSigint);
  const bar = opts["progress"] ? progress(reps, "placebo") : null;
  try {
    const p = await placebo(data, opts["formula"] as string, {
      permute: opts["permute"] as string,
      reps,
      seed,
      vcov: opts["vcov"] as string | undefined,
      within: opts["within"] as string | undefined,
      clusterLevel: opts["cluster-level"] as string | undefined,
      weights: opts["weights"] as string | undefined,
      threads,
      signal: ac.signal,
      onProgress: bar ? (done) => bar.set(done) : undefined,
    });
    bar?.finish();
    if (opts["json"]) process.stdout.write(JSON.stringify(placeboJson(p)) + "\n");
    else {
      const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));
      process.stdout.write(
        [
          `Placebo test: "${p.permute}" permuted (${p.scheme}), ${p.reps} replications${p.interrupted ? ` (interrupted; ${p.requested} requested)` : ""}, seed ${p.seed}`,
          `N = ${p.nobs}, vcov: ${p.vcov}`,
          `actual:   coef ${f(p.actual.coef)}  se ${f(p.actual.se)}  t ${f(p.actual.t)}`,
          `placebo:  coef mean ${f(p.coefMean)} (sd ${f(p.coefSd)})  t mean ${f(p.tMean)} (sd ${f(p.tSd)})  share |t| > 1.96: ${f(p.shareAbsTGt196)}`,
          `p-value:  ${f(p.pValue)} (coef), ${f(p.pValueT)} (t) — ${p.pRule}`,
        ].join("\n") + "\n",
      );
    }
    return 0;
  } finally {
    process.removeListener("SIGINT", onSigint);
  }
}
