import * as path from "node:path";
import { projectSeed } from "./seed";

/**
 * Parameters a notebook runs with: the data scale (`VAGG_SCALE`, default "default"), the seed
 * (`VAGG_SEED`, default the project seed), the folder of the synthetic raw files of that scale
 * (or `VAGG_DATA_DIR`, e.g. a folder of real files in the codebook schemas) and the exports
 * folder (`VAGG_EXPORTS`, default <repo>/exports).
 *
 * @example
 *   const env = notebookEnv();   // { scale: "small", seed: 20220707, dataDir: ".../data/raw/synthetic/small", exportsDir: ".../exports", synthetic: true }
 */
export interface NotebookEnv {
  readonly scale: string;
  readonly seed: number;
  readonly dataDir: string;
  readonly exportsDir: string;
  /** False when VAGG_DATA_DIR points at other (e.g. real) data. */
  readonly synthetic: boolean;
}

export const REPO_ROOT_DIR = path.resolve(__dirname, "../..");

export function notebookEnv(): NotebookEnv {
  const scale = process.env["VAGG_SCALE"] || "default";
  if (!/^[A-Za-z0-9_-]+$/.test(scale)) throw new Error(`vagg argument error: VAGG_SCALE must be a scale name (small|default|paper), got "${scale}"`);
  const own = process.env["VAGG_DATA_DIR"];
  const dataDir = own ? path.resolve(own) : path.join(REPO_ROOT_DIR, "data", "raw", "synthetic", scale);
  const exportsDir = process.env["VAGG_EXPORTS"] ? path.resolve(process.env["VAGG_EXPORTS"]) : path.join(REPO_ROOT_DIR, "exports");
  return { scale, seed: projectSeed(), dataDir, exportsDir, synthetic: !own };
}
