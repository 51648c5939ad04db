import type { IvDesign } from "./types";

const registry = new WeakMap<object, IvDesign>();

/**
 * Remembers the estimation design (demeaned, √w-scaled, after dropping collinear columns) of a
 * fitted 2SLS result, keyed weakly by the result object, so post-estimation routines such as
 * `weakIvPanel` can reach it without it being a field of the (frozen, serialisable) result.
 * `iv2sls` registers every fit; a result that was copied or deserialised has no entry.
 *
 * @example
 *   registerIvDesign(result, design);
 *   ivDesignOfResult(result) === design; // true
 */
export function registerIvDesign(result: object, design: IvDesign): void {
  registry.set(result, design);
}

/** The design registered for a 2SLS result, or undefined (see `registerIvDesign`). @example ivDesignOfResult(iv2sls(d, f)) // IvDesign */
export function ivDesignOfResult(result: object): IvDesign | undefined {
  return registry.get(result);
}
