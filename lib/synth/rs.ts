import { Rng } from "../util/rng";
import { TRUTH } from "./truth";
import { type World, NY, Y0, ti } from "./world";
import { poisson } from "./eq";
import { table, type Table } from "../data/table";
import { entropyIndex, type EntropyIndicator } from "../measures/entropy";
import { factorize } from "../core/fixed-effects/factorize";
import { removeSingletons } from "../core/fixed-effects/singletons";
import { demean } from "../core/fixed-effects/demean";
import { qrLeastSquares } from "../core/linalg/qr";
import { misallocation } from "../measures/misallocation";
import { cleanPanel } from "../measures/hygiene";
import { numeric } from "../data/table";
import { marketPotentialPanel } from "../measures/market-potential";
import { mapF64From, mapI32From } from "../util/typed-map";

/**
 * RS side and the city yearbook panel: Alibaba members (city × industry × year), the RS
 * vagg, the latent resilience score z, the 14 resilience indicators' raw sources, and every
 * yearbook column both papers use. See dgp.md.
 */
export interface Members {
  readonly m: Int32Array[][];
  /* [c][s][t] */ readonly vaggRs: Float64Array[];
}

export const RS_INDICATOR_NOISE = 0.02;
/** Volatility amplitude of the CPI and GDP-index shocks: max(RS_VOL_FLOOR, 1 − RS_VOL_SLOPE · standardised centred z). */
export const RS_VOL_SLOPE = 0.15;
export const RS_VOL_FLOOR = 0.1;
/** First year of the additive (city + year) per-capita levels in the yearbook (see buildYearbook). */
export const RS_ADDITIVE_FROM = 2008;
/**
 * Multiplier of Σ_s LQ_sct · a_st in vagg_RS. With the textbook location quotient the raw sum already has a sensible
 * scale (see dgp.md: realised mean reported as `realised.rs_vagg_mean`), so no multiplier is applied (1). Kept as an
 * export because `buildResiliencePanel` reads it as its default `vaggScale`; truth.json carries it as
 * `realised.rs_vagg_scale`.
 */
export const RS_VAGG_SCALE = 1;

/**
 * Alibaba member counts per city × industry × year: a national total growing at 0.45 log points a
 * year from 2005, split over cities by a propensity (population elasticity 1.2, region effects, noise)
 * with AR(1) city × year shocks, and the RS vagg built from them (see dgp.md).
 *
 * @example const mem = buildMembers(world, rng(seed));
 */
export function buildMembers(w: World, root: Rng): Members {
  const r = root.fork("alibaba");
  const nC = w.cities.length,
    S = w.shifts.industries.length;
  const M = (y: number): number => (nC / 281) * 1000 * Math.exp(0.45 * (y - 2005));
  const prop = w.cities.map((c) =>
    Math.exp(
      1.2 * Math.log(c.pop2010 / 1e6) +
        (c.region === "east" ? 1.0 : c.region === "middle" ? 0.2 : 0) +
        TRUTH.rs.member_propensity_sd * r.normal(),
    ),
  );
  const tot = prop.reduce((a, v) => a + v, 0);
  const m: Int32Array[][] = [];
  const t05 = ti(2005);
  const m05 = new Float64Array(nC);
  // transitory city × year shocks (AR(1), stationary SD member_shock_sd, own fork): broad-based within-city variation with light tails
  const rs = root.fork("alibaba-shocks");
  const ar = TRUTH.rs.member_shock_ar,
    sdS = TRUTH.rs.member_shock_sd;
  const shock: Float64Array[] = Array.from({ length: nC }, () => {
    const x = new Float64Array(NY);
    let u = sdS * rs.normal();
    for (let t = 0; t < NY; t++) {
      if (t > 0) u = ar * u + sdS * Math.sqrt(1 - ar * ar) * rs.normal();
      x[t] = u;
    }
    return x;
  });
  const theta = TRUTH.rs.member_diffuse_share;
  const popTot = mapF64From({ length: NY }, (_, t) => w.pop.reduce((a, p) => a + (p[t] as number), 0));
  const shockF = (c: number, t: number): number =>
    Y0 + t > 2005 ? Math.exp(((shock[c] as Float64Array)[t] as number) - (sdS * sdS) / 2) : 1;
  // Tilt directions of the diffuse industry mix, per year: ã_st the standardised digital coefficient a_st (city × year shocks
  // and the IV term load on it) and h_st the standardised log(a_st / natshare_s), the pilot's direction: under the textbook
  // LQ the gradient of vagg_RS = Σ_s LQ_s·a_s in the city's shares is a_s / (national share), so a tilt exp(x·h_s) raises
  // vagg_RS (∂vagg/∂x ∝ Cov_share(h, a/nat) > 0), whereas a tilt along ã_s need not.
  const nat04 = w.shifts.natShare.map((x) => x[ti(2004)] as number);
  const standardise = (a: number[]): Float64Array => {
    const aM = a.reduce((q, v) => q + v, 0) / S;
    const aSd = Math.sqrt(a.reduce((q, v) => q + (v - aM) ** 2, 0) / Math.max(1, S - 1)) || 1;
    return mapF64From(a, (v) => (v - aM) / aSd);
  };
  const aT: Float64Array[] = Array.from({ length: NY }, (_, t) => standardise(w.shifts.raw.map((x) => x[t] as number)));
  const hT: Float64Array[] = Array.from({ length: NY }, (_, t) =>
    standardise(w.shifts.raw.map((x, s) => Math.log((x[t] as number) / (nat04[s] as number)))),
  );
  /** National industry mix tilted by exp(κ·ã_st·u + p·h_st), renormalised to the untilted total. */
  const mixOf = (u: number, p: number, t: number): Float64Array => {
    const x = mapF64From(
      nat04,
      (v, s) =>
        v * Math.exp(TRUTH.rs.member_mix_tilt * ((aT[t] as Float64Array)[s] as number) * u + p * ((hT[t] as Float64Array)[s] as number)),
    );
    const k = nat04.reduce((q, v) => q + v, 0) / x.reduce((q, v) => q + v, 0);
    return x.map((v) => v * k);
  };
  const mixCache = new Map<string, Float64Array>();
  // 2005 first (its count drives later growth: the IV's relevance)
  const lam = (c: number, s: number, t: number, ivLog: number): number => {
    const y = Y0 + t;
    const sy = w.cities[c]!.smartCityYear;
    // smart-city pilot from its pilot year on (treatment starts in the pilot year): more members in digital-intensive industries
    const pilot = sy !== null && y >= sy;
    // concentrated part: city propensity × the city's 2004 industry mix (× the smart-city boost)
    const conc = ((prop[c] as number) / tot) * ((w.share04[c] as Float64Array)[s] as number);
    // diffuse part: population × the national mix tilted towards digital industries by the city × year shock and the IV term
    // (under the textbook LQ only the industry MIX moves vagg_RS; the shock and the IV term tilt the mix)
    const u = (Y0 + t > 2005 ? ((shock[c] as Float64Array)[t] as number) : 0) + ivLog;
    const key = `${c}|${t}`;
    let mix = mixCache.get(key);
    if (!mix) mixCache.set(key, (mix = mixOf(u, pilot ? TRUTH.rs.smart_city_member_boost : 0, t)));
    const diff = (((w.pop[c] as Float64Array)[t] as number) / (popTot[t] as number)) * (mix[s] as number) * shockF(c, t);
    return M(y) * ((1 - theta) * conc + theta * diff);
  };
  const draws: Int32Array[][] = [];
  for (let c = 0; c < nC; c++) {
    const row: Int32Array[] = [];
    for (let s = 0; s < S; s++) {
      const x = new Int32Array(NY);
      x[t05] = poisson(r, lam(c, s, t05, 0));
      m05[c] += x[t05] as number;
      row.push(x);
    }
    draws.push(row);
  }
  const lm = mapF64From(m05, (v) => Math.log(1 + v));
  const mm = lm.reduce((a, v) => a + v, 0) / nC;
  const sd = Math.sqrt(lm.reduce((a, v) => a + (v - mm) ** 2, 0) / Math.max(1, nC - 1)) || 1;
  const u05 = w.internetUsers[t05] as number;
  for (let c = 0; c < nC; c++) {
    const z = ((lm[c] as number) - mm) / sd;
    for (let s = 0; s < S; s++)
      for (let t = 0; t < NY; t++) {
        if (t === t05) continue;
        const ivLog = TRUTH.rs.member_growth_iv * z * Math.log((w.internetUsers[t] as number) / u05);
        (draws[c] as Int32Array[])[s]![t] = poisson(r, lam(c, s, t, ivLog));
      }
    m.push(draws[c] as Int32Array[]);
  }
  // vagg_RS = scale × Σ_s LQ_sct · raw_st, textbook LQ_sct = (m_sct / m_ct) / (M_st / M_t); a city without members has LQ 0
  const vaggRs: Float64Array[] = m.map(() => new Float64Array(NY));
  for (let t = 0; t < NY; t++) {
    const Ms = new Float64Array(S);
    let Mt = 0;
    for (let c = 0; c < nC; c++)
      for (let s = 0; s < S; s++) {
        const v = (m[c] as Int32Array[])[s]![t] as number;
        Ms[s] = (Ms[s] as number) + v;
        Mt += v;
      }
    for (let c = 0; c < nC; c++) {
      let mc = 0;
      for (let s = 0; s < S; s++) mc += (m[c] as Int32Array[])[s]![t] as number;
      if (mc === 0) continue;
      for (let s = 0; s < S; s++) {
        if ((Ms[s] as number) === 0) continue;
        const lq = ((m[c] as Int32Array[])[s]![t] as number) / mc / ((Ms[s] as number) / Mt);
        (vaggRs[c] as Float64Array)[t] += RS_VAGG_SCALE * lq * ((w.shifts.raw[s] as Float64Array)[t] as number);
      }
    }
  }
  return { m, vaggRs };
}

/** The 14 RS Table 1 indicators as computed from the yearbook columns (the definitions the DGP is calibrated on). */
export const RESILIENCE_INDICATORS: readonly (EntropyIndicator & { readonly formula: string })[] = [
  { name: "cpi_sd3", dimension: "resist", direction: "-", formula: "3-year rolling SD (t−2..t) of CPI growth (cpi − 100)" },
  { name: "gdpg_sd3", dimension: "resist", direction: "-", formula: "3-year rolling SD (t−2..t) of gdp_index − 100" },
  { name: "gdppc", dimension: "resist", direction: "+", formula: "gdp / pop (CNY per person)" },
  { name: "savings", dimension: "resist", direction: "+", formula: "savings (level, 10k CNY; RS Table 1 prints the level)" },
  { name: "unemp", dimension: "resist", direction: "+", formula: "unemp_rate (printed direction +; flagged in the codebook)" },
  { name: "retail_gdp", dimension: "adapt", direction: "+", formula: "retail_sales / gdp" },
  { name: "fixinv", dimension: "adapt", direction: "+", formula: "fixinv (level, 10k CNY; RS Table 1 prints the level)" },
  { name: "loan_dep", dimension: "adapt", direction: "+", formula: "loans / deposits" },
  { name: "fiscal_self", dimension: "adapt", direction: "+", formula: "fiscal_rev / fiscal_exp" },
  { name: "patents_pc", dimension: "transform", direction: "+", formula: "patents / pop" },
  { name: "sci_pc", dimension: "transform", direction: "+", formula: "sci_exp / pop" },
  { name: "edu_pc", dimension: "transform", direction: "+", formula: "edu_exp / pop" },
  { name: "tert_sec", dimension: "transform", direction: "+", formula: "tertiary_gdp / secondary_gdp" },
  { name: "newfirms_pc", dimension: "transform", direction: "+", formula: "new_firms / pop" },
];

export interface YearbookOut {
  readonly columns: Record<string, (number | null)[]>;
  readonly resi: Float64Array;
  readonly zScale: number;
  readonly calib: { slopeOnZ0: number[] };
  readonly betaCity: Float64Array;
  readonly groups: Record<string, Uint8Array>;
  /** Realised true values (see RsRealisedTruth), written to truth.json → realised.rs. */
  readonly truth: RsRealisedTruth;
  /** Per raw column, the cities (0-based) with a planted leading/trailing missing run (no interior gaps are added there). */
  readonly plantedCities: Record<string, Set<number>>;
  /** Rows of the paper's samples (rule.md) on the realised data: analysis years, baseline, Table 5, Table 6. */
  readonly samples: Record<string, number>;
  /** Coefficient of vagg_RS on the pilot indicator (+ controls | city + year) on the baseline sample: the pilot's realised first stage. */
  readonly didOnVagg: number;
  /** Mean of vagg_RS over the analysis years (all cities). */
  readonly vaggMean: number;
  /** ρ = b·k: the calibrated index slope on the structural part (≈ 1; the truths are in index units). */
  readonly rho: number;
}

/** Redraws of the mechanism variables' own noise averaged in the first-step truths (E[M | design]). */
export const RS_TRUTH_REDRAWS = 40;

/**
 * Realised true values of the RS exhibits (same keys as `RsTruth` in lib/papers/rs/truth.ts). Every value is a
 * coefficient of the NOISELESS expected outcome on the exhibit's regressors + the six controls with city + year
 * fixed effects, on the exhibit's realised sample (rule.md: baseline, Table 5, Table 6), i.e. what the OLS estimate
 * targets conditional on the realised regressors:
 *  - outcome resi: the structural part of the latent score in index units, ρ·S, S = β_c·vagg + mis_resi·dist +
 *    mp_resi·hmp + agg_complement·(vagg − v̄)(agg − ā) (city FE, year FE, controls and noise excluded). Table 3 is
 *    thus the TOTAL effect of vagg (direct and through dist, hmp and the interaction), Table 4 the realised
 *    within-group slopes weighted as OLS weights them, "M→resi" the second steps, the extension the §6 model and
 *    `did` the TWFE coefficient of the pilot indicator 1{year ≥ pilot year};
 *  - outcome M (dist, distK, distL, mp, lmp, hmp; first steps "vagg→M"): E[M | design], the average over
 *    RS_TRUTH_REDRAWS redraws of the mechanism variables' own noise (wedge and internet-penetration noise).
 */
export interface RsRealisedTruth {
  readonly table3: number;
  readonly table4: Record<string, { in: number; out: number }>;
  readonly mechanisms: Record<string, number>;
  readonly extension: Record<string, number>;
  readonly did: number;
}

/** Right-skewed, standardised city effects (lognormal, σ = RS_CITY_SKEW): indicators affine in z then carry large entropy weights. */
export const RS_CITY_SKEW = 1.5;
function skewCity(x: Float64Array): Float64Array {
  if (RS_CITY_SKEW <= 0) return x;
  const e = mapF64From(x, (v) => Math.exp(RS_CITY_SKEW * v));
  const m = e.reduce((a, v) => a + v, 0) / e.length;
  const sd = Math.sqrt(e.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, e.length - 1)) || 1;
  return mapF64From(e, (v) => (v - m) / sd);
}

/**
 * A series x_0..x_{n−1} around `level` whose 3-year rolling SD (t−2..t, divisor 2) equals target[t] for every t ≥ 2:
 * given x_{t−2}, x_{t−1} (mean p, difference d) the SD is T iff (x_t − p)² = 3(T² − d²/4); of the two roots the one
 * closer to `level` is taken unless it would make the next step infeasible (|x_t − x_{t−1}|/2 > T_{t+1}). If T_t < |d|/2
 * (never at the targets used here; counted in `infeasible`) x_t = p, the smallest SD attainable.
 */
export function volatilityPath(target: Float64Array, level: number): Float64Array & { infeasible?: number } {
  const n = target.length;
  const x = new Float64Array(n);
  const t0 = target[Math.min(2, n - 1)] as number;
  x[0] = level + t0 / 2;
  if (n > 1) x[1] = level - t0 / 2;
  let bad = 0;
  for (let t = 2; t < n; t++) {
    const a = x[t - 2] as number,
      b = x[t - 1] as number,
      p = (a + b) / 2,
      d = a - b,
      T = target[t] as number;
    const q = 3 * (T * T - (d * d) / 4);
    if (q < 0) {
      x[t] = p;
      bad++;
      continue;
    }
    const r = Math.sqrt(q),
      lo = p - r,
      hi = p + r;
    const next = t + 1 < n ? (target[t + 1] as number) : Infinity;
    const ok = (v: number): boolean => Math.abs(v - b) / 2 <= next;
    const near = Math.abs(lo - level) <= Math.abs(hi - level) ? lo : hi,
      far = near === lo ? hi : lo;
    x[t] = ok(near) || !ok(far) ? near : far;
  }
  return Object.assign(x, { infeasible: bad });
}

function rollingSd(x: Float64Array, t: number): number {
  if (t < 2) return NaN;
  const a = x[t - 2] as number,
    b = x[t - 1] as number,
    c = x[t] as number;
  const m = (a + b + c) / 3;
  return Math.sqrt(((a - m) ** 2 + (b - m) ** 2 + (c - m) ** 2) / 2);
}

/** Builds every yearbook column (city × year, Y0+1 .. Y1) and calibrates the resilience scale. */
export function buildYearbook(w: World, mem: Members, root: Rng): YearbookOut {
  const T = TRUTH.rs;
  const r = root.fork("yearbook");
  const nC = w.cities.length;
  const years: number[] = [];
  for (let y = 2003; y <= 2019; y++) years.push(y);
  // groups and heterogeneous slopes
  const infra = mapF64From({ length: nC }, () => r.normal());
  const med = [...infra].sort((a, b) => a - b)[Math.floor(nC / 2)] as number;
  const groups: Record<string, Uint8Array> = {
    old_industrial: Uint8Array.from(w.cities, (c) => (c.oldIndustrial ? 1 : 0)),
    digital_infra_high: Uint8Array.from(infra, (v) => (v >= med ? 1 : 0)),
    urban_agglomeration: Uint8Array.from(w.cities, (c) => (c.agglomeration ? 1 : 0)),
    yangtze_belt: Uint8Array.from(w.cities, (c) => (c.yangtze ? 1 : 0)),
  };
  // RS controls (own draws) and latent parts
  const nYr = years.length;
  const N = nC * nYr;
  const idx = (c: number, k: number): number => c * nYr + k;
  const col = (): Float64Array => new Float64Array(N);
  const noise = (): Float64Array => mapF64From({ length: N }, () => r.normal());
  const cityN = (): Float64Array => mapF64From({ length: nC }, () => r.normal());
  const mu = skewCity(cityN()),
    fre_c = cityN(),
    road_c = cityN(),
    edu_c = cityN(),
    e0 = noise(),
    dyear = mapF64From(years, () => T.sd.year * r.normal());
  const C: Record<string, Float64Array> = {};
  for (const k of [
    "pop",
    "area",
    "gdp",
    "gdp_index",
    "cpi",
    "emp",
    "wage",
    "fdi_usd",
    "trade_usd",
    "fiscal_exp",
    "fiscal_rev",
    "sci_exp",
    "edu_exp",
    "fixinv",
    "capital",
    "secondary_gdp",
    "tertiary_gdp",
    "students",
    "road_area",
    "road_freight",
    "retail_sales",
    "savings",
    "unemp_rate",
    "loans",
    "deposits",
    "patents",
    "new_firms",
    "internet_users",
    "mobile_users",
    "telecom_rev",
    "industrial_firms",
    "sec_emp",
    "deflator",
  ])
    C[k] = col();
  const ctl: Record<string, Float64Array> = { pop: col(), open: col(), fre: col(), road: col(), wage: col(), edu: col() };
  const vaggRs = col(),
    vaggEq = col();
  const nz = {
    cpi: noise(),
    gdpi: noise(),
    sav: noise(),
    un: noise(),
    ret: noise(),
    fr: noise(),
    pat: noise(),
    ts: noise(),
    nf: noise(),
    dep: noise(),
    fre: noise(),
    road: noise(),
    edu: noise(),
    K: noise(),
    L: noise(),
    inet: noise(),
    mob: noise(),
    tel: noise(),
    firms: noise(),
    sec: noise(),
  };
  const tauK = cityN(),
    tauL = cityN(),
    inetC = cityN(),
    indC = cityN();
  // Per-capita levels that enter the resilience index without loading on z (GDP, fixed investment,
  // S&T and education spending per capita, the loan ratio) are made additive in city and year from
  // RS_ADDITIVE_FROM on: x_ct = x_c,t0 + (x̄_t − x̄_t0). Multiplicative growth (x = A_c·B_t) leaves a
  // city-specific trend (A_c − Ā)(B_t − B̄) that two-way FE do not absorb; in the entropy index it
  // dominated the residual and correlated with vagg_RS trends by chance (see dgp.md).
  const pcw = (n: string, c: number, k: number): number => {
    const t = ti(years[k] as number),
      gg = (q: string): number => ((w.ctrl[q] as Float64Array[])[c] as Float64Array)[t] as number;
    const gdppc = Math.exp(gg("gdp")) * (((w.deflator[c] as Float64Array)[t] as number) / 100);
    return n === "gdp" ? gdppc : n === "dlp" ? gg("dlp") : gg(n) * gdppc;
  };
  const kA = years.indexOf(RS_ADDITIVE_FROM);
  const addv: Record<string, Float64Array> = {};
  for (const n of ["gdp", "fixinv", "sci", "edu", "dlp"]) {
    const x = new Float64Array(N);
    const mean = new Float64Array(nYr);
    for (let c = 0; c < nC; c++)
      for (let k = 0; k < nYr; k++) {
        x[idx(c, k)] = pcw(n, c, k);
        mean[k] = (mean[k] as number) + (x[idx(c, k)] as number) / nC;
      }
    if (kA >= 0)
      for (let c = 0; c < nC; c++)
        for (let k = kA + 1; k < nYr; k++) x[idx(c, k)] = (x[idx(c, kA)] as number) + (mean[k] as number) - (mean[kA] as number);
    addv[n] = x;
  }
  // mechanism building blocks as functions of their own noise (the truths below average them over noise redraws)
  let vSum = 0,
    vN = 0;
  for (let c = 0; c < nC; c++)
    for (let k = 0; k < nYr; k++)
      if ((years[k] as number) >= 2008) {
        vSum += (mem.vaggRs[c] as Float64Array)[ti(years[k] as number)] as number;
        vN++;
      }
  const vBar = vSum / vN;
  const vAt = (c: number, k: number): number => (mem.vaggRs[c] as Float64Array)[ti(years[k] as number)] as number;
  /** Labour wedge: city level τ_L,c scaled by exp(labour_wedge_vagg · (vagg − v̄)) (shrinks with vagg), plus own noise. */
  const wedgeL = (c: number, i: number, e: number): number =>
    T.labour_wedge_sd * (tauL[c] as number) * Math.exp(T.labour_wedge_vagg * (vAt(c, i % nYr) - vBar)) + T.wedge_noise_sd * e;
  const wedgeK = (c: number, e: number): number => T.capital_wedge_sd * (tauK[c] as number) + T.wedge_noise_sd * e;
  const realGdpOf = (i: number): number => {
    const c = Math.floor(i / nYr),
      t = ti(years[i % nYr] as number);
    return ((addv.gdp![i] as number) * ((w.pop[c] as Float64Array)[t] as number)) / (((w.deflator[c] as Float64Array)[t] as number) / 100);
  };
  const capitalOf = (i: number, tK: number): number => 2.5 * realGdpOf(i) * Math.exp(tK);
  // employment ∝ real GDP × exp(wedge) (≈ 12 % of the population on average), so L/Y — hence the measured misallocation —
  // moves with the wedges only, not with GDP per capita (which enters the resilience index on its own)
  let popS = 0,
    ygS = 0;
  for (let i = 0; i < N; i++) {
    popS += (w.pop[Math.floor(i / nYr)] as Float64Array)[ti(years[i % nYr] as number)] as number;
    ygS += realGdpOf(i);
  }
  const empPerGdp = (0.12 * popS) / ygS;
  const empOf = (i: number, tL: number): number => empPerGdp * realGdpOf(i) * Math.exp(tL);
  /** Internet penetration (per 100): trend + digital infrastructure + internet_pen_vagg · vagg_RS + own noise, clipped to [0.5, 95]. */
  const penOf = (c: number, k: number, i: number, e: number): number =>
    Math.min(
      95,
      Math.max(0.5, 4 + 2.2 * ((years[k] as number) - 2003) + 6 * (infra[c] as number) + T.internet_pen_vagg * vAt(c, k) + 1.5 * e),
    );
  // fixed-asset investment enters the index in LEVELS; additive in city and year from RS_ADDITIVE_FROM on (as the per-capita levels)
  const fixinvLevel = new Float64Array(N);
  {
    const popAt = (c: number, k: number): number => (w.pop[c] as Float64Array)[ti(years[k] as number)] as number;
    const mean = new Float64Array(nYr);
    for (let c = 0; c < nC; c++)
      for (let k = 0; k < nYr; k++) {
        fixinvLevel[idx(c, k)] = pcw("fixinv", c, k) * popAt(c, k);
        mean[k] = (mean[k] as number) + (fixinvLevel[idx(c, k)] as number) / nC;
      }
    if (kA >= 0)
      for (let c = 0; c < nC; c++)
        for (let k = kA + 1; k < nYr; k++)
          fixinvLevel[idx(c, k)] = (fixinvLevel[idx(c, kA)] as number) + (mean[k] as number) - (mean[kA] as number);
  }
  let popBar = 0;
  for (let c = 0; c < nC; c++)
    for (let k = 0; k < nYr; k++) popBar += ((w.pop[c] as Float64Array)[ti(years[k] as number)] as number) / (nC * nYr);
  for (let c = 0; c < nC; c++)
    for (let k = 0; k < nYr; k++) {
      const y = years[k] as number,
        t = ti(y),
        i = idx(c, k);
      const pop = (w.pop[c] as Float64Array)[t] as number;
      const defl = (w.deflator[c] as Float64Array)[t] as number;
      const g = (n: string): number => ((w.ctrl[n] as Float64Array[])[c] as Float64Array)[t] as number;
      const gdp = (addv.gdp![i] as number) * pop; // 10k CNY nominal
      C.pop![i] = pop;
      C.deflator![i] = defl;
      // land area is a city constant (km²; from the 2010 population and the density draw), so the density control varies with population
      C.area![i] = (((w.pop[c] as Float64Array)[ti(2010)] as number) * 1e4) / Math.exp(w.lnDensity[c] as number);
      C.gdp![i] = gdp;
      C.wage![i] = Math.exp(g("wage")) * (defl / 100);
      C.fdi_usd![i] = (g("fdi") * gdp) / (w.exchangeRate[t] as number);
      C.trade_usd![i] = (g("open") * gdp) / (w.exchangeRate[t] as number);
      C.sci_exp![i] = (addv.sci![i] as number) * pop;
      C.edu_exp![i] = (addv.edu![i] as number) * pop;
      C.fiscal_exp![i] = g("fisc") * gdp + (C.sci_exp![i] as number) + (C.edu_exp![i] as number);
      C.fixinv![i] = fixinvLevel[i] as number;
      const dep = gdp * 1.6 * Math.exp(0.25 * (nz.dep[i] as number) + 0.04 * (y - 2010));
      C.deposits![i] = dep;
      C.loans![i] = (dep * (addv.dlp![i] as number)) / (1 - (addv.dlp![i] as number));
      // RS controls (published units) and their raw sources
      ctl.pop![i] = Math.log((pop * 1e4) / (C.area![i] as number));
      ctl.open![i] = Math.log(1 + ((C.fdi_usd![i] as number) * 1e4) / (pop * 1e4));
      ctl.wage![i] = Math.log(C.wage![i] as number);
      const lfre =
        8.966 + 0.6 * (w.sizeZ[c] as number) * 0.837 + 0.6 * 0.837 * (fre_c[c] as number) + 0.02 * (y - 2013) + 0.3 * (nz.fre[i] as number);
      C.road_freight![i] = Math.exp(lfre);
      ctl.fre![i] = lfre;
      const vEq = (w.vagg[c] as Float64Array)[t] as number;
      const lroad =
        2.701 -
        TRUTH.eq.road_vagg * w.vaggMean +
        0.35 * (road_c[c] as number) +
        0.025 * (y - 2013) +
        TRUTH.eq.road_vagg * vEq +
        0.08 * (nz.road[i] as number);
      C.road_area![i] = Math.exp(lroad) * pop;
      ctl.road![i] = lroad;
      const ledu = 4.641 + 0.95 * (edu_c[c] as number) + 0.02 * (y - 2013) + 0.15 * (nz.edu[i] as number);
      C.students![i] = Math.round(Math.exp(ledu) * pop);
      ctl.edu![i] = ledu;
      vaggRs[i] = (mem.vaggRs[c] as Float64Array)[t] as number;
      vaggEq[i] = vEq;
      // digital infrastructure (RS §4.3) and market-potential channel: internet penetration rises with vagg_RS
      C.internet_users![i] = (penOf(c, k, i, nz.inet[i] as number) / 100) * pop; // 10k households (per-100 measure = internet_users / pop × 100)
      C.mobile_users![i] =
        Math.min(1.6, Math.max(0.1, 0.3 + 0.06 * (y - 2003) + 0.1 * (infra[c] as number) + 0.05 * (nz.mob[i] as number))) * pop;
      C.telecom_rev![i] = pop * Math.exp(5.5 + 0.05 * (y - 2003) + 0.3 * (infra[c] as number) + 0.1 * (nz.tel[i] as number));
      // production side for misallocation: K and L with wedges; labour wedge shrinks with vagg_RS
      const tL = wedgeL(c, i, nz.L[i] as number);
      const tK = wedgeK(c, nz.K[i] as number);
      C.capital![i] = capitalOf(i, tK);
      C.emp![i] = empOf(i, tL);
      C.sec_emp![i] = (C.emp![i] as number) * Math.min(0.8, Math.max(0.1, 0.45 + 0.1 * (indC[c] as number) + 0.03 * (nz.sec[i] as number)));
      C.industrial_firms![i] = Math.max(
        5,
        Math.round(
          Math.exp(5.5 + 0.8 * (w.sizeZ[c] as number) + 0.5 * (indC[c] as number) + 0.04 * (y - 2010) + 0.1 * (nz.firms[i] as number)),
        ),
      );
    }
  // planted leading/trailing missing runs (see planMissing) and the samples of the paper's rule (notes: rule.md)
  const plan = planMissing(nC, nYr, years, root.fork("missing-runs"));
  const rsRowsAll: number[] = [];
  for (let c = 0; c < nC; c++) for (let k = 0; k < nYr; k++) if ((years[k] as number) >= 2008) rsRowsAll.push(idx(c, k));
  const gone = (col: string, i: number): boolean => (plan.mask[col] as Uint8Array)[i] === 1;
  const baseRows = rsRowsAll.filter((i) => !gone("road_freight", i) && !gone("students", i));
  const misRows = baseRows.filter((i) => !gone("capital", i));
  const mpRows = baseRows.filter((i) => !gone("internet_users", i));
  // digital-infrastructure group as the panel builds it: entropy index of internet users per 100, mobile users per 100 and
  // telecom revenue per capita (analysis years; NA where internet users are missing), city means, split at the median of cities
  {
    const inf = entropyIndex(
      table({
        inet: mapF64From(rsRowsAll, (i) =>
          gone("internet_users", i) ? NaN : ((C.internet_users![i] as number) / (C.pop![i] as number)) * 100,
        ),
        mob: mapF64From(rsRowsAll, (i) => ((C.mobile_users![i] as number) / (C.pop![i] as number)) * 100),
        tel: mapF64From(rsRowsAll, (i) => (C.telecom_rev![i] as number) / (C.pop![i] as number)),
      }),
      [
        { name: "inet", direction: "+" },
        { name: "mob", direction: "+" },
        { name: "tel", direction: "+" },
      ],
    );
    const sum = new Float64Array(nC),
      cnt = new Float64Array(nC);
    rsRowsAll.forEach((i, q) => {
      const v = inf.index[q] as number;
      if (Number.isFinite(v)) {
        sum[Math.floor(i / nYr)] += v;
        cnt[Math.floor(i / nYr)] += 1;
      }
    });
    const mean = mapF64From(sum, (v, c) => v / (cnt[c] as number));
    const srt = [...mean].filter(Number.isFinite).sort((x, y) => x - y);
    const med =
      srt.length % 2 ? (srt[(srt.length - 1) / 2] as number) : ((srt[srt.length / 2 - 1] as number) + (srt[srt.length / 2] as number)) / 2;
    groups.digital_infra_high = Uint8Array.from(mean, (v) => (v >= med ? 1 : 0));
  }
  // heterogeneous direct slopes: β + group-mean-zero design deviations (T.het_design; not the published Table 4 values)
  const betaCity = new Float64Array(nC).fill(T.beta_vagg);
  for (const [g, flag] of Object.entries(groups)) {
    const d = (T.het_design as Record<string, number>)[g] ?? 0;
    const q = flag.reduce((x, v) => x + v, 0) / nC;
    for (let c = 0; c < nC; c++) betaCity[c] = (betaCity[c] as number) + (flag[c] ? d * (1 - q) : -d * q);
  }
  // mechanism variables with the panel's measures on the complete data (the latent score depends on the true values,
  // whether or not the yearbook reports them): misallocation (dist, distK, distL) and log market potential (mp, lmp, hmp)
  const mech = (eK: Float64Array, eL: Float64Array, eI: Float64Array) =>
    mechanismColumns(
      rsRowsAll,
      nYr,
      (i) => realGdpOf(i),
      (i) => capitalOf(i, wedgeK(Math.floor(i / nYr), eK[i] as number)),
      (i) => empOf(i, wedgeL(Math.floor(i / nYr), i, eL[i] as number)),
      (i) => (addv.gdp![i] as number) * (C.pop![i] as number),
      (i) => C.area![i] as number,
      (i) => penOf(Math.floor(i / nYr), i % nYr, i, eI[i] as number),
      w,
      years,
    );
  const M0 = mech(nz.K, nz.L, nz.inet);
  const aggRaw = mapF64From(C.industrial_firms!, (v, i) => v / (C.area![i] as number));
  let aSum = 0;
  for (const i of rsRowsAll) aSum += aggRaw[i] as number;
  const aBar = aSum / rsRowsAll.length;
  // latent score z0 = k·S + [γ'controls + μ_c + δ_t + e], structural part
  //   S = β_c·vagg + mis_resi·dist + mp_resi·hmp + agg_complement·(vagg − v̄)(agg − ā); k calibrated below
  const vpart = col(),
    rest = col(),
    z0 = col();
  for (let c = 0; c < nC; c++)
    for (let k = 0; k < nYr; k++) {
      const i = idx(c, k);
      const q = M0.row.get(i);
      const dist = q === undefined ? 0 : (M0.dist[q] as number),
        hmp = q === undefined ? 0 : (M0.hmp[q] as number);
      vpart[i] =
        (betaCity[c] as number) * (vaggRs[i] as number) +
        T.mis_resi * dist +
        T.mp_resi * hmp +
        T.agg_complement * ((vaggRs[i] as number) - vBar) * ((aggRaw[i] as number) - aBar);
      let z = T.sd.city * (mu[c] as number) + (dyear[k] as number) + T.sd.noise * (e0[i] as number);
      for (const [n, gm] of Object.entries(T.gamma)) z += gm * ((ctl[n] as Float64Array)[i] as number);
      rest[i] = z;
    }
  let kv = 1;
  const setZ0 = (): void => {
    for (let i = 0; i < N; i++) z0[i] = kv * (vpart[i] as number) + (rest[i] as number);
  };
  setZ0();
  // indicators' dedicated raw columns load on z = zScale·z0; calibrate zScale so resi ≈ z0 (slope 1 within city and year)
  const L = 4;
  /** SD of each loaded indicator's own noise, relative to the SD (=1) of L·z. */
  const EPS = RS_INDICATOR_NOISE;
  const rsRows: number[] = [];
  for (let c = 0; c < nC; c++) for (let k = 0; k < nYr; k++) if ((years[k] as number) >= 2008) rsRows.push(idx(c, k));
  // zScale: the loaded indicators' z part has about the size of their noise (fixed); kv makes the index's slope on z0 one
  let zm = 0,
    zv = 0;
  for (const i of rsRows) zm += z0[i] as number;
  zm /= rsRows.length;
  for (const i of rsRows) zv += ((z0[i] as number) - zm) ** 2;
  const zScale = 1 / (L * Math.sqrt(zv / rsRows.length));
  const slopes: number[] = [];
  let resi = new Float64Array(N);
  for (let iter = 0; iter < 8; iter++) {
    for (let c = 0; c < nC; c++)
      for (let k = 0; k < nYr; k++) {
        const i = idx(c, k),
          y = years[k] as number;
        const z = zScale * (z0[i] as number);
        const gdp = C.gdp![i] as number,
          pop = C.pop![i] as number;
        // loaded indicators are affine in z (so the min–max-normalised entropy index is ≈ affine in z)
        // savings enter the index in LEVELS: scaled by the (constant) mean population, not the city's, so the indicator stays affine in z
        C.savings![i] = popBar * (20000 + 20000 * (L * z + EPS * (nz.sav[i] as number)));
        C.unemp_rate![i] = 3.2 + 4 * L * z * 0.1 + EPS * (nz.un[i] as number);
        C.retail_sales![i] = gdp * (0.35 + 0.1 * (L * z + EPS * (nz.ret[i] as number)));
        C.fiscal_rev![i] = (C.fiscal_exp![i] as number) * (0.5 + 0.15 * (L * z + EPS * (nz.fr[i] as number)));
        C.patents![i] = Math.round(pop * (5 + 5 * (L * z + EPS * (nz.pat[i] as number))));
        const ts = 0.8 + 0.2 * (L * z + EPS * (nz.ts[i] as number));
        const sec = 0.47 / (1 + 0.2 * (ts - 0.8));
        C.secondary_gdp![i] = gdp * sec;
        C.tertiary_gdp![i] = gdp * sec * ts;
        C.new_firms![i] = Math.round(pop * (10 + 10 * (L * z + EPS * (nz.nf[i] as number))));
      }
    // volatility: the CPI growth and GDP-index series are built so that their 3-year rolling SD at t equals a target that is
    // linear in the current z only (see volatilityPath): no lags, no year pattern inside the window, no interaction.
    for (let c = 0; c < nC; c++) {
      const tgt = (sd0: number, q: Float64Array) =>
        mapF64From({ length: nYr }, (_, k) => {
          const i = idx(c, k);
          return sd0 * Math.max(RS_VOL_FLOOR, 1 - RS_VOL_SLOPE * L * zScale * ((z0[i] as number) - zm)) * (1 + EPS * (q[i] as number));
        });
      const cp = volatilityPath(tgt(1.2, nz.cpi), 2.5),
        gp = volatilityPath(tgt(2.5, nz.gdpi), 9);
      for (let k = 0; k < nYr; k++) {
        C.cpi![idx(c, k)] = 100 + (cp[k] as number);
        C.gdp_index![idx(c, k)] = 100 + (gp[k] as number);
      }
    }
    const ind = resilienceIndicatorColumns(C, nC, nYr);
    const tb = table({
      city: mapI32From(rsRows, (i) => Math.floor(i / nYr)),
      year: mapI32From(rsRows, (i) => years[i % nYr] as number),
      z0: mapF64From(rsRows, (i) => rest[i] as number),
      vp: mapF64From(rsRows, (i) => vpart[i] as number),
      ...Object.fromEntries(
        RESILIENCE_INDICATORS.map((d) => [d.name, mapF64From(rsRows, (i) => (ind[d.name] as Float64Array)[i] as number)]),
      ),
    });
    const ei = entropyIndex(tb, RESILIENCE_INDICATORS);
    // c = slope of the index on the vagg-free part of the latent score (not on vagg itself, so the vagg slope is not fitted to the sample)
    const b = twoWaySlope(
      ei.index,
      tb.columns.z0 as Float64Array,
      tb.columns.vp as Float64Array,
      tb.columns.city as Int32Array,
      tb.columns.year as Int32Array,
    );
    slopes.push(b);
    resi = new Float64Array(N).fill(NaN);
    rsRows.forEach((i, q) => {
      resi[i] = ei.index[q] as number;
    });
    if (iter < 7) {
      kv = 1 / b;
      setZ0();
    }
  }
  // ---- realised true values (lib/papers/rs/truth.ts): coefficients of the noiseless structural part, in index units ----
  // The index is ≈ b·z0 with b the last calibration slope, so the structural part in index units is ρ·S with ρ = b·kv (≈ 1).
  const rho = (slopes[slopes.length - 1] as number) * kv;
  const Sidx = mapF64From(vpart, (v) => rho * v);
  const cityOf = (i: number): number => Math.floor(i / nYr);
  // the regressors as the panel has them: planted runs missing, then 1 %/99 % winsorised (pooled over the analysis rows,
  // the panel's step 6) — the truths are projections on the regressors the estimator actually sees
  const na = (col: string, x: ArrayLike<number>): Float64Array =>
    mapF64From({ length: N }, (_, i) => (plan.mask[col] !== undefined && (plan.mask[col] as Uint8Array)[i] === 1 ? NaN : (x[i] as number)));
  const full = (q: Float64Array): Float64Array => {
    const x = new Float64Array(N).fill(NaN);
    rsRowsAll.forEach((i, k) => (x[i] = q[k] as number));
    return x;
  };
  const agg = mapF64From(C.industrial_firms!, (v, i) => v / (C.area![i] as number));
  const winsor = (cols: Record<string, Float64Array>): Record<string, Float64Array> => {
    const tb = table({
      city: mapI32From(rsRowsAll, cityOf),
      year: mapI32From(rsRowsAll, (i) => years[i % nYr] as number),
      ...Object.fromEntries(Object.entries(cols).map(([k, x]) => [k, mapF64From(rsRowsAll, (i) => x[i] as number)])),
    });
    const wt = cleanPanel(tb, Object.keys(cols), { unit: "city", time: "year", interpolate: false, winsorize: 0.01 }).table;
    return Object.fromEntries(Object.keys(cols).map((k) => [k, full(numeric(wt, k))]));
  };
  const mechNa = (Mx: ReturnType<typeof mech>): Record<string, Float64Array> => ({
    dist: na("capital", full(Mx.dist)),
    distK: na("capital", full(Mx.distK)),
    distL: na("capital", full(Mx.distL)),
    mp: na("internet_users", full(Mx.mp)),
    lmp: na("internet_users", full(Mx.lmp)),
    hmp: na("internet_users", full(Mx.hmp)),
  });
  const Wv = winsor({
    vagg: vaggRs,
    pop: ctl.pop!,
    open: ctl.open!,
    fre: na("road_freight", ctl.fre!),
    road: ctl.road!,
    wage: ctl.wage!,
    edu: na("students", ctl.edu!),
    agg,
    ...mechNa(M0),
  });
  const vaggW = Wv.vagg as Float64Array;
  const ctlCols = Object.keys(T.gamma).map((n) => Wv[n] as Float64Array);
  /** Coefficients of y on the given regressors + the six controls | city + year on `rows` (first `regs.length` entries). */
  const coef = (y: ArrayLike<number>, regs: ArrayLike<number>[], rows: readonly number[]): number[] =>
    twoWayCoefs(
      mapF64From(rows, (i) => y[i] as number),
      [...regs, ...ctlCols].map((x) => mapF64From(rows, (i) => x[i] as number)),
      mapI32From(rows, cityOf),
      mapI32From(rows, (i) => years[i % nYr] as number),
    ).slice(0, regs.length);
  const table3 = coef(Sidx, [vaggW], baseRows)[0] as number;
  const table4: Record<string, { in: number; out: number }> = {};
  for (const [g, flag] of Object.entries(groups)) {
    const inR = baseRows.filter((i) => flag[cityOf(i)] === 1),
      outR = baseRows.filter((i) => flag[cityOf(i)] === 0);
    table4[g] = { in: coef(Sidx, [vaggW], inR)[0] as number, out: coef(Sidx, [vaggW], outR)[0] as number };
  }
  // mechanism first steps: E[M | design] by averaging the measured (missing-run, winsorised) mechanism variable over
  // redraws of its own noise
  const mechKeys = ["dist", "distK", "distL", "mp", "lmp", "hmp"] as const;
  const firstSum: Record<string, number> = Object.fromEntries(mechKeys.map((m) => [m, 0]));
  const rMech = root.fork("truth-mechanism-redraws");
  const R = RS_TRUTH_REDRAWS;
  for (let rep = 0; rep < R; rep++) {
    const draw = (): Float64Array => mapF64From({ length: N }, () => rMech.normal());
    const Mr = winsor(mechNa(mech(draw(), draw(), draw())));
    for (const m of mechKeys)
      firstSum[m] =
        (firstSum[m] as number) + (coef(Mr[m] as Float64Array, [vaggW], m.startsWith("dist") ? misRows : mpRows)[0] as number) / R;
  }
  const mechanisms: Record<string, number> = {};
  for (const m of mechKeys) {
    mechanisms[`vagg→${m}`] = firstSum[m] as number;
    mechanisms[`${m}→resi`] = coef(Sidx, [Wv[m] as Float64Array], m.startsWith("dist") ? misRows : mpRows)[0] as number;
  }
  // §6: centred at the mean over the panel rows (as withCentred does), winsorised vagg and agg
  const cMean = (x: Float64Array): number => {
    let q = 0,
      n = 0;
    for (const i of rsRowsAll)
      if (Number.isFinite(x[i] as number)) {
        q += x[i] as number;
        n++;
      }
    return q / n;
  };
  const vM = cMean(vaggW),
    aM = cMean(Wv.agg as Float64Array);
  const vC = mapF64From(vaggW, (v) => v - vM),
    aggC = mapF64From(Wv.agg as Float64Array, (v) => v - aM);
  const ext = coef(Sidx, [vC, aggC, mapF64From(vC, (v, i) => v * (aggC[i] as number))], baseRows);
  const extension: Record<string, number> = { vagg_c: ext[0] as number, agg_c: ext[1] as number, "vagg_c:agg_c": ext[2] as number };
  // vagg in each agg quartile group (keys Q1..Q4): cut at the pooled city-year quartiles of the (winsorised) agg as
  // `quantileGroups` does (xtile: the empirical (g/4)-quantile, averaged at exact positions)
  {
    const srt = Float64Array.from(rsRowsAll.map((i) => (Wv.agg as Float64Array)[i] as number).filter(Number.isFinite)).sort();
    const n = srt.length;
    const cuts = [1, 2, 3].map((j) => {
      const pos = (n * j) / 4;
      return Number.isInteger(pos) ? ((srt[pos - 1] as number) + (srt[pos] as number)) / 2 : (srt[Math.floor(pos)] as number);
    });
    const qOf = (v: number): number => {
      let q = 1;
      while (q < 4 && v > (cuts[q - 1] as number)) q++;
      return q;
    };
    for (let q = 1; q <= 4; q++)
      extension[`Q${q}`] = coef(
        Sidx,
        [vaggW],
        baseRows.filter((i) => qOf((Wv.agg as Float64Array)[i] as number) === q),
      )[0] as number;
  }
  const treated = mapF64From({ length: N }, (_, i) => {
    const sy = w.cities[cityOf(i)]!.smartCityYear;
    return sy !== null && (years[i % nYr] as number) >= sy ? 1 : 0;
  });
  const did = coef(Sidx, [treated], baseRows)[0] as number;
  const didVagg = coef(vaggW, [treated], baseRows)[0] as number;
  const truth: RsRealisedTruth = { table3, table4, mechanisms, extension, did };
  for (const [col, m] of Object.entries(plan.mask)) for (let i = 0; i < N; i++) if (m[i] === 1) (C[col] as Float64Array)[i] = NaN;
  const columns: Record<string, (number | null)[]> = {};
  for (const [k, v] of Object.entries(C)) columns[k] = Array.from(v, (x) => (Number.isFinite(x) ? x : null));
  return {
    columns,
    resi,
    zScale: kv,
    calib: { slopeOnZ0: slopes },
    betaCity,
    groups,
    truth,
    plantedCities: plan.cities,
    samples: { analysis: rsRowsAll.length, baseline: baseRows.length, misallocation: misRows.length, market_potential: mpRows.length },
    didOnVagg: didVagg,
    vaggMean: vBar,
    rho,
  };
}

/**
 * The coefficient on `x` in y = b·x + c·w + city FE + year FE, by the numerical core (Frisch–Waugh–Lovell:
 * demean y, x, w by both fixed effects, then least squares by QR), the same arithmetic as
 * `feols(…, "y ~ x + w | city + year")` on a complete panel without singletons, which the
 * generator's panel always is (checked). The generator uses the core, not the estimator.
 */
function twoWaySlope(y: Float64Array, x: Float64Array, w: Float64Array, city: Int32Array, year: Int32Array): number {
  const factors = [factorize(city), factorize(year)];
  const kept = removeSingletons(factors, new Uint8Array(y.length).fill(1));
  if (kept.removed > 0)
    throw new Error(`synthetic RS panel has ${kept.removed} fixed-effect singletons; the calibration slope assumes none`);
  for (const c of [y, x, w])
    for (let i = 0; i < c.length; i++)
      if (!Number.isFinite(c[i] as number)) throw new Error("synthetic RS panel: non-finite value in the calibration regression");
  const dm = demean([y, x, w], { factors });
  const ref = [x, w].map((c) => Math.sqrt(c.reduce((s, v) => s + v * v, 0)));
  const fit = qrLeastSquares(dm.columns.slice(1), dm.columns[0] as Float64Array, { tol: 1e-10, refNorms: ref });
  if (fit.kept[0] !== 0) throw new Error("synthetic RS panel: the calibration regressor is collinear with the fixed effects");
  return fit.beta[0] as number;
}

/**
 * The 14 RS Table 1 resilience indicators from the yearbook columns (city-major, nYr years
 * per city): 3-year rolling SDs of CPI and GDP-index growth, per-capita and ratio indicators,
 * as listed in `RESILIENCE_INDICATORS`.
 *
 * @example const ind = resilienceIndicatorColumns(columns, nCities, nYears);
 */
export function resilienceIndicatorColumns(C: Record<string, Float64Array>, nC: number, nYr: number): Record<string, Float64Array> {
  const N = nC * nYr;
  const o: Record<string, Float64Array> = {};
  for (const d of RESILIENCE_INDICATORS) o[d.name] = new Float64Array(N);
  const g = (k: string, i: number): number => (C[k] as Float64Array)[i] as number;
  for (let c = 0; c < nC; c++) {
    const cpi = mapF64From({ length: nYr }, (_, k) => g("cpi", c * nYr + k) - 100);
    const gi = mapF64From({ length: nYr }, (_, k) => g("gdp_index", c * nYr + k) - 100);
    for (let k = 0; k < nYr; k++) {
      const i = c * nYr + k,
        pop = g("pop", i);
      o.cpi_sd3![i] = rollingSd(cpi, k);
      o.gdpg_sd3![i] = rollingSd(gi, k);
      o.gdppc![i] = (g("gdp", i) * 1e4) / (pop * 1e4);
      o.savings![i] = g("savings", i);
      o.unemp![i] = g("unemp_rate", i);
      o.retail_gdp![i] = g("retail_sales", i) / g("gdp", i);
      o.fixinv![i] = g("fixinv", i);
      o.loan_dep![i] = g("loans", i) / g("deposits", i);
      o.fiscal_self![i] = g("fiscal_rev", i) / g("fiscal_exp", i);
      o.patents_pc![i] = g("patents", i) / pop;
      o.sci_pc![i] = g("sci_exp", i) / pop;
      o.edu_pc![i] = g("edu_exp", i) / pop;
      o.tert_sec![i] = g("tertiary_gdp", i) / g("secondary_gdp", i);
      o.newfirms_pc![i] = g("new_firms", i) / pop;
    }
  }
  return o;
}
export type { Table };

/** Rows dropped by the paper's rule at paper scale (281 cities × 12 years = 3,372): baseline 3,372 − 3,177, Table 5 3,177 − 3,166, Table 6 3,177 − 3,079. */
export const RS_PAPER_DROPS = { baseline: 195, misallocation: 11, market_potential: 98 } as const;

/**
 * Planted leading/trailing missing runs in raw yearbook columns, so that the paper's sample rule (rule.md: interior gaps
 * interpolated, leading/trailing gaps stay missing) yields N = 3,177 / 3,166 / 3,079 at 281 cities (proportionally,
 * round(drops · nC / 281), at smaller scales). Each run is in its own city and covers the first years up to 2007 + L or
 * the last L years, so it removes exactly L analysis-year rows: baseline drops in road_freight / students (controls fre,
 * edu), Table 5 drops in capital (cities without a baseline drop), Table 6 drops in internet_users (likewise).
 */
export function planMissing(
  nC: number,
  nYr: number,
  years: readonly number[],
  r: Rng,
): { mask: Record<string, Uint8Array>; cities: Record<string, Set<number>>; drops: Record<string, number> } {
  const N = nC * nYr;
  const mask: Record<string, Uint8Array> = {};
  const cities: Record<string, Set<number>> = {};
  for (const c of ["road_freight", "students", "capital", "internet_users"]) {
    mask[c] = new Uint8Array(N);
    cities[c] = new Set();
  }
  const k08 = years.indexOf(2008);
  const maxRun = 4;
  const drops = Object.fromEntries(Object.entries(RS_PAPER_DROPS).map(([k, v]) => [k, Math.round((v * nC) / 281)])) as Record<
    string,
    number
  >;
  const plant = (cols: readonly string[], target: number, exclude: Set<number>): void => {
    let left = target,
      j = 0;
    while (left > 0) {
      if (exclude.size >= nC) throw new Error(`planMissing: not enough cities to plant ${target} missing rows`);
      let c = r.int(nC);
      while (exclude.has(c)) c = r.int(nC);
      exclude.add(c);
      const L = Math.min(left, 1 + r.int(maxRun));
      const col = cols[j++ % cols.length] as string;
      const m = mask[col] as Uint8Array;
      if (r.uniform() < 0.5) for (let k = 0; k < k08 + L; k++) m[c * nYr + k] = 1;
      else for (let k = nYr - L; k < nYr; k++) m[c * nYr + k] = 1;
      (cities[col] as Set<number>).add(c);
      left -= L;
    }
  };
  const base = new Set<number>();
  plant(["road_freight", "students"], drops.baseline as number, base);
  plant(["capital"], drops.misallocation as number, new Set(base));
  plant(["internet_users"], drops.market_potential as number, new Set(base));
  return { mask, cities, drops };
}

/**
 * The mechanism variables exactly as the RS panel builds them (lib/papers/rs/panel.ts), from row accessors over the
 * analysis rows: misallocation (`misallocation`, CRS elasticities estimated with city + year FE) dist, distK, distL, and
 * the logs of market potential with ORIGIN-side internet weighting (`marketPotentialPanel`, internetWeight "i":
 * mp_i = Σ_j inet_i·GDP_j/d_ij) mp, lmp (internal), hmp (external). `row` maps a row index to its position.
 */
function mechanismColumns(
  rows: readonly number[],
  nYr: number,
  realGdp: (i: number) => number,
  capital: (i: number) => number,
  emp: (i: number) => number,
  gdp: (i: number) => number,
  area: (i: number) => number,
  pen: (i: number) => number,
  w: World,
  years: readonly number[],
): {
  row: Map<number, number>;
  dist: Float64Array;
  distK: Float64Array;
  distL: Float64Array;
  mp: Float64Array;
  lmp: Float64Array;
  hmp: Float64Array;
} {
  const c = (i: number): number => Math.floor(i / nYr);
  const t = table({
    city: mapI32From(rows, (i) => w.cities[c(i)]!.code),
    year: mapI32From(rows, (i) => years[i % nYr] as number),
    y: mapF64From(rows, realGdp),
    k: mapF64From(rows, capital),
    l: mapF64From(rows, emp),
    gdp: mapF64From(rows, gdp),
    area: mapF64From(rows, area),
    inet: mapF64From(rows, pen),
    lon: mapF64From(rows, (i) => w.cities[c(i)]!.lon),
    lat: mapF64From(rows, (i) => w.cities[c(i)]!.lat),
  });
  const mis = misallocation(t, { unit: "city", year: "year", y: "y", k: "k", l: "l" });
  const mp = marketPotentialPanel(t, {
    unit: "city",
    year: "year",
    lon: "lon",
    lat: "lat",
    area: "area",
    y: "gdp",
    internetColumn: "inet",
    internetWeight: "i",
  });
  const lg = (x: Float64Array): Float64Array => mapF64From(x, Math.log);
  return {
    row: new Map(rows.map((i, q) => [i, q])),
    dist: mis.dist,
    distK: mis.distK,
    distL: mis.distL,
    mp: lg(mp.mp),
    lmp: lg(mp.lmp),
    hmp: lg(mp.hmp),
  };
}

/**
 * All coefficients of y = X·b + city FE + year FE by the numerical core (FWL: demean by both fixed effects, QR least
 * squares), as `feols` computes them on a panel without singletons. Throws if a regressor is collinear with the FE.
 */
function twoWayCoefs(y: Float64Array, X: Float64Array[], city: Int32Array, year: Int32Array): number[] {
  const factors = [factorize(city), factorize(year)];
  for (const c of [y, ...X])
    for (let i = 0; i < c.length; i++)
      if (!Number.isFinite(c[i] as number)) throw new Error("synthetic RS truth: non-finite value in a truth regression");
  const dm = demean([y, ...X], { factors }, { tol: 1e-12 });
  const ref = X.map((c) => Math.sqrt(c.reduce((s, v) => s + v * v, 0)));
  const fit = qrLeastSquares(dm.columns.slice(1), dm.columns[0] as Float64Array, { tol: 1e-10, refNorms: ref });
  const out = new Array<number>(X.length).fill(NaN);
  fit.kept.forEach((j, q) => (out[j] = fit.beta[q] as number));
  return out;
}
