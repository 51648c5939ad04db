import * as fs from "node:fs";
import * as path from "node:path";
import { readTable } from "../../data/io";
import { column, numeric, table, fromRecords, takeRows, toRecords, withColumns, type Table } from "../../data/table";
import { feols } from "../../estimators/feols";
import type { Schema } from "../../data/schema";
import { winsorize as winsorizeValues } from "../../data/panel";
import { ALIBABA_MEMBERS, CENSUS, CITIES, CITY_YEARBOOK, DIGITAL_SHIFTS, NATIONAL_SERIES } from "../../data/schemas";
import { DataError, ArgumentError } from "../../util/errors";
import { entropyIndex, type EntropyIndicator } from "../../measures/entropy";
import { rollingSd } from "../../measures/rolling";
import { cleanPanel } from "../../measures/hygiene";
import { misallocation } from "../../measures/misallocation";
import { marketPotentialPanel } from "../../measures/market-potential";
import { martinSensitivity } from "../../measures/martin";
import { bartik } from "../../measures/bartik";
import { rotembergOls, rotembergByIndustry } from "../../measures/rotemberg-ols";
import { locationQuotient } from "../../measures/location-quotient";
import { dataTable } from "../../report/data-table";
import type { ReportTable } from "../../report/model";
import { RS_PUBLISHED } from "./published";
import { isSynthetic } from "../truth";
import { REPO_ROOT_DIR } from "../../util/paths";
import { mapF64From, mapI32From } from "../../util/typed-map";

/**
 * The RS analysis panel (Yan, Xu & Zhang 2025), built from the raw files in their codebook
 * schemas (`data/codebook/*.md`): `city_yearbook.csv`, `alibaba_members.csv`, `cities.csv`,
 * `digital_shifts.csv`, `national_series.csv`, `census_2008.csv`, plus the public lists in
 * `data/raw/public/lists/` (capitals, old industrial bases, smart-city pilots, urban
 * agglomerations, Yangtze River Economic Belt). The same code reads real files put into a
 * folder with these names.
 *
 * Steps (each documented in the RS notebooks):
 *  1. Linear interpolation within city of every raw yearbook column (paper §三(三) step (1));
 *     leading/trailing gaps cannot be interpolated and stay missing (audit: counts).
 *  2. The 14 Table 1 indicators (`RS_RESILIENCE_INDICATORS`, directions as printed; the
 *     unemployment rate is printed with "+" — kept, and flagged; option `directions`),
 *     household savings and fixed-asset investment in LEVELS as Table 1 lists them, 3-year
 *     rolling SDs over t−2..t with divisor 3 as printed (√(Σ(x − x̄)²/3)).
 *  3. Entropy weights pooled over the analysis years (2008–2019), complete cases; resilience
 *     index `resi` = Σ_j w_j x'_j with the global 14-indicator weights; the sub-indices
 *     `resist`, `adapt`, `transform` are entropy indices with weights computed WITHIN their
 *     dimension, w_j / Σ_{k∈D} w_k = d_j / Σ_{k∈D} d_k (the paper's sub-dimension coefficients
 *     do not add up to the resi coefficient, so its sub-indices are not the global-weight parts).
 *  4. vagg_ct = scale · Σ_s LQ_sct · a_st with the textbook location quotient
 *     LQ_sct = (m_sct / m_ct) / (M_st / M_t) (`locationQuotient`; m members of industry s in
 *     city c, sums over the cities of the yearbook), a_st the industry's digital-service direct
 *     consumption coefficient (`digital_shifts.csv`, column `virtual_raw` by default). A city-year
 *     with no members at all (m_ct = 0) gets vagg = 0 (counted in `info.vaggNoMembers`).
 *     scale = 1 (the paper prints no normalisation), except on the generator's synthetic data
 *     whose truth.json carries `realised.rs_vagg_scale` (then that, said in `info`).
 *  5. Controls pop, open, fre, road, wage, edu (Table 2 units), and the variables of the
 *     robustness, heterogeneity, mechanism and extension sections: IV, Bartik
 *     vagg^B_ct = Σ_s (Y_cs,2008 / Y_c,2008) · a_st (§四(二)2), smart-city year, groups,
 *     misallocation, market potential with origin-side internet weighting, agglomeration.
 *  6. The paper's samples (`RS_SAMPLE_RULE`): baseline = city-years with resi, vagg and all six
 *     controls non-missing; Table 5 = baseline ∩ dist, distK, distL; Table 6 = baseline ∩ mp,
 *     lmp, hmp (columns `in_base`, `in_mis`, `in_mp`; drops counted by reason in `sample`).
 *  7. Winsorisation at 1 %/99 % (pooled) of the continuous regression variables, after the
 *     samples are fixed: quantiles over the sample each variable is used in (audit: counts).
 */

/** One Table 1 indicator as built by the panel. */
export type RsIndicator = EntropyIndicator & { readonly dimension: string; readonly label: string; readonly flag?: string };

/** Table 1 of RS: 14 indicators in three dimensions with the printed directions. */
export const RS_RESILIENCE_INDICATORS: readonly RsIndicator[] = [
  { name: "cpi_sd3", dimension: "resist", direction: "-", label: "3-year rolling SD of CPI growth" },
  { name: "gdpg_sd3", dimension: "resist", direction: "-", label: "3-year rolling SD of the GDP growth index" },
  { name: "gdppc", dimension: "resist", direction: "+", label: "GDP per capita" },
  { name: "savings", dimension: "resist", direction: "+", label: "Household savings balance (level, as Table 1)" },
  {
    name: "unemp",
    dimension: "resist",
    direction: "+",
    label: "Registered urban unemployment rate",
    flag: 'printed as + in Table 1; economically a negative indicator — kept as printed (option directions: { unemp: "-" })',
  },
  { name: "retail_gdp", dimension: "adapt", direction: "+", label: "Retail sales / GDP" },
  { name: "fixinv", dimension: "adapt", direction: "+", label: "Fixed-asset investment (level, as Table 1)" },
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

/**
 * The RS sample rule (paper: 281 cities × 2008–2019 = 3,372 city-years; N = 3,177 in the
 * baseline, 3,166 in Table 5, 3,079 in Table 6), as `buildResiliencePanel` applies it.
 */
export const RS_SAMPLE_RULE: readonly string[] = [
  "1. Interior gaps of every raw yearbook column are linearly interpolated within city (paper step (1)); leading/trailing gaps stay missing.",
  "2. Baseline sample (in_base): city-years 2008–2019 with resi, vagg and all six controls non-missing.",
  "3. Table 5 sample (in_mis): baseline ∩ dist, distK, distL non-missing; Table 6 sample (in_mp): baseline ∩ mp, lmp, hmp non-missing.",
  "4. 1 %/99 % winsorisation (paper step (3)) after the samples are fixed, with quantiles over the sample each variable is used in.",
];

export interface ResiliencePanelOptions {
  /** Analysis years (default [2008, 2019]). */
  readonly years?: readonly [number, number];
  /**
   * Multiplier of Σ LQ·a (default 1, the paper prints none; on the generator's synthetic data
   * `realised.rs_vagg_scale` of truth.json when present).
   */
  readonly vaggScale?: number;
  /** Column of digital_shifts.csv with the coefficient (default "virtual_raw"). */
  readonly coefficient?: string;
  /** Tail share to winsorise (default 0.01); false for none. */
  readonly winsorize?: number | false;
  /** Folder of the public lists (default <repo>/data/raw/public/lists). */
  readonly listsDir?: string;
  /** Entropy shift (default 1e-4). */
  readonly shift?: number;
  /** Directions overriding Table 1's printed ones, e.g. `{ unemp: "-" }` (sensitivity). */
  readonly directions?: Readonly<Record<string, "+" | "-">>;
  /** Sub-index weights: "within" (default, entropy weights within the dimension) or "global" (sensitivity). */
  readonly subIndexWeights?: "within" | "global";
  /** Location quotient: "textbook" (default) or "population" (m_sct/M_st over pop_ct/POP_t; sensitivity). */
  readonly lq?: "textbook" | "population";
  /** Internet weighting of market potential: "i" (default, origin), "j" (destination), "ij". */
  readonly mpInternetWeight?: "i" | "j" | "ij";
  /** Savings and fixed-asset investment: "levels" (default, as Table 1) or "per-capita" (sensitivity). */
  readonly savingsFixinv?: "levels" | "per-capita";
  /** Entropy weighting sample: "pooled" over the analysis years (default) or "year" (sensitivity). */
  readonly entropyBy?: "pooled" | "year";
  /** Divisor of the 3-year rolling SDs: "n" (default, as printed: 1/3) or "n-1". */
  readonly sdDivisor?: "n" | "n-1";
}

export interface ResiliencePanel {
  /** city × year rows of the analysis years, sorted by city then year (with in_base, in_mis, in_mp). */
  readonly panel: Table;
  /** Entropy weights: dimension, indicator, label, direction, e, d, w (global), w_within (within the dimension), flag. */
  readonly weights: Table;
  /** Interpolation and winsorisation counts per column. */
  readonly audit: Table;
  /** The sample rule's counts: sample, step, reason, dropped, remaining. */
  readonly sample: Table;
  /** Counts of the panel: cities, years, rows, samples, vagg scale and its source, and so on. */
  readonly info: Readonly<Record<string, number | string>>;
  /** Inputs of the Bartik measure (2008 output shares: unit, ind, share; coefficients: ind, time, shift). */
  readonly bartik: { readonly shares: Table; readonly shifts: Table };
  /** The indicators as built (names and directions after the options). */
  readonly indicators: readonly RsIndicator[];
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

/** `realised.rs_vagg_scale` of the generator's truth.json when `dir` is synthetic data, else null. */
function syntheticVaggScale(dir: string): number | null {
  if (!isSynthetic(dir)) return null;
  const file = path.join(dir, "truth.json");
  let j: unknown;
  try {
    j = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new DataError(`truth.json is not valid JSON (${(e as Error).message})`, { file });
  }
  const v = (j as { realised?: { rs_vagg_scale?: unknown } })?.realised?.rs_vagg_scale;
  if (v === undefined) return null;
  if (typeof v !== "number" || !(v > 0))
    throw new DataError(`realised.rs_vagg_scale must be a positive number, got ${String(v)}`, { file });
  return v;
}

/** The indicator list after the options (directions, levels or per capita). */
export function rsIndicators(opts: Pick<ResiliencePanelOptions, "directions" | "savingsFixinv"> = {}): RsIndicator[] {
  const pc = (opts.savingsFixinv ?? "levels") === "per-capita";
  if (opts.savingsFixinv !== undefined && opts.savingsFixinv !== "levels" && !pc)
    throw new ArgumentError(`savingsFixinv must be "levels" or "per-capita", got "${String(opts.savingsFixinv)}"`);
  const out = RS_RESILIENCE_INDICATORS.map((d) => {
    let r: RsIndicator = d;
    if (pc && (d.name === "savings" || d.name === "fixinv"))
      r = { ...d, name: `${d.name}_pc`, label: d.label.replace("(level, as Table 1)", "per capita (not as Table 1)") };
    const dir = opts.directions?.[d.name];
    if (dir !== undefined) {
      if (dir !== "+" && dir !== "-") throw new ArgumentError(`direction of "${d.name}" must be "+" or "-", got "${String(dir)}"`);
      if (dir !== d.direction) r = { ...r, direction: dir, flag: `direction changed from the printed ${d.direction} to ${dir}` };
    }
    return r;
  });
  for (const k of Object.keys(opts.directions ?? {}))
    if (!RS_RESILIENCE_INDICATORS.some((d) => d.name === k))
      throw new ArgumentError(`directions: no Table 1 indicator "${k}" (one of ${RS_RESILIENCE_INDICATORS.map((d) => d.name).join(", ")})`);
  return out;
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
 * Build the RS analysis panel from a folder of raw files (see the module comment for every
 * step, formula and the sample rule `RS_SAMPLE_RULE`).
 *
 * Sample rule: baseline `in_base` = city-years 2008–2019 with resi, vagg and the six controls
 * non-missing after within-city interpolation of interior gaps; `in_mis` = baseline ∩ dist,
 * distK, distL; `in_mp` = baseline ∩ mp, lmp, hmp; winsorisation after the samples are fixed.
 * Rows outside a sample stay in `panel` (their regression variables are not winsorised);
 * `sample` counts the drops by reason (first missing variable in the order resi, vagg, controls).
 *
 * @example
 *   const rs = await buildResiliencePanel(syntheticDir("small"));
 *   rs.panel;   // city, year, province, resi, resist, adapt, transform, vagg, pop, open, …, in_base, in_mis, in_mp
 *   rs.weights; // Table 1 with the global and within-dimension entropy weights
 *   rs.sample;  // rows dropped by reason and the three sample sizes
 *   rs.audit;   // interpolated / winsorised counts
 */
export async function buildResiliencePanel(dir: string, opts: ResiliencePanelOptions = {}): Promise<ResiliencePanel> {
  const [y0, y1] = opts.years ?? [2008, 2019];
  const synthScale = opts.vaggScale === undefined ? syntheticVaggScale(dir) : null;
  const scale = opts.vaggScale ?? synthScale ?? 1;
  const scaleSource =
    opts.vaggScale !== undefined
      ? "option vaggScale"
      : synthScale !== null
        ? "synthetic data: truth.json realised.rs_vagg_scale (the generator's normalisation; never applied to real data)"
        : "none (1; the paper prints no normalisation)";
  const coefCol = opts.coefficient ?? "virtual_raw";
  const wins = opts.winsorize === undefined ? 0.01 : opts.winsorize;
  const lists = opts.listsDir ?? path.join(REPO_ROOT, "data", "raw", "public", "lists");
  const lqMode = opts.lq ?? "textbook";
  if (lqMode !== "textbook" && lqMode !== "population")
    throw new ArgumentError(`lq must be "textbook" or "population", got "${String(lqMode)}"`);
  const subW = opts.subIndexWeights ?? "within";
  const sdDiv = opts.sdDivisor ?? "n";
  const indicators = rsIndicators(opts);
  const f = (n: string): string => path.join(dir, n);

  // 1. yearbook, sorted by city and year; interpolation of every raw column
  const ybRaw = await readTable(f("city_yearbook.csv"), { intColumns: ["city_code", "year"], schema: CITY_YEARBOOK });
  const cc0 = column(ybRaw, "city_code") as Int32Array,
    yy0 = column(ybRaw, "year") as Int32Array;
  const order = Array.from({ length: ybRaw.nrows }, (_, i) => i).sort(
    (a, b) => (cc0[a] as number) - (cc0[b] as number) || (yy0[a] as number) - (yy0[b] as number),
  );
  const ybCols: Record<string, Float64Array | Int32Array> = {
    city: mapI32From(order, (i) => cc0[i] as number),
    year: mapI32From(order, (i) => yy0[i] as number),
  };
  for (const n of YEARBOOK_RAW) {
    const x = numeric(ybRaw, n);
    ybCols[n] = mapF64From(order, (i) => x[i] as number);
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
  const per = (a: Float64Array, b: Float64Array, k = 1): Float64Array => mapF64From(a, (v, i) => (k * v) / (b[i] as number));

  // 2. indicators on the full yearbook (rolling windows need t−2)
  const cpiG = mapF64From(g("cpi"), (v) => v - 100),
    gdpG = mapF64From(g("gdp_index"), (v) => v - 100);
  const tmp = table({ city, year, cpiG, gdpG });
  const ind: Record<string, Float64Array> = {
    cpi_sd3: rollingSd(tmp, { unit: "city", time: "year", value: "cpiG", window: 3, divisor: sdDiv }),
    gdpg_sd3: rollingSd(tmp, { unit: "city", time: "year", value: "gdpG", window: 3, divisor: sdDiv }),
    gdppc: per(gdp, pop),
    savings: Float64Array.from(g("savings")),
    savings_pc: per(g("savings"), pop),
    unemp: g("unemp_rate"),
    retail_gdp: per(g("retail_sales"), gdp),
    fixinv: Float64Array.from(g("fixinv")),
    fixinv_pc: per(g("fixinv"), pop),
    loan_dep: per(g("loans"), g("deposits")),
    fiscal_self: per(g("fiscal_rev"), g("fiscal_exp")),
    patents_pc: per(g("patents"), pop),
    sci_pc: per(g("sci_exp"), pop),
    edu_pc: per(g("edu_exp"), pop),
    tert_sec: per(g("tertiary_gdp"), g("secondary_gdp")),
    newfirms_pc: per(g("new_firms"), pop),
  };

  // 4. vagg from members (all years of the yearbook): textbook LQ per year × coefficient
  const cityIdx = new Map<number, number>();
  for (const c of city) if (!cityIdx.has(c)) cityIdx.set(c, cityIdx.size);
  const rowOf = new Map<string, number>();
  for (let i = 0; i < N; i++) rowOf.set(`${city[i]}|${year[i]}`, i);
  const shifts = await rawRecords(f("digital_shifts.csv"), DIGITAL_SHIFTS);
  const coefOf = new Map<string, number>();
  for (const r of shifts) {
    if (r[coefCol] === undefined) throw new DataError(`no column "${coefCol}"`, { file: f("digital_shifts.csv"), column: coefCol });
    coefOf.set(`${r.industry}|${r.year}`, Number(r[coefCol]));
  }
  const mem = await readTable(f("alibaba_members.csv"), { intColumns: ["city_code", "year"], schema: ALIBABA_MEMBERS });
  const mc = column(mem, "city_code") as Int32Array,
    my = column(mem, "year") as Int32Array,
    mi = column(mem, "industry") as readonly (string | null)[],
    mm = numeric(mem, "members");
  const indIdx = new Map<string, number>();
  for (let k = 0; k < mem.nrows; k++) if (!indIdx.has(mi[k] as string)) indIdx.set(mi[k] as string, indIdx.size);
  const indNames = [...indIdx.keys()];
  const nC = cityIdx.size,
    nS = indIdx.size;
  const byYear = new Map<number, Float64Array[]>();
  const mTot = new Float64Array(N),
    m05 = new Map<number, number>();
  let memberRowsOutside = 0;
  for (let k = 0; k < mem.nrows; k++) {
    const c = mc[k] as number,
      y = my[k] as number,
      m = mm[k] as number;
    if (y === 2005) m05.set(c, (m05.get(c) ?? 0) + m);
    const i = rowOf.get(`${c}|${y}`);
    if (i === undefined) {
      memberRowsOutside++;
      continue;
    }
    mTot[i] = (mTot[i] as number) + m;
    let M = byYear.get(y);
    if (!M) byYear.set(y, (M = Array.from({ length: nC }, () => new Float64Array(nS))));
    const row = M[cityIdx.get(c) as number] as Float64Array;
    const s = indIdx.get(mi[k] as string) as number;
    row[s] = (row[s] as number) + m;
  }
  const vagg = new Float64Array(N);
  let vaggNoMembers = 0,
    cellsNoCoefficient = 0;
  const cityList = [...cityIdx.keys()];
  const yearsYb = [...new Set(Array.from(year))].sort((a, b) => a - b);
  for (const y of yearsYb) {
    const M = byYear.get(y) ?? Array.from({ length: nC }, () => new Float64Array(nS));
    const lq = locationQuotient(M);
    let POP = 0;
    for (const c of cityList) {
      const i = rowOf.get(`${c}|${y}`);
      if (i !== undefined) POP += pop[i] as number;
    }
    cityList.forEach((c, ci) => {
      const i = rowOf.get(`${c}|${y}`);
      if (i === undefined) return;
      if (!((lq.unitTotal[ci] as number) > 0)) {
        if (y >= y0 && y <= y1) vaggNoMembers++;
        return;
      }
      let v = 0;
      for (let s = 0; s < nS; s++) {
        const m = (M[ci] as Float64Array)[s] as number;
        if (!(m > 0)) continue;
        const a = coefOf.get(`${indNames[s]}|${y}`);
        if (a === undefined) {
          cellsNoCoefficient++;
          continue;
        }
        const q =
          lqMode === "textbook"
            ? ((lq.lq[ci] as Float64Array)[s] as number)
            : m / (lq.industryTotal[s] as number) / ((pop[i] as number) / POP);
        v += q * a;
      }
      vagg[i] = scale * v;
    });
  }

  // Bartik (§四(二)2): 2008 census output shares × the industry's digital coefficient a_st, by the library's shift-share routine
  const census = await rawRecords(f("census_2008.csv"), CENSUS);
  const out08 = new Map<number, number>();
  for (const r of census) out08.set(Number(r.city_code), (out08.get(Number(r.city_code)) ?? 0) + Number(r.output));
  const inds = [...new Set(census.map((r) => r.industry as string))];
  const shiftRecs = inds.flatMap((s) =>
    yearsYb.filter((y) => coefOf.has(`${s}|${y}`)).map((y) => ({ ind: s, time: y, shift: coefOf.get(`${s}|${y}`) as number })),
  );
  const bartikShifts = fromRecords(shiftRecs);
  const bartikShares = fromRecords(
    census.map((r) => ({
      unit: Number(r.city_code),
      ind: r.industry as string,
      share: Number(r.output) / (out08.get(Number(r.city_code)) as number),
    })),
    f("census_2008.csv"),
  );
  const bt = bartik(bartikShares, bartikShifts).table;
  const bartikOf = new Map<string, number>();
  {
    const u = numeric(bt, "unit"),
      tm = numeric(bt, "time"),
      v = numeric(bt, "vagg");
    for (let k = 0; k < bt.nrows; k++) bartikOf.set(`${u[k]}|${tm[k]}`, v[k] as number);
  }
  const bartikVals = mapF64From({ length: N }, (_, i) => bartikOf.get(`${city[i]}|${year[i]}`) ?? NaN);
  // IV: ln(1 + members 2005) × ln(national internet users)
  const nat = await rawRecords(f("national_series.csv"), NATIONAL_SERIES);
  const users = new Map(nat.map((r) => [Number(r.year), Number(r.internet_users)]));
  const iv = mapF64From(
    { length: N },
    (_, i) => Math.log(1 + (m05.get(city[i] as number) ?? 0)) * Math.log(users.get(year[i] as number) ?? NaN),
  );

  // 5. controls and other variables
  const ctl = {
    pop: mapF64From(pop, (p, i) => Math.log((p * 1e4) / (area[i] as number))),
    open: mapF64From(g("fdi_usd"), (v, i) => Math.log(1 + (v * 1e4) / ((pop[i] as number) * 1e4))),
    fre: mapF64From(g("road_freight"), Math.log),
    road: mapF64From(g("road_area"), (v, i) => Math.log(v / (pop[i] as number))),
    wage: mapF64From(g("wage"), Math.log),
    edu: mapF64From(g("students"), (v, i) => Math.log(v / (pop[i] as number))),
  };
  const realGdp = mapF64From(gdp, (v, i) => v / ((g("deflator")[i] as number) / 100));
  const inetPen = per(g("internet_users"), pop, 100);
  const agg = mapF64From(g("industrial_firms"), (v, i) => v / (area[i] as number));

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
  const pick = (x: Float64Array): Float64Array => mapF64From(rows, (i) => x[i] as number);
  const pc = (i: number) => cinfo.get(city[i] as number);

  // 3. entropy index over the analysis rows (pooled): resi with the global weights, sub-indices within their dimension
  const indT = table({
    year: mapI32From(rows, (i) => year[i] as number),
    ...Object.fromEntries(indicators.map((d) => [d.name, pick(ind[d.name] as Float64Array)])),
  });
  const eOpts = { shift: opts.shift ?? 1e-4, by: opts.entropyBy ?? "pooled", year: "year" } as const;
  const ei = entropyIndex(indT, indicators, eOpts);
  const eiSub = subW === "global" ? ei : entropyIndex(indT, indicators, { ...eOpts, dimensionWeights: subW });
  // digital infrastructure index (RS §4.3): entropy over internet users per 100, mobile users per 100, telecom revenue per capita
  const infT = table({ inet: pick(inetPen), mob: pick(per(g("mobile_users"), pop, 100)), tel: pick(per(g("telecom_rev"), pop)) });
  const inf = entropyIndex(infT, [
    { name: "inet", direction: "+" },
    { name: "mob", direction: "+" },
    { name: "tel", direction: "+" },
  ]);

  // land area is a city constant in market potential: the mean over the analysis years (NA years left out)
  const areaSum = new Map<number, [number, number]>();
  for (const i of rows) {
    if (!Number.isFinite(area[i] as number)) continue;
    const s = areaSum.get(city[i] as number) ?? [0, 0];
    areaSum.set(city[i] as number, [s[0] + (area[i] as number), s[1] + 1]);
  }
  const areaMean = new Map([...areaSum].map(([c, [s, n]]) => [c, s / n]));
  // mechanisms: misallocation (production-function approach) and market potential with an internet factor
  const mechT = table({
    city: mapI32From(rows, (i) => city[i] as number),
    year: mapI32From(rows, (i) => year[i] as number),
    y: pick(realGdp),
    k: pick(g("capital")),
    l: pick(g("emp")),
    // under destination ("j"/"ij") weighting a destination without internet data has no weight, so it leaves every
    // city's sum (its own row is NA); under origin weighting (the default) only its own row is NA
    gdp: mapF64From(rows, (i) => ((opts.mpInternetWeight ?? "i") !== "i" && Number.isNaN(inetPen[i] as number) ? NaN : (gdp[i] as number))),
    area: mapF64From(rows, (i) => areaMean.get(city[i] as number) ?? NaN),
    inet: pick(inetPen),
    lon: mapF64From(rows, (i) => Number(pc(i)?.lon ?? NaN)),
    lat: mapF64From(rows, (i) => Number(pc(i)?.lat ?? NaN)),
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
    internetWeight: opts.mpInternetWeight ?? "i",
  });
  const logp = (x: Float64Array): Float64Array => mapF64From(x, (v) => Math.log(v));

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
    city: mapI32From(rows, (i) => city[i] as number),
    year: mapI32From(rows, (i) => year[i] as number),
    province: rows.map((i) => {
      const v = pc(i)?.province;
      return v === null || v === undefined ? null : String(v);
    }),
    province_code: mapI32From(rows, (i) => Number(pc(i)?.province_code ?? -1)),
    resi: ei.index,
    resist: eiSub.dimensions.resist as Float64Array,
    adapt: eiSub.dimensions.adapt as Float64Array,
    transform: eiSub.dimensions.transform as Float64Array,
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
    smart_year: mapF64From(rows, (i) => smart.get(city[i] as number) ?? NaN),
    smart_city: mapF64From(rows, (i) => (smart.has(city[i] as number) ? 1 : 0)),
    municipality: mapF64From(rows, (i) => (capitals.get(city[i] as number) === "municipality" ? 1 : 0)),
    capital: mapF64From(rows, (i) => (capitals.has(city[i] as number) ? 1 : 0)),
    old_industrial: mapF64From(rows, (i) => (old.has(city[i] as number) ? 1 : 0)),
    digital_infra_high: mapF64From(rows, (i) => ((infMean.get(city[i] as number) ?? NaN) >= infMed ? 1 : 0)),
    urban_agglomeration: mapF64From(rows, (i) => (ua.has(city[i] as number) ? 1 : 0)),
    yangtze_belt: mapF64From(rows, (i) => (yrb.has(Number(pc(i)?.province_code)) ? 1 : 0)),
    ...Object.fromEntries(indicators.map((d) => [d.name, pick(ind[d.name] as Float64Array)])),
  };

  // 6. the samples (before winsorisation, which creates no NA)
  const R = rows.length;
  const fin = (n: string, q: number): boolean => Number.isFinite((cols[n] as Float64Array)[q] as number);
  const baseNeed = ["resi", "vagg", ...RS_CONTROLS];
  const inBase = new Float64Array(R),
    inMis = new Float64Array(R),
    inMp = new Float64Array(R);
  const baseDrop = new Map<string, number>(baseNeed.map((n) => [n, 0]));
  const misDrop = new Map<string, number>(["dist", "distK", "distL"].map((n) => [n, 0]));
  const mpDrop = new Map<string, number>(["mp", "lmp", "hmp"].map((n) => [n, 0]));
  const firstMissing = (need: Iterable<string>, q: number): string | undefined => [...need].find((n) => !fin(n, q));
  for (let q = 0; q < R; q++) {
    const b = firstMissing(baseNeed, q);
    if (b !== undefined) {
      baseDrop.set(b, (baseDrop.get(b) as number) + 1);
      continue;
    }
    inBase[q] = 1;
    const m1 = firstMissing(misDrop.keys(), q);
    if (m1 === undefined) inMis[q] = 1;
    else misDrop.set(m1, (misDrop.get(m1) as number) + 1);
    const m2 = firstMissing(mpDrop.keys(), q);
    if (m2 === undefined) inMp[q] = 1;
    else mpDrop.set(m2, (mpDrop.get(m2) as number) + 1);
  }
  cols.in_base = inBase;
  cols.in_mis = inMis;
  cols.in_mp = inMp;
  const sum = (x: Float64Array): number => x.reduce((a, v) => a + v, 0);
  const nBase = sum(inBase),
    nMis = sum(inMis),
    nMp = sum(inMp);
  const sampleRecs: Record<string, string | number>[] = [
    { sample: "analysis years", step: "city × year", reason: `${y0}–${y1}`, dropped: 0, remaining: R },
  ];
  let left = R;
  for (const [n, k] of baseDrop) {
    left -= k;
    sampleRecs.push({ sample: "baseline (in_base)", step: "drop", reason: `${n} missing`, dropped: k, remaining: left });
  }
  for (const [label, drops, total] of [
    ["Table 5 (in_mis)", misDrop, nMis],
    ["Table 6 (in_mp)", mpDrop, nMp],
  ] as const) {
    let l = nBase;
    for (const [n, k] of drops) {
      l -= k;
      sampleRecs.push({ sample: label, step: "drop from baseline", reason: `${n} missing`, dropped: k, remaining: l });
    }
    if (l !== total) throw new Error(`internal: sample count ${l} ≠ ${total}`);
  }

  // 7. winsorisation of the continuous regression variables, quantiles over the sample each is used in
  const winsCols: [string, Float64Array][] = [
    ...(["resi", "resist", "adapt", "transform", "vagg", "vagg_bartik", ...RS_CONTROLS, "agg"] as const).map(
      (n) => [n, inBase] as [string, Float64Array],
    ),
    ...(["dist", "distK", "distL"] as const).map((n) => [n, inMis] as [string, Float64Array]),
    ...(["mp", "lmp", "hmp"] as const).map((n) => [n, inMp] as [string, Float64Array]),
  ];
  const auditRecs: Record<string, string | number>[] = [];
  const ia = interp.audit;
  const iaCol = numeric(ia, "interpolated"),
    iaNa = numeric(ia, "naBefore"),
    iaNames = column(ia, "column") as readonly (string | null)[];
  iaNames.forEach((n, k) => {
    if ((iaNa[k] as number) > 0)
      auditRecs.push({ step: "interpolate", column: n as string, na_before: iaNa[k] as number, changed: iaCol[k] as number });
  });
  if (wins !== false) {
    if (!(wins >= 0 && wins < 0.5)) throw new ArgumentError(`winsorize must be a tail share in [0, 0.5) or false, got ${wins}`);
    for (const [n, inS] of winsCols) {
      const x = cols[n] as Float64Array;
      const idx: number[] = [];
      for (let q = 0; q < R; q++) if (inS[q] === 1) idx.push(q);
      const sub = mapF64From(idx, (q) => x[q] as number);
      if (!sub.some(Number.isFinite)) continue;
      const w = winsorizeValues(sub, { lower: wins, upper: 1 - wins });
      const y = Float64Array.from(x);
      idx.forEach((q, k) => (y[q] = w.values[k] as number));
      cols[n] = y;
      const where = inS === inBase ? "baseline" : inS === inMis ? "Table 5" : "Table 6";
      auditRecs.push({ step: `winsorize ${wins * 100}% (${where} sample)`, column: n, na_before: 0, changed: w.changed });
    }
  }
  const panel = table(cols, dir);

  // weights: global (resi) and within-dimension (sub-indices); with by = "year" the mean over years
  const wt = ei.weights;
  const wInd = column(wt, "indicator") as readonly (string | null)[];
  const meanOf = (col: string, name: string): number => {
    const v = numeric(wt, col);
    let s = 0,
      k = 0;
    wInd.forEach((n, j) => {
      if (n === name) {
        s += v[j] as number;
        k++;
      }
    });
    return s / k;
  };
  const wGlobal = new Map(indicators.map((d) => [d.name, meanOf("w", d.name)]));
  const dimTot = new Map<string, number>();
  for (const d of indicators) dimTot.set(d.dimension, (dimTot.get(d.dimension) ?? 0) + (wGlobal.get(d.name) as number));
  const weights = fromRecords(
    indicators.map((d) => ({
      dimension: RS_DIMENSION_LABELS[d.dimension] ?? d.dimension,
      indicator: d.name,
      label: d.label,
      direction: d.direction,
      e: meanOf("e", d.name),
      d: meanOf("d", d.name),
      w: wGlobal.get(d.name) as number,
      w_within: (wGlobal.get(d.name) as number) / (dimTot.get(d.dimension) as number),
      flag: d.flag ?? "",
    })),
  );
  const resiF = numeric(panel, "resi");
  const info = {
    cities: cityIdx.size,
    years: `${y0}–${y1}`,
    rows: panel.nrows,
    completeResi: resiF.filter(Number.isFinite).length,
    droppedForNA: ei.dropped,
    nBaseline: nBase,
    nTable5: nMis,
    nTable6: nMp,
    vaggScale: scale,
    vaggScaleSource: scaleSource,
    /** Analysis city-years with no members at all (m_ct = 0): vagg = 0. */
    vaggNoMembers,
    memberCellsWithoutCoefficient: cellsNoCoefficient,
    memberRowsOutsideYearbook: memberRowsOutside,
    locationQuotient: lqMode === "textbook" ? "textbook (m_sct/m_ct)/(M_st/M_t)" : "population-relative (m_sct/M_st)/(pop_ct/POP_t)",
    subIndexWeights: subW,
    marketPotentialInternet: opts.mpInternetWeight ?? "i",
    coefficient: coefCol,
  };
  return {
    panel,
    weights,
    audit: fromRecords(auditRecs),
    sample: fromRecords(sampleRecs),
    info,
    bartik: { shares: bartikShares, shifts: bartikShifts },
    indicators,
  };
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

/**
 * Table 2: published descriptives beside the recomputed ones (N, mean, SD, min, max), on the
 * baseline sample (rows with `in_base` = 1 when the panel has that column, as the paper's N = 3,177).
 */
export function rsDescriptives(panel: Table, title = "Table 2 Descriptive statistics: published (P) vs recomputed (R)"): ReportTable {
  if (panel.names.includes("in_base")) panel = subsetPanel(panel, "in_base", 1);
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
    notes: ["P = published (RS Table 2, real data, 281 cities 2008–2019); R = recomputed on the baseline sample (in_base) of the panel."],
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

const CLUSTER_CITY = { cluster: ["city"] } as const;
const table3Formula = (y: string, x: string): string => `${y} ~ ${x} + ${RS_CONTROLS.join(" + ")} | city + year`;

/** Table 3 col 4 (resi ~ vagg + controls | city + year, city clusters) on the baseline sample of `rs`. */
function table3col4(rs: ResiliencePanel, y = "resi", x = "vagg"): { coef: number; se: number; n: number } {
  const base = subsetPanel(rs.panel, "in_base", 1);
  const m = feols(base, table3Formula(y, x), { vcov: CLUSTER_CITY });
  return { coef: m.coef[x] ?? NaN, se: m.se[x] ?? NaN, n: m.nobs };
}

/**
 * Sensitivity of Table 3 col 4 to the direction of the registered urban unemployment rate:
 * Table 1 prints it as "+" (kept by default, flagged); economically it is a negative indicator.
 * Builds the panel with the printed direction and with `directions: { unemp: "-" }` and estimates
 * resi_ct = β vagg_ct + γ'controls_ct + u_c + u_t + ε_ct (feols, city-clustered SE) on each
 * baseline sample. Columns: direction, coef, se, N, the unemployment weight w and the mean resi.
 *
 * @example
 *   showTable(await rsUnempDirection(env.dataDir));
 */
export async function rsUnempDirection(dir: string, opts: ResiliencePanelOptions = {}): Promise<ReportTable> {
  const recs = [];
  for (const [label, d] of [
    ["+ (as printed in Table 1)", "+"],
    ["− (economic direction)", "-"],
  ] as const) {
    const rs = await buildResiliencePanel(dir, { ...opts, directions: { ...opts.directions, unemp: d } });
    const t = table3col4(rs);
    const w = toRecords(rs.weights).find((r) => r.indicator === "unemp");
    const resi = numeric(subsetPanel(rs.panel, "in_base", 1), "resi");
    recs.push({
      unemp_direction: label,
      coef: t.coef,
      se: t.se,
      N: t.n,
      w_unemp: Number(w?.w),
      mean_resi: resi.reduce((a, v) => a + v, 0) / resi.length,
    });
  }
  return dataTable(fromRecords(recs), {
    title: "Table 3 col (4) under both directions of the unemployment rate",
    digits: { coef: 4, se: 4, w_unemp: 4, mean_resi: 4 },
    headers: { unemp_direction: "unemployment rate", coef: "β (vagg)", se: "SE (city)", w_unemp: "entropy weight", mean_resi: "mean resi" },
    notes: ["resi ~ vagg + pop + open + fre + road + wage + edu | city + year, SE clustered by city, baseline sample."],
  });
}

/** One measurement choice of `rsMeasurementDeviations`: the options of the alternative and the statistics to compare. */
interface DeviationSpec {
  readonly choice: string;
  readonly ours: string;
  readonly alternative: string;
  readonly options: ResiliencePanelOptions;
  readonly stats: readonly (readonly [string, string, string])[];
}

/**
 * The effect of each measurement choice where it bites: the panel as built (paper's measures)
 * against one alternative at a time, each statistic a feols coefficient (controls, city and year
 * effects, city clusters, on the relevant sample) or a mean. Choices: sub-index weights (within
 * vs global), market-potential internet weighting (origin vs destination), location quotient
 * (textbook vs population-relative), savings and fixed-asset investment (levels vs per capita),
 * entropy weighting sample (pooled vs by year; the paper does not say), rolling-SD divisor
 * (n as printed vs n − 1; the index is invariant because min–max normalisation removes the
 * constant factor √(2/3)), unemployment direction (+ as printed vs −).
 * Columns: choice, ours, alternative, statistic, value_ours, value_alt, difference.
 *
 * @example
 *   showTable(await rsMeasurementDeviations(env.dataDir));
 */
export async function rsMeasurementDeviations(dir: string, opts: ResiliencePanelOptions = {}): Promise<ReportTable> {
  const t3: readonly [string, string, string] = ["Table 3 col 4: resi on vagg", "resi", "vagg"];
  const specs: DeviationSpec[] = [
    {
      choice: "sub-index weights",
      ours: "entropy weights within the dimension",
      alternative: "global 14-indicator weights",
      options: { subIndexWeights: "global" },
      stats: RS_DIMS.map((d) => [`${d} on vagg`, d, "vagg"] as const),
    },
    {
      choice: "market potential internet factor",
      ours: "origin: net_i × Σ_j Y_j/d_ij",
      alternative: "destination: Σ_j net_j Y_j/d_ij",
      options: { mpInternetWeight: "j" },
      stats: (["mp", "lmp", "hmp"] as const).map((m) => [`${m} on vagg (Table 6 sample)`, m, "vagg"] as const),
    },
    {
      choice: "location quotient",
      ours: "textbook (m_sct/m_ct)/(M_st/M_t)",
      alternative: "population-relative (m_sct/M_st)/(pop_ct/POP_t)",
      options: { lq: "population" },
      stats: [t3, ["mean of vagg", "mean", "vagg"]],
    },
    {
      choice: "savings, fixed-asset investment",
      ours: "levels (Table 1)",
      alternative: "per capita",
      options: { savingsFixinv: "per-capita" },
      stats: [t3],
    },
    { choice: "entropy weighting sample", ours: "pooled 2008–2019", alternative: "by year", options: { entropyBy: "year" }, stats: [t3] },
    { choice: "rolling SD divisor", ours: "n = 3 (as printed)", alternative: "n − 1", options: { sdDivisor: "n-1" }, stats: [t3] },
    { choice: "unemployment direction", ours: "+ (as printed)", alternative: "−", options: { directions: { unemp: "-" } }, stats: [t3] },
  ];
  const value = (rs: ResiliencePanel, y: string, x: string): number => {
    if (y === "mean") {
      const v = numeric(subsetPanel(rs.panel, "in_base", 1), x);
      return v.reduce((a, b) => a + b, 0) / v.length;
    }
    const sampleCol = ["mp", "lmp", "hmp"].includes(y) ? "in_mp" : ["dist", "distK", "distL"].includes(y) ? "in_mis" : "in_base";
    const m = feols(subsetPanel(rs.panel, sampleCol, 1), table3Formula(y, x), { vcov: CLUSTER_CITY });
    return m.coef[x] ?? NaN;
  };
  const ours = await buildResiliencePanel(dir, opts);
  const recs: Record<string, string | number>[] = [];
  for (const s of specs) {
    const alt = await buildResiliencePanel(dir, { ...opts, ...s.options });
    for (const [label, y, x] of s.stats) {
      const a = value(ours, y, x),
        b = value(alt, y, x);
      recs.push({
        choice: s.choice,
        ours: s.ours,
        alternative: s.alternative,
        statistic: label,
        value_ours: a,
        value_alt: b,
        difference: b - a,
      });
    }
  }
  return dataTable(fromRecords(recs), {
    title: "RS measurement choices: the panel's (paper's) measure against one alternative at a time",
    digits: { value_ours: 4, value_alt: 4, difference: 4 },
    notes: [
      "Coefficients: y ~ vagg + controls | city + year, SE clustered by city, on the baseline sample (Table 6 sample for mp, lmp, hmp).",
      "difference = alternative − ours.",
    ],
  });
}

const RS_DIMS = ["resist", "adapt", "transform"] as const;

/**
 * Rotemberg-weight diagnostics of the RS Bartik measure vagg^B_ct = Σ_s share_cs,2008 · a_st
 * (GPSS 2020; the RS robustness regression resi ~ vagg^B + controls | city + year): the OLS
 * coefficient on the Bartik sum decomposes as β̂ = Σ_k α_k β̂_k over industry × year k
 * (`rotembergOls`, Proposition 1 of Goldsmith-Pinkham, Sorkin & Swift 2020 with x = B), then
 * aggregated per industry (`rotembergByIndustry`). Rows: the `top` industries by α_s with their
 * share of Σ|α_s|, β̂_s and mean shift a_s; then the estimate with all industries and the
 * estimate when the top industry's shares are set to 0 (vagg^B rebuilt without it). The
 * decomposition needs x to be the exact Bartik sum, so the unwinsorised sum is used on the
 * baseline sample (resi and controls as in the panel); the panel's `vagg_bartik` is winsorised.
 *
 * @example
 *   showTable(rsBartikDiagnostics(rs));
 */
export function rsBartikDiagnostics(rs: ResiliencePanel, top = 5): ReportTable {
  const base = subsetPanel(rs.panel, "in_base", 1);
  const { shares, shifts } = rs.bartik;
  const sumFor = (sh: Table): Float64Array => {
    const bt = bartik(sh, shifts).table;
    const u = numeric(bt, "unit"),
      tm = numeric(bt, "time"),
      v = numeric(bt, "vagg");
    const of = new Map<string, number>();
    for (let k = 0; k < bt.nrows; k++) of.set(`${u[k]}|${tm[k]}`, v[k] as number);
    const c = column(base, "city") as Int32Array,
      y = column(base, "year") as Int32Array;
    return mapF64From({ length: base.nrows }, (_, i) => of.get(`${c[i]}|${y[i]}`) ?? NaN);
  };
  const data = withColumns(base, { vagg_bartik_sum: sumFor(shares) });
  const r = rotembergOls({
    data,
    y: "resi",
    x: "vagg_bartik_sum",
    controls: [...RS_CONTROLS],
    fe: ["city", "year"],
    unit: "city",
    time: "year",
    shares,
    shifts,
    shareColumns: { unit: "unit", industry: "ind", share: "share" },
    shiftColumns: { industry: "ind", time: "time", shift: "shift" },
    vcov: "cluster:city",
  });
  const byInd = toRecords(rotembergByIndustry(r.rows));
  const absTot = byInd.reduce((a, x) => a + Math.abs(x.alpha as number), 0);
  const topInd = String(byInd[0]?.ind);
  const indCol = column(shares, "ind") as readonly (string | null)[];
  const dropped = withColumns(shares, { share: mapF64From(numeric(shares, "share"), (v, k) => (indCol[k] === topInd ? 0 : v)) });
  const m0 = feols(withColumns(base, { vagg_bartik_drop: sumFor(dropped) }), table3Formula("resi", "vagg_bartik_drop"), {
    vcov: CLUSTER_CITY,
  });
  const recs: Record<string, string | number>[] = byInd.slice(0, top).map((x, k) => ({
    row: `#${k + 1} by weight`,
    industry: String(x.ind),
    alpha: x.alpha as number,
    share_abs_alpha: Math.abs(x.alpha as number) / absTot,
    beta: x.beta as number,
    shift_mean: x.g_mean as number,
    estimate: NaN,
  }));
  recs.push({
    row: "β̂ all industries (Σ α β̂)",
    industry: "all",
    alpha: r.sumAlpha,
    share_abs_alpha: NaN,
    beta: NaN,
    shift_mean: NaN,
    estimate: r.betaOls,
  });
  recs.push({
    row: "β̂ without the top industry",
    industry: `all but ${topInd}`,
    alpha: NaN,
    share_abs_alpha: NaN,
    beta: NaN,
    shift_mean: NaN,
    estimate: m0.coef.vagg_bartik_drop ?? NaN,
  });
  return dataTable(fromRecords(recs), {
    title: "RS Bartik measure: Rotemberg weights of the industries (GPSS 2020)",
    digits: { alpha: 4, share_abs_alpha: 3, beta: 4, shift_mean: 4, estimate: 4 },
    na: "–",
    headers: { alpha: "α_s (Σ over years)", share_abs_alpha: "share of Σ|α|", beta: "β̂_s", shift_mean: "mean a_st", estimate: "β̂" },
    notes: [
      "vagg^B_ct = Σ_s (Y_cs,2008/Y_c,2008)·a_st (unwinsorised), resi ~ vagg^B + controls | city + year on the baseline sample; β̂ = Σ_k α_k β̂_k over industry × year k.",
      `Decomposition check: |Σ α β̂ − β̂_OLS| = ${Math.abs(r.betaDecomposed - r.betaOls).toExponential(1)}; max |x − Σ share·shift| = ${r.maxAbsBartikGap.toExponential(1)}.`,
    ],
  });
}

/**
 * Moments of the constructed measures on the sample each is used in: resi and its sub-indices,
 * vagg and vagg_bartik on the baseline sample (`in_base`), dist/distK/distL on the Table 5 sample
 * (`in_mis`), mp/lmp/hmp on the Table 6 sample (`in_mp`). Columns: variable, sample, N, mean,
 * sd (divisor N − 1), min, max.
 *
 * @example showTable(rsMeasureSummary(rs));
 */
export function rsMeasureSummary(rs: ResiliencePanel): ReportTable {
  const groups: [string, string, readonly string[]][] = [
    ["baseline", "in_base", ["resi", "resist", "adapt", "transform", "vagg", "vagg_bartik"]],
    ["Table 5", "in_mis", ["dist", "distK", "distL"]],
    ["Table 6", "in_mp", ["mp", "lmp", "hmp"]],
  ];
  const recs = groups.flatMap(([label, col, vars]) => {
    const p = subsetPanel(rs.panel, col, 1);
    return vars.map((v) => ({ variable: v, sample: label, ...moments(numeric(p, v)) }));
  });
  return dataTable(fromRecords(recs), {
    title: "RS measures on their samples",
    digits: 4,
    counts: ["n"],
    headers: { n: "N" },
  });
}
