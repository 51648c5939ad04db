import { test } from "uvu";
import * as assert from "uvu/assert";
import { shiftSharePartialOut } from "../../../lib/estimators/shift-share/partial-out";
import { factorize } from "../../../lib/core/fixed-effects/factorize";
import { qrLeastSquares } from "../../../lib/core/linalg/qr";
import { mulberry } from "./rng";

// Reference: weighted residuals of one Householder QR on [1, z, dummies] (exact least squares);
// FWL makes the two-step result identical up to rounding: 1e-10 absolute on O(1) data.
test("weighted partialling of controls and an absorbed fixed effect = one weighted regression on controls and dummies", () => {
  const rnd = mulberry(21);
  const n = 150;
  const g = Float64Array.from({ length: n }, (_, i) => i % 6);
  const z = Float64Array.from({ length: n }, () => rnd());
  const zc = Float64Array.from(z, (v) => 2 * v); // collinear control: dropped
  const w = Float64Array.from({ length: n }, () => 0.3 + rnd());
  const y = Float64Array.from({ length: n }, () => rnd());
  const r = shiftSharePartialOut([y], { controls: [z, zc], fixedEffects: [factorize(g)], weights: w });
  assert.equal(r.droppedControls, [1]);
  assert.equal(r.rank, 6 + 1);
  const sw = Float64Array.from(w, Math.sqrt);
  const X = [z, ...[0, 1, 2, 3, 4, 5].map((d) => Float64Array.from(g, (v) => (v === d ? 1 : 0)))];
  const fit = qrLeastSquares(
    X.map((c) => Float64Array.from(c, (v, i) => v * sw[i]!)),
    Float64Array.from(y, (v, i) => v * sw[i]!),
    { solver: "qr" },
  );
  for (let i = 0; i < n; i++) {
    let f = 0;
    fit.kept.forEach((j, k) => (f += fit.beta[k]! * X[j]![i]!));
    assert.ok(Math.abs(r.columns[0]![i]! - (y[i]! - f)) < 1e-10, `row ${i}`);
  }
});

test("no controls and no fixed effects: the intercept is partialled (demeaning); intercept: false leaves the column", () => {
  const y = Float64Array.from([1, 2, 3, 6]);
  // 1e-14 absolute: a QR projection on the constant, exact up to rounding
  shiftSharePartialOut([y], {}).columns[0]!.forEach((v, i) => assert.ok(Math.abs(v - [-2, -1, 0, 3][i]!) < 1e-14));
  assert.equal([...shiftSharePartialOut([y], { intercept: false }).columns[0]!], [1, 2, 3, 6]);
  assert.equal(shiftSharePartialOut([y], {}).rank, 1);
});

test.run();
