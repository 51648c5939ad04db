import type { ShareMatrix } from "./types";

/** Sector-level coefficients of `shockCoefficients` and the sectors kept. */
export interface ShockCoefficients {
  /** Coefficient per sector of W (length S); NaN for sectors dropped as collinear. */
  readonly coef: Float64Array;
  /** Sectors kept, in order. */
  readonly kept: number[];
  /** Sectors dropped because their share column is collinear with earlier ones (or all zero). */
  readonly dropped: number[];
}

/**
 * The estimated residualised shocks X̂ of Adão, Kolesár & Morales (2019, QJE, eq. 36 / Remark 6):
 * the (weighted) least-squares coefficients of the partialled shift-share variable Ẍ on the
 * share matrix W, as ShiftShareSE's `lm.wfit(y=ddX, x=W, w)`. Collinear share columns are dropped
 * in column order (a later column whose remaining norm is below `tol` = 1e-7 of its own norm,
 * R's `qr` rule used by ShiftShareSE's `drop_collinear`). Solved through the sparse Gram matrix
 * W'ΩW by an ordered Cholesky factorisation plus one step of iterative refinement on the
 * residual (corrected semi-normal equations, Björck 1987).
 *
 * Formula: X̂ = (W'ΩW)⁻¹ W'Ω Ẍ over the kept sectors, Ω = diag(w).
 *
 * @example
 *   const { coef } = shockCoefficients(ddX, W, weights); // coef[s] = X̂_s
 */
export function shockCoefficients(ddX: Float64Array, W: ShareMatrix, weights?: Float64Array, tol = 1e-7): ShockCoefficients {
  const S = W.nSectors;
  const { rowPtr, sectors, values } = W;
  const G = new Float64Array(S * S);
  for (let i = 0; i < W.nRows; i++) {
    const wi = weights ? (weights[i] as number) : 1;
    const a = rowPtr[i] as number;
    const b = rowPtr[i + 1] as number;
    for (let k = a; k < b; k++) {
      const sk = sectors[k] as number;
      const vk = wi * (values[k] as number);
      for (let l = a; l < b; l++) G[sk * S + (sectors[l] as number)] += vk * (values[l] as number);
    }
  }
  const wtv = (v: Float64Array): Float64Array => {
    const out = new Float64Array(S);
    for (let i = 0; i < W.nRows; i++) {
      const f = (weights ? (weights[i] as number) : 1) * (v[i] as number);
      for (let k = rowPtr[i] as number; k < (rowPtr[i + 1] as number); k++) out[sectors[k] as number] += f * (values[k] as number);
    }
    return out;
  };
  // ordered Cholesky G_kk = L L' with column dropping
  const kept: number[] = [];
  const dropped: number[] = [];
  const L = new Float64Array(S * S); // row m of L in kept order
  for (let j = 0; j < S; j++) {
    const gjj = G[j * S + j] as number;
    if (!(gjj > 0)) {
      dropped.push(j);
      continue;
    }
    const m = kept.length;
    let d = gjj;
    for (let c = 0; c < m; c++) {
      const kc = kept[c] as number;
      let v = G[j * S + kc] as number;
      for (let t = 0; t < c; t++) v -= (L[m * S + t] as number) * (L[c * S + t] as number);
      v /= L[c * S + c] as number;
      L[m * S + c] = v;
      d -= v * v;
    }
    if (!(d > tol * tol * gjj)) {
      for (let c = 0; c < m; c++) L[m * S + c] = 0;
      dropped.push(j);
      continue;
    }
    L[m * S + m] = Math.sqrt(d);
    kept.push(j);
  }
  const K = kept.length;
  const solve = (rhs: Float64Array): Float64Array => {
    const z = new Float64Array(K);
    for (let i = 0; i < K; i++) {
      let s = rhs[kept[i] as number] as number;
      for (let t = 0; t < i; t++) s -= (L[i * S + t] as number) * (z[t] as number);
      z[i] = s / (L[i * S + i] as number);
    }
    for (let i = K - 1; i >= 0; i--) {
      let s = z[i] as number;
      for (let t = i + 1; t < K; t++) s -= (L[t * S + i] as number) * (z[t] as number);
      z[i] = s / (L[i * S + i] as number);
    }
    return z;
  };
  const coefKept = solve(wtv(ddX));
  const coef = new Float64Array(S).fill(NaN);
  kept.forEach((s, k) => (coef[s] = coefKept[k] as number));
  // one refinement step: r = Ẍ − W c; c += (W'ΩW)⁻¹ W'Ω r
  const r = Float64Array.from(ddX);
  for (let i = 0; i < W.nRows; i++) {
    let f = 0;
    for (let k = rowPtr[i] as number; k < (rowPtr[i + 1] as number); k++) {
      const c = coef[sectors[k] as number] as number;
      if (!Number.isNaN(c)) f += c * (values[k] as number);
    }
    r[i] = (r[i] as number) - f;
  }
  const delta = solve(wtv(r));
  kept.forEach((s, k) => (coef[s] = (coef[s] as number) + (delta[k] as number)));
  return { coef, kept, dropped };
}
