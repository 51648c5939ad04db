import { mapCoefficientsBlock, type MapCoefficientsPlan } from "./map-coefficients";
import type { Factor } from "./factorize";

/** One demeaned column of `mapColumns`. */
export interface MapColumnResult {
  readonly residual: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** Demeaned by the worker thread (diagnostics; the numbers do not depend on it). */
  readonly inWorker?: boolean;
}

/** Below this many observation visits (n · Q · columns) the columns are demeaned in this thread: a worker's start-up (~30 ms) and the copies would cost more than they save. */
const PARALLEL_MIN_WORK = 4_000_000;

/** Columns per block of `mapCoefficientsBlock` at most (eight interleaved coefficients: one cache line). */
const BLOCK = 8;

/**
 * `mapCoefficients` on several columns of one design, in blocks of up to eight columns
 * (`mapCoefficientsBlock`: one pass over the codes serves the block), shared between this
 * thread and a worker thread when there are two cores, at least two columns and enough work
 * (n · Q · columns ≥ 4·10⁶). The columns are then cut into an even number of blocks, and both
 * threads take the next block from one shared counter until none is left: this thread starts at
 * once, the worker joins as soon as it is up (its start-up overlaps this thread's first block).
 * Each column's result is bit for bit that of `mapCoefficients` on it alone, in whichever block
 * and thread (JavaScript arithmetic is IEEE double without contraction; tested). The worker is
 * started once per process and kept (unreferenced, it does not hold the process open). If it
 * cannot start, fails, or makes no progress for 10 s on a block it took (its heartbeat counts
 * iterations), this thread demeans that block itself.
 *
 * `threads`: 1 = this thread only; 2 = with the worker whatever the size (tests); default: as above.
 *
 * @example
 *   const plan = mapCoefficientsPlan({ factors: [firm, product] });
 *   const [ry, rx] = mapColumns([y, x], plan, 1e-10, 10_000);
 */
export function mapColumns(
  columns: readonly Float64Array[],
  plan: MapCoefficientsPlan,
  tol: number,
  maxIter: number,
  threads?: number,
): MapColumnResult[] {
  const K = columns.length;
  const n = K ? (columns[0] as Float64Array).length : 0;
  const want = Math.min(2, threads ?? (availableCores() >= 2 && n * plan.factors.length * K >= PARALLEL_MIN_WORK ? 2 : 1));
  const worker = want >= 2 && K >= 2 ? mapWorker() : null;
  const here = (b: readonly number[]): MapColumnResult[] =>
    mapCoefficientsBlock(
      b.map((j) => columns[j] as Float64Array),
      plan,
      tol,
      maxIter,
    );
  const out: (MapColumnResult | undefined)[] = new Array(K);
  const put = (b: readonly number[]) => here(b).forEach((r, i) => (out[b[i] as number] = r));
  const blocks = columnBlocks(K, worker ? 2 : 1);
  if (!worker || blocks.length < 2) {
    for (const b of blocks) put(b);
    return out as MapColumnResult[];
  }
  const sp = sharedPlan(plan);
  const sab = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
  // ctrl[0]: next block to take; status[b]: 0 free, 1 taken by the worker, 2 done by the worker, 3 taken here
  const ctrl = new Int32Array(sab(4));
  const status = new Int32Array(sab(blocks.length * 4));
  const meta = new Float64Array(sab(K * 2 * 8));
  // the worker's heartbeat: +1 per iteration of any block it runs
  const progress = new Int32Array(sab(4));
  const inputs = columns.map((c) => {
    const b = sab(c.byteLength);
    new Float64Array(b, 0, n).set(c);
    return b;
  });
  worker.post({
    plan: sp,
    ctrl: ctrl.buffer,
    status: status.buffer,
    meta: meta.buffer,
    progress: progress.buffer,
    inputs,
    blocks,
    n,
    tol,
    maxIter,
  });
  for (;;) {
    const b = Atomics.add(ctrl, 0, 1);
    if (b >= blocks.length) break;
    Atomics.store(status, b, 3);
    const block = blocks[b] as number[];
    here(block).forEach((r, i) => (out[block[i] as number] = r));
  }
  // the worker's blocks: wait for each while the worker makes progress (its heartbeat moves at
  // every iteration); after 10 s without a beat — a dead worker cannot say so while this thread
  // blocks, its exit event waits for the event loop — demean the block here
  const STALL_MS = 10_000;
  for (let b = 0; b < blocks.length; b++) {
    const block = blocks[b] as number[];
    if (out[block[0] as number]) continue;
    let quiet = 0;
    let beat = Atomics.load(progress, 0);
    while (Atomics.load(status, b) !== 2 && !worker.failed() && quiet < STALL_MS) {
      Atomics.wait(status, b, Atomics.load(status, b), 50);
      const now = Atomics.load(progress, 0);
      if (now !== beat) {
        beat = now;
        quiet = 0;
      } else quiet += 50;
    }
    if (Atomics.load(status, b) === 2 && block.every((j) => meta[2 * j + 1] !== -1)) {
      // the worker wrote each residual over its shared copy of the column
      for (const j of block)
        out[j] = {
          residual: Float64Array.from(new Float64Array(inputs[j] as SharedArrayBuffer, 0, n)),
          iterations: meta[2 * j] as number,
          converged: meta[2 * j + 1] === 1,
          inWorker: true,
        };
    } else {
      worker.giveUp();
      here(block).forEach((r, i) => (out[block[i] as number] = r));
    }
  }
  return out as MapColumnResult[];
}

/**
 * K columns cut into contiguous blocks of at most eight, as even as possible, their number a
 * multiple of the threads when there are enough columns (11 columns: 6, 5; 20 columns, 2 threads: 5, 5, 5, 5).
 *
 * @example columnBlocks(11, 1) // [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]
 */
export function columnBlocks(K: number, threads: number): number[][] {
  if (K === 0) return [];
  const fewest = Math.ceil(K / BLOCK);
  const nb = Math.min(K, Math.ceil(fewest / threads) * threads);
  const blocks: number[][] = [];
  for (let b = 0, j = 0; b < nb; b++) {
    const size = Math.floor(K / nb) + (b < K % nb ? 1 : 0);
    blocks.push(Array.from({ length: size }, (_, i) => j + i));
    j += size;
  }
  return blocks;
}

function availableCores(): number {
  const os = require("node:os") as typeof import("node:os");
  return typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
}

/** The plan with every array in shared memory (a copy; `demean` builds one plan per call, so there is nothing to cache). */
function sharedPlan(p: MapCoefficientsPlan): MapCoefficientsPlan {
  const share = <T extends Int32Array | Float64Array>(a: T): T => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const b = new SharedArrayBuffer(Math.max(8, a.byteLength));
    const c = (a instanceof Int32Array ? new Int32Array(b, 0, a.length) : new Float64Array(b, 0, a.length)) as T;
    c.set(a);
    return c;
  };
  const s: MapCoefficientsPlan = {
    ...p,
    factors: p.factors.map((f: Factor) => ({ codes: share(f.codes), size: f.size })),
    labels: p.labels.map((l) => (l ? share(l) : null)),
    sorted: share(p.sorted),
    codes: p.codes.map(share),
    W: p.W.map(share),
    ...(p.weights ? { weights: share(p.weights) } : {}),
    ...(p.rowWeights ? { rowWeights: share(p.rowWeights) } : {}),
  };
  return s;
}

interface MapWorker {
  post(job: unknown): void;
  failed(): boolean;
  giveUp(): void;
}

let theWorker: MapWorker | null | undefined;

/** The process's one demeaning worker (started on first use), or null if it cannot run. */
function mapWorker(): MapWorker | null {
  if (theWorker !== undefined) return theWorker;
  try {
    const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
    // __name: the name-keeping helper tsx's transform wraps inner functions in (absent from the bundle)
    const src = `const { parentPort } = require("node:worker_threads");
var __name = (f) => f;
const mapCoefficientsBlock = (${mapCoefficientsBlock.toString()});
(${mapWorkerMain.toString()})(parentPort, mapCoefficientsBlock);`;
    const w = new Worker(src, { eval: true });
    let failed = false;
    let handle: MapWorker | null = null;
    const stop = () => {
      failed = true;
      if (theWorker === handle) theWorker = null;
    };
    w.once("error", stop);
    w.once("exit", stop);
    w.unref();
    handle = {
      post: (job) => w.postMessage(job),
      failed: () => failed,
      giveUp: () => {
        failed = true;
        if (theWorker === handle) theWorker = null;
        void w.terminate();
      },
    };
    theWorker = handle;
  } catch {
    theWorker = null;
  }
  return theWorker;
}

/**
 * The worker's loop (its source text runs in the worker): for each job, take blocks from the
 * shared counter and write each column's residual over its shared copy. Self-contained.
 */
function mapWorkerMain(
  port: { on(ev: "message", f: (m: never) => void): void },
  blockFn: (
    xs: readonly Float64Array[],
    plan: MapCoefficientsPlan,
    tol: number,
    maxIter: number,
    progress: Int32Array,
  ) => MapColumnResult[],
): void {
  port.on(
    "message",
    (m: {
      plan: MapCoefficientsPlan;
      ctrl: SharedArrayBuffer;
      status: SharedArrayBuffer;
      meta: SharedArrayBuffer;
      progress: SharedArrayBuffer;
      inputs: SharedArrayBuffer[];
      blocks: number[][];
      n: number;
      tol: number;
      maxIter: number;
    }) => {
      const ctrl = new Int32Array(m.ctrl);
      const status = new Int32Array(m.status);
      const meta = new Float64Array(m.meta);
      const progress = new Int32Array(m.progress);
      for (;;) {
        const b = Atomics.add(ctrl, 0, 1);
        if (b >= m.blocks.length) break;
        Atomics.store(status, b, 1);
        const block = m.blocks[b] as number[];
        try {
          const xs = block.map((j) => new Float64Array(m.inputs[j] as SharedArrayBuffer, 0, m.n));
          const rs = blockFn(xs, m.plan, m.tol, m.maxIter, progress);
          block.forEach((j, i) => {
            const r = rs[i] as MapColumnResult;
            (xs[i] as Float64Array).set(r.residual);
            meta[2 * j] = r.iterations;
            meta[2 * j + 1] = r.converged ? 1 : 0;
          });
        } catch {
          for (const j of block) meta[2 * j + 1] = -1;
        }
        Atomics.store(status, b, 2);
        Atomics.notify(status, b);
      }
    },
  );
}
