import { test } from "uvu";
import * as assert from "uvu/assert";
import { table, withColumns, takeRows, maskToIndex } from "../../../lib/data/table";
import { rng } from "../../../lib/util/rng";
import { feols } from "../../../lib/estimators/feols";
import { coefDiffTest } from "../../../lib/estimators/resampling/coef-diff";
import { coefDiffInteraction } from "../../../lib/estimators/resampling/interaction-test";
import { pT2 } from "../../../lib/util/distributions";
import { panel, rel } from "./helpers";

// Tolerances.
// - Separate-fit coefficients and the fully interacted model's interaction coefficient are
//   exact computations of the same number: relative 1e-8.
// - Resampling p-values are checked by recomputing the stated rule from the returned draws
//   (exact), and by behaviour: a large true difference (0.8 vs 0.0, t ≈ 10) must give the
//   smallest attainable permutation p 1/(R+1); equal slopes must not be rejected at 1 %.
const EXACT = 1e-8;

function twoGroupData(seed: number, slope1: number) {
  const d = panel(seed, { nCity: 24, nYear: 6, perCell: 4 });
  const city = d.columns["city"] as Float64Array,
    x1 = d.columns["x1"] as Float64Array,
    y = d.columns["y"] as Float64Array;
  const east = city.map((c) => (c < 12 ? 0 : 1));
  const r = rng(seed + 1);
  const y2 = y.map((v, i) => v + ((east[i] as number) === 1 ? slope1 : 0) * (x1[i] as number) + 0 * r.uniform());
  return withColumns(d, { y: y2, east, region: Array.from(city, (c) => (c < 12 ? "coast" : "inland")) });
}

test("separate fits, interaction model and p-value rules (permutation at the cluster level)", async () => {
  const d = twoGroupData(2, 0.8);
  const f = "y ~ x1 + x2 | city + year";
  const r = await coefDiffTest(d, f, { group: "east", coef: "x1", reps: 99, method: "permutation", cluster: "city", seed: 1 });
  const east = d.columns["east"] as Float64Array;
  const f0 = feols(takeRows(d, maskToIndex(east.map((v) => (v === 0 ? 1 : 0)))), f, { vcov: "cluster:city" });
  const f1 = feols(takeRows(d, maskToIndex(east.map((v) => (v === 1 ? 1 : 0)))), f, { vcov: "cluster:city" });
  assert.ok(rel(r.b0, f0.coef["x1"]!) < EXACT && rel(r.b1, f1.coef["x1"]!) < EXACT);
  assert.ok(rel(r.se1, f1.se["x1"]!) < EXACT);
  assert.equal(r.levels, [0, 1]);
  assert.ok(rel(r.diff, r.b1 - r.b0) < 1e-15 && r.diffBdiff === -r.diff);
  assert.is(r.unit, "clusters");
  assert.is(r.pTwoSided, 1 / 100, "true difference 0.8: no relabelling reaches it");
  let ge = 0,
    side = 0;
  r.draws.forEach((v) => {
    if (Math.abs(v) >= Math.abs(r.diff)) ge++;
    if (v >= r.diff) side++;
  });
  assert.is(r.pTwoSided, (1 + ge) / 100);
  assert.is(r.pOneSided, (1 + side) / 100);
  assert.ok(Math.abs(r.drawsMean) < 0.3, "permutation distribution centred near 0");
  // interaction alternative: same difference, pooled SE, Wald p
  const w = coefDiffInteraction(d, f, { group: "east", coef: "x1", vcov: "cluster:city" });
  assert.ok(rel(w.diff, r.diff) < EXACT, `interaction ${w.diff} vs split ${r.diff}`);
  assert.ok(Math.abs(w.p - pT2(w.t, w.df[1])) < 1e-12);
  assert.ok(w.p < 0.001);
  assert.match(w.formula, /x1:__vagg_d/);
  assert.match(w.formula, /city\^__vagg_d/);
});

test("bootstrap method: draws centred on d, p rule; equal slopes not rejected", async () => {
  const d = twoGroupData(3, 0);
  const r = await coefDiffTest(d, "y ~ x1 + x2 | city + year", {
    group: "east",
    coef: "x1",
    reps: 150,
    method: "bootstrap",
    cluster: "city",
    seed: 2,
  });
  assert.ok(Math.abs(r.drawsMean - r.diff) < (3 * r.drawsSd) / Math.sqrt(150) + 0.05, "bootstrap distribution centred on d");
  let other = 0;
  r.draws.forEach((v) => {
    if (r.diff >= 0 ? v <= 0 : v >= 0) other++;
  });
  assert.is(r.pOneSided, other / 150);
  assert.is(r.pTwoSided, Math.min(1, (2 * other) / 150));
  assert.ok(r.pTwoSided > 0.01, `no true difference, p ${r.pTwoSided}`);
  const p = await coefDiffTest(d, "y ~ x1 + x2 | city + year", { group: "east", coef: "x1", reps: 99, method: "permutation", seed: 2 });
  assert.is(p.unit, "observations");
  assert.ok(p.pTwoSided > 0.01);
  // no-FE interaction model: intercept interacted too, still equal to the split difference
  const w = coefDiffInteraction(d, "y ~ x1 + x2", { group: "region", coef: "x1", vcov: "hetero" });
  const s0 = feols(takeRows(d, maskToIndex((d.columns["east"] as Float64Array).map((v) => (v === 0 ? 1 : 0)))), "y ~ x1 + x2", {
    vcov: "hetero",
  });
  const s1 = feols(takeRows(d, maskToIndex((d.columns["east"] as Float64Array).map((v) => (v === 1 ? 1 : 0)))), "y ~ x1 + x2", {
    vcov: "hetero",
  });
  assert.equal(w.levels, ["coast", "inland"]);
  assert.ok(rel(w.diff, s1.coef["x1"]! - s0.coef["x1"]!) < EXACT);
});

test("bad input: group with ≠ 2 levels; group varying within permuted clusters; coef not in formula", async () => {
  const d = twoGroupData(4, 0);
  const msg = async (p: Promise<unknown>) => {
    try {
      await p;
      return "";
    } catch (e) {
      return (e as Error).message;
    }
  };
  assert.match(
    await msg(coefDiffTest(d, "y ~ x1 | city", { group: "year", coef: "x1", reps: 5, method: "permutation" })),
    /exactly 2 levels, found 6/,
  );
  const one = withColumns(d, { g1: new Float64Array(d.nrows).fill(1) });
  assert.match(
    await msg(coefDiffTest(one, "y ~ x1 | city", { group: "g1", coef: "x1", reps: 5, method: "bootstrap" })),
    /exactly 2 levels, found 1/,
  );
  const half = withColumns(d, { half: (d.columns["year"] as Float64Array).map((y) => (y < 2003 ? 0 : 1)) });
  assert.match(
    await msg(coefDiffTest(half, "y ~ x1 | year", { group: "half", coef: "x1", reps: 5, method: "permutation", cluster: "city" })),
    /varies within clusters/,
  );
  assert.match(
    await msg(coefDiffTest(d, "y ~ x2 | city", { group: "east", coef: "x1", reps: 5, method: "permutation" })),
    /not a regressor/,
  );
  assert.throws(() => coefDiffInteraction(d, "y ~ x1 | city", { group: "year", coef: "x1" }), /exactly 2 levels/);
  assert.match(
    await msg(coefDiffTest(d, "y ~ x1 | city", { group: "east", coef: "x1", reps: 5, method: "jackknife" as "bootstrap" })),
    /method must be/,
  );
});

test("coefDiffTest: seeded and interruptible", async () => {
  const d = twoGroupData(5, 0.2);
  const a = await coefDiffTest(d, "y ~ x1 | city", { group: "east", coef: "x1", reps: 20, method: "permutation", seed: 7 });
  const ac = new AbortController();
  const b = await coefDiffTest(d, "y ~ x1 | city", {
    group: "east",
    coef: "x1",
    reps: 20,
    method: "permutation",
    seed: 7,
    signal: ac.signal,
    onProgress: (k) => {
      if (k === 6) ac.abort();
    },
  });
  assert.is(b.interrupted, true);
  assert.is(b.reps, 6);
  assert.equal(Array.from(b.draws), Array.from(a.draws.slice(0, 6)));
  void table;
});

// The wild method: fast engine (cluster-level algebra, prepareWildFast) against the reference
// engine that re-estimates every bootstrap sample in full (demeaning, QR, CRVE — the feols core).
// Same seed → the same weight vectors, so the two t* sequences are the same numbers computed by
// two exact routes: they agree to rounding (observed ~1e-13; tolerance 1e-8 relative, the
// project's tolerance for exact computations). The p-values are counts of |t*| ≥ |t|, so they
// are then identical — asserted exactly, together with the margin that makes the equality
// robust: no |t*| lies within 1e-6 relative of |t| (a 1e-8 perturbation cannot change a count).
const WILD_CASES = [
  { name: "2 FE nested in the city clusters", f: "y ~ x1 + x2 | city + year", cluster: "city", weightType: "rademacher" as const },
  {
    name: "3 FE, product clusters containing both groups",
    f: "y ~ x1 + x2 + x3 | city + year + prod",
    cluster: "prod",
    weightType: "webb" as const,
  },
  { name: "no FE (intercept × D)", f: "y ~ x1 + x2", cluster: "city", weightType: "rademacher" as const },
  {
    name: "regression weights (per-draw demeaning engine)",
    f: "y ~ x1 + x2 | city + year",
    cluster: "city",
    weightType: "rademacher" as const,
    weights: "w",
  },
];
for (const c of WILD_CASES) {
  test(`wild: fast engine = full re-estimation of every bootstrap sample (${c.name})`, async () => {
    const d = twoGroupData(6, 0.15);
    const o = {
      group: "east",
      coef: "x1",
      reps: 199,
      method: "wild" as const,
      cluster: c.cluster,
      weightType: c.weightType,
      seed: 11,
      weights: (c as { weights?: string }).weights,
    };
    const fast = await coefDiffTest(d, c.f, o);
    const ref = await coefDiffTest(d, c.f, { ...o, engine: "refit" });
    assert.is(fast.wild!.engine, (c as { weights?: string }).weights ? "demean" : "cluster-sums");
    assert.is(ref.wild!.engine, "refit");
    assert.is(fast.reps, 199);
    const tf = fast.wild!.tDraws,
      tr = ref.wild!.tDraws;
    let worst = 0;
    for (let b = 0; b < 199; b++) {
      worst = Math.max(worst, Math.abs((tf[b] as number) - (tr[b] as number)) / Math.max(Math.abs(tr[b] as number), 1));
      assert.ok(rel(fast.draws[b] as number, ref.draws[b] as number, 1e-6) < EXACT, `d*[${b}]`);
    }
    assert.ok(worst < EXACT, `t* agree to ${worst}`);
    const t = Math.abs(fast.wild!.t);
    let margin = Infinity;
    for (const v of tr) margin = Math.min(margin, Math.abs(Math.abs(v) - t) / t);
    assert.ok(margin > 1e-6, `no t* within 1e-6 of |t| (margin ${margin})`);
    assert.is(fast.pTwoSided, ref.pTwoSided);
    assert.is(fast.pOneSided, ref.pOneSided);
    assert.is(fast.wild!.pEqualTail, ref.wild!.pEqualTail);
    // the observed statistic is the interacted model's clustered t, and d the split difference
    const w = coefDiffInteraction(d, c.f, { group: "east", coef: "x1", vcov: `cluster:${c.cluster}`, weights: o.weights });
    assert.ok(rel(fast.wild!.t, w.t) < EXACT, `t ${fast.wild!.t} vs ${w.t}`);
    assert.ok(rel(fast.diff, w.diff) < EXACT);
    // stated rule, recomputed from the draws
    let ge = 0;
    tf.forEach((v) => {
      if (Math.abs(v) >= t * (1 - 1e-10)) ge++;
    });
    assert.is(fast.pTwoSided, ge / 199);
  });
}

test("wild: default method and reps; a true difference is detected, equal slopes are not; seeded", async () => {
  const big = twoGroupData(7, 0.8);
  const r = await coefDiffTest(big, "y ~ x1 + x2 | city + year", { group: "east", coef: "x1", cluster: "city", reps: 99, seed: 1 });
  assert.is(r.method, "wild");
  assert.is(r.unit, "clusters");
  assert.ok(r.pTwoSided < 0.05, `p ${r.pTwoSided}`);
  assert.ok(Math.abs(r.drawsMean) < 3 * r.drawsSd, "d* centred on the null 0");
  const eq = twoGroupData(8, 0);
  const a = await coefDiffTest(eq, "y ~ x1 + x2 | city + year", { group: "east", coef: "x1", cluster: "city", reps: 99, seed: 2 });
  assert.ok(a.pTwoSided > 0.01, `equal slopes, p ${a.pTwoSided}`);
  const b = await coefDiffTest(eq, "y ~ x1 + x2 | city + year", { group: "east", coef: "x1", cluster: "city", reps: 99, seed: 2 });
  assert.equal(Array.from(b.wild!.tDraws), Array.from(a.wild!.tDraws));
  // the default cluster is the first fixed effect; default reps 1000
  const dflt = await coefDiffTest(eq, "y ~ x1 | city + year", { group: "east", coef: "x1" });
  assert.is(dflt.requested, 1000);
  assert.is(dflt.wild!.cluster, "city");
  // engine "fast" is refused for the refitting methods
  let msg = "";
  try {
    await coefDiffTest(eq, "y ~ x1 | city", { group: "east", coef: "x1", reps: 5, method: "permutation", engine: "fast" });
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.match(msg, /fast engine is the wild bootstrap/);
});

test.run();
