import type { Factor } from "../../core/fixed-effects/factorize";
import type { FixedEffectsDesign } from "../../core/fixed-effects/demean";

/**
 * The fixed-effect projection split into its two passes, for loops that fuse other work into
 * them (the placebo replications): `groupSums` (pass 1: weighted sums of x per level of every
 * fixed effect), `solve` (the small reduced system, no pass over N), and `fitted(i)` data
 * (pass 2: α_big[g_big(i)] + Σ α_q[g_q(i)]).
 *
 * It is the same direct method as `lib/core/fixed-effects/demean.ts` (Schur complement on the
 * largest fixed effect, semi-definite Cholesky of the reduced system of the others with
 * dependent pivots skipped): that module keeps its plan private, so the factorisation is
 * rebuilt here (suggested upstream change: export the plan and a two-pass API from demean.ts
 * and delete this file). Residuals agree with `demean` to rounding (tested through the placebo
 * ↔ feols identity). Returns null when the reduced system exceeds `maxLevels` (then callers use
 * `demean`).
 *
 * @example
 *   const p = feProjector({ factors: [city, hs4, year] });
 *   p.groupSums(x, sBig, rhs); p.solve(sBig, rhs, alphaBig);  // rhs becomes α of the other FE
 */
export interface FeProjector {
  readonly big: Int32Array;
  /** Codes of the other fixed effects, already offset into the reduced system. */
  readonly others: Int32Array[];
  readonly nBigLevels: number;
  readonly r: number;
  readonly weights?: Float64Array;
  groupSums(x: Float64Array, sBig: Float64Array, rhs: Float64Array): void;
  /** In place: rhs ← α of the other FE; alphaBig filled. */
  solve(sBig: Float64Array, rhs: Float64Array, alphaBig: Float64Array): void;
}

export function feProjector(fe: FixedEffectsDesign, maxLevels = 1000, pivotTol = 1e-9): FeProjector | null {
  const F = fe.factors;
  const Q = F.length;
  if (Q === 0) return null;
  let bigQ = 0;
  for (let q = 1; q < Q; q++) if ((F[q] as Factor).size > (F[bigQ] as Factor).size) bigQ = q;
  const otherQ: number[] = [];
  const offsets: number[] = [];
  let r = 0;
  for (let q = 0; q < Q; q++) if (q !== bigQ) { otherQ.push(q); offsets.push(r); r += (F[q] as Factor).size; }
  if (r > maxLevels) return null;
  const w = fe.weights;
  const cb = (F[bigQ] as Factor).codes;
  const Gb = (F[bigQ] as Factor).size;
  const n = cb.length;
  const oc = otherQ.map((q, a) => { const c = (F[q] as Factor).codes; const o = new Int32Array(n); const off = offsets[a] as number; for (let i = 0; i < n; i++) o[i] = (c[i] as number) + off; return o; });
  const nBig = new Float64Array(Gb);
  for (let i = 0; i < n; i++) nBig[cb[i] as number] += w ? (w[i] as number) : 1;
  // S = D_o'WD_o − B' diag(1/nBig) B, with B the big × other cross weights
  const S = new Float64Array(r * r);
  for (let i = 0; i < n; i++) {
    const wi = w ? (w[i] as number) : 1;
    for (let a = 0; a < oc.length; a++) {
      const ja = (oc[a] as Int32Array)[i] as number;
      S[ja * r + ja] += wi;
      for (let b = a + 1; b < oc.length; b++) { const jb = (oc[b] as Int32Array)[i] as number; S[ja * r + jb] += wi; S[jb * r + ja] += wi; }
    }
  }
  const start = new Int32Array(Gb + 1);
  for (let i = 0; i < n; i++) start[(cb[i] as number) + 1]++;
  for (let h = 0; h < Gb; h++) start[h + 1] += start[h] as number;
  const fill = start.slice(0, Gb);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[fill[cb[i] as number]++ as number] = i;
  const scratch = new Float64Array(r);
  const touched = new Int32Array(Math.max(r, 1));
  const rowPtr = new Int32Array(Gb + 1);
  const colList: number[] = [];
  const valList: number[] = [];
  for (let h = 0; h < Gb; h++) {
    let nt = 0;
    for (let p = start[h] as number; p < (start[h + 1] as number); p++) {
      const i = order[p] as number;
      const wi = w ? (w[i] as number) : 1;
      for (let a = 0; a < oc.length; a++) { const j = (oc[a] as Int32Array)[i] as number; if (scratch[j] === 0) touched[nt++] = j; scratch[j] += wi; }
    }
    const inv = 1 / (nBig[h] as number);
    for (let s = 0; s < nt; s++) {
      const j = touched[s] as number;
      const bj = scratch[j] as number;
      colList.push(j); valList.push(bj);
      const f = bj * inv;
      for (let t = 0; t < nt; t++) { const kk = touched[t] as number; S[j * r + kk] -= f * (scratch[kk] as number); }
    }
    for (let s = 0; s < nt; s++) scratch[touched[s] as number] = 0;
    rowPtr[h + 1] = colList.length;
  }
  const col = Int32Array.from(colList), val = Float64Array.from(valList);
  const diag0 = new Float64Array(r);
  for (let j = 0; j < r; j++) diag0[j] = S[j * r + j] as number;
  const L = S;
  const dependent = new Uint8Array(r);
  for (let j = 0; j < r; j++) {
    const rj = j * r;
    let d = L[rj + j] as number;
    for (let kk = 0; kk < j; kk++) d -= (L[rj + kk] as number) ** 2;
    if (d <= pivotTol * Math.max(diag0[j] as number, 1e-300)) { dependent[j] = 1; for (let i = j; i < r; i++) L[i * r + j] = 0; continue; }
    const ljj = Math.sqrt(d);
    L[rj + j] = ljj;
    for (let i = j + 1; i < r; i++) {
      const ri = i * r;
      let s = L[ri + j] as number;
      for (let kk = 0; kk < j; kk++) s -= (L[ri + kk] as number) * (L[rj + kk] as number);
      L[ri + j] = s / ljj;
    }
  }
  const o0 = oc[0], o1 = oc[1];
  return {
    big: cb, others: oc, nBigLevels: Gb, r, weights: w,
    groupSums(x, sBig, rhs) {
      sBig.fill(0); rhs.fill(0);
      if (oc.length === 2 && !w) {
        const a0 = o0 as Int32Array, a1 = o1 as Int32Array;
        for (let i = 0; i < n; i++) { const v = x[i] as number; sBig[cb[i] as number] += v; rhs[a0[i] as number] += v; rhs[a1[i] as number] += v; }
      } else if (oc.length === 1 && !w) {
        const a0 = o0 as Int32Array;
        for (let i = 0; i < n; i++) { const v = x[i] as number; sBig[cb[i] as number] += v; rhs[a0[i] as number] += v; }
      } else {
        for (let i = 0; i < n; i++) {
          const v = w ? (w[i] as number) * (x[i] as number) : (x[i] as number);
          sBig[cb[i] as number] += v;
          for (let a = 0; a < oc.length; a++) rhs[(oc[a] as Int32Array)[i] as number] += v;
        }
      }
    },
    solve(sBig, rhs, alphaBig) {
      for (let h = 0; h < Gb; h++) {
        const f = (sBig[h] as number) / (nBig[h] as number);
        for (let p = rowPtr[h] as number; p < (rowPtr[h + 1] as number); p++) rhs[col[p] as number] -= (val[p] as number) * f;
      }
      const z = rhs;
      for (let j = 0; j < r; j++) {
        if (dependent[j]) { z[j] = 0; continue; }
        let s = z[j] as number;
        const rj = j * r;
        for (let kk = 0; kk < j; kk++) s -= (L[rj + kk] as number) * (z[kk] as number);
        z[j] = s / (L[rj + j] as number);
      }
      for (let j = r - 1; j >= 0; j--) {
        if (dependent[j]) { z[j] = 0; continue; }
        let s = z[j] as number;
        for (let i = j + 1; i < r; i++) s -= (L[i * r + j] as number) * (z[i] as number);
        z[j] = s / (L[j * r + j] as number);
      }
      for (let h = 0; h < Gb; h++) {
        let s = sBig[h] as number;
        for (let p = rowPtr[h] as number; p < (rowPtr[h + 1] as number); p++) s -= (val[p] as number) * (z[col[p] as number] as number);
        alphaBig[h] = s / (nBig[h] as number);
      }
    },
  };
}
