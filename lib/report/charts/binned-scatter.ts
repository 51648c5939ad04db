import { binMeans } from "./bin-means";
import { frame, type ChartOptions, type VegaLiteSpec } from "./spec";

export interface BinnedScatterOptions extends ChartOptions {
  /** Number of equal-count bins (default 20). */
  readonly bins?: number;
  /** Draw the full-sample OLS line (default true). */
  readonly fit?: boolean;
  readonly xTitle?: string;
  readonly yTitle?: string;
}

/**
 * Binned scatter plot: mean y against mean x in equal-count bins of x, with the OLS line of the
 * full sample (see `binMeans`).
 *
 * @example
 *   await showChart(binnedScatter(numeric(d, "vagg"), numeric(d, "hs4_qua"), { xTitle: "vagg", yTitle: "quality" }));
 */
export function binnedScatter(x: ArrayLike<number>, y: ArrayLike<number>, opts: BinnedScatterOptions = {}): VegaLiteSpec {
  const b = binMeans(x, y, opts.bins ?? 20);
  const values = Array.from(b.x, (v, i) => ({ x: v, y: b.y[i] as number, n: b.n[i] as number }));
  const enc = {
    x: { field: "x", type: "quantitative", title: opts.xTitle ?? "x", scale: { zero: false } },
    y: { field: "y", type: "quantitative", title: opts.yTitle ?? "y", scale: { zero: false } },
  };
  const layer: Record<string, unknown>[] = [
    {
      data: { values },
      mark: { type: "point", filled: true, size: 50 },
      encoding: { ...enc, tooltip: [{ field: "x", format: ".4f" }, { field: "y", format: ".4f" }, { field: "n" }] },
    },
  ];
  if ((opts.fit ?? true) && Number.isFinite(b.slope)) {
    const x0 = b.x[0] as number;
    const x1 = b.x[b.x.length - 1] as number;
    layer.push({
      data: { values: [x0, x1].map((v) => ({ x: v, y: b.intercept + b.slope * v })) },
      mark: { type: "line", color: "#c00" },
      encoding: enc,
    });
  }
  return { ...frame(opts), layer } as VegaLiteSpec;
}
