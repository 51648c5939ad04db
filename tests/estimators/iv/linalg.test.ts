import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  at,
  cholLower,
  cross,
  crossVec,
  dot,
  eigSym,
  eye,
  freezeColumns,
  inv,
  mul,
  mulVec,
  quadInv,
  residualize,
  solve,
  sqrtSym,
  symmetrize,
  transpose,
  zeros,
  type Mat,
} from "../../../lib/estimators/iv/linalg";

// Small dense linear algebra, checked on exact small matrices. Tolerance: absolute 1e-12
// (entries of order 1–10; a few dozen floating-point operations).
const TOL = 1e-12;
const matClose = (A: Mat, B: Mat, what: string) =>
  A.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - at(B, i, j)) < TOL, `${what}[${i}][${j}]: ${v} vs ${at(B, i, j)}`)));

const A: Mat = [
  [4, 2, 0.6],
  [2, 5, 1],
  [0.6, 1, 3],
]; // symmetric positive definite

test("zeros, eye, transpose, mul, mulVec, dot", () => {
  assert.equal(zeros(2, 3), [
    [0, 0, 0],
    [0, 0, 0],
  ]);
  assert.equal(eye(2), [
    [1, 0],
    [0, 1],
  ]);
  assert.equal(
    transpose([
      [1, 2, 3],
      [4, 5, 6],
    ]),
    [
      [1, 4],
      [2, 5],
      [3, 6],
    ],
  );
  assert.equal(
    mul(
      [
        [1, 2],
        [3, 4],
      ],
      [
        [5, 6],
        [7, 8],
      ],
    ),
    [
      [19, 22],
      [43, 50],
    ],
  );
  assert.equal(
    mulVec(
      [
        [1, 2],
        [3, 4],
      ],
      [1, -1],
    ),
    [-1, -1],
  );
  assert.is(dot([1, 2, 3], Float64Array.of(4, 5, 6)), 32);
  assert.equal(
    symmetrize([
      [1, 2],
      [4, 3],
    ]),
    [
      [1, 3],
      [3, 3],
    ],
  );
});

test("inv: A·A⁻¹ = I (partial pivoting handles a zero leading pivot); singular throws", () => {
  matClose(mul(A, inv(A)), eye(3), "A A⁻¹");
  const P: Mat = [
    [0, 1],
    [1, 0],
  ];
  matClose(inv(P), P, "permutation");
  assert.throws(
    () =>
      inv([
        [1, 2],
        [2, 4],
      ]),
    /singular/,
  );
  const x = solve(A, [1, 2, 3]);
  mulVec(A, x).forEach((v, i) => assert.ok(Math.abs(v - [1, 2, 3][i]!) < TOL));
  assert.ok(Math.abs(quadInv(A, [1, 2, 3]) - dot([1, 2, 3], x)) < TOL);
});

test("eigSym (ascending), sqrtSym (S² = A), cholLower (LL' = A; not PD throws)", () => {
  const { values, vectors } = eigSym(A);
  assert.ok(values[0]! <= values[1]! && values[1]! <= values[2]!);
  for (let m = 0; m < 3; m++) {
    const v = vectors.map((r) => r[m]!);
    mulVec(A, v).forEach((av, i) => assert.ok(Math.abs(av - values[m]! * v[i]!) < 1e-10, "Av = λv"));
  }
  const S = sqrtSym(A);
  matClose(mul(S, S), A, "S²");
  const L = cholLower(A);
  matClose(mul(L, transpose(L)), A, "LL'");
  assert.ok(at(L, 0, 1) === 0 && at(L, 0, 2) === 0 && at(L, 1, 2) === 0, "lower triangular");
  assert.throws(
    () =>
      cholLower([
        [1, 2],
        [2, 1],
      ]),
    /not positive definite/,
  );
});

test("cross / crossVec (also through the frozen-column cache) and residualize (residual ⟂ X)", () => {
  const x1 = Float64Array.of(1, 2, 3, 4),
    x2 = Float64Array.of(1, 0, 1, 0),
    y = Float64Array.of(2, 1, 4, 3);
  assert.equal(cross([x1, x2]), [
    [30, 4],
    [4, 2],
  ]);
  assert.equal(cross([x1], [x2]), [[4]]);
  assert.equal(crossVec([x1, x2], y), [28, 6]);
  const f1 = Float64Array.from(x1),
    f2 = Float64Array.from(x2),
    fy = Float64Array.from(y);
  freezeColumns([f1, f2, fy]);
  assert.equal(cross([f1, f2]), [
    [30, 4],
    [4, 2],
  ]);
  assert.equal(cross([f1], [f2]), [[4]]);
  assert.equal(crossVec([f1, f2], fy), [28, 6]);
  const { resid, coef } = residualize([y], [x1, x2]);
  for (const x of [x1, x2]) assert.ok(Math.abs(dot(resid[0]!, x)) < TOL);
  const fit = Float64Array.from(y, (v, i) => v - resid[0]![i]!);
  fit.forEach((v, i) => assert.ok(Math.abs(v - (at(coef, 0, 0) * x1[i]! + at(coef, 1, 0) * x2[i]!)) < TOL));
  assert.equal(Array.from(residualize([y], []).resid[0]!), Array.from(y));
});

test.run();
