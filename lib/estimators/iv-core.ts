import { residuals } from "../core/linalg/residuals";
import { euclideanNorm } from "../core/linalg/norm";
import type { ParsedFormula } from "./formula";
import type { ModelFrame } from "./model-frame";
import { demean, demeanOptionsFor, type DemeanOptions } from "../core/fixed-effects/demean";
import { collinearityCheck, qrLeastSquares } from "../core/linalg/qr";
import { vcovDof, type VcovSpec } from "../vcov";
import { EstimationError } from "../util/errors";
import { scaleBySqrtW } from "./feols";
import { ivVcov, type IvSscPreset, type Vce } from "./iv/ssc";
import { freezeColumns, frozenGram, inv, cross, crossVec, mulVec } from "./iv/linalg";
import type { IvDesign } from "./iv/types";
import { coefficientTable, type CoefRow, type VcovLike } from "./fit";

/**
 * The numerical core of 2SLS with absorbed fixed effects (used by `iv2sls`): one demeaning
 * pass over [y, exog, endo, inst], √w scaling, collinearity checks (exogenous regressors,
 * instruments, endogenous regressors — dropped and named), first-stage fitted values and the
 * second stage y on [X̂1, X2]. Residuals are the structural ones, y − [X1, X2]β̂.
 */
export interface IvCore {
  /** Coefficient names: (Intercept), endogenous, other exogenous. */
  readonly names: string[];
  readonly beta: Float64Array;
  /** Second-stage regressors [X̂1, X2] (demeaned, √w-scaled), in `names` order. */
  readonly Xh: Float64Array[];
  /** (X̂'X̂)⁻¹, row-major. */
  readonly bread: Float64Array;
  readonly ys: Float64Array;
  /** √w-scaled structural residuals. */
  readonly es: Float64Array;
  readonly rss: number;
  readonly collinear: string[];
  readonly droppedInstruments: string[];
  readonly endo: Float64Array[];
  readonly endoNames: string[];
  /** Kept exogenous columns (with the intercept when there are no fixed effects). */
  readonly exog: Float64Array[];
  readonly exogNames: string[];
  readonly inst: Float64Array[];
  readonly instNames: string[];
  readonly demeaning: { readonly method: string; readonly iterations: number; readonly converged: boolean };
}

/** Formula-level checks of a 2SLS specification (identification counts, overlapping roles). */
export function checkIvFormula(f: ParsedFormula, formula: string): void {
  if (!f.endo.length) throw new EstimationError(`this formula has no IV part ("| endo ~ instruments"); use feols()`, { term: formula });
  const endoL = f.endo.map((t) => t.label),
    instL = f.inst.map((t) => t.label),
    exL = f.rhs.map((t) => t.label);
  if (instL.length < endoL.length)
    throw new EstimationError(
      `under-identified: ${endoL.length} endogenous regressor${endoL.length > 1 ? "s" : ""} (${endoL.join(", ")}) but only ${instL.length} excluded instrument${instL.length === 1 ? "" : "s"} (${instL.join(", ") || "none"})`,
      { term: formula },
    );
  for (const e of endoL) {
    if (instL.includes(e)) throw new EstimationError(`"${e}" is both endogenous and an instrument`, { term: e });
    if (exL.includes(e)) throw new EstimationError(`"${e}" is both endogenous and exogenous`, { term: e });
  }
  for (const z of instL)
    if (exL.includes(z))
      throw new EstimationError(`"${z}" is both an excluded instrument and an included exogenous regressor`, { term: z });
}

/**
 * 2SLS on a model frame (see `IvCore`): β̂ = (X̂'X̂)⁻¹X̂'ỹ with X̂ = P_W̃ X̃1 for
 * W = [exog, excluded instruments], every column demeaned by the fixed effects and √w-scaled;
 * structural residuals ê = ỹ − [X̃1, X̃2]β̂ (Baum, Schaffer & Stillman 2003, eq. 2.4).
 *
 * @example const core = ivCore(frame, true, "y ~ x3 | fe1 | x1 ~ z1 + z2");
 */
export function ivCore(
  frame: ModelFrame,
  intercept: boolean,
  formula: string,
  opts: { collinTol?: number; demean?: DemeanOptions } = {},
): IvCore {
  return ivCores(frame, [frame.y], intercept, formula, opts)[0] as IvCore;
}

/**
 * `ivCore` for several outcomes on the same frame: every column — the outcomes, exogenous and
 * endogenous regressors and instruments — is demeaned once, in one call; then each outcome goes
 * through the same steps as alone, so each core equals `ivCore` of that
 * outcome bit for bit. The direct-or-iterative choice is made for the column count of one outcome.
 */
export function ivCores(
  frame: ModelFrame,
  outcomes: readonly Float64Array[],
  intercept: boolean,
  formula: string,
  opts: { collinTol?: number; demean?: DemeanOptions } = {},
): IvCore[] {
  const n = frame.n;
  const w = frame.weights;
  const hasFe = frame.fixef.length > 0;
  const hasInt = intercept && !hasFe;
  const exRaw = hasInt ? [new Float64Array(n).fill(1), ...frame.X] : [...frame.X];
  const exNames = hasInt ? ["(Intercept)", ...frame.xNames] : [...frame.xNames];
  const kx = exRaw.length,
    k1 = frame.endo.length;
  const K = outcomes.length;
  // one demeaning pass over every column
  const dm = demean(
    [...outcomes, ...exRaw, ...frame.endo, ...frame.inst],
    { factors: frame.fixef, weights: w },
    demeanOptionsFor(frame.fixef, 1 + kx + k1 + frame.inst.length, opts.demean),
  );
  if (!dm.converged)
    throw new EstimationError(`fixed-effect demeaning did not converge; raise demean.maxIter or check for weakly connected fixed effects`);
  const S = scaleBySqrtW(dm.columns, w);
  const ref = scaleBySqrtW([...exRaw, ...frame.endo, ...frame.inst], w).map(euclideanNorm);
  const exD = S.slice(K, K + kx),
    enD = S.slice(K + kx, K + kx + k1),
    inD = S.slice(K + kx + k1);
  const refEx = ref.slice(0, kx),
    refEn = ref.slice(kx, kx + k1),
    refIn = ref.slice(kx + k1);
  const tol = opts.collinTol ?? 1e-10;
  // the demeaned columns are not modified from here on: share their cross-products
  freezeColumns(S);
  const xIterations = dm.iterations.slice(K);
  return outcomes.map((_, m) =>
    ivSolve(S[m] as Float64Array, exD, enD, inD, refEx, refEn, refIn, exNames, hasInt, frame, formula, tol, {
      method: dm.method,
      iterations: Math.max(0, dm.iterations[m] as number, ...xIterations),
      converged: dm.converged,
    }),
  );
}

/**
 * The steps of `ivCore` after the demeaning, for one outcome. The cross-product cache is shared
 * (`frozenGram`): each product is summed blockwise in observation order whichever call computes
 * it first, so a second outcome reusing the first one's products gets the same bits.
 */
function ivSolve(
  ys: Float64Array,
  exD: Float64Array[],
  enD: Float64Array[],
  inD: Float64Array[],
  refEx: number[],
  refEn: number[],
  refIn: number[],
  exNames: string[],
  hasInt: boolean,
  frame: ModelFrame,
  formula: string,
  tol: number,
  demeaning: IvCore["demeaning"],
): IvCore {
  const n = frame.n;
  const cache = frozenGram();
  // 1. exogenous regressors
  const qx = collinearityCheck(exD, ys, { tol, refNorms: refEx, cache });
  const ex = qx.kept.map((j) => exD[j] as Float64Array),
    exN = qx.kept.map((j) => exNames[j] as string);
  const collinear: string[] = qx.dropped.map((j) => exNames[j] as string);
  const refExK = qx.kept.map((j) => refEx[j] as number);
  // 2. instruments (collinear with exog/FE or with each other)
  const qz = collinearityCheck([...ex, ...inD], ys, { tol, refNorms: [...refExK, ...refIn], cache });
  const instKeep = qz.kept.filter((j) => j >= ex.length).map((j) => j - ex.length);
  const droppedInstruments = qz.dropped.filter((j) => j >= ex.length).map((j) => frame.instNames[j - ex.length] as string);
  // 3. endogenous regressors (collinear with exog/FE or each other)
  const qe = collinearityCheck([...ex, ...enD], ys, { tol, refNorms: [...refExK, ...refEn], cache });
  const endoKeep = qe.kept.filter((j) => j >= ex.length).map((j) => j - ex.length);
  collinear.push(...qe.dropped.filter((j) => j >= ex.length).map((j) => frame.endoNames[j - ex.length] as string));
  const en = endoKeep.map((j) => enD[j] as Float64Array),
    enN = endoKeep.map((j) => frame.endoNames[j] as string);
  const inst = instKeep.map((j) => inD[j] as Float64Array),
    instN = instKeep.map((j) => frame.instNames[j] as string);
  if (en.length === 0)
    throw new EstimationError(
      `every endogenous regressor (${frame.endoNames.join(", ")}) is collinear with the exogenous regressors or fixed effects`,
      { term: formula },
    );
  if (inst.length < en.length)
    throw new EstimationError(
      `under-identified after removing collinear instruments: ${en.length} endogenous regressor${en.length > 1 ? "s" : ""} (${enN.join(", ")}) but ${inst.length} usable excluded instrument${inst.length === 1 ? "" : "s"} (${instN.join(", ") || "none"}; dropped as collinear: ${droppedInstruments.join(", ") || "none"})`,
      { term: formula },
    );
  // first stage fitted values
  const W = [...ex, ...inst];
  const xhat = en.map((x) => {
    const q = qrLeastSquares(W, x, { tol: 0, cache });
    const h = new Float64Array(n);
    const r = q.residuals; // Cholesky solver: fitted = x − residuals; Householder: from the coefficients
    if (r) for (let i = 0; i < n; i++) h[i] = (x[i] as number) - (r[i] as number);
    else
      q.kept.forEach((j, a) => {
        const b = q.beta[a] as number,
          c = W[j] as Float64Array;
        for (let i = 0; i < n; i++) h[i] += b * (c[i] as number);
      });
    return h;
  });
  // second stage: order (Intercept), endogenous, other exogenous
  const intIdx = hasInt ? exN.indexOf("(Intercept)") : -1;
  const exOther = ex.filter((_, j) => j !== intIdx),
    exOtherN = exN.filter((_, j) => j !== intIdx);
  const Xh = [...(intIdx >= 0 ? [ex[intIdx] as Float64Array] : []), ...xhat, ...exOther];
  const Xa = [...(intIdx >= 0 ? [ex[intIdx] as Float64Array] : []), ...en, ...exOther];
  const names = [...(intIdx >= 0 ? ["(Intercept)"] : []), ...enN, ...exOtherN];
  const q2 = qrLeastSquares(Xh, ys, { tol, cache });
  if (q2.dropped.length)
    throw new EstimationError(
      `second stage is rank deficient (${q2.dropped.map((j) => names[j]).join(", ")}): the instruments do not identify the endogenous regressors separately`,
      { term: formula },
    );
  const k = names.length;
  if (n <= k) throw new EstimationError(`${n} observations for ${k} coefficients: not identified`);
  const es = residuals(ys, Xa, q2.beta);
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (es[i] as number) ** 2;
  return {
    names,
    beta: q2.beta,
    Xh,
    bread: q2.xtxInv,
    ys,
    es,
    rss,
    collinear,
    droppedInstruments,
    endo: en,
    endoNames: enN,
    exog: ex,
    exogNames: exN,
    inst,
    instNames: instN,
    demeaning,
  };
}

/** The inputs `lib/vcov` needs besides the regressors and residuals. */
export function vcovContext(frame: ModelFrame, spec: VcovSpec) {
  return { fixef: frame.fixef, fixefNames: frame.fixefNames, clusters: frame.clusters, clusterNames: frame.clusterNames, spec };
}

/** Variance of the second stage: bread (X̂'X̂)⁻¹, structural residuals (as fixest, ivreg2). */
export function ivSecondStageVcov(frame: ModelFrame, core: IvCore, spec: VcovSpec, preset: IvSscPreset): VcovLike {
  return ivVcov({
    ...vcovContext(frame, spec),
    X: core.Xh,
    e: core.es,
    bread: core.bread,
    rss: core.rss,
    n: frame.n,
    kCoef: core.names.length,
    preset,
  });
}

/** The estimation sample in the shape the diagnostics (lib/estimators/iv) need. */
export function ivDesignOf(frame: ModelFrame, core: IvCore, spec: VcovSpec, preset: IvSscPreset, vc: VcovLike): IvDesign {
  const n = frame.n,
    k = core.names.length;
  const vce: Vce =
    spec === "iid"
      ? { kind: "iid", clusters: [] }
      : spec === "hetero"
        ? { kind: "hetero", clusters: [] }
        : { kind: "cluster", clusters: frame.clusters };
  const rhK = preset === "reghdfe" ? vc.dof.K : vcovDof({ ...vcovContext(frame, spec), n, kCoef: k, preset: "reghdfe" }).K;
  const feDofFixest = frame.fixef.length ? frame.fixef.reduce((s, g) => s + g.size - 1, 0) + 1 : 0;
  return Object.freeze({
    n,
    y: core.ys,
    endo: core.endo,
    endoNames: core.endoNames,
    exog: core.exog,
    exogNames: core.exogNames,
    inst: core.inst,
    instNames: core.instNames,
    vce,
    sdofminus: rhK - k,
    feDofFixest,
    fixef: frame.fixef,
  });
}

/** First-stage coefficient rows of the excluded instruments, for one endogenous regressor. */
export interface FirstStageTable {
  readonly endogenous: string;
  /** Excluded instruments only, with SEs from the model's vcov type and small-sample preset. */
  readonly rows: readonly CoefRow[];
  readonly vcovType: string;
}

/**
 * The first-stage regressions x_j on [exog, instruments] (demeaned, √w-scaled), with the
 * model's vcov type and preset (as fixest's `summary(m, stage = 1)`), reporting the rows of
 * the excluded instruments.
 */
export function firstStageTables(frame: ModelFrame, core: IvCore, spec: VcovSpec, preset: IvSscPreset, level: number): FirstStageTable[] {
  const W = [...core.exog, ...core.inst];
  const Wn = [...core.exogNames, ...core.instNames];
  const kW = W.length,
    n = frame.n;
  const A = inv(cross(W));
  const bread = new Float64Array(kW * kW);
  for (let a = 0; a < kW; a++) for (let c = 0; c < kW; c++) bread[a * kW + c] = (A[a] as number[])[c] as number;
  return core.endo.map((x, j) => {
    const b = mulVec(A, crossVec(W, x));
    const e = Float64Array.from(x);
    W.forEach((c, a) => {
      const bb = b[a] as number;
      for (let i = 0; i < n; i++) e[i] -= bb * (c[i] as number);
    });
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (e[i] as number) ** 2;
    const vc = ivVcov({ ...vcovContext(frame, spec), X: W, e, bread, rss, n, kCoef: kW, preset });
    const tab = coefficientTable(Wn, b, vc.V, vc.dof.tDf, level);
    return { endogenous: core.endoNames[j] as string, rows: tab.rows.filter((r) => core.instNames.includes(r.name)), vcovType: vc.label };
  });
}
