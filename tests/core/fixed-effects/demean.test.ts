import { test } from "uvu";
import * as assert from "uvu/assert";
import { factorize } from "../../../lib/core/fixed-effects/factorize";
import { demean, directLevelLimit, directProjector, fixefCoefficients, semidefiniteCholesky } from "../../../lib/core/fixed-effects/demean";
import { rng } from "../../../lib/util/rng";

// demean (Gaure 2013 alternating projections with Irons–Tuck acceleration as in fixest, Bergé 2018;
// and the direct Schur-complement solve) against closed forms.
// Tolerances: the direct method and one-way MAP are exact linear algebra → absolute 1e-10 on
// data of order 1–10; MAP with ≥ 2 FE stops at tol = 1e-13 (relative to max|x|) → 1e-9.
const EXACT = 1e-10,
  ITER = 1e-9;
const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
};

const r = rng(20240607);
const groupMeans = (x: Float64Array, codes: Int32Array, G: number, w?: Float64Array) => {
  const s = new Float64Array(G),
    c = new Float64Array(G);
  for (let i = 0; i < x.length; i++) {
    const wi = w ? w[i]! : 1;
    s[codes[i]!] += wi * x[i]!;
    c[codes[i]!] += wi;
  }
  return Float64Array.from(codes, (g) => s[g]! / c[g]!);
};

test("one-way: demeaned x = x − x̄_g exactly (direct and MAP), unweighted and weighted", () => {
  const n = 200;
  const g = factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * 17)));
  const x = Float64Array.from({ length: n }, () => r.normal(3, 2));
  const w = Float64Array.from({ length: n }, () => 0.5 + r.uniform());
  const want = Float64Array.from(x, (v, i) => v - groupMeans(x, g.codes, g.size)[i]!);
  for (const method of ["direct", "map"] as const) {
    const d = demean([x], { factors: [g] }, { method });
    assert.ok(maxAbsDiff(d.columns[0]!, want) < EXACT, method);
    assert.ok(d.converged);
    const wantW = Float64Array.from(x, (v, i) => v - groupMeans(x, g.codes, g.size, w)[i]!);
    const dw = demean([x], { factors: [g], weights: w }, { method });
    assert.ok(maxAbsDiff(dw.columns[0]!, wantW) < EXACT, `${method} weighted`);
  }
});

test("two-way on a balanced panel: x − x̄_i − x̄_t + x̄ (closed form), both methods", () => {
  const N = 12,
    T = 7;
  const ids = Int32Array.from({ length: N * T }, (_, k) => Math.floor(k / T));
  const ts = Int32Array.from({ length: N * T }, (_, k) => k % T);
  const x = Float64Array.from({ length: N * T }, () => r.normal(0, 3));
  const fi = factorize(ids),
    ft = factorize(ts);
  const xi = groupMeans(x, fi.codes, N),
    xt = groupMeans(x, ft.codes, T);
  const xbar = x.reduce((s, v) => s + v, 0) / x.length;
  const want = Float64Array.from(x, (v, k) => v - xi[k]! - xt[k]! + xbar);
  const dd = demean([x], { factors: [fi, ft] }, { method: "direct" });
  assert.is(dd.method, "direct");
  assert.ok(maxAbsDiff(dd.columns[0]!, want) < EXACT, "direct");
  const dm = demean([x], { factors: [fi, ft] }, { method: "map", tol: 1e-13 });
  assert.is(dm.method, "map");
  assert.ok(dm.converged);
  assert.ok(maxAbsDiff(dm.columns[0]!, want) < ITER, "map");
});

test("unbalanced three-way: direct and MAP agree, residual is orthogonal to every dummy (normal equations)", () => {
  const n = 600;
  const f = [23, 9, 5].map((G) => factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * G))));
  const w = Float64Array.from({ length: n }, () => 0.2 + r.uniform());
  const x = Float64Array.from({ length: n }, () => r.normal(1, 1));
  const d = demean([x], { factors: f, weights: w }, { method: "direct" }).columns[0]!;
  const m = demean([x], { factors: f, weights: w }, { method: "map", tol: 1e-13 }).columns[0]!;
  assert.ok(maxAbsDiff(d, m) < ITER);
  for (const fq of f) {
    const s = new Float64Array(fq.size);
    for (let i = 0; i < n; i++) s[fq.codes[i]!] += w[i]! * d[i]!;
    assert.ok(Math.max(...Array.from(s, Math.abs)) < EXACT, "D'W r = 0");
  }
});

test("convergence flag: a MAP cap of 1 sweep on a two-way design reports converged = false (never silent)", () => {
  const n = 300;
  const a = factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * 30)));
  const b = factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * 30)));
  const x = Float64Array.from({ length: n }, () => r.normal());
  const d = demean([x], { factors: [a, b] }, { method: "map", maxIter: 1 });
  assert.is(d.converged, false);
  assert.is(d.iterations[0], 1);
  assert.throws(() => demean([x], { factors: [a, b] }, { method: "direct", directMaxLevels: 3 }), /direct demeaning needs at most 3/);
  const none = demean([x], { factors: [] });
  assert.is(none.method, "none");
  assert.is(none.columns[0], x);
});

test("fixefCoefficients recover the fixed effects of x = α_i + γ_t exactly (fitted values unique, α up to normalisation)", () => {
  const N = 9,
    T = 6;
  const alpha = Array.from({ length: N }, () => r.normal(0, 2));
  const gamma = Array.from({ length: T }, () => r.normal(0, 1));
  const ids = Int32Array.from({ length: N * T }, (_, k) => Math.floor(k / T));
  const ts = Int32Array.from({ length: N * T }, (_, k) => k % T);
  const x = Float64Array.from({ length: N * T }, (_, k) => alpha[ids[k]!]! + gamma[ts[k]!]!);
  const fi = factorize(ids),
    ft = factorize(ts);
  for (const method of ["direct", "map"] as const) {
    const fx = fixefCoefficients(x, { factors: [fi, ft] }, { method, tol: 1e-14 });
    assert.ok(fx.converged);
    const fit = Float64Array.from(x, (_, k) => fx.alpha[0]![fi.codes[k]!]! + fx.alpha[1]![ft.codes[k]!]!);
    assert.ok(maxAbsDiff(fit, x) < ITER, `${method}: fitted = x`);
    // differences within a FE are identified: α_i − α_0 and γ_t − γ_0
    for (let i = 1; i < N; i++) assert.ok(Math.abs(fx.alpha[0]![i]! - fx.alpha[0]![0]! - (alpha[i]! - alpha[0]!)) < ITER, `${method} α`);
    for (let t = 1; t < T; t++) assert.ok(Math.abs(fx.alpha[1]![t]! - fx.alpha[1]![0]! - (gamma[t]! - gamma[0]!)) < ITER, `${method} γ`);
  }
  // the residual of pure fixed effects is zero
  assert.ok(maxAbsDiff(demean([x], { factors: [fi, ft] }).columns[0]!, new Float64Array(x.length)) < ITER);
});

test("directProjector: groupSums + solve reproduce demean's direct residual", () => {
  const n = 150;
  const f = [
    factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * 15))),
    factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * 4))),
  ];
  const x = Float64Array.from({ length: n }, () => r.normal());
  const fe = { factors: f };
  const p = directProjector(fe)!;
  assert.ok(p);
  const sBig = new Float64Array(p.nBigLevels),
    rhs = new Float64Array(p.r),
    aBig = new Float64Array(p.nBigLevels);
  p.groupSums(x, sBig, rhs);
  p.solve(sBig, rhs, aBig);
  const res = Float64Array.from(x, (v, i) => v - aBig[p.big[i]!]! - p.others.reduce((s, o) => s + rhs[o[i]!]!, 0));
  assert.ok(maxAbsDiff(res, demean([x], fe, { method: "direct" }).columns[0]!) < EXACT);
  assert.is(directProjector({ factors: [] }), null);
});

test("semidefiniteCholesky: L L' = S on a full-rank and a rank-deficient matrix; exact redundancies flagged", () => {
  for (const [m, rank] of [
    [1, 1],
    [2, 1],
    [7, 7],
    [9, 6],
    [30, 30],
    [31, 27],
  ] as const) {
    // S = A A' with an integer A (m × rank): rank-deficient when rank < m, with exact redundancies
    const A = Float64Array.from({ length: m * rank }, () => Math.floor(r.uniform() * 9) - 4);
    for (let k = 0; k < rank; k++) A[k * rank + k] = 10; // the first `rank` rows independent
    const S = new Float64Array(m * m);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < m; j++) {
        let s = 0;
        for (let k = 0; k < rank; k++) s += A[i * rank + k]! * A[j * rank + k]!;
        S[i * m + j] = s;
      }
    const L = Float64Array.from(S);
    const { dependent, skipped } = semidefiniteCholesky(L, m, 1e-9);
    assert.is(skipped, m - rank, `m=${m} rank=${rank}`);
    for (let j = 0; j < rank; j++) assert.is(dependent[j], 0);
    // reconstruct the lower triangle of S from the kept columns
    let err = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += L[i * m + k]! * L[j * m + k]!;
        err = Math.max(err, Math.abs(s - S[i * m + j]!) / Math.max(1, Math.abs(S[i * m + j]!)));
      }
    assert.ok(err < 1e-10, `m=${m}: ‖LL' − S‖ = ${err}`);
  }
});

test("directLevelLimit: 1,000 on small data, more on large data, never above 4,000", () => {
  assert.is(directLevelLimit(1_000, 2, 3), 1_000);
  const big = directLevelLimit(616_591, 3, 12);
  assert.ok(big > 2_000 && big < 2_500, String(big));
  assert.is(directLevelLimit(1e9, 3, 50), 4_000);
});

test("a reduced system above 1,000 levels on large data is solved directly, and agrees with MAP", () => {
  const n = 60_000;
  const firm = factorize(Int32Array.from({ length: n }, (_, i) => (i < 40_000 ? i >> 1 : Math.floor(r.uniform() * 20_000))));
  const prod = factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * 1_100)));
  const year = factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * 5)));
  const x = Float64Array.from({ length: n }, (_, i) => r.normal() + 0.01 * prod.codes[i]!);
  const cols = Array.from({ length: 40 }, () => x);
  const d = demean(cols, { factors: [firm, prod, year] });
  assert.is(d.method, "direct");
  const m = demean([x], { factors: [firm, prod, year] }, { method: "map", tol: 1e-13 });
  assert.ok(maxAbsDiff(d.columns[0]!, m.columns[0]!) < ITER);
});

test("several columns at once (blocks of four: interleaved sums, one reduced solve for four, 2 × 2 dense Schur update) give each column's one-column residual bit for bit, and agree with MAP", () => {
  // three unweighted FE with a dense cross table (the dense Schur path), odd and even reduced
  // systems (r = 7 + 4 = 11, 7 + 5 = 12), 1 to 7 columns (partial blocks)
  for (const sizes of [
    [40, 7, 4],
    [40, 7, 5],
    [40, 6, 5],
  ]) {
    const n = 3000;
    const f = sizes.map((G) => factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * G))));
    const xs = Array.from({ length: 7 }, () => Float64Array.from({ length: n }, () => r.normal(0, 3)));
    for (const m of [2, 3, 4, 5, 7]) {
      const design = { factors: f };
      const many = demean(xs.slice(0, m), design, { method: "direct" }).columns;
      for (let c = 0; c < m; c++) {
        const one = demean([xs[c]!], design, { method: "direct" }).columns[0]!;
        assert.ok(
          many[c]!.every((v, i) => Object.is(v, one[i])),
          `sizes ${sizes}, ${m} columns, column ${c}: the block route differs from the one-column route`,
        );
        const map = demean([xs[c]!], design, { method: "map", tol: 1e-13 }).columns[0]!;
        assert.ok(maxAbsDiff(many[c]!, map) < ITER, `sizes ${sizes}: direct vs MAP`);
      }
    }
  }
});

test.run();
