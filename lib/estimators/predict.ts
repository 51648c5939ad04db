import type { CommonResult } from "./fit";
import { fixef as fixefOf } from "./feols";
import { parseFormula, evalTerm, type Term } from "./formula";
import { hasColumn, suggest, NA_INT, type Table } from "../data/table";
import { ArgumentError, FormulaError } from "../util/errors";

export interface PredictOptions {
  /** The table the model was estimated on: needed to recover the fixed effects (models with fixed effects). */
  readonly data?: Table;
  /** Fixed-effect coefficients from `fixef(data, result)` (instead of `data`, to reuse them). */
  readonly fixef?: Record<string, Map<string, number>>;
}

/**
 * Linear prediction ŷ = x'β̂ + Σ_q α̂_q[level] on new data, as fixest's `predict()`: the slope
 * part from the estimated coefficients (2SLS: applied to the endogenous regressors themselves,
 * not their first-stage fit) and the fixed effects recovered from the estimation sample
 * (`fixef`). A row is NA (NaN) when a variable is missing or a fixed-effect level was not in
 * the estimation sample. Only the sum of the fixed effects is identified, so predictions are
 * unique for level combinations of a connected sample.
 *
 * @example
 *   const r = feols(train, "y ~ x1 + x2 | fe1 + fe2");
 *   const yhat = predict(r, test, { data: train });   // Float64Array, NaN for unseen fe levels
 */
export function predict(result: CommonResult, newdata: Table, opts: PredictOptions = {}): Float64Array {
  const f = parseFormula(result.formula);
  const terms = new Map<string, Term>();
  for (const t of [...f.rhs, ...f.endo]) terms.set(t.label, t);
  const n = newdata.nrows;
  const out = new Float64Array(n);
  for (const name of result.coefNames) {
    const b = result.coef[name] as number;
    if (name === "(Intercept)") {
      for (let i = 0; i < n; i++) out[i] += b;
      continue;
    }
    const term = terms.get(name);
    if (!term) throw new FormulaError(`predict: no term "${name}" in the formula ${result.formula}`, { term: name });
    for (const v of term.vars)
      if (!hasColumn(newdata, v))
        throw new FormulaError(`predict: variable "${v}" is absent from newdata${suggest(v, newdata.names)}`, { term: v });
    const x = evalTerm(newdata, term);
    for (let i = 0; i < n; i++) out[i] += b * (x[i] as number);
  }
  if (result.fixef.names.length) {
    let fe = opts.fixef;
    if (!fe) {
      if (!opts.data)
        throw new ArgumentError(
          `predict: the model has fixed effects (${result.fixef.names.join(", ")}); pass { data } (the estimation table) or { fixef: fixef(data, result) }`,
        );
      fe = fixefOf(opts.data, result);
    }
    for (const name of result.fixef.names) {
      const vars = name.split("^");
      for (const v of vars)
        if (!hasColumn(newdata, v))
          throw new FormulaError(`predict: fixed-effect variable "${v}" is absent from newdata${suggest(v, newdata.names)}`, { term: v });
      const m = fe[name];
      if (!m) throw new ArgumentError(`predict: no coefficients for the fixed effect "${name}"`);
      const cols = vars.map((v) => newdata.columns[v] as ArrayLike<unknown>);
      for (let i = 0; i < n; i++) {
        let label = "",
          na = false;
        cols.forEach((c, j) => {
          const v = c[i];
          if (v === null || v === undefined || v === NA_INT || (typeof v === "number" && Number.isNaN(v))) na = true;
          label += (j ? "^" : "") + String(v);
        });
        const a = na ? undefined : m.get(label);
        out[i] = a === undefined ? NaN : (out[i] as number) + a;
      }
    }
  }
  return out;
}
