/**
 * EQ §5.1 mechanism (Zhao, Ban, Li & Liu 2022, eq. 23, Table 7): the dynamic Olley–Pakes
 * decomposition of Melitz & Polanec (2015) applied to the change of city export quality, and
 * its components regressed on vagg.
 *
 * Unit, following the paper: Table 7 has city, year and industry fixed effects, controls and
 * N ≈ 614–617 thousand (the baseline N is 616,591), so each regression observation is a
 * city × HS4 × year cell, and the decomposed quantity is the change of the cell's quality
 * Quality_cjt (21) from t − 1 to t. Quality_cjt is the export-value-weighted mean of the
 * firm-product qualities (the KSW unit), so the "products" i of (23) whose shares s_it and
 * qualities enter the decomposition are the firm × HS6 varieties of the cell: Φ_t = Σ_i s_it q_it
 * equals Quality_cjt and `total` equals ΔQuality_cjt. Survivors S are varieties exported in both
 * years, entrants E only in t, exiters X only in t − 1. (`item: "hs6"` uses the HS6 products of
 * the cell instead — the literal reading of 产品 — with city × HS6 quality; with few HS6 per HS4
 * there is then little entry and exit.)
 *
 *   ΔQuality = (q̄_S2 − q̄_S1) + Δcov_S + s_E2(Φ_E2 − Φ_S2) + s_X1(Φ_S1 − Φ_X1)           (23)
 *            =   within       + between +      entry        +       exit
 *   gap      = between + entry + exit   (the reallocation effect, Griliches & Regev 1995)
 *
 * (`melitzPolanec` computes each term from its definition and `total` directly; the printed
 * Δq̄_S = q̄_S1 − q̄_S2 is a typo, see melitz-polanec.ts.)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { column, numeric, table, withColumns, fromRecords, type Column, type Table } from "../../data/table";
import { feols, type FeolsResult } from "../../estimators/feols";
import { feolsMulti } from "../../estimators/feols-multi";
import type { CoefPoint } from "../../report/charts/coef-points";
import { frame, type ChartOptions, type VegaLiteSpec } from "../../report/charts/spec";
import { dataTable } from "../../report/data-table";
import type { ReportTable } from "../../report/model";
import { qNormal, qT } from "../../util/distributions";
import { ArgumentError, DataError } from "../../util/errors";
import { melitzPolanec, type MelitzPolanecReport } from "../../measures/melitz-polanec";
import { EQ_CONTROLS, type QualityPanel } from "./panel";
import { EQ_PUBLISHED } from "./published";
import { isSynthetic } from "../truth";
import type { EqTrueOutcome } from "./true-outcome";
import { mapF64From, mapI32From } from "../../util/typed-map";

/** The six outcomes of Table 7, in the paper's column order. */
export const MP_COMPONENTS = ["within", "between", "entry", "exit", "total", "gap"] as const;
export type MpComponent = (typeof MP_COMPONENTS)[number];

/** Readable names of the components (the paper's column headings: within, between, entry, exitt, total, gap). */
export const MP_LABELS: Readonly<Record<MpComponent, string>> = {
  within: "(1) within: Δ mean quality of survivors",
  between: "(2) between: Δ cov(share, quality) of survivors",
  entry: "(3) entry",
  exit: "(4) exit",
  total: "(5) total Δ quality",
  gap: "(6) gap = between + entry + exit",
};

export interface MechanismReport extends MelitzPolanecReport {
  readonly item: "variety" | "hs6";
  /** City × HS4 groups decomposed. */
  readonly groups: number;
  /** Pairs without the city-year covariates (vagg or a control missing; kept with NaN, dropped by feols). */
  readonly missingCovariates: number;
  /** max |within + between + entry + exit − total| over the pairs with survivors (an identity: ≈ 1e-16). */
  readonly maxAddUpError: number;
}

export interface MechanismPanel {
  /** city, province, hs4, year (= t), t0, the six components, n_s, n_e, n_x, s_e2, s_x1, phi0, phi1, vagg, l_vagg, controls. */
  readonly panel: Table;
  readonly report: MechanismReport;
}

/**
 * The Table 7 panel: the Melitz–Polanec decomposition (23) of ΔQuality_cjt for every city × HS4
 * cell and pair of consecutive years, with the cell's vagg and controls of year t attached.
 *
 * @example
 *   const eq = await buildQualityPanel(dir);
 *   const mp = mechanismPanel(eq);              // varieties = firm × HS6
 *   feols(mp.panel, "entry ~ vagg + fdi + open | city + year + hs4", { vcov: "cluster:city^hs4" });
 */
export function mechanismPanel(eq: QualityPanel, opts: { item?: "variety" | "hs6"; lag?: number } = {}): MechanismPanel {
  const item = opts.item ?? "variety";
  if (item !== "variety" && item !== "hs6") throw new ArgumentError(`item must be "variety" or "hs6", got "${String(item)}"`);
  const src = item === "variety" ? eq.firm : eq.hs6;
  const mp = melitzPolanec(src, {
    group: ["city", "hs4"],
    item: item === "variety" ? ["firm", "hs6"] : "hs6",
    time: "year",
    value: "value",
    quality: "quality",
    lag: opts.lag ?? 1,
  });
  const d = mp.table;
  // attach the city-year covariates of year t
  const cy = eq.cityYear;
  const key = (c: number, y: number) => c * 10000 + y;
  const cyc = numeric(cy, "city"),
    cyy = numeric(cy, "year");
  const at = new Map<number, number>();
  for (let i = 0; i < cy.nrows; i++) at.set(key(cyc[i] as number, cyy[i] as number), i);
  const dc = numeric(d, "city"),
    dt1 = numeric(d, "t1");
  const idx = mapI32From({ length: d.nrows }, (_, i) => at.get(key(dc[i] as number, dt1[i] as number)) ?? -1);
  const covNames = ["province", "vagg", "l_vagg", ...EQ_CONTROLS];
  const cols: Record<string, Column> = {
    city: Int32Array.from(dc),
    province: new Int32Array(0),
    hs4: column(d, "hs4"),
    year: Int32Array.from(dt1),
    t0: Int32Array.from(numeric(d, "t0")),
  };
  for (const c of MP_COMPONENTS) cols[c] = numeric(d, c);
  for (const c of ["n_s", "n_e", "n_x", "s_e2", "s_x1", "phi0", "phi1"]) cols[c] = numeric(d, c);
  let missing = 0;
  for (const c of covNames) {
    const v = numeric(cy, c);
    cols[c] =
      c === "province"
        ? mapI32From(idx, (k) => (k < 0 || !Number.isFinite(v[k] as number) ? -2147483648 : (v[k] as number)))
        : mapF64From(idx, (k) => (k < 0 ? NaN : (v[k] as number)));
  }
  const vg = cols["vagg"] as Float64Array;
  for (let i = 0; i < d.nrows; i++)
    if (!Number.isFinite(vg[i] as number) || EQ_CONTROLS.some((c) => !Number.isFinite((cols[c] as Float64Array)[i] as number))) missing++;
  let maxErr = 0;
  const w = cols["within"] as Float64Array,
    b = cols["between"] as Float64Array,
    en = cols["entry"] as Float64Array,
    ex = cols["exit"] as Float64Array,
    tot = cols["total"] as Float64Array;
  for (let i = 0; i < d.nrows; i++) {
    const s = (w[i] as number) + (b[i] as number) + (en[i] as number) + (ex[i] as number);
    if (Number.isFinite(s)) maxErr = Math.max(maxErr, Math.abs(s - (tot[i] as number)));
  }
  const groups = new Set(Array.from({ length: d.nrows }, (_, i) => `${dc[i]}|${(cols["hs4"] as ArrayLike<unknown>)[i]}`)).size;
  return { panel: table(cols, src.source), report: { ...mp.report, item, groups, missingCovariates: missing, maxAddUpError: maxErr } };
}

/**
 * `component ~ vagg + the nine controls | city + year + hs4` (Table 7's specification); for a
 * list of components the multiple-outcome form `c(within, between, …) ~ …` of `feolsMulti`.
 *
 * @example feolsMulti(mp.panel, mechanismFormula(MP_COMPONENTS), { vcov: "cluster:city^hs4" })  // the six columns of Table 7
 */
export function mechanismFormula(component: MpComponent | string | readonly string[]): string {
  const lhs = typeof component === "string" ? component : `c(${component.join(", ")})`;
  return `${lhs} ~ vagg + ${EQ_CONTROLS.join(" + ")} | city + year + hs4`;
}

/**
 * Mean of each component over the city × HS4 cells, by year t (the decomposition of the
 * average ΔQuality): long format (year, component, value, cells) for `decompositionChart`.
 *
 * @example decompositionByYear(mp.panel)  // year 2006: within …, between …, entry …, exit …, total …
 */
export function decompositionByYear(panel: Table): Table {
  const yr = numeric(panel, "year");
  const years = [...new Set(Array.from(yr))].filter(Number.isFinite).sort((a, b) => a - b);
  const parts = ["within", "between", "entry", "exit", "total"] as const;
  const recs: Record<string, number | string>[] = [];
  const cols = Object.fromEntries(parts.map((p) => [p, numeric(panel, p)])) as Record<string, Float64Array>;
  for (const y of years) {
    for (const p of parts) {
      let s = 0,
        n = 0;
      for (let i = 0; i < panel.nrows; i++) {
        if (yr[i] !== y) continue;
        // cells with survivors only, so that the four parts add up to the total in every year
        const ok = parts.every((q) => Number.isFinite((cols[q] as Float64Array)[i] as number));
        if (!ok) continue;
        s += (cols[p] as Float64Array)[i] as number;
        n++;
      }
      recs.push({ year: y, component: p, value: n ? s / n : NaN, cells: n });
    }
  }
  return fromRecords(recs);
}

/**
 * Chart of the decomposition by year: stacked bars of the mean within, between, entry and exit
 * terms (positive parts above zero, negative below), and the mean total Δ quality as a black
 * line with points — the bars of a year add up to the line.
 *
 * @example await showChart(decompositionChart(decompositionByYear(mp.panel)));
 */
export function decompositionChart(byYear: Table, opts: ChartOptions = {}): VegaLiteSpec {
  const yr = numeric(byYear, "year"),
    comp = column(byYear, "component"),
    val = numeric(byYear, "value");
  const rows = Array.from({ length: byYear.nrows }, (_, i) => ({
    year: String(yr[i]),
    component: String(comp[i]),
    value: val[i] as number,
  }));
  const bars = rows.filter((r) => r.component !== "total" && Number.isFinite(r.value));
  const line = rows.filter((r) => r.component === "total" && Number.isFinite(r.value));
  const order = ["within", "between", "entry", "exit"];
  return {
    ...frame({ title: opts.title ?? "Melitz–Polanec decomposition of Δ quality (mean over city × HS4 cells)", ...opts }, 460, 260),
    layer: [
      {
        data: { values: bars },
        mark: { type: "bar" },
        encoding: {
          x: { field: "year", type: "ordinal", title: "Year t (change from t − 1)", axis: { labelAngle: 0 } },
          y: { field: "value", type: "quantitative", stack: "zero", title: "Mean component" },
          color: { field: "component", type: "nominal", sort: order, scale: { domain: order }, title: "Component" },
          order: { field: "component", sort: "ascending" },
          tooltip: [{ field: "year" }, { field: "component" }, { field: "value", format: ".4f" }],
        },
      },
      {
        data: { values: line },
        mark: { type: "line", color: "black", point: { color: "black" } },
        encoding: {
          x: { field: "year", type: "ordinal" },
          y: { field: "value", type: "quantitative" },
          tooltip: [{ field: "year" }, { field: "value", format: ".4f", title: "total" }],
        },
      },
      {
        data: { values: [{ zero: 0 }] },
        mark: { type: "rule", strokeDash: [4, 3], color: "#888" },
        encoding: { y: { field: "zero", type: "quantitative" } },
      },
    ],
  } as VegaLiteSpec;
}

/**
 * The vagg coefficients of the six Table 7 regressions as coefficient-plot points (95 % t
 * intervals), with the published coefficients (`EQ_PUBLISHED.table7`) marked.
 *
 * @example await showChart(coefPlot(mechanismPoints({ within: m1, between: m2, entry: m3, exit: m4, total: m5, gap: m6 })));
 */
export function mechanismPoints(models: Readonly<Partial<Record<MpComponent, FeolsResult>>>, level = 0.95): CoefPoint[] {
  const out: CoefPoint[] = [];
  for (const c of MP_COMPONENTS) {
    const m = models[c];
    if (!m) continue;
    const b = m.coef["vagg"],
      se = m.se["vagg"];
    if (b === undefined || se === undefined) throw new ArgumentError(`"vagg" is not a coefficient of the ${c} model`, { term: "vagg" });
    const df = m.dof.tDf;
    const q = Number.isFinite(df) && df > 0 ? qT(1 - (1 - level) / 2, df) : qNormal(1 - (1 - level) / 2);
    out.push({ term: c, estimate: b, lo: b - q * se, hi: b + q * se, published: EQ_PUBLISHED.table7[c].coef });
  }
  return out;
}

/**
 * OLS is linear in the outcome, so on one common sample the vagg coefficients add up exactly
 * like the components: b_within + b_between + b_entry + b_exit = b_total and
 * b_between + b_entry + b_exit = b_gap. This re-fits the five parts on the rows where all six
 * are defined and reports both sums (a check of the decomposition and of the regressions; the
 * paper's columns use different N, so its coefficients need not add up: 0.1102 − 0.0717 +
 * 0.4822 + 0.1483 = 0.6690 vs total 0.6745).
 *
 * @example showTable(additivityCheck(mp.panel));
 */
export function additivityCheck(panel: Table, vcov: string = "cluster:city^hs4"): ReportTable {
  const keep = new Uint8Array(panel.nrows);
  const cols = MP_COMPONENTS.map((c) => numeric(panel, c));
  for (let i = 0; i < panel.nrows; i++) keep[i] = cols.every((c) => Number.isFinite(c[i] as number)) ? 1 : 0;
  const idx: number[] = [];
  for (let i = 0; i < panel.nrows; i++) if (keep[i]) idx.push(i);
  const sub = table(
    Object.fromEntries(
      panel.names.map((n) => {
        const c = panel.columns[n] as Column;
        return [
          n,
          c instanceof Float64Array
            ? mapF64From(idx, (i) => c[i] as number)
            : c instanceof Int32Array
              ? mapI32From(idx, (i) => c[i] as number)
              : idx.map((i) => (c as readonly (string | null)[])[i] ?? null),
        ];
      }),
    ),
    panel.source,
  );
  const b: Record<string, number> = {};
  let n = 0;
  feolsMulti(sub, mechanismFormula(MP_COMPONENTS), { vcov }).forEach((m, k) => {
    b[MP_COMPONENTS[k] as MpComponent] = m.coef["vagg"] as number;
    n = m.nobs;
  });
  const sum4 = (b.within as number) + (b.between as number) + (b.entry as number) + (b.exit as number);
  const sum3 = (b.between as number) + (b.entry as number) + (b.exit as number);
  const pub = EQ_PUBLISHED.table7;
  return dataTable(
    fromRecords([
      {
        identity: "within + between + entry + exit = total",
        published_sum: pub.within.coef + pub.between.coef + pub.entry.coef + pub.exit.coef,
        published: pub.total.coef,
        recomputed_sum: sum4,
        recomputed: b.total as number,
        difference: sum4 - (b.total as number),
        N: n,
      },
      {
        identity: "between + entry + exit = gap",
        published_sum: pub.between.coef + pub.entry.coef + pub.exit.coef,
        published: pub.gap.coef,
        recomputed_sum: sum3,
        recomputed: b.gap as number,
        difference: sum3 - (b.gap as number),
        N: n,
      },
    ]),
    {
      title: "Table 7 check: the vagg coefficients add up like the components (common sample)",
      na: "–",
      counts: ["N"],
      digits: { published_sum: 4, published: 4, recomputed_sum: 4, recomputed: 4, difference: 6 },
      headers: {
        published_sum: "published: sum of parts",
        published: "published: total/gap",
        recomputed_sum: "recomputed: sum of parts",
        recomputed: "recomputed: total/gap",
        difference: "sum − total (recomputed)",
      },
      notes: [publishedAdditivityNote()],
    },
  );
}

/** The true Table 7 coefficients of a synthetic folder (`mechanismTruth`). */
export interface MechanismTruth {
  /** Each component's true vagg coefficient; `null` where the folder's generator wrote none. */
  readonly components: Readonly<Record<MpComponent, number | null>>;
  /** The true coefficient of col. (5), the total change (always defined on synthetic data). */
  readonly total: number;
  /**
   * `same-sample` (with `eqTrueOutcome`'s panels): the decomposition of the noiseless true
   * qualities of the same varieties and pairs, each component regressed as Table 7 — the
   * estimator on the true outcome, the same rows;
   * `realised`: truth.json → realised.eq.table7, written by the generator — the Melitz–Polanec
   * decomposition of the noiseless true cell quality regressed as Table 7 (every component);
   * `projection` (older folders without it): the total only, as the projection of β·Δvagg on vagg.
   */
  readonly source: "same-sample" | "realised" | "projection";
}

/**
 * What the synthetic DGP implies for Table 7. The generator (lib/synth/eq.ts) builds the quality
 * of variety i in cell (c, j, t) as ρ_i = m_cjt + (e_i − 1/κ̄_h) + mode offset, with the cell
 * target m_cjt = a + β vagg_ct + γ'Controls_ct + μ_c + ν_j + δ_t + u_ct + ξ_cjt, e_i ~ Exp(κ) drawn
 * at entry with κ = 1 + σ_h + k₀ exp(−k₁ (vagg − v̄)) (κ'(vagg) < 0, EQ §2.2) and quality-selective
 * survival. Where vagg is high, entrants come from a fatter tail and the better varieties stay:
 * a reallocation channel whose coefficients are not set by hand but computed by the generator
 * from its realised data — each Melitz–Polanec component of the *noiseless* true cell quality
 * (ρ − u_ct − ξ_cjt over the varieties the quality pipeline measures) regressed exactly as
 * Table 7 (truth.json → realised.eq.table7). Those are the true values of all six columns.
 *
 * With `tq` (`eqTrueOutcome`, the generator's truth_quality.parquet) the same is done on the
 * varieties and pairs of the panel itself, so estimate and truth share their rows exactly.
 * Older folders without them get the total alone: the coefficient of vagg when y* = β (vagg_ct −
 * vagg_c,t−1), β the design value, is run through the same regression on the panel's rows.
 * `null` without the generator's `truth.json` (real data).
 *
 * @example mechanismTruth(mp, dir)?.components.entry   // > 0: the κ(vagg) channel through entry
 */
export function mechanismTruth(mp: MechanismPanel, dir: string, tq?: EqTrueOutcome | null, vcov = "iid"): MechanismTruth | null {
  const f = path.join(dir, "truth.json");
  if (!isSynthetic(dir)) return null;
  if (tq) {
    // the same decomposition and regressions on the true qualities of the same varieties and pairs
    const mpTrue = mechanismPanel(tq.trueQualityPanel, { item: mp.report.item });
    const fits = feolsMulti(mpTrue.panel, mechanismFormula(MP_COMPONENTS), { vcov });
    const components = Object.fromEntries(MP_COMPONENTS.map((c, k) => [c, (fits[k] as FeolsResult).coef["vagg"] as number])) as Record<
      MpComponent,
      number
    >;
    return { components, total: components.total, source: "same-sample" };
  }
  let j: { eq?: { beta_vagg?: unknown }; realised?: { eq?: { table7?: Record<string, unknown> } } };
  try {
    j = JSON.parse(fs.readFileSync(f, "utf8"));
  } catch (e) {
    throw new DataError(`cannot read true values: ${(e as Error).message.split("\n")[0]}`, { file: f });
  }
  const t7 = j.realised?.eq?.table7;
  if (t7 && typeof t7 === "object") {
    const components = {} as Record<MpComponent, number | null>;
    for (const c of MP_COMPONENTS) {
      const v = t7[c];
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new DataError(`realised.eq.table7.${c} is not a number`, { file: f, column: `realised.eq.table7.${c}` });
      components[c] = v;
    }
    return { components, total: components.total as number, source: "realised" };
  }
  const beta = Number(j.eq?.beta_vagg);
  if (!Number.isFinite(beta)) throw new DataError(`no numeric eq.beta_vagg`, { file: f, column: "eq.beta_vagg" });
  const v = numeric(mp.panel, "vagg"),
    lv = numeric(mp.panel, "l_vagg"),
    tot = numeric(mp.panel, "total");
  const y = mapF64From(v, (x, i) => (Number.isFinite(tot[i] as number) ? beta * (x - (lv[i] as number)) : NaN));
  const total = feols(withColumns(mp.panel, { __ystar: y }), mechanismFormula("__ystar"), { vcov }).coef["vagg"] as number;
  const components = Object.fromEntries(MP_COMPONENTS.map((c) => [c, c === "total" ? total : null])) as Record<MpComponent, number | null>;
  return { components, total, source: "projection" };
}

/**
 * Why the published Table 7 coefficients need not add up: each column has its own N. The sums
 * are computed from `EQ_PUBLISHED.table7` (within + between + entry + exit vs total; between +
 * entry + exit vs gap), not typed.
 */
function publishedAdditivityNote(): string {
  const p = EQ_PUBLISHED.table7;
  const ns = Object.values(p).map((c) => c.n);
  const f = (v: number): string => v.toFixed(4);
  const sum = p.within.coef + p.between.coef + p.entry.coef + p.exit.coef;
  const gap = p.between.coef + p.entry.coef + p.exit.coef;
  return `Recomputed on the cell-years where all six components are defined (pairs with survivors). The published columns each have their own N (${Math.min(...ns).toLocaleString("en-US")}–${Math.max(...ns).toLocaleString("en-US")}), so their coefficients need not add up (${f(sum)} vs ${f(p.total.coef)}; ${f(gap)} vs ${f(p.gap.coef)}).`;
}
