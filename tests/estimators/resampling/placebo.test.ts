import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../../lib/estimators/feols";
import { withColumns, type Table } from "../../../lib/data/table";
import { rng } from "../../../lib/util/rng";
import { placebo, preparePlacebo } from "../../../lib/estimators/resampling/placebo";
import { fwlFit } from "../../../lib/estimators/resampling/fwl";
import { panel, rel } from "./helpers";

// Tolerances.
// - FWL placebo draw vs a full feols re-estimate on the permuted data: both are exact
//   computations (direct demeaning, QR vs Gram–Schmidt); they differ by rounding only, so a
//   relative 1e-8 on the coefficient and on the SE (the brief's contract).
// - Uniformity of permutation p-values under the null: 200 simulated datasets, R = 99 draws
//   each, so p ∈ {1/100, …, 1} and under H0 (exchangeable x) each value has probability
//   1/100 exactly. Binned into 10 equal bins (10 values each) the counts are multinomial
//   (200, 1/10); the chi-square (9 df) 0.999 quantile is 27.88 — a wrong rule (e.g. one-sided
//   or using the raw t-distribution p) piles mass into few bins and exceeds it by far.
const EXACT = 1e-8;
const CHI2_9_999 = 27.88;

function permutedTable(data: Table, rows: Int32Array, name: string, xPerm: Float64Array): Table {
  const col = Float64Array.from(data.columns[name] as Float64Array);
  rows.forEach((r, i) => (col[r] = xPerm[i] as number));
  return withColumns(data, { [name]: col });
}

const data = panel(1);
const cases: {
  label: string;
  formula: string;
  vcov: string;
  weights?: string;
  within?: string;
  clusterLevel?: string;
  permute?: string;
}[] = [
  { label: "3 FE, cluster city^prod", formula: "y ~ x1 + x2 + x3 | city + year + prod", vcov: "cluster:city^prod" },
  { label: "2 FE, iid", formula: "y ~ x2 + x1 + x3 | city + year", vcov: "iid" },
  { label: "2 FE, hetero, weights", formula: "y ~ x1 + x2 | city + year", vcov: "hetero", weights: "w" },
  { label: "no FE, intercept, cluster city", formula: "y ~ x1 + x2 + x3", vcov: "cluster:city" },
  { label: "2-way cluster city + year", formula: "y ~ x1 + x2 | prod + year", vcov: "cluster:city+year" },
  { label: "within-year permutation", formula: "y ~ x1 + x2 | city + year", vcov: "cluster:city", within: "year" },
  {
    label: "city-level permutation of xc (no city FE)",
    formula: "y ~ xc + x2 | year + prod",
    vcov: "cluster:city",
    clusterLevel: "city",
    permute: "xc",
  },
];

for (const c of cases) {
  test(`placebo draw = full feols re-estimate (${c.label})`, () => {
    const target = c.permute ?? "x1";
    const d = preparePlacebo(data, c.formula, {
      permute: target,
      vcov: c.vcov,
      weights: c.weights,
      within: c.within,
      clusterLevel: c.clusterLevel,
    });
    const full0 = feols(data, c.formula, { vcov: c.vcov, weights: c.weights });
    assert.ok(rel(d.model.actual.coef, full0.coef[target] as number) < EXACT, "actual coef");
    assert.ok(rel(d.model.actual.se, full0.se[target] as number) < EXACT, "actual se");
    const s = rng(5).fork("test");
    const buf = new Float64Array(d.model.n);
    for (let k = 0; k < 4; k++) {
      d.draw(s, buf);
      const fit = fwlFit(d.model, buf);
      const full = feols(permutedTable(data, d.model.frame.rows, target, buf), c.formula, { vcov: c.vcov, weights: c.weights });
      assert.ok(rel(fit.coef, full.coef[target] as number) < EXACT, `draw ${k} coef ${fit.coef} vs ${full.coef[target]}`);
      assert.ok(rel(fit.se, full.se[target] as number) < EXACT, `draw ${k} se ${fit.se} vs ${full.se[target]}`);
      assert.ok(rel(fit.t, full.tstat[target] as number) < EXACT, `draw ${k} t`);
    }
  });
}

test("permutation schemes preserve what they should", () => {
  const d1 = preparePlacebo(data, "y ~ x1 + x2 | city + year", { permute: "x1", within: "year", vcov: "iid" });
  const buf = new Float64Array(d1.model.n);
  d1.draw(rng(3), buf);
  const yr = d1.model.frame.rows;
  const yearCol = data.columns["year"] as Float64Array;
  // within-year multiset of values unchanged, and something actually moved
  const byYear = (v: Float64Array) => {
    const m = new Map<number, number[]>();
    v.forEach((x, i) => {
      const y = yearCol[yr[i] as number] as number;
      m.set(y, [...(m.get(y) ?? []), x]);
    });
    return [...m.entries()].map(([y, xs]) => [y, xs.sort((a, b) => a - b)]);
  };
  assert.equal(byYear(buf), byYear(d1.model.x));
  assert.ok(
    buf.some((v, i) => v !== d1.model.x[i]),
    "values moved",
  );
  const d2 = preparePlacebo(data, "y ~ xc + x2 | year", { permute: "xc", clusterLevel: "city", vcov: "iid" });
  const b2 = new Float64Array(d2.model.n);
  d2.draw(rng(4), b2);
  const cityCol = data.columns["city"] as Float64Array;
  const val = new Map<number, number>();
  b2.forEach((v, i) => {
    const c = cityCol[d2.model.frame.rows[i] as number] as number;
    if (val.has(c)) assert.is(val.get(c), v, "constant within city");
    else val.set(c, v);
  });
  assert.equal([...val.values()].sort(), [...new Set(d2.model.x)].sort(), "same city values, reassigned");
});

test("placebo(): reproducible, summary statistics, p-value rule, draws = prepared draws", async () => {
  const f = "y ~ x1 + x2 + x3 | city + year";
  const a = await placebo(data, f, { permute: "x1", reps: 60, seed: 9, vcov: "cluster:city" });
  const b = await placebo(data, f, { permute: "x1", reps: 60, seed: 9, vcov: "cluster:city" });
  assert.equal(Array.from(a.coefs), Array.from(b.coefs));
  const d = preparePlacebo(data, f, { permute: "x1", vcov: "cluster:city" });
  const s = rng(9).fork("placebo");
  const buf = new Float64Array(d.model.n);
  for (let r = 0; r < 3; r++) {
    d.draw(s, buf);
    assert.ok(rel(fwlFit(d.model, buf).coef, a.coefs[r] as number) < 1e-12);
  }
  const mean = a.coefs.reduce((x, y) => x + y, 0) / a.reps;
  assert.ok(Math.abs(mean - a.coefMean) < 1e-14);
  let ge = 0;
  a.coefs.forEach((v) => {
    if (Math.abs(v) >= Math.abs(a.actual.coef)) ge++;
  });
  assert.is(a.pValue, (1 + ge) / 61);
  // x1 has a real effect (0.4): no permutation reaches it
  assert.is(a.pValue, 1 / 61);
  assert.ok(Math.abs(a.coefMean) < 0.1 && Math.abs(a.tMean) < 1);
  const c = await placebo(data, f, { permute: "x1", reps: 60, seed: 10, vcov: "cluster:city" });
  assert.not.equal(Array.from(a.coefs), Array.from(c.coefs));
});

test("placebo p-values are uniform under the null (200 datasets × 99 draws)", async () => {
  const bins = new Array(10).fill(0);
  let rejected5 = 0;
  for (let s = 0; s < 200; s++) {
    const d = panel(1000 + s, { nCity: 6, nYear: 4, perCell: 3, beta1: 0 });
    const p = await placebo(d, "y ~ x1 + x2 | city", { permute: "x1", reps: 99, seed: s, vcov: "hetero" });
    assert.ok(p.pValue > 0 && p.pValue <= 1);
    const k = Math.round(p.pValue * 100); // 1..100
    bins[Math.min(9, Math.floor((k - 1) / 10))]++;
    if (p.pValue <= 0.05) rejected5++;
  }
  const chi2 = bins.reduce((s2, o) => s2 + (o - 20) ** 2 / 20, 0);
  assert.ok(chi2 < CHI2_9_999, `chi2 ${chi2.toFixed(2)} bins ${bins}`);
  // P(p ≤ 0.05) = 5/100 exactly; Binomial(200, 0.05) has mean 10, sd 3.1: 0..22 covers > 0.9999
  assert.ok(rejected5 <= 22, `rejections at 5%: ${rejected5}`);
});

test("interruption: abort between replications returns a flagged partial result; progress is reported", async () => {
  const ac = new AbortController();
  const seen: number[] = [];
  const p = await placebo(data, "y ~ x1 + x2 | city + year", {
    permute: "x1",
    reps: 50,
    seed: 1,
    vcov: "iid",
    signal: ac.signal,
    onProgress: (done, total) => {
      seen.push(done);
      assert.is(total, 50);
      if (done === 7) ac.abort();
    },
  });
  assert.is(p.interrupted, true);
  assert.is(p.reps, 7);
  assert.is(p.coefs.length, 7);
  assert.equal(seen, [1, 2, 3, 4, 5, 6, 7]);
  const full = await placebo(data, "y ~ x1 + x2 | city + year", { permute: "x1", reps: 50, seed: 1, vcov: "iid" });
  assert.equal(Array.from(p.coefs), Array.from(full.coefs.slice(0, 7)));
  assert.is(full.interrupted, false);
});

test("interruption by a timer: the loop yields to the event loop", async () => {
  const big = panel(2, { nCity: 60, nYear: 10, perCell: 8 });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 30);
  const p = await placebo(big, "y ~ x1 + x2 | city + year", { permute: "x1", reps: 1_000_000, vcov: "iid", signal: ac.signal });
  assert.is(p.interrupted, true);
  assert.ok(p.reps > 0 && p.reps < 1_000_000);
});

test("bad input: permuted variable not in the formula, or entering another term", () => {
  assert.throws(() => preparePlacebo(data, "y ~ x2 + x3 | city", { permute: "x1" }), /"x1" is not a regressor/);
  assert.throws(() => preparePlacebo(data, "y ~ x1 + x1:x2 | city", { permute: "x1" }), /also enters the term/);
  assert.throws(() => preparePlacebo(data, "y ~ x1 + x2 | year", { permute: "x1", clusterLevel: "city" }), /varies within level/);
  assert.throws(() => preparePlacebo(data, "y ~ xc + x2 | city", { permute: "xc" }), /collinear/);
});

test.run();
