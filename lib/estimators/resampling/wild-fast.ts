import { type Factor } from "../../core/fixed-effects/factorize";
import { membersOf } from "./refit";
import { type FwlModel } from "./fwl";

/**
 * The restricted wild cluster bootstrap of one FWL-prepared coefficient, reduced to cluster-level
 * sums once so that a draw never touches the N observations (see `prepareWildFast`).
 */
export interface WildFastPlan {
  /** Number of bootstrap (and CRVE) clusters. */
  readonly G: number;
  /** Number of controls (columns of Q). */
  readonly k: number;
  /** r'r of the target's residual regressor. */
  readonly rr: number;
  /** σ_g = Σ_{i∈g} r_i ũ_i. */
  readonly sigma: Float64Array;
  /** ρ_g = Σ_{i∈g} r_i². */
  readonly rho: Float64Array;
  /** RQ_g = Σ_{i∈g} r_i q_i (k × G, column a of Q at [a·G, (a+1)·G): each pass of a draw reads it sequentially). */
  readonly RQ: Float64Array;
  /** QU_g = Σ_{i∈g} q_i ũ_i (k × G, as RQ). */
  readonly QU: Float64Array;
  /** Cluster × fixed-effect-level cells (CSR by cluster): level index, Σ ũ and Σ r over the cell. */
  readonly cellPtr: Int32Array;
  readonly cellLev: Int32Array;
  readonly cellU: Float64Array;
  readonly cellW: Float64Array;
  /** Cells with a level < nBig belong to the eliminated (largest) fixed effect; the others index the reduced system at level − nBig. */
  readonly nBig: number;
  readonly nOther: number;
  /** Small-sample factor of the variance (ssAdj · clusterAdj of the model). */
  readonly adj: number;
  readonly model: FwlModel;
}

/** Scratch arrays of `wildFastDraw`, reused across draws. */
interface WildScratch {
  qz: Float64Array;
  /** The cluster scores s_g, built term by term. */
  sc: Float64Array;
  /** D'z (then α) over all fixed-effect levels: [0, nBig) the eliminated FE, then the reduced system. */
  all: Float64Array;
  sBig: Float64Array;
  rhs: Float64Array;
  aBig: Float64Array;
}
const scratchOf = new WeakMap<WildFastPlan, WildScratch>();

/**
 * Cluster-level precomputation of the restricted wild cluster bootstrap (WCR) for one
 * coefficient, the algebra of `boottest` (Roodman, MacKinnon, Nielsen & Webb 2019, "Fast and
 * wild: Bootstrap inference in Stata using boottest", Stata Journal 19(1), §3–5) written for the
 * Frisch–Waugh–Lovell model of ./fwl.ts. The fixed effects, the other regressors and their
 * orthonormal basis Q are partialled out ONCE (by `prepareFwl`); here the observation-level
 * vectors are summed by cluster once more, and every bootstrap draw then costs O(G·k + C + L),
 * with G clusters, k controls, C cluster × fixed-effect-level cells and L the size of the small
 * reduced fixed-effect system — never O(N).
 *
 * Notation: x the tested regressor, C the controls, D the fixed-effect dummies, r = M_[C,D] x
 * (the FWL residual regressor), ũ the restricted residuals (of y − β₀x on C and D), v_g the
 * weight of cluster g and z = ũ ∘ v the bootstrap error. The bootstrap outcome
 * y* = ŷ_R + β₀x + z re-estimated on [x, C, D] gives
 *
 *   β* − β₀ = r'z / r'r = Σ_g v_g σ_g / r'r,                         σ_g = Σ_{i∈g} r_i ũ_i,
 *   û* = M_[C,D] z − (β* − β₀) r,   M_[C,D] z = z − Dα_z − Q(Q'z),    D'Dα_z = D'z,
 *
 * (Q ⊥ D, so Q'M_D z = Q'z), and the cluster score of the target in the CRVE meat is
 *
 *   s_g = Σ_{i∈g} r_i û*_i = v_g σ_g − Σ_{cells (g,l)} α_z[l] W_{g,l} − RQ_g'(Q'z) − (β* − β₀) ρ_g,
 *
 * with Q'z = Σ_g v_g QU_g, D'z summed from the cells U_{g,l} = Σ_{i∈g, level l} ũ_i and
 * W_{g,l} = Σ_{i∈g, level l} r_i, and α_z from the direct fixed-effect solve (the cached
 * factorisation of `directProjector`). Then se* = √(Σ_g s_g² · adj) / r'r and t* = (β* − β₀)/se*
 * — the same numbers as re-estimating the model on y* (tested against full re-estimation and
 * against R, relative 1e-8). When every fixed effect is nested in the clusters the α_z term
 * reduces to the within-cluster means automatically; no special case is needed.
 *
 * Returns null when the fast path does not apply: regression weights, more than one cluster
 * dimension, or fixed effects whose reduced system is too large for the direct method (callers
 * then demean z in every draw).
 *
 * @example
 *   const m = prepareFwl(data, "y ~ x + c | city + year", "x", { vcov: { cluster: ["city"] } });
 *   const plan = prepareWildFast(m, m.vcovClusters[0], m.ry, residualOnControls(m, m.x));
 *   const { coef, t } = wildFastDraw(plan, v);   // v: one weight per cluster
 */
export function prepareWildFast(m: FwlModel, cl: Factor, ut: Float64Array, r: Float64Array): WildFastPlan | null {
  if (m.sw) return null;
  if (m.meatTerms.length !== 1 || typeof m.spec !== "object") return null;
  const P = m.proj;
  if (m.frame.fixef.length > 0 && !P) return null;
  const n = m.n,
    k = m.k,
    G = cl.size;
  const codes = cl.codes;
  let rr = 0;
  const sigma = new Float64Array(G),
    rho = new Float64Array(G);
  for (let i = 0; i < n; i++) {
    const g = codes[i] as number,
      ri = r[i] as number;
    rr += ri * ri;
    sigma[g] += ri * (ut[i] as number);
    rho[g] += ri * ri;
  }
  const RQ = new Float64Array(G * k),
    QU = new Float64Array(G * k);
  for (let a = 0; a < k; a++) {
    const q = m.Q[a] as Float64Array;
    for (let i = 0; i < n; i++) {
      const o = a * G + (codes[i] as number),
        qi = q[i] as number;
      RQ[o] += (r[i] as number) * qi;
      QU[o] += (ut[i] as number) * qi;
    }
  }
  // cluster × fixed-effect-level cells; levels: [0, nBig) the eliminated FE, nBig + j the reduced system
  const nBig = P ? P.nBigLevels : 0,
    nOther = P ? P.r : 0;
  const levOf: Int32Array[] = P ? [P.big, ...P.others.map((o) => Int32Array.from(o, (v) => v + nBig))] : [];
  const members = membersOf(codes, G);
  const stamp = new Int32Array(nBig + nOther).fill(-1),
    pos = new Int32Array(nBig + nOther);
  const cellPtr = new Int32Array(G + 1);
  let cap = Math.max(16, G * Math.max(1, levOf.length) * 2);
  let cellLev = new Int32Array(cap),
    cellU = new Float64Array(cap),
    cellW = new Float64Array(cap);
  let nc = 0;
  for (let g = 0; g < G; g++) {
    cellPtr[g] = nc;
    for (const i of members[g] as Int32Array) {
      for (const lv of levOf) {
        const l = lv[i] as number;
        let c: number;
        if (stamp[l] !== g) {
          if (nc === cap) {
            cap *= 2;
            const grow = <T extends Int32Array | Float64Array>(a: T, make: (len: number) => T): T => {
              const b = make(cap);
              b.set(a);
              return b;
            };
            cellLev = grow(cellLev, (len) => new Int32Array(len));
            cellU = grow(cellU, (len) => new Float64Array(len));
            cellW = grow(cellW, (len) => new Float64Array(len));
          }
          c = nc++;
          stamp[l] = g;
          pos[l] = c;
          cellLev[c] = l;
        } else c = pos[l] as number;
        cellU[c] += ut[i] as number;
        cellW[c] += r[i] as number;
      }
    }
  }
  cellPtr[G] = nc;
  return {
    G,
    k,
    rr,
    sigma,
    rho,
    RQ,
    QU,
    cellPtr,
    cellLev: cellLev.slice(0, nc),
    cellU: cellU.slice(0, nc),
    cellW: cellW.slice(0, nc),
    nBig,
    nOther,
    adj: m.dof.ssAdj * m.dof.clusterAdj,
    model: m,
  };
}

/**
 * One wild bootstrap draw from the cluster-level plan: given one weight per cluster, the
 * bootstrap estimate minus the null value, δ* = β* − β₀, and its t* = δ* / se* (see
 * `prepareWildFast` for the formulas). O(G·k + cells + reduced FE system).
 *
 * @example const { delta, t } = wildFastDraw(plan, Float64Array.from({ length: plan.G }, () => (Math.random() < 0.5 ? -1 : 1)));
 */
export function wildFastDraw(plan: WildFastPlan, v: Float64Array): { delta: number; se: number; t: number } {
  const { G, k, sigma, rho, RQ, QU, cellPtr, cellLev, cellU, cellW, nBig, nOther } = plan;
  const P = plan.model.proj;
  let s = scratchOf.get(plan);
  if (!s) {
    s = {
      qz: new Float64Array(k),
      all: new Float64Array(nBig + nOther),
      sBig: new Float64Array(nBig),
      rhs: new Float64Array(nOther),
      aBig: new Float64Array(nBig),
      sc: new Float64Array(G),
    };
    scratchOf.set(plan, s);
  }
  const { qz, all, sBig, rhs, aBig } = s;
  const withFe = P !== null && cellLev.length > 0;
  // pass 1 over clusters: Σ v_g σ_g, Q'z = Σ v_g QU_g (one sequential sum over g per column), D'z = Σ v_g U_{g,l}
  let num = 0;
  for (let g = 0; g < G; g++) num += (v[g] as number) * (sigma[g] as number);
  for (let a = 0; a < k; a++) {
    let t = 0;
    const o = a * G;
    for (let g = 0; g < G; g++) t += (v[g] as number) * (QU[o + g] as number);
    qz[a] = t;
  }
  all.fill(0);
  for (let g = 0; g < G; g++) {
    const vg = v[g] as number;
    const c1 = cellPtr[g + 1] as number;
    for (let c = cellPtr[g] as number; c < c1; c++) all[cellLev[c] as number] += vg * (cellU[c] as number);
  }
  const delta = num / plan.rr;
  if (withFe) {
    for (let l = 0; l < nBig; l++) sBig[l] = all[l] as number;
    for (let l = 0; l < nOther; l++) rhs[l] = all[nBig + l] as number;
    P.solve(sBig, rhs, aBig);
    for (let l = 0; l < nBig; l++) all[l] = aBig[l] as number;
    for (let l = 0; l < nOther; l++) all[nBig + l] = rhs[l] as number;
  }
  // pass 2: the cluster scores s_g = v_g σ_g − δ ρ_g − Σ_a RQ_{g,a} (Q'z)_a − Σ_cells α W (terms subtracted in
  // this order for every g, column by column), and the meat Σ s_g²
  const sc = s.sc;
  for (let g = 0; g < G; g++) sc[g] = (v[g] as number) * (sigma[g] as number) - delta * (rho[g] as number);
  for (let a = 0; a < k; a++) {
    const qa = qz[a] as number,
      o = a * G;
    for (let g = 0; g < G; g++) sc[g] = (sc[g] as number) - (RQ[o + g] as number) * qa;
  }
  let meat = 0;
  for (let g = 0; g < G; g++) {
    let t = sc[g] as number;
    const c1 = cellPtr[g + 1] as number;
    for (let c = cellPtr[g] as number; c < c1; c++) t -= (all[cellLev[c] as number] as number) * (cellW[c] as number);
    meat += t * t;
  }
  const se = Math.sqrt(meat * plan.adj) / plan.rr;
  return { delta, se, t: delta / se };
}

/** Scratch arrays of `wildFastDraw4`, reused across batches. */
interface WildScratch4 {
  qz4: Float64Array;
  all4: Float64Array;
  sc4: Float64Array;
  sBig: Float64Array;
  rhs: Float64Array;
  aBig: Float64Array;
}
const scratch4Of = new WeakMap<WildFastPlan, WildScratch4>();

/** Clusters per block of the batched passes: a block of the weights (4 per cluster) and of one column of QU/RQ stay in L1. */
const GBLOCK = 1024;

/**
 * Four wild bootstrap draws at once from the cluster-level plan: `wildFastDraw` for the weight
 * vectors v_0..v_3, interleaved in W (W[4g + b] = weight of cluster g in draw b). Every sum of
 * every draw runs in the same order as in `wildFastDraw`, so each draw's δ*, se* and t* are
 * bitwise those of `wildFastDraw` (tested); the four draws share one read of the cluster sums
 * and give the processor four independent chains of additions instead of one. Writes δ*, se*
 * and t* of draw b to delta[b], se[b], t[b].
 *
 * @example wildFastDraw4(plan, W, delta, se, t);   // W: Float64Array(4·G)
 */
export function wildFastDraw4(plan: WildFastPlan, W: Float64Array, delta: Float64Array, se: Float64Array, t: Float64Array): void {
  const { G, k, sigma, rho, RQ, QU, cellPtr, cellLev, cellU, cellW, nBig, nOther } = plan;
  const P = plan.model.proj;
  const L = nBig + nOther;
  let s = scratch4Of.get(plan);
  if (!s) {
    s = {
      qz4: new Float64Array(k * 4),
      all4: new Float64Array(L * 4),
      sc4: new Float64Array(G * 4),
      sBig: new Float64Array(nBig),
      rhs: new Float64Array(nOther),
      aBig: new Float64Array(nBig),
    };
    scratch4Of.set(plan, s);
  }
  const { qz4, all4, sc4, sBig, rhs, aBig } = s;
  const withFe = P !== null && cellLev.length > 0;
  // pass 1: Σ v_g σ_g, Q'z column by column (blocks of clusters, the running sums carried), D'z from the cells
  let n0 = 0,
    n1 = 0,
    n2 = 0,
    n3 = 0;
  for (let g = 0, o = 0; g < G; g++, o += 4) {
    const sg = sigma[g]!;
    n0 += W[o]! * sg;
    n1 += W[o + 1]! * sg;
    n2 += W[o + 2]! * sg;
    n3 += W[o + 3]! * sg;
  }
  qz4.fill(0);
  for (let g0 = 0; g0 < G; g0 += GBLOCK) {
    const g1 = Math.min(G, g0 + GBLOCK);
    for (let a = 0; a < k; a++) {
      const base = a * G;
      let t0 = qz4[4 * a]!,
        t1 = qz4[4 * a + 1]!,
        t2 = qz4[4 * a + 2]!,
        t3 = qz4[4 * a + 3]!;
      for (let g = g0, o = 4 * g0; g < g1; g++, o += 4) {
        const q = QU[base + g]!;
        t0 += W[o]! * q;
        t1 += W[o + 1]! * q;
        t2 += W[o + 2]! * q;
        t3 += W[o + 3]! * q;
      }
      qz4[4 * a] = t0;
      qz4[4 * a + 1] = t1;
      qz4[4 * a + 2] = t2;
      qz4[4 * a + 3] = t3;
    }
  }
  all4.fill(0);
  for (let g = 0, o = 0; g < G; g++, o += 4) {
    const v0 = W[o]!,
      v1 = W[o + 1]!,
      v2 = W[o + 2]!,
      v3 = W[o + 3]!;
    const c1 = cellPtr[g + 1]!;
    for (let c = cellPtr[g]!; c < c1; c++) {
      const p = 4 * cellLev[c]!,
        u = cellU[c]!;
      all4[p] += v0 * u;
      all4[p + 1] += v1 * u;
      all4[p + 2] += v2 * u;
      all4[p + 3] += v3 * u;
    }
  }
  delta[0] = n0 / plan.rr;
  delta[1] = n1 / plan.rr;
  delta[2] = n2 / plan.rr;
  delta[3] = n3 / plan.rr;
  if (withFe) {
    for (let b = 0; b < 4; b++) {
      for (let l = 0; l < nBig; l++) sBig[l] = all4[4 * l + b]!;
      for (let l = 0; l < nOther; l++) rhs[l] = all4[4 * (nBig + l) + b]!;
      P.solve(sBig, rhs, aBig);
      for (let l = 0; l < nBig; l++) all4[4 * l + b] = aBig[l]!;
      for (let l = 0; l < nOther; l++) all4[4 * (nBig + l) + b] = rhs[l]!;
    }
  }
  // pass 2: the cluster scores, terms subtracted in the order of `wildFastDraw`, then the meat
  const d0 = delta[0]!,
    d1 = delta[1]!,
    d2 = delta[2]!,
    d3 = delta[3]!;
  for (let g = 0, o = 0; g < G; g++, o += 4) {
    const sg = sigma[g]!,
      rg = rho[g]!;
    sc4[o] = W[o]! * sg - d0 * rg;
    sc4[o + 1] = W[o + 1]! * sg - d1 * rg;
    sc4[o + 2] = W[o + 2]! * sg - d2 * rg;
    sc4[o + 3] = W[o + 3]! * sg - d3 * rg;
  }
  for (let g0 = 0; g0 < G; g0 += GBLOCK) {
    const g1 = Math.min(G, g0 + GBLOCK);
    for (let a = 0; a < k; a++) {
      const base = a * G;
      const q0 = qz4[4 * a]!,
        q1 = qz4[4 * a + 1]!,
        q2 = qz4[4 * a + 2]!,
        q3 = qz4[4 * a + 3]!;
      for (let g = g0, o = 4 * g0; g < g1; g++, o += 4) {
        const rq = RQ[base + g]!;
        sc4[o] = sc4[o]! - rq * q0;
        sc4[o + 1] = sc4[o + 1]! - rq * q1;
        sc4[o + 2] = sc4[o + 2]! - rq * q2;
        sc4[o + 3] = sc4[o + 3]! - rq * q3;
      }
    }
  }
  let m0 = 0,
    m1 = 0,
    m2 = 0,
    m3 = 0;
  for (let g = 0, o = 0; g < G; g++, o += 4) {
    let t0 = sc4[o]!,
      t1 = sc4[o + 1]!,
      t2 = sc4[o + 2]!,
      t3 = sc4[o + 3]!;
    const c1 = cellPtr[g + 1]!;
    for (let c = cellPtr[g]!; c < c1; c++) {
      const p = 4 * cellLev[c]!,
        w = cellW[c]!;
      t0 -= all4[p]! * w;
      t1 -= all4[p + 1]! * w;
      t2 -= all4[p + 2]! * w;
      t3 -= all4[p + 3]! * w;
    }
    m0 += t0 * t0;
    m1 += t1 * t1;
    m2 += t2 * t2;
    m3 += t3 * t3;
  }
  const ms = [m0, m1, m2, m3];
  for (let b = 0; b < 4; b++) {
    const e = Math.sqrt(ms[b]! * plan.adj) / plan.rr;
    se[b] = e;
    t[b] = delta[b]! / e;
  }
}
