import { frame, type ChartOptions, type VegaLiteSpec } from "./spec";
import type { CoefPoint } from "./coef-points";

export interface CoefPlotOptions extends ChartOptions {
  /** Axis title of the estimates (default "Estimate"). */
  readonly xTitle?: string;
  /** Axis title of the terms (default none). */
  readonly yTitle?: string;
  /** Draw the zero line (default true). */
  readonly zero?: boolean;
}

/**
 * Coefficient plot: one row per term, point estimate with a confidence-interval bar, a dashed
 * zero line, and hollow diamonds at published values when given. Several models are offset
 * within a term and coloured.
 *
 * @example
 *   await showChart(coefPlot(coefPoints([m1, m2], { keep: ["vagg"] }), { title: "Baseline", xTitle: "Coefficient" }));
 */
export function coefPlot(points: readonly CoefPoint[], opts: CoefPlotOptions = {}): VegaLiteSpec {
  const terms = [...new Set(points.map((p) => p.term))];
  const multi = points.some((p) => p.model !== undefined);
  const values = points.map((p) => ({ term: p.term, estimate: p.estimate, lo: p.lo, hi: p.hi, model: p.model ?? "Estimate", published: p.published ?? null }));
  const y = { field: "term", type: "nominal", sort: terms, title: opts.yTitle ?? null };
  const offset = multi ? { yOffset: { field: "model", type: "nominal" }, color: { field: "model", type: "nominal", title: "Model" } } : {};
  const layer: Record<string, unknown>[] = [];
  if (opts.zero ?? true) layer.push({ data: { values: [{ zero: 0 }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#888" }, encoding: { x: { field: "zero", type: "quantitative" } } });
  layer.push({ mark: { type: "rule" }, encoding: { y, x: { field: "lo", type: "quantitative", title: opts.xTitle ?? "Estimate" }, x2: { field: "hi" }, ...offset } });
  layer.push({ mark: { type: "point", filled: true, size: 60 }, encoding: { y, x: { field: "estimate", type: "quantitative" }, ...offset, tooltip: [{ field: "term" }, { field: "model" }, { field: "estimate", format: ".4f" }, { field: "lo", format: ".4f" }, { field: "hi", format: ".4f" }] } });
  if (points.some((p) => p.published !== undefined))
    layer.push({
      transform: [{ filter: "datum.published !== null" }],
      mark: { type: "point", shape: "diamond", filled: false, size: 90, color: "#c00", strokeWidth: 1.5 },
      encoding: { y, x: { field: "published", type: "quantitative" }, ...(multi ? { yOffset: { field: "model", type: "nominal" } } : {}), tooltip: [{ field: "term" }, { field: "published", title: "Published" }] },
    });
  return { ...frame(opts, 420, Math.max(120, 40 * terms.length)), data: { values }, layer } as VegaLiteSpec;
}
