import type { Decoder } from "./encoding";

/** Distinct values a memo holds at most; a column with more decodes its further values one by one. */
const MAX_ENTRIES = 1 << 16;

/**
 * A memo of one string column's decoded values, keyed by their bytes: the same bytes give the
 * same string object, decoded once. A column of 616,591 city names with 300 distinct values
 * costs 300 decodings instead of 616,591 — and downstream, where the column is hashed into fixed
 * effects or joined, V8 hashes each string object once (it caches a string's hash in the object).
 *
 * Method: an open-addressing hash table (linear probing, load ≤ 1/2) of FNV-1a hashes of the
 * bytes (Fowler, Noll and Vo 1991), each entry's bytes kept in an arena and compared byte by byte
 * on a hash match, so a collision never returns another value's string. The decoder must be a
 * pure function of the bytes (not the encoding probe of `autoProbe`, which counts every field).
 *
 * @example
 *   const memo = new StringMemo((b, s, e) => b.toString("utf8", s, e));
 *   memo.get(Buffer.from("北京市"), 0, 9) === memo.get(Buffer.from("x北京市"), 1, 10);   // true: one string
 */
export class StringMemo {
  private slots = new Int32Array(1024);
  private start = new Int32Array(512);
  private len = new Int32Array(512);
  private hash = new Int32Array(512);
  private values: string[] = [];
  private arena = new Uint8Array(65536);
  private used = 0;

  constructor(private readonly decode: Decoder) {}

  /** The decoded string of bytes [s, e) of `buf` (memoised). */
  get(buf: Buffer, s: number, e: number): string {
    const L = e - s;
    let h = -2128831035; // FNV-1a offset basis 0x811c9dc5
    for (let p = s; p < e; p++) h = Math.imul(h ^ (buf[p] as number), 16777619);
    const mask = this.slots.length - 1;
    let at = h & mask;
    for (;;) {
      const id = (this.slots[at] as number) - 1;
      if (id < 0) break;
      if (this.hash[id] === h && this.len[id] === L) {
        const o = this.start[id] as number, a = this.arena;
        let p = 0;
        while (p < L && a[o + p] === buf[s + p]) p++;
        if (p === L) return this.values[id] as string;
      }
      at = (at + 1) & mask;
    }
    const v = this.decode(buf, s, e);
    const id = this.values.length;
    if (id >= MAX_ENTRIES) return v;
    if (id === this.start.length) {
      const grow = (a: Int32Array): Int32Array => { const b = new Int32Array(2 * a.length); b.set(a); return b; };
      this.start = grow(this.start);
      this.len = grow(this.len);
      this.hash = grow(this.hash);
    }
    if (this.used + L > this.arena.length) {
      const a = new Uint8Array(Math.max(2 * this.arena.length, this.used + L));
      a.set(this.arena.subarray(0, this.used));
      this.arena = a;
    }
    this.arena.set(buf.subarray(s, e), this.used);
    this.start[id] = this.used;
    this.len[id] = L;
    this.hash[id] = h;
    this.used += L;
    this.values.push(v);
    this.slots[at] = id + 1;
    if (2 * this.values.length > this.slots.length) this.rehash();
    return v;
  }

  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let q = 0; q < this.values.length; q++) {
      let t = (this.hash[q] as number) & mask;
      while (slots[t] !== 0) t = (t + 1) & mask;
      slots[t] = q + 1;
    }
    this.slots = slots;
  }
}
