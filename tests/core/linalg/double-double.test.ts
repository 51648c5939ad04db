import { test } from "uvu";
import * as assert from "uvu/assert";
import { DoubleDouble, twoProductError, twoSumError } from "../../../lib/core/linalg/double-double";
import { dot2Residuals } from "../../../lib/core/linalg/dot2";
import { ddLeastSquares } from "../../../lib/core/linalg/dd-least-squares";
import { qrLeastSquares, qrErrorEstimate } from "../../../lib/core/linalg/qr";
import { rng } from "../../../lib/util/rng";

test("TwoSum and TwoProduct errors are exact", () => {
  const a = 1 + 2 ** -30;
  const p = a * a; // exact: 1 + 2^-29 + 2^-60
  assert.is(p, 1 + 2 ** -29);
  assert.is(twoProductError(a, a, p), 2 ** -60);
  const s = 1 + 2 ** -60;
  assert.is(s, 1);
  assert.is(twoSumError(1, 2 ** -60, s), 2 ** -60);
  assert.is(twoSumError(2 ** -60, 1, s), 2 ** -60); // no ordering needed
  const big = 2 ** 53;
  assert.is(big + 1.5, big + 2); // the spacing is 2 here
  assert.is(twoSumError(big, 1.5, big + 2), -0.5);
});

test("DoubleDouble keeps ~32 digits: sums that cancel, 1/3·3, √2², 10 digits lost by double", () => {
  const s = new DoubleDouble();
  for (const v of [1e16, 1, -1e16, 1e-20]) s.add(v);
  assert.is(s.hi, 1);
  assert.is(s.lo, 1e-20);
  const third = new DoubleDouble(1).div(3);
  const back = new DoubleDouble(third.hi, third.lo).mul(3).add(-1);
  assert.ok(Math.abs(back.hi) < 1e-31, `1/3·3 − 1 = ${back.hi}`);
  const r2 = new DoubleDouble(2).sqrt();
  const sq = new DoubleDouble(r2.hi, r2.lo).mul(r2.hi, r2.lo).add(-2);
  assert.ok(Math.abs(sq.hi) < 1e-31, `√2² − 2 = ${sq.hi}`);
  // Σ (1 + 1e-10·i)² for i < 1000, exactly known: n + 2e-10·Σi + 1e-20·Σi²
  const acc = new DoubleDouble();
  for (let i = 0; i < 1000; i++) acc.addMul(1 + 1e-10 * i, 0, 1 + 1e-10 * i, 0);
  const exact = 1000 + 2e-10 * 499500 + 1e-20 * 332833500;
  assert.ok(Math.abs(acc.hi - exact) <= 2e-13, `${acc.hi} vs ${exact}`);
});

test("dot2Residuals keeps the digits plain evaluation cancels away", () => {
  // (1e8 + 1)(1e8 − 1) = 1e16 − 1, not a double: plain y − x·b rounds the product and gives 0
  const x = Float64Array.of(1e8 + 1);
  const y = Float64Array.of(1e16);
  const b = 1e8 - 1;
  assert.is((y[0] as number) - (x[0] as number) * b, 0);
  assert.equal(Array.from(dot2Residuals([x], y, [b])), [1]);
  // several terms: y − (3·x1 − 2·x2) with large cancelling terms
  const x1 = Float64Array.of(1e15 + 3),
    x2 = Float64Array.of(1.5e15 + 4);
  const y2 = Float64Array.of(1);
  assert.equal(Array.from(dot2Residuals([x1, x2], y2, [3, -2])), [1 - (3 * 3 - 2 * 4)]);
});

test("ddLeastSquares: exact polynomial fit (Wampler1-like) recovered to the last digit; agrees with double QR on a benign design", () => {
  const n = 21;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const cols = [new Float64Array(n).fill(1)];
  for (let k = 1; k <= 5; k++) cols.push(x.map((v) => v ** k));
  const y = x.map((v) => 1 + v + v ** 2 + v ** 3 + v ** 4 + v ** 5); // exact integers
  const fit = ddLeastSquares(cols, y);
  assert.ok(fit);
  for (const b of fit.beta) assert.ok(Math.abs(b - 1) < 1e-14, `β = ${b}`);
  assert.ok(fit.rss < 1e-20);
  assert.equal(Array.from(fit.residuals), new Array(n).fill(0));
  const r = rng(31);
  const m = 500;
  const X = [new Float64Array(m).fill(1), ...[0, 1, 2].map(() => Float64Array.from({ length: m }, () => r.normal()))];
  const yy = Float64Array.from({ length: m }, (_, i) => 1 + (X[1] as Float64Array)[i]! - (X[3] as Float64Array)[i]! + r.normal());
  const a = qrLeastSquares(X, yy, { precision: "double" });
  const d = ddLeastSquares(X, yy);
  assert.ok(d);
  for (let j = 0; j < 4; j++) assert.ok(Math.abs((a.beta[j] as number) - (d.beta[j] as number)) < 1e-14);
  for (let t = 0; t < 16; t++) assert.ok(Math.abs((a.xtxInv[t] as number) - (d.xtxInv[t] as number)) < 1e-16);
  for (let t = 0; t < 16; t++) assert.ok(Math.abs((a.R[t] as number) - (d.R[t] as number)) < 1e-11 * Math.abs(a.R[0] as number));
  assert.ok(Math.abs(a.rss - d.rss) / d.rss < 1e-13);
  assert.is(ddLeastSquares([X[1] as Float64Array, new Float64Array(m)], yy), null); // zero column
});

test("qrLeastSquares refits in double-double only when qrErrorEstimate flags the double fit", () => {
  const r = rng(32);
  const n = 400;
  const one = new Float64Array(n).fill(1);
  const x = Float64Array.from({ length: n }, () => r.normal());
  const y = x.map((v) => 2 + v + r.normal());
  const benign = qrLeastSquares([one, x], y);
  const e1 = qrErrorEstimate(benign.R, benign.beta, benign.rss);
  assert.ok(e1.coef < 1e-12 && e1.xtxInv < 1e-14, JSON.stringify(e1));
  assert.is(benign.residuals, undefined); // the double Householder result, untouched
  // Wampler5-like: degree-5 polynomial, huge residuals, coefficients 1
  const m = 21;
  const t = Float64Array.from({ length: m }, (_, i) => i);
  const cols = [new Float64Array(m).fill(1)];
  for (let k = 1; k <= 5; k++) cols.push(t.map((v) => v ** k));
  const noise = Float64Array.from({ length: m }, (_, i) => (i % 2 ? 1 : -1) * 1e8 * (1 + (i % 3)));
  const yw = t.map((v, i) => 1 + v + v ** 2 + v ** 3 + v ** 4 + v ** 5 + (noise[i] as number));
  const dbl = qrLeastSquares(cols, yw, { precision: "double" });
  const e2 = qrErrorEstimate(dbl.R, dbl.beta, dbl.rss);
  assert.ok(e2.coef > 1e-8, JSON.stringify(e2));
  const auto = qrLeastSquares(cols, yw);
  assert.ok(auto.residuals, "refitted in double-double");
  const dd = qrLeastSquares(cols, yw, { precision: "double-double" });
  assert.equal(Array.from(auto.beta), Array.from(dd.beta));
  assert.equal(auto.kept, dbl.kept);
});

test.run();
