import { type Table, table, takeRows, column } from "../../data/table";
import { did, eventStudy } from "../../estimators/did";
import type { FeolsResult } from "../../estimators/feols";
import type { WaldTest } from "../../estimators/wald";
import {
  sunAbraham,
  attGt,
  aggregateAtt,
  baconDecomposition,
  preTrendTest,
  attGtPreTest,
  type AttGtPreTest,
  type SunAbrahamResult,
  type AttGtResult,
  type AttAggregate,
  type BaconDecomposition,
} from "../../estimators/staggered";
import { dataTable } from "../../report/data-table";
import type { ReportTable } from "../../report/model";
import { coefPlot } from "../../report/charts/coef-plot";
import type { CoefPoint } from "../../report/charts/coef-points";
import type { VegaLiteSpec } from "../../report/charts/spec";
import { RS_CONTROLS } from "./panel";

/** Everything the staggered-DID comparison of the smart-city pilots estimates (see `rsStaggered`). */
export interface RsStaggered {
  /** TWFE DID with controls (RS eq. 9) and without (the coefficient the Bacon decomposition splits). */
  readonly twfe: FeolsResult;
  readonly twfeNoControls: FeolsResult;
  /** Cities and rows of the balanced sub-panel (cities observed in every year) that `twfeNoControls` and `bacon` use. */
  readonly balanced: { readonly cities: number; readonly rows: number; readonly droppedCities: number };
  /** TWFE event study over `window`, binned end points, with controls. */
  readonly eventStudy: FeolsResult & { readonly eventNames: string[] };
  /** Sun–Abraham with never-treated controls and the RS controls. */
  readonly sunAbraham: SunAbrahamResult;
  /** Callaway–Sant'Anna ATT(g,t) (unconditional parallel trends) with never- and not-yet-treated controls. */
  readonly csNever: { readonly gt: AttGtResult; readonly simple: AttAggregate; readonly dynamic: AttAggregate };
  readonly csNotYet: { readonly gt: AttGtResult; readonly simple: AttAggregate; readonly dynamic: AttAggregate };
  readonly bacon: BaconDecomposition;
  /** Joint pre-trend tests: TWFE leads (et_m*), Sun–Abraham aggregated leads (F); Callaway–Sant'Anna pre-period ATT(g,t) (χ², did's pre-test). */
  readonly pretrend: {
    readonly twfe: WaldTest;
    readonly sunAbraham: WaldTest;
    readonly csNever: AttGtPreTest;
    readonly csNotYet: AttGtPreTest;
  };
  readonly window: readonly [number, number];
}

/** Rows of the cities observed in every year of the panel (one row per city and year), and how many cities are left out. */
function balancedRows(panel: Table, unit: string, time: string): { rows: Int32Array; cities: number; dropped: number } {
  const u = column(panel, unit) as ArrayLike<unknown>,
    t = column(panel, time) as ArrayLike<unknown>;
  const years = new Set<string>();
  const byCity = new Map<string, { rows: number[]; years: Set<string> }>();
  for (let i = 0; i < panel.nrows; i++) {
    const c = String(u[i]),
      y = String(t[i]);
    years.add(y);
    if (!byCity.has(c)) byCity.set(c, { rows: [], years: new Set() });
    const e = byCity.get(c)!;
    e.rows.push(i);
    e.years.add(y);
  }
  const keep: number[] = [];
  let cities = 0;
  for (const e of byCity.values())
    if (e.years.size === years.size && e.rows.length === years.size) {
      cities++;
      keep.push(...e.rows);
    }
  keep.sort((a, b) => a - b);
  return { rows: Int32Array.from(keep), cities, dropped: byCity.size - cities };
}

/**
 * The smart-city pilot DID of RS §4.2 (Yan, Xu & Zhang 2025) re-estimated with heterogeneity-robust
 * staggered-DID estimators: TWFE DID and event study (`did`, `eventStudy`), Sun & Abraham (2021)
 * interaction-weighted ATT and event study, Callaway & Sant'Anna (2021) ATT(g,t) with never- and
 * not-yet-treated controls aggregated to the overall ('simple') and event-time effects, the
 * Goodman-Bacon (2021) decomposition of the TWFE coefficient, and joint pre-trend Wald tests.
 * Panel columns: city, year, resi, smart_year (adoption year, NA never) and the RS controls.
 * Callaway–Sant'Anna and Bacon use no covariates (unconditional parallel trends; Bacon's identity
 * needs a covariate-free TWFE). On an unbalanced panel (e.g. the RS baseline sample) the Bacon
 * decomposition and the covariate-free TWFE it splits use the balanced sub-panel of cities observed
 * in every year (`balanced`); everything else uses the whole panel.
 *
 * @example
 *   const st = rsStaggered(rs.panel);
 *   showTable(rsStaggeredTable(st)); await showChart(rsStaggeredChart(st));
 */
export function rsStaggered(
  panel: Table,
  opts: { readonly window?: readonly [number, number]; readonly controls?: readonly string[] } = {},
): RsStaggered {
  const window = opts.window ?? ([-4, 4] as const);
  const controls = opts.controls ?? RS_CONTROLS;
  const spec = { y: "resi", unit: "city", time: "year", adoption: "smart_year" } as const;
  const twfe = did(panel, { ...spec, controls });
  const bal = balancedRows(panel, "city", "year");
  const balPanel = bal.rows.length === panel.nrows ? panel : takeRows(panel, bal.rows);
  const twfeNoControls = did(balPanel, spec);
  const es = eventStudy(panel, { ...spec, controls, window, bin: true });
  const sa = sunAbraham(panel, { ...spec, controls });
  const cs = (control: "never" | "notyet") => {
    const gt = attGt(panel, { ...spec, control });
    return Object.freeze({ gt, simple: aggregateAtt(gt, "simple"), dynamic: aggregateAtt(gt, "dynamic") });
  };
  const csNever = cs("never"),
    csNotYet = cs("notyet");
  return Object.freeze({
    twfe,
    twfeNoControls,
    balanced: Object.freeze({ cities: bal.cities, rows: bal.rows.length, droppedCities: bal.dropped }),
    eventStudy: es,
    sunAbraham: sa,
    csNever,
    csNotYet,
    bacon: baconDecomposition(balPanel, spec),
    pretrend: Object.freeze({
      twfe: preTrendTest(es),
      sunAbraham: preTrendTest(sa),
      csNever: attGtPreTest(csNever.gt),
      csNotYet: attGtPreTest(csNotYet.gt),
    }),
    window,
  });
}

const waldText = (w: WaldTest): string => (Number.isFinite(w.stat) ? `F(${w.df1}, ${w.df2}) = ${w.stat.toFixed(2)}` : "n/a");
const chi2Text = (w: AttGtPreTest): string => (Number.isFinite(w.stat) ? `χ²(${w.df}) = ${w.stat.toFixed(2)}` : (w.reason ?? "n/a"));

/**
 * The comparison table: TWFE DID (with and without controls), Sun–Abraham ATT, Callaway–Sant'Anna
 * overall ATT (never- and not-yet-treated controls) and event-time average, the Bacon decomposition
 * by comparison type (weight, weighted 2×2 estimate) and the pre-trend p-values, side by side.
 *
 * @example showTable(rsStaggeredTable(rsStaggered(rs.panel)));
 */
export function rsStaggeredTable(st: RsStaggered, title = "Smart-city pilots: TWFE vs heterogeneity-robust staggered DID"): ReportTable {
  const rows: { name: string; est: number; se: number; p: number; pre: number; preTest: string; w: number; note: string }[] = [];
  const fe = (m: FeolsResult) => m.table.find((r) => r.name === "did_treat")!;
  const t1 = fe(st.twfe),
    t0 = fe(st.twfeNoControls);
  rows.push({
    name: "TWFE DID, controls",
    est: t1.estimate,
    se: t1.se,
    p: t1.p,
    pre: st.pretrend.twfe.p,
    preTest: waldText(st.pretrend.twfe),
    w: NaN,
    note: "eq. (9); pre-trend: event-study leads",
  });
  rows.push({
    name: "TWFE DID, no controls",
    est: t0.estimate,
    se: t0.se,
    p: t0.p,
    pre: NaN,
    preTest: "",
    w: NaN,
    note: "the coefficient Bacon decomposes",
  });
  const sa = st.sunAbraham.att;
  rows.push({
    name: "Sun–Abraham ATT",
    est: sa.estimate,
    se: sa.se,
    p: sa.p,
    pre: st.pretrend.sunAbraham.p,
    preTest: waldText(st.pretrend.sunAbraham),
    w: NaN,
    note: "never-treated control, controls",
  });
  const cs = (label: string, a: AttAggregate, pre: AttGtPreTest | null, note: string) =>
    rows.push({
      name: label,
      est: a.overall.estimate,
      se: a.overall.se,
      p: a.overall.p,
      pre: pre ? pre.p : NaN,
      preTest: pre ? chi2Text(pre) : "",
      w: NaN,
      note,
    });
  cs("C–S ATT, never-treated", st.csNever.simple, st.pretrend.csNever, "simple aggregation, no covariates");
  cs("C–S ATT, not-yet-treated", st.csNotYet.simple, st.pretrend.csNotYet, "simple aggregation, no covariates");
  cs("C–S event-time average, never-treated", st.csNever.dynamic, null, "mean of e ≥ 0 effects");
  for (const b of st.bacon.byType)
    rows.push({
      name: `Bacon: ${b.type}`,
      est: b.estimate,
      se: NaN,
      p: NaN,
      pre: NaN,
      preTest: "",
      w: b.weight,
      note: "weighted mean of its 2×2 DIDs",
    });
  const t = table({
    estimator: rows.map((r) => r.name),
    estimate: rows.map((r) => r.est),
    se: rows.map((r) => r.se),
    p: rows.map((r) => r.p),
    pretrend_test: rows.map((r) => r.preTest),
    pretrend_p: rows.map((r) => r.pre),
    weight: rows.map((r) => r.w),
    note: rows.map((r) => r.note),
  });
  return dataTable(t, {
    title,
    headers: {
      estimator: "Estimator",
      estimate: "Estimate",
      se: "SE",
      p: "p",
      pretrend_test: "Pre-trend test",
      pretrend_p: "Pre-trend p",
      weight: "Bacon weight",
      note: "Note",
    },
    digits: { estimate: 4, se: 4, p: 3, pretrend_p: 3, weight: 3 },
    wholeNumbersAsCounts: false,
    notes: [
      "SEs clustered by city (TWFE, Sun–Abraham: regression vcov, t inference; Callaway–Sant'Anna: influence function, normal inference).",
      `Pre-trend test: joint Wald test H0: all lead coefficients = 0 with the city-clustered vcov, F(q, df) = b'V⁻¹b/q (TWFE: the q leads of the window [${st.window[0]}, ${st.window[1]}], end points binned; Sun–Abraham: the aggregated leads); Callaway–Sant'Anna: χ²(q) test that every pre-period ATT(g,t) is zero (did's pre-test).`,
      `Bacon: Σ w·β = ${st.bacon.weightedSum.toFixed(4)} = TWFE DID without controls, both on the balanced sub-panel (the decomposition needs one row per city and year): ${st.balanced.cities} cities, ${st.balanced.rows} rows${st.balanced.droppedCities ? `; ${st.balanced.droppedCities} cities with a missing year left out` : ""}.`,
    ],
  });
}

/**
 * Event-time coefficients of the TWFE event study, Sun–Abraham and Callaway–Sant'Anna (never-treated
 * controls, dynamic aggregation) over the window, one row per event time, as a coefficient plot
 * with 95% intervals (reference period −1 is zero in TWFE and Sun–Abraham; C–S uses its varying base,
 * so its e < 0 points are period-to-period changes).
 *
 * @example await showChart(rsStaggeredChart(st));
 */
export function rsStaggeredChart(st: RsStaggered, title = "Smart-city pilots: event-time effects on resi (95% CI)"): VegaLiteSpec {
  const [lo, hi] = st.window;
  const label = (e: number) => `e = ${e}`;
  const pts: CoefPoint[] = [];
  for (let e = lo; e <= hi; e++) {
    const nm = e < 0 ? `et_m${-e}` : `et_p${e}`;
    const r = st.eventStudy.table.find((x) => x.name === nm);
    if (r) pts.push({ term: label(e), estimate: r.estimate, lo: r.ciLow, hi: r.ciHigh, model: "TWFE" });
    const s = st.sunAbraham.eventTime.find((x) => x.period === e);
    if (s) pts.push({ term: label(e), estimate: s.estimate, lo: s.ciLow, hi: s.ciHigh, model: "Sun–Abraham" });
    const c = st.csNever.dynamic.by.find((x) => x.key === e);
    if (c) pts.push({ term: label(e), estimate: c.estimate, lo: c.ciLow, hi: c.ciHigh, model: "Callaway–Sant'Anna" });
  }
  return coefPlot(pts, { title, xTitle: "Effect on resi", yTitle: "Years since pilot" });
}
