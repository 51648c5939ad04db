import { test } from "uvu";
import * as assert from "uvu/assert";
import { lagPanel, leadPanel, winsorize, interpolatePanel, standardize, locationQuotient, quantile } from "../../lib/data/panel";

// Tolerance: 1e-12 absolute — hand-computed values on small numbers; only rounding error remains.
const TOL = 1e-12;
const close = (a: ArrayLike<number>, b: number[]) => {
  assert.is(a.length, b.length);
  for (let i = 0; i < b.length; i++) {
    const x = a[i] as number, y = b[i] as number;
    if (Number.isNaN(y)) assert.ok(Number.isNaN(x), `index ${i}: expected NaN, got ${x}`);
    else assert.ok(Math.abs(x - y) <= TOL, `index ${i}: ${x} vs ${y}`);
  }
};

test("lag uses time, not row order; gaps give NA; lead is the negative lag", () => {
  const id = ["a", "a", "a", "b", "b"];
  const year = Float64Array.of(2012, 2010, 2011, 2010, 2012); // b has a gap in 2011
  const x = Float64Array.of(12, 10, 11, 20, 22);
  close(lagPanel(x, id, year, 1), [11, NaN, 10, NaN, NaN]);
  close(leadPanel(x, id, year, 1), [NaN, 11, 12, NaN, NaN]);
  close(lagPanel(x, id, year, 2), [10, NaN, NaN, NaN, 20]);
});

test("lag: duplicate (id, time) is an error naming the row", () => {
  assert.throws(() => lagPanel(Float64Array.of(1, 2), ["a", "a"], Float64Array.of(2010, 2010)), /row 2: duplicate \(panel id, time\) = \(a, 2010\); first at row 1/);
});

test("quantile is R type 7", () => {
  // R: quantile(1:10, c(.01, .99)) = 1.09, 9.91
  const x = Float64Array.from({ length: 10 }, (_, i) => i + 1);
  assert.ok(Math.abs(quantile(x, 0.01) - 1.09) < TOL);
  assert.ok(Math.abs(quantile(x, 0.99) - 9.91) < TOL);
});

test("winsorize clamps to the 1/99 quantiles and counts the changes", () => {
  const x = Float64Array.from({ length: 10 }, (_, i) => i + 1);
  const w = winsorize(x);
  assert.is(w.changed, 2);
  close(w.values, [1.09, 2, 3, 4, 5, 6, 7, 8, 9, 9.91]);
  const g = winsorize(Float64Array.of(1, 2, 3, 100, 200, 300), { lower: 0.5, upper: 0.9, by: ["a", "a", "a", "b", "b", "b"] });
  // group a: q50 = 2, q90 = 2.8 → [2, 2, 2.8]; group b: q50 = 200, q90 = 280 → [200, 200, 280]
  close(g.values, [2, 2, 2.8, 200, 200, 280]);
  assert.is(g.changed, 4);
});

test("interpolate within panel, no extrapolation by default, counts filled values", () => {
  const id = ["a", "a", "a", "a", "b", "b"];
  const t = Float64Array.of(2010, 2011, 2013, 2014, 2010, 2011);
  const x = Float64Array.of(NaN, 1, NaN, 7, 5, NaN);
  const r = interpolatePanel(x, id, t);
  // a: 2013 lies between 2011 (1) and 2014 (7): 1 + (2/3)·6 = 5
  close(r.values, [NaN, 1, 5, 7, 5, NaN]);
  assert.is(r.changed, 1);
  const e = interpolatePanel(x, id, t, { extrapolate: true });
  // a 2010 extrapolated from (2011, 1) and (2013, 5): slope 2 → -1; b has a single point: stays NaN
  close(e.values, [-1, 1, 5, 7, 5, NaN]);
  assert.is(e.changed, 2);
});

test("standardize; constant column is an error", () => {
  close(standardize(Float64Array.of(1, 2, 3)), [-1, 0, 1]);
  assert.throws(() => standardize(Float64Array.of(2, 2), "c"), /column "c": cannot standardise/);
});

test("location quotient by hand", () => {
  // regions A, B; industries x, y. A: x=10, y=30; B: x=30, y=30. Total 100, x total 40.
  // LQ_Ax = (10/40)/(40/100) = 0.625; LQ_Ay = (30/40)/(60/100) = 1.25; LQ_Bx = (30/60)/(0.4) = 1.25; LQ_By = 0.5/0.6
  const lq = locationQuotient(Float64Array.of(10, 30, 30, 30), ["A", "A", "B", "B"], ["x", "y", "x", "y"]);
  close(lq.values, [0.625, 1.25, 1.25, 0.5 / 0.6]);
  assert.is(lq.undefinedRows, 0);
});

test.run();
