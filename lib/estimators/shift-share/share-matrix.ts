import { ArgumentError } from "../../util/errors";
import type { ShareMatrix } from "./types";

/**
 * Build the sparse share matrix W of a shift-share design x_i = Σ_s w_is g_s from long
 * (row, sector, share) triplets, e.g. ShiftShareSE's `ADH$W` stored long. Rows and sectors are
 * 0-based indices; duplicated (row, sector) pairs are summed; zero shares are kept out.
 *
 * Formula: W[i, s] = Σ_{k: row_k = i, sector_k = s} share_k.
 *
 * @example
 *   const W = shareMatrix([0, 0, 1], [0, 2, 1], [0.3, 0.1, 0.5], 2, 3);
 *   W.rowPtr; // Int32Array [0, 2, 3]
 */
export function shareMatrix(
  rows: ArrayLike<number>,
  sectors: ArrayLike<number>,
  shares: ArrayLike<number>,
  nRows: number,
  nSectors: number,
): ShareMatrix {
  const m = rows.length;
  if (sectors.length !== m || shares.length !== m) throw new ArgumentError("shareMatrix: rows, sectors and shares differ in length");
  // counting sort of the triplets by row (validated on the way), then within each row by
  // sector (rows hold few entries: insertion sort), summing repeats and leaving out zeros
  const count = new Int32Array(nRows + 1);
  for (let k = 0; k < m; k++) {
    const i = rows[k] as number;
    const s = sectors[k] as number;
    const v = shares[k] as number;
    if (!(Number.isInteger(i) && i >= 0 && i < nRows)) throw new ArgumentError(`shareMatrix: row ${i} outside 0..${nRows - 1}`);
    if (!(Number.isInteger(s) && s >= 0 && s < nSectors)) throw new ArgumentError(`shareMatrix: sector ${s} outside 0..${nSectors - 1}`);
    if (!Number.isFinite(v)) throw new ArgumentError(`shareMatrix: share of row ${i}, sector ${s} is not finite`);
    if (v !== 0) count[i + 1]++;
  }
  for (let i = 0; i < nRows; i++) count[i + 1] += count[i] as number;
  const fill = count.slice(0, nRows);
  const sec = new Int32Array(count[nRows] as number);
  const val = new Float64Array(sec.length);
  for (let k = 0; k < m; k++) {
    const v = shares[k] as number;
    if (v === 0) continue;
    const p = fill[rows[k] as number]++ as number;
    sec[p] = sectors[k] as number;
    val[p] = v;
  }
  const rowPtr = new Int32Array(nRows + 1);
  let out = 0;
  for (let i = 0; i < nRows; i++) {
    const a = count[i] as number,
      b = count[i + 1] as number;
    for (let p = a + 1; p < b; p++) {
      const sp = sec[p] as number,
        vp = val[p] as number;
      let q = p - 1;
      while (q >= a && (sec[q] as number) > sp) {
        sec[q + 1] = sec[q] as number;
        val[q + 1] = val[q] as number;
        q--;
      }
      sec[q + 1] = sp;
      val[q + 1] = vp;
    }
    // compact in place (out ≤ p always): repeated sectors summed
    for (let p = a; p < b; p++) {
      if (out > (rowPtr[i] as number) && sec[out - 1] === sec[p]) val[out - 1] = (val[out - 1] as number) + (val[p] as number);
      else {
        sec[out] = sec[p] as number;
        val[out++] = val[p] as number;
      }
    }
    rowPtr[i + 1] = out;
  }
  const secOut = out === sec.length ? sec : sec.slice(0, out);
  const valOut = out === val.length ? val : val.slice(0, out);
  return { nRows, nSectors, rowPtr, sectors: secOut, values: valOut };
}
