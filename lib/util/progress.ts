/**
 * Progress reporting for long loops (placebo replications, bootstraps, data builds), free of
 * tslab: a bar with ETA on stderr when stderr is a terminal, a periodic one-line log otherwise,
 * and — when a display sink is registered (lib/display registers one for the notebook kernel) —
 * an updating notebook display instead.
 *
 * @example
 *   const bar = progress(1000, "placebo");
 *   for (let r = 0; r < 1000; r++) { runOne(r); bar.tick(); }
 *   bar.finish();
 */

export interface ProgressState {
  readonly label: string;
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  /** Estimated time left (elapsed · remaining / done); null before the first step. */
  readonly etaMs: number | null;
  readonly finished: boolean;
}

/** A live progress display (e.g. a notebook output updated in place). */
export interface ProgressHandle {
  update(state: ProgressState): void;
  finish(state: ProgressState): void;
}

/** Opens a display for a new progress run, or returns null when it cannot (then text output is used). */
export type ProgressSink = (label: string, total: number) => ProgressHandle | null;

export interface ProgressStream {
  write(s: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressOptions {
  /** Where text goes (default process.stderr). */
  readonly stream?: ProgressStream;
  /** Clock in milliseconds (default Date.now), injectable for tests. */
  readonly now?: () => number;
  /** Minimum time between redraws of the terminal bar (default 100 ms). */
  readonly ttyIntervalMs?: number;
  /** Time between log lines when the stream is not a terminal (default 10 s). */
  readonly logIntervalMs?: number;
  /** Minimum time between display-sink updates (default 250 ms). */
  readonly sinkIntervalMs?: number;
  /** Use this sink instead of the registered one (null: none). */
  readonly sink?: ProgressSink | null;
  /** Bar width in characters (default 24). */
  readonly width?: number;
}

export interface Progress {
  /** Advance by n steps (default 1). */
  tick(n?: number): void;
  /** Set the number of steps done. */
  set(done: number): void;
  /** Mark the run finished (idempotent) and print the final line. */
  finish(): void;
  readonly state: ProgressState;
}

let registered: ProgressSink | null = null;

/** Register the display sink used by `progress` (lib/display does this); returns the previous one. */
export function setProgressSink(sink: ProgressSink | null): ProgressSink | null {
  const prev = registered;
  registered = sink;
  return prev;
}

/**
 * A duration for humans: "--" when unknown, "42s", "3m05s", "1h02m".
 *
 * @example
 *   formatDuration(185000); // "3m05s"
 */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return "--";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

function pct(s: ProgressState): string {
  return s.total > 0 ? `${Math.floor((100 * Math.min(s.done, s.total)) / s.total)}%` : "";
}

/**
 * One line describing a state, as logged when stderr is not a terminal:
 * "placebo: 250/1000 (25%), elapsed 10s, ETA 30s" or "placebo: 1000/1000 (100%), done in 40s".
 */
export function formatProgressLine(s: ProgressState): string {
  const head = `${s.label}: ${s.done}/${s.total}${s.total > 0 ? ` (${pct(s)})` : ""}`;
  return s.finished
    ? `${head}, done in ${formatDuration(s.elapsedMs)}`
    : `${head}, elapsed ${formatDuration(s.elapsedMs)}, ETA ${formatDuration(s.etaMs)}`;
}

/** The terminal bar: "placebo [######------------------] 250/1000  25% 10s ETA 30s". */
export function formatProgressBar(s: ProgressState, width = 24): string {
  const frac = s.total > 0 ? Math.min(1, Math.max(0, s.done / s.total)) : 0;
  const full = Math.floor(frac * width);
  const bar = "#".repeat(full) + "-".repeat(width - full);
  const tail = s.finished ? `done in ${formatDuration(s.elapsedMs)}` : `${formatDuration(s.elapsedMs)} ETA ${formatDuration(s.etaMs)}`;
  return `${s.label} [${bar}] ${s.done}/${s.total} ${pct(s).padStart(4)} ${tail}`;
}

/** Start a progress run of `total` steps. See the module comment for where the output goes. */
export function progress(total: number, label: string, opts: ProgressOptions = {}): Progress {
  const now = opts.now ?? Date.now;
  const stream = opts.stream ?? process.stderr;
  const t0 = now();
  let done = 0;
  let finished = false;
  const sinkFn = opts.sink === undefined ? registered : opts.sink;
  const handle = sinkFn ? sinkFn(label, total) : null;
  const tty = !handle && stream.isTTY === true;
  const interval = handle ? (opts.sinkIntervalMs ?? 250) : tty ? (opts.ttyIntervalMs ?? 100) : (opts.logIntervalMs ?? 10000);
  let last = t0;

  const state = (): ProgressState => {
    const elapsedMs = now() - t0;
    return {
      label,
      done,
      total,
      elapsedMs,
      etaMs: done > 0 && total > 0 ? (elapsedMs * Math.max(0, total - done)) / done : null,
      finished,
    };
  };
  const emit = (s: ProgressState) => {
    if (handle) s.finished ? handle.finish(s) : handle.update(s);
    else if (tty) stream.write(`\r${formatProgressBar(s, opts.width)}\x1b[K${s.finished ? "\n" : ""}`);
    else stream.write(formatProgressLine(s) + "\n");
  };
  const maybeEmit = () => {
    const t = now();
    if (t - last >= interval) {
      last = t;
      emit(state());
    }
  };
  if (handle) handle.update(state());
  else if (tty) emit(state());

  return {
    tick(n = 1) {
      if (finished) return;
      done += n;
      maybeEmit();
    },
    set(d: number) {
      if (finished) return;
      done = d;
      maybeEmit();
    },
    finish() {
      if (finished) return;
      finished = true;
      emit(state());
    },
    get state() {
      return state();
    },
  };
}
