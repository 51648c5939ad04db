import { frame, looksLikeYears, yearAxis, type ChartOptions, type VegaLiteSpec } from "./spec";

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
  /** x holds years: labels "2004", not "2,004", one year at least between ticks. Default: when every x is an integer in 1000–2999. */
  readonly xYear?: boolean;
  /** Approximate number of x-axis ticks (default 8). */
  readonly tickCount?: number;
  /**
   * Series to colour and name in the legend; all others are drawn as thin grey lines under one
   * legend entry "other (n)". Default: none greyed when there are at most `maxLegend` series,
   * else the `maxLegend − 1` series with the largest mean y.
   */
  readonly highlight?: readonly string[];
  /** Most legend entries (default 8). */
  readonly maxLegend?: number;
}

/** Vega's default categorical palette (tableau10). */
const PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"];
const GREY = "#c8c8c8";

/**
 * Line curves for several parameter values, optionally in side-by-side panels with their own
 * y scales (Figure 1: Pareto CDF and PDF for several κ). Non-finite points are dropped.
 *
 * Readability: a year x axis prints plain years; with more series than `maxLegend` (8) the
 * legend lists only the highlighted ones (given, or those with the largest mean y) and the rest
 * are thin grey lines behind them, listed once as "other (n)".
 *
 * @example
 *   const series = [1.5, 2, 3].flatMap((k) => [
 *     { name: `κ = ${k}`, panel: "CDF", ...sampleCurve((x) => 1 - x ** -k, 1, 5) },
 *     { name: `κ = ${k}`, panel: "PDF", ...sampleCurve((x) => k * x ** (-k - 1), 1, 5) },
 *   ]);
 *   await showChart(curvePlot(series, { xTitle: "φ", legendTitle: "κ" }));
 *   curvePlot(industrySeries, { highlight: ["Basic metals", "Chemicals"] }); // the rest grey
 */
export function curvePlot(series: readonly CurveSeries[], opts: CurvePlotOptions = {}): VegaLiteSpec {
  const names = [...new Set(series.map((s) => s.name))];
  const panels = [...new Set(series.map((s) => s.panel ?? ""))];
  const maxLegend = Math.max(1, opts.maxLegend ?? 8);
  let shown = names;
  if (opts.highlight) shown = opts.highlight.filter((n) => names.includes(n));
  else if (names.length > maxLegend) {
    const mean = new Map<string, number>();
    for (const n of names) {
      let s = 0,
        k = 0;
      for (const c of series.filter((c) => c.name === n))
        for (let i = 0; i < Math.min(c.x.length, c.y.length); i++) {
          const y = c.y[i] as number;
          if (Number.isFinite(y) && Number.isFinite(c.x[i] as number)) ((s += y), k++);
        }
      mean.set(n, k ? s / k : -Infinity);
    }
    shown = [...names].sort((a, b) => (mean.get(b) as number) - (mean.get(a) as number)).slice(0, maxLegend - 1);
  }
  const isShown = new Set(shown);
  const nOther = names.length - shown.length;
  const other = `other (${nOther})`;
  const values: { name: string; panel: string; group: string; x: number; y: number }[] = [];
  const xs: number[] = [];
  for (const s of series) {
    const n = Math.min(s.x.length, s.y.length);
    for (let i = 0; i < n; i++) {
      const x = s.x[i] as number;
      const y = s.y[i] as number;
      if (Number.isFinite(x) && Number.isFinite(y)) {
        values.push({ name: s.name, panel: s.panel ?? "", group: isShown.has(s.name) ? s.name : other, x, y });
        xs.push(x);
      }
    }
  }
  const year = opts.xYear ?? looksLikeYears(xs);
  const x = {
    field: "x",
    type: "quantitative",
    title: opts.xTitle ?? "x",
    axis: year ? yearAxis(opts.tickCount ?? 8) : { tickCount: opts.tickCount ?? 8 },
    ...(year ? { scale: { zero: false } } : {}),
  };
  const y = { field: "y", type: "quantitative", title: opts.yTitle ?? "y" };
  const legend = { labelLimit: 320, titleLimit: 320 };
  let layerSpec: Record<string, unknown>;
  if (nOther === 0) {
    layerSpec = {
      mark: { type: "line" },
      encoding: { x, y, color: { field: "name", type: "nominal", sort: names, title: opts.legendTitle ?? null, legend } },
    };
  } else {
    const domain = [...shown, other];
    const color = {
      field: "group",
      type: "nominal",
      title: opts.legendTitle ?? null,
      legend,
      scale: { domain, range: [...shown.map((_, i) => PALETTE[i % PALETTE.length] as string), GREY] },
    };
    const tooltip = [{ field: "name" }, { field: "x", format: year ? "d" : ".4g" }, { field: "y", format: ".4g" }];
    layerSpec = {
      layer: [
        {
          transform: [{ filter: { field: "group", equal: other } }],
          mark: { type: "line", strokeWidth: 1 },
          encoding: { x, y, color, detail: { field: "name" }, tooltip },
        },
        {
          transform: [{ filter: { not: { field: "group", equal: other } } }],
          mark: { type: "line", strokeWidth: 2 },
          encoding: { x, y, color, detail: { field: "name" }, tooltip },
        },
      ],
    };
  }
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
