import { factorize, interact, type Factor } from "../../core/fixed-effects/factorize";
import { type FwlModel, type FwlFit, dotsBlocked } from "./fwl";

/**
 * The per-model arrays of `prepareUnitInteraction`: everything a draw of the unit-level
 * indicator D needs, summed by unit, by fixed-effect level and by cell once, so that a draw costs
 * one O(N) pass with a few gathers instead of a full FWL re-estimate.
 */
export interface UnitInteractionPlan {
  readonly n: number;
  /** Kept controls (columns of Q). */
  readonly k: number;
  /** Number of units (levels of the permutation unit). */
  readonly units: number;
  /** g_u = Σ_{i∈u} s_i ry_i. */
  readonly g: Float64Array;
  /** B[u·k + a] = Σ_{i∈u} s_i Q_a,i. */
  readonly B: Float64Array;
  /** Unit × fixed-effect-level sums of s (CSR by unit): level in [0, nBig) the eliminated FE, nBig + j the reduced system. */
  readonly levPtr: Int32Array;
  /**
   * The fixed-effect coefficients of each unit's column s ∘ 1[unit = u] (units × (nBig + r),
   * row-major), so that α(D) = Σ_u D_u α_u needs no solve per draw; null when that table would
   * exceed `UNIT_ALPHA_MAX` numbers (then one reduced solve per draw).
   */
  readonly unitAlpha: Float64Array | null;
  readonly levIdx: Int32Array;
  readonly levSum: Float64Array;
  /** LU factors (row-major, partial pivoting) of R = Q'C (k × k, C the kept raw controls). */
  readonly lu: Float64Array;
  readonly piv: Int32Array;
  /** Fixed-effect coefficients of every kept control: Γ_big[l·k + a], Γ_oth[l·k + a]. */
  readonly gamBig: Float64Array;
  readonly gamOth: Float64Array;
  /** Cells (rows with equal unit, s and controls): their number, and per cell its unit, s and controls (m × k). */
  readonly m: number;
  readonly cellUnit: Int32Array;
  readonly cellS: Float64Array;
  readonly cellC: Float64Array;
  /**
   * Fixed effects constant within cells (e.g. city and year for city × year cells), folded into
   * the cell values: for each, its level index into the combined coefficient vector
   * ([0, nBig) eliminated FE, nBig + j reduced system) per cell. `rowFe` lists the others, whose
   * coefficients are read per row (0 = the eliminated FE, f ≥ 1 = `proj.others[f − 1]`).
   */
  readonly foldLev: readonly Int32Array[];
  readonly rowFe: readonly number[];
  /**
   * The rows in the order of the pass over N (grouped by cluster when clustered, so that the
   * cluster sums are sequential): their cell codes, the codes of the `rowFe` fixed effects
   * (offset into the combined coefficient vector) and ry.
   */
  readonly ordCell: Int32Array;
  readonly ordFe: readonly Int32Array[];
  /** When the one remaining fixed effect is constant within clusters (HS4 in city × HS4 clusters): its level per cluster. */
  readonly clFe: Int32Array | null;
  readonly ordRy: Float64Array;
  /** Cluster h holds the rows [clPtr[h], clPtr[h+1]) of that order (null: iid, no clusters). */
  readonly clPtr: Int32Array | null;
  readonly clusters: number;
  readonly model: FwlModel;
}

/** Largest table of per-unit fixed-effect coefficients `prepareUnitInteraction` keeps (32 MB). */
const UNIT_ALPHA_MAX = 4_000_000;

/** Scratch arrays of `unitInteractionFit`, reused across draws. */
interface Scratch {
  c: Float64Array;
  gam: Float64Array;
  sBig: Float64Array;
  rhs: Float64Array;
  aBig: Float64Array;
  rho: Float64Array;
  /** The coefficients of all fixed effects in one vector: [0, nBig) eliminated, then the reduced system. */
  all: Float64Array;
  S1: Float64Array | null;
  S2: Float64Array | null;
}
const scratchOf = new WeakMap<UnitInteractionPlan, Scratch>();

/**
 * Unit-level precomputation for re-estimating the coefficient of an interaction x = s ∘ D[unit]
 * (a slope s times a 0/1 indicator constant within units, e.g. vagg × centre with cities as
 * units) under many relabellings D of the units — the randomisation test of
 * `unitInteractionPermutation`. The model is the Frisch–Waugh–Lovell model of ./fwl.ts
 * (`prepareFwl` with x as the target): fixed effects F (direct projection), kept controls C with
 * orthonormal basis Q of M_F C, outcome residual ry. A draw's coefficient, cluster-robust SE and t
 * are those of a full re-estimate; what changes is how the residual regressor
 * r = M_F x − Q(Q'x) is obtained.
 *
 * Every sum over the rows that involves x is linear in D, and is summed by unit once:
 *   x'ry = Σ_u D_u g_u,  Q'x = Σ_u D_u B_u,  F'x = Σ_u D_u (F's level sums of s over the rows of u),
 * and, the fixed-effect solve being linear too, α = (F'F)⁻¹F'x = Σ_u D_u α_u with α_u solved once
 * per unit (the cached factorisation of `directProjector`; one solve per draw instead when the
 * units × levels table would be too large), so a draw starts with O(units·(k + levels)) work. The O(N·k) product Q(Q'x) is
 * replaced by the controls themselves: with R = Q'C (k × k) and γ = R⁻¹(Q'x), Q(Q'x) = M_F Cγ =
 * Cγ − F Γγ, where Γ holds the fixed-effect coefficients of each control (solved once), hence
 *
 *   r = x − Cγ − F(α − Γγ),   r_i = ρ[cell_i] − Σ_f (α − Γγ)_f[level_f(i)],
 *   ρ[cell] = s_cell · D[unit_cell] − C_cell·γ,
 *
 * with cells the distinct combinations of (unit, s, controls) — at the EQ papers' scale the
 * city × year cells of a city-year slope and city-year controls, about 3,000 for 615,000 rows.
 * Fixed effects constant within cells (city and year for city × year cells) are folded into ρ, so
 * the pass over N — rows grouped by cluster — reads one cell value and one coefficient per
 * remaining fixed effect per row (no Q), and forms r_i, r'r and the cluster sums Σ r_i ry_i,
 * Σ r_i² of the CRVE score Σ_{i∈g} r_i(ry_i − β r_i), β = x'ry / r'r (as `fusedFit`). Same numbers as the per-draw FWL fit
 * up to rounding (tested at relative 1e-9 against `fwlFit` and a full `feols`-style re-estimate
 * on every draw; 3e-13 at the EQ papers' scale): the sums run in another order, and Q(Q'x) goes
 * through the k × k solve with R, whose rounding grows with the condition number of the demeaned
 * controls (as a QR least-squares solve does), not with N.
 *
 * Returns null when the path does not apply — regression weights, no fixed effects or no direct
 * projection, multi-way clustering or heteroskedastic SEs, or more than n/4 cells (the controls
 * vary by row, nothing to compress) — and callers then fit each draw by FWL. `maxUnitAlpha`
 * bounds the units × levels table of α_u (beyond it, one solve per draw).
 *
 * @example
 *   const m = prepareFwl(data, "y ~ vagg + __sd + fdi | city + year + hs4", "__sd", { vcov: "cluster:city^hs4" });
 *   const plan = prepareUnitInteraction(m, vaggOnFrameRows, cityFactorOnFrameRows);
 *   const fit = plan && unitInteractionFit(plan, permutedLabels);   // { coef, se, t }
 */
export function prepareUnitInteraction(
  m: FwlModel,
  s: Float64Array,
  unit: Factor,
  maxUnitAlpha: number = UNIT_ALPHA_MAX,
): UnitInteractionPlan | null {
  const P = m.proj;
  if (!P || m.sw || P.weights) return null;
  const oneWay = typeof m.spec === "object" && m.meatTerms.length === 1;
  if (!(m.spec === "iid" || oneWay)) return null;
  const n = m.n,
    k = m.k,
    U = unit.size;
  const uc = unit.codes;
  // controls as raw columns (estimation-sample order), in the order of Q
  const C: Float64Array[] = [];
  for (const name of m.controls) {
    const j = m.frame.xNames.indexOf(name);
    if (j < 0) return null;
    C.push(m.frame.X[j] as Float64Array);
  }
  // cells: distinct (unit, s, controls)
  let cf: Factor = interact(unit, factorize(s));
  for (const col of C) {
    if (cf.size > n / 4) return null;
    cf = interact(cf, factorize(col));
  }
  const M = cf.size;
  if (M > n / 4) return null;
  const cell = cf.codes;
  const cellUnit = new Int32Array(M).fill(-1),
    cellS = new Float64Array(M),
    cellC = new Float64Array(M * k);
  for (let i = 0; i < n; i++) {
    const c = cell[i] as number;
    if ((cellUnit[c] as number) >= 0) continue;
    cellUnit[c] = uc[i] as number;
    cellS[c] = s[i] as number;
    for (let a = 0; a < k; a++) cellC[c * k + a] = (C[a] as Float64Array)[i] as number;
  }
  // fixed effects constant within cells: their coefficients are folded into the cell values
  const foldLev: Int32Array[] = [],
    rowFe: number[] = [];
  {
    const feCodes: Int32Array[] = [P.big, ...P.others];
    feCodes.forEach((codes, f) => {
      const off = f === 0 ? 0 : P.nBigLevels;
      const lev = new Int32Array(M).fill(-1);
      let constant = true;
      for (let i = 0; i < n && constant; i++) {
        const q = cell[i] as number,
          l = (codes[i] as number) + off;
        if ((lev[q] as number) < 0) lev[q] = l;
        else if (lev[q] !== l) constant = false;
      }
      if (constant) foldLev.push(lev);
      else rowFe.push(f);
    });
  }
  // unit sums: g, B
  const ry = m.ry;
  const g = new Float64Array(U),
    B = new Float64Array(U * k);
  for (let i = 0; i < n; i++) g[uc[i] as number] += (s[i] as number) * (ry[i] as number);
  for (let a = 0; a < k; a++) {
    const q = m.Q[a] as Float64Array;
    for (let i = 0; i < n; i++) B[(uc[i] as number) * k + a] += (s[i] as number) * (q[i] as number);
  }
  // unit × level sums of s (CSR by unit)
  const nBig = P.nBigLevels,
    L = nBig + P.r;
  const levOf: Int32Array[] = [P.big, ...P.others];
  const offs = [0, ...P.others.map(() => nBig)];
  const byUnit = new Int32Array(U + 1);
  for (let i = 0; i < n; i++) byUnit[(uc[i] as number) + 1]++;
  for (let u = 0; u < U; u++) byUnit[u + 1] += byUnit[u] as number;
  const fill = byUnit.slice(0, U),
    order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[uc[i] as number]++ as number] = i;
  const stamp = new Int32Array(L).fill(-1),
    pos = new Int32Array(L);
  const levPtr = new Int32Array(U + 1);
  let cap = Math.max(64, U * 16);
  let levIdx = new Int32Array(cap),
    levSum = new Float64Array(cap);
  let nc = 0;
  for (let u = 0; u < U; u++) {
    levPtr[u] = nc;
    for (let p = byUnit[u] as number; p < (byUnit[u + 1] as number); p++) {
      const i = order[p] as number;
      for (let f = 0; f < levOf.length; f++) {
        const l = ((levOf[f] as Int32Array)[i] as number) + (offs[f] as number);
        if (stamp[l] !== u) {
          if (nc === cap) {
            cap *= 2;
            const li = new Int32Array(cap),
              ls = new Float64Array(cap);
            li.set(levIdx);
            ls.set(levSum);
            levIdx = li;
            levSum = ls;
          }
          stamp[l] = u;
          pos[l] = nc;
          levIdx[nc] = l;
          nc++;
        }
        levSum[pos[l] as number] += s[i] as number;
      }
    }
  }
  levPtr[U] = nc;
  // R = Q'C and its LU factors; Γ: fixed-effect coefficients of each control
  const R = new Float64Array(k * k),
    col = new Float64Array(k);
  for (let b = 0; b < k; b++) {
    dotsBlocked(m.Q, C[b] as Float64Array, col);
    for (let a = 0; a < k; a++) R[a * k + b] = col[a] as number;
  }
  const { lu, piv } = luFactor(R, k);
  const gamBig = new Float64Array(nBig * k),
    gamOth = new Float64Array(P.r * k);
  const sBig = new Float64Array(nBig),
    rhs = new Float64Array(P.r),
    aBig = new Float64Array(nBig);
  for (let a = 0; a < k; a++) {
    P.groupSums(C[a] as Float64Array, sBig, rhs);
    P.solve(sBig, rhs, aBig);
    for (let l = 0; l < nBig; l++) gamBig[l * k + a] = aBig[l] as number;
    for (let l = 0; l < P.r; l++) gamOth[l * k + a] = rhs[l] as number;
  }
  // α_u for every unit: the solve of its own level sums (the solve is linear in its right-hand side)
  let unitAlpha: Float64Array | null = null;
  if (U * L <= maxUnitAlpha) {
    unitAlpha = new Float64Array(U * L);
    for (let u = 0; u < U; u++) {
      sBig.fill(0);
      rhs.fill(0);
      for (let p = levPtr[u] as number; p < (levPtr[u + 1] as number); p++) {
        const l = levIdx[p] as number;
        if (l < nBig) sBig[l] += levSum[p] as number;
        else rhs[l - nBig] += levSum[p] as number;
      }
      P.solve(sBig, rhs, aBig);
      unitAlpha.set(aBig, u * L);
      unitAlpha.set(rhs, u * L + nBig);
    }
  }
  const cl = oneWay ? (m.meatTerms[0] as { factor: Factor }).factor : null;
  // the order of the pass over N: rows grouped by cluster (counting sort), else as they are
  let ord: Int32Array,
    clPtr: Int32Array | null = null;
  if (cl) {
    clPtr = new Int32Array(cl.size + 1);
    for (let i = 0; i < n; i++) clPtr[(cl.codes[i] as number) + 1]++;
    for (let h = 0; h < cl.size; h++) clPtr[h + 1] += clPtr[h] as number;
    const at = clPtr.slice(0, cl.size);
    ord = new Int32Array(n);
    for (let i = 0; i < n; i++) ord[at[cl.codes[i] as number]++ as number] = i;
  } else ord = Int32Array.from({ length: n }, (_, i) => i);
  const feCodesAll: Int32Array[] = [P.big, ...P.others];
  const ordCell = new Int32Array(n),
    ordRy = new Float64Array(n);
  const ordFe = rowFe.map(() => new Int32Array(n));
  for (let p = 0; p < n; p++) {
    const i = ord[p] as number;
    ordCell[p] = cell[i] as number;
    ordRy[p] = ry[i] as number;
    rowFe.forEach((f, j) => ((ordFe[j] as Int32Array)[p] = ((feCodesAll[f] as Int32Array)[i] as number) + (f === 0 ? 0 : nBig)));
  }
  // the one remaining fixed effect, when constant within every cluster, is read once per cluster
  let clFe: Int32Array | null = null;
  if (clPtr && ordFe.length === 1) {
    const fe = ordFe[0] as Int32Array;
    const lev = new Int32Array(clPtr.length - 1);
    let constant = true;
    for (let h = 0; h < lev.length && constant; h++) {
      const p0 = clPtr[h] as number;
      lev[h] = fe[p0] as number;
      for (let p = p0 + 1; p < (clPtr[h + 1] as number); p++) if (fe[p] !== fe[p0]) constant = false;
    }
    if (constant) clFe = lev;
  }
  return {
    n,
    k,
    units: U,
    g,
    B,
    levPtr,
    unitAlpha,
    levIdx: levIdx.slice(0, nc),
    levSum: levSum.slice(0, nc),
    lu,
    piv,
    gamBig,
    gamOth,
    m: M,
    cellUnit,
    cellS,
    cellC,
    foldLev,
    rowFe,
    ordCell,
    ordFe,
    clFe,
    ordRy,
    clPtr,
    clusters: cl ? cl.size : 0,
    model: m,
  };
}

/**
 * One re-estimate from the plan of `prepareUnitInteraction`, given the indicator's value for
 * every unit (D[u], in the order of the unit factor's codes): the coefficient of s ∘ D[unit], its
 * SE (the model's vcov and small-sample factors) and t. O(units·k + unit × level pairs + cells·k
 * + one reduced fixed-effect solve + N). See `prepareUnitInteraction` for the formulas.
 *
 * @example const { coef, se, t } = unitInteractionFit(plan, Float64Array.from(labels));
 */
export function unitInteractionFit(plan: UnitInteractionPlan, D: Float64Array): FwlFit {
  const { n, k, units, g, B, levPtr, levIdx, levSum, gamBig, gamOth, m: M, cellUnit, cellS, cellC, clPtr } = plan;
  const model = plan.model;
  const P = model.proj as NonNullable<FwlModel["proj"]>;
  const nBig = P.nBigLevels,
    nOth = P.r;
  let sc = scratchOf.get(plan);
  if (!sc) {
    sc = {
      c: new Float64Array(k),
      gam: new Float64Array(k),
      sBig: new Float64Array(nBig),
      rhs: new Float64Array(nOth),
      aBig: new Float64Array(nBig),
      rho: new Float64Array(M),
      all: new Float64Array(nBig + nOth),
      S1: clPtr ? new Float64Array(plan.clusters) : null,
      S2: clPtr ? new Float64Array(plan.clusters) : null,
    };
    scratchOf.set(plan, sc);
  }
  const { c, gam, sBig, rhs, aBig, rho } = sc;
  // sums linear in D: x'ry, Q'x, F'x
  let xry = 0;
  c.fill(0);
  sBig.fill(0);
  rhs.fill(0);
  const UA = plan.unitAlpha;
  if (UA) {
    aBig.fill(0);
    const L = nBig + nOth;
    for (let u = 0; u < units; u++) {
      const d = D[u] as number;
      if (d === 0) continue;
      xry += d * (g[u] as number);
      const o = u * k;
      for (let a = 0; a < k; a++) c[a] += d * (B[o + a] as number);
      const ou = u * L;
      for (let l = 0; l < nBig; l++) aBig[l] += d * (UA[ou + l] as number);
      for (let l = 0; l < nOth; l++) rhs[l] += d * (UA[ou + nBig + l] as number);
    }
  } else {
    for (let u = 0; u < units; u++) {
      const d = D[u] as number;
      if (d === 0) continue;
      xry += d * (g[u] as number);
      const o = u * k;
      for (let a = 0; a < k; a++) c[a] += d * (B[o + a] as number);
      const e = levPtr[u + 1] as number;
      for (let p = levPtr[u] as number; p < e; p++) {
        const l = levIdx[p] as number;
        if (l < nBig) sBig[l] += d * (levSum[p] as number);
        else rhs[l - nBig] += d * (levSum[p] as number);
      }
    }
    P.solve(sBig, rhs, aBig);
  }
  // γ = R⁻¹ Q'x; fixed-effect coefficients of x − Cγ: α − Γγ
  gam.set(c);
  luSolve(plan.lu, plan.piv, k, gam);
  if (k > 0) {
    for (let l = 0; l < nBig; l++) {
      let t = aBig[l] as number;
      const o = l * k;
      for (let a = 0; a < k; a++) t -= (gamBig[o + a] as number) * (gam[a] as number);
      aBig[l] = t;
    }
    for (let l = 0; l < nOth; l++) {
      let t = rhs[l] as number;
      const o = l * k;
      for (let a = 0; a < k; a++) t -= (gamOth[o + a] as number) * (gam[a] as number);
      rhs[l] = t;
    }
  }
  const { foldLev } = plan;
  const all = sc.all;
  all.set(aBig);
  all.set(rhs, nBig);
  for (let q = 0; q < M; q++) {
    let t = (cellS[q] as number) * (D[cellUnit[q] as number] as number);
    const o = q * k;
    for (let a = 0; a < k; a++) t -= (cellC[o + a] as number) * (gam[a] as number);
    for (let f = 0; f < foldLev.length; f++) t -= all[(foldLev[f] as Int32Array)[q] as number] as number;
    rho[q] = t;
  }
  // the pass over N (rows grouped by cluster): r_i = ρ[cell_i] − the coefficients of the fixed effects not folded
  const { ordCell, ordFe, ordRy } = plan;
  const S1 = sc.S1,
    S2 = sc.S2;
  let rr = 0;
  if (clPtr && S1 && S2) {
    const Gc = plan.clusters;
    if (plan.clFe) rr = clusterPassConst(Gc, clPtr, ordCell, plan.clFe, rho, all, ordRy, S1, S2);
    else if (ordFe.length === 1) rr = clusterPass(Gc, clPtr, ordCell, ordFe[0] as Int32Array, rho, all, ordRy, S1, S2);
    else {
      for (let h = 0; h < Gc; h++) {
        let s1 = 0,
          s2 = 0;
        const e = clPtr[h + 1] as number;
        for (let p = clPtr[h] as number; p < e; p++) {
          let v = rho[ordCell[p] as number] as number;
          for (let f = 0; f < ordFe.length; f++) v -= all[(ordFe[f] as Int32Array)[p] as number] as number;
          s1 += v * (ordRy[p] as number);
          s2 += v * v;
        }
        S1[h] = s1;
        S2[h] = s2;
        rr += s2;
      }
    }
  } else {
    for (let p = 0; p < n; p++) {
      let v = rho[ordCell[p] as number] as number;
      for (let f = 0; f < ordFe.length; f++) v -= all[(ordFe[f] as Int32Array)[p] as number] as number;
      rr += v * v;
    }
  }
  const beta = xry / rr;
  const { dof } = model;
  let v: number;
  if (!S1 || !S2) v = (model.ryry - beta * xry) / (n - dof.K) / rr;
  else {
    let sum = 0;
    for (let h = 0; h < S1.length; h++) {
      const t = (S1[h] as number) - beta * (S2[h] as number);
      sum += t * t;
    }
    v = (sum / (rr * rr)) * dof.ssAdj * dof.clusterAdj;
  }
  const se = Math.sqrt(v);
  return { coef: beta, se, t: beta / se };
}

/**
 * The pass over N with one fixed effect read per row, rows grouped by cluster: r_p = ρ[cell_p] −
 * α[fe_p], the cluster sums S1_h = Σ r_p ry_p, S2_h = Σ r_p²; returns r'r = Σ_h S2_h.
 */
function clusterPass(
  Gc: number,
  clPtr: Int32Array,
  cell: Int32Array,
  fe: Int32Array,
  rho: Float64Array,
  alpha: Float64Array,
  ry: Float64Array,
  S1: Float64Array,
  S2: Float64Array,
): number {
  let rr = 0,
    p = 0;
  for (let h = 0; h < Gc; h++) {
    let s1 = 0,
      s2 = 0;
    const e = clPtr[h + 1]!;
    for (; p < e; p++) {
      const v = rho[cell[p]!]! - alpha[fe[p]!]!;
      s1 += v * ry[p]!;
      s2 += v * v;
    }
    S1[h] = s1;
    S2[h] = s2;
    rr += s2;
  }
  return rr;
}

/**
 * `clusterPass` when the fixed effect is constant within each cluster: its coefficient α[fe_h]
 * read once per cluster (the same numbers, one gather less per row); returns r'r.
 */
function clusterPassConst(
  Gc: number,
  clPtr: Int32Array,
  cell: Int32Array,
  feOfCluster: Int32Array,
  rho: Float64Array,
  alpha: Float64Array,
  ry: Float64Array,
  S1: Float64Array,
  S2: Float64Array,
): number {
  let rr = 0,
    p = 0;
  for (let h = 0; h < Gc; h++) {
    let s1 = 0,
      s2 = 0;
    const e = clPtr[h + 1]!,
      a = alpha[feOfCluster[h]!]!;
    for (; p < e; p++) {
      const v = rho[cell[p]!]! - a;
      s1 += v * ry[p]!;
      s2 += v * v;
    }
    S1[h] = s1;
    S2[h] = s2;
    rr += s2;
  }
  return rr;
}

/** LU with partial pivoting of a k × k row-major matrix (copied). */
function luFactor(A: Float64Array, k: number): { lu: Float64Array; piv: Int32Array } {
  const lu = Float64Array.from(A),
    piv = new Int32Array(k);
  for (let j = 0; j < k; j++) {
    let p = j,
      best = Math.abs(lu[j * k + j] as number);
    for (let i = j + 1; i < k; i++) {
      const v = Math.abs(lu[i * k + j] as number);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    piv[j] = p;
    if (p !== j)
      for (let c = 0; c < k; c++) {
        const t = lu[j * k + c] as number;
        lu[j * k + c] = lu[p * k + c] as number;
        lu[p * k + c] = t;
      }
    const d = lu[j * k + j] as number;
    for (let i = j + 1; i < k; i++) {
      const f = (lu[i * k + j] as number) / d;
      lu[i * k + j] = f;
      for (let c = j + 1; c < k; c++) lu[i * k + c] = (lu[i * k + c] as number) - f * (lu[j * k + c] as number);
    }
  }
  return { lu, piv };
}

/** b ← A⁻¹b from the factors of `luFactor`. */
function luSolve(lu: Float64Array, piv: Int32Array, k: number, b: Float64Array): void {
  for (let j = 0; j < k; j++) {
    const p = piv[j] as number;
    if (p !== j) {
      const t = b[j] as number;
      b[j] = b[p] as number;
      b[p] = t;
    }
  }
  for (let i = 1; i < k; i++) {
    let t = b[i] as number;
    for (let j = 0; j < i; j++) t -= (lu[i * k + j] as number) * (b[j] as number);
    b[i] = t;
  }
  for (let i = k - 1; i >= 0; i--) {
    let t = b[i] as number;
    for (let j = i + 1; j < k; j++) t -= (lu[i * k + j] as number) * (b[j] as number);
    b[i] = t / (lu[i * k + i] as number);
  }
}
