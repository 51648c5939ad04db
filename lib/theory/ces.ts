/**
 * EQ §2.1 closed forms: quality choice under CES demand (Zhao, Ban, Li & Liu 2022, eqs. 1–11).
 *
 *   demand        q = λ^{σ−1} p^{−σ} P^{σ−1} E                                   (2)
 *   unit cost     C = τ[θ w_f τ_f + (1−θ) w_d τ_d(ϕ)]/φ                          (4)
 *   profit        π(p, λ) = (p − C λ^α) q − F0 − b λ^β                            (5)–(6)
 *   price         p* = C λ^α / ρ,  ρ = (σ−1)/σ                                    (7)
 *   quality       λ* = [ (1−α)/(β b) · ρ^σ · P^{σ−1} C^{1−σ} E ]^{1/β'},
 *                 β' = β − (1−α)(σ−1) > 0 (second-order condition)               (9)
 *
 * The derivation gives ρ^σ where the printed (9) has ((σ−1)/σ)^σ (ρP)^{σ−1}, i.e. an extra
 * ρ^{σ−1}, and no fixed-cost scale b (b = 1): `optimalQualityPrinted` is the printed form;
 * `bruteForceOptimum` arbitrates (tests/theory/ces.test.ts). Signs of (10)–(11) do not depend
 * on that constant: ∂λ* / ∂C = (1−σ)/β' · λ* / C < 0, ∂C/∂τ_d = τ(1−θ)w_d/φ > 0, so ∂λ* / ∂τ_d < 0
 * and, with ∂τ_d/∂ϕ < 0, ∂λ* / ∂ϕ > 0 (H1).
 */
import { table, type Table } from "../data/table";
import { mapF64From } from "../util/typed-map";

/** Parameters of the EQ §2.1 model (Zhao, Ban, Li & Liu 2022): σ, α, β, b, F0, P, E, costs and ϕ. */
export interface CesParams {
  readonly sigma: number;
  readonly alpha: number;
  readonly beta: number;
  readonly b: number;
  readonly F0: number;
  readonly P: number;
  readonly E: number;
  readonly tau: number;
  readonly theta: number;
  readonly wf: number;
  readonly tauF: number;
  readonly wd: number;
  /** Domestic intermediate trade cost at ϕ = 0, and its semi-elasticity: τ_d(ϕ) = tauD0·exp(−tauDSlope·ϕ). */
  readonly tauD0: number;
  readonly tauDSlope: number;
  readonly phiProd: number;
  /** Virtual agglomeration ϕ. */
  readonly phi: number;
}

/** Illustrative parameter values (σ = 4, α = 0.5, β = 3, …) satisfying β' > 0. */
export const CES_DEFAULTS: CesParams = {
  sigma: 4,
  alpha: 0.5,
  beta: 3,
  b: 1,
  F0: 0.1,
  P: 1,
  E: 10,
  tau: 1.2,
  theta: 0.4,
  wf: 1,
  tauF: 1.3,
  wd: 1,
  tauD0: 1.5,
  tauDSlope: 0.8,
  phiProd: 1,
  phi: 0.5,
};

/** ρ = (σ − 1)/σ, the inverse CES markup. @example rhoOf(4) // 0.75 */
export const rhoOf = (sigma: number): number => (sigma - 1) / sigma;
/** β' = β − (1 − α)(σ − 1), positive at an interior quality optimum (second-order condition of (9)). @example betaPrime(CES_DEFAULTS) // 1.5 */
export const betaPrime = (p: CesParams): number => p.beta - (1 - p.alpha) * (p.sigma - 1);
/** Domestic intermediate trade cost τ_d(ϕ) = τ_d0 · exp(−slope · ϕ), decreasing in virtual agglomeration ϕ. @example tauD({ ...CES_DEFAULTS, phi: 0 }) // 1.5 */
export const tauD = (p: CesParams): number => p.tauD0 * Math.exp(-p.tauDSlope * p.phi);

/** Unit cost (4). */
export function unitCost(p: CesParams): number {
  return (p.tau * (p.theta * p.wf * p.tauF + (1 - p.theta) * p.wd * tauD(p))) / p.phiProd;
}

/** Demand (2). */
export function demand(price: number, lambda: number, p: CesParams): number {
  return lambda ** (p.sigma - 1) * price ** -p.sigma * p.P ** (p.sigma - 1) * p.E;
}

/** Profit (5)–(6) at price and quality. */
export function profit(price: number, lambda: number, p: CesParams): number {
  const C = unitCost(p);
  return (price - C * lambda ** p.alpha) * demand(price, lambda, p) - p.F0 - p.b * lambda ** p.beta;
}

/** Optimal price (7) for a given quality. */
export function optimalPrice(lambda: number, p: CesParams): number {
  return (unitCost(p) * lambda ** p.alpha) / rhoOf(p.sigma);
}

/**
 * Optimal quality (9) of EQ §2.1 (Zhao, Ban, Li & Liu 2022) as derived from the first-order
 * conditions: λ* = [(1−α)/(β b) · ρ^σ · P^{σ−1} C^{1−σ} E]^{1/β'}, β' = β − (1−α)(σ−1). The
 * printed (9) differs by a factor ρ^{σ−1} inside the bracket (see the module header and
 * `optimalQualityPrinted`). Throws when β' ≤ 0 (no interior optimum).
 *
 * @example optimalQuality(CES_DEFAULTS) // λ*, equal to bruteForceOptimum(CES_DEFAULTS).lambda
 */
export function optimalQuality(p: CesParams): number {
  const bp = betaPrime(p);
  if (!(bp > 0)) throw new RangeError(`β' = β − (1−α)(σ−1) = ${bp} ≤ 0: profit is not concave in quality`);
  const rho = rhoOf(p.sigma);
  return (((1 - p.alpha) / (p.beta * p.b)) * rho ** p.sigma * p.P ** (p.sigma - 1) * unitCost(p) ** (1 - p.sigma) * p.E) ** (1 / bp);
}

/** Optimal quality as printed in EQ (9): [(1−α)/β ((σ−1)/σ)^σ (ρP)^{σ−1} C^{1−σ} E]^{1/β'}. */
export function optimalQualityPrinted(p: CesParams): number {
  const rho = rhoOf(p.sigma);
  return (
    (((1 - p.alpha) / p.beta) * rho ** p.sigma * (rho * p.P) ** (p.sigma - 1) * unitCost(p) ** (1 - p.sigma) * p.E) ** (1 / betaPrime(p))
  );
}

/** Analytic ∂λ* / ∂τ_d (10) and ∂λ* / ∂ϕ (11). */
export function qualityDerivatives(p: CesParams): { dLambdaDC: number; dCDtauD: number; dLambdaDtauD: number; dLambdaDphi: number } {
  const lam = optimalQuality(p),
    C = unitCost(p);
  const dLambdaDC = ((1 - p.sigma) / betaPrime(p)) * (lam / C);
  const dCDtauD = (p.tau * (1 - p.theta) * p.wd) / p.phiProd;
  const dTauDphi = -p.tauDSlope * tauD(p);
  return { dLambdaDC, dCDtauD, dLambdaDtauD: dLambdaDC * dCDtauD, dLambdaDphi: dLambdaDC * dCDtauD * dTauDphi };
}

/** Central finite difference (λ*(ϕ + h) − λ*(ϕ − h))/2h, to check `qualityDerivatives`. @example qualityFiniteDifference(CES_DEFAULTS) */
export function qualityFiniteDifference(p: CesParams, h = 1e-5): number {
  return (optimalQuality({ ...p, phi: p.phi + h }) - optimalQuality({ ...p, phi: p.phi - h })) / (2 * h);
}

/**
 * Brute-force maximisation of profit over (ln p, ln λ): a 201 × 201 grid around a wide box,
 * then 30 zooms by a factor 4 around the best point. Independent of (7) and (9).
 */
export function bruteForceOptimum(p: CesParams): { price: number; lambda: number; profit: number } {
  let lp0 = -6,
    lp1 = 6,
    ll0 = -6,
    ll1 = 6,
    best = { lp: 0, ll: 0, v: -Infinity };
  const N = 200;
  for (let it = 0; it < 30; it++) {
    for (let i = 0; i <= N; i++) {
      const lp = lp0 + ((lp1 - lp0) * i) / N;
      for (let j = 0; j <= N; j++) {
        const ll = ll0 + ((ll1 - ll0) * j) / N;
        const v = profit(Math.exp(lp), Math.exp(ll), p);
        if (v > best.v) best = { lp, ll, v };
      }
    }
    const wp = (lp1 - lp0) / 8,
      wl = (ll1 - ll0) / 8;
    lp0 = best.lp - wp;
    lp1 = best.lp + wp;
    ll0 = best.ll - wl;
    ll1 = best.ll + wl;
  }
  return { price: Math.exp(best.lp), lambda: Math.exp(best.ll), profit: best.v };
}

/** Closed forms (7), (9), the printed (9) and the brute-force optimum side by side, for several σ. */
export function cesVerificationTable(p: CesParams = CES_DEFAULTS, sigmas: readonly number[] = [2.5, 3, 4]): Table {
  const rows = sigmas.map((s) => {
    const q = { ...p, sigma: s };
    const lam = optimalQuality(q),
      bf = bruteForceOptimum(q);
    return {
      sigma: s,
      lambda_closed: lam,
      lambda_printed: optimalQualityPrinted(q),
      lambda_brute: bf.lambda,
      price_closed: optimalPrice(lam, q),
      price_brute: bf.price,
      rel_error: Math.abs(bf.lambda / lam - 1),
    };
  });
  const col = (k: keyof (typeof rows)[number]) => mapF64From(rows, (r) => r[k] as number);
  return table({
    sigma: col("sigma"),
    lambda_closed: col("lambda_closed"),
    lambda_printed: col("lambda_printed"),
    lambda_brute: col("lambda_brute"),
    price_closed: col("price_closed"),
    price_brute: col("price_brute"),
    rel_error: col("rel_error"),
  });
}

/**
 * Sign checks of (10)–(11) over a grid of σ × α × β × ϕ (only β' > 0 points): share of points
 * where the analytic ∂λ* / ∂τ_d < 0, ∂λ* / ∂ϕ > 0, and the finite difference agrees in sign.
 */
export function comparativeStaticsGrid(p: CesParams = CES_DEFAULTS): Table {
  let n = 0,
    neg = 0,
    pos = 0,
    fd = 0,
    maxRel = 0;
  for (const sigma of [1.5, 2, 3, 4, 6, 8])
    for (const alpha of [0.1, 0.3, 0.5, 0.7, 0.9])
      for (const beta of [1.5, 3, 6, 10, 20])
        for (const phi of [0, 0.3, 0.6, 0.9]) {
          const q = { ...p, sigma, alpha, beta, phi };
          if (!(betaPrime(q) > 0)) continue;
          n++;
          const d = qualityDerivatives(q),
            f = qualityFiniteDifference(q);
          if (d.dLambdaDtauD < 0) neg++;
          if (d.dLambdaDphi > 0) pos++;
          if (Math.sign(f) === Math.sign(d.dLambdaDphi)) fd++;
          maxRel = Math.max(maxRel, Math.abs(f / d.dLambdaDphi - 1));
        }
  return table({
    check: [
      "parameter points with β' > 0",
      "∂λ* / ∂τ_d < 0 (10)",
      "∂λ* / ∂ϕ > 0 (11)",
      "finite difference has the same sign",
      "max relative error, finite difference vs analytic",
    ],
    value: [n, neg, pos, fd, maxRel],
  });
}
