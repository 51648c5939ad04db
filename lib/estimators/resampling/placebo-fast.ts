import { type FwlModel, type FwlFit } from "./fwl";
import { type ResamplingControl } from "./common";
import { pass1, pass2, dots1, dots2, pass2x2, fisherYates, groupSums3, xoshiroState, placeboWorker, CHUNK } from "./placebo-kernels";

/**
 * The arrays the placebo kernels read (./placebo-kernels.ts), laid out once per model: the
 * controls' orthonormal basis Q in blocks of four columns (row-major n × 4, so one pass reads four
 * columns as one stream) plus the remaining single columns, the fixed-effect codes of the direct
 * projection, the outcome residual ry and the cluster codes. With `shared`, every array lives in
 * a SharedArrayBuffer so that a worker thread reads the same memory.
 */
export interface KernelPlan {
  readonly n: number;
  readonly k: number;
  readonly blocks4: readonly Float64Array[];
  readonly singles: readonly Float64Array[];
  readonly big: Int32Array;
  readonly o0: Int32Array;
  readonly o1: Int32Array;
  readonly ry: Float64Array;
  /** One-way cluster codes, or null (iid). */
  readonly cd: Int32Array | null;
  readonly G: number;
  readonly nBig: number;
  readonly nOther: number;
  readonly model: FwlModel;
}

/** Per-fit scratch of `kernelFit`. */
export interface KernelScratch {
  readonly sBig: Float64Array;
  readonly rhs: Float64Array;
  readonly aBig: Float64Array;
  readonly c: Float64Array;
  readonly qc: Float64Array;
  readonly S1: Float64Array | null;
  readonly S2: Float64Array | null;
  readonly out: Float64Array;
}

/**
 * The kernel layout of an FWL model for the placebo loop, or null when the kernels do not apply
 * — they cover the paper's design (three fixed effects with a direct projection, no regression
 * weights, iid or one-way clustered SEs); everything else keeps `fwlFit`. Costs one copy of Q.
 *
 * @example const kp = kernelPlan(model); if (kp) kernelFit(kp, permutedX, kernelScratch(kp));
 */
export function kernelPlan(m: FwlModel, shared = false): KernelPlan | null {
  const P = m.proj;
  if (!P || P.others.length !== 2 || m.sw || P.weights) return null;
  const oneWay = typeof m.spec === "object" && m.meatTerms.length === 1;
  if (!(m.spec === "iid" || oneWay)) return null;
  const n = m.n,
    k = m.k;
  const f64 = (len: number) => new Float64Array(shared ? new SharedArrayBuffer(len * 8) : new ArrayBuffer(len * 8));
  const i32 = (src: Int32Array) => {
    const o = new Int32Array(shared ? new SharedArrayBuffer(src.length * 4) : new ArrayBuffer(src.length * 4));
    o.set(src);
    return o;
  };
  const blocks4: Float64Array[] = [];
  let a = 0;
  for (; a + 4 <= k; a += 4) {
    const b = f64(n * 4);
    for (let j = 0; j < 4; j++) {
      const q = m.Q[a + j] as Float64Array;
      for (let i = 0; i < n; i++) b[i * 4 + j] = q[i] as number;
    }
    blocks4.push(b);
  }
  const singles: Float64Array[] = [];
  for (; a < k; a++) {
    const b = f64(n);
    b.set(m.Q[a] as Float64Array);
    singles.push(b);
  }
  const ry = f64(n);
  ry.set(m.ry);
  const cl = oneWay ? (m.meatTerms[0] as { factor: { codes: Int32Array; size: number } }).factor : null;
  return {
    n,
    k,
    blocks4,
    singles,
    big: shared ? i32(P.big) : P.big,
    o0: shared ? i32(P.others[0] as Int32Array) : (P.others[0] as Int32Array),
    o1: shared ? i32(P.others[1] as Int32Array) : (P.others[1] as Int32Array),
    ry,
    cd: cl ? (shared ? i32(cl.codes) : cl.codes) : null,
    G: cl ? cl.size : 0,
    nBig: P.nBigLevels,
    nOther: P.r,
    model: m,
  };
}

/**
 * Scratch arrays of one `kernelFit` caller (with `shared`, sBig/rhs/c in shared memory for the
 * worker's pass 1).
 *
 * @example const s = kernelScratch(kp);
 */
export function kernelScratch(kp: KernelPlan, shared = false): KernelScratch {
  const f64 = (len: number) =>
    new Float64Array(shared ? new SharedArrayBuffer(Math.max(1, len) * 8) : new ArrayBuffer(Math.max(1, len) * 8));
  return {
    sBig: f64(kp.nBig),
    rhs: f64(kp.nOther),
    aBig: new Float64Array(kp.nBig),
    c: f64(kp.k),
    qc: new Float64Array(CHUNK),
    S1: kp.cd ? new Float64Array(kp.G) : null,
    S2: kp.cd ? new Float64Array(kp.G) : null,
    out: new Float64Array(2),
  };
}

/**
 * One placebo fit with the kernels: pass 1 (fixed-effect sums and c = Q'x), the reduced
 * fixed-effect solve, pass 2 (residual regressor, r'r, x'ry, cluster sums), then β = x'ry / r'r
 * and its SE — bitwise the numbers of `fwlFit` (its fused path; tested) at about half the cost.
 *
 * @example const fit = kernelFit(kp, x, s);   // { coef, se, t }
 */
export function kernelFit(kp: KernelPlan, x: Float64Array, s: KernelScratch, skipPass1 = false): FwlFit {
  const P = kp.model.proj as NonNullable<FwlModel["proj"]>;
  if (!skipPass1) pass1(x, kp.big, kp.o0, kp.o1, s.sBig, s.rhs, kp.blocks4, kp.singles, s.c);
  P.solve(s.sBig, s.rhs, s.aBig);
  pass2(x, kp.big, kp.o0, kp.o1, s.aBig, s.rhs, kp.blocks4, kp.singles, s.c, s.qc, kp.ry, kp.cd, s.S1, s.S2, s.out);
  return finishFit(kp, s);
}

/** β, SE and t from the sums of pass 2 (the last lines of `fusedFit`). */
function finishFit(kp: KernelPlan, s: KernelScratch): FwlFit {
  const m = kp.model;
  const rr = s.out[0] as number,
    xry = s.out[1] as number;
  const beta = xry / rr;
  const { dof } = m;
  let v: number;
  if (!kp.cd) v = (m.ryry - beta * xry) / (m.n - dof.K) / rr;
  else {
    const S1 = s.S1 as Float64Array,
      S2 = s.S2 as Float64Array;
    let sum = 0;
    for (let g = 0; g < S1.length; g++) {
      const sc = (S1[g] as number) - beta * (S2[g] as number);
      sum += sc * sc;
    }
    v = (sum / (rr * rr)) * dof.ssAdj * dof.clusterAdj;
  }
  const se = Math.sqrt(v);
  return { coef: beta, se, t: beta / se };
}

/** One permuted draw ready for the fit: the column and its fixed-effect sums (rhs is solved in place). */
interface DrawSlot {
  readonly x: Float64Array;
  readonly sBig: Float64Array;
  readonly rhs: Float64Array;
}

/** Where the permuted draws come from: this thread, or the worker's ring of shared slots. */
interface DrawSource {
  get(r: number): DrawSlot | Promise<DrawSlot>;
  release(r: number): void;
  close(): void;
}

class WorkerFailed extends Error {}

/** Draws computed on demand in this thread (four slots: the pair being fitted and the next pair). */
function localSource(kp: KernelPlan, x0: Float64Array, seed: number): DrawSource {
  const st = new Int32Array(4);
  xoshiroState(seed, st);
  const slots = [0, 1, 2, 3].map(() => ({ x: new Float64Array(kp.n), sBig: new Float64Array(kp.nBig), rhs: new Float64Array(kp.nOther) }));
  return {
    get(r) {
      const s = slots[r % 4] as DrawSlot;
      fisherYates(st, x0, s.x);
      groupSums3(s.x, kp.big, kp.o0, kp.o1, s.sBig, s.rhs);
      return s;
    },
    release() {},
    close() {},
  };
}

const SLOTS = 6;

/** The worker thread's ring: it permutes and sums ahead while this thread fits (see `placeboWorker`). */
function workerSource(kp: KernelPlan, x0: Float64Array, seed: number, reps: number): DrawSource {
  const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
  const sab = (bytes: number) => new SharedArrayBuffer(Math.max(8, bytes));
  const state = new Int32Array(sab((SLOTS + 1) * 4));
  const X = Array.from({ length: SLOTS }, () => sab(kp.n * 8));
  const SB = Array.from({ length: SLOTS }, () => sab(kp.nBig * 8));
  const RH = Array.from({ length: SLOTS }, () => sab(kp.nOther * 8));
  // the worker sees whole buffers: share a view only when it is its whole (shared) buffer
  const shared = (a: Float64Array | Int32Array) => {
    if (a.buffer instanceof SharedArrayBuffer && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength) return a.buffer;
    const b = sab(a.byteLength);
    new Uint8Array(b).set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return b;
  };
  const src = `const { workerData } = require("node:worker_threads");
const xoshiroState = (${xoshiroState.toString()});
const fisherYates = (${fisherYates.toString()});
const groupSums3 = (${groupSums3.toString()});
(${placeboWorker.toString()})(workerData, xoshiroState, fisherYates, groupSums3);`;
  let failed = false;
  let onDead: () => void = () => {};
  // resolves when the worker stops (error or exit): a pending Atomics.waitAsync does not keep the event loop alive, the worker does
  const dead = new Promise<void>((resolve) => (onDead = resolve));
  let w: import("node:worker_threads").Worker;
  try {
    w = new Worker(src, {
      eval: true,
      workerData: {
        seed,
        reps,
        slots: SLOTS,
        x0: shared(x0),
        big: shared(kp.big),
        o0: shared(kp.o0),
        o1: shared(kp.o1),
        state: state.buffer,
        X,
        SB,
        RH,
      },
    });
  } catch (e) {
    throw new WorkerFailed(`placebo worker did not start: ${(e as Error).message}`);
  }
  const stop = () => {
    failed = true;
    onDead();
  };
  w.once("error", stop);
  w.once("exit", stop);
  const slot = (s: number): DrawSlot => ({
    x: new Float64Array(X[s] as SharedArrayBuffer),
    sBig: new Float64Array(SB[s] as SharedArrayBuffer),
    rhs: new Float64Array(RH[s] as SharedArrayBuffer),
  });
  const views = Array.from({ length: SLOTS }, (_, s) => slot(s));
  const waitAsync = (
    Atomics as unknown as {
      waitAsync: (a: Int32Array, i: number, v: number, t: number) => { async: boolean; value: Promise<string> | string };
    }
  ).waitAsync;
  return {
    async get(r) {
      const s = r % SLOTS;
      while (Atomics.load(state, s) !== 1) {
        if (failed) throw new WorkerFailed("placebo worker stopped");
        const res = waitAsync(state, s, 0, 1000);
        if (res.async) await Promise.race([res.value, dead]);
      }
      return views[s] as DrawSlot;
    },
    release(r) {
      const s = r % SLOTS;
      Atomics.store(state, s, 0);
      Atomics.notify(state, s);
    },
    close() {
      Atomics.store(state, SLOTS, 1);
      for (let s = 0; s < SLOTS; s++) Atomics.notify(state, s);
      void w.terminate();
    },
  };
}

/** Options of `fastPlaceboLoop`: the shared resampling controls and the number of threads (1 or 2). */
export interface FastLoopOptions extends ResamplingControl {
  readonly threads: number;
}

/**
 * The placebo replications of the default scheme (a uniform permutation of the regressor over
 * all observations) with the kernels of ./placebo-kernels.ts: draws are fitted two at a time
 * (`dots2`, `pass2x2`: Q, the codes and ry are read once for both; the next pair's Q'x is summed
 * in the same pass, so Q leaves memory once per pair), and with `threads: 2` a worker
 * thread permutes the column and sums it by fixed-effect level for the next draws while this
 * thread fits — the fit (Q'x, the reduced fixed-effect solve, the residual pass and the cluster
 * sums) and the permutation (a random-access pass over the column) take about the same time, so
 * the two overlap. The permutations are those of `rng(seed).fork("placebo")` through
 * `shuffleInPlace`, in the same order, and every draw's coefficient and SE are bitwise those of
 * `fwlFit`, with one thread or two (tested). `record(r, fit)` is called in draw order; the abort
 * signal is checked between draws. If the worker cannot start or stops, the draws are recomputed
 * in this thread.
 *
 * @example
 *   await fastPlaceboLoop(kp, model.x, stream.seed, 1000, { threads: 2 }, (r, f) => (coefs[r] = f.coef));
 */
export async function fastPlaceboLoop(
  kp: KernelPlan,
  x0: Float64Array,
  seed: number,
  reps: number,
  ctl: FastLoopOptions,
  record: (r: number, fit: FwlFit) => void,
): Promise<{ done: number; interrupted: boolean; threads: number }> {
  if (ctl.threads >= 2) {
    let src: DrawSource | null = null;
    try {
      src = workerSource(kp, x0, seed, reps);
      const r = await runDraws(kp, src, reps, ctl, record);
      return { ...r, threads: 2 };
    } catch (e) {
      if (!(e instanceof WorkerFailed)) throw e;
    } finally {
      src?.close();
    }
  }
  const r = await runDraws(kp, localSource(kp, x0, seed), reps, ctl, record);
  return { ...r, threads: 1 };
}

async function runDraws(
  kp: KernelPlan,
  src: DrawSource,
  R: number,
  ctl: ResamplingControl,
  record: (r: number, fit: FwlFit) => void,
): Promise<{ done: number; interrupted: boolean }> {
  const P = kp.model.proj as NonNullable<FwlModel["proj"]>;
  // two pairs of scratch: the current pair's, and the next pair's (whose Q'x is summed during the current pass 2)
  const pairs = [
    [kernelScratch(kp), kernelScratch(kp)],
    [kernelScratch(kp), kernelScratch(kp)],
  ] as const;
  const out4 = new Float64Array(4);
  let done = 0;
  let sliceStart = Date.now();
  let cReady = false;
  let A: DrawSlot | null = null,
    B: DrawSlot | null = null;
  for (let r = 0, k = 0; r < R; r += 2, k ^= 1) {
    if (ctl.signal?.aborted) return { done, interrupted: true };
    const [sa, sb] = pairs[k] as readonly [KernelScratch, KernelScratch];
    if (r === 0) {
      A = await src.get(r);
      B = r + 1 < R ? await src.get(r + 1) : null;
    }
    const a = A as DrawSlot,
      b = B;
    let fa: FwlFit,
      fb: FwlFit | null = null;
    if (b) {
      if (!cReady) dots2(a.x, b.x, kp.blocks4, kp.singles, sa.c, sb.c);
      // the next pair, when it is a whole pair: its Q'x rides along this pass 2 (Q read once for both pairs)
      const nA = r + 3 < R ? await src.get(r + 2) : null;
      const nB = nA ? await src.get(r + 3) : null;
      const [na, nb] = pairs[k ^ 1] as readonly [KernelScratch, KernelScratch];
      P.solve(a.sBig, a.rhs, sa.aBig);
      P.solve(b.sBig, b.rhs, sb.aBig);
      pass2x2(
        a.x,
        b.x,
        kp.big,
        kp.o0,
        kp.o1,
        sa.aBig,
        a.rhs,
        sb.aBig,
        b.rhs,
        kp.blocks4,
        kp.singles,
        sa.c,
        sb.c,
        sa.qc,
        sb.qc,
        kp.ry,
        kp.cd,
        sa.S1,
        sa.S2,
        sb.S1,
        sb.S2,
        out4,
        nA ? nA.x : null,
        nB ? nB.x : null,
        nA ? na.c : null,
        nB ? nb.c : null,
      );
      sa.out[0] = out4[0] as number;
      sa.out[1] = out4[1] as number;
      sb.out[0] = out4[2] as number;
      sb.out[1] = out4[3] as number;
      fa = finishFit(kp, sa);
      fb = finishFit(kp, sb);
      src.release(r + 1);
      src.release(r);
      cReady = nA !== null;
      if (nA) {
        A = nA;
        B = nB;
      } else if (r + 2 < R) {
        A = await src.get(r + 2);
        B = r + 3 < R ? await src.get(r + 3) : null;
      }
    } else {
      dots1(a.x, kp.blocks4, kp.singles, sa.c);
      P.solve(a.sBig, a.rhs, sa.aBig);
      pass2(a.x, kp.big, kp.o0, kp.o1, sa.aBig, a.rhs, kp.blocks4, kp.singles, sa.c, sa.qc, kp.ry, kp.cd, sa.S1, sa.S2, sa.out);
      fa = finishFit(kp, sa);
      src.release(r);
    }
    record(r, fa);
    done++;
    ctl.onProgress?.(done, R);
    if (fb) {
      if (ctl.signal?.aborted) return { done, interrupted: true };
      record(r + 1, fb);
      done++;
      ctl.onProgress?.(done, R);
    }
    if (Date.now() - sliceStart >= 50 && done < R) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
  }
  return { done, interrupted: false };
}
