/** Seed, progress callback and abort signal shared by every resampling routine. */
export interface ResamplingControl {
  /** Seed of the draws; default: the project seed (`lib/util/seed.ts`). */
  readonly seed?: number;
  /** Called after every replication with (completed, requested). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Checked between replications; when aborted, the routine returns the partial result. */
  readonly signal?: AbortSignal;
}

/**
 * Shared plumbing of the resampling routines (not a method of its own): the replication loop
 * with progress reporting and cooperative interruption, and small summaries of a draw vector.
 *
 * The loop runs synchronously in slices of about `sliceMs` milliseconds and yields to the
 * event loop between slices (`setImmediate`), so an `AbortSignal` fired by a timer, a signal
 * handler or a UI can stop it; the signal is checked before every replication. An interrupted
 * loop returns the number of replications completed, and every routine then reports its
 * statistics on those replications only, flagged `interrupted: true`.
 *
 * @example
 *   const { done, interrupted } = await replicate(1000, (r) => { draws[r] = oneDraw(); }, { onProgress, signal });
 */
export async function replicate(
  reps: number,
  body: (r: number) => void,
  ctl: ResamplingControl = {},
  sliceMs = 50,
): Promise<{ done: number; interrupted: boolean }> {
  let done = 0;
  let sliceStart = Date.now();
  while (done < reps) {
    if (ctl.signal?.aborted) return { done, interrupted: true };
    body(done);
    done++;
    ctl.onProgress?.(done, reps);
    if (Date.now() - sliceStart >= sliceMs && done < reps) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
  }
  return { done, interrupted: false };
}

/**
 * Throw a RangeError unless `reps` is a positive integer.
 *
 * @example checkReps(1000); checkReps(0); // throws "reps must be a positive integer, got 0"
 */
export function checkReps(reps: number, what = "reps"): void {
  if (!Number.isInteger(reps) || reps < 1) throw new RangeError(`vagg argument error: ${what} must be a positive integer, got ${reps}`);
}

/** Mean and sample standard deviation (n − 1) of the finite values. */
export function meanSd(a: ArrayLike<number>): { mean: number; sd: number; n: number } {
  let n = 0,
    s = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (Number.isFinite(v)) {
      n++;
      s += v;
    }
  }
  const mean = n ? s / n : NaN;
  let ss = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i] as number;
    if (Number.isFinite(v)) ss += (v - mean) * (v - mean);
  }
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : NaN, n };
}

/**
 * Quantile of the finite values, R's default type 7 (linear interpolation between order
 * statistics), as `quantile()` in R and `centile` in Stata's `estat bootstrap, percentile`
 * (which uses a slightly different rule; the difference is O(1/R)).
 */
export function quantile(a: ArrayLike<number>, p: number): number {
  const v = Float64Array.from(Array.from(a as ArrayLike<number>).filter((x) => Number.isFinite(x))).sort();
  if (v.length === 0) return NaN;
  const h = (v.length - 1) * p;
  const lo = Math.floor(h),
    hi = Math.ceil(h);
  return (v[lo] as number) + (h - lo) * ((v[hi] as number) - (v[lo] as number));
}

/** Relative tolerance used when counting |draw| ≥ |observed|, so that exact ties survive rounding. */
export const TIE_REL = 1e-10;

/** #{ |d| ≥ |obs| } over the finite draws (ties within relative TIE_REL count as ≥). */
export function countAbsGe(draws: ArrayLike<number>, obs: number): { count: number; n: number } {
  const thr = Math.abs(obs) * (1 - TIE_REL);
  let count = 0,
    n = 0;
  for (let i = 0; i < draws.length; i++) {
    const d = draws[i] as number;
    if (!Number.isFinite(d)) continue;
    n++;
    if (Math.abs(d) >= thr) count++;
  }
  return { count, n };
}
