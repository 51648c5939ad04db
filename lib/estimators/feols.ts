import { residuals } from "../core/linalg/residuals";
import { euclideanNorm } from "../core/linalg/norm";
import { type Table } from "../data/table";
import { parseFormula, type ParsedFormula } from "./formula";
import { buildModelFrame, type ModelFrame } from "./model-frame";
import { demean, demeanOptionsFor, fixefCoefficients, type DemeanOptions } from "../core/fixed-effects/demean";
import { subsetFactor } from "../core/fixed-effects/factorize";
import { qrLeastSquares } from "../core/linalg/qr";
import { computeVcov, parseVcov, type VcovSpec, type SscPreset } from "../vcov";
import { EstimationError } from "../util/errors";
import { buildResult, type CommonResult } from "./fit";
import { alsoVcovs, clusterUnion, frameForSpec, toVcovSpec, type AlsoVcov } from "./vcov-also";
export type { CoefRow, ModelF } from "./fit";

export interface FeolsOptions {
  /** "iid", "hetero", "cluster:city^hs4", or { cluster: [...] }. Default iid without FE... see `defaultVcov`. */
  readonly vcov?: VcovSpec | string;
  readonly weights?: string;
  readonly singletons?: "drop" | "keep";
  readonly ssc?: SscPreset;
  /** Tolerance of the QR collinearity check (remaining norm / original norm). Default 1e-10. */
  readonly collinTol?: number;
  readonly demean?: DemeanOptions;
  /** Confidence level for intervals. Default 0.95. */
  readonly level?: number;
  /** Keep residuals and fitted values in the result (default true). */
  readonly keepResiduals?: boolean;
  /**
   * Further variances of the same fit, e.g. `["cluster:city"]` beside `vcov: "cluster:city^hs4"`
   * (as fixest's `summary(fit, vcov = …)`): computed from the same residuals and bread, returned in
   * `result.vcovAlso` in this order. Rows missing any of the cluster variables named here or in
   * `vcov` leave the sample of the fit (counted in `removed`), so every variance is of one sample.
   */
  readonly vcovAlso?: readonly (VcovSpec | string)[];
}

/**
 * The result of `feols` (see `CommonResult` in ./fit for the fields). Deeply immutable: nested
 * objects and arrays are frozen; `residuals` and `obsRows` are typed arrays, which JavaScript
 * cannot freeze, so each read returns a fresh copy and writes to it never reach the result
 * (measured at 600,000 rows: ~2.5 ms per `residuals` read, ~0.3 ms per `obsRows` read, for a
 * ~300 ms fit). Read them once into a local before looping.
 */
export interface FeolsResult extends CommonResult {
  readonly ssc: SscPreset;
  /** The variances of option `vcovAlso`, in its order (empty without it). */
  readonly vcovAlso: readonly AlsoVcov[];
}

/**
 * fixest's default variance: clustered by the first fixed effect when the formula has fixed
 * effects, iid otherwise.
 *
 * @example defaultVcov(parseFormula("y ~ x | firm + year"))  // { cluster: ["firm"] }
 */
export function defaultVcov(f: ParsedFormula): VcovSpec {
  // fixest: clustered by the first fixed effect when there are fixed effects, iid otherwise
  return f.fixef.length ? { cluster: [(f.fixef[0] as string[]).join("^")] } : "iid";
}

/**
 * OLS with high-dimensional fixed effects, as fixest's `feols` (Bergé 2018):
 *
 *   β̂ = (X̃'WX̃)⁻¹X̃'Wỹ, where ỹ, X̃ are y and X with the fixed effects partialled out
 *   (Frisch–Waugh–Lovell; alternating projections or a direct solve, lib/core/fixed-effects).
 *
 * Pipeline: parse → model frame (NA/Inf, weights, singletons, all counted) → demean by the
 * fixed effects → least squares by pivoted Householder QR, collinear regressors dropped and
 * named → variance (lib/vcov; small-sample preset `fixest` or `reghdfe`) → the shared
 * inference and result code (./fit: t, p, CI, R², adjusted/within R², F, notes).
 *
 * Default vcov as fixest: clustered by the first fixed effect, iid without fixed effects.
 * `y ~ 1 | fe` (only fixed effects) gives a result with no coefficients whose residuals are y
 * demeaned, as fixest 0.12.2 (R² and adjusted R² of the fixed effects alone; within R² NaN,
 * fixest's NA; no F; `wald` refuses it). `y ~ 1` is the intercept-only model (R² NaN as fixest's
 * NA). A regressor absorbed by the fixed effects is still an error, not an FE-only fit.
 *
 * @example
 *   const r = feols(data, "quality ~ vagg + fdi + open | city + year + hs4", { vcov: "cluster:city^hs4" });
 *   r.coef.vagg; r.table[0].p; r.withinR2;
 */
export function feols(data: Table, formula: string, opts: FeolsOptions = {}): FeolsResult {
  const f = parseFormula(formula);
  if (f.endo.length) throw new EstimationError(`this formula has an IV part; use iv2sls()`, { term: formula });
  const spec = typeof opts.vcov === "string" ? parseVcov(opts.vcov) : (opts.vcov ?? defaultVcov(f));
  const also = (opts.vcovAlso ?? []).map(toVcovSpec);
  const frame = buildModelFrame(data, f, {
    weights: opts.weights,
    singletons: opts.singletons,
    cluster: clusterUnion([spec, ...also]),
  });
  return fitFrame(frame, f, spec, opts, also);
}

/** √w-scaled copies (or the arrays themselves without weights). */
export function scaleBySqrtW(cols: readonly Float64Array[], w?: Float64Array): Float64Array[] {
  if (!w) return cols.slice();
  const sw = w.map(Math.sqrt);
  return cols.map((c) => c.map((v, i) => v * (sw[i] as number)));
}

export interface LinearCore {
  readonly names: string[];
  readonly beta: Float64Array;
  readonly kept: number[];
  readonly collinear: string[];
  /** Demeaned, √w-scaled regressors of the kept columns. */
  readonly Xs: Float64Array[];
  /** Demeaned, √w-scaled outcome. */
  readonly ys: Float64Array;
  /** √w-scaled residuals. */
  readonly es: Float64Array;
  readonly xtxInv: Float64Array;
  readonly rss: number;
  readonly demeaning: { method: string; iterations: number; converged: boolean };
}

/**
 * The numerical core: demean [y, X] by the frame's fixed effects, add an intercept when the
 * formula has one and there are no fixed effects, and solve by QR.
 */
export function linearCore(
  frame: ModelFrame,
  y: Float64Array,
  X: readonly Float64Array[],
  names: readonly string[],
  intercept: boolean,
  opts: { collinTol?: number; demean?: DemeanOptions } = {},
): LinearCore {
  return linearCores(frame, [y], X, names, intercept, opts)[0] as LinearCore;
}

/**
 * `linearCore` for several outcomes on the same frame (regressors, fixed effects, weights and
 * rows): the regressors are demeaned once, with the outcomes, in one call, and each outcome is
 * then solved on its own. Each core equals `linearCore` of that outcome alone bit for bit: every
 * column is demeaned on its own (same plan, same arithmetic), and the direct-or-iterative choice
 * is made for the column count of a single fit.
 */
export function linearCores(
  frame: ModelFrame,
  ys: readonly Float64Array[],
  X: readonly Float64Array[],
  names: readonly string[],
  intercept: boolean,
  opts: { collinTol?: number; demean?: DemeanOptions } = {},
): LinearCore[] {
  const n = frame.n;
  const cols = [...X];
  const allNames = [...names];
  if (intercept && frame.fixef.length === 0) {
    cols.unshift(new Float64Array(n).fill(1));
    allNames.unshift("(Intercept)");
  }
  const w = frame.weights;
  const K = ys.length;
  const dm = demean([...ys, ...cols], { factors: frame.fixef, weights: w }, demeanOptionsFor(frame.fixef, 1 + cols.length, opts.demean));
  if (!dm.converged)
    throw new EstimationError(
      `fixed-effect demeaning did not converge in ${opts.demean?.maxIter ?? 10000} iterations (tolerance ${opts.demean?.tol ?? 1e-10}); raise demean.maxIter or check for weakly connected fixed effects`,
    );
  const scaled = scaleBySqrtW(dm.columns, w);
  const Xd = scaled.slice(K);
  // reference norms: the raw (un-demeaned) columns, so that a regressor absorbed by the fixed effects is flagged
  const rawScaled = scaleBySqrtW(cols, w);
  const ref = rawScaled.map(euclideanNorm);
  const xIterations = dm.iterations.slice(K);
  return ys.map((_, k) => {
    const ysk = scaled[k] as Float64Array;
    const qr = qrLeastSquares(Xd, ysk, { tol: opts.collinTol ?? 1e-10, refNorms: ref });
    const Xs = qr.kept.map((j) => Xd[j] as Float64Array);
    const es = qr.residuals ?? residuals(ysk, Xs, qr.beta);
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (es[i] as number) * (es[i] as number);
    return {
      names: qr.kept.map((j) => allNames[j] as string),
      beta: qr.beta,
      kept: qr.kept,
      collinear: qr.dropped.map((j) => allNames[j] as string),
      Xs,
      ys: ysk,
      es,
      xtxInv: qr.xtxInv,
      rss,
      demeaning: { method: dm.method, iterations: Math.max(0, dm.iterations[k] as number, ...xIterations), converged: dm.converged },
    };
  });
}

/**
 * The fit of a model frame: the core (`linearCore`, or one of `linearCores` computed by the
 * caller for several outcomes of the same frame), its variance(s) and the result.
 */
export function fitFrame(
  frameAll: ModelFrame,
  f: ParsedFormula,
  spec: VcovSpec,
  opts: FeolsOptions,
  also: readonly VcovSpec[] = [],
  given?: LinearCore,
): FeolsResult {
  const frame = frameForSpec(frameAll, spec);
  const n = frame.n;
  const core = given ?? linearCore(frame, frame.y, frame.X, frame.xNames, f.intercept, opts);
  const k = core.names.length;
  const onlyFixef = k === 0 && frame.fixef.length > 0 && core.collinear.length === 0;
  if (k === 0 && !onlyFixef)
    throw new EstimationError(`no regressor left after removing collinear variables (${core.collinear.join(", ") || "none given"})`, {
      term: f.text,
    });
  if (n <= k) throw new EstimationError(`${n} observations for ${k} coefficients: not identified`);
  const ssc = opts.ssc ?? "fixest";
  const vcovOf = (s: VcovSpec, fr: ModelFrame) =>
    computeVcov({
      X: core.Xs,
      e: core.es,
      bread: core.xtxInv,
      rss: core.rss,
      n,
      kCoef: k,
      fixef: fr.fixef,
      fixefNames: fr.fixefNames,
      clusters: fr.clusters,
      clusterNames: fr.clusterNames,
      spec: s,
      preset: ssc,
    });
  const vc = vcovOf(spec, frame);
  return buildResult(
    {
      formula: f.text,
      depvar: frame.yName,
      names: core.names,
      beta: core.beta,
      vc,
      ssc,
      level: opts.level ?? 0.95,
      frame,
      weights: opts.weights,
      ys: core.ys,
      es: core.es,
      rss: core.rss,
      collinear: core.collinear,
      demeaning: core.demeaning,
      modelF: "iid",
      keepResiduals: opts.keepResiduals !== false,
    },
    { ssc, vcovAlso: alsoVcovs(core.names, also, frameAll, vcovOf) },
  );
}

/**
 * Fixed-effect coefficients of a fitted model (OLS or 2SLS), as fixest's `fixef()`: the
 * projection of y − Xβ̂ (2SLS: with the endogenous regressors themselves) on the fixed-effect
 * dummies, over the estimation sample. Returns, per fixed effect, a map level → coefficient
 * (levels of an interaction `a^b` are labelled "a^b"). Only the sum over fixed effects is
 * identified; redundant levels are normalised to 0 (direct method). `data` must be the table
 * the model was estimated on; the weights default to the model's.
 *
 * @example
 *   const fe = fixef(data, feols(data, "y ~ x | firm + year"));
 *   fe["firm"].get("17");
 */
export function fixef(data: Table, result: CommonResult, opts: { weights?: string } = {}): Record<string, Map<string, number>> {
  const f = parseFormula(result.formula);
  const frame = buildModelFrame(data, f, { weights: opts.weights ?? result.weights, singletons: "keep" });
  const obsRows = result.obsRows;
  const cols = [...frame.xNames.map((nm, i) => [nm, frame.X[i]] as const), ...frame.endoNames.map((nm, i) => [nm, frame.endo[i]] as const)]
    .filter(([nm]) => nm in result.coef)
    .map(([nm, c]) => [result.coef[nm] as number, c as Float64Array] as const);
  // restrict to the estimation sample
  const pos = new Map<number, number>();
  frame.rows.forEach((r, i) => pos.set(r, i));
  const use = Array.from(obsRows, (r) => {
    const j = pos.get(r);
    if (j === undefined)
      throw new EstimationError(
        `fixef: row ${r} of the estimation sample is not usable in these data; pass the table the model was estimated on`,
      );
    return j;
  });
  const n = use.length;
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = use[i] as number;
    let v = frame.y[j] as number;
    for (const [b, c] of cols) v -= b * (c[j] as number);
    resid[i] = v;
  }
  const idx = Int32Array.from(use);
  const facs = frame.fixef.map((g) => subsetFactor(g, idx));
  const fc = fixefCoefficients(resid, {
    factors: facs,
    weights: frame.weights ? Float64Array.from(use, (j) => (frame.weights as Float64Array)[j] as number) : undefined,
  });
  const out: Record<string, Map<string, number>> = {};
  frame.fixefNames.forEach((name, q) => {
    const vars = name.split("^");
    const labels = Array.from(obsRows, (r) => vars.map((v) => String((data.columns[v] as ArrayLike<unknown>)[r])).join("^"));
    const m = new Map<string, number>();
    const codes = (facs[q] as { codes: Int32Array }).codes;
    for (let i = 0; i < n; i++)
      if (!m.has(labels[i] as string)) m.set(labels[i] as string, (fc.alpha[q] as Float64Array)[codes[i] as number] as number);
    out[name] = m;
  });
  return out;
}
