import { test } from "uvu";
import * as assert from "uvu/assert";
import { qualityByPhiChart } from "../../lib/papers/eq/theory-figures";
import {
  CES_DEFAULTS,
  bruteForceOptimum,
  optimalQuality,
  optimalQualityPrinted,
  optimalPrice,
  qualityDerivatives,
  qualityFiniteDifference,
  comparativeStaticsGrid,
  cesVerificationTable,
  profit,
} from "../../lib/theory/ces";
import { numeric } from "../../lib/data/table";

// Tolerances
// BRUTE: 30 zooms of a 201-point grid in logs pin the optimum to ~1e-12 in log units, but the
//   profit surface is flat at the top (second-order), so the argmax is only good to ~sqrt(eps)
//   relative: 1e-5.
// FD: central difference with h = 1e-5 has O(h²) truncation and ~eps/h rounding: 1e-6 relative.
const BRUTE = 1e-5,
  FD = 1e-6;

test("ces: closed forms (7) and (9) are the brute-force maximisers", () => {
  for (const sigma of [2.5, 3, 4])
    for (const alpha of [0.3, 0.6]) {
      const p = { ...CES_DEFAULTS, sigma, alpha };
      const lam = optimalQuality(p),
        bf = bruteForceOptimum(p);
      assert.ok(Math.abs(bf.lambda / lam - 1) < BRUTE, `λ σ=${sigma} α=${alpha}: ${bf.lambda} vs ${lam}`);
      assert.ok(Math.abs(bf.price / optimalPrice(lam, p) - 1) < BRUTE);
      assert.ok(profit(optimalPrice(lam, p), lam, p) >= bf.profit - 1e-12);
    }
});

test("ces: the printed (9) differs from the maximiser by ρ^{(σ−1)/β'}", () => {
  const p = CES_DEFAULTS;
  const rho = (p.sigma - 1) / p.sigma,
    bp = p.beta - (1 - p.alpha) * (p.sigma - 1);
  assert.ok(Math.abs(optimalQualityPrinted(p) / optimalQuality(p) - rho ** ((p.sigma - 1) / bp)) < 1e-12);
});

test("ces: signs of (10)–(11) and finite differences", () => {
  const d = qualityDerivatives(CES_DEFAULTS);
  assert.ok(d.dLambdaDtauD < 0 && d.dLambdaDphi > 0);
  assert.ok(Math.abs(qualityFiniteDifference(CES_DEFAULTS) / d.dLambdaDphi - 1) < FD);
  const g = numeric(comparativeStaticsGrid(), "value");
  assert.ok((g[0] as number) > 100);
  assert.is(g[1], g[0]);
  assert.is(g[2], g[0]);
  assert.is(g[3], g[0]);
  assert.ok((g[4] as number) < 1e-4);
  assert.throws(() => optimalQuality({ ...CES_DEFAULTS, beta: 1, alpha: 0.1, sigma: 4 }), /not concave/);
});

test("ces: verification table and chart", () => {
  const t = cesVerificationTable();
  for (const v of numeric(t, "rel_error")) assert.ok(v < BRUTE);
  assert.ok(typeof qualityByPhiChart().$schema === "string");
});

test.run();
