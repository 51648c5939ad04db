import * as fs from "node:fs";
import * as path from "node:path";
import { generate, DEFAULT_SEED } from "../../synth";

/** `npm run data -- --scale small|default|paper [--seed S] [--out DIR]`: generate the synthetic raw files; prints time and disk size. */
export async function runData(argv: string[]): Promise<number> {
  const arg = (k: string): string | undefined => {
    const i = argv.indexOf(k);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const scale = (arg("--scale") ?? "small") as "small" | "default" | "paper";
  if (!["small", "default", "paper"].includes(scale)) {
    console.error(`vagg data: unknown --scale "${scale}" (small | default | paper)`);
    return 2;
  }
  const seed = arg("--seed") !== undefined ? Number(arg("--seed")) : DEFAULT_SEED;
  if (!Number.isInteger(seed)) {
    console.error(`vagg data: --seed must be an integer`);
    return 2;
  }
  const t0 = Date.now();
  const man = await generate({ scale, seed, outDir: arg("--out") });
  const bytes = man.files.reduce((a, f) => a + f.bytes, 0) + fs.statSync(path.join(man.outDir, "manifest.json")).size;
  console.log(
    `vagg data: scale ${scale}, seed ${seed} → ${man.outDir}: ${man.files.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );
  return 0;
}
