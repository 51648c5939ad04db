import { frame, type ChartOptions, type VegaLiteSpec } from "./spec";

export interface EventPoint {
  /** Event time (leads negative, lags positive). */
  readonly period: number;
  readonly estimate: number;
  readonly lo: number;
  readonly hi: number;
}

export interface EventStudyPlotOptions extends ChartOptions {
  /** Omitted reference period, drawn as a hollow point at 0 (default -1). Null: none. */
  readonly reference?: number | null;
  /** First treated period; a dashed vertical line is drawn half a period before it (default 0). Null: none. */
  readonly onset?: number | null;
  readonly xTitle?: string;
  readonly yTitle?: string;
}

/**
 * Event-study plot: estimates by event time with confidence intervals, a zero line, the omitted
 * reference period at 0 (added if missing from `points`) and a dashed line at treatment onset.
 *
 * @example
 *   await showChart(eventStudyPlot(es.points, { reference: -1, xTitle: "Years since treatment" }));
 */
export function eventStudyPlot(points: readonly EventPoint[], opts: EventStudyPlotOptions = {}): VegaLiteSpec {
  const ref = opts.reference === undefined ? -1 : opts.reference;
  const rows = points.map((p) => ({ ...p, ref: false }));
  if (ref !== null && !rows.some((p) => p.period === ref)) rows.push({ period: ref, estimate: 0, lo: 0, hi: 0, ref: true });
  rows.sort((a, b) => a.period - b.period);
  const x = { field: "period", type: "quantitative", title: opts.xTitle ?? "Event time", axis: { tickMinStep: 1, format: "d" } };
  const layer: Record<string, unknown>[] = [
    { data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#888" }, encoding: { y: { field: "zero", type: "quantitative" } } },
  ];
  const onset = opts.onset === undefined ? 0 : opts.onset;
  if (onset !== null) layer.push({ data: { values: [{ at: onset - 0.5 }] }, mark: { type: "rule", strokeDash: [4, 3], color: "#888" }, encoding: { x: { field: "at", type: "quantitative" } } });
  layer.push(
    { mark: { type: "rule" }, encoding: { x, y: { field: "lo", type: "quantitative", title: opts.yTitle ?? "Estimate" }, y2: { field: "hi" } } },
    { mark: { type: "line", color: "#4c78a8" }, encoding: { x, y: { field: "estimate", type: "quantitative" } } },
    {
      mark: { type: "point", size: 50 },
      encoding: {
        x, y: { field: "estimate", type: "quantitative" },
        fill: { condition: { test: "datum.ref", value: "white" }, value: "#4c78a8" },
        stroke: { value: "#4c78a8" },
        tooltip: [{ field: "period" }, { field: "estimate", format: ".4f" }, { field: "lo", format: ".4f" }, { field: "hi", format: ".4f" }],
      },
    },
  );
  return { ...frame(opts), data: { values: rows }, layer } as VegaLiteSpec;
}
