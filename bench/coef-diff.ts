/**
 * Timing: one coefficient-difference test (`coefDiffTest`) at the EQ paper's scale — the Table 5
 * trade-mode comparison (ordinary vs processing cells, d = b_ordinary − b_processing of vagg) on
 * the paper-scale synthetic panel, y ~ vagg + nine controls | city + year + hs4, clusters
 * city × HS4.
 *
 *   npx tsx bench/coef-diff.ts [DATA=built from data/raw/synthetic/paper] [reps=1000] [refitReps=5] [seed=1]
 *
 * DATA is a CSV/Parquet table with the columns of `buildSplitPanels(...).tradeMode` (written by a
 * previous run to /tmp/vagg-bench-trademode.parquet, which is reused when present); without it
 * the panel is built from the paper-scale raw files (`npm run data -- --scale paper`). Runs the
 * default test (method "wild", fast engine, `reps` draws), then the bdiff-style permutation and
 * bootstrap (refit engines) with `refitReps` draws each, and prints one JSON line: setup and
 * draw times, seconds per draw and the extrapolation to `reps` draws for the refit methods.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readTable, writeTable } from "../lib/data/io";
import { type Table } from "../lib/data/table";
import { coefDiffTest } from "../lib/estimators/resampling/coef-diff";
import { buildSplitPanels } from "../lib/papers/eq/heterogeneity";
import { EQ_BASELINE } from "../lib/papers/eq/specs";

const CACHE = "/tmp/vagg-bench-trademode.parquet";

async function panel(arg: string | undefined): Promise<{ data: Table; source: string }> {
  if (arg && arg !== "-") return { data: await readTable(arg), source: arg };
  if (fs.existsSync(CACHE)) return { data: await readTable(CACHE), source: CACHE };
  const dir = path.join(__dirname, "..", "data", "raw", "synthetic", "paper");
  const s = await buildSplitPanels(dir);
  await writeTable(s.tradeMode, CACHE);
  return { data: s.tradeMode, source: dir };
}

async function main(): Promise<void> {
  const reps = Number(process.argv[3] ?? 1000);
  const refitReps = Number(process.argv[4] ?? 5);
  const seed = Number(process.argv[5] ?? 1);
  const { data, source } = await panel(process.argv[2]);
  const base = { group: "ordinary", coef: "vagg", cluster: "city^hs4", seed };
  // setup alone (reps = 1), then the full run: the difference is the draws
  let t0 = performance.now();
  await coefDiffTest(data, EQ_BASELINE, { ...base, reps: 1 });
  const setupS = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const w = await coefDiffTest(data, EQ_BASELINE, { ...base, reps });
  const wildS = (performance.now() - t0) / 1000;
  const refit: Record<string, unknown> = {};
  for (const method of ["permutation", "bootstrap"] as const) {
    if (refitReps < 1) break;
    const o = method === "permutation" ? { group: "ordinary", coef: "vagg", seed } : base;
    t0 = performance.now();
    await coefDiffTest(data, EQ_BASELINE, { ...o, method, reps: 1 });
    const s1 = (performance.now() - t0) / 1000;
    t0 = performance.now();
    const r = await coefDiffTest(data, EQ_BASELINE, { ...o, method, reps: refitReps + 1 });
    const sN = (performance.now() - t0) / 1000;
    const perDraw = (sN - s1) / refitReps;
    refit[method] = {
      setup_s: +s1.toFixed(2),
      s_per_draw: +perDraw.toFixed(3),
      extrapolated_s: Math.round(s1 + perDraw * reps),
      p_one_sided: r.pOneSided,
    };
  }
  console.log(
    JSON.stringify({
      bench: "coef_diff_ts",
      source,
      rows: data.nrows,
      n0: w.n0,
      n1: w.n1,
      formula: EQ_BASELINE,
      reps,
      seed,
      wild: {
        engine: w.wild?.engine,
        clusters: w.wild?.clusters,
        setup_s: +setupS.toFixed(2),
        total_s: +wildS.toFixed(2),
        draws_s: +(wildS - setupS).toFixed(2),
        ms_per_draw: +(((wildS - setupS) / reps) * 1000).toFixed(2),
        diff: w.diff,
        t: w.wild?.t,
        p_two_sided: w.pTwoSided,
        p_one_sided: w.pOneSided,
      },
      refit,
      rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    }),
  );
}

void main();
