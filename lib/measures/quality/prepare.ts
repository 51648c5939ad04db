import type { PartitionColumns, SourceDict } from "./source";

/**
 * Rows of one partition after rules 1–4, on typed arrays (lib/measures/quality.ts): codes for
 * firms and cities, the rule-3 chapter flag, and the leave-one-out instrument of (18) — the
 * mean log unit value of the same firm, HS6 and year in the *other* destinations,
 * z_i = (Σ_{j∈g(i)} ln p_j − ln p_i)/(n_g − 1) — by a stable radix sort on (year, HS6, firm)
 * instead of a SQL group-by and join. Every dropped row is tallied (`StepTally`).
 */

/**
 * Dense integer codes of numeric keys (firm ids, city codes) in order of first appearance,
 * with their ranks in ascending order (NaN last) for sorted output. An open-addressing hash
 * table on the doubles' bits (a JS Map costs several times more per lookup at 10⁷ rows).
 *
 * @example
 *   const k = new KeyCodes(); k.code(3201000007); k.code(12); k.ranks(); // Int32Array [1, 0]
 */
export class KeyCodes {
  private keys = new Float64Array(1 << 12);
  private slots = new Int32Array(1 << 12).fill(-1);
  private mask = (1 << 12) - 1;
  private nanCode = -1;
  private readonly f = new Float64Array(1);
  private readonly u = new Uint32Array(this.f.buffer);
  readonly values: number[] = [];
  /** Codes seeded with `sorted` (ascending, NaN last): code = rank for these values. */
  constructor(sorted?: ArrayLike<number>) {
    if (sorted) for (let i = 0; i < sorted.length; i++) this.code(sorted[i] as number);
  }
  private slot(v: number): number {
    this.f[0] = v;
    const x = Math.imul((this.u[0] as number) ^ Math.imul(this.u[1] as number, 0x85ebca6b), 0x9e3779b1);
    return (x ^ (x >>> 15)) & this.mask;
  }
  /** The code of value v (a new code for a new value; −0 is 0, all NaN are one value). */
  code(v: number): number {
    if (v !== v) {
      if (this.nanCode < 0) {
        this.nanCode = this.values.length;
        this.values.push(NaN);
      }
      return this.nanCode;
    }
    if (v === 0) v = 0;
    let p = this.slot(v);
    for (;;) {
      const c = this.slots[p] as number;
      if (c < 0) break;
      if (this.keys[p] === v) return c;
      p = (p + 1) & this.mask;
    }
    const k = this.values.length;
    this.values.push(v);
    this.keys[p] = v;
    this.slots[p] = k;
    if (2 * (k + 1) > this.slots.length) this.grow();
    return k;
  }
  private grow(): void {
    const cap = this.slots.length * 2;
    this.keys = new Float64Array(cap);
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.values.forEach((v, k) => {
      if (v !== v) return;
      let p = this.slot(v);
      while ((this.slots[p] as number) >= 0) p = (p + 1) & this.mask;
      this.keys[p] = v;
      this.slots[p] = k;
    });
  }
  get size(): number {
    return this.values.length;
  }
  /** rank[code]: position of the value in ascending order (NaN sorts last, as SQL NULLS LAST). */
  ranks(): Int32Array {
    const n = this.values.length;
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
      const x = this.values[a] as number,
        y = this.values[b] as number;
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
      if (Number.isNaN(y)) return -1;
      return x - y;
    });
    const r = new Int32Array(n);
    order.forEach((c, i) => (r[c] = i));
    return r;
  }
}

/** 0, 1, …, n − 1. @example iota(3) // Int32Array [0, 1, 2] */
export function iota(n: number): Int32Array {
  const o = new Int32Array(n);
  for (let i = 0; i < n; i++) o[i] = i;
  return o;
}

/** A growable Int32Array (append, then `view()`). */
export class GrowI32 {
  a = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  view(): Int32Array {
    return this.a.subarray(0, this.n);
  }
}
/** A growable Float64Array (append, then `view()`). */
export class GrowF64 {
  a = new Float64Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  view(): Float64Array {
    return this.a.subarray(0, this.n);
  }
}

/**
 * Stable counting sort of the row indices `idx` by `key[row]` ∈ [0, K): one pass of an LSD
 * radix sort (sort by the least significant key first).
 *
 * @example sortBy(Int32Array.of(0, 1, 2), Int32Array.of(2, 0, 2), 3) // Int32Array [1, 0, 2]
 */
export function sortBy(idx: Int32Array, key: Int32Array, K: number): Int32Array {
  const cnt = new Int32Array(K + 1);
  const n = idx.length;
  for (let i = 0; i < n; i++) cnt[(key[idx[i] as number] as number) + 1]++;
  for (let k = 0; k < K; k++) cnt[k + 1] += cnt[k] as number;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const r = idx[i] as number;
    out[cnt[key[r] as number]++ as number] = r;
  }
  return out;
}

/**
 * Where each row ended up, as a level L: 1–3 rules 1–3, 4 rule 4 (no other destination),
 * 5 rule 5 (small HS6), 6 removed by the estimator (fixed-effect singletons, missing
 * controls), 7 HS6 without a quality range (max = min), 8 in the aggregates. A step k keeps
 * the rows with L > k; the tally keeps rows and export value per level and, per HS6 and per
 * firm, the highest level of any of its rows (so the distinct HS6 and firms left after step
 * k are those whose highest level exceeds k).
 */
export class StepTally {
  readonly rows = new Float64Array(9);
  readonly value = new Float64Array(9);
  readonly hMax: Uint8Array;
  private fMax = new Uint8Array(1024);
  constructor(nHs6: number) {
    this.hMax = new Uint8Array(nHs6);
  }
  /** Count a row at level L (HS6 code h, firm code g, export value v; only v > 0 enters the value sums, as the SQL filter did). */
  add(L: number, h: number, g: number, v: number): void {
    this.rows[L]++;
    if (v > 0) this.value[L] += v;
    if ((this.hMax[h] as number) < L) this.hMax[h] = L;
    if (g >= this.fMax.length) {
      const f = new Uint8Array(Math.max(g + 1, this.fMax.length * 2));
      f.set(this.fMax);
      this.fMax = f;
    }
    if ((this.fMax[g] as number) < L) this.fMax[g] = L;
  }
  /** Rows, export value, distinct HS6 and firms left after step k (rows with L > k). */
  left(k: number): { rows: number; value: number; hs6: number; firms: number } {
    let rows = 0,
      value = 0,
      hs6 = 0,
      firms = 0;
    for (let l = k + 1; l <= 8; l++) {
      rows += this.rows[l] as number;
      value += this.value[l] as number;
    }
    for (let h = 0; h < this.hMax.length; h++) if ((this.hMax[h] as number) > k) hs6++;
    for (let g = 0; g < this.fMax.length; g++) if ((this.fMax[g] as number) > k) firms++;
    return { rows, value, hs6, firms };
  }
}

/** The rows of a partition that pass rules 1–4 (they have the instrument), in scan order or (firm, HS6, year) order. */
export interface CandidateRows {
  readonly n: number;
  readonly h: Int32Array;
  /** Destination × year code: dest code × number of years + year index (sorted by dest, then year). */
  readonly d: Int32Array;
  /** Destination code (sorted destinations). */
  readonly dst: Int32Array;
  readonly g: Int32Array;
  readonly c: Int32Array;
  readonly yi: Int32Array;
  readonly value: Float64Array;
  readonly lnp: Float64Array;
  readonly lnq: Float64Array;
  /** Leave-one-out mean log unit value (the instrument). */
  readonly z: Float64Array;
  readonly controls: Float64Array[];
  /** The rows sorted by (firm, HS6, year) (a firm × HS6 × year record is a run of this order); null: the rows are in that order. */
  readonly order: Int32Array | null;
}

/**
 * Rules 1–4 on one partition's rows (and rule 5 when `rule5` is given: the partition is the
 * whole sample): rules 1–2 come flagged from SQL, rule 3 from the HS6 dictionary; the
 * leave-one-out instrument is computed over the rows that pass rules 1–3,
 * grouped by (firm, HS6, year) with a stable radix sort (the sums run in scan order, as
 * DuckDB's single-threaded group-by did); rows of groups with one destination fail rule 4.
 * Dropped rows are tallied; firm and city codes are assigned in `firms`/`cities`.
 */
export function candidateRows(
  p: PartitionColumns,
  dict: SourceDict,
  firms: KeyCodes,
  cities: KeyCodes,
  tally: StepTally,
  opts: { readonly rule5?: { readonly minObs: number }; readonly groupOrder?: boolean } = {},
): CandidateRows & { readonly nprod: Float64Array; readonly smallHs6: number } {
  const rule5 = opts.rule5;
  const n = p.n;
  const chapter = dict.products.chapter;
  const y0 = dict.years.length ? (dict.years[0] as number) : 0;
  const Y = dict.years.length;
  const yIndex = new Int32Array(Y ? (dict.years[Y - 1] as number) - y0 + 1 : 0).fill(-1);
  dict.years.forEach((y, i) => (yIndex[y - y0] = i));
  const g = new Int32Array(n),
    yi = new Int32Array(n);
  const keep = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const gi = firms.code(p.firm[i] as number);
    const h = p.h[i] as number;
    g[i] = gi;
    yi[i] = yIndex[(p.year[i] as number) - y0] as number;
    const r = p.rule[i] as number;
    const L = r > 0 ? r : chapter[h] ? 3 : 0;
    if (L > 0) tally.add(L, h, gi, p.value[i] as number);
    else keep[m++] = i;
  }
  // leave-one-out over (firm, HS6, year): LSD radix sort by (HS6, year), then firm
  const H = Math.max(dict.products.hs6.length, 1);
  const hy = new Int32Array(n);
  for (let t = 0; t < m; t++) {
    const i = keep[t] as number;
    hy[i] = (p.h[i] as number) * Math.max(Y, 1) + (yi[i] as number);
  }
  let idx = sortBy(keep.subarray(0, m), hy, H * Math.max(Y, 1));
  idx = sortBy(idx, g, Math.max(firms.size, 1));
  const z = new Float64Array(n);
  const lnp = p.lnp;
  for (let a = 0; a < m;) {
    const r0 = idx[a] as number;
    let b = a + 1;
    while (b < m) {
      const r = idx[b] as number;
      if (g[r] !== g[r0] || hy[r] !== hy[r0]) break;
      b++;
    }
    const k = b - a;
    if (k === 1) z[r0] = NaN;
    else {
      let s = 0;
      for (let t = a; t < b; t++) s += lnp[idx[t] as number] as number;
      for (let t = a; t < b; t++) {
        const r = idx[t] as number;
        z[r] = (s - (lnp[r] as number)) / (k - 1);
      }
    }
    a = b;
  }
  // rule 4; the rest are the candidates, in scan order
  let q = 0;
  const nprod = new Float64Array(dict.products.hs6.length);
  for (let t = 0; t < m; t++) {
    const i = keep[t] as number;
    if (Number.isNaN(z[i] as number)) tally.add(4, p.h[i] as number, g[i] as number, p.value[i] as number);
    else {
      keep[q++] = i;
      nprod[p.h[i] as number]++;
    }
  }
  // rule 5 when this partition is the whole sample (HS6 with fewer than minObs rows with the instrument)
  let smallHs6 = 0;
  if (rule5) {
    const small = Uint8Array.from(nprod, (v) => (v < rule5.minObs ? 1 : 0));
    for (let h = 0; h < nprod.length; h++) if (small[h] && (nprod[h] as number) > 0) smallHs6++;
    let q2 = 0;
    for (let t = 0; t < q; t++) {
      const i = keep[t] as number;
      const h = p.h[i] as number;
      if (small[h]) tally.add(5, h, g[i] as number, p.value[i] as number);
      else keep[q2++] = i;
    }
    q = q2;
  }
  let rows = keep.subarray(0, q);
  let order: Int32Array | null = null;
  if (opts.groupOrder) {
    // the candidates themselves in (firm, HS6, year) order
    const kept = new Uint8Array(n);
    for (let t = 0; t < q; t++) kept[rows[t] as number] = 1;
    const sorted = new Int32Array(q);
    let o = 0;
    for (let t = 0; t < m; t++) if (kept[idx[t] as number]) sorted[o++] = idx[t] as number;
    rows = sorted;
  } else {
    // scan order, and the (firm, HS6, year) order as positions among the candidates
    const pos = new Int32Array(n).fill(-1);
    for (let t = 0; t < q; t++) pos[rows[t] as number] = t;
    order = new Int32Array(q);
    let o = 0;
    for (let t = 0; t < m; t++) {
      const c = pos[idx[t] as number] as number;
      if (c >= 0) order[o++] = c;
    }
  }
  const pick = <T extends Float64Array | Int32Array>(a: T): T => {
    const o = new (a.constructor as { new (n: number): T })(q);
    for (let t = 0; t < q; t++) o[t] = a[rows[t] as number] as number;
    return o;
  };
  const c = new Int32Array(q);
  for (let t = 0; t < q; t++) c[t] = cities.code(p.city[rows[t] as number] as number);
  const dst = pick(p.dst),
    yq = pick(yi);
  const d = new Int32Array(q);
  for (let t = 0; t < q; t++) d[t] = (dst[t] as number) * Y + (yq[t] as number);
  return {
    n: q,
    h: pick(p.h),
    d,
    dst,
    g: pick(g),
    c,
    yi: yq,
    value: pick(p.value),
    lnp: pick(p.lnp),
    lnq: pick(p.lnq),
    z: pick(z),
    controls: p.controls.map(pick),
    order,
    nprod,
    smallHs6,
  };
}
