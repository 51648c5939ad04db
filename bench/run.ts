/**
 * `npm run bench`: whole-process timings of the vagg CLI against R fixest 0.12.2 on the
 * same CSV, at the papers' scale, plus the data-layer benchmarks. Writes bench/RESULTS.md
 * and prints the table. fixest is optional: without `Rscript -e 'library(fixest)'` the R
 * columns say "n/a" (the comparison needs R with fixest 0.12.2 installed).
 *
 *   npm run bench [-- --quick]      (--quick: 616,591 rows only, no 5M-row runs)
 *
 * Peak memory is the maximum resident set size reported by GNU time for the whole process.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { writeDesign } from "./design";

const root = path.resolve(__dirname, "..");
const quick = process.argv.includes("--quick");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-bench-"));
const FORMULA = "y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 | city + hs4 + year";
const IV_FORMULA = "y ~ x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 | city + hs4 + year | x1 ~ z1";

interface Timing {
  wall: number;
  rssMb: number;
  ok: boolean;
  stdout: string;
  stderr: string;
}

function timed(cmd: string, args: string[]): Timing {
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

function best(n: number, f: () => Timing): Timing {
  let b: Timing | null = null;
  for (let i = 0; i < n; i++) {
    const t = f();
    if (!b || (t.ok && t.wall < b.wall)) b = t;
  }
  return b as Timing;
}

function hasFixest(): boolean {
  const r = spawnSync("Rscript", ["-e", "suppressMessages(library(fixest))"], { encoding: "utf8" });
  return r.status === 0;
}

const rows: string[][] = [];
function add(task: string, vagg: Timing | null, fixest: Timing | null, target: string, note = ""): void {
  const f = (t: Timing | null) => (t && t.ok ? `${t.wall.toFixed(2)} s / ${Math.round(t.rssMb)} MB` : t ? "failed" : "n/a");
  const ratio = vagg && fixest && vagg.ok && fixest.ok ? (fixest.wall / vagg.wall).toFixed(2) : "n/a";
  rows.push([task, f(vagg), f(fixest), ratio, target, note]);
  console.log(rows[rows.length - 1]!.join(" | "));
}

function main(): void {
  const R = hasFixest();
  console.log(
    `fixest available: ${R}; machine: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB; load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  spawnSync(process.execPath, [path.join(root, "scripts/build-cli.cjs")], { stdio: "inherit" });
  const vaggCli = path.join(root, "lib/cli/vagg.cjs");
  const sizes = quick ? [616_591] : [616_591, 5_000_000];
  for (const n of sizes) {
    const csv = path.join(tmp, `design-${n}.csv`);
    writeDesign(csv, n, 1);
    const v = best(2, () =>
      timed(process.execPath, [vaggCli, "estimate", "--data", csv, "--formula", FORMULA, "--vcov", "cluster:city^hs4", "--json"]),
    );
    const fx = R ? best(2, () => timed("Rscript", [path.join(root, "bench/r/fixest_ols.R"), csv, "2", "1e-8"])) : null;
    if (v.ok && fx?.ok) {
      const a = JSON.parse(v.stdout).coef.x1 as number,
        b = JSON.parse(fx.stdout.trim().split("\n").pop() as string).coef.x1 as number;
      add(
        `OLS, 3 FE, cluster city^hs4, ${n.toLocaleString("en-US")} rows`,
        v,
        fx,
        n < 1e6 ? "ratio ≥ 3" : "ratio ≥ 2",
        `x1: vagg ${a.toFixed(8)}, fixest ${b.toFixed(8)}`,
      );
    } else
      add(
        `OLS, 3 FE, cluster city^hs4, ${n.toLocaleString("en-US")} rows`,
        v,
        fx,
        n < 1e6 ? "ratio ≥ 3" : "ratio ≥ 2",
        v.ok ? "" : v.stderr.slice(0, 200),
      );
    if (n < 1e6) {
      const hasIv = fs.existsSync(path.join(root, "lib/estimators/iv2sls.ts"));
      if (hasIv) {
        const vi = best(2, () =>
          timed(process.execPath, [vaggCli, "estimate", "--data", csv, "--formula", IV_FORMULA, "--vcov", "cluster:city^hs4", "--json"]),
        );
        const fi = R ? best(2, () => timed("Rscript", [path.join(root, "bench/r/fixest_iv.R"), csv, "2", "1e-8"])) : null;
        add(`2SLS, 3 FE, cluster city^hs4, ${n.toLocaleString("en-US")} rows`, vi, fi, "ratio ≥ 3", vi.ok ? "" : vi.stderr.slice(0, 200));
      }
      if (fs.existsSync(path.join(root, "lib/cli/commands/placebo.ts"))) {
        const vp = timed(process.execPath, [
          vaggCli,
          "placebo",
          "--data",
          csv,
          "--formula",
          FORMULA,
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
        const fp = R ? timed("Rscript", [path.join(root, "bench/r/fixest_placebo.R"), csv, "5", "1", "2", "1e-8"]) : null;
        let note = "";
        if (fp?.ok) {
          const per = JSON.parse(fp.stdout.trim().split("\n").pop() as string) as Record<string, unknown>;
          const s = Number(per["mean_s"] ?? per["per_rep_mean_s"] ?? per["per_rep_s"] ?? NaN);
          note = `fixest re-estimation loop: ${s.toFixed(2)} s per replication (mean of 5) → ≈ ${((s * 1000) / 60).toFixed(0)} min for 1,000`;
        }
        add(`Placebo, 1,000 replications, ${n.toLocaleString("en-US")} rows`, vp, null, "≤ 60 s", note);
      }
    }
  }
  // data layer
  const rc = timed(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "bench/read-csv.ts"), "5000000"]);
  add("Read 5,000,000 × 14 numeric CSV into the column table", rc, null, "< 5 s", rc.stdout.trim());
  if (fs.existsSync(path.join(root, "bench/dta-read.ts"))) {
    const rd = timed(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "bench/dta-read.ts")]);
    add("Read 5,000,000 × 14 numeric .dta", rd, null, "≤ 5 s", rd.stdout.trim().split("\n").pop() ?? "");
  }
  const header = ["task", "vagg (wall / peak RSS)", "fixest 0.12.2 (wall / peak RSS)", "fixest / vagg", "target", "note"];
  const md = [
    `# Benchmark results`,
    ``,
    `Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}. Whole-process wall time (best of 2 where repeated), including start-up and reading the CSV, for both tools. fixest: \`setFixest_nthreads(2)\`, \`fixef.tol = 1e-8\`.`,
    ``,
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    ``,
  ].join("\n");
  fs.writeFileSync(path.join(root, "bench/RESULTS.md"), md);
  console.log(`\nwrote bench/RESULTS.md`);
}

main();
