import {
  formatMarked,
  frame,
  markedList,
  ruleMarksLayer,
  OURS_COLOR,
  PUBLISHED_COLOR,
  type ChartOptions,
  type MarkedValue,
  type RuleMark,
  type VegaLiteSpec,
} from "./spec";

export interface DistributionPlotOptions extends ChartOptions {
  /** Our values to mark with a solid red rule (e.g. the actual estimate in a placebo test). */
  readonly marked?: number | MarkedValue | readonly MarkedValue[];
  /**
   * Mark the mean of the (finite) values with a dotted rule: true labels it "mean <value>", a
   * string "<string> <value>" (e.g. "recomputed mean").
   */
  readonly mean?: boolean | string;
  /** Published values to mark beside ours: dashed orange rules (default label "published <value>"). */
  readonly published?: number | MarkedValue | readonly MarkedValue[];
  /** Maximum number of histogram bins (default 40). */
  readonly maxbins?: number;
  /** Approximate number of x-axis ticks (default one per 70 px of width, at least 4; the axis is not tied to the bin edges). */
  readonly tickCount?: number;
  readonly xTitle?: string;
  /** Default "Count". */
  readonly yTitle?: string;
}

/**
 * Histogram of a distribution with marked values (Figure 2: placebo coefficients with the true
 * estimate) and, when given, published values beside them; the marked values are named in a
 * legend under the plot. Non-finite values are left out.
 * Bins come from a `bin` transform drawn as bars from bin start to end, so the x axis has
 * ordinary rounded ticks (about `tickCount`) instead of one tick per bin edge.
 *
 * @example
 *   await showChart(distributionPlot(placebo.coefs, {
 *     marked: { value: 0.2013, label: "true estimate" }, mean: "placebo mean", published: { value: -0.0005, label: "published mean" },
 *     xTitle: "Placebo coefficient",
 *   }));
 */
export function distributionPlot(values: ArrayLike<number>, opts: DistributionPlotOptions = {}): VegaLiteSpec {
  const data: { v: number }[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) data.push({ v });
  }
  const marks = markedList(opts.marked);
  const meanMark: RuleMark[] = [];
  if (opts.mean && data.length) {
    const m = data.reduce((a, d) => a + d.v, 0) / data.length;
    meanMark.push({
      value: m,
      label: `${typeof opts.mean === "string" ? opts.mean : "mean"} ${formatMarked(m)}`,
      color: "#333",
      dash: [2, 2],
    });
  }
  const pub = markedList(opts.published, (v) => `published ${formatMarked(v)}`);
  const xEnc = {
    field: "bin_start",
    type: "quantitative",
    title: opts.xTitle ?? "Value",
    scale: { zero: false },
    axis: { tickCount: opts.tickCount ?? Math.max(4, Math.round((opts.width ?? 420) / 70)) },
  };
  const maxbins = opts.maxbins ?? 40;
  // Large inputs are binned here (same bins as Vega's `bin` transform), so the spec carries
  // ≤ maxbins rows instead of every value (a 425,000-value histogram would otherwise embed
  // ~10 MB of JSON in the notebook).
  const binned = data.length > PREBIN_ABOVE ? prebin(data, maxbins) : null;
  const layer: Record<string, unknown>[] = [
    binned
      ? {
          data: { values: binned },
          mark: { type: "bar", color: "#9bb4d0" },
          encoding: {
            x: xEnc,
            x2: { field: "bin_end" },
            y: { field: "count", type: "quantitative", title: opts.yTitle ?? "Count" },
            tooltip: [
              { field: "bin_start", title: "from", format: ".4g" },
              { field: "bin_end", title: "to", format: ".4g" },
              { field: "count", title: "count" },
            ],
          },
        }
      : {
          data: { values: data },
          transform: [{ bin: { maxbins }, field: "v", as: ["bin_start", "bin_end"] }],
          mark: { type: "bar", color: "#9bb4d0" },
          encoding: {
            x: xEnc,
            x2: { field: "bin_end" },
            y: { aggregate: "count", type: "quantitative", title: opts.yTitle ?? "Count" },
            tooltip: [
              { field: "bin_start", title: "from", format: ".4g" },
              { field: "bin_end", title: "to", format: ".4g" },
              { aggregate: "count", title: "count" },
            ],
          },
        },
  ];
  const rules = ruleMarksLayer([
    ...marks.map((m) => ({ ...m, color: OURS_COLOR })),
    ...meanMark,
    ...pub.map((m) => ({ ...m, color: PUBLISHED_COLOR, dash: [6, 3] })),
  ]);
  if (rules) layer.push(rules);
  return { ...frame(opts), layer } as VegaLiteSpec;
}

/** Above this many values `distributionPlot` bins in JavaScript instead of in the spec. */
const PREBIN_ABOVE = 20_000;

/**
 * Histogram counts with the bins of Vega's `bin` transform (vega-statistics `bin`: nice steps
 * 10^k × {1, 2, 5}, at most `maxbins` bins over the data's extent), as rows
 * { bin_start, bin_end, count } (empty bins included, so the bars tile the range).
 *
 * @example prebin([{ v: 0.1 }, { v: 0.35 }], 10) // [{ bin_start: 0.1, bin_end: 0.15, count: 1 }, …]
 */
export function prebin(data: readonly { v: number }[], maxbins: number): { bin_start: number; bin_end: number; count: number }[] {
  let min = Infinity,
    max = -Infinity;
  for (const d of data) {
    if (d.v < min) min = d.v;
    if (d.v > max) max = d.v;
  }
  const base = 10,
    logb = Math.log(base),
    div = [5, 2];
  const span = max - min || Math.abs(min) || 1;
  const level = Math.ceil(Math.log(maxbins) / logb);
  let step = Math.pow(base, Math.round(Math.log(span) / logb) - level);
  while (Math.ceil(span / step) > maxbins) step *= base;
  for (const d of div) {
    const v = step / d;
    if (span / v <= maxbins) step = v;
  }
  const lv = Math.log(step);
  const precision = lv >= 0 ? 0 : ~~(-lv / logb) + 1;
  const eps = Math.pow(base, -precision - 1);
  const v0 = Math.floor(min / step + eps) * step;
  const start = min < v0 ? v0 - step : v0;
  let stop = Math.ceil(max / step) * step;
  if (stop === start) stop = start + step;
  const nb = Math.max(1, Math.round((stop - start) / step));
  const counts = new Float64Array(nb);
  for (const d of data) counts[Math.min(nb - 1, Math.max(0, Math.floor((d.v - start) / step)))]++;
  return Array.from(counts, (c, b) => ({ bin_start: start + b * step, bin_end: start + (b + 1) * step, count: c }));
}
