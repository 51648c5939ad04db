import { test } from "uvu";
import * as assert from "uvu/assert";
import { fromRecords, numeric, column } from "../../lib/data/table";
import { DataError } from "../../lib/util/errors";
import { marketSegmentation } from "../../lib/measures/market-segmentation";

// Tolerances
// TOL: quantities are a few logs, differences and squares of numbers ≤ 0.2; double rounding ~1e-17.
const TOL = 1e-13;

const a = Math.log(1.1);
const b = Math.log(1.05);
// chain indices (previous year = 100), one year, three categories
//   A: 110, 100, 105 → Δln p = (a, 0, b)
//   B: 100, 100, 100 → (0, 0, 0)
//   C: 121, 110, 100 → (2a, a, 0)        [ln 1.21 = 2a]
const rows = (
  [
    ["A", 110, 100, 105],
    ["B", 100, 100, 100],
    ["C", 121, 110, 100],
  ] as const
).flatMap(([city, ...ps]) => ps.map((price, k) => ({ city, year: 2010, category: `k${k + 1}`, price })));
const cpi = fromRecords(rows, "cpi.csv");

/** sample variance of literal vectors */
const svar = (x: number[]) => {
  const m = x.reduce((s, v) => s + v, 0) / x.length;
  return x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1);
};

test("market segmentation: all pairs, hand computed", () => {
  const { pairs, cities, report } = marketSegmentation(cpi);
  // |ΔQ|: AB = (a, 0, b); AC = (a, a, b); BC = (2a, a, 0)
  // category means over the 3 pairs: k1 4a/3, k2 2a/3, k3 2b/3
  // q: AB = (−a/3, −2a/3, b/3); AC = (−a/3, a/3, b/3); BC = (2a/3, a/3, −2b/3)
  const vAB = svar([-a / 3, (-2 * a) / 3, b / 3]);
  const vAC = svar([-a / 3, a / 3, b / 3]);
  const vBC = svar([(2 * a) / 3, a / 3, (-2 * b) / 3]);
  assert.equal(column(pairs, "a"), ["A", "A", "B"]);
  assert.equal(column(pairs, "b"), ["B", "C", "C"]);
  const v = numeric(pairs, "var");
  [vAB, vAC, vBC].forEach((e, i) => assert.ok(Math.abs((v[i] as number) - e) < TOL, `pair ${i}: ${v[i]} vs ${e}`));
  const m = numeric(cities, "mseg");
  const expM = [(vAB + vAC) / 2, (vAB + vBC) / 2, (vAC + vBC) / 2];
  expM.forEach((e, i) => assert.ok(Math.abs((m[i] as number) - e) < TOL));
  const integ = numeric(cities, "integ");
  expM.forEach((e, i) => assert.ok(Math.abs((integ[i] as number) - Math.sqrt(1 / e)) < 1e-9 * Math.sqrt(1 / e)));
  assert.equal(Array.from(numeric(cities, "npairs")), [2, 2, 2]);
  assert.is(report.naChangeCells, 0);
});

test("market segmentation: adjacent pairs de-mean over the used pairs only; population variance option", () => {
  const adj = fromRecords([
    { a: "A", b: "B" },
    { a: "C", b: "B" },
    { a: "B", b: "A" },
    { a: "A", b: "A" },
    { a: "A", b: "Z" },
  ]);
  const { pairs, cities, report } = marketSegmentation(cpi, { pairs: adj, variance: "population" });
  assert.is(report.pairs, 2); // AB, BC (reverse duplicate and self-pair dropped)
  assert.is(report.pairsWithUnknownCity, 1);
  // |ΔQ|: AB = (a, 0, b), BC = (2a, a, 0); means k1 3a/2, k2 a/2, k3 b/2
  // q AB = (−a/2, −a/2, b/2); q BC = (a/2, a/2, −b/2) → same population variance
  const pv = (x: number[]) => {
    const mm = x.reduce((s, y) => s + y, 0) / x.length;
    return x.reduce((s, y) => s + (y - mm) ** 2, 0) / x.length;
  };
  const e = pv([-a / 2, -a / 2, b / 2]);
  const v = numeric(pairs, "var");
  assert.ok(Math.abs((v[0] as number) - e) < TOL && Math.abs((v[1] as number) - e) < TOL);
  // C has one partner (B); B has two
  assert.equal(Array.from(numeric(cities, "npairs")), [1, 2, 1]);
});

test("market segmentation: level prices equal chain indices; first year has no change", () => {
  const lev = fromRecords([...rows.map((r) => ({ ...r, year: 2009, price: 100 })), ...rows]);
  const chain = marketSegmentation(cpi).cities;
  const { cities, report } = marketSegmentation(lev, { priceType: "level" });
  assert.is(cities.nrows, 3); // 2009 rows have no previous year → no output
  const m1 = numeric(chain, "mseg");
  const m2 = numeric(cities, "mseg");
  for (let i = 0; i < 3; i++) assert.ok(Math.abs((m1[i] as number) - (m2[i] as number)) < TOL);
  assert.is(report.naChangeCells, 0);
});

test("market segmentation: bad inputs", () => {
  const bad = fromRecords([...rows.slice(0, 8), { city: "C", year: 2010, category: "k3", price: 0 }]);
  const { pairs, report } = marketSegmentation(bad);
  assert.is(report.naChangeCells, 1); // price 0 → NA change
  assert.equal(Array.from(numeric(pairs, "ncat")), [3, 2, 2]); // pairs with C use 2 categories
  const dup = fromRecords([...rows, rows[0] as (typeof rows)[number]], "cpi.csv");
  assert.throws(
    () => marketSegmentation(dup),
    (e: unknown) => e instanceof DataError && /cpi\.csv: row 10: duplicate/.test((e as Error).message),
  );
  assert.throws(() => marketSegmentation(cpi, { variance: "sample", minCategories: 1 }), /minCategories/);
});

test.run();
