import { curvePlot, type CurveSeries } from "../../report/charts/curve-plot";
import { sampleCurve } from "../../report/charts/sample-curve";
import type { VegaLiteSpec } from "../../report/charts/spec";
import { CES_DEFAULTS, optimalQuality, type CesParams } from "../../theory/ces";
import { averageQuality, paretoCdf, paretoPdf } from "../../theory/pareto";

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

/** Figure 1: Pareto CDF (13) and PDF for several κ (smaller κ = fatter tail), λ ∈ [1, 4]. */
export function paretoFigure(kappas: readonly number[] = [1.5, 2, 3, 5], range: readonly [number, number] = [1, 4]): VegaLiteSpec {
  const series: CurveSeries[] = kappas.flatMap((k) => [
    { name: `κ = ${k}`, panel: "CDF G(λ)", ...sampleCurve((x) => paretoCdf(x, k), range[0], range[1]) },
    { name: `κ = ${k}`, panel: "PDF g(λ)", ...sampleCurve((x) => paretoPdf(x, k), range[0], range[1]) },
  ]);
  return curvePlot(series, {
    title: "Figure 1 Pareto distribution of export quality: CDF and PDF",
    xTitle: "quality λ",
    yTitle: "",
    legendTitle: "κ",
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
