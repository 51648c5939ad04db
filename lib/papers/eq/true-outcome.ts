import * as fs from "node:fs";
import * as path from "node:path";
import { readTable } from "../../data/io";
import { column, numeric, withColumns, type Table } from "../../data/table";
import { DataError } from "../../util/errors";
import { buildQualityPanel, type QualityPanel } from "./panel";
import { feols, type FeolsOptions, type FeolsResult } from "../../estimators/feols";
import { feolsMulti } from "../../estimators/feols-multi";
import { iv2slsMulti } from "../../estimators/iv2sls-multi";
import { iv2sls, type Iv2slsOptions, type Iv2slsResult } from "../../estimators/iv2sls";
import { EQ_TABLE2_SPECS, EQ_TABLE3_SPECS, eqLagSample, type EqSpec } from "./specs";
import { compositeKeyNumbers } from "../../data/composite-key";

/** The panels of `eqTrueOutcome`: the measured ones with the true quality beside the measured one. */
export interface EqTrueOutcome {
  /** `eq.panel` (city × HS4 × year) with `quality_true`: (21) over the same rows and weights, true quality in place of the measured. */
  readonly panel: Table;
  /** `eq.firm` (firm × HS6 × year) with `quality_true`. */
  readonly firm: Table;
  /** The quality panel with the firm table's `quality` replaced by the true one (for `mechanismPanel`). */
  readonly trueQualityPanel: QualityPanel;
  /** Firm × HS6 × year rows of the measured panel without a true quality (their cells use the matched rows only). */
  readonly unmatchedFirmRows: number;
  /** City × HS4 × year cells without any matched row (quality_true NaN, dropped by the estimators). */
  readonly unmatchedCells: number;
}

/** The file the generator writes with the noiseless true quality of every measured variety-year. */
export const EQ_TRUE_QUALITY_FILE = "truth_quality.parquet";

/**
 * The true outcome of the EQ regressions on synthetic data. The generator writes the noiseless
 * true quality of every variety-year the quality pipeline measures (`truth_quality.parquet`:
 * firm_id, HS2002 hs6, year, quality_true = ρ − u_ct − ξ_cjt, lib/synth/eq.ts); this puts it
 * beside the measured quality of the panel's own firm × HS6 × year rows and aggregates it with
 * the same export-value weights as (21):
 *
 *   Quality*_cjt = Σ_{(f,h) ∈ cjt} v_fht · q*_fht / Σ v_fht.
 *
 * The true value of any EQ specification — OLS or 2SLS, any fixed effects, the lag sample — is
 * then the same estimator run with `quality_true` as the outcome on the same rows: what the
 * estimator would give if quality were measured without error and the cells had no shocks.
 * Where the estimand is not the cell-equation β (e.g. L.vagg as the instrument: with the κ(vagg)
 * channel, entry cohorts carry last year's vagg into this year's quality, so the lag is not
 * excluded) this gives the estimator's own true value. `null` on real data (no such file).
 *
 * @example
 *   const tq = await eqTrueOutcome(eq, dir);
 *   feols(tq.panel, eqFormula("quality_true", "vagg"), { vcov: "iid" }).coef.vagg   // the true Table 2 col. 4
 */
export async function eqTrueOutcome(eq: QualityPanel, dir: string): Promise<EqTrueOutcome | null> {
  const file = path.join(dir, EQ_TRUE_QUALITY_FILE);
  if (!fs.existsSync(file)) return null;
  const t = await readTable(file);
  for (const c of ["firm_id", "hs6", "year", "quality_true"])
    if (!t.names.includes(c)) throw new DataError(`column "${c}" not found`, { file, column: c });
  const f = eq.firm;
  // the customs firm id: `firm_id` where the table has it (the split panels' firm is a firm × mode code), else `firm`
  const [tKey, fKey] = compositeKeyNumbers([
    { columns: [column(t, "firm_id"), column(f, f.names.includes("firm_id") ? "firm_id" : "firm")], as: "number" },
    { columns: [column(t, "hs6"), column(f, "hs6")], as: "string" },
    { columns: [column(t, "year"), column(f, "year")], as: "number" },
  ]) as [Float64Array, Float64Array];
  const tq = numeric(t, "quality_true");
  const truth = new Map<number, number>();
  for (let i = 0; i < t.nrows; i++) truth.set(tKey[i] as number, tq[i] as number);
  let unmatchedFirmRows = 0;
  const qTrue = new Float64Array(f.nrows);
  for (let i = 0; i < f.nrows; i++) {
    const v = truth.get(fKey[i] as number);
    if (v === undefined) unmatchedFirmRows++;
    qTrue[i] = v ?? NaN;
  }
  // (21) over the matched rows, per city × HS4 × year
  const p = eq.panel;
  // the same conversions as before the numeric keys: cities through numeric() on both sides, the
  // panel's year through numeric(), the firm table's year as it is
  const [fCell, pCell] = compositeKeyNumbers([
    { columns: [numeric(f, "city"), numeric(p, "city")], as: "number" },
    { columns: [column(f, "hs4"), column(p, "hs4")], as: "string" },
    { columns: [column(f, "year"), numeric(p, "year")], as: "number" },
  ]) as [Float64Array, Float64Array];
  const fv = numeric(f, "value");
  const acc = new Map<number, [number, number]>();
  for (let i = 0; i < f.nrows; i++) {
    const q = qTrue[i] as number,
      v = fv[i] as number;
    if (!Number.isFinite(q) || !(v > 0)) continue;
    const k = fCell[i] as number;
    const a = acc.get(k);
    if (a) {
      a[0] += v * q;
      a[1] += v;
    } else acc.set(k, [v * q, v]);
  }
  let unmatchedCells = 0;
  const cellTrue = new Float64Array(p.nrows);
  for (let i = 0; i < p.nrows; i++) {
    const a = acc.get(pCell[i] as number);
    if (!a) unmatchedCells++;
    cellTrue[i] = a ? a[0] / a[1] : NaN;
  }
  const firm = withColumns(f, { quality_true: qTrue });
  return {
    panel: withColumns(p, { quality_true: cellTrue }),
    firm,
    trueQualityPanel: { ...eq, firm: withColumns(f, { quality: qTrue }) },
    unmatchedFirmRows,
    unmatchedCells,
  };
}

/**
 * The true value of one specification: its estimator, with `quality_true` as the outcome, on the
 * same sample of the true-outcome panel (point estimate only).
 *
 * @example eqSpecTruth(tq, EQ_TABLE3_SPECS[3])   // the true value of the 2SLS with L.vagg
 */
export function eqSpecTruth(tq: EqTrueOutcome, spec: EqSpec): number {
  if (!/^quality\s*~/.test(spec.formula)) throw new DataError(`the outcome of "${spec.formula}" is not quality`, { term: spec.formula });
  const data = spec.sample === "lag" ? eqLagSample(tq.panel).panel : tq.panel;
  const f = spec.formula.replace(/^quality\s*~/, "quality_true ~");
  const m = spec.iv ? iv2sls(data, f, { vcov: "iid" }) : feols(data, f, { vcov: "iid" });
  return m.coef[spec.term] as number;
}

/**
 * One specification's fit on the measured outcome together with its true value (`eqSpecTruth`),
 * on `data` (the specification's sample of `tq.panel`; computed when not given). OLS columns are
 * one multiple-outcome fit `c(quality, quality_true) ~ …` (`feolsMulti`, `iv2slsMulti` for the
 * 2SLS columns): every other column is demeaned once for both outcomes, and the truth is
 * estimated on the fit's own rows with the fit's options (the same rows as `eqSpecTruth`
 * whenever quality_true is missing on no more rows than quality; otherwise it gets its own
 * sample, as in eqSpecTruth).
 *
 * @example
 *   const { fit, truth } = eqSpecFitWithTruth(tq, EQ_TABLE2_SPECS[3], { vcov: { cluster: ["city^hs4"] } });
 *   (fit.coef.vagg - truth) / fit.se.vagg   // z of the baseline against its true value
 */
export function eqSpecFitWithTruth<O extends FeolsOptions & Iv2slsOptions>(
  tq: EqTrueOutcome,
  spec: EqSpec,
  opts: O,
  data?: Table,
): { fit: FeolsResult | Iv2slsResult; truth: number } {
  if (!/^quality\s*~/.test(spec.formula)) throw new DataError(`the outcome of "${spec.formula}" is not quality`, { term: spec.formula });
  const d = data ?? (spec.sample === "lag" ? eqLagSample(tq.panel).panel : tq.panel);
  const both = spec.formula.replace(/^quality\s*~/, "c(quality, quality_true) ~");
  const [fit, t] = (spec.iv ? iv2slsMulti(d, both, opts) : feolsMulti(d, both, opts)) as [
    FeolsResult | Iv2slsResult,
    FeolsResult | Iv2slsResult,
  ];
  return { fit, truth: t.coef[spec.term] as number };
}

/** True values of the EQ Table 2 and Table 3 columns (`eqTrueValues`). */
export interface EqTrueValues {
  readonly table2: readonly number[];
  readonly table3: readonly number[];
}

/**
 * The true value of every column of EQ Tables 2–3 on synthetic data: each column's own
 * estimator on the noiseless true outcome over the same rows (`eqSpecTruth`; Table 3 col. 3 is
 * the coefficient of L.vagg). `null` on real data. Pass `eq` to reuse a built panel.
 *
 * @example
 *   const tv = await eqTrueValues(env.dataDir, eq);
 *   showTable(eqTable3([e1, e2, e3, e4, e5, e6], env, tv));
 */
export async function eqTrueValues(dir: string, eq?: QualityPanel): Promise<EqTrueValues | null> {
  const tq = await eqTrueOutcome(eq ?? (await buildQualityPanel(dir)), dir);
  if (!tq) return null;
  return { table2: EQ_TABLE2_SPECS.map((s) => eqSpecTruth(tq, s)), table3: EQ_TABLE3_SPECS.map((s) => eqSpecTruth(tq, s)) };
}
