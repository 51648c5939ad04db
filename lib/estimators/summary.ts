import type { FeolsResult } from "./feols";
import type { Iv2slsResult } from "./iv2sls";
import { isInvalid, type Invalid } from "./iv/types";

/** Is this an `iv2sls` result (rather than an `feols` one)? */
export function isIvResult(r: FeolsResult | Iv2slsResult): r is Iv2slsResult {
  return "endogenous" in r && Array.isArray((r as Iv2slsResult).endogenous);
}

const fmt = (v: number, d = 6) =>
  Number.isFinite(v)
    ? Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-4 && v !== 0)
      ? v.toExponential(d - 2)
      : v.toFixed(d)
    : Number.isNaN(v)
      ? "–"
      : String(v);
const stars = (p: number) => (p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "");
const pv = (p: number) => (p < 2.2e-16 ? "< 2.2e-16" : p.toPrecision(4));
const r5 = (v: number) => (Number.isNaN(v) ? "–" : v.toFixed(5));
/** One coefficient row: name, estimate, SE, t, p and stars, in columns of fixed width (`w` for the name). */
const coefLine = (c: { name: string; estimate: number; se: number; t: number; p: number }, w: number): string =>
  c.name.padEnd(w) +
  fmt(c.estimate).padStart(14) +
  fmt(c.se).padStart(14) +
  c.t.toFixed(3).padStart(11) +
  fmt(c.p, 4).padStart(12) +
  " " +
  stars(c.p);

/**
 * A readable summary of a fitted model, in the spirit of fixest's `summary()` and ivreg2's
 * output: header (OLS / IV (2SLS), with or without fixed effects), sample and fixed-effect
 * sizes, vcov and small-sample preset, coefficient table (estimate, SE, t, p, stars), R²,
 * adjusted and within R², RMSE, the degrees-of-freedom audit and the notes.
 *
 * For an `iv2sls` result it adds the first stage of each endogenous regressor (coefficients and
 * SEs of the excluded instruments with the model's vcov type; fixest's first-stage F and robust
 * Wald F; partial and Shea R²) and the diagnostics the result carries (Baum, Schaffer &
 * Stillman 2007): under-identification (Kleibergen–Paap rk LM or Anderson LM), weak
 * identification (Kleibergen–Paap Wald F or Cragg–Donald F with Stock–Yogo critical values),
 * over-identification (Hansen J / Sargan), endogeneity (C statistic, Wu–Hausman F) and the
 * Anderson–Rubin test and confidence set.
 *
 * @example
 *   console.log(summaryText(feols(data, "y ~ x1 + x2 | fe1")));
 *   console.log(summaryText(iv2sls(data, "y ~ x3 | fe1 | x1 ~ z1 + z2")));
 */
export function summaryText(r: FeolsResult | Iv2slsResult): string {
  const iv = isIvResult(r);
  const hasFe = r.fixef.names.length > 0;
  const lines: string[] = [];
  lines.push(`${iv ? (hasFe ? "IV (2SLS) with fixed effects" : "IV (2SLS)") : hasFe ? "OLS with fixed effects" : "OLS"}: ${r.formula}`);
  lines.push(
    `Observations: ${r.nobs.toLocaleString("en-US")}` +
      (hasFe ? `   Fixed effects: ${r.fixef.names.map((n, i) => `${n} (${r.fixef.sizes[i]})`).join(", ")}` : ""),
  );
  if (iv) lines.push(`Endogenous: ${r.endogenous.join(", ")}   Instruments: ${r.instruments.join(", ")}`);
  lines.push(`Standard errors: ${r.vcovType}; small-sample preset ${r.ssc}; t df = ${r.dof.tDf}`);
  const w = Math.max(12, ...r.table.map((c) => c.name.length)) + 2;
  if (r.table.length === 0) lines.push("(no coefficients: only fixed effects)");
  else {
    lines.push("".padEnd(w) + "Estimate".padStart(14) + "Std. Error".padStart(14) + "t value".padStart(11) + "Pr(>|t|)".padStart(12));
    for (const c of r.table) lines.push(coefLine(c, w));
    lines.push("---  Signif.: *** 0.01, ** 0.05, * 0.1");
  }
  lines.push(
    `R2: ${r5(r.r2)}   Adj. R2: ${r5(r.adjR2)}` +
      (Number.isNaN(r.withinR2) ? "" : `   Within R2: ${r5(r.withinR2)}`) +
      `   RMSE: ${Math.sqrt(r.rss / r.nobs).toPrecision(5)}`,
  );
  if (!("kind" in r.fstat))
    lines.push(
      `${iv ? "Wald F (slopes, model vcov)" : "F-test"}: ${r.fstat.stat.toPrecision(5)} on ${r.fstat.df1} and ${r.fstat.df2} df, p ${pv(r.fstat.p)}`,
    );
  if (iv) lines.push(...ivSection(r));
  const d = r.dof;
  lines.push(
    `DoF audit: N = ${d.n}, K = ${d.K} (coefficients ${d.kCoef}, FE levels ${Object.values(d.feLevels).reduce((a, b) => a + b, 0)}, redundant ${d.redundant}${d.nestedFe.length ? `, nested in clusters: ${d.nestedFe.join(", ")}` : ""})` +
      (d.G
        ? `, G = ${Object.entries(d.G)
            .map(([k, v]) => `${k}: ${v}`)
            .join(", ")}`
        : "") +
      `, (n-1)/(n-K) = ${d.ssAdj.toFixed(6)}, cluster adj = ${d.clusterAdj.toFixed(6)}`,
  );
  lines.push(`Demeaning: ${r.demeaning.method}${r.demeaning.method === "map" ? ` (${r.demeaning.iterations} iterations)` : ""}`);
  for (const n of r.notes) lines.push(`Note: ${n}`);
  return lines.join("\n");
}

function ivSection(r: Iv2slsResult): string[] {
  const out: string[] = [];
  const why = (x: Invalid) => `not available (${x.reason})`;
  const F = (s: { stat: number; df1: number; df2: number; p: number }) =>
    `F = ${s.stat.toPrecision(5)} (${s.df1}, ${Number.isFinite(s.df2) ? s.df2 : "∞"}), p ${pv(s.p)}`;
  const chi = (s: { stat: number; df: number; p: number }) => `χ²(${s.df}) = ${s.stat.toPrecision(5)}, p ${pv(s.p)}`;
  r.firstStage.forEach((fs, j) => {
    out.push(
      `First stage: ${fs.endogenous} ~ instruments${r.exogenous.length ? " + exogenous" : ""}${r.fixef.names.length ? " | fixed effects" : ""}`,
    );
    const tab = r.firstStageTable?.[j];
    const w = Math.max(12, ...r.instruments.map((s) => s.length)) + 2;
    if (tab) for (const c of tab.rows) out.push("  " + coefLine(c, w));
    else for (const z of r.instruments) out.push("  " + z.padEnd(w) + fmt(fs.coef[z] as number).padStart(14));
    out.push(`  F-test (iid, excluded instruments): ${F(fs.f)}`);
    out.push(`  Wald F (${r.vcovType}): ${isInvalid(fs.wald) ? why(fs.wald) : F(fs.wald)}`);
    out.push(`  Partial R2: ${fs.partialR2.toFixed(5)}   Shea partial R2: ${fs.sheaR2.toFixed(5)}`);
  });
  const dg = r.diagnostics;
  if (!dg) {
    out.push("IV diagnostics: skipped");
    return out;
  }
  out.push(`IV diagnostics (${dg.vce}):`);
  const u = dg.underidentification;
  out.push(
    `  Underidentification (${isInvalid(u) ? "LM" : u.test === "anderson-lm" ? "Anderson canonical corr. LM" : "Kleibergen-Paap rk LM"}): ${isInvalid(u) ? why(u) : chi(u)}`,
  );
  const wf = dg.weakIdF;
  const sy = dg.stockYogo;
  const crit = Object.entries(sy.ivSize)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}% size ${(v as number).toFixed(2)}`)
    .join(", ");
  out.push(
    `  Weak identification (${isInvalid(wf) ? "F" : wf.test === "cragg-donald-f" ? "Cragg-Donald Wald F" : "Kleibergen-Paap rk Wald F"}): ${isInvalid(wf) ? why(wf) : wf.stat.toPrecision(5)}` +
      (crit ? `   Stock-Yogo critical values: ${crit}` : ""),
  );
  if (!isInvalid(dg.cd) && dg.vce !== "iid") out.push(`  Cragg-Donald Wald F: ${dg.cd.ivreg2.toPrecision(5)}`);
  const o = dg.overidentification;
  out.push(
    `  Overidentification (${isInvalid(o) ? "Sargan/Hansen" : o.test === "hansen" ? "Hansen J" : "Sargan"}): ${isInvalid(o) ? why(o) : chi(o)}`,
  );
  const c = dg.endogeneity.cStatistic,
    wh = dg.endogeneity.wuHausman;
  out.push(`  Endogeneity: C statistic ${isInvalid(c) ? why(c) : chi(c)}; Wu-Hausman ${isInvalid(wh) ? why(wh) : F(wh)}`);
  const ar = dg.andersonRubin;
  const cs = ar.confidenceSet;
  out.push(`  Anderson-Rubin (H0: endogenous coefficients = 0): ${isInvalid(ar.test) ? why(ar.test) : F(ar.test)}`);
  if (!isInvalid(cs))
    out.push(
      `  Anderson-Rubin ${Math.round(cs.level * 100)}% confidence set (${cs.kind}): ${cs.intervals.length ? cs.intervals.map(([a, b]) => `[${fmt(a, 4)}, ${fmt(b, 4)}]`).join(" ∪ ") : "∅"}`,
    );
  return out;
}

// Post-estimation functions, re-exported here so that `@vagg/lib` (which re-exports this module) offers them.
