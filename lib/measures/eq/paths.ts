import * as fs from "node:fs";
import * as path from "node:path";
import { DataError } from "../../util/errors";

/**
 * Where the project's shared, read-only real data live (`/work/shared/data` on the
 * workstation, `../shared/data` beside a CI clone of the repository).
 *
 * Resolution order:
 *   1. `path.resolve(__dirname, '../../../../shared/data')`, i.e. `<repo>/../shared/data`
 *      (this file is `<repo>/lib/measures/eq/paths.ts`);
 *   2. the environment variable `VAGG_SHARED` (either the `shared` folder or its `data` folder).
 * Extra arguments are joined onto the data folder. A DataError names every place looked at
 * when none exists.
 *
 * @example
 *   sharedDataPath("adh", "master.csv"); // "/work/shared/data/adh/master.csv"
 */
export function sharedDataPath(...parts: string[]): string {
  const candidates: string[] = [path.resolve(__dirname, "../../../../shared/data")];
  const env = process.env["VAGG_SHARED"];
  if (env) candidates.push(path.resolve(env, "data"), path.resolve(env));
  for (const c of candidates) if (fs.existsSync(c) && fs.statSync(c).isDirectory()) return path.join(c, ...parts);
  throw new DataError(`shared data folder not found (looked in ${candidates.join(", ")}; set VAGG_SHARED)`, {
    file: path.join("shared/data", ...parts),
  });
}
