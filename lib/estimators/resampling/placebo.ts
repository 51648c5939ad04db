import { type Table } from "../../data/table";
import { factorFor } from "../model-frame";
import { subsetFactor, type Factor } from "../../core/fixed-effects/factorize";
import { rng, type Rng } from "../../util/rng";
import { projectSeed } from "../../util/seed";
import { ArgumentError } from "../../util/errors";
import { prepareFwl, fwlFit, type FwlModel, type FwlOptions } from "./fwl";
import { replicate, checkReps, meanSd, countAbsGe, type ResamplingControl } from "./common";
import { kernelPlan, kernelScratch, kernelFit, fastPlaceboLoop } from "./placebo-fast";
import { availableParallelism } from "node:os";

/** Options of `placebo`: the permuted regressor, reps, permutation scheme, vcov and the FWL settings. */
export interface PlaceboOptions extends ResamplingControl, Omit<FwlOptions, "extraClusters"> {
  /** The regressor whose values are reassigned (a term of the formula). */
  readonly permute: string;
  readonly reps: number;
  /** Permute within the levels of this variable. */
  readonly within?: string;
  /** Permute whole levels of this variable (the regressor must be constant within them). */
  readonly clusterLevel?: string;
  /**
   * Threads of the default scheme's fast loop (`fastPlaceboLoop`): 2 lets a worker thread permute
   * ahead while this one fits. Default: 2 when the sample has at least 100,000 rows and the
   * machine has two or more cores (1,000 replications at 616,591 rows: 13.9 s with 2, 24.0 s
   * with 1 on an otherwise idle 2-core machine), else 1. Pass 1 on a machine whose cores are
   * busy with other work: the two threads then wait on each other and are slower than one. The
   * draws and results do not depend on it (bitwise).
   */
  readonly threads?: number;
}

/** Placebo draws (coef, t) with their summaries and randomisation p-values. */
export interface PlaceboResult {
  readonly permute: string;
  /** Completed replications (= requested unless interrupted). */
  readonly reps: number;
  readonly requested: number;
  readonly interrupted: boolean;
  readonly coefs: Float64Array;
  readonly ses: Float64Array;
  readonly tstats: Float64Array;
  readonly coefMean: number;
  readonly coefSd: number;
  readonly tMean: number;
  readonly tSd: number;
  /** Share of draws with |t| > 1.96 (should be near 0.05 under the null with valid SEs). */
  readonly shareAbsTGt196: number;
  readonly actual: { readonly coef: number; readonly se: number; readonly t: number };
  /** (1 + #{|b_r| ≥ |b|}) / (1 + R). */
  readonly pValue: number;
  /** (1 + #{|t_r| ≥ |t|}) / (1 + R). */
  readonly pValueT: number;
  readonly pRule: string;
  readonly scheme: "observations" | "within" | "clusterLevel" | "clusterLevelWithin";
  readonly nobs: number;
  readonly vcov: string;
  readonly seed: number;
  /** How the draws were fitted: "kernels" (./placebo-fast.ts; bitwise `fwlFit`) or "fwl" (`fwlFit`), and the threads used. */
  readonly engine: { readonly fit: "kernels" | "fwl"; readonly threads: number };
}

/** A prepared placebo design: the FWL model and a function writing one permuted column. */
export interface PlaceboDesign {
  readonly model: FwlModel;
  readonly scheme: PlaceboResult["scheme"];
  /** Fill `out` (length n) with one permuted copy of the regressor, drawing from `stream`. */
  draw(stream: Rng, out: Float64Array): void;
}

/**
 * The placebo design without the loop: the FWL-prepared model and a writer of one permuted
 * column (see `placebo` for the method). Exposed for callers that run their own replications.
 *
 * @example
 *   const pd = preparePlacebo(eq, "quality ~ vagg + fdi | city + year", { permute: "vagg" });
 */
export function preparePlacebo(data: Table, formula: string, opts: Omit<PlaceboOptions, "reps">): PlaceboDesign {
  if (typeof opts.permute !== "string" || !opts.permute) throw new ArgumentError(`placebo needs "permute": the regressor to reassign`);
  const model = prepareFwl(data, formula, opts.permute, opts);
  const x = model.x;
  const n = model.n;
  const onSample = (v: string, what: string): Factor => {
    const f = subsetFactor(factorFor(data, v, what), model.frame.rows);
    for (let i = 0; i < n; i++)
      if ((f.codes[i] as number) < 0)
        throw new ArgumentError(`${what} variable "${v}" is missing in estimation-sample row ${(model.frame.rows[i] as number) + 1}`, {
          term: v,
        });
    return f;
  };
  const strata = opts.within ? onSample(opts.within, "strata") : undefined;
  const cl = opts.clusterLevel ? onSample(opts.clusterLevel, "cluster-level") : undefined;
  if (!cl) {
    if (!strata)
      return {
        model,
        scheme: "observations",
        draw: (s, out) => {
          out.set(x);
          shuffleInPlace(s, out, 0, n);
        },
      };
    const { order, start } = factorGroups(strata);
    const vals = new Float64Array(n);
    for (let p = 0; p < n; p++) vals[p] = x[order[p] as number] as number;
    return {
      model,
      scheme: "within",
      draw: (s, out) => {
        const tmp = Float64Array.from(vals);
        for (let g = 0; g < strata.size; g++) shuffleInPlace(s, tmp, start[g] as number, start[g + 1] as number);
        for (let p = 0; p < n; p++) out[order[p] as number] = tmp[p] as number;
      },
    };
  }
  // whole-level permutation
  const G = cl.size;
  const val = new Float64Array(G).fill(NaN);
  const stratumOf = new Int32Array(G).fill(-1);
  for (let i = 0; i < n; i++) {
    const g = cl.codes[i] as number;
    const xi = x[i] as number;
    if (Number.isNaN(val[g] as number)) val[g] = xi;
    else if (val[g] !== xi)
      throw new ArgumentError(
        `"${opts.permute}" varies within level ${g + 1} of "${opts.clusterLevel}" (${val[g]} vs ${xi}); a cluster-level permutation needs a regressor constant within each level`,
        { term: opts.clusterLevel },
      );
    if (strata) {
      const s = strata.codes[i] as number;
      if (stratumOf[g] === -1) stratumOf[g] = s;
      else if (stratumOf[g] !== s)
        throw new ArgumentError(
          `strata "${opts.within}" vary within a level of "${opts.clusterLevel}"; strata must be constant within each permuted level`,
          { term: opts.within },
        );
    }
  }
  const groups = strata
    ? factorGroups({ codes: stratumOf, size: strata.size })
    : { order: Int32Array.from({ length: G }, (_, g) => g), start: Int32Array.of(0, G) };
  const perm = new Float64Array(G);
  return {
    model,
    scheme: strata ? "clusterLevelWithin" : "clusterLevel",
    draw: (s, out) => {
      const tmp = new Float64Array(G);
      for (let p = 0; p < G; p++) tmp[p] = val[groups.order[p] as number] as number;
      for (let b = 0; b + 1 < groups.start.length; b++) shuffleInPlace(s, tmp, groups.start[b] as number, groups.start[b + 1] as number);
      for (let p = 0; p < G; p++) perm[groups.order[p] as number] = tmp[p] as number;
      for (let i = 0; i < n; i++) out[i] = perm[cl.codes[i] as number] as number;
    },
  };
}

/**
 * Placebo (randomisation) test of one regressor: reassign its values at random across the
 * observations, re-estimate, repeat — the test of EQ Figure 2 ("vagg randomly reassigned
 * 1,000 times"; La Ferrara, Chong & Duryea 2012 and Chetty, Looney & Kroft 2009 use the same
 * design; the randomisation-inference logic is Fisher 1935, and for regression Young 2019,
 * "Channeling Fisher", QJE 134(2)). Under the sharp null that the regressor has no effect,
 * the observed coefficient is one draw from the permutation distribution.
 *
 * Three permutation schemes:
 * - default: a uniform permutation of the values over all observations of the estimation sample;
 * - `within: "year"`: independent permutations within each level of a strata variable;
 * - `clusterLevel: "city"`: the regressor must be constant within each level of that variable
 *   (e.g. vagg is city-level); the levels' values are permuted among levels (within strata if
 *   `within` is also given — the strata must then be constant within each level).
 *
 * Speed: Frisch–Waugh–Lovell (`./fwl.ts`) — the fixed effects and the other regressors are
 * partialled out once; each replication demeans only the permuted column (same
 * FixedEffectsDesign object, so the cached direct plan costs two passes over N), projects it
 * off the controls, and computes β and its (cluster-)robust SE with the full model's
 * small-sample factors. Each draw's coefficient and SE equal a full `feols` re-estimate on the
 * permuted data (tests, 1e-8). For the paper's design (three fixed effects, no weights, iid or
 * one-way clustered SEs) the replications run on the kernels of ./placebo-fast.ts: Q stored in
 * blocks of four columns, rows processed in cache-sized chunks, two draws fitted per pass over
 * the data, and (`threads`, default 2 from 100,000 rows) a worker thread that permutes and sums
 * the next draws while this thread fits them. Same permutations, same order, and every
 * coefficient and SE bitwise equal to the `fwlFit` loop (tested), so results do not depend on
 * the path or the number of threads (`engine` in the result says which ran).
 *
 * p-value (two-sided, randomisation): p = (1 + #{r : |b_r| ≥ |b|}) / (1 + R), counting the
 * observed assignment as one of the draws (Phipson & Smyth 2010; never 0). `pValueT` is the
 * same rule on |t| (the studentised version, Young 2019). Ties within a relative 1e-10 count
 * as ≥.
 *
 * Draws come from `rng(seed).fork("placebo")` in order; the same seed gives the same draws.
 *
 * @example
 *   const p = await placebo(eq, "quality ~ vagg + fdi + open | city + hs4 + year",
 *     { permute: "vagg", reps: 1000, vcov: "cluster:city^hs4" });
 *   p.coefMean; p.tMean; p.pValue;   // EQ Figure 2: mean coef −0.0005, mean t 0.2417
 */
export async function placebo(data: Table, formula: string, opts: PlaceboOptions): Promise<PlaceboResult> {
  checkReps(opts.reps);
  const design = preparePlacebo(data, formula, opts);
  const { model } = design;
  const seed = opts.seed ?? projectSeed();
  const stream = rng(seed).fork("placebo");
  const R = opts.reps;
  const coefs = new Float64Array(R),
    ses = new Float64Array(R),
    tstats = new Float64Array(R);
  const kp = kernelPlan(model, design.scheme === "observations");
  let done: number, interrupted: boolean;
  let threads = 1;
  if (kp && design.scheme === "observations") {
    const want = opts.threads ?? (model.n >= 100_000 && R >= 20 && availableParallelism() >= 2 ? 2 : 1);
    if (!Number.isInteger(want) || want < 1) throw new ArgumentError(`threads must be a positive integer, got ${want}`);
    const res = await fastPlaceboLoop(
      kp,
      model.x,
      stream.seed,
      R,
      { threads: want, signal: opts.signal, onProgress: opts.onProgress },
      (r, fit) => {
        coefs[r] = fit.coef;
        ses[r] = fit.se;
        tstats[r] = fit.t;
      },
    );
    ({ done, interrupted, threads } = res);
  } else {
    const buf = new Float64Array(model.n);
    const scratch = kp ? kernelScratch(kp) : null;
    ({ done, interrupted } = await replicate(
      R,
      (r) => {
        design.draw(stream, buf);
        const fit = kp && scratch ? kernelFit(kp, buf, scratch) : fwlFit(model, buf);
        coefs[r] = fit.coef;
        ses[r] = fit.se;
        tstats[r] = fit.t;
      },
      opts,
    ));
  }
  const c = coefs.slice(0, done),
    s = ses.slice(0, done),
    t = tstats.slice(0, done);
  const cs = meanSd(c),
    ts = meanSd(t);
  const a = model.actual;
  const pc = countAbsGe(c, a.coef),
    pt = countAbsGe(t, a.t);
  let big = 0;
  for (const v of t) if (Math.abs(v) > 1.96) big++;
  return {
    permute: opts.permute,
    reps: done,
    requested: R,
    interrupted,
    coefs: c,
    ses: s,
    tstats: t,
    coefMean: cs.mean,
    coefSd: cs.sd,
    tMean: ts.mean,
    tSd: ts.sd,
    shareAbsTGt196: done ? big / done : NaN,
    actual: { coef: a.coef, se: a.se, t: a.t },
    pValue: (1 + pc.count) / (1 + pc.n),
    pValueT: (1 + pt.count) / (1 + pt.n),
    pRule: "two-sided randomisation p = (1 + #{r: |b_r| >= |b|}) / (1 + R); pValueT the same on |t|",
    scheme: design.scheme,
    nobs: model.n,
    vcov: model.vcovLabel,
    seed,
    engine: { fit: kp ? "kernels" : "fwl", threads },
  };
}

/**
 * Fisher–Yates on a[from, to), with Lemire's (2019) multiply-and-reject bounded integers:
 * j = ⌊u·m / 2³²⌋ for a 32-bit u, rejecting u when the low word falls below 2³² mod m — exactly
 * uniform, and without the floating-point modulo of `Rng.int` on every draw (m ≤ 2²¹ keeps
 * u·m exact in a double; larger ranges use `Rng.int`).
 */
export function shuffleInPlace(s: Rng, a: Float64Array, from: number, to: number): void {
  const TWO32 = 4294967296;
  for (let i = to - 1; i > from; i--) {
    const m = i - from + 1;
    let j: number;
    if (m <= 2097152) {
      let p = s.nextUint32() * m;
      let hi = Math.floor(p / TWO32);
      let lo = p - hi * TWO32;
      if (lo < m) {
        const t = TWO32 % m;
        while (lo < t) {
          p = s.nextUint32() * m;
          hi = Math.floor(p / TWO32);
          lo = p - hi * TWO32;
        }
      }
      j = from + hi;
    } else j = from + s.int(m);
    const t = a[i] as number;
    a[i] = a[j] as number;
    a[j] = t;
  }
}

/** Rows grouped by factor level (counting sort): order, and start offsets (size + 1). */
export function factorGroups(f: Factor): { order: Int32Array; start: Int32Array } {
  const n = f.codes.length;
  const start = new Int32Array(f.size + 1);
  for (let i = 0; i < n; i++) start[(f.codes[i] as number) + 1]++;
  for (let g = 0; g < f.size; g++) start[g + 1] += start[g] as number;
  const fill = start.slice(0, f.size);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[f.codes[i] as number]++ as number] = i;
  return { order, start };
}
