import type { FeolsResult } from "./feols";

/**
 * A readable summary of a fitted model, in the spirit of fixest's `summary()`:
 * coefficient table, sample and removed-observation counts, fit statistics and the
 * degrees-of-freedom audit.
 */
export function summaryText(r: FeolsResult): string {
  const fmt = (v: number, d = 6) => (Number.isFinite(v) ? (Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-4 && v !== 0) ? v.toExponential(d - 2) : v.toFixed(d)) : String(v));
  const stars = (p: number) => (p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "");
  const lines: string[] = [];
  lines.push(`${r.fixef.names.length ? "OLS with fixed effects" : "OLS"}: ${r.formula}`);
  lines.push(`Observations: ${r.nobs.toLocaleString("en-US")}` + (r.fixef.names.length ? `   Fixed effects: ${r.fixef.names.map((n, i) => `${n} (${r.fixef.sizes[i]})`).join(", ")}` : ""));
  lines.push(`Standard errors: ${r.vcovType}; small-sample preset ${r.ssc}; t df = ${r.dof.tDf}`);
  const w = Math.max(12, ...r.table.map((c) => c.name.length)) + 2;
  lines.push("".padEnd(w) + "Estimate".padStart(14) + "Std. Error".padStart(14) + "t value".padStart(11) + "Pr(>|t|)".padStart(12));
  for (const c of r.table) lines.push(c.name.padEnd(w) + fmt(c.estimate).padStart(14) + fmt(c.se).padStart(14) + c.t.toFixed(3).padStart(11) + fmt(c.p, 4).padStart(12) + " " + stars(c.p));
  lines.push("---  Signif.: *** 0.01, ** 0.05, * 0.1");
  lines.push(`R2: ${r.r2.toFixed(5)}   Adj. R2: ${r.adjR2.toFixed(5)}` + (Number.isNaN(r.withinR2) ? "" : `   Within R2: ${r.withinR2.toFixed(5)}`) + `   RMSE: ${Math.sqrt(r.rss / r.nobs).toPrecision(5)}`);
  const d = r.dof;
  lines.push(`DoF audit: N = ${d.n}, K = ${d.K} (coefficients ${d.kCoef}, FE levels ${Object.values(d.feLevels).reduce((a, b) => a + b, 0)}, redundant ${d.redundant}${d.nestedFe.length ? `, nested in clusters: ${d.nestedFe.join(", ")}` : ""})` + (d.G ? `, G = ${Object.entries(d.G).map(([k, v]) => `${k}: ${v}`).join(", ")}` : "") + `, (n-1)/(n-K) = ${d.ssAdj.toFixed(6)}, cluster adj = ${d.clusterAdj.toFixed(6)}`);
  lines.push(`Demeaning: ${r.demeaning.method}${r.demeaning.method === "map" ? ` (${r.demeaning.iterations} iterations)` : ""}`);
  for (const n of r.notes) lines.push(`Note: ${n}`);
  return lines.join("\n");
}
