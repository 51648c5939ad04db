import { pNormal2, qNormal } from "../../util/distributions";
import { ArgumentError } from "../../util/errors";
import { akm0Interval } from "./akm0-interval";
import { clusterScoreSumSq, normalRow } from "./scores";
import { akmSectorTerms } from "./akm-terms";
import { shiftSharePartialOut } from "./partial-out";
import { shockCoefficients } from "./shock-coefficients";
import type { ShiftShareInference, ShiftShareOptions, ShiftShareResult } from "./types";
import { mapF64From } from "../../util/typed-map";

/**
 * OLS of y on a shift-share regressor X_i = Σ_s w_is g_s (plus controls, absorbed fixed effects,
 * analytic weights) with the inference of Adão, Kolesár & Morales (2019, QJE 134(4),
 * "Shift-share designs: theory and inference"): homoskedastic, EHW, region-clustered, the AKM
 * standard error (Prop. 4, eq. 36) and the AKM0 interval (Remark 6) — ShiftShareSE's
 * `reg_ss.fit` (R, Kolesár), including sector clustering (`sector_cvar`) and collinear-share
 * handling. Small-sample factors as ShiftShareSE: homoskedastic σ̂² = Σwε̂²/(N−p); EHW × N/(N−p);
 * cluster × G/(G−1)·(N−1)/(N−p); none for AKM/AKM0.
 *
 * Formula: β̂ = ΣwẌŸ / ΣwẌ²; se_AKM = √(Σ_s (X̂_s Σ_i w_i W_is ε̂_i)²) / ΣwẌ², X̂ = (W'ΩW)⁻¹W'ΩẌ.
 *
 * @example
 *   const r = shiftShareOls(y, { x, shares: W, controls, weights, regionCluster: state, sectorCluster: sic3 });
 *   r.inference.find((m) => m.method === "akm")!.se;
 */
export function shiftShareOls(y: Float64Array, opts: ShiftShareOptions): ShiftShareResult {
  const n = y.length;
  if (opts.x.length !== n || opts.shares.nRows !== n) throw new ArgumentError("shiftShareOls: y, x and the share matrix differ in rows");
  const w = opts.weights;
  const wt = (i: number) => (w ? (w[i] as number) : 1);
  const po = shiftSharePartialOut([y, opts.x], opts);
  const [ddY, ddX] = po.columns as [Float64Array, Float64Array];
  let RX = 0;
  let RXY = 0;
  for (let i = 0; i < n; i++) {
    RX += wt(i) * (ddX[i] as number) ** 2;
    RXY += wt(i) * (ddX[i] as number) * (ddY[i] as number);
  }
  const beta = RXY / RX;
  const p = po.rank + 1;
  const resid = mapF64From(ddY, (v, i) => v - (ddX[i] as number) * beta);
  const beta0 = opts.beta0 ?? 0;
  const alpha = opts.alpha ?? 0.05;
  const cv = qNormal(1 - alpha / 2);
  const out: ShiftShareInference[] = [];
  const add = (method: ShiftShareInference["method"], se: number) => out.push(normalRow(method, beta, beta0, se, cv));
  let rss = 0;
  let uu = 0;
  for (let i = 0; i < n; i++) {
    rss += wt(i) * (resid[i] as number) ** 2;
    uu += (wt(i) * (resid[i] as number) * (ddX[i] as number)) ** 2;
  }
  add("homoskedastic", Math.sqrt(rss / (n - p) / RX));
  add("ehw", Math.sqrt((n / (n - p)) * uu) / RX);
  if (opts.regionCluster) {
    const { sumSq, G } = clusterScoreSumSq(opts.regionCluster, wt, resid, ddX);
    add("cluster", Math.sqrt((G / (G - 1)) * ((n - 1) / (n - p)) * sumSq) / RX);
  }
  const sc = shockCoefficients(ddX, opts.shares, w);
  const null0 = mapF64From(ddY, (v, i) => v - (ddX[i] as number) * beta0);
  const [cR, cR0, cW] = akmSectorTerms(sc.coef, sc.kept, opts.shares, w, [resid, null0, ddX], opts.sectorCluster) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  add("akm", Math.sqrt(cR.reduce((a, v) => a + v * v, 0)) / RX);
  const a0 = akm0Interval(beta, RX, cR, cW, alpha);
  const se0 = Math.sqrt(cR0.reduce((a, v) => a + v * v, 0)) / RX;
  out.push({ method: "akm0", se: a0.se, p: pNormal2((beta - beta0) / se0), ciLow: a0.ciLow, ciHigh: a0.ciHigh });
  return { estimate: beta, nobs: n, rank: p, nSectors: cR.length, droppedSectors: sc.dropped, inference: out };
}
