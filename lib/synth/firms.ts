import * as path from "node:path";
import type { Rng } from "../util/rng";
import { writeCsv, type Cell } from "./csv";

/** Survey years of the firm file (EQ §4.3(2): customs matched to the industrial survey, 2005–2013). */
export const FIRM_YEARS: readonly [number, number] = [2005, 2013];

/** The design of the synthetic firm attributes (none of them enters quality: firm controls are not built into the DGP). */
export const FIRM_DESIGN = {
  /** Share of customs exporters found in the industrial survey (the rest are unmatched and have no row). */
  matchRate: 0.8,
  /** Probability that a matched firm is in the survey in a given year after founding (the above-scale threshold). */
  surveyPresence: 0.92,
  /** Share of firm-years with total assets missing (left empty; the estimators drop and count them). */
  missingAssets: 0.01,
  /** ln employment = lnEmp0 + lnEmpExports · (ln mean exports − its mean) + 0.03 · (year − 2005) + firm (sd 0.7) + firm-year (sd 0.15). */
  lnEmp0: 5.0,
  lnEmpExports: 0.35,
  /** ln(assets per worker, thousand CNY) = lnKl0 + 0.1 · (ln mean exports − its mean) + firm (sd 0.6) + firm-year (sd 0.1). */
  lnKl0: 5.5,
  /** Founding year = first customs year − 1 − ⌊Exp(mean foundingMeanLag)⌋, not before 1949. */
  foundingMeanLag: 9,
} as const;

/**
 * The synthetic firm-attributes file `firms.csv` (schema `FIRMS`, lib/data/schemas/firms.ts;
 * data/codebook/firms.md): for the customs exporters found in the industrial survey (share
 * `matchRate`), one row per survey year 2005–2013 from founding on (each year present with
 * probability `surveyPresence`), with founding year, employment and total assets. Size and capital
 * intensity rise with the firm's mean export value (larger exporters are larger firms), founding
 * years precede the first export year. Reads only the customs columns, so the other generated
 * files do not change. Returns the number of rows written.
 *
 * @example
 *   const n = writeFirms(outDir, customs, root.fork("asie"));   // → <outDir>/firms.csv
 */
export function writeFirms(
  outDir: string,
  customs: { readonly firm_id: Int32Array; readonly year: Int32Array; readonly value_usd: Float64Array },
  r: Rng,
): number {
  const D = FIRM_DESIGN;
  const first = new Map<number, number>();
  const val = new Map<number, number>();
  const yrs = new Map<number, Set<number>>();
  for (let i = 0; i < customs.firm_id.length; i++) {
    const f = customs.firm_id[i] as number,
      y = customs.year[i] as number;
    first.set(f, Math.min(first.get(f) ?? Infinity, y));
    val.set(f, (val.get(f) ?? 0) + (customs.value_usd[i] as number));
    if (!yrs.has(f)) yrs.set(f, new Set());
    (yrs.get(f) as Set<number>).add(y);
  }
  const firms = [...first.keys()].sort((a, b) => a - b);
  const lnx = firms.map((f) => Math.log((val.get(f) as number) / (yrs.get(f) as Set<number>).size));
  const mx = lnx.reduce((a, v) => a + v, 0) / Math.max(1, lnx.length);
  const body: Cell[][] = [];
  firms.forEach((f, k) => {
    const matched = r.uniform() < D.matchRate;
    const founding = Math.max(1949, (first.get(f) as number) - 1 - Math.floor(-D.foundingMeanLag * Math.log(1 - r.uniform())));
    const eFirm = 0.7 * r.normal(),
      kFirm = 0.6 * r.normal();
    const x = (lnx[k] as number) - mx;
    for (let y = FIRM_YEARS[0]; y <= FIRM_YEARS[1]; y++) {
      const present = r.uniform() < D.surveyPresence;
      const eY = 0.15 * r.normal(),
        kY = 0.1 * r.normal(),
        miss = r.uniform() < D.missingAssets;
      if (!matched || !present || y < founding) continue;
      const emp = Math.max(8, Math.round(Math.exp(D.lnEmp0 + D.lnEmpExports * x + 0.03 * (y - 2005) + eFirm + eY)));
      const assets = emp * Math.exp(D.lnKl0 + 0.1 * x + kFirm + kY);
      body.push([f, y, founding, emp, miss ? null : Math.round(assets * 10) / 10]);
    }
  });
  writeCsv(path.join(outDir, "firms.csv"), ["firm_id", "year", "founding_year", "employment", "total_assets"], body);
  return body.length;
}
