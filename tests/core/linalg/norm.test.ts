import { test } from "uvu";
import * as assert from "uvu/assert";
import { euclideanNorm } from "../../../lib/core/linalg/norm";

// Closed forms: a Pythagorean triple, odd and even lengths, empty; and agreement with Math.hypot
// (correctly scaled) on random data to 1e-15 relative (two accumulators change the summation order).
test("euclideanNorm: closed forms and Math.hypot", () => {
  assert.is(euclideanNorm(Float64Array.of(3, 4)), 5);
  assert.is(euclideanNorm(Float64Array.of(2, 3, 6)), 7);
  assert.is(euclideanNorm(new Float64Array(0)), 0);
  const x = Float64Array.from({ length: 1001 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 7)));
  const h = Math.hypot(...x);
  assert.ok(Math.abs(euclideanNorm(x) - h) / h < 1e-15);
});

test.run();
