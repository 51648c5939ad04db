import { test } from "uvu";
import * as assert from "uvu/assert";
import { factorize, interact } from "../../lib/core/fixed-effects/factorize";
import {
  computeVcov,
  meatCluster,
  meatClusterXe,
  meatHetero,
  meatMultiway,
  psdFix,
  jacobiEigen,
  sandwich,
  scoresMatrix,
  type VcovInput,
} from "../../lib/vcov";

// Closed-form checks of lib/vcov/sandwich on a tiny data set small enough to do by hand
// (n = 6, an intercept and one regressor). Tolerance: absolute 1e-12 on quantities of order
// 1–100 — both sides are a handful of floating-point operations on exact small inputs.
const TOL = 1e-12;
const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= TOL * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
const nearAll = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
  assert.is(a.length, b.length);
  for (let i = 0; i < a.length; i++) near(a[i]!, b[i]!, `${what}[${i}]`);
};

// y = 1 + 2x + e with a fixed residual pattern; OLS fitted exactly below
const x = Float64Array.of(0, 1, 2, 3, 4, 5);
const y = Float64Array.of(1.5, 2.5, 5.5, 7, 8.5, 11.5);
const one = new Float64Array(6).fill(1);
const n = 6;
// OLS by the 2×2 normal equations
const Sx = 15,
  Sxx = 55,
  Sy = y.reduce((s, v) => s + v, 0),
  Sxy = y.reduce((s, v, i) => s + v * x[i]!, 0);
const det = n * Sxx - Sx * Sx; // 105
const bread = Float64Array.of(Sxx / det, -Sx / det, -Sx / det, n / det); // (X'X)^{-1}
const b1 = (n * Sxy - Sx * Sy) / det,
  b0 = (Sy - b1 * Sx) / n;
const e = Float64Array.from(y, (v, i) => v - b0 - b1 * x[i]!);
const rss = e.reduce((s, v) => s + v * v, 0);
const X = [one, x];
const clA = factorize(Int32Array.of(1, 1, 2, 2, 3, 3)); // 3 clusters
const clB = factorize(Int32Array.of(1, 2, 1, 2, 1, 2)); // 2 clusters (crossed with A)

const base = (spec: VcovInput["spec"], clusters: VcovInput["clusters"] = [], names: string[] = []): VcovInput => ({
  X,
  e,
  bread,
  rss,
  n,
  kCoef: 2,
  fixef: [],
  fixefNames: [],
  clusters,
  clusterNames: names,
  spec,
  preset: "fixest",
});

/** B M B for 2×2 row-major matrices, written out. */
const bmb = (M: ArrayLike<number>) => {
  const B = bread;
  const T = [B[0]! * M[0]! + B[1]! * M[2]!, B[0]! * M[1]! + B[1]! * M[3]!, B[2]! * M[0]! + B[3]! * M[2]!, B[2]! * M[1]! + B[3]! * M[3]!];
  return [T[0]! * B[0]! + T[1]! * B[2]!, T[0]! * B[1]! + T[1]! * B[3]!, T[2]! * B[0]! + T[3]! * B[2]!, T[2]! * B[1]! + T[3]! * B[3]!];
};

test("residuals are orthogonal to X (sanity of the hand OLS)", () => {
  near(
    e.reduce((s, v) => s + v, 0),
    0,
    "Σe",
  );
  near(
    e.reduce((s, v, i) => s + v * x[i]!, 0),
    0,
    "Σxe",
  );
});

test("iid: V = σ̂²(X'X)⁻¹ with σ̂² = RSS/(n − K)", () => {
  const r = computeVcov(base("iid"));
  const s2 = rss / (n - 2);
  nearAll(
    r.V,
    Array.from(bread, (v) => v * s2),
    "V",
  );
  assert.is(r.dof.K, 2);
  assert.is(r.dof.tDf, n - 2);
});

test("HC1: V = n/(n − K) · B (Σ x_i x_i' e_i²) B (White 1980 with the HC1 factor)", () => {
  let m00 = 0,
    m01 = 0,
    m11 = 0;
  for (let i = 0; i < n; i++) {
    const e2 = e[i]! ** 2;
    m00 += e2;
    m01 += x[i]! * e2;
    m11 += x[i]! * x[i]! * e2;
  }
  const M = [m00, m01, m01, m11];
  nearAll(meatHetero(scoresMatrix(X, e)), M, "meat");
  const r = computeVcov(base("hetero"));
  nearAll(
    r.V,
    bmb(M).map((v) => (v * n) / (n - 2)),
    "V",
  );
  near(r.dof.ssAdj * r.dof.clusterAdj, n / (n - 2), "factor");
});

test("one-way cluster: V = (n − 1)/(n − K) · G/(G − 1) · B (Σ_g s_g s_g') B, s_g = Σ_{i∈g} x_i e_i", () => {
  const G = 3;
  const sg = [0, 1, 2].map((g) => [e[2 * g]! + e[2 * g + 1]!, x[2 * g]! * e[2 * g]! + x[2 * g + 1]! * e[2 * g + 1]!]);
  const M = [0, 0, 0, 0];
  for (const [a, b] of sg) {
    M[0] += a! * a!;
    M[1] += a! * b!;
    M[2] += a! * b!;
    M[3] += b! * b!;
  }
  nearAll(meatCluster(scoresMatrix(X, e), clA), M, "meatCluster");
  nearAll(meatClusterXe(X, e, clA), M, "meatClusterXe");
  const r = computeVcov(base({ cluster: ["a"] }, [clA], ["a"]));
  nearAll(
    r.V,
    bmb(M).map((v) => v * ((n - 1) / (n - 2)) * (G / (G - 1))),
    "V",
  );
  assert.is(r.dof.tDf, G - 1);
  assert.equal(r.dof.G, { a: 3 });
});

test("two-way cluster (Cameron, Gelbach & Miller 2011): meat = M_a + M_b − M_ab; V uses G_min = min(G_a, G_b)", () => {
  const S = scoresMatrix(X, e);
  const Ma = meatCluster(S, clA),
    Mb = meatCluster(S, clB),
    Mab = meatCluster(S, interact(clA, clB));
  const M = Array.from(Ma, (v, i) => v + Mb[i]! - Mab[i]!);
  nearAll(
    meatMultiway(S, [clA, clB], (fs) => fs.reduce((p, q) => interact(p, q))),
    M,
    "meatMultiway",
  );
  const r = computeVcov(base({ cluster: ["a", "b"] }, [clA, clB], ["a", "b"]));
  const Gmin = 2;
  const expect = bmb(M).map((v) => v * ((n - 1) / (n - 2)) * (Gmin / (Gmin - 1)));
  assert.not.ok(r.psdFixed, "no negative variance in this design");
  nearAll(r.V, expect, "V");
  assert.is(r.dof.tDf, Gmin - 1);
});

test("three-way inclusion–exclusion: + singles − pairs + triple", () => {
  const clC = factorize(Int32Array.of(1, 1, 1, 2, 2, 2));
  const S = scoresMatrix(X, e);
  const I = (fs: readonly ReturnType<typeof factorize>[]) => fs.reduce((p, q) => interact(p, q));
  const M3 = meatMultiway(S, [clA, clB, clC], I);
  const parts = [[clA], [clB], [clC], [clA, clB], [clA, clC], [clB, clC], [clA, clB, clC]].map((fs) => meatCluster(S, I(fs)));
  const sign = [1, 1, 1, -1, -1, -1, 1];
  const M = [0, 1, 2, 3].map((t) => parts.reduce((s, p, j) => s + sign[j]! * p[t]!, 0));
  nearAll(M3, M, "M3");
});

test("weighted HC1: with X̃ = √w·X and ẽ = √w·e, V = n/(n − K) · B (Σ w_i² e_i² x_i x_i') B, B = (X'WX)⁻¹", () => {
  const w = Float64Array.of(1, 2, 0.5, 1.5, 1, 3);
  const sw = Float64Array.from(w, Math.sqrt);
  // weighted OLS by the 2×2 normal equations
  let S0 = 0,
    S1 = 0,
    S2 = 0,
    T0 = 0,
    T1 = 0;
  for (let i = 0; i < n; i++) {
    S0 += w[i]!;
    S1 += w[i]! * x[i]!;
    S2 += w[i]! * x[i]! ** 2;
    T0 += w[i]! * y[i]!;
    T1 += w[i]! * x[i]! * y[i]!;
  }
  const D = S0 * S2 - S1 * S1;
  const B = Float64Array.of(S2 / D, -S1 / D, -S1 / D, S0 / D);
  const c1 = (S0 * T1 - S1 * T0) / D,
    c0 = (T0 - c1 * S1) / S0;
  const ew = Float64Array.from(y, (v, i) => v - c0 - c1 * x[i]!);
  let m00 = 0,
    m01 = 0,
    m11 = 0;
  for (let i = 0; i < n; i++) {
    const q = (w[i]! * ew[i]!) ** 2;
    m00 += q;
    m01 += x[i]! * q;
    m11 += x[i]! * x[i]! * q;
  }
  const BMB = sandwich(B, Float64Array.of(m00, m01, m01, m11), 2);
  const Xs = [sw.slice(), Float64Array.from(x, (v, i) => v * sw[i]!)];
  const es = Float64Array.from(ew, (v, i) => v * sw[i]!);
  const r = computeVcov({
    X: Xs,
    e: es,
    bread: B,
    rss: es.reduce((s, v) => s + v * v, 0),
    n,
    kCoef: 2,
    fixef: [],
    fixefNames: [],
    clusters: [],
    clusterNames: [],
    spec: "hetero",
    preset: "fixest",
  });
  nearAll(
    r.V,
    Array.from(BMB, (v) => (v * n) / (n - 2)),
    "V",
  );
});

test("sandwich(B, M) = B·M·B for a non-symmetric check matrix", () => {
  const B = Float64Array.of(1, 2, 3, 4),
    M = Float64Array.of(5, 6, 7, 8);
  // B·M = [19 22; 43 50]; ·B = [19+66, 38+88; 43+150, 86+200]
  nearAll(sandwich(B, M, 2), [85, 126, 193, 286], "BMB");
});

test("jacobiEigen: eigenpairs of a known symmetric matrix; psdFix zeroes negative eigenvalues (only when a variance is negative, as fixest)", () => {
  // [[2,1],[1,2]] has eigenvalues 1 and 3
  const { values, vectors } = jacobiEigen(Float64Array.of(2, 1, 1, 2), 2);
  const vs = Array.from(values).sort((a, b) => a - b);
  near(vs[0]!, 1, "λ1");
  near(vs[1]!, 3, "λ2");
  for (let m = 0; m < 2; m++) {
    const v0 = vectors[m]!,
      v1 = vectors[2 + m]!;
    near(2 * v0 + v1, values[m]! * v0, "Av=λv (0)");
    near(v0 + 2 * v1, values[m]! * v1, "Av=λv (1)");
  }
  // [[-1, 0],[0, 4]]: the fix keeps λ = 4 and sets −1 to 0
  const f = psdFix(Float64Array.of(-1, 0, 0, 4), 2);
  assert.ok(f.fixed);
  nearAll(f.V, [0, 0, 0, 4], "fixed");
  // indefinite with positive diagonal: [[1, 2],[2, 1]] (λ = −1, 3) is left alone — the trigger is a negative diagonal
  const g = psdFix(Float64Array.of(1, 2, 2, 1), 2);
  assert.not.ok(g.fixed);
});

test("one-pass cluster meats (row-wise sums, two clusters per step of the outer product) equal the column-at-a-time reference bit for bit", () => {
  // the reference: the order of the sums before the one-pass forms (each column's cluster sums
  // in observation order, then Σ_g one cluster at a time)
  const reference = (S: Float64Array[], codes: Int32Array, G: number): Float64Array => {
    const k = S.length,
      sums = new Float64Array(G * k),
      M = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let i = 0; i < S[a]!.length; i++) sums[codes[i]! * k + a] += S[a]![i]!;
    for (let g = 0; g < G; g++) for (let a = 0; a < k; a++) for (let b = a; b < k; b++) M[a * k + b] += sums[g * k + a]! * sums[g * k + b]!;
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) M[a * k + b] = M[b * k + a]!;
    return M;
  };
  let seed = 7;
  const u = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const [n, G, k] of [
    [1000, 37, 3],
    [1000, 38, 4],
    [999, 1, 2],
    [500, 499, 5],
  ] as const) {
    const cl = factorize(Int32Array.from({ length: n }, () => Math.floor(u() * G)));
    const X = Array.from({ length: k }, () => Float64Array.from({ length: n }, () => u() * 4 - 2));
    const e = Float64Array.from({ length: n }, () => u() - 0.5);
    const S = scoresMatrix(X, e);
    const want = reference(S, cl.codes, cl.size);
    for (const [what, got] of [
      ["meatCluster", meatCluster(S, cl)],
      ["meatClusterXe", meatClusterXe(X, e, cl)],
    ] as const)
      assert.ok(
        got.every((v, i) => Object.is(v, want[i])),
        `${what}, n = ${n}, G = ${cl.size}, k = ${k}`,
      );
  }
});

test.run();
