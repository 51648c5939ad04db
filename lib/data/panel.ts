import { ArgumentError, DataError } from "../util/errors";
import { type Column, NA_INT, isNA } from "./table";

/**
 * Panel tools on typed arrays: lags and leads by panel id and time, winsorisation,
 * linear interpolation within panel, standardisation, location quotients.
 *
 * Panel ids may be any column (numbers or strings); time must be integer-valued
 * (years). Every function that changes values reports how many it changed, so that
 * nothing is altered silently.
 */

/** Group rows by panel id; returns, per row, the dense id (0..G-1) and the number of groups. */
export function denseIds(id: Column): { ids: Int32Array; levels: (string | number)[] } {
  const n = id.length;
  const ids = new Int32Array(n);
  const map = new Map<string | number, number>();
  const levels: (string | number)[] = [];
  for (let i = 0; i < n; i++) {
    if (isNA(id, i)) { ids[i] = -1; continue; }
    const v = id[i] as string | number;
    let k = map.get(v);
    if (k === undefined) { k = levels.length; map.set(v, k); levels.push(v); }
    ids[i] = k;
  }
  return { ids, levels };
}

function timeValues(time: Column, name = "time"): Float64Array {
  const out = new Float64Array(time.length);
  for (let i = 0; i < time.length; i++) {
    if (isNA(time, i)) { out[i] = NaN; continue; }
    const v = Number(time[i]);
    if (!Number.isInteger(v)) throw new DataError(`time must be integer-valued, found ${String(time[i])}`, { column: name, row: i + 1 });
    out[i] = v;
  }
  return out;
}

/**
 * `x` shifted by `k` periods within panel: lag for k > 0 (value at t − k), lead for k < 0.
 * Uses the time value, not the row order: a gap in the panel gives NA, as Stata's `L.` does.
 * A duplicated (id, time) pair is an error naming the row.
 *
 * @example lagPanel(gdp, city, year, 1) // L.gdp
 */
export function lagPanel(x: Float64Array, id: Column, time: Column, k = 1): Float64Array {
  if (!Number.isInteger(k)) throw new ArgumentError(`lag must be an integer, got ${k}`);
  const n = x.length;
  if (id.length !== n || time.length !== n) throw new ArgumentError(`x, id and time must have the same length`);
  const { ids } = denseIds(id);
  const t = timeValues(time);
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (ids[i] === -1 || Number.isNaN(t[i] as number)) continue;
    const key = `${ids[i]}|${t[i]}`;
    if (index.has(key)) throw new DataError(`duplicate (panel id, time) = (${String(id[i])}, ${t[i]}); first at row ${(index.get(key) as number) + 1}`, { row: i + 1 });
    index.set(key, i);
  }
  const out = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (ids[i] === -1 || Number.isNaN(t[i] as number)) continue;
    const j = index.get(`${ids[i]}|${(t[i] as number) - k}`);
    if (j !== undefined) out[i] = x[j] as number;
  }
  return out;
}

/** Lead: `leadPanel(x, id, t, 1)` is F.x. */
export function leadPanel(x: Float64Array, id: Column, time: Column, k = 1): Float64Array {
  return lagPanel(x, id, time, -k);
}

export interface Changed<T> {
  readonly values: T;
  /** How many values were changed. */
  readonly changed: number;
}

/**
 * Quantile with linear interpolation between order statistics (R's type 7, Stata's
 * `_pctile` differs slightly; type 7 is also numpy's default). NaN values are ignored.
 */
export function quantile(x: ArrayLike<number>, p: number): number {
  const v: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i] as number)) v.push(x[i] as number);
  if (v.length === 0) return NaN;
  const s = Float64Array.from(v).sort();
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return (s[lo] as number) + (h - lo) * ((s[hi] as number) - (s[lo] as number));
}

/**
 * Winsorise at the `lower` and `upper` quantiles (default 1 % and 99 %, type-7 quantiles
 * over non-missing values): values below/above are set to the quantile. Returns the new
 * array and how many values changed. Optionally by group (e.g. by year).
 *
 * @example winsorize(x, { lower: 0.01, upper: 0.99 }).changed
 */
export function winsorize(x: Float64Array, opts: { lower?: number; upper?: number; by?: Column } = {}): Changed<Float64Array> & { bounds: [number, number][] } {
  const lower = opts.lower ?? 0.01;
  const upper = opts.upper ?? 0.99;
  if (!(lower >= 0 && lower < upper && upper <= 1)) throw new ArgumentError(`winsorize: need 0 <= lower < upper <= 1, got ${lower}, ${upper}`);
  const out = Float64Array.from(x);
  const groups = opts.by ? denseIds(opts.by) : { ids: new Int32Array(x.length), levels: [0] };
  const members: number[][] = groups.levels.map(() => []);
  for (let i = 0; i < x.length; i++) if ((groups.ids[i] as number) >= 0) (members[groups.ids[i] as number] as number[]).push(i);
  let changed = 0;
  const bounds: [number, number][] = [];
  for (const rows of members) {
    const vals = rows.map((i) => x[i] as number);
    const lo = quantile(vals, lower);
    const hi = quantile(vals, upper);
    bounds.push([lo, hi]);
    for (const i of rows) {
      const v = x[i] as number;
      if (Number.isNaN(v)) continue;
      if (v < lo) { out[i] = lo; changed++; }
      else if (v > hi) { out[i] = hi; changed++; }
    }
  }
  return { values: out, changed, bounds };
}

/**
 * Linear interpolation of missing values within panel, between the nearest non-missing
 * earlier and later observations in time (Stata `ipolate`): leading and trailing gaps stay
 * missing (no extrapolation unless `extrapolate: true`, which extends the nearest two points' line).
 * Returns the new array and the number of values filled.
 */
export function interpolatePanel(x: Float64Array, id: Column, time: Column, opts: { extrapolate?: boolean } = {}): Changed<Float64Array> {
  const n = x.length;
  const { ids, levels } = denseIds(id);
  const t = timeValues(time);
  const rowsBy: number[][] = levels.map(() => []);
  for (let i = 0; i < n; i++) if ((ids[i] as number) >= 0 && !Number.isNaN(t[i] as number)) (rowsBy[ids[i] as number] as number[]).push(i);
  const out = Float64Array.from(x);
  let changed = 0;
  for (const rows of rowsBy) {
    rows.sort((a, b) => (t[a] as number) - (t[b] as number));
    const known = rows.filter((i) => Number.isFinite(x[i] as number));
    if (known.length === 0) continue;
    let k = 0;
    for (const i of rows) {
      if (Number.isFinite(x[i] as number)) continue;
      const ti = t[i] as number;
      while (k + 1 < known.length && (t[known[k + 1] as number] as number) < ti) k++;
      let a = known[k] as number;
      let b = known[k + 1];
      if ((t[a] as number) > ti) { b = a; a = -1; }
      if (a >= 0 && b !== undefined && (t[b] as number) > ti) {
        const w = (ti - (t[a] as number)) / ((t[b] as number) - (t[a] as number));
        out[i] = (x[a] as number) + w * ((x[b] as number) - (x[a] as number));
        changed++;
      } else if (opts.extrapolate && known.length >= 2) {
        const [p, q] = a < 0 ? [known[0] as number, known[1] as number] : [known[known.length - 2] as number, known[known.length - 1] as number];
        const slope = ((x[q] as number) - (x[p] as number)) / ((t[q] as number) - (t[p] as number));
        out[i] = (x[p] as number) + slope * (ti - (t[p] as number));
        changed++;
      }
    }
  }
  return { values: out, changed };
}

/** (x − mean)/sd over non-missing values (sd with n − 1). A constant column is an error. */
export function standardize(x: Float64Array, name = "x"): Float64Array {
  let n = 0, s = 0;
  for (const v of x) if (!Number.isNaN(v)) { n++; s += v; }
  const m = s / n;
  let ss = 0;
  for (const v of x) if (!Number.isNaN(v)) ss += (v - m) * (v - m);
  const sd = Math.sqrt(ss / (n - 1));
  if (!(sd > 0)) throw new DataError(`cannot standardise: the column is constant or has fewer than 2 values`, { column: name });
  return x.map((v) => (v - m) / sd);
}

/**
 * Location quotient LQ_{rj} = (e_{rj}/e_r) / (E_j/E), for rows of region r × industry j
 * with an activity measure e (employment, output, firm counts) — Isard (1960), the
 * standard measure of regional specialisation. Totals are taken over the rows given
 * (optionally within a period column), missing values excluded. A region or industry with a
 * zero total gives NaN for its rows (0/0), reported in `undefinedRows`.
 *
 * @example locationQuotient(emp, city, industry).values
 */
export function locationQuotient(e: Float64Array, region: Column, industry: Column, period?: Column): { values: Float64Array; undefinedRows: number } {
  const n = e.length;
  const r = denseIds(region).ids;
  const j = denseIds(industry).ids;
  const p = period ? denseIds(period).ids : new Int32Array(n);
  const tot = new Map<string, number>();
  const add = (k: string, v: number) => tot.set(k, (tot.get(k) ?? 0) + v);
  for (let i = 0; i < n; i++) {
    const v = e[i] as number;
    if (!Number.isFinite(v) || r[i] === -1 || j[i] === -1 || p[i] === -1) continue;
    add(`r${p[i]}|${r[i]}`, v);
    add(`j${p[i]}|${j[i]}`, v);
    add(`a${p[i]}`, v);
  }
  const out = new Float64Array(n).fill(NaN);
  let undef = 0;
  for (let i = 0; i < n; i++) {
    const v = e[i] as number;
    if (!Number.isFinite(v) || r[i] === -1 || j[i] === -1 || p[i] === -1) continue;
    const er = tot.get(`r${p[i]}|${r[i]}`) as number;
    const ej = tot.get(`j${p[i]}|${j[i]}`) as number;
    const all = tot.get(`a${p[i]}`) as number;
    const lq = (v / er) / (ej / all);
    if (Number.isFinite(lq)) out[i] = lq;
    else undef++;
  }
  return { values: out, undefinedRows: undef };
}

export { NA_INT };
