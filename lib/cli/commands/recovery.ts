import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate, type GenerateOptions } from "../../synth";
import { REPO_ROOT } from "../../synth/skeleton";
import { writeTable } from "../../data/io";
import { parseArgs, helpText, type ArgSpec } from "../args";
import { ArgumentError } from "../../util/errors";
import { projectSeed } from "../../util/seed";
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
} from "../../papers/recovery";

/**
 * `vagg recovery` (`npm run recovery -- --paper rs --seeds 50 --scale paper`): the recovery study of
 * a paper's estimators. For each of `--seeds` seeds (derived from the project seed, `recoverySeeds`)
 * it generates fresh synthetic data into a temporary folder, runs the paper's estimate function
 * (registry `RECOVERY_PAPERS`), deletes the folder, and finally writes
 * `<out>/<paper>-recovery.csv` (one row per estimate: seeds, truth, mean estimate, mean SE, SD,
 * bias, coverage, …) and `<out>/<paper>-recovery-draws.csv` (one row per seed and estimate).
 */
const SPEC: ArgSpec = {
  paper: { type: "string", help: `paper id (${Object.keys(RECOVERY_PAPERS).join(" | ")})`, required: true },
  seeds: { type: "number", help: "number of replications (default 50)" },
  scale: { type: "string", help: "synthetic data scale: small | default | paper (default paper)" },
  out: { type: "string", help: "output folder of the CSVs (default exports/tables)" },
  "base-seed": { type: "number", help: "seed the replication seeds derive from (default: the project seed / VAGG_SEED)" },
  help: { type: "boolean", help: "show this help" },
};

export const recoveryHelp = helpText(
  "recovery",
  "recovery study: re-generate synthetic data for many seeds and summarise the estimates",
  SPEC,
);

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
 * the other (each generation is single-threaded; the machine's other core is left to other work).
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
  const draws: RecoveryDraw[] = [];
  for (let r = 0; r < seeds.length; r++) {
    const seed = seeds[r] as number;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `vagg-recovery-${o.paper}-`));
    try {
      await generate({ ...gen, scale: o.scale, seed, outDir: dir } as GenerateOptions);
      const rows = await est(dir);
      for (const e of rows) draws.push({ replication: r, seed, name: e.name, estimate: e.estimate, se: e.se, truth: e.truth });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    o.log?.(`recovery ${o.paper}: seed ${r + 1}/${seeds.length} (${seed}) done, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const summary = recoverySummary(draws, undefined, o.scale);
  fs.mkdirSync(o.outDir, { recursive: true });
  const files = { summary: path.join(o.outDir, `${o.paper}-recovery.csv`), draws: path.join(o.outDir, `${o.paper}-recovery-draws.csv`) };
  await writeTable(recoverySummaryTable(summary), files.summary);
  await writeTable(recoveryDrawsTable(draws), files.draws);
  return { summary, draws, seeds, files, seconds: (Date.now() - t0) / 1000 };
}

/** Entry of `vagg recovery`: parse the options, run the study, print where the CSVs are and how long it took. */
export async function runRecovery(argv: string[]): Promise<number> {
  const { opts } = parseArgs(argv, SPEC, "recovery");
  if (opts["help"]) {
    console.log(recoveryHelp);
    return 0;
  }
  const paper = String(opts["paper"]);
  if (!RECOVERY_PAPERS[paper])
    throw new ArgumentError(`recovery: unknown --paper "${paper}" (registered: ${Object.keys(RECOVERY_PAPERS).join(", ")})`);
  const scale = String(opts["scale"] ?? "paper");
  if (!["small", "default", "paper"].includes(scale))
    throw new ArgumentError(`recovery: unknown --scale "${scale}" (small | default | paper)`);
  const seeds = opts["seeds"] === undefined ? 50 : Number(opts["seeds"]);
  if (!Number.isInteger(seeds) || seeds < 1) throw new ArgumentError(`recovery: --seeds must be a positive integer, got ${seeds}`);
  const base = opts["base-seed"];
  if (base !== undefined && (!Number.isInteger(base) || (base as number) < 0))
    throw new ArgumentError(`recovery: --base-seed must be a non-negative integer, got ${base}`);
  const outDir = path.resolve(String(opts["out"] ?? path.join(REPO_ROOT, "exports", "tables")));
  const r = await runRecoveryStudy({
    paper,
    seeds,
    scale: scale as GenerateOptions["scale"],
    outDir,
    baseSeed: base as number | undefined,
    log: (l) => process.stderr.write(l + "\n"),
  });
  console.log(
    `vagg recovery: paper ${paper}, ${seeds} seeds at scale ${scale}, ${r.summary.length} estimates → ${r.files.summary} (+ ${path.basename(r.files.draws)}), ${r.seconds.toFixed(1)} s`,
  );
  return 0;
}
