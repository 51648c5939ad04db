import * as fs from "node:fs";
import * as path from "node:path";
import { fromRecords, table, toRecords, type Column, type Table } from "../data/table";
import { readTable } from "../data/io";
import { dataTable } from "../report/data-table";
import type { ReportTable } from "../report/model";
import { frame, type VegaLiteSpec } from "../report/charts/spec";
import { hash32 } from "../util/rng";
import { projectSeed } from "../util/seed";
import { ArgumentError, DataError } from "../util/errors";
import { mapF64From, mapI32From } from "../util/typed-map";

/**
 * Recovery (Monte Carlo) studies of the papers' estimators on the synthetic data: for each seed a
 * fresh synthetic data set is generated, the paper's estimates are computed with their SEs and the
 * realised true values, and the draws are summarised estimate by estimate (`recoverySummary`).
 * The command is `npm run recovery -- --paper rs --seeds 50 --scale paper` (lib/cli/commands/recovery.ts).
 */

/** One estimate of one replication: the estimate, its standard error and the realised true value. */
export interface RecoveryEstimate {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
  readonly truth: number;
}

/** One estimate of one replication with the replication's index and seed (a row of `<paper>-recovery-draws.csv`). */
export interface RecoveryDraw extends RecoveryEstimate {
  readonly replication: number;
  readonly seed: number;
}

/** A paper in the recovery registry: how to load its estimate function (lazily, by module path) and what to generate. */
export interface RecoveryPaper {
  readonly id: string;
  readonly title: string;
  /** Module path relative to lib/papers, loaded on demand (so the registry compiles before the module exists). */
  readonly module: string;
  /** Export of that module: `(dataDir: string) => Promise<RecoveryEstimate[]> | RecoveryEstimate[]`. */
  readonly exportName: string;
  /** Extra options for `generate()` (e.g. generate only this paper's raw files). */
  readonly generate: Readonly<Record<string, unknown>>;
}

/**
 * The papers with a recovery study. RS (Yan, Xu & Zhang 2025): `rsRecoveryEstimates` of
 * lib/papers/rs/recovery.ts (the synthetic-data owner's module); EQ (Zhao et al. 2022):
 * `eqRecoveryEstimates` of lib/papers/eq/recovery.ts.
 */
export const RECOVERY_PAPERS: Readonly<Record<string, RecoveryPaper>> = Object.freeze({
  rs: {
    id: "rs",
    title: "RS — Yan, Xu & Zhang (2025), virtual agglomeration and urban economic resilience",
    module: "./rs/recovery",
    exportName: "rsRecoveryEstimates",
    generate: { papers: ["rs"] },
  },
  eq: {
    id: "eq",
    title: "EQ — Zhao, Ban, Li & Liu (2022), virtual agglomeration and export product quality",
    module: "./eq/recovery",
    exportName: "eqRecoveryEstimates",
    generate: { papers: ["eq"] },
  },
});

/** The estimate function of a registered paper, loaded on demand; an unknown paper or a missing module is one clear error. */
export function recoveryEstimator(paper: string): (dataDir: string) => Promise<RecoveryEstimate[]> {
  const p = RECOVERY_PAPERS[paper];
  if (!p) throw new ArgumentError(`recovery: unknown paper "${paper}" (registered: ${Object.keys(RECOVERY_PAPERS).join(", ")})`);
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(path.join(__dirname, p.module)) as Record<string, unknown>;
  } catch (e) {
    throw new ArgumentError(`recovery: cannot load ${p.module} for paper "${paper}": ${String((e as Error).message).split("\n")[0]}`);
  }
  const f = mod[p.exportName];
  if (typeof f !== "function") throw new ArgumentError(`recovery: ${p.module} has no function ${p.exportName}`);
  return async (dir: string) => (await (f as (d: string) => unknown)(dir)) as RecoveryEstimate[];
}

/**
 * The seeds of a recovery study: replication r (0-based) of `paper` uses
 * hash32(`recovery:<paper>:<r>`, base) with base the project seed (`VAGG_SEED` or PROJECT_SEED),
 * so a study is reproducible from the one project seed and replications never reuse the seed of
 * the committed data.
 *
 * @example recoverySeeds("rs", 3)  // three 32-bit seeds, the same on every run with the same project seed
 */
export function recoverySeeds(paper: string, n: number, base: number = projectSeed()): number[] {
  if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`recovery: the number of seeds must be a positive integer, got ${n}`);
  return Array.from({ length: n }, (_, r) => hash32(`recovery:${paper}:${r}`, base));
}

/** The performance measures of one estimate over the replications (a row of `<paper>-recovery.csv`). */
export interface RecoverySummaryRow {
  readonly name: string;
  /** Synthetic-data scale of the study ("" when unknown). */
  readonly scale: string;
  /** Replications with a finite estimate, SE and truth (the others are counted in `dropped`). */
  readonly seeds: number;
  readonly dropped: number;
  /** Mean of the realised true values. */
  readonly truth: number;
  readonly meanEstimate: number;
  readonly meanSe: number;
  /** Empirical SD of the estimates across replications (n − 1 divisor). */
  readonly sdEstimate: number;
  /** Mean of (estimate − truth). */
  readonly bias: number;
  /** bias / sdEstimate (standardised bias). */
  readonly biasSd: number;
  /** bias / meanSe. */
  readonly biasSe: number;
  /** Monte Carlo SE of the bias: sdEstimate / √seeds. */
  readonly biasMcse: number;
  /** meanSe / sdEstimate (≈ 1 when the SEs are right). */
  readonly seRatio: number;
  /** Share of replications with |estimate − truth| ≤ z·SE. */
  readonly coverage: number;
  /** Binomial SE of the coverage: √(c(1 − c)/seeds). */
  readonly coverageSe: number;
}

/**
 * Performance measures of a simulation study (Morris, White & Crowther 2019, Stat. Med. 38:2074),
 * estimate by estimate over R replications with realised truths θ_r:
 *
 * Formula: bias = (1/R)Σ(θ̂_r − θ_r); SD = √(Σ(θ̂_r − mean θ̂)²/(R − 1)); bias_sd = bias/SD;
 * bias_se = bias/mean(se_r); MCSE(bias) = SD/√R; se_ratio = mean(se_r)/SD;
 * coverage = (1/R)Σ 1[|θ̂_r − θ_r| ≤ z·se_r] with z = Φ⁻¹(0.975) = 1.96 at level 0.95; SE(coverage) = √(c(1 − c)/R).
 *
 * Draws with a non-finite estimate, SE or truth are dropped and counted (`dropped`). Names keep the
 * order of their first appearance.
 *
 * @example
 *   recoverySummary([{ name: "b", estimate: 1.1, se: 0.1, truth: 1, replication: 0, seed: 7 }, …])[0].coverage
 */
export function recoverySummary(draws: readonly RecoveryDraw[], z = 1.959963984540054, scale = ""): RecoverySummaryRow[] {
  const by = new Map<string, RecoveryDraw[]>();
  for (const d of draws) {
    if (!by.has(d.name)) by.set(d.name, []);
    by.get(d.name)!.push(d);
  }
  const mean = (x: readonly number[]) => x.reduce((a, b) => a + b, 0) / x.length;
  const out: RecoverySummaryRow[] = [];
  for (const [name, all] of by) {
    const ok = all.filter((d) => Number.isFinite(d.estimate) && Number.isFinite(d.se) && d.se > 0 && Number.isFinite(d.truth));
    const R = ok.length;
    const est = ok.map((d) => d.estimate);
    const mEst = R ? mean(est) : NaN;
    const sd = R > 1 ? Math.sqrt(est.reduce((a, x) => a + (x - mEst) ** 2, 0) / (R - 1)) : NaN;
    const bias = R ? mean(ok.map((d) => d.estimate - d.truth)) : NaN;
    const mSe = R ? mean(ok.map((d) => d.se)) : NaN;
    const cov = R ? ok.filter((d) => Math.abs(d.estimate - d.truth) <= z * d.se).length / R : NaN;
    out.push({
      name,
      scale,
      seeds: R,
      dropped: all.length - R,
      truth: R ? mean(ok.map((d) => d.truth)) : NaN,
      meanEstimate: mEst,
      meanSe: mSe,
      sdEstimate: sd,
      bias,
      biasSd: bias / sd,
      biasSe: bias / mSe,
      biasMcse: sd / Math.sqrt(R),
      seRatio: mSe / sd,
      coverage: cov,
      coverageSe: Math.sqrt((cov * (1 - cov)) / R),
    });
  }
  return out;
}

const SUMMARY_COLUMNS: readonly [keyof RecoverySummaryRow, string][] = [
  ["name", "name"],
  ["scale", "scale"],
  ["seeds", "seeds"],
  ["dropped", "dropped"],
  ["truth", "truth_mean"],
  ["meanEstimate", "mean_estimate"],
  ["meanSe", "mean_se"],
  ["sdEstimate", "sd_estimate"],
  ["bias", "bias"],
  ["biasSd", "bias_sd_units"],
  ["biasSe", "bias_se_units"],
  ["biasMcse", "bias_mcse"],
  ["seRatio", "se_ratio"],
  ["coverage", "coverage95"],
  ["coverageSe", "coverage95_se"],
];

/** The summary as a table with the CSV column names of `<paper>-recovery.csv` (name, seeds, …, coverage95, coverage95_se). */
export function recoverySummaryTable(rows: readonly RecoverySummaryRow[]): Table {
  const cols: Record<string, Column> = {};
  for (const [k, c] of SUMMARY_COLUMNS)
    cols[c] =
      k === "name" || k === "scale"
        ? rows.map((r) => String(r[k]))
        : k === "seeds" || k === "dropped"
          ? mapI32From(rows, (r) => r[k] as number)
          : mapF64From(rows, (r) => r[k] as number);
  return table(cols);
}

/** The draws as a table (columns replication, seed, name, estimate, se, truth) for `<paper>-recovery-draws.csv`. */
export function recoveryDrawsTable(draws: readonly RecoveryDraw[]): Table {
  return fromRecords(
    draws.map((d) => ({ replication: d.replication, seed: d.seed, name: d.name, estimate: d.estimate, se: d.se, truth: d.truth })),
  );
}

/** Where a recovery study's CSV lives: `<dir>/<paper>-recovery.csv` (dir default exports/tables of the repository). */
export function recoveryCsvPath(paper: string, dir: string = path.resolve(__dirname, "..", "..", "exports", "tables")): string {
  return path.join(dir, `${paper}-recovery.csv`);
}

/**
 * The summary CSV of a recovery study read back (`null` when it does not exist yet: run
 * `npm run recovery -- --paper <paper> --seeds 50 --scale paper` to create it).
 *
 * @example const rows = await readRecoveryCsv(recoveryCsvPath("rs"));
 */
export async function readRecoveryCsv(file: string): Promise<RecoverySummaryRow[] | null> {
  if (!fs.existsSync(file)) return null;
  const t = await readTable(file, { columns: SUMMARY_COLUMNS.map(([, c]) => c) });
  return toRecords(t).map((rec, i) => {
    const r: Record<string, number | string> = {};
    for (const [k, c] of SUMMARY_COLUMNS) {
      const v = rec[c];
      if (k === "name" || k === "scale") {
        if (k === "name" && typeof v !== "string" && typeof v !== "number")
          throw new DataError(`recovery CSV: missing name in row ${i + 1}`, { file, column: c });
        r[k] = v === null || v === undefined ? "" : String(v);
      } else r[k] = v === null || v === undefined ? NaN : Number(v);
    }
    return r as unknown as RecoverySummaryRow;
  });
}

/** A recovery study as a notebook finds it: the CSV path and its rows, or null rows and how to create it. */
export interface LoadedRecovery {
  readonly paper: string;
  /** The CSV read, or the path looked at first when none exists. */
  readonly file: string;
  readonly rows: RecoverySummaryRow[] | null;
  /** The command that creates the CSV. */
  readonly command: string;
  /** Where the rows come from (`recoveryStudy`): run here, or a saved study reused after re-running one replication. */
  readonly origin?: RecoveryOrigin;
}

/** How `recoveryStudy` obtained a study (see recovery-study.ts). */
export type RecoveryOrigin =
  | {
      readonly kind: "run";
      /** Why no saved study was reused. */
      readonly why: string;
    }
  | {
      readonly kind: "saved";
      /** The saved study's metadata file, relative to the repository. */
      readonly file: string;
      /** Its wall time and command when it was made. */
      readonly seconds: number;
      readonly command: string;
      /** SHA-256 of its draws file. */
      readonly sha256: string;
      /** The replication re-run here, identical bit for bit. */
      readonly check: { readonly replication: number; readonly seed: number; readonly estimates: number };
    };

/**
 * Find and read a paper's recovery CSV: `<exportsDir>/tables/<paper>-recovery.csv` (the run's
 * exports folder, `VAGG_EXPORTS`), else the repository's exports/tables; rows null when neither exists.
 *
 * @example const rec = await loadRecovery("rs", notebookEnv());
 */
export async function loadRecovery(paper: string, env: { readonly exportsDir: string }): Promise<LoadedRecovery> {
  const command = `npm run recovery -- --paper ${paper} --seeds 50 --scale paper`;
  const candidates = [recoveryCsvPath(paper, path.join(env.exportsDir, "tables")), recoveryCsvPath(paper)];
  for (const f of candidates) {
    const rows = await readRecoveryCsv(f);
    if (rows) return { paper, file: f, rows, command };
  }
  return { paper, file: candidates[0] as string, rows: null, command };
}

/**
 * One markdown paragraph on what a loaded recovery study holds (seeds, scale, estimates, how many
 * estimates reach 90 % coverage), or how to create it when the CSV is absent.
 *
 * @example showMarkdown(recoveryStatus(rec));
 */
export function recoveryStatus(rec: LoadedRecovery): string {
  if (!rec.rows || rec.rows.length === 0)
    return `**No recovery study found** (looked for \`${path.basename(rec.file)}\` in the exports folder and in exports/tables). Create it with \`${rec.command}\` and rerun this notebook; the table and chart below are empty until then.`;
  const seeds = Math.max(...rec.rows.map((r) => r.seeds));
  const scale = rec.rows[0]!.scale || "an unrecorded";
  const low = rec.rows.filter((r) => r.coverage < 0.9);
  const o = rec.origin;
  const origin = !o
    ? ""
    : o.kind === "saved"
      ? `Reused the saved study \`${o.file}\` (draws SHA-256 ${o.sha256.slice(0, 12)}…, made by \`${o.command}\` in ${Math.round(o.seconds)} s): its key — paper, scale, seeds, base seed, Node.js version and platform, and the hash of lib/, package-lock.json and data/raw/public — equals this build's, and replication ${o.check.replication} (seed ${o.check.seed}), re-run here, gave all ${o.check.estimates} estimates, SEs and true values bit for bit equal to the saved draws. `
      : `Run here (${o.why}). `;
  const far = low.filter((r) => 0.95 - r.coverage > 1.96 * Math.sqrt((0.95 * 0.05) / r.seeds));
  return (
    `**Recovery study:** ${rec.rows.length} estimates over ${seeds} fresh synthetic data sets at ${scale} scale (\`${path.basename(rec.file)}\`). ` +
    origin +
    (low.length === 0
      ? "Every estimate's 95 % interval covers the realised truth in at least 90 % of the seeds."
      : `Coverage below 90 %: ${low.map((r) => `${r.name} (${r.coverage.toFixed(2)} ± ${r.coverageSe.toFixed(2)})`).join(", ")}; ` +
        (far.length === 0
          ? `with ${seeds} seeds none of these is further below 0.95 than 1.96 binomial SEs (√(0.95·0.05/R)), so they are consistent with correct intervals.`
          : `below 0.95 by more than 1.96 binomial SEs: ${far.map((r) => r.name).join(", ")} — their SEs understate the sampling variability or the estimator is biased for the realised truth (compare Bias / SD and Mean SE / SD).`))
  );
}

/**
 * The recovery summary as a report table: truth, mean estimate, mean SE, SD across seeds, bias in
 * SD units, SE ratio and 95 % coverage with its binomial SE.
 *
 * @example showTable(recoveryReportTable(rows, "RS recovery study"));
 */
export function recoveryReportTable(rows: readonly RecoverySummaryRow[] | null, title: string): ReportTable {
  const t = recoverySummaryTable(rows ?? []);
  return dataTable(t, {
    title,
    columns: [
      "name",
      "seeds",
      "truth_mean",
      "mean_estimate",
      "mean_se",
      "sd_estimate",
      "bias_sd_units",
      "se_ratio",
      "coverage95",
      "coverage95_se",
    ],
    headers: {
      name: "Estimate",
      seeds: "Seeds",
      truth_mean: "Truth (mean)",
      mean_estimate: "Mean estimate",
      mean_se: "Mean SE",
      sd_estimate: "SD across seeds",
      bias_sd_units: "Bias / SD",
      se_ratio: "Mean SE / SD",
      coverage95: "95% coverage",
      coverage95_se: "Binomial SE",
    },
    digits: { truth_mean: 4, mean_estimate: 4, mean_se: 4, sd_estimate: 4, bias_sd_units: 2, se_ratio: 2, coverage95: 3, coverage95_se: 3 },
    counts: ["seeds"],
    wholeNumbersAsCounts: false,
    notes: [
      "Each seed is a fresh synthetic data set; truth = the realised true value of that data set (mean shown).",
      "Bias / SD = (mean of estimate − truth) / SD of the estimates across seeds; coverage = share of seeds with |estimate − truth| ≤ 1.96·SE; binomial SE = √(c(1 − c)/seeds).",
    ],
  });
}

/**
 * Coverage of the 95 % interval per estimate with ±1.96 binomial-SE bars, the nominal 0.95 and a
 * 0.90 reference line (below it the SEs are too small for that estimate).
 *
 * @example await showChart(recoveryCoverageChart(rows));
 */
export function recoveryCoverageChart(
  rows: readonly RecoverySummaryRow[] | null,
  opts: { readonly title?: string; readonly line?: number } = {},
): VegaLiteSpec {
  const line = opts.line ?? 0.9;
  const values = (rows ?? []).map((r) => ({
    name: r.name,
    coverage: r.coverage,
    lo: Math.max(0, r.coverage - 1.96 * r.coverageSe),
    hi: Math.min(1, r.coverage + 1.96 * r.coverageSe),
  }));
  const y = { field: "name", type: "nominal", sort: null, title: null };
  return {
    ...frame(
      { title: opts.title ?? (rows ? "Coverage of the 95% interval across seeds" : "Coverage of the 95% interval: no recovery study yet") },
      420,
      Math.max(120, 24 * (rows?.length ?? 0)),
    ),
    data: { values },
    layer: [
      {
        mark: "rule",
        encoding: { y, x: { field: "lo", type: "quantitative", scale: { domain: [0, 1] }, title: "Coverage" }, x2: { field: "hi" } },
      },
      { mark: { type: "point", filled: true }, encoding: { y, x: { field: "coverage", type: "quantitative" } } },
      {
        data: { values: [{ v: line }] },
        mark: { type: "rule", strokeDash: [4, 3], color: "#c0392b" },
        encoding: { x: { field: "v", type: "quantitative" } },
      },
      { data: { values: [{ v: 0.95 }] }, mark: { type: "rule", color: "#7f8c8d" }, encoding: { x: { field: "v", type: "quantitative" } } },
    ],
  } as VegaLiteSpec;
}
