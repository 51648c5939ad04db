import { exec } from "../data/duckdb";
import { table, column, takeRows, type Table } from "../data/table";
import { iv2sls, type Iv2slsResult } from "../estimators/iv2sls";
import { feols } from "../estimators/feols";
import { demean } from "../core/fixed-effects/demean";
import { factorize } from "../core/fixed-effects/factorize";
import { ArgumentError, EstimationError } from "../util/errors";
import { relation, sourceDict, partitionRows, cmp, type QualitySource, type SourceDict } from "./quality/source";
import { KeyCodes, StepTally, candidateRows, sortBy, iota, type CandidateRows } from "./quality/prepare";
import { FirmRecords, QualityBounds } from "./quality/aggregate";
import { ChunkedRegression, type ChunkDesign, type ChunkVcov } from "./quality/chunked";
import { PartitionStore } from "./quality/store";
import { mapF64From, mapI32 } from "../util/typed-map";

export type { QualitySource } from "./quality/source";

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
  /**
   * Where the rows live while (18)–(21) are computed:
   * - `"in-memory"`: every customs row once in typed arrays, (18) by `iv2sls` / `feols` (all
   *   diagnostics available);
   * - `"by-year"` (out of core): one year at a time (`WHERE year = t`, partition pruning on a
   *   year-partitioned Parquet folder), rows passing rules 1–4 kept in a temporary binary
   *   file per year, (18) from sufficient statistics in passes over those files
   *   (lib/measures/quality/chunked.ts; same estimates up to rounding; no Kleibergen–Paap
   *   diagnostics; vcov iid, hetero or one-way clusters by firm_id, hs6_id, hs3_id or dy_id;
   *   a CSV source is parsed once per year — convert it to Parquet first);
   * - `"auto"` (default): by-year above `inMemoryMaxRows` input rows.
   */
  readonly mode?: "auto" | "in-memory" | "by-year";
  /** Largest input (rows) that `"auto"` keeps in memory (default 20,000,000). */
  readonly inMemoryMaxRows?: number;
  /** Folder for the temporary files of `"by-year"` (default the OS temporary folder); removed afterwards. */
  readonly tempDir?: string;
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
  /** Where the rows were held ("in-memory" or "by-year", see `QualityOptions.mode`). */
  readonly mode: "in-memory" | "by-year";
}

let seq = 0;

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

/** What both paths share: the options resolved, the dictionaries, the row tallies and the (21) records. */
interface Ctx {
  readonly o: QualityOptions;
  readonly method: "iv" | "known-sigma";
  readonly sigmaBy: "pooled" | "hs3";
  readonly minObs: number;
  readonly chapters: readonly [number, number] | null;
  readonly controls: readonly string[];
  readonly divisor: "table" | "estimated" | number;
  readonly vcov: string;
  readonly hasSigma: boolean;
  readonly src: string;
  readonly dict: SourceDict;
  readonly firms: KeyCodes;
  readonly cities: KeyCodes;
  readonly tally: StepTally;
  readonly records: FirmRecords;
  readonly bounds: QualityBounds;
}

/** What an estimation path returns besides the tallies and records. */
interface Estimated {
  readonly sigmaHat: SigmaEstimate | null;
  readonly firstStage: QualityFirstStage | null;
  readonly sigmaByHs3: Table | null;
  readonly singletons: number;
  readonly used: number;
  readonly smallHs6: number;
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
 * has exactly this feature, so the recomputed σ̂ there is *not* the true σ. This matters for
 * quality, not only for σ̂: the residual of (18) is ε̂ = ln q + σ̂ ln p − FE = ε + (σ̂ − σ_h) ln p
 * + FE error, so wherever σ̂ ≠ σ_h the "quality" contains a multiple of the (within-HS6) price,
 * which moves with city cost and with vagg; the min–max normalisation (20) does not remove it
 * (it rescales within HS6, it does not undo a different ranking). With a pooled σ̂ every HS3
 * whose σ_h differs from the pooled value is contaminated. Hence the EQ panel
 * (`buildQualityPanel`) imposes σ_h from the HS3 table (`method: "known-sigma"`, the paper's
 * BGW elasticities) and keeps the IV as a documented alternative.
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
 * (21) and the HS6 and firm tables are export-value-weighted means of rqua. Every row is
 * counted at the step that drops it (`counts.steps`, `qualityStepsTable`), so a row without a
 * key (hs6, dest, year, firm_id) is a DataError rather than a row no rule accounts for; HS
 * codes of CSV files are read as text (leading zeros kept); a products map giving an HS6 two
 * HS4 codes or a σ table giving an HS3 two σ is an ArgumentError (a join would duplicate rows).
 *
 * Computation (lib/measures/quality/): DuckDB reads the source once for its key dictionaries
 * (sorted HS6, destinations, years; HS4/HS3/σ_h per HS6) and once for the rows, which arrive
 * as typed columns (HS6 and destination as integer codes, rules 1–2 flagged, ln p and ln q);
 * rule 3, the leave-one-out instrument (a radix sort on firm × HS6 × year), rules 4–5, the
 * estimation, (19)–(21) and the counts run on typed arrays. `mode: "in-memory"` holds all rows
 * and estimates (18) with `iv2sls`/`feols` (the results of the earlier all-SQL version to the
 * last bits); `mode: "by-year"` reads one year at a time and estimates (18) out of core from
 * sufficient statistics (`ChunkedRegression`), for customs files larger than memory — a folder
 * of Parquet files partitioned by year (`year=2000/…`) is read with partition pruning. The two
 * agree to rounding (tests/measures/quality-chunked.test.ts). Measured on the 2-core reference
 * machine (bench/quality.ts): 10 M rows from Parquet in memory ≈ 15–20 s; 100 M rows by year
 * out of core, see the header of bench/quality.ts.
 *
 * @example
 *   const q = await productQuality({ customs: "data/raw/synthetic/default/customs.parquet",
 *                                    sigma: "data/raw/synthetic/default/sigma_hs3.csv" });
 *   q.cityHs4Year  // city_code, hs4, year, quality ∈ [0, 1]
 *   // 100 M rows, partitioned by year, out of core:
 *   await productQuality({ customs: "/data/customs_by_year", sigma: "sigma_hs3.csv", mode: "by-year", skipDiagnostics: true });
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
  if (typeof divisor === "number" && !(divisor > 1)) throw new ArgumentError(`a fixed divisor σ must be > 1, got ${divisor}`);
  const id = `ksw${++seq}`;
  const registered: string[] = [];
  try {
    const src = await relation(o.customs, `${id}_src`, ["hs6", "dest"]);
    if (src.registered) registered.push(src.registered);
    const sig = o.sigma ? await relation(o.sigma, `${id}_sig`, ["hs3"]) : null;
    if (sig?.registered) registered.push(sig.registered);
    const prod = o.products ? await relation(o.products, `${id}_prod`, ["hs6", "hs4"]) : null;
    if (prod?.registered) registered.push(prod.registered);
    registered.push(`${id}_hs6`);
    const dict = await sourceDict(src.rel, sig ? sig.rel : null, prod ? prod.rel : null, chapters, id);
    const want = o.mode ?? "auto";
    const mode: "in-memory" | "by-year" =
      want === "auto" ? (dict.rows > (o.inMemoryMaxRows ?? 20_000_000) ? "by-year" : "in-memory") : want;
    const ctx: Ctx = {
      o,
      method,
      sigmaBy,
      minObs,
      chapters,
      controls,
      divisor,
      vcov: o.vcov ?? "cluster:firm_id",
      hasSigma: !!o.sigma,
      src: src.rel,
      dict,
      firms: new KeyCodes(dict.firmIds),
      cities: new KeyCodes(dict.cityCodes),
      tally: new StepTally(dict.products.hs6.length),
      records: new FirmRecords(),
      bounds: new QualityBounds(dict.products.hs6.length),
    };
    const est = mode === "by-year" ? await estimateByYear(ctx) : await estimateInMemory(ctx);
    const t = ctx.tally;
    const total = t.left(0).rows + (t.rows[0] as number);
    if (total !== dict.rows) throw new Error(`internal: ${total} rows tallied, ${dict.rows} read`);
    const { cityHs4Year, hs6, firm } = ctx.records.tables(dict, ctx.firms, ctx.cities);
    const L = (k: number) => t.left(k);
    let products = 0;
    for (let h = 0; h < t.hMax.length; h++) if ((t.hMax[h] as number) >= 7) products++;
    const rules = ruleText(chapters, minObs);
    const counts: QualityCounts = {
      input: dict.rows,
      nonPositive: t.rows[1] as number,
      intermediaries: t.rows[2] as number,
      resourceProducts: t.rows[3] as number,
      noOtherDestination: t.rows[4] as number,
      smallProducts: t.rows[5] as number,
      smallProductsHs6: est.smallHs6,
      singletons: est.singletons,
      estimation: est.used,
      products,
      noRange: t.rows[7] as number,
      steps: [
        { step: "input rows", dropped: 0, ...L(0) },
        ...rules.map((r, j) => ({ step: r, dropped: L(j).rows - L(j + 1).rows, ...L(j + 1) })),
        { step: "fixed-effect singletons (estimator)", dropped: L(5).rows - L(6).rows, ...L(6) },
        { step: "HS6 products with max = min quality (rqua undefined)", dropped: L(6).rows - L(7).rows, ...L(7) },
      ],
    };
    return {
      cityHs4Year,
      hs6,
      firm,
      sigmaHat: est.sigmaHat,
      sigmaByHs3: est.sigmaByHs3,
      counts,
      firstStage: est.firstStage,
      rules,
      method,
      mode,
    };
  } finally {
    for (const name of registered) await exec(`DROP TABLE IF EXISTS ${name}`);
  }
}

/** The divisor σ − 1 of (19) for HS6 h: σ_h of the table, a fixed σ, or the estimate s (> 1, else an error). */
function divisorOf(ctx: Ctx, h: number, s: number): number {
  const d = ctx.divisor;
  const v = d === "table" ? (ctx.dict.products.sigma[h] as number) : typeof d === "number" ? d : s;
  if (!(v > 1))
    throw new ArgumentError(
      `σ̂ = ${v.toFixed(4)} ≤ 1: (19) divides by σ − 1, which would flip or blow up quality; pass the HS3 table or a fixed divisor`,
    );
  return v - 1;
}

/** Rule 5 from the per-HS6 counts of rows with the instrument: small[h], and the number of small HS6 with rows. */
function rule5(nprod: Float64Array, minObs: number): { small: Uint8Array; smallHs6: number } {
  const small = Uint8Array.from(nprod, (v) => (v < minObs ? 1 : 0));
  let smallHs6 = 0;
  for (let h = 0; h < nprod.length; h++) if (small[h] && (nprod[h] as number) > 0) smallHs6++;
  return { small, smallHs6 };
}

/** An error when an estimation row's HS3 has no σ > 1 in the table (the first such HS3 in byte order, with its rows). */
function checkSigma(ctx: Ctx, rowsByHs6: Float64Array, small: Uint8Array): void {
  if (!ctx.hasSigma) return;
  const P = ctx.dict.products;
  let worst: string | null = null;
  const rowsByHs3 = new Map<string, number>();
  for (let h = 0; h < rowsByHs6.length; h++) {
    if (small[h] || !((rowsByHs6[h] as number) > 0) || (P.sigma[h] as number) > 1) continue;
    const hs3 = P.hs3[P.hs3Of[h] as number] as string;
    rowsByHs3.set(hs3, (rowsByHs3.get(hs3) ?? 0) + (rowsByHs6[h] as number));
    if (worst === null || cmp(hs3, worst) < 0) worst = hs3;
  }
  if (worst !== null) {
    const n = [...rowsByHs3.values()].reduce((a, b) => a + b, 0);
    throw new ArgumentError(`the σ table has no value > 1 for HS3 "${worst}" (${n} rows)`);
  }
}

/**
 * The in-memory path: all rows of the source in one query, rules 1–5 on typed arrays, (18) by
 * `iv2sls` (pooled, or one 2SLS per HS3) or, for known σ, `feols` / `demean`, then (19)–(21).
 */
async function estimateInMemory(ctx: Ctx): Promise<Estimated> {
  const { dict, tally, controls } = ctx;
  const P = dict.products;
  // no reference to the query's columns is kept: they are garbage once the candidates are built
  const e = candidateRows(await partitionRows(ctx.src, dict, controls, null), dict, ctx.firms, ctx.cities, tally, {
    rule5: { minObs: ctx.minObs },
  });
  const { nprod, smallHs6 } = e;
  const small = Uint8Array.from(nprod, (v) => (v < ctx.minObs ? 1 : 0));
  const n = e.n;
  if (n === 0)
    throw new ArgumentError(
      `no observations left after cleaning: ${dict.rows} rows; dropped by rule 1–5: ${[1, 2, 3, 4, 5].map((l) => tally.rows[l]).join(", ")} (${ruleText(ctx.chapters, ctx.minObs).join("; ")})`,
    );
  checkSigma(ctx, nprod, small);
  const sigH = new Float64Array(n),
    hs3Id = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const h = e.h[i] as number;
    sigH[i] = P.sigma[h] as number;
    hs3Id[i] = P.hs3Of[h] as number;
  }
  const est = table({
    lnq: e.lnq,
    lnp: e.lnp,
    z_loo: e.z,
    hs6_id: e.h,
    dy_id: e.d,
    hs3_id: hs3Id,
    firm_id: e.g, // firm codes 0..F−1 (real customs codes have 10 digits: no INTEGER column)
    sigma_h: sigH,
    ...Object.fromEntries(controls.map((c, j) => [c, e.controls[j] as Float64Array])),
  });
  const lnq = e.lnq,
    lnp = e.lnp;
  const qua = new Float64Array(n).fill(NaN);
  const vcov = ctx.vcov;
  const ctrl = controls.length ? controls.join(" + ") : "1";
  const fml = `lnq ~ ${ctrl} | hs6_id + dy_id | lnp ~ z_loo`;
  let sigmaHat: SigmaEstimate | null = null;
  let firstStage: QualityFirstStage | null = null;
  let sigmaByHs3: Table | null = null;
  let singletons = 0,
    used = 0;
  if (ctx.method === "iv") {
    const m: Iv2slsResult = iv2sls(est, fml, {
      vcov,
      skipDiagnostics: ctx.o.skipDiagnostics ?? false,
      keepResiduals: ctx.sigmaBy === "pooled",
    });
    const b = m.table.find((r) => r.name === "lnp");
    if (!b) throw new ArgumentError(`ln p was dropped from (18) as collinear with the fixed effects`);
    let ols: number | undefined;
    if (ctx.o.compareOls)
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
    if (ctx.sigmaBy === "pooled") {
      const res = m.residuals as Float64Array;
      const s = sigmaHat.estimate;
      m.obsRows.forEach((r, a) => {
        qua[r] = (res[a] as number) / divisorOf(ctx, e.h[r] as number, s);
      });
      singletons = m.removed.singletons;
      used = m.nobs;
    } else {
      // one 2SLS per HS3: rows grouped once by a counting sort (scan order kept within a group)
      const g = column(est, "hs3_id") as Int32Array;
      const G = P.hs3.length;
      const order = sortBy(iota(n), g, Math.max(G, 1));
      const out: { hs3: string; sigma_hat: number; se: number; nobs: number; sigma_table: number }[] = [];
      for (let a = 0; a < n;) {
        const k = g[order[a] as number] as number;
        let b2 = a;
        while (b2 < n && g[order[b2] as number] === k) b2++;
        const ii = order.subarray(a, b2);
        const mk = iv2sls(takeRows(est, ii), fml, { vcov, skipDiagnostics: true });
        const bk = mk.table.find((r) => r.name === "lnp");
        const sk = bk ? -bk.estimate : NaN;
        const res = mk.residuals as Float64Array;
        mk.obsRows.forEach((r, q) => {
          const i = ii[r] as number;
          qua[i] = (res[q] as number) / divisorOf(ctx, e.h[i] as number, sk);
        });
        singletons += mk.removed.singletons;
        used += mk.nobs;
        out.push({
          hs3: P.hs3[k] as string,
          sigma_hat: sk,
          se: bk ? bk.se : NaN,
          nobs: mk.nobs,
          sigma_table: sigH[ii[0] as number] as number,
        });
        a = b2;
      }
      sigmaByHs3 = hs3Table(out);
    }
  } else {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) y[i] = (lnq[i] as number) + (sigH[i] as number) * (lnp[i] as number);
    if (controls.length) {
      const m = feols(table({ ...est.columns, ksw_y: y }), `ksw_y ~ ${ctrl} | hs6_id + dy_id`, { vcov: "iid" });
      const res = m.residuals as Float64Array;
      m.obsRows.forEach((r, a) => {
        qua[r] = (res[a] as number) / ((sigH[r] as number) - 1);
      });
      singletons = m.removed.singletons;
      used = m.nobs;
    } else {
      const dm = demean([y], { factors: [factorize(e.h), factorize(e.d)] });
      const res = dm.columns[0] as Float64Array;
      for (let i = 0; i < n; i++) qua[i] = (res[i] as number) / ((sigH[i] as number) - 1);
      used = n;
    }
  }
  // (20)–(21)
  for (let i = 0; i < n; i++) if (!Number.isNaN(qua[i] as number)) ctx.bounds.add(e.h[i] as number, qua[i] as number);
  aggregate(ctx, e, qua);
  return { sigmaHat, firstStage, sigmaByHs3, singletons, used, smallHs6 };
}

/** Tally the estimation rows (5: a small HS6 when `small` is given, 6: not used by the estimator, 7: HS6 without a range, 8: aggregated) and add them to the (21) records. */
function aggregate(ctx: Ctx, r: CandidateRows, qua: Float64Array, small?: Uint8Array): void {
  const b = ctx.bounds;
  const rqua = new Float64Array(r.n);
  for (let i = 0; i < r.n; i++) {
    const h = r.h[i] as number,
      q = qua[i] as number;
    const L = small && small[h] ? 5 : Number.isNaN(q) ? 6 : b.hasRange(h) ? 8 : 7;
    ctx.tally.add(L, h, r.g[i] as number, r.value[i] as number);
    rqua[i] = L === 8 ? b.rqua(h, q) : NaN;
  }
  ctx.records.add(r, rqua);
}

function hs3Table(rows: readonly { hs3: string; sigma_hat: number; se: number; nobs: number; sigma_table: number }[]): Table {
  return table({
    hs3: rows.map((r) => r.hs3),
    sigma_hat: mapF64From(rows, (r) => r.sigma_hat),
    se: mapF64From(rows, (r) => r.se),
    nobs: mapF64From(rows, (r) => r.nobs),
    sigma_table: mapF64From(rows, (r) => r.sigma_table),
  });
}

/** The dependent variable of known-σ (18): ln q + σ_h ln p. */
function knownSigmaY(r: CandidateRows, sigma: Float64Array): Float64Array {
  const y = new Float64Array(r.n);
  for (let i = 0; i < r.n; i++) y[i] = (r.lnq[i] as number) + (sigma[r.h[i] as number] as number) * (r.lnp[i] as number);
  return y;
}

/** The variance of the out-of-core path from the `vcov` option (iid, hetero, or one-way clusters by a code column of (18)). */
function chunkVcov(v: string): ChunkVcov {
  const s = v.replace(/\s+/g, "");
  if (s === "iid" || s === "hetero") return { kind: s };
  const by = { "cluster:firm_id": "firm", "cluster:hs6_id": "hs6", "cluster:hs3_id": "hs3", "cluster:dy_id": "dy" }[s] as
    "firm" | "hs6" | "hs3" | "dy" | undefined;
  if (!by)
    throw new ArgumentError(`mode "by-year" supports vcov "iid", "hetero" or "cluster:" firm_id, hs6_id, hs3_id or dy_id; got "${v}"`);
  return { kind: "cluster", by };
}

/**
 * The out-of-core path: the source is read one year at a time (`WHERE year = t`); the rows
 * passing rules 1–4 go to a temporary binary file per year while the cell sums of pass 1
 * accumulate; (18) is estimated from sufficient statistics (`ChunkedRegression`) in two more
 * passes over the files, and a fourth pass computes (20)–(21). Only one year's rows, the cell
 * sums and the (21) records are in memory at a time.
 */
async function estimateByYear(ctx: Ctx): Promise<Estimated> {
  const { dict, tally, controls, method } = ctx;
  const P = dict.products;
  const H = P.hs6.length;
  const K = controls.length;
  const vc = chunkVcov(ctx.vcov);
  const pooled: ChunkDesign = { groupOf: new Int32Array(H), nGroups: 1, singletons: !(method === "known-sigma" && K === 0) };
  const designs: ChunkDesign[] = [pooled];
  if (method === "iv" && ctx.sigmaBy === "hs3") designs.push({ groupOf: P.hs3Of, nGroups: P.hs3.length, singletons: true });
  const qd = designs.length - 1;
  const model = method === "iv" ? "iv" : K ? "ols" : "fe";
  const vars = (r: CandidateRows): Float64Array[] =>
    method === "iv" ? [r.lnq, r.lnp, r.z, ...r.controls] : [knownSigmaY(r, P.sigma), ...r.controls];
  const nDy = dict.dests.length * dict.years.length;
  const reg = new ChunkedRegression({
    model,
    nControls: K,
    nHs6: H,
    nDest: dict.dests.length,
    nDy,
    minObs: ctx.minObs,
    designs,
    vcov: method === "iv" ? vc : { kind: "iid" },
    vars,
    clusterOf:
      vc.kind === "cluster"
        ? (r) =>
            vc.by === "firm" ? r.g : vc.by === "hs6" ? r.h : vc.by === "dy" ? r.d : mapI32(r.n, (i) => P.hs3Of[r.h[i] as number] as number)
        : undefined,
    nClusterCodes: () =>
      vc.kind !== "cluster" ? 0 : vc.by === "firm" ? ctx.firms.size : vc.by === "hs6" ? H : vc.by === "dy" ? nDy : P.hs3.length,
  });
  const store = new PartitionStore(ctx.o.tempDir, K, dict.years.length);
  try {
    // pass 1: SQL per year → rules 1–4 → file, cell sums
    for (const year of dict.years) {
      const cand = candidateRows(await partitionRows(ctx.src, dict, controls, year), dict, ctx.firms, ctx.cities, tally, {
        groupOrder: true,
      });
      reg.ingest(store.write(cand), cand);
    }
    const { smallHs6 } = rule5(reg.nprod, ctx.minObs);
    const nRows = reg.nprod.reduce((a, b) => a + b, 0);
    const nSmall = reg.nprod.reduce((a, v, h) => a + (v < ctx.minObs ? v : 0), 0);
    if (nRows - nSmall === 0)
      throw new ArgumentError(
        `no observations left after cleaning: ${dict.rows} rows; dropped by rule 1–5: ${[1, 2, 3, 4].map((l) => tally.rows[l]).join(", ")}, ${nSmall} (${ruleText(ctx.chapters, ctx.minObs).join("; ")})`,
      );
    reg.prepare();
    checkSigma(ctx, reg.nprod, reg.small);
    // pass 2: cross-products; solve
    for (let k = 0; k < store.count; k++) reg.crossPass(k, store.read(k));
    reg.solve();
    // pass 3: residuals, (19) and the score sums of the variance
    const sHat = reg.coefficients(qd).map((b) => (b && b.length ? -(b[0] as number) : NaN)); // σ̂ per group (estimated divisor)
    const quaOf = (r: CandidateRows, eps: Float64Array): Float64Array => {
      const q = new Float64Array(r.n);
      const G = designs[qd] as ChunkDesign;
      for (let i = 0; i < r.n; i++) {
        const v = eps[i] as number;
        if (Number.isNaN(v)) q[i] = NaN;
        else {
          const h = r.h[i] as number;
          q[i] = v / (method === "iv" ? divisorOf(ctx, h, sHat[G.groupOf[h] as number] as number) : (P.sigma[h] as number) - 1);
        }
      }
      return q;
    };
    for (let k = 0; k < store.count; k++) {
      const r = store.read(k);
      for (let d = 0; d < designs.length; d++) {
        const eps = reg.residualPass(k, r, d, true);
        if (d !== qd) continue;
        const q = quaOf(r, eps);
        for (let i = 0; i < r.n; i++) if (!Number.isNaN(q[i] as number)) ctx.bounds.add(r.h[i] as number, q[i] as number);
      }
    }
    // pass 4: (20)–(21) and the tallies
    for (let k = 0; k < store.count; k++) {
      const r = store.read(k);
      aggregate(ctx, r, quaOf(r, reg.residualPass(k, r, qd, false)), reg.small);
    }
    // results
    const fits = reg.fits(qd);
    const singletons = reg.singletons(qd);
    const used = fits.reduce((a, f) => a + (f ? f.n : 0), 0);
    let sigmaHat: SigmaEstimate | null = null,
      firstStage: QualityFirstStage | null = null,
      sigmaByHs3: Table | null = null;
    if (method === "iv") {
      const f = reg.fits(0)[0];
      if (!f) throw new EstimationError(`no observations left for (18) after removing fixed-effect singletons`);
      sigmaHat = {
        estimate: -(f.beta[0] as number),
        se: f.se[0] as number,
        ciLow: -(f.ciHigh[0] as number),
        ciHigh: -(f.ciLow[0] as number),
        nobs: f.n,
        ...(ctx.o.compareOls && f.ols ? { ols: -(f.ols[0] as number) } : {}),
      };
      if (f.firstStage) firstStage = { coef: f.firstStage.coef, f: f.firstStage.f, partialR2: f.firstStage.partialR2 };
      if (ctx.sigmaBy === "hs3") {
        const sigmaOfHs3 = new Float64Array(P.hs3.length).fill(NaN);
        for (let h = 0; h < H; h++) sigmaOfHs3[P.hs3Of[h] as number] = P.sigma[h] as number;
        const out: { hs3: string; sigma_hat: number; se: number; nobs: number; sigma_table: number }[] = [];
        fits.forEach((fk, k) => {
          if (fk)
            out.push({
              hs3: P.hs3[k] as string,
              sigma_hat: -(fk.beta[0] as number),
              se: fk.se[0] as number,
              nobs: fk.n,
              sigma_table: sigmaOfHs3[k] as number,
            });
        });
        sigmaByHs3 = hs3Table(out);
      }
    }
    return { sigmaHat, firstStage, sigmaByHs3, singletons, used, smallHs6 };
  } finally {
    store.dispose();
  }
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
    dropped: mapF64From(st, (s) => s.dropped),
    rows_left: mapF64From(st, (s) => s.rows),
    rows_left_share: mapF64From(st, (s) => (first.rows > 0 ? s.rows / first.rows : NaN)),
    hs6_left: mapF64From(st, (s) => s.hs6),
    firms_left: mapF64From(st, (s) => s.firms),
    value_left_share: mapF64From(st, (s) => (first.value > 0 ? s.value / first.value : NaN)),
  });
}
