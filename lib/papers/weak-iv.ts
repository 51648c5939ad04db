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

/** One row of the weak-IV exhibit: a statistic of one fit, its value or interval, and a note. */
interface WeakIvRecord {
  readonly [k: string]: string | number;
  readonly fit: string;
  readonly statistic: string;
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly note: string;
}

/** The long records of one panel: numbers stay numbers (the CSV holds them unrounded), text only in `note`. */
function weakIvRecords(fit: string, p: WeakIvPanel): WeakIvRecord[] {
  const out: WeakIvRecord[] = [];
  const add = (statistic: string, value = NaN, low = NaN, high = NaN, note = ""): void => {
    out.push({ fit, statistic, value, low, high, note });
  };
  add("2SLS estimate", p.estimate, NaN, NaN, `${p.endogenous} on ${p.instruments.join(", ")}; ${p.vce} VCE, N = ${p.nobs}`);
  add("standard error", p.se);
  add("conventional 95% CI", NaN, p.conventional[0], p.conventional[1]);
  if (isInvalid(p.firstStageF)) add("first-stage F (robust)", NaN, NaN, NaN, p.firstStageF.reason);
  else add("first-stage F (robust)", p.firstStageF.stat);
  if (isInvalid(p.mop)) add("MOP effective F", NaN, NaN, NaN, p.mop.reason);
  else {
    const c = p.mop.critical;
    add(
      "MOP effective F",
      p.mop.effectiveF,
      NaN,
      NaN,
      p.mop.verdict === "strong"
        ? `strong: above the generalized critical value (worst-case TSLS bias < ${c.tau * 100}% at α = ${c.alpha * 100}%)`
        : "weak: not above the generalized critical value",
    );
    add(`MOP critical value, τ = ${c.tau * 100}% (generalized)`, c.generalized.critical, NaN, NaN, `B_TSLS = ${num(c.generalized.bTsls)}`);
    add(`MOP critical value, τ = ${c.tau * 100}% (simplified)`, c.simplified.critical, NaN, NaN, `K_eff = ${num(c.simplified.Keff, 2)}`);
  }
  if (isInvalid(p.tF)) add("tF 95% CI", NaN, NaN, NaN, p.tF.reason);
  else {
    add("tF critical value c(F)", p.tF.critical, NaN, NaN, `adjustment c/1.96 = ${num(p.tF.adjustment)}`);
    add("tF 95% CI", NaN, p.tF.lower, p.tF.upper);
  }
  const t = p.andersonRubin.test;
  if (isInvalid(t)) add("Anderson–Rubin F (β = 0)", NaN, NaN, NaN, t.reason);
  else {
    add("Anderson–Rubin F (β = 0)", t.stat);
    add("Anderson–Rubin p-value", t.p);
  }
  const cs = p.andersonRubin.confidenceSet;
  if (isInvalid(cs)) add("Anderson–Rubin set", NaN, NaN, NaN, cs.reason);
  else if (cs.intervals.length === 1) {
    const [a, b] = cs.intervals[0] as readonly [number, number];
    add(`Anderson–Rubin ${cs.level * 100}% set`, NaN, a, b, cs.kind);
  } else
    add(`Anderson–Rubin ${cs.level * 100}% set`, NaN, NaN, NaN, `${cs.kind}: ${cs.intervals.map(([a, b]) => iv(a, b)).join(" ∪ ") || "∅"}`);
  return out;
}

/**
 * Weak-IV panel exhibit, one block of rows per 2SLS fit (one endogenous regressor each): the
 * estimate and its conventional interval, the robust first-stage F, the Montiel Olea–Pflueger
 * (2013) effective F with its τ = 10 % generalized and simplified critical values and the
 * verdict, the Lee et al. (2022) tF critical value and interval, and the Anderson–Rubin (1949)
 * test and set (`weakIvPanel`). A data table in long form (fit, statistic, value, low, high,
 * note): the CSV holds every number unrounded, text only in `note`.
 *
 * @example showTable(weakIvTable([e5, e6], ["Telephones 1984", "Post offices 1984"]));
 */
export function weakIvTable(fits: readonly Iv2slsResult[], labels?: readonly string[], title = "Weak-IV-robust inference"): ReportTable {
  const names = fits.map((f, j) => labels?.[j] ?? `(${j + 1}) ${f.instruments.join(" + ")}`);
  const recs = fits.flatMap((f, j) => weakIvRecords(names[j] as string, weakIvPanel(f)));
  return dataTable(fromRecords(recs), {
    title,
    na: "",
    digits: { value: 4, low: 4, high: 4 },
    notes: [
      "Effective F and critical values: Montiel Olea & Pflueger (2013), weakivtest conventions (Pflueger & Wang 2015), TSLS, α = 5 %.",
      "tF: Lee, McCrary, Moreira & Porter (2022), 5 % critical value c(F) at F = the effective F (one instrument).",
    ],
  });
}
