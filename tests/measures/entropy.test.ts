import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { table, numeric, toRecords } from "../../lib/data/table";
import { DataError, ArgumentError } from "../../lib/util/errors";
import { entropyIndex, entropyWeights, EntropyIndicator } from "../../lib/measures/entropy";

// Tolerances
// HAND: 1e-12 — hand values are typed to 16 significant digits; only float rounding differs.
const HAND = 1e-12;
// R: 1e-12 — R writes %.17g; the same closed-form arithmetic in a different order (sums of ~10 terms).
const R_TOL = 1e-12;

const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b} (tol ${tol})`);

const fixtures = path.join(__dirname, "../fixtures/rs");
function readCsv(file: string) {
  const [head, ...lines] = fs.readFileSync(path.join(fixtures, file), "utf8").trim().split("\n");
  const names = (head as string).split(",");
  const cols: Record<string, (string | null)[]> = {};
  for (const n of names) cols[n] = [];
  for (const l of lines) l.split(",").forEach((v, j) => (cols[names[j] as string] as (string | null)[]).push(v === "NA" ? null : v));
  const t = table(cols);
  const out: Record<string, Float64Array | (string | null)[]> = {};
  for (const n of names) out[n] = n === "city" ? (cols[n] as (string | null)[]) : numeric(t, n);
  return table(out);
}

test("hand example: 3 rows, 2 indicators, shift 0", () => {
  // x1 (+) = 1,2,3 -> z = 0, .5, 1 -> p = 0, 1/3, 2/3
  //   sum p ln p = (1/3)ln(1/3) + (2/3)ln(2/3) = -0.3662040962227032 - 0.2703100720721096 = -0.6365141682948128
  //   e1 = 0.6365141682948128 / ln 3 (1.0986122886681098) = 0.579380164285695 ; d1 = 0.42061983571430495
  // x2 (+) = 0,0,1 -> p = 0,0,1 -> e2 = 0 (0 ln 0 := 0), d2 = 1
  // w1 = 0.42061983571430495 / 1.42061983571430495 = 0.2960819109658652 ; w2 = 0.7039180890341348
  // index = (0, .5*w1, w1 + w2) = (0, 0.1480409554829326, 1)
  const t = table({ x1: [1, 2, 3], x2: [0, 0, 1] });
  const r = entropyIndex(
    t,
    [
      { name: "x1", direction: "+" },
      { name: "x2", direction: "+" },
    ],
    { shift: 0 },
  );
  const w = numeric(r.weights, "w");
  const e = numeric(r.weights, "e");
  close(e[0] as number, 0.579380164285695, HAND, "e1");
  close(e[1] as number, 0, HAND, "e2");
  close(w[0] as number, 0.2960819109658652, HAND, "w1");
  close(w[1] as number, 0.7039180890341348, HAND, "w2");
  [0, 0.1480409554829326, 1].forEach((v, i) => close(r.index[i] as number, v, HAND, `index ${i}`));
});

test("negative direction flips the normalisation; shift is added", () => {
  // x (-) = 4, 2, 0 -> z = (4-x)/4 = 0, .5, 1 ; shift 0.5 -> x' = .5, 1, 1.5
  const t = table({ x: [4, 2, 0], y: [1, 5, 2] });
  const r = entropyWeights(
    t,
    [
      { name: "x", direction: "-" },
      { name: "y", direction: "+" },
    ],
    { shift: 0.5 },
  );
  assert.equal(Array.from(r.normalized.x as Float64Array), [0.5, 1, 1.5]);
});

const ind: EntropyIndicator[] = [
  { name: "gdppc", dimension: "resist", direction: "+" },
  { name: "cpi_sd", dimension: "resist", direction: "-" },
  { name: "savings", dimension: "resist", direction: "+" },
  { name: "patents", dimension: "transform", direction: "+" },
  { name: "edu_pc", dimension: "transform", direction: "+" },
];

test("pooled weights, index and sub-indices match base R (entropy.R)", () => {
  const t = readCsv("entropy_input.csv");
  const ref = JSON.parse(fs.readFileSync(path.join(fixtures, "entropy_output.json"), "utf8"));
  const r = entropyIndex(t, ind);
  const e = numeric(r.weights, "e");
  const w = numeric(r.weights, "w");
  ref.pooled.e.forEach((v: number, j: number) => close(e[j] as number, v, R_TOL, `e${j}`));
  ref.pooled.w.forEach((v: number, j: number) => close(w[j] as number, v, R_TOL, `w${j}`));
  ref.pooled.index.forEach((v: number, i: number) => close(r.index[i] as number, v, R_TOL, `index ${i}`));
  ref.pooled.resist.forEach((v: number, i: number) => close(r.dimensions.resist?.[i] as number, v, R_TOL, `resist ${i}`));
  ref.pooled.transform.forEach((v: number, i: number) => close(r.dimensions.transform?.[i] as number, v, R_TOL, `transform ${i}`));
  assert.equal(toRecords(r.weights, 1)[0]?.indicator, "gdppc");
  assert.equal(toRecords(r.weights, 2)[1]?.direction, "-");
});

test("year-by-year weights match base R", () => {
  const t = readCsv("entropy_input.csv");
  const ref = JSON.parse(fs.readFileSync(path.join(fixtures, "entropy_output.json"), "utf8"));
  const r = entropyIndex(t, ind, { by: "year", year: "year" });
  const recs = toRecords(r.weights);
  assert.is(recs.length, 10);
  ref.byYear.w2010.forEach((v: number, j: number) => close(recs[j]?.w as number, v, R_TOL, `w2010 ${j}`));
  ref.byYear.w2011.forEach((v: number, j: number) => close(recs[5 + j]?.w as number, v, R_TOL, `w2011 ${j}`));
  ref.byYear.e2010.forEach((v: number, j: number) => close(recs[j]?.e as number, v, R_TOL, `e2010 ${j}`));
  ref.byYear.index.forEach((v: number, i: number) => close(r.index[i] as number, v, R_TOL, `index ${i}`));
  assert.is(recs[0]?.year, 2010);
});

test("within-dimension weights give sub-indices in [shift, 1+shift]; global ones add to the index", () => {
  const t = readCsv("entropy_input.csv");
  const g = entropyIndex(t, ind);
  for (let i = 0; i < t.nrows; i++)
    close((g.dimensions.resist?.[i] as number) + (g.dimensions.transform?.[i] as number), g.index[i] as number, 1e-14, "sum");
  const w = entropyIndex(t, ind, { dimensionWeights: "within" });
  for (const v of w.dimensions.transform as Float64Array) assert.ok(v >= 1e-4 - 1e-15 && v <= 1 + 1e-4 + 1e-15);
});

test("NA rows are left out of the weights and get NaN index", () => {
  const t = table({ a: [1, 2, NaN, 4], b: [3, 1, 2, 5] });
  const r = entropyIndex(t, [
    { name: "a", direction: "+" },
    { name: "b", direction: "+" },
  ]);
  assert.is(r.dropped, 1);
  assert.ok(Number.isNaN(r.index[2] as number));
  const r3 = entropyIndex(table({ a: [1, 2, 4], b: [3, 1, 5] }), [
    { name: "a", direction: "+" },
    { name: "b", direction: "+" },
  ]);
  close(r.index[3] as number, r3.index[2] as number, 1e-15, "same as without the NA row");
});

test("bad input: constant indicator, all-NA column, unknown column, missing year option", () => {
  const t = table({ a: [1, 2, 3], k: [7, 7, 7], na: [NaN, NaN, NaN], year: Int32Array.of(1, 1, 2) });
  assert.throws(
    () =>
      entropyWeights(t, [
        { name: "a", direction: "+" },
        { name: "k", direction: "+" },
      ]),
    (e: unknown) =>
      e instanceof DataError &&
      /column "k"/.test((e as Error).message) &&
      /max − min = 0/.test((e as Error).message) &&
      /undefined/.test((e as Error).message),
  );
  assert.throws(
    () =>
      entropyWeights(t, [
        { name: "a", direction: "+" },
        { name: "na", direction: "+" },
      ]),
    (e: unknown) => e instanceof DataError && /column "na"/.test((e as Error).message) && /all values are NA/.test((e as Error).message),
  );
  assert.throws(
    () => entropyWeights(t, [{ name: "aa", direction: "+" }]),
    (e: unknown) => e instanceof DataError && /column "aa"/.test((e as Error).message),
  );
  assert.throws(
    () => entropyWeights(t, [{ name: "a", direction: "+" }], { by: "year" }),
    (e: unknown) => e instanceof ArgumentError,
  );
  // year 2 has a single row: ln n = 0
  assert.throws(
    () => entropyWeights(t, [{ name: "a", direction: "+" }], { by: "year", year: "year" }),
    /at least 2 complete rows in year 2/,
  );
  assert.throws(
    () => entropyWeights(t, [{ name: "a", direction: "+" }], { shift: -1 }),
    (e: unknown) => e instanceof ArgumentError,
  );
});

test.run();
