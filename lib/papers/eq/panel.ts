/**
 * EQ analysis panels (Zhao, Ban, Li & Liu 2022, §3–4): city × HS4 × year (the baseline unit of
 * (17)), city × HS6 × year and firm × HS6 × year (Table 4), each with the Bartik vagg (22), its
 * one-year lag, the nine controls and the two historical instruments of Table 3.
 *
 * From the raw files of a folder in the schemas of `data/codebook/*.md`:
 * - quality: `productQuality` (KSW 2013, (18)–(21)) on `customs.parquet` with `sigma_hs3.csv`
 *   and `products.csv`. By default σ_h is a TABLE INPUT, as in the paper ("本文采用 Broda 等(2017)
 *   提供的 HS3 位码弹性系数"): `method: "known-sigma"` imposes σ_h of `sigma_hs3.csv` in (18),
 *   ε̂ = ln q + σ_h ln p − α_h − FE_ft, and divides by σ_h − 1 in (19). On real data the file holds
 *   the Broda–Greenfield–Weinstein HS3 elasticities; the synthetic folder writes the DGP's σ_h.
 *   The documented alternative is to estimate the slope of ln p by 2SLS with the Shi–Shao
 *   leave-one-out price (`quality: { method: "iv", sigmaBy: "hs3" }` per HS3, or
 *   `sigmaBy: "pooled"`): the residual then carries (σ_h − σ̂) ln p wherever σ̂ ≠ σ_h, i.e. part
 *   of price, and the Table 2 coefficient moves with it (eq-03 shows the numbers). The paper
 *   both imposes BGW's σ_h and instruments price — with σ_h imposed there is no price slope
 *   left to instrument, so the two statements are inconsistent; the default follows the σ_h
 *   table (flagged in eq-03); (18) also controls for the exporting city's provincial real GDP
 *   (ln gdp_real of `province_gdp.csv`, "省级实际 GDP"; `provinceGdp: false` leaves it out); before
 *   (18) the HS codes are harmonised to HS2002 with `hs_concordance.csv` (`hsHarmonise`, counts in
 *   `info.hs`; "将样本期出口产品统一转换为 2002 版 HS6 编码");
 * - vagg_ct = Σ_s (output_sc,2004 / output_c,2004) · virtual_st (22): shares from
 *   `census_2004.csv`, shifts `virtual` from `digital_shifts.csv` (all years of the shifts, so
 *   the lag exists in the first sample year); `l_vagg` = vagg_c,t−1;
 * - controls from `city_yearbook.csv` and `national_series.csv` (the definitions of
 *   `data/codebook/dgp.md`): fdi = fdi_usd·cny_per_usd/gdp, open = trade_usd·cny_per_usd/gdp,
 *   fisc = (fiscal_exp − sci_exp − edu_exp)/gdp, dlp = loans/(loans + deposits),
 *   sci = sci_exp/gdp, edu = edu_exp/gdp, wage = ln(100·wage/deflator),
 *   gdp = ln(100·gdp/pop/deflator) (real GDP per capita, CNY of 2000), fixinv = fixinv/gdp;
 * - instruments (Table 3 cols. 5–6): tel_iv = telephones_c,1984 × internet_investment_t,
 *   post_iv = post_offices_c,1984 × internet_investment_t, both divided by 1e6 (scale only);
 * - province from `cities.csv`.
 * Rows whose city-year has no vagg or control are kept with NaN (the estimators drop them and
 * count them), so N differs between columns with and without controls as in the paper.
 */
import * as path from "node:path";
import { exec, registerTable, sql, sqlString } from "../../data/duckdb";
import { scanExpression } from "../../data/io";
import { validateRawFiles } from "../../data/scan-check";
import { column, table, NA_INT, type Column, type Table } from "../../data/table";
import { keyAt } from "../../data/keys";
import { ArgumentError, DataError } from "../../util/errors";
import { productQuality, type QualityOptions, type QualityResult } from "../../measures/quality";
import { hsHarmonise, type HsHarmoniseCounts } from "../../measures/quality/harmonise";
import { placeboChart, type PlaceboPublished } from "../../report/charts/resampling";
import type { PlaceboResult } from "../../estimators/resampling/placebo";
import type { VegaLiteSpec } from "../../report/charts/spec";
import { EQ_PUBLISHED } from "./published";
import { mapF64From, mapI32From } from "../../util/typed-map";

/** The raw files `buildQualityPanel` reads (validated against their schemas first; customs over the scan). */
export const EQ_PANEL_FILES = [
  "customs.parquet",
  "sigma_hs3.csv",
  "products.csv",
  "census_2004.csv",
  "digital_shifts.csv",
  "city_yearbook.csv",
  "national_series.csv",
  "history_1984.csv",
  "cities.csv",
  "province_gdp.csv",
  "hs_concordance.csv",
] as const;

export const EQ_CONTROLS = ["fdi", "open", "fisc", "dlp", "sci", "edu", "wage", "gdp", "fixinv"] as const;

export interface QualityPanelOptions {
  /** Sample years (default 2005–2015, EQ). */
  readonly years?: readonly [number, number];
  /**
   * Harmonise the customs HS codes to HS2002 with `hs_concordance.csv` first (`hsHarmonise`;
   * default true, as the paper). Counts in `info.hs`.
   */
  readonly hsHarmonise?: boolean;
  /**
   * Control (18) for the exporting city's provincial real GDP, ln gdp_real of `province_gdp.csv`
   * in the export year (default true, as the paper). Rows without a provincial GDP are an error.
   */
  readonly provinceGdp?: boolean;
  /**
   * Options passed on to `productQuality` (customs/sigma/products default to the folder's files;
   * `method` defaults to `"known-sigma"`, σ_h from `sigma_hs3.csv`).
   */
  readonly quality?: Partial<QualityOptions>;
  /**
   * Join the city-year covariates and order the three panels in DuckDB (the reference
   * definition) instead of the plain loops that give the same tables (default false; the tests
   * compare the two).
   */
  readonly sqlAttach?: boolean;
}

export interface QualityPanel {
  /** city, province, hs4, year, quality, value, n, vagg, l_vagg, controls, tel_iv, post_iv. */
  readonly panel: Table;
  /** Same covariates on city × HS6 × year quality (Table 4 col. 2). */
  readonly hs6: Table;
  /** Same covariates on firm × HS6 × year quality (Table 4 cols. 4–5). */
  readonly firm: Table;
  /** City × year covariates (vagg, l_vagg, controls, instruments). */
  readonly cityYear: Table;
  readonly quality: QualityResult;
  readonly info: {
    readonly rows: number;
    readonly cities: number;
    readonly hs4: number;
    readonly years: readonly [number, number];
    readonly missingVagg: number;
    readonly missingControls: number;
    /** HS harmonisation to HS2002 (null when off or when the caller passed a column table). */
    readonly hs: HsHarmoniseCounts | null;
    /** How the city-year covariates were joined: plain loops, or DuckDB (`sqlAttach`, or inputs the loops leave to it). */
    readonly attach: "loops" | "sql";
  };
}

let seq = 0;

/**
 * Build the EQ panels from the raw files in `dir` (see the module comment).
 *
 * @example
 *   const eq = await buildQualityPanel(notebookEnv().dataDir);
 *   feols(eq.panel, "quality ~ vagg + fdi + open | city + year + hs4", { vcov: { cluster: "city^hs4" } });
 */
export async function buildQualityPanel(dir: string, opts: QualityPanelOptions = {}): Promise<QualityPanel> {
  const [y0, y1] = opts.years ?? [2005, 2015];
  const f = (n: string): string => scanExpression(path.join(dir, n));
  await validateRawFiles(dir, EQ_PANEL_FILES, { scan: ["customs.parquet"] });
  const usePg = opts.provinceGdp ?? true;
  // the customs relation: the folder's file, or the caller's source (a path or a SQL relation;
  // a column table must already carry ln_prov_gdp when the control is on)
  const given = opts.quality?.customs;
  let customsSrc: QualityOptions["customs"] = given ?? path.join(dir, "customs.parquet");
  let rel =
    typeof customsSrc === "string" ? scanExpression(customsSrc) : "sql" in customsSrc ? `(${(customsSrc as { sql: string }).sql})` : null;
  if (usePg && rel === null && !(customsSrc as Table).names.includes("ln_prov_gdp"))
    throw new ArgumentError(
      `buildQualityPanel: a customs column table needs a ln_prov_gdp column for the provincial-GDP control of (18) (or pass provinceGdp: false)`,
    );
  // HS harmonisation to HS2002 (EQ §3) before anything else: later-vintage codes mapped back, unmapped rows dropped (counted)
  let hs: HsHarmoniseCounts | null = null;
  if (rel !== null && (opts.hsHarmonise ?? true)) {
    const h = await hsHarmonise(
      rel,
      scanExpression(path.join(dir, "hs_concordance.csv"), ["hs_code", "vintage", "hs2002"]),
      scanExpression(path.join(dir, "products.csv"), ["hs6", "hs4", "hs3"]),
    );
    hs = h.counts;
    rel = `(${h.sql})`;
    customsSrc = { sql: h.sql };
  }
  if (usePg && rel !== null) {
    const joins = `JOIN ${f("cities.csv")} ci ON CAST(ci.city_code AS BIGINT) = CAST(c.city_code AS BIGINT)
      LEFT JOIN ${f("province_gdp.csv")} pg ON CAST(pg.province_code AS BIGINT) = CAST(ci.province_code AS BIGINT) AND CAST(pg.year AS INTEGER) = CAST(c.year AS INTEGER)`;
    const miss = await sql(`SELECT count(*) AS n, min(c.city_code) AS city, min(c.year) AS year FROM ${rel} c LEFT ${joins}
      WHERE pg.gdp_real IS NULL OR NOT (CAST(pg.gdp_real AS DOUBLE) > 0)`);
    const nMiss = (miss.columns["n"] as Float64Array)[0] as number;
    if (nMiss > 0)
      throw new DataError(
        `province_gdp.csv: no positive gdp_real for ${nMiss} customs rows (first: city_code ${String(keyAt(column(miss, "city"), 0))}, year ${String(keyAt(column(miss, "year"), 0))}) — (18) controls for provincial real GDP; pass provinceGdp: false to leave it out`,
        { file: path.join(dir, "province_gdp.csv"), column: "gdp_real" },
      );
    customsSrc = { sql: `SELECT c.*, ln(CAST(pg.gdp_real AS DOUBLE)) AS ln_prov_gdp FROM ${rel} c ${joins}` };
  }
  const q = await productQuality({
    method: "known-sigma",
    ...(usePg ? { controls: ["ln_prov_gdp"] } : {}),
    sigma: path.join(dir, "sigma_hs3.csv"),
    products: path.join(dir, "products.csv"),
    ...opts.quality,
    customs: customsSrc,
  });
  const id = `eqp${++seq}`;
  await exec(`CREATE OR REPLACE TEMP TABLE ${id}_cy AS
    WITH sh AS (
      SELECT CAST(city_code AS BIGINT) AS city, CAST(industry AS VARCHAR) AS ind,
        CAST(output AS DOUBLE) / sum(CAST(output AS DOUBLE)) OVER (PARTITION BY city_code) AS share
      FROM ${f("census_2004.csv")}
    ), v AS (
      SELECT sh.city, CAST(d.year AS INTEGER) AS year, sum(sh.share * CAST(d.virtual AS DOUBLE)) AS vagg
      FROM sh JOIN ${f("digital_shifts.csv")} d ON CAST(d.industry AS VARCHAR) = sh.ind GROUP BY ALL
    ), vl AS (
      SELECT city, year, vagg, lag(vagg) OVER (PARTITION BY city ORDER BY year) AS l_vagg_raw,
        lag(year) OVER (PARTITION BY city ORDER BY year) AS l_year FROM v
    ), ns AS (
      SELECT CAST(year AS INTEGER) AS year, CAST(internet_investment AS DOUBLE) AS inv, CAST(cny_per_usd AS DOUBLE) AS xr FROM ${f("national_series.csv")}
    ), yb AS (
      SELECT CAST(y.city_code AS BIGINT) AS city, CAST(y.year AS INTEGER) AS year,
        CAST(fdi_usd AS DOUBLE) * ns.xr / CAST(y.gdp AS DOUBLE) AS fdi,
        CAST(trade_usd AS DOUBLE) * ns.xr / CAST(y.gdp AS DOUBLE) AS open,
        (CAST(fiscal_exp AS DOUBLE) - CAST(sci_exp AS DOUBLE) - CAST(edu_exp AS DOUBLE)) / CAST(y.gdp AS DOUBLE) AS fisc,
        CAST(loans AS DOUBLE) / (CAST(loans AS DOUBLE) + CAST(deposits AS DOUBLE)) AS dlp,
        CAST(sci_exp AS DOUBLE) / CAST(y.gdp AS DOUBLE) AS sci,
        CAST(edu_exp AS DOUBLE) / CAST(y.gdp AS DOUBLE) AS edu,
        ln(100 * CAST(wage AS DOUBLE) / CAST(deflator AS DOUBLE)) AS wage,
        ln(100 * CAST(y.gdp AS DOUBLE) / CAST(pop AS DOUBLE) / CAST(deflator AS DOUBLE)) AS gdp,
        CAST(fixinv AS DOUBLE) / CAST(y.gdp AS DOUBLE) AS fixinv,
        ns.inv
      FROM ${f("city_yearbook.csv")} y LEFT JOIN ns ON ns.year = CAST(y.year AS INTEGER)
    ), h AS (
      SELECT CAST(city_code AS BIGINT) AS city, CAST(telephones AS DOUBLE) AS tel, CAST(post_offices AS DOUBLE) AS post FROM ${f("history_1984.csv")}
    ), c AS (
      SELECT CAST(city_code AS BIGINT) AS city, CAST(province_code AS BIGINT) AS province FROM ${f("cities.csv")}
    )
    SELECT yb.city, c.province, yb.year, vl.vagg, CASE WHEN vl.l_year = yb.year - 1 THEN vl.l_vagg_raw END AS l_vagg,
      ${EQ_CONTROLS.map((n) => `yb.${n}`).join(", ")},
      h.tel * yb.inv / 1e6 AS tel_iv, h.post * yb.inv / 1e6 AS post_iv
    FROM yb LEFT JOIN vl ON vl.city = yb.city AND vl.year = yb.year
      LEFT JOIN h ON h.city = yb.city LEFT JOIN c ON c.city = yb.city
    WHERE yb.year BETWEEN ${y0} AND ${y1}`);
  const covs = `cy.province, cy.vagg, cy.l_vagg, ${EQ_CONTROLS.map((n) => `cy.${n}`).join(", ")}, cy.tel_iv, cy.post_iv`;
  const cityYear = await sql(`SELECT * FROM ${id}_cy ORDER BY city, year`, { intColumns: ["city", "year", "province"] });
  let attachedBy: "loops" | "sql" = "loops";
  const attach = async (t: Table, name: string, keys: string, order: string, js: readonly AttachKey[]): Promise<Table> => {
    // the same join and order in plain loops (no round trip of millions of strings through DuckDB);
    // the SQL below stays the definition and the fallback for inputs the loops do not cover
    const fast = opts.sqlAttach ? null : attachCityYear(t, cityYear, js, [y0, y1]);
    if (fast) return fast;
    attachedBy = "sql";
    await registerTable(`${id}_${name}`, t);
    return sql(
      `SELECT ${keys}, t.quality, t.value, t.n, ${covs}
      FROM ${id}_${name} t LEFT JOIN ${id}_cy cy ON cy.city = CAST(t.city_code AS BIGINT) AND cy.year = CAST(t.year AS INTEGER)
      WHERE CAST(t.year AS INTEGER) BETWEEN ${y0} AND ${y1}
      ORDER BY ${order}`,
      { intColumns: ["city", "year", "province"] },
    );
  };
  const panel = await attach(
    q.cityHs4Year,
    "c4",
    "CAST(t.city_code AS INTEGER) AS city, CAST(t.hs4 AS VARCHAR) AS hs4, CAST(t.year AS INTEGER) AS year",
    "city, hs4, year",
    [
      { name: "city", from: "city_code", as: "int", sort: 0 },
      { name: "hs4", from: "hs4", as: "varchar", sort: 1 },
      { name: "year", from: "year", as: "int", sort: 2 },
    ],
  );
  const hs6 = await attach(
    q.hs6,
    "c6",
    "CAST(t.city_code AS INTEGER) AS city, CAST(t.hs6 AS VARCHAR) AS hs6, CAST(t.hs4 AS VARCHAR) AS hs4, CAST(t.year AS INTEGER) AS year",
    "city, hs6, year",
    [
      { name: "city", from: "city_code", as: "int", sort: 0 },
      { name: "hs6", from: "hs6", as: "varchar", sort: 1 },
      { name: "hs4", from: "hs4", as: "varchar" },
      { name: "year", from: "year", as: "int", sort: 2 },
    ],
  );
  const firm = await attach(
    q.firm,
    "f6",
    "CAST(t.firm_id AS VARCHAR) AS firm, CAST(t.city_code AS INTEGER) AS city, CAST(t.hs6 AS VARCHAR) AS hs6, CAST(t.hs4 AS VARCHAR) AS hs4, CAST(t.year AS INTEGER) AS year",
    "firm, hs6, year",
    [
      { name: "firm", from: "firm_id", as: "varchar", sort: 0 },
      { name: "city", from: "city_code", as: "int" },
      { name: "hs6", from: "hs6", as: "varchar", sort: 1 },
      { name: "hs4", from: "hs4", as: "varchar" },
      { name: "year", from: "year", as: "int", sort: 2 },
    ],
  );
  const c4 = q.cityHs4Year;
  const cities = new Set<unknown>(),
    hs4s = new Set<unknown>();
  for (let i = 0; i < c4.nrows; i++) {
    const c = keyAt(column(c4, "city_code"), i),
      h = keyAt(column(c4, "hs4"), i);
    if (c !== null) cities.add(c);
    if (h !== null) hs4s.add(h);
  }
  const vg = panel.columns["vagg"] as Float64Array;
  let missingVagg = 0,
    missingControls = 0;
  for (let i = 0; i < panel.nrows; i++) {
    if (Number.isNaN(vg[i] as number)) missingVagg++;
    if (EQ_CONTROLS.some((n) => Number.isNaN((panel.columns[n] as Float64Array)[i] as number))) missingControls++;
  }
  await exec(`DROP TABLE IF EXISTS ${id}_c4; DROP TABLE IF EXISTS ${id}_c6; DROP TABLE IF EXISTS ${id}_f6; DROP TABLE IF EXISTS ${id}_cy`);
  return {
    panel,
    hs6,
    firm,
    cityYear,
    quality: q,
    info: {
      rows: panel.nrows,
      cities: cities.size,
      hs4: hs4s.size,
      years: [y0, y1],
      missingVagg,
      missingControls,
      hs,
      attach: attachedBy,
    },
  };
}

/** One key column of `attachCityYear`: output name, source column, its type, and its rank in the ORDER BY. */
interface AttachKey {
  readonly name: string;
  readonly from: string;
  /** "int": CAST(… AS INTEGER) of an integer-valued number; "varchar": CAST(… AS VARCHAR) (strings as they are, numbers as DuckDB prints a DOUBLE). */
  readonly as: "int" | "varchar";
  readonly sort?: number;
}

/** DuckDB's CAST(x AS VARCHAR) of a DOUBLE holding a whole number below 10^15 ("1000001.0"); null where the loops would have to guess. */
function doubleAsVarchar(v: number): string | null {
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? `${v}.0` : null;
}

/**
 * `attach` of `buildQualityPanel` in plain loops: the rows of a quality table `t` with year in
 * [y0, y1], the city-year covariates of `cy` (LEFT JOIN on city and year, unmatched → NaN / NA),
 * ordered by the `sort` keys — the same table the SQL returns. Returns null (the caller runs the
 * SQL) when an input falls outside what the loops reproduce exactly: a missing or non-integer
 * city or year, a numeric key that is not a whole number, a missing sort key, or duplicate
 * city-years in `cy`.
 */
function attachCityYear(t: Table, cy: Table, keys: readonly AttachKey[], [y0, y1]: readonly [number, number]): Table | null {
  const cc = numericOrNull(t, "city_code"),
    yy = numericOrNull(t, "year");
  if (!cc || !yy) return null;
  const cyCity = cy.columns["city"] as Int32Array,
    cyYear = cy.columns["year"] as Int32Array;
  const at = new Map<number, number>();
  for (let r = 0; r < cy.nrows; r++) {
    const k = (cyCity[r] as number) * 10000 + (cyYear[r] as number);
    if (cyCity[r] === NA_INT || cyYear[r] === NA_INT || at.has(k)) return null;
    at.set(k, r);
  }
  const rows: number[] = [];
  for (let i = 0; i < t.nrows; i++) {
    const c = cc[i] as number,
      y = yy[i] as number;
    if (!Number.isInteger(c) || !Number.isInteger(y)) return null;
    if (y >= y0 && y <= y1) rows.push(i);
  }
  const out: Record<string, Column> = {};
  const sortCols: (Int32Array | (string | null)[])[] = [];
  for (const k of keys) {
    const src = t.columns[k.from];
    if (!src) return null;
    let col: Int32Array | (string | null)[];
    if (k.as === "int") {
      const v = src instanceof Float64Array || src instanceof Int32Array ? src : null;
      if (!v) return null;
      col = new Int32Array(rows.length);
      for (let j = 0; j < rows.length; j++) {
        const x = v[rows[j] as number] as number;
        if (!Number.isInteger(x) || x === NA_INT || Math.abs(x) >= 2 ** 31) return null;
        col[j] = x;
      }
    } else {
      col = new Array<string | null>(rows.length);
      for (let j = 0; j < rows.length; j++) {
        const x = src[rows[j] as number];
        const s = typeof x === "string" ? x : typeof x === "number" ? doubleAsVarchar(x) : null;
        if (s === null) return null;
        col[j] = s;
      }
    }
    out[k.name] = col;
    if (k.sort !== undefined) sortCols[k.sort] = col;
  }
  // ORDER BY the sort keys (unique per row in these tables, so the order is total)
  const idx = Array.from({ length: rows.length }, (_, j) => j);
  idx.sort((a, b) => {
    for (const col of sortCols) {
      const x = col[a] as number | string,
        y = col[b] as number | string;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
  const perm = (col: Column): Column => {
    if (col instanceof Int32Array) return mapI32From(idx, (j) => col[j] as number);
    if (col instanceof Float64Array) return mapF64From(idx, (j) => col[j] as number);
    return idx.map((j) => col[j] as string | null);
  };
  const res: Record<string, Column> = {};
  for (const k of keys) res[k.name] = perm(out[k.name] as Column);
  for (const n of ["quality", "value", "n"]) {
    const v = numericOrNull(t, n);
    if (!v) return null;
    res[n] = mapF64From(idx, (j) => v[rows[j] as number] as number);
  }
  const cyRow = mapI32From(idx, (j) => {
    const i = rows[j] as number;
    return at.get((cc[i] as number) * 10000 + (yy[i] as number)) ?? -1;
  });
  const prov = cy.columns["province"] as Int32Array;
  res["province"] = mapI32From(cyRow, (r) => (r < 0 ? NA_INT : (prov[r] as number)));
  for (const n of ["vagg", "l_vagg", ...EQ_CONTROLS, "tel_iv", "post_iv"]) {
    const v = cy.columns[n] as Float64Array;
    res[n] = mapF64From(cyRow, (r) => (r < 0 ? NaN : (v[r] as number)));
  }
  return table(res);
}

/** A numeric column as Float64Array / Int32Array, or null when it is not numeric. */
function numericOrNull(t: Table, name: string): Float64Array | Int32Array | null {
  const c = t.columns[name];
  return c instanceof Float64Array || c instanceof Int32Array ? c : null;
}

/**
 * Number of placebo replications for a run scale: the paper's 1,000 at `default` and `paper`
 * scale, fewer at `small` (a smoke-test scale), overridable by `VAGG_PLACEBO_REPS`.
 */
export function placeboRepsFor(env: { readonly scale: string }, envVar: string | undefined = process.env["VAGG_PLACEBO_REPS"]): number {
  if (envVar !== undefined && envVar !== "") {
    const v = Number(envVar);
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`VAGG_PLACEBO_REPS must be a positive integer, got "${envVar}"`);
    return v;
  }
  return env.scale === "small" ? 200 : EQ_PUBLISHED.placebo.reps;
}

/** A table of published vs recomputed IV diagnostics rows (KP rk LM, KP rk Wald F) for Table 3 cols. 4–6. */
export function ivStatRows(
  fits: readonly { readonly diagnostics?: object }[],
  published: readonly { readonly coef?: number; readonly se?: number; readonly lm?: number; readonly f?: number }[],
): Table {
  const d = fits.map((m) => (m.diagnostics ?? {}) as Record<string, any>);
  const num = (x: unknown): number => (typeof x === "number" ? x : NaN);
  return table({
    column: fits.map((_, i) => `(${i + 4})`),
    kp_lm_published: mapF64From(published, (p) => p.lm ?? NaN),
    kp_lm: mapF64From(d, (x) => num(x.underidentification?.stat)),
    kp_lm_p: mapF64From(d, (x) => num(x.underidentification?.p)),
    kp_f_published: mapF64From(published, (p) => p.f ?? NaN),
    kp_f: mapF64From(d, (x) => num(x.weakIdF?.stat)),
    stock_yogo_10: mapF64From(d, (x) => num(x.stockYogo?.ivSize?.["10"])),
    stock_yogo_15: mapF64From(d, (x) => num(x.stockYogo?.ivSize?.["15"])),
  });
}

/**
 * Figure 2: `placeboChart` typed as a report chart (for `showChart` / `exportFigure`), titled
 * "Figure 2 …" so the report numbers it as the paper does; with `published` (e.g.
 * `EQ_FIGURE2_PUBLISHED`) the paper's placebo means and estimate are marked beside ours.
 *
 * @example
 *   await showChart(placeboFigure(pl, { published: EQ_FIGURE2_PUBLISHED }));
 */
export function placeboFigure(p: PlaceboResult, opts: { published?: PlaceboPublished } = {}): VegaLiteSpec {
  const spec = placeboChart(p, { ...opts, title: `Figure 2 Placebo test: ${p.permute} reassigned at random (${p.reps} replications)` });
  return { $schema: String(spec["$schema"] ?? "https://vega.github.io/schema/vega-lite/v5.json"), ...spec } as VegaLiteSpec;
}

/** Quote helper re-exported for tests. */
export const _sqlString = sqlString;
