import { column, numeric, takeRows, withColumns, fromRecords, maskToIndex, type Table, hasColumn } from "../../data/table";
import { feols, type FeolsResult } from "../../estimators/feols";
import { coefDiffTest, type CoefDiffResult } from "../../estimators/resampling/coef-diff";
import { coefDiffInteraction, type InteractionTestResult } from "../../estimators/resampling/interaction-test";
import { regressionTable } from "../../report/regression-table";
import { dataTable } from "../../report/data-table";
import type { ReportTable } from "../../report/model";
import type { CoefPoint } from "../../report/charts/coef-points";
import { distributionPlot } from "../../report/charts/distribution-plot";
import { formatMarked, type VegaLiteSpec } from "../../report/charts/spec";
import { qT, qNormal } from "../../util/distributions";
import { ArgumentError, DataError } from "../../util/errors";
import { RS_CONTROLS } from "./panel";
import { fmtN, type TruthSource } from "../truth";
import { rsTruth } from "./truth";
import { RS_PUBLISHED, RS_PUBLISHED_SECTIONS } from "./published";
import { rsAnomalyNotes } from "./anomalies";
import { mapF64From } from "../../util/typed-map";

/**
 * The estimation logic of the RS notebooks for §4.3 (heterogeneity, Table 4), §5 (mechanisms,
 * Tables 5–6) and §6 (complementarity with geographic agglomeration), so that each notebook
 * cell calls one function. Every model is the baseline (1) of RS with city and year fixed
 * effects and SEs clustered by city, unless stated otherwise:
 *
 *   y_ct = β x_ct + γ'Controls_ct + u_c + u_t + ε_ct.
 */

const FE = "city + year";
const CLUSTER = { cluster: ["city"] };
const CTRL = RS_CONTROLS.join(" + ");

/**
 * `lhs ~ rhs + controls | fe` (default fe: city + year; `""` for none), the controls being
 * `RS_CONTROLS` (pop, open, fre, road, wage, edu); for 2SLS give `rhs` as `""` and the
 * first stage as `iv`: `lhs ~ controls | fe | iv`.
 *
 * @example
 *   rsFormula("resi", "vagg")                          // the baseline (1), Table 3 col. 4
 *   rsFormula("resi", "vagg", "")                      // Table 3 col. 3: no fixed effects
 *   rsFormula("resi", "vagg", "province + year")       // robustness: province FE
 *   rsFormula("resi", "", "city + year", "vagg ~ iv")  // robustness: 2SLS
 */
export function rsFormula(lhs: string, rhs: string, fe: string = FE, iv?: string): string {
  return `${lhs} ~ ${rhs ? `${rhs} + ` : ""}${CTRL}${fe ? ` | ${fe}` : ""}${iv ? ` | ${iv}` : ""}`;
}

/**
 * The Martin resistance regression of RS §4.2 on `martinSample(panel)`: resistance in 2020 on the
 * 2008–11 means of vagg and of the controls (`<name>_pre`).
 */
export const RS_MARTIN = `resistance ~ ${["vagg", ...RS_CONTROLS].map((c) => `${c}_pre`).join(" + ")}`;

/** The baseline (1): resi on vagg, controls, city and year fixed effects. */
export const RS_BASELINE = rsFormula("resi", "vagg");

// ---------------------------------------------------------------------------------------------
// §4.3 Heterogeneity (Table 4)

/** The four splits of Table 4, with the labels of the "in" (indicator = 1) and "out" groups. */
export const RS_HET_GROUPS: readonly {
  readonly group: string;
  readonly label: string;
  readonly inLabel: string;
  readonly outLabel: string;
}[] = [
  { group: "old_industrial", label: "Old industrial base", inLabel: "Old industrial", outLabel: "Other" },
  { group: "digital_infra_high", label: "Digital infrastructure", inLabel: "High", outLabel: "Low" },
  { group: "urban_agglomeration", label: "Urban agglomeration", inLabel: "Member", outLabel: "Non-member" },
  { group: "yangtze_belt", label: "Yangtze River Economic Belt", inLabel: "Belt", outLabel: "Other" },
];

/**
 * Number of resampling draws for the Table 4 p-values: 1,000 (the paper's) at every scale.
 * A 1,000-draw cluster permutation of one split takes about 2 s at `small` and `default`
 * scale, so no scale needs fewer; `VAGG_REPS` overrides (e.g. 199 for a quick look).
 */
export function heterogeneityReps(
  env: { readonly scale: string } = { scale: "default" },
  envVars: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const own = envVars["VAGG_REPS"];
  if (own !== undefined && own !== "") {
    const r = Number(own);
    if (!Number.isInteger(r) || r < 1) throw new ArgumentError(`VAGG_REPS must be a positive integer, got "${own}"`);
    return r;
  }
  void env.scale; // same number at every scale (see above)
  return 1000;
}

/** One split of Table 4: both subsample fits, the resampling test and the interacted Wald test. */
export interface HeterogeneitySplit {
  readonly group: string;
  readonly label: string;
  readonly inLabel: string;
  readonly outLabel: string;
  /** Baseline (1) on the rows with group = 1, and = 0. */
  readonly inModel: FeolsResult;
  readonly outModel: FeolsResult;
  /** `coefDiffTest` (cluster permutation by city): diff = b_in − b_out. */
  readonly test: CoefDiffResult;
  /** `coefDiffTest` (pairs cluster bootstrap by city within each group), the "Bootstrap, 1,000 draws" of the paper's note to Table 4; null when not requested. */
  readonly bootstrap: CoefDiffResult | null;
  /** `coefDiffInteraction`: fully interacted pooled model, Wald test of vagg × group. */
  readonly wald: InteractionTestResult;
  readonly published: {
    readonly in: { readonly coef: number; readonly se: number; readonly n?: number; readonly r2?: number };
    readonly out: { readonly coef: number; readonly se: number; readonly n?: number; readonly r2?: number };
    readonly p?: number;
  } | null;
  readonly truth: { readonly in: number; readonly out: number } | null;
}

export interface HeterogeneityOptions {
  /** Draws of the permutation test (default `heterogeneityReps()`). */
  readonly reps?: number;
  /** Also run the within-group cluster bootstrap (default true). */
  readonly bootstrap?: boolean;
  readonly groups?: readonly string[];
  readonly formula?: string;
  readonly seed?: number;
  /**
   * Where the data come from, for the realised true (DGP) group slopes (`rsTruth`, ./truth.ts; default: the panel's source folder): e.g.
   * `notebookEnv()` or the data folder. On real data (no realised truths) every split's `truth`
   * is null and the tables built from the splits have no true row or column.
   */
  readonly truth?: TruthSource;
}

function rowsWhere(t: Table, col: string, value: number): Table {
  const x = numeric(t, col);
  const idx = maskToIndex(Array.from(x, (v) => v === value));
  if (idx.length === 0) throw new DataError(`no rows with ${col} = ${value}`, { file: t.source, column: col });
  return takeRows(t, idx);
}

/**
 * Table 4: for each group indicator, the baseline (1) in the two subsamples, the empirical
 * p-value of d = b_in − b_out by permuting the group labels across cities (1,000 draws,
 * Stata bdiff style; every split is constant within city), and the fully interacted Wald
 * alternative with city-clustered SEs.
 *
 * @example
 *   const het = await heterogeneitySplits(rs.panel, { reps: 1000 });
 *   het[0].test.pOneSided; het[0].wald.p;
 */
export async function heterogeneitySplits(panel: Table, opts: HeterogeneityOptions = {}): Promise<HeterogeneitySplit[]> {
  const formula = opts.formula ?? RS_BASELINE;
  const reps = opts.reps ?? heterogeneityReps();
  const wanted = opts.groups ?? RS_HET_GROUPS.map((g) => g.group);
  const T = rsTruth(opts.truth ?? panel.source ?? false);
  const out: HeterogeneitySplit[] = [];
  for (const group of wanted) {
    const meta = RS_HET_GROUPS.find((g) => g.group === group) ?? { group, label: group, inLabel: `${group} = 1`, outLabel: `${group} = 0` };
    const inModel = feols(rowsWhere(panel, group, 1), formula, { vcov: CLUSTER });
    const outModel = feols(rowsWhere(panel, group, 0), formula, { vcov: CLUSTER });
    const seed = opts.seed !== undefined ? { seed: opts.seed } : {};
    const test = await coefDiffTest(panel, formula, { group, coef: "vagg", reps, method: "permutation", cluster: "city", ...seed });
    const bootstrap =
      opts.bootstrap === false
        ? null
        : await coefDiffTest(panel, formula, { group, coef: "vagg", reps, method: "bootstrap", cluster: "city", ...seed });
    const wald = coefDiffInteraction(panel, formula, { group, coef: "vagg", vcov: CLUSTER });
    const pub = (RS_PUBLISHED.table4 as Record<string, HeterogeneitySplit["published"]>)[group] ?? null;
    const tr = T?.table4[group] ?? null;
    out.push({ ...meta, inModel, outModel, test, bootstrap, wald, published: pub, truth: tr });
  }
  return out;
}

/** Table 4 in the paper's layout: two columns per split (in, out), published / true rows, empirical and Wald p-values. */
export function heterogeneityTable(splits: readonly HeterogeneitySplit[], title = "Table 4 Heterogeneity: split samples"): ReportTable {
  const models = splits.flatMap((s) => [s.inModel, s.outModel]);
  const two = <T>(f: (s: HeterogeneitySplit) => [T, T]): T[] => splits.flatMap(f);
  const p = (s: HeterogeneitySplit, v: number | undefined | null): [number | null, null] => [v ?? null, null];
  const synthetic = splits.some((s) => s.truth !== null);
  return regressionTable(models, {
    title,
    keep: ["vagg"],
    groups: splits.map((s) => ({ label: s.label, span: 2 })),
    headers: two((s) => [s.inLabel, s.outLabel]),
    indicators: [{ label: "Controls", values: models.map(() => true) }],
    stats: ["nobs", "clusters", "withinR2"],
    extra: [
      { label: "Published", values: two((s) => [s.published?.in.coef ?? null, s.published?.out.coef ?? null]), position: "afterCoefs" },
      { label: "Published SE", values: two((s) => [s.published?.in.se ?? null, s.published?.out.se ?? null]), position: "afterCoefs" },
      ...(synthetic
        ? [{ label: "True (DGP)", values: two((s) => [s.truth?.in ?? null, s.truth?.out ?? null]), position: "afterCoefs" as const }]
        : []),
      { label: "Published N", values: two((s) => [s.published?.in.n ?? null, s.published?.out.n ?? null]), position: "end", digits: 0 },
      {
        label: "Published R² (within)",
        values: two((s) => [s.published?.in.r2 ?? null, s.published?.out.r2 ?? null]),
        position: "end",
        digits: 3,
      },
      { label: "Published empirical p", values: two((s) => p(s, s.published?.p)), position: "end", digits: 3 },
      { label: "Empirical p, permutation (one-sided)", values: two((s) => p(s, s.test.pOneSided)), position: "end", digits: 3 },
      { label: "Empirical p, permutation (two-sided)", values: two((s) => p(s, s.test.pTwoSided)), position: "end", digits: 3 },
      { label: "Empirical p, cluster bootstrap (one-sided)", values: two((s) => p(s, s.bootstrap?.pOneSided)), position: "end", digits: 3 },
      { label: "Wald p, interacted model", values: two((s) => p(s, s.wald.p)), position: "end", digits: 3 },
    ],
    na: "–",
    notes: [
      "Each pair: baseline (1) with controls, city and year FE, SEs clustered by city, on the two subsamples. p-values (under the first column of each pair) test b_in = b_out.",
      'Empirical p, permutation: the group labels are permuted across cities (group sizes kept), both subsamples re-estimated, one-sided p = (1 + #{d* at least as far as d in its direction})/(1 + R) as in Stata bdiff; cluster bootstrap: cities resampled with replacement within each group, p = share of d* on the other side of 0 (the paper\'s note says "Bootstrap, 1,000 times"); Wald p: t-test of vagg × group in the fully interacted pooled model (all FE interacted with the group).',
      synthetic
        ? `Synthetic data calibrated to the paper; published numbers from real data (N = ${fmtN(RS_PUBLISHED.nobs)}). True (DGP): the realised group slopes, computed by the generator from its data (noiseless resilience score on vagg and the controls with city and year FE in each subsample). R² (within) as the paper's Table 4 prints it (its R² row is evidently within R²).`
        : `Published numbers from the paper (N = ${fmtN(RS_PUBLISHED.nobs)}).`,
      ...rsAnomalyNotes("table4"),
    ],
  });
}

/** The coefficient differences of Table 4 with every p-value side by side (published vs recomputed vs true). */
export function heterogeneityTests(
  splits: readonly HeterogeneitySplit[],
  title = "Table 4 Coefficient differences b_in − b_out and their p-values",
): ReportTable {
  const synthetic = splits.some((s) => s.truth !== null);
  const recs = splits.map((s) => ({
    split: s.label,
    diff_P: s.published ? s.published.in.coef - s.published.out.coef : NaN,
    p_P: s.published?.p ?? NaN,
    diff_R: s.test.diff,
    p_perm1: s.test.pOneSided,
    p_perm2: s.test.pTwoSided,
    p_boot: s.bootstrap?.pOneSided ?? NaN,
    wald_diff: s.wald.diff,
    wald_se: s.wald.se,
    p_wald: s.wald.p,
    p_naive: s.test.separate.p,
    ...(synthetic ? { diff_true: s.truth ? s.truth.in - s.truth.out : NaN } : {}),
    reps: s.test.reps,
  }));
  return dataTable(fromRecords(recs), {
    title,
    na: "–",
    counts: ["reps"],
    digits: {
      diff_P: 4,
      p_P: 3,
      diff_R: 4,
      p_perm1: 3,
      p_perm2: 3,
      p_boot: 3,
      wald_diff: 4,
      wald_se: 4,
      p_wald: 3,
      p_naive: 3,
      diff_true: 4,
    },
    headers: {
      diff_P: "d published",
      p_P: "p published",
      diff_R: "d recomputed",
      p_perm1: "p perm. (1-sided)",
      p_perm2: "p perm. (2-sided)",
      p_boot: "p boot. (1-sided)",
      wald_diff: "d interacted",
      wald_se: "(SE)",
      p_wald: "p Wald",
      p_naive: "p naive z",
      diff_true: "d true (DGP)",
      reps: "draws",
    },
    notes: [
      "d = b_in − b_out (bdiff prints b0 − b1 = −d). The interacted model reproduces d exactly; its Wald p uses one pooled city-clustered vcov. Naive z: d/√(se_in² + se_out²) from the two separate fits.",
      synthetic
        ? 'published: the paper on real data (p from 1,000 "Bootstrap" draws, bdiff style, one-sided); recomputed: this notebook on synthetic data; true (DGP): the in − out gap the generator builds in.'
        : 'published: the paper on real data (p from 1,000 "Bootstrap" draws, bdiff style, one-sided); recomputed: this notebook on the data in use.',
    ],
  });
}

function ciPoint(
  m: FeolsResult,
  coef: string,
  term: string,
  model: string | undefined,
  published: number | undefined,
  level = 0.95,
): CoefPoint {
  const b = m.coef[coef],
    se = m.se[coef];
  if (b === undefined || se === undefined) throw new ArgumentError(`"${coef}" is not a coefficient of the model`, { term: coef });
  const df = m.dof.tDf;
  const q = Number.isFinite(df) && df > 0 ? qT(1 - (1 - level) / 2, df) : qNormal(1 - (1 - level) / 2);
  return {
    term,
    estimate: b,
    lo: b - q * se,
    hi: b + q * se,
    ...(model !== undefined ? { model } : {}),
    ...(published !== undefined ? { published } : {}),
  };
}

/** vagg coefficients of both subsamples of every split, 95 % CI, published values marked, for `coefPlot`. */
export function heterogeneityPoints(splits: readonly HeterogeneitySplit[]): CoefPoint[] {
  return splits.flatMap((s) => [
    ciPoint(s.inModel, "vagg", s.label, "in group (= 1)", s.published?.in.coef),
    ciPoint(s.outModel, "vagg", s.label, "out of group (= 0)", s.published?.out.coef),
  ]);
}

/**
 * The empirical p-value of one Table 4 split as a chart: the permuted differences d* = b_in −
 * b_out, the observed d (red) and the published difference of the paper's two coefficients
 * (orange dashed, when printed), named in the legend.
 *
 * @example
 *   await showChart(heterogeneityTestChart(het[0], "Empirical p-value of Table 4 (old industrial bases)"));
 */
export function heterogeneityTestChart(split: HeterogeneitySplit, title?: string): VegaLiteSpec {
  const d = split.test.diff;
  const pub = split.published ? split.published.in.coef - split.published.out.coef : undefined;
  return distributionPlot(split.test.draws, {
    title: title ?? `Empirical p-value of Table 4 (${split.label})`,
    xTitle: `Permuted difference d* (${split.inLabel} − ${split.outLabel})`,
    marked: { value: d, label: `observed d ${formatMarked(d)}` },
    ...(pub !== undefined ? { published: { value: pub, label: `published d ${formatMarked(pub)}` } } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// §5 Mechanisms (Tables 5–6), two-step

/** The mechanism variables of Tables 5 (misallocation) and 6 (market potential). */
export const RS_MECHANISMS = {
  misallocation: ["dist", "distK", "distL"],
  market: ["mp", "lmp", "hmp"],
} as const;

export const RS_DIMENSIONS = ["resist", "adapt", "transform"] as const;

/** The two steps for one mechanism variable M: M on vagg; resi and its three sub-dimensions on M. */
export interface MechanismSteps {
  readonly mediator: string;
  /** Step 1: M ~ vagg + controls | city + year. */
  readonly first: FeolsResult;
  /** Step 2: resi ~ M + controls | city + year. */
  readonly second: FeolsResult;
  /** resist, adapt, transform ~ M + controls | city + year. */
  readonly dims: readonly FeolsResult[];
}

/**
 * The Table 5 / Table 6 sample of the panel (the rule of the RS samples: baseline sample ∩ the mechanism variables
 * non-missing): rows with `flag` = 1 when the panel carries the 0/1 column (`in_mis`, `in_mp`, set by
 * `buildResiliencePanel`), else the whole panel (each regression then uses its complete cases).
 *
 * @example mechanismSample(rs.panel, "in_mis").nrows   // 3,166 at paper scale
 */
export function mechanismSample(panel: Table, flag: "in_mis" | "in_mp"): Table {
  return hasColumn(panel, flag) ? rowsWhere(panel, flag, 1) : panel;
}

/**
 * The two-step mechanism test of RS §5 for each mechanism variable: step 1 regresses M on vagg
 * (is vagg associated with less misallocation / more market potential?), step 2 regresses
 * resilience and its three sub-dimensions on M (does M matter for resilience?). Both steps
 * are the baseline (1) specification with M in place of resi or of vagg, on the table's sample:
 * Table 5 (`in_mis`) for dist, distK, distL; Table 6 (`in_mp`) for mp, lmp, hmp (see `mechanismSample`).
 *
 * @example
 *   const t5 = mechanismSteps(rs.panel, RS_MECHANISMS.misallocation);
 *   t5[0].first.coef.vagg;   // vagg → dist
 */
export function mechanismSteps(panel: Table, mediators: readonly string[]): MechanismSteps[] {
  return mediators.map((m) => {
    const sample = mechanismSample(panel, m.startsWith("dist") ? "in_mis" : "in_mp");
    return {
      mediator: m,
      first: feols(sample, rsFormula(m, "vagg"), { vcov: CLUSTER }),
      second: feols(sample, rsFormula("resi", m), { vcov: CLUSTER }),
      dims: RS_DIMENSIONS.map((d) => feols(sample, rsFormula(d, m), { vcov: CLUSTER })),
    };
  });
}

type Pub = { readonly coef: number; readonly se?: number } | undefined;

function publishedOf(key: string): Pub {
  const all = { ...RS_PUBLISHED.table5, ...RS_PUBLISHED.table6 } as Record<string, unknown>;
  const v = all[key];
  return v && typeof v === "object" ? (v as Pub) : undefined;
}

/**
 * Table 5 / Table 6, step by step: columns (1)–(k) M on vagg for each mechanism variable,
 * then resi on each M; published coefficients, SEs and, on the generator's synthetic data, the
 * realised true values (`rsTruth`, ./truth.ts: computed by the generator from its realised data).
 * `src`: where the data come from (a data folder or `notebookEnv()`); without realised truths
 * (real data) the "True (DGP)" row and the DGP note are left out.
 *
 * @example showTable(mechanismTable(mis, "Table 5 Mechanism: resource misallocation", env));
 */
export function mechanismTable(steps: readonly MechanismSteps[], title: string, src: TruthSource = false): ReportTable {
  const T = rsTruth(src);
  const synthetic = T !== null;
  const trueKeys = [...steps.map((s) => `vagg→${s.mediator}`), ...steps.map((s) => `${s.mediator}→resi`)];
  const models = [...steps.map((s) => s.first), ...steps.map((s) => s.second)];
  const keys = [...steps.map((s) => `vagg_${s.mediator}`), ...steps.map((s) => `${s.mediator}_resi`)];
  const pubN = steps.some((s) => s.mediator.startsWith("dist")) ? RS_PUBLISHED.table5.nobs : RS_PUBLISHED.table6.nobs;
  return regressionTable(models, {
    title,
    keep: ["vagg", ...steps.map((s) => s.mediator)],
    depvarRow: true,
    groups: [
      { label: "Step 1: mechanism on vagg", span: steps.length },
      { label: "Step 2: resilience on mechanism", span: steps.length },
    ],
    indicators: [{ label: "Controls", values: models.map(() => true) }],
    stats: ["nobs", "withinR2"],
    extra: [
      { label: "Published", values: keys.map((k) => publishedOf(k)?.coef ?? null), position: "afterCoefs" },
      { label: "Published SE", values: keys.map((k) => publishedOf(k)?.se ?? null), position: "afterCoefs" },
      ...(T ? [{ label: "True (DGP)", values: trueKeys.map((k) => T.mechanisms[k] ?? null), position: "afterCoefs" as const }] : []),
    ],
    na: "–",
    notes: [
      "All columns: controls, city and year FE, SEs clustered by city. Step 2 regresses resi on the mechanism variable (the paper's two-step approach).",
      ...(synthetic
        ? [
            `Synthetic data calibrated to the paper; published numbers from real data (N = ${fmtN(pubN)}).`,
            "True (DGP): the generator's labour wedge shrinks with vagg (H2) and a city's own internet penetration rises with it, which raises its market potential under origin-side internet weighting (H3); dist lowers and hmp raises the latent resilience score. Step 1 truths: E[M | regressors] over redraws of the mechanism noise; step 2 truths: the coefficient of the noiseless resilience score on M on the same sample (data/codebook/dgp.md).",
          ]
        : [`Published numbers from the paper (N = ${fmtN(pubN)}).`]),
    ],
  });
}

/**
 * Effects of each mechanism variable on the three resilience sub-dimensions (columns grouped by
 * mechanism variable). `src` as in `mechanismTable`: the "no true value" note only on synthetic data.
 *
 * @example showTable(mechanismDimsTable(mis, "Table 5 (cont.) Misallocation and the resilience sub-dimensions", env));
 */
export function mechanismDimsTable(steps: readonly MechanismSteps[], title: string, src: TruthSource = false): ReportTable {
  const synthetic = rsTruth(src) !== null;
  const models = steps.flatMap((s) => s.dims);
  const pub = steps.flatMap((s) => RS_DIMENSIONS.map((d) => RS_PUBLISHED_SECTIONS.dims[s.mediator]?.[d] ?? null));
  const printed = steps.filter((s) => RS_PUBLISHED_SECTIONS.dims[s.mediator] !== undefined).map((s) => s.mediator);
  const table = steps.some((s) => RS_MECHANISMS.market.includes(s.mediator as never)) ? "table6" : "table5";
  return regressionTable(models, {
    title,
    keep: steps.map((s) => s.mediator),
    groups: steps.map((s) => ({ label: s.mediator, span: RS_DIMENSIONS.length })),
    headers: steps.flatMap(() => ["Resistance", "Adaptation", "Transformation"]),
    stats: ["nobs"],
    extra: [{ label: "Published", values: pub, position: "afterCoefs" }],
    na: "–",
    notes: [
      "Dependent variables: the three entropy sub-indices (resistance & recovery, adaptation & adjustment, transformation & development); controls, city and year FE, SEs clustered by city.",
      (printed.length
        ? `Published: the sub-dimension effects printed in columns (3)–(5) of RS ${table === "table6" ? "Table 6" : "Table 5"} (real data) for ${printed.join(", ")}. `
        : "") +
        (synthetic
          ? "No true value per sub-dimension: the generator's dist and hmp move the latent resilience score, which loads on indicators of all three dimensions; only the overall index has a computed truth."
          : ""),
      ...rsAnomalyNotes(table),
    ],
  });
}

/**
 * Whether the sub-dimension effects add up to the index effect: for each mechanism variable M, the
 * step-2 coefficient θ_resi beside Σ_d θ_d over the three sub-dimensions, recomputed and as printed.
 * With global entropy weights the sub-indices sum to resi, so θ_resi = Σ_d θ_d exactly (OLS is
 * linear in the outcome; before winsorisation, which clips each index on its own); with weights computed within each dimension (the paper's reading, and the
 * panel's) they do not. The paper's printed columns do not add up either (RS Tables 5–6).
 *
 * @example showTable(mechanismAdditivityTable([...mis, ...mkt]));
 */
export function mechanismAdditivityTable(
  steps: readonly MechanismSteps[],
  title = "Do the sub-dimension effects add up to the resilience effect?",
): ReportTable {
  const coef = (m: FeolsResult, term: string): number => m.table.find((r) => r.name === term)?.estimate ?? NaN;
  const recs = steps.map((s) => {
    const dims = s.dims.map((m) => coef(m, s.mediator));
    const pub = RS_PUBLISHED_SECTIONS.dims[s.mediator];
    const pubResi = publishedOf(`${s.mediator}_resi`)?.coef ?? NaN;
    const pubSum = pub ? RS_DIMENSIONS.reduce((a, d) => a + (pub[d] ?? NaN), 0) : NaN;
    const resi = coef(s.second, s.mediator);
    const sum = dims.reduce((a, v) => a + v, 0);
    return { mediator: s.mediator, resi_R: resi, sum_R: sum, gap_R: sum - resi, resi_P: pubResi, sum_P: pubSum, gap_P: pubSum - pubResi };
  });
  return dataTable(fromRecords(recs), {
    title,
    headers: {
      mediator: "M",
      resi_R: "θ resi (R)",
      sum_R: "Σ θ sub-dimensions (R)",
      gap_R: "gap (R)",
      resi_P: "θ resi (P)",
      sum_P: "Σ θ sub-dimensions (P)",
      gap_P: "gap (P)",
    },
    digits: 4,
    na: "–",
    notes: [
      "R = recomputed (sub-indices with entropy weights within each dimension); P = published (RS Tables 5–6, columns (2) and (3)–(5)). With global weights the gap would be 0 up to the 1 % winsorisation of each index.",
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// §6 Extension: complementarity with geographic agglomeration

/** The panel with `<col>_c` = col − mean(col) (mean over the finite values) for each column. */
export function withCentred(panel: Table, cols: readonly string[]): Table {
  const add: Record<string, Float64Array> = {};
  for (const c of cols) {
    const x = numeric(panel, c);
    let s = 0,
      n = 0;
    for (const v of x)
      if (Number.isFinite(v)) {
        s += v;
        n++;
      }
    if (n === 0) throw new DataError(`no finite values`, { file: panel.source, column: c });
    const m = s / n;
    add[`${c}_c`] = mapF64From(x, (v) => v - m);
  }
  return withColumns(panel, add);
}

/** The centred interaction model of §6: resi on vagg_c, agg_c, vagg_c × agg_c, controls, city and year FE. */
export const RS_INTERACTION = rsFormula("resi", "vagg_c + agg_c + vagg_c:agg_c");

/**
 * Quantile groups of a column: `<col>_q` = 1..k, cut at the pooled k-quantiles of the
 * city-year values (Stata `xtile` rule: group g holds values ≤ the g-th cut and above the
 * previous one), or, with `by: "unit"`, at the quantiles of the city means (each city in one
 * group). Returns the panel with the group column and the cut points.
 */
export function quantileGroups(
  panel: Table,
  col: string,
  k = 4,
  opts: { by?: "observation" | "unit"; unit?: string } = {},
): { panel: Table; cuts: number[]; name: string; sizes: number[] } {
  if (!Number.isInteger(k) || k < 2) throw new ArgumentError(`k must be an integer ≥ 2, got ${k}`);
  const x = numeric(panel, col);
  let v: Float64Array = x,
    pool: Float64Array = x;
  if (opts.by === "unit") {
    const u = column(panel, opts.unit ?? "city") as ArrayLike<unknown>;
    const sum = new Map<unknown, [number, number]>();
    for (let i = 0; i < x.length; i++)
      if (Number.isFinite(x[i] as number)) {
        const s = sum.get(u[i]) ?? [0, 0];
        sum.set(u[i], [s[0] + (x[i] as number), s[1] + 1]);
      }
    const mean = new Map([...sum].map(([key, [s, n]]) => [key, s / n]));
    v = mapF64From({ length: x.length }, (_, i) => mean.get(u[i]) ?? NaN);
    pool = Float64Array.from(mean.values());
  }
  const sorted = Float64Array.from(Array.from(pool).filter(Number.isFinite)).sort();
  const n = sorted.length;
  if (n < k) throw new DataError(`fewer than ${k} finite values`, { file: panel.source, column: col });
  // xtile: cut g at the empirical (g/k)-quantile, averaging at exact positions
  const cuts = Array.from({ length: k - 1 }, (_, j) => {
    const pos = (n * (j + 1)) / k;
    const lo = Math.floor(pos);
    return Number.isInteger(pos) ? ((sorted[pos - 1] as number) + (sorted[pos] as number)) / 2 : (sorted[lo] as number);
  });
  const g = mapF64From(v, (val) => {
    if (!Number.isFinite(val)) return NaN;
    let q = 1;
    while (q < k && val > (cuts[q - 1] as number)) q++;
    return q;
  });
  const name = `${col}_q`;
  const sizes = Array.from({ length: k }, (_, j) => g.filter((q) => q === j + 1).length);
  return { panel: withColumns(panel, { [name]: g }), cuts, name, sizes };
}

/** One model per level of a group column (levels 1..k, rows with that level). */
export function groupModels(
  panel: Table,
  formula: string,
  group: string,
  levels: readonly number[],
): { level: number; model: FeolsResult }[] {
  return levels.map((level) => ({ level, model: feols(rowsWhere(panel, group, level), formula, { vcov: CLUSTER }) }));
}

/**
 * The §6 estimates: the centred interaction model and the baseline in each quartile group of
 * agg, with the signs the paper reports and, on synthetic data, the realised true values.
 */
export interface ExtensionResult {
  readonly interaction: FeolsResult;
  readonly groups: readonly { readonly level: number; readonly model: FeolsResult }[];
  readonly cuts: readonly number[];
  readonly sizes: readonly number[];
  /** Whether the data are the generator's synthetic data with realised truths: `extensionTable` shows true values only then. */
  readonly synthetic: boolean;
  /** Realised true values (`rsTruth`): keys vagg_c, agg_c, vagg_c:agg_c and Q1..Q4 (vagg in each agg quartile group); null on real data. */
  readonly truth: Readonly<Record<string, number>> | null;
}

/**
 * RS §6 in one call: centre vagg and agg, fit the interaction model, cut agg at its pooled
 * quartiles and fit the baseline (1) in each group. `truth`: where the data come from (default:
 * the panel's source folder); its realised true values (`rsTruth`) are recorded for `extensionTable`.
 *
 * @example
 *   const ext = extensionModels(rs.panel);
 *   ext.interaction.coef["vagg_c:agg_c"]; ext.groups[3].model.coef.vagg;
 */
export function extensionModels(
  panel: Table,
  opts: { k?: number; by?: "observation" | "unit"; truth?: TruthSource } = {},
): ExtensionResult {
  const k = opts.k ?? 4;
  const c = withCentred(panel, ["vagg", "agg"]);
  const interaction = feols(c, RS_INTERACTION, { vcov: CLUSTER });
  const q = quantileGroups(c, "agg", k, { by: opts.by ?? "observation" });
  const groups = groupModels(
    q.panel,
    RS_BASELINE,
    q.name,
    Array.from({ length: k }, (_, j) => j + 1),
  );
  const T = rsTruth(opts.truth ?? panel.source ?? false);
  return { interaction, groups, cuts: q.cuts, sizes: q.sizes, synthetic: T !== null, truth: T?.extension ?? null };
}

const QLABEL = (l: number, k: number): string => (l === 1 ? `Q1 (lowest agg)` : l === k ? `Q${l} (highest agg)` : `Q${l}`);

/**
 * The §6 table: interaction model, then one column per agg quartile group; the true (DGP) rows
 * only when `ext.synthetic` (set by `extensionModels(panel, { truth: env })`).
 *
 * @example showTable(extensionTable(extensionModels(rs.panel, { truth: env })));
 */
export function extensionTable(ext: ExtensionResult, title = "Extension: virtual × geographic agglomeration"): ReportTable {
  const k = ext.groups.length;
  const models = [ext.interaction, ...ext.groups.map((g) => g.model)];
  const signs = RS_PUBLISHED_SECTIONS.extension;
  return regressionTable(models, {
    title,
    keep: ["vagg_c", "agg_c", "vagg_c:agg_c", "vagg"],
    labels: { vagg_c: "vagg (centred)", agg_c: "agg (centred)", "vagg_c:agg_c": "vagg × agg (centred)" },
    groups: [
      { label: "Interaction", span: 1 },
      { label: "Quartile groups of agg", span: k },
    ],
    headers: ["Full sample", ...ext.groups.map((g) => QLABEL(g.level, k))],
    indicators: [{ label: "Controls", values: models.map(() => true) }],
    stats: ["nobs", "clusters"],
    extra: [
      {
        label: "Published (sign of vagg × agg / vagg)",
        values: [signs["vagg_c:agg_c"], ...ext.groups.map((_, j) => (k === 4 ? (signs.quartiles[j] as string) : null))],
        position: "afterCoefs",
      },
      ...(ext.synthetic === false
        ? []
        : [
            {
              label: "True vagg effect (DGP)",
              values: [ext.truth?.vagg_c ?? null, ...ext.groups.map((g) => ext.truth?.[`Q${g.level}`] ?? null)],
              position: "afterCoefs" as const,
            },
            {
              label: "True vagg × agg (DGP)",
              values: [ext.truth?.["vagg_c:agg_c"] ?? null, ...ext.groups.map(() => null)],
              position: "afterCoefs" as const,
            },
            { label: "True agg (DGP)", values: [ext.truth?.agg_c ?? null, ...ext.groups.map(() => null)], position: "afterCoefs" as const },
          ]),
      {
        label: "agg cut points",
        values: [
          null,
          ...ext.groups.map((g, j) =>
            j === 0 ? `≤ ${fmt(ext.cuts[0])}` : j === k - 1 ? `> ${fmt(ext.cuts[k - 2])}` : `${fmt(ext.cuts[j - 1])}–${fmt(ext.cuts[j])}`,
          ),
        ],
        position: "end",
      },
    ],
    na: "–",
    notes: [
      "vagg and agg (above-scale industrial firms per km²) centred at their sample means; quartile groups cut at the pooled city-year quartiles of agg. Controls, city and year FE, SEs clustered by city.",
      "Published (RS §6, real data, no coefficients printed): vagg, agg and vagg × agg all significantly positive; by groups cut at the lower quartile, median and upper quartile of agg, the vagg effect is significantly positive in the three lower groups, largest in the third, and insignificant in the top group." +
        (ext.synthetic === false
          ? ""
          : " True (DGP): the generator builds a positive vagg × agg complementarity into the latent resilience score (H4); true values are the coefficients of the noiseless score on the same regressors and samples (data/codebook/dgp.md)."),
    ],
  });
}

function fmt(x: number | undefined): string {
  return x === undefined ? "" : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

/** vagg coefficient (95 % CI) by agg quartile group, with the true value marked, for `coefPlot`. */
export function extensionPoints(ext: ExtensionResult): CoefPoint[] {
  const k = ext.groups.length;
  return ext.groups.map((g) => ciPoint(g.model, "vagg", QLABEL(g.level, k), undefined, undefined));
}
