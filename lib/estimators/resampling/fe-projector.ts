import { directProjector, type DirectProjector, type FixedEffectsDesign } from "../../core/fixed-effects/demean";

/** The direct two-pass FE projection (`DirectProjector`). */
export type FeProjector = DirectProjector;

/**
 * The fixed-effect projection in two passes for the placebo loop: the direct method of
 * `lib/core/fixed-effects/demean.ts` (`directProjector`, same cached factorisation as
 * `demean`). Null when the reduced system exceeds `maxLevels` (callers then use `demean`).
 *
 * @example const p = feProjector({ factors: [city, year] }); if (p) p.groupSums(x, sBig, rhs);
 */
export function feProjector(fe: FixedEffectsDesign, maxLevels = 1000, pivotTol = 1e-9): FeProjector | null {
  return directProjector(fe, { directMaxLevels: maxLevels, pivotTol });
}
