import { displayPath } from "./paths";
/**
 * Typed errors with one stable, one-line message format:
 *
 *   vagg <kind>: <where>: <what>
 *
 * where `<where>` names the file, column, row or formula term involved, e.g.
 *
 *   vagg data error: data/raw/cities.csv: column "gdp", row 17: expected a number, found "n/a"
 *   vagg formula error: term "vag": unknown variable (did you mean "vagg"?)
 *
 * The CLI prints `err.message` only (no stack unless VAGG_DEBUG=1), so the message must
 * stand on its own. Every location field is optional; the ones given are joined in a fixed order.
 */
export interface ErrorLocation {
  readonly file?: string;
  readonly column?: string;
  /** 1-based data row (header excluded), as a spreadsheet user counts. */
  readonly row?: number;
  readonly term?: string;
}

function formatWhere(loc: ErrorLocation): string {
  const parts: string[] = [];
  // a file inside the repository is named relative to it: messages (and notebook outputs) carry no machine path
  if (loc.file !== undefined) parts.push(displayPath(loc.file));
  const inner: string[] = [];
  if (loc.column !== undefined) inner.push(`column "${loc.column}"`);
  if (loc.row !== undefined) inner.push(`row ${loc.row}`);
  if (loc.term !== undefined) inner.push(`term "${loc.term}"`);
  if (inner.length) parts.push(inner.join(", "));
  return parts.join(": ");
}

export abstract class VaggError extends Error {
  readonly kind: string;
  readonly location: ErrorLocation;
  readonly detail: string;
  constructor(kind: string, detail: string, location: ErrorLocation = {}) {
    const where = formatWhere(location);
    super(`vagg ${kind}: ${where ? where + ": " : ""}${detail}`.replace(/\s*\n\s*/g, " "));
    this.kind = kind;
    this.detail = detail;
    this.location = location;
    this.name = new.target.name;
  }
}

/** A data file or column is missing, malformed, of the wrong type, or has duplicate keys. */
export class DataError extends VaggError {
  constructor(detail: string, location: ErrorLocation = {}) {
    super("data error", detail, location);
  }
}
/** A formula is malformed or names a variable that is not there. */
export class FormulaError extends VaggError {
  constructor(detail: string, location: ErrorLocation = {}) {
    super("formula error", detail, location);
  }
}
/** An estimation cannot proceed (no observations left, a singular design, ...). */
export class EstimationError extends VaggError {
  constructor(detail: string, location: ErrorLocation = {}) {
    super("estimation error", detail, location);
  }
}
/** A function argument or CLI option is invalid. */
export class ArgumentError extends VaggError {
  constructor(detail: string, location: ErrorLocation = {}) {
    super("argument error", detail, location);
  }
}

/**
 * Type guard for the project's own errors (DataError, ArgumentError, EstimationError, …), whose
 * messages are one line with a location; anything else is a bug.
 *
 * @example try { run(); } catch (e) { console.error(isVaggError(e) ? e.message : e); }
 */
export function isVaggError(e: unknown): e is VaggError {
  return e instanceof VaggError;
}
