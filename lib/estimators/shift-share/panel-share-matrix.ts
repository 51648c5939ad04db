import { ArgumentError } from "../../util/errors";
import { shareMatrix } from "./share-matrix";
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
  const periods = [...new Set(Array.from({ length: n }, (_, i) => (time[i] as number) - lag))].sort((a, b) => a - b);
  const periodIndex = new Map(periods.map((p, j) => [p, j]));
  const T = periods.length;
  const inds = [...indIndex.keys()];
  const rows: number[] = [];
  const secs: number[] = [];
  const vals: number[] = [];
  let without = 0;
  for (let i = 0; i < n; i++) {
    const list = byUnit.get(String(unit[i]));
    if (!list) {
      without++;
      continue;
    }
    const p = periodIndex.get((time[i] as number) - lag) as number;
    for (const e of list) {
      rows.push(i);
      secs.push(e.ind * T + p);
      vals.push(e.share);
    }
  }
  return {
    W: shareMatrix(rows, secs, vals, n, inds.length * T),
    shockIndustry: inds.flatMap((s) => periods.map(() => s)),
    shockTime: inds.flatMap(() => periods),
    rowsWithoutShares: without,
  };
}
