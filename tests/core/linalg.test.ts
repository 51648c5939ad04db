import { test } from "uvu";
import * as assert from "uvu/assert";
import * as path from "node:path";
import * as fs from "node:fs";
import { qrLeastSquares, choleskyLeastSquares } from "../../lib/core/linalg/qr";
import { crossprod, crossprod2 } from "../../lib/core/linalg/gram";
import { feols } from "../../lib/estimators/feols";
import { readTable } from "../../lib/data/io";
import { numeric } from "../../lib/data/table";
import { rng } from "../../lib/util/rng";

// NIST StRD Longley certified coefficients (Longley 1967; condition number ~1e8 with the
// intercept), rescaled to R's datasets::longley units (employed and GNP in thousands of the
// NIST units, unemployed and armed forces in tenths). Tolerance: relative 1e-9 on every
// coefficient — R's lm (LINPACK QR) reaches ~1e-13 here; we require at least 9 correct digits
// from both solvers and, separately, no more than 100× lm's own error for Householder QR.
const CERT: Record<string, number> = {
  "(Intercept)": -3482258.63459582 / 1000,
  deflator: 15.0618722713733 / 1000,
  gnp: -0.035819179292591,
  unemployed: -2.02022980381683 / 100,
  armed: -1.03322686717359 / 100,
  population: -0.0511041056535807,
  year: 1829.15146461355 / 1000,
};
const FIX = path.resolve(__dirname, "../fixtures/longley");

test("Longley: both least-squares solvers reach the NIST certified values", async () => {
  const d = await readTable(path.join(FIX, "longley.csv"));
  const names = ["deflator", "gnp", "unemployed", "armed", "population", "year"];
  const X = [new Float64Array(d.nrows).fill(1), ...names.map((n) => numeric(d, n))];
  const y = numeric(d, "employed");
  const lm = JSON.parse(fs.readFileSync(path.join(FIX, "lm_longley.json"), "utf8")).lm_coef as Record<string, number>;
  for (const solver of ["qr", "cholesky"] as const) {
    const fit = qrLeastSquares(X, y, { solver });
    assert.equal(fit.kept, [0, 1, 2, 3, 4, 5, 6], solver);
    ["(Intercept)", ...names].forEach((nm, j) => {
      const c = CERT[nm] as number;
      const err = Math.abs((fit.beta[j] as number) - c) / Math.abs(c);
      assert.ok(err < 1e-9, `${solver} ${nm}: rel. error ${err}`);
      if (solver === "qr")
        assert.ok(
          err <= Math.max((100 * Math.abs((lm[nm] as number) - c)) / Math.abs(c), 1e-12),
          `${nm}: QR error ${err} vs lm ${Math.abs((lm[nm] as number) - c) / Math.abs(c)}`,
        );
    });
  }
});

test("Cholesky and Householder agree on a random design, and both drop the later of two collinear columns", () => {
  const r = rng(21);
  const n = 5000;
  const x1 = Float64Array.from({ length: n }, () => r.normal());
  const x2 = Float64Array.from({ length: n }, () => r.normal());
  const x3 = x1.map((v, i) => 2 * v - (x2[i] as number)); // exactly collinear with x1, x2
  const y = x1.map((v, i) => 1 + v - 0.5 * (x2[i] as number) + r.normal());
  const one = new Float64Array(n).fill(1);
  const a = qrLeastSquares([one, x1, x2, x3], y, { solver: "qr" });
  const b = choleskyLeastSquares([one, x1, x2, x3], y);
  assert.equal(a.kept, [0, 1, 2]);
  assert.equal(b.kept, [0, 1, 2]);
  assert.equal(b.dropped, [3]);
  for (let j = 0; j < 3; j++) assert.ok(Math.abs((a.beta[j] as number) - (b.beta[j] as number)) < 1e-12);
  for (let t = 0; t < 9; t++) assert.ok(Math.abs((a.xtxInv[t] as number) - (b.xtxInv[t] as number)) < 1e-14);
  assert.ok(Math.abs(a.rss - b.rss) / a.rss < 1e-12);
});

test("crossprod equals pairwise dot products", () => {
  const r = rng(22);
  const cols = [0, 1, 2].map(() => Float64Array.from({ length: 5001 }, () => r.normal()));
  const G = crossprod(cols);
  const C = crossprod2(cols, [cols[2] as Float64Array]);
  for (let a = 0; a < 3; a++)
    for (let b = 0; b < 3; b++) {
      let s = 0;
      for (let i = 0; i < 5001; i++) s += (cols[a] as Float64Array)[i]! * (cols[b] as Float64Array)[i]!;
      assert.ok(Math.abs((G[a * 3 + b] as number) - s) < 1e-9);
      if (b === 2) assert.ok(Math.abs((C[a] as number) - s) < 1e-9);
    }
});

test("feols on Longley with the default solver matches the certified values", async () => {
  const d = await readTable(path.join(FIX, "longley.csv"));
  const m = feols(d, "employed ~ deflator + gnp + unemployed + armed + population + year", { vcov: "iid" });
  for (const [nm, c] of Object.entries(CERT)) assert.ok(Math.abs((m.coef[nm] as number) - c) / Math.abs(c) < 1e-9, nm);
});

test("crossprod in 2 × 2 pairs of columns equals the one-product-at-a-time blocked sums bit for bit (k = 1..7, n not a multiple of the block)", () => {
  // the reference: crossprod's summation order before the 2 × 2 pairing (blocks of 2,048 rows,
  // two accumulators per product, block sums added in order)
  const reference = (cols: Float64Array[]): Float64Array => {
    const k = cols.length,
      n = cols[0]!.length,
      G = new Float64Array(k * k);
    for (let s = 0; s < n; s += 2048) {
      const e = Math.min(n, s + 2048);
      for (let a = 0; a < k; a++)
        for (let b = 0; b <= a; b++) {
          let acc0 = 0,
            acc1 = 0,
            i = s;
          for (; i + 1 < e; i += 2) {
            acc0 += cols[a]![i]! * cols[b]![i]!;
            acc1 += cols[a]![i + 1]! * cols[b]![i + 1]!;
          }
          if (i < e) acc0 += cols[a]![i]! * cols[b]![i]!;
          G[a * k + b] += acc0 + acc1;
        }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) G[b * k + a] = G[a * k + b]!;
    return G;
  };
  const g = rng(99);
  for (const n of [1, 2, 2047, 5001]) {
    const cols = Array.from({ length: 7 }, () => Float64Array.from({ length: n }, () => g.normal(0, 10)));
    for (let k = 1; k <= 7; k++) {
      const got = crossprod(cols.slice(0, k)),
        want = reference(cols.slice(0, k));
      assert.ok(
        got.every((v, i) => Object.is(v, want[i])),
        `n = ${n}, k = ${k}`,
      );
    }
  }
});

test.run();
