import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ArgumentError } from "../util/errors";
import { projectSeed } from "../util/seed";
import { cacheKey, cacheParts, changedParts, hashData, readManifest, removeManifest, writeManifest } from "./cache";
import { hashLib, listFiles } from "../util/file-hash";
import type { IndexEntry } from "./html";
import { renderIndex, renderReport } from "./html";
import { writeNotebook } from "./notebook";
import type { Provenance } from "./provenance";
import { collectProvenance } from "./provenance";
import { executeNotebook } from "./execute";
import { generate } from "../synth";
import { withHeapFlags } from "../util/heap-flags";

/**
 * `vagg reproduce`: generate the synthetic data if missing, execute every notebook of
 * notebooks/toc.json (each in its own tslab kernel, `jobs` at a time) and export, into the out dir,
 * `<name>.ipynb` (executed, nbformat 4.5), `<name>.html` (self-contained offline report),
 * `index.html` and `run-log.json`.
 */
export type Scale = "small" | "default" | "paper";
export const SCALES: readonly Scale[] = ["small", "default", "paper"];

export interface TocEntry {
  name: string;
  file: string;
  title: string;
}

export interface RunLogEntry {
  name: string;
  status: "ok" | "error";
  cells: number;
  failedCell?: number;
  message?: string;
  /** Skipped because nothing it depends on changed since the last ok run. */
  cached?: boolean;
  title?: string;
  report?: string;
  notebook?: string;
  /** The only fields that differ between two runs of the same commit, data, seed and scale. */
  timings: { seconds: number; at: string };
}

export interface RunOptions {
  /** Repository root (lib/, data/raw/, package-lock.json). */
  root: string;
  /** Table of contents; notebook paths in it are relative to its folder. */
  toc: string;
  outDir: string;
  scale: Scale;
  seed: number;
  only?: readonly string[];
  force?: boolean;
  /** Write into the committed exports/ from a working tree with uncommitted changes (reports carry a warning). */
  allowDirty?: boolean;
  timeoutSec: number;
  /** Library sources whose hash invalidates the cache (default <root>/lib). */
  libDir?: string;
  /** Data files hashed for provenance and the cache (default: data/raw/public and the scale's synthetic folder, or VAGG_DATA_DIR). */
  dataDir?: string;
  /** Call lib/synth's generate() when the data are missing (default true). */
  generateData?: boolean;
  /** Notebooks executed at once, each in its own kernel (default 1). */
  jobs?: number;
  /** Called when a code cell starts (default: a progress line on a terminal). */
  onCell?: (notebook: string, cell: number, cells: number) => void;
  /** Progress lines (default: stdout). Failure lines always go to `error`. */
  log?: (line: string) => void;
  error?: (line: string) => void;
}

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export const HELP = `vagg reproduce — execute every notebook and export the appendix reports

Usage: npm run reproduce -- [options]

Options:
  --scale small|default|paper   data scale (env VAGG_SCALE for the notebooks; default: paper, the
                                papers' own sample sizes, as the committed appendix)
  --seed S                      project seed (env VAGG_SEED; default: VAGG_SEED or the project seed)
  --only NAME[,NAME…]           run only these toc entries (repeatable)
  --force                       rerun even when nothing changed since the last ok run
  --allow-dirty                 write into exports/ although files outside exports/ differ from
                                the commit (the reports then carry a visible warning)
  --out DIR                     output folder (default: exports/)
  --timeout SECONDS             per-notebook limit, whole notebook (default: 3600; only a hung
                                kernel should meet it: the paper-scale EQ recovery study took
                                up to 1,730 s on a slow 2-core machine)
  --jobs N                      notebooks executed at once, each in its own kernel
                                (default: the number of CPUs, at most 2)
  --toc FILE                    table of contents (default: notebooks/toc.json)
  --no-data                     do not generate missing synthetic data
  --help                        this text

Each notebook runs in the project's tslab kernel (notebooks/.jupyter/kernels/tslab), the kernel
Jupyter, JupyterLab and VS Code use, driven over the Jupyter messaging protocol.
Writes <out>/<name>.ipynb, <out>/<name>.html, <out>/index.html, <out>/run-log.json.
A failing notebook prints "notebook <name>, cell <n>: <message>" (n = its In [n]) and the
command exits 1 after writing the partial report.`;

/**
 * The options of `vagg reproduce` from its arguments (`--scale`, `--only`, `--seed`, `--force`, `--jobs`, `--out`, `--allow-dirty`, `--no-data`), or "help".
 *
 * @example
 *   parseReproduceArgs(["--scale", "small", "--only", "rs-01-measurement"]);
 */
export function parseReproduceArgs(argv: readonly string[], root = REPO_ROOT): RunOptions | "help" {
  let scale: string = process.env["VAGG_SCALE"] || "paper";
  let seed: number | undefined;
  const only: string[] = [];
  let force = false;
  let allowDirty = false;
  let jobs = Math.max(1, Math.min(2, os.availableParallelism()));
  let out = path.join(root, "exports");
  let timeoutSec = 3600;
  let toc = path.join(root, "notebooks", "toc.json");
  let generateData = true;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const eq = a.indexOf("=");
    const name = a.startsWith("--") && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      const v = eq > 0 && a.startsWith("--") ? a.slice(eq + 1) : argv[++i];
      if (v === undefined || v === "") throw new ArgumentError(`option ${name} needs a value`);
      return v;
    };
    switch (name) {
      case "--help":
      case "-h":
        return "help";
      case "--scale":
        scale = value();
        break;
      case "--seed": {
        const v = value();
        const s = Number(v);
        if (!Number.isInteger(s) || s < 0) throw new ArgumentError(`--seed must be a non-negative integer, got "${v}"`);
        seed = s;
        break;
      }
      case "--only":
        only.push(
          ...value()
            .split(",")
            .map((s) => s.trim())
            .filter(Boolean),
        );
        break;
      case "--force":
        force = true;
        break;
      case "--allow-dirty":
        allowDirty = true;
        break;
      case "--out":
        out = path.resolve(value());
        break;
      case "--timeout": {
        const v = value();
        const t = Number(v);
        if (!Number.isFinite(t) || t <= 0) throw new ArgumentError(`--timeout must be a positive number of seconds, got "${v}"`);
        timeoutSec = t;
        break;
      }
      case "--jobs": {
        const v = value();
        const j = Number(v);
        if (!Number.isInteger(j) || j < 1) throw new ArgumentError(`--jobs must be a positive integer, got "${v}"`);
        jobs = j;
        break;
      }
      case "--toc":
        toc = path.resolve(value());
        break;
      case "--no-data":
        generateData = false;
        break;
      default:
        throw new ArgumentError(`unknown option "${a}" for "vagg reproduce" (see --help)`);
    }
  }
  if (!(SCALES as readonly string[]).includes(scale))
    throw new ArgumentError(`--scale must be one of ${SCALES.join(", ")}, got "${scale}"`);
  const opts: RunOptions = {
    root,
    toc,
    outDir: out,
    scale: scale as Scale,
    seed: seed ?? projectSeed(),
    force,
    allowDirty,
    jobs,
    timeoutSec,
    generateData,
  };
  if (only.length) opts.only = only;
  return opts;
}

/** CLI entry, wired as `vagg reproduce …` / `npm run reproduce -- …`. Returns the exit code. */
export async function runReproduce(argv: string[]): Promise<number> {
  const opts = parseReproduceArgs(argv);
  if (opts === "help") {
    console.log(HELP);
    return 0;
  }
  const log = await runAll(opts);
  return log.some((e) => e.status === "error") ? 1 : 0;
}

/**
 * The notebooks of the appendix, in order, from notebooks/toc.json.
 *
 * @example
 *   readToc("notebooks/toc.json").map((e) => e.name);
 */
export function readToc(tocPath: string): TocEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(tocPath, "utf8"));
  } catch (e) {
    throw new ArgumentError(`cannot read the table of contents ${tocPath}: ${(e as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new ArgumentError(`${tocPath} must be a JSON array of {name, file, title}`);
  const seen = new Set<string>();
  return raw.map((x: unknown, i: number) => {
    const e = x as Partial<TocEntry>;
    if (!e || typeof e.name !== "string" || typeof e.file !== "string")
      throw new ArgumentError(`${tocPath}: entry ${i} needs string "name" and "file"`);
    if (!/^[A-Za-z0-9._-]+$/.test(e.name))
      throw new ArgumentError(
        `${tocPath}: entry name "${e.name}" may use only letters, digits, ".", "_" and "-" (it names the output files)`,
      );
    if (seen.has(e.name)) throw new ArgumentError(`${tocPath}: duplicate name "${e.name}"`);
    seen.add(e.name);
    return { name: e.name, file: e.file, title: typeof e.title === "string" ? e.title : e.name };
  });
}

/**
 * Generate the synthetic data through lib/synth's `generate({scale, seed, outDir})` when it
 * exists and the data for this scale, seed and generator source are not there yet (stamp in
 * data/raw/synthetic/<scale>/.stamp.json).
 */
export async function ensureData(opts: RunOptions, say: (s: string) => void): Promise<void> {
  const outDir = path.join(opts.root, "data", "raw", "synthetic", opts.scale);
  // the stamp lives with the data and names the generator's source hash, so any --out reuses
  // the data and a changed generator regenerates it
  const stampFile = path.join(outDir, ".stamp.json");
  const generator = hashLib(path.join(opts.root, "lib", "synth")).slice(0, 16);
  type Stamp = { scale: string; seed: number; generator?: string; files: Record<string, number> };
  let stamp: Stamp | null = null;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile, "utf8")) as Stamp;
  } catch {
    stamp = null;
  }
  const present = (s: Stamp): boolean =>
    Object.keys(s.files).length > 0 &&
    Object.entries(s.files).every(([f, bytes]) => {
      try {
        return fs.statSync(path.join(outDir, f)).size === bytes;
      } catch {
        return false;
      }
    });
  if (stamp && stamp.scale === opts.scale && stamp.seed === opts.seed && stamp.generator === generator && present(stamp)) {
    say(`data: synthetic data (scale ${opts.scale}, seed ${opts.seed}) present`);
    return;
  }
  say(`data: generating synthetic data (scale ${opts.scale}, seed ${opts.seed}) into ${path.relative(opts.root, outDir)}/ …`);
  const t0 = Date.now();
  await generate({ scale: opts.scale, seed: opts.seed, outDir });
  const files: Record<string, number> = {};
  for (const f of listFiles(outDir, outDir)) if (f !== ".stamp.json") files[f] = fs.statSync(path.join(outDir, f)).size;
  fs.mkdirSync(path.dirname(stampFile), { recursive: true });
  fs.writeFileSync(stampFile, JSON.stringify({ scale: opts.scale, seed: opts.seed, generator, files }, null, 1) + "\n");
  say(`data: generated ${Object.keys(files).length} files in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/**
 * Run the appendix: generate the synthetic data if missing, execute every selected notebook in its own tslab kernel (N at a time), write the executed notebooks, HTML reports, index and run log, and return one entry per notebook.
 *
 * @example
 *   const log = await runAll(parseReproduceArgs(["--scale", "small", "--out", "/tmp/x"]) as RunOptions);
 */
/**
 * The library's declaration files the kernel type-checks cells against (lib/dist/types, see
 * scripts/build-types.cjs), rebuilt when a library source is newer: before the kernels start,
 * so parallel kernels do not each rebuild them.
 */
function ensureKernelTypes(root: string): void {
  const script = path.join(root, "scripts", "build-types.cjs");
  if (!fs.existsSync(script)) return;
  const { spawnSync } = require("node:child_process") as typeof import("node:child_process");
  const r = spawnSync(process.execPath, [script, "--if-stale"], { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0)
    throw new Error("the library's declaration files for the notebook kernel could not be built (node scripts/build-types.cjs)");
}

/**
 * The order in which `runAll` starts the notebooks: longest first by the seconds each took in the
 * last run (run-log.json), the rest after them in table-of-contents order. With two kernels, a
 * long notebook started last leaves one core idle while it finishes alone; longest-first list
 * scheduling (Graham 1969, "LPT") bounds the finishing time by 4/3 of the optimum. The order
 * changes nothing in the outputs (notebooks are independent), only when each one starts.
 *
 * @example
 *   longestFirst(toc, readRunLog("exports")).map((e) => e.name)   // ["eq-10-recovery", "eq-06-heterogeneity", …]
 */
export function longestFirst<T extends { readonly name: string }>(
  entries: readonly T[],
  previous: ReadonlyMap<string, { readonly timings?: { readonly seconds?: number } }>,
): T[] {
  const secs = (e: T): number => {
    const s = previous.get(e.name)?.timings?.seconds;
    return typeof s === "number" && Number.isFinite(s) ? s : -1;
  };
  return entries
    .map((e, i) => ({ e, i, s: secs(e) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.e);
}

export async function runAll(opts: RunOptions): Promise<RunLogEntry[]> {
  const say = opts.log ?? ((s: string) => process.stdout.write(s + "\n"));
  const fail = opts.error ?? ((s: string) => process.stderr.write(s + "\n"));
  const toc = readToc(opts.toc);
  const tocDir = path.dirname(opts.toc);
  if (opts.only) {
    const unknown = opts.only.filter((n) => !toc.some((e) => e.name === n));
    if (unknown.length)
      throw new ArgumentError(
        `--only: no notebook named ${unknown.map((u) => `"${u}"`).join(", ")} in ${path.relative(opts.root, opts.toc) || opts.toc} (names: ${toc.map((e) => e.name).join(", ")})`,
      );
  }
  const selected = opts.only ? toc.filter((e) => (opts.only as readonly string[]).includes(e.name)) : toc;
  fs.mkdirSync(path.join(opts.outDir, ".cache"), { recursive: true });
  if (opts.generateData !== false) await ensureData(opts, say);
  ensureKernelTypes(opts.root);

  const prov: Provenance = await collectProvenance(opts.root, {
    seed: opts.seed,
    scale: opts.scale,
    dataHashCache: path.join(opts.outDir, ".cache", "data-hashes.json"),
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
  });
  const committedExports = path.resolve(opts.outDir) === path.resolve(opts.root, "exports");
  if (committedExports && prov.dirty && !opts.allowDirty) {
    throw new ArgumentError(
      `the working tree differs from commit ${(prov.commit ?? "?").slice(0, 10)} outside exports/ (${prov.dirtyFiles.slice(0, 5).join(", ")}${prov.dirtyFiles.length > 5 ? ", …" : ""}): commit first, write elsewhere with --out DIR, or pass --allow-dirty (the reports then say so)`,
    );
  }
  const shared = {
    lib: hashLib(opts.libDir ?? path.join(opts.root, "lib")),
    data: hashData(prov.dataFiles),
    lock: prov.lockFile?.sha256 ?? "none",
    scale: opts.scale,
    seed: opts.seed,
  };
  // the notebooks write their tables and figures under the same output folder as the reports
  const env = {
    VAGG_SCALE: opts.scale,
    VAGG_SEED: String(opts.seed),
    VAGG_EXPORTS: path.resolve(opts.outDir),
    ...withHeapFlags(process.env),
  };

  const previous = readRunLog(opts.outDir);
  const results = new Map<string, RunLogEntry>();
  const runOne = async (entry: TocEntry, k: number): Promise<void> => {
    const tag = `[${k}/${selected.length}] ${entry.name}`;
    const nbPath = path.resolve(tocDir, entry.file);
    const htmlName = `${entry.name}.html`;
    const ipynbName = `${entry.name}.ipynb`;
    if (!fs.existsSync(nbPath)) {
      const message = `notebook file not found: ${path.relative(opts.root, nbPath)}`;
      fail(`notebook ${entry.name}, cell 0: ${message}`);
      results.set(entry.name, {
        name: entry.name,
        title: entry.title,
        status: "error",
        cells: 0,
        message,
        timings: { seconds: 0, at: new Date().toISOString() },
      });
      return;
    }
    const parts = cacheParts(nbPath, shared);
    const key = cacheKey(parts);
    const man = readManifest(opts.outDir, entry.name);
    const outputsExist = fs.existsSync(path.join(opts.outDir, htmlName)) && fs.existsSync(path.join(opts.outDir, ipynbName));
    if (!opts.force && man && man.key === key && outputsExist) {
      say(`${tag}: unchanged since the ok run of ${man.at}, skipped (--force reruns)`);
      results.set(entry.name, {
        name: entry.name,
        title: entry.title,
        status: "ok",
        cells: man.cells,
        cached: true,
        report: htmlName,
        notebook: ipynbName,
        timings: { seconds: man.seconds, at: man.at },
      });
      return;
    }
    say(`${tag}: running${man && !opts.force ? ` (changed: ${changedParts(man.parts, parts).join(", ")})` : ""} …`);
    const r = await executeNotebook(nbPath, {
      timeoutSec: opts.timeoutSec,
      env,
      onCell: opts.onCell ? (n, total) => opts.onCell?.(entry.name, n, total) : (opts.jobs ?? 1) === 1 ? progressLine(tag) : undefined,
    });
    const at = new Date().toISOString();
    r.notebook.metadata = {
      ...r.notebook.metadata,
      vagg: {
        name: entry.name,
        scale: opts.scale,
        seed: opts.seed,
        commit: prov.commit,
        dirty: prov.dirty,
        status: r.status,
        versions: r.versions ?? null,
        timings: { seconds: r.seconds, at },
      },
    };
    writeNotebook(path.join(opts.outDir, ipynbName), r.notebook);
    const info = {
      name: entry.name,
      title: entry.title,
      status: r.status,
      seconds: r.seconds,
      provenance: { ...prov, versions: { ...prov.versions, ...(r.versions ? { "typescript (tslab cells)": r.versions.typescript } : {}) } },
      indexHref: "index.html",
      notebookHref: ipynbName,
    };
    const report = renderReport(r.notebook, {
      ...info,
      ...(r.failedIndex !== undefined ? { failedIndex: r.failedIndex } : {}),
      ...(r.failedCell !== undefined ? { failedCell: r.failedCell } : {}),
      ...(r.message !== undefined ? { message: r.message } : {}),
    });
    fs.writeFileSync(path.join(opts.outDir, htmlName), report);
    const e: RunLogEntry = {
      name: entry.name,
      title: entry.title,
      status: r.status,
      cells: r.cells,
      report: htmlName,
      notebook: ipynbName,
      timings: { seconds: r.seconds, at },
    };
    if (r.status === "error") {
      e.failedCell = r.failedCell ?? 0;
      e.message = r.message ?? "unknown error";
      fail(`notebook ${entry.name}, cell ${e.failedCell}: ${e.message}`);
      removeManifest(opts.outDir, entry.name);
    } else {
      say(`${tag}: ok, ${r.cells} cells, ${r.seconds.toFixed(1)} s`);
      writeManifest(opts.outDir, entry.name, { key, parts, seconds: r.seconds, cells: r.cells, at });
    }
    results.set(entry.name, e);
  };
  // notebooks are independent (each reads data/raw and writes its own files): run `jobs` at a time,
  // each in its own kernel, longest first by the last run's times; outputs do not depend on the order
  const order = longestFirst(selected, previous);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < order.length) {
      const entry = order[next++] as TocEntry;
      await runOne(entry, selected.indexOf(entry) + 1);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.jobs ?? 1, selected.length)) }, worker));

  // run-log.json and index.html cover the whole toc: entries not selected this time keep their last result.
  const log: RunLogEntry[] = [];
  const index: IndexEntry[] = [];
  for (const entry of toc) {
    const e = results.get(entry.name) ?? previous.get(entry.name);
    if (e) {
      log.push(e);
      const ie: IndexEntry = { name: e.name, title: entry.title, status: e.status, seconds: e.timings?.seconds ?? 0, cells: e.cells };
      if (e.failedCell !== undefined) ie.failedCell = e.failedCell;
      if (e.message !== undefined) ie.message = e.message;
      if (e.cached) ie.cached = true;
      if (e.report && fs.existsSync(path.join(opts.outDir, e.report))) ie.report = e.report;
      if (e.notebook && fs.existsSync(path.join(opts.outDir, e.notebook))) ie.notebook = e.notebook;
      index.push(ie);
    } else index.push({ name: entry.name, title: entry.title, status: "missing" });
  }
  fs.writeFileSync(path.join(opts.outDir, "run-log.json"), JSON.stringify(log, null, 1) + "\n");
  fs.writeFileSync(path.join(opts.outDir, "index.html"), renderIndex(index, prov));
  const bad = [...results.values()].filter((e) => e.status === "error").length;
  say(
    `reproduce: ${results.size - bad} ok, ${bad} failed → ${path.relative(process.cwd(), path.join(opts.outDir, "index.html")) || "index.html"}`,
  );
  return [...results.values()];
}

/** "In [n/N]" progress on a terminal (rewritten in place); nothing when stdout is not a TTY. */
function progressLine(tag: string): ((n: number, total: number) => void) | undefined {
  if (!process.stdout.isTTY) return undefined;
  return (n, total) => {
    process.stdout.write(`\r${tag}: cell ${n}/${total}\x1b[K`);
    if (n === total) process.stdout.write("\r\x1b[K");
  };
}

function readRunLog(outDir: string): Map<string, RunLogEntry> {
  const m = new Map<string, RunLogEntry>();
  try {
    const arr = JSON.parse(fs.readFileSync(path.join(outDir, "run-log.json"), "utf8")) as RunLogEntry[];
    if (Array.isArray(arr)) for (const e of arr) if (e && typeof e.name === "string") m.set(e.name, e);
  } catch {
    /* first run */
  }
  return m;
}
