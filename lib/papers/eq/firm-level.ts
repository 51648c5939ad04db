import * as path from "node:path";
import { exec, registerTable, sql } from "../../data/duckdb";
import { readTable } from "../../data/io";
import { fromRecords, type Table } from "../../data/table";
import { FIRMS } from "../../data/schemas/firms";
import { EQ_CONTROLS, type QualityPanel } from "./panel";

/** The firm controls of EQ Table 4 col. 5 (§4.3(2): 企业年龄、企业规模以及企业人均资产). */
export const EQ_FIRM_CONTROLS = ["age", "size", "klr"] as const;

/** Sample years of the firm-level regressions (§4.3(2): the matched customs–industrial-survey data, 2005–2013). */
export const EQ_FIRM_YEARS: readonly [number, number] = [2005, 2013];

/** The fixed effects of Table 4 cols. 4–5: firm, city and year (行业固定效应 否). */
export const EQ_FIRM_FE = "firm + city + year";

export interface FirmPanel {
  /** firm, city, province, year, quality, value, lines (HS6 lines), vagg, controls, age, size, klr — firm × city × year. */
  readonly panel: Table;
  /** step, rows: every row removed on the way from firm × HS6 × year quality to the firm panel. */
  readonly counts: Table;
}

let seq = 0;

/**
 * EQ Table 4 cols. 4–5, the firm-level data (§4.3(2)): export quality of firm g in city c and
 * year t, the export-value-weighted mean over its HS6 lines h of the firm × HS6 × year quality of
 * (21) (`eq.firm`),
 *
 *   c_qua_gct = Σ_h v_ght · qua_ght / Σ_h v_ght,
 *
 * for 2005–2013, matched to the industrial-survey attributes of `firms.csv` (schema `FIRMS`,
 * data/codebook/firms.md) and joined with the city covariates of `eq.firm`. Firm controls:
 * age = ln(1 + t − founding year), size = ln employment, klr = ln(total assets / employment).
 * Rows outside 2005–2013 and firm-years without a survey row are removed and counted (`counts`);
 * firm-years with a survey row but a missing attribute are kept with NaN (the estimator drops and
 * counts them in col. 5 only).
 *
 * @example
 *   const fp = await buildFirmPanel(eq, env.dataDir);
 *   feols(fp.panel, eqFirmFormula(true), { vcov: { cluster: ['firm'] } });   // Table 4 col. 5
 */
export async function buildFirmPanel(eq: QualityPanel, dir: string): Promise<FirmPanel> {
  const [y0, y1] = EQ_FIRM_YEARS;
  const firms = await readTable(path.join(dir, "firms.csv"), { schema: FIRMS });
  const id = `eqfirm${++seq}`;
  await registerTable(`${id}_q`, eq.firm);
  await registerTable(`${id}_a`, firms);
  const covs = ["province", "vagg", ...EQ_CONTROLS].map((n) => `any_value(q.${n}) AS ${n}`).join(", ");
  await exec(`CREATE OR REPLACE TEMP TABLE ${id}_fy AS
    SELECT CAST(CAST(q.firm AS DOUBLE) AS BIGINT) AS firm_id, CAST(q.city AS INTEGER) AS city, CAST(q.year AS INTEGER) AS year,
      sum(q.value * q.quality) / sum(q.value) AS quality, sum(q.value) AS value, count(*) AS lines, ${covs}
    FROM ${id}_q q
    WHERE CAST(q.year AS INTEGER) BETWEEN ${y0} AND ${y1} AND q.value > 0 AND NOT isnan(q.quality)
    GROUP BY ALL`);
  const panel = await sql(
    `SELECT CAST(f.firm_id AS VARCHAR) AS firm, f.city, f.province, f.year, f.quality, f.value, f.lines, f.vagg,
      ${EQ_CONTROLS.map((n) => `f.${n}`).join(", ")},
      ln(1 + f.year - CAST(a.founding_year AS DOUBLE)) AS age,
      ln(CAST(a.employment AS DOUBLE)) AS size,
      ln(CAST(a.total_assets AS DOUBLE) / CAST(a.employment AS DOUBLE)) AS klr
    FROM ${id}_fy f JOIN ${id}_a a ON CAST(a.firm_id AS BIGINT) = f.firm_id AND CAST(a.year AS INTEGER) = f.year
    ORDER BY f.firm_id, f.year`,
    { intColumns: ["city", "year", "province"] },
  );
  const n = async (q: string): Promise<number> => (await sql(`SELECT count(*)::DOUBLE AS n FROM ${q}`)).columns["n"]![0] as number;
  const all = await n(`${id}_q`);
  const inYears = await n(`${id}_q q WHERE CAST(q.year AS INTEGER) BETWEEN ${y0} AND ${y1}`);
  const usable = await n(`${id}_q q WHERE CAST(q.year AS INTEGER) BETWEEN ${y0} AND ${y1} AND q.value > 0 AND NOT isnan(q.quality)`);
  const fy = await n(`${id}_fy`);
  await exec(`DROP TABLE IF EXISTS ${id}_fy`);
  const counts = fromRecords([
    { step: "firm × HS6 × year quality rows (eq.firm)", rows: all },
    { step: `removed: outside ${y0}–${y1}`, rows: all - inYears },
    { step: "removed: no export value or no quality", rows: inYears - usable },
    { step: "firm × city × year rows (value-weighted over HS6 lines)", rows: fy },
    { step: "removed: firm-year not in the industrial survey (firms.csv)", rows: fy - panel.nrows },
    { step: "firm panel rows", rows: panel.nrows },
  ]);
  return { panel, counts };
}

/**
 * The formula of EQ Table 4 col. 4 (`controls = false`: vagg only, as printed — neither regional nor
 * firm controls) or col. 5 (regional controls of Table 1 and the firm controls age, size, klr),
 * with firm, city and year fixed effects and no industry fixed effects.
 *
 * @example
 *   eqFirmFormula(false)   // "quality ~ vagg | firm + city + year"
 */
export function eqFirmFormula(controls: boolean): string {
  const rhs = controls ? ["vagg", ...EQ_CONTROLS, ...EQ_FIRM_CONTROLS] : ["vagg"];
  return `quality ~ ${rhs.join(" + ")} | ${EQ_FIRM_FE}`;
}
