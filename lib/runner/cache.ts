import * as fs from "node:fs";
import * as path from "node:path";
import { sha256 } from "../util/file-hash";
import type { DataFileHash } from "./provenance";

/**
 * A notebook is skipped when nothing it depends on changed since its last successful run:
 * its own file, the `.ts` files next to it, every source under `lib/`, the data files, the
 * lock file, the run parameters (scale, seed) and Node's version. The manifest lives in
 * `<out>/.cache/<name>.json` and is written only after an ok run.
 */
export interface CacheParts {
  notebook: string;
  localTs: string;
  lib: string;
  data: string;
  lock: string;
  params: string;
}

export interface CacheManifest {
  key: string;
  parts: CacheParts;
  seconds: number;
  cells: number;
  at: string;
}

/**
 * One hash over the data files a run reads (path, size and content hash of each).
 *
 * @example
 *   hashData([{ path: "data/raw/public/adh/master.csv", bytes: 1234, sha256: "…" }]);
 */
export function hashData(files: readonly DataFileHash[]): string {
  return sha256(files.map((f) => `${f.path}\0${f.sha256}`).join("\n"));
}

/**
 * What a notebook's cached result depends on: its own source, the library, the data, the lock file, the scale and the seed.
 *
 * @example
 *   cacheKey(cacheParts("notebooks/eq/eq-04.ipynb", shared));
 */
export function cacheParts(nbPath: string, shared: { lib: string; data: string; lock: string; scale: string; seed: number }): CacheParts {
  const dir = path.dirname(nbPath);
  const local = fs
    .readdirSync(dir)
    .filter((f) => /\.(ts|cts|mts)$/.test(f) && !f.endsWith(".d.ts"))
    .sort();
  return {
    notebook: sha256(fs.readFileSync(nbPath)),
    localTs: sha256(local.map((f) => `${f}\0${sha256(fs.readFileSync(path.join(dir, f)))}`).join("\n")),
    lib: shared.lib,
    data: shared.data,
    lock: shared.lock,
    params: sha256(
      JSON.stringify({ scale: shared.scale, seed: shared.seed, node: process.version, recovery: process.env["VAGG_RECOVERY"] ?? "" }),
    ),
  };
}

/**
 * The cache key of a notebook run: a hash of its `cacheParts`.
 *
 * @example
 *   cacheKey(parts) === readManifest(out, name)?.key; // up to date
 */
export function cacheKey(p: CacheParts): string {
  return sha256(JSON.stringify(p));
}

/**
 * Where a notebook's cache manifest lives in the output folder (`.cache/<name>.json`).
 *
 * @example
 *   manifestPath("exports", "eq-04-baseline-endogeneity");
 */
export function manifestPath(outDir: string, name: string): string {
  return path.join(outDir, ".cache", `${name}.json`);
}

/**
 * A notebook's cache manifest, or null when there is none or it cannot be read.
 *
 * @example
 *   readManifest("exports", "eq-04-baseline-endogeneity")?.key;
 */
export function readManifest(outDir: string, name: string): CacheManifest | null {
  const f = manifestPath(outDir, name);
  if (!fs.existsSync(f)) return null;
  try {
    return JSON.parse(fs.readFileSync(f, "utf8")) as CacheManifest;
  } catch {
    return null;
  }
}

/**
 * Write a notebook's cache manifest (its key, the parts of the key, its runtime and cell count).
 *
 * @example
 *   writeManifest("exports", name, { key, parts, seconds, cells, at: new Date().toISOString() });
 */
export function writeManifest(outDir: string, name: string, m: CacheManifest): void {
  const f = manifestPath(outDir, name);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, JSON.stringify(m, null, 1) + "\n");
}

/**
 * Remove a notebook's cache manifest (after a failed run, so it is executed again).
 *
 * @example
 *   removeManifest("exports", name);
 */
export function removeManifest(outDir: string, name: string): void {
  fs.rmSync(manifestPath(outDir, name), { force: true });
}

/** Which parts differ (for the log line "rerun: lib, data changed"). */
export function changedParts(prev: CacheParts | undefined, next: CacheParts): string[] {
  if (!prev) return ["no previous ok run"];
  return (Object.keys(next) as (keyof CacheParts)[]).filter((k) => prev[k] !== next[k]);
}
