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
  const layer: Record<string, unknown>[] = [
    {
      data: { values: data },
      transform: [{ bin: { maxbins: opts.maxbins ?? 40 }, field: "v", as: ["bin_start", "bin_end"] }],
      mark: { type: "bar", color: "#9bb4d0" },
      encoding: {
        x: {
          field: "bin_start",
          type: "quantitative",
          title: opts.xTitle ?? "Value",
          scale: { zero: false },
          axis: { tickCount: opts.tickCount ?? Math.max(4, Math.round((opts.width ?? 420) / 70)) },
        },
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
