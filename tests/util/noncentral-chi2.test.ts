import { test } from "uvu";
import * as assert from "uvu/assert";
import { pNcChi2, qNcChi2 } from "../../lib/util/noncentral-chi2";

// Reference values: R 4.2.2 base `qchisq(p, df, ncp)` / `pchisq(x, df, ncp)` (an established
// implementation, Ding's algorithm), printed with 17 digits. Tolerance 1e-10 relative: both sides
// are ~1e-13 accurate; the margin covers R's own series truncation.
const TOL = 1e-10;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

test("quantiles match R qchisq with ncp (integer and non-integer df, large ncp)", () => {
  const cases: [number, number, number, number][] = [
    [0.95, 1, 10, 23.108511211606483],
    [0.95, 2.5, 25, 45.884827262514591],
    [0.99, 3, 60, 103.729574182836018],
    [0.95, 1.7, 340, 404.095402273642378],
  ];
  for (const [p, k, l, want] of cases) assert.ok(rel(qNcChi2(p, k, l), want) < TOL, `q(${p}, ${k}, ${l}) = ${qNcChi2(p, k, l)} vs ${want}`);
});

test("CDF and upper tail match R pchisq and add to one", () => {
  assert.ok(rel(pNcChi2(30, 4, 20), 0.758234324018938) < TOL);
  assert.ok(rel(pNcChi2(30, 4, 20, true), 0.241765675981062) < TOL);
  assert.ok(Math.abs(pNcChi2(7, 2.2, 3) + pNcChi2(7, 2.2, 3, true) - 1) < 1e-14);
});

test("ncp = 0 is the central chi-square (closed form for df = 2: x = −2 ln(1 − p))", () => {
  assert.ok(rel(qNcChi2(0.95, 2, 0), -2 * Math.log(0.05)) < 1e-12);
});

test.run();
