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
  return (
    typeof x === "object" &&
    x !== null &&
    typeof (x as { $schema?: unknown }).$schema === "string" &&
    /vega-lite/.test((x as { $schema: string }).$schema)
  );
}

/** Colour of published values in every chart (ours are blue/red). */
export const PUBLISHED_COLOR = "#e67e00";

/**
 * Axis properties for a year field: integer labels without thousands separators ("2004", not
 * "2,004"), at least one year between ticks, and at most `maxTicks` ticks (default 10).
 *
 * @example
 *   { field: "year", type: "quantitative", axis: yearAxis() } // { format: "d", tickMinStep: 1, tickCount: 10 }
 */
export function yearAxis(maxTicks = 10): { format: string; tickMinStep: number; tickCount: number } {
  return { format: "d", tickMinStep: 1, tickCount: maxTicks };
}

/**
 * Do these values look like years: all finite ones integers in 1000–2999 (at least one)?
 *
 * @example
 *   looksLikeYears([2004, 2005]); // true
 *   looksLikeYears([1.5, 2]);     // false
 */
export function looksLikeYears(values: ArrayLike<number>): boolean {
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v) || v < 1000 || v > 2999) return false;
    n++;
  }
  return n > 0;
}

/** A value marked on a chart by a rule with a text label. */
export interface MarkedValue {
  readonly value: number;
  readonly label?: string;
}

/**
 * A number, one marked value or several, as a list of finite values with labels (default label:
 * `defaultLabel(value)`, the number itself unless given).
 *
 * @example
 *   markedList(0.5);                                  // [{ value: 0.5, label: "0.5" }]
 *   markedList([{ value: 1 }], (v) => `published ${v}`); // [{ value: 1, label: "published 1" }]
 */
export function markedList(
  m: number | MarkedValue | readonly MarkedValue[] | undefined,
  defaultLabel: (v: number) => string = String,
): { value: number; label: string }[] {
  const list: readonly MarkedValue[] =
    m === undefined ? [] : typeof m === "number" ? [{ value: m }] : "value" in m ? [m as MarkedValue] : (m as readonly MarkedValue[]);
  return list.filter((x) => Number.isFinite(x.value)).map((x) => ({ value: x.value, label: x.label ?? defaultLabel(x.value) }));
}

/**
 * A marked value for a legend: 4 decimals, 1 from 100 on, 3 significant digits below 0.001,
 * with a real minus sign.
 *
 * @example
 *   formatMarked(-0.00051); // "−0.000510"
 *   formatMarked(0.31871);  // "0.3187"
 */
export function formatMarked(x: number): string {
  const a = Math.abs(x);
  const s = a >= 100 ? x.toFixed(1) : a !== 0 && a < 0.001 ? x.toPrecision(3) : x.toFixed(4);
  return s.replace(/^-/, "−");
}

/** Colour of our own marked values (estimates) in every chart. */
export const OURS_COLOR = "#c00";

/** A vertical rule with its legend entry. */
export interface RuleMark {
  readonly value: number;
  readonly label: string;
  readonly color: string;
  /** Stroke dash pattern (default solid). */
  readonly dash?: readonly number[];
}

/**
 * One layer of vertical rules at marked x values, named in a legend (colour and dash merged into
 * one legend, below the plot) rather than by text at the rule, so that close values — ours beside
 * the published one — stay readable. Duplicate labels get " (2)", … appended. Undefined when
 * there is nothing to mark.
 *
 * @example
 *   layer.push(ruleMarksLayer([
 *     { value: 0.3187, label: "actual estimate", color: OURS_COLOR },
 *     { value: -0.0005, label: "published placebo mean", color: PUBLISHED_COLOR, dash: [6, 3] },
 *   ])!);
 */
export function ruleMarksLayer(marks: readonly RuleMark[], o: { field?: string } = {}): Record<string, unknown> | undefined {
  const ok = marks.filter((m) => Number.isFinite(m.value));
  if (!ok.length) return undefined;
  const field = o.field ?? "value";
  const seen = new Map<string, number>();
  const labels = ok.map((m) => {
    const n = (seen.get(m.label) ?? 0) + 1;
    seen.set(m.label, n);
    return n > 1 ? `${m.label} (${n})` : m.label;
  });
  const legend = { orient: "bottom", direction: "vertical", labelLimit: 320, symbolStrokeWidth: 2 };
  return {
    data: { values: ok.map((m, i) => ({ [field]: m.value, label: labels[i] })) },
    mark: { type: "rule", strokeWidth: 2 },
    encoding: {
      x: { field, type: "quantitative" },
      color: { field: "label", type: "nominal", title: null, scale: { domain: labels, range: ok.map((m) => m.color) }, legend },
      strokeDash: {
        field: "label",
        type: "nominal",
        title: null,
        scale: { domain: labels, range: ok.map((m) => [...(m.dash ?? [1, 0])]) },
        legend,
      },
      tooltip: [{ field: "label" }, { field, format: ".4g" }],
    },
  };
}
