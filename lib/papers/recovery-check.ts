import { fromRecords } from "../data/table";
import { dataTable } from "../report/data-table";
import type { ReportTable } from "../report/model";
import type { RecoveryEstimate, RecoverySummaryRow } from "./recovery";

/** P(X ≥ k) for X ~ Binomial(n, p), by summing the lower tail in log space. */
function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  let lower = 0;
  let logC = 0; // log C(n, 0)
  for (let i = 0; i < k; i++) {
    lower += Math.exp(logC + i * Math.log(p) + (n - i) * Math.log1p(-p));
    logC += Math.log(n - i) - Math.log(i + 1);
  }
  return Math.max(0, 1 - lower);
}

/**
 * The estimates of ONE data set (e.g. the committed seed) against their realised true values: each
 * estimate's z = (θ̂ − θ)/se and whether it lies within 2 SE, beside the 95 % coverage that the
 * recovery study (`recoverySummary` over many seeds) found for the same estimate. The notes say how
 * many estimates miss by more than 2 SE, how many would with correctly sized intervals
 * (K · P(|Z| > 2) = K · 0.0455) and the binomial probability of at least that many misses, and read
 * every miss against its study coverage: a miss of an estimate whose intervals cover ≥ 90 % of the
 * time is a draw, not a bias.
 *
 * Method: Morris, White & Crowther (2019), "Using simulation studies to evaluate statistical methods",
 * Statistics in Medicine 38(11) — coverage as the performance measure of interval estimates.
 *
 * @example
 *   const est = await rsRecoveryEstimates(env.dataDir);
 *   showTable(recoveryCheckTable(est, rec.rows, "RS: the committed seed against its true values"));
 */
export function recoveryCheckTable(
  estimates: readonly RecoveryEstimate[],
  study: readonly RecoverySummaryRow[] | null,
  title: string,
): ReportTable {
  const cov = new Map((study ?? []).map((r) => [r.name, r]));
  const recs = estimates.map((e) => {
    const z = (e.estimate - e.truth) / e.se;
    const s = cov.get(e.name);
    return {
      name: e.name,
      estimate: e.estimate,
      se: e.se,
      truth: e.truth,
      z,
      within: Number.isFinite(z) ? (Math.abs(z) <= 2 ? "yes" : "no") : "n/a",
      coverage95: s ? s.coverage : NaN,
      seeds: s ? s.seeds : NaN,
    };
  });
  const valid = recs.filter((r) => Number.isFinite(r.z));
  const misses = valid.filter((r) => Math.abs(r.z) > 2);
  const pMiss = 2 * 0.022750131948179195; // P(|Z| > 2)
  const K = valid.length;
  const notes = [
    "z = (estimate − truth) / SE on this data set; 95% coverage and seeds from the recovery study (fresh synthetic data per seed).",
    `${misses.length} of ${K} estimates lie more than 2 SE from their true value; with correctly sized intervals about ${(K * pMiss).toFixed(1)} would (K · 0.0455), and at least ${misses.length} happen with probability ${binomialUpperTail(misses.length, K, pMiss).toFixed(2)} (binomial; the estimates are correlated, so this is indicative).`,
    ...misses.map((m) =>
      Number.isFinite(m.coverage95)
        ? `${m.name}: z = ${m.z.toFixed(2)}; its intervals cover the truth in ${(100 * m.coverage95).toFixed(0)} % of ${m.seeds} seeds, ${m.coverage95 >= 0.9 ? "so this miss is a draw of this data set, not a bias of the estimator" : "so its intervals are too short: a real shortfall of the estimator on these data"}.`
        : `${m.name}: z = ${m.z.toFixed(2)}; no recovery study row for it.`,
    ),
  ];
  return dataTable(fromRecords(recs), {
    title,
    headers: {
      name: "Estimate",
      estimate: "Estimate",
      se: "SE",
      truth: "Truth",
      z: "z",
      within: "Within 2 SE",
      coverage95: "95% coverage (study)",
      seeds: "Seeds",
    },
    digits: { estimate: 4, se: 4, truth: 4, z: 2, coverage95: 2 },
    counts: ["seeds"],
    na: "–",
    notes,
  });
}
