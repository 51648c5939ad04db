/**
 * EQ §2.2 closed forms: the Pareto tail of export quality and product reallocation
 * (Zhao, Ban, Li & Liu 2022, eqs. 13–16, Figure 1).
 *
 *   CDF           G(λ) = 1 − (λ/λ_min)^{−κ},  λ ≥ λ_min (= 1 in the paper)           (13)
 *   PDF           g(λ) = κ λ_min^κ λ^{−κ−1}
 *   conditional   μ(λ) = g(λ)/[1 − G(λ_j)] = (κ/λ)(λ_j/λ)^κ,  λ ≥ λ_j                (14)
 *   average       λ̄ = [∫_{λ_j}^∞ λ^{σ−1} μ(λ) dλ]^{1/(σ−1)} = (κ/(1+κ−σ))^{1/(σ−1)} λ_j   (15)
 *
 * The integral in (15) is κ λ_j^κ ∫ λ^{σ−κ−2} dλ, finite iff κ > σ − 1; the paper assumes the
 * stronger κ > 1 + σ. Derivative in κ (the reallocation channel of (16)), with A = κ/(1+κ−σ):
 *
 *   ∂λ̄/∂κ = −A^{(2−σ)/(σ−1)} λ_j / (1+κ−σ)²  < 0.
 *
 * Three independent evaluations of (15): the closed form, adaptive Simpson quadrature of the
 * density (14) as code (`averageQualityIntegral`), and Monte Carlo from Pareto draws
 * λ = λ_j U^{−1/κ} (`averageQualityMonteCarlo`, with a delta-method standard error that is only
 * valid when Var(λ^{σ−1}) < ∞, i.e. κ > 2(σ−1)).
 */
import { table, type Table } from "../data/table";
import { rng as makeRng, type Rng } from "../util/rng";
import { mapF64From } from "../util/typed-map";

/** Pareto CDF (13): G(λ) = 1 − (λ/λ_min)^{−κ} for λ ≥ λ_min, 0 below. */
export function paretoCdf(lambda: number, kappa: number, lambdaMin = 1): number {
  return lambda < lambdaMin ? 0 : 1 - (lambda / lambdaMin) ** -kappa;
}

/** Pareto PDF: g(λ) = κ λ_min^κ λ^{−κ−1} for λ ≥ λ_min, 0 below. */
export function paretoPdf(lambda: number, kappa: number, lambdaMin = 1): number {
  return lambda < lambdaMin ? 0 : (kappa * lambdaMin ** kappa) / lambda ** (kappa + 1);
}

/** Conditional density above the cutoff λ_j (14): μ(λ) = g(λ)/[1 − G(λ_j)] = (κ/λ)(λ_j/λ)^κ, with λ_min = 1. */
export function conditionalDensity(lambda: number, kappa: number, lambdaJ: number): number {
  if (lambda < lambdaJ) return 0;
  return paretoPdf(lambda, kappa, 1) / (1 - paretoCdf(lambdaJ, kappa, 1));
}

/** Throws unless the integral in (15) converges (κ > σ − 1) and σ > 1. */
function checkConvergence(kappa: number, sigma: number): void {
  if (!(sigma > 1)) throw new RangeError(`σ = ${sigma} ≤ 1`);
  if (!(kappa > sigma - 1)) throw new RangeError(`κ = ${kappa} ≤ σ − 1 = ${sigma - 1}: ∫ λ^{σ−1} μ(λ) dλ diverges`);
}

/**
 * Average quality (15) of EQ §2.2 (Zhao, Ban, Li & Liu 2022) above the cutoff λ_j under a
 * Pareto(κ) tail, closed form: λ̄ = (κ/(1+κ−σ))^{1/(σ−1)} λ_j. Throws when κ ≤ σ − 1 (the
 * integral diverges).
 *
 * @example averageQuality(6, 4) // (6/3)^{1/3} ≈ 1.2599
 */
export function averageQuality(kappa: number, sigma: number, lambdaJ = 1): number {
  checkConvergence(kappa, sigma);
  return (kappa / (1 + kappa - sigma)) ** (1 / (sigma - 1)) * lambdaJ;
}

/**
 * Adaptive Simpson quadrature of f on [a, b] to absolute tolerance `tol` (Richardson-corrected,
 * tolerance halved at each split, at most `maxDepth` levels). Returns the estimate and the
 * number of function evaluations.
 */
export function adaptiveSimpson(
  f: (x: number) => number,
  a: number,
  b: number,
  tol = 1e-10,
  maxDepth = 50,
): { value: number; evaluations: number } {
  let evaluations = 0;
  const F = (x: number) => {
    evaluations++;
    return f(x);
  };
  const simpson = (fa: number, fm: number, fb: number, h: number) => (h / 6) * (fa + 4 * fm + fb);
  const rec = (a0: number, b0: number, fa: number, fm: number, fb: number, whole: number, eps: number, depth: number): number => {
    const m = (a0 + b0) / 2,
      lm = (a0 + m) / 2,
      rm = (m + b0) / 2;
    const flm = F(lm),
      frm = F(rm);
    const left = simpson(fa, flm, fm, m - a0),
      right = simpson(fm, frm, fb, b0 - m);
    const delta = left + right - whole;
    if (depth <= 0 || Math.abs(delta) <= 15 * eps) return left + right + delta / 15;
    return rec(a0, m, fa, flm, fm, left, eps / 2, depth - 1) + rec(m, b0, fm, frm, fb, right, eps / 2, depth - 1);
  };
  const fa = F(a),
    fb = F(b),
    fm = F((a + b) / 2);
  const value = rec(a, b, fa, fm, fb, simpson(fa, fm, fb, b - a), tol, maxDepth);
  return { value, evaluations };
}

/**
 * ∫_{λ_j}^∞ λ^{σ−1} μ(λ) dλ by adaptive Simpson after the substitution λ = λ_j v^{−p},
 * v ∈ (0, 1], p = 1 + 2/(1+κ−σ), which maps the infinite range onto (0, 1] and makes the
 * transformed integrand ∝ v^{2+κ−σ} (exponent > 1) bounded and differentiable (0 at v = 0). The quadrature only evaluates the
 * density (14) as code; it does not use (15). Returns λ̄ = integral^{1/(σ−1)}.
 */
export function averageQualityIntegral(
  kappa: number,
  sigma: number,
  lambdaJ = 1,
  tol = 1e-12,
): { value: number; integral: number; evaluations: number; tol: number } {
  checkConvergence(kappa, sigma);
  const p = 1 + 2 / (1 + kappa - sigma);
  const integrand = (v: number): number => {
    if (v <= 0) return 0;
    const lam = lambdaJ * v ** -p;
    return lam ** (sigma - 1) * conditionalDensity(lam, kappa, lambdaJ) * lambdaJ * p * v ** (-p - 1);
  };
  const r = adaptiveSimpson(integrand, 0, 1, tol);
  return { value: r.value ** (1 / (sigma - 1)), integral: r.value, evaluations: r.evaluations, tol };
}

export interface MonteCarloAverage {
  /** λ̄ estimate: (mean of λ^{σ−1})^{1/(σ−1)}. */
  readonly value: number;
  /** Delta-method standard error of `value` (NaN when the variance of λ^{σ−1} is infinite). */
  readonly se: number;
  /** Mean of λ^{σ−1} over the draws and its standard error. */
  readonly moment: number;
  readonly momentSe: number;
  readonly draws: number;
  /** Var(λ^{σ−1}) < ∞ ⇔ κ > 2(σ−1); otherwise the sample SE understates the error. */
  readonly finiteVariance: boolean;
}

/** λ̄ of (15) by Monte Carlo from n Pareto draws above λ_j, λ = λ_j U^{−1/κ} (inverse CDF of (14)). */
export function averageQualityMonteCarlo(kappa: number, sigma: number, lambdaJ = 1, n = 200_000, r: Rng = makeRng()): MonteCarloAverage {
  checkConvergence(kappa, sigma);
  let s = 0,
    ss = 0;
  for (let i = 0; i < n; i++) {
    const u = 1 - r.uniform(); // (0, 1]
    const x = (lambdaJ * u ** (-1 / kappa)) ** (sigma - 1);
    s += x;
    ss += x * x;
  }
  const m = s / n;
  const v = Math.max(0, (ss - n * m * m) / (n - 1));
  const momentSe = Math.sqrt(v / n);
  const value = m ** (1 / (sigma - 1));
  // d m^{1/(σ−1)} / dm = m^{1/(σ−1) − 1} / (σ − 1)
  const finiteVariance = kappa > 2 * (sigma - 1);
  const se = finiteVariance ? (m ** (1 / (sigma - 1) - 1) / (sigma - 1)) * momentSe : NaN;
  return { value, se, moment: m, momentSe, draws: n, finiteVariance };
}

/** Analytic ∂λ̄/∂κ = −(κ/(1+κ−σ))^{(2−σ)/(σ−1)} λ_j/(1+κ−σ)² (< 0). */
export function dAverageQualityDKappa(kappa: number, sigma: number, lambdaJ = 1): number {
  checkConvergence(kappa, sigma);
  const d = 1 + kappa - sigma;
  return (-((kappa / d) ** ((2 - sigma) / (sigma - 1))) * lambdaJ) / (d * d);
}

/** Central finite difference of (15) in κ. */
export function dAverageQualityDKappaFD(kappa: number, sigma: number, lambdaJ = 1, h = 1e-5): number {
  return (averageQuality(kappa + h, sigma, lambdaJ) - averageQuality(kappa - h, sigma, lambdaJ)) / (2 * h);
}

/**
 * The two terms of ∂λ̄/∂ϕ (16) as derived: with κ = κ(ϕ) and λ_j = λ_j(ϕ),
 *   ∂λ̄/∂ϕ = ∂λ̄/∂κ · κ'(ϕ)  +  (κ/(1+κ−σ))^{1/(σ−1)} · ∂λ_j/∂ϕ
 *           (reallocation, > 0 when κ' < 0)   (cutoff, < 0 when ∂λ_j/∂ϕ < 0).
 */
export function averageQualityPhiTerms(
  kappa: number,
  sigma: number,
  lambdaJ: number,
  dKappaDPhi: number,
  dLambdaJDPhi: number,
): { reallocation: number; cutoff: number; total: number } {
  const reallocation = dAverageQualityDKappa(kappa, sigma, lambdaJ) * dKappaDPhi;
  const cutoff = (kappa / (1 + kappa - sigma)) ** (1 / (sigma - 1)) * dLambdaJDPhi;
  return { reallocation, cutoff, total: reallocation + cutoff };
}

/**
 * (15) three ways for each (κ, σ): closed form, adaptive Simpson (tolerance 1e-12 on the
 * integral), Monte Carlo (n draws, seeded) with its standard error and z = (MC − closed)/SE.
 */
export function paretoVerificationTable(
  points: readonly { kappa: number; sigma: number }[] = PARETO_POINTS,
  n = 200_000,
  seed?: number,
  lambdaJ = 1,
): Table {
  const r = makeRng(seed);
  const rows = points.map(({ kappa, sigma }) => {
    const closed = averageQuality(kappa, sigma, lambdaJ);
    const q = averageQualityIntegral(kappa, sigma, lambdaJ);
    const mc = averageQualityMonteCarlo(kappa, sigma, lambdaJ, n, r.fork(`pareto-${kappa}-${sigma}`));
    return {
      kappa,
      sigma,
      closed,
      quadrature: q.value,
      quad_rel_error: Math.abs(q.value / closed - 1),
      monte_carlo: mc.value,
      mc_se: mc.se,
      z: (mc.value - closed) / mc.se,
      finite_variance: mc.finiteVariance ? "yes" : "no",
    };
  });
  const col = (k: "kappa" | "sigma" | "closed" | "quadrature" | "quad_rel_error" | "monte_carlo" | "mc_se" | "z") =>
    mapF64From(rows, (x) => x[k]);
  return table({
    kappa: col("kappa"),
    sigma: col("sigma"),
    closed: col("closed"),
    quadrature: col("quadrature"),
    quad_rel_error: col("quad_rel_error"),
    monte_carlo: col("monte_carlo"),
    mc_se: col("mc_se"),
    z: col("z"),
    finite_variance: rows.map((x) => x.finite_variance),
  });
}

/** Default (κ, σ) points of the verification: κ > 1 + σ (the paper's condition), one with κ ∈ (σ−1, 2(σ−1)] (infinite MC variance). */
export const PARETO_POINTS: readonly { kappa: number; sigma: number }[] = Object.freeze([
  { kappa: 4, sigma: 2 },
  { kappa: 5, sigma: 3 },
  { kappa: 8, sigma: 4 },
  { kappa: 12, sigma: 6 },
  { kappa: 15, sigma: 8 },
  { kappa: 3.5, sigma: 3 },
]);

/**
 * Sign of ∂λ̄/∂κ over a grid of σ ∈ {1.5, …, 8} × κ from σ − 1 + 0.05 to σ + 12 (all points with
 * κ > σ − 1; the paper's κ > 1 + σ is a subset): share negative analytically, finite difference
 * of the same sign, and the largest relative gap between the two.
 */
export function kappaDerivativeGrid(lambdaJ = 1): Table {
  let n = 0,
    nPaper = 0,
    neg = 0,
    fd = 0,
    maxRel = 0;
  for (const sigma of [1.5, 2, 2.5, 3, 4, 5, 6, 8]) {
    for (let kappa = sigma - 1 + 0.05; kappa <= sigma + 12; kappa += 0.25) {
      n++;
      if (kappa > 1 + sigma) nPaper++;
      const a = dAverageQualityDKappa(kappa, sigma, lambdaJ),
        f = dAverageQualityDKappaFD(kappa, sigma, lambdaJ);
      if (a < 0) neg++;
      if (Math.sign(f) === Math.sign(a)) fd++;
      maxRel = Math.max(maxRel, Math.abs(f / a - 1));
    }
  }
  return table({
    check: [
      "(σ, κ) points with κ > σ − 1",
      "of which κ > 1 + σ (paper)",
      "∂λ̄/∂κ < 0 (analytic)",
      "finite difference has the same sign",
      "max relative error, finite difference vs analytic",
    ],
    value: [n, nPaper, neg, fd, maxRel],
  });
}
