import * as fs from "node:fs";
import * as path from "node:path";
import { readTable, writeTable } from "../data/io";
import { toRecords } from "../data/table";
import { DataError } from "../util/errors";
import { displayPath } from "../util/paths";
import { hashLib, listFiles, sha256 } from "../util/file-hash";
import { REPO_ROOT } from "../synth/skeleton";
import { recoveryDrawsTable, type RecoveryDraw } from "./recovery";

/**
 * Saved recovery studies (`results/recovery/`): the per-seed draws of a study and what they were
 * made from, so that a notebook can reuse a study that takes longer than the rest of the appendix
 * (the EQ study: ≈ 20 CPU minutes at the papers' scale) instead of rerunning it on every build —
 * the practice of the AEA template for simulations, with the reuse checked rather than trusted:
 *
 * - a study is reused only when its **key** equals the current one: paper, scale, number of seeds,
 *   base seed, and one hash over every input the numbers can depend on (`recoveryInputsHash`:
 *   every source under lib/, the lock file, the public data the generator reads). Any change to
 *   the code or the data makes the notebook run the study afresh;
 * - the draws file must still have the SHA-256 recorded beside it (no hand edits);
 * - the notebook re-runs one replication and requires its estimates, SEs and true values to equal
 *   the saved ones bit for bit (`recoveryStudy` in recovery-study.ts).
 */

/** Where the committed studies live: `<repo>/results/recovery`. */
export const RECOVERY_RESULTS_DIR = path.join(REPO_ROOT, "results", "recovery");

/** What a saved study must match to be reused. */
export interface RecoveryKey {
  readonly paper: string;
  readonly scale: string;
  readonly seeds: number;
  readonly baseSeed: number;
  /** `recoveryInputsHash()` when the study was made. */
  readonly inputs: string;
}

/** The provenance file beside the draws (`<paper>-<scale>.json`). */
export interface SavedRecoveryMeta extends RecoveryKey {
  readonly format: 1;
  /** The command that makes it. */
  readonly command: string;
  /** Wall time of the study when it was made, and with how many worker processes. */
  readonly seconds: number;
  readonly jobs: number;
  readonly node: string;
  readonly draws: { readonly file: string; readonly rows: number; readonly sha256: string };
}

export type SavedRecovery =
  | { readonly meta: SavedRecoveryMeta; readonly draws: RecoveryDraw[]; readonly file: string }
  | { readonly reason: string; readonly file: string };

/**
 * One hash over everything a recovery study's numbers depend on besides its key's parameters:
 * every source file under `lib/` (path and content; build output excluded, `hashLib`), the lock
 * file (the versions of DuckDB and the other packages) and every file under `data/raw/public`
 * (the real skeleton the generator builds on). Deliberately coarse: any change to the library
 * invalidates the saved studies, whether or not it could move a number.
 *
 * @example recoveryInputsHash().slice(0, 12)   // "3f1c0d9e2b7a"
 */
export function recoveryInputsHash(root: string = REPO_ROOT): string {
  const lock = path.join(root, "package-lock.json");
  const publicDir = path.join(root, "data", "raw", "public");
  const parts = [
    `lib\0${hashLib(path.join(root, "lib"))}`,
    `package-lock.json\0${fs.existsSync(lock) ? sha256(fs.readFileSync(lock)) : "none"}`,
    ...listFiles(publicDir, root).map((f) => `${f}\0${sha256(fs.readFileSync(path.join(root, f)))}`),
  ];
  return sha256(parts.join("\n"));
}

/** The two files of a saved study: `<dir>/<paper>-<scale>.json` and `<dir>/<paper>-<scale>-draws.csv`. */
export function savedRecoveryFiles(dir: string, paper: string, scale: string): { meta: string; draws: string } {
  return { meta: path.join(dir, `${paper}-${scale}.json`), draws: path.join(dir, `${paper}-${scale}-draws.csv`) };
}

/**
 * The saved study for `key` with its draws, or the reason it cannot be reused (none saved, made
 * with other parameters or from other inputs, draws file changed since). Throws a DataError only
 * on an unreadable file.
 *
 * @example
 *   const s = await readSavedRecovery(RECOVERY_RESULTS_DIR, { paper: "eq", scale: "paper", seeds: 20, baseSeed: 20220707, inputs: recoveryInputsHash() });
 *   if ("reason" in s) console.log(s.reason);
 */
export async function readSavedRecovery(dir: string, key: RecoveryKey): Promise<SavedRecovery> {
  const f = savedRecoveryFiles(dir, key.paper, key.scale);
  const rel = displayPath(f.meta);
  if (!fs.existsSync(f.meta)) return { reason: `no saved study (${rel})`, file: f.meta };
  let meta: SavedRecoveryMeta;
  try {
    meta = JSON.parse(fs.readFileSync(f.meta, "utf8")) as SavedRecoveryMeta;
  } catch (e) {
    throw new DataError(`saved recovery study: not valid JSON (${(e as Error).message.split("\n")[0]})`, { file: f.meta });
  }
  for (const k of ["paper", "scale", "seeds", "baseSeed"] as const)
    if (meta[k] !== key[k])
      return { reason: `the saved study (${rel}) has ${k} ${String(meta[k])}, this run ${String(key[k])}`, file: f.meta };
  if (meta.inputs !== key.inputs)
    return {
      reason: `the saved study (${rel}) was made from other inputs (lib/, package-lock.json or data/raw/public changed since: ${String(meta.inputs).slice(0, 12)} ≠ ${key.inputs.slice(0, 12)})`,
      file: f.meta,
    };
  if (!fs.existsSync(f.draws)) return { reason: `the saved study's draws file is missing (${displayPath(f.draws)})`, file: f.meta };
  const bytes = fs.readFileSync(f.draws);
  if (sha256(bytes) !== meta.draws?.sha256)
    return { reason: `${displayPath(f.draws)} is not the file the study wrote (its SHA-256 differs from ${rel})`, file: f.meta };
  const rows = toRecords(await readTable(f.draws, { columns: ["replication", "seed", "name", "estimate", "se", "truth"] }));
  const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
  const draws: RecoveryDraw[] = rows.map((r) => ({
    replication: num(r["replication"]),
    seed: num(r["seed"]),
    name: String(r["name"]),
    estimate: num(r["estimate"]),
    se: num(r["se"]),
    truth: num(r["truth"]),
  }));
  if (draws.length !== meta.draws.rows)
    throw new DataError(`saved recovery study: ${draws.length} draws read, ${meta.draws.rows} recorded`, { file: f.draws });
  return { meta, draws, file: f.meta };
}

/**
 * Save a study's draws with their key and provenance (see the module doc); returns the metadata written.
 *
 * @example await saveRecovery(RECOVERY_RESULTS_DIR, key, draws, { command, seconds: 1234, jobs: 2 });
 */
export async function saveRecovery(
  dir: string,
  key: RecoveryKey,
  draws: readonly RecoveryDraw[],
  run: { readonly command: string; readonly seconds: number; readonly jobs: number },
): Promise<SavedRecoveryMeta> {
  const f = savedRecoveryFiles(dir, key.paper, key.scale);
  fs.mkdirSync(dir, { recursive: true });
  await writeTable(recoveryDrawsTable(draws), f.draws);
  const meta: SavedRecoveryMeta = {
    format: 1,
    paper: key.paper,
    scale: key.scale,
    seeds: key.seeds,
    baseSeed: key.baseSeed,
    inputs: key.inputs,
    command: run.command,
    seconds: Math.round(run.seconds * 10) / 10,
    jobs: run.jobs,
    node: process.version,
    draws: { file: path.basename(f.draws), rows: draws.length, sha256: sha256(fs.readFileSync(f.draws)) },
  };
  fs.writeFileSync(f.meta, JSON.stringify(meta, null, 2) + "\n");
  return meta;
}
