import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate, type GenerateOptions } from "../synth";
import { writeTable } from "../data/io";
import { ArgumentError } from "../util/errors";
import { projectSeed } from "../util/seed";
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
}

export interface RecoveryStudyResult {
  readonly summary: RecoverySummaryRow[];
  readonly draws: RecoveryDraw[];
  readonly seeds: number[];
  readonly files: { readonly summary: string; readonly draws: string };
  readonly seconds: number;
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
  const seeds = recoverySeeds(o.paper, o.seeds, o.baseSeed ?? projectSeed());
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
  const summary = recoverySummary(draws, undefined, o.scale);
  fs.mkdirSync(o.outDir, { recursive: true });
  const files = { summary: path.join(o.outDir, `${o.paper}-recovery.csv`), draws: path.join(o.outDir, `${o.paper}-recovery-draws.csv`) };
  await writeTable(recoverySummaryTable(summary), files.summary);
  await writeTable(recoveryDrawsTable(draws), files.draws);
  return { summary, draws, seeds, files, seconds: (Date.now() - t0) / 1000 };
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
 * returned in the shape of `loadRecovery`. Replications run one after the other (the reproduce
 * runner already executes two notebooks at a time on a 2-core machine).
 *
 * @example
 *   const rec = await recoveryStudy("rs", notebookEnv());   // 50 fresh synthetic data sets at env.scale
 *   showTable(recoveryReportTable(rec.rows, "RS recovery study"));
 */
export async function recoveryStudy(
  paper: string,
  env: { readonly scale: string; readonly exportsDir: string },
  opts: { readonly seeds?: number; readonly jobs?: number } = {},
): Promise<LoadedRecovery & { readonly seconds: number }> {
  if (!["small", "default", "paper"].includes(env.scale))
    throw new ArgumentError(`recovery: the synthetic scale must be small, default or paper, got "${env.scale}"`);
  const seeds = opts.seeds ?? 50;
  const r = await runRecoveryStudy({
    paper,
    seeds,
    scale: env.scale as GenerateOptions["scale"],
    outDir: path.join(env.exportsDir, "tables"),
    jobs: opts.jobs ?? 1,
  });
  return {
    paper,
    file: r.files.summary,
    rows: r.summary,
    command: `npm run recovery -- --paper ${paper} --seeds ${seeds} --scale ${env.scale}`,
    seconds: r.seconds,
  };
}
