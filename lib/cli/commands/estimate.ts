import { readTable } from "../../data/io";
import { feols, type FeolsResult } from "../../estimators/feols";
import { iv2sls, type Iv2slsResult } from "../../estimators/iv2sls";
import type { IvSscPreset } from "../../estimators/iv/ssc";
import { ivDiagnosticsJson } from "./iv-json";
import { parseFormula } from "../../estimators/formula";
import { parseArgs, helpText, type ArgSpec } from "../args";
import { ArgumentError } from "../../util/errors";
import { summaryText } from "../../estimators/summary";
import { hasColumn, nonNumericError, type Table } from "../../data/table";
import type { ParsedFormula } from "../../estimators/formula";
import { parseVcov } from "../../vcov";

/**
 * The columns a fit of formula `f` reads: its variables (outcome, regressors, endogenous,
 * instruments, fixed effects and their ^ parts), the cluster variables of `vcov` and the weights.
 * Passed to `readTable` as `wanted`, so a plain numeric CSV converts only these; a name the file
 * lacks makes the reader give every column (the estimator then names what is missing).
 *
 * @example variablesUsed(parseFormula("y ~ x | a + b"), "cluster:a^b", undefined) // ["y", "x", "a", "b"]
 */
export function variablesUsed(f: ParsedFormula, vcov: string | undefined, weights: string | undefined): string[] {
  const out = new Set<string>();
  for (const term of [f.lhs, ...f.rhs, ...f.endo, ...f.inst]) for (const v of term.vars) out.add(v);
  for (const fe of f.fixef) for (const v of fe) out.add(v);
  const spec = vcov === undefined ? undefined : parseVcov(vcov);
  if (spec && typeof spec === "object") for (const c of spec.cluster) for (const v of c.split("^")) out.add(v.trim());
  if (weights !== undefined) out.add(weights);
  return [...out];
}

/**
 * Every variable the formula uses as a number must be one: a text column stops here with the
 * file, column, row and value (and the fixed-effect hint only for a mostly-text column), before
 * the estimator's own, more general check. Unknown names are left to the estimator.
 */
export function checkNumericVariables(data: Table, f: ParsedFormula): void {
  for (const term of [f.lhs, ...f.rhs, ...f.endo, ...f.inst])
    for (const v of term.vars) {
      if (!hasColumn(data, v)) continue;
      const e = nonNumericError(data, v, term.label);
      if (e) throw e;
    }
}

const SPEC: ArgSpec = {
  data: { type: "string", help: "data file (.csv, .csv.gz, .parquet, .dta)", required: true },
  encoding: {
    type: "string",
    help: "text encoding of a CSV or pre-Stata-14 .dta: auto (default: UTF-8, else GBK/GB18030) | gbk | gb18030 | utf-8 | big5 | …",
  },
  sheet: { type: "string", help: "Excel input (.xlsx/.xls): sheet name or 1-based number (default: the first sheet)" },
  formula: { type: "string", help: 'fixest-style formula, e.g. "y ~ x1 + x2 | fe1 + fe2" or "y ~ x | fe | endo ~ z"', required: true },
  vcov: { type: "string", help: "iid | hetero | cluster:VAR[+VAR2] (VAR may be a^b); default: cluster by the first FE, else iid" },
  weights: { type: "string", help: "analytic weights variable" },
  singletons: { type: "string", help: "drop (default) | keep" },
  ssc: { type: "string", help: "small-sample preset: fixest (default) | reghdfe | ivreghdfe (IV)" },
  json: { type: "boolean", help: "print one JSON object instead of the summary" },
  help: { type: "boolean", help: "show this help" },
};

export const estimateHelp = helpText("estimate", "OLS / 2SLS with high-dimensional fixed effects", SPEC);

/** The JSON object `vagg estimate --json` prints for a fitted model (IV diagnostics added separately). */
export function resultJson(r: FeolsResult | Iv2slsResult): Record<string, unknown> {
  return {
    formula: r.formula,
    coef: r.coef,
    se: r.se,
    vcov: r.vcov,
    nobs: r.nobs,
    removed: {
      na: r.removed.na,
      singletons: r.removed.singletons,
      non_positive_weight: r.removed.nonPositiveWeight,
      na_by_variable: r.removed.naByVariable,
      inf_by_variable: r.removed.infByVariable,
    },
    collinear: r.collinear,
    r2: r.r2,
    r2_within: Number.isNaN(r.withinR2) ? null : r.withinR2,
    vcov_type: r.vcovType,
    dof: r.dof,
  };
}

const isSingletons = (s: string): s is "drop" | "keep" => s === "drop" || s === "keep";
const isIvPreset = (s: string): s is IvSscPreset => s === "fixest" || s === "reghdfe" || s === "ivreghdfe";

/**
 * `vagg estimate`: read a data file, fit `feols` (OLS) or `iv2sls` (a formula with an IV part
 * "| endo ~ instruments") and print `summaryText` — for IV with the first stage and the
 * weak-IV / endogeneity / over-identification diagnostics — or one JSON object (`--json`).
 *
 * @example
 *   vagg estimate --data d.csv --formula "y ~ x | fe | d ~ z" --vcov cluster:fe
 */
export async function runEstimate(argv: string[]): Promise<number> {
  const { opts } = parseArgs(argv, SPEC, "estimate");
  if (opts["help"]) {
    console.log(estimateHelp);
    return 0;
  }
  const singletons = (opts["singletons"] as string | undefined) ?? "drop";
  if (!isSingletons(singletons)) throw new ArgumentError(`--singletons must be drop or keep, got "${singletons}"`);
  const ssc = (opts["ssc"] as string | undefined) ?? "fixest";
  if (!isIvPreset(ssc)) throw new ArgumentError(`--ssc must be fixest, reghdfe or ivreghdfe, got "${ssc}"`);
  const formula = opts["formula"] as string;
  const parsed = parseFormula(formula);
  const sheet = opts["sheet"] as string | undefined;
  const data = await readTable(opts["data"] as string, {
    encoding: opts["encoding"] as string | undefined,
    wanted: variablesUsed(parsed, opts["vcov"] as string | undefined, opts["weights"] as string | undefined),
    ...(sheet !== undefined ? { sheet: /^\d+$/.test(sheet) ? Number(sheet) : sheet } : {}),
  });
  checkNumericVariables(data, parsed);
  const common = { vcov: opts["vcov"] as string | undefined, weights: opts["weights"] as string | undefined, singletons };
  let result: FeolsResult | Iv2slsResult;
  let extra: Record<string, unknown> = {};
  if (parsed.endo.length) {
    const iv = iv2sls(data, formula, { ...common, ssc });
    extra = { diagnostics: ivDiagnosticsJson(iv) };
    result = iv;
  } else {
    if (ssc === "ivreghdfe") throw new ArgumentError(`--ssc ivreghdfe applies to IV formulas only`);
    result = feols(data, formula, { ...common, ssc });
  }
  if (opts["json"]) process.stdout.write(JSON.stringify({ ...resultJson(result), ...extra }) + "\n");
  else process.stdout.write(summaryText(result) + "\n");
  return 0;
}
