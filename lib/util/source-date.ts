import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT_DIR } from "./paths";

/** 1980-01-01T00:00:00Z in seconds since the Unix epoch: the earliest time a zip (DOS) timestamp can hold. */
export const DOS_EPOCH_SECONDS = 315532800;

const commits = new Map<string, SourceCommit | null>();

/** A commit and its committer time (seconds since the Unix epoch). */
export interface SourceCommit {
  readonly hash: string;
  readonly time: number;
}

/**
 * The commit the exports' sources come from: the newest commit that changed anything outside
 * `exports/` (`git log -1 -- . ':(exclude)exports'`), or null outside a git repository. Committing a
 * regenerated appendix does not move it, so a rerun from the commit that holds the appendix names
 * the same source commit and time, and reproduces the committed files byte for byte.
 * Looked up once per root and cached.
 *
 * @example
 *   sourceCommit();   // { hash: "fc899927…", time: 1796583011 }
 */
export function sourceCommit(root: string = REPO_ROOT_DIR): SourceCommit | null {
  const key = path.resolve(root);
  const hit = commits.get(key);
  if (hit !== undefined) return hit;
  let c: SourceCommit | null = null;
  try {
    const log = (...spec: string[]): string =>
      execFileSync("git", ["-C", key, "log", "-1", "--format=%H %ct", ...spec], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 10_000,
      }).trim();
    // no commit outside exports/ (e.g. only empty commits): HEAD
    const out = log("--", ".", ":(exclude)exports") || log();
    const m = /^([0-9a-f]{40}) (\d+)$/.exec(out);
    c = m ? { hash: m[1] as string, time: Number(m[2]) } : null;
  } catch {
    c = null;
  }
  commits.set(key, c);
  return c;
}

/**
 * The time stamped into exports (zip entry times, docx created/modified dates, …), in seconds since
 * the Unix epoch, following the SOURCE_DATE_EPOCH convention (https://reproducible-builds.org/specs/source-date-epoch/)
 * so that an export is a pure function of commit, data, seed and scale rather than of the wall clock:
 *
 * 1. the environment variable `SOURCE_DATE_EPOCH` when set (a non-negative integer; anything else throws);
 * 2. otherwise the committer time of the source commit ({@link sourceCommit}: the newest commit
 *    that changed anything outside `exports/`), looked up once per root and cached;
 * 3. otherwise (no git, not a repository, no commit) {@link DOS_EPOCH_SECONDS}, 1980-01-01T00:00:00Z,
 *    the zip (DOS) epoch.
 *
 * The environment variable is read on every call; only the git lookup is cached.
 *
 * @param root the repository whose source commit gives the time (default the repository holding this library)
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
  return sourceCommit(root)?.time ?? DOS_EPOCH_SECONDS;
}
