import { test } from "uvu";
import * as assert from "uvu/assert";
import { CES_DEFAULTS, betaPrime, optimalQuality } from "../../lib/theory/ces";
import {
  cutoffPhiDerivative,
  cutoffQuality,
  cutoffQualityPaperRoute,
  cutoffQualityPrinted,
  cutoffRevenue,
  eq16ModelTerms,
  maxProfitOverQuality,
  revenueAtOptimalPrice,
  zeroProfitCutoff,
} from "../../lib/theory/cutoff";
import { dAverageQualityDKappa } from "../../lib/theory/pareto";
import { cutoffByPhiChart } from "../../lib/papers/eq/theory-figures";

// Tolerances
// ARGMAX: golden-section on ln λ locates the maximiser of a function that is flat (second order)
//   at the top, so only to ≈ sqrt(eps) ≈ 1.5e-8 relative; declared 1e-6.
// ZERO: the bisection on ln φ stops at width 1e-13; the profit there is 0 to ≈ 1e-12 (absolute).
// DPHI: central difference (h = 1e-3) of the numerically solved cutoff: argmax noise ≈ 1e-8/h
//   → 1e-4 absolute, against a paper-route derivative of order 0.1–1.
const ARGMAX = 1e-6,
  ZERO = 1e-10,
  DPHI = 1e-4;

const POINTS = [
  CES_DEFAULTS,
  { ...CES_DEFAULTS, sigma: 3, alpha: 0.3, beta: 2.5 },
  { ...CES_DEFAULTS, sigma: 6, alpha: 0.7, beta: 4, F0: 0.5, b: 2 },
  { ...CES_DEFAULTS, sigma: 2.5, alpha: 0.2, beta: 6, E: 3, P: 1.4, phi: 0.9 },
];

test("cutoff (12): the numerically solved zero-profit quality equals [(1−α)(σ−1)F0/(bβ')]^{1/β}", () => {
  for (const p of POINTS) {
    const z = zeroProfitCutoff(p);
    const closed = cutoffQuality(p);
    assert.ok(Math.abs(z.profit) < ZERO, `profit at the cutoff ${z.profit}`);
    assert.ok(Math.abs(z.lambda / closed - 1) < ARGMAX, `σ=${p.sigma}: numeric ${z.lambda} vs closed ${closed}`);
    // the FOC quality (9) at the cutoff productivity is the same quality
    assert.ok(Math.abs(optimalQuality({ ...p, phiProd: z.phiProd }) / closed - 1) < 1e-9);
    // revenue there is the paper's r_j = σβF0/β'
    assert.ok(Math.abs(revenueAtOptimalPrice(closed, { ...p, phiProd: z.phiProd }) / cutoffRevenue(p) - 1) < 1e-9);
    // the corrected paper route (12) agrees at the cutoff cost, the printed (12) does not
    assert.ok(Math.abs(cutoffQualityPaperRoute({ ...p, phiProd: z.phiProd }) / closed - 1) < 1e-9);
    assert.ok(Math.abs(cutoffQualityPrinted({ ...p, phiProd: z.phiProd }) / closed - 1) > 1e-3);
  }
  assert.ok(Math.abs(cutoffQuality(CES_DEFAULTS) - 0.1 ** (1 / 3)) < 1e-15);
  assert.throws(() => cutoffQuality({ ...CES_DEFAULTS, beta: 1 }), /β' .* ≤ 0/);
  assert.ok(betaPrime(CES_DEFAULTS) > 0);
});

test("cutoff (12): independent of τ_d, ϕ, τ, E — so the cutoff term of (16) vanishes", () => {
  for (const p of POINTS) {
    const base = zeroProfitCutoff(p).lambda;
    for (const q of [
      { ...p, phi: 0 },
      { ...p, tauD0: 3 },
      { ...p, tau: 2 },
      { ...p, E: 50 },
    ])
      assert.ok(Math.abs(zeroProfitCutoff(q).lambda / base - 1) < ARGMAX);
    const d = cutoffPhiDerivative(p);
    assert.ok(Math.abs(d.model) < DPHI, `∂λ_cut/∂ϕ = ${d.model}`);
    assert.ok(d.paperRoute < -100 * DPHI, `paper route ${d.paperRoute} should be clearly negative`);
    assert.ok(d.cutoffShiftsCost < 0, "the cutoff productivity falls with ϕ");
  }
  const t = eq16ModelTerms(CES_DEFAULTS, 6, -2);
  assert.ok(Math.abs(t.cutoff) < DPHI);
  assert.ok(t.reallocation > 0 && t.cutoffPaperRoute < 0);
  assert.ok(Math.abs(t.reallocation - dAverageQualityDKappa(6, 4, t.lambdaCut) * -2) < 1e-14);
  assert.throws(() => eq16ModelTerms(CES_DEFAULTS, 2, -1), /diverges/);
});

test("maxProfitOverQuality finds the FOC optimum (9)", () => {
  for (const p of POINTS) {
    const m = maxProfitOverQuality(p);
    assert.ok(Math.abs(m.lambda / optimalQuality(p) - 1) < ARGMAX);
  }
  assert.throws(() => zeroProfitCutoff({ ...CES_DEFAULTS, E: 0 }), /does not change sign/);
});

test("cutoffByPhiChart: the model's cutoff is flat in ϕ, the paper's route falls", () => {
  const spec = cutoffByPhiChart() as unknown as { data: { values: { name: string; x: number; y: number }[] } };
  const vals = spec.data.values;
  const by = (name: RegExp) => vals.filter((v) => name.test(v.name)).map((v) => v.y);
  const model = by(/^model/),
    route = by(/^paper route/);
  assert.is(model.length, 21);
  assert.ok(Math.max(...model) / Math.min(...model) - 1 < ARGMAX);
  assert.ok(route[0]! > route[20]!);
});

test.run();
