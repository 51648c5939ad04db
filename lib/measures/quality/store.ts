import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CandidateRows } from "./prepare";

/**
 * Year partitions of candidate rows (`CandidateRows`) kept on disk between the passes of the
 * out-of-core quality step: one raw binary file per partition — four Int32 columns (HS6,
 * destination, firm and city codes) and the Float64 columns (value, ln p, ln q, the
 * instrument, controls), 48 bytes a row without controls — written once and read back into
 * typed arrays for each pass: no parsing, one partition in memory at a time. The year is one
 * number per partition and the destination × year code is rebuilt from it; rows keep the order
 * they were written in (the (firm, HS6, year) order of `candidateRows({ groupOrder: true })`).
 * The folder is removed by `dispose()`.
 *
 * @example
 *   const s = new PartitionStore(os.tmpdir(), 0, 16);
 *   s.write(rows2005); s.read(0).lnp; s.dispose();
 */
export class PartitionStore {
  readonly dir: string;
  private readonly sizes: number[] = [];
  private readonly yearOf: number[] = [];
  private buffer: ArrayBuffer | null = null;
  private codes: Int32Array | null = null;
  constructor(
    parent: string | undefined,
    private readonly nControls: number,
    private readonly nYears: number,
  ) {
    this.dir = fs.mkdtempSync(path.join(parent ?? os.tmpdir(), "vagg-quality-"));
  }
  get count(): number {
    return this.sizes.length;
  }
  private bytesOf(n: number): number {
    return n * (4 * 4 + (4 + this.nControls) * 8);
  }
  /** Bytes written so far. */
  get bytes(): number {
    return this.sizes.reduce((s, n) => s + this.bytesOf(n), 0);
  }
  /** Append a partition (rows of one year, in (firm, HS6, year) order); returns its index. */
  write(r: CandidateRows): number {
    const k = this.sizes.length;
    const yi = r.n ? (r.yi[0] as number) : 0;
    for (let i = 0; i < r.n; i++)
      if (r.yi[i] !== yi) throw new Error(`internal: a partition of the out-of-core store holds more than one year`);
    if (r.order) throw new Error(`internal: the out-of-core store expects rows in (firm, HS6, year) order`);
    const fd = fs.openSync(path.join(this.dir, `p${k}.bin`), "w");
    try {
      for (const a of [r.h, r.dst, r.g, r.c, r.value, r.lnp, r.lnq, r.z, ...r.controls])
        fs.writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    } finally {
      fs.closeSync(fd);
    }
    this.sizes.push(r.n);
    this.yearOf.push(yi);
    return k;
  }
  /**
   * Partition k as typed arrays: views on buffers reused by the next `read` (read partitions one
   * at a time and copy what must outlive the pass; the pages of a pass over gigabytes are then
   * not faulted in and zeroed again for every partition).
   */
  read(k: number): CandidateRows {
    const n = this.sizes[k] as number;
    const file = path.join(this.dir, `p${k}.bin`);
    const bytes = this.bytesOf(n);
    const most = Math.max(...this.sizes);
    if (!this.buffer || this.buffer.byteLength < bytes) this.buffer = new ArrayBuffer(this.bytesOf(most));
    if (!this.codes || this.codes.length < 2 * n) this.codes = new Int32Array(2 * most);
    const buf = this.buffer;
    const fd = fs.openSync(file, "r");
    try {
      let off = 0;
      while (off < bytes) {
        const len = Math.min(bytes - off, 1 << 30);
        const got = fs.readSync(fd, new Uint8Array(buf, off, len), 0, len, off);
        if (got <= 0) throw new Error(`${file}: short read (${off} of ${bytes} bytes)`);
        off += got;
      }
    } finally {
      fs.closeSync(fd);
    }
    const i32 = (j: number) => new Int32Array(buf, j * n * 4, n);
    const f64 = (j: number) => new Float64Array(buf, 16 * n + j * n * 8, n);
    const dst = i32(1);
    const yi = this.codes.subarray(0, n).fill(this.yearOf[k] as number),
      d = this.codes.subarray(n, 2 * n);
    const Y = this.nYears,
      y = this.yearOf[k] as number;
    for (let i = 0; i < n; i++) d[i] = (dst[i] as number) * Y + y;
    return {
      n,
      h: i32(0),
      d,
      dst,
      g: i32(2),
      c: i32(3),
      yi,
      value: f64(0),
      lnp: f64(1),
      lnq: f64(2),
      z: f64(3),
      controls: Array.from({ length: this.nControls }, (_, j) => f64(4 + j)),
      order: null,
    };
  }
  dispose(): void {
    this.buffer = null;
    this.codes = null;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
