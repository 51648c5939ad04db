import * as path from "node:path";
import { inspect } from "node:util";
import { projectSeed } from "./seed";
import { REPO_ROOT_DIR, displayPath } from "./paths";

export { REPO_ROOT_DIR, displayPath } from "./paths";
export { sourceDateEpoch, DOS_EPOCH_SECONDS } from "./source-date";

/** The notebook run settings: scale, seed, data and exports folders, whether the data are synthetic. */
export interface NotebookEnv {
  readonly scale: string;
  readonly seed: number;
  readonly dataDir: string;
  readonly exportsDir: string;
  /** False when VAGG_DATA_DIR points at other (e.g. real) data. */
  readonly synthetic: boolean;
}

/** An absolute folder as shown: relative to the repository when inside it, else as the user gave it (`given`), else absolute. */
function shown(abs: string, given: string | undefined): string {
  const d = displayPath(abs);
  return d !== abs ? d : (given ?? abs);
}

/**
 * Parameters a notebook runs with: the data scale (`VAGG_SCALE`, default "paper": the papers' own sample sizes, as the committed appendix), the seed
 * (`VAGG_SEED`, default the project seed), the folder of the synthetic raw files of that scale
 * (or `VAGG_DATA_DIR`, e.g. a folder of real files in the codebook schemas) and the exports
 * folder (`VAGG_EXPORTS`, default <repo>/exports).
 *
 * `dataDir` and `exportsDir` are absolute, for code to use. What a notebook shows is not: printing
 * the object (util.inspect, console.log, a notebook cell ending in `env`) or `JSON.stringify`-ing it
 * gives the folders relative to the repository root, or — for a `VAGG_DATA_DIR` / `VAGG_EXPORTS`
 * outside the repository — `VAGG_DATA_DIR` as the user gave it, `VAGG_EXPORTS` as the literal
 * `$VAGG_EXPORTS` (the runner sets it to a machine path, e.g. a temporary folder), so that outputs do not depend
 * on where the repository was checked out.
 *
 * @example
 *   const env = notebookEnv();   // prints { scale: 'small', seed: 20220707, dataDir: 'data/raw/synthetic/small', exportsDir: 'exports', synthetic: true }
 *   env.dataDir;                 // "/…/data/raw/synthetic/small" (absolute)
 */
export function notebookEnv(): NotebookEnv {
  const scale = process.env["VAGG_SCALE"] || "paper";
  if (!/^[A-Za-z0-9_-]+$/.test(scale))
    throw new Error(`vagg argument error: VAGG_SCALE must be a scale name (small|default|paper), got "${scale}"`);
  const own = process.env["VAGG_DATA_DIR"];
  const ownExports = process.env["VAGG_EXPORTS"];
  const dataDir = own ? path.resolve(own) : path.join(REPO_ROOT_DIR, "data", "raw", "synthetic", scale);
  const exportsDir = ownExports ? path.resolve(ownExports) : path.join(REPO_ROOT_DIR, "exports");
  const env: NotebookEnv = { scale, seed: projectSeed(), dataDir, exportsDir, synthetic: !own };
  const display = {
    ...env,
    dataDir: shown(dataDir, own || undefined),
    exportsDir: shown(exportsDir, ownExports ? "$VAGG_EXPORTS" : undefined),
  };
  // Not enumerable: Object.keys, spreads and deep-equality checks see the plain five fields.
  Object.defineProperty(env, inspect.custom, {
    value: (depth: number, options: object) => inspect(display, { ...options, depth }),
    enumerable: false,
  });
  Object.defineProperty(env, "toJSON", { value: () => ({ ...display }), enumerable: false });
  return env;
}
