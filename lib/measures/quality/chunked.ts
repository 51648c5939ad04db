import { fixefCoefficients, type FixedEffectsDesign } from "../../core/fixed-effects/demean";
import type { Factor } from "../../core/fixed-effects/factorize";
import { inv, type Mat } from "../../estimators/iv/linalg";
import { qT } from "../../util/distributions";
import { EstimationError } from "../../util/errors";
import { GrowF64, GrowI32, sortBy, iota, type CandidateRows } from "./prepare";
import { mapF64, mapI32 } from "../../util/typed-map";

/**
 * Regression (18) of `productQuality` out of core: 2SLS (or OLS, or fixed effects only) with
 * HS6 and destination × year fixed effects, computed from partitions of rows read one at a
 * time (lib/measures/quality/store.ts), never all rows in memory.
 *
 * Method (Frisch–Waugh–Lovell on sufficient statistics):
 * 1. Pass 1 (while the partitions are written): per cell (HS6 h, destination × year d) the
 *    row count n_hd and the sums Σ v of every variable v (ln q, ln p, the leave-one-out price,
 *    controls). The normal equations of the projection on the fixed effects,
 *    D'D α = D'v, depend on the data only through these cell sums: D'D holds the cell counts,
 *    D'v the sums by level. They are solved by the same direct / alternating-projection solver
 *    as `demean` (lib/core/fixed-effects), on the cells as weighted observations (weight n_hd,
 *    value the cell mean), so ṽ_i = v_i − α_h(i) − α_d(i) is the within transformation of the
 *    in-memory estimator. Fixed-effect singletons are removed on the cells, iteratively (a
 *    level with one row has it in a cell with one row), as `removeSingletons` does on rows.
 * 2. Pass 2: the cross-products Σ ũ ũ' of the demeaned variables u = [y, x, z, w]; then
 *    β̂ = (X̂'X̂)⁻¹X̂'ỹ with X̂ = P_W̃ X̃, X = [ln p, w], W = [w, z] (Baum, Schaffer & Stillman
 *    2003, eq. 2.4); the first-stage F and partial R² of `firstStage` from the same blocks.
 * 3. Pass 3: structural residuals ε̂ = ỹ − X̃β̂, the quality of (19) and the score sums of the
 *    variance: V = c·B M B, B = (X̂'X̂)⁻¹, M = Σ_g (Σ_{i∈g} X̂_i ε̂_i)(…)' (cluster), Σ_i s_i s_i'
 *    (hetero) or σ̂²B (iid), with fixest's small-sample factors (lib/vcov/ssc.ts): K counts the
 *    coefficients and Σ_q (G_q − 1) + 1 fixed-effect levels, less the levels of a fixed effect
 *    nested in the cluster variable; c = (n − 1)/(n − K)·G/(G − 1) for clusters.
 *
 * Several designs share the passes: "pooled" (one regression) and "hs3" (one per HS3 group,
 * each with its own destination × year effects). Results equal `iv2sls`/`feols` on the same
 * rows up to rounding (the sums run in another order); weak-IV diagnostics (Kleibergen–Paap)
 * are not computed.
 */

/** iv: ln q on ln p (instrumented by z) and controls; ols: y on controls; fe: fixed effects only (no singleton removal). */
export type ChunkModel = "iv" | "ols" | "fe";

/** The variance of the out-of-core fit: iid, heteroskedasticity-robust, or one-way clusters by a code of the row. */
export type ChunkVcov = { readonly kind: "iid" | "hetero" } | { readonly kind: "cluster"; readonly by: "firm" | "hs6" | "hs3" | "dy" };

/** A grouping of the regression: groupOf[h] is the group (regression) of HS6 h. */
export interface ChunkDesign {
  readonly groupOf: Int32Array;
  readonly nGroups: number;
  /** Remove fixed-effect singletons (iteratively) before estimating. */
  readonly singletons: boolean;
}

/** The fit of one group of a design. */
export interface ChunkGroupFit {
  readonly n: number;
  /** Rows removed as fixed-effect singletons. */
  readonly singletons: number;
  /** Coefficients in the order [endogenous, controls] (iv) or [controls] (ols); empty for fe. */
  readonly beta: number[];
  readonly se: number[];
  readonly ciLow: number[];
  readonly ciHigh: number[];
  readonly tDf: number;
  /** iv only: first stage of ln p (coefficient of the excluded instrument, fixest's iid F, partial R²). */
  readonly firstStage?: { readonly coef: number; readonly f: number; readonly partialR2: number };
  /** iv only: the OLS coefficients (ln p not instrumented), same rows and fixed effects. */
  readonly ols?: number[];
}

interface DesignState {
  readonly spec: ChunkDesign;
  /** Second fixed effect (group × destination-year) code of each cell, −1 when the cell is not used. */
  e: Int32Array;
  nE: number;
  /** α of every variable: by HS6 (aH[j][h]) and by second-FE code (aE[j][e]). */
  aH: Float64Array[];
  aE: Float64Array[];
  groupN: Float64Array;
  groupSingle: Float64Array;
  groupLevelsH: Float64Array;
  groupLevelsE: Float64Array;
  cross: Float64Array;
  fits: (GroupSolve | null)[];
  // pass 3 accumulators
  rss: Float64Array;
  hetero: Float64Array;
  clusterKey: Map<number, number> | null;
  clusterSums: GrowF64;
  clusterGroup: GrowI32;
  clusterDense: Int32Array | null;
  ownerH: Int32Array;
  ownerE: Int32Array;
  nestedH: Uint8Array;
  nestedE: Uint8Array;
}

interface GroupSolve {
  beta: number[];
  /** Fitted regressors X̂ = Π'W̃: Pi[w][x] (iv); identity on X (ols). */
  Pi: Mat | null;
  bread: Mat;
  firstStage?: { coef: number; f: number; partialR2: number; rssU: number; rssR: number };
  ols?: number[];
}

/**
 * The out-of-core estimator of (18): feed it each partition once (`ingest`), then `prepare`,
 * one `crossPass` per partition, `solve`, one `residualPass(…, true)` per partition, and read
 * the fits with `fits()`; `residualPass(…, false)` gives the residuals again (e.g. for (20)–(21)).
 *
 * @example
 *   const fe = new ChunkedRegression({ model: "iv", nControls: 0, nHs6: H, nDest: D, nDy: D * Y, minObs: 100,
 *     designs: [{ groupOf: new Int32Array(H), nGroups: 1, singletons: true }], vcov: { kind: "cluster", by: "firm" }, vars });
 *   for (const [k, r] of parts) fe.ingest(k, r);
 *   fe.prepare(); for (const [k, r] of parts) fe.crossPass(k, r); fe.solve();
 *   for (const [k, r] of parts) fe.residualPass(k, r, 0, true);
 *   fe.fits(0)[0].beta[0]; // −σ̂
 */
export class ChunkedRegression {
  readonly m: number;
  readonly nprod: Float64Array;
  small: Uint8Array = new Uint8Array(0);
  private readonly cellH = new GrowI32();
  private readonly cellDst = new GrowI32();
  private readonly cellD = new GrowI32();
  private readonly cellN = new GrowF64();
  private readonly cellSum: GrowF64[];
  private readonly partStart: number[] = [];
  private readonly partEnd: number[] = [];
  private readonly index: Int32Array;
  private readonly states: DesignState[];
  private readonly X: number[];
  private readonly W: number[];
  constructor(
    private readonly o: {
      readonly model: ChunkModel;
      readonly nControls: number;
      readonly nHs6: number;
      readonly nDest: number;
      readonly nDy: number;
      readonly minObs: number;
      readonly designs: readonly ChunkDesign[];
      readonly vcov: ChunkVcov;
      /** The variables u = [y, x, z, w…] (iv), [y, w…] (ols), [y] (fe) of a partition's rows. */
      readonly vars: (r: CandidateRows) => Float64Array[];
      /** Cluster code of each row (when clustered) and the number of codes. */
      readonly clusterOf?: (r: CandidateRows) => Int32Array;
      readonly nClusterCodes?: () => number;
    },
  ) {
    const K = o.nControls;
    this.m = o.model === "iv" ? 3 + K : 1 + (o.model === "ols" ? K : 0);
    this.X = o.model === "iv" ? [1, ...range(3, 3 + K)] : o.model === "ols" ? range(1, 1 + K) : [];
    this.W = o.model === "iv" ? [...range(3, 3 + K), 2] : this.X;
    this.cellSum = Array.from({ length: this.m }, () => new GrowF64());
    this.nprod = new Float64Array(o.nHs6);
    if (o.nHs6 * o.nDest > 2 ** 28)
      throw new EstimationError(`${o.nHs6} HS6 × ${o.nDest} destinations: too many cells for the out-of-core path`);
    this.index = new Int32Array(o.nHs6 * o.nDest).fill(-1);
    this.states = [];
  }

  /** Pass 1: cell counts and sums of one partition (a cell of two partitions is two weighted observations of the same levels). */
  ingest(k: number, r: CandidateRows): void {
    const u = this.o.vars(r);
    const m = this.m;
    const start = this.cellH.n;
    this.partStart[k] = start;
    const D = this.o.nDest;
    for (let i = 0; i < r.n; i++) {
      const h = r.h[i] as number;
      this.nprod[h]++;
      let ok = true;
      for (let j = 0; j < m; j++) if (!Number.isFinite((u[j] as Float64Array)[i] as number)) ok = false;
      if (!ok) continue;
      const key = h * D + (r.dst[i] as number);
      let c = this.index[key] as number;
      if (c < 0) {
        c = this.cellH.n;
        this.index[key] = c;
        this.cellH.push(h);
        this.cellDst.push(r.dst[i] as number);
        this.cellD.push(r.d[i] as number);
        this.cellN.push(0);
        for (let j = 0; j < m; j++) (this.cellSum[j] as GrowF64).push(0);
      }
      this.cellN.a[c]++;
      for (let j = 0; j < m; j++) (this.cellSum[j] as GrowF64).a[c] += (u[j] as Float64Array)[i] as number;
    }
    this.partEnd[k] = this.cellH.n;
    this.clearIndex(k);
  }

  private fillIndex(k: number): void {
    const D = this.o.nDest;
    const h = this.cellH.a,
      dst = this.cellDst.a;
    for (let c = this.partStart[k] as number; c < (this.partEnd[k] as number); c++)
      this.index[(h[c] as number) * D + (dst[c] as number)] = c;
  }
  private clearIndex(k: number): void {
    const D = this.o.nDest;
    const h = this.cellH.a,
      dst = this.cellDst.a;
    for (let c = this.partStart[k] as number; c < (this.partEnd[k] as number); c++)
      this.index[(h[c] as number) * D + (dst[c] as number)] = -1;
  }
  /** The cell of each row of partition k (−1: a variable is missing). */
  private cellsOf(k: number, r: CandidateRows, u: Float64Array[]): Int32Array {
    this.fillIndex(k);
    const D = this.o.nDest,
      m = this.m;
    const out = new Int32Array(r.n);
    for (let i = 0; i < r.n; i++) {
      let ok = true;
      for (let j = 0; j < m; j++) if (!Number.isFinite((u[j] as Float64Array)[i] as number)) ok = false;
      out[i] = ok ? (this.index[(r.h[i] as number) * D + (r.dst[i] as number)] as number) : -1;
    }
    this.clearIndex(k);
    return out;
  }

  /**
   * After pass 1: rule 5 (HS6 with fewer than `minObs` rows with the instrument), fixed-effect
   * singletons per design, and the fixed-effect coefficients of every variable.
   */
  prepare(): void {
    const H = this.o.nHs6;
    this.small = Uint8Array.from(this.nprod, (v) => (v < this.o.minObs ? 1 : 0));
    const nc = this.cellH.n;
    const ch = this.cellH.view(),
      cd = this.cellD.view(),
      cn = this.cellN.view();
    for (const spec of this.o.designs) {
      const G = spec.nGroups;
      // second fixed effect: group × destination-year, dense over the cells in use
      const e = new Int32Array(nc).fill(-1);
      const eKey = new Map<number, number>();
      for (let c = 0; c < nc; c++) {
        const h = ch[c] as number;
        if (this.small[h] || !((cn[c] as number) > 0)) continue;
        const key = (spec.groupOf[h] as number) * this.o.nDy + (cd[c] as number);
        let v = eKey.get(key);
        if (v === undefined) {
          v = eKey.size;
          eKey.set(key, v);
        }
        e[c] = v;
      }
      const nE = eKey.size;
      const groupSingle = new Float64Array(G);
      if (spec.singletons) {
        const nH = new Float64Array(H),
          nEc = new Float64Array(nE);
        for (let c = 0; c < nc; c++)
          if ((e[c] as number) >= 0) {
            nH[ch[c] as number] += cn[c] as number;
            nEc[e[c] as number] += cn[c] as number;
          }
        for (let changed = true; changed;) {
          changed = false;
          for (let c = 0; c < nc; c++) {
            const ec = e[c] as number;
            if (ec < 0) continue;
            const h = ch[c] as number;
            if (nH[h] === 1 || nEc[ec] === 1) {
              nH[h] -= cn[c] as number;
              nEc[ec] -= cn[c] as number;
              groupSingle[spec.groupOf[h] as number] += cn[c] as number;
              e[c] = -1;
              changed = true;
            }
          }
        }
      }
      // fixed-effect coefficients per group, on the cells (weights = row counts)
      const aH = Array.from({ length: this.m }, () => new Float64Array(H));
      const aE = Array.from({ length: this.m }, () => new Float64Array(nE));
      const groupN = new Float64Array(G),
        groupLevelsH = new Float64Array(G),
        groupLevelsE = new Float64Array(G);
      const live: number[] = [];
      for (let c = 0; c < nc; c++) if ((e[c] as number) >= 0) live.push(c);
      const cellGroup = mapI32(live.length, (i) => spec.groupOf[ch[live[i] as number] as number] as number);
      const order = sortBy(iota(live.length), cellGroup, Math.max(G, 1));
      const hLocal = new Int32Array(H).fill(-1);
      const eLocal = new Int32Array(nE).fill(-1);
      for (let a = 0; a < order.length;) {
        const grp = cellGroup[order[a] as number] as number;
        let b = a;
        while (b < order.length && cellGroup[order[b] as number] === grp) b++;
        const cells = mapI32(b - a, (t) => live[order[a + t] as number] as number);
        const hs: number[] = [],
          es: number[] = [];
        const hc = new Int32Array(cells.length),
          ec = new Int32Array(cells.length),
          w = new Float64Array(cells.length);
        cells.forEach((c, t) => {
          const h = ch[c] as number,
            ee = e[c] as number;
          if (hLocal[h] === -1) {
            hLocal[h] = hs.length;
            hs.push(h);
          }
          if (eLocal[ee] === -1) {
            eLocal[ee] = es.length;
            es.push(ee);
          }
          hc[t] = hLocal[h] as number;
          ec[t] = eLocal[ee] as number;
          w[t] = cn[c] as number;
          groupN[grp] += cn[c] as number;
        });
        groupLevelsH[grp] = hs.length;
        groupLevelsE[grp] = es.length;
        const fe: FixedEffectsDesign = {
          factors: [{ codes: hc, size: hs.length } as Factor, { codes: ec, size: es.length } as Factor],
          weights: w,
        };
        for (let j = 0; j < this.m; j++) {
          const sum = (this.cellSum[j] as GrowF64).a;
          const mean = mapF64(cells.length, (t) => (sum[cells[t] as number] as number) / (cn[cells[t] as number] as number));
          const fit = fixefCoefficients(mean, fe);
          if (!fit.converged)
            throw new EstimationError(
              `fixed-effect demeaning did not converge; raise demean.maxIter or check for weakly connected fixed effects`,
            );
          const ah = fit.alpha[0] as Float64Array,
            ae = fit.alpha[1] as Float64Array;
          hs.forEach((h, l) => ((aH[j] as Float64Array)[h] = ah[l] as number));
          es.forEach((ee, l) => ((aE[j] as Float64Array)[ee] = ae[l] as number));
        }
        for (const h of hs) hLocal[h] = -1;
        for (const ee of es) eLocal[ee] = -1;
        a = b;
      }
      const k = this.X.length;
      this.states.push({
        spec,
        e,
        nE,
        aH,
        aE,
        groupN,
        groupSingle,
        groupLevelsH,
        groupLevelsE,
        cross: new Float64Array(G * this.m * this.m),
        fits: [],
        rss: new Float64Array(G),
        hetero: new Float64Array(G * k * k),
        clusterKey: G > 1 ? new Map() : null,
        clusterSums: new GrowF64(),
        clusterGroup: new GrowI32(),
        clusterDense: G > 1 ? null : new Int32Array(this.o.nClusterCodes ? this.o.nClusterCodes() : 0).fill(-1),
        ownerH: new Int32Array(H).fill(-1),
        ownerE: new Int32Array(nE).fill(-1),
        nestedH: new Uint8Array(G).fill(1),
        nestedE: new Uint8Array(G).fill(1),
      });
    }
  }

  /** Demeaned variables ũ of row i (into `out`); false when the row is not in the design's sample. */
  private demeaned(s: DesignState, cell: number, h: number, u: Float64Array[], i: number, out: Float64Array): boolean {
    if (cell < 0) return false;
    const e = s.e[cell] as number;
    if (e < 0) return false;
    for (let j = 0; j < this.m; j++)
      out[j] = ((u[j] as Float64Array)[i] as number) - ((s.aH[j] as Float64Array)[h] as number) - ((s.aE[j] as Float64Array)[e] as number);
    return true;
  }

  /** Pass 2: cross-products of the demeaned variables, per design and group. */
  crossPass(k: number, r: CandidateRows): void {
    const u = this.o.vars(r);
    const cells = this.cellsOf(k, r, u);
    const m = this.m;
    const t = new Float64Array(m);
    for (const s of this.states) {
      const C = s.cross;
      for (let i = 0; i < r.n; i++) {
        const h = r.h[i] as number;
        if (!this.demeaned(s, cells[i] as number, h, u, i, t)) continue;
        const off = (s.spec.groupOf[h] as number) * m * m;
        for (let a = 0; a < m; a++) {
          const ta = t[a] as number;
          for (let b = a; b < m; b++) C[off + a * m + b] += ta * (t[b] as number);
        }
      }
    }
  }

  /** Solve every group's regression from the pass-2 cross-products. */
  solve(): void {
    const m = this.m;
    for (const s of this.states) {
      s.fits = [];
      for (let g = 0; g < s.spec.nGroups; g++) {
        if (!((s.groupN[g] as number) > 0)) {
          if ((s.groupSingle[g] as number) > 0)
            throw new EstimationError(
              `no observations left after removing ${s.groupSingle[g]} fixed-effect singletons (group ${g} of the regression)`,
            );
          s.fits.push(null);
          continue;
        }
        const C = (a: number, b: number) => s.cross[g * m * m + Math.min(a, b) * m + Math.max(a, b)] as number;
        const block = (rows: number[], cols: number[]): Mat => rows.map((a) => cols.map((b) => C(a, b)));
        const X = this.X,
          W = this.W;
        if (this.o.model === "fe") {
          s.fits.push({ beta: [], Pi: null, bread: [] });
          continue;
        }
        const n = s.groupN[g] as number;
        if (n <= X.length) throw new EstimationError(`${n} observations for ${X.length} coefficients: not identified`);
        const safeInv = (A: Mat, what: string): Mat => {
          let Ai: Mat;
          try {
            Ai = inv(A);
          } catch {
            throw new EstimationError(`${what} is singular: a regressor or the instrument is collinear with the fixed effects`);
          }
          if (Ai.some((row) => row.some((v) => !Number.isFinite(v))))
            throw new EstimationError(`${what} is singular: a regressor or the instrument is collinear with the fixed effects`);
          return Ai;
        };
        if (this.o.model === "ols") {
          const B = safeInv(block(X, X), "X'X");
          const Xy = X.map((a) => C(a, 0));
          s.fits.push({ beta: B.map((row) => row.reduce((acc, v, j) => acc + v * (Xy[j] as number), 0)), Pi: null, bread: B });
          continue;
        }
        const A = safeInv(block(W, W), "the instruments' cross-product matrix (W̃'W̃)");
        const SWX = block(W, X);
        const Pi: Mat = A.map((row) => X.map((_, b) => row.reduce((acc, v, w) => acc + v * at(SWX, w, b), 0)));
        const XhXh: Mat = X.map((_, a) => X.map((_, b) => W.reduce((acc, _w, w) => acc + at(SWX, w, a) * at(Pi, w, b), 0)));
        const B = safeInv(XhXh, "X̂'X̂");
        const SWy = W.map((w) => C(w, 0));
        const Xhy = X.map((_, a) => W.reduce((acc, _w, w) => acc + at(Pi, w, a) * (SWy[w] as number), 0));
        const beta = B.map((row) => row.reduce((acc, v, j) => acc + v * (Xhy[j] as number), 0));
        // first stage of ln p (column 1) on W = [w, z]
        const SWx = W.map((w) => C(w, 1));
        const pi = A.map((row) => row.reduce((acc, v, j) => acc + v * (SWx[j] as number), 0));
        const Cxx = C(1, 1);
        const rssU = Cxx - SWx.reduce((acc, v, j) => acc + v * (pi[j] as number), 0);
        const Wx = W.slice(0, -1);
        let rssR = Cxx;
        if (Wx.length) {
          const Aw = safeInv(block(Wx, Wx), "the controls' cross-product matrix");
          const Swx = Wx.map((w) => C(w, 1));
          rssR -= Swx.reduce((acc, v, a) => acc + v * Aw[a]!.reduce((t, x, b) => t + x * (Swx[b] as number), 0), 0);
        }
        const feDof = (s.groupLevelsH[g] as number) - 1 + ((s.groupLevelsE[g] as number) - 1) + 1;
        const df2 = n - (W.length + feDof);
        const f = (rssR - rssU) / 1 / (rssU / df2);
        const Bo = safeInv(block(X, X), "X̃'X̃");
        const Xy = X.map((a) => C(a, 0));
        const ols = Bo.map((row) => row.reduce((acc, v, j) => acc + v * (Xy[j] as number), 0));
        s.fits.push({
          beta,
          Pi,
          bread: B,
          firstStage: { coef: pi[pi.length - 1] as number, f, partialR2: 1 - rssU / rssR, rssU, rssR },
          ols,
        });
      }
    }
  }

  /**
   * Residuals of partition k in design `d` (NaN for rows outside the design's sample): the
   * structural residual ε̂ = ỹ − X̃β̂ (iv, ols) or ỹ (fe). With `accumulate`, pass 3: the
   * residual sum of squares and the score sums of the variance.
   */
  residualPass(k: number, r: CandidateRows, d: number, accumulate: boolean): Float64Array {
    const s = this.states[d] as DesignState;
    const u = this.o.vars(r);
    const cells = this.cellsOf(k, r, u);
    const out = new Float64Array(r.n).fill(NaN);
    const t = new Float64Array(this.m);
    const X = this.X,
      W = this.W,
      kx = X.length;
    const sc = new Float64Array(kx);
    const cl = accumulate && this.o.vcov.kind === "cluster" && this.o.clusterOf ? this.o.clusterOf(r) : null;
    const nCodes = this.o.nClusterCodes ? this.o.nClusterCodes() : 0;
    for (let i = 0; i < r.n; i++) {
      const h = r.h[i] as number;
      const cell = cells[i] as number;
      if (!this.demeaned(s, cell, h, u, i, t)) continue;
      const g = s.spec.groupOf[h] as number;
      const fit = s.fits[g] as GroupSolve;
      let eps = t[0] as number;
      for (let a = 0; a < kx; a++) eps -= (fit.beta[a] as number) * (t[X[a] as number] as number);
      out[i] = eps;
      if (!accumulate || this.o.model === "fe") continue;
      s.rss[g] += eps * eps;
      // scores X̂_i ε̂_i (iv: X̂ = Π'W̃; ols: X̃)
      for (let a = 0; a < kx; a++) {
        let xh = 0;
        if (fit.Pi) for (let w = 0; w < W.length; w++) xh += at(fit.Pi, w, a) * (t[W[w] as number] as number);
        else xh = t[X[a] as number] as number;
        sc[a] = xh * eps;
      }
      if (this.o.vcov.kind === "hetero") {
        const Hm = s.hetero;
        for (let a = 0; a < kx; a++) for (let b = 0; b < kx; b++) Hm[g * kx * kx + a * kx + b] += (sc[a] as number) * (sc[b] as number);
      } else if (cl) {
        const code = cl[i] as number;
        let slot: number;
        if (s.clusterDense) {
          slot = s.clusterDense[code] as number;
          if (slot < 0) {
            slot = s.clusterGroup.n;
            s.clusterDense[code] = slot;
            s.clusterGroup.push(g);
            for (let a = 0; a < kx; a++) s.clusterSums.push(0);
          }
        } else {
          const key = g * nCodes + code;
          let v = (s.clusterKey as Map<number, number>).get(key);
          if (v === undefined) {
            v = s.clusterGroup.n;
            (s.clusterKey as Map<number, number>).set(key, v);
            s.clusterGroup.push(g);
            for (let a = 0; a < kx; a++) s.clusterSums.push(0);
          }
          slot = v;
        }
        for (let a = 0; a < kx; a++) s.clusterSums.a[slot * kx + a] += sc[a] as number;
        // nesting of the fixed effects in the clusters (fixest does not count nested levels)
        const e = s.e[cell] as number;
        const oh = s.ownerH[h] as number;
        if (oh === -1) s.ownerH[h] = code;
        else if (oh !== code) s.nestedH[g] = 0;
        const oe = s.ownerE[e] as number;
        if (oe === -1) s.ownerE[e] = code;
        else if (oe !== code) s.nestedE[g] = 0;
      }
    }
    return out;
  }

  /** The coefficients of design d per group after `solve` (null: a group without rows). */
  coefficients(d: number): (readonly number[] | null)[] {
    return (this.states[d] as DesignState).fits.map((f) => (f ? f.beta : null));
  }

  /** Rows removed as singletons in design d (all groups). */
  singletons(d: number): number {
    return (this.states[d] as DesignState).groupSingle.reduce((a, b) => a + b, 0);
  }

  /** The fits of design d (after the accumulating residual passes), one per group (null: no rows). */
  fits(d: number, level = 0.95): (ChunkGroupFit | null)[] {
    const s = this.states[d] as DesignState;
    const kx = this.X.length;
    const G = s.spec.nGroups;
    // cluster meat per group
    let meat: Float64Array | null = null;
    let nCl: Float64Array | null = null;
    if (this.o.vcov.kind === "cluster") {
      meat = new Float64Array(G * kx * kx);
      nCl = new Float64Array(G);
      const sums = s.clusterSums.a,
        grp = s.clusterGroup.view();
      for (let q = 0; q < grp.length; q++) {
        const g = grp[q] as number;
        nCl[g]++;
        for (let a = 0; a < kx; a++)
          for (let b = 0; b < kx; b++) meat[g * kx * kx + a * kx + b] += (sums[q * kx + a] as number) * (sums[q * kx + b] as number);
      }
    }
    return s.fits.map((fit, g) => {
      if (!fit) return null;
      const n = s.groupN[g] as number;
      const base = { n, singletons: s.groupSingle[g] as number };
      if (this.o.model === "fe") return { ...base, beta: [], se: [], ciLow: [], ciHigh: [], tDf: NaN };
      // fixest's K: coefficients + Σ(G_q − 1) + 1, less nested fixed effects (all nested: coefficients + 1)
      const LH = s.groupLevelsH[g] as number,
        LE = s.groupLevelsE[g] as number;
      const clustered = this.o.vcov.kind === "cluster";
      const nh = clustered && s.nestedH[g] === 1,
        ne = clustered && s.nestedE[g] === 1;
      let K = kx + (LH - 1) + (LE - 1) + 1;
      if (nh && ne) K = kx + 1;
      else K -= (nh ? LH - 1 : 0) + (ne ? LE - 1 : 0);
      const ssAdj = (n - 1) / (n - K);
      const B = fit.bread;
      const V = new Float64Array(kx * kx);
      let tDf = n - K;
      const sandwich = (M: Float64Array, off: number, c: number) => {
        for (let a = 0; a < kx; a++)
          for (let b = 0; b < kx; b++) {
            let v = 0;
            for (let p = 0; p < kx; p++) for (let q = 0; q < kx; q++) v += at(B, a, p) * (M[off + p * kx + q] as number) * at(B, q, b);
            V[a * kx + b] = v * c;
          }
      };
      if (this.o.vcov.kind === "iid") {
        const s2 = (s.rss[g] as number) / (n - K);
        for (let a = 0; a < kx; a++) for (let b = 0; b < kx; b++) V[a * kx + b] = at(B, a, b) * s2;
      } else if (this.o.vcov.kind === "hetero") sandwich(s.hetero, g * kx * kx, ssAdj * (n / (n - 1)));
      else {
        const Gc = (nCl as Float64Array)[g] as number;
        sandwich(meat as Float64Array, g * kx * kx, ssAdj * (Gc / (Gc - 1)));
        tDf = Math.max(Gc - 1, 1);
      }
      const tcrit = qT(1 - (1 - level) / 2, tDf);
      const se = fit.beta.map((_, a) => Math.sqrt(V[a * kx + a] as number));
      return {
        ...base,
        beta: fit.beta,
        se,
        ciLow: fit.beta.map((b, a) => b - tcrit * (se[a] as number)),
        ciHigh: fit.beta.map((b, a) => b + tcrit * (se[a] as number)),
        tDf,
        ...(fit.firstStage ? { firstStage: { coef: fit.firstStage.coef, f: fit.firstStage.f, partialR2: fit.firstStage.partialR2 } } : {}),
        ...(fit.ols ? { ols: fit.ols } : {}),
      };
    });
  }
}

function at(A: Mat, i: number, j: number): number {
  return (A[i] as number[])[j] as number;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}
