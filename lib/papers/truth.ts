import * as fs from "node:fs";
import * as path from "node:path";
import { TRUTH } from "../synth/truth";

/**
 * The one rule for "true (DGP)" rows and columns in the papers' exhibits: true values are shown
 * only when the data are the synthetic data of the generator, i.e. when the data folder carries
 * the generator's `truth.json` (`data/raw/synthetic/<scale>/truth.json`, or a `VAGG_DATA_DIR`
 * pointing at a generated folder). On real data (a `VAGG_DATA_DIR` without `truth.json`) every
 * exhibit builder omits its true row or column. `splitTruth` and `mechanismTruth` follow the
 * same rule (they return `null` without `truth.json`).
 *
 * A source is a data folder, anything with a `dataDir` (e.g. `notebookEnv()`), or a boolean
 * (tests, or a caller that already knows).
 */
export type TruthSource = boolean | string | { readonly dataDir: string };

/**
 * Whether the data of `src` are the generator's synthetic data (the folder has `truth.json`).
 *
 * @example
 *   isSynthetic(notebookEnv())          // true for data/raw/synthetic/<scale>
 *   isSynthetic("/path/to/real/data")    // false
 *   isSynthetic(false)                   // false
 */
export function isSynthetic(src: TruthSource): boolean {
  if (typeof src === "boolean") return src;
  const dir = typeof src === "string" ? src : src.dataDir;
  return fs.existsSync(path.join(dir, "truth.json"));
}

/**
 * The true parameters of the synthetic DGP (`TRUTH`, lib/synth/truth.ts) when `src` is synthetic
 * data (see `isSynthetic`), else `null`. Every exhibit builder takes its true values from here.
 *
 * @example
 *   truthFor(env)?.eq.beta_vagg   // 0.3087 on synthetic data, undefined on real data
 */
export function truthFor(src: TruthSource): typeof TRUTH | null {
  return isSynthetic(src) ? TRUTH : null;
}

/** An integer with thousands separators, as the papers print N ("624,577"). */
export function fmtN(n: number): string {
  return n.toLocaleString("en-US");
}
