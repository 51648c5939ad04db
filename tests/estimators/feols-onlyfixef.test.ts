import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../lib/estimators/feols";
import { summaryText } from "../../lib/estimators/summary";
import { loadData } from "./fixest-fixtures";
import { loadPost } from "./feols-post-fixtures";
import { table, type Table } from "../../lib/data/table";

// `y ~ 1 | fe` (fixed effects only) and `y ~ 1` against fixest 0.12.2 (make_postestimation.R).
// fixest supports both: FE-only fits report R², adjusted R² and residuals (no within R², no
// coefficients); `y ~ 1` reports the intercept and its SE but no R². Tolerances: R² and adjusted R²
// 1e-9 absolute, RSS and residuals 1e-8 relative/absolute (direct FE solve vs fixest's MAP at
// fixef.tol = 1e-11), intercept and SE 1e-10 relative (closed form).
const post = loadPost();
let data: Table;
test.before(async () => {
  data = await loadData("data.csv");
});

for (const c of post.only_fixef) {
  test(`fixed effects only vs fixest: ${c.formula}`, () => {
    assert.ok(c.only_fixef);
    const r = feols(data, c.formula, { singletons: "keep" });
    assert.is(r.nobs, c.nobs);
    assert.equal([...r.coefNames], []);
    assert.equal(r.table.length, 0);
    assert.equal(r.vcov.length, 0);
    assert.ok(Math.abs(r.r2 - c.r2) < 1e-9, `r2 ${r.r2} vs ${c.r2}`);
    assert.ok(Math.abs(r.adjR2 - c.ar2) < 1e-9, `ar2 ${r.adjR2} vs ${c.ar2}`);
    assert.is(c.wr2, null);
    assert.ok(Number.isNaN(r.withinR2));
    assert.ok(Math.abs(r.rss - c.rss) < 1e-8 * c.rss, `rss ${r.rss} vs ${c.rss}`);
    const e = r.residuals!;
    c.resid_head.forEach((v, i) => assert.ok(Math.abs(e[i]! - v) < 1e-8, `resid ${i}: ${e[i]} vs ${v}`));
    assert.ok("kind" in r.fstat);
    const s = summaryText(r);
    assert.match(s, /OLS with fixed effects/);
    assert.match(s, /no coefficients: only fixed effects/);
  });
}

test("intercept only vs fixest: y ~ 1", () => {
  const c = post.intercept_only;
  const r = feols(data, c.formula, { vcov: "iid" });
  assert.is(r.nobs, c.nobs);
  assert.ok(Math.abs(r.coef["(Intercept)"]! - c.coef) < 1e-10 * Math.abs(c.coef));
  assert.ok(Math.abs(r.se["(Intercept)"]! - c.se) < 1e-10 * c.se);
  assert.is(c.r2, null);
  assert.ok(Number.isNaN(r.r2) && Number.isNaN(r.adjR2));
});

test("y ~ 1 | fe: residuals are y demeaned by the fixed effect (one FE: group means)", () => {
  const r = feols(data, "y ~ 1 | fe2", { singletons: "keep" });
  const y = data.columns["y"] as Float64Array,
    g = data.columns["fe2"] as ArrayLike<number>;
  const rows = r.obsRows,
    e = r.residuals!;
  const sum = new Map<number, [number, number]>();
  rows.forEach((row) => {
    const k = g[row]!;
    const s = sum.get(k) ?? [0, 0];
    s[0] += y[row]!;
    s[1]++;
    sum.set(k, s);
  });
  rows.forEach((row, i) => {
    const [s, m] = sum.get(g[row]!)!;
    assert.ok(Math.abs(e[i]! - (y[row]! - s / m)) < 1e-10);
  });
});

test("a regressor absorbed by the fixed effects is still an error (not an FE-only fit)", () => {
  const g = Float64Array.from({ length: 60 }, (_, i) => i % 6);
  const t = table({ y: Float64Array.from(g, (v, i) => v + Math.sin(i)), xg: Float64Array.from(g, (v) => 2 * v), g });
  assert.throws(() => feols(t, "y ~ xg | g"), /no regressor left after removing collinear variables \(xg\)/);
});

test.run();
