import * as fs from "node:fs";
import * as path from "node:path";
import { DataError } from "../util/errors";
import { REPO_ROOT_DIR } from "../util/paths";

/**
 * Where the real public data live: the project's own copy `data/raw/public/` first (committed,
 * with licences and checksums in data/README.md), then `<repo>/../shared/data` (the
 * workstation's shared folder), then `$VAGG_SHARED` (the `shared` folder or its `data`).
 * Extra arguments are joined onto the data folder. A DataError names every place looked at
 * when none exists.
 *
 * @example
 *   publicDataPath("adh", "master.csv"); // "<repo>/data/raw/public/adh/master.csv"
 */
export function publicDataPath(...parts: string[]): string {
  const candidates: string[] = [path.join(REPO_ROOT_DIR, "data", "raw", "public"), path.resolve(REPO_ROOT_DIR, "..", "shared", "data")];
  const env = process.env["VAGG_SHARED"];
  if (env) candidates.push(path.resolve(env, "data"), path.resolve(env));
  for (const c of candidates) if (fs.existsSync(path.join(c, ...parts))) return path.join(c, ...parts);
  throw new DataError(`public data file not found (looked in ${candidates.join(", ")}; set VAGG_SHARED)`, {
    file: path.join("data/raw/public", ...parts),
  });
}

/** Same as `publicDataPath` (the name used before the data were copied into the repository). */
export const sharedDataPath = publicDataPath;
