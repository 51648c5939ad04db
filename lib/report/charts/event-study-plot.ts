import { frame, PUBLISHED_COLOR, type ChartOptions, type VegaLiteSpec } from "./spec";

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
  /** Published estimates by event time, drawn as hollow orange diamonds beside ours (legend: "published" vs "estimate"). */
  readonly published?: readonly { readonly period: number; readonly estimate: number }[];
}

/**
 * Event-study plot: estimates by event time with confidence intervals, a zero line, the omitted
 * reference period at 0 (added if missing from `points`) and a dashed line at treatment onset.
 * Event time is labelled as integers, one tick per period at most. Published estimates, when
 * given, are marked beside ours and both are named in a legend.
 *
 * @example
 *   await showChart(eventStudyPlot(es.points, { reference: -1, xTitle: "Years since treatment" }));
 *   eventStudyPlot(pts, { published: [{ period: 0, estimate: 0.004 }, { period: 1, estimate: 0.006 }] });
 */
export function eventStudyPlot(points: readonly EventPoint[], opts: EventStudyPlotOptions = {}): VegaLiteSpec {
  const ref = opts.reference === undefined ? -1 : opts.reference;
  const rows = points.map((p) => ({ ...p, ref: false }));
  if (ref !== null && !rows.some((p) => p.period === ref)) rows.push({ period: ref, estimate: 0, lo: 0, hi: 0, ref: true });
  rows.sort((a, b) => a.period - b.period);
  const periods = rows.map((r) => r.period);
  const span = periods.length ? Math.max(...periods) - Math.min(...periods) : 0;
  const x = {
    field: "period",
    type: "quantitative",
    title: opts.xTitle ?? "Event time",
    axis: { tickMinStep: 1, format: "d", tickCount: Math.min(Math.max(span, 1), 12) },
  };
  const pub = (opts.published ?? []).filter((p) => Number.isFinite(p.period) && Number.isFinite(p.estimate));
  const scale = { domain: ["estimate", "published"], range: ["#4c78a8", PUBLISHED_COLOR] };
  const layer: Record<string, unknown>[] = [
    { data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#888" }, encoding: { y: { field: "zero", type: "quantitative" } } },
  ];
  const onset = opts.onset === undefined ? 0 : opts.onset;
  if (onset !== null)
    layer.push({
      data: { values: [{ at: onset - 0.5 }] },
      mark: { type: "rule", strokeDash: [4, 3], color: "#888" },
      encoding: { x: { field: "at", type: "quantitative" } },
    });
  layer.push(
    {
      mark: { type: "rule" },
      encoding: { x, y: { field: "lo", type: "quantitative", title: opts.yTitle ?? "Estimate" }, y2: { field: "hi" } },
    },
    { mark: { type: "line", color: "#4c78a8" }, encoding: { x, y: { field: "estimate", type: "quantitative" } } },
    {
      mark: { type: "point", size: 50 },
      encoding: {
        x,
        y: { field: "estimate", type: "quantitative" },
        fill: { condition: { test: "datum.ref", value: "white" }, value: "#4c78a8" },
        stroke: pub.length ? { datum: "estimate", type: "nominal", scale, legend: { title: null } } : { value: "#4c78a8" },
        tooltip: [
          { field: "period" },
          { field: "estimate", format: ".4f" },
          { field: "lo", format: ".4f" },
          { field: "hi", format: ".4f" },
        ],
      },
    },
  );
  if (pub.length)
    layer.push({
      data: { values: pub.map((p) => ({ period: p.period, published: p.estimate })) },
      mark: { type: "point", shape: "diamond", filled: false, size: 90, strokeWidth: 1.5 },
      encoding: {
        x,
        y: { field: "published", type: "quantitative" },
        stroke: { datum: "published", type: "nominal", scale, legend: { title: null } },
        tooltip: [{ field: "period" }, { field: "published", format: ".4f" }],
      },
    });
  return { ...frame(opts), data: { values: rows }, layer } as VegaLiteSpec;
}
