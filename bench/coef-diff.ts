/**
 * Timing: one coefficient-difference test (`coefDiffTest`) at the EQ paper's scale — the Table 5
 * trade-mode comparison (ordinary vs processing cells, d = b_ordinary − b_processing of vagg) on
 * the paper-scale synthetic panel, y ~ vagg + nine controls | city + year + hs4, clusters
 * city × HS4.
 *
 *   npx tsx bench/coef-diff.ts [DATA=built from data/raw/synthetic/paper] [reps=1000] [refitReps=5] [seed=1]
 *   npx tsx bench/coef-diff.ts perm [reps=1000] [fwlReps=20] [seed=1]
 *
 * DATA is a CSV/Parquet table with the columns of `buildSplitPanels(...).tradeMode` (written by a
 * previous run to /tmp/vagg-bench-trademode.parquet, which is reused when present); without it
 * the panel is built from the paper-scale raw files (`npm run data -- --scale paper`). Runs the
 * default test (method "wild", fast engine, `reps` draws), then the bdiff-style permutation and
 * bootstrap (refit engines) with `refitReps` draws each, and prints one JSON line: setup and
 * draw times, seconds per draw and the extrapolation to `reps` draws for the refit methods.
 *
 * `perm`: the EQ Table 6 randomisation test instead — `unitInteractionPermutation` of
 * quality ~ vagg + vagg:centre + controls | city + year + hs4 (cities permuted, clusters
 * city × HS4) on the location panel (`addLocationClasses`; cached in
 * /tmp/vagg-bench-location.parquet), `reps` draws with the default fast engine and `fwlReps`
 * draws with the per-draw FWL engine (the previous one), extrapolated to `reps`, with the largest
 * relative difference of their common draws.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readTable, writeTable } from "../lib/data/io";
import { type Table } from "../lib/data/table";
import { coefDiffTest } from "../lib/estimators/resampling/coef-diff";
import { buildSplitPanels, addLocationClasses } from "../lib/papers/eq/heterogeneity";
import { EQ_BASELINE, eqFormula } from "../lib/papers/eq/specs";
import { unitInteractionPermutation } from "../lib/estimators/resampling/unit-permutation";

const CACHE = "/tmp/vagg-bench-trademode.parquet";

async function panel(arg: string | undefined): Promise<{ data: Table; source: string }> {
  if (arg && arg !== "-") return { data: await readTable(arg), source: arg };
  if (fs.existsSync(CACHE)) return { data: await readTable(CACHE), source: CACHE };
  const dir = path.join(__dirname, "..", "data", "raw", "synthetic", "paper");
  const s = await buildSplitPanels(dir);
  await writeTable(s.tradeMode, CACHE);
  return { data: s.tradeMode, source: dir };
}

const LOC_CACHE = "/tmp/vagg-bench-location.parquet";

async function permBench(): Promise<void> {
  const reps = Number(process.argv[3] ?? 1000);
  const fwlReps = Number(process.argv[4] ?? 20);
  const seed = Number(process.argv[5] ?? 1);
  let data: Table;
  if (fs.existsSync(LOC_CACHE)) data = await readTable(LOC_CACHE);
  else {
    const dir = path.join(__dirname, "..", "data", "raw", "synthetic", "paper");
    data = (await addLocationClasses((await buildSplitPanels(dir)).base.panel, dir)).panel;
    await writeTable(data, LOC_CACHE);
  }
  const formula = eqFormula("quality", "vagg + vagg:centre", "city + year + hs4");
  const o = { slope: "vagg", indicator: "centre", unit: "city", vcov: "cluster:city^hs4", seed };
  const time = async (engine: "fast" | "fwl", r: number) => {
    const t0 = performance.now();
    const res = await unitInteractionPermutation(data, formula, { ...o, reps: r, engine });
    return { res, s: (performance.now() - t0) / 1000 };
  };
  const fast1 = await time("fast", 1);
  const fast = await time("fast", reps);
  const fwl1 = await time("fwl", 1);
  const fwl = await time("fwl", fwlReps + 1);
  const perDraw = (fwl.s - fwl1.s) / fwlReps;
  let worst = 0;
  for (let r = 0; r < fwl.res.reps; r++) {
    const a = fast.res.draws[r] as number,
      b = fwl.res.draws[r] as number;
    worst = Math.max(worst, Math.abs(a - b) / Math.abs(b));
  }
  console.log(
    JSON.stringify({
      bench: "interaction_permutation_ts",
      rows: fast.res.nobs,
      units: fast.res.units,
      treated: fast.res.treatedUnits,
      formula,
      reps,
      seed,
      fast: {
        engine: fast.res.engine,
        setup_s: +fast1.s.toFixed(2),
        total_s: +fast.s.toFixed(2),
        ms_per_draw: +(((fast.s - fast1.s) / reps) * 1000).toFixed(2),
        p: fast.res.pValue,
        p_t: fast.res.pValueT,
      },
      fwl: { setup_s: +fwl1.s.toFixed(2), s_per_draw: +perDraw.toFixed(4), extrapolated_s: +(fwl1.s + perDraw * reps).toFixed(1) },
      max_rel_diff_common_draws: worst,
      rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    }),
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === "perm") return permBench();
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
