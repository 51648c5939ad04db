import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Content hashes of files and source trees: what the runner's cache, the provenance block and the
 * saved recovery studies use to tell whether their inputs changed.
 */

/** SHA-256 of a file, streamed (data files can be gigabytes). */
export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash("sha256");
    fs.createReadStream(file, { highWaterMark: 1 << 20 })
      .on("data", (b) => h.update(b))
      .on("error", reject)
      .on("end", () => resolve(h.digest("hex")));
  });
}

/**
 * The SHA-256 of a string or buffer, as hex.
 *
 * @example
 *   sha256("abc").slice(0, 8); // "ba7816bf"
 */
export function sha256(s: string | Buffer): string {
  return createHash("sha256").update(s).digest("hex");
}

/** Regular files under `dir`, recursively, sorted, as paths relative to `base`. */
export function listFiles(dir: string, base: string, skip: (rel: string, isDir: boolean) => boolean = () => false): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let ents: fs.Dirent[];
    try {
      ents = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of ents) {
      const abs = path.join(d, e.name);
      const rel = path.relative(base, abs).split(path.sep).join("/");
      if (e.isDirectory()) {
        if (!skip(rel, true)) walk(abs);
      } else if (e.isFile() && !skip(rel, false)) out.push(rel);
    }
  };
  walk(dir);
  return out.sort();
}

const LIB_EXT = /\.(ts|cts|mts|js|cjs|mjs|json)$/;

/** One hash over every source under lib/ (path + content), node_modules and build output excluded. */
export function hashLib(libDir: string): string {
  const files = listFiles(libDir, libDir, (rel, isDir) => (isDir ? /(^|\/)(node_modules|dist)$/.test(rel) : !LIB_EXT.test(rel)));
  return sha256(files.map((f) => `${f}\0${sha256(fs.readFileSync(path.join(libDir, f)))}`).join("\n"));
}
