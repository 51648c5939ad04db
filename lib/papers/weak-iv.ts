import { fromRecords } from "../data/table";
import { dataTable } from "../report/data-table";
import type { ReportTable } from "../report/model";
import type { Iv2slsResult } from "../estimators/iv2sls";
import { weakIvPanel, type WeakIvPanel } from "../estimators/iv/weak-iv-panel";
import { isInvalid } from "../estimators/iv/types";

const num = (v: number, d = 3): string => (Number.isFinite(v) ? v.toFixed(d) : v === Infinity ? "∞" : v === -Infinity ? "−∞" : "–");
const iv = (a: number, b: number, d = 4): string => `[${num(a, d)}, ${num(b, d)}]`;

/**
 * The rows of one weak-IV panel as [label, text] pairs (numbers rounded for display), shared
 * by `weakIvTable` and by tests: first-stage F, MOP effective F, critical values and verdict,
 * tF critical value and interval, Anderson–Rubin test and set.
 *
 * @example weakIvPanelRows(weakIvPanel(fit)).find(([l]) => l === "MOP effective F") // ["MOP effective F", "14.409"]
 */
export function weakIvPanelRows(p: WeakIvPanel): [string, string][] {
  const rows: [string, string][] = [];
  rows.push(["Excluded instruments", p.instruments.join(", ")]);
  rows.push(["VCE / N", `${p.vce} / ${p.nobs}`]);
  rows.push(["2SLS estimate (SE)", `${num(p.estimate, 4)} (${num(p.se, 4)})`]);
  rows.push(["Conventional CI", iv(p.conventional[0], p.conventional[1])]);
  rows.push(["First-stage F (robust)", isInvalid(p.firstStageF) ? p.firstStageF.reason : num(p.firstStageF.stat)]);
  if (isInvalid(p.mop)) rows.push(["MOP effective F", p.mop.reason]);
  else {
    const c = p.mop.critical;
    rows.push(["MOP effective F", num(p.mop.effectiveF)]);
    rows.push([
      `MOP critical value, τ = ${c.tau * 100}% (generalized)`,
      `${num(c.generalized.critical)} (B_TSLS ${num(c.generalized.bTsls)})`,
    ]);
    rows.push([
      `MOP critical value, τ = ${c.tau * 100}% (simplified)`,
      `${num(c.simplified.critical)} (K_eff ${num(c.simplified.Keff, 2)})`,
    ]);
    rows.push([
      "MOP verdict",
      p.mop.verdict === "strong"
        ? `reject weak IV (worst-case TSLS bias < ${c.tau * 100}% at α = ${c.alpha * 100}%)`
        : "cannot reject weak IV",
    ]);
  }
  if (isInvalid(p.tF)) rows.push(["tF 95% CI", p.tF.reason]);
  else {
    rows.push(["tF critical value c(F) / adjustment c/1.96", `${num(p.tF.critical)} / ${num(p.tF.adjustment)}`]);
    rows.push(["tF 95% CI", iv(p.tF.lower, p.tF.upper)]);
  }
  const t = p.andersonRubin.test;
  rows.push(["Anderson–Rubin F (β = 0)", isInvalid(t) ? t.reason : `${num(t.stat)} (p = ${num(t.p, 4)})`]);
  const cs = p.andersonRubin.confidenceSet;
  rows.push([
    "Anderson–Rubin set",
    isInvalid(cs) ? cs.reason : `${cs.kind}: ${cs.intervals.map(([a, b]) => iv(a, b)).join(" ∪ ") || "∅"} (${cs.level * 100}%)`,
  ]);
  return rows;
}

/**
 * Weak-IV panel exhibit: one column per 2SLS fit (one endogenous regressor each), rows = the
 * robust first-stage F, the Montiel Olea–Pflueger (2013) effective F with its τ = 10 %
 * generalized and simplified critical values and the verdict, the Lee et al. (2022) tF
 * critical value and interval, and the Anderson–Rubin (1949) test and set (`weakIvPanel`).
 *
 * @example showTable(weakIvTable([e5, e6], ["Telephones 1984", "Post offices 1984"]));
 */
export function weakIvTable(fits: readonly Iv2slsResult[], labels?: readonly string[], title = "Weak-IV-robust inference"): ReportTable {
  const panels = fits.map((f) => weakIvPanelRows(weakIvPanel(f)));
  const names = fits.map((f, j) => labels?.[j] ?? `(${j + 1}) ${f.instruments.join(" + ")}`);
  const labelsInOrder: string[] = [];
  for (const p of panels) for (const [l] of p) if (!labelsInOrder.includes(l)) labelsInOrder.push(l);
  const recs = labelsInOrder.map((label) => {
    const r: Record<string, string> = { statistic: label };
    panels.forEach((p, j) => (r[names[j] as string] = p.find(([l]) => l === label)?.[1] ?? "–"));
    return r;
  });
  return dataTable(fromRecords(recs), {
    title,
    na: "–",
    notes: [
      "Effective F and critical values: Montiel Olea & Pflueger (2013), weakivtest conventions (Pflueger & Wang 2015), TSLS, α = 5 %.",
      "tF: Lee, McCrary, Moreira & Porter (2022), 5 % critical value c(F) at F = the effective F (one instrument).",
    ],
  });
}
