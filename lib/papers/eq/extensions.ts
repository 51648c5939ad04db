/**
 * The city × year panel of the EQ extensions (Zhao, Ban, Li & Liu 2022, §5.2, Table 8), built
 * from the raw files of a folder (schemas in `data/codebook/*.md`) on top of
 * `buildQualityPanel(dir).cityYear` (vagg (22), l_vagg, the nine controls):
 *
 * - market integration (24): `marketSegmentation` on `cpi_categories.csv` (8 CPI categories,
 *   chain index, all city pairs of the file, de-meaned by category × year, sample variance over
 *   categories, mean over partners) → `mseg`, `integ = sqrt(1/mseg)`;
 * - crowding: `lnroad = ln(road_area / pop)` from `city_yearbook.csv` (10k m² per 10k persons
 *   = m² of paved road per person; the paper divides by the resident population, the yearbook
 *   file carries the registered population `pop`);
 * - export structure (25)–(26): `exportStructure` on customs exports aggregated to city × HS4 ×
 *   year (`customs.parquet`, HS4 from `products.csv`, else the first four digits of hs6; rows with
 *   a missing or non-positive value and trading intermediaries dropped and counted; all HS
 *   chapters kept — the structure is of all of a city's exports), national shares = the sum over
 *   all cities of the file: `spe` (25), `div` as printed (26) = 1/Σ_j LQ_cj, `rdi` = Duranton &
 *   Puga (2000) 1/Σ_j |s_cj − s_j|; `lnspe = ln spe`, `lndiv = ln rdi` (the index the notebook
 *   reports; see `eq-08-extensions` for why), `lndiv_printed = ln div`;
 * - co-agglomeration (27): `agg` = location quotient of secondary-industry employment
 *   (sec_emp/emp of the city over the same ratio summed over all cities of the yearbook that
 *   year), `coa = coagglomeration(agg, vagg)`;
 * - co-evolution (28): `d_coa = coEvolutionFromChanges(agg_t − agg_t−1, vagg_t − l_vagg)`.
 *
 * Nothing is dropped silently: a city-year without a measure keeps NaN (the estimators drop and
 * count it) and `counts` lists every dropped input row and every missing value with its reason.
 */
import * as path from "node:path";
import { exec, sql } from "../../data/duckdb";
import { readTable, scanExpression } from "../../data/io";
import { CITY_YEARBOOK, CPI_CATEGORIES } from "../../data/schemas";
import { validateRawFiles } from "../../data/scan-check";
import { type Column, type Table, column, fromRecords, numeric, table, withColumns } from "../../data/table";
import { DataError } from "../../util/errors";
import { coagglomeration, coEvolutionFromChanges } from "../../measures/coagglomeration";
import { exportStructure, locationQuotientFromTotals, type ExportStructureReport } from "../../measures/export-structure";
import { keysOf, numberAt } from "../../data/keys";
import { marketSegmentation, type MarketSegmentationReport } from "../../measures/market-segmentation";
import { buildQualityPanel, type QualityPanel, type QualityPanelOptions } from "./panel";
import { mapF64From, mapI32From } from "../../util/typed-map";

/** The city-level measures `buildExtensionsPanel` adds, in column order. */
export const EXTENSION_MEASURES = [
  "mseg",
  "integ",
  "lnroad",
  "spe",
  "div",
  "rdi",
  "lnspe",
  "lndiv",
  "lndiv_printed",
  "agg",
  "coa",
  "d_coa",
] as const;

export interface ExtensionsPanelOptions {
  /** A panel already built with `buildQualityPanel(dir)` (saves re-estimating quality). */
  readonly base?: QualityPanel;
  /** Passed to `buildQualityPanel` when `base` is not given. */
  readonly quality?: QualityPanelOptions;
}

export interface ExtensionsPanel {
  /** City × year: the `cityYear` columns of the quality panel plus {@link EXTENSION_MEASURES}. */
  readonly cityYear: Table;
  /** City × HS4 × year quality panel (`base.panel`) with the city-level measures attached by (city, year). */
  readonly panel: Table;
  readonly base: QualityPanel;
  readonly segmentation: MarketSegmentationReport;
  readonly structure: ExportStructureReport;
  /** Every dropped input row and every missing measure, with the reason (columns item, rows). */
  readonly counts: Table;
}

let seq = 0;

/**
 * Build the Table 8 panel from the raw files in `dir` (see the module comment for each measure).
 *
 * @example
 *   const ext = await buildExtensionsPanel(notebookEnv().dataDir);
 *   feols(ext.cityYear, "lnroad ~ vagg + fdi + open | city + year", { vcov: { cluster: ["city"] } });
 *   feols(ext.panel, "quality ~ coa + fdi + open | city + year + hs4", { vcov: { cluster: ["city^hs4"] } });
 */
export async function buildExtensionsPanel(dir: string, opts: ExtensionsPanelOptions = {}): Promise<ExtensionsPanel> {
  const base = opts.base ?? (await buildQualityPanel(dir, opts.quality));
  const cy = base.cityYear;
  const [y0, y1] = base.info.years;
  const city = column(cy, "city");
  const year = column(cy, "year");
  const key = (c: string | null, y: number): string => `${c}\u001f${y}`;
  const cyKeys = keysOf(city).map((c, i) => key(c, numberAt(year, i, cy.source, "year")));
  /** Values of `col` of table `t` (keyed by its city/year columns) aligned with the panel's city-years. */
  const align = (t: Table, cityCol: string, yearCol: string, col: string): Float64Array => {
    const tc = keysOf(column(t, cityCol));
    const ty = column(t, yearCol);
    const v = numeric(t, col);
    const m = new Map<string, number>();
    for (let i = 0; i < t.nrows; i++) m.set(key(tc[i] as string, numberAt(ty, i, t.source, yearCol)), v[i] as number);
    return mapF64From(cyKeys, (k) => m.get(k) ?? NaN);
  };
  const counts: { item: string; rows: number }[] = [];
  const missing = (x: Float64Array): number => x.reduce((a, v) => a + (Number.isNaN(v) ? 1 : 0), 0);

  // (24) market integration
  const cpi = await readTable(path.join(dir, "cpi_categories.csv"), { schema: CPI_CATEGORIES });
  const seg = marketSegmentation(cpi, { city: "city_code", time: "year", category: "category", price: "price_index" });
  const mseg = align(seg.cities, "city_code", "year", "mseg");
  const integ = align(seg.cities, "city_code", "year", "integ");
  counts.push({
    item: "cpi_categories.csv: city × year × category cells with no price change (missing or ≤ 0 index)",
    rows: seg.report.naChangeCells,
  });
  counts.push({ item: "panel city-years without integ (no CPI rows, or mseg not positive)", rows: missing(integ) });

  // crowding and agg from the yearbook (all its years, so agg_t−1 exists for the first panel year)
  const yb = await readTable(path.join(dir, "city_yearbook.csv"), {
    columns: ["city_code", "year", "pop", "road_area", "emp", "sec_emp"],
    schema: CITY_YEARBOOK,
  });
  const ybCity = keysOf(column(yb, "city_code"));
  const ybYear = mapF64From({ length: yb.nrows }, (_, i) => numberAt(column(yb, "year"), i, yb.source, "year"));
  const pop = numeric(yb, "pop"),
    road = numeric(yb, "road_area"),
    emp = numeric(yb, "emp"),
    sec = numeric(yb, "sec_emp");
  const lnroadYb = mapF64From(road, (r, i) => (r > 0 && (pop[i] as number) > 0 ? Math.log(r / (pop[i] as number)) : NaN));
  const natSec = new Map<number, number>(),
    natEmp = new Map<number, number>();
  for (let i = 0; i < yb.nrows; i++) {
    if (ybCity[i] === null || Number.isNaN(ybYear[i] as number))
      throw new DataError("NA city_code or year", { file: yb.source, row: i + 1 });
    const s = sec[i] as number,
      e = emp[i] as number,
      y = ybYear[i] as number;
    if (s >= 0 && e > 0) (natSec.set(y, (natSec.get(y) ?? 0) + s), natEmp.set(y, (natEmp.get(y) ?? 0) + e));
  }
  const aggYb = locationQuotientFromTotals(
    sec,
    emp,
    mapF64From(ybYear, (y) => natSec.get(y) ?? NaN),
    mapF64From(ybYear, (y) => natEmp.get(y) ?? NaN),
  );
  const ybT = table({ city: ybCity, year: ybYear, lnroad: lnroadYb, agg: aggYb, year_next: mapF64From(ybYear, (y) => y + 1) });
  const lnroad = align(ybT, "city", "year", "lnroad");
  const agg = align(ybT, "city", "year", "agg");
  const lAgg = align(ybT, "city", "year_next", "agg");
  counts.push({ item: "panel city-years without lnroad (road_area or pop missing or ≤ 0)", rows: missing(lnroad) });
  counts.push({ item: "panel city-years without agg (sec_emp or emp missing, emp ≤ 0)", rows: missing(agg) });

  // (25)–(26) export structure from customs, city × HS4 × year
  const id = `ext${++seq}`;
  const prodFile = path.join(dir, "products.csv");
  await validateRawFiles(dir, ["customs.parquet", "products.csv"], { scan: ["customs.parquet"] });
  await exec(`CREATE OR REPLACE TEMP TABLE ${id}_b AS
    SELECT CAST(s.city_code AS BIGINT) AS city, CAST(s.year AS INTEGER) AS year, CAST(s.hs6 AS VARCHAR) AS hs6,
      CAST(s.value_usd AS DOUBLE) AS v, COALESCE(CAST(s.is_intermediary AS INTEGER), 0) AS im
    FROM ${scanExpression(path.join(dir, "customs.parquet"))} s`);
  const cc = await sql(`SELECT count(*) AS input,
      count(*) FILTER (WHERE v IS NULL OR NOT (v > 0)) AS nonpos,
      count(*) FILTER (WHERE v > 0 AND im = 1) AS interm,
      count(*) FILTER (WHERE v > 0 AND im = 0 AND NOT (year BETWEEN ${y0} AND ${y1})) AS outside
    FROM ${id}_b`);
  const exports = await sql(
    `SELECT b.city, COALESCE(p.hs4, left(b.hs6, 4)) AS hs4, b.year, sum(b.v) AS value
    FROM ${id}_b b LEFT JOIN (SELECT DISTINCT CAST(hs6 AS VARCHAR) AS hs6, CAST(hs4 AS VARCHAR) AS hs4 FROM ${scanExpression(prodFile)}) p ON p.hs6 = b.hs6
    WHERE b.v > 0 AND b.im = 0 AND b.year BETWEEN ${y0} AND ${y1}
    GROUP BY ALL ORDER BY b.city, hs4, b.year`,
    { intColumns: ["city", "year"], source: path.join(dir, "customs.parquet") },
  );
  await exec(`DROP TABLE IF EXISTS ${id}_b`);
  const c0 = (nm: string): number => numeric(cc, nm)[0] as number;
  counts.push({ item: "customs.parquet: input rows", rows: c0("input") });
  counts.push({ item: "customs.parquet: dropped, value missing or ≤ 0", rows: c0("nonpos") });
  counts.push({ item: "customs.parquet: dropped, trading intermediaries (is_intermediary = 1)", rows: c0("interm") });
  counts.push({ item: `customs.parquet: dropped, outside ${y0}–${y1}`, rows: c0("outside") });
  const es = exportStructure(exports, { city: "city", time: "year", product: "hs4", value: "value" });
  const spe = align(es.table, "city", "year", "spe");
  const div = align(es.table, "city", "year", "div");
  const rdi = align(es.table, "city", "year", "rdi");
  counts.push({ item: "panel city-years without export structure (no exports)", rows: missing(spe) });

  // (27)–(28)
  const vagg = numeric(cy, "vagg"),
    lVagg = numeric(cy, "l_vagg");
  const coa = coagglomeration(agg, vagg);
  const dVagg = mapF64From(vagg, (v, i) => v - (lVagg[i] as number));
  const dAgg = mapF64From(agg, (a, i) => a - (lAgg[i] as number));
  const dCoa = coEvolutionFromChanges(dAgg, dVagg);
  counts.push({ item: "panel city-years without coa (agg or vagg missing)", rows: missing(coa) });
  counts.push({ item: "panel city-years without d_coa (agg or vagg of t or t − 1 missing)", rows: missing(dCoa) });

  const ln = (x: Float64Array): Float64Array => x.map((v) => (v > 0 ? Math.log(v) : NaN));
  const measures: Record<string, Float64Array> = {
    mseg,
    integ,
    lnroad,
    spe,
    div,
    rdi,
    lnspe: ln(spe),
    lndiv: ln(rdi),
    lndiv_printed: ln(div),
    agg,
    coa,
    d_coa: dCoa,
  };
  const cityYear = withColumns(cy, measures);
  // attach to the city × HS4 × year panel
  const row = new Map(cyKeys.map((k, i) => [k, i] as const));
  const p = base.panel;
  const pc = keysOf(column(p, "city"));
  const pix = mapI32From(
    { length: p.nrows },
    (_, i) => row.get(key(pc[i] as string, numberAt(column(p, "year"), i, p.source, "year"))) ?? -1,
  );
  const attached: Record<string, Column> = {};
  for (const [nm, x] of Object.entries(measures)) attached[nm] = mapF64From(pix, (r) => (r < 0 ? NaN : (x[r] as number)));
  const panel = withColumns(p, attached);
  return { cityYear, panel, base, segmentation: seg.report, structure: es.report, counts: fromRecords(counts) };
}
