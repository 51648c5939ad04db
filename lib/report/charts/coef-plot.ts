import { frame, PUBLISHED_COLOR, type ChartOptions, type VegaLiteSpec } from "./spec";
import type { CoefPoint } from "./coef-points";

export interface CoefPlotOptions extends ChartOptions {
  /** Axis title of the estimates (default "Estimate"). */
  readonly xTitle?: string;
  /** Axis title of the terms (default none). */
  readonly yTitle?: string;
  /** Draw the zero line (default true). */
  readonly zero?: boolean;
  /** Legend name of the published values (default "published"). */
  readonly publishedLabel?: string;
  /** Approximate number of ticks on the estimate axis (default 8). */
  readonly tickCount?: number;
}

/** Vega's default categorical palette (tableau10) without its orange, which marks published values. */
const SERIES = ["#4c78a8", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"];

/**
 * Coefficient plot: one row per term, point estimate with a confidence-interval bar, a dashed
 * zero line, and hollow orange diamonds at the published values when the points carry them
 * (`CoefPoint.published`, e.g. from `coefPoints(…, { published })`), named "published" in the
 * legend beside the model(s). Several models are offset within a term and coloured.
 *
 * @example
 *   await showChart(coefPlot(coefPoints([m1, m2], { keep: ["vagg"], published: [{ vagg: 0.3211 }, { vagg: 0.3189 }] }), { title: "Baseline", xTitle: "Coefficient" }));
 */
export function coefPlot(points: readonly CoefPoint[], opts: CoefPlotOptions = {}): VegaLiteSpec {
  const terms = [...new Set(points.map((p) => p.term))];
  const multi = points.some((p) => p.model !== undefined);
  const models = [...new Set(points.map((p) => p.model ?? "Estimate"))];
  const hasPub = points.some((p) => p.published !== undefined && Number.isFinite(p.published));
  const pubLabel = opts.publishedLabel ?? "published";
  const values = points.map((p) => ({
    term: p.term,
    estimate: p.estimate,
    lo: p.lo,
    hi: p.hi,
    model: p.model ?? "Estimate",
    slot: p.model ?? "Estimate",
    published: p.published ?? null,
  }));
  const y = { field: "term", type: "nominal", sort: terms, title: opts.yTitle ?? null, axis: { labelLimit: 260 } };
  const yOffset = multi ? { yOffset: { field: "slot", type: "nominal", sort: models } } : {};
  const domain = hasPub ? [...models, pubLabel] : models;
  const legend = multi || hasPub ? { title: multi ? "Model" : null } : null;
  const color = {
    field: "model",
    type: "nominal",
    scale: { domain, range: [...models.map((_, i) => SERIES[i % SERIES.length] as string), ...(hasPub ? [PUBLISHED_COLOR] : [])] },
    legend,
  };
  const shape = {
    field: "model",
    type: "nominal",
    scale: { domain, range: [...models.map(() => "circle"), ...(hasPub ? ["diamond"] : [])] },
    legend,
  };
  const layer: Record<string, unknown>[] = [];
  if (opts.zero ?? true)
    layer.push({
      data: { values: [{ zero: 0 }] },
      mark: { type: "rule", strokeDash: [4, 3], color: "#888" },
      encoding: { x: { field: "zero", type: "quantitative" } },
    });
  layer.push({
    mark: { type: "rule" },
    encoding: {
      y,
      x: { field: "lo", type: "quantitative", title: opts.xTitle ?? "Estimate", axis: { tickCount: opts.tickCount ?? 8 } },
      x2: { field: "hi" },
      ...yOffset,
      color,
    },
  });
  layer.push({
    mark: { type: "point", filled: true, size: 60 },
    encoding: {
      y,
      x: { field: "estimate", type: "quantitative" },
      ...yOffset,
      color,
      shape,
      tooltip: [
        { field: "term" },
        { field: "model" },
        { field: "estimate", format: ".4f" },
        { field: "lo", format: ".4f" },
        { field: "hi", format: ".4f" },
      ],
    },
  });
  if (hasPub)
    layer.push({
      transform: [{ filter: "datum.published !== null" }, { calculate: JSON.stringify(pubLabel), as: "model" }],
      mark: { type: "point", filled: false, size: 90, strokeWidth: 1.5 },
      encoding: {
        y,
        x: { field: "published", type: "quantitative" },
        ...yOffset,
        color,
        shape,
        tooltip: [{ field: "term" }, { field: "slot", title: "model" }, { field: "published", title: "Published", format: ".4f" }],
      },
    });
  return { ...frame(opts, 420, Math.max(120, 40 * terms.length)), data: { values }, layer } as VegaLiteSpec;
}
