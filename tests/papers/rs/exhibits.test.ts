import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ReportTable } from "../../../lib/report/model";
import { TRUTH } from "../../../lib/synth/truth";
import { RS_PUBLISHED } from "../../../lib/papers/rs/published";
import { RS_CONTROLS } from "../../../lib/papers/rs/panel";
import { rsFormula, RS_MARTIN, RS_BASELINE } from "../../../lib/papers/rs/sections";
import { rsTable3, rsMechanismsSummary, rsExtensionSummary } from "../../../lib/papers/rs/exhibits";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// The builders only read coef / se / pvalue / nobs: fitted models are stood in for by records.
function fit(coef: Record<string, number>, nobs = 3177) {
  const k = Object.keys(coef);
  return { coef, se: Object.fromEntries(k.map((n) => [n, 0.001])), pvalue: Object.fromEntries(k.map((n) => [n, 0.001])), nobs } as never;
}
const labels = (t: ReportTable): string[] => t.body.map((r) => r.cells[0]!.text);
const row = (t: ReportTable, label: string): string[] => {
  const r = t.body.find((x) => x.cells[0]!.text === label);
  if (!r) throw new Error(`no row ${label} in ${labels(t).join(" | ")}`);
  return r.cells.map((c) => c.text);
};
const heads = (t: ReportTable): string[] => t.header.flatMap((h) => h.map((c) => c.text));
const v = (x = 0.008) => fit({ vagg: x });
const b = TRUTH.rs.beta_vagg.toFixed(4);
// a synthetic data folder: truth.json with realised RS truths (rsTruth reads realised.rs)
const SYN = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-rs-exhibits-"));
// mechanisms/extension hold the values the older builders take from TRUTH, so the assertions hold for both
const REALISED = { table3: 0.00712, table4: {}, mechanisms: { "vagg→distK": 0 }, extension: { Q3: TRUTH.rs.beta_vagg }, did: 0.00041 };
fs.writeFileSync(path.join(SYN, "truth.json"), JSON.stringify({ realised: { rs: REALISED } }));

test("rsFormula / RS_MARTIN: controls named once; optional FE and IV parts", () => {
  const C = RS_CONTROLS.join(" + ");
  assert.is(RS_BASELINE, `resi ~ vagg + ${C} | city + year`);
  assert.is(rsFormula("resi", "vagg", ""), `resi ~ vagg + ${C}`);
  assert.is(rsFormula("resi", "vagg", "province + year"), `resi ~ vagg + ${C} | province + year`);
  assert.is(rsFormula("resi", "", "city + year", "vagg ~ iv"), `resi ~ ${C} | city + year | vagg ~ iv`);
  assert.is(RS_MARTIN, "resistance ~ vagg_pre + pop_pre + open_pre + fre_pre + road_pre + wage_pre + edu_pre");
});

test("rsTable3: published rows and N from RS_PUBLISHED; realised true row only on synthetic data (en and zh)", () => {
  const m = [v(0.1), v(), v(0.03), v()];
  const syn = rsTable3(m, SYN);
  assert.equal(
    row(syn, "Published").slice(1),
    RS_PUBLISHED.table3.map((r) => r.coef.toFixed(4)),
  );
  assert.equal(row(syn, "True (DGP)").slice(1), ["", "0.0071", "", "0.0071"]);
  assert.ok(syn.notes.includes("Synthetic data calibrated to the paper; published numbers from real data (N = 3,177)."));
  const real = rsTable3(m, false);
  assert.not.ok(labels(real).includes("True (DGP)"));
  assert.not.ok(real.notes.some((n) => n.includes("Synthetic")));
  assert.ok(labels(rsTable3(m, SYN, { lang: "zh" })).includes("真实值(DGP)"));
  assert.not.ok(labels(rsTable3(m, false, { lang: "zh" })).includes("真实值(DGP)"));
  assert.ok(rsTable3(m, SYN, { lang: "zh" }).notes.includes("按原文校准的合成数据；原文数值来自真实数据（观测值 3,177）。"));
});

test("rsTable3: the R² row is overall without FE and within with FE, as the paper prints it", () => {
  const fe = { names: ["city", "year"] };
  const m = [
    { ...(v(0.1) as object), r2: 0.1461 },
    { ...(v() as object), r2: 0.9912, withinR2: 0.0093, fixef: fe },
    { ...(v(0.03) as object), r2: 0.5342 },
    { ...(v() as object), r2: 0.9931, withinR2: 0.0551, fixef: fe },
  ] as never[];
  const t = rsTable3(m, false);
  assert.equal(row(t, "R² (within where FE)").slice(1), ["0.146", "0.009", "0.534", "0.055"]);
  assert.equal(row(t, "Overall R²").slice(1), ["", "0.991", "", "0.993"]);
  assert.is(row(t, "Published R²")[1], "0.146");
  assert.not.ok(labels(t).includes("R²"), "no plain R² stat row mixing the two kinds");
  assert.ok(t.notes.some((n) => n.startsWith("R²: overall R² in the columns without fixed effects, within R²")));
  assert.ok(labels(rsTable3(m, false, { lang: "zh" })).includes("R²(有固定效应列为组内R²)"));
});

test("rsMechanismsSummary, rsExtensionSummary: true column only on synthetic data", () => {
  const step = (m: string) => ({ mediator: m, first: v(0.1), second: fit({ [m]: -0.01 }), dims: [] });
  const mis = ["dist", "distK", "distL"].map(step),
    mkt = ["mp", "lmp", "hmp"].map(step);
  const ms = rsMechanismsSummary(mis as never, mkt as never, SYN);
  assert.is(row(ms, "vagg → distK")[5], "0.0000");
  assert.is(row(ms, "vagg → mp")[1], RS_PUBLISHED.table6.vagg_mp.coef.toFixed(4));
  assert.ok(ms.notes.includes("Published N: 3,166 (Table 5), 3,079 (Table 6)."));
  assert.not.ok(heads(rsMechanismsSummary(mis as never, mkt as never, false)).includes("true (DGP)"));
  const ext = {
    interaction: fit({ vagg_c: 0.008, agg_c: 0.001, "vagg_c:agg_c": 0.0 }),
    groups: [1, 2, 3, 4].map((level) => ({ level, model: v() })),
    cuts: [],
    sizes: [],
  };
  const sx = rsExtensionSummary(ext as never, SYN);
  assert.is(sx.title, "Extension (RS §6): recomputed vs true");
  assert.is(row(sx, "vagg in Q3")[5], b);
  const sxr = rsExtensionSummary(ext as never, false);
  assert.not.ok(heads(sxr).includes("true (DGP)"));
});

// The section tables' true rows (heterogeneityTable, extensionTable, mechanismTable, …) are tested in sections.test.ts.

test.after(() => fs.rmSync(SYN, { recursive: true, force: true }));
test.run();
