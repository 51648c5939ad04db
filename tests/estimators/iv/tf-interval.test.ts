import { test } from "uvu";
import * as assert from "uvu/assert";
import { tfInterval } from "../../../lib/estimators/iv/tf-interval";

// tF interval β̂ ± c(F)·se (Lee, McCrary, Moreira & Porter 2022). Reference: the documented
// example of R ivDiag::tF (coef −0.9835, se 0.1540, F = 8598 → cF = 1.96), and closed forms.
const TOL = 1e-12;

test("ivDiag's documented example: F = 8598 gives c = 1.96 and the usual interval", () => {
  const r = tfInterval({ estimate: -0.9835, se: 0.154, F: 8598 });
  assert.is(r.critical, 1.96);
  assert.ok(Math.abs(r.lower - (-0.9835 - 1.96 * 0.154)) < TOL);
  assert.ok(Math.abs(r.upper - (-0.9835 + 1.96 * 0.154)) < TOL);
  assert.ok(Math.abs(r.adjustment - 1) < TOL);
});

test("F = 9 (a knot, c = 3.65): interval, adjustment factor c/1.96 and adjusted p-value", () => {
  const r = tfInterval({ estimate: 0.5, se: 0.1, F: 9 });
  assert.ok(Math.abs(r.lower - (0.5 - 0.365)) < 1e-12 && Math.abs(r.upper - (0.5 + 0.365)) < 1e-12);
  assert.ok(Math.abs(r.adjustment - 3.65 / 1.96) < TOL);
  // |t| = 5 → adjusted z = 5·1.96/3.65; p = 2Φ(−z)
  assert.ok(r.p > 0 && r.p < 0.05);
});

test("F < 4: the whole real line, p = 1", () => {
  const r = tfInterval({ estimate: 1, se: 0.2, F: 2 });
  assert.is(r.lower, -Infinity);
  assert.is(r.upper, Infinity);
  assert.is(r.p, 1);
});

test.run();
