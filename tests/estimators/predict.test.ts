import { test } from "uvu";
import * as assert from "uvu/assert";
import * as path from "node:path";
import { predict } from "../../lib/estimators/predict";
import { feols, fixef } from "../../lib/estimators/feols";
import { readTable } from "../../lib/data/io";
import { takeRows, type Table } from "../../lib/data/table";
import { loadData, FIXTURES } from "./fixest-fixtures";
import { loadPost, fitCase, rel } from "./feols-post-fixtures";

// Tolerance against fixest 0.12.2: predictions x'β̂ + Σ α̂ with β̂ matching fixest to ~1e-9 and
// fixed effects recovered exactly (direct solve) vs fixest's fixef() (its iterations agree with
// a 1e-13 solve to 1e-14 here: see `predict_tight`): 1e-7 relative to max(|ŷ|, 1).
const TOL = 1e-7;

const post = loadPost();
let data: Table, newdata: Table, train: Table;
test.before(async () => {
  data = await loadData("data.csv");
  newdata = await readTable(path.join(FIXTURES, "predict_newdata.csv"));
  train = takeRows(
    data,
    Int32Array.from({ length: 2500 }, (_, i) => i),
  );
});

for (const c of post.predict) {
  test(`predict vs fixest ${c.name} (${c.formula})`, () => {
    const r = fitCase(train, c);
    assert.is(r.nobs, c.nobs, "nobs");
    const p = predict(r, newdata, { data: train });
    assert.is(p.length, c.predict.length);
    let nNa = 0;
    c.predict.forEach((ref, i) => {
      if (ref === null) {
        nNa++;
        assert.ok(Number.isNaN(p[i]!), `row ${i}: expected NA, got ${p[i]}`);
        return;
      }
      assert.ok(Math.abs(p[i]! - ref) <= TOL * Math.max(Math.abs(ref), 1), `row ${i}: ${p[i]} vs ${ref}`);
    });
    if (c.formula.includes("|")) assert.ok(nNa >= 10, "the 10 rows with an unseen fe1 level are NA");
  });
}

test("predict reuses precomputed fixed effects; without data or fixef on an FE model: clear error", () => {
  const r = feols(train, "y ~ x1 + x2 | fe1 + fe2", { singletons: "keep" });
  const a = predict(r, newdata, { data: train });
  const b = predict(r, newdata, { fixef: fixef(train, r) });
  assert.equal(Array.from(a), Array.from(b));
  assert.throws(() => predict(r, newdata), /pass \{ data \}/);
  const r0 = feols(train, "y ~ x1 + log(w)", { vcov: "iid" });
  const p0 = predict(r0, newdata);
  const i = 7,
    row = (v: string) => (newdata.columns[v] as Float64Array)[i]!;
  assert.ok(rel(p0[i]!, r0.coef["(Intercept)"]! + r0.coef["x1"]! * row("x1") + r0.coef["log(w)"]! * Math.log(row("w"))) < 1e-12);
});

test("predict on the estimation sample gives y − residuals", () => {
  const r = feols(data, "y ~ x1 + x2 + x3 | fe1 + fe2", { singletons: "keep" });
  const rows = r.obsRows,
    e = r.residuals!;
  const p = predict(r, takeRows(data, rows), { data });
  const y = data.columns["y"] as Float64Array;
  rows.forEach((row, i) => assert.ok(Math.abs(p[i]! - (y[row]! - e[i]!)) < 1e-8, `row ${row}`));
});

test.run();
