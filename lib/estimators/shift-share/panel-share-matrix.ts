import { ArgumentError } from "../../util/errors";
import type { ShareMatrix } from "./types";

/** Base-period shares of units across industries (one entry per unit × industry). */
export interface BaseShares {
  readonly unit: ArrayLike<unknown>;
  readonly industry: ArrayLike<unknown>;
  readonly share: ArrayLike<number>;
}

/** The share matrix of a panel shift-share and the (industry, period) label of each shock. */
export interface PanelShareMatrix {
  readonly W: ShareMatrix;
  readonly shockIndustry: string[];
  readonly shockTime: number[];
  /** Panel rows whose unit has no base shares (their W row is empty). */
  readonly rowsWithoutShares: number;
}

/**
 * The share matrix of a panel shift-share x_{ct} = Σ_s share_{c,s} g_{s,t−lag} (a Bartik index
 * with fixed base-period shares and industry × period shifts, e.g. EQ (22)): the shocks are the
 * pairs k = (s, t − lag) and row (c, t) loads share_{c,s} on shock (s, t − lag) only — so that
 * AKM treats every industry-period shift as one shock (Adão, Kolesár & Morales 2019, QJE,
 * Section V; Borusyak, Hull & Jaravel 2022, ReStud, Section 4.1 on panel shift-shares).
 * Shocks are numbered by industry (first appearance in `shares`) then period (ascending).
 *
 * Formula: W[(c,t), (s,τ)] = share_{c,s} · 1[τ = t − lag].
 *
 * @example
 *   const { W, shockIndustry } = panelShareMatrix(panel.city, panel.year, { unit, industry, share });
 */
export function panelShareMatrix(unit: ArrayLike<unknown>, time: ArrayLike<number>, shares: BaseShares, lag = 0): PanelShareMatrix {
  const n = unit.length;
  if (time.length !== n) throw new ArgumentError("panelShareMatrix: unit and time differ in length");
  const m = shares.unit.length;
  if (shares.industry.length !== m || shares.share.length !== m)
    throw new ArgumentError("panelShareMatrix: share columns differ in length");
  const byUnit = new Map<string, { ind: number; share: number }[]>();
  const indIndex = new Map<string, number>();
  for (let k = 0; k < m; k++) {
    const u = String(shares.unit[k]);
    const s = String(shares.industry[k]);
    if (!indIndex.has(s)) indIndex.set(s, indIndex.size);
    const list = byUnit.get(u) ?? [];
    list.push({ ind: indIndex.get(s) as number, share: shares.share[k] as number });
    byUnit.set(u, list);
  }
  const periodSet = new Set<number>();
  for (let i = 0; i < n; i++) periodSet.add((time[i] as number) - lag);
  const periods = [...periodSet].sort((a, b) => a - b);
  const periodIndex = new Map(periods.map((p, j) => [p, j]));
  const T = periods.length;
  const inds = [...indIndex.keys()];
  // each unit's shares once: sorted by industry, repeated industries summed, zeros left out
  // (as shareMatrix does); then the rows are copied straight into CSR (sectors ind·T + period
  // stay sorted within a row)
  const unitRow = new Map<string, { ind: Int32Array; share: Float64Array }>();
  for (const [u, list] of byUnit) {
    const sorted = list.filter((e) => e.share !== 0).sort((x, y) => x.ind - y.ind);
    const ind: number[] = [],
      share: number[] = [];
    for (const e of sorted) {
      if (!Number.isFinite(e.share)) throw new ArgumentError(`panelShareMatrix: share of unit ${u}, industry ${inds[e.ind]} is not finite`);
      if (ind.length && ind[ind.length - 1] === e.ind) share[share.length - 1] = (share[share.length - 1] as number) + e.share;
      else {
        ind.push(e.ind);
        share.push(e.share);
      }
    }
    unitRow.set(u, { ind: Int32Array.from(ind), share: Float64Array.from(share) });
  }
  const listOf = new Array<{ ind: Int32Array; share: Float64Array } | undefined>(n);
  let lastKey: unknown = undefined,
    last: { ind: Int32Array; share: Float64Array } | undefined;
  const rowPtr = new Int32Array(n + 1);
  let without = 0;
  for (let i = 0; i < n; i++) {
    const u = unit[i];
    if (i === 0 || u !== lastKey) {
      lastKey = u;
      last = byUnit.has(String(u)) ? unitRow.get(String(u)) : undefined;
    }
    listOf[i] = last;
    if (!last) without++;
    rowPtr[i + 1] = (rowPtr[i] as number) + (last ? last.ind.length : 0);
  }
  const sectors = new Int32Array(rowPtr[n] as number),
    values = new Float64Array(sectors.length);
  for (let i = 0; i < n; i++) {
    const e = listOf[i];
    if (!e) continue;
    const p = periodIndex.get((time[i] as number) - lag) as number;
    let k = rowPtr[i] as number;
    for (let j = 0; j < e.ind.length; j++, k++) {
      sectors[k] = (e.ind[j] as number) * T + p;
      values[k] = e.share[j] as number;
    }
  }
  const W: ShareMatrix = { nRows: n, nSectors: inds.length * T, rowPtr, sectors, values };
  return {
    W,
    shockIndustry: inds.flatMap((s) => periods.map(() => s)),
    shockTime: inds.flatMap(() => periods),
    rowsWithoutShares: without,
  };
}
