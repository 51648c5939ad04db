import { at, cholLower, cross, eigSym, inv, mul, quadInv, sqrtSym, transpose, zeros, type Mat } from "./linalg";
import { meatOf, nClusters, type Vce } from "./ssc";
import { pChi2Upper as pChi2 } from "./pvalues";
import { type Chi2Stat, type Invalid, invalid } from "./types";

/** A χ² rk statistic with the canonical correlations of Y and Z. */
export interface KpResult extends Chi2Stat {
  /** Canonical correlations of Y and Z, descending. */
  readonly ccorr: readonly number[];
}

/**
 * Kleibergen & Paap (2006, J. Econometrics 133(1), "Generalized reduced rank tests using the
 * singular value decomposition") rk statistic for H0: rank(Π) = K − 1 of the L×K reduced-form
 * matrix Π in Y = ZΠ + V (the full-rank test ivreg2 uses), transcribed from -ranktest-
 * (Kleibergen & Schaffer, `rkstat`, Mata): with F = chol(Z'Z), G = chol(Y'Y),
 * Θ = F'Π G'^{-1} = U S V', and the rotation A_q = U_2 U_22^{-1}(U_22 U_22')^{1/2},
 * B_q = (V_22 V_22')^{1/2} V_22'^{-1} V_2' (U_2 the last L−K+1 left singular vectors, V_2 the
 * K-th right singular vector), λ = vec(A_q' Θ B_q') and
 *
 *   rk = λ' [(B_q ⊗ A_q') V̂ (B_q ⊗ A_q')']^{-1} λ ~ χ²(L − K + 1),
 *
 * V̂ = (G^{-1} ⊗ F^{-1}) Ŝ (G^{-1} ⊗ F^{-1})' · N, Ŝ = N^{-1} Σ_g (Σ_{i∈g} e_i ⊗ z_i)(…)'
 * (ivreg2's m_omega, no small-sample factor). `LM`: e = Y (the restricted model), and with
 * iid errors V̂ = I/N, which gives N·(smallest squared canonical correlation) — Anderson's
 * (1951) canonical-correlations LM. `Wald`: e = Y − ZΠ̂; with iid errors this is
 * N·cd, cd the Cragg–Donald eigenvalue ρ²/(1 − ρ²).
 *
 * Inputs are the partialled (FE and included exogenous removed), √w-scaled Y (N×K) and Z (N×L).
 * Returns also the canonical correlations (descending).
 *
 * @example
 *   const lm = kpRankTest(p.endo, p.inst, { kind: "hetero", clusters: [] }, "LM");
 *   lm.stat; lm.df; lm.p;
 */
export function kpRankTest(Y: readonly Float64Array[], Z: readonly Float64Array[], vce: Vce, form: "LM" | "Wald"): KpResult | Invalid {
  const K = Y.length,
    L = Z.length;
  if (K === 0) return invalid("no endogenous regressor");
  const N = (Y[0] as Float64Array).length;
  if (L < K) return invalid(`under-identified: ${L} excluded instrument(s) for ${K} endogenous regressor(s)`);
  const YY = cross(Y),
    ZZ = cross(Z),
    ZY = cross(Z, Y);
  let Ly: Mat, Lz: Mat;
  try {
    Ly = cholLower(YY);
    Lz = cholLower(ZZ);
  } catch {
    return invalid("collinear endogenous regressors or instruments (cross-product matrix not positive definite)");
  }
  const ZZi = inv(ZZ);
  const Pi = mul(ZZi, ZY); // L×K
  const iLy = inv(Ly),
    iLz = inv(Lz);
  const T = mul(mul(transpose(Lz), Pi), transpose(iLy)); // L×K
  const eT = eigSym(mul(transpose(T), T)); // ascending
  const ccorr = eT.values.map((v) => Math.sqrt(Math.max(v, 0))).reverse();
  if (Math.abs(1 - (ccorr[0] as number)) < 1e-10)
    return invalid("collinearities between the endogenous regressors and the instruments (a canonical correlation equals 1)");
  const vK = eT.vectors.map((r) => r[0] as number); // right singular vector of the smallest singular value
  const eU = eigSym(mul(T, transpose(T))); // L×L ascending
  const m = L - K + 1;
  const U2 = eU.vectors.map((r) => r.slice(0, m)); // L×m
  const u22 = U2.slice(K - 1); // m×m (rows K..L)
  let aq: Mat;
  try {
    aq = mul(mul(U2, inv(u22)), sqrtSym(mul(u22, transpose(u22))));
  } catch {
    return invalid("singular rotation block in the rk statistic");
  }
  const v22 = vK[K - 1] as number;
  const bq = vK.map((v) => (Math.sign(v22) || 1) * v); // 1×K
  // λ = A_q' Θ B_q'
  const Tb = T.map((row) => row.reduce((s, t, k) => s + t * (bq[k] as number), 0));
  const lab = transpose(aq).map((col) => col.reduce((s, a, l) => s + a * (Tb[l] as number), 0));
  // row vectors: Az = A_q' Lz^{-1} (m×L), by = B_q Ly^{-1} (1×K)
  const Az = mul(transpose(aq), iLz);
  const by = bq.map((_, k) => bq.reduce((s, b, j) => s + b * at(iLy, j, k), 0));
  let vlab: Mat;
  if (vce.kind === "iid") {
    const aa = mul(transpose(aq), aq);
    if (form === "LM") {
      const bb = bq.reduce((s, b) => s + b * b, 0);
      vlab = aa.map((r) => r.map((v) => (v * bb) / N));
    } else {
      // σ = e'e/N with e = Y − ZΠ; vhat = (Ly^{-1} σ Ly^{-T}) ⊗ I
      const sig = zeros(K, K);
      for (let a = 0; a < K; a++)
        for (let b = 0; b < K; b++) {
          let s = at(YY, a, b);
          for (let l = 0; l < L; l++) s -= at(ZY, l, a) * at(Pi, l, b);
          (sig[a] as number[])[b] = s / N;
        }
      const sb = by.reduce((s, x, a) => s + x * by.reduce((t, y, b) => t + at(sig, a, b) * y, 0), 0);
      vlab = aa.map((r) => r.map((v) => v * sb));
    }
  } else {
    if (vce.kind === "cluster" && nClusters(vce) < m)
      return invalid(`${nClusters(vce)} clusters for an rk covariance of order ${m}: not identified`);
    // e_i: Y (LM) or residuals (Wald); scalar ĕ_i = by·e_i, z̆_i = Az z_i, φ_i = z̆_i ĕ_i
    const eb = new Float64Array(N);
    for (let k = 0; k < K; k++) {
      const yk = Y[k] as Float64Array,
        c = by[k] as number;
      for (let i = 0; i < N; i++) eb[i] += c * (yk[i] as number);
    }
    if (form === "Wald") {
      // subtract by·(ZΠ)_i = Σ_l (Π by')_l z_il
      const w = Pi.map((row) => row.reduce((s, p, k) => s + p * (by[k] as number), 0));
      Z.forEach((z, l) => {
        const c = w[l] as number;
        for (let i = 0; i < N; i++) eb[i] -= c * (z[i] as number);
      });
    }
    const phi = Az.map((row) => {
      const out = new Float64Array(N);
      row.forEach((c, l) => {
        const z = Z[l] as Float64Array;
        for (let i = 0; i < N; i++) out[i] += c * (z[i] as number);
      });
      for (let i = 0; i < N; i++) out[i] *= eb[i] as number;
      return out;
    });
    vlab = meatOf(phi, vce);
  }
  let rk: number;
  try {
    rk = quadInv(vlab, lab);
  } catch {
    return invalid("the rk covariance matrix is singular (Kleibergen–Paap Assumption 2 fails, e.g. too few clusters)");
  }
  return Object.freeze({ kind: "chi2", stat: rk, df: m, p: pChi2(rk, m), ccorr: Object.freeze(ccorr) });
}
