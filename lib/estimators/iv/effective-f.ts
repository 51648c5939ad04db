import { at, cross, crossVec, dot, inv, sqrtSym, type Mat } from "./linalg";
import { partialOut } from "./partial";
import { meatOf, nClusters } from "./ssc";
import { type Invalid, type IvDesign, invalid } from "./types";

/** The Montiel Olea–Pflueger effective F and the pieces its critical values need (normalised instruments, Z'Z/N = I). */
export interface EffectiveF {
  readonly kind: "effective-f";
  readonly stat: number;
  /** Number of excluded instruments K (MOP's notation; L1 elsewhere in this module). */
  readonly K: number;
  readonly n: number;
  readonly vce: IvDesign["vce"]["kind"];
  /** The non-robust first-stage F, N·π̂'π̂/(K·σ̂²_v) with σ̂²_v = RSS/(N − L − sdofminus) (weakivtest's "Non-Robust F"). */
  readonly nonRobustF: number;
  /** Small-sample factor applied to the meat: N/(N − L − sdofminus), clusters (N − 1)/(N − L − sdofminus)·G/(G − 1). */
  readonly dofFactor: number;
  /** Blocks of Ŵ = Var̂[(Z'u, Z'v)/√N] (u: reduced-form residual of y, v: first-stage residual), K×K each. */
  readonly W1: Mat;
  readonly W12: Mat;
  readonly W2: Mat;
}

/**
 * Montiel Olea & Pflueger (2013, JBES 31(3), "A robust test for weak instruments") effective
 * first-stage F for one endogenous regressor, computed as the Stata command `weakivtest`
 * (Pflueger & Wang 2015, Stata Journal 15(1)) does:
 *
 *   F_eff = N·π̂'π̂ / tr(Ŵ₂)  with instruments normalised to Z'Z/N = I_K,
 *
 * equivalently, for any instrument basis, F_eff = π̂'(Z'Z)π̂ / tr(V̂(π̂)·Z'Z) with V̂(π̂) the
 * sandwich variance of the first-stage coefficients (invariant to Z ↦ ZA). Steps: partial
 * the included exogenous regressors and the absorbed fixed effects out of y, x and Z (FWL,
 * `partialOut`); normalise Z ↦ Z(Z'Z/N)^{-1/2}; reduced-form residuals u (y on Z) and v (x on
 * Z); Ŵ = (1/N)·meat([Z·u, Z·v]) × dofFactor, where the meat follows the design's VCE (iid:
 * Σ̂ ⊗ Z'Z/N with Σ̂ = [u v]'[u v]/N; hetero: Σ_i; cluster: Σ_g; two-way: Cameron–Gelbach–Miller)
 * and dofFactor = N/(N − L − sdofminus), or (N − 1)/(N − L − sdofminus)·G/(G − 1) with clusters
 * (G = the smaller cluster count with two-way clustering, as ivreg2) — weakivtest's
 * `S/(S − K − L − 1)` and `clustdfadj`, with the absorbed fixed effects counted as ivreghdfe
 * counts them (sdofminus).
 *
 * Closed forms (tests): iid → F_eff equals the non-robust first-stage F; one instrument →
 * F_eff equals the robust (or cluster) first-stage Wald F with the same small-sample factor,
 * which is ivreg2's Kleibergen–Paap Wald F (widstat) when K1 = L1 = 1.
 *
 * @example
 *   const ef = effectiveF(design);   // design of an iv2sls fit (one endogenous regressor)
 *   if (!isInvalid(ef)) ef.stat;     // compare with mopCriticalValues(ef).simplified.critical
 */
export function effectiveF(d: IvDesign): EffectiveF | Invalid {
  if (d.endo.length !== 1) return invalid(`the effective F is defined for one endogenous regressor (model has ${d.endo.length})`);
  const K = d.inst.length,
    N = d.n;
  if (K < 1) return invalid("no excluded instruments");
  const df = N - K - d.exog.length - d.sdofminus;
  if (!(df > 0)) return invalid(`no residual degrees of freedom (N − L − sdofminus = ${df})`);
  if (d.vce.kind === "cluster" && nClusters(d.vce) < 2) return invalid("fewer than two clusters");
  const p = partialOut(d);
  let Qmh: Mat;
  try {
    const Q = cross(p.inst).map((r) => r.map((v) => v / N));
    Qmh = inv(sqrtSym(Q));
  } catch {
    return invalid("collinear excluded instruments (singular Z'Z after partialling)");
  }
  // normalised instruments Z* = Z Q^{-1/2} (Z*'Z*/N = I)
  const Zs = Qmh.map((_, k) => {
    const z = new Float64Array(N);
    p.inst.forEach((zl, l) => {
      const c = at(Qmh, l, k);
      if (c !== 0) for (let i = 0; i < N; i++) z[i] += c * (zl[i] as number);
    });
    return z;
  });
  const x = p.endo[0] as Float64Array,
    y = p.y;
  const pi = crossVec(Zs, x).map((v) => v / N);
  const dl = crossVec(Zs, y).map((v) => v / N);
  const v = Float64Array.from(x),
    u = Float64Array.from(y);
  Zs.forEach((z, k) => {
    const a = pi[k] as number,
      b = dl[k] as number;
    for (let i = 0; i < N; i++) {
      v[i] -= a * (z[i] as number);
      u[i] -= b * (z[i] as number);
    }
  });
  let dofFactor = N / df;
  if (d.vce.kind === "cluster") {
    const G = nClusters(d.vce);
    dofFactor = (((N - 1) / df) * G) / (G - 1);
  }
  let W: Mat;
  if (d.vce.kind === "iid") {
    const suu = dot(u, u) / N,
      suv = dot(u, v) / N,
      svv = dot(v, v) / N;
    const ZZ = cross(Zs).map((r) => r.map((q) => q / N));
    const S = [
      [suu, suv],
      [suv, svv],
    ];
    W = Array.from({ length: 2 * K }, (_, i) =>
      Array.from({ length: 2 * K }, (_, j) => at(S, Math.floor(i / K), Math.floor(j / K)) * at(ZZ, i % K, j % K)),
    );
  } else {
    const scores = [...Zs.map((z) => z.map((q, i) => q * (u[i] as number))), ...Zs.map((z) => z.map((q, i) => q * (v[i] as number)))];
    W = meatOf(scores, d.vce).map((r) => r.map((q) => q / N));
  }
  W = W.map((r) => r.map((q) => q * dofFactor));
  const blk = (r0: number, c0: number): Mat =>
    Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => at(W, r0 + i, c0 + j)));
  const W1 = blk(0, 0),
    W12 = blk(0, K),
    W2 = blk(K, K);
  let trW2 = 0;
  for (let k = 0; k < K; k++) trW2 += at(W2, k, k);
  if (!(trW2 > 0)) return invalid("first-stage residual variance is zero");
  const ssPi = dot(pi, pi);
  const stat = (N * ssPi) / trW2;
  const nonRobustF = (N * ssPi) / (K * (dot(v, v) / df));
  return Object.freeze({ kind: "effective-f", stat, K, n: N, vce: d.vce.kind, nonRobustF, dofFactor, W1, W12, W2 });
}
