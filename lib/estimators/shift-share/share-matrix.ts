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
  const byRow: Map<number, number>[] = Array.from({ length: nRows }, () => new Map());
  for (let k = 0; k < m; k++) {
    const i = rows[k] as number;
    const s = sectors[k] as number;
    const v = shares[k] as number;
    if (!(Number.isInteger(i) && i >= 0 && i < nRows)) throw new ArgumentError(`shareMatrix: row ${i} outside 0..${nRows - 1}`);
    if (!(Number.isInteger(s) && s >= 0 && s < nSectors)) throw new ArgumentError(`shareMatrix: sector ${s} outside 0..${nSectors - 1}`);
    if (!Number.isFinite(v)) throw new ArgumentError(`shareMatrix: share of row ${i}, sector ${s} is not finite`);
    if (v === 0) continue;
    const row = byRow[i] as Map<number, number>;
    row.set(s, (row.get(s) ?? 0) + v);
  }
  const rowPtr = new Int32Array(nRows + 1);
  for (let i = 0; i < nRows; i++) rowPtr[i + 1] = (rowPtr[i] as number) + (byRow[i] as Map<number, number>).size;
  const nnz = rowPtr[nRows] as number;
  const sec = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  for (let i = 0; i < nRows; i++) {
    const entries = [...(byRow[i] as Map<number, number>).entries()].sort((a, b) => a[0] - b[0]);
    let k = rowPtr[i] as number;
    for (const [s, v] of entries) {
      sec[k] = s;
      val[k++] = v;
    }
  }
  return { nRows, nSectors, rowPtr, sectors: sec, values: val };
}
