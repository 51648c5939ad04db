import { sql, exec, registerTable } from "../data/duckdb";
import { scanExpression } from "../data/io";
import { table, numeric, column, takeRows, type Table } from "../data/table";
import { iv2sls, type Iv2slsResult } from "../estimators/iv2sls";
import { feols } from "../estimators/feols";
import { demean } from "../core/fixed-effects/demean";
import { factorize } from "../core/fixed-effects/factorize";
import { ArgumentError } from "../util/errors";

/** A data source: a file (CSV/Parquet), a column table, or a SQL relation (`{ sql: "SELECT …" }`). */
export type QualitySource = string | Table | { readonly sql: string };

export interface QualityOptions {
  /** Firm × HS6 × destination × year rows with firm_id, city_code, hs6, dest, year, value_usd, quantity, is_intermediary (customs schema). */
  readonly customs: QualitySource;
  /** HS3 elasticities (columns hs3, sigma). Required for `known-sigma` and for `divisor: "table"`. */
  readonly sigma?: QualitySource;
  /** HS6 → HS4 map (columns hs6, hs4); default: the first four digits of hs6. */
  readonly products?: QualitySource;
  readonly method?: "iv" | "known-sigma";
  /** IV only: one pooled σ̂ (default) or one 2SLS per HS3. */
  readonly sigmaBy?: "pooled" | "hs3";
  /** Divisor of (19): σ_h from the table (default when a table is given), the estimate, or a fixed σ (> 1). */
  readonly divisor?: "table" | "estimated" | number;
  /** Minimum observations per HS6 (default 100). */
  readonly minObs?: number;
  /** Inclusive HS chapter range dropped as agricultural/resource products (default [1, 27]; null keeps all). */
  readonly dropChapters?: readonly [number, number] | null;
  /** Extra numeric columns of `customs` used as controls in (18) (e.g. provincial real GDP). */
  readonly controls?: readonly string[];
  /** Variance of (18) (default "cluster:firm_id"). */
  readonly vcov?: string;
  /** Also report the OLS σ (price not instrumented) for comparison. Default false. */
  readonly compareOls?: boolean;
  /** Skip weak-IV diagnostics of the pooled 2SLS (faster at customs scale). Default false. */
  readonly skipDiagnostics?: boolean;
}

export interface QualityCounts {
  readonly input: number;
  readonly nonPositive: number;
  readonly intermediaries: number;
  readonly resourceProducts: number;
  readonly noOtherDestination: number;
  readonly smallProducts: number;
  /** Number of HS6 products dropped by rule 5. */
  readonly smallProductsHs6: number;
  readonly singletons: number;
  readonly estimation: number;
  readonly products: number;
  /**
   * What is left after each step, in order: the input, rules 1–5, fixed-effect singletons, and
   * rows of HS6 products whose estimated quality has no range (max = min, so (20) is undefined;
   * they are left out of the aggregates (21)). See {@link qualityStepsTable}.
   */
  readonly steps?: readonly QualityStep[];
  /** Rows of HS6 products with max = min estimated quality (rqua undefined, not aggregated). */
  readonly noRange?: number;
}

/** One cleaning step of the quality pipeline: rows dropped by it and what remains after it. */
export interface QualityStep {
  readonly step: string;
  /** Rows dropped by this step (0 for the input line). */
  readonly dropped: number;
  /** Rows, HS6 products, firms and export value (USD) remaining after the step. */
  readonly rows: number;
  readonly hs6: number;
  readonly firms: number;
  readonly value: number;
}

export interface SigmaEstimate {
  readonly estimate: number;
  readonly se: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  readonly nobs: number;
  /** OLS σ (ln p not instrumented), when `compareOls`. */
  readonly ols?: number;
}

export interface QualityFirstStage {
  readonly coef: number;
  readonly f: number;
  readonly partialR2: number;
  readonly kpWaldF?: number;
  readonly kpLM?: number;
}

export interface QualityResult {
  /** city_code, hs4, year, quality (value-weighted rqua), value, n. */
  readonly cityHs4Year: Table;
  /** city_code, hs6, hs4, year, quality, value, n (Table 4 col. 2). */
  readonly hs6: Table;
  /** firm_id, city_code, hs6, hs4, year, quality, value, n: firm-product-year (the KSW unit; Table 4 cols. 4–5). */
  readonly firm: Table;
  /** Pooled 2SLS σ̂ (null for known-sigma). */
  readonly sigmaHat: SigmaEstimate | null;
  /** σ̂ per HS3 (sigmaBy "hs3"): hs3, sigma_hat, se, nobs, sigma_table. */
  readonly sigmaByHs3: Table | null;
  readonly counts: QualityCounts;
  readonly firstStage: QualityFirstStage | null;
  /** The cleaning rules in words, in the order applied. */
  readonly rules: readonly string[];
  readonly method: "iv" | "known-sigma";
}

let seq = 0;

async function relation(src: QualitySource, name: string): Promise<string> {
  if (typeof src === "string") return scanExpression(src);
  if ("sql" in src && typeof (src as { sql: unknown }).sql === "string") return `(${(src as { sql: string }).sql})`;
  await registerTable(name, src as Table);
  return name;
}

/** Rules as reported (rule 3 states the chapter range in force). */
function ruleText(chapters: readonly [number, number] | null, minObs: number): string[] {
  return [
    "1. rows with missing or non-positive value or quantity (no unit value)",
    "2. trading intermediaries (is_intermediary = 1)",
    chapters
      ? `3. agricultural and resource products: HS chapters ${String(chapters[0]).padStart(2, "0")}–${String(chapters[1]).padStart(2, "0")} (HS sections I–V: animals, vegetables, fats, food & tobacco, mineral products and fuels)`
      : "3. (no chapter rule)",
    "4. firm × HS6 × year exported to one destination only (no leave-one-out price instrument)",
    `5. HS6 products with fewer than ${minObs} remaining observations`,
  ];
}

/**
 * Export product quality, EQ eqs. (18)–(21): the demand-side inference of Khandelwal, Schott &
 * Wei (2013, "Trade liberalization and embedded institutional reform: evidence from Chinese
 * exporters", *American Economic Review* 103(6): 2169–2195) with the price instrument of
 * Shi & Shao (2014, 施炳展、邵文波, "中国企业出口产品质量测算及其决定因素", *管理世界* 2014(9)):
 *
 *   ln q_hgft = −σ ln p_hgft + α_h + FE_ft (+ controls) + ε_hgft                 (18)
 *   qua_hgft  = ln λ̂_hgft = ε̂_hgft / (σ_h − 1)                                    (19)
 *   rqua      = (qua − min_h qua) / (max_h qua − min_h qua)   within HS6 h         (20)
 *   Quality_cjt = Σ_{hgf ∈ cjt} (v_hgft / Σ v) · rqua_hgft                          (21)
 *
 * on firm g × HS6 h × destination f × year t export rows (the `customs.parquet` schema).
 * α_h are HS6 fixed effects, FE_ft destination × year fixed effects. ln p (unit value
 * value/quantity) is instrumented by the *leave-one-out* mean of the same firm's log unit value
 * of the same product in the same year in the *other* destinations (computed in DuckDB SQL);
 * rows whose firm sells the product to one destination only have no instrument and are dropped.
 *
 * Two methods:
 * - `"iv"` (default, Shi & Shao): 2SLS by `iv2sls`, pooled (`sigmaBy: "pooled"`, one σ̂) or one
 *   2SLS per HS3 (`sigmaBy: "hs3"`, σ̂_h as in (18)); residual ε̂ = structural residual.
 * - `"known-sigma"` (KSW's original): σ_h imposed from the HS3 table, ln q + σ_h ln p = FE + ε,
 *   residual = that sum net of the fixed effects (and controls).
 * The divisor of (19) is σ_h from the HS3 table (`divisor: "table"`, the paper's BGW table)
 * or the estimated σ̂ (`divisor: "estimated"`). Since σ_h is constant within an HS6, the divisor
 * does not change the normalised quality (20); it only scales the raw `qua`.
 *
 * Identification (state it whenever a number is reported): the leave-one-out price is a valid
 * instrument when the firm-product component of price common to all destinations (cost) is
 * uncorrelated with the firm-product's quality and with destination demand shocks. Quality that
 * raises price in every destination (the CES model of EQ §2.1, p = C λ^α / ρ) violates that:
 * the IV then absorbs part of quality into the price slope. The synthetic DGP's customs file
 * has exactly this feature, so the recomputed σ̂ there is *not* the true σ — the normalised
 * quality ranking is what matters for (20)–(21).
 *
 * Cleaning rules, applied in this order and each counted (`counts`):
 * 1. non-positive or missing value or quantity (no unit value);
 * 2. trading intermediaries (`is_intermediary = 1`; Ahn, Khandelwal & Wei 2011 name rule);
 * 3. agricultural and resource products: HS chapters 01–27 (HS sections I–V: live animals,
 *    vegetable products, fats, prepared food and tobacco (01–24), mineral products incl. fuels
 *    (25–27)) — configurable by `dropChapters`;
 * 4. firm × product × year sold to a single destination (no leave-one-out instrument);
 * 5. products (HS6) with fewer than `minObs` (100) remaining observations.
 * The estimator then drops fixed-effect singletons (counted as `singletons`).
 * Normalisation (20) is over the whole estimation sample (all years) within HS6; aggregation
 * (21) and the HS6 and firm tables are export-value-weighted means of rqua, in DuckDB SQL.
 *
 *
 * @example
 *   const q = await productQuality({ customs: "data/raw/synthetic/default/customs.parquet",
 *                                    sigma: "data/raw/synthetic/default/sigma_hs3.csv" });
 *   q.cityHs4Year  // city_code, hs4, year, quality ∈ [0, 1]
 */
export async function productQuality(o: QualityOptions): Promise<QualityResult> {
  const method = o.method ?? "iv";
  const sigmaBy = o.sigmaBy ?? "pooled";
  const minObs = o.minObs ?? 100;
  const chapters = o.dropChapters === undefined ? ([1, 27] as const) : o.dropChapters;
  const controls = o.controls ?? [];
  if (method === "known-sigma" && !o.sigma) throw new ArgumentError(`method "known-sigma" needs the HS3 elasticity table (sigma)`);
  const divisor = o.divisor ?? (o.sigma ? "table" : "estimated");
  if (divisor === "table" && !o.sigma) throw new ArgumentError(`divisor "table" needs the HS3 elasticity table (sigma)`);
  const id = `ksw${++seq}`;
  const src = await relation(o.customs, `${id}_src`);
  const sig = o.sigma ? await relation(o.sigma, `${id}_sig`) : null;
  const prod = o.products ? await relation(o.products, `${id}_prod`) : null;
  const ctrlSel = controls.map((c) => `, CAST(s."${c}" AS DOUBLE) AS "${c}"`).join("");
  const chapterCond = chapters ? `TRY_CAST(left(hs6, 2) AS INTEGER) BETWEEN ${chapters[0]} AND ${chapters[1]}` : "FALSE";
  // 1. base rows with row ids, HS4/HS3, σ_h; flags in rule order
  await exec(`CREATE OR REPLACE TEMP TABLE ${id}_base AS
    SELECT row_number() OVER () AS rid, CAST(s.firm_id AS BIGINT) AS firm_id, CAST(s.city_code AS BIGINT) AS city_code,
      CAST(s.hs6 AS VARCHAR) AS hs6, CAST(s.dest AS VARCHAR) AS dest, CAST(s.year AS INTEGER) AS year,
      CAST(s.value_usd AS DOUBLE) AS value_usd, CAST(s.quantity AS DOUBLE) AS quantity,
      COALESCE(CAST(s.is_intermediary AS INTEGER), 0) AS is_intermediary${ctrlSel}
    FROM ${src} s`);
  await exec(`CREATE OR REPLACE TEMP TABLE ${id}_f AS
    WITH b AS (
      SELECT *, ${prod ? "COALESCE(p.hs4, left(b0.hs6, 4))" : "left(b0.hs6, 4)"} AS hs4, left(b0.hs6, 3) AS hs3,
        CASE WHEN value_usd IS NULL OR quantity IS NULL OR NOT (value_usd > 0) OR NOT (quantity > 0) THEN 1
             WHEN is_intermediary = 1 THEN 2
             WHEN ${chapterCond.replace(/hs6/g, "b0.hs6")} THEN 3 ELSE 0 END AS drop_rule
      FROM ${id}_base b0 ${prod ? `LEFT JOIN (SELECT CAST(hs6 AS VARCHAR) AS hs6, CAST(hs4 AS VARCHAR) AS hs4 FROM ${prod}) p ON p.hs6 = b0.hs6` : ""}
    ), l0 AS (
      SELECT *, ln(value_usd / quantity) AS lnp, ln(quantity) AS lnq FROM b WHERE drop_rule = 0
    ), grp AS (
      SELECT firm_id AS g_f, hs6 AS g_h, year AS g_y, count(*) AS n_dest, sum(lnp) AS s_lnp FROM l0 GROUP BY ALL
    ), l2 AS (
      SELECT l0.*, CASE WHEN n_dest > 1 THEN (s_lnp - lnp) / (n_dest - 1) END AS z_loo
      FROM l0 JOIN grp ON l0.firm_id = grp.g_f AND l0.hs6 = grp.g_h AND l0.year = grp.g_y
    ), np AS (
      SELECT hs6 AS p_h, count(z_loo) AS n_prod FROM l2 GROUP BY ALL
    ), l3 AS (
      SELECT l2.*, n_prod FROM l2 JOIN np ON l2.hs6 = np.p_h
    )
    SELECT rid, firm_id, city_code, hs6, hs4, hs3, dest, year, value_usd, lnp, lnq, z_loo${controls.map((c) => `, "${c}"`).join("")},
      CASE WHEN z_loo IS NULL THEN 4 WHEN n_prod < ${minObs} THEN 5 ELSE 0 END AS drop_rule
    FROM l3
    UNION ALL
    SELECT rid, firm_id, city_code, hs6, hs4, hs3, dest, year, value_usd, NULL, NULL, NULL${controls.map(() => `, NULL`).join("")}, drop_rule FROM b WHERE drop_rule > 0`);
  const cnt = await sql(`SELECT count(*) AS input,
      count(*) FILTER (WHERE drop_rule = 1) AS r1, count(*) FILTER (WHERE drop_rule = 2) AS r2,
      count(*) FILTER (WHERE drop_rule = 3) AS r3, count(*) FILTER (WHERE drop_rule = 4) AS r4,
      count(*) FILTER (WHERE drop_rule = 5) AS r5,
      count(DISTINCT hs6) FILTER (WHERE drop_rule = 5) AS r5p
    FROM ${id}_f`);
  const c0 = (n: string) => numeric(cnt, n)[0] as number;
  // what remains after each rule k (a row dropped by rule r survived the rules before r)
  const left = await sql(`SELECT ${[0, 1, 2, 3, 4, 5]
    .map(
      (k) => `count(*) FILTER (WHERE drop_rule = 0 OR drop_rule > ${k}) AS n${k},
      count(DISTINCT hs6) FILTER (WHERE drop_rule = 0 OR drop_rule > ${k}) AS h${k},
      count(DISTINCT firm_id) FILTER (WHERE drop_rule = 0 OR drop_rule > ${k}) AS f${k},
      coalesce(sum(value_usd) FILTER (WHERE (drop_rule = 0 OR drop_rule > ${k}) AND value_usd > 0), 0) AS v${k}`,
    )
    .join(",\n      ")}
    FROM ${id}_f`);
  const lk = (p: string, k: number) => numeric(left, `${p}${k}`)[0] as number;
  // 2. estimation sample with dense integer FE ids and σ_h
  await exec(`CREATE OR REPLACE TEMP TABLE ${id}_est AS
    WITH hk AS (SELECT hs6, row_number() OVER (ORDER BY hs6) - 1 AS hs6_id FROM (SELECT DISTINCT hs6 FROM ${id}_f WHERE drop_rule = 0)),
    dk AS (SELECT dest, year, row_number() OVER (ORDER BY dest, year) - 1 AS dy_id FROM (SELECT DISTINCT dest, year FROM ${id}_f WHERE drop_rule = 0)),
    gk AS (SELECT hs3, row_number() OVER (ORDER BY hs3) - 1 AS hs3_id FROM (SELECT DISTINCT hs3 FROM ${id}_f WHERE drop_rule = 0))
    SELECT f.*, hk.hs6_id, dk.dy_id, gk.hs3_id, ${sig ? "sg.sigma" : "CAST(NULL AS DOUBLE)"} AS sigma_h
    FROM ${id}_f f JOIN hk USING (hs6) JOIN dk USING (dest, year) JOIN gk USING (hs3)
    ${sig ? `LEFT JOIN (SELECT CAST(hs3 AS VARCHAR) AS hs3, CAST(sigma AS DOUBLE) AS sigma FROM ${sig}) sg ON sg.hs3 = f.hs3` : ""}
    WHERE f.drop_rule = 0`);
  if (sig) {
    const miss = await sql(`SELECT count(*) AS n, min(hs3) AS hs3 FROM ${id}_est WHERE sigma_h IS NULL OR sigma_h <= 1`);
    if ((numeric(miss, "n")[0] as number) > 0)
      throw new ArgumentError(`the σ table has no value > 1 for HS3 "${column(miss, "hs3")[0]}" (${numeric(miss, "n")[0]} rows)`);
  }
  const est = await sql(
    `SELECT rid, lnq, lnp, z_loo, hs6_id, dy_id, hs3_id, CAST(dense_rank() OVER (ORDER BY firm_id) AS INTEGER) AS firm_id, sigma_h${controls.map((c) => `, "${c}"`).join("")} FROM ${id}_est ORDER BY rid`, // firm codes renumbered 1..F (real customs codes have 10 digits: no INTEGER cast)
    { intColumns: ["rid", "hs6_id", "dy_id", "hs3_id", "firm_id"] },
  );
  if (est.nrows === 0)
    throw new ArgumentError(
      `no observations left after cleaning: ${c0("input")} rows; dropped by rule 1–5: ${["r1", "r2", "r3", "r4", "r5"].map(c0).join(", ")} (${ruleText(chapters, minObs).join("; ")})`,
    );
  const n = est.nrows;
  const rid = column(est, "rid") as Int32Array;
  const lnq = numeric(est, "lnq"),
    lnp = numeric(est, "lnp"),
    sigH = numeric(est, "sigma_h");
  const qua = new Float64Array(n).fill(NaN);
  const vcov = o.vcov ?? "cluster:firm_id";
  const ctrl = controls.length ? controls.join(" + ") : "1";
  const fml = `lnq ~ ${ctrl} | hs6_id + dy_id | lnp ~ z_loo`;
  let sigmaHat: SigmaEstimate | null = null;
  let firstStage: QualityFirstStage | null = null;
  let sigmaByHs3: Table | null = null;
  let singletons = 0,
    used = 0;
  if (typeof divisor === "number" && !(divisor > 1)) throw new ArgumentError(`a fixed divisor σ must be > 1, got ${divisor}`);
  const div = (i: number, s: number) => {
    const v = divisor === "table" ? (sigH[i] as number) : typeof divisor === "number" ? divisor : s;
    if (!(v > 1))
      throw new ArgumentError(
        `σ̂ = ${v.toFixed(4)} ≤ 1: (19) divides by σ − 1, which would flip or blow up quality; pass the HS3 table or a fixed divisor`,
      );
    return v - 1;
  };
  if (method === "iv") {
    const m: Iv2slsResult = iv2sls(est, fml, { vcov, skipDiagnostics: o.skipDiagnostics ?? false, keepResiduals: sigmaBy === "pooled" });
    const b = m.table.find((r) => r.name === "lnp");
    if (!b) throw new ArgumentError(`ln p was dropped from (18) as collinear with the fixed effects`);
    let ols: number | undefined;
    if (o.compareOls)
      ols = -(feols(est, `lnq ~ lnp${controls.length ? " + " + ctrl : ""} | hs6_id + dy_id`, { vcov, keepResiduals: false }).coef[
        "lnp"
      ] as number);
    sigmaHat = { estimate: -b.estimate, se: b.se, ciLow: -b.ciHigh, ciHigh: -b.ciLow, nobs: m.nobs, ...(ols !== undefined ? { ols } : {}) };
    const fs = m.firstStage[0];
    if (fs) {
      const d = m.diagnostics;
      const wf = d && "stat" in d.weakIdF ? d.weakIdF.stat : undefined;
      const lm = d && "stat" in d.underidentification ? (d.underidentification as { stat: number }).stat : undefined;
      firstStage = {
        coef: fs.coef["z_loo"] as number,
        f: fs.f.stat,
        partialR2: fs.partialR2,
        ...(wf !== undefined ? { kpWaldF: wf } : {}),
        ...(lm !== undefined ? { kpLM: lm } : {}),
      };
    }
    if (sigmaBy === "pooled") {
      const e = m.residuals as Float64Array;
      m.obsRows.forEach((r, a) => {
        qua[r] = (e[a] as number) / div(r, sigmaHat!.estimate);
      });
      singletons = m.removed.singletons;
      used = m.nobs;
    } else {
      const g = column(est, "hs3_id") as Int32Array;
      let G = 0;
      for (let i = 0; i < n; i++) if ((g[i] as number) + 1 > G) G = (g[i] as number) + 1; // no spread: Math.max(...g) overflows the stack at customs scale
      const idx: number[][] = Array.from({ length: G }, () => []);
      for (let i = 0; i < n; i++) (idx[g[i] as number] as number[]).push(i);
      const rows: { hs3: string; sigma_hat: number; se: number; nobs: number; sigma_table: number }[] = [];
      const hs3Names = await sql(`SELECT DISTINCT hs3_id, hs3 FROM ${id}_est ORDER BY hs3_id`, { intColumns: ["hs3_id"] });
      const hs3Col = column(hs3Names, "hs3");
      for (let k = 0; k < G; k++) {
        const ii = Int32Array.from(idx[k] as number[]);
        const mk = iv2sls(takeRows(est, ii), fml, { vcov, skipDiagnostics: true });
        const bk = mk.table.find((r) => r.name === "lnp");
        const sk = bk ? -bk.estimate : NaN;
        const e = mk.residuals as Float64Array;
        mk.obsRows.forEach((r, a) => {
          const i = ii[r] as number;
          qua[i] = (e[a] as number) / div(i, sk);
        });
        singletons += mk.removed.singletons;
        used += mk.nobs;
        rows.push({
          hs3: String(hs3Col[k]),
          sigma_hat: sk,
          se: bk ? bk.se : NaN,
          nobs: mk.nobs,
          sigma_table: sigH[ii[0] as number] as number,
        });
      }
      sigmaByHs3 = table({
        hs3: rows.map((r) => r.hs3),
        sigma_hat: Float64Array.from(rows, (r) => r.sigma_hat),
        se: Float64Array.from(rows, (r) => r.se),
        nobs: Float64Array.from(rows, (r) => r.nobs),
        sigma_table: Float64Array.from(rows, (r) => r.sigma_table),
      });
    }
  } else {
    const y = Float64Array.from(lnq, (v, i) => v + (sigH[i] as number) * (lnp[i] as number));
    if (controls.length) {
      const m = feols(
        table({ ...Object.fromEntries(est.names.map((nm) => [nm, column(est, nm) as Float64Array])), ksw_y: y }),
        `ksw_y ~ ${ctrl} | hs6_id + dy_id`,
        { vcov: "iid" },
      );
      const e = m.residuals as Float64Array;
      m.obsRows.forEach((r, a) => {
        qua[r] = (e[a] as number) / ((sigH[r] as number) - 1);
      });
      singletons = m.removed.singletons;
      used = m.nobs;
    } else {
      const dm = demean([y], { factors: [factorize(column(est, "hs6_id")), factorize(column(est, "dy_id"))] });
      const e = dm.columns[0] as Float64Array;
      for (let i = 0; i < n; i++) qua[i] = (e[i] as number) / ((sigH[i] as number) - 1);
      used = n;
    }
  }
  // 3. quality back into DuckDB: normalise within HS6 (20), aggregate (21)
  await registerTable(`${id}_q`, table({ rid, qua }));
  await exec(`CREATE OR REPLACE TEMP TABLE ${id}_r AS
    WITH j AS (SELECT e.rid, e.firm_id, e.city_code, e.hs6, e.hs4, e.year, e.value_usd, q.qua FROM ${id}_est e JOIN ${id}_q q USING (rid) WHERE q.qua IS NOT NULL),
    mm AS (SELECT *, min(qua) OVER (PARTITION BY hs6) AS lo, max(qua) OVER (PARTITION BY hs6) AS hi FROM j)
    SELECT *, CASE WHEN hi > lo THEN (qua - lo) / (hi - lo) END AS rqua FROM mm`);
  const agg = (keys: string) =>
    sql(`SELECT ${keys}, sum(value_usd * rqua) / sum(value_usd) AS quality, sum(value_usd) AS value, count(*) AS n
    FROM ${id}_r WHERE rqua IS NOT NULL GROUP BY ${keys} ORDER BY ${keys}`);
  const cityHs4Year = await agg("city_code, hs4, year");
  const hs6 = await agg("city_code, hs6, hs4, year");
  const firm = await agg("firm_id, city_code, hs6, hs4, year");
  const nprod = await sql(`SELECT count(DISTINCT hs6) AS p FROM ${id}_r`);
  const fin = await sql(`SELECT count(*) AS n, count(DISTINCT hs6) AS h, count(DISTINCT firm_id) AS f, coalesce(sum(value_usd), 0) AS v,
      count(*) FILTER (WHERE rqua IS NOT NULL) AS n2, count(DISTINCT hs6) FILTER (WHERE rqua IS NOT NULL) AS h2,
      count(DISTINCT firm_id) FILTER (WHERE rqua IS NOT NULL) AS f2, coalesce(sum(value_usd) FILTER (WHERE rqua IS NOT NULL), 0) AS v2 FROM ${id}_r`);
  const fv = (n: string) => numeric(fin, n)[0] as number;
  for (const t of ["base", "f", "est", "r", "q"]) await exec(`DROP TABLE IF EXISTS ${id}_${t}`);
  if (typeof o.customs === "object" && !("sql" in o.customs)) await exec(`DROP TABLE IF EXISTS ${id}_src`);
  const counts: QualityCounts = {
    input: c0("input"),
    nonPositive: c0("r1"),
    intermediaries: c0("r2"),
    resourceProducts: c0("r3"),
    noOtherDestination: c0("r4"),
    smallProducts: c0("r5"),
    smallProductsHs6: c0("r5p"),
    singletons,
    estimation: used,
    products: numeric(nprod, "p")[0] as number,
    noRange: fv("n") - fv("n2"),
    steps: [
      { step: "input rows", dropped: 0, rows: lk("n", 0), hs6: lk("h", 0), firms: lk("f", 0), value: lk("v", 0) },
      ...ruleText(chapters, minObs).map((r, j) => ({
        step: r,
        dropped: lk("n", j) - lk("n", j + 1),
        rows: lk("n", j + 1),
        hs6: lk("h", j + 1),
        firms: lk("f", j + 1),
        value: lk("v", j + 1),
      })),
      {
        step: "fixed-effect singletons (estimator)",
        dropped: lk("n", 5) - fv("n"),
        rows: fv("n"),
        hs6: fv("h"),
        firms: fv("f"),
        value: fv("v"),
      },
      {
        step: "HS6 products with max = min quality (rqua undefined)",
        dropped: fv("n") - fv("n2"),
        rows: fv("n2"),
        hs6: fv("h2"),
        firms: fv("f2"),
        value: fv("v2"),
      },
    ],
  };
  return { cityHs4Year, hs6, firm, sigmaHat, sigmaByHs3, counts, firstStage, rules: ruleText(chapters, minObs), method };
}

/** The counts as a two-column table (step, rows) for display. */
export function qualityCountsTable(c: QualityCounts, rules: readonly string[]): Table {
  const steps = ["input rows", ...rules, "fixed-effect singletons (estimator)", "estimation sample", "HS6 products in the sample"];
  const vals = [
    c.input,
    c.nonPositive,
    c.intermediaries,
    c.resourceProducts,
    c.noOtherDestination,
    c.smallProducts,
    c.singletons,
    c.estimation,
    c.products,
  ];
  return table({ step: steps, rows: Float64Array.from(vals) });
}

/**
 * The cleaning steps of `productQuality` as a table: step, rows dropped, rows / HS6 products /
 * firms left, and the shares of input rows and export value left — every dropped row counted.
 * Needs `counts.steps` (filled by `productQuality`).
 *
 * @example
 *   const q = await productQuality({ customs, sigma });
 *   showTable(dataTable(qualityStepsTable(q.counts)));   // input rows … estimation sample
 */
export function qualityStepsTable(c: QualityCounts): Table {
  const st = c.steps;
  if (!st || st.length === 0)
    throw new ArgumentError("qualityStepsTable: the counts have no per-step detail (steps); they come from productQuality");
  const first = st[0] as QualityStep;
  return table({
    step: st.map((s) => s.step),
    dropped: Float64Array.from(st, (s) => s.dropped),
    rows_left: Float64Array.from(st, (s) => s.rows),
    rows_left_share: Float64Array.from(st, (s) => (first.rows > 0 ? s.rows / first.rows : NaN)),
    hs6_left: Float64Array.from(st, (s) => s.hs6),
    firms_left: Float64Array.from(st, (s) => s.firms),
    value_left_share: Float64Array.from(st, (s) => (first.value > 0 ? s.value / first.value : NaN)),
  });
}
