import { test } from "uvu";
import * as assert from "uvu/assert";
import { table } from "../../lib/data/table";
import { DataError, EstimationError } from "../../lib/util/errors";
import { rng } from "../../lib/util/rng";
import { misallocation } from "../../lib/measures/misallocation";

// Tolerances
// HAND: 1e-14 — closed-form shares and powers of a few numbers.
const HAND = 1e-14;
// RECOVER: 1e-9 — noise-free Cobb–Douglas data: the within estimator must return α exactly up to
//   the alternating-projection stopping rule (1e-13 relative on each pass) and rounding.
const RECOVER = 1e-9;
const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("given elasticities, by hand (one year, two cities)", () => {
  // Y = 100, 300 -> s = .25, .75 ; K = 200, 200 -> k = .5, .5 ; L = 50, 150 -> l = .25, .75
  // γK = k/s = 2, 2/3 -> τK = 1/γK - 1 = -0.5, 0.5 ; γL = 1, 1 -> τL = 0, 0
  // dist = |(1+τK)^(0.4/1.0) (1+τL)^0.6 - 1| = |0.5^0.4 - 1| = 0.242141716744801 ; 1.5^0.4 - 1 = 0.17607902252467356
  const t = table({ c: ["a", "b"], yr: [2010, 2010], y: [100, 300], k: [200, 200], l: [50, 150] });
  const m = misallocation(t, { unit: "c", year: "yr", y: "y", k: "k", l: "l", elasticities: { alpha: 0.4, beta: 0.6 } });
  close(m.gammaK[0] as number, 2, HAND);
  close(m.tauK[0] as number, -0.5, HAND);
  close(m.tauK[1] as number, 0.5, HAND);
  close(m.tauL[0] as number, 0, HAND);
  close(m.distK[0] as number, 0.5, HAND);
  close(m.dist[0] as number, 0.242141716744801, HAND);
  close(m.dist[1] as number, 0.17607902252467356, HAND);
  assert.is(m.elasticitySource, "given");
});

test("both factors distorted: dist combines them with α/(α+β), β/(α+β)", () => {
  // L = 100, 100 -> l = .5, .5 -> γL = 2, 2/3 -> τL = -0.5, 0.5
  // dist_a = |0.5^0.4 * 0.5^0.6 - 1| = 0.5 ; dist_b = |1.5^0.4 * 1.5^0.6 - 1| = 0.5
  // shares are per year: a second year with its own totals must not change year 1
  const t = table({ c: ["a", "b", "a", "b"], yr: [1, 1, 2, 2], y: [100, 300, 5, 5], k: [200, 200, 1, 3], l: [100, 100, 2, 2] });
  const m = misallocation(t, { unit: "c", year: "yr", y: "y", k: "k", l: "l", elasticities: { alpha: 0.4, beta: 0.6 } });
  close(m.dist[0] as number, 0.5, HAND);
  close(m.dist[1] as number, 0.5, HAND);
  // year 2: s = .5,.5 ; k = .25,.75 -> γK = .5, 1.5 -> τK = 1, -1/3
  close(m.tauK[2] as number, 1, HAND);
  close(m.tauK[3] as number, -1 / 3, HAND);
});

function synthPanel(alpha: number, beta: number) {
  const r = rng(20250101);
  const city: string[] = [];
  const year: number[] = [];
  const Y: number[] = [],
    K: number[] = [],
    L: number[] = [];
  for (let c = 0; c < 12; c++) {
    const mu = r.normal(0, 0.5);
    for (let t = 0; t < 6; t++) {
      if (c === 3 && t === 2) continue; // unbalanced
      const d = 0.05 * t * t;
      // regressors correlated with the fixed effects, so a one-way or no demeaning would be biased
      const lnK = 3 + 2 * mu + 0.3 * t + r.normal(0, 0.4);
      const lnL = 2 - mu + r.normal(0, 0.4);
      city.push(`c${c}`);
      year.push(2010 + t);
      K.push(Math.exp(lnK));
      L.push(Math.exp(lnL));
      Y.push(Math.exp(mu + d + alpha * lnK + beta * lnL));
    }
  }
  return table({ city, year, y: Y, k: K, l: L });
}

test("CRS estimation recovers α from noise-free data with correlated city and year effects", () => {
  const m = misallocation(synthPanel(0.35, 0.65), { unit: "city", year: "year", y: "y", k: "k", l: "l" });
  close(m.alpha, 0.35, RECOVER, "alpha");
  close(m.beta, 0.65, RECOVER, "beta");
  assert.is(m.nobs, 71);
});

test("free estimation recovers α, β without CRS", () => {
  const m = misallocation(synthPanel(0.3, 0.5), { unit: "city", year: "year", y: "y", k: "k", l: "l", estimate: "free" });
  close(m.alpha, 0.3, RECOVER, "alpha");
  close(m.beta, 0.5, RECOVER, "beta");
});

test("bad input: non-positive value, all-NA, unknown column, NA rows", () => {
  const t = table({ c: ["a", "b"], yr: [1, 1], y: [100, 0], k: [1, 2], l: [1, 2], na: [NaN, NaN] });
  assert.throws(
    () => misallocation(t, { unit: "c", year: "yr", y: "y", k: "k", l: "l", elasticities: { alpha: 0.4, beta: 0.6 } }),
    (e: unknown) => e instanceof DataError && /column "y", row 2/.test((e as Error).message),
  );
  assert.throws(
    () => misallocation(t, { unit: "c", year: "yr", y: "k", k: "na", l: "l", elasticities: { alpha: 0.4, beta: 0.6 } }),
    (e: unknown) => e instanceof DataError && /no row/.test((e as Error).message),
  );
  assert.throws(
    () => misallocation(t, { unit: "c", year: "yr", y: "y", k: "cap", l: "l" }),
    (e: unknown) => e instanceof DataError && /column "cap"/.test((e as Error).message),
  );
  const one = table({ c: ["a", "a", "b", "b"], yr: [1, 2, 1, 2], y: [1, 2, 3, 4], k: [1, 2, 3, 4], l: [1, 2, 3, 4] });
  // ln(K/L) = 0 everywhere: α not identified
  assert.throws(
    () => misallocation(one, { unit: "c", year: "yr", y: "y", k: "k", l: "l" }),
    (e: unknown) => e instanceof EstimationError,
  );
  const withNA = table({ c: ["a", "b", "c"], yr: [1, 1, 1], y: [100, 300, NaN], k: [200, 200, 5], l: [50, 150, 5] });
  const m = misallocation(withNA, { unit: "c", year: "yr", y: "y", k: "k", l: "l", elasticities: { alpha: 0.4, beta: 0.6 } });
  close(m.tauK[0] as number, -0.5, HAND, "NA row excluded from totals");
  assert.ok(Number.isNaN(m.dist[2] as number));
});

test.run();
