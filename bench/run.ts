/**
 * `npm run bench`: whole-process timings of the `vagg` command, started as users start it
 * (`node_modules/.bin/vagg`, the link `npx vagg` resolves to), against R fixest 0.12.2 at its
 * default settings (`fixef.tol` 1e-6; both cores: `setFixest_nthreads(2)`), on the same files,
 * in the same run. Writes bench/RESULTS.md and prints the table.
 *
 *   npm run bench [-- --quick] [-- --reps N]
 *
 * - Designs (bench/design.ts), 616,591 rows each, every double written at full precision:
 *   A: fixed effects drawn independently; B: unbalanced, cities specialised in bands of
 *   products (seed 2: not the seed the engine was tuned on); C: 100,000 firm fixed effects;
 *   D and E: C's data with two high-dimensional fixed effects (firm + hs4^year; firm +
 *   city^hs4 + year), where no small reduced system exists and the demeaning iterates.
 *   OLS (10 regressors) and 2SLS (x1 instrumented by z1, all diagnostics), clustered by city^hs4.
 * - Design B also from Parquet and from Stata .dta (fixest reads the .dta with haven; this R has
 *   no Parquet reader, so its Parquet row reads the CSV), and at 5,000,000 rows (target ≥ 2×).
 * - Each pair is run alternately (vagg, fixest, vagg, fixest, …) after one warm-up of each, so
 *   drift of the machine's speed hits both; the table gives medians and the median of the
 *   pairwise ratios. Peak memory is the largest resident set size of the whole process
 *   (GNU time). Start-up of `npx vagg` is timed separately.
 * - fixest is optional: without `Rscript -e 'library(fixest)'` the R columns say "n/a" (the
 *   comparison needs R with fixest 0.12.2 installed).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeDesign, type DesignKind } from "./design";

const root = path.resolve(__dirname, "..");
const quick = process.argv.includes("--quick");
const repsArg = process.argv.indexOf("--reps");
const REPS = repsArg > 0 ? Number(process.argv[repsArg + 1]) : 3;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-bench-"));
const vaggBin = path.join(root, "node_modules/.bin/vagg");
const X = Array.from({ length: 10 }, (_, j) => `x${j + 1}`);

interface Run {
  wall: number;
  rssMb: number;
  ok: boolean;
  stdout: string;
  stderr: string;
}

function timed(cmd: string, args: string[]): Run {
  const r = spawnSync("/usr/bin/time", ["-f", "__TIME__ %e %M", cmd, ...args], { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 });
  const m = /__TIME__ ([\d.]+) (\d+)/.exec(r.stderr ?? "");
  return {
    wall: m ? Number(m[1]) : NaN,
    rssMb: m ? Number(m[2]) / 1024 : NaN,
    ok: r.status === 0,
    stdout: r.stdout ?? "",
    stderr: (r.stderr ?? "").replace(/__TIME__.*\n?/, ""),
  };
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

interface Paired {
  a: Run[];
  b: Run[] | null;
}

/** One warm-up of each, then `reps` alternating pairs. */
function paired(a: () => Run, b: (() => Run) | null, reps = REPS): Paired {
  a();
  b?.();
  const ra: Run[] = [],
    rb: Run[] = [];
  for (let k = 0; k < reps; k++) {
    ra.push(a());
    if (b) rb.push(b());
  }
  return { a: ra, b: b ? rb : null };
}

function hasFixest(): boolean {
  return spawnSync("Rscript", ["-e", "suppressMessages(library(fixest))"], { encoding: "utf8" }).status === 0;
}

const rows: string[][] = [];
function add(task: string, p: Paired, target: string, note = ""): void {
  const cell = (rs: Run[] | null) => {
    if (!rs) return "n/a";
    if (!rs.every((r) => r.ok)) return "failed";
    return `${median(rs.map((r) => r.wall)).toFixed(2)} s / ${Math.round(Math.max(...rs.map((r) => r.rssMb)))} MB`;
  };
  let ratio = "n/a";
  if (p.b && p.a.every((r) => r.ok) && p.b.every((r) => r.ok)) {
    const q = p.a.map((r, k) => (p.b![k] as Run).wall / r.wall);
    ratio = `**${median(q).toFixed(2)}** (${Math.min(...q).toFixed(2)}–${Math.max(...q).toFixed(2)})`;
  }
  const failed = p.a.find((r) => !r.ok) ?? p.b?.find((r) => !r.ok);
  if (failed) note = (note ? note + "; " : "") + failed.stderr.trim().split("\n").slice(-1)[0]?.slice(0, 160);
  rows.push([task, cell(p.a), cell(p.b), ratio, target, note]);
  console.log(rows[rows.length - 1]!.join(" | "));
}

/** Largest |vagg − fixest| / max(1, |fixest|) over the coefficients both report. */
function coefGap(v: Run, f: Run): string {
  try {
    const a = JSON.parse(v.stdout).coef as Record<string, number>;
    const b = JSON.parse(f.stdout.trim().split("\n").pop() as string).coef as Record<string, number>;
    let m = 0;
    for (const [k, x] of Object.entries(b)) {
      const y = a[k === "fit_x1" ? "x1" : k];
      if (y === undefined) return `coefficient ${k} missing in vagg`;
      m = Math.max(m, Math.abs(y - x) / Math.max(1, Math.abs(x)));
    }
    return `max coef gap ${m.toExponential(1)}`;
  } catch (e) {
    return `coefficients not compared (${(e as Error).message.slice(0, 60)})`;
  }
}

interface Design {
  id: string;
  label: string;
  kind: DesignKind;
  seed: number;
  fe: string;
}

const DESIGNS: Design[] = [
  { id: "A", label: "A: FE drawn independently", kind: "independent", seed: 1, fe: "city + hs4 + year" },
  { id: "B", label: "B: unbalanced, specialised (seed 2)", kind: "specialised", seed: 2, fe: "city + hs4 + year" },
  { id: "C", label: "C: 100,000 firm FE", kind: "firm", seed: 1, fe: "firm + hs4 + year" },
  // C's data with two high-dimensional fixed effects: no small reduced system, so iterative demeaning
  { id: "D", label: "D: C's data, firm + hs4^year FE (100,000 + 13,200 levels)", kind: "firm", seed: 1, fe: "firm + hs4^year" },
  {
    id: "E",
    label: "E: C's data, firm + city^hs4 + year FE (98,824 + 183,372 + 11 levels)",
    kind: "firm",
    seed: 1,
    fe: "firm + city^hs4 + year",
  },
];

function vaggFit(file: string, model: "ols" | "iv", fe: string): () => Run {
  const formula = model === "iv" ? `y ~ ${X.slice(1).join(" + ")} | ${fe} | x1 ~ z1` : `y ~ ${X.join(" + ")} | ${fe}`;
  return () => timed(vaggBin, ["estimate", "--data", file, "--formula", formula, "--vcov", "cluster:city^hs4", "--json"]);
}

function fixestFit(file: string, model: "ols" | "iv", fe: string): () => Run {
  return () => timed("Rscript", [path.join(root, "bench/r/fixest_fit.R"), file, model, fe, "2"]);
}

function fitRows(
  d: Design,
  n: number,
  R: boolean,
  formats: readonly ("csv" | "parquet" | "dta")[],
  models: readonly ("ols" | "iv")[],
): void {
  const csv = path.join(tmp, `design-${d.id}-${n}.csv`);
  writeDesign(csv, n, d.seed, { kind: d.kind });
  for (const fmt of formats) {
    let file = csv;
    if (fmt !== "csv") {
      file = csv.replace(/\.csv$/, `.${fmt}`);
      const c = timed(vaggBin, ["convert", csv, file]);
      if (!c.ok) throw new Error(`vagg convert ${fmt}: ${c.stderr}`);
    }
    // this R has no Parquet reader: fixest reads the same data from the CSV
    const rFile = fmt === "parquet" ? csv : file;
    for (const model of models) {
      const p = paired(vaggFit(file, model, d.fe), R ? fixestFit(rFile, model, d.fe) : null);
      const what = model === "iv" ? "2SLS" : "OLS";
      const src = fmt === "csv" ? "full-precision CSV" : fmt === "parquet" ? "Parquet (fixest: the CSV)" : "Stata .dta (fixest: haven)";
      add(
        `${d.label}, ${what}, ${src}, ${n.toLocaleString("en-US")} rows`,
        p,
        n < 1e6 ? "ratio ≥ 3" : "ratio ≥ 2",
        p.b && p.a[0]!.ok && p.b[0]!.ok ? coefGap(p.a[0]!, p.b[0]!) : "",
      );
    }
    if (file !== csv) fs.rmSync(file, { force: true });
  }
  fs.rmSync(csv, { force: true });
}

function main(): void {
  const R = hasFixest();
  console.log(
    `fixest available: ${R}; machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  spawnSync(process.execPath, [path.join(root, "scripts/build-cli.cjs")], { stdio: "inherit" });
  // start-up: the command as `npx` starts it, and the same command without npx
  add(
    "start-up: `vagg --help` (node_modules/.bin/vagg)",
    paired(() => timed(vaggBin, ["--help"]), null, 5),
    "",
    "",
  );
  add(
    "start-up: `npx vagg --help`",
    paired(() => timed("npx", ["--no-install", "vagg", "--help"]), null, 5),
    "",
    "npm's own start-up, before any vagg code runs",
  );
  for (const d of DESIGNS) fitRows(d, 616_591, R, d.id === "B" ? ["csv", "parquet", "dta"] : ["csv"], ["ols", "iv"]);
  if (!quick) fitRows(DESIGNS[1]!, 5_000_000, R, ["csv"], ["ols"]);
  if (!quick && fs.existsSync(path.join(root, "lib/cli/commands/placebo.ts"))) {
    const csv = path.join(tmp, "placebo.csv");
    writeDesign(csv, 616_591, 2);
    const vp = timed(vaggBin, [
      "placebo",
      "--data",
      csv,
      "--formula",
      `y ~ ${X.join(" + ")} | city + hs4 + year`,
      "--permute",
      "x1",
      "--reps",
      "1000",
      "--seed",
      "1",
      "--vcov",
      "cluster:city^hs4",
      "--json",
    ]);
    const fp = R ? timed("Rscript", [path.join(root, "bench/r/fixest_placebo.R"), csv, "5", "1", "2"]) : null;
    let note = "";
    if (fp?.ok) {
      const per = JSON.parse(fp.stdout.trim().split("\n").pop() as string) as Record<string, unknown>;
      const s = Number(per["per_rep_s"] ?? per["per_rep_mean_s"] ?? NaN);
      note = `fixest re-estimation loop: ${s.toFixed(2)} s per replication (mean of 5) → ≈ ${((s * 1000) / 60).toFixed(0)} min for 1,000`;
    }
    add("Placebo, 1,000 replications, design B, 616,591 rows", { a: [vp], b: null }, "≤ 15 s", note);
    fs.rmSync(csv, { force: true });
  }
  if (!quick) {
    const rc = timed(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "bench/read-csv.ts"), "5000000"]);
    add("Read 5,000,000 × 14 numeric CSV into the column table", { a: [rc], b: null }, "< 5 s", rc.stdout.trim());
    const rd = timed(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "bench/dta-read.ts")]);
    add("Read 5,000,000 × 14 numeric .dta", { a: [rd], b: null }, "≤ 5 s", rd.stdout.trim().split("\n").pop() ?? "");
  }
  const header = [
    "task",
    "vagg (median wall / peak RSS)",
    "fixest 0.12.2 (median wall / peak RSS)",
    "fixest / vagg (median, min–max)",
    "target",
    "note",
  ];
  const md = [
    `# Benchmark results`,
    ``,
    `Generated by \`npm run bench${quick ? " -- --quick" : ""}\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${os.loadavg()[0]!.toFixed(2)} at the end. Whole-process wall time, including start-up and reading the file, for both tools; ${REPS} alternating pairs after one warm-up of each. vagg is started as \`node_modules/.bin/vagg\`; fixest 0.12.2 at its default \`fixef.tol\` (1e-6) with \`setFixest_nthreads(2)\`, reading the CSV with \`data.table::fread\` (2 threads). Every design's doubles are written at full precision (shortest round-trip, 15–17 significant digits). Designs: bench/design.ts.`,
    ``,
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    ``,
  ].join("\n");
  fs.writeFileSync(path.join(root, "bench/RESULTS.md"), md);
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`\nwrote bench/RESULTS.md`);
}

main();
