import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../../lib/synth";
import { buildWorld, ti } from "../../../lib/synth/world";
import { column, numeric } from "../../../lib/data/table";
import { buildQualityPanel, placeboRepsFor, placeboFigure, ivStatRows, EQ_CONTROLS } from "../../../lib/papers/eq/panel";
import { EQ_PUBLISHED } from "../../../lib/papers/eq/published";
import { qualitySigmaComparison } from "../../../lib/papers/eq/measurement";
import { eqRealisedTruth } from "../../../lib/papers/truth";
import { eqTruth } from "../../../lib/papers/eq/specs";
import { placebo } from "../../../lib/estimators/resampling/placebo";
import { feols } from "../../../lib/estimators/feols";
import { iv2sls } from "../../../lib/estimators/iv2sls";

// Tolerances
// VAGG: 1e-6 relative — same arithmetic as the generator, but census_2004.csv stores output
//   rounded to 0.1 (10k CNY), which perturbs the shares by < 1e-7 relative.
// CTRL: the yearbook-derived controls differ from the generator's latent ones (deflated,
//   rounded to 10 significant digits, RS-additive adjustment after 2010), so only finiteness
//   and plausible ranges are checked; wage and gdp are logs of real values near EQ Table 1.
const VAGG = 1e-6;
const SEED = 20220707;
const built = (async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-panel-"));
  await generate({ scale: "small", seed: SEED, outDir: dir });
  return buildQualityPanel(dir);
})();

test("eq panel: vagg and its lag reproduce the generator's Bartik vagg (22)", async () => {
  const eq = await built;
  const w = await buildWorld("small", SEED);
  const idx = new Map(w.cities.map((c, i) => [c.code, i]));
  const cy = eq.cityYear,
    c = column(cy, "city") as Int32Array,
    y = column(cy, "year") as Int32Array,
    v = numeric(cy, "vagg"),
    lv = numeric(cy, "l_vagg");
  assert.is(cy.nrows, w.cities.length * 11);
  for (let i = 0; i < cy.nrows; i++) {
    const k = idx.get(c[i] as number) as number;
    const truth = (w.vagg[k] as Float64Array)[ti(y[i] as number)] as number;
    const lag = (w.vagg[k] as Float64Array)[ti((y[i] as number) - 1)] as number;
    assert.ok(Math.abs((v[i] as number) / truth - 1) < VAGG, `vagg ${c[i]} ${y[i]}`);
    assert.ok(Math.abs((lv[i] as number) / lag - 1) < VAGG, `l_vagg ${c[i]} ${y[i]}`);
  }
});

test("eq panel: keys, controls, instruments, joins", async () => {
  const eq = await built;
  assert.is(eq.info.missingVagg, 0);
  assert.is(eq.info.missingControls, 0);
  assert.is(eq.panel.nrows, eq.quality.cityHs4Year.nrows);
  const q = numeric(eq.panel, "quality");
  for (const x of q) assert.ok(x >= 0 && x <= 1);
  for (const n of EQ_CONTROLS) for (const x of numeric(eq.panel, n)) assert.ok(Number.isFinite(x), n);
  const wage = numeric(eq.panel, "wage"),
    gdp = numeric(eq.panel, "gdp"),
    dlp = numeric(eq.panel, "dlp");
  for (let i = 0; i < eq.panel.nrows; i++) {
    assert.ok((wage[i] as number) > 8 && (wage[i] as number) < 13);
    assert.ok((gdp[i] as number) > 8 && (gdp[i] as number) < 13);
    assert.ok((dlp[i] as number) > 0 && (dlp[i] as number) < 1);
  }
  for (const n of ["tel_iv", "post_iv"]) for (const x of numeric(eq.panel, n)) assert.ok(x > 0, n);
  assert.ok(eq.hs6.nrows >= eq.panel.nrows && eq.firm.nrows >= eq.hs6.nrows);
  assert.ok(eq.firm.names.includes("firm") && eq.hs6.names.includes("hs6"));
});

test("eq panel: baseline and IV estimate β with the right sign; diagnostics rows", async () => {
  const eq = await built;
  const C = EQ_CONTROLS.join(" + ");
  const m = feols(eq.panel, `quality ~ vagg + ${C} | city + year + hs4`, { vcov: { cluster: ["city^hs4"] } });
  assert.ok((m.coef["vagg"] as number) > 0);
  const iv = iv2sls(eq.panel, `quality ~ ${C} | city + year + hs4 | vagg ~ l_vagg`, { vcov: { cluster: ["city^hs4"] } });
  const t = ivStatRows([iv], [EQ_PUBLISHED.table3[3]]);
  assert.ok((numeric(t, "kp_f")[0] as number) > 10);
  assert.is(numeric(t, "stock_yogo_10")[0], 16.38);
});

test("placebo figure is a report chart", async () => {
  const eq = await built;
  const p = await placebo(eq.panel, "quality ~ vagg | city + year + hs4", { permute: "vagg", reps: 5, vcov: "cluster:city^hs4", seed: 1 });
  assert.is(typeof placeboFigure(p).$schema, "string");
});

test("placebo replications by scale", () => {
  assert.is(placeboRepsFor({ scale: "default" }, undefined), 1000);
  assert.is(placeboRepsFor({ scale: "small" }, undefined), 200);
  assert.is(placeboRepsFor({ scale: "small" }, "50"), 50);
  assert.throws(() => placeboRepsFor({ scale: "small" }, "x"));
});

test("eq panel: σ_h is a table input by default (known σ, no pooled σ̂); the comparison rebuilds each variant", async () => {
  const eq = await built;
  assert.is(eq.quality.method, "known-sigma");
  assert.is(eq.quality.sigmaHat, null);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-panel-cmp-"));
  await generate({ scale: "small", seed: SEED, outDir: dir });
  const t = await qualitySigmaComparison(dir, dir, { reuse: eq });
  const txt = JSON.stringify(t);
  // the first row reuses the default panel: its β̂ is Table 2 col. 4 on that panel
  const b4 = feols(eq.panel, "quality ~ vagg + " + EQ_CONTROLS.join(" + ") + " | city + year + hs4", { vcov: { cluster: ["city^hs4"] } });
  assert.ok(txt.includes((b4.coef["vagg"] as number).toFixed(4)), "default row β̂");
  assert.ok(txt.includes("pooled σ̂"), "pooled row");
  assert.ok(txt.includes("0.3087"), "true β on synthetic data");
});

test("eq panel: (18) controls for provincial real GDP; a province-year without it is a one-line DataError naming the file", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-panel-pg-"));
  await generate({ scale: "small", seed: SEED, outDir: dir });
  const withPg = await buildQualityPanel(dir);
  const without = await buildQualityPanel(dir, { provinceGdp: false });
  const a = numeric(withPg.panel, "quality"),
    b = numeric(without.panel, "quality");
  assert.is(a.length, b.length);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
  assert.ok(diff > 1e-9, "the control changes the residual of (18)");
  const f = path.join(dir, "province_gdp.csv");
  const lines = fs.readFileSync(f, "utf8").trimEnd().split("\n");
  fs.writeFileSync(f, [lines[0], ...lines.slice(2)].join("\n") + "\n");
  try {
    await buildQualityPanel(dir);
    assert.unreachable("missing province-year accepted");
  } catch (e) {
    const m = (e as Error).message;
    assert.ok(m.includes("province_gdp.csv") && m.includes("gdp_real") && !m.includes("\n"), m);
  }
});

test("eq realised truths: truth.json → realised.eq is written by the generator and read by eqRealisedTruth (null on real data)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-panel-rt-"));
  await generate({ scale: "small", seed: SEED, outDir: dir });
  const t = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8"));
  const r = eqRealisedTruth(dir);
  assert.ok(r !== null);
  assert.is(r!.beta_vagg, t.realised.eq.beta_vagg);
  assert.is(r!.table2_col4_true_quality, t.realised.eq.table2_col4_true_quality);
  for (const v of [r!.beta_vagg, r!.trade_mode.processing, r!.trade_mode.ordinary, r!.table2_col4_true_quality])
    assert.ok(Number.isFinite(v));
  // eqTruth (the exhibits' "True (DGP)") reads the realised β
  assert.is(eqTruth(dir)!.beta_vagg, r!.beta_vagg);
  assert.is(eqTruth(dir)!.source.beta_vagg, "realised");
  // the split summary in truth.json is the same realised regression (consistent with splitTruth)
  assert.is(t.realised.eq_split_slopes_implied.processing, r!.trade_mode.processing);
  fs.rmSync(path.join(dir, "truth.json"));
  assert.is(eqRealisedTruth(dir), null);
});

test("eq panel: HS codes harmonised to HS2002 before (18): later-vintage codes mapped back, unmapped rows dropped and counted", async () => {
  const eq = await built;
  const h = eq.info.hs!;
  assert.ok(h.fromHs2007 > 0 && h.fromHs2012 > 0 && h.unmapped > 0, JSON.stringify(h));
  assert.is(h.hs2002 + h.fromHs2007 + h.fromHs2012 + h.unmapped, h.input);
  // what reaches the quality step is the harmonised input
  assert.is(eq.quality.counts.input, h.input - h.unmapped);
  // the synthetic HS2002 lines end in 10, 20, 90, 30 or 40; HS2007/HS2012 codes end in 5q/6q, unmapped ones in 99
  for (const c of column(eq.quality.hs6, "hs6") as string[]) assert.ok(["10", "20", "90", "30", "40"].includes(c.slice(4)), c);
});

test("eq panel: the plain-loop join and order give exactly the tables of the SQL reference (sqlAttach)", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-panel-attach-"));
  await generate({ scale: "small", seed: SEED + 1, outDir: dir, papers: ["eq"] });
  const a = await buildQualityPanel(dir),
    b = await buildQualityPanel(dir, { sqlAttach: true });
  for (const k of ["panel", "hs6", "firm", "cityYear"] as const) {
    assert.equal(a[k].names, b[k].names, `${k}: columns`);
    assert.is(a[k].nrows, b[k].nrows, `${k}: rows`);
    for (const n of a[k].names) assert.equal(a[k].columns[n], b[k].columns[n], `${k}.${n}`);
  }
  assert.is(a.info.attach, "loops", "the plain loops ran");
  assert.is(b.info.attach, "sql");
  assert.equal({ ...a.info, attach: "sql" }, b.info);
  // the firm key keeps DuckDB's DOUBLE → VARCHAR form
  assert.ok((column(a.firm, "firm") as string[]).every((f) => /^\d+\.0$/.test(f)));
});

test.run();
