import type { MpComponent } from "./mechanism";
import type { EqTrueValues } from "./true-outcome";
import { fromRecords, type Table } from "../../data/table";
import { regressionTable, type ExtraRow, type RegressionModel } from "../../report/regression-table";
import { dataTable } from "../../report/data-table";
import type { ReportTable } from "../../report/model";
import { coefPlot, type VegaLiteSpec } from "../../report/charts";
import { coefPoints } from "../../report/charts/coef-points";
import type { PlaceboResult, CoefDiffResult, InteractionTestResult } from "../../estimators/resampling";
import type { FeolsResult } from "../../estimators/feols";
import { rotembergOlsSummary, rotembergByIndustry, type RotembergOlsResult } from "../../measures/rotemberg-ols";
import type { QualityResult } from "../../measures/quality";
import type { RotembergRow, RotembergResult } from "../../measures/rotemberg";
import { ArgumentError } from "../../util/errors";
import { comparisonTable, comparisonRow } from "../compare";
import { truthFor, fmtN, type TruthSource } from "../truth";
import { eqTruth } from "./specs";
import { eqAnomalyNotes } from "./anomalies";
import { EQ_PUBLISHED } from "./published";
import { ivStatRows } from "./panel";
import { sigmaSummaryTable, vaggAgreement } from "./measurement";
import { diffTestsTable, diffTestChart, locationTestsTable, type SplitTruth, type InteractionPermutationResult } from "./heterogeneity";

/**
 * The finished exhibits of the EQ notebooks (Zhao et al. 2022): each builder takes the fitted
 * models of one table of the paper and returns the table (or chart) with the published rows
 * (`EQ_PUBLISHED`) and — on synthetic data only (`eqTruth`, ./specs.ts: realised values of truth.json,
 * else the design) — the true (DGP) rows.
 * Titles, labels, notes and published N are defined here, once, so that a notebook cell is one
 * call, e.g. `showTable(eqTable2([b1, b2, b3, b4], env))`.
 */

type Fit = RegressionModel;

function need(models: readonly unknown[], n: number, what: string): void {
  if (models.length !== n) throw new ArgumentError(`${what} needs ${n} models, got ${models.length}`);
}

/** "624,577 (cols. 1, 3), 616,591 (cols. 2, 4)" (or the Chinese form): published N grouped by value. */
function nByColumns(ns: readonly number[], lang: "en" | "zh"): string {
  const groups = new Map<number, number[]>();
  ns.forEach((n, i) => groups.set(n, [...(groups.get(n) ?? []), i + 1]));
  return [...groups]
    .map(([n, cols]) => (lang === "zh" ? `${fmtN(n)}（第${cols.join("、")}列）` : `${fmtN(n)} (cols. ${cols.join(", ")})`))
    .join(lang === "zh" ? "，" : ", ");
}

/** The published and (on synthetic data) true rows under the coefficients of a regression table. */
function publishedRows(
  pub: readonly { coef: number; se?: number }[],
  truth: readonly (number | null)[] | null,
  lang: "en" | "zh" = "en",
): ExtraRow[] {
  const zh = lang === "zh";
  const rows: ExtraRow[] = [
    { label: zh ? "原文系数" : "Published", values: pub.map((r) => r.coef), position: "afterCoefs" },
    { label: zh ? "原文标准误" : "Published SE", values: pub.map((r) => r.se), position: "afterCoefs" },
  ];
  if (truth) rows.push({ label: zh ? "真实值(DGP)" : "True (DGP)", values: truth, position: "afterCoefs" });
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Table 2–3 (notebook eq-04)

/**
 * EQ Table 2 (baseline): the four columns (city + year FE; + controls; + HS4 FE; + HS4 FE and
 * controls) with the published coefficients and SEs, the true β on synthetic data (col. 4), and
 * the published N in the note. `lang: "zh"` gives the Chinese version (表2).
 *
 * @example
 *   showTable(eqTable2([b1, b2, b3, b4], env));
 *   showTable(eqTable2([b1, b2, b3, b4], env, { lang: 'zh' }));
 */
export function eqTable2(
  models: readonly Fit[],
  src: TruthSource,
  opts: { readonly lang?: "en" | "zh"; readonly truths?: EqTrueValues | null } = {},
): ReportTable {
  need(models, 4, "eqTable2");
  const T = eqTruth(src),
    zh = opts.lang === "zh";
  const truth = T ? (opts.truths ? [...opts.truths.table2] : [null, null, null, T.beta_vagg]) : null;
  const nNote = nByColumns(EQ_PUBLISHED.table2N, zh ? "zh" : "en");
  if (zh) {
    return regressionTable(models, {
      lang: "zh",
      title: "表2 虚拟集聚与出口产品质量：基准回归",
      keep: ["vagg"],
      labels: { vagg: "虚拟集聚" },
      indicators: [{ label: "控制变量", values: [false, true, false, true] }],
      stats: ["nobs", "r2"],
      extra: publishedRows(EQ_PUBLISHED.table2, truth, "zh"),
      notes: [`${T ? "按原文校准的合成数据；" : ""}原文数值来自真实数据。原文观测值：${nNote}。`],
    });
  }
  return regressionTable(models, {
    title: "Table 2 Virtual agglomeration and export product quality (baseline)",
    keep: ["vagg"],
    indicators: [{ label: "Controls", values: [false, true, false, true] }],
    stats: ["nobs", "r2"],
    extra: publishedRows(EQ_PUBLISHED.table2, truth),
    notes: [
      `${T ? "Synthetic data calibrated to the paper; published numbers from real data." : "Published numbers from the paper."} SE clustered by city × HS4. Published N: ${nNote}.`,
    ],
  });
}

/**
 * EQ Table 3 (endogeneity): province FE, province × year FE, L.vagg, and 2SLS with L.vagg,
 * Tel1984 × inv and Post1984 × inv as instruments; published rows and (synthetic data) the true
 * β in every column that estimates it.
 *
 * @example showTable(eqTable3([e1, e2, e3, e4, e5, e6], env));
 */
export function eqTable3(models: readonly Fit[], src: TruthSource, truths?: EqTrueValues | null): ReportTable {
  need(models, 6, "eqTable3");
  const T = eqTruth(src),
    b = T?.beta_vagg ?? null;
  const t3 = T ? (truths ? [...truths.table3] : [b, b, null, b, b, b]) : null;
  return regressionTable(models, {
    title: "Table 3 Endogeneity: fixed effects, lagged vagg and 2SLS",
    keep: ["vagg", "l_vagg"],
    indicators: [
      { label: "Controls", values: [true, true, true, true, true, true] },
      { label: "Instrument", values: ["–", "–", "–", "L.vagg", "Tel1984 × inv", "Post1984 × inv"] },
    ],
    stats: ["nobs"],
    extra: publishedRows(EQ_PUBLISHED.table3, t3),
    notes: [
      T
        ? `SE clustered by city × HS4. Synthetic data; published numbers from real data. ${truths ? "True (DGP): each column's own estimator on the noiseless true quality over the same rows (eqTrueValues) — the 2SLS estimands differ from the OLS one where the κ(vagg) dynamics carry last year's vagg into this year's quality." : "True (DGP): the realised β."}`
        : "SE clustered by city × HS4. Published numbers from the paper.",
      `Cols. 3–4 (L.vagg) without the first sample year, which has no lag inside the sample (eqLagSample; published N ${fmtN(EQ_PUBLISHED.table3N[2])} against ${fmtN(EQ_PUBLISHED.table3N[0])} in col. 1).`,
    ],
  });
}

/**
 * EQ Table 3 cols. 4–6: Kleibergen–Paap rk LM and Wald F, published beside recomputed, with the
 * Stock–Yogo critical values.
 *
 * @example showTable(eqTable3IvStats([e4, e5, e6]));
 */
export function eqTable3IvStats(fits: readonly { readonly diagnostics?: object }[]): ReportTable {
  need(fits, 3, "eqTable3IvStats");
  return dataTable(ivStatRows(fits, EQ_PUBLISHED.table3.slice(3)), {
    title: "Table 3 cols. 4–6: KP rk LM and Wald F, published vs recomputed, Stock–Yogo critical values",
    digits: { kp_lm_published: 3, kp_lm: 3, kp_lm_p: 4, kp_f_published: 3, kp_f: 3, stock_yogo_10: 2, stock_yogo_15: 2 },
    na: "–",
  });
}

/**
 * EQ Tables 2–3 in one comparison: published vs recomputed vs true (synthetic data) for each column.
 *
 * @example showTable(eqEndogeneityComparison([b1, b2, b3, b4], [e1, e2, e3, e4, e5, e6], env));
 */
export function eqEndogeneityComparison(
  table2: readonly Fit[],
  table3: readonly Fit[],
  src: TruthSource,
  truths?: EqTrueValues | null,
): ReportTable {
  need(table2, 4, "eqEndogeneityComparison (Table 2)");
  need(table3, 6, "eqEndogeneityComparison (Table 3)");
  const T = eqTruth(src),
    b = T?.beta_vagg ?? null;
  // per column: its own true value (eqTrueValues) where given, else the realised β where the column estimates it
  const t2 = (k: number): number | null => (T ? (truths ? (truths.table2[k] ?? null) : k === 3 ? b : null) : null);
  const t3 = (k: number): number | null => (T ? (truths ? (truths.table3[k] ?? null) : k === 2 ? null : b) : null);
  const [b1, b2, b3, b4] = table2 as Fit[],
    [e1, e2, e3, e4, e5, e6] = table3 as Fit[];
  const p2 = EQ_PUBLISHED.table2,
    p3 = EQ_PUBLISHED.table3;
  return comparisonTable(
    [
      comparisonRow("T2 (1) city + year FE", b1!, "vagg", p2[0], t2(0)),
      comparisonRow("T2 (2) + controls", b2!, "vagg", p2[1], t2(1)),
      comparisonRow("T2 (3) + HS4 FE", b3!, "vagg", p2[2], t2(2)),
      comparisonRow("T2 (4) + HS4 FE + controls", b4!, "vagg", p2[3], t2(3)),
      comparisonRow("T3 (1) + province FE", e1!, "vagg", p3[0], t3(0)),
      comparisonRow("T3 (2) province × year FE", e2!, "vagg", p3[1], t3(1)),
      comparisonRow("T3 (3) L.vagg", e3!, "l_vagg", p3[2], t3(2)),
      comparisonRow("T3 (4) 2SLS, IV = L.vagg", e4!, "vagg", p3[3], t3(3)),
      comparisonRow("T3 (5) 2SLS, IV = Tel1984 × inv", e5!, "vagg", p3[4], t3(4)),
      comparisonRow("T3 (6) 2SLS, IV = Post1984 × inv", e6!, "vagg", p3[5], t3(5)),
    ],
    `EQ Tables 2–3: published vs recomputed${T ? " vs true" : ""}`,
    [],
    { synthetic: T !== null },
  );
}

// ---------------------------------------------------------------------------------------------
// Table 4 and Figure 2 (notebook eq-05)

/**
 * EQ Table 4 (robustness): the baseline and the seven columns — (1) vagg_in, (2) HS6-level
 * quality, (3) vagg_txt, (4) firm FE, (5) firm FE + controls, (6) clusters by province, (7) by
 * city — as published vs recomputed vs true (synthetic data).
 *
 * @example showTable(eqTable4([r0, r1, r2, r3, r4, r5, r6, r7], env));
 */
export function eqTable4(models: readonly Fit[], src: TruthSource): ReportTable {
  need(models, 8, "eqTable4");
  const T = eqTruth(src),
    b = T?.beta_vagg ?? null;
  const [r0, r1, r2, r3, r4, r5, r6, r7] = models as Fit[];
  const p = EQ_PUBLISHED.table4;
  return comparisonTable(
    [
      comparisonRow("Baseline (Table 2 col. 4)", r0!, "vagg", EQ_PUBLISHED.table2[3], b),
      comparisonRow("(1) vagg_in: digital input quantities (USD bn)", r1!, "vagg_in", p.vaggIn),
      comparisonRow("(2) HS6-level quality, city + year + HS4 FE", r2!, "vagg", p.hs6),
      comparisonRow("(3) vagg_txt: ln(1 + words) in government work reports", r3!, "vagg_txt", p.vaggTxt),
      comparisonRow("(4) firm level 2005–2013, firm + city + year FE", r4!, "vagg", p.firm),
      comparisonRow("(5) same + regional and firm controls (age, size, assets per worker)", r5!, "vagg", p.firmControls),
      comparisonRow("(6) clustered by province", r6!, "vagg", p.clusterProvince, b),
      comparisonRow("(7) clustered by city", r7!, "vagg", p.clusterCity, b),
    ],
    "Table 4 Robustness",
    [
      (T ? "Cols. 1 and 3 are emergent in the synthetic data (truth.json, not_built_in): no true value. " : "") +
        "Their units are not the paper's (vagg_in in USD bn of digital inputs; the paper does not print its units or dictionary), so only sign and significance are comparable. Col. 3 without HS4 FE, as printed.",
      `Col. 1's printed N (${fmtN(EQ_PUBLISHED.table4N[0] as number)}) is Table 2's N without controls (${fmtN(EQ_PUBLISHED.table2N[0])}) although the table marks the regional controls; here col. 1 has the controls (rows without them are dropped).`,
      "Cols. 4–5: firm × city × year quality (export-value-weighted over the firm's HS6 lines) of the exporters matched to the industrial survey (firms.csv), 2005–2013, firm + city + year FE and no industry FE, SE clustered by firm; col. 4 without controls, col. 5 with the nine regional and the three firm controls, as printed." +
        (T ? " Firm-level coefficients are emergent in the synthetic data (no true value)." : ""),
    ],
    { synthetic: T !== null },
  );
}

/**
 * EQ Table 4 cols. 4–5: every row removed on the way from firm × HS6 × year quality to the
 * matched firm × city × year panel (`buildFirmPanel`), with the published N of the two columns.
 *
 * @example showTable(eqFirmPanelCounts(fp));
 */
export function eqFirmPanelCounts(fp: { readonly counts: Table }): ReportTable {
  const n = EQ_PUBLISHED.table4N;
  return dataTable(fp.counts, {
    title: "Table 4 cols. 4–5: firm-level sample (customs matched to the industrial survey, 2005–2013)",
    counts: ["rows"],
    notes: [
      `Published N: ${fmtN(n[3] as number)} (col. 4), ${fmtN(n[4] as number)} (col. 5); col. 5 also loses the rows without a control.`,
    ],
  });
}

/**
 * EQ Figure 2 in numbers: the placebo distribution's mean coefficient and t-value, SD, share of
 * |t| > 1.96, the actual coefficient, randomisation p-value and replications, published vs recomputed.
 *
 * @example showTable(eqPlaceboTable(pl));
 */
export function eqPlaceboTable(pl: PlaceboResult): ReportTable {
  const p = EQ_PUBLISHED.placebo;
  return dataTable(
    fromRecords([
      { statistic: "mean placebo coefficient", published: p.coefMean, recomputed: pl.coefMean },
      { statistic: "mean placebo t-value", published: p.tMean, recomputed: pl.tMean },
      { statistic: "SD of placebo coefficients", published: null, recomputed: pl.coefSd },
      { statistic: "share |t| > 1.96", published: null, recomputed: pl.shareAbsTGt196 },
      { statistic: "actual coefficient", published: EQ_PUBLISHED.table2[3].coef, recomputed: pl.actual.coef },
      { statistic: "randomisation p-value", published: null, recomputed: pl.pValue },
      { statistic: "replications", published: p.reps, recomputed: pl.reps },
    ]),
    { title: "Figure 2 placebo: published vs recomputed", digits: 4, na: "–" },
  );
}

// ---------------------------------------------------------------------------------------------
// Tables 5–6 (notebook eq-06); the true values come from `splitTruth` (null on real data)

/**
 * EQ Table 5: split samples by trade mode (processing, ordinary) and BEC end use (intermediate,
 * final), published vs recomputed vs true; `truth` is `splitTruth(…)` (null on real data: no
 * true column).
 *
 * @example showTable(eqTable5([t5p, t5o, t5i, t5f], truth));
 */
export function eqTable5(models: readonly Fit[], truth: SplitTruth | null): ReportTable {
  need(models, 4, "eqTable5");
  const [p, o, i, f] = models as Fit[];
  const P = EQ_PUBLISHED.table5;
  const notes = [
    `Published N: processing ${fmtN(P.processing.n)}; ordinary ${fmtN(P.ordinary.n)}; intermediate ${fmtN(P.intermediate.n)}; final ${fmtN(P.final.n)} (the groups overlap: a city × HS4 × year cell with both trade modes or both BEC classes is in both).`,
  ];
  if (truth)
    notes.push(
      `True (DGP), trade mode: the slope of the built-in part (DGP-5) in the same regression with the realised cell shares π; truth.json summarises the gap with the aggregate processing value share instead (processing ${truth.aggregate.processing.toFixed(4)}, ordinary ${truth.aggregate.ordinary.toFixed(4)}), which does not weight cells as the regression does.`,
    );
  return comparisonTable(
    [
      comparisonRow("(1) processing trade", p!, "vagg", P.processing, truth?.processing),
      comparisonRow("(2) ordinary trade", o!, "vagg", P.ordinary, truth?.ordinary),
      comparisonRow("(3) intermediate goods (BEC)", i!, "vagg", P.intermediate, truth?.intermediate),
      comparisonRow("(4) final goods (BEC: consumption + capital)", f!, "vagg", P.final, truth?.final),
    ],
    "Table 5 Heterogeneity by trade mode and BEC end use",
    [...notes, ...eqAnomalyNotes("table5")],
    { synthetic: truth !== null },
  );
}

/**
 * The tests of one Table 5 difference: the resampling test (`coefDiffTest`, by default the wild
 * cluster bootstrap of d on the interacted model) and the interacted Wald test
 * (`coefDiffInteraction`); optionally a bdiff-style permutation test as a third.
 */
export type DiffTests = readonly [test: CoefDiffResult, wald: InteractionTestResult, permutation?: CoefDiffResult];

/**
 * EQ Table 5, coefficient differences (ordinary − processing, final − intermediate) with their
 * resampling (wild cluster bootstrap) and Wald p-values, the published difference and the true
 * one (`truth` from `splitTruth`, null on real data). The paper prints no test
 * (`EQ_PUBLISHED.table5Test`).
 *
 * @example showTable(eqTable5Tests([dModeT, dModeW], [dBecT, dBecW], truth));
 */
export function eqTable5Tests(mode: DiffTests, bec: DiffTests, truth: SplitTruth | null): ReportTable {
  const P = EQ_PUBLISHED.table5;
  return diffTestsTable(
    [
      {
        label: "ordinary − processing",
        test: mode[0],
        wald: mode[1],
        permutation: mode[2] ?? null,
        published: P.ordinary.coef - P.processing.coef,
        truth: truth?.modeGap,
      },
      {
        label: "final − intermediate",
        test: bec[0],
        wald: bec[1],
        permutation: bec[2] ?? null,
        published: P.final.coef - P.intermediate.coef,
        truth: truth?.becGap,
      },
    ],
    "Table 5 Coefficient differences and their empirical p-values",
  );
}

/**
 * EQ Table 5: the resampling distribution (wild cluster bootstrap d*) of the trade-mode
 * difference (ordinary − processing) with the observed and the published difference marked.
 *
 * @example await showChart(eqTable5DiffChart(dModeT));
 */
export function eqTable5DiffChart(test: CoefDiffResult): VegaLiteSpec {
  const P = EQ_PUBLISHED.table5;
  return diffTestChart(
    { label: "ordinary − processing", test, published: P.ordinary.coef - P.processing.coef },
    `Table 5: ${test.method === "wild" ? "wild cluster bootstrap" : test.method} test of the trade-mode difference`,
  );
}

const LOCATIONS = ["centre", "periphery", "east", "middle", "west"] as const;

/**
 * EQ Table 6: vagg × location interactions (centre, periphery, east, middle, west; one regression
 * each) and the vagg main effects, published vs recomputed vs true (`truth` from `splitTruth`,
 * null on real data).
 *
 * @example showTable(eqTable6([t6c, t6p, t6e, t6m, t6w], truth));
 */
export function eqTable6(models: readonly Fit[], truth: SplitTruth | null): ReportTable {
  need(models, 5, "eqTable6");
  const P = EQ_PUBLISHED.table6;
  const inter = ["(1) vagg × centre", "(2) vagg × periphery", "(3) vagg × east", "(4) vagg × middle", "(5) vagg × west"];
  const main = [
    "(1) vagg (non-centre cities)",
    "(2) vagg (centre cities)",
    "(3) vagg (middle and west)",
    "(4) vagg (east and west)",
    "(5) vagg (east and middle)",
  ];
  return comparisonTable(
    [
      ...LOCATIONS.map((l, k) => comparisonRow(inter[k]!, models[k]!, `vagg:${l}`, P[l], truth?.interaction)),
      ...LOCATIONS.map((_, k) => comparisonRow(main[k]!, models[k]!, "vagg", P.main[k], truth?.beta)),
    ],
    "Table 6 Heterogeneity by location: vagg × class interactions",
    [`Published N ${fmtN(P.n)} in every column.`],
    { synthetic: truth !== null },
  );
}

/**
 * EQ Table 6 interactions with cluster-robust and randomisation (city-level permutation) inference.
 * `models` and `permutations` in the order centre, east, middle, west.
 *
 * @example showTable(eqTable6Tests([t6c, t6e, t6m, t6w], [r6c, r6e, r6m, r6w], truth));
 */
export function eqTable6Tests(
  models: readonly FeolsResult[],
  permutations: readonly InteractionPermutationResult[],
  truth: SplitTruth | null,
): ReportTable {
  need(models, 4, "eqTable6Tests");
  need(permutations, 4, "eqTable6Tests (permutations)");
  const P = EQ_PUBLISHED.table6;
  return locationTestsTable(
    (["centre", "east", "middle", "west"] as const).map((l, k) => ({
      label: `vagg × ${l}`,
      model: models[k]!,
      term: `vagg:${l}`,
      permutation: permutations[k]!,
      published: P[l],
      truth: truth?.interaction,
    })),
  );
}

/**
 * EQ Table 6 as a coefficient plot: the five interactions with 95% CIs and the published values (◇).
 *
 * @example await showChart(eqTable6Chart([t6c, t6p, t6e, t6m, t6w]));
 */
export function eqTable6Chart(models: readonly Fit[]): VegaLiteSpec {
  need(models, 5, "eqTable6Chart");
  const P = EQ_PUBLISHED.table6;
  return coefPlot(
    coefPoints(models as never, {
      keep: LOCATIONS.map((l) => `vagg:${l}`),
      published: LOCATIONS.map((l) => ({ [`vagg:${l}`]: P[l].coef })),
      modelNames: ["(1)", "(2)", "(3)", "(4)", "(5)"],
    }),
    { title: "Table 6: vagg × location (95% CI; ◇ published)", xTitle: "Interaction coefficient" },
  );
}

// ---------------------------------------------------------------------------------------------
// Table 7 (notebook eq-07)

/**
 * EQ Table 7 (mechanism): the Melitz–Polanec components (within, between, entry, exit, total,
 * gap) of Δ quality on vagg, published vs recomputed; the true total from `mechanismTruth`
 * (null on real data).
 *
 * @example showTable(eqTable7([m1, m2, m3, m4, m5, m6], mt));
 */
export function eqTable7(
  models: readonly Fit[],
  truth: { readonly total: number; readonly components?: Readonly<Partial<Record<MpComponent, number | null>>> } | null,
): ReportTable {
  need(models, 6, "eqTable7");
  const P = EQ_PUBLISHED.table7;
  const cols = [
    ["(1) within", P.within],
    ["(2) between", P.between],
    ["(3) entry", P.entry],
    ["(4) exit", P.exit],
    ["(5) total", P.total],
    ["(6) gap = between + entry + exit", P.gap],
  ] as const;
  const notes = [
    `Unit: city × HS4 × year t (change from t − 1), products = firm × HS6 varieties of the cell; controls, city, year and HS4 FE, SEs clustered by city × HS4. Published N: ${cols.map(([, p]) => fmtN(p.n)).join("; ")}.`,
  ];
  const keys = ["within", "between", "entry", "exit", "total", "gap"] as const;
  const trueOf = (k: number): number | null => {
    if (!truth) return null;
    const key = keys[k] as MpComponent;
    const v = truth.components?.[key];
    return typeof v === "number" ? v : key === "total" ? truth.total : null;
  };
  if (truth)
    notes.push(
      truth.components && keys.every((k) => typeof truth.components?.[k] === "number")
        ? "True (DGP): each component of the noiseless true quality decomposed and regressed as here (the true qualities written by the generator from its realised data); the κ(vagg) reallocation channel makes entry the positive control."
        : "True (DGP): only the total, as the projection of β·Δvagg on vagg (this folder's generator wrote no component truths).",
    );
  return comparisonTable(
    cols.map(([label, p], k) => comparisonRow(label, models[k]!, "vagg", p, trueOf(k))),
    "Table 7 Mechanism: Melitz–Polanec components of Δ quality on vagg",
    [...notes, ...eqAnomalyNotes("table7")],
    { synthetic: truth !== null },
  );
}

// ---------------------------------------------------------------------------------------------
// Table 8 (notebook eq-08)

const T8_KEYS = ["integ", "road", "lndiv", "lnspe", "coa", "dcoa"] as const;

/**
 * EQ Table 8 (extensions): integ on L.vagg; ln road per capita, ln div (Duranton–Puga), ln spe on
 * vagg (city × year); quality on coa and d_coa (city × HS4 × year); published rows, the true road
 * effect (synthetic data) and the published N in the note.
 *
 * @example showTable(eqTable8([m1, m2, m3, m4, m5, m6], env));
 */
export function eqTable8(models: readonly Fit[], src: TruthSource): ReportTable {
  need(models, 6, "eqTable8");
  const T = eqTruth(src),
    P = EQ_PUBLISHED.table8;
  const pub = T8_KEYS.map((k) => P[k]);
  return regressionTable(models, {
    title: "Table 8 Extensions: market integration, crowding, export structure, co-agglomeration",
    keep: ["l_vagg", "vagg", "coa", "d_coa"],
    labels: { l_vagg: "L.vagg" },
    headers: ["integ", "ln road", "ln div (D–P)", "ln spe", "quality", "quality"],
    indicators: [
      { label: "Controls", values: [true, true, true, true, true, true] },
      { label: "Unit", values: ["city × year", "city × year", "city × year", "city × year", "city × HS4 × year", "city × HS4 × year"] },
      { label: "Clusters", values: ["city", "city", "city", "city", "city × HS4", "city × HS4"] },
    ],
    stats: ["nobs", "r2"],
    extra: publishedRows(pub, T ? [null, T.road_vagg, null, null, null, null] : null),
    notes: [
      `${T ? "Synthetic data calibrated to the paper; published numbers from real data" : "Published numbers from the paper"} (N ${pub.map((p) => fmtN(p.n)).join(" / ")} on the city × HS4 × year panel, clustered by city × HS4 as the Table 2 note says for all tables, 下同). Cols. 1–4 here are city × year regressions clustered by city, where their variables vary; col. 2 in the paper's layout is in the comparison table. Col. 1 without the first sample year (no lag inside the sample, eqLagSample). Column 3: Duranton–Puga relative diversity index; (26) as printed in the comparison table.`,
      ...eqAnomalyNotes("table8"),
    ],
  });
}

/**
 * EQ Table 8 as a comparison (published vs recomputed vs true), with two variants: col. 2 in the
 * paper's layout (city × HS4 × year rows, city × HS4 clusters) and col. 3 with (26) as printed.
 *
 * @example showTable(eqTable8Comparison([m1, m2, m2p, m3, m3p, m4, m5, m6], env));
 */
export function eqTable8Comparison(models: readonly Fit[], src: TruthSource): ReportTable {
  need(models, 8, "eqTable8Comparison");
  const T = eqTruth(src),
    P = EQ_PUBLISHED.table8,
    road = T?.road_vagg ?? null;
  const [m1, m2, m2p, m3, m3p, m4, m5, m6] = models as Fit[];
  return comparisonTable(
    [
      comparisonRow("(1) integ on L.vagg", m1!, "l_vagg", P.integ),
      comparisonRow("(2) ln road per capita on vagg", m2!, "vagg", P.road, road),
      comparisonRow("(2) same, paper layout: city × HS4 × year, city × HS4 clusters", m2p!, "vagg", P.road, road),
      comparisonRow("(3) ln div, Duranton–Puga, on vagg", m3!, "vagg", P.lndiv),
      comparisonRow("(3) ln div, (26) as printed, on vagg", m3p!, "vagg", P.lndiv),
      comparisonRow("(4) ln spe on vagg", m4!, "vagg", P.lnspe),
      comparisonRow("(5) quality on coa", m5!, "coa", P.coa),
      comparisonRow("(6) quality on d_coa", m6!, "d_coa", P.dcoa),
    ],
    `EQ Table 8: published vs recomputed${T ? " vs true" : ""}`,
    [
      ...(T
        ? [
            "Only column 2 is built into the synthetic data (TRUTH.eq.road_vagg); the other columns are emergent (truth.json, not_built_in), so they have no true value.",
          ]
        : []),
      ...eqAnomalyNotes("table8"),
      ...eqAnomalyNotes("extensions"),
    ],
    { synthetic: T !== null },
  );
}

// ---------------------------------------------------------------------------------------------
// Measurement (notebook eq-03) and the ADH validation (eq-09)

/**
 * EQ (18): the price elasticity σ, 2SLS estimates (pooled and by HS3) beside the HS3 table the
 * data carry (the true σ_h on synthetic data; e.g. Broda–Greenfield–Weinstein on real data).
 *
 * @example showTable(eqSigmaTable(eq.quality, qh, env));
 */
export function eqSigmaTable(pooled: QualityResult, byHs3: QualityResult | null | undefined, src: TruthSource): ReportTable {
  const syn = truthFor(src) !== null;
  return dataTable(sigmaSummaryTable(pooled, byHs3), {
    title: "Price elasticity σ in (18): 2SLS estimates vs the HS3 table",
    digits: 4,
    na: "–",
    headers: { estimate: "recomputed", reference: syn ? "HS3 table (true in the DGP)" : "HS3 table" },
    notes: [
      syn
        ? "The paper prints no σ̂; the HS3 table is the synthetic stand-in for Broda–Greenfield–Weinstein elasticities."
        : "The paper prints no σ̂; the HS3 table holds the reference elasticities of the data in use (e.g. Broda–Greenfield–Weinstein).",
    ],
  });
}

/**
 * EQ (22): the Bartik shifts rebuilt from the OECD tables (a) against the `digital_shifts.csv` the
 * data carry (b): rows matched, maximum absolute difference, means.
 *
 * @example showTable(eqShiftCheckTable(sh.table, shiftsFile));
 */
export function eqShiftCheckTable(shifts: Table, shiftsFile: Table): ReportTable {
  return dataTable(
    vaggAgreement(shifts, shiftsFile, { keys: ["ind", "year"], keysB: ["industry", "year"], value: "shift", valueB: "virtual" }),
    {
      title: "Shifts: OECD (a) vs digital_shifts.csv (b)",
      digits: { max_abs_diff: 15, mean_a: 4, mean_b: 4 },
      counts: ["rows_a", "rows_b", "matched", "only_a", "only_b"],
    },
  );
}

/**
 * The Rotemberg decomposition of the EQ baseline (Table 2 col. 4): GPSS Table 5 panel A style
 * summary of the positive and negative industry × year weights.
 *
 * @example showTable(eqRotembergSummaryTable(rw));
 */
export function eqRotembergSummaryTable(rw: RotembergOlsResult): ReportTable {
  return dataTable(rotembergOlsSummary(rw), {
    title: "Rotemberg decomposition of the baseline coefficient on vagg (Table 2 col. 4 specification)",
    digits: 4,
    notes: ["Industry × year weights; SE clustered by city × HS4. GPSS Table 5 panel A style summary of positive and negative weights."],
  });
}

/**
 * The baseline β (Table 2 col. 4) from its Rotemberg decomposition Σ_k α_k β̂_k, published vs
 * recomputed vs true (synthetic data).
 *
 * @example showTable(eqRotembergComparison(rw, env));
 */
export function eqRotembergComparison(rw: RotembergOlsResult, src: TruthSource): ReportTable {
  const T = eqTruth(src),
    P = EQ_PUBLISHED.table2[3];
  return comparisonTable(
    [
      {
        label: "β on vagg, Table 2 col. 4 = Σ_k α_k β̂_k",
        published: P.coef,
        publishedSe: P.se,
        estimate: rw.betaDecomposed,
        se: rw.seOls,
        truth: T?.beta_vagg ?? null,
        n: rw.nobs,
      },
    ],
    `Baseline β from its Rotemberg decomposition: published vs recomputed${T ? " vs true" : ""}`,
    [],
    { synthetic: T !== null },
  );
}

/**
 * Rotemberg weights summed by industry over 2005–2015, largest first, with industry names; on
 * synthetic data the note gives the true (homogeneous) β_s.
 *
 * @example showTable(eqRotembergByIndustryTable(rw, names, env));
 */
export function eqRotembergByIndustryTable(
  rw: { readonly rows: readonly RotembergRow[] },
  names: ReadonlyMap<string, string>,
  src: TruthSource,
): ReportTable {
  const T = truthFor(src);
  return dataTable(rotembergByIndustry(rw.rows, { names }), {
    title: "Rotemberg weights by industry (summed over 2005–2015), largest first",
    digits: 4,
    counts: ["years"],
    headers: { alpha: "α_s", beta: "β̂_s", contribution: "α_s β̂_s", share_of_beta: "share of β̂", g_mean: "mean shift" },
    notes: T ? [`True β_s of the synthetic DGP: ${T.eq.beta_vagg.toFixed(4)} for every industry (the effect is homogeneous).`] : [],
  });
}

/**
 * ADH (Autor, Dorn & Hanson 2013, GPSS 2020 replication): the Bartik 2SLS estimate of the China
 * shock from the Rotemberg decomposition and directly, with N and the number of instruments K.
 *
 * @example showTable(adhBartikEstimateTable(rot.result));
 */
export function adhBartikEstimateTable(r: Pick<RotembergResult, "betaBartik" | "betaBartikDirect" | "n" | "K">): ReportTable {
  return dataTable(
    fromRecords([
      { method: "Σ α_k β_k (Rotemberg decomposition)", beta: r.betaBartik, N: r.n, K: r.K },
      { method: "B'ΩMy / B'ΩMx (direct 2SLS)", beta: r.betaBartikDirect, N: r.n, K: r.K },
    ]),
    { title: "ADH: Bartik 2SLS estimate of the China shock on the manufacturing employment share", digits: 6, counts: ["N", "K"] },
  );
}
