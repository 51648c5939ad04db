import { test } from "uvu";
import * as assert from "uvu/assert";
import { fromRecords, numeric, toRecords, column } from "../../lib/data/table";
import { DataError } from "../../lib/util/errors";
import { bartik, digitalShift } from "../../lib/measures/bartik";
import { sharedDataPath } from "../../lib/data/public";
import { readCsvSimple } from "../fixtures/eq/csv";

// Tolerances
// EXACT_TOL: hand examples are sums of 2–4 products of short decimals; double rounding < 1e-15.
const EXACT_TOL = 1e-12;
// OECD_TOL: the real-data shift recomputed from the raw CSV rows in a different summation order.
const OECD_TOL = 1e-14;

const close = (a: number, b: number, tol = EXACT_TOL) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

const shares = fromRecords([
  { unit: "A", ind: "x", share: 0.6 },
  { unit: "A", ind: "y", share: 0.4 },
  { unit: "B", ind: "x", share: 0.5 },
  { unit: "B", ind: "z", share: 0.5 },
]);
const shifts = fromRecords([
  { ind: "x", time: 2005, shift: 0.1 },
  { ind: "y", time: 2005, shift: 0.3 },
  { ind: "z", time: 2005, shift: 0.2 },
  { ind: "x", time: 2006, shift: 0.2 },
  { ind: "y", time: 2006, shift: 0.5 },
  { ind: "z", time: 2006, shift: 0.0 },
]);

test("bartik: hand-computed shift-share", () => {
  const r = bartik(shares, shifts);
  const v = numeric(r.table, "vagg");
  // A 2005: 0.6·0.1 + 0.4·0.3 = 0.06 + 0.12 = 0.18;  A 2006: 0.6·0.2 + 0.4·0.5 = 0.12 + 0.20 = 0.32
  // B 2005: 0.5·0.1 + 0.5·0.2 = 0.05 + 0.10 = 0.15;  B 2006: 0.5·0.2 + 0.5·0.0 = 0.10
  const expected = [0.18, 0.32, 0.15, 0.1];
  expected.forEach((e, i) => close(v[i] as number, e));
  assert.equal(column(r.table, "unit"), ["A", "A", "B", "B"]);
  assert.equal(Array.from(numeric(r.table, "time")), [2005, 2006, 2005, 2006]);
  assert.equal(r.report.unmatched, []);
  assert.equal(r.report.warnings, []);
});

test("bartik: crosswalk splits a source industry over targets; unmatched counted with their mass", () => {
  const src = fromRecords([
    { unit: "A", ind: "c1", share: 0.5 }, // → x (0.5·1)
    { unit: "A", ind: "c2", share: 0.3 }, // → x 0.25, y 0.75
    { unit: "A", ind: "c9", share: 0.2 }, // not in the crosswalk
  ]);
  const cw = fromRecords([
    { from: "c1", to: "x", weight: 1 },
    { from: "c2", to: "x", weight: 0.25 },
    { from: "c2", to: "y", weight: 0.75 },
  ]);
  const r = bartik(src, shifts, { crosswalk: cw });
  const v = numeric(r.table, "vagg");
  // target shares: x = 0.5 + 0.3·0.25 = 0.575; y = 0.3·0.75 = 0.225
  // 2005: 0.575·0.1 + 0.225·0.3 = 0.0575 + 0.0675 = 0.125
  // 2006: 0.575·0.2 + 0.225·0.5 = 0.115 + 0.1125 = 0.2275
  close(v[0] as number, 0.125);
  close(v[1] as number, 0.2275);
  close(numeric(r.table, "matched_share")[0] as number, 0.8);
  assert.is(r.report.unmatchedRows, 1);
  assert.equal(r.report.unmatched, [{ industry: "c9", reason: "not in crosswalk", rows: 1, shareMass: 0.2 }]);
  assert.equal(r.report.unusedShiftIndustries, ["z"]);
});

test("bartik: share industry without any shift is reported, not silently dropped", () => {
  const s = fromRecords([
    { unit: "A", ind: "x", share: 0.5 },
    { unit: "A", ind: "q", share: 0.5 },
  ]);
  const r = bartik(s, shifts);
  close(numeric(r.table, "vagg")[0] as number, 0.05); // 0.5·0.1
  assert.is(r.report.unmatched.length, 1);
  assert.is(r.report.unmatched[0]?.industry, "q");
  assert.is(r.report.unmatched[0]?.reason, "no shift");
  assert.ok(r.report.warnings.some((w) => /unmatched/.test(w)));
});

test("bartik: shares summing above 1 and negative shares are warned and counted", () => {
  const s = fromRecords([
    { unit: "A", ind: "x", share: 0.8 },
    { unit: "A", ind: "y", share: 0.4 },
    { unit: "B", ind: "x", share: -0.1 },
  ]);
  const r = bartik(s, shifts);
  assert.equal(
    r.report.unitsShareSumAbove1.map((u) => u.unit),
    ["A"],
  );
  close(r.report.unitsShareSumAbove1[0]?.sum as number, 1.2);
  assert.is(r.report.negativeShareRows, 1);
  // still computed: 0.8·0.1 + 0.4·0.3 = 0.2
  close(numeric(r.table, "vagg")[0] as number, 0.2);
});

test("bartik: NA share / missing shift propagate by default, skip on request (counted)", () => {
  const s = fromRecords([
    { unit: "A", ind: "x", share: 0.6 },
    { unit: "A", ind: "y", share: null },
    { unit: "B", ind: "x", share: 1 },
  ]);
  const sh = fromRecords([
    { ind: "x", time: 2005, shift: 0.1 },
    { ind: "y", time: 2005, shift: 0.3 },
    { ind: "x", time: 2006, shift: null },
    { ind: "y", time: 2006, shift: 0.5 },
  ]);
  const p = bartik(s, sh);
  const vp = numeric(p.table, "vagg");
  assert.ok(Number.isNaN(vp[0] as number) && Number.isNaN(vp[1] as number)); // A: NA share
  close(vp[2] as number, 0.1); // B 2005
  assert.ok(Number.isNaN(vp[3] as number)); // B 2006: NA shift
  assert.is(p.report.naShareRows, 1);
  const k = bartik(s, sh, { na: "skip" });
  const vk = numeric(k.table, "vagg");
  close(vk[0] as number, 0.06); // 0.6·0.1
  close(vk[1] as number, 0); // x shift NA skipped, y share NA skipped
  close(vk[3] as number, 0);
  assert.is(k.report.naShiftCells, 2); // A 2006 (x) and B 2006 (x)
});

test("bartik: duplicate share rows and unknown columns are DataErrors with locations", () => {
  const s = fromRecords(
    [
      { unit: "A", ind: "x", share: 0.6 },
      { unit: "A", ind: "x", share: 0.1 },
    ],
    "shares.csv",
  );
  assert.throws(
    () => bartik(s, shifts),
    (e: unknown) => e instanceof DataError && /shares\.csv: row 2: duplicate/.test((e as Error).message),
  );
  assert.throws(
    () => bartik(shares, shifts, { share: "shre" }),
    (e: unknown) => e instanceof DataError && /did you mean "share"/.test((e as Error).message),
  );
});

test("digitalShift: splitting coefficient on the real OECD China coefficients", () => {
  const file = sharedDataPath("io", "oecd_iot2021_chn_digital_coef.csv");
  const coefs = readCsvSimple(file, ["input_code", "use_code", "input_isic4", "use_isic4"]);
  const kappa = 0.08;
  const { table: sh, missingInputs } = digitalShift(coefs, { inputs: { D61: 1, D62T63: 1, D45T47: kappa } });
  assert.is(missingInputs, 0);
  // 17 manufacturing users × 24 years
  assert.is(sh.nrows, 17 * 24);
  // recompute one cell from the raw rows
  const recs = toRecords(coefs) as { year: number; input_isic4: string; use_isic4: string; a: number }[];
  const a = (inp: string) => (recs.find((r) => r.year === 2010 && r.use_isic4 === "D26" && r.input_isic4 === inp) as { a: number }).a;
  const expected = a("D61") + a("D62T63") + kappa * a("D45T47");
  const ind = column(sh, "ind");
  const time = numeric(sh, "time");
  let got = NaN;
  for (let i = 0; i < sh.nrows; i++) if (ind[i] === "D26" && time[i] === 2010) got = numeric(sh, "shift")[i] as number;
  close(got, expected, OECD_TOL);
  // a year-specific κ record without the year is an error
  assert.throws(() => digitalShift(coefs, { inputs: { D45T47: { "2010": 0.1 } } }), /no splitting coefficient/);
});

test.run();
