import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { sourceCommit } from "../util/source-date";
import { listFiles, sha256File } from "../util/file-hash";

/** Everything a reviewer needs to trace a report back to code, data and parameters. */
export interface Provenance {
  /** The newest commit that changed anything outside exports/ (`sourceCommit`). */
  commit: string | null;
  /** Files outside exports/ that differ from `commit` (changed, staged or untracked, outside the ignored ones). */
  dirty: boolean | null;
  dirtyFiles: string[];
  lockFile: { path: string; sha256: string } | null;
  dataFiles: DataFileHash[];
  seed: number;
  scale: string;
  versions: Record<string, string>;
  generatedAt: string;
}

export interface DataFileHash {
  path: string;
  bytes: number;
  sha256: string;
}

/**
 * The repository's commit and whether the working tree has changes (with the changed files), or nulls outside git.
 *
 * @example
 *   gitState(REPO_ROOT_DIR).dirty; // false on a clean tree
 */
export function gitState(root: string): { commit: string | null; dirty: boolean | null; dirtyFiles: string[] } {
  const git = (...args: string[]): string | null => {
    try {
      return execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 });
    } catch {
      return null;
    }
  };
  const head = git("rev-parse", "HEAD");
  if (head === null) return { commit: null, dirty: null, dirtyFiles: [] };
  // the source commit: committing a regenerated appendix does not change what it was built from
  const source = sourceCommit(root);
  const status = git("status", "--porcelain", "--untracked-files=normal") ?? "";
  // exports/ is what a run writes: only the sources, data and settings outside it count
  const files = status
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.slice(3))
    .filter((f) => !/^"?exports\//.test(f));
  return { commit: source?.hash ?? head.trim(), dirty: files.length > 0, dirtyFiles: files };
}

/**
 * SHA-256 of every file under the given data folders (default `<root>/data/raw`), named relative
 * to `root`. Hashes are remembered in `cacheFile` by (path, size, mtime) so paper-scale data is
 * streamed once, not on every run.
 */
export async function hashDataFiles(
  root: string,
  cacheFile?: string,
  rawDirs: string | readonly string[] = path.join(root, "data", "raw"),
): Promise<DataFileHash[]> {
  const files = [...new Set((typeof rawDirs === "string" ? [rawDirs] : rawDirs).flatMap((d) => listFiles(d, root)))].sort();
  type Entry = { bytes: number; mtimeMs: number; sha256: string };
  let memo: Record<string, Entry> = {};
  if (cacheFile && fs.existsSync(cacheFile)) {
    try {
      memo = JSON.parse(fs.readFileSync(cacheFile, "utf8")) as Record<string, Entry>;
    } catch {
      memo = {};
    }
  }
  const next: Record<string, Entry> = {};
  const out: DataFileHash[] = [];
  for (const rel of files) {
    const st = fs.statSync(path.join(root, rel));
    const m = memo[rel];
    const sha = m && m.bytes === st.size && m.mtimeMs === st.mtimeMs ? m.sha256 : await sha256File(path.join(root, rel));
    next[rel] = { bytes: st.size, mtimeMs: st.mtimeMs, sha256: sha };
    out.push({ path: rel, bytes: st.size, sha256: sha });
  }
  if (cacheFile) {
    fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
    fs.writeFileSync(cacheFile, JSON.stringify(next, null, 1));
  }
  return out;
}

/**
 * The installed version of a package (from its package.json under node_modules), or "not installed".
 *
 * @example
 *   packageVersion(root, "tslab"); // "1.0.22"
 */
export function packageVersion(root: string, name: string): string {
  try {
    const p = require.resolve(`${name}/package.json`, { paths: [root] });
    return (JSON.parse(fs.readFileSync(p, "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

function tslabTypescript(root: string): string {
  try {
    return packageVersion(path.dirname(require.resolve("tslab/package.json", { paths: [root] })), "@tslab/typescript-for-tslab");
  } catch {
    return "not installed";
  }
}

/**
 * The versions a run depends on: Node.js and the packages of the pipeline (tslab and its TypeScript, tsx, KaTeX, markdown-it, …).
 *
 * @example
 *   toolVersions(root).node; // "v20.20.2"
 */
export function toolVersions(root: string): Record<string, string> {
  return {
    node: process.version,
    tslab: packageVersion(root, "tslab"),
    "typescript (tslab cells)": tslabTypescript(root),
    "typescript (lib, tsc)": packageVersion(root, "typescript"),
    tsx: packageVersion(root, "tsx"),
    katex: packageVersion(root, "katex"),
    "markdown-it": packageVersion(root, "markdown-it"),
  };
}

/**
 * The data a run reads: the public files and the synthetic files of its scale
 * (`data/raw/synthetic/<scale>`), or the researcher's own folder when `VAGG_DATA_DIR` is set —
 * not the other scales' folders that happen to be on the machine.
 */
export function runDataDirs(root: string, scale: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const own = env["VAGG_DATA_DIR"];
  return [path.join(root, "data", "raw", "public"), own ? path.resolve(own) : path.join(root, "data", "raw", "synthetic", scale)];
}

/**
 * The provenance block of a run: source commit and tree state, scale, seed, data file hashes (public data and the scale's synthetic folder, or VAGG_DATA_DIR), tool versions and the machine.
 *
 * @example
 *   const p = await collectProvenance(opts);
 */
export async function collectProvenance(
  root: string,
  p: { seed: number; scale: string; dataHashCache?: string; dataDir?: string },
): Promise<Provenance> {
  const g = gitState(root);
  const lock = path.join(root, "package-lock.json");
  return {
    commit: g.commit,
    dirty: g.dirty,
    dirtyFiles: g.dirtyFiles,
    lockFile: fs.existsSync(lock) ? { path: "package-lock.json", sha256: await sha256File(lock) } : null,
    dataFiles: await hashDataFiles(root, p.dataHashCache, p.dataDir ?? runDataDirs(root, p.scale)),
    seed: p.seed,
    scale: p.scale,
    versions: toolVersions(root),
    generatedAt: new Date().toISOString(),
  };
}
