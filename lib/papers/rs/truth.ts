import * as fs from "node:fs";
import * as path from "node:path";
import { type TruthSource, isSynthetic } from "../truth";

/**
 * True values of the RS exhibits, computed by the generator from its realised synthetic data
 * (`lib/synth/rs.ts`, written into `truth.json` → `realised.rs`), never copied from the paper.
 * Definitions (all on the realised sample of the generator, see data/codebook/dgp.md):
 */
export interface RsTruth {
  /** Table 3 col 4: coefficient of vagg in resi ~ vagg + controls | city + year, computed from the realised synthetic data
   *  (the noiseless structural part of the latent score, rescaled to index units, regressed on vagg with the controls and city + year FE). */
  readonly table3: number;
  /** Table 4 realised group slopes; keys old_industrial, digital_infra_high, urban_agglomeration, yangtze_belt. */
  readonly table4: Readonly<Record<string, { readonly in: number; readonly out: number }>>;
  /** Mechanism steps, keys "vagg→dist", "vagg→distK", "vagg→distL", "dist→resi", "distK→resi", "distL→resi",
   *  "vagg→mp", "vagg→lmp", "vagg→hmp", "mp→resi", "lmp→resi", "hmp→resi" (a key may be absent when the DGP fixes no value). */
  readonly mechanisms: Readonly<Record<string, number>>;
  /** §6 centred interaction model: keys "vagg_c", "agg_c", "vagg_c:agg_c". */
  readonly extension: Readonly<Record<string, number>>;
  /** Smart-city pilot DID on resi (TWFE ATT implied by the DGP). */
  readonly did: number;
}

/**
 * Realised true values when `src` is the generator's synthetic data (reads `truth.json` → `realised.rs`), else null
 * (real data, a boolean source, or a truth.json written before the generator computed realised RS truths).
 *
 * @example
 *   rsTruth(notebookEnv())?.table3   // the realised Table 3 truth on synthetic data; undefined on real data
 */
export function rsTruth(src: TruthSource): RsTruth | null {
  if (!isSynthetic(src) || typeof src === "boolean") return null;
  const dir = typeof src === "string" ? src : src.dataDir;
  const file = path.join(dir, "truth.json");
  let j: { realised?: { rs?: unknown } };
  try {
    j = JSON.parse(fs.readFileSync(file, "utf8")) as typeof j;
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const rs = j.realised?.rs as RsTruth | undefined;
  if (rs === undefined || rs === null) return null;
  if (typeof rs.table3 !== "number" || typeof rs.did !== "number" || typeof rs.table4 !== "object")
    throw new Error(`${file}: realised.rs lacks table3/table4/did`);
  return rs;
}
