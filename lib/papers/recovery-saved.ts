import * as fs from "node:fs";
import * as os from "node:os";
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
 * - a study is saved only by the explicit command `vagg recovery --save` (never by a notebook or a
 *   build, which write nothing outside their exports folder), with one DuckDB thread (the
 *   deterministic setting), and only if its inputs did not change while it ran;
 * - it is reused only when its **key** equals the current one: paper, scale, number of seeds,
 *   base seed, Node.js version and platform, and one hash over every input the numbers can depend
 *   on (`recoveryInputsHash`: every source under lib/, the lock file, the public data the
 *   generator reads). Any change to the code or the data makes the notebook run the study afresh;
 * - the draws file must still have the SHA-256 recorded beside it (no hand edits);
 * - the notebook re-runs one replication and requires its estimates, SEs and true values,
 *   written and read back as the saved ones were, to equal them bit for bit (`recoveryStudy` in
 *   recovery-study.ts). That checks the environment and the file, not the other replications:
 *   those rest on the key.
 */

/** Where the committed studies live: `<repo>/results/recovery`. */
export const RECOVERY_RESULTS_DIR = path.join(REPO_ROOT, "results", "recovery");

/** What a saved study must match to be reused. */
export interface RecoveryKey {
  readonly paper: string;
  readonly scale: string;
  readonly seeds: number;
  readonly baseSeed: number;
  /** Node.js version and platform (`recoveryRuntime`): V8's math library and the native DuckDB build. */
  readonly runtime: string;
  /** `recoveryInputsHash()` when the study was made. */
  readonly inputs: string;
}

/** The Node.js version and platform a study runs on, e.g. "v20.20.2 linux-x64". */
export function recoveryRuntime(): string {
  return `${process.version} ${process.platform}-${process.arch}`;
}

/**
 * The key of a study with these parameters on this machine and these sources.
 *
 * @example recoveryKey({ paper: "eq", scale: "paper", seeds: 20, baseSeed: projectSeed() })
 */
export function recoveryKey(p: { paper: string; scale: string; seeds: number; baseSeed: number }, root: string = REPO_ROOT): RecoveryKey {
  return {
    paper: p.paper,
    scale: p.scale,
    seeds: p.seeds,
    baseSeed: p.baseSeed,
    runtime: recoveryRuntime(),
    inputs: recoveryInputsHash(root),
  };
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
 *   const s = await readSavedRecovery(RECOVERY_RESULTS_DIR, recoveryKey({ paper: "eq", scale: "paper", seeds: 20, baseSeed: projectSeed() }));
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
  if (meta.format !== 1)
    return { reason: `the saved study (${rel}) has format ${String(meta.format)}, this code reads format 1`, file: f.meta };
  for (const k of ["paper", "scale", "seeds", "baseSeed", "runtime"] as const)
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
  const draws = await readDrawsCsv(f.draws);
  if (draws.length !== meta.draws.rows)
    throw new DataError(`saved recovery study: ${draws.length} draws read, ${meta.draws.rows} recorded`, { file: f.draws });
  return { meta, draws, file: f.meta };
}

/** A draws CSV (`recoveryDrawsTable` written by `writeTable`) read back; empty cells are NaN. */
async function readDrawsCsv(file: string): Promise<RecoveryDraw[]> {
  const rows = toRecords(await readTable(file, { columns: ["replication", "seed", "name", "estimate", "se", "truth"] }));
  const num = (v: unknown): number => (v === null || v === undefined ? NaN : Number(v));
  return rows.map((r) => ({
    replication: num(r["replication"]),
    seed: num(r["seed"]),
    name: String(r["name"]),
    estimate: num(r["estimate"]),
    se: num(r["se"]),
    truth: num(r["truth"]),
  }));
}

/**
 * Draws as a saved study holds them: written to a CSV and read back exactly as `saveRecovery` and
 * `readSavedRecovery` do (so −0 reads as 0 and a missing value as NaN on both sides of a comparison).
 *
 * @example const same = (await asSaved(fresh)).every((d, i) => Object.is(d.estimate, saved[i].estimate));
 */
export async function asSaved(draws: readonly RecoveryDraw[]): Promise<RecoveryDraw[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-recovery-check-"));
  try {
    const f = path.join(dir, "draws.csv");
    await writeTable(recoveryDrawsTable(draws), f);
    return await readDrawsCsv(f);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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
    runtime: key.runtime,
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
