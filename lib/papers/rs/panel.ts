import * as fs from "node:fs";
import * as path from "node:path";
import { readTable } from "../../data/io";
import { column, numeric, table, fromRecords, takeRows, toRecords, type Table } from "../../data/table";
import type { Schema } from "../../data/schema";
import { ALIBABA_MEMBERS, CENSUS, CITIES, CITY_YEARBOOK, DIGITAL_SHIFTS, NATIONAL_SERIES } from "../../data/schemas";
import { DataError, ArgumentError } from "../../util/errors";
import { entropyIndex, type EntropyIndicator } from "../../measures/entropy";
import { rollingSd } from "../../measures/rolling";
import { cleanPanel } from "../../measures/hygiene";
import { misallocation } from "../../measures/misallocation";
import { marketPotentialPanel } from "../../measures/market-potential";
import { martinSensitivity } from "../../measures/martin";
import { bartik } from "../../measures/bartik";
import { dataTable } from "../../report/data-table";
import { RS_VAGG_SCALE } from "../../synth/rs";
import type { ReportTable } from "../../report/model";
import { RS_PUBLISHED } from "./published";
import { REPO_ROOT_DIR } from "../../util/paths";

/**
 * The RS analysis panel (Yan, Xu & Zhang 2025), built from the raw files in their codebook
 * schemas (`data/codebook/*.md`): `city_yearbook.csv`, `alibaba_members.csv`, `cities.csv`,
 * `digital_shifts.csv`, `national_series.csv`, `census_2008.csv`, plus the public lists in
 * `data/raw/public/lists/` (capitals, old industrial bases, smart-city pilots, urban
 * agglomerations, Yangtze River Economic Belt). The same code reads real files put into a
 * folder with these names.
 *
 * Steps (each documented in the RS notebooks):
 *  1. Linear interpolation within city of every raw yearbook column (audit: counts).
 *  2. The 14 Table 1 indicators (`RS_RESILIENCE_INDICATORS`, directions as printed; the
 *     unemployment rate is printed with "+" — kept, and flagged), rolling SDs over t−2..t.
 *  3. Entropy weights pooled over the analysis years (2008–2019), complete cases; resilience
 *     index `resi` = Σ w_j x'_j and the three sub-indices `resist`, `adapt`, `transform`.
 *  4. vagg_ct = scale · Σ_s LQ_sct · a_st with LQ_sct = (m_sct / M_st) / (pop_ct / POP_t)
 *     (members relative to population; sums over the cities in the files), a_st the
 *     industry's digital-service direct consumption coefficient (`digital_shifts.csv`,
 *     column `virtual_raw` by default) and scale `RS_VAGG_SCALE` (0.9, the synthetic DGP's
 *     normalisation, calibrated to RS Table 2's mean; the paper does not print one).
 *  5. Controls pop, open, fre, road, wage, edu (Table 2 units), and the variables of the
 *     robustness, heterogeneity, mechanism and extension sections (IV, Bartik, smart-city
 *     year, groups, misallocation, market potential, geographic agglomeration).
 *  6. Winsorisation at 1 %/99 % (pooled) of the continuous regression variables (audit: counts).
 */

/** Table 1 of RS: 14 indicators in three dimensions with the printed directions. */
export const RS_RESILIENCE_INDICATORS: readonly (EntropyIndicator & {
  readonly dimension: string;
  readonly label: string;
  readonly flag?: string;
})[] = [
  { name: "cpi_sd3", dimension: "resist", direction: "-", label: "3-year rolling SD of CPI growth" },
  { name: "gdpg_sd3", dimension: "resist", direction: "-", label: "3-year rolling SD of the GDP growth index" },
  { name: "gdppc", dimension: "resist", direction: "+", label: "GDP per capita" },
  { name: "savings_pc", dimension: "resist", direction: "+", label: "Household savings per capita" },
  {
    name: "unemp",
    dimension: "resist",
    direction: "+",
    label: "Registered urban unemployment rate",
    flag: "printed as + in Table 1; economically a negative indicator — kept as printed",
  },
  { name: "retail_gdp", dimension: "adapt", direction: "+", label: "Retail sales / GDP" },
  { name: "fixinv_pc", dimension: "adapt", direction: "+", label: "Fixed-asset investment per capita" },
  { name: "loan_dep", dimension: "adapt", direction: "+", label: "Loans / deposits" },
  { name: "fiscal_self", dimension: "adapt", direction: "+", label: "Fiscal self-sufficiency (revenue / expenditure)" },
  { name: "patents_pc", dimension: "transform", direction: "+", label: "Patents per capita" },
  { name: "sci_pc", dimension: "transform", direction: "+", label: "S&T spending per capita" },
  { name: "edu_pc", dimension: "transform", direction: "+", label: "Education spending per capita" },
  { name: "tert_sec", dimension: "transform", direction: "+", label: "Tertiary / secondary output" },
  { name: "newfirms_pc", dimension: "transform", direction: "+", label: "New firms per capita" },
];

export const RS_DIMENSION_LABELS: Readonly<Record<string, string>> = {
  resist: "Resistance & recovery",
  adapt: "Adaptation & adjustment",
  transform: "Transformation & development",
};

export const RS_CONTROLS = ["pop", "open", "fre", "road", "wage", "edu"] as const;

export interface ResiliencePanelOptions {
  /** Analysis years (default [2008, 2019]). */
  readonly years?: readonly [number, number];
  /** Multiplier of Σ LQ·a (default `RS_VAGG_SCALE` = 0.9, the synthetic DGP's; set 1 for the raw sum). */
  readonly vaggScale?: number;
  /** Column of digital_shifts.csv with the coefficient (default "virtual_raw"). */
  readonly coefficient?: string;
  /** Tail share to winsorise (default 0.01); false for none. */
  readonly winsorize?: number | false;
  /** Folder of the public lists (default <repo>/data/raw/public/lists). */
  readonly listsDir?: string;
  /** Entropy shift (default 1e-4). */
  readonly shift?: number;
}

export interface ResiliencePanel {
  /** city × year rows of the analysis years, sorted by city then year. */
  readonly panel: Table;
  /** Entropy weights: indicator, label, dimension, direction, e, d, w (+ flag). */
  readonly weights: Table;
  /** Interpolation and winsorisation counts per column. */
  readonly audit: Table;
  /** Counts of the panel: cities, years, rows, complete rows, and so on. */
  readonly info: Readonly<Record<string, number | string>>;
}

const REPO_ROOT = REPO_ROOT_DIR;

/** The folder of the synthetic files of a scale (`data/raw/synthetic/<scale>`). */
export function syntheticDir(scale: string = process.env.VAGG_SCALE ?? "default"): string {
  return path.join(REPO_ROOT, "data", "raw", "synthetic", scale);
}

/** A raw file of the folder, read and validated against its codebook schema, as records. */
async function rawRecords(file: string, schema: Schema): Promise<Record<string, number | string | null>[]> {
  return toRecords(await readTable(file, { schema }));
}

const YEARBOOK_RAW = [
  "pop",
  "area",
  "gdp",
  "gdp_index",
  "cpi",
  "emp",
  "wage",
  "fdi_usd",
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
  "deflator",
];

/**
 * Build the RS analysis panel from a folder of raw files (see the module comment).
 *
 * @example
 *   const rs = await buildResiliencePanel(syntheticDir("small"));
 *   rs.panel;   // city, year, province, resi, resist, adapt, transform, vagg, pop, open, … (one row per city × year 2008–2019)
 *   rs.weights; // Table 1 with the entropy weights
 *   rs.audit;   // interpolated / winsorised counts
 */
export async function buildResiliencePanel(dir: string, opts: ResiliencePanelOptions = {}): Promise<ResiliencePanel> {
  const [y0, y1] = opts.years ?? [2008, 2019];
  const scale = opts.vaggScale ?? RS_VAGG_SCALE;
  const coefCol = opts.coefficient ?? "virtual_raw";
  const wins = opts.winsorize === undefined ? 0.01 : opts.winsorize;
  const lists = opts.listsDir ?? path.join(REPO_ROOT, "data", "raw", "public", "lists");
  const f = (n: string): string => path.join(dir, n);

  // 1. yearbook, sorted by city and year; interpolation of every raw column
  const ybRaw = await readTable(f("city_yearbook.csv"), { intColumns: ["city_code", "year"], schema: CITY_YEARBOOK });
  const cc0 = column(ybRaw, "city_code") as Int32Array,
    yy0 = column(ybRaw, "year") as Int32Array;
  const order = Array.from({ length: ybRaw.nrows }, (_, i) => i).sort(
    (a, b) => (cc0[a] as number) - (cc0[b] as number) || (yy0[a] as number) - (yy0[b] as number),
  );
  const ybCols: Record<string, Float64Array | Int32Array> = {
    city: Int32Array.from(order, (i) => cc0[i] as number),
    year: Int32Array.from(order, (i) => yy0[i] as number),
  };
  for (const n of YEARBOOK_RAW) {
    const x = numeric(ybRaw, n);
    ybCols[n] = Float64Array.from(order, (i) => x[i] as number);
  }
  const yb0 = table(ybCols, f("city_yearbook.csv"));
  const interp = cleanPanel(yb0, YEARBOOK_RAW, { unit: "city", time: "year", interpolate: true, winsorize: false });
  const yb = interp.table;
  const N = yb.nrows;
  const g = (n: string): Float64Array => numeric(yb, n);
  const city = column(yb, "city") as Int32Array,
    year = column(yb, "year") as Int32Array;
  const pop = g("pop"),
    gdp = g("gdp"),
    area = g("area");
  const per = (a: Float64Array, b: Float64Array, k = 1): Float64Array => Float64Array.from(a, (v, i) => (k * v) / (b[i] as number));

  // 2. indicators on the full yearbook (rolling windows need t−2)
  const cpiG = Float64Array.from(g("cpi"), (v) => v - 100),
    gdpG = Float64Array.from(g("gdp_index"), (v) => v - 100);
  const tmp = table({ city, year, cpiG, gdpG });
  const ind: Record<string, Float64Array> = {
    cpi_sd3: rollingSd(tmp, { unit: "city", time: "year", value: "cpiG", window: 3, divisor: "n-1" }),
    gdpg_sd3: rollingSd(tmp, { unit: "city", time: "year", value: "gdpG", window: 3, divisor: "n-1" }),
    gdppc: per(gdp, pop),
    savings_pc: per(g("savings"), pop),
    unemp: g("unemp_rate"),
    retail_gdp: per(g("retail_sales"), gdp),
    fixinv_pc: per(g("fixinv"), pop),
    loan_dep: per(g("loans"), g("deposits")),
    fiscal_self: per(g("fiscal_rev"), g("fiscal_exp")),
    patents_pc: per(g("patents"), pop),
    sci_pc: per(g("sci_exp"), pop),
    edu_pc: per(g("edu_exp"), pop),
    tert_sec: per(g("tertiary_gdp"), g("secondary_gdp")),
    newfirms_pc: per(g("new_firms"), pop),
  };

  // 4. vagg from members (all years of the files), LQ relative to population
  const cityIdx = new Map<number, number>();
  for (const c of city) if (!cityIdx.has(c)) cityIdx.set(c, cityIdx.size);
  const rowOf = new Map<string, number>();
  for (let i = 0; i < N; i++) rowOf.set(`${city[i]}|${year[i]}`, i);
  const shifts = await rawRecords(f("digital_shifts.csv"), DIGITAL_SHIFTS);
  const coefOf = new Map<string, number>();
  for (const r of shifts) {
    const v = Number(r[coefCol]);
    if (r[coefCol] === undefined) throw new DataError(`no column "${coefCol}"`, { file: f("digital_shifts.csv"), column: coefCol });
    coefOf.set(`${r.industry}|${r.year}`, v);
  }
  const mem = await readTable(f("alibaba_members.csv"), { intColumns: ["city_code", "year"], schema: ALIBABA_MEMBERS });
  const mc = column(mem, "city_code") as Int32Array,
    my = column(mem, "year") as Int32Array,
    mi = column(mem, "industry") as readonly (string | null)[],
    mm = numeric(mem, "members");
  const Mst = new Map<string, number>(),
    POP = new Map<number, number>();
  for (let k = 0; k < mem.nrows; k++) {
    if (!cityIdx.has(mc[k] as number)) continue;
    const key = `${mi[k]}|${my[k]}`;
    Mst.set(key, (Mst.get(key) ?? 0) + (mm[k] as number));
  }
  for (let i = 0; i < N; i++) POP.set(year[i] as number, (POP.get(year[i] as number) ?? 0) + (pop[i] as number));
  const vagg = new Float64Array(N),
    mTot = new Float64Array(N),
    m05 = new Map<number, number>();
  const mem08 = new Map<string, number>();
  for (let k = 0; k < mem.nrows; k++) {
    const c = mc[k] as number,
      y = my[k] as number,
      s = mi[k] as string,
      m = mm[k] as number;
    if (y === 2005) m05.set(c, (m05.get(c) ?? 0) + m);
    const i = rowOf.get(`${c}|${y}`);
    if (i === undefined) continue;
    mTot[i] = (mTot[i] as number) + m;
    const M = Mst.get(`${s}|${y}`) ?? 0,
      a = coefOf.get(`${s}|${y}`);
    if (M <= 0 || a === undefined) continue;
    const lq = m / M / ((pop[i] as number) / (POP.get(y) as number));
    vagg[i] = (vagg[i] as number) + scale * lq * a;
  }
  for (const [k, v] of Mst) if (k.endsWith("|2008")) mem08.set(k.slice(0, -5), v);
  // Bartik: 2008 census output shares × national shift (member expansion of the industry since 2008 × its coefficient),
  // by the library's shift-share routine
  const census = await rawRecords(f("census_2008.csv"), CENSUS);
  const out08 = new Map<number, number>();
  for (const r of census) out08.set(Number(r.city_code), (out08.get(Number(r.city_code)) ?? 0) + Number(r.output));
  const inds = [...new Set(census.map((r) => r.industry as string))];
  const panelYears = [...new Set(Array.from(year))].sort((a, b) => a - b);
  const shiftRows = inds.flatMap((s) =>
    panelYears.map((y) => {
      const M = Mst.get(`${s}|${y}`) ?? 0,
        M08 = mem08.get(s) ?? 0,
        a = coefOf.get(`${s}|${y}`) ?? 0;
      return { ind: s, time: y, shift: M08 > 0 ? (M / M08) * a : 0 };
    }),
  );
  const shares = fromRecords(
    census.map((r) => ({
      unit: Number(r.city_code),
      ind: r.industry as string,
      share: Number(r.output) / (out08.get(Number(r.city_code)) as number),
    })),
    f("census_2008.csv"),
  );
  const bt = bartik(shares, fromRecords(shiftRows)).table;
  const bartikOf = new Map<string, number>();
  {
    const u = numeric(bt, "unit"),
      tm = numeric(bt, "time"),
      v = numeric(bt, "vagg");
    for (let k = 0; k < bt.nrows; k++) bartikOf.set(`${u[k]}|${tm[k]}`, v[k] as number);
  }
  const bartikVals = Float64Array.from({ length: N }, (_, i) => scale * (bartikOf.get(`${city[i]}|${year[i]}`) ?? 0));
  // IV: ln(1 + members 2005) × ln(national internet users)
  const nat = await rawRecords(f("national_series.csv"), NATIONAL_SERIES);
  const users = new Map(nat.map((r) => [Number(r.year), Number(r.internet_users)]));
  const iv = Float64Array.from(
    { length: N },
    (_, i) => Math.log(1 + (m05.get(city[i] as number) ?? 0)) * Math.log(users.get(year[i] as number) ?? NaN),
  );

  // 5. controls and other variables
  const ctl = {
    pop: Float64Array.from(pop, (p, i) => Math.log((p * 1e4) / (area[i] as number))),
    open: Float64Array.from(g("fdi_usd"), (v, i) => Math.log(1 + (v * 1e4) / ((pop[i] as number) * 1e4))),
    fre: Float64Array.from(g("road_freight"), Math.log),
    road: Float64Array.from(g("road_area"), (v, i) => Math.log(v / (pop[i] as number))),
    wage: Float64Array.from(g("wage"), Math.log),
    edu: Float64Array.from(g("students"), (v, i) => Math.log(v / (pop[i] as number))),
  };
  const realGdp = Float64Array.from(gdp, (v, i) => v / ((g("deflator")[i] as number) / 100));
  const inetPen = per(g("internet_users"), pop, 100);
  const agg = Float64Array.from(g("industrial_firms"), (v, i) => v / (area[i] as number));

  // cities and public lists
  const cities = await rawRecords(f("cities.csv"), CITIES);
  const cinfo = new Map(cities.map((r) => [Number(r.city_code), r]));
  const listFiles = [
    "capitals_municipalities.csv",
    "old_industrial_base_2013.csv",
    "smart_city_pilots.csv",
    "urban_agglomerations.csv",
    "yangtze_river_economic_belt.csv",
  ];
  const listRecords = new Map<string, Record<string, number | string | null>[]>();
  for (const n of listFiles) listRecords.set(n, fs.existsSync(path.join(lists, n)) ? toRecords(await readTable(path.join(lists, n))) : []);
  const readList = (n: string): Record<string, number | string | null>[] => listRecords.get(n) ?? [];
  const capitals = new Map(readList("capitals_municipalities.csv").map((r) => [Number(r.city_code), r.kind as string]));
  const old = new Set(readList("old_industrial_base_2013.csv").map((r) => Number(r.city_code)));
  const smart = new Map(readList("smart_city_pilots.csv").map((r) => [Number(r.city_code), Number(r.batch_year)]));
  const ua = new Map(readList("urban_agglomerations.csv").map((r) => [Number(r.city_code), r.agglomeration as string]));
  const yrb = new Set(readList("yangtze_river_economic_belt.csv").map((r) => Number(r.province_code)));

  // analysis rows
  const rows: number[] = [];
  for (let i = 0; i < N; i++) if ((year[i] as number) >= y0 && (year[i] as number) <= y1) rows.push(i);
  const pick = (x: Float64Array): Float64Array => Float64Array.from(rows, (i) => x[i] as number);
  const pc = (i: number) => cinfo.get(city[i] as number);

  // 3. entropy index over the analysis rows (pooled)
  const indT = table({
    year: Int32Array.from(rows, (i) => year[i] as number),
    ...Object.fromEntries(RS_RESILIENCE_INDICATORS.map((d) => [d.name, pick(ind[d.name] as Float64Array)])),
  });
  const ei = entropyIndex(indT, RS_RESILIENCE_INDICATORS, { shift: opts.shift ?? 1e-4 });
  // digital infrastructure index (RS §4.3): entropy over internet users per 100, mobile users per 100, telecom revenue per capita
  const infT = table({ inet: pick(inetPen), mob: pick(per(g("mobile_users"), pop, 100)), tel: pick(per(g("telecom_rev"), pop)) });
  const inf = entropyIndex(infT, [
    { name: "inet", direction: "+" },
    { name: "mob", direction: "+" },
    { name: "tel", direction: "+" },
  ]);

  // land area is a city constant in market potential: the mean over the analysis years
  const areaSum = new Map<number, [number, number]>();
  for (const i of rows) {
    const s = areaSum.get(city[i] as number) ?? [0, 0];
    areaSum.set(city[i] as number, [s[0] + (area[i] as number), s[1] + 1]);
  }
  const areaMean = new Map([...areaSum].map(([c, [s, n]]) => [c, s / n]));
  // mechanisms: misallocation (production-function approach) and market potential with an internet factor
  const mechT = table({
    city: Int32Array.from(rows, (i) => city[i] as number),
    year: Int32Array.from(rows, (i) => year[i] as number),
    y: pick(realGdp),
    k: pick(g("capital")),
    l: pick(g("emp")),
    gdp: pick(gdp),
    area: Float64Array.from(rows, (i) => areaMean.get(city[i] as number) as number),
    inet: pick(inetPen),
    lon: Float64Array.from(rows, (i) => Number(pc(i)?.lon ?? NaN)),
    lat: Float64Array.from(rows, (i) => Number(pc(i)?.lat ?? NaN)),
  });
  const mis = misallocation(mechT, { unit: "city", year: "year", y: "y", k: "k", l: "l" });
  const mp = marketPotentialPanel(mechT, {
    unit: "city",
    year: "year",
    lon: "lon",
    lat: "lat",
    area: "area",
    y: "gdp",
    internetColumn: "inet",
  });
  const logp = (x: Float64Array): Float64Array => Float64Array.from(x, (v) => Math.log(v));

  // city-level infra (mean over the analysis years), split at the median of cities
  const infSum = new Map<number, [number, number]>();
  rows.forEach((i, q) => {
    const v = inf.index[q] as number;
    if (Number.isFinite(v)) {
      const s = infSum.get(city[i] as number) ?? [0, 0];
      infSum.set(city[i] as number, [s[0] + v, s[1] + 1]);
    }
  });
  const infMean = new Map([...infSum].map(([c, [s, n]]) => [c, s / n]));
  const sortedInf = [...infMean.values()].sort((a, b) => a - b);
  const infMed =
    sortedInf.length % 2
      ? (sortedInf[(sortedInf.length - 1) / 2] as number)
      : ((sortedInf[sortedInf.length / 2 - 1] as number) + (sortedInf[sortedInf.length / 2] as number)) / 2;

  const cols: Record<string, Float64Array | Int32Array | (string | null)[]> = {
    city: Int32Array.from(rows, (i) => city[i] as number),
    year: Int32Array.from(rows, (i) => year[i] as number),
    province: rows.map((i) => {
      const v = pc(i)?.province;
      return v === null || v === undefined ? null : String(v);
    }),
    province_code: Int32Array.from(rows, (i) => Number(pc(i)?.province_code ?? -1)),
    resi: ei.index,
    resist: ei.dimensions.resist as Float64Array,
    adapt: ei.dimensions.adapt as Float64Array,
    transform: ei.dimensions.transform as Float64Array,
    vagg: pick(vagg),
    vagg_bartik: pick(bartikVals),
    iv: pick(iv),
    members: pick(mTot),
    ...Object.fromEntries(RS_CONTROLS.map((n) => [n, pick(ctl[n])])),
    gdp_real: pick(realGdp),
    dist: mis.dist,
    distK: mis.distK,
    distL: mis.distL,
    mp: logp(mp.mp),
    lmp: logp(mp.lmp),
    hmp: logp(mp.hmp),
    agg: pick(agg),
    infra: inf.index,
    smart_year: Float64Array.from(rows, (i) => smart.get(city[i] as number) ?? NaN),
    smart_city: Float64Array.from(rows, (i) => (smart.has(city[i] as number) ? 1 : 0)),
    municipality: Float64Array.from(rows, (i) => (capitals.get(city[i] as number) === "municipality" ? 1 : 0)),
    capital: Float64Array.from(rows, (i) => (capitals.has(city[i] as number) ? 1 : 0)),
    old_industrial: Float64Array.from(rows, (i) => (old.has(city[i] as number) ? 1 : 0)),
    digital_infra_high: Float64Array.from(rows, (i) => ((infMean.get(city[i] as number) ?? NaN) >= infMed ? 1 : 0)),
    urban_agglomeration: Float64Array.from(rows, (i) => (ua.has(city[i] as number) ? 1 : 0)),
    yangtze_belt: Float64Array.from(rows, (i) => (yrb.has(Number(pc(i)?.province_code)) ? 1 : 0)),
    ...Object.fromEntries(RS_RESILIENCE_INDICATORS.map((d) => [d.name, pick(ind[d.name] as Float64Array)])),
  };
  let panel = table(cols, dir);

  // 6. winsorisation of the continuous regression variables
  const winsCols = [
    "resi",
    "resist",
    "adapt",
    "transform",
    "vagg",
    "vagg_bartik",
    ...RS_CONTROLS,
    "dist",
    "distK",
    "distL",
    "mp",
    "lmp",
    "hmp",
    "agg",
  ];
  let winsAudit: Table | null = null;
  if (wins !== false) {
    const w = cleanPanel(panel, winsCols, { unit: "city", time: "year", interpolate: false, winsorize: wins });
    panel = w.table;
    winsAudit = w.audit;
  }
  const ia = interp.audit;
  const iaCol = numeric(ia, "interpolated"),
    iaNa = numeric(ia, "naBefore"),
    iaNames = column(ia, "column") as readonly (string | null)[];
  const auditRecs: Record<string, string | number>[] = [];
  iaNames.forEach((n, k) => {
    if ((iaNa[k] as number) > 0)
      auditRecs.push({ step: "interpolate", column: n as string, na_before: iaNa[k] as number, changed: iaCol[k] as number });
  });
  if (winsAudit) {
    const wn = column(winsAudit, "column") as readonly (string | null)[],
      wc = numeric(winsAudit, "winsorized");
    wn.forEach((n, k) =>
      auditRecs.push({ step: `winsorize ${(wins as number) * 100}%`, column: n as string, na_before: 0, changed: wc[k] as number }),
    );
  }
  const wt = ei.weights;
  const wInd = column(wt, "indicator") as readonly (string | null)[];
  const weights = fromRecords(
    RS_RESILIENCE_INDICATORS.map((d) => {
      const k = wInd.indexOf(d.name);
      return {
        dimension: RS_DIMENSION_LABELS[d.dimension] ?? d.dimension,
        indicator: d.name,
        label: d.label,
        direction: d.direction,
        e: numeric(wt, "e")[k] as number,
        d: numeric(wt, "d")[k] as number,
        w: numeric(wt, "w")[k] as number,
        flag: d.flag ?? "",
      };
    }),
  );
  const resiF = numeric(panel, "resi");
  const info = {
    cities: cityIdx.size,
    years: `${y0}–${y1}`,
    rows: panel.nrows,
    completeResi: resiF.filter(Number.isFinite).length,
    droppedForNA: ei.dropped,
    vaggScale: scale,
    coefficient: coefCol,
  };
  return { panel, weights, audit: fromRecords(auditRecs), info };
}

/** Dimension totals of the weight table (share of the index carried by each dimension). */
export function dimensionWeights(weights: Table): Table {
  const dim = column(weights, "dimension") as readonly (string | null)[],
    w = numeric(weights, "w");
  const tot = new Map<string, number>();
  dim.forEach((d, k) => tot.set(d as string, (tot.get(d as string) ?? 0) + (w[k] as number)));
  return fromRecords([...tot].map(([dimension, weight]) => ({ dimension, indicators: dim.filter((x) => x === dimension).length, weight })));
}

function moments(x: Float64Array): { n: number; mean: number; sd: number; min: number; max: number } {
  const v = x.filter(Number.isFinite);
  const n = v.length;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd, min: Math.min(...v), max: Math.max(...v) };
}

/** Table 2: published descriptives beside the recomputed ones (N, mean, SD, min, max). */
export function rsDescriptives(panel: Table, title = "Table 2 Descriptive statistics: published (P) vs recomputed (R)"): ReportTable {
  const recs = Object.entries(RS_PUBLISHED.table2).map(([v, p]) => {
    const m = moments(numeric(panel, v));
    return {
      variable: v,
      n_P: p.n,
      n_R: m.n,
      mean_P: p.mean,
      mean_R: m.mean,
      sd_P: p.sd,
      sd_R: m.sd,
      min_P: p.min ?? NaN,
      min_R: m.min,
      max_P: p.max ?? NaN,
      max_R: m.max,
    };
  });
  return dataTable(fromRecords(recs), {
    title,
    digits: 3,
    counts: ["n_P", "n_R"],
    na: "–",
    notes: ["P = published (RS Table 2, real data, 281 cities 2008–2019); R = recomputed on the synthetic panel."],
  });
}

/**
 * Martin et al. (2016) sensitivity sample: one row per city with resistance (2008–2011) and
 * recovery (2012–2019) of real GDP relative to the national (sample) change, and the city's
 * mean vagg and controls over each period.
 */
export function martinSample(panel: Table): Table {
  const sens = martinSensitivity(panel, {
    unit: "city",
    time: "year",
    value: "gdp_real",
    periods: [
      { name: "resistance", start: 2008, end: 2011 },
      { name: "recovery", start: 2012, end: 2019 },
    ],
  });
  const unitCol = sens.names[0] as string;
  const units = column(sens, unitCol);
  const city = column(panel, "city") as Int32Array,
    year = column(panel, "year") as Int32Array;
  const vars = ["vagg", ...RS_CONTROLS];
  const mean = (c: number, a: number, b: number, v: string): number => {
    const x = numeric(panel, v);
    let s = 0,
      n = 0;
    for (let i = 0; i < panel.nrows; i++)
      if (city[i] === c && (year[i] as number) >= a && (year[i] as number) <= b && Number.isFinite(x[i] as number)) {
        s += x[i] as number;
        n++;
      }
    return n ? s / n : NaN;
  };
  const recs = Array.from({ length: sens.nrows }, (_, k) => {
    const c = Number((units as ArrayLike<unknown>)[k]);
    const r: Record<string, number> = {
      city: c,
      resistance: numeric(sens, "resistance")[k] as number,
      recovery: numeric(sens, "recovery")[k] as number,
    };
    for (const v of vars) {
      r[`${v}_pre`] = mean(c, 2008, 2011, v);
      r[`${v}_post`] = mean(c, 2012, 2019, v);
    }
    return r;
  });
  return fromRecords(recs);
}

/** Rows of the panel where `col` equals `value` (e.g. drop municipalities and capitals: `subsetPanel(p, "capital", 0)`). */
export function subsetPanel(panel: Table, col: string, value: number): Table {
  const x = numeric(panel, col);
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] === value) idx.push(i);
  if (idx.length === 0) throw new DataError(`no rows with ${col} = ${value}`, { file: panel.source, column: col });
  return takeRows(panel, Int32Array.from(idx));
}

/** Event-study coefficients as points for `eventStudyPlot` (period from the et_mK / et_pK names, CI from the coefficient table). */
export function eventPoints(es: {
  readonly eventNames: readonly string[];
  readonly table: readonly { readonly name: string; readonly estimate: number; readonly ciLow: number; readonly ciHigh: number }[];
}): { period: number; estimate: number; lo: number; hi: number }[] {
  return es.eventNames.map((n) => {
    const r = es.table.find((x) => x.name === n);
    if (!r) throw new ArgumentError(`event-time coefficient "${n}" not in the model (collinear?)`, { term: n });
    const m = /^et_([mp])(\d+)$/.exec(n);
    const period = m ? (m[1] === "m" ? -1 : 1) * Number(m[2]) : NaN;
    return { period, estimate: r.estimate, lo: r.ciLow, hi: r.ciHigh };
  });
}
