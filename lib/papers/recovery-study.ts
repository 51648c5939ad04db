import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate, type GenerateOptions } from "../synth";
import { writeTable } from "../data/io";
import { ArgumentError, DataError } from "../util/errors";
import { displayPath } from "../util/paths";
import { PROJECT_SEED, projectSeed } from "../util/seed";
import {
  RECOVERY_PAPERS,
  recoveryEstimator,
  recoverySeeds,
  recoverySummary,
  recoverySummaryTable,
  recoveryDrawsTable,
  type RecoveryDraw,
  type RecoveryEstimate,
  type RecoverySummaryRow,
  type LoadedRecovery,
} from "./recovery";
import { HEAP_FLAGS } from "../util/heap-flags";
import {
  asSaved,
  readSavedRecovery,
  recoveryInputsHash,
  recoveryKey,
  RECOVERY_RESULTS_DIR,
  saveRecovery,
  savedRecoveryFiles,
  type RecoveryKey,
} from "./recovery-saved";
import { duckdbThreads } from "../data/duckdb";

/**
 * The recovery study itself (used by `vagg recovery` and by the recovery notebooks): for each seed,
 * fresh synthetic data in a temporary folder, the paper's estimate function, the folder deleted;
 * then the summary and the per-seed draws written as two CSVs. See `runRecoveryStudy`.
 */

export interface RecoveryStudyOptions {
  readonly paper: string;
  readonly seeds: number;
  readonly scale: GenerateOptions["scale"];
  readonly outDir: string;
  readonly baseSeed?: number;
  /** The estimate function (default: the registered paper's, loaded lazily). */
  readonly estimator?: (dataDir: string) => Promise<readonly RecoveryEstimate[]> | readonly RecoveryEstimate[];
  /** Extra options for `generate` (default: the registered paper's). */
  readonly generateOptions?: Readonly<Record<string, unknown>>;
  /** Worker processes (default 1); replications are split r mod jobs, results do not depend on it. */
  readonly jobs?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** Also save the draws with their key and provenance into this folder (`saveRecovery`; the CLI's `--save`: results/recovery). */
  readonly saveDir?: string;
}

export interface RecoveryStudyResult {
  readonly summary: RecoverySummaryRow[];
  readonly draws: RecoveryDraw[];
  readonly seeds: number[];
  readonly files: { readonly summary: string; readonly draws: string };
  readonly seconds: number;
  /** The saved study's metadata file, when `saveDir` was given. */
  readonly saved?: string;
}

/**
 * Run a recovery study and write its two CSVs (see the command's doc). Replications run one after
 * the other, or with `jobs` > 1 in that many worker processes (replication r in worker r mod jobs);
 * every replication has its own seed, so the CSVs are byte-identical whatever `jobs` is.
 *
 * @example
 *   const r = await runRecoveryStudy({ paper: "rs", seeds: 50, scale: "paper", outDir: "exports/tables" });
 */
export async function runRecoveryStudy(o: RecoveryStudyOptions): Promise<RecoveryStudyResult> {
  const entry = RECOVERY_PAPERS[o.paper];
  if (!entry && !o.estimator)
    throw new ArgumentError(`recovery: unknown paper "${o.paper}" (registered: ${Object.keys(RECOVERY_PAPERS).join(", ")})`);
  const est = o.estimator ?? recoveryEstimator(o.paper);
  const gen = o.generateOptions ?? entry?.generate ?? {};
  const baseSeed = o.baseSeed ?? projectSeed();
  const seeds = recoverySeeds(o.paper, o.seeds, baseSeed);
  // a saved study must be what a notebook's re-run replication reproduces: the registered paper's
  // estimate function and generator options, one DuckDB thread, and the inputs hashed before it runs
  let key: RecoveryKey | null = null;
  if (o.saveDir !== undefined) {
    if (o.estimator || o.generateOptions)
      throw new ArgumentError("recovery: --save needs the registered paper's own estimate function and generator options");
    if (duckdbThreads() !== 1)
      throw new ArgumentError(
        `recovery: --save needs VAGG_DUCKDB_THREADS=1 (set: ${duckdbThreads()}); with more threads DuckDB's sums, and so the saved draws, vary in the last bits from run to run`,
      );
    key = recoveryKey({ paper: o.paper, scale: o.scale, seeds: seeds.length, baseSeed });
  }
  const t0 = Date.now();
  const jobs = Math.max(1, Math.min(o.jobs ?? 1, seeds.length));
  if (jobs > 1 && o.estimator)
    throw new ArgumentError("recovery: --jobs > 1 needs a registered paper (a custom estimator cannot be sent to worker processes)");
  let done = 0;
  const progress = (r: number) =>
    o.log?.(
      `recovery ${o.paper}: seed ${++done}/${seeds.length} (replication ${r}, ${seeds[r]}) done, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  const perRep: RecoveryDraw[][] =
    jobs === 1
      ? await replicate(
          o.paper,
          o.scale,
          gen,
          seeds,
          seeds.map((_, r) => r),
          est,
          progress,
        )
      : await inWorkers(o.paper, o.scale, gen, seeds, jobs, progress);
  // replication order, whatever the worker that ran it: the CSVs do not depend on --jobs
  const draws: RecoveryDraw[] = perRep.flat();
  const seconds = (Date.now() - t0) / 1000;
  const { summary, files } = await writeRecoveryCsvs(o.paper, o.scale, draws, o.outDir);
  let saved: string | undefined;
  if (o.saveDir !== undefined && key) {
    const meta = savedRecoveryFiles(o.saveDir, o.paper, o.scale).meta;
    if (recoveryInputsHash() !== key.inputs)
      throw new DataError(
        "not saved: lib/, package-lock.json or data/raw/public changed while the study ran, so the draws may not come from the sources the key would name; run it again",
        { file: meta },
      );
    await saveRecovery(o.saveDir, key, draws, { command: recoveryCommand(o.paper, seeds.length, o.scale, jobs, baseSeed), seconds, jobs });
    saved = meta;
  }
  return { summary, draws, seeds, files, seconds, ...(saved ? { saved } : {}) };
}

/** The command that makes a saved study with these parameters (the base seed only when it is not the project's). */
function recoveryCommand(paper: string, seeds: number, scale: string, jobs: number, baseSeed: number): string {
  return `npm run recovery -- --paper ${paper} --seeds ${seeds} --scale ${scale}${jobs > 1 ? ` --jobs ${jobs}` : ""}${baseSeed !== PROJECT_SEED ? ` --base-seed ${baseSeed}` : ""} --save`;
}

/** The summary and draws CSVs of a study (`<paper>-recovery.csv`, `<paper>-recovery-draws.csv`) written into `outDir`. */
async function writeRecoveryCsvs(
  paper: string,
  scale: string,
  draws: readonly RecoveryDraw[],
  outDir: string,
): Promise<{ summary: RecoverySummaryRow[]; files: { summary: string; draws: string } }> {
  const summary = recoverySummary(draws, undefined, scale);
  fs.mkdirSync(outDir, { recursive: true });
  const files = { summary: path.join(outDir, `${paper}-recovery.csv`), draws: path.join(outDir, `${paper}-recovery-draws.csv`) };
  await writeTable(recoverySummaryTable(summary), files.summary);
  await writeTable(recoveryDrawsTable(draws), files.draws);
  return { summary, files };
}

/** Run replications `reps` (indices into `seeds`) one after the other; returns their draws by replication index. */
async function replicate(
  paper: string,
  scale: GenerateOptions["scale"],
  gen: Readonly<Record<string, unknown>>,
  seeds: readonly number[],
  reps: readonly number[],
  est: (dataDir: string) => Promise<readonly RecoveryEstimate[]> | readonly RecoveryEstimate[],
  done: (r: number, draws: RecoveryDraw[]) => void | Promise<void>,
): Promise<RecoveryDraw[][]> {
  const out: RecoveryDraw[][] = seeds.map(() => []);
  for (const r of reps) {
    const seed = seeds[r] as number;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vagg-recovery-${paper}-`));
    try {
      await generate({ ...gen, scale, seed, outDir: dir } as GenerateOptions);
      for (const e of await est(dir)) out[r]!.push({ replication: r, seed, name: e.name, estimate: e.estimate, se: e.se, truth: e.truth });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await done(r, out[r]!);
  }
  return out;
}

/**
 * Replications in `jobs` worker processes (this file run through tsx), handed out one at a time
 * from a queue in replication order: a worker that finishes takes the next one, so the workers
 * finish together however long each replication takes. Draws are merged by replication index
 * (each replication has its own seed, so the result does not depend on which worker ran it).
 */
async function inWorkers(
  paper: string,
  scale: GenerateOptions["scale"],
  gen: Readonly<Record<string, unknown>>,
  seeds: readonly number[],
  jobs: number,
  done: (r: number) => void,
): Promise<RecoveryDraw[][]> {
  const { fork } = await import("node:child_process");
  const out: RecoveryDraw[][] = seeds.map(() => []);
  let next = 0;
  const children: import("node:child_process").ChildProcess[] = [];
  await Promise.all(
    Array.from({ length: jobs }, (_, j) => {
      return new Promise<void>((resolve, reject) => {
        const child = fork(__filename, [], {
          execArgv: [...HEAP_FLAGS, "--require", require.resolve("tsx/cjs")],
          stdio: ["ignore", "inherit", "inherit", "ipc"],
          // structured clone, not JSON: an infinite or NaN estimate arrives as the number it was
          serialization: "advanced",
        });
        let failed: string | null = null;
        const handOut = (): void => {
          if (next < seeds.length) child.send({ kind: "run", paper, scale, gen, seeds, r: next++ });
          else child.send({ kind: "stop" });
        };
        child.on("message", (m: { kind: string; r?: number; draws?: RecoveryDraw[]; error?: string }) => {
          if (m.kind === "rep") {
            out[m.r as number] = m.draws as RecoveryDraw[];
            done(m.r as number);
            handOut();
          } else if (m.kind === "error") failed = m.error ?? "worker failed";
        });
        children.push(child);
        child.on("exit", (code) => {
          if (!failed && code === 0) return resolve();
          // one failed replication ends the study: stop the other workers too
          for (const c of children) if (c !== child && c.exitCode === null) c.kill();
          reject(new ArgumentError(`recovery worker ${j}: ${failed ?? `exit ${code}`}`));
        });
        handOut();
      });
    }),
  );
  return out;
}

/** Worker side of `inWorkers`: run each replication it is sent, report its draws, wait for the next; exit on "stop". */
function workerMain(): void {
  const send = (x: unknown) => new Promise<void>((res) => process.send!(x, () => res()));
  process.on(
    "message",
    (
      m:
        | { kind: "run"; paper: string; scale: GenerateOptions["scale"]; gen: Record<string, unknown>; seeds: number[]; r: number }
        | { kind: "stop" },
    ) => {
      if (m.kind === "stop") process.exit(0);
      replicate(m.paper, m.scale, m.gen, m.seeds, [m.r], recoveryEstimator(m.paper), () => undefined)
        .then((byRep) => send({ kind: "rep", r: m.r, draws: byRep[m.r] }))
        .catch(async (e: unknown) => {
          await send({ kind: "error", error: String((e as Error)?.message ?? e).split("\n")[0] });
          process.exit(1);
        });
    },
  );
}

if (require.main === module && process.send) workerMain();

/**
 * The recovery study of a paper as a notebook runs it: `seeds` replications (default 50) at the
 * notebook's scale and seed (`env.scale`, the project seed), the two CSVs written into
 * `<env.exportsDir>/tables/` (`<paper>-recovery.csv`, `<paper>-recovery-draws.csv`), and the summary
 * returned in the shape of `loadRecovery`, with where it came from (`origin`):
 *
 * - **saved**: the study saved in `results/recovery/` by `vagg recovery --save` (recovery-saved.ts)
 *   is reused when its key (paper, scale, seeds, base seed, Node.js version and platform, the hash
 *   of lib/, the lock file and the public data) equals this run's and its draws file is the one it
 *   wrote. One replication — picked by the inputs hash, so each code state audits another — is then
 *   re-run here, and every estimate, SE and true value it gives must equal the saved draw bit for
 *   bit, or the notebook stops with a DataError;
 * - **run**: otherwise (or with `VAGG_RECOVERY=run` / `fresh: true`) the study runs here, in `jobs`
 *   worker processes. Nothing is written outside the exports folder.
 *
 * @example
 *   const rec = await recoveryStudy("eq", notebookEnv(), { seeds: 20, jobs: 2 });
 *   showMarkdown(recoveryStatus(rec));   // "… Reused the saved study … replication 7 (seed …), re-run here, …"
 */
export async function recoveryStudy(
  paper: string,
  env: { readonly scale: string; readonly exportsDir: string },
  opts: { readonly seeds?: number; readonly jobs?: number; readonly resultsDir?: string; readonly fresh?: boolean } = {},
): Promise<LoadedRecovery & { readonly seconds: number }> {
  if (!["small", "default", "paper"].includes(env.scale))
    throw new ArgumentError(`recovery: the synthetic scale must be small, default or paper, got "${env.scale}"`);
  const seeds = opts.seeds ?? 50;
  const jobs = opts.jobs ?? 1;
  const scale = env.scale as GenerateOptions["scale"];
  const baseSeed = projectSeed();
  const command = recoveryCommand(paper, seeds, env.scale, jobs, baseSeed);
  const tables = path.join(env.exportsDir, "tables");
  const fromEnv = process.env["VAGG_RECOVERY"] === "run";
  let why = fromEnv ? "a fresh run was asked for: VAGG_RECOVERY=run" : "a fresh run was asked for";
  if (!(opts.fresh ?? fromEnv)) {
    const t0 = Date.now();
    const key = recoveryKey({ paper, scale: env.scale, seeds, baseSeed });
    const saved = await readSavedRecovery(opts.resultsDir ?? RECOVERY_RESULTS_DIR, key);
    if ("draws" in saved) {
      const check = await checkReplication(paper, scale, key, saved.draws, saved.file);
      const { summary, files } = await writeRecoveryCsvs(paper, env.scale, saved.draws, tables);
      return {
        paper,
        file: files.summary,
        rows: summary,
        command,
        seconds: (Date.now() - t0) / 1000,
        origin: {
          kind: "saved",
          file: displayPath(saved.file),
          seconds: saved.meta.seconds,
          command: saved.meta.command,
          sha256: saved.meta.draws.sha256,
          check,
        },
      };
    }
    why = saved.reason;
  }
  const r = await runRecoveryStudy({ paper, seeds, scale, outDir: tables, jobs });
  return { paper, file: r.files.summary, rows: r.summary, command, seconds: r.seconds, origin: { kind: "run", why } };
}

/**
 * Re-run one replication of a saved study (the one the inputs hash picks) and require its draws
 * to equal the saved ones bit for bit (Object.is, so NaN equals NaN); a difference is a DataError
 * naming the estimate. Returns what was checked.
 */
async function checkReplication(
  paper: string,
  scale: GenerateOptions["scale"],
  key: RecoveryKey,
  saved: readonly RecoveryDraw[],
  file: string,
): Promise<{ replication: number; seed: number; estimates: number }> {
  const seeds = recoverySeeds(paper, key.seeds, key.baseSeed);
  const r = parseInt(key.inputs.slice(0, 8), 16) % seeds.length;
  const gen = RECOVERY_PAPERS[paper]?.generate ?? {};
  // the re-run draws written and read back as the saved ones were (−0 → 0, missing → NaN on both sides)
  const fresh = await asSaved(
    (await replicate(paper, scale, gen, seeds, [r], recoveryEstimator(paper), () => undefined))[r] as RecoveryDraw[],
  );
  const old = saved.filter((d) => d.replication === r);
  const where = `replication ${r} (seed ${seeds[r]}) re-run here`;
  if (fresh.length !== old.length)
    throw new DataError(
      `saved recovery study: ${where} gives ${fresh.length} estimates, the saved draws ${old.length}; rerun with VAGG_RECOVERY=run`,
      {
        file,
      },
    );
  fresh.forEach((d, i) => {
    const o = old[i] as RecoveryDraw;
    for (const k of ["seed", "name", "estimate", "se", "truth"] as const)
      if (!Object.is(d[k], o[k]))
        throw new DataError(
          `saved recovery study: ${where} gives ${k} ${String(d[k])} for "${d.name}", the saved draw ${String(o[k])}; the saved study does not come from this code: rerun with VAGG_RECOVERY=run`,
          { file },
        );
  });
  return { replication: r, seed: seeds[r] as number, estimates: fresh.length };
}
