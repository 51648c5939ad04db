import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { table, numeric, type Table } from "../../../lib/data/table";
import { Rng } from "../../../lib/util/rng";
import { toText } from "../../../lib/report";
import { RS_PUBLISHED } from "../../../lib/papers/rs/published";
import {
  rsFormula,
  RS_BASELINE,
  heterogeneityReps,
  heterogeneitySplits,
  heterogeneityTable,
  heterogeneityTests,
  heterogeneityPoints,
  mechanismSteps,
  mechanismTable,
  mechanismDimsTable,
  RS_MECHANISMS,
  withCentred,
  quantileGroups,
  extensionModels,
  extensionTable,
  extensionPoints,
  mechanismSample,
} from "../../../lib/papers/rs/sections";
import { rsTruth, type RsTruth } from "../../../lib/papers/rs/truth";

/** A data folder with a generator-style truth.json carrying realised RS truths (values arbitrary, distinct). */
const REALISED: RsTruth = {
  table3: 0.0111,
  table4: {
    old_industrial: { in: 0.0041, out: 0.0123 },
    digital_infra_high: { in: 0.0131, out: 0.0051 },
    urban_agglomeration: { in: 0.0066, out: 0.0077 },
    yangtze_belt: { in: 0.0033, out: 0.0088 },
  },
  mechanisms: { "vagg→dist": -0.1357, "dist→resi": -0.0046, "vagg→hmp": 0.4321, "hmp→resi": 0.0024 },
  extension: { vagg_c: 0.0097, agg_c: 0.0002, "vagg_c:agg_c": 0.0849, Q1: 0.0061, Q2: 0.0072, Q3: 0.0083, Q4: 0.0094 },
  did: 0.0005,
};
const TRUTH_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "rs-truth-"));
fs.writeFileSync(path.join(TRUTH_DIR, "truth.json"), JSON.stringify({ realised: { rs: REALISED } }));
const REAL_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "rs-real-"));

// Tolerances
// EXACT: 1e-8 — noiseless designs, the estimators must recover the coefficients to rounding.
// NOISY: 0.05 — designs with N(0, 0.01²) noise and slopes of order 1 (SE ≈ 0.003), far inside.
const EXACT = 1e-8;
const NOISY = 0.05;

const CTRL = ["pop", "open", "fre", "road", "wage", "edu"];

/** A city × year panel with the RS column names; outcome equations are linear in the regressors with city and year effects. */
function fakePanel(opts: { noise: number; nCity?: number; nYear?: number; seed?: number }): Table {
  const r = new Rng(opts.seed ?? 7);
  const nC = opts.nCity ?? 24,
    nY = opts.nYear ?? 12,
    N = nC * nY;
  const city = new Int32Array(N),
    year = new Int32Array(N);
  const f = (): Float64Array => new Float64Array(N);
  const cols: Record<string, Float64Array> = {};
  for (const n of [
    "vagg",
    "agg",
    ...CTRL,
    "resi",
    "resist",
    "adapt",
    "transform",
    "dist",
    "distK",
    "distL",
    "mp",
    "lmp",
    "hmp",
    "old_industrial",
    "digital_infra_high",
    "urban_agglomeration",
    "yangtze_belt",
  ])
    cols[n] = f();
  const mu = Float64Array.from({ length: nC }, () => r.normal()),
    dy = Float64Array.from({ length: nY }, () => r.normal());
  const grp = (c: number, g: number): number => (c >> g) & 1; // four city-level indicators, balanced
  for (let c = 0; c < nC; c++)
    for (let t = 0; t < nY; t++) {
      const i = c * nY + t;
      city[i] = 100 + c;
      year[i] = 2008 + t;
      const e = (): number => opts.noise * r.normal();
      const x = (n: string, v: number): void => {
        (cols[n] as Float64Array)[i] = v;
      };
      x("old_industrial", grp(c, 0));
      x("digital_infra_high", grp(c, 1));
      x("urban_agglomeration", grp(c, 2));
      x("yangtze_belt", c % 3 === 0 ? 1 : 0);
      const v = r.normal() + 0.3 * (mu[c] as number),
        a = 2 + r.normal() + 0.5 * (mu[c] as number);
      x("vagg", v);
      x("agg", a);
      for (const n of CTRL) x(n, r.normal());
      const ctl = 0.1 * (cols.pop![i] as number) - 0.05 * (cols.edu![i] as number);
      const fe = (mu[c] as number) + (dy[t] as number);
      // slope of vagg: 1 + 2·old_industrial (so in = 3, out = 1)
      const slope = 1 + 2 * grp(c, 0);
      x("resi", slope * v + 0.5 * (a - 2) + 0.25 * v * (a - 2) + ctl + fe + e());
      x("dist", -0.5 * v + ctl + fe + e());
      x("distK", 0.2 * v + fe + e());
      x("distL", -0.8 * v + fe + e());
      x("mp", 0.6 * v + fe + e());
      x("lmp", 0.1 * v + fe + e());
      x("hmp", 0.7 * v + fe + e());
      x("resist", 0.3 * v + fe + e());
      x("adapt", 0.2 * v + fe + e());
      x("transform", 0.1 * v + fe + e());
    }
  return table({ city, year, ...cols }, "fake");
}

test("formulas: baseline (1) with controls, city and year FE", () => {
  assert.is(RS_BASELINE, "resi ~ vagg + pop + open + fre + road + wage + edu | city + year");
  assert.is(rsFormula("dist", "vagg"), "dist ~ vagg + pop + open + fre + road + wage + edu | city + year");
});

test("heterogeneityReps: 1,000 at every scale, VAGG_REPS overrides, bad values rejected", () => {
  assert.is(heterogeneityReps({ scale: "small" }, {}), 1000);
  assert.is(heterogeneityReps({ scale: "default" }, {}), 1000);
  assert.is(heterogeneityReps({ scale: "small" }, { VAGG_REPS: "199" }), 199);
  assert.throws(() => heterogeneityReps({ scale: "small" }, { VAGG_REPS: "0" }), /VAGG_REPS/);
  assert.throws(() => heterogeneityReps({ scale: "small" }, { VAGG_REPS: "1.5" }), /VAGG_REPS/);
});

test("withCentred: mean zero, differences kept", () => {
  const t = withCentred(table({ a: [1, 2, 3, NaN, 6], b: [0, 0, 0, 0, 5] }), ["a", "b"]);
  assert.equal(Array.from(numeric(t, "a_c")).slice(0, 3), [-2, -1, 0]);
  assert.ok(Number.isNaN(numeric(t, "a_c")[3] as number));
  assert.is(numeric(t, "a_c")[4], 3);
  assert.is(numeric(t, "b_c")[4], 4);
});

test("quantileGroups: xtile rule, sizes, NaN stays NaN, city means with by: unit", () => {
  const x = [1, 2, 3, 4, 5, 6, 7, 8, NaN];
  const q = quantileGroups(table({ x }), "x", 4);
  assert.equal(q.cuts, [2.5, 4.5, 6.5]);
  assert.equal(Array.from(numeric(q.panel, "x_q")).slice(0, 8), [1, 1, 2, 2, 3, 3, 4, 4]);
  assert.ok(Number.isNaN(numeric(q.panel, "x_q")[8] as number));
  assert.equal(q.sizes, [2, 2, 2, 2]);
  // ties at a cut go to the lower group (Stata xtile: x ≤ cut)
  const t2 = quantileGroups(table({ x: [1, 1, 1, 2, 3] }), "x", 2);
  assert.equal(Array.from(numeric(t2.panel, "x_q")), [1, 1, 1, 2, 2]);
  // by unit: each city in one group, cut at the quantiles of city means
  const u = quantileGroups(table({ city: [1, 1, 2, 2, 3, 3, 4, 4], x: [0, 2, 10, 12, 3, 5, 20, 40] }), "x", 2, { by: "unit" });
  assert.equal(Array.from(numeric(u.panel, "x_q")), [1, 1, 2, 2, 1, 1, 2, 2]);
  assert.throws(() => quantileGroups(table({ x }), "x", 1), /k must be/);
});

test("heterogeneitySplits: subsample slopes, d = b_in − b_out, interacted model reproduces d, published and true values attached", async () => {
  const p = fakePanel({ noise: 0.01 });
  const het = await heterogeneitySplits(p, {
    reps: 49,
    groups: ["old_industrial", "digital_infra_high"],
    formula: rsFormula("dist", "vagg"),
    truth: TRUTH_DIR,
  });
  assert.is(het.length, 2);
  const h = het[0]!;
  assert.ok(Math.abs((h.inModel.coef.vagg as number) + 0.5) < NOISY);
  assert.ok(Math.abs(h.test.diff - ((h.inModel.coef.vagg as number) - (h.outModel.coef.vagg as number))) < EXACT);
  assert.ok(Math.abs(h.wald.diff - h.test.diff) < 1e-6);
  assert.is(h.test.reps, 49);
  assert.is(h.test.unit, "clusters");
  assert.is(h.test.method, "permutation");
  assert.is(h.bootstrap!.method, "bootstrap");
  assert.ok(Math.abs(h.bootstrap!.diff - h.test.diff) < EXACT);
  assert.equal(h.published, RS_PUBLISHED.table4.old_industrial);
  // true values: the realised ones of truth.json (not the published 0.0039 / 0.0099); none on real data
  assert.equal(h.truth, REALISED.table4.old_industrial);
  assert.equal(het[1]!.truth, REALISED.table4.digital_infra_high);
  const real = await heterogeneitySplits(p, { reps: 9, groups: ["old_industrial"], bootstrap: false, truth: REAL_DIR });
  assert.is(real[0]!.truth, null);
  assert.is(rsTruth(REAL_DIR), null);
  assert.is(rsTruth(true), null);
  // a real slope gap (resi: in 3, out 1) is detected by both tests
  const g = await heterogeneitySplits(p, { reps: 99, groups: ["old_industrial"] });
  assert.ok(Math.abs(g[0]!.test.diff - 2) < 0.3);
  assert.ok(g[0]!.test.pTwoSided <= 0.02);
  assert.ok(g[0]!.wald.p < 0.01);
  assert.ok(g[0]!.bootstrap!.pOneSided <= 0.02);
  const nb = await heterogeneitySplits(p, { reps: 19, groups: ["old_industrial"], bootstrap: false });
  assert.is(nb[0]!.bootstrap, null);
  const t = toText(heterogeneityTable(g));
  assert.match(t, /Published empirical p/);
  assert.match(t, /0\.072/);
  const tt = toText(heterogeneityTests(g));
  assert.match(tt, /-0\.0060/);
  const pts = heterogeneityPoints(g);
  assert.is(pts.length, 2);
  assert.is(pts[0]!.published, 0.0039);
  assert.ok(pts[0]!.lo < pts[0]!.estimate && pts[0]!.estimate < pts[0]!.hi);
});

test("mechanismSteps: step 1 recovers vagg → M, tables carry the published numbers", () => {
  const p = fakePanel({ noise: 0.01 });
  const s = mechanismSteps(p, RS_MECHANISMS.misallocation);
  assert.equal(
    s.map((x) => x.mediator),
    ["dist", "distK", "distL"],
  );
  assert.ok(Math.abs((s[0]!.first.coef.vagg as number) + 0.5) < NOISY);
  assert.ok(Math.abs((s[1]!.first.coef.vagg as number) - 0.2) < NOISY);
  assert.ok(Math.abs((s[2]!.first.coef.vagg as number) + 0.8) < NOISY);
  assert.is(s[0]!.second.depvar, "resi");
  assert.ok("dist" in s[0]!.second.coef);
  assert.equal(
    s[0]!.dims.map((m) => m.depvar),
    ["resist", "adapt", "transform"],
  );
  const t5 = toText(mechanismTable(s, "Table 5"));
  assert.match(t5, /-0\.0597/);
  assert.match(t5, /-0\.1672/);
  assert.match(t5, /-0\.0022/);
  const t5d = toText(mechanismDimsTable(s, "Table 5 dims"));
  assert.match(t5d, /-0\.0120/);
  const m = mechanismSteps(p, RS_MECHANISMS.market);
  assert.ok(Math.abs((m[2]!.first.coef.vagg as number) - 0.7) < NOISY);
  const t6 = toText(mechanismTable(m, "Table 6"));
  assert.match(t6, /0\.5626/);
  assert.match(t6, /0\.5414/);
  assert.not.match(t6, /True \(DGP\)/);
  // realised truths: a True (DGP) row with the values of truth.json
  const t6s = toText(mechanismTable(m, "Table 6", TRUTH_DIR));
  assert.match(t6s, /True \(DGP\)/);
  assert.match(t6s, /0\.4321/);
  assert.match(t6s, /0\.0024/);
  assert.match(toText(mechanismTable(s, "Table 5", TRUTH_DIR)), /-0\.1357/);
});

test("mechanismSample / mechanismSteps: the Table 5 and Table 6 samples (in_mis, in_mp) when the panel has them", () => {
  const p = fakePanel({ noise: 0.01 });
  assert.is(mechanismSample(p, "in_mis"), p); // no flag: the whole panel (complete cases per regression)
  const flag = Float64Array.from({ length: p.nrows }, (_, i) => (i % 12 === 0 ? 0 : 1));
  const q = table({ ...Object.fromEntries(p.names.map((n) => [n, p.columns[n]])), in_mis: flag, in_mp: flag.map(() => 1) } as never);
  const kept = flag.reduce((a, b) => a + b, 0);
  assert.is(mechanismSample(q, "in_mis").nrows, kept);
  const s = mechanismSteps(q, RS_MECHANISMS.misallocation);
  assert.is(s[0]!.first.nobs, kept);
  assert.is(mechanismSteps(q, RS_MECHANISMS.market)[0]!.first.nobs, p.nrows);
});

test("extensionModels: four quartile groups cover the sample", () => {
  const p = fakePanel({ noise: 0 });
  const ext = extensionModels(p);
  // (the city-specific slope of this design makes the interaction model misspecified; exact recovery is the next test)
  assert.ok(Number.isFinite(ext.interaction.coef["vagg_c:agg_c"] as number));
  assert.is(ext.groups.length, 4);
  assert.is(
    ext.sizes.reduce((a, b) => a + b, 0),
    p.nrows,
  );
  assert.is(ext.cuts.length, 3);
  const pts = extensionPoints(ext);
  assert.equal(
    pts.map((x) => x.term),
    ["Q1 (lowest agg)", "Q2", "Q3", "Q4 (highest agg)"],
  );
  const t = toText(extensionTable(ext));
  assert.match(t, /vagg × agg \(centred\)/);
  assert.not.match(t, /True vagg/); // the fake panel has no truth.json: no true rows
  const ts = toText(extensionTable(extensionModels(p, { truth: TRUTH_DIR })));
  assert.match(ts, /True vagg × agg \(DGP\)/);
  assert.match(ts, /0\.0849/);
  assert.match(ts, /0\.0094/);
});

test("extensionModels: exact recovery with a common slope", () => {
  const p0 = fakePanel({ noise: 0 });
  // rebuild resi with a common vagg slope (no group gap) so the interaction model is correctly specified
  const v = numeric(p0, "vagg"),
    a = numeric(p0, "agg"),
    pop = numeric(p0, "pop"),
    edu = numeric(p0, "edu"),
    c = numeric(p0, "city"),
    y = numeric(p0, "year");
  const resi = Float64Array.from(
    v,
    (vi, i) =>
      0.8 * vi +
      0.5 * (a[i] as number) +
      0.25 * vi * (a[i] as number) +
      0.1 * (pop[i] as number) -
      0.05 * (edu[i] as number) +
      0.01 * (c[i] as number) +
      0.02 * ((y[i] as number) % 5),
  );
  const p = table({ ...p0.columns, resi } as never, "fake");
  const ext = extensionModels(p);
  assert.ok(Math.abs((ext.interaction.coef["vagg_c:agg_c"] as number) - 0.25) < EXACT);
  // centred main effect of vagg = 0.8 + 0.25·mean(agg)
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(Math.abs((ext.interaction.coef.vagg_c as number) - (0.8 + 0.25 * ma)) < EXACT);
});

test.run();
