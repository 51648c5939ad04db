import { ruleMarksLayer, OURS_COLOR, PUBLISHED_COLOR, type RuleMark } from "./spec";

/**
 * Vega-Lite v5 specifications (plain JSON objects; render with vega-lite/vega or any
 * notebook display) for resampling results:
 *
 * - `placeboChart(p)`: EQ Figure 2 — side by side, the placebo distribution of the
 *   coefficients and of the t-values: a histogram (bars, left axis: count), a kernel density
 *   (line, Vega-Lite `density` transform, scaled to the histogram's counts), a red rule at
 *   the actual estimate, a dotted rule at the placebo mean and, when given, dashed orange rules
 *   at the published values, all named in a legend under each panel. Draws are embedded as
 *   data values.
 * - `bootstrapChart(draws, estimate, …)`: one bootstrap distribution with the estimate and,
 *   optionally, the percentile interval as dashed rules.
 *
 * @example
 *   const spec = placeboChart(await placebo(d, f, { permute: "vagg", reps: 1000 }));
 *   // tslab: display.vegalite(spec) — or vega-lite compile(spec) → vega View → SVG
 */
/** A Vega-Lite spec as these builders return it (before a `$schema`-carrying report chart is made of it). */
type ChartSpec = Record<string, unknown>;

/** The fields of a placebo result (`placebo()` in lib/estimators/resampling) that the chart draws. */
export interface PlaceboDraws {
  readonly coefs: ArrayLike<number>;
  readonly tstats: ArrayLike<number>;
  readonly actual: { readonly coef: number; readonly t: number };
  readonly permute: string;
  readonly reps: number;
  readonly coefMean: number;
  readonly tMean: number;
}

const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

export interface HistogramOptions {
  readonly title?: string;
  readonly xTitle?: string;
  readonly bins?: number;
  readonly width?: number;
  readonly height?: number;
  readonly color?: string;
  /** Approximate number of x-axis ticks (default 5). */
  readonly tickCount?: number;
  /** More rules after the marked value (placebo mean, published values), named in the legend. */
  readonly marks?: readonly RuleMark[];
}

/**
 * One histogram + density + rules layer for `values` with a marked value (layer 3: the rules,
 * the marked value first, then `o.marks`). Bins are `bins` equal steps over the range of the
 * values and marks; the x axis has about `tickCount` rounded ticks, not one per bin edge.
 *
 * @example
 *   distributionLayer(draws, 0.32, "actual 0.32", { marks: [{ value: -0.0005, label: "published mean", color: PUBLISHED_COLOR, dash: [6, 3] }] });
 */
export function distributionLayer(values: ArrayLike<number>, marked: number, markLabel: string, o: HistogramOptions = {}): ChartSpec {
  const vals = Array.from(values as ArrayLike<number>).filter((v) => Number.isFinite(v));
  const bins = o.bins ?? 40;
  const marks: RuleMark[] = [{ value: marked, label: markLabel, color: OURS_COLOR }, ...(o.marks ?? [])];
  const at = marks.map((m) => m.value).filter((v) => Number.isFinite(v));
  let lo = Math.min(...vals, ...at),
    hi = Math.max(...vals, ...at);
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  const step = (hi - lo) / bins;
  const color = o.color ?? "#4c78a8";
  return {
    title: o.title,
    width: o.width ?? 320,
    height: o.height ?? 220,
    data: { values: vals.map((v) => ({ v })) },
    layer: [
      {
        transform: [{ bin: { extent: [lo, hi], step }, field: "v", as: ["bin_start", "bin_end"] }],
        mark: { type: "bar", color, opacity: 0.55 },
        encoding: {
          x: {
            field: "bin_start",
            type: "quantitative",
            title: o.xTitle ?? "value",
            scale: { zero: false },
            axis: { tickCount: o.tickCount ?? 5 },
          },
          x2: { field: "bin_end" },
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
      ruleMarksLayer(marks, { field: "v" }) as Record<string, unknown>,
    ],
  };
}

/** Published numbers of a placebo figure, marked beside ours (each optional). */
export interface PlaceboPublished {
  /** Published mean of the placebo coefficients. */
  readonly coefMean?: number;
  /** Published mean of the placebo t-values. */
  readonly tMean?: number;
  /** Published actual estimate (the coefficient the placebo draws are compared with). */
  readonly coef?: number;
  /** Published t-value of the actual estimate. */
  readonly t?: number;
}

/**
 * EQ Figure 2: placebo coefficients and t-values side by side, the actual estimate (red) and
 * the placebo mean (dotted) marked in each panel; with `published`, the paper's values beside
 * them as dashed orange rules. Legends under the panels name every rule with its value.
 *
 * @example
 *   placeboChart(pl, { published: { coefMean: -0.0005, tMean: 0.2417, coef: 0.3187 } });
 */
export function placeboChart(
  p: PlaceboDraws,
  o: { bins?: number; width?: number; height?: number; published?: PlaceboPublished; title?: string } = {},
): ChartSpec {
  const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(4)).replace(/^-/, "−");
  const pub = o.published ?? {};
  const dashPub = [6, 3],
    dotted = [2, 2];
  const extra = (mean: number, pubMean: number | undefined, pubActual: number | undefined, what: string): RuleMark[] => [
    { value: mean, label: `placebo mean ${fmt(mean)}`, color: "#333", dash: dotted },
    ...(pubMean !== undefined
      ? [{ value: pubMean, label: `published placebo mean ${fmt(pubMean)}`, color: PUBLISHED_COLOR, dash: dashPub }]
      : []),
    ...(pubActual !== undefined
      ? [{ value: pubActual, label: `published ${what} ${fmt(pubActual)}`, color: PUBLISHED_COLOR, dash: [2, 4] }]
      : []),
  ];
  const { published: _pub, title: _title, ...size } = o;
  const anyPub = Object.values(pub).some((v) => v !== undefined);
  return {
    $schema: SCHEMA,
    title: {
      text: o.title ?? `Placebo test: ${p.permute} reassigned at random (${p.reps} replications)`,
      subtitle: `mean coefficient ${fmt(p.coefMean)}, mean t ${fmt(p.tMean)}; red: actual estimate${anyPub ? "; orange dashed: published" : ""}`,
    },
    hconcat: [
      distributionLayer(p.coefs, p.actual.coef, `actual estimate ${fmt(p.actual.coef)}`, {
        ...size,
        title: "Placebo coefficients",
        xTitle: `coefficient on ${p.permute}`,
        marks: extra(p.coefMean, pub.coefMean, pub.coef, "estimate"),
      }),
      distributionLayer(p.tstats, p.actual.t, `actual t ${fmt(p.actual.t)}`, {
        ...size,
        title: "Placebo t-values",
        xTitle: "t-value",
        color: "#72b7b2",
        marks: extra(p.tMean, pub.tMean, pub.t, "t"),
      }),
    ],
    resolve: {
      scale: { x: "independent", y: "independent", color: "independent", strokeDash: "independent" },
      legend: { color: "independent", strokeDash: "independent" },
    },
  };
}

/**
 * A bootstrap distribution with the estimate (solid), the percentile interval (grey dashed) and,
 * when given, the published estimate (orange dashed), named in a legend.
 *
 * @example
 *   bootstrapChart(draws, 0.31, { ci: [0.27, 0.35], name: "vagg", published: 0.3187 });
 */
export function bootstrapChart(
  draws: ArrayLike<number>,
  estimate: number,
  o: HistogramOptions & { ci?: readonly [number, number]; name?: string; published?: number } = {},
): ChartSpec {
  const marks: RuleMark[] = [
    ...(o.ci
      ? o.ci.map((v, i) => ({
          value: v,
          label: `${i === 0 ? "lower" : "upper"} percentile bound ${v.toFixed(4)}`,
          color: "#555",
          dash: [4, 3],
        }))
      : []),
    ...(o.published !== undefined
      ? [{ value: o.published, label: `published ${o.published.toFixed(4)}`, color: PUBLISHED_COLOR, dash: [6, 3] }]
      : []),
  ];
  const base = distributionLayer(draws, estimate, `estimate ${estimate.toFixed(4)}`, {
    ...o,
    marks: [...(o.marks ?? []), ...marks],
    title: o.title ?? `Bootstrap distribution${o.name ? ` of ${o.name}` : ""}`,
    xTitle: o.xTitle ?? o.name ?? "estimate",
  });
  return { $schema: SCHEMA, ...base };
}
