import { test } from "uvu";
import * as assert from "uvu/assert";
import { tfCriticalValue } from "../../../lib/estimators/iv/tf-critical-value";
import { TF_CRITICAL_05 } from "../../../lib/estimators/iv/tf-table";

// Lee, McCrary, Moreira & Porter (2022, AER 112(10)) tF critical values at 5 %. Published
// points (the paper's abstract): F = 104.7 → 1.96; F = 10 → 3.43. The table is printed to two
// decimals, so the tolerance on F = 10 is 0.01 (interpolation between 3.51 at √F = 3.1 and 3.39 at
// √F = 3.2 gives 3.4365); knots are checked exactly.
test("published points: c(104.7) = 1.96, c(10) ≈ 3.43, c(F ≥ 104.67) = 1.96", () => {
  assert.is(tfCriticalValue(104.7), 1.96);
  assert.is(tfCriticalValue(1e6), 1.96);
  assert.ok(Math.abs(tfCriticalValue(10) - 3.43) < 0.01, `c(10) = ${tfCriticalValue(10)}`);
});

test("table knots are returned exactly: c(4) = 18.66, c(9) = 3.65, c(25) = 2.46; F < 4 gives ∞", () => {
  assert.is(TF_CRITICAL_05.length, 84);
  assert.ok(Math.abs(tfCriticalValue(4) - 18.66) < 1e-12);
  assert.ok(Math.abs(tfCriticalValue(9) - 3.65) < 1e-12);
  assert.ok(Math.abs(tfCriticalValue(25) - 2.46) < 1e-12);
  assert.is(tfCriticalValue(3.99), Infinity);
});

test("monotone non-increasing in F and linear in √F between knots", () => {
  let prev = Infinity;
  for (let F = 4; F < 110; F += 0.37) {
    const c = tfCriticalValue(F);
    assert.ok(c <= prev + 1e-12, `not monotone at F = ${F}`);
    prev = c;
  }
  const mid = tfCriticalValue(3.15 ** 2);
  assert.ok(Math.abs(mid - (3.51 + 3.39) / 2) < 1e-12);
});

test("levels other than 5 % are refused (not tabulated here)", () => {
  assert.throws(() => tfCriticalValue(10, 0.01));
});

test.run();
