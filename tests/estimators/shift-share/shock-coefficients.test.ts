import { test } from "uvu";
import * as assert from "uvu/assert";
import { shockCoefficients } from "../../../lib/estimators/shift-share/shock-coefficients";
import { shareMatrix } from "../../../lib/estimators/shift-share/share-matrix";
import { qrLeastSquares } from "../../../lib/core/linalg/qr";
import { mulberry } from "./rng";

function design(n: number, S: number, seed: number) {
  const rnd = mulberry(seed);
  const rows: number[] = [];
  const secs: number[] = [];
  const vals: number[] = [];
  const dense = Array.from({ length: S }, () => new Float64Array(n));
  for (let i = 0; i < n; i++)
    for (let s = 0; s < S; s++)
      if (rnd() < 0.4) {
        const v = rnd();
        rows.push(i);
        secs.push(s);
        vals.push(v);
        dense[s]![i] = v;
      }
  return { rows, secs, vals, dense, rnd };
}

test("weighted sector coefficients equal Householder QR least squares on √w-scaled dense W (1e-10 relative)", () => {
  const n = 200;
  const S = 15;
  const { rows, secs, vals, dense, rnd } = design(n, S, 11);
  const W = shareMatrix(rows, secs, vals, n, S);
  const y = Float64Array.from({ length: n }, () => rnd() - 0.5);
  const w = Float64Array.from({ length: n }, () => 0.2 + rnd());
  const sw = Float64Array.from(w, Math.sqrt);
  const ref = qrLeastSquares(
    dense.map((c) => Float64Array.from(c, (v, i) => v * sw[i]!)),
    Float64Array.from(y, (v, i) => v * sw[i]!),
    { solver: "qr" },
  );
  const r = shockCoefficients(y, W, w);
  assert.equal(r.kept.length, S);
  r.coef.forEach((c, s) =>
    assert.ok(Math.abs(c - ref.beta[s]!) <= 1e-10 * Math.abs(ref.beta[s]!) + 1e-12, `sector ${s}: ${c} vs ${ref.beta[s]}`),
  );
});

test("repeated rows (a panel's HS4 rows of one city-year) are merged without changing the coefficients (vs QR on all rows, 1e-10)", () => {
  const n = 40;
  const S = 8;
  const { rows, secs, vals, dense, rnd } = design(n, S, 17);
  // each row 3 times, different weights and responses
  const R: number[] = [];
  const Sx: number[] = [];
  const V: number[] = [];
  rows.forEach((i, k) => [0, 1, 2].forEach((r) => (R.push(3 * i + r), Sx.push(secs[k]!), V.push(vals[k]!))));
  const W = shareMatrix(R, Sx, V, 3 * n, S);
  const y = Float64Array.from({ length: 3 * n }, () => rnd());
  const w = Float64Array.from({ length: 3 * n }, () => 0.5 + rnd());
  const sw = Float64Array.from(w, Math.sqrt);
  const big = dense.map((c) => Float64Array.from({ length: 3 * n }, (_, j) => c[Math.floor(j / 3)]! * sw[j]!));
  const ref = qrLeastSquares(
    big,
    Float64Array.from(y, (v, j) => v * sw[j]!),
    { solver: "qr" },
  );
  const r = shockCoefficients(y, W, w);
  assert.equal(r.solver, "cholesky");
  r.coef.forEach((c, s) => assert.ok(Math.abs(c - ref.beta[s]!) <= 1e-10 * Math.abs(ref.beta[s]!) + 1e-12, `sector ${s}`));
});

test("collinear share columns: the later column is dropped (as R's qr in ShiftShareSE's drop_collinear), an all-zero column too", () => {
  const n = 60;
  const S = 6;
  const { rows, secs, vals, rnd } = design(n, S - 2, 5);
  // sector 4 = sector 0 + sector 1; sector 5 has no shares
  const r2 = [...rows];
  const s2 = [...secs];
  const v2 = [...vals];
  rows.forEach((i, k) => {
    if (secs[k] === 0 || secs[k] === 1) {
      r2.push(i);
      s2.push(4);
      v2.push(vals[k]!);
    }
  });
  const W = shareMatrix(r2, s2, v2, n, S);
  const y = Float64Array.from({ length: n }, () => rnd());
  const r = shockCoefficients(y, W);
  assert.equal(r.kept, [0, 1, 2, 3]);
  assert.equal(r.dropped, [4, 5]);
  assert.ok(Number.isNaN(r.coef[4]!) && Number.isNaN(r.coef[5]!));
  assert.equal(r.solver, "qr", "a near-zero pivot hands the rank decision to Householder QR");
});

test.run();
