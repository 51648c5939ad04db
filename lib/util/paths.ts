import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root (the folder holding lib/, notebooks/, data/ and exports/). */
export const REPO_ROOT_DIR = path.resolve(__dirname, "../..");

/** `p` relative to `root` with "/" separators ("." for the root itself), or undefined when `p` is outside `root`. */
function relativeInside(root: string, p: string): string | undefined {
  const rel = path.relative(root, p);
  if (rel === "") return ".";
  if (rel === ".." || rel.startsWith(".." + path.sep) || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join("/");
}

function realpath(p: string): string | undefined {
  try {
    return fs.realpathSync(p);
  } catch {
    return undefined;
  }
}

/**
 * A path as it should be shown in a notebook output, a log line or an export: relative to the
 * repository root with "/" separators when it lies inside the repository ("." for the root itself),
 * so that outputs do not depend on where the repository was checked out; otherwise `p` unchanged.
 * Code that opens files keeps using the absolute path — this is only for what is printed.
 * A path reached through a symbolic link (e.g. /tmp → /private/tmp) counts as inside when its real
 * path is.
 *
 * @param p    a path; a relative one is taken relative to the current directory
 * @param root the repository root (default {@link REPO_ROOT_DIR})
 *
 * @example
 *   displayPath("/work/main/data/raw/synthetic/small");   // "data/raw/synthetic/small"
 *   displayPath("/mnt/real-data");                        // "/mnt/real-data"
 */
export function displayPath(p: string, root: string = REPO_ROOT_DIR): string {
  const abs = path.resolve(p);
  const rel = relativeInside(path.resolve(root), abs);
  if (rel !== undefined) return rel;
  const realRoot = realpath(root);
  const realP = realpath(abs);
  if (realRoot !== undefined && realP !== undefined) {
    const r = relativeInside(realRoot, realP);
    if (r !== undefined) return r;
  }
  return p;
}
