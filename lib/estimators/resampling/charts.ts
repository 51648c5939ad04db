import type { PlaceboResult } from "./placebo";

/**
 * Vega-Lite v5 specifications (plain JSON objects; render with vega-lite/vega or any
 * notebook display) for resampling results:
 *
 * - `placeboChart(p)`: EQ Figure 2 — side by side, the placebo distribution of the
 *   coefficients and of the t-values: a histogram (bars, left axis: count), a kernel density
 *   (line, Vega-Lite `density` transform, scaled to the histogram's counts), and a red rule at
 *   the actual estimate with its value as a label. Draws are embedded as data values.
 * - `bootstrapChart(draws, estimate, …)`: one bootstrap distribution with the estimate and,
 *   optionally, the percentile interval as dashed rules.
 *
 * @example
 *   const spec = placeboChart(await placebo(d, f, { permute: "vagg", reps: 1000 }));
 *   // tslab: display.vegalite(spec) — or vega-lite compile(spec) → vega View → SVG
 */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

export interface HistogramOptions {
  readonly title?: string;
  readonly xTitle?: string;
  readonly bins?: number;
  readonly width?: number;
  readonly height?: number;
  readonly color?: string;
}

/** One histogram + density + rule layer for `values` with a marked value. */
export function distributionLayer(values: ArrayLike<number>, marked: number, markLabel: string, o: HistogramOptions = {}): VegaLiteSpec {
  const vals = Array.from(values as ArrayLike<number>).filter((v) => Number.isFinite(v));
  const bins = o.bins ?? 40;
  let lo = Math.min(...vals, marked), hi = Math.max(...vals, marked);
  if (!(hi > lo)) { lo -= 0.5; hi += 0.5; }
  const step = (hi - lo) / bins;
  const color = o.color ?? "#4c78a8";
  return {
    title: o.title,
    width: o.width ?? 320,
    height: o.height ?? 220,
    data: { values: vals.map((v) => ({ v })) },
    layer: [
      {
        mark: { type: "bar", color, opacity: 0.55 },
        encoding: {
          x: { field: "v", type: "quantitative", bin: { extent: [lo, hi], step }, title: o.xTitle ?? "value" },
          y: { aggregate: "count", type: "quantitative", title: "count" },
        },
      },
      {
        transform: [
          { density: "v", extent: [lo, hi], steps: 200, as: ["v", "density"] },
          { calculate: `datum.density * ${vals.length} * ${step}`, as: "expected" },
        ],
        mark: { type: "line", color, strokeWidth: 2 },
        encoding: { x: { field: "v", type: "quantitative" }, y: { field: "expected", type: "quantitative" } },
      },
      {
        data: { values: [{ v: marked, label: markLabel }] },
        layer: [
          { mark: { type: "rule", color: "#d62728", strokeWidth: 2 }, encoding: { x: { field: "v", type: "quantitative" } } },
          { mark: { type: "text", color: "#d62728", align: "left", dx: 4, dy: -4, baseline: "bottom" }, encoding: { x: { field: "v", type: "quantitative" }, y: { value: 10 }, text: { field: "label" } } },
        ],
      },
    ],
  };
}

/** EQ Figure 2: placebo coefficients and t-values, the actual estimate marked. */
export function placeboChart(p: Pick<PlaceboResult, "coefs" | "tstats" | "actual" | "permute" | "reps" | "coefMean" | "tMean">, o: { bins?: number; width?: number; height?: number } = {}): VegaLiteSpec {
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(4));
  return {
    $schema: SCHEMA,
    title: { text: `Placebo test: ${p.permute} reassigned at random (${p.reps} replications)`, subtitle: `mean coefficient ${fmt(p.coefMean)}, mean t ${fmt(p.tMean)}; red: actual estimate` },
    hconcat: [
      distributionLayer(p.coefs, p.actual.coef, `actual ${fmt(p.actual.coef)}`, { ...o, title: "Placebo coefficients", xTitle: `coefficient on ${p.permute}` }),
      distributionLayer(p.tstats, p.actual.t, `actual t ${fmt(p.actual.t)}`, { ...o, title: "Placebo t-values", xTitle: "t-value", color: "#72b7b2" }),
    ],
    resolve: { scale: { x: "independent", y: "independent" } },
  };
}

/** A bootstrap distribution with the estimate (solid) and the percentile interval (dashed). */
export function bootstrapChart(draws: ArrayLike<number>, estimate: number, o: HistogramOptions & { ci?: readonly [number, number]; name?: string } = {}): VegaLiteSpec {
  const base = distributionLayer(draws, estimate, `estimate ${estimate.toFixed(4)}`, { ...o, title: o.title ?? `Bootstrap distribution${o.name ? ` of ${o.name}` : ""}`, xTitle: o.xTitle ?? (o.name ?? "estimate") });
  const layers = [...(base["layer"] as unknown[])];
  if (o.ci) layers.push({ data: { values: o.ci.map((v) => ({ v })) }, mark: { type: "rule", color: "#555", strokeDash: [4, 3] }, encoding: { x: { field: "v", type: "quantitative" } } });
  return { $schema: SCHEMA, ...base, layer: layers };
}
