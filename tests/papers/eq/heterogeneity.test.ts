import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../../lib/synth";
import { column, numeric, table, withColumns } from "../../../lib/data/table";
import { feols } from "../../../lib/estimators/feols";
import { buildQualityPanel } from "../../../lib/papers/eq/panel";
import {
  buildSplitPanels,
  splitTruth,
  splitTestReps,
  addLocationClasses,
  interactionPermutation,
  diffTestsTable,
  locationTestsTable,
} from "../../../lib/papers/eq/heterogeneity";
import { coefDiffTest } from "../../../lib/estimators/resampling/coef-diff";
import { coefDiffInteraction } from "../../../lib/estimators/resampling/interaction-test";
import { rng } from "../../../lib/util/rng";

// Tolerances: POOLED 1e-10 — the firm × mode identifier only renames firms (one mode per firm in
// the synthetic data), so the pooled quality equals buildQualityPanel's up to summation order;
// AGG 1e-12 — value-weighted means of the splits recombine to the pooled cell quality exactly.
const POOLED = 1e-10,
  AGG = 1e-12;
const F = "quality ~ vagg + fdi + open + fisc + dlp + sci + edu + wage + gdp + fixinv | city + year + hs4";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-het-"));
const built = (async () => {
  await generate({ scale: "small", seed: 20220707, outDir: dir });
  return { split: await buildSplitPanels(dir), base: await buildQualityPanel(dir) };
})();

const keyMap = (t: ReturnType<typeof table>) => {
  const c = numeric(t, "city"),
    h = column(t, "hs4"),
    y = numeric(t, "year");
  const m = new Map<string, number>();
  for (let i = 0; i < t.nrows; i++) m.set(`${c[i]}|${h[i]}|${y[i]}`, i);
  return m;
};

test("split panels: the pooled quality is buildQualityPanel's", async () => {
  const { split, base } = await built;
  assert.is(split.base.panel.nrows, base.panel.nrows);
  const a = numeric(split.base.panel, "quality"),
    b = numeric(base.panel, "quality");
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs((a[i] as number) - (b[i] as number)) < POOLED, `row ${i}`);
});

/** Pooled cells none of whose city × HS6 × year rows has a BEC class (intermediate or final). */
function unclassifiedOnly(split: Awaited<typeof built>["split"]): number {
  const h = split.base.hs6;
  const c = numeric(h, "city"),
    j = column(h, "hs4"),
    y = numeric(h, "year"),
    six = column(h, "hs6");
  const bec = new Map<string, string>();
  const p = fs.readFileSync(path.join(dir, "products.csv"), "utf8").trim().split("\n");
  const head = (p[0] as string).split(",");
  for (const line of p.slice(1)) {
    const f = line.split(",");
    bec.set(String(f[head.indexOf("hs6")]), String(f[head.indexOf("bec")]));
  }
  const classified = new Set<string>(),
    all = new Set<string>();
  for (let i = 0; i < h.nrows; i++) {
    const k = `${c[i]}|${j[i]}|${y[i]}`;
    all.add(k);
    if (bec.get(String(six[i])) !== "unclassified") classified.add(k);
  }
  return all.size - classified.size;
}

test("split panels: the mode and BEC cells recombine (value-weighted) to the pooled cell quality", async () => {
  const { split } = await built;
  for (const [t, name] of [
    [split.tradeMode, "mode"],
    [split.bec, "bec"],
  ] as const) {
    const pooled = split.base.panel,
      pk = keyMap(pooled),
      pq = numeric(pooled, "quality"),
      pv = numeric(pooled, "value");
    const sum = new Map<string, { vq: number; v: number }>();
    const c = numeric(t, "city"),
      h = column(t, "hs4"),
      y = numeric(t, "year"),
      q = numeric(t, "quality"),
      v = numeric(t, "value");
    for (let i = 0; i < t.nrows; i++) {
      const k = `${c[i]}|${h[i]}|${y[i]}`;
      const s = sum.get(k) ?? { vq: 0, v: 0 };
      s.vq += (v[i] as number) * (q[i] as number);
      s.v += v[i] as number;
      sum.set(k, s);
    }
    // every pooled cell appears in a split, except (BEC) the cells whose HS6 lines all have no SNA end use
    const expected = name === "bec" ? pooled.nrows - unclassifiedOnly(split) : pooled.nrows;
    assert.is(sum.size, expected, `${name}: every pooled cell appears in a split`);
    if (name === "bec") assert.ok(split.info.hs6Rows.unclassified > 0, "the synthetic products.csv has unclassified BEC lines");
    for (const [k, s] of sum) {
      const i = pk.get(k);
      assert.ok(i !== undefined, `${name}: ${k} not pooled`);
      assert.ok(Math.abs(s.vq / s.v - (pq[i as number] as number)) < AGG, `${name}: quality ${k}`);
      assert.ok(Math.abs(s.v / (pv[i as number] as number) - 1) < 1e-12, `${name}: value ${k}`);
    }
  }
  assert.is(split.info.firmRows.other, 0);
  assert.is(split.processing.nrows + split.ordinary.nrows, split.tradeMode.nrows);
  assert.is(split.intermediate.nrows + split.final.nrows, split.bec.nrows);
  assert.equal([...new Set(Array.from(column(split.processing, "mode") as ArrayLike<unknown>))], ["processing"]);
  // covariates attached as in the pooled panel
  const pk = keyMap(split.base.panel),
    pvagg = numeric(split.base.panel, "vagg"),
    pfdi = numeric(split.base.panel, "fdi");
  const c = numeric(split.final, "city"),
    h = column(split.final, "hs4"),
    y = numeric(split.final, "year"),
    vg = numeric(split.final, "vagg"),
    fdi = numeric(split.final, "fdi");
  for (let i = 0; i < split.final.nrows; i++) {
    const j = pk.get(`${c[i]}|${h[i]}|${y[i]}`) as number;
    assert.is(vg[i], pvagg[j]);
    assert.is(fdi[i], pfdi[j]);
  }
});

test("splitTruth: trade-mode truth from the realised cell shares; BEC and location truths", async () => {
  const { split } = await built;
  const tr = await splitTruth(split, dir, F);
  assert.ok(tr);
  const t = tr as NonNullable<typeof tr>;
  // the generator's realised values (they include the κ(vagg) channel)
  const re = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8")).realised.eq;
  assert.is(t.intermediate, re.bec.intermediate);
  assert.is(t.final, re.bec.final);
  assert.is(t.processing, re.trade_mode.processing);
  assert.is(t.ordinary, re.trade_mode.ordinary);
  assert.is(t.beta, re.beta_vagg);
  assert.is(t.interaction, 0);
  assert.ok(Math.abs(t.becGap - (t.final - t.intermediate)) < 1e-15);
  assert.ok(t.ordinary > t.processing, `ordinary ${t.ordinary} vs processing ${t.processing}`);
  assert.ok(t.meanPi.processing > t.meanPi.ordinary && t.meanPi.processing <= 1 && t.meanPi.ordinary >= 0);
  assert.ok(Math.abs(t.modeGap - (t.ordinary - t.processing)) < 1e-15);
  assert.is(await splitTruth(split, fs.mkdtempSync(path.join(os.tmpdir(), "eq-het-none-")), F), null);
});

test("splitTruth: without the realised trade-mode values the offset-formula slopes are fitted instead", async () => {
  const { split } = await built;
  const alt = fs.mkdtempSync(path.join(os.tmpdir(), "eq-het-old-"));
  const truth = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8"));
  delete truth.realised.eq.trade_mode;
  fs.writeFileSync(path.join(alt, "truth.json"), JSON.stringify(truth));
  const opts = { customs: path.join(dir, "customs.parquet"), products: path.join(dir, "products.csv") };
  const t = (await splitTruth(split, alt, F, opts)) as NonNullable<Awaited<ReturnType<typeof splitTruth>>>;
  const withRealised = (await splitTruth(split, dir, F)) as NonNullable<typeof t>;
  assert.ok(Number.isFinite(t.processing) && Number.isFinite(t.ordinary));
  assert.ok(t.processing !== withRealised.processing && t.ordinary !== withRealised.ordinary);
  assert.equal(t.meanPi, withRealised.meanPi);
  assert.is(t.final, withRealised.final);
});

test("splitTestReps: scale rule and override", () => {
  assert.is(splitTestReps({ scale: "small" }, undefined), 199);
  assert.is(splitTestReps({ scale: "default" }, undefined), 1000);
  assert.is(splitTestReps({ scale: "paper" }, undefined), 1000);
  assert.is(splitTestReps({ scale: "small" }, "37"), 37);
  assert.throws(() => splitTestReps({ scale: "small" }, "0"), /VAGG_REPS/);
});

test("addLocationClasses: capitals, regions, periphery = 1 − centre", async () => {
  const { split } = await built;
  const loc = await addLocationClasses(split.base.panel, dir);
  assert.is(loc.info.unmatchedRows, 0);
  assert.is(loc.info.east + loc.info.middle + loc.info.west, loc.info.cities);
  const ce = numeric(loc.panel, "centre"),
    pe = numeric(loc.panel, "periphery"),
    e = numeric(loc.panel, "east"),
    m = numeric(loc.panel, "middle"),
    w = numeric(loc.panel, "west");
  const c = numeric(loc.panel, "city");
  for (let i = 0; i < loc.panel.nrows; i++) {
    assert.is((ce[i] as number) + (pe[i] as number), 1);
    assert.is((e[i] as number) + (m[i] as number) + (w[i] as number), 1);
    if (c[i] === 130100) {
      assert.is(ce[i], 1);
      assert.is(e[i], 1);
    } // Shijiazhuang: capital of Hebei (east)
    if (c[i] === 610100) {
      assert.is(ce[i], 1);
      assert.is(w[i], 1);
    } // Xi'an: capital of Shaanxi (west)
  }
  assert.ok(loc.info.centreCities.includes("石家庄市"));
});

test("interactionPermutation: observed fit equals feols; p-value rule; determinism; errors", async () => {
  const { split } = await built;
  const loc = await addLocationClasses(split.base.panel, dir);
  const f = F.replace("vagg +", "vagg + vagg:centre +");
  const m = feols(loc.panel, f, { vcov: { cluster: ["city^hs4"] } });
  const r = await interactionPermutation(loc.panel, f, {
    slope: "vagg",
    indicator: "centre",
    unit: "city",
    reps: 49,
    vcov: "cluster:city^hs4",
    seed: 7,
  });
  assert.ok(Math.abs(r.coef - (m.coef["vagg:centre"] as number)) < 1e-9);
  assert.ok(Math.abs(r.se - (m.se["vagg:centre"] as number)) < 1e-9);
  assert.is(r.reps, 49);
  assert.is(r.treatedUnits, loc.info.centre);
  assert.is(r.units, loc.info.cities);
  let ge = 0;
  for (const d of r.draws) if (Math.abs(d) >= Math.abs(r.coef) * (1 - 1e-10)) ge++;
  assert.ok(Math.abs(r.pValue - (1 + ge) / 50) < 1e-12);
  // same seed, same draws
  const r1 = await interactionPermutation(loc.panel, f, {
    slope: "vagg",
    indicator: "centre",
    unit: "city",
    reps: 49,
    vcov: "cluster:city^hs4",
    seed: 7,
  });
  assert.equal(Array.from(r1.draws), Array.from(r.draws));
  await interactionPermutation(loc.panel, F, { slope: "vagg", indicator: "centre", unit: "city", reps: 9 }).then(
    () => assert.unreachable("no term"),
    (e: Error) => assert.match(e.message, /no term "vagg:centre"/),
  );
  const bad = withColumns(loc.panel, { centre: Float64Array.from(numeric(loc.panel, "year"), (y) => (y > 2010 ? 1 : 0)) });
  await interactionPermutation(bad, f, { slope: "vagg", indicator: "centre", unit: "city", reps: 9 }).then(
    () => assert.unreachable("varies"),
    (e: Error) => assert.match(e.message, /varies within a level of "city"/),
  );
});

test("interactionPermutation: a draw is a feols fit with the permuted labels (toy panel)", async () => {
  // 12 units × 6 periods; D on 4 units; y depends on x only. Permute with reps = 1 and compare.
  const r = rng(3);
  const n = 72,
    unit = new Float64Array(n),
    per = new Float64Array(n),
    x = new Float64Array(n),
    y = new Float64Array(n),
    d = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    unit[i] = Math.floor(i / 6);
    per[i] = i % 6;
    x[i] = r.normal();
    d[i] = (unit[i] as number) < 4 ? 1 : 0;
    y[i] = 0.5 * (x[i] as number) + r.normal();
  }
  const t = table({ unit, per, x, y, d });
  const res = await interactionPermutation(t, "y ~ x + x:d | unit + per", {
    slope: "x",
    indicator: "d",
    unit: "unit",
    reps: 3,
    seed: 11,
    vcov: "iid",
  });
  // recover the permuted labels by brute force: the fit of every 4-of-12 assignment, find the draw
  const combos: number[][] = [];
  const rec = (s: number, acc: number[]) => {
    if (acc.length === 4) {
      combos.push(acc.slice());
      return;
    }
    for (let u = s; u < 12; u++) {
      acc.push(u);
      rec(u + 1, acc);
      acc.pop();
    }
  };
  rec(0, []);
  for (const draw of res.draws) {
    const hit = combos.some((cb) => {
      const dd = Float64Array.from(unit, (u) => (cb.includes(u) ? 1 : 0));
      const m = feols(withColumns(t, { dp: dd }), "y ~ x + x:dp | unit + per", { vcov: "iid" });
      return Math.abs((m.coef["x:dp"] as number) - draw) < 1e-9;
    });
    assert.ok(hit, `draw ${draw} is not the fit of any relabelling`);
  }
});

test("diffTestsTable and locationTestsTable render with published, recomputed and true values", async () => {
  const { split } = await built;
  const p = await coefDiffTest(split.tradeMode, F, { group: "ordinary", coef: "vagg", reps: 19, method: "permutation", seed: 1 });
  const w = coefDiffInteraction(split.tradeMode, F, { group: "ordinary", coef: "vagg", vcov: "cluster:city^hs4" });
  assert.ok(Math.abs(p.diff - w.diff) < 1e-8);
  const b = await coefDiffTest(split.tradeMode, F, { group: "ordinary", coef: "vagg", reps: 19, cluster: "city^hs4", seed: 1 });
  assert.is(b.method, "wild");
  assert.ok(Math.abs(b.diff - w.diff) < 1e-8);
  const t = diffTestsTable([{ label: "ordinary − processing", test: b, permutation: p, wald: w, published: 0.2295, truth: 0.15 }]);
  const js = JSON.stringify(t);
  assert.ok(js.includes("0.2295"));
  assert.ok(js.includes("p wild boot. (2-sided)") && js.includes("p perm. (2-sided)"));
  // without a permutation test its columns are left out
  assert.not.ok(JSON.stringify(diffTestsTable([{ label: "d", test: b, wald: w }])).includes("p perm."));
  const loc = await addLocationClasses(split.base.panel, dir);
  const f = F.replace("vagg +", "vagg + vagg:east +");
  const m = feols(loc.panel, f, { vcov: { cluster: ["city^hs4"] } });
  const r = await interactionPermutation(loc.panel, f, {
    slope: "vagg",
    indicator: "east",
    unit: "city",
    reps: 9,
    vcov: "cluster:city^hs4",
  });
  const lt = locationTestsTable([
    { label: "vagg × east", model: m, term: "vagg:east", permutation: r, published: { coef: -0.076, se: 0.0053 }, truth: 0 },
  ]);
  assert.ok(JSON.stringify(lt).includes("-0.0760"));
  assert.throws(() => locationTestsTable([{ label: "x", model: m, term: "vagg:west", permutation: r }]), /not a coefficient/);
});

test.run();
