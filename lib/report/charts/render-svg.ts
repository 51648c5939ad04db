import type { VegaLiteSpec } from "./spec";

/* vega and vega-lite are ESM with top-level await: they cannot be require()d, and tslab cells
   cannot import them. A one-line CommonJS helper performs the dynamic import (DESIGN.md §5). */
const esmImport = require("./esm.cjs") as (specifier: string) => Promise<unknown>;

interface VegaLiteModule {
  compile(spec: unknown): { spec: unknown };
}
interface VegaView {
  toSVG(scale?: number): Promise<string>;
  finalize(): void;
}
interface VegaModule {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, opts: { renderer: string }) => VegaView;
}

let loaded: Promise<{ vl: VegaLiteModule; vega: VegaModule }> | undefined;
function load() {
  loaded ??= Promise.all([esmImport("vega-lite"), esmImport("vega")]).then(([vl, vega]) => ({
    vl: vl as VegaLiteModule,
    vega: vega as VegaModule,
  }));
  return loaded;
}

/**
 * Compile a Vega-Lite spec with vega-lite and render it headless to an SVG string with vega's
 * `View.toSVG()` (renderer "none": no canvas, no DOM; text widths are estimated).
 *
 * @example
 *   fs.writeFileSync("exports/figures/fig2.svg", await renderSvg(distributionPlot(coefs, { marked: 0.2 })));
 */
export async function renderSvg(spec: VegaLiteSpec, opts: { scale?: number } = {}): Promise<string> {
  const { vl, vega } = await load();
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG(opts.scale);
  } finally {
    view.finalize();
  }
}
