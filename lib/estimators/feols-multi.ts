import { type Table } from "../data/table";
import { evalTerm, parseFormula, type ParsedFormula } from "./formula";
import { buildModelFrame, type ModelFrame } from "./model-frame";
import { parseVcov } from "../vcov";
import { FormulaError } from "../util/errors";
import { clusterUnion, toVcovSpec } from "./vcov-also";
import { defaultVcov, fitFrame, linearCores, type FeolsOptions, type FeolsResult } from "./feols";

/**
 * The outcomes and the right-hand side of a multiple-outcome formula `c(y1, y2, …) ~ rhs`
 * (fixest's syntax); a plain `y ~ rhs` gives one outcome.
 *
 * @example multipleOutcomes("c(quality, quality_true) ~ vagg | city + year")  // { outcomes: ["quality", "quality_true"], rhs: "vagg | city + year" }
 */
export function multipleOutcomes(formula: string): { outcomes: string[]; rhs: string } {
  const tilde = formula.indexOf("~");
  if (tilde < 0) throw new FormulaError(`no "~" in the formula`, { term: formula });
  const lhs = formula.slice(0, tilde).trim();
  const rhs = formula.slice(tilde + 1).trim();
  const m = /^c\(([\s\S]*)\)$/.exec(lhs);
  if (!m) return { outcomes: [lhs], rhs };
  // split at the commas outside parentheses: c(log(y), z)
  const outcomes: string[] = [];
  let depth = 0,
    from = 0;
  const inner = m[1] as string;
  for (let i = 0; i <= inner.length; i++) {
    const ch = inner[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if (i === inner.length || (ch === "," && depth === 0)) {
      const y = inner.slice(from, i).trim();
      if (!y) throw new FormulaError(`an empty outcome in c(…)`, { term: lhs });
      outcomes.push(y);
      from = i + 1;
    }
  }
  if (new Set(outcomes).size !== outcomes.length) throw new FormulaError(`an outcome appears twice in c(…)`, { term: lhs });
  return { outcomes, rhs };
}

/** Per row: 0 finite, 1 NaN, 2 ±Inf (the model frame removes rows of the last two). */
function missingPattern(v: Float64Array): Uint8Array {
  const p = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    p[i] = Number.isNaN(x) ? 1 : Number.isFinite(x) ? 0 : 2;
  }
  return p;
}

function samePattern(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The frame of outcome `y` (raw values over the table's rows) on the rows of `frame`, whose outcome has the same missing rows. */
function frameWithOutcome(frame: ModelFrame, y: Float64Array, label: string, n0: number): ModelFrame {
  let yk = y;
  if (frame.n !== n0) {
    yk = new Float64Array(frame.n);
    for (let i = 0; i < frame.n; i++) yk[i] = y[frame.rows[i] as number] as number;
  }
  // the outcome's count under its own name, in the same place (the notes list them in this order)
  const rename = (by: Record<string, number>): Record<string, number> =>
    Object.fromEntries(Object.entries(by).map(([k, v]) => [k === frame.yName ? label : k, v]));
  return {
    ...frame,
    y: yk,
    yName: label,
    removed: { ...frame.removed, naByVariable: rename(frame.removed.naByVariable), infByVariable: rename(frame.removed.infByVariable) },
  };
}

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
  const { outcomes, rhs } = multipleOutcomes(formula);
  const fs: ParsedFormula[] = outcomes.map((y) => parseFormula(`${y} ~ ${rhs}`));
  const f0 = fs[0] as ParsedFormula;
  if (f0.endo.length) throw new FormulaError(`this formula has an IV part; use iv2sls()`, { term: formula });
  const spec = typeof opts.vcov === "string" ? parseVcov(opts.vcov) : (opts.vcov ?? defaultVcov(f0));
  const also = (opts.vcovAlso ?? []).map(toVcovSpec);
  const frameOpts = { weights: opts.weights, singletons: opts.singletons, cluster: clusterUnion([spec, ...also]) };
  // names the outcome must not share with the rest of the model (its missing rows would count twice)
  const used = new Set<string>([
    ...f0.rhs.flatMap((t) => [t.label, ...t.vars]),
    ...f0.fixef.flat(),
    ...frameOpts.cluster.flatMap((c) => c.split("^").map((s) => s.trim())),
    ...(opts.weights ? [opts.weights] : []),
  ]);
  const raw = fs.map((f) => evalTerm(data, f.lhs));
  const patterns = raw.map(missingPattern);
  const groups: { members: number[]; alone: boolean }[] = [];
  fs.forEach((f, k) => {
    const alone = used.has(f.lhs.label) || f.lhs.vars.some((v) => used.has(v));
    const g = alone
      ? undefined
      : groups.find((g) => !g.alone && samePattern(patterns[g.members[0] as number] as Uint8Array, patterns[k] as Uint8Array));
    if (g) g.members.push(k);
    else groups.push({ members: [k], alone });
  });
  const out: FeolsResult[] = new Array(fs.length);
  for (const { members: g } of groups) {
    const lead = g[0] as number;
    const frame = buildModelFrame(data, fs[lead] as ParsedFormula, frameOpts);
    const frames = g.map((k) =>
      k === lead ? frame : frameWithOutcome(frame, raw[k] as Float64Array, (fs[k] as ParsedFormula).lhs.label, data.nrows),
    );
    const cores = linearCores(
      frame,
      frames.map((fr) => fr.y),
      frame.X,
      frame.xNames,
      f0.intercept,
      opts,
    );
    g.forEach((k, j) => (out[k] = fitFrame(frames[j] as ModelFrame, fs[k] as ParsedFormula, spec, opts, also, cores[j])));
  }
  return out;
}
