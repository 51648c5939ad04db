/**
 * EQ §2.2 zero-profit cutoff quality (Zhao, Ban, Li & Liu 2022, eq. 12), derived from the
 * model of §2.1 (`./ces.ts`) in the paper's notation.
 *
 *   revenue at p*     r(λ) = λ^{(1−α)(σ−1)} (ρP)^{σ−1} C^{1−σ} E                      (8, corrected)
 *   profit at p*      π(λ) = r(λ)/σ − F0 − b λ^β                                       (6) at (7)
 *   quality FOC       (1−α)(σ−1) r(λ*)/σ = b β λ*^β                                    (9)
 *   zero profit       r(λ*)/σ = F0 + b λ*^β  ⇒  r_j = σβF0/β'   (the paper's r_j, correct)
 *   cutoff quality    b λ_cut^β = (1−α)(σ−1) r_j/(σβ)  ⇒  λ_cut = [(1−α)(σ−1)F0/(bβ')]^{1/β}
 *
 * with β' = β − (1−α)(σ−1) > 0. λ_cut contains neither C nor τ_d nor ϕ: a cost change moves the
 * cutoff *cost* (productivity) at which max-profit is zero, not the quality the marginal exporter
 * chooses. The paper's (12) instead inverts (8) at r = r_j for a given C — the corrected form of
 * that route is `cutoffQualityPaperRoute`, equal to λ_cut only at the cutoff cost — and so
 * obtains ∂λ_j/∂ϕ < 0; in the model ∂λ_cut/∂ϕ = 0 and the cutoff term of (16) vanishes.
 */
import { betaPrime, optimalPrice, profit, rhoOf, unitCost, type CesParams } from "./ces";

/**
 * Zero-profit cutoff quality of EQ (12), closed form derived from the quality first-order
 * condition (9) and zero profit (Zhao, Ban, Li & Liu 2022, §2.2):
 * λ_cut = [(1−α)(σ−1)F0/(bβ')]^{1/β}, β' = β − (1−α)(σ−1). Independent of τ, τ_d, ϕ, P, E and
 * productivity. Throws when β' ≤ 0 (no interior quality optimum).
 *
 * @example cutoffQuality(CES_DEFAULTS) // [(0.5·3·0.1)/(1·1.5)]^{1/3} = 0.1^{1/3} ≈ 0.4642
 */
export function cutoffQuality(p: CesParams): number {
  const bp = betaPrime(p);
  if (!(bp > 0)) throw new RangeError(`β' = β − (1−α)(σ−1) = ${bp} ≤ 0: no interior quality optimum, no cutoff`);
  return (((1 - p.alpha) * (p.sigma - 1) * p.F0) / (p.b * bp)) ** (1 / p.beta);
}

/** The paper's cutoff revenue r_j = σβF0/β' (text before (12)); correct as printed. @example cutoffRevenue(CES_DEFAULTS) // 4·3·0.1/1.5 = 0.8 */
export function cutoffRevenue(p: CesParams): number {
  return (p.sigma * p.beta * p.F0) / betaPrime(p);
}

/** Revenue at the optimal price (8), corrected (no p^{−σ}): r = λ^{(1−α)(σ−1)} (ρP)^{σ−1} C^{1−σ} E. */
export function revenueAtOptimalPrice(lambda: number, p: CesParams): number {
  const s = p.sigma;
  return lambda ** ((1 - p.alpha) * (s - 1)) * (rhoOf(s) * p.P) ** (s - 1) * unitCost(p) ** (1 - s) * p.E;
}

/**
 * Maximum profit over quality at the optimal price, by golden-section search on ln λ over
 * [−40, 40] (profit at p*(λ) is single-peaked in λ when β' > 0). Uses `profit` and
 * `optimalPrice` only — independent of the closed form (9).
 */
export function maxProfitOverQuality(p: CesParams, iterations = 200): { lambda: number; profit: number } {
  const f = (x: number) => profit(optimalPrice(Math.exp(x), p), Math.exp(x), p);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = -40,
    b = 40,
    c = b - g * (b - a),
    d = a + g * (b - a),
    fc = f(c),
    fd = f(d);
  for (let i = 0; i < iterations && b - a > 1e-14; i++) {
    if (fc > fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  const x = (a + b) / 2;
  return { lambda: Math.exp(x), profit: f(x) };
}

/**
 * The zero-profit cutoff solved numerically: the productivity φ_cut (`phiProd`) at which the
 * maximum profit over quality is zero, found by bisection on ln φ ∈ [−40, 40] (max profit rises
 * in φ), and the quality chosen there. Independent of the closed form `cutoffQuality`.
 *
 * @example const s = zeroProfitCutoff(CES_DEFAULTS); s.lambda // ≈ cutoffQuality(CES_DEFAULTS)
 */
export function zeroProfitCutoff(p: CesParams, iterations = 200): { phiProd: number; cost: number; lambda: number; profit: number } {
  const at = (lnPhi: number) => maxProfitOverQuality({ ...p, phiProd: Math.exp(lnPhi) });
  let lo = -40,
    hi = 40;
  if (!(at(lo).profit < 0 && at(hi).profit > 0))
    throw new RangeError("zeroProfitCutoff: max profit does not change sign over φ ∈ [e^−40, e^40]");
  for (let i = 0; i < iterations && hi - lo > 1e-13; i++) {
    const mid = (lo + hi) / 2;
    if (at(mid).profit > 0) hi = mid;
    else lo = mid;
  }
  const lnPhi = (lo + hi) / 2;
  const q = { ...p, phiProd: Math.exp(lnPhi) };
  const m = maxProfitOverQuality(q);
  return { phiProd: q.phiProd, cost: unitCost(q), lambda: m.lambda, profit: m.profit };
}

/**
 * The paper's route to (12), corrected: the quality at which revenue (8) at the current cost C
 * equals r_j, λ = (r_j/E)^{1/((1−α)(σ−1))} (ρPφ)^{−1/(1−α)} (τ[θw_fτ_f + (1−θ)w_dτ_d])^{1/(1−α)}.
 * Equal to `cutoffQuality` only at the cutoff cost (where the firm's optimal quality gives r_j);
 * elsewhere it is not a quality any firm chooses.
 */
export function cutoffQualityPaperRoute(p: CesParams): number {
  const a = 1 - p.alpha,
    s = p.sigma;
  return (cutoffRevenue(p) / p.E) ** (1 / (a * (s - 1))) * (unitCost(p) / (rhoOf(s) * p.P)) ** (1 / a);
}

/**
 * (12) as printed: λ_j = Θ τ [θw_fτ_f + (1−θ)w_dτ_d]^{1/(1−α)},
 * Θ = [σβF0/β']^{1/((1−α)(σ−1))} (ρP/φ)^{1/(σ−1)} — τ outside the power, no E, and ρP, φ with
 * the wrong exponent (see `EQ_ANOMALIES`, id `eq12`).
 */
export function cutoffQualityPrinted(p: CesParams): number {
  const a = 1 - p.alpha,
    s = p.sigma;
  const X = p.theta * p.wf * p.tauF + (1 - p.theta) * p.wd * p.tauD0 * Math.exp(-p.tauDSlope * p.phi);
  const Theta = cutoffRevenue(p) ** (1 / (a * (s - 1))) * ((rhoOf(s) * p.P) / p.phiProd) ** (1 / (s - 1));
  return Theta * p.tau * X ** (1 / a);
}

/**
 * ∂λ_cut/∂ϕ, the cutoff term of (16), by a central finite difference of the numerically solved
 * cutoff (`zeroProfitCutoff`) — zero up to the solver's precision, since λ_cut does not depend
 * on τ_d(ϕ) — beside the same derivative of the paper's route (12), which is negative.
 */
export function cutoffPhiDerivative(p: CesParams, h = 1e-3): { model: number; paperRoute: number; cutoffShiftsCost: number } {
  const up = { ...p, phi: p.phi + h },
    dn = { ...p, phi: p.phi - h };
  const cu = zeroProfitCutoff(up),
    cd = zeroProfitCutoff(dn);
  return {
    model: (cu.lambda - cd.lambda) / (2 * h),
    paperRoute: (cutoffQualityPaperRoute(up) - cutoffQualityPaperRoute(dn)) / (2 * h),
    /** ∂ ln φ_cut/∂ϕ: what virtual agglomeration moves instead — the productivity needed to export falls. */
    cutoffShiftsCost: (Math.log(cu.phiProd) - Math.log(cd.phiProd)) / (2 * h),
  };
}

/**
 * The two terms of (16) under the model: the reallocation term ∂λ̄/∂κ · κ'(ϕ) of (15) at
 * λ_j = λ_cut, and the cutoff term (κ/(1+κ−σ))^{1/(σ−1)} ∂λ_cut/∂ϕ with ∂λ_cut/∂ϕ from the
 * numerically solved cutoff (≈ 0), beside the cutoff term the paper's route (12) would give.
 *
 * @example eq16ModelTerms(CES_DEFAULTS, 6, -2).cutoff // ≈ 0 (|.| < 1e-4)
 */
export function eq16ModelTerms(
  p: CesParams,
  kappa: number,
  dKappaDPhi: number,
): { lambdaCut: number; reallocation: number; cutoff: number; total: number; cutoffPaperRoute: number } {
  const s = p.sigma;
  if (!(kappa > s - 1)) throw new RangeError(`κ = ${kappa} ≤ σ − 1 = ${s - 1}: (15) diverges`);
  const lambdaCut = cutoffQuality(p);
  const d = 1 + kappa - s;
  const dBarDKappa = (-((kappa / d) ** ((2 - s) / (s - 1))) * lambdaCut) / (d * d);
  const dz = cutoffPhiDerivative(p);
  const A = (kappa / d) ** (1 / (s - 1));
  const reallocation = dBarDKappa * dKappaDPhi;
  const cutoff = A * dz.model;
  return { lambdaCut, reallocation, cutoff, total: reallocation + cutoff, cutoffPaperRoute: A * dz.paperRoute };
}
