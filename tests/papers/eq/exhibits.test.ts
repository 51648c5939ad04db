import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ReportTable } from "../../../lib/report/model";
import { isSynthetic, truthFor } from "../../../lib/papers/truth";
import { TRUTH } from "../../../lib/synth/truth";
import { EQ_PUBLISHED } from "../../../lib/papers/eq/published";
import { EQ_CONTROLS } from "../../../lib/papers/eq/panel";
import { eqFormula, EQ_BASELINE, EQ_FE, eqTruth, eqLagSample, eqFirmFormula } from "../../../lib/papers/eq/specs";
import { table } from "../../../lib/data/table";
import {
  eqTable2,
  eqTable3,
  eqEndogeneityComparison,
  eqTable5Tests,
  eqTable6Tests,
  eqTable4,
  eqTable5,
  eqTable6,
  eqTable7,
  eqTable8,
  eqTable8Comparison,
  eqRotembergComparison,
  eqRotembergByIndustryTable,
  eqSigmaTable,
} from "../../../lib/papers/eq/exhibits";
import type { SplitTruth } from "../../../lib/papers/eq/heterogeneity";

// The builders only read coef / se / pvalue / nobs: fitted models are stood in for by records.
function fit(coef: Record<string, number>, nobs = 1000) {
  const k = Object.keys(coef);
  return { coef, se: Object.fromEntries(k.map((n) => [n, 0.01])), pvalue: Object.fromEntries(k.map((n) => [n, 0.001])), nobs } as never;
}
const labels = (t: ReportTable): string[] => t.body.map((r) => r.cells[0]!.text);
const row = (t: ReportTable, label: string): string[] => {
  const r = t.body.find((x) => x.cells[0]!.text === label);
  if (!r) throw new Error(`no row ${label} in ${labels(t).join(" | ")}`);
  return r.cells.map((c) => c.text);
};
const heads = (t: ReportTable): string[] => t.header.flatMap((h) => h.map((c) => c.text));
const v = (x = 0.3) => fit({ vagg: x });

const synthDir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-exh-syn-"));
fs.writeFileSync(path.join(synthDir, "truth.json"), JSON.stringify(TRUTH));
const realDir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-exh-real-"));

test("isSynthetic / truthFor: a data folder is synthetic iff it holds truth.json; booleans and env-like objects", () => {
  assert.is(isSynthetic(synthDir), true);
  assert.is(isSynthetic(realDir), false);
  assert.is(isSynthetic({ dataDir: synthDir }), true);
  assert.is(isSynthetic({ dataDir: realDir }), false);
  assert.is(isSynthetic(true), true);
  assert.is(truthFor(false), null);
  assert.is(truthFor(synthDir)?.eq.beta_vagg, TRUTH.eq.beta_vagg);
});

test("eqFormula: controls named once, IV and no-rhs forms", () => {
  const C = EQ_CONTROLS.join(" + ");
  assert.is(eqFormula("quality", "vagg", "city + year"), `quality ~ vagg + ${C} | city + year`);
  assert.is(eqFormula("quality", "", EQ_FE, "vagg ~ tel_iv"), `quality ~ ${C} | city + year + hs4 | vagg ~ tel_iv`);
  assert.is(EQ_BASELINE, `quality ~ vagg + ${C} | city + year + hs4`);
});

test("eqTable2: published rows from EQ_PUBLISHED, true row and synthetic wording only on synthetic data", () => {
  const models = [v(), v(), v(), v()];
  const syn = eqTable2(models, synthDir);
  assert.equal(
    row(syn, "Published").slice(1),
    EQ_PUBLISHED.table2.map((r) => r.coef.toFixed(4)),
  );
  assert.equal(
    row(syn, "Published SE").slice(1),
    EQ_PUBLISHED.table2.map((r) => r.se.toFixed(4)),
  );
  assert.is(row(syn, "True (DGP)")[4], TRUTH.eq.beta_vagg.toFixed(4));
  assert.ok(
    syn.notes.some(
      (n) => n.startsWith("Synthetic data calibrated") && n.includes("Published N: 624,577 (cols. 1, 3), 616,591 (cols. 2, 4)."),
    ),
  );
  const real = eqTable2(models, realDir);
  assert.not.ok(labels(real).includes("True (DGP)"));
  assert.not.ok(real.notes.some((n) => n.includes("Synthetic")));
  assert.ok(real.notes.some((n) => n.includes("Published N: 624,577 (cols. 1, 3), 616,591 (cols. 2, 4).")));
  const zh = eqTable2(models, true, { lang: "zh" });
  assert.ok(labels(zh).includes("真实值(DGP)"));
  assert.is(zh.title, "表2 虚拟集聚与出口产品质量：基准回归");
  assert.ok(zh.notes.some((n) => n.includes("原文观测值：624,577（第1、3列），616,591（第2、4列）。")));
  assert.not.ok(labels(eqTable2(models, false, { lang: "zh" })).includes("真实值(DGP)"));
});

test("eqTable3 and eqEndogeneityComparison: true values where β is built in; no true column on real data", () => {
  const t2 = [v(), v(), v(), v()];
  const t3 = [v(), v(), fit({ l_vagg: 0.1 }), v(), v(), v()];
  const b = TRUTH.eq.beta_vagg.toFixed(4);
  assert.equal(row(eqTable3(t3, true), "True (DGP)").slice(1), [b, b, "", b, b, b]);
  assert.not.ok(labels(eqTable3(t3, false)).includes("True (DGP)"));
  const syn = eqEndogeneityComparison(t2, t3, true);
  assert.ok(heads(syn).includes("true (DGP)"));
  assert.equal(row(syn, "T3 (5) 2SLS, IV = Tel1984 × inv").slice(1, 3), [
    EQ_PUBLISHED.table3[4].coef.toFixed(4),
    EQ_PUBLISHED.table3[4].se.toFixed(4),
  ]);
  assert.is(row(syn, "T2 (4) + HS4 FE + controls")[5], b);
  const real = eqEndogeneityComparison(t2, t3, false);
  assert.not.ok(heads(real).includes("true (DGP)"));
  assert.is(row(real, "T2 (4) + HS4 FE + controls").length, 6);
  assert.throws(() => eqEndogeneityComparison(t2.slice(1), t3, true), /needs 4 models/);
  // per-column true values (eqTrueValues): every column, L.vagg's coefficient included; none on real data
  const tv = { table2: [0.11, 0.12, 0.13, 0.14], table3: [0.21, 0.22, 0.23, 0.24, 0.25, 0.26] };
  assert.equal(row(eqTable3(t3, true, tv), "True (DGP)").slice(1), ["0.2100", "0.2200", "0.2300", "0.2400", "0.2500", "0.2600"]);
  assert.equal(row(eqTable2(t2, true, { truths: tv }), "True (DGP)").slice(1), ["0.1100", "0.1200", "0.1300", "0.1400"]);
  assert.is(row(eqEndogeneityComparison(t2, t3, true, tv), "T3 (4) 2SLS, IV = L.vagg")[5], "0.2400");
  assert.is(row(eqEndogeneityComparison(t2, t3, true, tv), "T3 (3) L.vagg")[5], "0.2300");
  assert.not.ok(labels(eqTable3(t3, false, tv)).includes("True (DGP)"));
});

test("eqTable4, eqTable8, eqTable8Comparison, Rotemberg: true values only on synthetic data, published N from published.ts", () => {
  const r = [v(), fit({ vagg_in: 0.02 }), v(), fit({ vagg_txt: 0.001 }), v(), v(), v(), v()];
  assert.ok(heads(eqTable4(r, true)).includes("true (DGP)"));
  assert.not.ok(heads(eqTable4(r, false)).includes("true (DGP)"));
  assert.is(row(eqTable4(r, true), "(2) HS6-level quality, city + year + HS4 FE")[1], EQ_PUBLISHED.table4.hs6.coef.toFixed(4));
  assert.is(row(eqTable4(r, true), "(4) firm level 2005–2013, firm + city + year FE")[1], EQ_PUBLISHED.table4.firm.coef.toFixed(4));
  assert.ok(eqTable4(r, false).notes.some((n) => n.includes("firm + city + year FE and no industry FE, SE clustered by firm")));
  const m = [fit({ l_vagg: 20 }), v(1), v(-0.05), v(2), fit({ coa: 0.02 }), fit({ d_coa: 0.03 })];
  const t8 = eqTable8(m, true);
  assert.is(row(t8, "True (DGP)")[2], TRUTH.eq.road_vagg.toFixed(4));
  assert.ok(t8.notes.some((n) => n.includes("N 575,589 / 616,591 / 616,591 / 616,591 / 576,860 / 616,591")));
  assert.not.ok(labels(eqTable8(m, false)).includes("True (DGP)"));
  const c8 = [fit({ l_vagg: 20 }), v(1), v(1), v(-0.05), v(-0.05), v(2), fit({ coa: 0.02 }), fit({ d_coa: 0.03 })];
  assert.is(row(eqTable8Comparison(c8, true), "(2) ln road per capita on vagg")[5], TRUTH.eq.road_vagg.toFixed(4));
  assert.not.ok(heads(eqTable8Comparison(c8, false)).includes("true (DGP)"));
  const rw = { betaDecomposed: 0.3, seOls: 0.02, nobs: 500, rows: [] } as never;
  assert.ok(heads(eqRotembergComparison(rw, true)).includes("true (DGP)"));
  assert.not.ok(heads(eqRotembergComparison(rw, false)).includes("true (DGP)"));
  assert.ok(eqRotembergByIndustryTable(rw, new Map(), true).notes.some((n) => n.includes("0.3087 for every industry")));
  assert.not.ok(eqRotembergByIndustryTable(rw, new Map(), false).notes.some((n) => n.includes("True")));
  const q = { sigmaHat: { estimate: 4, se: 0.1, nobs: 100 } } as never;
  assert.ok(heads(eqSigmaTable(q, null, true)).includes("HS3 table (true in the DGP)"));
  assert.ok(heads(eqSigmaTable(q, null, false)).includes("HS3 table"));
  assert.not.ok(heads(eqSigmaTable(q, null, false)).some((h) => h.includes("DGP")));
});

test("eqTable5/6/7: the true column follows splitTruth / mechanismTruth (null on real data)", () => {
  const truth = {
    processing: 0.18,
    ordinary: 0.35,
    intermediate: 0.3087,
    final: 0.3087,
    modeGap: 0.17,
    becGap: 0,
    interaction: 0,
    beta: 0.3087,
    aggregate: { processing: 0.085, ordinary: 0.31, pi: 0.03 },
  } as unknown as SplitTruth;
  const t5 = eqTable5([v(), v(), v(), v()], truth);
  assert.is(row(t5, "(1) processing trade")[5], "0.1800");
  assert.ok(t5.notes[0]!.startsWith("Published N: processing 304,748; ordinary 571,038; intermediate 351,679; final 333,236"));
  assert.ok(t5.notes.some((n) => n.includes("(processing 0.0850, ordinary 0.3100)")));
  assert.not.ok(heads(eqTable5([v(), v(), v(), v()], null)).includes("true (DGP)"));
  const loc = ["centre", "periphery", "east", "middle", "west"].map((l) => fit({ vagg: 0.3, [`vagg:${l}`]: 0.01 }));
  const t6 = eqTable6(loc, truth);
  assert.is(row(t6, "(3) vagg × east")[1], EQ_PUBLISHED.table6.east.coef.toFixed(4));
  assert.ok(t6.notes[0]!.includes("Published N 616,591 in every column"));
  assert.is(row(t6, "(1) vagg (non-centre cities)")[1], EQ_PUBLISHED.table6.main[0]!.coef.toFixed(4)); // published main effects shown, from published.ts
  assert.not.ok(heads(eqTable6(loc, null)).includes("true (DGP)"));
  const m7 = [v(), v(), v(), v(), v(), v()];
  const t7 = eqTable7(m7, { total: -0.06 });
  assert.is(row(t7, "(5) total")[5], "-0.0600");
  assert.ok(t7.notes[0]!.includes("Published N: 614,355; 616,591; 616,555; 615,264; 613,513; 615,229."));
  assert.not.ok(heads(eqTable7(m7, null)).includes("true (DGP)"));
});

test("eqTable5Tests / eqTable6Tests: the true-difference column only with splitTruth's values (synthetic data)", () => {
  const boot = { diff: 0.2, pOneSided: 0.01, pTwoSided: 0.02, reps: 99, separate: { p: 0.03 }, draws: [], method: "wild" };
  const wald = { diff: 0.2, se: 0.05, df: [1, 100], p: 0.001 };
  const mode = [boot, wald] as never,
    bec = [boot, wald] as never;
  const truth = { modeGap: 0.17, becGap: 0, interaction: 0 } as unknown as SplitTruth;
  const syn = eqTable5Tests(mode, bec, truth);
  assert.ok(heads(syn).includes("d true (DGP)"));
  assert.is(row(syn, "ordinary − processing")[1], (EQ_PUBLISHED.table5.ordinary.coef - EQ_PUBLISHED.table5.processing.coef).toFixed(4));
  assert.not.ok(heads(eqTable5Tests(mode, bec, null)).includes("d true (DGP)"));
  const m = ["centre", "east", "middle", "west"].map((l) => ({
    ...(fit({ vagg: 0.3, [`vagg:${l}`]: 0.01 }) as object),
    dof: { tDf: 100 },
  })) as never[];
  const pr = [1, 2, 3, 4].map(() => ({ pValue: 0.5, pValueT: 0.5, treatedUnits: 10 })) as never[];
  assert.ok(heads(eqTable6Tests(m, pr, truth)).includes("true (DGP)"));
  const real = eqTable6Tests(m, pr, null);
  assert.not.ok(heads(real).includes("true (DGP)"));
  assert.is(row(real, "vagg × east")[1], EQ_PUBLISHED.table6.east.coef.toFixed(4));
  assert.is(
    eqEndogeneityComparison([v(), v(), v(), v()], [v(), v(), fit({ l_vagg: 0.1 }), v(), v(), v()], false).title,
    "EQ Tables 2–3: published vs recomputed",
  );
});

test("true rows: realised values of truth.json → realised.eq on synthetic data, the design without them, none on real data", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-exh-realised-"));
  fs.writeFileSync(path.join(dir, "truth.json"), JSON.stringify({ ...TRUTH, realised: { eq: { beta_vagg: 0.2999, road_vagg: 1.1111 } } }));
  const t2 = [v(), v(), v(), v()];
  assert.is(row(eqTable2(t2, dir), "True (DGP)")[4], "0.2999");
  assert.is(row(eqTable2(t2, synthDir), "True (DGP)")[4], TRUTH.eq.beta_vagg.toFixed(4));
  assert.not.ok(labels(eqTable2(t2, realDir)).includes("True (DGP)"));
  const t3 = [v(), v(), fit({ l_vagg: 0.1 }), v(), v(), v()];
  assert.is(row(eqTable3(t3, { dataDir: dir }), "True (DGP)")[1], "0.2999");
  assert.not.ok(labels(eqTable3(t3, { dataDir: realDir })).includes("True (DGP)"));
  const r = [v(), fit({ vagg_in: 0.02 }), v(), fit({ vagg_txt: 0.001 }), v(), v(), v(), v()];
  assert.is(row(eqTable4(r, dir), "(6) clustered by province")[5], "0.2999");
  assert.not.ok(heads(eqTable4(r, realDir)).includes("true (DGP)"));
  const m = [fit({ l_vagg: 20 }), v(1), v(-0.05), v(2), fit({ coa: 0.02 }), fit({ d_coa: 0.03 })];
  assert.is(row(eqTable8(m, dir), "True (DGP)")[2], "1.1111");
  assert.not.ok(labels(eqTable8(m, realDir)).includes("True (DGP)"));
  assert.equal(eqTruth(dir)?.source, { beta_vagg: "realised", road_vagg: "realised" });
  assert.equal(eqTruth(synthDir)?.source, { beta_vagg: "design", road_vagg: "design" });
  assert.is(eqTruth(realDir), null);
  fs.writeFileSync(path.join(dir, "truth.json"), "{ not json");
  assert.throws(() => eqTruth(dir), /truth\.json/);
});

test("anomaly notes are appended to Tables 5, 7 and 8", () => {
  const t7 = eqTable7([v(), v(), v(), v(), v(), v()], null);
  assert.ok(t7.notes.some((n) => n.includes("table7-additivity")));
  const m = [fit({ l_vagg: 20 }), v(1), v(-0.05), v(2), fit({ coa: 0.02 }), fit({ d_coa: 0.03 })];
  assert.ok(eqTable8(m, false).notes.some((n) => n.includes("table8-headers")));
  const c8 = [fit({ l_vagg: 20 }), v(1), v(1), v(-0.05), v(-0.05), v(2), fit({ coa: 0.02 }), fit({ d_coa: 0.03 })];
  assert.ok(eqTable8Comparison(c8, false).notes.some((n) => n.includes("eq26-div")));
  assert.ok(eqTable5([v(), v(), v(), v()], null).notes.some((n) => n.includes("Paper anomaly")));
});

test("eqLagSample: drops the first sample year and counts the rows; the rest unchanged", () => {
  const p = table({ year: [2006, 2005, 2007, 2005, 2006], x: [1, 2, 3, 4, 5] });
  const lag = eqLagSample(p);
  assert.is(lag.firstYear, 2005);
  assert.is(lag.dropped, 2);
  assert.equal(Array.from(lag.panel.columns["x"] as Float64Array), [1, 3, 5]);
  assert.is(lag.panel.nrows + lag.dropped, p.nrows);
  assert.throws(() => eqLagSample(table({ year: [NaN] })), /no year/);
});

test("eqFirmFormula: Table 4 col. 4 without controls, col. 5 with regional and firm controls; firm + city + year FE", () => {
  assert.is(eqFirmFormula(false), "quality ~ vagg | firm + city + year");
  assert.is(eqFirmFormula(true), `quality ~ vagg + ${EQ_CONTROLS.join(" + ")} + age + size + klr | firm + city + year`);
});

test.run();
