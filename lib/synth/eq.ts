import { Rng } from "../util/rng";
import { TRUTH } from "./truth";
import { type World, EQ_CONTROLS, ti } from "./world";
import { factorize } from "../core/fixed-effects/factorize";
import { demean, demeanOptionsFor } from "../core/fixed-effects/demean";
import { qrLeastSquares } from "../core/linalg/qr";
import { numeric, table } from "../data/table";
import { melitzPolanec } from "../measures/melitz-polanec";
import { mapF64From, mapI32From } from "../util/typed-map";
import { roundSignificant } from "./round-significant";

/** The synthetic HS product tree: HS4/HS6 codes, HS3 groups with σ, BEC classes, HS4 effects. */
export interface Products {
  readonly hs4: string[];
  readonly hs6: string[];
  readonly hs6ToHs4: Int32Array;
  readonly hs4Hs6: number[][];
  readonly hs3: string[];
  readonly sigma: Map<string, number>;
  readonly hs4Sigma: Float64Array;
  readonly bec: string[];
  readonly hs4Effect: Float64Array;
}

export const DESTS = [
  "USA",
  "HKG",
  "JPN",
  "KOR",
  "DEU",
  "NLD",
  "GBR",
  "IND",
  "SGP",
  "VNM",
  "RUS",
  "AUS",
  "CAN",
  "MYS",
  "THA",
  "IDN",
  "FRA",
  "ITA",
  "BRA",
  "MEX",
  "ARE",
  "SAU",
  "PHL",
  "ESP",
  "BEL",
  "TUR",
  "POL",
  "CHL",
  "ZAF",
  "PAK",
  "NGA",
  "EGY",
  "IRN",
  "BGD",
  "KAZ",
  "ARG",
  "SWE",
  "CHE",
  "ISR",
  "NZL",
];

/**
 * The HS product tree of the synthetic world: HS4 headings by chapter (agricultural chapters
 * 01–27 sparser), their HS6 lines, HS3 groups with a σ each, BEC end-use classes and HS4 effects.
 *
 * @example const P = buildProducts(world, rng(1).fork("products"));
 */
export function buildProducts(w: World, r: Rng): Products {
  const cand: string[] = [];
  for (let ch = 1; ch <= 96; ch++) {
    if (ch === 77) continue;
    const agri = ch <= 27;
    const nh = agri ? 4 : 30;
    for (let h = 1; h <= nh; h++) cand.push(String(ch).padStart(2, "0") + String(h).padStart(2, "0"));
  }
  const perm = r.permutation(cand.length);
  const hs4 = Array.from(perm.slice(0, w.spec.nHs4), (i) => cand[i] as string).sort();
  const hs6: string[] = [];
  const hs6ToHs4: number[] = [];
  const hs4Hs6: number[][] = [];
  const subs = ["10", "20", "90", "30", "40"];
  hs4.forEach((h, j) => {
    const k = 1 + r.int(3);
    const list: number[] = [];
    for (let q = 0; q < k; q++) {
      list.push(hs6.length);
      hs6.push(h + subs[q]);
      hs6ToHs4.push(j);
    }
    hs4Hs6.push(list);
  });
  const hs3 = [...new Set(hs6.map((h) => h.slice(0, 3)))].sort();
  const sigma = new Map<string, number>();
  for (const h of hs3)
    sigma.set(h, Math.round((TRUTH.eq.sigma_min + (TRUTH.eq.sigma_max - TRUTH.eq.sigma_min) * r.uniform()) * 1000) / 1000);
  const hs4Sigma = mapF64From(hs4, (h) => sigma.get(h.slice(0, 3)) as number);
  const becClasses = ["intermediate", "consumption", "capital"];
  const bec = hs4.map(() => becClasses[r.int(3)] as string);
  // a few headings have no SNA end use (BEC 51 passenger cars, 321 motor spirit, 7 goods n.e.s. — the UN
  // BEC → SNA table leaves them out): their lines carry "unclassified", which the Table 5 BEC split counts and drops
  const rU = r.fork("bec-unclassified");
  for (let j = 0; j < bec.length; j++) if (rU.uniform() < TRUTH.eq.bec_unclassified_share) bec[j] = "unclassified";
  const hs4Effect = mapF64From(hs4, () => TRUTH.eq.sd.hs4 * r.normal());
  return { hs4, hs6, hs6ToHs4: Int32Array.from(hs6ToHs4), hs4Hs6, hs3, sigma, hs4Sigma, bec, hs4Effect };
}

export interface Customs {
  readonly firm_id: Int32Array;
  readonly city_code: Int32Array;
  readonly hs6: string[];
  readonly dest: string[];
  readonly year: Int32Array;
  readonly value_usd: Float64Array;
  readonly quantity: Float64Array;
  readonly trade_mode: string[];
  readonly is_intermediary: Int32Array;
  /** realised diagnostics */
  readonly stats: { cells: number; varietyYears: number; rows: number; processingValueShare: number; clippedShare: number };
  /** Realised true values of the EQ exhibits (see {@link EqRealisedTruth}). */
  readonly realised: EqRealisedTruth;
  /** HS concordance lines (code of a later vintage → HS2002) for the codes relabelled in `hs6`. */
  readonly concordance: { readonly hs_code: string; readonly vintage: "HS2007" | "HS2012"; readonly hs2002: string }[];
  /** Rows relabelled to an HS2007 / HS2012 code, and rows given a code outside every concordance. */
  readonly hsVintage: { readonly hs2007Rows: number; readonly hs2012Rows: number; readonly unmappedRows: number };
  /**
   * The noiseless true quality of every variety-year the quality pipeline measures (non-intermediary,
   * ≥ 2 destinations, non-resource chapters): ρ − u_ct − ξ_cjt (and ρ itself, `quality_generated`), keyed by firm_id, HS2002 hs6 and year —
   * written to `truth_quality.parquet`, so that the true value of any EQ specification is the same
   * estimator run on the true outcome over the same rows (`eqTrueOutcome`).
   */
  readonly trueQuality: {
    readonly firm_id: Int32Array;
    readonly hs6: string[];
    readonly year: Int32Array;
    readonly quality_true: Float64Array;
    /** ρ itself, the cell shocks included: the quality the generated customs rows carry (measured − this = the error of (18)–(20)). */
    readonly quality_generated: Float64Array;
  };
}

/**
 * Realised true values of the EQ baseline and the trade-mode split, computed by the generator
 * from its own data. Q_cjt = Σ v·ρ / Σ v is the TRUE city × HS4 × year quality over the cell's
 * non-intermediary rows of non-resource chapters (ρ the generated normalised quality, v the
 * row's export value — what (21) gives with a perfect (18)–(20)); each value is the vagg
 * coefficient of a regression on vagg + the nine controls | city + year + HS4 (FWL by the
 * numerical core, as `feols`), on all cells (Table 2 col. 4) or on the processing / ordinary
 * rows' cell quality (Table 5 trade mode):
 * - `beta_vagg`, `trade_mode`: the outcome is Q − (ξ_cjt + u_ct), the true quality without the
 *   noise of the cell equation (the RS convention: the noiseless outcome), so the value is the
 *   design β plus what clipping to [0, 1] and the within-cell value weighting do — the truth for
 *   bias and coverage over seeds (read by `eqTruth`, lib/papers/eq/specs.ts);
 * - `table2_col4_true_quality`, `trade_mode_true_quality`: the outcome is Q itself, noise
 *   included, so an estimate minus this value is the error of the quality measurement
 *   (18)–(21) alone on these data (a benchmark, not a coverage truth).
 */
export interface EqRealisedTruth {
  readonly beta_vagg: number;
  readonly trade_mode: { readonly processing: number; readonly ordinary: number };
  readonly table2_col4_true_quality: number;
  readonly trade_mode_true_quality: { readonly processing: number; readonly ordinary: number };
  readonly cells: number;
  readonly cells_processing: number;
  readonly cells_ordinary: number;
  /** Table 5 BEC split: the noiseless regression on the cells of intermediate-goods HS4s and of final-goods (consumption, capital) HS4s. */
  readonly bec: { readonly intermediate: number; readonly final: number };
  /**
   * Table 7: the vagg coefficient of each Melitz–Polanec component of the noiseless true cell quality
   * (ρ − ξ_cjt − u_ct over the cell's non-intermediary firm × HS6 varieties of non-resource chapters,
   * value-weighted), regressed as Table 7 (controls | city + year + HS4) on the pairs where the
   * component is defined — the truth of the κ(vagg) reallocation channel; `table7_n` the pairs used.
   */
  readonly table7: Readonly<Record<(typeof MP_TERMS)[number], number>>;
  readonly table7_n: Readonly<Record<(typeof MP_TERMS)[number], number>>;
}

/** The Melitz–Polanec components of EQ (23) in Table 7's column order. */
export const MP_TERMS = ["within", "between", "entry", "exit", "total", "gap"] as const;

class Grow {
  a: Float64Array;
  n = 0;
  constructor(cap = 1024) {
    this.a = new Float64Array(cap);
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  view(): Float64Array {
    return this.a.subarray(0, this.n);
  }
}

/**
 * Customs rows of the synthetic EQ micro data — HS codes, σ per HS3, destinations, firms, and customs rows
 * (firm × HS6 × destination × year, 2005–2015), generated from the EQ model:
 *
 *   cell target   m_cjt = a + β vagg_ct + γ'controls_ct + μ_c + ν_j + δ_t + u_ct + ξ_cjt   (EQ eq. 17;
 *                 u_ct ~ N(0, sd.city_year²) a city × year shock common to the city-year's cells)
 *   variety       ln(λ_i/λ_cut) = e_i ~ Exp(κ_{c,t,h}),  κ = 1 + σ_h + k0 exp(−k1 (vagg − v̄))   (eq. 13)
 *   normalised    ρ_i = m_cjt + e_i + mode offset − [value-weighted cell mean of the same]  ("cutoff" solves the mean)
 *   price         ln p_id = ln C_i + α ρ_i − ln((σ−1)/σ) + η_id                            (eq. 7)
 *   quantity      ln q_id = (σ−1) ρ_i − σ ln p_id + D_dt + D_h + ε_id                     (eq. 2)
 *
 * so that ln q + σ ln p = (σ−1) ρ + FE + ε and the Khandelwal–Schott–Wei residual over
 * (σ−1), min–max normalised within HS6, returns ρ (see dgp.md for the approximations).
 */
export function buildCustoms(w: World, P: Products, root: Rng): Customs {
  const T = TRUTH.eq;
  const nC = w.cities.length;
  const nJ = P.hs4.length;
  const years: number[] = [];
  for (let y = 2005; y <= 2015; y++) years.push(y);
  const rF = root.fork("firms");
  // firms
  const nF = w.spec.firmsPerCity;
  const firmMode = new Uint8Array(nC * nF);
  const firmInter = new Uint8Array(nC * nF);
  const firmCost = new Float64Array(nC * nF);
  for (let f = 0; f < nC * nF; f++) {
    firmMode[f] = rF.uniform() < T.processing_firm_share ? 1 : 0;
    firmInter[f] = rF.uniform() < T.intermediary_firm_share ? 1 : 0;
    firmCost[f] = 0.3 * rF.normal() + (firmMode[f] ? Math.log(T.processing_cost_multiplier) : 0);
  }
  const firmId = (c: number, k: number): number => (c + 1) * 100000 + k + 1;
  // destinations × years demand
  const rD = root.fork("destinations");
  const nD = Math.min(w.spec.nDest, DESTS.length);
  const destW = mapF64From({ length: nD }, (_, d) => Math.exp(-0.08 * d));
  const destWTotal = weightTotal(destW);
  const Ddt = years.map(() => mapF64From({ length: nD }, () => 0.3 * rD.normal()));
  const destTrend = mapF64From({ length: nD }, () => 0.05 * rD.normal());
  const Dh = mapF64From(P.hs6, () => 0.5 * rD.normal());
  const Ch = mapF64From(P.hs6, () => 0.5 * rD.normal());
  // city effects, cell participation
  const rM = root.fork("cells");
  const mu = mapF64From({ length: nC }, () => T.sd.city * rM.normal());
  const wj = mapF64From({ length: nJ }, () => Math.exp(0.7 * rM.normal()));
  const wc = mapF64From({ length: nC }, (_, c) => Math.exp(0.6 * (w.sizeZ[c] as number) + 0.3 * rM.normal()));
  // city × year shocks (own stream, so the other draws are unchanged): common to a city-year's HS4 cells
  const rCY = root.fork("city-year");
  const cyShock = mapF64From({ length: nC * years.length }, () => T.sd.city_year * rCY.normal());
  const mwj = wj.reduce((a, v) => a + v, 0) / nJ;
  const mwc = wc.reduce((a, v) => a + v, 0) / nC;
  // the controls' coefficients and city × year tables, resolved once (summed in EQ_CONTROLS order)
  const gammas = EQ_CONTROLS.map((name) => (T.gamma as Record<string, number>)[name] as number);
  const ctrlTabs = EQ_CONTROLS.map((name) => w.ctrl[name] as Float64Array[]);
  // pass A: cells and their m without year effects
  const cellC: number[] = [],
    cellJ: number[] = [],
    cellT: number[] = [];
  const cellM = new Grow(1 << 16);
  const cellNoise = new Grow(1 << 16);
  const pairStart: number[] = [];
  for (let c = 0; c < nC; c++) {
    for (let j = 0; j < nJ; j++) {
      const p = Math.min(0.98, w.spec.pairFrac * ((wc[c] as number) / mwc) * ((wj[j] as number) / mwj));
      if (rM.uniform() >= p) continue;
      pairStart.push(cellC.length);
      let any = false;
      for (let k = 0; k < years.length; k++) {
        const active = rM.uniform() < 0.88 || (!any && k === years.length - 1);
        if (!active) continue;
        any = true;
        const t = ti(years[k] as number);
        const noise = (cyShock[c * years.length + k] as number) + T.sd.cell * rM.normal();
        let m = T.beta_vagg * ((w.vagg[c] as Float64Array)[t] as number) + (mu[c] as number) + (P.hs4Effect[j] as number) + noise;
        for (let q = 0; q < gammas.length; q++)
          m += (gammas[q] as number) * (((ctrlTabs[q] as Float64Array[])[c] as Float64Array)[t] as number);
        cellC.push(c);
        cellJ.push(j);
        cellT.push(k);
        cellM.push(m);
        cellNoise.push(noise);
      }
    }
  }
  pairStart.push(cellC.length);
  const nCell = cellC.length;
  const m = cellM.view();
  // δ_t: every year's cell mean equals the target mean (KSW's destination×year FE remove year means anyway)
  const ysum = new Float64Array(years.length),
    ycnt = new Float64Array(years.length);
  for (let i = 0; i < nCell; i++) {
    ysum[cellT[i] as number] += m[i] as number;
    ycnt[cellT[i] as number]++;
  }
  for (let i = 0; i < nCell; i++) {
    const k = cellT[i] as number;
    m[i] = (m[i] as number) - (ysum[k] as number) / Math.max(1, ycnt[k] as number) + T.intercept_target_mean;
  }

  // pass B: varieties
  const rV = root.fork("varieties");
  const vyCell = new Grow(1 << 17),
    vyFirm = new Grow(1 << 17),
    vyHs6 = new Grow(1 << 17),
    vyRho = new Grow(1 << 17),
    vyK = new Grow(1 << 17),
    vyDests = new Grow(1 << 17);
  const rowVy = new Grow(1 << 18),
    rowDest = new Grow(1 << 18),
    rowEta = new Grow(1 << 18),
    rowEps = new Grow(1 << 18);
  let clipped = 0,
    procVal = 0,
    totVal = 0;
  const alpha = T.alpha_cost;
  for (let p = 0; p + 1 < pairStart.length; p++) {
    const a0 = pairStart[p] as number,
      a1 = pairStart[p + 1] as number;
    const c = cellC[a0] as number,
      j = cellJ[a0] as number;
    const sigma = P.hs4Sigma[j] as number;
    const hs6s = P.hs4Hs6[j] as number[];
    // e: ln(λ/λ_cut) of the variety, drawn at entry from Exp(κ of the entry year); u = 1 − exp(−κ e) its Pareto rank (uniform)
    let live: { f: number; h: number; e: number; u: number }[] = [];
    let lastK = -2;
    // κ at vagg = v̄: the reference the deviations e are measured from (a constant per HS4, absorbed by its FE)
    const kappaRef = 1 + sigma + T.kappa_excess;
    for (let q = a0; q < a1; q++) {
      const k = cellT[q] as number;
      const t = ti(years[k] as number);
      const vg = (w.vagg[c] as Float64Array)[t] as number;
      const kappa = 1 + sigma + T.kappa_excess * Math.exp(-T.kappa_slope * (vg - w.vaggMean));
      // survival (quality-selective: probability base + slope·(u − ½), mean base) and entry
      const base = k === lastK + 1 ? T.survival_consecutive : T.survival_gap;
      live = live.filter((v) => rV.uniform() < base + T.survival_quality_slope * (v.u - 0.5));
      let nNew = poisson(rV, live.length === 0 ? w.spec.varieties : w.spec.varieties * 0.25);
      if (live.length === 0 && nNew === 0) nNew = 1;
      for (let e = 0; e < nNew; e++) {
        const f = c * nF + rV.int(nF);
        const h = hs6s[rV.int(hs6s.length)] as number;
        if (live.some((v) => v.f === f && v.h === h)) continue;
        const u = rV.uniform();
        live.push({ f, h, e: -Math.log(1 - u) / kappa, u });
      }
      lastK = k;
      // destinations and noise, value weights at ρ = 0
      const start = vyCell.n;
      const K: number[] = [];
      const rowStart = rowVy.n;
      for (const v of live) {
        const nd = Math.min(nD, 1 + poisson(rV, 0.9));
        const chosen: number[] = [];
        let guard = 0;
        while (chosen.length < nd && guard++ < 50) {
          const d = weightedPick(rV, destW, destWTotal);
          if (!chosen.includes(d)) chosen.push(d);
        }
        // ascending (one to a few distinct destinations: insertion sort)
        for (let a = 1; a < chosen.length; a++) {
          const x = chosen[a] as number;
          let b = a - 1;
          for (; b >= 0 && (chosen[b] as number) > x; b--) chosen[b + 1] = chosen[b] as number;
          chosen[b + 1] = x;
        }
        const lnC = (firmCost[v.f] as number) + (Ch[v.h] as number) - T.cost_vagg * vg;
        let kk = 0;
        for (const d of chosen) {
          const eta = T.sd_price_dest * rV.normal();
          const eps = T.sd_lnq * rV.normal();
          rowVy.push(vyCell.n);
          rowDest.push(d);
          rowEta.push(eta);
          rowEps.push(eps);
          kk += Math.exp(
            (1 - sigma) * (lnC + eta) + ((Ddt[k] as Float64Array)[d] as number) + (destTrend[d] as number) * k + (Dh[v.h] as number) + eps,
          );
        }
        K.push(kk);
        vyCell.push(q);
        vyFirm.push(v.f);
        vyHs6.push(v.h);
        vyRho.push(0);
        vyDests.push(chosen.length);
      }
      // ρ: target + Pareto deviation from its mean at κ_ref + trade-mode offset. The deviation is NOT
      // recentred per cell: where vagg lowers κ, entrants draw from a fatter tail and quality-selective
      // exit keeps the better varieties, so the cell's quality rises through product reallocation
      // (EQ §2.2, κ'(ϕ) < 0 with a cutoff independent of ϕ, lib/theory/cutoff.ts) — Table 7's positive control.
      const n = live.length;
      const rho = new Float64Array(n);
      const gap = T.mode_gap_level + T.mode_gap_slope * (vg - w.vaggMean);
      const wt = (x: number, i: number): number => (K[i] as number) * Math.exp((sigma - 1) * (1 - alpha) * x);
      let pv = 0,
        tv = 0;
      for (let i = 0; i < n; i++) {
        rho[i] = (m[q] as number) + T.ln_lambda_per_unit * ((live[i] as { e: number }).e - 1 / kappaRef);
        if (firmInter[(live[i] as { f: number }).f]) continue;
        const wv = wt(rho[i] as number, i);
        tv += wv;
        if (firmMode[(live[i] as { f: number }).f]) pv += wv;
      }
      const pi = tv > 0 ? pv / tv : 0;
      for (let i = 0; i < n; i++)
        if (!firmInter[(live[i] as { f: number }).f])
          rho[i] = (rho[i] as number) + (firmMode[(live[i] as { f: number }).f] ? -(1 - pi) * gap : pi * gap);
      for (let i = 0; i < n; i++) {
        const inter = firmInter[(live[i] as { f: number }).f];
        vyRho.a[start + i] = inter ? rV.uniform() : (rho[i] as number);
        vyK.push(K[i] as number);
      }
      void rowStart;
    }
  }
  const nVy = vyCell.n;
  const rhoV = vyRho.view();
  // The national mean quality by year is a year effect (absorbed by every year FE of the paper's regressions,
  // and by the destination × year FE of (18)): remove it at the level (18) sees — customs rows of the
  // measured varieties, each counted once per destination — so that only the city- and HS4-specific
  // variation of quality (κ(vagg) included) remains, and (18)'s year effects do not widen every HS6's range
  // in the min–max normalisation (20). Then map into (0, 1) by `softUnit` (no point mass at the bounds: a
  // mass of varieties at exactly 0 or 1 would let the noise of (18) widen the range too).
  {
    const ys = new Float64Array(years.length),
      yn = new Float64Array(years.length);
    let s0 = 0,
      n0 = 0;
    for (let i = 0; i < nVy; i++)
      if (!firmInter[vyFirm.a[i] as number] && (vyDests.a[i] as number) >= 2) {
        const k = cellT[vyCell.a[i] as number] as number,
          nd = vyDests.a[i] as number;
        ys[k] += nd * (rhoV[i] as number);
        yn[k] += nd;
        s0 += nd * (rhoV[i] as number);
        n0 += nd;
      }
    const yearShift = mapF64From(ys, (v, k) => ((yn[k] as number) > 0 ? v / (yn[k] as number) - s0 / n0 : 0));
    for (let i = 0; i < nVy; i++) {
      const q = vyCell.a[i] as number;
      let x = rhoV[i] as number;
      if (!firmInter[vyFirm.a[i] as number]) x -= yearShift[cellT[q] as number] as number;
      if (x < SOFT_EDGE || x > 1 - SOFT_EDGE) clipped++;
      rhoV[i] = softUnit(x);
      const sigma = P.hs4Sigma[cellJ[q] as number] as number;
      const wv = (vyK.a[i] as number) * Math.exp((sigma - 1) * (1 - alpha) * x);
      totVal += wv;
      if (firmMode[vyFirm.a[i] as number]) procVal += wv;
    }
  }
  // a variety-year the quality pipeline measures: not a trading intermediary (rule 2) and sold to at least two
  // destinations (rule 4: the leave-one-out instrument of (18) needs another destination); the true cell
  // qualities below are over these varieties, as (21) is
  const measured = (i: number): boolean => !firmInter[vyFirm.a[i] as number] && (vyDests.a[i] as number) >= 2;
  // every HS6 attains 0 and 1 among the measured variety-years (so the sample min–max normalisation is the identity)
  const lo = new Int32Array(P.hs6.length).fill(-1),
    hi = new Int32Array(P.hs6.length).fill(-1);
  for (let i = 0; i < nVy; i++) {
    if (!measured(i)) continue;
    const h = vyHs6.a[i] as number;
    if (lo[h] === -1 || (rhoV[i] as number) < (rhoV[lo[h] as number] as number)) lo[h] = i;
    if (hi[h] === -1 || (rhoV[i] as number) > (rhoV[hi[h] as number] as number)) hi[h] = i;
  }
  for (let h = 0; h < P.hs6.length; h++)
    if (lo[h] !== -1 && hi[h] !== -1 && lo[h] !== hi[h]) {
      rhoV[lo[h] as number] = 0;
      rhoV[hi[h] as number] = 1;
    }

  // pass C: rows
  const nR = rowVy.n;
  const out = {
    firm_id: new Int32Array(nR),
    city_code: new Int32Array(nR),
    hs6: new Array<string>(nR),
    dest: new Array<string>(nR),
    year: new Int32Array(nR),
    value_usd: new Float64Array(nR),
    quantity: new Float64Array(nR),
    trade_mode: new Array<string>(nR),
    is_intermediary: new Int32Array(nR),
  };
  // true cell quality accumulators (non-intermediary rows of non-resource chapters): all, processing, ordinary
  const sv = new Float64Array(nCell * 3),
    svx = new Float64Array(nCell * 3);
  const resource = Uint8Array.from(P.hs4, (h) => (Number(h.slice(0, 2)) <= 27 ? 1 : 0));
  const vyValue = new Float64Array(nVy);
  for (let r = 0; r < nR; r++) {
    const vy = rowVy.a[r] as number;
    const q = vyCell.a[vy] as number;
    const c = cellC[q] as number,
      j = cellJ[q] as number,
      k = cellT[q] as number;
    const f = vyFirm.a[vy] as number,
      h = vyHs6.a[vy] as number,
      d = rowDest.a[r] as number;
    const sigma = P.hs4Sigma[j] as number;
    const vg = (w.vagg[c] as Float64Array)[ti(years[k] as number)] as number;
    const x = rhoV[vy] as number;
    const lnp =
      (firmCost[f] as number) +
      (Ch[h] as number) -
      T.cost_vagg * vg +
      alpha * x -
      Math.log((sigma - 1) / sigma) +
      (rowEta.a[r] as number) +
      1.5;
    const lnq =
      (sigma - 1) * x -
      sigma * lnp +
      ((Ddt[k] as Float64Array)[d] as number) +
      (destTrend[d] as number) * k +
      (Dh[h] as number) +
      (rowEps.a[r] as number) +
      9 +
      1.5 * sigma;
    const qty = Math.exp(lnq);
    out.firm_id[r] = firmId(c, f - c * nF);
    out.city_code[r] = (w.cities[c] as { code: number }).code;
    out.hs6[r] = P.hs6[h] as string;
    out.dest[r] = DESTS[d] as string;
    out.year[r] = years[k] as number;
    out.quantity[r] = roundSignificant(qty, 9);
    out.value_usd[r] = roundSignificant(qty * Math.exp(lnp), 9);
    out.trade_mode[r] = firmMode[f] ? "processing" : "ordinary";
    out.is_intermediary[r] = firmInter[f] as number;
    vyValue[vy] += out.value_usd[r] as number;
    if (measured(vy) && !resource[j]) {
      const v = out.value_usd[r] as number;
      for (const slot of [0, firmMode[f] ? 1 : 2]) {
        sv[q * 3 + slot] += v;
        svx[q * 3 + slot] += v * x;
      }
    }
  }
  // HS vintages (own rng stream): customs reports the codes in force — HS2007 in 2007–2011, HS2012 from
  // 2012 — so a share of HS6 products appear under a later-vintage code (mapped back by the concordance
  // written to hs_concordance.csv), and a few rows carry a code in no concordance (the pipeline drops them)
  const rH = root.fork("hs-vintage");
  const uChanged = mapF64From(P.hs6, () => rH.uniform());
  const changed = Uint8Array.from(uChanged, (u) => (u < TRUTH.eq.hs_changed_share ? 1 : 0));
  // at least one product changes code (small worlds could draw none: the concordance file would be empty)
  if (!changed.includes(1)) changed[uChanged.indexOf(Math.min(...uChanged))] = 1;
  const concordance: Customs["concordance"] = [];
  const code07 = new Map<number, string>(),
    code12 = new Map<number, string>();
  P.hs6.forEach((h, i) => {
    if (!changed[i]) return;
    const hs4 = h.slice(0, 4),
      q = (P.hs4Hs6[P.hs6ToHs4[i] as number] as number[]).indexOf(i);
    code07.set(i, `${hs4}5${q}`);
    code12.set(i, `${hs4}6${q}`);
    concordance.push({ hs_code: `${hs4}5${q}`, vintage: "HS2007", hs2002: h });
    concordance.push({ hs_code: `${hs4}6${q}`, vintage: "HS2012", hs2002: h });
  });
  const hs6Index = new Map(P.hs6.map((h, i) => [h, i]));
  let n07 = 0,
    n12 = 0,
    nUn = 0;
  for (let r = 0; r < nR; r++) {
    const y = out.year[r] as number;
    const h = hs6Index.get(out.hs6[r] as string) as number;
    if (rH.uniform() < TRUTH.eq.hs_unmapped_row_share) {
      out.hs6[r] = `${(out.hs6[r] as string).slice(0, 4)}99`;
      nUn++;
    } else if (changed[h] && y >= 2012) {
      out.hs6[r] = code12.get(h) as string;
      n12++;
    } else if (changed[h] && y >= 2007) {
      out.hs6[r] = code07.get(h) as string;
      n07++;
    }
  }
  const cellVagg = (q: number): number => (w.vagg[cellC[q] as number] as Float64Array)[ti(years[cellT[q] as number] as number)] as number;
  const noiseV = cellNoise.view();
  // the vagg coefficients of y ~ vagg + controls | city + year + HS4 for several outcomes y on the same rows
  // (city c, year index k, HS4 j), by FWL: the regressors are demeaned once, with the outcomes; each coefficient
  // equals that of the outcome alone (every column is demeaned on its own; the direct-or-iterative choice is the
  // one of a single outcome)
  const vaggSlopes = (ys: readonly Float64Array[], c: Int32Array, k: Int32Array, j: Int32Array): number[] => {
    // each regressor gathered from its city × year table in one plain loop
    const gather = (tab: readonly Float64Array[]): Float64Array => {
      const o = new Float64Array(c.length);
      for (let i = 0; i < c.length; i++) o[i] = (tab[c[i] as number] as Float64Array)[ti(years[k[i] as number] as number)] as number;
      return o;
    };
    const X = [gather(w.vagg), ...EQ_CONTROLS.map((name) => gather(w.ctrl[name] as Float64Array[]))];
    const factors = [factorize(c), factorize(k), factorize(j)];
    const dm = demean([...ys, ...X], { factors }, demeanOptionsFor(factors, 1 + X.length, { tol: 1e-12 }));
    const ref = X.map((col) => {
      let a = 0;
      for (let i = 0; i < col.length; i++) a += (col[i] as number) * (col[i] as number);
      return Math.sqrt(a);
    });
    const Xd = dm.columns.slice(ys.length);
    return ys.map((_, m) => {
      const fit = qrLeastSquares(Xd, dm.columns[m] as Float64Array, { tol: 1e-10, refNorms: ref });
      const at = fit.kept.indexOf(0);
      return at >= 0 ? (fit.beta[at] as number) : NaN;
    });
  };
  // the slopes of the noiseless and of the true cell quality (with the cell noise) of one slot, on its cells
  const truthSlopes = (slot: number, hs4In?: (j: number) => boolean): { noiseless: number; withNoise: number; n: number } => {
    const keep: number[] = [];
    for (let q = 0; q < nCell; q++) if ((sv[q * 3 + slot] as number) > 0 && (!hs4In || hs4In(cellJ[q] as number))) keep.push(q);
    const y = (noiseless: boolean) =>
      mapF64From(keep, (q) => (svx[q * 3 + slot] as number) / (sv[q * 3 + slot] as number) - (noiseless ? (noiseV[q] as number) : 0));
    const [noiseless, withNoise] = vaggSlopes(
      hs4In ? [y(true)] : [y(true), y(false)],
      mapI32From(keep, (q) => cellC[q] as number),
      mapI32From(keep, (q) => cellT[q] as number),
      mapI32From(keep, (q) => cellJ[q] as number),
    ) as [number, number | undefined];
    return { noiseless, withNoise: withNoise ?? NaN, n: keep.length };
  };
  const tAll = truthSlopes(0),
    tProc = truthSlopes(1),
    tOrd = truthSlopes(2);
  // Table 5 BEC split: intermediate goods vs final goods (consumption + capital), by the HS4's class
  const tInt = truthSlopes(0, (j) => P.bec[j] === "intermediate"),
    tFin = truthSlopes(0, (j) => P.bec[j] === "consumption" || P.bec[j] === "capital");
  // Table 7: the Melitz–Polanec decomposition (23) of the noiseless true cell quality (ρ − ξ_cjt − u_ct of the
  // non-intermediary varieties of non-resource chapters, weighted by their export value), each component
  // regressed as Table 7 on the pairs where it is defined
  const mpRows: number[] = [];
  for (let i = 0; i < nVy; i++) {
    const q = vyCell.a[i] as number;
    if (measured(i) && !resource[cellJ[q] as number] && (vyValue[i] as number) > 0) mpRows.push(i);
  }
  const cellOf = (i: number): number => vyCell.a[i] as number;
  const mp = melitzPolanec(
    table({
      city: mapI32From(mpRows, (i) => cellC[cellOf(i)] as number),
      hs4: mapI32From(mpRows, (i) => cellJ[cellOf(i)] as number),
      item: mapF64From(mpRows, (i) => (vyFirm.a[i] as number) * P.hs6.length + (vyHs6.a[i] as number)),
      year: mapI32From(mpRows, (i) => years[cellT[cellOf(i)] as number] as number),
      value: mapF64From(mpRows, (i) => vyValue[i] as number),
      quality: mapF64From(mpRows, (i) => (rhoV[i] as number) - (noiseV[cellOf(i)] as number)),
    }),
    { group: ["city", "hs4"], item: "item", time: "year", value: "value", quality: "quality" },
  ).table;
  const mpCity = numeric(mp, "city"),
    mpHs4 = numeric(mp, "hs4"),
    mpYear = numeric(mp, "t1");
  const table7 = {} as Record<(typeof MP_TERMS)[number], number>;
  const table7N = {} as Record<(typeof MP_TERMS)[number], number>;
  // the components defined on the same pairs are regressed together (one demeaning of the regressors)
  const groupsOfRows: { rows: number[]; terms: (typeof MP_TERMS)[number][] }[] = [];
  const slopes = new Map<string, { b: number; n: number }>();
  for (const term of MP_TERMS) {
    const yv = numeric(mp, term);
    const rows: number[] = [];
    for (let i = 0; i < mp.nrows; i++) if (Number.isFinite(yv[i] as number)) rows.push(i);
    const g = groupsOfRows.find((x) => x.rows.length === rows.length && x.rows.every((r, i) => r === rows[i]));
    if (g) g.terms.push(term);
    else groupsOfRows.push({ rows, terms: [term] });
  }
  for (const { rows, terms } of groupsOfRows) {
    const bs = vaggSlopes(
      terms.map((term) => {
        const yv = numeric(mp, term);
        return mapF64From(rows, (i) => yv[i] as number);
      }),
      mapI32From(rows, (i) => mpCity[i] as number),
      mapI32From(rows, (i) => (mpYear[i] as number) - (years[0] as number)),
      mapI32From(rows, (i) => mpHs4[i] as number),
    );
    terms.forEach((term, m) => slopes.set(term, { b: bs[m] as number, n: rows.length }));
  }
  // in the order of MP_TERMS (truth.json's key order)
  for (const term of MP_TERMS) {
    table7[term] = (slopes.get(term) as { b: number }).b;
    table7N[term] = (slopes.get(term) as { n: number }).n;
  }
  const realised: EqRealisedTruth = {
    beta_vagg: tAll.noiseless,
    trade_mode: { processing: tProc.noiseless, ordinary: tOrd.noiseless },
    table2_col4_true_quality: tAll.withNoise,
    trade_mode_true_quality: { processing: tProc.withNoise, ordinary: tOrd.withNoise },
    cells: tAll.n,
    cells_processing: tProc.n,
    cells_ordinary: tOrd.n,
    bec: { intermediate: tInt.noiseless, final: tFin.noiseless },
    table7,
    table7_n: table7N,
  };
  const trueQuality = {
    firm_id: mapI32From(mpRows, (i) => firmId(cellC[cellOf(i)] as number, (vyFirm.a[i] as number) - (cellC[cellOf(i)] as number) * nF)),
    hs6: mpRows.map((i) => P.hs6[vyHs6.a[i] as number] as string),
    year: mapI32From(mpRows, (i) => years[cellT[cellOf(i)] as number] as number),
    quality_true: mapF64From(mpRows, (i) => (rhoV[i] as number) - (noiseV[cellOf(i)] as number)),
    quality_generated: mapF64From(mpRows, (i) => rhoV[i] as number),
  };
  return {
    ...out,
    trueQuality,
    stats: { cells: nCell, varietyYears: nVy, rows: nR, processingValueShare: procVal / totVal, clippedShare: clipped / Math.max(1, nVy) },
    realised,
    concordance,
    hsVintage: { hs2007Rows: n07, hs2012Rows: n12, unmappedRows: nUn },
  };
}

/** Width of the tails `softUnit` compresses. */
const SOFT_EDGE = 0.05;

/**
 * Map a quality onto (0, 1) without point masses: the identity on [a, 1 − a] (a = SOFT_EDGE),
 * exponential tails below and above, continuous with slope 1 at the joins:
 * x < a → a·exp((x − a)/a); x > 1 − a → 1 − a·exp((1 − a − x)/a).
 *
 * @example softUnit(0.5) // 0.5;  softUnit(1.3) // ≈ 0.9988;  softUnit(-0.2) // ≈ 0.0003
 */
export function softUnit(x: number): number {
  const a = SOFT_EDGE;
  if (x < a) return a * Math.exp((x - a) / a);
  if (x > 1 - a) return 1 - a * Math.exp((1 - a - x) / a);
  return x;
}

/**
 * A Poisson(λ) draw: Knuth's multiplication method for λ ≤ 30, the rounded normal
 * approximation max(0, round(λ + √λ·z)) above; 0 for λ ≤ 0.
 *
 * @example poisson(rng(1), 3.5)
 */
export function poisson(r: Rng, lam: number): number {
  if (lam <= 0) return 0;
  if (lam > 30) return Math.max(0, Math.round(lam + Math.sqrt(lam) * r.normal()));
  const L = Math.exp(-lam);
  let k = 0,
    p = 1;
  do {
    k++;
    p *= r.uniform();
  } while (p > L);
  return k - 1;
}

/** Σ w in index order (the total `weightedPick` scales its uniform draw by). */
function weightTotal(w: Float64Array): number {
  let tot = 0;
  for (let i = 0; i < w.length; i++) tot += w[i] as number;
  return tot;
}

/** An index drawn with probability proportional to w (`tot`: Σ w, computed once by the caller for many draws). */
function weightedPick(r: Rng, w: Float64Array, tot = weightTotal(w)): number {
  let u = r.uniform() * tot;
  for (let i = 0; i < w.length; i++) {
    u -= w[i] as number;
    if (u <= 0) return i;
  }
  return w.length - 1;
}
