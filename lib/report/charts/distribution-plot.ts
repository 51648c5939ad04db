import { frame, type ChartOptions, type VegaLiteSpec } from "./spec";

export interface MarkedValue {
  readonly value: number;
  readonly label?: string;
}

export interface DistributionPlotOptions extends ChartOptions {
  /** Values to mark with a vertical rule (e.g. the true estimate in a placebo test). */
  readonly marked?: number | MarkedValue | readonly MarkedValue[];
  /** Maximum number of histogram bins (default 40). */
  readonly maxbins?: number;
  readonly xTitle?: string;
  /** Default "Count". */
  readonly yTitle?: string;
}

/**
 * Histogram of a distribution with marked values (Figure 2: placebo coefficients with the true
 * estimate). Non-finite values are left out.
 *
 * @example
 *   await showChart(distributionPlot(placebo.coefs, { marked: { value: 0.2013, label: "true estimate" }, xTitle: "Placebo coefficient" }));
 */
export function distributionPlot(values: ArrayLike<number>, opts: DistributionPlotOptions = {}): VegaLiteSpec {
  const data: { v: number }[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) data.push({ v });
  }
  const m = opts.marked;
  const marks: MarkedValue[] = m === undefined ? [] : typeof m === "number" ? [{ value: m }] : "value" in m ? [m as MarkedValue] : [...(m as readonly MarkedValue[])];
  const layer: Record<string, unknown>[] = [
    {
      data: { values: data },
      mark: { type: "bar", color: "#9bb4d0" },
      encoding: {
        x: { field: "v", type: "quantitative", bin: { maxbins: opts.maxbins ?? 40 }, title: opts.xTitle ?? "Value" },
        y: { aggregate: "count", type: "quantitative", title: opts.yTitle ?? "Count" },
      },
    },
  ];
  if (marks.length) {
    const mv = marks.map((x) => ({ value: x.value, label: x.label ?? String(x.value) }));
    layer.push({ data: { values: mv }, mark: { type: "rule", color: "#c00", strokeWidth: 2 }, encoding: { x: { field: "value", type: "quantitative" } } });
    layer.push({
      data: { values: mv },
      mark: { type: "text", align: "left", dx: 4, dy: -4, baseline: "bottom", color: "#c00" },
      encoding: { x: { field: "value", type: "quantitative" }, y: { value: 0 }, text: { field: "label" } },
    });
  }
  return { ...frame(opts), layer } as VegaLiteSpec;
}
