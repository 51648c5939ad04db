import { type Column, type Table, column, isNA, numeric, table } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { asArray, compositeKeys, groupRows, keyAt, keyColumns, keysOf, numberAt } from "../data/keys";

/** Group, item, time, value and quality columns and the lag of `melitzPolanec`. */
export interface MelitzPolanecOptions {
  group: string | readonly string[];
  item: string;
  time: string;
  value: string;
  quality: string;
  /** Period gap between the two periods compared. Default 1. */
  lag?: number;
}

/** Counts of absent rows and undefined pairs of `melitzPolanec`. */
export interface MelitzPolanecReport {
  rows: number;
  /** Rows treated as absent: value ≤ 0 / NA, or quality NA. */
  absentRows: number;
  pairs: number;
  /** Group-period pairs without survivors (components NaN). */
  noSurvivorPairs: number;
}

/**
 * Dynamic Olley–Pakes decomposition of Melitz & Polanec (2015, RAND J. Econ. 46(2): 362–375,
 * "Dynamic Olley-Pakes productivity decomposition with entry and exit"), applied to export
 * quality as in EQ §5.1, eq. (23) (Zhao et al. 2022), for every group (city, or city × HS4)
 * and every pair of periods (t − lag, t):
 *
 *   Φ_t   = Σ_i s_it q_it,      s_it = v_it / Σ_j v_jt        (value shares within group-period)
 *   ΔΦ    = Φ_2 − Φ_1
 *         = (Φ_S2 − Φ_S1) + s_E2 (Φ_E2 − Φ_S2) + s_X1 (Φ_S1 − Φ_X1)
 *   Φ_St  = q̄_St + cov_St,  q̄ = unweighted mean over survivors,
 *           cov_St = Σ_{i∈S} (s_it/s_St − 1/n_S)(q_it − q̄_St)
 *   within  = q̄_S2 − q̄_S1          between = cov_S2 − cov_S1
 *   entry   = s_E2 (Φ_E2 − Φ_S2)     exit    = s_X1 (Φ_S1 − Φ_X1)
 *   gap     = between + entry + exit (the "reallocation" effect, Griliches & Regev 1995 as cited)
 *
 * S = items observed in both periods (survivors), E = only in period 2 (entrants), X = only in
 * period 1 (exiters); Φ_G is the share-weighted mean of group G with shares renormalised within
 * G and s_G its total share. Each component is computed from its own definition and `total` is
 * Φ_2 − Φ_1 computed directly, so within + between + entry + exit = total is a real check.
 * (The printed text defines Δq̄_S as q̄_S1 − q̄_S2; that is a typo — with it the terms would not
 * add up to Δqua. We use q̄_S2 − q̄_S1.)
 *
 * Conventions: an item is *present* in a period when its value is finite and > 0 and its
 * quality finite; rows with value ≤ 0 or NA/NaN value or quality are treated as absent and counted.
 * No entrants → entry = 0; no exiters → exit = 0; no survivors → within, between, entry, exit and
 * gap are NaN (the decomposition is undefined) and the pair is counted; total stays defined.
 * A pair (t − lag, t) is produced only when the group has at least one present item in both
 * periods. Duplicate (group, item, time) rows are a DataError.
 *
 * @example
 *   // group A: t=1: a(v2,q.5) b(v1,q.8) c(v1,q.2);  t=2: a(v3,q.6) b(v1,q.9) d(v2,q.9)
 *   melitzPolanec(t, { group: "city", item: "hs6", time: "year", value: "v", quality: "q" }).table;
 *   // total .25 = within .1 + between −.025 + entry .075 + exit .1
 */
export function melitzPolanec(t: Table, o: MelitzPolanecOptions): { table: Table; report: MelitzPolanecReport } {
  const lag = o.lag ?? 1;
  if (!(lag > 0)) throw new ArgumentError(`lag must be positive, got ${lag}`);
  const gNames = asArray(o.group);
  const gk = compositeKeys(t, gNames);
  // a numeric item column keys the items by its values (equal values, equal keys, as their text);
  // any other by its text
  const itemCol = column(t, o.item);
  const numericItems = itemCol instanceof Float64Array || itemCol instanceof Int32Array;
  const items: readonly (string | null)[] = numericItems ? [] : keysOf(itemCol);
  const itemNA = (i: number): boolean => (numericItems ? isNA(itemCol, i) : items[i] === null);
  const itemName = (i: number): string | null => (numericItems ? keyAt(itemCol, i) : (items[i] as string | null));
  const tc = column(t, o.time);
  const v = numeric(t, o.value);
  const q = numeric(t, o.quality);
  const groups = groupRows(gk);
  let absentRows = 0;
  for (let i = 0; i < t.nrows; i++)
    if (gk[i] === null || itemNA(i)) throw new DataError("NA group or item key", { file: t.source, row: i + 1 });

  const outRep: number[] = [];
  const cols = {
    t0: [] as number[],
    t1: [] as number[],
    total: [] as number[],
    within: [] as number[],
    between: [] as number[],
    entry: [] as number[],
    exit: [] as number[],
    gap: [] as number[],
    phi0: [] as number[],
    phi1: [] as number[],
    n_s: [] as number[],
    n_e: [] as number[],
    n_x: [] as number[],
    s_e2: [] as number[],
    s_x1: [] as number[],
  };
  let noSurvivorPairs = 0;

  // items as numbers (their values, or codes of their text: one string lookup per row); each period of a group keeps its items in
  // row order (codes, values, qualities) with a code → position index, so every sum below runs over
  // the same items in the same order as a map keyed by the item would
  let itemCode: ArrayLike<number>;
  if (numericItems) itemCode = itemCol;
  else {
    const codes = new Int32Array(t.nrows);
    const dict = new Map<string, number>();
    for (let i = 0; i < t.nrows; i++) {
      const k = items[i] as string;
      let c = dict.get(k);
      if (c === undefined) dict.set(k, (c = dict.size));
      codes[i] = c;
    }
    itemCode = codes;
  }
  type Period = { codes: number[]; v: number[]; q: number[]; at: Map<number, number> };
  for (let g = 0; g < groups.keys.length; g++) {
    const byTime = new Map<number, Period>();
    const seen = new Map<number, Set<number>>();
    for (const i of groups.rows[g] as number[]) {
      const tt = numberAt(tc, i, t.source, o.time);
      if (Number.isNaN(tt)) throw new DataError("NA time", { file: t.source, column: o.time, row: i + 1 });
      const code = itemCode[i] as number;
      let st = seen.get(tt);
      if (!st) seen.set(tt, (st = new Set()));
      if (st.has(code))
        throw new DataError(`duplicate (group, item, time) for item "${itemName(i)}", time ${tt}`, { file: t.source, row: i + 1 });
      st.add(code);
      const vi = v[i] as number;
      const qi = q[i] as number;
      if (!(vi > 0) || !Number.isFinite(vi) || !Number.isFinite(qi)) {
        absentRows++;
        continue;
      }
      let m = byTime.get(tt);
      if (!m) byTime.set(tt, (m = { codes: [], v: [], q: [], at: new Map() }));
      m.at.set(code, m.codes.length);
      m.codes.push(code);
      m.v.push(vi);
      m.q.push(qi);
    }
    const times = [...byTime.keys()].sort((a, b) => a - b);
    for (const t1 of times) {
      const t0 = t1 - lag;
      const p0 = byTime.get(t0);
      const p1 = byTime.get(t1) as Period;
      if (!p0) continue;
      let V0 = 0;
      let V1 = 0;
      for (const x of p0.v) V0 += x;
      for (const x of p1.v) V1 += x;
      let phi0 = 0;
      let phi1 = 0;
      for (let a = 0; a < p0.v.length; a++) phi0 += ((p0.v[a] as number) / V0) * (p0.q[a] as number);
      for (let a = 0; a < p1.v.length; a++) phi1 += ((p1.v[a] as number) / V1) * (p1.q[a] as number);
      // sets (item codes, in the order of their period's rows)
      const S: number[] = [];
      const X: number[] = [];
      const E: number[] = [];
      for (const k of p0.codes) (p1.at.has(k) ? S : X).push(k);
      for (const k of p1.codes) if (!p0.at.has(k)) E.push(k);
      const groupStats = (p: Period, V: number, ks: number[]) => {
        let s = 0;
        let sq = 0;
        let mean = 0;
        for (const k of ks) {
          const a = p.at.get(k) as number;
          const ev = p.v[a] as number,
            eq = p.q[a] as number;
          s += ev / V;
          sq += (ev / V) * eq;
          mean += eq;
        }
        mean /= ks.length;
        return { s, phi: sq / s, mean };
      };
      const cov = (p: Period, ks: number[], mean: number) => {
        let VS = 0;
        for (const k of ks) VS += p.v[p.at.get(k) as number] as number;
        let c = 0;
        for (const k of ks) {
          const a = p.at.get(k) as number;
          c += ((p.v[a] as number) / VS - 1 / ks.length) * ((p.q[a] as number) - mean);
        }
        return c;
      };
      let within = NaN;
      let between = NaN;
      let entry = NaN;
      let exit = NaN;
      let sE2 = 0;
      let sX1 = 0;
      if (S.length === 0) noSurvivorPairs++;
      else {
        const S0 = groupStats(p0, V0, S);
        const S1 = groupStats(p1, V1, S);
        within = S1.mean - S0.mean;
        between = cov(p1, S, S1.mean) - cov(p0, S, S0.mean);
        if (E.length) {
          const e = groupStats(p1, V1, E);
          sE2 = e.s;
          entry = e.s * (e.phi - S1.phi);
        } else entry = 0;
        if (X.length) {
          const x = groupStats(p0, V0, X);
          sX1 = x.s;
          exit = x.s * (S0.phi - x.phi);
        } else exit = 0;
      }
      outRep.push(groups.first[g] as number);
      cols.t0.push(t0);
      cols.t1.push(t1);
      cols.total.push(phi1 - phi0);
      cols.within.push(within);
      cols.between.push(between);
      cols.entry.push(entry);
      cols.exit.push(exit);
      cols.gap.push(between + entry + exit);
      cols.phi0.push(phi0);
      cols.phi1.push(phi1);
      cols.n_s.push(S.length);
      cols.n_e.push(E.length);
      cols.n_x.push(X.length);
      cols.s_e2.push(sE2);
      cols.s_x1.push(sX1);
    }
  }
  const out: Record<string, Column> = keyColumns(t, gNames, outRep);
  for (const [k, arr] of Object.entries(cols)) out[k] = Float64Array.from(arr);
  return { table: table(out, t.source), report: { rows: t.nrows, absentRows, pairs: outRep.length, noSurvivorPairs } };
}
