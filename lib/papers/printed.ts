/**
 * The shapes in which each paper's published-numbers module (`./eq/published.ts`,
 * `./rs/published.ts`) stores what the paper prints: numbers as their printed text, so trailing
 * zeros and separators stay checkable against the paper, with the stars as printed.
 */

/** Significance stars as printed ("*" 10 %, "**" 5 %, "***" 1 %; "" = none). */
export type Stars = "" | "*" | "**" | "***";

/** One printed coefficient cell: estimate, clustered SE in parentheses, stars. */
export interface PrintedCell {
  readonly coef: string;
  readonly se: string;
  readonly stars: Stars;
}

/** A printed number: its value and the exact text. */
export interface PrintedNumber {
  readonly value: number;
  readonly text: string;
}

/**
 * Parses a printed number, ignoring the thousands separators papers print ("3 177", "1, 092",
 * "1128 000"): "0.0060" → 0.006, "-0.0597" → −0.0597, "2.4e+04" → 24000. An empty or unreadable
 * text is an error naming `paper`.
 *
 * @example printedValue("1, 092") // 1092
 */
export function printedValue(text: string, paper = "published"): number {
  const v = Number(text.replace(/[ ,\u00a0]/g, ""));
  if (text.trim() === "" || !Number.isFinite(v)) throw new Error(`${paper}: cannot read the printed number "${text}"`);
  return v;
}

/** A printed coefficient cell. */
export const printedCell = (coef: string, se: string, stars: Stars): PrintedCell => ({ coef, se, stars });
