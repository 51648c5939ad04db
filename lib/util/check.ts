import { ArgumentError } from "./errors";

/**
 * Throws an ArgumentError unless `v` is a finite number satisfying `ok`.
 *
 * @example
 *   checkNumber(alpha, "alpha", (v) => v > 0 && v < 1, "in (0, 1)");
 */
export function checkNumber(v: number, what: string, ok: (v: number) => boolean, rule: string): void {
  if (!Number.isFinite(v) || !ok(v)) throw new ArgumentError(`${what} must be ${rule}, got ${v}`);
}
