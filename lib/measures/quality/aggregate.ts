import { table, type Table } from "../../data/table";
import { sortBy, iota, type KeyCodes } from "./prepare";
import { mapF64 } from "../../util/typed-map";
import type { SourceDict } from "./source";

/**
 * EQ (20)–(21) on typed arrays: min–max normalisation of quality within HS6 over the whole
 * estimation sample, and export-value-weighted means of rqua at the firm × HS6 × year,
 * city × HS6 × year and city × HS4 × year levels, sorted as the SQL `ORDER BY` of the keys
 * (firm id, city code ascending; HS codes in byte order; year).
 *
 *   rqua_i     = (qua_i − min_h qua) / (max_h qua − min_h qua)          (20)
 *   Quality_k  = Σ_{i∈k} v_i rqua_i / Σ_{i∈k} v_i                       (21)
 *
 * Rows are first summed to firm × city × HS6 × year records (per partition; a year partition
 * holds whole records), then the records to the coarser levels.
 */

/** Per-HS6 minimum and maximum of the raw quality qua = ε̂/(σ − 1) (eq. 19). */
export class QualityBounds {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  constructor(nHs6: number) {
    this.lo = new Float64Array(nHs6).fill(Infinity);
    this.hi = new Float64Array(nHs6).fill(-Infinity);
  }
  add(h: number, q: number): void {
    if (q < (this.lo[h] as number)) this.lo[h] = q;
    if (q > (this.hi[h] as number)) this.hi[h] = q;
  }
  /** Whether the HS6 has a quality range (max > min; otherwise (20) is undefined). */
  hasRange(h: number): boolean {
    return (this.hi[h] as number) > (this.lo[h] as number);
  }
  /** rqua of (20), NaN without a range. */
  rqua(h: number, q: number): number {
    const lo = this.lo[h] as number,
      hi = this.hi[h] as number;
    return hi > lo ? (q - lo) / (hi - lo) : NaN;
  }
}

/** The rows one partition contributes to (21): codes, value, and the (firm, HS6, year) order of `candidateRows`. */
export interface AggregateRows {
  readonly n: number;
  readonly g: Int32Array;
  readonly c: Int32Array;
  readonly h: Int32Array;
  readonly yi: Int32Array;
  readonly value: Float64Array;
  /** The (firm, HS6, year) order of the rows; null: they are in that order. */
  readonly order: Int32Array | null;
}

/** The records of one partition: keys and sums. */
interface RecordChunk {
  readonly g: Int32Array;
  readonly c: Int32Array;
  readonly h: Int32Array;
  readonly yi: Int32Array;
  readonly sv: Float64Array;
  readonly sw: Float64Array;
  readonly cnt: Float64Array;
}

/** Firm × city × HS6 × year sums Σ v·rqua, Σ v and n, accumulated partition by partition. */
export class FirmRecords {
  private readonly chunks: RecordChunk[] = [];
  /**
   * Add the rows of one partition with rqua defined (NaN rows are skipped). A record is a run
   * of `order` (firm, HS6, year), split by city when a firm reports several cities for one
   * product and year. Records must not straddle partitions (true for the whole source and for
   * year partitions: the year is part of the key). Each partition's records are kept in arrays
   * of their exact length.
   */
  add(r: AggregateRows, rqua: Float64Array): void {
    const o = r.order;
    const m = r.n;
    const G = new Int32Array(m),
      C = new Int32Array(m),
      Hh = new Int32Array(m),
      Yi = new Int32Array(m),
      SV = new Float64Array(m),
      SW = new Float64Array(m),
      N = new Float64Array(m);
    let k = 0;
    const emit = (rows: ArrayLike<number>, from: number, to: number) => {
      const i0 = rows[from] as number;
      let sv = 0,
        sw = 0;
      for (let t = from; t < to; t++) {
        const i = rows[t] as number;
        const v = r.value[i] as number;
        sv += v * (rqua[i] as number);
        sw += v;
      }
      G[k] = r.g[i0] as number;
      C[k] = r.c[i0] as number;
      Hh[k] = r.h[i0] as number;
      Yi[k] = r.yi[i0] as number;
      SV[k] = sv;
      SW[k] = sw;
      N[k] = to - from;
      k++;
    };
    const live = new Int32Array(m);
    let nl = 0;
    if (o) {
      for (let t = 0; t < m; t++) if (!Number.isNaN(rqua[o[t] as number] as number)) live[nl++] = o[t] as number;
    } else for (let i = 0; i < m; i++) if (!Number.isNaN(rqua[i] as number)) live[nl++] = i;
    for (let a = 0; a < nl;) {
      const i0 = live[a] as number;
      let b = a + 1,
        oneCity = true;
      while (b < nl) {
        const i = live[b] as number;
        if (r.g[i] !== r.g[i0] || r.h[i] !== r.h[i0] || r.yi[i] !== r.yi[i0]) break;
        if (r.c[i] !== r.c[i0]) oneCity = false;
        b++;
      }
      if (oneCity) emit(live, a, b);
      else {
        // a firm reporting several cities for one product and year: one record per city
        const run = Array.from(live.subarray(a, b)).sort((x, y) => (r.c[x] as number) - (r.c[y] as number) || x - y);
        for (let s = 0; s < run.length;) {
          let e = s + 1;
          while (e < run.length && r.c[run[e] as number] === r.c[run[s] as number]) e++;
          emit(run, s, e);
          s = e;
        }
      }
      a = b;
    }
    this.chunks.push({
      g: G.slice(0, k),
      c: C.slice(0, k),
      h: Hh.slice(0, k),
      yi: Yi.slice(0, k),
      sv: SV.slice(0, k),
      sw: SW.slice(0, k),
      cnt: N.slice(0, k),
    });
  }
  /**
   * The three tables of (21), sorted as SQL `ORDER BY` their keys: firm (firm_id, city_code,
   * hs6, hs4, year), hs6 (city_code, hs6, hs4, year) and cityHs4Year (city_code, hs4, year).
   * Firm level: each partition's records are put in key order (already so when firm and city
   * codes are ranks and a firm reports one city per product and year) and the partitions are
   * merged (k-way, sequential reads); the coarser levels are summed in hash tables on the
   * composite key and written in key order.
   */
  tables(dict: SourceDict, firms: KeyCodes, cities: KeyCodes): { cityHs4Year: Table; hs6: Table; firm: Table } {
    const P = dict.products;
    const H = Math.max(P.hs6.length, 1),
      H4 = Math.max(P.hs4.length, 1),
      Y = Math.max(dict.years.length, 1),
      F = Math.max(firms.size, 1),
      C = Math.max(cities.size, 1);
    const fr = firms.ranks(),
      cr = cities.ranks();
    if (F * C * H * Y >= 2 ** 53 || C * H * Y >= 2 ** 53)
      throw new Error(`internal: composite keys exceed 2^53 (${F} firms, ${C} cities, ${H} HS6, ${Y} years)`);
    // 1. every chunk in (firm rank, city rank, hs6, year) order, with its composite key, and its
    //    sums at the (city, hs6, year) and (city, hs4, year) levels in key order
    const l6: SortedSums[] = [],
      l4: SortedSums[] = [];
    const runs = this.chunks.map((ch) => {
      const n = ch.g.length;
      const key = new Float64Array(n);
      let sorted = true;
      for (let i = 0; i < n; i++) {
        key[i] =
          (((fr[ch.g[i] as number] as number) * C + (cr[ch.c[i] as number] as number)) * H + (ch.h[i] as number)) * Y +
          (ch.yi[i] as number);
        if (i > 0 && (key[i] as number) < (key[i - 1] as number)) sorted = false;
      }
      // the coarser levels of this chunk (sequential reads; a hash table of the chunk's keys)
      const a6 = new KeySums(),
        a4 = new KeySums();
      for (let i = 0; i < n; i++) {
        const cRank = cr[ch.c[i] as number] as number,
          h = ch.h[i] as number,
          yi = ch.yi[i] as number;
        a6.add((cRank * H + h) * Y + yi, ch.sv[i] as number, ch.sw[i] as number, ch.cnt[i] as number);
        a4.add((cRank * H4 + (P.hs4Of[h] as number)) * Y + yi, ch.sv[i] as number, ch.sw[i] as number, ch.cnt[i] as number);
      }
      l6.push(a6.sorted());
      l4.push(a4.sorted());
      if (sorted) return { ch, key, order: null } as Run;
      let o = sortBy(iota(n), mapHy(ch.h, ch.yi, Y), H * Y);
      o = sortBy(o, mapI32of(ch.c, cr), C);
      o = sortBy(o, mapI32of(ch.g, fr), F);
      return { ch, key, order: o } as Run;
    });
    this.chunks.length = 0;
    const N = runs.reduce((s2, r) => s2 + r.key.length, 0);
    // 2. k-way merge into the firm table (a binary heap of run heads)
    const fId = new Float64Array(N),
      fCity = new Float64Array(N),
      fHs6 = new Array<string>(N),
      fHs4 = new Array<string>(N),
      fYear = new Float64Array(N),
      fQ = new Float64Array(N),
      fV = new Float64Array(N),
      fN = new Float64Array(N);
    mergeRuns(runs, (j, ch, i) => {
      const g = ch.g[i] as number,
        c = ch.c[i] as number,
        h = ch.h[i] as number,
        yi = ch.yi[i] as number,
        sv = ch.sv[i] as number,
        sw = ch.sw[i] as number,
        cnt = ch.cnt[i] as number;
      const h4 = P.hs4Of[h] as number;
      fId[j] = firms.values[g] as number;
      fCity[j] = cities.values[c] as number;
      fHs6[j] = P.hs6[h] as string;
      fHs4[j] = P.hs4[h4] as string;
      fYear[j] = dict.years[yi] as number;
      fQ[j] = sv / sw;
      fV[j] = sw;
      fN[j] = cnt;
    });
    const firm = table({ firm_id: fId, city_code: fCity, hs6: fHs6, hs4: fHs4, year: fYear, quality: fQ, value: fV, n: fN });
    // 3. the coarser levels in key order
    const cityOfRank = new Float64Array(C);
    for (let c = 0; c < cities.size; c++) cityOfRank[cr[c] as number] = cities.values[c] as number;
    const level = (lists: SortedSums[], K: number, names: readonly string[]) => {
      const e = mergeSums(lists);
      const m = e.keys.length;
      const city = new Float64Array(m),
        code = new Array<string>(m),
        hs4s = new Array<string>(m),
        year = new Float64Array(m);
      for (let j = 0; j < m; j++) {
        const k = e.keys[j] as number;
        const yi = k % Y,
          rest = (k - yi) / Y;
        const x = rest % K,
          cRank = (rest - x) / K;
        city[j] = cityOfRank[cRank] as number;
        year[j] = dict.years[yi] as number;
        if (K === H) {
          code[j] = P.hs6[x] as string;
          hs4s[j] = P.hs4[P.hs4Of[x] as number] as string;
        } else hs4s[j] = P.hs4[x] as string;
      }
      const quality = mapF64(m, (j) => (e.s1[j] as number) / (e.s2[j] as number));
      return table(
        names.includes("hs6")
          ? { city_code: city, hs6: code, hs4: hs4s, year, quality, value: e.s2, n: e.s3 }
          : { city_code: city, hs4: hs4s, year, quality, value: e.s2, n: e.s3 },
      );
    };
    const hs6 = level(l6, H, ["hs6"]);
    const cityHs4Year = level(l4, H4, []);
    return { cityHs4Year, hs6, firm };
  }
}

/** A partition's records in key order: the records, their composite keys, and the order (null: as stored). */
interface Run {
  readonly ch: RecordChunk;
  readonly key: Float64Array;
  readonly order: Int32Array | null;
}

/**
 * k-way merge of runs sorted by key (ties: run order), calling emit(j, r, i) for the j-th
 * element in key order: row i of run r (i = order[p] when the run has an order). A binary heap
 * of run indices on their head keys; one run is a plain scan.
 */
function mergeKeys(
  keys: readonly Float64Array[],
  orders: readonly (Int32Array | null)[],
  emit: (j: number, r: number, i: number) => void,
): void {
  const R = keys.length;
  if (R === 1) {
    const o = orders[0] ?? null;
    const n = (keys[0] as Float64Array).length;
    for (let p = 0; p < n; p++) emit(p, 0, o ? (o[p] as number) : p);
    return;
  }
  const pos = new Int32Array(R),
    head = new Float64Array(R),
    len = new Int32Array(R);
  const rowOf = (r: number, p: number): number => {
    const o = orders[r] ?? null;
    return o ? (o[p] as number) : p;
  };
  for (let r = 0; r < R; r++) {
    const k = keys[r] as Float64Array;
    len[r] = k.length;
    head[r] = k.length ? (k[rowOf(r, 0)] as number) : Infinity;
  }
  const heap = iota(R);
  const siftDown = (): void => {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= R) return;
      const hi = heap[i] as number,
        hl = heap[l] as number;
      let m = i,
        hm = hi;
      if ((head[hl] as number) < (head[hm] as number) || ((head[hl] as number) === (head[hm] as number) && hl < hm)) {
        m = l;
        hm = hl;
      }
      if (l + 1 < R) {
        const hr = heap[l + 1] as number;
        if ((head[hr] as number) < (head[hm] as number) || ((head[hr] as number) === (head[hm] as number) && hr < hm)) {
          m = l + 1;
          hm = hr;
        }
      }
      if (m === i) return;
      heap[i] = hm;
      heap[m] = hi;
      i = m;
    }
  };
  // a sorted array is a heap (R, the number of partitions, is small)
  const init = Array.from(heap).sort((a, b) => (head[a] as number) - (head[b] as number) || a - b);
  init.forEach((r, i) => (heap[i] = r));
  let total = 0;
  for (let r = 0; r < R; r++) total += len[r] as number;
  for (let j = 0; j < total; j++) {
    const r = heap[0] as number;
    const p = pos[r] as number;
    emit(j, r, rowOf(r, p));
    const q = p + 1;
    pos[r] = q;
    head[r] = q < (len[r] as number) ? ((keys[r] as Float64Array)[rowOf(r, q)] as number) : Infinity;
    siftDown();
  }
}

/** The records of the runs in key order (see `mergeKeys`). */
function mergeRuns(runs: readonly Run[], emit: (j: number, ch: RecordChunk, i: number) => void): void {
  mergeKeys(
    runs.map((r) => r.key),
    runs.map((r) => r.order),
    (j, r, i) => emit(j, (runs[r] as Run).ch, i),
  );
}

/** Sums by key, keys ascending. */
interface SortedSums {
  readonly keys: Float64Array;
  readonly s1: Float64Array;
  readonly s2: Float64Array;
  readonly s3: Float64Array;
}

/** Several key-sorted sum lists as one (sums of equal keys added). */
function mergeSums(lists: readonly SortedSums[]): SortedSums {
  if (lists.length === 1) return lists[0] as SortedSums;
  const total = lists.reduce((s, l) => s + l.keys.length, 0);
  const keys = new Float64Array(total),
    s1 = new Float64Array(total),
    s2 = new Float64Array(total),
    s3 = new Float64Array(total);
  let m = -1;
  mergeKeys(
    lists.map((l) => l.keys),
    lists.map(() => null),
    (_j, r, i) => {
      const l = lists[r] as SortedSums;
      const k = l.keys[i] as number;
      if (m < 0 || keys[m] !== k) {
        m++;
        keys[m] = k;
      }
      s1[m] += l.s1[i] as number;
      s2[m] += l.s2[i] as number;
      s3[m] += l.s3[i] as number;
    },
  );
  return { keys: keys.subarray(0, m + 1), s1: s1.subarray(0, m + 1), s2: s2.subarray(0, m + 1), s3: s3.subarray(0, m + 1) };
}

function mapHy(h: Int32Array, yi: Int32Array, Y: number): Int32Array {
  const o = new Int32Array(h.length);
  for (let i = 0; i < h.length; i++) o[i] = (h[i] as number) * Y + (yi[i] as number);
  return o;
}
function mapI32of(codes: Int32Array, table: Int32Array): Int32Array {
  const o = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) o[i] = table[codes[i] as number] as number;
  return o;
}

/**
 * Sums of three quantities by a non-negative integer key (< 2^53), in an open-addressing hash
 * table (key and sums interleaved: one cache line per update); `sorted()` lists them by key.
 */
class KeySums {
  private tab = new Float64Array(4 * 1024).fill(-1);
  private mask = 1023;
  private size = 0;
  private readonly f = new Float64Array(1);
  private readonly u = new Uint32Array(this.f.buffer);
  private slot(k: number): number {
    this.f[0] = k;
    const x = Math.imul((this.u[0] as number) ^ Math.imul(this.u[1] as number, 0x85ebca6b), 0x9e3779b1);
    return (x ^ (x >>> 15)) & this.mask;
  }
  add(k: number, a: number, b: number, c: number): void {
    let p = this.slot(k);
    const t = this.tab;
    for (;;) {
      const q = 4 * p;
      const kq = t[q] as number;
      if (kq === k) {
        t[q + 1] += a;
        t[q + 2] += b;
        t[q + 3] += c;
        return;
      }
      if (kq === -1) {
        t[q] = k;
        t[q + 1] = a;
        t[q + 2] = b;
        t[q + 3] = c;
        if (2 * ++this.size > this.mask + 1) this.grow();
        return;
      }
      p = (p + 1) & this.mask;
    }
  }
  private grow(): void {
    const old = this.tab;
    const cap = 2 * (this.mask + 1);
    this.tab = new Float64Array(4 * cap).fill(-1);
    this.mask = cap - 1;
    for (let q = 0; q < old.length; q += 4) {
      const k = old[q] as number;
      if (k === -1) continue;
      let p = this.slot(k);
      while ((this.tab[4 * p] as number) !== -1) p = (p + 1) & this.mask;
      this.tab.set(old.subarray(q, q + 4), 4 * p);
    }
  }
  sorted(): SortedSums {
    const t = this.tab;
    const keys = new Float64Array(this.size);
    let m = 0;
    for (let q = 0; q < t.length; q += 4) if ((t[q] as number) !== -1) keys[m++] = t[q] as number;
    keys.sort();
    const s1 = new Float64Array(m),
      s2 = new Float64Array(m),
      s3 = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const k = keys[j] as number;
      let p = this.slot(k);
      while ((t[4 * p] as number) !== k) p = (p + 1) & this.mask;
      s1[j] = t[4 * p + 1] as number;
      s2[j] = t[4 * p + 2] as number;
      s3[j] = t[4 * p + 3] as number;
    }
    return { keys, s1, s2, s3 };
  }
}
