import { type Table, column, numeric, table } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { keyAt, keysOf, numberAt } from "../data/keys";

/** Column names, price type, de-meaning, variance convention and city pairs of `marketSegmentation`. */
export interface MarketSegmentationOptions {
  city?: string;
  time?: string;
  category?: string;
  price?: string;
  priceType?: "chain" | "level";
  pairs?: "all" | Table;
  pairColumns?: { a?: string; b?: string };
  demean?: "category-year" | "category" | "none";
  variance?: "sample" | "population";
  minCategories?: number;
}

/** Counts of pairs, NA price changes and unknown cities of `marketSegmentation`. */
export interface MarketSegmentationReport {
  cities: number;
  pairs: number;
  categories: string[];
  years: number[];
  /** City-year-category cells whose price change is NA (missing, ≤ 0, or no previous year). */
  naChangeCells: number;
  /** Pairs in the `pairs` table naming a city that has no prices. */
  pairsWithUnknownCity: number;
}

/**
 * Market segmentation by the relative-price method (Parsley & Wei 1996, QJE 111(4); 2001, J. Int. Econ. 55(1); for Chinese
 * regions 桂琦寒、陈敏、陆铭、陈钊 2006, 《世界经济》, as cited by EQ §5.2, eq. (24)):
 *
 *   1. ΔQ_ijt^k = ln(p_it^k / p_i,t−1^k) − ln(p_jt^k / p_j,t−1^k)   for city pair (i, j), year t,
 *      CPI category k (the paper's 8 categories: food, tobacco & liquor, clothing, household
 *      equipment, health, transport & communication, recreation & education, housing).
 *      `priceType: "chain"` (default): `price` is the yearbook chain index, previous year = 100,
 *      so ln(p_t/p_t−1) = ln(price/100). `"level"`: `price` is a level and the previous year's row
 *      of the same city and category is used (missing → NA).
 *   2. |ΔQ_ijt^k| (absolute value, so the pair's order does not matter; each unordered pair once).
 *   3. De-meaning (removes the category-specific common component): q_ijt^k = |ΔQ_ijt^k| −
 *      mean of |ΔQ^k| over all pairs in year t (`demean: "category-year"`, default, as in Gui
 *      et al.); `"category"` uses the mean over all pairs and years; `"none"` skips it.
 *      The means are over the pairs actually used (all pairs, or the adjacent ones).
 *   4. var_ijt = variance over categories k of q_ijt^k — sample variance (÷ (K−1), Stata
 *      `var`) by default, `variance: "population"` for ÷ K; needs ≥ `minCategories` (default
 *      2) non-NA categories, else NA.
 *   5. mseg_it = mean of var_ijt over the pairs that contain i (its partners j with non-NA var).
 *   6. integ_it = sqrt(1 / mseg_it) (NA when mseg ≤ 0 or NA).
 * Pairs: `pairs: "all"` (default) uses every unordered pair of cities present in the data;
 * or a table of adjacent pairs (columns `a`, `b`): self-pairs are ignored, duplicates/reversed
 * duplicates kept once, and pairs naming a city without prices are counted in the report.
 * Prices ≤ 0 or NA give an NA change for that cell (counted; with `"level"` prices the first
 * panel year, which has no previous year, is not counted). A pair-year without any category
 * change (e.g. the first year of level prices) produces no row; a city-year without any change
 * produces no row. No scaling (×100 etc.) is applied.
 *
 * @example
 *   const { cities } = marketSegmentation(cpi, { city: "city", time: "year", category: "cat", price: "cpi" });
 *   // cities: city, year, mseg, integ, npairs
 */
export function marketSegmentation(
  prices: Table,
  o: MarketSegmentationOptions = {},
): { pairs: Table; cities: Table; report: MarketSegmentationReport } {
  const cn = { city: o.city ?? "city", time: o.time ?? "year", cat: o.category ?? "category", price: o.price ?? "price" };
  const priceType = o.priceType ?? "chain";
  const demean = o.demean ?? "category-year";
  const variance = o.variance ?? "sample";
  const minCat = o.minCategories ?? 2;
  if (priceType !== "chain" && priceType !== "level")
    throw new ArgumentError(`priceType must be "chain" or "level", got "${String(priceType)}"`);
  if (!["category-year", "category", "none"].includes(demean)) throw new ArgumentError(`unknown demean "${String(demean)}"`);
  if (variance === "sample" && minCat < 2) throw new ArgumentError("sample variance needs minCategories ≥ 2");

  const cityK = keysOf(column(prices, cn.city));
  const catK = keysOf(column(prices, cn.cat));
  const tc = column(prices, cn.time);
  const p = numeric(prices, cn.price);
  const cityIx = new Map<string, number>();
  const catIx = new Map<string, number>();
  const yearSet = new Set<number>();
  const yr = new Float64Array(prices.nrows);
  for (let i = 0; i < prices.nrows; i++) {
    const c = cityK[i];
    const k = catK[i];
    const y = numberAt(tc, i, prices.source, cn.time);
    if (c === null || c === undefined || k === null || k === undefined || Number.isNaN(y))
      throw new DataError("NA city, category or year", { file: prices.source, row: i + 1 });
    if (!cityIx.has(c)) cityIx.set(c, cityIx.size);
    if (!catIx.has(k)) catIx.set(k, catIx.size);
    yearSet.add(y);
    yr[i] = y;
  }
  const years = [...yearSet].sort((a, b) => a - b);
  const yIx = new Map(years.map((y, i) => [y, i] as const));
  const C = cityIx.size;
  const T = years.length;
  const K = catIx.size;
  const cell = (c: number, t: number, k: number) => (c * T + t) * K + k;
  const level = new Float64Array(C * T * K).fill(NaN);
  const filled = new Uint8Array(C * T * K);
  for (let i = 0; i < prices.nrows; i++) {
    const ix = cell(cityIx.get(cityK[i] as string) as number, yIx.get(yr[i] as number) as number, catIx.get(catK[i] as string) as number);
    if (filled[ix])
      throw new DataError(`duplicate (city, year, category) "${cityK[i]}", ${yr[i]}, "${catK[i]}"`, { file: prices.source, row: i + 1 });
    filled[ix] = 1;
    level[ix] = p[i] as number;
  }
  // log price changes
  const dl = new Float64Array(C * T * K).fill(NaN);
  let naChangeCells = 0;
  for (let c = 0; c < C; c++)
    for (let t = 0; t < T; t++)
      for (let k = 0; k < K; k++) {
        const ix = cell(c, t, k);
        if (!filled[ix]) continue;
        let v = NaN;
        const pt = level[ix] as number;
        if (priceType === "chain") v = pt > 0 ? Math.log(pt / 100) : NaN;
        else {
          const prevT = yIx.get((years[t] as number) - 1);
          const pp = prevT === undefined ? NaN : (level[cell(c, prevT, k)] as number);
          v = pt > 0 && pp > 0 ? Math.log(pt / pp) : NaN;
        }
        if (Number.isNaN(v)) naChangeCells++;
        dl[ix] = v;
      }
  if (priceType === "level") {
    // first observed year of each city has no previous year by construction; not an anomaly
    for (let c = 0; c < C; c++) for (let k = 0; k < K; k++) if (filled[cell(c, 0, k)]) naChangeCells--;
  }
  const cityNames = [...cityIx.keys()];
  // pairs
  const pa: number[] = [];
  const pb: number[] = [];
  let pairsWithUnknownCity = 0;
  if (o.pairs === undefined || o.pairs === "all") {
    for (let a = 0; a < C; a++) for (let b = a + 1; b < C; b++) (pa.push(a), pb.push(b));
  } else {
    const pt = o.pairs;
    const ac = column(pt, o.pairColumns?.a ?? "a");
    const bc = column(pt, o.pairColumns?.b ?? "b");
    const seen = new Set<string>();
    for (let i = 0; i < pt.nrows; i++) {
      const a = keyAt(ac, i);
      const b = keyAt(bc, i);
      if (a === null || b === null) throw new DataError("NA city in pairs", { file: pt.source, row: i + 1 });
      const ia = cityIx.get(a);
      const ib = cityIx.get(b);
      if (ia === undefined || ib === undefined) {
        pairsWithUnknownCity++;
        continue;
      }
      if (ia === ib) continue;
      const lo = Math.min(ia, ib);
      const hi = Math.max(ia, ib);
      const key = lo + "," + hi;
      if (seen.has(key)) continue;
      seen.add(key);
      pa.push(lo);
      pb.push(hi);
    }
  }
  const P = pa.length;
  const q = new Float64Array(P * T * K);
  const qi = (pr: number, t: number, k: number) => (pr * T + t) * K + k;
  for (let r = 0; r < P; r++)
    for (let t = 0; t < T; t++)
      for (let k = 0; k < K; k++)
        q[qi(r, t, k)] = Math.abs((dl[cell(pa[r] as number, t, k)] as number) - (dl[cell(pb[r] as number, t, k)] as number));
  // de-mean
  if (demean !== "none") {
    const sum = new Float64Array(T * K);
    const cnt = new Float64Array(T * K);
    for (let r = 0; r < P; r++)
      for (let t = 0; t < T; t++)
        for (let k = 0; k < K; k++) {
          const v = q[qi(r, t, k)] as number;
          if (Number.isNaN(v)) continue;
          const m = demean === "category" ? k : t * K + k;
          sum[m] += v;
          cnt[m] += 1;
        }
    for (let r = 0; r < P; r++)
      for (let t = 0; t < T; t++)
        for (let k = 0; k < K; k++) {
          const m = demean === "category" ? k : t * K + k;
          q[qi(r, t, k)] -= (sum[m] as number) / (cnt[m] as number);
        }
  }
  // variance per pair-year, city means
  const outA: string[] = [];
  const outB: string[] = [];
  const outY: number[] = [];
  const outV: number[] = [];
  const outN: number[] = [];
  const msum = new Float64Array(C * T);
  const mcnt = new Float64Array(C * T);
  for (let r = 0; r < P; r++)
    for (let t = 0; t < T; t++) {
      let n = 0;
      let mean = 0;
      for (let k = 0; k < K; k++) {
        const v = q[qi(r, t, k)] as number;
        if (!Number.isNaN(v)) (n++, (mean += v));
      }
      let vr = NaN;
      if (n >= minCat && n > 0) {
        mean /= n;
        let ss = 0;
        for (let k = 0; k < K; k++) {
          const v = q[qi(r, t, k)] as number;
          if (!Number.isNaN(v)) ss += (v - mean) ** 2;
        }
        vr = ss / (variance === "sample" ? n - 1 : n);
      }
      if (n === 0) continue; // no price change in this year for the pair (e.g. first year of levels)
      outA.push(cityNames[pa[r] as number] as string);
      outB.push(cityNames[pb[r] as number] as string);
      outY.push(years[t] as number);
      outV.push(vr);
      outN.push(n);
      if (!Number.isNaN(vr))
        for (const c of [pa[r] as number, pb[r] as number]) {
          msum[c * T + t] += vr;
          mcnt[c * T + t] += 1;
        }
    }
  const cc: string[] = [];
  const cy: number[] = [];
  const cm: number[] = [];
  const ci: number[] = [];
  const cnp: number[] = [];
  for (let c = 0; c < C; c++)
    for (let t = 0; t < T; t++) {
      const n = mcnt[c * T + t] as number;
      let any = false;
      for (let k = 0; k < K; k++) if (!Number.isNaN(dl[cell(c, t, k)] as number)) any = true;
      if (!any) continue;
      const m = n > 0 ? (msum[c * T + t] as number) / n : NaN;
      cc.push(cityNames[c] as string);
      cy.push(years[t] as number);
      cm.push(m);
      ci.push(m > 0 ? Math.sqrt(1 / m) : NaN);
      cnp.push(n);
    }
  return {
    pairs: table(
      { a: outA, b: outB, [cn.time]: Float64Array.from(outY), var: Float64Array.from(outV), ncat: Float64Array.from(outN) },
      prices.source,
    ),
    cities: table(
      {
        [cn.city]: cc,
        [cn.time]: Float64Array.from(cy),
        mseg: Float64Array.from(cm),
        integ: Float64Array.from(ci),
        npairs: Float64Array.from(cnp),
      },
      prices.source,
    ),
    report: { cities: C, pairs: P, categories: [...catIx.keys()], years, naChangeCells, pairsWithUnknownCity },
  };
}
