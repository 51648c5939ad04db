import { test } from "uvu";
import * as assert from "uvu/assert";
import { akm0Interval } from "../../../lib/estimators/shift-share/akm0-interval";
import { qNormal } from "../../../lib/util/distributions";

// Closed form check: the AKM0 set is {β0 : (β̂ − β0)² RX² ≤ z² Σ_s (c_R,s + (β̂ − β0) c_W,s)²}, since
// the null residual is ε̂(β0) = ε̂ + (β̂ − β0)·Ẍ (or Ÿ₂). Its bounds must make the inequality an
// equality; tolerance 1e-9 relative to the terms (a quadratic solved in doubles).
function gap(b0: number, beta: number, RX: number, cR: number[], cW: number[], z: number): number {
  const d = beta - b0;
  const lhs = d * d * RX * RX;
  const rhs = z * z * cR.reduce((a, r, k) => a + (r + d * cW[k]!) ** 2, 0);
  return (lhs - rhs) / Math.max(lhs, rhs);
}

test("bounded AKM0 interval: both bounds solve the null-imposed test with equality; interior is accepted", () => {
  const cR = [0.3, -0.2, 0.1, 0.05];
  const cW = [1, 0.8, -0.5, 0.6];
  const beta = 0.7;
  const RX = 4;
  const z = qNormal(0.975);
  const r = akm0Interval(beta, RX, Float64Array.from(cR), Float64Array.from(cW));
  assert.equal(r.shape, "interval");
  assert.ok(Math.abs(gap(r.ciLow, beta, RX, cR, cW, z)) < 1e-9);
  assert.ok(Math.abs(gap(r.ciHigh, beta, RX, cR, cW, z)) < 1e-9);
  assert.ok(gap(beta, beta, RX, cR, cW, z) < 0, "β̂ itself is in the set");
  assert.ok(gap(r.ciHigh + 0.01, beta, RX, cR, cW, z) > 0 && gap(r.ciLow - 0.01, beta, RX, cR, cW, z) > 0);
  assert.ok(Math.abs(r.se - (r.ciHigh - r.ciLow) / (2 * z)) < 1e-14, "normalised SE = length / 2z");
});

test("weak signal: two half-lines (Q < 0, disc > 0) and the whole line (Q < 0, disc ≤ 0)", () => {
  const z = qNormal(0.975);
  const cR = [0.3, 0.2];
  const cW = [1, 0.8];
  // RX²/z² < Σc_W² → Q < 0
  const r = akm0Interval(0.7, 1.5, Float64Array.from(cR), Float64Array.from(cW));
  assert.equal(r.shape, "two-half-lines");
  assert.ok(r.ciHigh < r.ciLow && r.se === Infinity);
  assert.ok(Math.abs(gap(r.ciLow, 0.7, 1.5, cR, cW, z)) < 1e-9 && Math.abs(gap(r.ciHigh, 0.7, 1.5, cR, cW, z)) < 1e-9);
  const u = akm0Interval(0.7, 0.1, Float64Array.from([0.3, -0.3]), Float64Array.from([1, 1]));
  assert.equal([u.ciLow, u.ciHigh, u.shape], [-Infinity, Infinity, "real-line"]);
});

test.run();
