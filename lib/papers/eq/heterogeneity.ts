/**
 * EQ §4.4 heterogeneity (Zhao, Ban, Li & Liu 2022, Tables 5–6): the split-sample panels by
 * trade mode (processing vs ordinary trade) and by BEC end use (intermediate vs final goods),
 * the location classes of Table 6 (centre/periphery, east/middle/west), and the true split
 * slopes of the synthetic DGP.
 *
 * Quality is estimated **once**, on the pooled customs sample (KSW / Shi & Shao (18)–(20) by
 * `productQuality` through `buildQualityPanel`), and the split panels re-aggregate the same
 * normalised quality rqua with the export-value weights of (21) over the rows of one trade mode
 * or one BEC class:
 *
 *   Quality_cjt^m = Σ_{g h ∈ c j t, mode m} v_ght rqua_ght / Σ v_ght,        m ∈ {processing, ordinary}
 *   Quality_cjt^b = Σ_{h ∈ c j t, BEC b}     v_cht Quality_cht / Σ v_cht,      b ∈ {intermediate, final}
 *
 * so a split changes the sample of the second-stage regression, not the quality scale (a
 * separate KSW estimation per subsample would re-normalise (20) within the subsample and
 * stretch the processing quality range). To carry the trade mode through `productQuality`
 * unchanged, the customs relation is passed with a firm × trade-mode identifier in `firm_id`
 * (dense rank of the firm × 4 + mode code): the firm × HS6 × year table then splits by mode.
 * The leave-one-out price instrument of (18) and the firm clusters become firm × mode; where a
 * firm has one trade mode (the synthetic data: modes are a firm attribute) this is exactly the
 * pooled baseline. BEC classes come from `products.csv` (hs6 → bec): intermediate goods =
 * `intermediate`, final goods = `consumption` + `capital` (the UN BEC → SNA end-use mapping:
 * capital goods and consumption goods are final uses).
 *
 * Every firm-product row with a trade mode other than processing/ordinary and every HS6 row
 * without a BEC class is counted (`info`) and left out of the split it cannot be assigned to.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { exec, registerTable, sql } from "../../data/duckdb";
import { scanExpression } from "../../data/io";
import { validateRawFiles } from "../../data/scan-check";
import { column, numeric, select, table, takeRows, withColumns, maskToIndex, fromRecords, type Column, type Table } from "../../data/table";
import { ArgumentError, DataError } from "../../util/errors";
import { feols, type FeolsResult } from "../../estimators/feols";
import { COEF_DIFF_DEFAULT_REPS, type CoefDiffResult } from "../../estimators/resampling/coef-diff";
import type { InteractionTestResult } from "../../estimators/resampling/interaction-test";
import { dataTable } from "../../report/data-table";
import type { ReportTable } from "../../report/model";
import { distributionPlot } from "../../report/charts/distribution-plot";
import { formatMarked, type VegaLiteSpec } from "../../report/charts/spec";
import { pT2, qT, qNormal } from "../../util/distributions";
import { buildQualityPanel, EQ_CONTROLS, type QualityPanel, type QualityPanelOptions } from "./panel";
import { publicDataPath } from "../../data/public";
import { isSynthetic } from "../truth";
import { mapF64From, mapI32From } from "../../util/typed-map";
import {
  unitInteractionPermutation,
  type UnitPermutationOptions,
  type UnitPermutationResult,
} from "../../estimators/resampling/unit-permutation";

/** Mode codes of the firm × mode identifier (firm_id = rank × 4 + code). */
const MODE_CODE = { ordinary: 0, processing: 1, other: 2 } as const;

/** BEC classes counted as final goods (Table 5 cols. 3–4: intermediate vs final). */
export const BEC_FINAL: readonly string[] = ["consumption", "capital"];
/** BEC classes counted as intermediate goods. */
export const BEC_INTERMEDIATE: readonly string[] = ["intermediate"];

export interface SplitPanelsOptions extends QualityPanelOptions {
  /** BEC classes of final goods (default `BEC_FINAL`). */
  readonly becFinal?: readonly string[];
  /** BEC classes of intermediate goods (default `BEC_INTERMEDIATE`). */
  readonly becIntermediate?: readonly string[];
}

export interface SplitPanelsInfo {
  /** Firm × HS6 × year quality rows by trade mode (`other` = neither processing nor ordinary, left out). */
  readonly firmRows: { readonly ordinary: number; readonly processing: number; readonly other: number };
  /** City × HS6 × year quality rows by BEC class (`unclassified` = no or another class, left out). */
  readonly hs6Rows: { readonly intermediate: number; readonly final: number; readonly unclassified: number };
  /** City × HS4 × year cells of each split panel. */
  readonly cells: {
    readonly processing: number;
    readonly ordinary: number;
    readonly intermediate: number;
    readonly final: number;
    readonly pooled: number;
  };
  readonly becFinal: readonly string[];
  readonly becIntermediate: readonly string[];
}

export interface SplitPanels {
  /** The pooled EQ panels from the one quality estimation (the `firm` table's `firm` is the firm × mode id, `firm_id` the customs firm). */
  readonly base: QualityPanel;
  /** Processing and ordinary cells stacked; `ordinary` = 1 for ordinary trade, 0 for processing; `mode` the label. */
  readonly tradeMode: Table;
  readonly processing: Table;
  readonly ordinary: Table;
  /** Intermediate and final-goods cells stacked; `final` = 1 for final goods, 0 for intermediate; `bec` the label. */
  readonly bec: Table;
  readonly intermediate: Table;
  readonly final: Table;
  readonly info: SplitPanelsInfo;
}

let seq = 0;

/** The covariate columns of the pooled panel, in its order (after the keys and quality, value, n). */
const COVS = ["province", "vagg", "l_vagg", ...EQ_CONTROLS, "tel_iv", "post_iv"] as const;

function rowsWhere(t: Table, col: string, value: number): Table {
  const x = numeric(t, col);
  return takeRows(t, maskToIndex(Array.from(x, (v) => v === value)));
}

/**
 * Table 5 panels: the pooled EQ panels plus city × HS4 × year quality by trade mode and by BEC
 * end use, all from one KSW estimation on the pooled customs file (see the module comment).
 *
 * @example
 *   const s = await buildSplitPanels(notebookEnv().dataDir);
 *   feols(s.processing, "quality ~ vagg + fdi + open | city + year + hs4", { vcov: "cluster:city^hs4" });
 *   // Table 5 difference, the paper-scale default (wild cluster bootstrap, 1,000 draws, city × HS4 clusters; seconds at 0.5 M rows):
 *   await coefDiffTest(s.tradeMode, EQ_BASELINE, { group: "ordinary", coef: "vagg", cluster: "city^hs4" });
 *   // bdiff-style permutation test (refits both subsamples in every draw; minutes at paper scale):
 *   await coefDiffTest(s.tradeMode, EQ_BASELINE, { group: "ordinary", coef: "vagg", reps: 499, method: "permutation" });
 */
export async function buildSplitPanels(dir: string, opts: SplitPanelsOptions = {}): Promise<SplitPanels> {
  const customs = opts.quality?.customs ?? path.join(dir, "customs.parquet");
  if (typeof customs !== "string")
    throw new ArgumentError(`buildSplitPanels needs the customs data as a file path (CSV/Parquet), got a table or SQL relation`);
  const products = opts.quality?.products ?? path.join(dir, "products.csv");
  if (typeof products !== "string") throw new ArgumentError(`buildSplitPanels needs products (hs6 → bec) as a file path`);
  // the folder's raw files are validated against their schemas (files passed in by option are the caller's)
  await validateRawFiles(
    dir,
    [...(opts.quality?.customs ? [] : ["customs.parquet"]), ...(opts.quality?.products ? [] : ["products.csv"])],
    { scan: ["customs.parquet"] },
  );
  const becFinal = opts.becFinal ?? BEC_FINAL,
    becInter = opts.becIntermediate ?? BEC_INTERMEDIATE;
  const overlap = becFinal.filter((b) => becInter.includes(b));
  if (overlap.length) throw new ArgumentError(`BEC class "${overlap[0]}" is both final and intermediate`);
  const src = scanExpression(customs);
  const head = await sql(`SELECT * FROM ${src} LIMIT 0`);
  for (const c of ["firm_id", "trade_mode"])
    if (!head.names.includes(c)) throw new DataError(`column "${c}" not found`, { file: customs, column: c });
  const modeSql = `CASE lower(trim(CAST(trade_mode AS VARCHAR))) WHEN 'ordinary' THEN ${MODE_CODE.ordinary} WHEN 'processing' THEN ${MODE_CODE.processing} ELSE ${MODE_CODE.other} END`;
  const rel = `SELECT * REPLACE (CAST(dense_rank() OVER (ORDER BY CAST(firm_id AS BIGINT)) AS BIGINT) * 4 + ${modeSql} AS firm_id) FROM ${src}`;
  const base = await buildQualityPanel(dir, { ...opts, quality: { ...opts.quality, customs: { sql: rel }, products } });

  const id = `eqsplit${++seq}`;
  const firm = base.firm;
  const firmCode = column(firm, "firm");
  // the customs firm_id of every firm × mode code (rank of firm_id × 4 + mode), as column `firm_id` of the firm table
  const ids = numeric(await sql(`SELECT DISTINCT CAST(firm_id AS DOUBLE) AS id FROM ${src} ORDER BY 1`), "id");
  const firmId = mapF64From({ length: firm.nrows }, (_, i) => ids[Math.floor(Number(firmCode[i]) / 4) - 1] ?? NaN);
  const baseOut: QualityPanel = { ...base, firm: withColumns(firm, { firm_id: firmId }) };
  const mode = new Int32Array(firm.nrows);
  for (let i = 0; i < firm.nrows; i++) mode[i] = Number(firmCode[i]) % 4;
  await registerTable(`${id}_f`, withColumns(select(firm, ["city", "hs4", "year", "quality", "value", "n"]), { mode }));
  await registerTable(`${id}_h`, select(base.hs6, ["city", "hs6", "hs4", "year", "quality", "value", "n"]));
  await registerTable(`${id}_cy`, select(base.cityYear, ["city", "year", ...COVS]));
  const list = (xs: readonly string[]) => (xs.length ? xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(", ") : "NULL");
  await exec(`CREATE OR REPLACE TEMP TABLE ${id}_b AS
    SELECT h.*, CASE WHEN lower(trim(CAST(p.bec AS VARCHAR))) IN (${list(becFinal)}) THEN 1
                     WHEN lower(trim(CAST(p.bec AS VARCHAR))) IN (${list(becInter)}) THEN 0 END AS final
    FROM ${id}_h h LEFT JOIN (SELECT DISTINCT CAST(hs6 AS VARCHAR) AS hs6, bec FROM ${scanExpression(products)}) p ON p.hs6 = h.hs6`);
  const covSel = COVS.filter((c) => c !== "province")
    .map((c) => `cy."${c}"`)
    .join(", ");
  const agg = (from: string, grp: string, where: string) =>
    sql(
      `
    WITH a AS (SELECT city, hs4, year, ${grp} AS g, sum(value * quality) / sum(value) AS quality, sum(value) AS value, sum(n) AS n
               FROM ${from} WHERE ${where} GROUP BY ALL)
    SELECT a.city, cy.province, a.hs4, a.year, a.quality, a.value, a.n, ${covSel}, a.g
    FROM a LEFT JOIN ${id}_cy cy ON cy.city = a.city AND cy.year = a.year
    ORDER BY a.g, a.city, a.hs4, a.year`,
      { intColumns: ["city", "year", "province", "g"] },
    );
  const tm = await agg(
    `${id}_f`,
    `CASE mode WHEN ${MODE_CODE.ordinary} THEN 1 ELSE 0 END`,
    `mode IN (${MODE_CODE.ordinary}, ${MODE_CODE.processing})`,
  );
  const bc = await agg(`${id}_b`, "final", "final IS NOT NULL");
  const cnt = await sql(`SELECT
      (SELECT count(*) FROM ${id}_f WHERE mode = ${MODE_CODE.ordinary}) AS f_ord,
      (SELECT count(*) FROM ${id}_f WHERE mode = ${MODE_CODE.processing}) AS f_proc,
      (SELECT count(*) FROM ${id}_f WHERE mode NOT IN (${MODE_CODE.ordinary}, ${MODE_CODE.processing})) AS f_other,
      (SELECT count(*) FROM ${id}_b WHERE final = 0) AS h_int,
      (SELECT count(*) FROM ${id}_b WHERE final = 1) AS h_fin,
      (SELECT count(*) FROM ${id}_b WHERE final IS NULL) AS h_none`);
  for (const t of ["f", "h", "cy"]) await exec(`DROP TABLE IF EXISTS ${id}_${t}`);
  await exec(`DROP TABLE IF EXISTS ${id}_b`);
  const c0 = (n: string) => numeric(cnt, n)[0] as number;

  const relabel = (t: Table, name: string, labels: readonly [string, string]): Table => {
    const g = column(t, "g") as Int32Array;
    const cols: Record<string, Column> = {};
    for (const n of t.names) if (n !== "g") cols[n] = t.columns[n] as Column;
    cols[name] = g;
    cols[name === "ordinary" ? "mode" : "bec"] = Array.from(g, (v) => (v === 1 ? labels[1] : labels[0]));
    return table(cols, t.source ?? customs);
  };
  const tradeMode = relabel(tm, "ordinary", ["processing", "ordinary"]);
  const bec = relabel(bc, "final", ["intermediate", "final"]);
  const processing = rowsWhere(tradeMode, "ordinary", 0),
    ordinary = rowsWhere(tradeMode, "ordinary", 1);
  const intermediate = rowsWhere(bec, "final", 0),
    final = rowsWhere(bec, "final", 1);
  for (const [name, t] of [
    ["processing trade", processing],
    ["ordinary trade", ordinary],
    ["intermediate goods", intermediate],
    ["final goods", final],
  ] as const)
    if (t.nrows === 0)
      throw new DataError(`no city × HS4 × year cells of ${name} (check trade_mode in customs and bec in products)`, {
        file: name.includes("trade") ? customs : products,
      });
  return {
    base: baseOut,
    tradeMode,
    processing,
    ordinary,
    bec,
    intermediate,
    final,
    info: {
      firmRows: { ordinary: c0("f_ord"), processing: c0("f_proc"), other: c0("f_other") },
      hs6Rows: { intermediate: c0("h_int"), final: c0("h_fin"), unclassified: c0("h_none") },
      cells: {
        processing: processing.nrows,
        ordinary: ordinary.nrows,
        intermediate: intermediate.nrows,
        final: final.nrows,
        pooled: base.panel.nrows,
      },
      becFinal,
      becIntermediate: becInter,
    },
  };
}

export interface LocationInfo {
  readonly cities: number;
  readonly centre: number;
  readonly east: number;
  readonly middle: number;
  readonly west: number;
  /** Panel rows whose city is not in `cities.csv` or whose province has no region class (NaN indicators). */
  readonly unmatchedRows: number;
  readonly centreCities: readonly string[];
}

/**
 * The location classes of Table 6 as 0/1 columns added to a panel with a `city` column:
 * `centre` = provincial capital or municipality (`capitals_municipalities.csv`; the paper's
 * 中心城市 are the "central provincial-capital cities" that lead the 雁阵 pattern, its text
 * prints no list), `periphery` = 1 − centre, and `east`, `middle`, `west` from the province's
 * region (`region_class.csv`, NBS three-region classification), with the city's province from
 * `cities.csv` of `dir`. The two public lists default to `data/raw/public/lists/`.
 *
 * @example
 *   const loc = await addLocationClasses(eq.panel, notebookEnv().dataDir);
 *   feols(loc.panel, "quality ~ vagg + vagg:centre + fdi | city + year + hs4");
 */
export async function addLocationClasses(
  panel: Table,
  dir: string,
  opts: { capitals?: string; regions?: string; cities?: string } = {},
): Promise<{ panel: Table; info: LocationInfo }> {
  const capitals = opts.capitals ?? publicDataPath("lists", "capitals_municipalities.csv");
  const regions = opts.regions ?? publicDataPath("lists", "region_class.csv");
  const cities = opts.cities ?? path.join(dir, "cities.csv");
  if (!fs.existsSync(cities)) throw new DataError(`file not found`, { file: cities });
  if (!opts.cities) await validateRawFiles(dir, ["cities.csv"]);
  const cl = await sql(
    `SELECT CAST(c.city_code AS BIGINT) AS city, CAST(c.city AS VARCHAR) AS name,
      CASE WHEN k.city_code IS NULL THEN 0 ELSE 1 END AS centre, lower(trim(CAST(r.region AS VARCHAR))) AS region
    FROM ${scanExpression(cities)} c
    LEFT JOIN (SELECT DISTINCT CAST(city_code AS BIGINT) AS city_code FROM ${scanExpression(capitals)}) k ON k.city_code = CAST(c.city_code AS BIGINT)
    LEFT JOIN (SELECT CAST(province_code AS BIGINT) AS province_code, region FROM ${scanExpression(regions)}) r ON r.province_code = CAST(c.province_code AS BIGINT)
    ORDER BY city`,
    { intColumns: ["city", "centre"] },
  );
  const cc = column(cl, "city") as Int32Array,
    ce = column(cl, "centre") as Int32Array,
    rg = column(cl, "region"),
    nm = column(cl, "name");
  for (let i = 0; i < cl.nrows; i++) {
    const r = rg[i];
    if (r !== null && r !== "east" && r !== "middle" && r !== "west")
      throw new DataError(`unknown region "${r}" (expected east, middle or west)`, { file: regions, column: "region" });
  }
  const byCity = new Map<number, number>();
  for (let i = 0; i < cl.nrows; i++) byCity.set(cc[i] as number, i);
  const pc = numeric(panel, "city");
  const n = panel.nrows;
  const cols = {
    centre: new Float64Array(n),
    periphery: new Float64Array(n),
    east: new Float64Array(n),
    middle: new Float64Array(n),
    west: new Float64Array(n),
  };
  let unmatched = 0;
  for (let i = 0; i < n; i++) {
    const k = byCity.get(pc[i] as number);
    const r = k === undefined ? null : rg[k];
    if (k === undefined || r === null) {
      unmatched++;
      for (const a of Object.values(cols)) a[i] = NaN;
      continue;
    }
    const c = ce[k] as number;
    cols.centre[i] = c;
    cols.periphery[i] = 1 - c;
    cols.east[i] = r === "east" ? 1 : 0;
    cols.middle[i] = r === "middle" ? 1 : 0;
    cols.west[i] = r === "west" ? 1 : 0;
  }
  const inPanel = new Set(Array.from(pc));
  let centre = 0,
    east = 0,
    middle = 0,
    west = 0,
    nc = 0;
  const centreCities: string[] = [];
  for (let i = 0; i < cl.nrows; i++) {
    if (!inPanel.has(cc[i] as number)) continue;
    nc++;
    if (ce[i] === 1) {
      centre++;
      centreCities.push(String(nm[i]));
    }
    if (rg[i] === "east") east++;
    else if (rg[i] === "middle") middle++;
    else if (rg[i] === "west") west++;
  }
  return { panel: withColumns(panel, cols), info: { cities: nc, centre, east, middle, west, unmatchedRows: unmatched, centreCities } };
}

export interface SplitTruth {
  /**
   * True vagg slopes of the Table 5 split samples in the synthetic DGP, for the cells of this
   * sample (trade mode: with each cell's realised processing value share π_cjt, see `splitTruth`).
   */
  readonly processing: number;
  readonly ordinary: number;
  readonly intermediate: number;
  readonly final: number;
  /** ordinary − processing and final − intermediate. */
  readonly modeGap: number;
  readonly becGap: number;
  /** Table 6: the vagg slope (main effect) and the location interactions (0: not built in). */
  readonly beta: number;
  readonly interaction: number;
  /** Mean π_cjt over the processing and the ordinary cells of the sample. */
  readonly meanPi: { readonly processing: number; readonly ordinary: number };
  /** The generator's own summary (`realised.eq_split_slopes_implied`): β − (1 − π)·slope and β + π·slope with π the aggregate processing value share. */
  readonly aggregate: { readonly processing: number; readonly ordinary: number; readonly pi: number };
  readonly params: { readonly gapLevel: number; readonly gapSlope: number; readonly vaggMean: number };
}

/**
 * The true values of Tables 5–6 in the synthetic DGP (`null` for a data folder without the
 * generator's `truth.json`, e.g. real data):
 * - trade mode: within each city × HS4 × year cell the generator adds +π_cjt·Δ_ct to ordinary
 *   and −(1 − π_cjt)·Δ_ct to processing varieties (value-weighted offsets sum to zero, so the
 *   pooled cell mean stays a + β vagg + …), Δ_ct = gap_level + gap_slope·(vagg_ct − v̄) and
 *   π_cjt the cell's processing value share (`lib/synth/eq.ts`). The mode-m cell quality is
 *   therefore m_cjt + off^m_cjt, and its true slope in *this* sample is the coefficient of vagg
 *   when y* = β vagg + off^m is regressed with the notebook's `formula` (same fixed effects,
 *   controls and cells): `splitTruth` computes π_cjt from the customs file (non-intermediary
 *   rows) and runs that regression. This differs from the generator's summary in `truth.json`
 *   (β − (1 − π)·slope with the *aggregate* value share π ≈ 0.03): the regression weights
 *   cells equally, and processing varieties mostly sit in cells where they have a large value
 *   share (processing-only cells have π = 1 and no offset), so the cell-level slope is β −
 *   (1 − π̄)·slope with π̄ ≈ 0.4, not 0.03;
 * - BEC: classes are drawn at random per HS4 and no BEC effect is built in → β in both;
 * - Table 6: one β for every city → interactions 0, vagg main effect β (`eq.not_built_in`).
 * Where the generator wrote realised values (truth.json → realised.eq.trade_mode, .bec,
 * .beta_vagg: the noiseless true cell quality of each sample regressed as Table 2 col. 4) they are
 * returned instead — they include the κ(vagg) reallocation channel, which the offset formula
 * above (β vagg + off^m, β the design value) does not know.
 *
 * @example
 *   const tr = await splitTruth(split, dir, "quality ~ vagg + fdi | city + year + hs4");
 *   tr?.processing  // ≈ 0.18 at default scale (truth.json's aggregate-π summary: 0.085)
 */
export async function splitTruth(
  s: SplitPanels,
  dir: string,
  formula: string,
  opts: { customs?: string; products?: string } = {},
): Promise<SplitTruth | null> {
  const f = path.join(dir, "truth.json");
  if (!isSynthetic(dir)) return null;
  const t = JSON.parse(fs.readFileSync(f, "utf8")) as any;
  const need = (v: unknown, what: string): number => {
    const x = Number(v);
    if (v === undefined || v === null || !Number.isFinite(x))
      throw new DataError(`no numeric ${what} (regenerate the synthetic data)`, { file: f, column: what });
    return x;
  };
  const beta = need(t?.eq?.beta_vagg, "eq.beta_vagg");
  const gapLevel = need(t?.eq?.mode_gap_level, "eq.mode_gap_level"),
    gapSlope = need(t?.eq?.mode_gap_slope, "eq.mode_gap_slope");
  const vaggMean = need(t?.realised?.vagg_mean_2005_2015, "realised.vagg_mean_2005_2015");
  const agg = t?.realised?.eq_split_slopes_implied ?? {};
  const customs = opts.customs ?? path.join(dir, "customs.parquet"),
    products = opts.products ?? path.join(dir, "products.csv");
  if (!formula.includes("~")) throw new ArgumentError(`formula needs "~"`, { term: formula });
  const rhs = formula.slice(formula.indexOf("~") + 1);
  const id = `eqtruth${++seq}`;
  await exec(`CREATE OR REPLACE TEMP TABLE ${id}_pi AS
    SELECT CAST(c.city_code AS INTEGER) AS city, CAST(p.hs4 AS VARCHAR) AS hs4, CAST(c.year AS INTEGER) AS year,
      sum(CASE WHEN lower(trim(CAST(c.trade_mode AS VARCHAR))) = 'processing' THEN CAST(c.value_usd AS DOUBLE) ELSE 0 END) / sum(CAST(c.value_usd AS DOUBLE)) AS pi
    FROM ${scanExpression(customs)} c JOIN (SELECT CAST(hs6 AS VARCHAR) AS hs6, hs4 FROM ${scanExpression(products)}) p ON p.hs6 = CAST(c.hs6 AS VARCHAR)
    WHERE COALESCE(CAST(c.is_intermediary AS INTEGER), 0) = 0 AND CAST(c.value_usd AS DOUBLE) > 0
    GROUP BY ALL`);
  // the generator's realised values where it wrote them (they include the κ(vagg) channel, which the
  // offset formula below does not know): realised.eq.trade_mode and realised.eq.bec
  const re = t?.realised?.eq ?? {};
  const real = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
  const given = (v: unknown): boolean => typeof v === "number" && Number.isFinite(v);
  // the offset-formula slope is fitted only where no realised value replaces it (its mean π is reported either way)
  const slope = async (panel: Table, processing: boolean, fit: boolean): Promise<{ b: number; mean: number }> => {
    const keys = table({
      k: mapI32From({ length: panel.nrows }, (_, i) => i),
      city: column(panel, "city"),
      hs4: column(panel, "hs4"),
      year: column(panel, "year"),
    });
    await registerTable(`${id}_k`, keys);
    const j = await sql(
      `SELECT k.k, p.pi FROM ${id}_k k LEFT JOIN ${id}_pi p ON p.city = k.city AND p.hs4 = CAST(k.hs4 AS VARCHAR) AND p.year = k.year ORDER BY k.k`,
    );
    await exec(`DROP TABLE IF EXISTS ${id}_k`);
    const pi = numeric(j, "pi"),
      v = numeric(panel, "vagg");
    let sum = 0,
      n = 0;
    const y = new Float64Array(panel.nrows);
    for (let i = 0; i < panel.nrows; i++) {
      const p = pi[i] as number,
        x = v[i] as number;
      if (!Number.isFinite(p)) {
        y[i] = NaN;
        continue;
      }
      sum += p;
      n++;
      const gap = gapLevel + gapSlope * (x - vaggMean);
      y[i] = beta * x + (processing ? -(1 - p) * gap : p * gap);
    }
    const b = fit ? (feols(withColumns(panel, { __ystar: y }), `__ystar ~${rhs}`, { vcov: "iid" }).coef["vagg"] as number) : NaN;
    return { b, mean: n ? sum / n : NaN };
  };
  const pr = await slope(s.processing, true, !given(re.trade_mode?.processing)),
    or = await slope(s.ordinary, false, !given(re.trade_mode?.ordinary));
  await exec(`DROP TABLE IF EXISTS ${id}_pi`);
  const processing = real(re.trade_mode?.processing, pr.b),
    ordinary = real(re.trade_mode?.ordinary, or.b);
  return {
    processing,
    ordinary,
    intermediate: real(re.bec?.intermediate, beta),
    final: real(re.bec?.final, beta),
    modeGap: ordinary - processing,
    becGap: real(re.bec?.final, beta) - real(re.bec?.intermediate, beta),
    beta: real(re.beta_vagg, beta),
    interaction: 0,
    meanPi: { processing: pr.mean, ordinary: or.mean },
    aggregate: {
      // the aggregate-π summary (older truth.json files hold it at the top level of the block)
      processing: Number(agg.aggregate_pi_formula?.processing ?? agg.processing ?? NaN),
      ordinary: Number(agg.aggregate_pi_formula?.ordinary ?? agg.ordinary ?? NaN),
      pi: Number(agg.processing_value_share ?? NaN),
    },
    params: { gapLevel, gapSlope, vaggMean },
  };
}

/**
 * Number of resampling draws for the Table 5 difference tests and the Table 6 randomisation
 * tests: 1,000 at `default` and `paper` scale (`coefDiffTest`'s default; the EQ paper names no
 * test, RS uses 1,000 bootstrap draws; at paper scale, on a shared 2-core machine, the Table 5
 * wild bootstrap cost 12–15 CPU s and each Table 6 permutation test ~8 CPU s for 1,000 draws),
 * 199 at `small` (a smoke-test scale); `VAGG_REPS` overrides.
 *
 * @example splitTestReps({ scale: "small" }) // 199
 */
export function splitTestReps(env: { readonly scale: string }, envVar: string | undefined = process.env["VAGG_REPS"]): number {
  if (envVar !== undefined && envVar !== "") {
    const r = Number(envVar);
    if (!Number.isInteger(r) || r < 1) throw new ArgumentError(`VAGG_REPS must be a positive integer, got "${envVar}"`);
    return r;
  }
  return env.scale === "small" ? 199 : COEF_DIFF_DEFAULT_REPS;
}

/**
 * Table 6's randomisation inference for vagg × a city-level indicator: `unitInteractionPermutation`
 * (lib/estimators/resampling; city labels permuted, the model re-estimated per draw by unit-level
 * sums, the FWL and full-refit engines kept as references), under the name the EQ notebooks use.
 */
export const interactionPermutation = unitInteractionPermutation;
export type InteractionPermutationOptions = UnitPermutationOptions;
export type InteractionPermutationResult = UnitPermutationResult;

/** One row of `diffTestsTable`: a Table 5 pair with its difference tests. */
export interface DiffTestRow {
  readonly label: string;
  /** `coefDiffTest` (default method "wild": restricted wild cluster bootstrap of d on the fully interacted model). */
  readonly test: CoefDiffResult;
  /** `coefDiffTest` with method "permutation" (bdiff's Fisher permutation; optional: it refits both groups on every draw). */
  readonly permutation?: CoefDiffResult | null;
  /** `coefDiffInteraction` (fully interacted pooled model). */
  readonly wald: InteractionTestResult;
  /** Published b1 − b0 (difference of the printed coefficients). */
  readonly published?: number | null;
  /** True b1 − b0 of the synthetic DGP. */
  readonly truth?: number | null;
}

/**
 * The coefficient differences of a split-sample table with every p-value side by side:
 * published difference, recomputed d, the resampling test's one- and two-sided p-values (the
 * wild cluster bootstrap by default; a bdiff-style permutation test when given), the interacted
 * Wald test, the naive z test, and the true difference.
 *
 * @example showTable(diffTestsTable([{ label: "ordinary − processing", test: w, wald: iw, published: 0.2295, truth: 0.15 }]));
 */
export function diffTestsTable(rows: readonly DiffTestRow[], title = "Coefficient differences and their p-values"): ReportTable {
  // True values only on synthetic data (`splitTruth` is null on real data, see ../truth.ts): no column when no row has one.
  const synthetic = rows.some((r) => r.truth !== null && r.truth !== undefined);
  const perm = rows.some((r) => r.permutation);
  const method = rows[0]?.test.method ?? "wild";
  const name = method === "wild" ? "wild boot." : method === "bootstrap" ? "boot." : "perm.";
  const recs = rows.map((r) => {
    const ci = tInterval(r.wald.diff, r.wald.se, r.wald.df[1]);
    return {
      difference: r.label,
      diff_P: r.published ?? NaN,
      diff_R: r.test.diff,
      wald_se: r.wald.se,
      ci_lo: ci[0],
      ci_hi: ci[1],
      ...(synthetic ? { diff_true: r.truth ?? NaN } : {}),
      p_test1: r.test.pOneSided,
      p_test2: r.test.pTwoSided,
      ...(perm ? { p_perm1: r.permutation?.pOneSided ?? NaN, p_perm2: r.permutation?.pTwoSided ?? NaN } : {}),
      p_wald: r.wald.p,
      p_naive: r.test.separate.p,
      reps: r.test.reps,
    };
  });
  const w = rows[0]?.test.wild;
  return dataTable(fromRecords(recs), {
    title,
    na: "–",
    counts: ["reps"],
    digits: {
      diff_P: 4,
      diff_R: 4,
      wald_se: 4,
      ci_lo: 4,
      ci_hi: 4,
      diff_true: 4,
      p_test1: 3,
      p_test2: 3,
      p_perm1: 3,
      p_perm2: 3,
      p_wald: 3,
      p_naive: 3,
    },
    headers: {
      diff_P: "d published",
      diff_R: "d recomputed",
      wald_se: "(SE)",
      ci_lo: "95% CI low",
      ci_hi: "95% CI high",
      diff_true: "d true (DGP)",
      p_test1: `p ${name} (1-sided)`,
      p_test2: `p ${name} (2-sided)`,
      p_perm1: "p perm. (1-sided)",
      p_perm2: "p perm. (2-sided)",
      p_wald: "p Wald",
      p_naive: "p naive z",
      reps: "draws",
    },
    notes: [
      "d = b1 − b0 of the two subsamples (bdiff prints b0 − b1 = −d). SE and CI from the fully interacted pooled model (every regressor and fixed effect interacted with the group; clustered by city × HS4), which reproduces d exactly.",
      method === "wild"
        ? `p wild boot.: restricted wild cluster bootstrap of d on that interacted model (Roodman, MacKinnon, Nielsen & Webb 2019), ${w ? `${w.weightType} weights on ${w.clusters.toLocaleString("en-US")} ${w.cluster} clusters` : "cluster weights"}; one-sided: share of d* beyond d in its direction, two-sided: of |d*| ≥ |d|, each (1 + #)/(1 + draws). p naive z: d/√(se0² + se1²).`
        : "p boot.: clusters resampled within each group, share of d* on the other side of 0; p naive z: d/√(se0² + se1²).",
      ...(perm
        ? [
            "p perm.: the group labels permuted across observations (bdiff's Fisher permutation; the groups overlap within city × HS4 cells, so clusters cannot be relabelled), both subsamples re-estimated.",
          ]
        : []),
      synthetic
        ? "published: the difference of the paper's coefficients (the paper prints no test: EQ_PUBLISHED.table5Test); recomputed: synthetic data; true (DGP): the difference built into the generator."
        : "published: the difference of the paper's coefficients (the paper prints no test: EQ_PUBLISHED.table5Test); recomputed: the data in use.",
    ],
  });
}

/**
 * The resampling distribution of one split-sample difference (a `diffTestsTable` row): the
 * bootstrap (or permuted) d*, the observed d (red) and, when the row has one, the published
 * difference of the paper's coefficients (orange dashed), named in the legend.
 *
 * @example
 *   await showChart(diffTestChart({ label: "ordinary − processing", test: w, published: 0.2295 }, "Table 5: wild cluster bootstrap"));
 */
export function diffTestChart(row: Pick<DiffTestRow, "label" | "test" | "published">, title?: string): VegaLiteSpec {
  const d = row.test.diff;
  const pub = row.published;
  const what = row.test.method === "permutation" ? "Permutation" : row.test.method === "wild" ? "Wild cluster bootstrap" : "Bootstrap";
  return distributionPlot(row.test.draws, {
    title: title ?? `${what} test of the difference ${row.label}`,
    xTitle: `${row.test.method === "permutation" ? "Permuted" : "Bootstrap"} difference d* (${row.label})`,
    marked: { value: d, label: `observed d ${formatMarked(d)}` },
    ...(pub !== null && pub !== undefined ? { published: { value: pub, label: `published d ${formatMarked(pub)}` } } : {}),
  });
}

/** One row of `locationTestsTable`: a Table 6 interaction with its tests. */
export interface LocationTestRow {
  readonly label: string;
  readonly model: FeolsResult;
  readonly term: string;
  readonly permutation: InteractionPermutationResult;
  readonly published?: { readonly coef: number; readonly se?: number } | null;
  readonly truth?: number | null;
}

/**
 * Table 6 interactions with their inference side by side: coefficient, cluster-robust SE and
 * 95 % CI, t-test p, the randomisation p-values of `interactionPermutation` (labels permuted
 * across cities), the published coefficient and the true value.
 *
 * @example showTable(locationTestsTable([{ label: "vagg × centre", model: m1, term: "vagg:centre", permutation: p1, published: EQ_PUBLISHED.table6.centre, truth: 0 }]));
 */
export function locationTestsTable(
  rows: readonly LocationTestRow[],
  title = "Table 6 interactions: cluster-robust and randomisation inference",
): ReportTable {
  // True values only on synthetic data (`splitTruth` is null on real data, see ../truth.ts): no column when no row has one.
  const synthetic = rows.some((r) => r.truth !== null && r.truth !== undefined);
  const recs = rows.map((r) => {
    const b = r.model.coef[r.term],
      se = r.model.se[r.term];
    if (b === undefined || se === undefined) throw new ArgumentError(`"${r.term}" is not a coefficient of the model`, { term: r.term });
    const df = r.model.dof.tDf;
    const ci = tInterval(b, se, df);
    return {
      interaction: r.label,
      published: r.published?.coef ?? NaN,
      published_se: r.published?.se ?? NaN,
      recomputed: b,
      se,
      ci_lo: ci[0],
      ci_hi: ci[1],
      ...(synthetic ? { true_value: r.truth ?? NaN } : {}),
      p_t: pT2(b / se, df),
      p_perm: r.permutation.pValue,
      p_perm_t: r.permutation.pValueT,
      units: r.permutation.treatedUnits,
      N: r.model.nobs,
    };
  });
  return dataTable(fromRecords(recs), {
    title,
    na: "–",
    counts: ["N", "units"],
    digits: { published: 4, published_se: 4, recomputed: 4, se: 4, ci_lo: 4, ci_hi: 4, true_value: 4, p_t: 3, p_perm: 3, p_perm_t: 3 },
    headers: {
      published_se: "(SE)",
      se: "(SE)",
      ci_lo: "95% CI low",
      ci_hi: "95% CI high",
      true_value: "true (DGP)",
      p_t: "p (t, clustered)",
      p_perm: "p randomisation",
      p_perm_t: "p randomisation (t)",
      units: "cities with D = 1",
    },
    notes: [
      "Each row: quality on vagg, vagg × D, the nine controls, city, year and HS4 fixed effects (D's main effect is absorbed by the city FE); SEs clustered by city × HS4 as in the paper.",
      "p randomisation: D permuted across the cities of the sample (the number of D = 1 cities kept), the interaction re-estimated, (1 + #{|b*| ≥ |b|})/(1 + R); (t): the same on |t|. It keeps any within-city correlation of the errors, which a city × HS4 cluster SE ignores.",
      synthetic
        ? "published: the paper on real data (N 616,591); recomputed: synthetic data; true (DGP): 0 — the generator gives every city the same β (truth.json, not_built_in)."
        : "published: the paper on real data (N 616,591); recomputed: the data in use.",
    ],
  });
}

/** Two-sided 95 % t interval. */
function tInterval(b: number, se: number, df: number): [number, number] {
  const q = Number.isFinite(df) && df > 0 ? qT(0.975, df) : qNormal(0.975);
  return [b - q * se, b + q * se];
}
