/** A Vega-Lite spec as plain JSON (what `application/vnd.vegalite.v5+json` carries). */
export type VegaLiteSpec = { readonly $schema: string } & Readonly<Record<string, unknown>>;

export const VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** Options every chart builder takes. */
export interface ChartOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
}

/** Title/size properties shared by the builders (undefined fields are left out so specs stay clean JSON). */
export function frame(opts: ChartOptions, width = 420, height = 260): { $schema: string } & Record<string, unknown> {
  const f: { $schema: string } & Record<string, unknown> = { $schema: VEGA_LITE_SCHEMA };
  if (opts.title) f.title = opts.title;
  f.width = opts.width ?? width;
  f.height = opts.height ?? height;
  return f;
}

/** Is this object a Vega-Lite spec (its `$schema` names vega-lite)? */
export function isVegaLiteSpec(x: unknown): x is VegaLiteSpec {
  return typeof x === "object" && x !== null && typeof (x as { $schema?: unknown }).$schema === "string" && /vega-lite/.test((x as { $schema: string }).$schema);
}
