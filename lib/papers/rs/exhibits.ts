import { regressionTable, type ExtraRow, type RegressionModel } from "../../report/regression-table";
import type { ReportTable } from "../../report/model";
import { ArgumentError } from "../../util/errors";
import { comparisonTable, comparisonRow } from "../compare";
import { truthFor, fmtN, type TruthSource } from "../truth";
import { RS_PUBLISHED } from "./published";
import type { MechanismSteps, ExtensionResult } from "./sections";
import { rsTruth } from "./truth";
import { rsAnomalyNotes } from "./anomalies";

export * from "./robustness";

/**
 * The finished exhibits of the RS notebooks (Yan, Xu & Zhang 2025) that compare several models:
 * each builder takes the fitted models and returns the table with the published rows
 * (`RS_PUBLISHED`) and — on synthetic data only (`truthFor`, ../truth.ts) — the true (DGP) values.
 * A notebook cell is one call, e.g. `showTable(rsTable3([m1, m2, m3, m4], env))`.
 */

type Fit = RegressionModel;

function need(models: readonly unknown[], n: number, what: string): void {
  if (models.length !== n) throw new ArgumentError(`${what} needs ${n} models, got ${models.length}`);
}

/**
 * RS Table 3 (baseline): resi on vagg without / with city and year FE, without / with controls,
 * beside the published coefficients and SEs, the true β on synthetic data (cols. 2 and 4) and the
 * published N in the note. `lang: "zh"` gives the Chinese version (表3).
 *
 * R² as the paper prints it: its R² row (0.146 / 0.009 / 0.534 / 0.055) is the overall R² in the
 * columns without fixed effects and evidently the within R² in the columns with city and year
 * effects (an overall R² with city effects is near 1), so the row shows the overall R² for models
 * without fixed effects and the within R² for models with them, and the note says so; the
 * overall R² of the FE columns is a separate row.
 *
 * @example
 *   showTable(rsTable3([m1, m2, m3, m4], env));
 *   showTable(rsTable3([m1, m2, m3, m4], env, { lang: 'zh' }));
 */
export function rsTable3(models: readonly Fit[], src: TruthSource, opts: { readonly lang?: "en" | "zh" } = {}): ReportTable {
  need(models, 4, "rsTable3");
  const T = rsTruth(src),
    zh = opts.lang === "zh",
    P = RS_PUBLISHED.table3;
  const hasFe = models.map((m) => (m.fixef?.names.length ?? 0) > 0);
  const r2Printed = models.map((m, j) => (hasFe[j] ? m.withinR2 : m.r2) ?? null);
  const pubR2 = P.map((r) => ((r as { r2?: number }).r2 ?? null) as number | null);
  const extra: ExtraRow[] = [
    { label: zh ? "原文系数" : "Published", values: P.map((r) => r.coef), position: "afterCoefs" },
    { label: zh ? "原文标准误" : "Published SE", values: P.map((r) => r.se), position: "afterCoefs" },
  ];
  if (T) extra.push({ label: zh ? "真实值(DGP)" : "True (DGP)", values: [null, T.table3, null, T.table3], position: "afterCoefs" });
  extra.push(
    { label: zh ? "R²(有固定效应列为组内R²)" : "R² (within where FE)", values: r2Printed, digits: 3 },
    { label: zh ? "原文R²" : "Published R²", values: pubR2, digits: 3 },
    { label: zh ? "整体R²" : "Overall R²", values: models.map((m, j) => (hasFe[j] ? (m.r2 ?? null) : null)), digits: 3 },
  );
  const r2Note = zh
    ? "R²：无固定效应的列为整体R²，有城市与年份固定效应的列为组内R²（原文R²行在第(2)、(4)列显然是组内R²）。"
    : "R²: overall R² in the columns without fixed effects, within R² in the columns with city and year FE (the paper's R² row is evidently within R² in cols. 2 and 4); the overall R² of the FE columns is shown separately.";
  const n = fmtN(RS_PUBLISHED.nobs);
  if (zh) {
    return regressionTable(models, {
      lang: "zh",
      title: "表3 虚拟集聚与城市经济韧性：基准回归",
      keep: ["vagg"],
      labels: { vagg: "虚拟集聚" },
      indicators: [{ label: "控制变量", values: [false, false, true, true] }],
      stats: ["nobs"],
      extra,
      notes: [`${T ? "按原文校准的合成数据；" : ""}原文数值来自真实数据（观测值 ${n}）。`, r2Note, ...rsAnomalyNotes("table3")],
    });
  }
  return regressionTable(models, {
    title: "Table 3 Virtual agglomeration and urban economic resilience",
    keep: ["vagg"],
    indicators: [{ label: "Controls", values: [false, false, true, true] }],
    stats: ["nobs"],
    extra,
    notes: [
      `${T ? "Synthetic data calibrated to the paper; published" : "Published"} numbers from real data (N = ${n}).`,
      r2Note,
      ...rsAnomalyNotes("table3"),
    ],
  });
}

/**
 * RS §5 (Tables 5–6) in one comparison: step 1 (mechanism on vagg) and step 2 (resi on
 * mechanism) for dist, distK, distL, mp, lmp, hmp, published vs recomputed; on synthetic data the
 * true response of distK (0: the capital wedge does not respond to vagg in the generator).
 *
 * @example showTable(rsMechanismsSummary(mis, mkt, env));
 */
export function rsMechanismsSummary(mis: readonly MechanismSteps[], mkt: readonly MechanismSteps[], src: TruthSource): ReportTable {
  need(mis, 3, "rsMechanismsSummary (misallocation)");
  need(mkt, 3, "rsMechanismsSummary (market potential)");
  const T = rsTruth(src),
    P5 = RS_PUBLISHED.table5,
    P6 = RS_PUBLISHED.table6;
  const tr = (k: string): number | null => T?.mechanisms[k] ?? null;
  return comparisonTable(
    [
      comparisonRow("vagg → dist", mis[0]!.first, "vagg", P5.vagg_dist, tr("vagg→dist")),
      comparisonRow("dist → resi", mis[0]!.second, "dist", P5.dist_resi, tr("dist→resi")),
      comparisonRow("vagg → distK", mis[1]!.first, "vagg", P5.vagg_distK, tr("vagg→distK")),
      comparisonRow("vagg → distL", mis[2]!.first, "vagg", P5.vagg_distL, tr("vagg→distL")),
      comparisonRow("distL → resi", mis[2]!.second, "distL", P5.distL_resi, tr("distL→resi")),
      comparisonRow("vagg → mp", mkt[0]!.first, "vagg", P6.vagg_mp, tr("vagg→mp")),
      comparisonRow("mp → resi", mkt[0]!.second, "mp", P6.mp_resi, tr("mp→resi")),
      comparisonRow("vagg → lmp", mkt[1]!.first, "vagg", P6.vagg_lmp, tr("vagg→lmp")),
      comparisonRow("vagg → hmp", mkt[2]!.first, "vagg", P6.vagg_hmp, tr("vagg→hmp")),
    ],
    "Mechanisms (RS §5): published vs recomputed",
    [
      `Published N: ${fmtN(P5.nobs)} (Table 5), ${fmtN(P6.nobs)} (Table 6).`,
      ...(T ? ["True (DGP): realised values computed by the generator from its data (rsTruth; definitions in data/codebook/dgp.md)."] : []),
    ],
    { synthetic: T !== null },
  );
}

/**
 * RS §6 (extension) in one comparison: the centred interaction model (vagg, agg, vagg × agg) and
 * vagg in each agg quartile group, recomputed vs true (synthetic data: β in every group, no
 * vagg × agg term); the paper prints only signs, given in the note.
 *
 * @example showTable(rsExtensionSummary(ext, env));
 */
export function rsExtensionSummary(ext: ExtensionResult, src: TruthSource): ReportTable {
  need(ext.groups, 4, "rsExtensionSummary (quartile groups)");
  const T = rsTruth(src)?.extension ?? null;
  const tr = (k: string): number | null => T?.[k] ?? null;
  const g = ext.groups;
  return comparisonTable(
    [
      comparisonRow("vagg (centred), eq. (22)", ext.interaction, "vagg_c", null, tr("vagg_c")),
      comparisonRow("agg (centred), eq. (22)", ext.interaction, "agg_c", null, tr("agg_c")),
      comparisonRow("vagg × agg (centred), eq. (22)", ext.interaction, "vagg_c:agg_c", null, tr("vagg_c:agg_c")),
      comparisonRow("vagg in Q1 (lowest agg)", g[0]!.model, "vagg", null, tr("Q1")),
      comparisonRow("vagg in Q2", g[1]!.model, "vagg", null, tr("Q2")),
      comparisonRow("vagg in Q3", g[2]!.model, "vagg", null, tr("Q3")),
      comparisonRow("vagg in Q4 (highest agg)", g[3]!.model, "vagg", null, tr("Q4")),
    ],
    T ? "Extension (RS §6): recomputed vs true" : "Extension (RS §6): recomputed",
    ["Published (real data, signs only): vagg +, agg +, vagg × agg + (all significant); vagg + in Q1–Q3 (largest in Q3), n.s. in Q4."],
    { synthetic: T !== null },
  );
}
