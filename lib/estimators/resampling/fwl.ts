import { type Table } from "../../data/table";
import { parseFormula, type ParsedFormula } from "../formula";
import { buildModelFrame, type ModelFrame } from "../model-frame";
import { defaultVcov, linearCore } from "../feols";
import { demean, type DemeanOptions, type FixedEffectsDesign } from "../../core/fixed-effects/demean";
import { interact, type Factor } from "../../core/fixed-effects/factorize";
import { computeVcov, parseVcov, type VcovSpec, type SscPreset, type DofAudit } from "../../vcov";
import { ArgumentError, EstimationError } from "../../util/errors";
import { feProjector, type FeProjector } from "./fe-projector";

/** Options of `prepareFwl` (the `feols` options that matter for one re-estimated coefficient). */
export interface FwlOptions {
  readonly vcov?: VcovSpec | string;
  readonly weights?: string;
  readonly singletons?: "drop" | "keep";
  readonly ssc?: SscPreset;
  readonly demean?: DemeanOptions;
  /** Extra cluster variables to carry in the frame (their NAs drop rows like a vcov cluster would). */
  readonly extraClusters?: readonly string[];
  /** Collinearity tolerance (remaining norm / raw norm), as in `feols`. Default 1e-10. */
  readonly collinTol?: number;
}

/** A model prepared for repeated re-estimation of one coefficient (see `prepareFwl`). */
export interface FwlModel {
  readonly formula: ParsedFormula;
  readonly frame: ModelFrame;
  /** Name of the coefficient re-estimated. */
  readonly target: string;
  /** Its raw (un-demeaned) values on the estimation sample. */
  readonly x: Float64Array;
  readonly n: number;
  /** Kept controls (incl. "(Intercept)" without FE), and the controls dropped as collinear. */
  readonly controls: readonly string[];
  readonly collinear: readonly string[];
  readonly design: FixedEffectsDesign;
  readonly demeanOpts: DemeanOptions;
  /** √w, or undefined without weights. */
  readonly sw?: Float64Array;
  /** Orthonormal basis of the demeaned, scaled controls (k columns of length n). */
  readonly Q: readonly Float64Array[];
  readonly k: number;
  /** Demeaned scaled outcome, and its residual on the controls. */
  readonly ys: Float64Array;
  readonly ry: Float64Array;
  readonly spec: VcovSpec;
  readonly dof: DofAudit;
  /** Cluster dimensions of the meat with their inclusion–exclusion signs. */
  readonly meatTerms: readonly { readonly factor: Factor; readonly sign: number }[];
  /** Frame cluster factors, in `frame.clusterNames` order (vcov clusters first, then extras). */
  readonly vcovClusters: readonly Factor[];
  readonly extraClusters: readonly Factor[];
  readonly vcovLabel: string;
  readonly ssc: SscPreset;
  /** The estimate on the observed data. */
  readonly actual: FwlFit;
  readonly scratch: Float64Array;
  /** The split fixed-effect projection used by the fused fast path (null: generic `demean`). */
  readonly proj: FeProjector | null;
  /** y'y of ry, for iid variances from sums. */
  readonly ryry: number;
}

/** Coefficient, standard error and t of the target regressor. */
export interface FwlFit {
  readonly coef: number;
  readonly se: number;
  readonly t: number;
}

/**
 * One coefficient of an HDFE OLS model, prepared for many re-estimations in which only that
 * regressor (or only the outcome) changes: the Frisch–Waugh–Lovell route (Frisch & Waugh
 * 1933; Lovell 1963).
 *
 * Setup, once: build the model frame (same NA/singleton rules as `feols`), demean y and the
 * other regressors ("controls") by the fixed effects with ONE `FixedEffectsDesign` object (so
 * the direct Schur-complement factorisation in `demean` is computed once and reused), scale by
 * √w, and orthonormalise the controls (modified Gram–Schmidt, applied twice — "twice is
 * enough", Giraud, Langou & Rozložník 2005, Computers & Mathematics with Applications 50), keeping Q (n × k, row-major) and ry = M_C ỹ.
 *
 * Per new regressor column x: x̃ = √w·demean(x) (two passes over N with the cached plan),
 * r = x̃ − Q(Q'x̃), β = r'ry / r'r, residuals e = ry − β r. The row of (X'X)⁻¹X' belonging to x
 * in the full model is r'/r'r, so the full model's sandwich element for β is
 * (r'r)⁻² Σ_g (Σ_{i∈g} r_i e_i)² — with the full model's small-sample factors (K counts all
 * regressors and fixed effects exactly as `feols` does, via `computeVcov`), the coefficient,
 * SE and t equal a full `feols` re-estimate up to rounding (tested to 1e-8).
 *
 * Multi-way clustering uses the same inclusion–exclusion of one-way meats; when that scalar
 * is negative the full model's vcov is not positive semi-definite and `feols` applies the
 * eigenvalue fix to the whole k×k matrix, which a scalar cannot reproduce — that draw is then
 * re-estimated in full (`fullRefit`), so the result still equals `feols`.
 *
 * @example
 *   const m = prepareFwl(data, "y ~ x1 + x2 | city + year", "x1", { vcov: "cluster:city" });
 *   const fit = fwlFit(m, someColumnOfLengthN);   // { coef, se, t }
 */
export function prepareFwl(data: Table, formula: string, target: string, opts: FwlOptions = {}): FwlModel {
  const f = parseFormula(formula);
  if (f.endo.length) throw new EstimationError(`this formula has an IV part; resampling supports OLS only`, { term: formula });
  const labels = f.rhs.map((t) => t.label);
  if (!labels.includes(target))
    throw new ArgumentError(`"${target}" is not a regressor of the formula (regressors: ${labels.join(", ") || "none"})`, { term: target });
  const tTerm = f.rhs.find((t) => t.label === target) as { vars: readonly string[] };
  for (const other of f.rhs) {
    if (other.label === target) continue;
    const shared = other.vars.filter((v) => tTerm.vars.includes(v));
    if (shared.length)
      throw new ArgumentError(
        `"${target}" also enters the term "${other.label}"; resampling it alone would leave that term unchanged — create the product as its own column first`,
        { term: target },
      );
  }
  const spec = typeof opts.vcov === "string" ? parseVcov(opts.vcov) : (opts.vcov ?? defaultVcov(f));
  const vcovCl = typeof spec === "object" ? [...spec.cluster] : [];
  const extra = [...(opts.extraClusters ?? [])];
  const frame = buildModelFrame(data, f, { weights: opts.weights, singletons: opts.singletons, cluster: [...vcovCl, ...extra] });
  const n = frame.n;
  const j = frame.xNames.indexOf(target);
  const w = frame.weights;
  const sw = w ? w.map(Math.sqrt) : undefined;
  const design: FixedEffectsDesign = { factors: frame.fixef, weights: w };
  const dOpts = opts.demean ?? {};
  let ctrlRaw = frame.X.filter((_, a) => a !== j);
  let ctrlNames = frame.xNames.filter((_, a) => a !== j);
  if (f.intercept && frame.fixef.length === 0) {
    ctrlRaw = [new Float64Array(n).fill(1), ...ctrlRaw];
    ctrlNames = ["(Intercept)", ...ctrlNames];
  }
  const dm = demean([frame.y, ...ctrlRaw], design, dOpts);
  if (!dm.converged) throw new EstimationError(`fixed-effect demeaning did not converge; raise demean.maxIter`);
  const scale = (c: Float64Array): Float64Array => {
    if (!sw) return c;
    const o = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) o[i] = (c[i] as number) * (sw[i] as number);
    return o;
  };
  const ys = scale(dm.columns[0] as Float64Array);
  const tol = opts.collinTol ?? 1e-10;
  // orthonormalise the controls, dropping those (later ones first, as lm/fixest) that are collinear
  const basis: Float64Array[] = [];
  const kept: string[] = [];
  const collinear: string[] = [];
  ctrlRaw.forEach((raw, a) => {
    const v = Float64Array.from(scale(dm.columns[a + 1] as Float64Array));
    const refNorm = norm2(scale(raw));
    for (let pass = 0; pass < 2; pass++) for (const q of basis) axpy(-dot(q, v), q, v);
    const nv = norm2(v);
    if (!(nv > tol * refNorm) || !Number.isFinite(nv)) {
      collinear.push(ctrlNames[a] as string);
      return;
    }
    for (let i = 0; i < n; i++) v[i] = (v[i] as number) / nv;
    basis.push(v);
    kept.push(ctrlNames[a] as string);
  });
  const k = basis.length;
  const Q = basis;
  const ry = Float64Array.from(ys);
  for (let pass = 0; pass < 2; pass++) for (const q of basis) axpy(-dot(q, ry), q, ry);
  const vcovClusters = frame.clusters.slice(0, vcovCl.length);
  const extraClusters = frame.clusters.slice(vcovCl.length);
  const meatTerms: { factor: Factor; sign: number }[] = [];
  if (typeof spec === "object") {
    const m = vcovClusters.length;
    for (let mask = 1; mask < 1 << m; mask++) {
      const members = vcovClusters.filter((_, q) => mask & (1 << q));
      meatTerms.push({ factor: members.reduce((a, b) => interact(a, b)), sign: members.length % 2 === 1 ? 1 : -1 });
    }
  }
  const proj = frame.fixef.length ? feProjector(design, dOpts.directMaxLevels ?? 1000, dOpts.pivotTol ?? 1e-9) : null;
  const base = {
    proj,
    ryry: dot(ry, ry),
    formula: f,
    frame,
    target,
    x: frame.X[j] as Float64Array,
    n,
    controls: kept,
    collinear,
    design,
    demeanOpts: dOpts,
    sw,
    Q,
    k,
    ys,
    ry,
    spec,
    meatTerms,
    vcovClusters,
    extraClusters,
    scratch: new Float64Array(n),
  };
  // the full model's degrees of freedom, from the same routine feols uses (on the observed x)
  const r0 = residualOnControls(base, base.x);
  const rr = dot(r0, r0);
  if (!(Math.sqrt(rr) > tol * norm2(scale(base.x))))
    throw new EstimationError(`"${target}" is collinear with the fixed effects and the other regressors`, { term: target });
  const beta = dot(r0, ry) / rr;
  const e = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const v = (ry[i] as number) - beta * (r0[i] as number);
    e[i] = v;
    rss += v * v;
  }
  const vc = computeVcov({
    X: [r0],
    e,
    bread: Float64Array.of(1 / rr),
    rss,
    n,
    kCoef: k + 1,
    fixef: frame.fixef,
    fixefNames: frame.fixefNames,
    clusters: vcovClusters,
    clusterNames: vcovCl,
    spec,
    preset: opts.ssc ?? "fixest",
  });
  const model: FwlModel = { ...base, ssc: opts.ssc ?? "fixest", dof: vc.dof, vcovLabel: vc.label, actual: { coef: NaN, se: NaN, t: NaN } };
  const actual = fwlFit(model, base.x);
  return { ...model, actual };
}

/** r = M_C √w·demean(x): the part of x the model's coefficient is identified from. Written into a fresh array. */
export function residualOnControls(m: Pick<FwlModel, "design" | "demeanOpts" | "sw" | "Q" | "k" | "n">, x: Float64Array): Float64Array {
  const dm = demean([x], m.design, m.demeanOpts);
  if (!dm.converged) throw new EstimationError(`fixed-effect demeaning did not converge; raise demean.maxIter`);
  const r = dm.columns[0] === x ? Float64Array.from(x) : (dm.columns[0] as Float64Array);
  const { sw, Q, k, n } = m;
  if (sw) for (let i = 0; i < n; i++) r[i] = (r[i] as number) * (sw[i] as number);
  projectOut(Q, k, r);
  return r;
}

/** v ← v − Q(Q'v), Q orthonormal columns; a second pass only if the first removed most of v (Kahan–Parlett "twice is enough"). */
export function projectOut(Q: readonly Float64Array[], k: number, v: Float64Array): void {
  if (k === 0) return;
  const before = dot(v, v);
  const c = new Float64Array(k);
  for (let pass = 0; pass < 2; pass++) {
    dotsBlocked(Q, v, c);
    axpyBlocked(Q, c, v, -1);
    if (pass === 0 && dot(v, v) > 0.25 * before) break;
  }
}

/** c[a] = Q[a]'v, four columns per sweep over v. */
export function dotsBlocked(Q: readonly Float64Array[], v: Float64Array, c: Float64Array): void {
  const k = Q.length,
    n = v.length;
  let a = 0;
  for (; a + 4 <= k; a += 4) {
    const q0 = Q[a] as Float64Array,
      q1 = Q[a + 1] as Float64Array,
      q2 = Q[a + 2] as Float64Array,
      q3 = Q[a + 3] as Float64Array;
    let s0 = 0,
      s1 = 0,
      s2 = 0,
      s3 = 0;
    for (let i = 0; i < n; i++) {
      const vi = v[i] as number;
      s0 += (q0[i] as number) * vi;
      s1 += (q1[i] as number) * vi;
      s2 += (q2[i] as number) * vi;
      s3 += (q3[i] as number) * vi;
    }
    c[a] = s0;
    c[a + 1] = s1;
    c[a + 2] = s2;
    c[a + 3] = s3;
  }
  for (; a < k; a++) c[a] = dot(Q[a] as Float64Array, v);
}

/** out += sign · Σ_a c[a] Q[a], four columns per sweep. */
export function axpyBlocked(Q: readonly Float64Array[], c: Float64Array, out: Float64Array, sign: number): void {
  const k = Q.length,
    n = out.length;
  let a = 0;
  for (; a + 4 <= k; a += 4) {
    const q0 = Q[a] as Float64Array,
      q1 = Q[a + 1] as Float64Array,
      q2 = Q[a + 2] as Float64Array,
      q3 = Q[a + 3] as Float64Array;
    const c0 = sign * (c[a] as number),
      c1 = sign * (c[a + 1] as number),
      c2 = sign * (c[a + 2] as number),
      c3 = sign * (c[a + 3] as number);
    for (let i = 0; i < n; i++)
      out[i] = (out[i] as number) + c0 * (q0[i] as number) + c1 * (q1[i] as number) + c2 * (q2[i] as number) + c3 * (q3[i] as number);
  }
  for (; a < k; a++) {
    const q = Q[a] as Float64Array;
    const ca = sign * (c[a] as number);
    for (let i = 0; i < n; i++) out[i] = (out[i] as number) + ca * (q[i] as number);
  }
}

/** Coefficient, SE and t of the target when its values are `x` (raw scale, estimation-sample order). */
export function fwlFit(m: FwlModel, x: Float64Array): FwlFit {
  if (m.proj) return fusedFit(m, m.proj, x);
  const r = residualOnControls(m, x);
  return fitFromResidual(m, r, m.ry, 0, x);
}

/** The same computation through `demean` (used without fixed effects, and in tests as a cross-check). */
export function fwlFitGeneric(m: FwlModel, x: Float64Array): FwlFit {
  return fitFromResidual(m, residualOnControls(m, x), m.ry, 0, x);
}

const fusedBuffers = new WeakMap<
  FwlModel,
  {
    xs: Float64Array;
    qc: Float64Array;
    c: Float64Array;
    sBig: Float64Array;
    rhs: Float64Array;
    aBig: Float64Array;
    S1: Float64Array[];
    S2: Float64Array[];
  }
>();

/**
 * Two passes over N: (1) group sums of x for every fixed effect, c = Q'(√w x) and (√w x)'ry;
 * small solve for the FE coefficients; (2) r_i = √w_i (x_i − Σ_q α_q[g_q(i)]) − (Qc)_i with the
 * per-cluster sums Σ r_i ry_i and Σ r_i² from which the cluster scores Σ r_i e_i follow once β
 * is known (e = ry − β r). Uses r'ry = (√w x)'ry and Q'r̃ = Q'(√w x), both because ry and Q are
 * orthogonal to the (√w-scaled) fixed-effect dummies.
 */
function fusedFit(m: FwlModel, P: FeProjector, x: Float64Array): FwlFit {
  const n = m.n,
    k = m.k,
    sw = m.sw;
  let buf = fusedBuffers.get(m);
  if (!buf) {
    buf = {
      xs: new Float64Array(n),
      qc: new Float64Array(n),
      c: new Float64Array(k),
      sBig: new Float64Array(P.nBigLevels),
      rhs: new Float64Array(P.r),
      aBig: new Float64Array(P.nBigLevels),
      S1: m.meatTerms.map((t) => new Float64Array(t.factor.size)),
      S2: m.meatTerms.map((t) => new Float64Array(t.factor.size)),
    };
    fusedBuffers.set(m, buf);
  }
  const { qc, c, sBig, rhs, aBig } = buf;
  let xs = x;
  if (sw) {
    xs = buf.xs;
    for (let i = 0; i < n; i++) xs[i] = (x[i] as number) * (sw[i] as number);
  }
  dotsBlocked(m.Q, xs, c);
  const xry = dot(xs, m.ry);
  P.groupSums(x, sBig, rhs);
  P.solve(sBig, rhs, aBig);
  qc.fill(0);
  axpyBlocked(m.Q, c, qc, 1);
  const big = P.big,
    oth = P.others,
    ry = m.ry,
    r = m.scratch;
  let rr = 0;
  const oneWay = m.spec !== "iid" && m.spec !== "hetero" && m.meatTerms.length === 1;
  let fusedCluster = false;
  if (oth.length === 2 && !sw && oneWay) {
    // the common case (3 FE, one-way clustering): cluster sums in the same pass
    const o0 = oth[0] as Int32Array,
      o1 = oth[1] as Int32Array;
    const S1 = buf.S1[0] as Float64Array,
      S2 = buf.S2[0] as Float64Array;
    S1.fill(0);
    S2.fill(0);
    const cd = (m.meatTerms[0] as { factor: Factor }).factor.codes;
    for (let i = 0; i < n; i++) {
      const v =
        (x[i] as number) -
        (aBig[big[i] as number] as number) -
        (rhs[o0[i] as number] as number) -
        (rhs[o1[i] as number] as number) -
        (qc[i] as number);
      rr += v * v;
      const g = cd[i] as number;
      S1[g] += v * (ry[i] as number);
      S2[g] += v * v;
    }
    fusedCluster = true;
  } else if (oth.length === 2 && !sw) {
    const o0 = oth[0] as Int32Array,
      o1 = oth[1] as Int32Array;
    for (let i = 0; i < n; i++) {
      const v =
        (x[i] as number) -
        (aBig[big[i] as number] as number) -
        (rhs[o0[i] as number] as number) -
        (rhs[o1[i] as number] as number) -
        (qc[i] as number);
      r[i] = v;
      rr += v * v;
    }
  } else {
    for (let i = 0; i < n; i++) {
      let f = aBig[big[i] as number] as number;
      for (let a = 0; a < oth.length; a++) f += rhs[(oth[a] as Int32Array)[i] as number] as number;
      const v = ((x[i] as number) - f) * (sw ? (sw[i] as number) : 1) - (qc[i] as number);
      r[i] = v;
      rr += v * v;
    }
  }
  const beta = xry / rr;
  let v: number;
  const { dof, spec } = m;
  if (spec === "iid") v = (m.ryry - beta * xry) / (n - dof.K) / rr;
  else {
    let meat = 0;
    if (spec === "hetero") {
      for (let i = 0; i < n; i++) {
        const s = (r[i] as number) * ((ry[i] as number) - beta * (r[i] as number));
        meat += s * s;
      }
    } else {
      m.meatTerms.forEach((term, t) => {
        const S1 = (buf as { S1: Float64Array[] }).S1[t] as Float64Array,
          S2 = (buf as { S2: Float64Array[] }).S2[t] as Float64Array;
        if (!fusedCluster) {
          S1.fill(0);
          S2.fill(0);
          const cd = term.factor.codes;
          for (let i = 0; i < n; i++) {
            const g = cd[i] as number,
              ri = r[i] as number;
            S1[g] += ri * (ry[i] as number);
            S2[g] += ri * ri;
          }
        }
        let s = 0;
        for (let g = 0; g < S1.length; g++) {
          const sc = (S1[g] as number) - beta * (S2[g] as number);
          s += sc * sc;
        }
        meat += term.sign * s;
      });
      if (meat < 0) return fullRefit(m, x);
    }
    v = (meat / (rr * rr)) * dof.ssAdj * dof.clusterAdj;
  }
  const se = Math.sqrt(v);
  return { coef: beta, se, t: beta / se };
}

/**
 * Given r = M_C x̃ and the outcome's residual on the controls u = M_C ỹ, the full-model
 * coefficient on x, its SE (vcov type and small-sample factors of the model) and t.
 */
export function fitFromResidual(
  m: FwlModel,
  r: Float64Array,
  u: Float64Array,
  nullValue = 0,
  xForRefit?: Float64Array,
): FwlFit & { rr: number } {
  const n = m.n;
  let rr = 0,
    ru = 0;
  for (let i = 0; i < n; i++) {
    const ri = r[i] as number;
    rr += ri * ri;
    ru += ri * (u[i] as number);
  }
  const beta = ru / rr;
  const e = m.scratch;
  for (let i = 0; i < n; i++) e[i] = (u[i] as number) - beta * (r[i] as number);
  const v = varianceOfCoef(m, r, e, rr);
  if (Number.isNaN(v) && m.meatTerms.length > 1) {
    if (!xForRefit) return { coef: beta, se: NaN, t: NaN, rr };
    const full = fullRefit(m, xForRefit);
    return { ...full, rr };
  }
  const se = Math.sqrt(v);
  return { coef: beta, se, t: (beta - nullValue) / se, rr };
}

/** The model's variance of one coefficient whose FWL residual regressor is r, residuals e. */
export function varianceOfCoef(m: FwlModel, r: Float64Array, e: Float64Array, rr: number): number {
  const n = m.n;
  const { dof, spec } = m;
  if (spec === "iid") {
    let rss = 0;
    for (let i = 0; i < n; i++) rss += (e[i] as number) * (e[i] as number);
    return rss / (n - dof.K) / rr;
  }
  let meat = 0;
  if (spec === "hetero") {
    for (let i = 0; i < n; i++) {
      const s = (r[i] as number) * (e[i] as number);
      meat += s * s;
    }
  } else {
    for (const term of m.meatTerms) {
      const G = term.factor.size;
      const sums = new Float64Array(G);
      const c = term.factor.codes;
      for (let i = 0; i < n; i++) sums[c[i] as number] += (r[i] as number) * (e[i] as number);
      let s = 0;
      for (let g = 0; g < G; g++) s += (sums[g] as number) * (sums[g] as number);
      meat += term.sign * s;
    }
    if (meat < 0) return NaN;
  }
  return (meat / (rr * rr)) * dof.ssAdj * dof.clusterAdj;
}

/** A full re-estimate (demean all columns, QR, full vcov) with the target's values replaced by x. */
export function fullRefit(m: FwlModel, x: Float64Array): FwlFit {
  const fr = m.frame;
  const X = fr.X.map((c, a) => (fr.xNames[a] === m.target ? x : c));
  const core = linearCore(fr, fr.y, X, fr.xNames, m.formula.intercept);
  const k = core.names.length;
  const a = core.names.indexOf(m.target);
  if (a < 0) return { coef: NaN, se: NaN, t: NaN };
  const vc = computeVcov({
    X: core.Xs,
    e: core.es,
    bread: core.xtxInv,
    rss: core.rss,
    n: m.n,
    kCoef: k,
    fixef: fr.fixef,
    fixefNames: fr.fixefNames,
    clusters: m.vcovClusters,
    clusterNames: fr.clusterNames.slice(0, m.vcovClusters.length),
    spec: m.spec,
    preset: m.ssc,
  });
  const b = core.beta[a] as number;
  const se = Math.sqrt(vc.V[a * k + a] as number);
  return { coef: b, se, t: b / se };
}

/**
 * A full re-estimate with the outcome replaced by `y` (raw scale, estimation-sample order): demean
 * all columns, pivoted QR and the model's vcov, exactly as `feols` — the reference path of the
 * wild bootstrap (`wildDraws` with `engine: "refit"`). Returns the target's coefficient, SE, t.
 *
 * @example const f = refitOutcome(m, ystar); f.coef; f.se;
 */
export function refitOutcome(m: FwlModel, y: Float64Array): FwlFit {
  const fr = m.frame;
  const core = linearCore(fr, y, fr.X, fr.xNames, m.formula.intercept);
  const k = core.names.length;
  const a = core.names.indexOf(m.target);
  if (a < 0) return { coef: NaN, se: NaN, t: NaN };
  const vc = computeVcov({
    X: core.Xs,
    e: core.es,
    bread: core.xtxInv,
    rss: core.rss,
    n: m.n,
    kCoef: k,
    fixef: fr.fixef,
    fixefNames: fr.fixefNames,
    clusters: m.vcovClusters,
    clusterNames: fr.clusterNames.slice(0, m.vcovClusters.length),
    spec: m.spec,
    preset: m.ssc,
  });
  const b = core.beta[a] as number;
  const se = Math.sqrt(vc.V[a * k + a] as number);
  return { coef: b, se, t: b / se };
}

/** Inner product a'b of two columns. @example dot(Float64Array.of(1, 2), Float64Array.of(3, 4)) // 11 */
export function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}
function axpy(alpha: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) + alpha * (x[i] as number);
}
function norm2(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}
