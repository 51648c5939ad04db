import { test } from "uvu";
import * as assert from "uvu/assert";
import { fromRecords, numeric } from "../../lib/data/table";
import { DataError, ArgumentError } from "../../lib/util/errors";
import { exportStructure, locationQuotients, locationQuotientFromTotals } from "../../lib/measures/export-structure";
import { coagglomeration, coEvolution, coEvolutionFromChanges } from "../../lib/measures/coagglomeration";

// Tolerances
// TOL: every expected value is a ratio of small integers; double rounding ≤ a few ulps.
const TOL = 1e-14;
const near = (a: number, b: number) => assert.ok(Math.abs(a - b) <= TOL * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

// A exports x 3, y 1; B x 1, y 3; C z 4 → national V = (4, 4, 4), s_j = 1/3 each
const ex = fromRecords([
  { city: "A", year: 2010, hs4: "x", v: 3 },
  { city: "A", year: 2010, hs4: "y", v: 1 },
  { city: "B", year: 2010, hs4: "x", v: 1 },
  { city: "B", year: 2010, hs4: "y", v: 3 },
  { city: "C", year: 2010, hs4: "z", v: 4 },
]);
const o = { city: "city", time: "year", product: "hs4", value: "v" } as const;

test("export structure: hand-computed spe, div (printed), rdi (Duranton–Puga)", () => {
  const { table: r } = exportStructure(ex, o);
  const spe = numeric(r, "spe");
  const div = numeric(r, "div");
  const rdi = numeric(r, "rdi");
  // A: s_c = (.75, .25, 0), LQ = (2.25, .75) → spe = 2.25/3 = .75; div = 1/(2.25+.75) = 1/3
  //    rdi = 1/(|.75−1/3| + |.25−1/3| + |0−1/3|) = 1/(5/12 + 1/12 + 4/12) = 1.2
  near(spe[0] as number, 0.75);
  near(div[0] as number, 1 / 3);
  near(rdi[0] as number, 1.2);
  // B: LQ = (.75, 2.25) → same as A by symmetry
  near(spe[1] as number, 0.75);
  near(rdi[1] as number, 1.2);
  // C: LQ z = 3 → spe = 3/3 = 1; div = 1/3; rdi = 1/(1/3 + 1/3 + 2/3) = .75
  near(spe[2] as number, 1);
  near(div[2] as number, 1 / 3);
  near(rdi[2] as number, 0.75);
  // n = city's product count: A 2.25/2 = 1.125, C 3/1 = 3
  const c = numeric(exportStructure(ex, { ...o, n: "city" }).table, "spe");
  near(c[0] as number, 1.125);
  near(c[2] as number, 3);
});

test("location quotients: table and vectorised forms", () => {
  const lq = numeric(locationQuotients(ex, o), "lq");
  [2.25, 0.75, 0.75, 2.25, 3].forEach((e, i) => near(lq[i] as number, e));
  // (40/100)/(300/1000) = .4/.3 = 4/3; zero city total → NA
  const v = locationQuotientFromTotals(Float64Array.of(40, 5), Float64Array.of(100, 0), 300, 1000);
  near(v[0] as number, 4 / 3);
  assert.ok(Number.isNaN(v[1] as number));
});

test("export structure: national table, unknown product, NA and negative values", () => {
  const nat = fromRecords([
    { hs4: "x", year: 2010, v: 10 },
    { hs4: "y", year: 2010, v: 10 },
  ]);
  const { table: r, report } = exportStructure(ex, { ...o, national: nat });
  assert.is(report.unknownProductRows, 1); // C's z is not in the national table
  assert.ok(Number.isNaN(numeric(r, "spe")[2] as number));
  near(numeric(r, "spe")[0] as number, 1.5 / 2); // A: LQ = (1.5, .5), n = 2
  const na = fromRecords([
    { city: "A", year: 2010, hs4: "x", v: 3 },
    { city: "A", year: 2010, hs4: "y", v: null },
    { city: "B", year: 2010, hs4: "y", v: 1 },
  ]);
  assert.is(exportStructure(na, o).report.naValueRows, 1);
  const neg = fromRecords([{ city: "A", year: 2010, hs4: "x", v: -3 }], "ex.csv");
  assert.throws(
    () => exportStructure(neg, o),
    (e: unknown) => e instanceof DataError && /ex\.csv: column "v", row 1: negative/.test((e as Error).message),
  );
});

test("coa (eq. 27): hand values and conventions", () => {
  const c = coagglomeration(Float64Array.of(1.5, 0.5, 0, 0, NaN, 2), Float64Array.of(0.5, 0.5, 0.7, 0, 1, 1));
  near(c[0] as number, 0.5); // 1 − |1.5 − .5|/(1.5 + .5) = 1 − 1/2
  near(c[1] as number, 1); // equal
  near(c[2] as number, 0); // one of them zero: 1 − .7/.7
  assert.ok(Number.isNaN(c[3] as number)); // 0/0
  assert.ok(Number.isNaN(c[4] as number)); // NA
  near(c[5] as number, 1 - 1 / 3); // 1 − 1/3
  assert.throws(
    () => coagglomeration(Float64Array.of(1, -1), Float64Array.of(1, 1)),
    (e: unknown) => e instanceof ArgumentError && /row 2/.test((e as Error).message),
  );
});

test("d_coa (eq. 28): signs, zero change, panel lags", () => {
  const d = coEvolutionFromChanges(Float64Array.of(0.04, 0.04, -0.04, 0, 0.09, NaN), Float64Array.of(0.01, -0.01, -0.01, 0.3, 0.04, 1));
  near(d[0] as number, 0.02); // same sign: +sqrt(.04·.01)
  near(d[1] as number, -0.02); // opposite: −
  near(d[2] as number, 0.02); // both falling: product > 0 → +
  assert.ok(Object.is(d[3], 0)); // zero change → +0 (not −0)
  near(d[4] as number, 0.06); // sqrt(.09·.04)
  assert.ok(Number.isNaN(d[5] as number));
  const panel = fromRecords([
    { city: "A", year: 2001, agg: 1.0, vagg: 0.5 },
    { city: "A", year: 2002, agg: 1.04, vagg: 0.51 },
    { city: "A", year: 2004, agg: 1.0, vagg: 0.6 }, // 2003 missing → NA
    { city: "B", year: 2002, agg: 2.0, vagg: 0.2 },
  ]);
  const e = coEvolution(panel, { unit: "city", time: "year", agg: "agg", vagg: "vagg" });
  assert.ok(Number.isNaN(e[0] as number));
  assert.ok(Math.abs((e[1] as number) - 0.02) < 1e-12); // Δagg .04, Δvagg .01 (decimal inputs: 1e-12)
  assert.ok(Number.isNaN(e[2] as number) && Number.isNaN(e[3] as number));
});

test.run();
