import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT_DIR } from "./paths";

/** 1980-01-01T00:00:00Z in seconds since the Unix epoch: the earliest time a zip (DOS) timestamp can hold. */
export const DOS_EPOCH_SECONDS = 315532800;

const gitTimes = new Map<string, number | undefined>();

function gitCommitTime(root: string): number | undefined {
  const key = path.resolve(root);
  if (gitTimes.has(key)) return gitTimes.get(key);
  let t: number | undefined;
  try {
    const out = execFileSync("git", ["-C", key, "log", "-1", "--format=%ct"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 10_000,
    }).trim();
    t = /^\d+$/.test(out) ? Number(out) : undefined;
  } catch {
    t = undefined;
  }
  gitTimes.set(key, t);
  return t;
}

/**
 * The time stamped into exports (zip entry times, docx created/modified dates, …), in seconds since
 * the Unix epoch, following the SOURCE_DATE_EPOCH convention (https://reproducible-builds.org/specs/source-date-epoch/)
 * so that an export is a pure function of commit, data, seed and scale rather than of the wall clock:
 *
 * 1. the environment variable `SOURCE_DATE_EPOCH` when set (a non-negative integer; anything else throws);
 * 2. otherwise the committer time of the repository's HEAD (`git log -1 --format=%ct`), looked up
 *    once per root and cached;
 * 3. otherwise (no git, not a repository, no commit) {@link DOS_EPOCH_SECONDS}, 1980-01-01T00:00:00Z,
 *    the zip (DOS) epoch.
 *
 * The environment variable is read on every call; only the git lookup is cached.
 *
 * @param root the repository whose HEAD gives the time (default the repository holding this library)
 *
 * @example
 *   const t = sourceDateEpoch();              // e.g. 1795276202
 *   new Date(t * 1000).toISOString();         // "2026-11-21T…Z"
 */
export function sourceDateEpoch(root: string = REPO_ROOT_DIR): number {
  const env = process.env["SOURCE_DATE_EPOCH"];
  if (env !== undefined && env !== "") {
    const s = env.trim();
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s)))
      throw new Error(`vagg argument error: SOURCE_DATE_EPOCH must be a non-negative integer number of seconds, got "${env}"`);
    return Number(s);
  }
  return gitCommitTime(root) ?? DOS_EPOCH_SECONDS;
}
