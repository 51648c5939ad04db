import { type Column, type Table, column, isNA, numeric, table } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { asArray, compositeKeys, groupRows, keyAt, keyColumns, numberAt } from "../data/keys";

/** Group, item, time, value and quality columns and the lag of `melitzPolanec`. */
export interface MelitzPolanecOptions {
  group: string | readonly string[];
  /** The item's column, or columns that together identify it (e.g. firm and HS6: a variety). */
  item: string | readonly string[];
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
  // any other by its text; several columns by the combination of theirs
  const itemNames = asArray(o.item);
  if (itemNames.length === 0) throw new ArgumentError("item: name at least one column");
  const itemCols = itemNames.map((name) => column(t, name));
  const itemNA = (i: number): boolean => itemCols.some((c) => isNA(c, i));
  const itemName = (i: number): string | null => itemCols.map((c) => keyAt(c, i)).join("|");
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

  // Items as dense codes 0..nItems−1 (equal values or texts, equal codes: one lookup per row and
  // item column; several columns are combined from their own codes, without building strings).
  const itemCode = new Int32Array(t.nrows);
  let nItems = 0;
  const colCode = new Int32Array(t.nrows);
  for (const col of itemCols) {
    const numericCol = col instanceof Float64Array || col instanceof Int32Array;
    const dict = new Map<string | number, number>();
    for (let i = 0; i < t.nrows; i++) {
      const k = numericCol ? (col[i] as number) : (col[i] as string);
      let c = dict.get(k);
      if (c === undefined) dict.set(k, (c = dict.size));
      colCode[i] = c;
    }
    if (nItems === 0) {
      itemCode.set(colCode);
      nItems = dict.size;
      continue;
    }
    // (codes so far, this column's code) → one code: prev · D + c is exact while nItems · D ≤ 2^53
    const D = dict.size;
    const combined = new Map<number | string, number>();
    const exact = nItems * D <= Number.MAX_SAFE_INTEGER;
    for (let i = 0; i < t.nrows; i++) {
      const key = exact ? (itemCode[i] as number) * D + (colCode[i] as number) : `${itemCode[i]}:${colCode[i]}`;
      let d = combined.get(key);
      if (d === undefined) combined.set(key, (d = combined.size));
      itemCode[i] = d;
    }
    nItems = combined.size;
  }
  // Each group's rows ordered by time, then by row (a stable sort of its rows), so each period is
  // one run in row order: every sum below runs over the same items in the same order as before.
  // A missing or non-numeric time is an error, raised when the group's scan in row order meets it
  // (after a duplicate met earlier in that scan, as one pass over the rows would): kept per group.
  const time = new Float64Array(t.nrows);
  const ordered = new Int32Array(t.nrows);
  const groupStart = new Int32Array(groups.keys.length + 1);
  const badTime = new Map<number, { row: number; error: unknown }>();
  {
    let at = 0;
    for (let g = 0; g < groups.keys.length; g++) {
      const rows = groups.rows[g] as number[];
      groupStart[g] = at;
      let bad = false;
      for (const i of rows) {
        let tt: number;
        try {
          tt = numberAt(tc, i, t.source, o.time);
        } catch (error) {
          badTime.set(g, { row: i, error });
          bad = true;
          break;
        }
        if (Number.isNaN(tt)) {
          badTime.set(g, { row: i, error: new DataError("NA time", { file: t.source, column: o.time, row: i + 1 }) });
          bad = true;
          break;
        }
        time[i] = tt + 0; // −0 → +0: one period (and printed time) for both zeros
      }
      const byTime = bad ? rows : rows.slice().sort((a, b) => (time[a] as number) - (time[b] as number) || a - b);
      for (const i of byTime) ordered[at++] = i;
    }
    groupStart[groups.keys.length] = at;
  }
  /** A group with a bad time: the first duplicate before that row in row order, else the time's error. */
  const throwBadGroup = (g: number, bad: { row: number; error: unknown }): never => {
    const met = new Set<string>();
    for (const i of groups.rows[g] as number[]) {
      if (i === bad.row) break;
      const key = `${time[i]}\u001f${itemCode[i]}`;
      if (met.has(key))
        throw new DataError(`duplicate (group, item, time) for item "${itemName(i)}", time ${time[i]}`, { file: t.source, row: i + 1 });
      met.add(key);
    }
    throw bad.error;
  };
  // Per item code: its position in p1 and in p0 of the pair being decomposed (valid when the
  // stamp is the pair's id); `seen` stamps the (group, time) run for the duplicate check.
  const seen = new Int32Array(nItems).fill(-1);
  const pos1 = new Int32Array(nItems),
    stamp1 = new Int32Array(nItems).fill(-1),
    pos0 = new Int32Array(nItems),
    stamp0 = new Int32Array(nItems).fill(-1);
  // One group's present rows, period after period (time, then row order): item codes, values and
  // qualities; period j is [pStart[j], pStart[j + 1]) at time pTime[j].
  let codes = new Int32Array(64),
    val = new Float64Array(64),
    qua = new Float64Array(64);
  const pStart: number[] = [];
  const pTime: number[] = [];
  // positions (into the group's arrays) of the survivors in p0 and in p1, exiters in p0, entrants in p1
  let S0 = new Int32Array(64),
    S1 = new Int32Array(64),
    Xp = new Int32Array(64),
    Ep = new Int32Array(64);
  /** s = Σ v/V, phi = Σ (v/V) q / s, mean = Σ q / len over the rows at positions ks[0..len). */
  const groupStats = (V: number, ks: Int32Array, len: number) => {
    let s = 0;
    let sq = 0;
    let mean = 0;
    for (let j = 0; j < len; j++) {
      const a = ks[j] as number;
      const ev = val[a] as number,
        eq = qua[a] as number;
      s += ev / V;
      sq += (ev / V) * eq;
      mean += eq;
    }
    mean /= len;
    return { s, phi: sq / s, mean };
  };
  /** Σ (v/V_S − 1/len)(q − mean) over the rows at positions ks[0..len), V_S their total value. */
  const cov = (ks: Int32Array, len: number, mean: number): number => {
    let VS = 0;
    for (let j = 0; j < len; j++) VS += val[ks[j] as number] as number;
    let c = 0;
    for (let j = 0; j < len; j++) {
      const a = ks[j] as number;
      c += ((val[a] as number) / VS - 1 / len) * ((qua[a] as number) - mean);
    }
    return c;
  };
  let pairId = 0;
  /** The decomposition of periods j0 (t − lag) and j1 (t) of group g, appended to the output. */
  const pair = (g: number, j0: number, j1: number): void => {
    const lo0 = pStart[j0] as number,
      hi0 = pStart[j0 + 1] as number,
      lo1 = pStart[j1] as number,
      hi1 = pStart[j1 + 1] as number;
    pairId++;
    for (let a = lo0; a < hi0; a++) {
      stamp0[codes[a] as number] = pairId;
      pos0[codes[a] as number] = a;
    }
    for (let a = lo1; a < hi1; a++) {
      stamp1[codes[a] as number] = pairId;
      pos1[codes[a] as number] = a;
    }
    let V0 = 0;
    let V1 = 0;
    for (let a = lo0; a < hi0; a++) V0 += val[a] as number;
    for (let a = lo1; a < hi1; a++) V1 += val[a] as number;
    let phi0 = 0;
    let phi1 = 0;
    for (let a = lo0; a < hi0; a++) phi0 += ((val[a] as number) / V0) * (qua[a] as number);
    for (let a = lo1; a < hi1; a++) phi1 += ((val[a] as number) / V1) * (qua[a] as number);
    // the sets, each in the order of its period's rows
    if (S0.length < hi0 - lo0) {
      const size = 2 * (hi0 - lo0);
      S0 = new Int32Array(size);
      S1 = new Int32Array(size);
      Xp = new Int32Array(size);
    }
    if (Ep.length < hi1 - lo1) Ep = new Int32Array(2 * (hi1 - lo1));
    let nS = 0,
      nX = 0,
      nE = 0;
    for (let a = lo0; a < hi0; a++) {
      const k = codes[a] as number;
      if (stamp1[k] === pairId) {
        S0[nS] = a;
        S1[nS++] = pos1[k] as number;
      } else Xp[nX++] = a;
    }
    for (let a = lo1; a < hi1; a++) if (stamp0[codes[a] as number] !== pairId) Ep[nE++] = a;
    let within = NaN;
    let between = NaN;
    let entry = NaN;
    let exit = NaN;
    let sE2 = 0;
    let sX1 = 0;
    if (nS === 0) noSurvivorPairs++;
    else {
      const s0 = groupStats(V0, S0, nS);
      const s1 = groupStats(V1, S1, nS);
      within = s1.mean - s0.mean;
      between = cov(S1, nS, s1.mean) - cov(S0, nS, s0.mean);
      if (nE) {
        const e = groupStats(V1, Ep, nE);
        sE2 = e.s;
        entry = e.s * (e.phi - s1.phi);
      } else entry = 0;
      if (nX) {
        const x = groupStats(V0, Xp, nX);
        sX1 = x.s;
        exit = x.s * (s0.phi - x.phi);
      } else exit = 0;
    }
    outRep.push(groups.first[g] as number);
    cols.t0.push((pTime[j1] as number) - lag);
    cols.t1.push(pTime[j1] as number);
    cols.total.push(phi1 - phi0);
    cols.within.push(within);
    cols.between.push(between);
    cols.entry.push(entry);
    cols.exit.push(exit);
    cols.gap.push(between + entry + exit);
    cols.phi0.push(phi0);
    cols.phi1.push(phi1);
    cols.n_s.push(nS);
    cols.n_e.push(nE);
    cols.n_x.push(nX);
    cols.s_e2.push(sE2);
    cols.s_x1.push(sX1);
  };
  let runId = 0;
  for (let g = 0; g < groups.keys.length; g++) {
    const end = groupStart[g + 1] as number;
    if (codes.length < end - (groupStart[g] as number)) {
      const size = 2 * (end - (groupStart[g] as number));
      codes = new Int32Array(size);
      val = new Float64Array(size);
      qua = new Float64Array(size);
    }
    const bad = badTime.get(g);
    if (bad) throwBadGroup(g, bad);
    pStart.length = 0;
    pTime.length = 0;
    // the first duplicate (group, item, time) in row order, as a scan of the group's rows meets it
    let dupRow = -1;
    let m = 0;
    for (let r = groupStart[g] as number; r < end;) {
      // one (group, time) run of rows
      const tt = time[ordered[r] as number] as number;
      let e = r;
      while (e < end && time[ordered[e] as number] === tt) e++;
      runId++;
      const start = m;
      for (let j = r; j < e; j++) {
        const i = ordered[j] as number;
        const code = itemCode[i] as number;
        if (seen[code] === runId) {
          if (dupRow === -1 || i < dupRow) dupRow = i;
          continue;
        }
        seen[code] = runId;
        const vi = v[i] as number;
        const qi = q[i] as number;
        if (!(vi > 0) || !Number.isFinite(vi) || !Number.isFinite(qi)) {
          absentRows++;
          continue;
        }
        codes[m] = code;
        val[m] = vi;
        qua[m++] = qi;
      }
      r = e;
      // a time with present rows is a period
      if (m > start) {
        pStart.push(start);
        pTime.push(tt);
      }
    }
    if (dupRow !== -1)
      throw new DataError(`duplicate (group, item, time) for item "${itemName(dupRow)}", time ${time[dupRow]}`, {
        file: t.source,
        row: dupRow + 1,
      });
    pStart.push(m);
    // each period t with a period at t − lag (times ascending and distinct: one pointer; where
    // t − lag rounds to t itself, the period is paired with itself, as a lookup of t − lag finds it)
    for (let j1 = 0, j0 = 0; j1 < pTime.length; j1++) {
      const want = (pTime[j1] as number) - lag;
      while (j0 < j1 && (pTime[j0] as number) < want) j0++;
      if (pTime[j0] === want) pair(g, j0, j1);
    }
  }
  const out: Record<string, Column> = keyColumns(t, gNames, outRep);
  for (const [k, arr] of Object.entries(cols)) out[k] = Float64Array.from(arr);
  return { table: table(out, t.source), report: { rows: t.nrows, absentRows, pairs: outRep.length, noSurvivorPairs } };
}
