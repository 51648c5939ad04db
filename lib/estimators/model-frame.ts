import { type Table, column, hasColumn, suggest, maskToIndex } from "../data/table";
import { factorize, interact, subsetFactor, type Factor } from "../core/fixed-effects/factorize";
import { removeSingletons } from "../core/fixed-effects/singletons";
import { type ParsedFormula, type Term, checkVariables, evalTerm } from "./formula";
import { ArgumentError, EstimationError, FormulaError } from "../util/errors";

/**
 * The model frame shared by every estimator: the variables a formula needs, evaluated on
 * the table, with every removed row counted:
 *
 * 1. NA and ±Inf in any used variable (outcome, regressors, instruments, weights, fixed
 *    effects, cluster variables) — counted per variable (a row missing in two variables
 *    counts once in the total and once under each variable);
 * 2. non-positive weights;
 * 3. fixed-effect singletons, removed iteratively (`singletons: "drop"`, the default of
 *    reghdfe and fixest ≥ 0.13) or kept (`"keep"`, fixest ≤ 0.12).
 */
export interface RemovedCounts {
  /** Rows removed for NA/±Inf in some variable. */
  readonly na: number;
  /** Per variable: rows where it is NA. */
  readonly naByVariable: Record<string, number>;
  /** Per variable: rows where it is ±Inf. */
  readonly infByVariable: Record<string, number>;
  /** Rows removed for zero or negative weight. */
  readonly nonPositiveWeight: number;
  /** Fixed-effect singletons removed. */
  readonly singletons: number;
}

export interface ModelFrame {
  readonly n: number;
  /** Row indices (into the input table) of the observations used. */
  readonly rows: Int32Array;
  readonly y: Float64Array;
  readonly yName: string;
  readonly X: Float64Array[];
  readonly xNames: string[];
  readonly endo: Float64Array[];
  readonly endoNames: string[];
  readonly inst: Float64Array[];
  readonly instNames: string[];
  readonly weights?: Float64Array;
  readonly fixef: Factor[];
  readonly fixefNames: string[];
  readonly clusters: Factor[];
  readonly clusterNames: string[];
  readonly removed: RemovedCounts;
}

export interface FrameOptions {
  readonly weights?: string;
  readonly cluster?: readonly string[];
  readonly singletons?: "drop" | "keep";
}

/**
 * Factor for a variable or an interaction "a^b". `memo` (optional, for one frame): factors of
 * single columns already built, keyed by the column array, so a variable used both as a fixed
 * effect and in a cluster interaction is factorised once.
 */
export function factorFor(t: Table, spec: string, what = "cluster", memo?: Map<unknown, Factor>): Factor {
  const vars = spec.split("^").map((s) => s.trim());
  let f: Factor | null = null;
  for (const v of vars) {
    if (!hasColumn(t, v)) throw new FormulaError(`unknown ${what} variable "${v}"${suggest(v, t.names)}`, { term: spec, file: t.source });
    const col = column(t, v);
    let g = memo?.get(col);
    if (!g) {
      g = factorize(col);
      memo?.set(col, g);
    }
    f = f ? interact(f, g) : g;
  }
  return f as Factor;
}

/**
 * Build the model frame of a formula on a table: the outcome, regressors, instruments, fixed-effect factors, weights and cluster factors, after removing (and counting, per variable) rows with NA or ±Inf in any used variable, non-positive weights, and fixed-effect singletons (iteratively, `singletons: "drop"`, as reghdfe and fixest ≥ 0.13; Correia 2015). Unknown variables are FormulaErrors naming the term.
 *
 * @example
 *   const fr = buildModelFrame(t, parseFormula("y ~ x | city + year"), { cluster: ["city"] });
 *   fr.removed.na; // rows dropped for missing values
 */
export function buildModelFrame(t: Table, f: ParsedFormula, opts: FrameOptions = {}): ModelFrame {
  checkVariables(t, f);
  const n0 = t.nrows;
  if (n0 === 0) throw new EstimationError(`no observations: the data have 0 rows`, { file: t.source });
  const ev = (terms: readonly Term[]) => terms.map((term) => evalTerm(t, term));
  const y = evalTerm(t, f.lhs);
  const X = ev(f.rhs);
  const endo = ev(f.endo);
  const inst = ev(f.inst);
  let w: Float64Array | undefined;
  if (opts.weights) {
    if (!hasColumn(t, opts.weights))
      throw new FormulaError(`unknown weight variable "${opts.weights}"${suggest(opts.weights, t.names)}`, {
        term: opts.weights,
        file: t.source,
      });
    w = evalTerm(t, { label: opts.weights, vars: [opts.weights] });
  }
  const memo = new Map<unknown, Factor>();
  const fixef = f.fixef.map((vars) => factorFor(t, vars.join("^"), "fixed-effect", memo));
  const fixefNames = f.fixef.map((vars) => vars.join("^"));
  const clusterNames = [...(opts.cluster ?? [])];
  const clusters = clusterNames.map((c) => factorFor(t, c, "cluster", memo));

  const keep = new Uint8Array(n0).fill(1);
  const naBy: Record<string, number> = {};
  const infBy: Record<string, number> = {};
  const mark = (name: string, v: Float64Array) => {
    let na = 0,
      inf = 0;
    for (let i = 0; i < n0; i++) {
      const x = v[i] as number;
      if (Number.isNaN(x)) {
        na++;
        keep[i] = 0;
      } else if (!Number.isFinite(x)) {
        inf++;
        keep[i] = 0;
      }
    }
    if (na) naBy[name] = (naBy[name] ?? 0) + na;
    if (inf) infBy[name] = (infBy[name] ?? 0) + inf;
  };
  mark(f.lhs.label, y);
  f.rhs.forEach((term, j) => mark(term.label, X[j] as Float64Array));
  f.endo.forEach((term, j) => mark(term.label, endo[j] as Float64Array));
  f.inst.forEach((term, j) => mark(term.label, inst[j] as Float64Array));
  if (w && opts.weights) mark(opts.weights, w);
  const markFactor = (name: string, fac: Factor) => {
    let na = 0;
    for (let i = 0; i < n0; i++)
      if ((fac.codes[i] as number) < 0) {
        na++;
        keep[i] = 0;
      }
    if (na) naBy[name] = (naBy[name] ?? 0) + na;
  };
  fixef.forEach((fac, q) => markFactor(fixefNames[q] as string, fac));
  clusters.forEach((fac, q) => markFactor(clusterNames[q] as string, fac));
  let naRemoved = 0;
  for (let i = 0; i < n0; i++) if (!keep[i]) naRemoved++;
  let nonPos = 0;
  if (w)
    for (let i = 0; i < n0; i++)
      if (keep[i] && !((w[i] as number) > 0)) {
        keep[i] = 0;
        nonPos++;
      }
  if (naRemoved + nonPos === n0) {
    const worst = Object.entries(naBy).sort((a, b) => b[1] - a[1])[0];
    throw new EstimationError(
      `no observations left after removing missing values${worst ? ` (variable "${worst[0]}" is missing in ${worst[1]} of ${n0} rows)` : ""}`,
      { file: t.source, term: worst?.[0] },
    );
  }
  let singletons = 0;
  if ((opts.singletons ?? "drop") === "drop" && fixef.length > 0) {
    // singletons are defined on the sample that survives NA removal
    const rowsNA = maskToIndex(keep);
    // on every row the codes are already dense in order of first appearance: subsetFactor would copy them
    const sub = rowsNA.length === n0 ? fixef : fixef.map((fac) => subsetFactor(fac, rowsNA));
    const r = removeSingletons(sub, new Uint8Array(rowsNA.length).fill(1));
    singletons = r.removed;
    for (let j = 0; j < rowsNA.length; j++) if (!r.keep[j]) keep[rowsNA[j] as number] = 0;
  }
  const rows = maskToIndex(keep);
  const n = rows.length;
  if (n === 0) throw new EstimationError(`no observations left after removing ${singletons} fixed-effect singletons`, { file: t.source });
  // Columns and factors are shared, not copied, when every row is kept (they are never written to).
  const all = n === n0;
  const take = (v: Float64Array) => {
    if (all) return v;
    const o = new Float64Array(n);
    for (let i = 0; i < n; i++) o[i] = v[rows[i] as number] as number;
    return o;
  };
  const sub = (fac: Factor) => (all ? fac : subsetFactor(fac, rows));
  const clustersS = clusters.map(sub);
  clustersS.forEach((c, q) => {
    if (c.size < 2)
      throw new ArgumentError(
        `cluster variable has only ${c.size} level in the estimation sample; clustered standard errors need at least 2`,
        { term: clusterNames[q] },
      );
  });
  return {
    n,
    rows,
    y: take(y),
    yName: f.lhs.label,
    X: X.map(take),
    xNames: f.rhs.map((r) => r.label),
    endo: endo.map(take),
    endoNames: f.endo.map((r) => r.label),
    inst: inst.map(take),
    instNames: f.inst.map((r) => r.label),
    weights: w ? take(w) : undefined,
    fixef: fixef.map(sub),
    fixefNames,
    clusters: clustersS,
    clusterNames,
    removed: { na: naRemoved, naByVariable: naBy, infByVariable: infBy, nonPositiveWeight: nonPos, singletons },
  };
}
