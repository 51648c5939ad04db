import * as fs from "node:fs";
import * as path from "node:path";
import { TRUTH } from "../synth/truth";

/**
 * The one rule for "true (DGP)" rows and columns in the papers' exhibits: true values are shown
 * only when the data are the synthetic data of the generator, i.e. when the data folder carries
 * the generator's `truth.json` (`data/raw/synthetic/<scale>/truth.json`, or a `VAGG_DATA_DIR`
 * pointing at a generated folder). On real data (a `VAGG_DATA_DIR` without `truth.json`) every
 * exhibit builder omits its true row or column. `splitTruth` and `mechanismTruth` follow the
 * same rule (they return `null` without `truth.json`), and so does `rsTruth` (lib/papers/rs/truth.ts),
 * the RS exhibits' REALISED true values (truth.json → realised.rs, computed by the generator from
 * its data; `truthFor` below gives only the design parameters, e.g. the direct vagg slope).
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
 * The design parameters of the synthetic DGP (`TRUTH`, lib/synth/truth.ts) when `src` is synthetic
 * data (see `isSynthetic`), else `null`. EQ exhibit builders take their true values from here; RS
 * exhibits take theirs from `rsTruth` (realised values; an RS design parameter such as
 * `rs.beta_vagg`, the direct slope, is not the Table 3 truth).
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

/** The realised EQ truths the generator writes into `truth.json` → `realised.eq` (see `EqRealisedTruth`, lib/synth/eq.ts). */
export interface EqRealised {
  /** Table 2 col. 4: noiseless true cell quality on vagg + controls | city + year + HS4, all cells (the coverage truth). */
  readonly beta_vagg: number;
  /** Table 5 trade mode: the same on the processing and on the ordinary rows' cell quality. */
  readonly trade_mode: { readonly processing: number; readonly ordinary: number };
  /** The same regression on the true cell quality WITH the cell equation's noise: β̂ minus it is the measurement error alone. */
  readonly table2_col4_true_quality: number;
  readonly trade_mode_true_quality: { readonly processing: number; readonly ordinary: number };
  readonly cells: number;
}

/**
 * The realised EQ true values of a synthetic data folder (`truth.json` → `realised.eq`), or
 * `null` on real data (no `truth.json`) or a folder generated before they were written. These
 * are computed by the generator from its own data (the true cell quality regressed as the
 * exhibit regresses the measured one), unlike the design value `truthFor(src).eq.beta_vagg`
 * (0.3087, the published target the DGP is built around).
 *
 * @example
 *   eqRealisedTruth(env)?.beta_vagg   // the realised (noiseless) Table 2 col. 4 truth of the folder
 */
export function eqRealisedTruth(src: TruthSource): EqRealised | null {
  if (!isSynthetic(src)) return null;
  const dir = typeof src === "string" ? src : typeof src === "boolean" ? null : src.dataDir;
  if (dir === null) return null;
  const t = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8")) as { realised?: { eq?: EqRealised } };
  const r = t.realised?.eq;
  return r && Number.isFinite(r.beta_vagg) && Number.isFinite(r.table2_col4_true_quality) ? r : null;
}
