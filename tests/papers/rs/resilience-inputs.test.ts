import { test } from "uvu";
import * as assert from "uvu/assert";
import { table, numeric, toRecords } from "../../../lib/data/table";
import { DataError, ArgumentError } from "../../../lib/util/errors";
import { rollingSd, growthRate, ratio } from "../../../lib/measures/rolling";
import { martinSensitivity } from "../../../lib/measures/martin";
import { entropyIndex } from "../../../lib/measures/entropy";

// Tolerances
// HAND: 1e-14 relative — closed-form arithmetic on a handful of numbers; only float rounding differs.
const HAND = 1e-14;
const close = (a: number, b: number, what = "") => assert.ok(Math.abs(a - b) <= HAND * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
const isNaNv = (a: number | undefined, what = "") => assert.ok(Number.isNaN(a as number), `${what}: expected NaN, got ${a}`);

// Rows deliberately out of time order.
const panel = table({
  city: ["A", "A", "A", "A", "A", "B", "B", "B"],
  year: Int32Array.of(2012, 2010, 2011, 2014, 2013, 2013, 2010, 2012),
  x: [4, 1, 2, 7, NaN, 9, 3, 5],
});

test("rollingSd: 3-year window, divisor n (as printed in RS), calendar-time window", () => {
  const sd = rollingSd(panel, { unit: "city", time: "year", value: "x" });
  // A 2012: {1,2,4}, mean 7/3, squared deviations 16/9 + 1/9 + 25/9 = 42/9, /3 = 14/9, sqrt = 1.247219128924647
  close(sd[0] as number, 1.247219128924647, "A2012");
  isNaNv(sd[1], "A2010 (1 value)");
  isNaNv(sd[2], "A2011 (2 values)");
  isNaNv(sd[3], "A2014 {4, NA, 7}: 2 values");
  isNaNv(sd[4], "A2013");
  isNaNv(sd[5], "B2013: window (2010, 2013] holds only 2012, 2013");
});

test("rolling SD divisor: n (as printed) = √(2/3) × (n−1) on full 3-year windows, so the entropy index is unchanged", () => {
  const t = table({
    city: ["A", "A", "A", "A", "B", "B", "B", "B"],
    year: [2010, 2011, 2012, 2013, 2010, 2011, 2012, 2013],
    x: [1, 4, 2, 8, 3, 3.5, 9, 1],
    z: [5, 1, 7, 2, 4, 6, 1, 3],
  });
  const a = rollingSd(t, { unit: "city", time: "year", value: "x", divisor: "n" });
  const b = rollingSd(t, { unit: "city", time: "year", value: "x", divisor: "n-1" });
  for (let i = 0; i < 8; i++) if (!Number.isNaN(a[i] as number)) close(a[i] as number, Math.sqrt(2 / 3) * (b[i] as number), `row ${i}`);
  const rows = [2, 3, 6, 7];
  const mk = (sd: Float64Array) =>
    table({ sd: Float64Array.from(rows, (i) => sd[i] as number), z: Float64Array.from(rows, (i) => numeric(t, "z")[i] as number) });
  const ind = [
    { name: "sd", direction: "-" as const },
    { name: "z", direction: "+" as const },
  ];
  const ia = entropyIndex(mk(a), ind).index,
    ib = entropyIndex(mk(b), ind).index;
  // min–max normalisation removes the factor; only rounding differs
  for (let i = 0; i < rows.length; i++) assert.ok(Math.abs((ia[i] as number) - (ib[i] as number)) < 1e-15, `index ${i}`);
});

test("rollingSd: minObs 2 and divisor n-1", () => {
  const sd = rollingSd(panel, { unit: "city", time: "year", value: "x", minObs: 2 });
  close(sd[4] as number, 1, "A2013 {2,4}: mean 3, (1+1)/2 = 1");
  close(sd[3] as number, 1.5, "A2014 {4,7}: mean 5.5, (2.25+2.25)/2 = 2.25, sqrt 1.5");
  close(sd[5] as number, 2, "B2013 {5,9}: mean 7, (4+4)/2 = 4");
  const s1 = rollingSd(panel, { unit: "city", time: "year", value: "x", divisor: "n-1" });
  close(s1[0] as number, 1.5275252316519468, "A2012: sqrt((42/9)/2) = sqrt(7/3)");
});

test("growthRate uses the exact previous year only", () => {
  const g = growthRate(panel, { unit: "city", time: "year", value: "x" });
  close(g[2] as number, 1, "A2011 2/1 - 1");
  close(g[0] as number, 1, "A2012 4/2 - 1");
  isNaNv(g[3], "A2014 (2013 is NA)");
  isNaNv(g[7], "B2012 (no 2011)");
  close(g[5] as number, 0.8, "B2013 9/5 - 1");
});

test("ratio: zero / NA denominators give NaN and are counted", () => {
  const t = table({ a: [10, 5, NaN, 3], b: [4, 0, 2, NaN] });
  const r = ratio(t, "a", "b", 100);
  close(r.value[0] as number, 250, "10/4*100");
  isNaNv(r.value[1]);
  isNaNv(r.value[2]);
  isNaNv(r.value[3]);
  assert.is(r.undefinedRows, 2);
});

test("rolling / ratio bad input", () => {
  assert.throws(
    () => rollingSd(panel, { unit: "city", time: "yr", value: "x" }),
    (e: unknown) => e instanceof DataError && /column "yr"/.test((e as Error).message),
  );
  assert.throws(
    () => rollingSd(panel, { unit: "city", time: "year", value: "x", window: 1 }),
    (e: unknown) => e instanceof ArgumentError,
  );
  const dup = table({ city: ["A", "A"], year: [2010, 2010], x: [1, 2] });
  assert.throws(
    () => rollingSd(dup, { unit: "city", time: "year", value: "x" }),
    (e: unknown) => e instanceof DataError && /duplicate time 2010/.test((e as Error).message) && /row 2/.test((e as Error).message),
  );
  assert.throws(
    () => ratio(panel, "x", "pop"),
    (e: unknown) => e instanceof DataError && /column "pop"/.test((e as Error).message),
  );
});

const mt = table({
  city: ["A", "A", "A", "A", "B", "B", "B", "B", "C", "C", "C", "C"],
  year: [2008, 2011, 2012, 2019, 2008, 2011, 2012, 2019, 2008, 2011, 2012, 2019],
  gdp: [100, 130, 140, 210, 200, 220, 230, 230, 100, 150, NaN, 300],
});
const periods = [
  { name: "resistance", start: 2008, end: 2011 },
  { name: "recovery", start: 2012, end: 2019 },
];

test("Martin et al. (2016) expected-change form, by hand", () => {
  const r = toRecords(martinSensitivity(mt, { unit: "city", time: "year", value: "gdp", periods }));
  // resistance: national 400 -> 500, g_N = 0.25
  //   A: dE = 30, expected 100*0.25 = 25, (30-25)/25 = 0.2
  //   B: dE = 20, expected 50, (20-50)/50 = -0.6 ; C: dE = 50, expected 25, (50-25)/25 = 1
  close(r[0]?.resistance as number, 0.2, "A");
  close(r[1]?.resistance as number, -0.6, "B");
  close(r[2]?.resistance as number, 1, "C");
  // recovery: C has no 2012 value -> excluded; national 370 -> 440, g_N = 70/370
  //   A: expected 140*70/370, (70 - e)/e = 370/140 - 1 = 1.642857142857143 ; B: dE = 0 -> -1
  close(r[0]?.recovery as number, 370 / 140 - 1, "A rec");
  close(r[1]?.recovery as number, -1, "B rec");
  assert.is(r[2]?.recovery, null);
  assert.equal(
    r.map((x) => x.unit),
    ["A", "B", "C"],
  );
});

test("Martin (2012) ratio form and its relation to the expected form", () => {
  const r = martinSensitivity(mt, { unit: "city", time: "year", value: "gdp", periods, form: "ratio" });
  const b = numeric(r, "resistance");
  // A: (30/100)/0.25 = 1.2 ; B: (20/200)/0.25 = 0.4 ; C: (50/100)/0.25 = 2
  [1.2, 0.4, 2].forEach((v, i) => close(b[i] as number, v, `beta ${i}`));
  // given national series that shrinks: g_N = (80-100)/100 = -0.2
  //   A: expected = -20, dE = 30 -> (30+20)/20 = 2.5 ; ratio 0.3/-0.2 = -1.5 ; 1 - beta = 2.5
  const nat = { 2008: 100, 2011: 80 };
  const p1 = [{ name: "resistance", start: 2008, end: 2011 }];
  const e = numeric(martinSensitivity(mt, { unit: "city", time: "year", value: "gdp", periods: p1, national: nat }), "resistance");
  const q = numeric(
    martinSensitivity(mt, { unit: "city", time: "year", value: "gdp", periods: p1, national: nat, form: "ratio" }),
    "resistance",
  );
  close(e[0] as number, 2.5, "A expected");
  close(q[0] as number, -1.5, "A ratio");
  for (let i = 0; i < 3; i++) close(e[i] as number, 1 - (q[i] as number), `relation ${i}`);
});

test("Martin bad input: zero national change, missing national year, unknown column", () => {
  const flat = table({ city: ["A", "A", "B", "B"], year: [1, 2, 1, 2], y: [1, 2, 2, 1] });
  assert.throws(
    () => martinSensitivity(flat, { unit: "city", time: "year", value: "y", periods: [{ name: "p", start: 1, end: 2 }] }),
    (e: unknown) => e instanceof DataError && /undefined/.test((e as Error).message),
  );
  assert.throws(
    () => martinSensitivity(mt, { unit: "city", time: "year", value: "gdp", periods, national: { 2008: 1, 2011: 2 } }),
    (e: unknown) => e instanceof ArgumentError && /2012/.test((e as Error).message),
  );
  assert.throws(
    () => martinSensitivity(mt, { unit: "city", time: "year", value: "GDP", periods }),
    (e: unknown) => e instanceof DataError && /did you mean "gdp"/.test((e as Error).message),
  );
});

test.run();
