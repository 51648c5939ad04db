import { frame, type ChartOptions, type VegaLiteSpec } from "./spec";

export interface CurveSeries {
  /** Legend entry, e.g. "κ = 2". */
  readonly name: string;
  /** Panel (facet column), e.g. "CDF" or "PDF"; all series in one panel when left out. */
  readonly panel?: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
}

export interface CurvePlotOptions extends ChartOptions {
  readonly xTitle?: string;
  readonly yTitle?: string;
  /** Legend title (default none). */
  readonly legendTitle?: string;
}

/**
 * Line curves for several parameter values, optionally in side-by-side panels with their own
 * y scales (Figure 1: Pareto CDF and PDF for several κ). Non-finite points are dropped.
 *
 * @example
 *   const series = [1.5, 2, 3].flatMap((k) => [
 *     { name: `κ = ${k}`, panel: "CDF", ...sampleCurve((x) => 1 - x ** -k, 1, 5) },
 *     { name: `κ = ${k}`, panel: "PDF", ...sampleCurve((x) => k * x ** (-k - 1), 1, 5) },
 *   ]);
 *   await showChart(curvePlot(series, { xTitle: "φ", legendTitle: "κ" }));
 */
export function curvePlot(series: readonly CurveSeries[], opts: CurvePlotOptions = {}): VegaLiteSpec {
  const values: { name: string; panel: string; x: number; y: number }[] = [];
  for (const s of series) {
    const n = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < n; i++) {
      const x = s.x[i] as number;
      const y = s.y[i] as number;
      if (Number.isFinite(x) && Number.isFinite(y)) values.push({ name: s.name, panel: s.panel ?? "", x, y });
    }
  }
  const names = [...new Set(series.map((s) => s.name))];
  const panels = [...new Set(series.map((s) => s.panel ?? ""))];
  const layerSpec = {
    mark: { type: "line" },
    encoding: {
      x: { field: "x", type: "quantitative", title: opts.xTitle ?? "x" },
      y: { field: "y", type: "quantitative", title: opts.yTitle ?? "y" },
      color: { field: "name", type: "nominal", sort: names, title: opts.legendTitle ?? null },
    },
  };
  const f = frame(opts, panels.length > 1 ? 300 : 420);
  if (panels.length <= 1) return { ...f, data: { values }, ...layerSpec } as VegaLiteSpec;
  const { width, height, ...rest } = f;
  return {
    ...rest,
    data: { values },
    facet: { column: { field: "panel", type: "nominal", sort: panels, title: null } },
    spec: { width, height, ...layerSpec },
    resolve: { scale: { y: "independent" } },
  } as VegaLiteSpec;
}
