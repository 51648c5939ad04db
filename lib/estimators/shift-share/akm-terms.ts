import { factorize } from "../../core/fixed-effects/factorize";
import { ArgumentError } from "../../util/errors";
import type { ShareMatrix } from "./types";

/**
 * The sector terms of the AKM variance (Adão, Kolesár & Morales 2019, QJE, Prop. 4 / Remark 6):
 * for each vector v (a residual, or the partialled treatment), c_s = X̂_s · Σ_i w_i W_is v_i over
 * the kept sectors, summed within sector clusters when `sectorCluster` (length S, ShiftShareSE's
 * `sector_cvar`) is given. Then se_AKM = √(Σ_s c_s(ε̂)²) / RX.
 *
 * Formula: c_k(v) = Σ_{s ∈ cluster k} X̂_s Σ_i w_i W_is v_i.
 *
 * @example
 *   const [cR] = akmSectorTerms(coef, kept, W, weights, [resid]);
 */
export function akmSectorTerms(
  coef: Float64Array,
  kept: readonly number[],
  W: ShareMatrix,
  weights: Float64Array | undefined,
  vectors: readonly Float64Array[],
  sectorCluster?: ArrayLike<unknown>,
): Float64Array[] {
  const S = W.nSectors;
  if (sectorCluster && sectorCluster.length !== S)
    throw new ArgumentError(`sector clusters: ${sectorCluster.length} values for ${S} sectors (the length must be the number of sectors)`);
  let code: Int32Array;
  let G: number;
  if (sectorCluster) {
    const keptVals = kept.map((s) => sectorCluster[s]);
    const f = factorize(keptVals);
    if (f.codes.some((c) => c < 0)) throw new ArgumentError("sector clusters: missing value");
    code = new Int32Array(S).fill(-1);
    kept.forEach((s, k) => (code[s] = f.codes[k] as number));
    G = f.size;
  } else {
    code = new Int32Array(S).fill(-1);
    kept.forEach((s, k) => (code[s] = k));
    G = kept.length;
  }
  return vectors.map((v) => {
    const wv = new Float64Array(S);
    for (let i = 0; i < W.nRows; i++) {
      const f = (weights ? (weights[i] as number) : 1) * (v[i] as number);
      for (let k = W.rowPtr[i] as number; k < (W.rowPtr[i + 1] as number); k++) wv[W.sectors[k] as number] += f * (W.values[k] as number);
    }
    const out = new Float64Array(G);
    for (const s of kept) out[code[s] as number] += (coef[s] as number) * (wv[s] as number);
    return out;
  });
}
