/**
 * Stata dates (`help datetime`; `help dta` §5.6 "Display formats"): `%td` values are days
 * since 01jan1960, `%tc` (and `%tC`, which also counts leap seconds — treated like `%tc` here)
 * are milliseconds since 01jan1960 00:00:00.000. Old files use `%d…` for `%td…`.
 *
 * @example
 *   dateKind("%tdCCYY-NN-DD"); // "date"
 *   stataDateToIso(0);         // "1960-01-01"
 *   stataDatetimeToIso(1000);  // "1960-01-01T00:00:01.000Z"
 */
export type DateKind = "date" | "datetime" | null;

const EPOCH_1960_MS = -315619200000; // Date.UTC(1960, 0, 1)

/**
 * Whether a Stata display format is a date (`%td`, `%d`), a datetime (`%tc`, `%tC`) or neither.
 *
 * @example
 *   dateKind("%td"); // "date"
 */
export function dateKind(format: string): DateKind {
  if (/^%-?t?d/.test(format)) return "date";
  if (/^%-?t[cC]/.test(format)) return "datetime";
  return null;
}

/**
 * A Stata daily date (days since 1 January 1960) as an ISO date string.
 *
 * @example
 *   stataDateToIso(0); // "1960-01-01"
 */
export function stataDateToIso(days: number): string {
  return new Date(EPOCH_1960_MS + Math.floor(days) * 86400000).toISOString().slice(0, 10);
}

/**
 * A Stata `%tc` datetime (milliseconds since 1960-01-01 00:00 UTC, no leap seconds) as an ISO timestamp.
 *
 * @example
 *   stataDatetimeToIso(86400000); // "1960-01-02T00:00:00.000Z"
 */
export function stataDatetimeToIso(ms: number): string {
  return new Date(EPOCH_1960_MS + ms).toISOString();
}

/** "YYYY-MM-DD" → days since 1960 (NaN if not a date). */
export function isoToStataDate(s: string): number {
  const m = /^(-?\d{4,6})-(\d\d)-(\d\d)$/.exec(s);
  if (!m) return NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Math.round((ms - EPOCH_1960_MS) / 86400000);
}

/** ISO 8601 timestamp → ms since 1960 (NaN if unparseable). Strings without a zone are read as UTC. */
export function isoToStataDatetime(s: string): number {
  const z = /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : s + "Z";
  const ms = Date.parse(z);
  return Number.isNaN(ms) ? NaN : ms - EPOCH_1960_MS;
}
