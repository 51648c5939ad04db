import * as fs from "node:fs";
import * as path from "node:path";
import { readTable } from "../data/io";
import { toRecords } from "../data/table";
import { TRUTH } from "./truth";
import { DataError } from "../util/errors";

/**
 * The real public skeleton the synthetic China is built on: prefecture-level cities
 * (codes, names, provinces, centroids, 2010 population), the public city lists, and the
 * real OECD digital-input coefficients (the Bartik shifts). Everything here is read from
 * `data/raw/public/` (copied from the project's shared data, licences alongside).
 */
export const REPO_ROOT = path.resolve(__dirname, "../..");
export const PUBLIC_DIR = path.join(REPO_ROOT, "data", "raw", "public");

export interface City {
  readonly code: number;
  readonly name: string;
  readonly province: string;
  readonly provinceCode: number;
  readonly lon: number;
  readonly lat: number;
  readonly pop2010: number;
  readonly region: "east" | "middle" | "west";
  readonly capital: boolean;
  readonly oldIndustrial: boolean;
  readonly agglomeration: string | null;
  readonly yangtze: boolean;
  readonly smartCityYear: number | null;
}

function pub(...p: string[]): string {
  const f = path.join(PUBLIC_DIR, ...p);
  if (!fs.existsSync(f)) throw new DataError("public skeleton file not found (run from a full checkout)", { file: f });
  return f;
}

/** All eligible prefecture-level cities (GB/T 2260 code ending in 00, name ending in 市), sorted by code. */
/** A small public CSV (a list or the skeleton) as records, through the one reader of lib/data. */
async function records(file: string): Promise<Record<string, number | string | null>[]> {
  return toRecords(await readTable(file));
}

/**
 * The real prefecture-level cities the synthetic China is built on (codes, names, provinces, centroids, 2010 population) with their public list memberships (region, capitals, old industrial bases, urban agglomerations, Yangtze belt, smart-city pilot batch), read from data/raw/public.
 *
 * @example
 *   (await loadCities()).length; // prefecture-level cities in the skeleton
 */
export async function loadCities(): Promise<City[]> {
  const region = new Map(
    (await records(pub("lists", "region_class.csv"))).map((r) => [Number(r["province_code"]), r["region"] as City["region"]]),
  );
  const capitals = new Set((await records(pub("lists", "capitals_municipalities.csv"))).map((r) => Number(r["city_code"])));
  const old = new Set((await records(pub("lists", "old_industrial_base_2013.csv"))).map((r) => Number(r["city_code"])));
  const ua = new Map(
    (await records(pub("lists", "urban_agglomerations.csv"))).map((r) => [Number(r["city_code"]), r["agglomeration"] as string]),
  );
  const yrb = new Set((await records(pub("lists", "yangtze_river_economic_belt.csv"))).map((r) => Number(r["province_code"])));
  const smart = new Map(
    (await records(pub("lists", "smart_city_pilots.csv"))).map((r) => [Number(r["city_code"]), Number(r["batch_year"])]),
  );
  const out: City[] = [];
  for (const r of await records(pub("cities", "cn_city_census_2010_2020_centroids.csv"))) {
    const code = Number(r["city_code"]);
    const name = r["city"] as string;
    if (code % 100 !== 0 || !name.endsWith("市")) continue;
    const pc = Number(r["province_code"]);
    const pop = Number(r["popu_2010"]);
    if (!(pop > 0)) continue;
    out.push({
      code,
      name,
      province: r["province"] as string,
      provinceCode: pc,
      lon: Number(r["centroid_lon"]),
      lat: Number(r["centroid_lat"]),
      pop2010: pop,
      region: region.get(pc) ?? "west",
      capital: capitals.has(code),
      oldIndustrial: old.has(code),
      agglomeration: ua.get(code) ?? null,
      yangtze: yrb.has(pc),
      smartCityYear: smart.get(code) ?? null,
    });
  }
  out.sort((a, b) => a.code - b.code);
  return out;
}

/** The 17 OECD manufacturing users (ISIC Rev.4 aggregates) and their digital coefficients. */
export interface Shifts {
  readonly industries: readonly string[];
  readonly industryNames: readonly string[];
  readonly years: readonly number[];
  /** raw[s][t]: a_D61 + a_D62T63 + ω a_D45T47 (OECD ICIO 2021, China), year-indexed from years[0]. */
  readonly raw: readonly Float64Array[];
  /** National output share of each industry by year (from the same file's `output`). */
  readonly natShare: readonly Float64Array[];
  /** EQ Bartik shift Virtual_st = scale × raw. */
  readonly virtual: readonly Float64Array[];
  readonly scale: number;
}

/**
 * The Bartik shifts of the synthetic world from the real OECD China coefficients: per using
 * industry and year, a(D61) + a(D62T63) + ω·a(D45T47) (ω = TRUTH.eq.omega_trade), years after
 * the last OECD year carried forward.
 *
 * @example const sh = await loadShifts(2002, 2019);
 */
export async function loadShifts(firstYear: number, lastYear: number): Promise<Shifts> {
  const recs = await records(pub("io", "oecd_iot2021_chn_digital_coef.csv"));
  const om = TRUTH.eq.omega_trade;
  const inds = [...new Set(recs.map((r) => r["use_isic4"] as string))].sort();
  const names = inds.map((s) => (recs.find((r) => r["use_isic4"] === s) as Record<string, string>)["use_desc"] as string);
  const years: number[] = [];
  for (let y = firstYear; y <= lastYear; y++) years.push(y);
  const maxY = Math.max(...recs.map((r) => Number(r["year"])));
  const raw = inds.map(() => new Float64Array(years.length));
  const out = inds.map(() => new Float64Array(years.length));
  const idx = new Map(inds.map((s, i) => [s, i]));
  for (const r of recs) {
    const s = idx.get(r["use_isic4"] as string) as number;
    const y = Number(r["year"]);
    const w = r["input_isic4"] === "D61" || r["input_isic4"] === "D62T63" ? 1 : r["input_isic4"] === "D45T47" ? om : 0;
    for (let t = 0; t < years.length; t++) {
      const yy = Math.min(years[t] as number, maxY);
      if (yy !== y) continue;
      (raw[s] as Float64Array)[t] += w * Number(r["a"]);
      if (r["input_isic4"] === "D61") (out[s] as Float64Array)[t] = Number(r["output"]);
    }
  }
  const natShare = inds.map(() => new Float64Array(years.length));
  for (let t = 0; t < years.length; t++) {
    let tot = 0;
    for (let s = 0; s < inds.length; s++) tot += (out[s] as Float64Array)[t] as number;
    for (let s = 0; s < inds.length; s++) (natShare[s] as Float64Array)[t] = ((out[s] as Float64Array)[t] as number) / tot;
  }
  // scale: national-output-weighted mean of raw over 2005–2015 → vagg_target_mean
  let acc = 0,
    n = 0;
  for (let t = 0; t < years.length; t++) {
    const y = years[t] as number;
    if (y < 2005 || y > 2015) continue;
    let v = 0;
    for (let s = 0; s < inds.length; s++) v += ((natShare[s] as Float64Array)[t] as number) * ((raw[s] as Float64Array)[t] as number);
    acc += v;
    n++;
  }
  const scale = TRUTH.eq.vagg_target_mean / (acc / n);
  const virtual = raw.map((r) => r.map((v) => v * scale));
  return { industries: inds, industryNames: names, years, raw, natShare, virtual, scale };
}
