import * as path from "node:path";
import type { GenerateOptions } from "../../synth";
import { REPO_ROOT } from "../../synth/skeleton";
import { parseArgs, helpText, type ArgSpec } from "../args";
import { ArgumentError } from "../../util/errors";
import { RECOVERY_PAPERS } from "../../papers/recovery";
import { runRecoveryStudy } from "../../papers/recovery-study";
import { RECOVERY_RESULTS_DIR } from "../../papers/recovery-saved";

export { runRecoveryStudy, type RecoveryStudyOptions, type RecoveryStudyResult } from "../../papers/recovery-study";

/**
 * `vagg recovery` (`npm run recovery -- --paper rs --seeds 50 --scale paper`): the recovery study of
 * a paper's estimators. For each of `--seeds` seeds (derived from the project seed, `recoverySeeds`)
 * it generates fresh synthetic data into a temporary folder, runs the paper's estimate function
 * (registry `RECOVERY_PAPERS`), deletes the folder, and finally writes
 * `<out>/<paper>-recovery.csv` (one row per estimate: seeds, truth, mean estimate, mean SE, SD,
 * bias, coverage, …) and `<out>/<paper>-recovery-draws.csv` (one row per seed and estimate).
 * With `--save` the draws are also saved with their key and provenance in results/recovery/
 * (`saveRecovery`), where the recovery notebooks reuse them after re-running one replication.
 */
const SPEC: ArgSpec = {
  paper: { type: "string", help: `paper id (${Object.keys(RECOVERY_PAPERS).join(" | ")})`, required: true },
  seeds: { type: "number", help: "number of replications (default 50)" },
  scale: { type: "string", help: "synthetic data scale: small | default | paper (default paper)" },
  out: { type: "string", help: "output folder of the CSVs (default exports/tables)" },
  jobs: { type: "number", help: "worker processes (default 1; 2 on a quiet 2-core machine); results do not depend on it" },
  save: {
    type: "boolean",
    help: "also save the draws with their key and provenance in results/recovery/, where the recovery notebooks reuse them after re-running one replication bit for bit (needs the paper's default generator and VAGG_DUCKDB_THREADS unset or 1)",
  },
  "base-seed": { type: "number", help: "seed the replication seeds derive from (default: the project seed / VAGG_SEED)" },
  help: { type: "boolean", help: "show this help" },
};

export const recoveryHelp = helpText(
  "recovery",
  "recovery study: re-generate synthetic data for many seeds and summarise the estimates",
  SPEC,
);

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
  if (opts["jobs"] !== undefined && (!Number.isInteger(opts["jobs"]) || (opts["jobs"] as number) < 1))
    throw new ArgumentError(`recovery: --jobs must be a positive integer, got ${opts["jobs"]}`);
  const outDir = path.resolve(String(opts["out"] ?? path.join(REPO_ROOT, "exports", "tables")));
  const r = await runRecoveryStudy({
    paper,
    seeds,
    scale: scale as GenerateOptions["scale"],
    outDir,
    baseSeed: base as number | undefined,
    jobs: opts["jobs"] === undefined ? 1 : Number(opts["jobs"]),
    log: (l) => process.stderr.write(l + "\n"),
    ...(opts["save"] ? { saveDir: RECOVERY_RESULTS_DIR } : {}),
  });
  console.log(
    `vagg recovery: paper ${paper}, ${seeds} seeds at scale ${scale}, ${r.summary.length} estimates → ${r.files.summary} (+ ${path.basename(r.files.draws)}), ${r.seconds.toFixed(1)} s${r.saved ? `; saved as ${path.relative(process.cwd(), r.saved)}` : ""}`,
  );
  return 0;
}
