import { Rng } from "../util/rng";
import { TRUTH } from "./truth";
import { type City, type Shifts, loadCities, loadShifts } from "./skeleton";
import { mapF64From } from "../util/typed-map";

/** Size presets of the synthetic world. */
export type Scale = "small" | "default" | "paper" | "medium";

export interface ScaleSpec {
  readonly nCities: number;
  readonly nHs4: number;
  /** Share of city×HS4 pairs that ever export. */
  readonly pairFrac: number;
  /** Mean number of firm×HS6 varieties in an active cell. */
  readonly varieties: number;
  readonly firmsPerCity: number;
  readonly nDest: number;
  /** Sentences per government work report. */
  readonly reportSentences: number;
}

export const SCALES: Record<Scale, ScaleSpec> = {
  small: { nCities: 16, nHs4: 30, pairFrac: 0.5, varieties: 2.5, firmsPerCity: 25, nDest: 12, reportSentences: 12 },
  medium: { nCities: 40, nHs4: 80, pairFrac: 0.45, varieties: 2.5, firmsPerCity: 60, nDest: 20, reportSentences: 12 },
  default: { nCities: 50, nHs4: 200, pairFrac: 0.4, varieties: 2.5, firmsPerCity: 150, nDest: 30, reportSentences: 20 },
  paper: { nCities: 281, nHs4: 1200, pairFrac: 0.255, varieties: 2.5, firmsPerCity: 400, nDest: 40, reportSentences: 30 },
};

export const Y0 = 2002;
export const Y1 = 2019;
export const NY = Y1 - Y0 + 1;
/** Year → index into the Y0..Y1 arrays. @example ti(2005) // 3 */
export const ti = (y: number): number => y - Y0;

export interface World {
  readonly scale: Scale;
  readonly spec: ScaleSpec;
  readonly seed: number;
  readonly cities: readonly City[];
  readonly shifts: Shifts;
  /** census output shares [c][s] in 2004 and 2008 */
  readonly share04: readonly Float64Array[];
  readonly share08: readonly Float64Array[];
  /** EQ Bartik vagg [c][t], t indexed from Y0 */
  readonly vagg: readonly Float64Array[];
  readonly vaggMean: number;
  readonly tel84: Float64Array;
  readonly post84: Float64Array;
  /** national series by t */
  readonly internetInvestment: Float64Array;
  readonly internetUsers: Float64Array;
  readonly exchangeRate: Float64Array;
  /** EQ controls [name][c][t], published units */
  readonly ctrl: Record<string, Float64Array[]>;
  /** population (10k persons) [c][t], deflator (2000 = 100) [c][t] */
  readonly pop: Float64Array[];
  readonly deflator: Float64Array[];
  readonly lnDensity: Float64Array;
  readonly sizeZ: Float64Array;
}

const std = (x: ArrayLike<number>): Float64Array => {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i] as number;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += ((x[i] as number) - m) ** 2;
  const s = Math.sqrt(v / Math.max(1, n - 1)) || 1;
  return mapF64From(x as ArrayLike<number>, (a) => (a - m) / s);
};

/** Approximate annual average CNY per USD (public PBoC/IMF figures, rounded; used only to express synthetic USD values). */
const CNY_USD: Record<number, number> = {
  2002: 8.28,
  2003: 8.28,
  2004: 8.28,
  2005: 8.19,
  2006: 7.97,
  2007: 7.61,
  2008: 6.95,
  2009: 6.83,
  2010: 6.77,
  2011: 6.46,
  2012: 6.31,
  2013: 6.19,
  2014: 6.14,
  2015: 6.23,
  2016: 6.64,
  2017: 6.75,
  2018: 6.62,
  2019: 6.91,
};

interface CtrlSpec {
  mean: number;
  sd: number;
  log: boolean;
  trend: number;
  load: number;
  min?: number;
}
/** EQ Table 1 moments (2005–2015); `trend` per year in the variable's own (or log) units; `load` on the city's standardised mean vagg. */
const EQ_CTRL: Record<string, CtrlSpec> = {
  fdi: { mean: 0.031, sd: 0.027, log: true, trend: -0.03, load: 0.25 },
  open: { mean: 0.417, sd: 0.642, log: true, trend: 0.0, load: 0.35 },
  fisc: { mean: 0.103, sd: 0.057, log: true, trend: 0.03, load: -0.1 },
  dlp: { mean: 0.392, sd: 0.062, log: false, trend: 0.002, load: 0.1, min: 0.05 },
  sci: { mean: 0.002, sd: 0.002, log: true, trend: 0.08, load: 0.3 },
  edu: { mean: 0.024, sd: 0.027, log: true, trend: 0.04, load: 0.0 },
  wage: { mean: 10.349, sd: 0.502, log: false, trend: 0.11, load: 0.15 },
  gdp: { mean: 10.163, sd: 0.676, log: false, trend: 0.1, load: 0.3 },
  fixinv: { mean: 0.594, sd: 0.228, log: false, trend: 0.035, load: -0.05, min: 0.05 },
};
export const EQ_CONTROLS = Object.keys(EQ_CTRL);

/**
 * The city-level synthetic world shared by both papers: the sampled cities, the 2004/2008
 * census shares, the EQ Bartik vagg, the 1984 history, national series, and the EQ
 * controls in their published units. Everything is drawn from named forks of one Rng.
 */
export async function buildWorld(scale: Scale, seed: number): Promise<World> {
  const spec = SCALES[scale];
  const root = new Rng(seed);
  const all = await loadCities();
  // city sample: the paper scale keeps the nCities most populous eligible cities; others draw a seeded sample
  let cities: City[];
  if (spec.nCities >= all.length) cities = all;
  else if (scale === "paper")
    cities = [...all]
      .sort((a, b) => b.pop2010 - a.pop2010 || a.code - b.code)
      .slice(0, spec.nCities)
      .sort((a, b) => a.code - b.code);
  else {
    const p = root.fork("cities").permutation(all.length);
    cities = Array.from(p.slice(0, spec.nCities), (i) => all[i] as City).sort((a, b) => a.code - b.code);
  }
  const nC = cities.length;
  const shifts = await loadShifts(Y0, Y1);
  const S = shifts.industries.length;

  // national series (synthetic smooth paths; see codebook)
  const rN = root.fork("national");
  const internetInvestment = new Float64Array(NY);
  const internetUsers = new Float64Array(NY);
  const exchangeRate = new Float64Array(NY);
  for (let t = 0; t < NY; t++) {
    const y = Y0 + t;
    internetInvestment[t] = 800 * Math.exp(0.16 * (y - 2002) + 0.08 * rN.normal()); // 100m CNY
    internetUsers[t] = 100000 / (1 + Math.exp(-0.35 * (y - 2011))); // 10k persons
    exchangeRate[t] = CNY_USD[y] as number;
  }
  // b_s: standardised slope of Virtual_st on ln internet investment, 2005–2015
  const b = new Float64Array(S);
  {
    const ts: number[] = [];
    for (let y = 2005; y <= 2015; y++) ts.push(ti(y));
    const xi = ts.map((t) => Math.log(internetInvestment[t] as number));
    const mx = xi.reduce((a, v) => a + v, 0) / xi.length;
    for (let s = 0; s < S; s++) {
      const v = ts.map((t) => (shifts.virtual[s] as Float64Array)[t] as number);
      const mv = v.reduce((a, q) => a + q, 0) / v.length;
      let num = 0,
        den = 0;
      for (let k = 0; k < ts.length; k++) {
        num += ((xi[k] as number) - mx) * ((v[k] as number) - mv);
        den += ((xi[k] as number) - mx) ** 2;
      }
      b[s] = num / den;
    }
  }
  const bz = std(b);

  // 1984 history: post offices and fixed telephones scale with population, plus noise
  const rH = root.fork("history1984");
  const lpop = mapF64From(cities, (c) => Math.log(c.pop2010));
  const sizeZ = std(lpop);
  const tel84 = new Float64Array(nC);
  const post84 = new Float64Array(nC);
  const telZ = new Float64Array(nC);
  const postZ = new Float64Array(nC);
  for (let c = 0; c < nC; c++) {
    const zt = rH.normal();
    const zp = 0.4 * zt + Math.sqrt(1 - 0.16) * rH.normal();
    telZ[c] = zt;
    postZ[c] = zp;
    tel84[c] = Math.max(
      200,
      Math.round(Math.exp(9.2 + 0.9 * ((sizeZ[c] as number) * 0.6) + 0.8 * zt + (cities[c]!.region === "east" ? 0.3 : 0))),
    );
    post84[c] = Math.max(5, Math.round(Math.exp(4.6 + 0.5 * (sizeZ[c] as number) + 0.45 * zp)));
  }

  // census shares
  const rS = root.fork("census");
  const t04 = ti(2004);
  const share04: Float64Array[] = [];
  const share08: Float64Array[] = [];
  for (let c = 0; c < nC; c++) {
    const l = new Float64Array(S);
    const l8 = new Float64Array(S);
    let m = -Infinity;
    for (let s = 0; s < S; s++) {
      l[s] =
        Math.log((shifts.natShare[s] as Float64Array)[t04] as number) +
        TRUTH.eq.share_sd * rS.normal() +
        (TRUTH.eq.tel_tilt * (telZ[c] as number) + TRUTH.eq.post_tilt * (postZ[c] as number)) * (bz[s] as number);
      m = Math.max(m, l[s] as number);
    }
    let tot = 0,
      tot8 = 0;
    for (let s = 0; s < S; s++) {
      l[s] = Math.exp((l[s] as number) - m);
      tot += l[s] as number;
    }
    for (let s = 0; s < S; s++) {
      l[s] = (l[s] as number) / tot;
      l8[s] = (l[s] as number) * Math.exp(0.3 * rS.normal());
      tot8 += l8[s] as number;
    }
    for (let s = 0; s < S; s++) l8[s] = (l8[s] as number) / tot8;
    share04.push(l);
    share08.push(l8);
  }
  const vagg: Float64Array[] = share04.map((sh) => {
    const v = new Float64Array(NY);
    for (let t = 0; t < NY; t++) {
      let a = 0;
      for (let s = 0; s < S; s++) a += (sh[s] as number) * ((shifts.virtual[s] as Float64Array)[t] as number);
      v[t] = a;
    }
    return v;
  });
  let vm = 0,
    vn = 0;
  for (const v of vagg)
    for (let y = 2005; y <= 2015; y++) {
      vm += v[ti(y)] as number;
      vn++;
    }
  const vaggMean = vm / vn;
  const vaggCityZ = std(
    vagg.map((v) => {
      let a = 0;
      for (let y = 2005; y <= 2015; y++) a += v[ti(y)] as number;
      return a / 11;
    }),
  );

  // EQ controls in published units
  const rC = root.fork("controls");
  const ctrl: Record<string, Float64Array[]> = {};
  for (const [name, sp] of Object.entries(EQ_CTRL)) {
    const rr = rC.fork(name);
    // target moments on the log scale for log-normal variables
    let mu: number, sd: number;
    if (sp.log) {
      sd = Math.sqrt(Math.log(1 + (sp.sd / sp.mean) ** 2));
      mu = Math.log(sp.mean) - (sd * sd) / 2;
    } else {
      mu = sp.mean;
      sd = sp.sd;
    }
    const trendVar = sp.trend * sp.trend * 10; // variance of trend·(t−2010) over 2005–2015
    const resid = Math.sqrt(Math.max(sd * sd - trendVar - (sp.load * sd) ** 2, 0.05 * sd * sd));
    const rows: Float64Array[] = [];
    for (let c = 0; c < nC; c++) {
      const uc = rr.normal();
      const x = new Float64Array(NY);
      let ar = rr.normal();
      for (let t = 0; t < NY; t++) {
        ar = 0.6 * ar + 0.8 * rr.normal();
        const v = mu + sp.trend * (Y0 + t - 2010) + sp.load * sd * (vaggCityZ[c] as number) + resid * (0.85 * uc + 0.527 * ar * 0.5);
        x[t] = sp.log ? Math.exp(v) : Math.max(v, sp.min ?? -Infinity);
      }
      rows.push(x);
    }
    ctrl[name] = rows;
  }
  // population, density, deflator
  const rP = root.fork("population");
  const pop: Float64Array[] = [];
  const deflator: Float64Array[] = [];
  const lnDensity = new Float64Array(nC);
  for (let c = 0; c < nC; c++) {
    const g = 0.004 + 0.004 * rP.normal();
    const p = new Float64Array(NY);
    const d = new Float64Array(NY);
    const pi = 0.004 * rP.normal();
    for (let t = 0; t < NY; t++) {
      p[t] = ((cities[c] as City).pop2010 / 1e4) * 0.95 * Math.exp(g * (Y0 + t - 2010));
      d[t] = 100 * Math.exp((0.028 + pi) * (Y0 + t - 2000));
    }
    pop.push(p);
    deflator.push(d);
    lnDensity[c] = 5.81 + 0.889 * (0.6 * (sizeZ[c] as number) + 0.8 * rP.normal());
  }
  return {
    scale,
    spec,
    seed,
    cities,
    shifts,
    share04,
    share08,
    vagg,
    vaggMean,
    tel84,
    post84,
    internetInvestment,
    internetUsers,
    exchangeRate,
    ctrl,
    pop,
    deflator,
    lnDensity,
    sizeZ,
  };
}
