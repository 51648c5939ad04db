import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../lib/estimators/feols";
import { loadCases, loadData, vcovOf } from "./fixest-fixtures";
import { table, takeRows, withColumns } from "../../lib/data/table";
import { rng } from "../../lib/util/rng";

// Tolerances.
// - Against fixest 0.12.2 (fixef.tol = 1e-11): relative 1e-6 on coefficients, SEs and vcov
//   entries (the contract); fixest's MAP stops at 1e-11, our direct solve is exact
//   to rounding, so the residual gap is far below 1e-6. R² to 1e-8 absolute.
// - Property tests compare two exact computations of the same numbers: 1e-9 relative.
const REL = 1e-6;
const PROP = 1e-9;

function rel(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}

let data: Awaited<ReturnType<typeof loadData>>;
let trade: Awaited<ReturnType<typeof loadData>>;
test.before(async () => {
  data = await loadData("data.csv");
  trade = await loadData("trade.csv");
});

for (const file of ["expected.json", "trade_expected.json"] as const) {
  for (const c of loadCases(file)) {
    if (c.name.startsWith("iv_")) continue; // IV cases: tests/estimators/iv2sls.test.ts
    test(`fixest fixture ${c.name}: coef, se, vcov, N, removed, collinear, R²`, () => {
      const t = file === "expected.json" ? data : trade;
      const r = feols(t, c.formula, {
        vcov: vcovOf(c.vcov),
        weights: c.name.includes("weights") ? "w" : undefined,
        singletons: c.name.includes("singleton_rm") ? "drop" : "keep",
      });
      assert.is(r.nobs, c.nobs, "nobs");
      assert.is(r.removed.na + r.removed.singletons, c.nobs_removed, "removed");
      const collin = Array.isArray(c.collin_var) ? c.collin_var : [c.collin_var];
      assert.equal([...r.collinear], collin, "collinear");
      assert.equal([...r.coefNames], Object.keys(c.coef), "coefficient names");
      for (const [name, b] of Object.entries(c.coef)) {
        assert.ok(rel(r.coef[name] as number, b) < REL, `${name} coef ${r.coef[name]} vs ${b}`);
        assert.ok(rel(r.se[name] as number, c.se[name] as number) < REL, `${name} se ${r.se[name]} vs ${c.se[name]}`);
      }
      c.vcov_matrix.forEach((row, i) =>
        row.forEach((v, j) =>
          assert.ok(
            Math.abs(((r.vcov[i] as number[])[j] as number) - v) <= REL * Math.max(Math.abs(v), 1e-3 * Math.abs(c.vcov_matrix[i]![i]!)),
            `vcov[${i}][${j}]`,
          ),
        ),
      );
      assert.ok(Math.abs(r.r2 - c.r2) < 1e-8, `r2 ${r.r2} vs ${c.r2}`);
      assert.ok(Math.abs(r.adjR2 - c.ar2) < 1e-8, `ar2 ${r.adjR2} vs ${c.ar2}`);
      if (c.wr2 !== null) assert.ok(Math.abs(r.withinR2 - c.wr2) < 1e-8, `wr2 ${r.withinR2} vs ${c.wr2}`);
    });
  }
}

test("property: HDFE estimate equals OLS with explicit dummies", () => {
  const r = rng(11);
  const n = 400;
  const g1 = Float64Array.from({ length: n }, () => r.int(12));
  const g2 = Float64Array.from({ length: n }, () => r.int(7));
  const x = Float64Array.from({ length: n }, () => r.normal());
  const y = Float64Array.from(
    { length: n },
    (_, i) => 0.7 * (x[i] as number) + (g1[i] as number) * 0.3 - (g2[i] as number) * 0.2 + r.normal(),
  );
  const cols: Record<string, Float64Array> = { y, x, g1, g2 };
  const dummies: string[] = [];
  for (let l = 1; l < 12; l++) {
    cols[`d1_${l}`] = g1.map((v) => (v === l ? 1 : 0));
    dummies.push(`d1_${l}`);
  }
  for (let l = 1; l < 7; l++) {
    cols[`d2_${l}`] = g2.map((v) => (v === l ? 1 : 0));
    dummies.push(`d2_${l}`);
  }
  const t = table(cols);
  for (const vc of ["iid", "hetero"]) {
    const a = feols(t, "y ~ x | g1 + g2", { vcov: vc });
    const b = feols(t, `y ~ x + ${dummies.join(" + ")}`, { vcov: vc });
    assert.ok(rel(a.coef["x"] as number, b.coef["x"] as number) < PROP);
    assert.ok(rel(a.se["x"] as number, b.se["x"] as number) < PROP, `${vc} se ${a.se["x"]} vs ${b.se["x"]}`);
    assert.ok(Math.abs(a.r2 - b.r2) < PROP);
  }
});

test("property: FWL — coefficient on x1 equals the slope of the residualised regression", () => {
  const r = rng(12);
  const n = 500;
  const g = Float64Array.from({ length: n }, () => r.int(20));
  const x1 = Float64Array.from({ length: n }, () => r.normal());
  const x2 = Float64Array.from({ length: n }, (_, i) => 0.5 * (x1[i] as number) + r.normal());
  const y = Float64Array.from({ length: n }, (_, i) => (x1[i] as number) - 0.5 * (x2[i] as number) + (g[i] as number) / 10 + r.normal());
  const t = table({ y, x1, x2, g });
  const full = feols(t, "y ~ x1 + x2 | g");
  const ry = feols(t, "y ~ x2 | g").residuals as Float64Array;
  const rx = feols(t, "x1 ~ x2 | g").residuals as Float64Array;
  const fwl = feols(table({ ry, rx }), "ry ~ rx - 1", { vcov: "iid" });
  assert.ok(rel(fwl.coef["rx"] as number, full.coef["x1"] as number) < PROP);
});

test("property: row order invariance and unit weights change nothing", () => {
  const r = rng(13);
  const t0 = loadedSubset();
  const perm = r.permutation(t0.nrows);
  const a = feols(t0, "y ~ x1 + x2 | fe1 + fe2", { vcov: "cluster:cl1" });
  const b = feols(takeRows(t0, perm), "y ~ x1 + x2 | fe1 + fe2", { vcov: "cluster:cl1" });
  const c = feols(withColumns(t0, { one: new Float64Array(t0.nrows).fill(1) }), "y ~ x1 + x2 | fe1 + fe2", {
    vcov: "cluster:cl1",
    weights: "one",
  });
  for (const nm of ["x1", "x2"]) {
    assert.ok(rel(a.coef[nm] as number, b.coef[nm] as number) < PROP);
    assert.ok(rel(a.se[nm] as number, b.se[nm] as number) < PROP);
    assert.ok(rel(a.coef[nm] as number, c.coef[nm] as number) < PROP);
    assert.ok(rel(a.se[nm] as number, c.se[nm] as number) < PROP);
  }
});

function loadedSubset() {
  return data;
}

test("MAP and direct demeaning agree", () => {
  const a = feols(data, "y ~ x1 + x2 + x3 | fe1 + fe2 + fe3", { vcov: "hetero", demean: { method: "direct" } });
  const b = feols(data, "y ~ x1 + x2 + x3 | fe1 + fe2 + fe3", { vcov: "hetero", demean: { method: "map", tol: 1e-13 } });
  for (const nm of ["x1", "x2", "x3"]) assert.ok(rel(a.coef[nm] as number, b.coef[nm] as number) < 1e-8, nm);
  assert.is(b.demeaning.method, "map");
  assert.ok(b.demeaning.iterations > 1);
});

test.run();
