import { test } from "uvu";
import * as assert from "uvu/assert";
import { Matrix, QrDecomposition, CholeskyDecomposition } from "ml-matrix";
import { numeric } from "../../lib/data/table";
import {
  rotembergLong,
  rotembergTop,
  rotembergWeights,
  rotembergSummary,
  rotembergTable,
  type RotembergRow,
} from "../../lib/measures/rotemberg";
import { sharedDataPath } from "../../lib/data/public";
import { readCsvSimple } from "../fixtures/eq/csv";
import { EstimationError, ArgumentError } from "../../lib/util/errors";

// Tolerances
// PRINTED: published numbers are compared to the printed digits: |ours − printed| ≤ half a unit
//   in the last printed place (e.g. 0.140 → 5e-4; 3 significant digits → 0.5e-(digits)).
// SUM_TOL: Σα = 1 and Σαβ = β_2SLS are algebraic identities; 780 terms of size ≤ 30 in double
//   precision, plus two QR solves with condition number ~1e4 → allow 1e-9 relative.
const SUM_TOL = 1e-9;
// DENSE_TOL: F / π from an independent dense OLS (Cholesky of the 17×17 normal matrix) vs the
//   FWL-residualised computation: relative 1e-7 (normal equations square the condition number).
const DENSE_TOL = 1e-7;

const pub = require(sharedDataPath("adh", "published.json"));
const master = readCsvSimple(sharedDataPath("adh", "master.csv"));
const shares = readCsvSimple(sharedDataPath("adh", "shares_nonzero_long.csv.gz"), ["ind"]);
const shocks = readCsvSimple(sharedDataPath("adh", "shocks.csv"), ["ind"]);
const controls: string[] = pub.spec.controls;
const adh = rotembergLong({ master, shares, shocks, y: pub.spec.y, x: pub.spec.x, controls, weight: "timepwt48" });
const adhCl = rotembergLong({ master, shares, shocks, y: pub.spec.y, x: pub.spec.x, controls, weight: "timepwt48", cluster: "czone" });

/** Half a unit in the last place of a printed number with `d` decimals. */
const half = (d: number) => 0.5 * 10 ** -d;
/** Decimals shown when printed with 3 significant digits (R tibble style). */
const sigDecimals = (v: number) => (v === 0 ? 0 : Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v)))));

test("ADH: 780 instruments, nothing unmatched; table export", () => {
  assert.is(adh.rows.length, 780);
  const t = rotembergTable(adh.rows);
  assert.is(t.nrows, 780);
  assert.equal(t.names, ["year", "ind", "g", "alpha", "beta", "pi", "gamma", "F"]);
  assert.is(numeric(t, "alpha")[0], adh.rows[0]?.alpha);
  assert.is(adh.report.unmatchedIndustries.length, 0);
  assert.is(adh.report.sharesWithoutMaster, 0);
});

test("ADH: published top-5 Rotemberg weights (2000) to the printed 3 decimals", () => {
  const top = rotembergTop(adh.rows, 5);
  const p = pub.top5_rotemberg_2000 as { year: number; ind: string; g: number; alpha: number; beta: number }[];
  assert.equal(
    top.map((r) => `${r.year}/${r.ind}`),
    p.map((r) => `${r.year}/${r.ind}`),
  );
  top.forEach((r, i) => {
    const q = p[i] as (typeof p)[number];
    assert.ok(Math.abs(r.g - q.g) <= half(3), `g ${r.ind}: ${r.g} vs ${q.g}`);
    assert.ok(Math.abs(r.alpha - q.alpha) <= half(3), `alpha ${r.ind}: ${r.alpha} vs ${q.alpha}`);
    assert.ok(Math.abs(r.beta - q.beta) <= half(3), `beta ${r.ind}: ${r.beta} vs ${q.beta}`);
  });
});

test("ADH: published first 10 rows (3 significant digits)", () => {
  const p = pub.first10_rows_3_significant_digits as { year: number; ind: string; g: number; alpha: number; beta: number }[];
  p.forEach((q, i) => {
    const r = adh.rows[i] as RotembergRow;
    assert.is(`${r.year}/${r.ind}`, `${q.year}/${q.ind}`);
    for (const k of ["g", "alpha", "beta"] as const) {
      const tol = q[k] === 0 ? 0 : half(sigDecimals(q[k]));
      assert.ok(Math.abs(r[k] - q[k]) <= tol, `${k} ${r.ind}: ${r[k]} vs printed ${q[k]} (tol ${tol})`);
    }
  });
});

test("ADH: Σα = 1, α = 0 where g = 0", () => {
  const s = adh.rows.reduce((a, r) => a + r.alpha, 0);
  assert.ok(Math.abs(s - 1) <= SUM_TOL, `Σα = ${s}`);
  for (const r of adh.rows) if (r.g === 0) assert.is(r.alpha, 0);
});

/** Independent weighted 2SLS: y on [x, W, 1], instruments [B, W, 1], B = Σ_k g_k Z_k (dense). */
function dense2sls(): number {
  const n = master.nrows;
  const w = numeric(master, "timepwt48");
  const y = numeric(master, pub.spec.y);
  const x = numeric(master, pub.spec.x);
  const C = controls.map((c) => numeric(master, c));
  // B from the long data directly (not via rotembergLong)
  const gOf = new Map<string, number>();
  const sy = numeric(shocks, "year");
  const si = shocks.columns["ind"] as (string | null)[];
  const sg = numeric(shocks, "g");
  for (let k = 0; k < shocks.nrows; k++) gOf.set(`${sy[k]}/${si[k]}`, sg[k] as number);
  const rowOf = new Map<string, number>();
  const mc = numeric(master, "czone");
  const my = numeric(master, "year");
  for (let i = 0; i < n; i++) rowOf.set(`${mc[i]}/${my[i]}`, i);
  const B = new Float64Array(n);
  const hc = numeric(shares, "czone");
  const hy = numeric(shares, "year");
  const hi = shares.columns["ind"] as (string | null)[];
  const hs = numeric(shares, "share");
  for (let r = 0; r < shares.nrows; r++)
    B[rowOf.get(`${hc[r]}/${hy[r]}`) as number] += (hs[r] as number) * (gOf.get(`${hy[r]}/${hi[r]}`) as number);
  const p = C.length + 2;
  const X = new Matrix(n, p);
  const Zm = new Matrix(n, p);
  const Y = new Matrix(n, 1);
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt(w[i] as number);
    X.set(i, 0, s * (x[i] as number));
    Zm.set(i, 0, s * (B[i] as number));
    C.forEach((c, j) => (X.set(i, j + 1, s * (c[i] as number)), Zm.set(i, j + 1, s * (c[i] as number))));
    X.set(i, p - 1, s);
    Zm.set(i, p - 1, s);
    Y.set(i, 0, s * (y[i] as number));
  }
  const Xhat = Zm.mmul(new QrDecomposition(Zm).solve(X));
  return new QrDecomposition(Xhat).solve(Y).get(0, 0);
}

test("ADH: Σ α_k β_k equals an independently computed Bartik 2SLS", () => {
  const b2sls = dense2sls();
  const sab = adh.rows.reduce((a, r) => a + r.alpha * r.beta, 0);
  assert.ok(Math.abs(sab - b2sls) <= SUM_TOL * Math.abs(b2sls), `Σαβ ${sab} vs 2SLS ${b2sls}`);
  assert.ok(Math.abs(adh.result.betaBartik - b2sls) <= SUM_TOL * Math.abs(b2sls));
  assert.ok(Math.abs(adh.result.betaBartikDirect - b2sls) <= SUM_TOL * Math.abs(b2sls));
  const s = rotembergSummary(adh.rows);
  assert.ok(Math.abs(s.betaWeightedPositive + s.betaWeightedNegative - b2sls) <= SUM_TOL);
  assert.ok(Math.abs(s.sumPositive + s.sumNegative - 1) <= SUM_TOL);
});

/** Dense weighted OLS of x on [z, controls, 1]: coefficient and homoskedastic / CR1 variance of z's slope. */
function denseFirstStage(k: number): { pi: number; Fhom: number; Fcl: number } {
  const n = master.nrows;
  const w = numeric(master, "timepwt48");
  const x = numeric(master, pub.spec.x);
  const C = controls.map((c) => numeric(master, c));
  const row = adh.rows[k] as RotembergRow;
  const z = new Float64Array(n);
  const mc = numeric(master, "czone");
  const my = numeric(master, "year");
  const hc = numeric(shares, "czone");
  const hy = numeric(shares, "year");
  const hi = shares.columns["ind"] as (string | null)[];
  const hs = numeric(shares, "share");
  const idx = new Map<string, number>();
  for (let i = 0; i < n; i++) idx.set(`${mc[i]}/${my[i]}`, i);
  for (let r = 0; r < shares.nrows; r++)
    if (hy[r] === row.year && hi[r] === row.ind) z[idx.get(`${hc[r]}/${hy[r]}`) as number] = hs[r] as number;
  const p = C.length + 2;
  const X = new Matrix(n, p);
  for (let i = 0; i < n; i++) {
    X.set(i, 0, z[i] as number);
    C.forEach((c, j) => X.set(i, j + 1, c[i] as number));
    X.set(i, p - 1, 1);
  }
  const XtWX = new Matrix(p, p);
  const XtWx = new Matrix(p, 1);
  for (let i = 0; i < n; i++)
    for (let a = 0; a < p; a++) {
      XtWx.set(a, 0, XtWx.get(a, 0) + (w[i] as number) * X.get(i, a) * (x[i] as number));
      for (let b = 0; b <= a; b++) XtWX.set(a, b, XtWX.get(a, b) + (w[i] as number) * X.get(i, a) * X.get(i, b));
    }
  for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) XtWX.set(a, b, XtWX.get(b, a)); // exact symmetry
  const ch = new CholeskyDecomposition(XtWX);
  const b = ch.solve(XtWx);
  const e = new Float64Array(n);
  let ssr = 0;
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let a = 0; a < p; a++) f += X.get(i, a) * b.get(a, 0);
    e[i] = (x[i] as number) - f;
    ssr += (w[i] as number) * (e[i] as number) ** 2;
  }
  const e1 = new Matrix(p, 1);
  e1.set(0, 0, 1);
  const inv00 = ch.solve(e1).get(0, 0); // (X'WX)^{-1}[0,0] via a solve, not an inverse
  const vHom = (ssr / (n - p)) * inv00;
  // CR1 sandwich, element [0,0]
  const score = new Map<number, Float64Array>();
  for (let i = 0; i < n; i++) {
    const g = mc[i] as number;
    let s = score.get(g);
    if (!s) score.set(g, (s = new Float64Array(p)));
    for (let a = 0; a < p; a++) s[a] += (w[i] as number) * X.get(i, a) * (e[i] as number);
  }
  const meat = new Matrix(p, p);
  for (const s of score.values())
    for (let a = 0; a < p; a++) for (let c = 0; c < p; c++) meat.set(a, c, meat.get(a, c) + (s[a] as number) * (s[c] as number));
  const col0 = ch.solve(e1); // first column of the bread
  const G = score.size;
  const vCl = (G / (G - 1)) * ((n - 1) / (n - p)) * col0.transpose().mmul(meat).mmul(col0).get(0, 0);
  const pi = b.get(0, 0);
  return { pi, Fhom: (pi * pi) / vHom, Fcl: (pi * pi) / vCl };
}

test("ADH: per-instrument first-stage π and F match a dense OLS (homoskedastic and clustered)", () => {
  for (const ind of ["3571", "3944", "2011"]) {
    const k = adh.rows.findIndex((r) => r.ind === ind && r.year === (ind === "2011" ? 1990 : 2000));
    const d = denseFirstStage(k);
    const r = adh.rows[k] as RotembergRow;
    const rc = adhCl.rows[k] as RotembergRow;
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    assert.ok(rel(r.pi, d.pi) <= DENSE_TOL, `pi ${ind}: ${r.pi} vs ${d.pi}`);
    assert.ok(rel(r.F, d.Fhom) <= DENSE_TOL, `F ${ind}: ${r.F} vs ${d.Fhom}`);
    assert.ok(rel(rc.F, d.Fcl) <= DENSE_TOL, `F(cl) ${ind}: ${rc.F} vs ${d.Fcl}`);
  }
});

test("rotembergWeights: tiny hand example without controls (intercept only)", () => {
  // n = 4, y = (1,2,3,6), x = (1,1,2,4), Z1 = (1,0,0,1), Z2 = (0,1,1,0), G = (1, 2), unit weights.
  // x̃ = x − 2 = (−1,−1,0,2); ỹ = y − 3 = (−2,−1,0,3)
  // Z1'x̃ = −1 + 2 = 1;  Z2'x̃ = −1 + 0 = −1;  Z1'ỹ = −2 + 3 = 1;  Z2'ỹ = −1 + 0 = −1
  // α = (1·1, 2·(−1)) / (1 − 2) = (−1, 2);  β = (1/1, −1/−1) = (1, 1);  Σαβ = 1
  const r = rotembergWeights({
    y: Float64Array.of(1, 2, 3, 6),
    x: Float64Array.of(1, 1, 2, 4),
    Z: [Float64Array.of(1, 0, 0, 1), Float64Array.of(0, 1, 1, 0)],
    G: Float64Array.of(1, 2),
  });
  assert.ok(Math.abs((r.alpha[0] as number) + 1) < 1e-12 && Math.abs((r.alpha[1] as number) - 2) < 1e-12);
  assert.ok(Math.abs((r.beta[0] as number) - 1) < 1e-12 && Math.abs((r.beta[1] as number) - 1) < 1e-12);
  assert.ok(Math.abs(r.betaBartik - 1) < 1e-12);
});

test("rotembergWeights: bad inputs", () => {
  const y = Float64Array.of(1, 2, 3);
  const x = Float64Array.of(1, 2, 4);
  assert.throws(
    () => rotembergWeights({ y, x, Z: [Float64Array.of(1, 0, 0)], G: Float64Array.of(1, 2) }),
    (e: unknown) => e instanceof ArgumentError,
  );
  assert.throws(
    () => rotembergWeights({ y: Float64Array.of(1, NaN, 3), x, Z: [Float64Array.of(1, 0, 0)], G: Float64Array.of(1) }),
    /row 2/,
  );
  // NA share in an instrument column is an error (not silently 0)
  assert.throws(() => rotembergWeights({ y, x, Z: [Float64Array.of(1, NaN, 0)], G: Float64Array.of(1) }), /row 2: NA or non-finite share/);
  // collinear controls
  assert.throws(
    () => rotembergWeights({ y, x, Z: [Float64Array.of(1, 0, 0)], G: Float64Array.of(1), controls: [Float64Array.of(1, 1, 1)] }),
    (e: unknown) => e instanceof EstimationError,
  );
});

test.run();
