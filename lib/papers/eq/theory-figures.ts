import { curvePlot, type CurveSeries } from "../../report/charts/curve-plot";
import { sampleCurve } from "../../report/charts/sample-curve";
import type { VegaLiteSpec } from "../../report/charts/spec";
import { CES_DEFAULTS, optimalQuality, type CesParams } from "../../theory/ces";
import { averageQuality, paretoCdf, paretoPdf } from "../../theory/pareto";
import { cutoffQualityPaperRoute, cutoffQualityPrinted, zeroProfitCutoff } from "../../theory/cutoff";

/**
 * The figures of EQ §2 (theory): the model's closed forms (lib/theory) drawn as charts.
 */

/** λ*(ϕ) for several σ (the chart of (11)). */
export function qualityByPhiChart(p: CesParams = CES_DEFAULTS, sigmas: readonly number[] = [2, 3, 4]): VegaLiteSpec {
  const xs = Array.from({ length: 51 }, (_, i) => i / 50);
  const series = sigmas.map((s) => ({ name: `σ = ${s}`, x: xs, y: xs.map((phi) => optimalQuality({ ...p, sigma: s, phi })) }));
  return curvePlot(series, {
    title: "Optimal quality λ* rises with virtual agglomeration ϕ (eq. 11)",
    xTitle: "virtual agglomeration ϕ",
    yTitle: "λ*",
    legendTitle: "σ",
  });
}

/**
 * Figure 1: Pareto CDF (13) and PDF for several κ (smaller κ = fatter tail). The paper draws
 * κ = 1.5 and 2, which violate its own assumption κ > 1 + σ for every σ > 1; here every κ must
 * satisfy κ > 1 + σ (σ = CES_DEFAULTS.sigma = 4 by default), else RangeError.
 */
export function paretoFigure(
  kappas: readonly number[] = [5.5, 7, 10],
  sigma: number = CES_DEFAULTS.sigma,
  range: readonly [number, number] = [1, 2.5],
): VegaLiteSpec {
  for (const k of kappas)
    if (!(k > 1 + sigma)) throw new RangeError(`paretoFigure: κ = ${k} violates the paper's κ > 1 + σ = ${1 + sigma}`);
  const series: CurveSeries[] = kappas.flatMap((k) => [
    { name: `κ = ${k}`, panel: "CDF G(λ)", ...sampleCurve((x) => paretoCdf(x, k), range[0], range[1]) },
    { name: `κ = ${k}`, panel: "PDF g(λ)", ...sampleCurve((x) => paretoPdf(x, k), range[0], range[1]) },
  ]);
  return curvePlot(series, {
    title: `Figure 1 Pareto distribution of export quality: CDF and PDF (κ > 1 + σ, σ = ${sigma})`,
    xTitle: "quality λ",
    yTitle: "",
    legendTitle: "κ",
  });
}

/**
 * The cutoff quality of (12) against virtual agglomeration ϕ ∈ [0, 1]: the model's zero-profit
 * cutoff solved numerically (flat: λ_cut does not depend on τ_d(ϕ)) beside the paper's route —
 * (12) corrected and as printed — evaluated at the cutoff productivity of ϕ = p.phi held fixed,
 * which fall with ϕ.
 */
export function cutoffByPhiChart(p: CesParams = CES_DEFAULTS): VegaLiteSpec {
  const xs = Array.from({ length: 21 }, (_, i) => i / 20);
  const phiCut = zeroProfitCutoff(p).phiProd;
  const series: CurveSeries[] = [
    { name: "model: zero-profit cutoff (numerical)", x: xs, y: xs.map((phi) => zeroProfitCutoff({ ...p, phi }).lambda) },
    { name: "paper route (12), corrected, φ fixed", x: xs, y: xs.map((phi) => cutoffQualityPaperRoute({ ...p, phi, phiProd: phiCut })) },
    { name: "(12) as printed, φ fixed", x: xs, y: xs.map((phi) => cutoffQualityPrinted({ ...p, phi, phiProd: phiCut })) },
  ];
  return curvePlot(series, {
    title: "Cutoff quality (12) and virtual agglomeration ϕ: flat in the model",
    xTitle: "virtual agglomeration ϕ",
    yTitle: "cutoff quality λ_j",
    legendTitle: "",
  });
}

/** λ̄/λ_j as a function of κ for several σ (the reallocation channel: falls in κ). */
export function averageQualityByKappaChart(sigmas: readonly number[] = [2, 3, 4], kappaMax = 15): VegaLiteSpec {
  const series: CurveSeries[] = sigmas.map((s) => ({
    name: `σ = ${s}`,
    ...sampleCurve((k) => averageQuality(k, s), s + 1 + 1e-3, kappaMax),
  }));
  return curvePlot(series, {
    title: "Average quality λ̄/λ_j (15) falls with the tail index κ (κ > 1 + σ)",
    xTitle: "tail index κ",
    yTitle: "λ̄ / λ_j",
    legendTitle: "σ",
  });
}
