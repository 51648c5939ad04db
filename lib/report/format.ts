/**
 * Number formatting shared by the table builders: fixed decimals (the papers print 4),
 * counts with thousands separators, and significance stars.
 */

/** Default star thresholds: `*` p < 0.10, `**` p < 0.05, `***` p < 0.01 (strict inequalities, as Stata and fixest print). */
export const DEFAULT_STARS: readonly (readonly [number, string])[] = [
  [0.01, "***"],
  [0.05, "**"],
  [0.1, "*"],
];

/**
 * Stars for a p-value: the symbol of the smallest threshold that p is strictly below.
 * A p-value exactly at a threshold does not earn that threshold's stars. NaN → "".
 *
 * @example
 *   stars(0.0099); // "***"
 *   stars(0.01);   // "**"
 *   stars(0.1);    // ""
 */
export function stars(p: number, thresholds: readonly (readonly [number, string])[] = DEFAULT_STARS): string {
  if (!Number.isFinite(p)) return "";
  let best: readonly [number, string] | undefined;
  for (const t of thresholds) if (p < t[0] && (best === undefined || t[0] < best[0])) best = t;
  return best ? best[1] : "";
}

/**
 * Fixed-decimal formatting; NaN/undefined → `na` (default ""), ±Inf → "Inf"/"-Inf".
 * Negative zero after rounding prints without the sign ("0.0000", not "-0.0000").
 *
 * @example
 *   formatNumber(0.31349, 4); // "0.3135"
 *   formatNumber(-0.00001, 4); // "0.0000"
 */
export function formatNumber(x: number | null | undefined, digits = 4, na = ""): string {
  if (x === null || x === undefined || Number.isNaN(x)) return na;
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * Integer with thousands separators (comma), as journals print N.
 *
 * @example
 *   formatCount(616591); // "616,591"
 */
export function formatCount(x: number | null | undefined, na = ""): string {
  if (x === null || x === undefined || Number.isNaN(x)) return na;
  if (!Number.isFinite(x)) return x > 0 ? "Inf" : "-Inf";
  const neg = x < 0;
  const s = Math.round(Math.abs(x))
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return neg ? "-" + s : s;
}

/**
 * A count as a table cell: thousands separators in the display text, none in the plain text that
 * CSV writes.
 *
 * @example
 *   countCell(616591); // { text: "616,591", plain: "616591" }
 *   countCell(NaN, "–"); // { text: "–" }
 */
export function countCell(x: number | null | undefined, na = ""): { readonly text: string; readonly plain?: string } {
  const text = formatCount(x, na);
  const plain = x === null || x === undefined || !Number.isFinite(x) ? text : String(Math.round(x));
  return plain === text ? { text } : { text, plain };
}

/**
 * A number as machine-readable text: the shortest string that reads back to the same double
 * (`String(x)`, so integers print as integers: 1990, 616591), no thousands separators, no
 * rounding; NaN/null/undefined → "" (missing); negative zero → "-0"; ±Inf → "Infinity"/"-Infinity"
 * (what `Number()` reads back).
 *
 * @example
 *   formatRaw(0.1 + 0.2); // "0.30000000000000004"
 *   formatRaw(1990);      // "1990"
 *   formatRaw(NaN);       // ""
 */
export function formatRaw(x: number | null | undefined): string {
  if (x === null || x === undefined || Number.isNaN(x)) return "";
  return Object.is(x, -0) ? "-0" : String(x);
}
