import { type Table } from "../../data/table";
import { demean } from "../../core/fixed-effects/demean";
import { isNested } from "../../vcov/ssc";
import { rng, type Rng } from "../../util/rng";
import { projectSeed } from "../../util/seed";
import { pT2 } from "../../util/distributions";
import { ArgumentError } from "../../util/errors";
import { prepareFwl, residualOnControls, projectOut, fitFromResidual, refitOutcome, type FwlOptions, type FwlModel } from "./fwl";
import { prepareWildFast, wildFastDraw, wildFastDraw4 } from "./wild-fast";
import { replicate, checkReps, type ResamplingControl, TIE_REL } from "./common";

/** Options of `wildClusterBootstrap`: tested parameter and null, bootstrap cluster, reps, weights. */
export interface WildBootstrapOptions extends ResamplingControl, Omit<FwlOptions, "vcov" | "extraClusters"> {
  readonly param: string;
  /** The (one-way) cluster variable of the bootstrap and of the CRVE, e.g. "city" or "city^hs4". */
  readonly cluster: string;
  /** Number of draws (default 999); with Rademacher and 2^G ≤ reps the 2^G draws are enumerated. */
  readonly reps?: number;
  /** Bootstrap weight distribution (default Rademacher). `weights` is the regression-weight variable, as in feols. */
  readonly weightType?: "rademacher" | "webb";
  readonly nullValue?: number;
  readonly enumerate?: boolean | "auto";
  /** Explicit weight vectors (length G each, clusters in order of first appearance). */
  readonly draws?: readonly ArrayLike<number>[];
  /**
   * "fast" (default): the cluster-level algebra of boottest (`prepareWildFast`, O(G·k) per draw),
   * or, with regression weights or too many fixed-effect levels for the direct solve, z demeaned
   * in every draw; "refit": every bootstrap sample re-estimated in full (the reference).
   */
  readonly engine?: "fast" | "refit";
}

/** The observed t, the bootstrap t draws and the symmetric and equal-tailed p-values. */
export interface WildBootstrapResult {
  readonly param: string;
  readonly coef: number;
  readonly se: number;
  readonly t: number;
  /** Analytic p from the t distribution (G − 1 df), for comparison. */
  readonly pAnalytic: number;
  readonly nullValue: number;
  readonly tstats: Float64Array;
  readonly coefs: Float64Array;
  readonly pValue: number;
  readonly pValueEqualTail: number;
  readonly pRule: string;
  readonly weightType: "rademacher" | "webb" | "supplied";
  readonly enumerated: boolean;
  readonly clusters: number;
  readonly reps: number;
  readonly requested: number;
  readonly interrupted: boolean;
  readonly seed: number;
  readonly demeanedEachDraw: boolean;
  /** How the draws were computed (see `wildDraws`). */
  readonly engine: "cluster-sums" | "demean" | "refit";
}

const WEBB = [-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)];

/**
 * Restricted wild cluster bootstrap (WCR) t-test of H0: β_param = nullValue (Cameron, Gelbach
 * & Miller 2008, "Bootstrap-based improvements for inference with clustered errors", REStat
 * 90(3); the algebra of Roodman, MacKinnon, Nielsen & Webb 2019, "Fast and wild", Stata
 * Journal 19(1) — `boottest`; R `fwildclusterboot`).
 *
 * 1. Estimate the model under H0 (the other regressors and fixed effects; y − β₀x on them):
 *    fitted values ŷ_R and residuals ũ.
 * 2. For draw b, one weight v_g per cluster: y* = ŷ_R + β₀x + ũ ∘ v_{g(i)}; re-estimate the
 *    full model and its cluster-robust t* = (β* − β₀)/se*. With FWL the re-estimate is exact and
 *    cheap: β* − β₀ = r'z̃/r'r and the residuals are M_X z̃, where z̃ = ũ∘v demeaned by the fixed
 *    effects and r = M_C x̃. By default (`engine: "fast"`) even that is reduced to cluster-level
 *    sums computed once, as boottest does (`prepareWildFast`, ./wild-fast.ts): a draw costs
 *    O(G·k) plus one solve of the small reduced fixed-effect system, never O(N). With regression
 *    weights, or fixed effects too large for the direct solve, z̃ is demeaned in every draw
 *    instead (`engine` in the result says which); `engine: "refit"` re-estimates every bootstrap
 *    sample in full with the `feols` core (the reference the fast engine is tested against).
 * 3. p-values over the B draws: symmetric p = #{|t*| ≥ |t|}/B (the default of boottest and
 *    fwildclusterboot), equal-tailed p = 2·min(#{t* ≤ t}, #{t* ≥ t})/B; ties within a relative
 *    1e-10 count (the all-ones Rademacher draw reproduces t exactly).
 *
 * Weights: Rademacher (±1, ½ each) or Webb (±√½, ±1, ±√(3/2), ⅙ each; Webb 2014, for few
 * clusters). With Rademacher and 2^G ≤ reps (or `enumerate: true`) all 2^G sign vectors are
 * used — the bootstrap distribution is then exact (draw d sets v_g = −1 when bit g of d is set,
 * clusters in order of first appearance). `draws` supplies the weight vectors explicitly (to
 * reproduce another program's draws). The t uses the model's own small-sample factors, which
 * cancel in the p-values.
 *
 * Verified against a base-R + sandwich implementation (tests/fixtures/resampling/wcr.R) that
 * re-estimates every bootstrap sample with lm() and explicit dummies: every t* of the 256
 * enumerated Rademacher draws and of 199 Webb draws, and the p-values.
 *
 * @example
 *   const w = await wildClusterBootstrap(rs, "resi ~ vagg + gdp | city + year",
 *     { param: "vagg", cluster: "city", reps: 999, weightType: "webb" });
 *   w.pValue;   // symmetric bootstrap p
 */
export async function wildClusterBootstrap(data: Table, formula: string, opts: WildBootstrapOptions): Promise<WildBootstrapResult> {
  if (!opts.cluster || opts.cluster.includes("+"))
    throw new ArgumentError(`the wild cluster bootstrap needs exactly one cluster variable (may be an interaction a^b)`, {
      term: opts.cluster,
    });
  const m = prepareFwl(data, formula, opts.param, { ...opts, vcov: { cluster: [opts.cluster] } });
  const seed = opts.seed ?? projectSeed();
  const w = await wildDraws(m, { ...opts, seed, label: "wild-bootstrap" });
  return {
    param: opts.param,
    coef: m.actual.coef,
    se: m.actual.se,
    t: w.t,
    pAnalytic: pT2(w.t, m.dof.tDf),
    nullValue: w.nullValue,
    tstats: w.tstats,
    coefs: w.coefs,
    pValue: w.pValue,
    pValueEqualTail: w.pValueEqualTail,
    pRule: WILD_P_RULE,
    weightType: opts.draws ? "supplied" : (opts.weightType ?? "rademacher"),
    enumerated: w.enumerated,
    clusters: w.clusters,
    reps: w.reps,
    requested: w.requested,
    interrupted: w.interrupted,
    seed,
    demeanedEachDraw: w.engine === "demean",
    engine: w.engine,
  };
}

/** The p-value rule of the wild bootstrap routines. */
export const WILD_P_RULE =
  "symmetric p = #{b: |t*_b| >= |t|}/B; equal-tailed p = 2 min(#{t*_b <= t}, #{t*_b >= t})/B (ties within 1e-10 relative count)";

/** Settings of `wildDraws` (the shared draw loop of `wildClusterBootstrap` and `coefDiffTest`'s wild method). */
export interface WildDrawOptions extends ResamplingControl {
  readonly reps?: number;
  readonly weightType?: "rademacher" | "webb";
  readonly nullValue?: number;
  readonly enumerate?: boolean | "auto";
  readonly draws?: readonly ArrayLike<number>[];
  /** "fast" (default): cluster-level algebra (`prepareWildFast`), else per-draw demeaning; "refit": every draw re-estimated in full. */
  readonly engine?: "fast" | "refit";
  /** Seed (resolved) and the label of the forked stream. */
  readonly seed: number;
  readonly label: string;
}

/** The bootstrap t (and coefficient) draws of `wildDraws`, with the observed t and the p-values. */
export interface WildDraws {
  readonly t: number;
  readonly nullValue: number;
  readonly tstats: Float64Array;
  readonly coefs: Float64Array;
  readonly pValue: number;
  readonly pValueEqualTail: number;
  /** #{t* ≥ t}/B and #{t* ≤ t}/B (ties within 1e-10 relative count). */
  readonly pUpper: number;
  readonly pLower: number;
  readonly enumerated: boolean;
  readonly clusters: number;
  readonly reps: number;
  readonly requested: number;
  readonly interrupted: boolean;
  /** How each draw was computed: cluster-level algebra, z demeaned per draw, or full re-estimation. */
  readonly engine: "cluster-sums" | "demean" | "refit";
}

/**
 * The draw loop of the restricted wild cluster bootstrap on an FWL-prepared model whose vcov is
 * clustered by the (one-way) bootstrap cluster: weights (Rademacher / Webb / enumerated /
 * supplied), one t* per draw, p-values. Three engines give the same t* up to rounding:
 * "cluster-sums" (`prepareWildFast`, O(G·k) per draw, four draws at a time through
 * `wildFastDraw4` — bitwise one at a time; the default when it applies), "demean"
 * (z = ũ∘v demeaned by the fixed effects and projected off the controls in every draw, O(N·k);
 * used with regression weights or very many fixed-effect levels) and "refit" (`engine: "refit"`:
 * y* = ŷ_R + ũ∘v re-estimated in full by the `feols` core each draw — the reference).
 *
 * @example
 *   const m = prepareFwl(d, "y ~ x + c | city", "x", { vcov: { cluster: ["city"] } });
 *   const w = await wildDraws(m, { reps: 999, seed: 1, label: "wild-bootstrap" });
 */
export async function wildDraws(m: FwlModel, opts: WildDrawOptions): Promise<WildDraws> {
  const cl = m.vcovClusters[0];
  if (!cl || cl.size < 2 || m.vcovClusters.length !== 1)
    throw new ArgumentError(`the wild cluster bootstrap needs at least 2 clusters`, { term: m.frame.clusterNames[0] });
  const G = cl.size,
    n = m.n;
  const b0 = opts.nullValue ?? 0;
  const kind = opts.weightType ?? "rademacher";
  let enumerate = false;
  let B: number;
  if (opts.draws) {
    B = opts.draws.length;
    opts.draws.forEach((v, b) => {
      if (v.length !== G) throw new ArgumentError(`draws[${b}] has ${v.length} weights for ${G} clusters`);
    });
  } else {
    B = opts.reps ?? 999;
    checkReps(B);
    const en = opts.enumerate ?? "auto";
    if (kind === "rademacher" && (en === true || (en === "auto" && G <= 30 && 2 ** G <= B))) {
      if (G > 24) throw new ArgumentError(`cannot enumerate 2^${G} Rademacher draws`);
      enumerate = true;
      B = 2 ** G;
    } else if (en === true) throw new ArgumentError(`enumeration needs Rademacher weights`);
  }
  const r = residualOnControls(m, m.x);
  const ut = Float64Array.from(m.ry);
  if (b0 !== 0) for (let i = 0; i < n; i++) ut[i] = (ut[i] as number) - b0 * (r[i] as number);
  const engineWanted = opts.engine ?? "fast";
  if (engineWanted !== "fast" && engineWanted !== "refit")
    throw new ArgumentError(`engine must be "fast" or "refit", got "${String(engineWanted)}"`);
  const plan = engineWanted === "fast" ? prepareWildFast(m, cl, ut, r) : null;
  const engine: WildDraws["engine"] = engineWanted === "refit" ? "refit" : plan ? "cluster-sums" : "demean";
  const nested = m.frame.fixef.every((f) => isNested(f, cl));
  const sw = m.sw;
  // refit engine: the restricted fitted values on the raw scale, y*_i = y_i − ũ_i + v_g ũ_i (ũ unscaled)
  const uRaw = engine === "refit" ? (sw ? ut.map((u, i) => u / (sw[i] as number)) : ut) : ut;
  const ystar = engine === "refit" ? new Float64Array(n) : ut;
  const stream: Rng = rng(opts.seed).fork(opts.label);
  const v = new Float64Array(G);
  const z = new Float64Array(n);
  const tstats = new Float64Array(B),
    coefs = new Float64Array(B);
  // the weights of draw b, in draw order (the stream is consumed draw by draw, cluster by cluster)
  const weights = (b: number, out: Float64Array, stride: number, at: number) => {
    if (opts.draws) {
      const d = opts.draws[b] as ArrayLike<number>;
      for (let g = 0; g < G; g++) out[g * stride + at] = d[g] as number;
    } else if (enumerate) for (let g = 0; g < G; g++) out[g * stride + at] = (b >>> g) & 1 ? -1 : 1;
    else if (kind === "webb") for (let g = 0; g < G; g++) out[g * stride + at] = WEBB[stream.int(6)] as number;
    else for (let g = 0; g < G; g++) out[g * stride + at] = stream.nextUint32() & 1 ? -1 : 1;
  };
  // cluster sums: four draws at a time (`wildFastDraw4`, bitwise `wildFastDraw`), the last B mod 4 one by one
  const W4 = plan ? new Float64Array(4 * G) : null;
  const d4 = new Float64Array(4),
    se4 = new Float64Array(4),
    t4 = new Float64Array(4);
  const { done, interrupted } = await replicate(
    B,
    (b) => {
      if (plan && W4 && b + 4 - (b % 4) <= B) {
        if (b % 4 === 0) {
          for (let j = 0; j < 4; j++) weights(b + j, W4, 4, j);
          wildFastDraw4(plan, W4, d4, se4, t4);
        }
        coefs[b] = b0 + (d4[b % 4] as number);
        tstats[b] = t4[b % 4] as number;
        return;
      }
      weights(b, v, 1, 0);
      if (plan) {
        const f = wildFastDraw(plan, v);
        coefs[b] = b0 + f.delta;
        tstats[b] = f.t;
        return;
      }
      if (engine === "refit") {
        const y = m.frame.y;
        for (let i = 0; i < n; i++) {
          const u = uRaw[i] as number;
          ystar[i] = (y[i] as number) - u + u * (v[cl.codes[i] as number] as number);
        }
        const f = refitOutcome(m, ystar);
        coefs[b] = f.coef;
        tstats[b] = (f.coef - b0) / f.se;
        return;
      }
      for (let i = 0; i < n; i++) z[i] = (ut[i] as number) * (v[cl.codes[i] as number] as number);
      let zd: Float64Array;
      if (nested || m.frame.fixef.length === 0) zd = Float64Array.from(z);
      else {
        const raw = sw ? z.map((x, i) => x / (sw[i] as number)) : z;
        zd = demean([raw], m.design, m.demeanOpts).columns[0] as Float64Array;
        if (sw) for (let i = 0; i < n; i++) zd[i] = (zd[i] as number) * (sw[i] as number);
        if (zd === z) zd = Float64Array.from(z);
      }
      projectOut(m.Q, m.k, zd);
      const fit = fitFromResidual(m, r, zd);
      coefs[b] = b0 + fit.coef;
      tstats[b] = fit.t;
    },
    opts,
  );
  const ts = tstats.slice(0, done);
  const t = (m.actual.coef - b0) / m.actual.se;
  const tol = Math.abs(t) * TIE_REL;
  let ge = 0,
    lo = 0,
    hi = 0;
  for (const x of ts) {
    if (Math.abs(x) >= Math.abs(t) - tol) ge++;
    if (x <= t + tol) lo++;
    if (x >= t - tol) hi++;
  }
  return {
    t,
    nullValue: b0,
    tstats: ts,
    coefs: coefs.slice(0, done),
    pValue: ge / done,
    pValueEqualTail: (2 * Math.min(lo, hi)) / done,
    pUpper: hi / done,
    pLower: lo / done,
    enumerated: enumerate,
    clusters: G,
    reps: done,
    requested: B,
    interrupted,
    engine,
  };
}
