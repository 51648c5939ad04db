import { factorFor } from "../estimators/model-frame";
import { subsetFactor, type Factor } from "../core/fixed-effects/factorize";
import { feols } from "../estimators/feols";
import { iv2sls } from "../estimators/iv2sls";
import { panelShareMatrix, type BaseShares, type PanelShareMatrix } from "../estimators/shift-share/panel-share-matrix";
import { shiftShareOls } from "../estimators/shift-share/ols";
import { shiftShareIv } from "../estimators/shift-share/iv";
import { shockCoefficients } from "../estimators/shift-share/shock-coefficients";
import type { ShiftShareResult } from "../estimators/shift-share/types";
import { column, numeric, table, type Table } from "../data/table";
import { dataTable } from "../report/data-table";
import type { ReportTable } from "../report/model";
import { EstimationError } from "../util/errors";
import { mapF64From } from "../util/typed-map";

/**
 * One panel regression whose regressor (OLS) or excluded instrument (IV) is a Bartik index
 * x_{ct} = Σ_s share_{c,s} g_{s,t−lag}: outcome, the shift-share column, the endogenous variable
 * (IV only), controls, fixed effects ("a^b" interactions allowed) and the clusters of the usual SE.
 */
export interface AkmPanelSpec {
  readonly label: string;
  readonly y: string;
  /** The shift-share column: the regressor of interest (OLS) or the excluded instrument (IV). */
  readonly x: string;
  /** IV only: the endogenous regressor instrumented by `x`. */
  readonly endog?: string;
  /** Periods between the shift and the row (1 for a lagged index: shock (s, t−1)). */
  readonly lag?: number;
  readonly controls?: readonly string[];
  readonly fe: readonly string[];
  readonly cluster: readonly string[];
}

/** One row of `akmPanelRows`: the usual clustered fit beside the AKM fit on the same sample. */
export interface AkmPanelRow {
  readonly spec: AkmPanelSpec;
  /** Coefficient and clustered SE from feols / iv2sls. */
  readonly estimate: number;
  readonly clusteredSe: number;
  readonly akm: ShiftShareResult;
  /** max |x − Wĝ| / max |x|: how far the column is from the span of the shares (0 up to rounding for a true shift-share). */
  readonly spanGap: number;
  readonly nShocks: number;
  /** Distinct (unit, period) share rows in the sample: AKM needs many fewer shocks than these. */
  readonly shareRows: number;
}

/**
 * For panel specifications with a Bartik regressor or instrument, fit the usual regression
 * (feols / iv2sls with the given clusters) and, on its estimation sample, the AKM standard error
 * and AKM0 interval (Adão, Kolesár & Morales 2019, QJE; ShiftShareSE) with the shocks k = (industry,
 * period) of `panelShareMatrix` clustered by industry (a shift's serial correlation is allowed), the
 * same controls and absorbed fixed effects (FWL). Checks that the column is a shift-share of the
 * shares (`spanGap`, error above `maxSpanGap`, default 1e-6; a column altered after it was built,
 * e.g. winsorised, lies off the span and AKM then uses its projection Wĝ's residualised
 * coefficients X̂ — allow it explicitly) and that the two fits give the same coefficient.
 *
 * Formula: se_AKM = √(Σ_industry (Σ_{t} X̂_{s,t} Σ_i W_{i,(s,t)} ε̂_i)²) / ΣẌ², on the feols sample.
 *
 * @example
 *   akmPanelRows(eq.panel, [{ label: "(4)", y: "quality", x: "vagg", controls: [...EQ_CONTROLS], fe: ["city", "year", "hs4"], cluster: ["city^hs4"] }], shares);
 */
export function akmPanelRows(
  panel: Table,
  specs: readonly AkmPanelSpec[],
  shares: BaseShares,
  opts: { readonly unit?: string; readonly time?: string; readonly maxSpanGap?: number } = {},
): AkmPanelRow[] {
  const keys = { unit: opts.unit ?? "city", time: opts.time ?? "year" };
  const maxGap = opts.maxSpanGap ?? 1e-6;
  const psmCache: { rows: Int32Array; lag: number; psm: PanelShareMatrix }[] = [];
  const sameRows = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
  return specs.map((s) => {
    const ctrls = s.controls ?? [];
    const fe = s.fe.join(" + ");
    const vcov = { cluster: [...s.cluster] };
    const fit = s.endog
      ? iv2sls(panel, `${s.y} ~ ${ctrls.length ? ctrls.join(" + ") : "1"} | ${fe} | ${s.endog} ~ ${s.x}`, { vcov })
      : feols(panel, `${s.y} ~ ${[s.x, ...ctrls].join(" + ")} | ${fe}`, { vcov });
    const name = s.endog ?? s.x;
    const rows = fit.obsRows;
    const sub = (v: Float64Array) => {
      const out = new Float64Array(rows.length);
      for (let k = 0; k < rows.length; k++) out[k] = v[rows[k] as number] as number;
      return out;
    };
    const unitCol = column(panel, keys.unit);
    const timeCol = numeric(panel, keys.time);
    // the share matrix depends only on the estimation rows and the lag: specs on the same
    // sample share it
    let psm = psmCache.find((c) => c.lag === (s.lag ?? 0) && sameRows(c.rows, rows))?.psm;
    if (!psm) {
      psm = panelShareMatrix(
        Array.from(rows, (i) => unitCol[i]),
        sub(timeCol),
        shares,
        s.lag ?? 0,
      );
      psmCache.push({ rows, lag: s.lag ?? 0, psm });
    }
    const x = sub(numeric(panel, s.x));
    const g = shockCoefficients(x, psm.W, undefined);
    let gap = 0;
    let scale = 0;
    for (let i = 0; i < x.length; i++) {
      let f = 0;
      for (let k = psm.W.rowPtr[i] as number; k < (psm.W.rowPtr[i + 1] as number); k++) {
        const c = g.coef[psm.W.sectors[k] as number] as number;
        if (!Number.isNaN(c)) f += c * (psm.W.values[k] as number);
      }
      gap = Math.max(gap, Math.abs((x[i] as number) - f));
      scale = Math.max(scale, Math.abs(x[i] as number));
    }
    const spanGap = scale > 0 ? gap / scale : gap;
    if (!(spanGap <= maxGap))
      throw new EstimationError(`${s.label}: ${s.x} is not a shift-share of the given shares (max |x − Wĝ| / max |x| = ${spanGap})`);
    const opts = {
      x,
      shares: psm.W,
      controls: ctrls.map((c) => sub(numeric(panel, c))),
      fixedEffects: s.fe.map((f) => subsetFactor(factorFor(panel, f, "fixed-effect"), rows)),
      sectorCluster: psm.shockIndustry,
    };
    const y = sub(numeric(panel, s.y));
    const akm = s.endog ? shiftShareIv(y, sub(numeric(panel, s.endog)), opts) : shiftShareOls(y, opts);
    const estimate = fit.coef[name] as number;
    if (!(Math.abs(akm.estimate - estimate) <= 1e-6 * Math.max(1, Math.abs(estimate))))
      throw new EstimationError(`${s.label}: AKM fit gives ${akm.estimate}, ${s.endog ? "iv2sls" : "feols"} ${estimate}`);
    const shareRows = distinctPairs(subsetFactor(factorFor(panel, keys.unit, "unit"), rows), sub(timeCol));
    return { spec: s, estimate, clusteredSe: fit.se[name] as number, akm, spanGap, nShocks: g.kept.length, shareRows };
  });
}

/**
 * The AKM-beside-clustered table of `akmPanelRows`: columns `specification`, `estimate`,
 * `clustered_se`, `akm_se`, `akm_ratio` (AKM / clustered), `akm0_low`, `akm0_high` (95%),
 * `nobs`, `shocks` (industry × period shifts with variation), `shock_clusters` (industries),
 * `span_gap` (max |x − Wĝ| / max |x|: 0 up to rounding when x is exactly a shift-share). A note
 * flags rows with at least as many shocks as distinct share rows (AKM then not informative).
 *
 * Formula: akm_ratio = se_AKM / se_cluster.
 *
 * @example
 *   showTable(akmPanelTable(akmPanelRows(panel, specs, shares), "AKM beside clustered SEs"));
 */
export function akmPanelTable(rows: readonly AkmPanelRow[], title: string, notes: readonly string[] = []): ReportTable {
  const saturated = rows.filter((r) => r.nShocks >= r.shareRows);
  const warn = saturated.length
    ? [
        `Not informative: ${saturated.map((r) => r.spec.label).join(", ")} — as many shocks as distinct city-year share rows (${saturated[0]!.nShocks} ≥ ${saturated[0]!.shareRows}), so the shares fit Ẍ exactly and AKM has no shock-level replication (too few cities at this scale).`,
      ]
    : [];
  const pick = (r: AkmPanelRow, m: string) => r.akm.inference.find((x) => x.method === m)!;
  const t = table({
    specification: rows.map((r) => r.spec.label),
    estimate: mapF64From(rows, (r) => r.estimate),
    clustered_se: mapF64From(rows, (r) => r.clusteredSe),
    akm_se: mapF64From(rows, (r) => pick(r, "akm").se),
    akm_ratio: mapF64From(rows, (r) => pick(r, "akm").se / r.clusteredSe),
    akm0_low: mapF64From(rows, (r) => pick(r, "akm0").ciLow),
    akm0_high: mapF64From(rows, (r) => pick(r, "akm0").ciHigh),
    nobs: mapF64From(rows, (r) => r.akm.nobs),
    shocks: mapF64From(rows, (r) => r.nShocks),
    shock_clusters: mapF64From(rows, (r) => r.akm.nSectors),
    span_gap: mapF64From(rows, (r) => r.spanGap),
  });
  return dataTable(t, {
    title,
    digits: { estimate: 4, clustered_se: 4, akm_se: 4, akm_ratio: 2, akm0_low: 4, akm0_high: 4, span_gap: 3 },
    counts: ["nobs", "shocks", "shock_clusters"],
    notes: [
      "AKM: Adão, Kolesár & Morales (2019, QJE) SE with the shocks (industry × year shifts) clustered by industry; AKM0: the null-imposed 95% interval (lower > upper means the union of two half-lines).",
      ...notes,
      ...warn,
    ],
  });
}

/** Number of distinct (unit, time) pairs among the rows (unit as factor codes, time as numbers). */
function distinctPairs(unit: Factor, time: Float64Array): number {
  const seen = new Set<number>();
  const t0 = time.reduce((a, b) => Math.min(a, b), Infinity);
  const span = time.reduce((a, b) => Math.max(a, b), -Infinity) - t0 + 1;
  for (let i = 0; i < time.length; i++) seen.add((unit.codes[i] as number) * span + ((time[i] as number) - t0));
  return seen.size;
}
