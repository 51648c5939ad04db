import { test } from "uvu";
import * as assert from "uvu/assert";
import { residuals } from "../../../lib/core/linalg/residuals";
import { rng } from "../../../lib/util/rng";

// Closed form, and bit-for-bit agreement with the column-by-column loop it replaces (same
// order of operations per element), for 0–9 columns (the 4-column blocks and the remainder).
test("residuals: closed form and bitwise equal to the column loop", () => {
  assert.equal(Array.from(residuals(Float64Array.of(3, 5), [Float64Array.of(1, 2)], [2])), [1, 1]);
  const r = rng(7);
  const n = 1001;
  const y = Float64Array.from({ length: n }, () => r.normal() * 1e3);
  for (let k = 0; k <= 9; k++) {
    const X = Array.from({ length: k }, () => Float64Array.from({ length: n }, () => r.normal()));
    const b = Array.from({ length: k }, () => r.normal() * 10);
    const ref = Float64Array.from(y);
    X.forEach((x, a) => {
      for (let i = 0; i < n; i++) ref[i] -= b[a]! * x[i]!;
    });
    const e = residuals(y, X, b);
    for (let i = 0; i < n; i++) assert.ok(Object.is(e[i], ref[i]), `k=${k} i=${i}`);
  }
});

test.run();
