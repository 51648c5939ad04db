import type { Factor } from "./factorize";

/**
 * Iterative removal of fixed-effect singletons (Correia 2015, "Singletons, Cluster-Robust
 * Standard Errors and Fixed Effects: A Bad Mix", technical note, Duke University): an
 * observation that is alone in a level of any
 * fixed effect is dropped; dropping it can create new singletons in other fixed effects,
 * so the pass repeats until none remain. Returns a keep-mask and the number removed.
 * This is what reghdfe and fixest ≥ 0.13 do by default.
 *
 * Rule: drop i while ∃q: #{j kept : g_q(j) = g_q(i)} = 1; repeat until a pass removes nothing
 * (one fixed effect needs a single pass).
 *
 * @example removeSingletons([cityFactor, yearFactor], keep).removed
 */
export function removeSingletons(fes: readonly Factor[], keep: Uint8Array): { keep: Uint8Array; removed: number; passes: number } {
  const n = keep.length;
  const k = Uint8Array.from(keep);
  const counts = fes.map((f) => new Int32Array(f.size));
  for (let q = 0; q < fes.length; q++) {
    const c = counts[q] as Int32Array,
      codes = (fes[q] as Factor).codes;
    for (let i = 0; i < n; i++) if (k[i]) c[codes[i] as number]++;
  }
  let removed = 0;
  let passes = 0;
  for (;;) {
    passes++;
    let changed = 0;
    for (let i = 0; i < n; i++) {
      if (!k[i]) continue;
      let single = false;
      for (let q = 0; q < fes.length; q++)
        if ((counts[q] as Int32Array)[(fes[q] as Factor).codes[i] as number] === 1) {
          single = true;
          break;
        }
      if (single) {
        k[i] = 0;
        changed++;
        for (let q = 0; q < fes.length; q++) (counts[q] as Int32Array)[(fes[q] as Factor).codes[i] as number]--;
      }
    }
    removed += changed;
    if (changed === 0 || fes.length === 1) break;
  }
  return { keep: k, removed, passes };
}
