import { at, eigSym, type Mat } from "./linalg";
import { qNcChi2 } from "../../util/noncentral-chi2";
import type { EffectiveF } from "./effective-f";

/** One Montiel Olea–Pflueger critical value: non-centrality x, effective degrees of freedom K_eff and the value c = χ²_{K_eff}(x·K_eff)⁻¹(1 − α)/K_eff. */
export interface MopCritical {
  readonly x: number;
  readonly Keff: number;
  readonly critical: number;
}

/** Simplified (conservative) and generalized TSLS critical values of the effective F at worst-case relative Nagar bias τ. */
export interface MopCriticalValues {
  readonly tau: number;
  readonly alpha: number;
  /** x = 1/τ (Montiel Olea & Pflueger 2013, the bound B_TSLS ≤ 1). */
  readonly simplified: MopCritical;
  /** x = B_TSLS(Ŵ)/τ with B_TSLS the worst-case Nagar bias over β (numerical maximum). */
  readonly generalized: MopCritical & { readonly bTsls: number };
}

const trace = (A: Mat): number => A.reduce((s, _, i) => s + at(A, i, i), 0);

/** Patnaik (1949) two-moment approximation used by MOP: match mean and variance of the quadratic form by a scaled χ²_{K_eff}(x·K_eff). */
function patnaik(W2: Mat, alpha: number, x: number): MopCritical {
  const ev = eigSym(W2).values.map((v) => Math.max(v, 0));
  const s = ev.reduce((a, b) => a + b, 0);
  const w = ev.map((v) => v / s);
  const variance = 2 * w.reduce((a, b) => a + b * b, 0) + 4 * x * Math.max(...w);
  const Keff = (2 * (1 + 2 * x)) / variance;
  return Object.freeze({ x, Keff, critical: qNcChi2(1 - alpha, Keff, x * Keff) / Keff });
}

/** Worst-case TSLS Nagar bias B(β) at one β (MOP 2013, eq. for the TSLS bias bound; weakivtest's Bmaxfunction). */
function bias(beta: number, W1: Mat, W12: Mat, W2: Mat): number {
  const K = W2.length;
  const S12 = W12.map((r, i) => r.map((v, j) => v - beta * at(W2, i, j)));
  const S1 = W1.map((r, i) => r.map((v, j) => v - 2 * beta * ((at(W12, i, j) + at(W12, j, i)) / 2) + beta * beta * at(W2, i, j)));
  const t12 = trace(S12),
    t1 = trace(S1),
    t2 = trace(W2);
  const ev = eigSym(S12).values; // eigSym symmetrises: eigenvalues of (S12 + S12')/2
  const lmin = ev[0] as number,
    lmax = ev[K - 1] as number;
  const den = Math.sqrt(t2 * t1);
  if (!(den > 0)) return NaN;
  return Math.max(Math.abs((t12 - 2 * lmin) / den), Math.abs((t12 - 2 * lmax) / den));
}

/** sup_β B(β): tan-spaced grid over the whole line, the β → ±∞ limit, then golden-section polishing around the best grid point. */
function maxBias(W1: Mat, W12: Mat, W2: Mat): number {
  const t2 = trace(W2);
  const ev2 = eigSym(W2).values;
  const limit = Math.max(...ev2.map((e) => Math.abs(1 - (2 * e) / t2)));
  const scale = Math.sqrt(Math.max(trace(W1), 1e-300) / t2);
  const m = 4001;
  let best = limit,
    bestTh = NaN;
  const f = (th: number) => bias(scale * Math.tan(th), W1, W12, W2);
  const h = Math.PI / m;
  for (let k = 1; k < m; k++) {
    const th = -Math.PI / 2 + k * h;
    const b = f(th);
    if (b > best) {
      best = b;
      bestTh = th;
    }
  }
  if (Number.isFinite(bestTh)) {
    let a = bestTh - h,
      c = bestTh + h;
    const g = (Math.sqrt(5) - 1) / 2;
    for (let it = 0; it < 100; it++) {
      const x1 = c - g * (c - a),
        x2 = a + g * (c - a);
      if (f(x1) > f(x2)) c = x2;
      else a = x1;
    }
    best = Math.max(best, f((a + c) / 2));
  }
  return best;
}

/**
 * Critical values of the Montiel Olea & Pflueger (2013, JBES 31(3)) effective F for TSLS at
 * worst-case Nagar bias τ relative to the benchmark and level α, as in `weakivtest` (Pflueger
 * & Wang 2015, Stata Journal 15(1)): with the eigenvalues λ of Ŵ₂ normalised to sum 1,
 *
 *   K_eff = 2(1 + 2x)/(2Σλ² + 4x·max λ),  c = χ²_{K_eff}(x·K_eff)⁻¹(1 − α)/K_eff,
 *
 * simplified: x = 1/τ; generalized: x = B_TSLS/τ, B_TSLS = sup_β |tr S₁₂ − 2λ_ext(S₁₂)| /
 * √(tr S₂ tr S₁) with S₁₂ = W₁₂ − βW₂, S₁ = W₁ − 2βW₁₂ + β²W₂, S₂ = W₂ (λ_ext: the smallest and
 * largest eigenvalue of the symmetric part). B_TSLS ≤ 1, so generalized ≤ simplified; with one
 * instrument B_TSLS = 1 and both equal χ²₁(1/τ)⁻¹(1 − α) (23.1085 at τ = 10 %, α = 5 %).
 * The supremum over β is found on a tan-spaced grid with golden-section polishing (weakivtest
 * uses a grid and Nelder–Mead), so it can only be larger or equal to a local optimiser's.
 *
 * @example
 *   const cv = mopCriticalValues(ef, { tau: 0.1, alpha: 0.05 });
 *   ef.stat > cv.generalized.critical; // reject "worst-case bias > 10 %"
 */
export function mopCriticalValues(ef: EffectiveF, opts: { tau?: number; alpha?: number } = {}): MopCriticalValues {
  const tau = opts.tau ?? 0.1,
    alpha = opts.alpha ?? 0.05;
  const simplified = patnaik(ef.W2, alpha, 1 / tau);
  const bTsls = ef.K === 1 ? 1 : maxBias(ef.W1, ef.W12, ef.W2);
  const g = patnaik(ef.W2, alpha, bTsls / tau);
  return Object.freeze({ tau, alpha, simplified, generalized: Object.freeze({ ...g, bTsls }) });
}
