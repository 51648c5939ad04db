import { type Table } from "../data/table";
import { parseFormula } from "./formula";
import { buildModelFrame } from "./model-frame";
import { demean } from "../core/fixed-effects/demean";
import { collinearityCheck, qrLeastSquares } from "../core/linalg/qr";
import { parseVcov, vcovDof, type VcovSpec } from "../vcov";
import { pT2, qT, pF } from "../util/distributions";
import { EstimationError } from "../util/errors";
import { defaultVcov, scaleBySqrtW, type CoefRow, type FeolsOptions, type FeolsResult } from "./feols";
import { ivVcov, type IvSscPreset, type Vce } from "./iv/ssc";
import { firstStage, type FirstStageResult } from "./iv/first-stage";
import { ivDiagnostics, type IvDiagnostics } from "./iv/diagnostics";
import { freezeColumns, frozenGram, inv } from "./iv/linalg";
import type { IvDesign } from "./iv/types";

/**
 * Two-stage least squares with high-dimensional fixed effects:
 *
 *   iv2sls(data, "quality ~ fdi + open | city + year + hs4 | vagg ~ L_vagg", { vcov: "cluster:city^hs4" })
 *
 * Pipeline: parse → model frame (NA/Inf over y, exogenous, endogenous and instruments,
 * weights, singletons — all counted) → one `demean` call over [y, exog, endo, inst] → √w
 * scaling → collinearity checks by pivoted QR (collinear exogenous regressors, instruments
 * and endogenous regressors are dropped and named) → first stage (each endogenous regressor
 * on [exog, instruments]) → second stage (y on [fitted endogenous, exog]) → variance of the
 * second stage with the *structural* residuals y − [X1, X2]β̂ and bread (X̂'X̂)^{-1} (as
 * fixest, ivreg2) → inference and diagnostics (lib/estimators/iv).
 *
 * Small-sample presets: `fixest` (default), `reghdfe`, and `ivreghdfe` (no small-sample
 * factor, z inference — ivreghdfe without `small`). Coefficients of endogenous regressors
 * keep their own names (`x1`, not fixest's `fit_x1`); order: (Intercept), endogenous, exogenous.
 */
export interface Iv2slsOptions extends Omit<FeolsOptions, "ssc"> {
  readonly ssc?: IvSscPreset;
  /** Confidence level of the Anderson–Rubin set (default: `level`, 0.95). */
  readonly arLevel?: number;
  /** Skip the diagnostics (faster when only coefficients are needed). Default false. */
  readonly skipDiagnostics?: boolean;
}

export interface Iv2slsResult extends Omit<FeolsResult, "ssc"> {
  readonly ssc: IvSscPreset;
  readonly endogenous: readonly string[];
  readonly exogenous: readonly string[];
  readonly instruments: readonly string[];
  /** Excluded instruments dropped as collinear (with each other or with the exogenous regressors / fixed effects). */
  readonly droppedInstruments: readonly string[];
  readonly firstStage: readonly FirstStageResult[];
  readonly diagnostics?: IvDiagnostics;
}

export function iv2sls(data: Table, formula: string, opts: Iv2slsOptions = {}): Iv2slsResult {
  const f = parseFormula(formula);
  if (!f.endo.length) throw new EstimationError(`this formula has no IV part ("| endo ~ instruments"); use feols()`, { term: formula });
  const endoL = f.endo.map((t) => t.label), instL = f.inst.map((t) => t.label), exL = f.rhs.map((t) => t.label);
  if (instL.length < endoL.length) throw new EstimationError(`under-identified: ${endoL.length} endogenous regressor${endoL.length > 1 ? "s" : ""} (${endoL.join(", ")}) but only ${instL.length} excluded instrument${instL.length === 1 ? "" : "s"} (${instL.join(", ") || "none"})`, { term: formula });
  for (const e of endoL) {
    if (instL.includes(e)) throw new EstimationError(`"${e}" is both endogenous and an instrument`, { term: e });
    if (exL.includes(e)) throw new EstimationError(`"${e}" is both endogenous and exogenous`, { term: e });
  }
  for (const z of instL) if (exL.includes(z)) throw new EstimationError(`"${z}" is both an excluded instrument and an included exogenous regressor`, { term: z });
  const spec: VcovSpec = typeof opts.vcov === "string" ? parseVcov(opts.vcov) : opts.vcov ?? defaultVcov(f);
  const frame = buildModelFrame(data, f, { weights: opts.weights, singletons: opts.singletons, cluster: typeof spec === "object" ? spec.cluster : [] });
  const n = frame.n;
  const w = frame.weights;
  const hasFe = frame.fixef.length > 0;
  const hasInt = f.intercept && !hasFe;
  const exRaw = hasInt ? [new Float64Array(n).fill(1), ...frame.X] : [...frame.X];
  const exNames = hasInt ? ["(Intercept)", ...frame.xNames] : [...frame.xNames];
  const kx = exRaw.length, k1 = frame.endo.length, l1 = frame.inst.length;
  // one demeaning pass over every column
  const dm = demean([frame.y, ...exRaw, ...frame.endo, ...frame.inst], { factors: frame.fixef, weights: w }, opts.demean);
  if (!dm.converged) throw new EstimationError(`fixed-effect demeaning did not converge; raise demean.maxIter or check for weakly connected fixed effects`);
  const S = scaleBySqrtW(dm.columns, w);
  const ref = scaleBySqrtW([...exRaw, ...frame.endo, ...frame.inst], w).map((c) => Math.sqrt(c.reduce((s, v) => s + v * v, 0)));
  const ys = S[0] as Float64Array;
  const exD = S.slice(1, 1 + kx), enD = S.slice(1 + kx, 1 + kx + k1), inD = S.slice(1 + kx + k1);
  const refEx = ref.slice(0, kx), refEn = ref.slice(kx, kx + k1), refIn = ref.slice(kx + k1);
  const tol = opts.collinTol ?? 1e-10;
  // the demeaned columns are not modified from here on: share their cross-products
  freezeColumns(S);
  const cache = frozenGram();
  // 1. exogenous regressors
  const qx = collinearityCheck(exD, ys, { tol, refNorms: refEx, cache });
  const ex = qx.kept.map((j) => exD[j] as Float64Array), exN = qx.kept.map((j) => exNames[j] as string);
  const collinear: string[] = qx.dropped.map((j) => exNames[j] as string);
  const refExK = qx.kept.map((j) => refEx[j] as number);
  // 2. instruments (collinear with exog/FE or with each other)
  const qz = collinearityCheck([...ex, ...inD], ys, { tol, refNorms: [...refExK, ...refIn], cache });
  const instKeep = qz.kept.filter((j) => j >= ex.length).map((j) => j - ex.length);
  const droppedInstruments = qz.dropped.filter((j) => j >= ex.length).map((j) => frame.instNames[j - ex.length] as string);
  // 3. endogenous regressors (collinear with exog/FE or each other)
  const qe = collinearityCheck([...ex, ...enD], ys, { tol, refNorms: [...refExK, ...refEn], cache });
  const endoKeep = qe.kept.filter((j) => j >= ex.length).map((j) => j - ex.length);
  const droppedEndo = qe.dropped.filter((j) => j >= ex.length).map((j) => frame.endoNames[j - ex.length] as string);
  collinear.push(...droppedEndo);
  const en = endoKeep.map((j) => enD[j] as Float64Array), enN = endoKeep.map((j) => frame.endoNames[j] as string);
  const inst = instKeep.map((j) => inD[j] as Float64Array), instN = instKeep.map((j) => frame.instNames[j] as string);
  if (en.length === 0) throw new EstimationError(`every endogenous regressor (${frame.endoNames.join(", ")}) is collinear with the exogenous regressors or fixed effects`, { term: formula });
  if (inst.length < en.length) throw new EstimationError(`under-identified after removing collinear instruments: ${en.length} endogenous regressor${en.length > 1 ? "s" : ""} (${enN.join(", ")}) but ${inst.length} usable excluded instrument${inst.length === 1 ? "" : "s"} (${instN.join(", ") || "none"}; dropped as collinear: ${droppedInstruments.join(", ") || "none"})`, { term: formula });
  // first stage fitted values
  const W = [...ex, ...inst];
  const xhat = en.map((x) => {
    const q = qrLeastSquares(W, x, { tol: 0, cache });
    const h = new Float64Array(n);
    const r = q.residuals; // Cholesky solver: fitted = x − residuals; Householder: from the coefficients
    if (r) for (let i = 0; i < n; i++) h[i] = (x[i] as number) - (r[i] as number);
    else q.kept.forEach((j, a) => { const b = q.beta[a] as number, c = W[j] as Float64Array; for (let i = 0; i < n; i++) h[i] += b * (c[i] as number); });
    return h;
  });
  // second stage: order (Intercept), endogenous, other exogenous
  const intIdx = hasInt ? exN.indexOf("(Intercept)") : -1;
  const exOther = ex.filter((_, j) => j !== intIdx), exOtherN = exN.filter((_, j) => j !== intIdx);
  const Xh = [...(intIdx >= 0 ? [ex[intIdx] as Float64Array] : []), ...xhat, ...exOther];
  const Xa = [...(intIdx >= 0 ? [ex[intIdx] as Float64Array] : []), ...en, ...exOther];
  const names = [...(intIdx >= 0 ? ["(Intercept)"] : []), ...enN, ...exOtherN];
  const q2 = qrLeastSquares(Xh, ys, { tol, cache });
  if (q2.dropped.length) throw new EstimationError(`second stage is rank deficient (${q2.dropped.map((j) => names[j]).join(", ")}): the instruments do not identify the endogenous regressors separately`, { term: formula });
  const k = names.length;
  if (n <= k) throw new EstimationError(`${n} observations for ${k} coefficients: not identified`);
  const es = Float64Array.from(ys);
  Xa.forEach((x, a) => { const b = q2.beta[a] as number; for (let i = 0; i < n; i++) es[i] -= b * (x[i] as number); });
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (es[i] as number) ** 2;
  const preset = opts.ssc ?? "fixest";
  const vcIn = { fixef: frame.fixef, fixefNames: frame.fixefNames, clusters: frame.clusters, clusterNames: frame.clusterNames, spec };
  const vc = ivVcov({ ...vcIn, X: Xh, e: es, bread: q2.xtxInv, rss, n, kCoef: k, preset });
  const level = opts.level ?? 0.95;
  const tcrit = qT(1 - (1 - level) / 2, vc.dof.tDf);
  const coef: Record<string, number> = {}, se: Record<string, number> = {}, tstat: Record<string, number> = {}, pvalue: Record<string, number> = {};
  const rows: CoefRow[] = [];
  names.forEach((name, a) => {
    const b = q2.beta[a] as number, s = Math.sqrt(vc.V[a * k + a] as number), t = b / s;
    coef[name] = b; se[name] = s; tstat[name] = t; pvalue[name] = pT2(t, vc.dof.tDf);
    rows.push(Object.freeze({ name, estimate: b, se: s, t, p: pvalue[name] as number, ciLow: b - tcrit * s, ciHigh: b + tcrit * s }));
  });
  // goodness of fit (structural residuals, as fixest)
  let sw = 0, swy = 0;
  for (let i = 0; i < n; i++) { const wi = w ? (w[i] as number) : 1; sw += wi; swy += wi * (frame.y[i] as number); }
  const ybar = swy / sw;
  let tss = 0, tssW = 0;
  for (let i = 0; i < n; i++) { const dv = (frame.y[i] as number) - ybar; tss += (w ? (w[i] as number) : 1) * dv * dv; tssW += (ys[i] as number) ** 2; }
  const feDofFixest = hasFe ? frame.fixef.reduce((s, g) => s + g.size - 1, 0) + 1 : 0;
  const nparams = k + feDofFixest;
  const r2 = 1 - rss / tss;
  const adjR2 = 1 - (1 - r2) * (n - 1) / (n - nparams);
  const withinR2 = hasFe ? 1 - rss / tssW : NaN;
  // Wald F of all slopes with the model's vcov
  const slopeIdx = names.map((_, a) => a).filter((a) => names[a] !== "(Intercept)");
  let fstat: FeolsResult["fstat"];
  try {
    const Vs = slopeIdx.map((a) => slopeIdx.map((b) => vc.V[a * k + b] as number));
    const bs = slopeIdx.map((a) => q2.beta[a] as number);
    const Vi = inv(Vs);
    const stat = bs.reduce((s, x, i) => s + x * (Vi[i] as number[]).reduce((t, v, j) => t + v * (bs[j] as number), 0), 0) / slopeIdx.length;
    const df2 = Number.isFinite(vc.dof.tDf) ? vc.dof.tDf : Infinity;
    fstat = { stat, df1: slopeIdx.length, df2, p: pF(stat, slopeIdx.length, df2) };
  } catch { fstat = { kind: "invalid", reason: "singular vcov of the slopes" }; }
  // design for diagnostics
  const vce: Vce = spec === "iid" ? { kind: "iid", clusters: [] } : spec === "hetero" ? { kind: "hetero", clusters: [] } : { kind: "cluster", clusters: frame.clusters };
  const rhK = preset === "reghdfe" ? vc.dof.K : vcovDof({ ...vcIn, n, kCoef: k, preset: "reghdfe" }).K;
  const design: IvDesign = Object.freeze({
    n, y: ys, endo: en, endoNames: enN, exog: ex, exogNames: exN, inst, instNames: instN, vce,
    sdofminus: rhK - k, feDofFixest, fixef: frame.fixef,
  });
  const fs = firstStage(design, (X, e, bread, r, kCoef) => ivVcov({ ...vcIn, X, e, bread, rss: r, n, kCoef: kCoef ?? X.length, preset }).V);
  const enIdx = names.indexOf(enN[0] as string);
  const diagnostics = opts.skipDiagnostics ? undefined : ivDiagnostics(design, es, { level: opts.arLevel ?? level, center: q2.beta[enIdx] as number, scale: se[enN[0] as string] as number });
  const notes: string[] = [];
  if (frame.removed.na) notes.push(`${frame.removed.na} observation${frame.removed.na > 1 ? "s" : ""} removed because of NA/Inf values (${Object.entries(frame.removed.naByVariable).map(([v, c]) => `${v}: ${c}`).concat(Object.entries(frame.removed.infByVariable).map(([v, c]) => `${v}: ${c} Inf`)).join(", ")}).`);
  if (frame.removed.nonPositiveWeight) notes.push(`${frame.removed.nonPositiveWeight} observations removed because of non-positive weights.`);
  if (frame.removed.singletons) notes.push(`${frame.removed.singletons} fixed-effect singleton${frame.removed.singletons > 1 ? "s" : ""} removed.`);
  if (collinear.length) notes.push(`Removed because of collinearity: ${collinear.map((c) => `"${c}"`).join(", ")}.`);
  if (droppedInstruments.length) notes.push(`Instrument${droppedInstruments.length > 1 ? "s" : ""} ${droppedInstruments.map((c) => `"${c}"`).join(", ")} dropped: collinear with the other instruments, the exogenous regressors or the fixed effects.`);
  if (vc.psdFixed) notes.push(`The multiway vcov had negative eigenvalues, set to zero (Cameron, Gelbach & Miller 2011).`);
  const V: (readonly number[])[] = [];
  for (let a = 0; a < k; a++) V.push(Object.freeze(Array.from(vc.V.subarray(a * k, (a + 1) * k))));
  return Object.freeze({
    formula: f.text, depvar: frame.yName,
    coefNames: Object.freeze(names), coef: Object.freeze(coef), se: Object.freeze(se), tstat: Object.freeze(tstat), pvalue: Object.freeze(pvalue),
    table: Object.freeze(rows), vcov: Object.freeze(V), vcovType: vc.label, ssc: preset,
    nobs: n, removed: frame.removed, collinear: Object.freeze(collinear),
    r2, adjR2, withinR2, fstat: Object.freeze(fstat), rss, sigma: Math.sqrt(rss / (n - vc.dof.K)),
    fixef: Object.freeze({ names: frame.fixefNames, sizes: frame.fixef.map((g) => g.size) }),
    dof: vc.dof,
    demeaning: { method: dm.method, iterations: Math.max(0, ...dm.iterations), converged: dm.converged },
    level, obsRows: frame.rows,
    residuals: opts.keepResiduals === false ? undefined : (w ? es.map((v, i) => v / Math.sqrt(w[i] as number)) : es),
    notes: Object.freeze(notes),
    endogenous: Object.freeze(enN), exogenous: Object.freeze(exN), instruments: Object.freeze(instN),
    droppedInstruments: Object.freeze(droppedInstruments),
    firstStage: Object.freeze(fs), diagnostics,
  });
}
