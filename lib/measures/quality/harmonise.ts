import { sql } from "../../data/duckdb";
import { numeric } from "../../data/table";

/** Rows of the HS harmonisation step (see {@link hsHarmonise}). */
export interface HsHarmoniseCounts {
  /** Customs rows read. */
  readonly input: number;
  /** Rows whose code is an HS2002 code of the products list (kept as they are). */
  readonly hs2002: number;
  /** Rows mapped back to HS2002 from an HS2007 code (export years 2007–2011). */
  readonly fromHs2007: number;
  /** Rows mapped back to HS2002 from an HS2012 code (export years 2012 on). */
  readonly fromHs2012: number;
  /** Rows whose code is neither HS2002 nor in the concordance of its year's vintage: dropped. */
  readonly unmapped: number;
  /** Distinct codes among the dropped rows. */
  readonly unmappedCodes: number;
}

/** The harmonised customs relation (SQL) and its counts. */
export interface HsHarmonised {
  /** SELECT over the customs rows with `hs6` replaced by its HS2002 code; unmapped rows left out. */
  readonly sql: string;
  readonly counts: HsHarmoniseCounts;
}

/**
 * HS code harmonisation to HS2002, the step EQ §3 states before (18) ("将样本期出口产品统一转换为
 * 2002 版 HS6 编码"): China Customs reports HS6 codes of the vintage in force — HS2002 until
 * 2006, HS2007 in 2007–2011, HS2012 from 2012 — so a product whose code changed between
 * vintages appears under different codes. Each row's vintage is fixed by its year,
 *
 *   vintage(t) = HS2002 (t ≤ 2006), HS2007 (2007 ≤ t ≤ 2011), HS2012 (t ≥ 2012),
 *
 * and its code is mapped by the concordance (columns hs_code, vintage, hs2002; on real data the
 * UN Statistics Division / WITS HS2007→HS2002 and HS2012→HS2002 correlation tables, many-to-one
 * lines only — a split code must be assigned to one HS2002 code by the user before this step).
 * A code that is already an HS2002 code of the products list (`products`, column hs6) is kept;
 * a code with neither is dropped and counted. `customs`, `concordance` and `products` are SQL
 * FROM expressions (e.g. `scanExpression(file)`).
 *
 * @example
 *   const h = await hsHarmonise(scanExpression("customs.parquet"), scanExpression("hs_concordance.csv"), scanExpression("products.csv"));
 *   await productQuality({ customs: { sql: h.sql }, sigma: "sigma_hs3.csv", products: "products.csv" });
 *   h.counts   // { input, hs2002, fromHs2007, fromHs2012, unmapped, unmappedCodes }
 */
export async function hsHarmonise(customs: string, concordance: string, products: string): Promise<HsHarmonised> {
  const vintage = `CASE WHEN CAST(c.year AS INTEGER) >= 2012 THEN 'HS2012' WHEN CAST(c.year AS INTEGER) >= 2007 THEN 'HS2007' ELSE 'HS2002' END`;
  const joined = `FROM ${customs} c
    LEFT JOIN (SELECT DISTINCT CAST(hs6 AS VARCHAR) AS hs6 FROM ${products}) p ON p.hs6 = CAST(c.hs6 AS VARCHAR)
    LEFT JOIN (SELECT CAST(hs_code AS VARCHAR) AS hs_code, CAST(vintage AS VARCHAR) AS vintage, CAST(hs2002 AS VARCHAR) AS hs2002 FROM ${concordance}) k
      ON k.hs_code = CAST(c.hs6 AS VARCHAR) AND k.vintage = ${vintage}`;
  const cnt = await sql(`SELECT count(*) AS input,
      count(*) FILTER (WHERE p.hs6 IS NOT NULL) AS hs2002,
      count(*) FILTER (WHERE p.hs6 IS NULL AND k.hs2002 IS NOT NULL AND k.vintage = 'HS2007') AS from07,
      count(*) FILTER (WHERE p.hs6 IS NULL AND k.hs2002 IS NOT NULL AND k.vintage = 'HS2012') AS from12,
      count(*) FILTER (WHERE p.hs6 IS NULL AND k.hs2002 IS NULL) AS unmapped,
      count(DISTINCT CASE WHEN p.hs6 IS NULL AND k.hs2002 IS NULL THEN CAST(c.hs6 AS VARCHAR) END) AS unmapped_codes
    ${joined}`);
  const n = (k: string): number => numeric(cnt, k)[0] as number;
  return {
    sql: `SELECT c.* REPLACE (COALESCE(p.hs6, k.hs2002) AS hs6) ${joined} WHERE COALESCE(p.hs6, k.hs2002) IS NOT NULL`,
    counts: {
      input: n("input"),
      hs2002: n("hs2002"),
      fromHs2007: n("from07"),
      fromHs2012: n("from12"),
      unmapped: n("unmapped"),
      unmappedCodes: n("unmapped_codes"),
    },
  };
}
