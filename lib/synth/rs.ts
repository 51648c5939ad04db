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
 * Multiplier of Σ_s LQ_sct · a_st in vagg_RS (the paper prints no normalisation). Calibrated so the city-year mean of
 * vagg_RS over 2008–2019 is ≈ RS Table 2's 0.159 (default scale, seed 20220707: 0.133; across seeds 0.13–0.17);
 * `buildResiliencePanel` uses it as its default `vaggScale`.
 */
export const RS_VAGG_SCALE = 0.9;

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
  const popTot = Float64Array.from({ length: NY }, (_, t) => w.pop.reduce((a, p) => a + (p[t] as number), 0));
  const shockF = (c: number, t: number): number =>
    Y0 + t > 2005 ? Math.exp(((shock[c] as Float64Array)[t] as number) - (sdS * sdS) / 2) : 1;
  // 2005 first (its count drives later growth: the IV's relevance)
  const lam = (c: number, s: number, t: number, tilt: number): number => {
    const y = Y0 + t;
    const boost =
      w.cities[c]!.smartCityYear !== null && y > (w.cities[c]!.smartCityYear as number) ? Math.exp(TRUTH.rs.smart_city_member_boost) : 1;
    // concentrated part: city propensity × the city's 2004 industry mix (× the smart-city boost)
    const conc = ((prop[c] as number) / tot) * ((w.share04[c] as Float64Array)[s] as number) * boost;
    // diffuse part: in proportion to population × the national industry mix, with the city × year shock and the IV tilt;
    // in vagg_RS it is ≈ additive (≈ RS_VAGG_SCALE · θ · Σ_s a_st · shock · tilt), so within-city variation is spread over cities
    const diff =
      (((w.pop[c] as Float64Array)[t] as number) / (popTot[t] as number)) *
      ((w.shifts.natShare[s] as Float64Array)[ti(2004)] as number) *
      shockF(c, t) *
      tilt;
    return M(y) * ((1 - theta) * conc + theta * diff);
  };
  const draws: Int32Array[][] = [];
  for (let c = 0; c < nC; c++) {
    const row: Int32Array[] = [];
    for (let s = 0; s < S; s++) {
      const x = new Int32Array(NY);
      x[t05] = poisson(r, lam(c, s, t05, 1));
      m05[c] += x[t05] as number;
      row.push(x);
    }
    draws.push(row);
  }
  const lm = Float64Array.from(m05, (v) => Math.log(1 + v));
  const mm = lm.reduce((a, v) => a + v, 0) / nC;
  const sd = Math.sqrt(lm.reduce((a, v) => a + (v - mm) ** 2, 0) / Math.max(1, nC - 1)) || 1;
  const u05 = w.internetUsers[t05] as number;
  for (let c = 0; c < nC; c++) {
    const z = ((lm[c] as number) - mm) / sd;
    for (let s = 0; s < S; s++)
      for (let t = 0; t < NY; t++) {
        if (t === t05) continue;
        const tilt = Math.exp(TRUTH.rs.member_growth_iv * z * Math.log((w.internetUsers[t] as number) / u05));
        (draws[c] as Int32Array[])[s]![t] = poisson(r, lam(c, s, t, tilt));
      }
    m.push(draws[c] as Int32Array[]);
  }
  // vagg_RS = scale × Σ_s LQ_sct · raw_st,  LQ = (m_sct / M_st) / (pop_ct / POP_t)
  const vaggRs: Float64Array[] = m.map(() => new Float64Array(NY));
  for (let t = 0; t < NY; t++) {
    let P = 0;
    for (let c = 0; c < nC; c++) P += (w.pop[c] as Float64Array)[t] as number;
    for (let s = 0; s < S; s++) {
      let Ms = 0;
      for (let c = 0; c < nC; c++) Ms += (m[c] as Int32Array[])[s]![t] as number;
      if (Ms === 0) continue;
      for (let c = 0; c < nC; c++) {
        const lq = ((m[c] as Int32Array[])[s]![t] as number) / Ms / (((w.pop[c] as Float64Array)[t] as number) / P);
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
  { name: "savings_pc", dimension: "resist", direction: "+", formula: "savings / pop" },
  { name: "unemp", dimension: "resist", direction: "+", formula: "unemp_rate (printed direction +; flagged in the codebook)" },
  { name: "retail_gdp", dimension: "adapt", direction: "+", formula: "retail_sales / gdp" },
  { name: "fixinv_pc", dimension: "adapt", direction: "+", formula: "fixinv / pop" },
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
}

/** Right-skewed, standardised city effects (lognormal, σ = RS_CITY_SKEW): indicators affine in z then carry large entropy weights. */
export const RS_CITY_SKEW = 1.5;
function skewCity(x: Float64Array): Float64Array {
  if (RS_CITY_SKEW <= 0) return x;
  const e = Float64Array.from(x, (v) => Math.exp(RS_CITY_SKEW * v));
  const m = e.reduce((a, v) => a + v, 0) / e.length;
  const sd = Math.sqrt(e.reduce((a, v) => a + (v - m) ** 2, 0) / Math.max(1, e.length - 1)) || 1;
  return Float64Array.from(e, (v) => (v - m) / sd);
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
  const infra = Float64Array.from({ length: nC }, () => r.normal());
  const med = [...infra].sort((a, b) => a - b)[Math.floor(nC / 2)] as number;
  const groups: Record<string, Uint8Array> = {
    old_industrial: Uint8Array.from(w.cities, (c) => (c.oldIndustrial ? 1 : 0)),
    digital_infra_high: Uint8Array.from(infra, (v) => (v >= med ? 1 : 0)),
    urban_agglomeration: Uint8Array.from(w.cities, (c) => (c.agglomeration ? 1 : 0)),
    yangtze_belt: Uint8Array.from(w.cities, (c) => (c.yangtze ? 1 : 0)),
  };
  const betaCity = new Float64Array(nC).fill(T.beta_vagg);
  for (const [g, flag] of Object.entries(groups)) {
    const h = (T.het as Record<string, { in: number; out: number }>)[g]!;
    const q = flag.reduce((a, v) => a + v, 0) / nC;
    const d = h.in - h.out;
    for (let c = 0; c < nC; c++) betaCity[c] = (betaCity[c] as number) + (flag[c] ? d * (1 - q) : -d * q);
  }
  // RS controls (own draws) and latent parts
  const nYr = years.length;
  const N = nC * nYr;
  const idx = (c: number, k: number): number => c * nYr + k;
  const col = (): Float64Array => new Float64Array(N);
  const noise = (): Float64Array => Float64Array.from({ length: N }, () => r.normal());
  const cityN = (): Float64Array => Float64Array.from({ length: nC }, () => r.normal());
  const mu = skewCity(cityN()),
    fre_c = cityN(),
    road_c = cityN(),
    edu_c = cityN(),
    e0 = noise(),
    dyear = Float64Array.from(years, () => T.sd.year * r.normal());
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
      C.area![i] = (pop * 1e4) / Math.exp(w.lnDensity[c] as number);
      C.gdp![i] = gdp;
      C.wage![i] = Math.exp(g("wage")) * (defl / 100);
      C.fdi_usd![i] = (g("fdi") * gdp) / (w.exchangeRate[t] as number);
      C.trade_usd![i] = (g("open") * gdp) / (w.exchangeRate[t] as number);
      C.sci_exp![i] = (addv.sci![i] as number) * pop;
      C.edu_exp![i] = (addv.edu![i] as number) * pop;
      C.fiscal_exp![i] = g("fisc") * gdp + (C.sci_exp![i] as number) + (C.edu_exp![i] as number);
      C.fixinv![i] = (addv.fixinv![i] as number) * pop;
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
      const pen = Math.min(
        95,
        Math.max(0.5, 4 + 2.2 * (y - 2003) + 6 * (infra[c] as number) + T.internet_pen_vagg * vaggRs[i]! + 1.5 * (nz.inet[i] as number)),
      );
      C.internet_users![i] = (pen / 100) * pop; // 10k households (per-100 measure = internet_users / pop × 100)
      C.mobile_users![i] =
        Math.min(1.6, Math.max(0.1, 0.3 + 0.06 * (y - 2003) + 0.1 * (infra[c] as number) + 0.05 * (nz.mob[i] as number))) * pop;
      C.telecom_rev![i] = pop * Math.exp(5.5 + 0.05 * (y - 2003) + 0.3 * (infra[c] as number) + 0.1 * (nz.tel[i] as number));
      // production side for misallocation: K and L with wedges; labour wedge shrinks with vagg_RS
      const tL = 0.3 * (tauL[c] as number) * Math.exp(T.labour_wedge_vagg * 3 * (vaggRs[i] as number)) + 0.05 * (nz.L[i] as number);
      const tK = 0.3 * (tauK[c] as number) + 0.05 * (nz.K[i] as number);
      C.capital![i] = 2.5 * (gdp / (defl / 100)) * Math.exp(tK);
      C.emp![i] = 0.12 * pop * Math.exp(tL);
      C.sec_emp![i] = (C.emp![i] as number) * Math.min(0.8, Math.max(0.1, 0.45 + 0.1 * (indC[c] as number) + 0.03 * (nz.sec[i] as number)));
      C.industrial_firms![i] = Math.max(
        5,
        Math.round(
          Math.exp(5.5 + 0.8 * (w.sizeZ[c] as number) + 0.5 * (indC[c] as number) + 0.04 * (y - 2010) + 0.1 * (nz.firms[i] as number)),
        ),
      );
    }
  // latent score z0 = k·β_c vagg_RS + [γ'controls + μ_c + δ_t + e]; k calibrated below
  const vpart = col(),
    rest = col(),
    z0 = col();
  for (let c = 0; c < nC; c++)
    for (let k = 0; k < nYr; k++) {
      const i = idx(c, k);
      vpart[i] = (betaCity[c] as number) * (vaggRs[i] as number);
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
        C.savings![i] = pop * (20000 + 20000 * (L * z + EPS * (nz.sav[i] as number)));
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
        Float64Array.from({ length: nYr }, (_, k) => {
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
      city: Int32Array.from(rsRows, (i) => Math.floor(i / nYr)),
      year: Int32Array.from(rsRows, (i) => years[i % nYr] as number),
      z0: Float64Array.from(rsRows, (i) => rest[i] as number),
      vp: Float64Array.from(rsRows, (i) => vpart[i] as number),
      ...Object.fromEntries(
        RESILIENCE_INDICATORS.map((d) => [d.name, Float64Array.from(rsRows, (i) => (ind[d.name] as Float64Array)[i] as number)]),
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
  const columns: Record<string, (number | null)[]> = {};
  for (const [k, v] of Object.entries(C)) columns[k] = Array.from(v);
  return { columns, resi, zScale: kv, calib: { slopeOnZ0: slopes }, betaCity, groups };
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
    const cpi = Float64Array.from({ length: nYr }, (_, k) => g("cpi", c * nYr + k) - 100);
    const gi = Float64Array.from({ length: nYr }, (_, k) => g("gdp_index", c * nYr + k) - 100);
    for (let k = 0; k < nYr; k++) {
      const i = c * nYr + k,
        pop = g("pop", i);
      o.cpi_sd3![i] = rollingSd(cpi, k);
      o.gdpg_sd3![i] = rollingSd(gi, k);
      o.gdppc![i] = (g("gdp", i) * 1e4) / (pop * 1e4);
      o.savings_pc![i] = g("savings", i) / pop;
      o.unemp![i] = g("unemp_rate", i);
      o.retail_gdp![i] = g("retail_sales", i) / g("gdp", i);
      o.fixinv_pc![i] = g("fixinv", i) / pop;
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
