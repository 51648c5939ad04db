import { qrLeastSquares } from "../../core/linalg/qr";
import type { ShareMatrix } from "./types";
import { mapF64From } from "../../util/typed-map";

/** Sector-level coefficients of `shockCoefficients` and the sectors kept. */
export interface ShockCoefficients {
  /** Coefficient per sector of W (length S); NaN for sectors dropped as collinear. */
  readonly coef: Float64Array;
  /** Sectors kept, in order. */
  readonly kept: number[];
  /** Sectors dropped because their share column is collinear with earlier ones (or all zero). */
  readonly dropped: number[];
  /** "cholesky" (clearly full-rank kept set) or "qr" (a near-collinear column made the rank decision delicate). */
  readonly solver: "cholesky" | "qr";
}

/** Relative Cholesky pivot below which the rank decision is left to Householder QR. */
const CHOL_SAFE = 1e-8;

/**
 * The estimated residualised shocks X̂ of Adão, Kolesár & Morales (2019, QJE, eq. 36 / Remark 6):
 * the (weighted) least-squares coefficients of the partialled shift-share variable Ẍ on the
 * share matrix W, as ShiftShareSE's `lm.wfit(y=ddX, x=W, w)` after `drop_collinear` (R's `qr`
 * rule: a column whose norm remaining after projection on the earlier kept columns is below
 * `tol` = 1e-7 of its own norm is dropped, so the later of collinear columns goes).
 *
 * Rows of W that are identical (e.g. every HS4 row of one city-year in a panel) are merged
 * first — the weighted least squares on the distinct rows with summed weights and weighted mean
 * responses has the same normal equations. Then an ordered Cholesky of the equilibrated Gram
 * matrix, plus one step of iterative refinement (Björck 1987), when every kept pivot is clearly
 * nonzero (relative pivot > 1e-8, i.e. remaining norm > 1e-4 of the column's); otherwise the
 * rank is decided, and the system solved, by Householder QR (`qrLeastSquares`, R's limited
 * pivoting) on the √weight-scaled distinct rows.
 *
 * Formula: X̂ = (W'ΩW)⁻¹ W'Ω Ẍ over the kept sectors, Ω = diag(w).
 *
 * @example
 *   const { coef } = shockCoefficients(ddX, W, weights); // coef[s] = X̂_s
 */
export function shockCoefficients(ddX: Float64Array, W: ShareMatrix, weights?: Float64Array, tol = 1e-7): ShockCoefficients {
  const S = W.nSectors;
  const { rowPtr, sectors, values } = W;
  // merge identical rows: group weight Σw, weighted mean response. Rows are found equal by a
  // hash of their sectors and share bits, confirmed entry by entry.
  const groupsOfHash = new Map<number, number[]>();
  const first: number[] = [];
  const gw: number[] = [];
  const gy: number[] = [];
  const bits = new Float64Array(1);
  const word = new Uint32Array(bits.buffer);
  const sameRow = (i: number, j: number): boolean => {
    const a = rowPtr[i] as number,
      b = rowPtr[i + 1] as number,
      c = rowPtr[j] as number;
    if (b - a !== (rowPtr[j + 1] as number) - c) return false;
    for (let l = 0; l < b - a; l++) if (sectors[a + l] !== sectors[c + l] || values[a + l] !== values[c + l]) return false;
    return true;
  };
  for (let i = 0; i < W.nRows; i++) {
    const wi = weights ? (weights[i] as number) : 1;
    const a = rowPtr[i] as number;
    const b = rowPtr[i + 1] as number;
    if (a === b || wi === 0) continue;
    let h = 0x811c9dc5 ^ (b - a);
    for (let l = a; l < b; l++) {
      bits[0] = values[l] as number;
      h = Math.imul(h ^ (sectors[l] as number), 16777619);
      h = Math.imul(h ^ (word[0] as number), 16777619);
      h = Math.imul(h ^ (word[1] as number), 16777619);
    }
    let bucket = groupsOfHash.get(h);
    let g = -1;
    if (bucket) {
      for (const c of bucket)
        if (sameRow(first[c] as number, i)) {
          g = c;
          break;
        }
    } else {
      bucket = [];
      groupsOfHash.set(h, bucket);
    }
    if (g < 0) {
      g = first.length;
      bucket.push(g);
      first.push(i);
      gw.push(0);
      gy.push(0);
    }
    gw[g] = (gw[g] as number) + wi;
    gy[g] = (gy[g] as number) + wi * (ddX[i] as number);
  }
  const R = first.length;
  const ybar = mapF64From(gy, (v, g) => v / (gw[g] as number));
  const G = new Float64Array(S * S);
  const rhs = new Float64Array(S);
  for (let g = 0; g < R; g++) {
    const i = first[g] as number;
    const a = rowPtr[i] as number;
    const b = rowPtr[i + 1] as number;
    const wg = gw[g] as number;
    for (let k = a; k < b; k++) {
      const sk = sectors[k] as number;
      const vk = wg * (values[k] as number);
      rhs[sk] += vk * (ybar[g] as number);
      for (let l = a; l < b; l++) G[sk * S + (sectors[l] as number)] += vk * (values[l] as number);
    }
  }
  // ordered Cholesky of the equilibrated Gram matrix
  const kept: number[] = [];
  const dropped: number[] = [];
  const scale = new Float64Array(S);
  const L = new Float64Array(S * S);
  let delicate = false;
  for (let j = 0; j < S; j++) {
    const gjj = G[j * S + j] as number;
    if (!(gjj > 0)) {
      dropped.push(j);
      continue;
    }
    scale[j] = Math.sqrt(gjj);
    const m = kept.length;
    let d = 1;
    for (let c = 0; c < m; c++) {
      const kc = kept[c] as number;
      let v = (G[j * S + kc] as number) / ((scale[j] as number) * (scale[kc] as number));
      for (let t = 0; t < c; t++) v -= (L[m * S + t] as number) * (L[c * S + t] as number);
      v /= L[c * S + c] as number;
      L[m * S + c] = v;
      d -= v * v;
    }
    if (!(d > CHOL_SAFE)) {
      delicate = true;
      break;
    }
    L[m * S + m] = Math.sqrt(d);
    kept.push(j);
  }
  const coef = new Float64Array(S).fill(NaN);
  if (delicate) {
    const sw = mapF64From(gw, Math.sqrt);
    const cols = Array.from({ length: S }, () => new Float64Array(R));
    for (let g = 0; g < R; g++) {
      const i = first[g] as number;
      for (let k = rowPtr[i] as number; k < (rowPtr[i + 1] as number); k++)
        (cols[sectors[k] as number] as Float64Array)[g] = (sw[g] as number) * (values[k] as number);
    }
    const fit = qrLeastSquares(
      cols,
      mapF64From(ybar, (v, g) => v * (sw[g] as number)),
      { solver: "qr", tol },
    );
    fit.kept.forEach((s, k) => (coef[s] = fit.beta[k] as number));
    return { coef, kept: fit.kept, dropped: fit.dropped, solver: "qr" };
  }
  const K = kept.length;
  const solve = (r: Float64Array): Float64Array => {
    const z = new Float64Array(K);
    for (let i = 0; i < K; i++) {
      let s = (r[kept[i] as number] as number) / (scale[kept[i] as number] as number);
      for (let t = 0; t < i; t++) s -= (L[i * S + t] as number) * (z[t] as number);
      z[i] = s / (L[i * S + i] as number);
    }
    for (let i = K - 1; i >= 0; i--) {
      let s = z[i] as number;
      for (let t = i + 1; t < K; t++) s -= (L[t * S + i] as number) * (z[t] as number);
      z[i] = s / (L[i * S + i] as number);
    }
    return z.map((v, i) => v / (scale[kept[i] as number] as number));
  };
  const c0 = solve(rhs);
  kept.forEach((s, k) => (coef[s] = c0[k] as number));
  // one refinement step on the merged rows: r = ȳ − W c; c += (W'ΩW)⁻¹ W'Ω r
  const r2 = new Float64Array(S);
  for (let g = 0; g < R; g++) {
    const i = first[g] as number;
    let f = 0;
    for (let k = rowPtr[i] as number; k < (rowPtr[i + 1] as number); k++) {
      const c = coef[sectors[k] as number] as number;
      if (!Number.isNaN(c)) f += c * (values[k] as number);
    }
    const res = (gw[g] as number) * ((ybar[g] as number) - f);
    for (let k = rowPtr[i] as number; k < (rowPtr[i + 1] as number); k++) r2[sectors[k] as number] += res * (values[k] as number);
  }
  const delta = solve(r2);
  kept.forEach((s, k) => (coef[s] = (coef[s] as number) + (delta[k] as number)));
  return { coef, kept, dropped, solver: "cholesky" };
}
