import { type Table } from "../data/table";
import { parseFormula, type ParsedFormula } from "./formula";
import { buildModelFrame, type ModelFrame, type RemovedCounts } from "./model-frame";
import { demean, fixefCoefficients, type DemeanOptions } from "../core/fixed-effects/demean";
import { qrLeastSquares } from "../core/linalg/qr";
import { computeVcov, parseVcov, type VcovSpec, type SscPreset } from "../vcov";
import type { DofAudit } from "../vcov/ssc";
import { pT2, qT, pF } from "../util/distributions";
import { EstimationError } from "../util/errors";

/**
 * OLS with high-dimensional fixed effects, fixest-style:
 *
 *   feols(data, "quality ~ vagg + fdi + open | city + year + hs4", { vcov: { cluster: ["city^hs4"] } })
 *
 * Pipeline (each step a function of its own): parse → model frame (NA/Inf, weights,
 * singletons, all counted) → demean by the fixed effects (lib/core/fixed-effects) →
 * least squares by pivoted Householder QR, collinear regressors dropped and named →
 * variance (lib/vcov, small-sample preset `fixest` or `reghdfe`) → inference.
 *
 * The result is an immutable object: coefficients, SEs, t, p, confidence intervals,
 * vcov, N, removed counts, R², adjusted R², within R², F, and a degrees-of-freedom audit.
 */
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
}

export interface CoefRow {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
  readonly t: number;
  readonly p: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

export interface FeolsResult {
  readonly formula: string;
  readonly depvar: string;
  readonly coefNames: readonly string[];
  readonly coef: Readonly<Record<string, number>>;
  readonly se: Readonly<Record<string, number>>;
  readonly tstat: Readonly<Record<string, number>>;
  readonly pvalue: Readonly<Record<string, number>>;
  readonly table: readonly CoefRow[];
  /** Row-major k×k, in `coefNames` order. */
  readonly vcov: readonly (readonly number[])[];
  readonly vcovType: string;
  readonly ssc: SscPreset;
  readonly nobs: number;
  readonly removed: RemovedCounts;
  readonly collinear: readonly string[];
  readonly r2: number;
  readonly adjR2: number;
  /** R² of the demeaned model (NaN without fixed effects). */
  readonly withinR2: number;
  /** Wald F of all slopes (iid form, as fixest's "F-test"), with its df and p. */
  readonly fstat: { readonly stat: number; readonly df1: number; readonly df2: number; readonly p: number } | { readonly kind: "invalid"; readonly reason: string };
  readonly rss: number;
  readonly sigma: number;
  readonly fixef: { readonly names: readonly string[]; readonly sizes: readonly number[] };
  readonly dof: DofAudit;
  readonly demeaning: { readonly method: string; readonly iterations: number; readonly converged: boolean };
  readonly level: number;
  /** Row indices of the input table used in estimation. */
  readonly obsRows: Int32Array;
  readonly residuals?: Float64Array;
  readonly notes: readonly string[];
}

export function defaultVcov(f: ParsedFormula): VcovSpec {
  // fixest: clustered by the first fixed effect when there are fixed effects, iid otherwise
  return f.fixef.length ? { cluster: [(f.fixef[0] as string[]).join("^")] } : "iid";
}

export function feols(data: Table, formula: string, opts: FeolsOptions = {}): FeolsResult {
  const f = parseFormula(formula);
  if (f.endo.length) throw new EstimationError(`this formula has an IV part; use iv2sls()`, { term: formula });
  const spec = typeof opts.vcov === "string" ? parseVcov(opts.vcov) : opts.vcov ?? defaultVcov(f);
  const frame = buildModelFrame(data, f, { weights: opts.weights, singletons: opts.singletons, cluster: typeof spec === "object" ? spec.cluster : [] });
  return fitFrame(frame, f, spec, opts);
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
export function linearCore(frame: ModelFrame, y: Float64Array, X: readonly Float64Array[], names: readonly string[], intercept: boolean, opts: { collinTol?: number; demean?: DemeanOptions } = {}): LinearCore {
  const n = y.length;
  const cols = [...X];
  const allNames = [...names];
  if (intercept && frame.fixef.length === 0) { cols.unshift(new Float64Array(n).fill(1)); allNames.unshift("(Intercept)"); }
  const w = frame.weights;
  const dm = demean([y, ...cols], { factors: frame.fixef, weights: w }, opts.demean);
  if (!dm.converged) throw new EstimationError(`fixed-effect demeaning did not converge in ${opts.demean?.maxIter ?? 10000} iterations (tolerance ${opts.demean?.tol ?? 1e-10}); raise demean.maxIter or check for weakly connected fixed effects`);
  const scaled = scaleBySqrtW(dm.columns, w);
  const ys = scaled[0] as Float64Array;
  const Xd = scaled.slice(1);
  // reference norms: the raw (un-demeaned) columns, so that a regressor absorbed by the fixed effects is flagged
  const rawScaled = scaleBySqrtW(cols, w);
  const ref = rawScaled.map((c) => Math.sqrt(c.reduce((s, v) => s + v * v, 0)));
  const qr = qrLeastSquares(Xd, ys, { tol: opts.collinTol ?? 1e-10, refNorms: ref });
  const Xs = qr.kept.map((j) => Xd[j] as Float64Array);
  let es: Float64Array;
  if (qr.residuals) es = qr.residuals;
  else {
    es = Float64Array.from(ys);
    Xs.forEach((x, a) => { const b = qr.beta[a] as number; for (let i = 0; i < n; i++) es[i] -= b * (x[i] as number); });
  }
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (es[i] as number) * (es[i] as number);
  return {
    names: qr.kept.map((j) => allNames[j] as string),
    beta: qr.beta, kept: qr.kept,
    collinear: qr.dropped.map((j) => allNames[j] as string),
    Xs, ys, es, xtxInv: qr.xtxInv, rss,
    demeaning: { method: dm.method, iterations: Math.max(0, ...dm.iterations), converged: dm.converged },
  };
}

function fitFrame(frame: ModelFrame, f: ParsedFormula, spec: VcovSpec, opts: FeolsOptions): FeolsResult {
  const n = frame.n;
  const core = linearCore(frame, frame.y, frame.X, frame.xNames, f.intercept, opts);
  const k = core.names.length;
  if (k === 0) throw new EstimationError(`no regressor left after removing collinear variables (${core.collinear.join(", ") || "none given"})`, { term: f.text });
  if (n <= k) throw new EstimationError(`${n} observations for ${k} coefficients: not identified`);
  const vc = computeVcov({
    X: core.Xs, e: core.es, bread: core.xtxInv, rss: core.rss, n, kCoef: k,
    fixef: frame.fixef, fixefNames: frame.fixefNames, clusters: frame.clusters, clusterNames: frame.clusterNames,
    spec, preset: opts.ssc ?? "fixest",
  });
  const level = opts.level ?? 0.95;
  const tcrit = qT(1 - (1 - level) / 2, vc.dof.tDf);
  const coef: Record<string, number> = {}, se: Record<string, number> = {}, tstat: Record<string, number> = {}, pvalue: Record<string, number> = {};
  const rows: CoefRow[] = [];
  core.names.forEach((name, a) => {
    const b = core.beta[a] as number;
    const s = Math.sqrt(vc.V[a * k + a] as number);
    const t = b / s;
    const p = pT2(t, vc.dof.tDf);
    coef[name] = b; se[name] = s; tstat[name] = t; pvalue[name] = p;
    rows.push(Object.freeze({ name, estimate: b, se: s, t, p, ciLow: b - tcrit * s, ciHigh: b + tcrit * s }));
  });
  // goodness of fit
  const w = frame.weights;
  let sw = 0, swy = 0;
  for (let i = 0; i < n; i++) { const wi = w ? (w[i] as number) : 1; sw += wi; swy += wi * (frame.y[i] as number); }
  const ybar = swy / sw;
  let tss = 0;
  for (let i = 0; i < n; i++) { const d = (frame.y[i] as number) - ybar; tss += (w ? (w[i] as number) : 1) * d * d; }
  let tssWithin = 0;
  for (let i = 0; i < n; i++) tssWithin += (core.ys[i] as number) ** 2;
  const hasFe = frame.fixef.length > 0;
  const r2 = 1 - core.rss / tss;
  const nparams = hasFe ? k + frame.fixef.reduce((s, g) => s + g.size - 1, 0) + 1 : k;
  const adjR2 = 1 - (1 - r2) * (n - 1) / (n - nparams);
  const withinR2 = hasFe ? 1 - core.rss / tssWithin : NaN;
  const slopes = core.names.filter((nm) => nm !== "(Intercept)").length;
  const df2 = n - nparams;
  let fstat: FeolsResult["fstat"];
  if (slopes === 0) fstat = { kind: "invalid", reason: "no slope coefficients" };
  else {
    const ssrModel = (hasFe ? tssWithin : tss) - core.rss;
    const stat = (ssrModel / slopes) / (core.rss / df2);
    fstat = { stat, df1: slopes, df2, p: pF(stat, slopes, df2) };
  }
  const notes: string[] = [];
  if (frame.removed.na) notes.push(`${frame.removed.na} observation${frame.removed.na > 1 ? "s" : ""} removed because of NA/Inf values (${Object.entries({ ...frame.removed.naByVariable }).map(([v, c]) => `${v}: ${c}`).concat(Object.entries(frame.removed.infByVariable).map(([v, c]) => `${v}: ${c} Inf`)).join(", ")}).`);
  if (frame.removed.nonPositiveWeight) notes.push(`${frame.removed.nonPositiveWeight} observations removed because of non-positive weights.`);
  if (frame.removed.singletons) notes.push(`${frame.removed.singletons} fixed-effect singleton${frame.removed.singletons > 1 ? "s" : ""} removed.`);
  if (core.collinear.length) notes.push(`The variable${core.collinear.length > 1 ? "s" : ""} ${core.collinear.map((c) => `"${c}"`).join(", ")} ${core.collinear.length > 1 ? "have" : "has"} been removed because of collinearity.`);
  if (vc.psdFixed) notes.push(`The multiway vcov had negative eigenvalues, set to zero (Cameron, Gelbach & Miller 2011).`);
  const V: number[][] = [];
  for (let a = 0; a < k; a++) V.push(Array.from(vc.V.subarray(a * k, (a + 1) * k)));
  return Object.freeze({
    formula: f.text, depvar: frame.yName,
    coefNames: Object.freeze(core.names), coef: Object.freeze(coef), se: Object.freeze(se), tstat: Object.freeze(tstat), pvalue: Object.freeze(pvalue),
    table: Object.freeze(rows), vcov: Object.freeze(V.map((r) => Object.freeze(r))), vcovType: vc.label, ssc: opts.ssc ?? "fixest",
    nobs: n, removed: frame.removed, collinear: Object.freeze(core.collinear),
    r2, adjR2, withinR2, fstat, rss: core.rss, sigma: Math.sqrt(core.rss / (n - vc.dof.K)),
    fixef: Object.freeze({ names: frame.fixefNames, sizes: frame.fixef.map((g) => g.size) }),
    dof: vc.dof, demeaning: core.demeaning, level, obsRows: frame.rows,
    residuals: opts.keepResiduals === false ? undefined : unscale(core.es, frame.weights),
    notes: Object.freeze(notes),
  });
}

function unscale(es: Float64Array, w?: Float64Array): Float64Array {
  if (!w) return es;
  return es.map((v, i) => v / Math.sqrt(w[i] as number));
}

/**
 * Fixed-effect coefficients of a fitted model: the projection of y − Xβ on the dummies.
 * Returns, per fixed effect, a map level value → coefficient. Only the sum over fixed
 * effects is identified; redundant levels are normalised to 0 (direct method).
 */
export function fixef(data: Table, result: FeolsResult, opts: { weights?: string } = {}): Record<string, Map<string, number>> {
  const f = parseFormula(result.formula);
  const frame = buildModelFrame(data, f, { weights: opts.weights, singletons: "keep" });
  // restrict to the estimation sample
  const pos = new Map<number, number>();
  frame.rows.forEach((r, i) => pos.set(r, i));
  const use = Array.from(result.obsRows, (r) => pos.get(r) as number);
  const n = use.length;
  const resid = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = use[i] as number;
    let v = frame.y[j] as number;
    result.coefNames.forEach((name) => { const xi = frame.xNames.indexOf(name); if (xi >= 0) v -= (result.coef[name] as number) * ((frame.X[xi] as Float64Array)[j] as number); });
    resid[i] = v;
  }
  const { factorize, subsetFactor } = require("../core/fixed-effects/factorize") as typeof import("../core/fixed-effects/factorize");
  const idx = Int32Array.from(use);
  const facs = frame.fixef.map((g) => subsetFactor(g, idx));
  const fc = fixefCoefficients(resid, { factors: facs, weights: frame.weights ? Float64Array.from(use, (j) => (frame.weights as Float64Array)[j] as number) : undefined });
  const out: Record<string, Map<string, number>> = {};
  frame.fixefNames.forEach((name, q) => {
    const vars = name.split("^");
    const labels = Array.from(result.obsRows, (r) => vars.map((v) => String((data.columns[v] as ArrayLike<unknown>)[r])).join("^"));
    const m = new Map<string, number>();
    const codes = (facs[q] as { codes: Int32Array }).codes;
    for (let i = 0; i < n; i++) if (!m.has(labels[i] as string)) m.set(labels[i] as string, (fc.alpha[q] as Float64Array)[codes[i] as number] as number);
    out[name] = m;
  });
  void factorize;
  return out;
}
