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
 * Just-identified 2SLS of y1 on one endogenous y2 instrumented by a shift-share X_i = Σ_s w_is g_s
 * (plus controls, absorbed fixed effects, analytic weights) with the inference of Adão, Kolesár &
 * Morales (2019, QJE 134(4), Section IV.C): homoskedastic, EHW, region-clustered, AKM (Prop. 5)
 * and the AKM0 interval (Remark 6, valid under weak identification) — ShiftShareSE's
 * `ivreg_ss.fit` (R, Kolesár), including `sector_cvar` clustering. As ShiftShareSE, no
 * small-sample factor in IV (homoskedastic σ̂² = Σwε̂²/N).
 *
 * Formula: β̂ = ΣwẌŸ₁ / ΣwẌŸ₂; se_AKM = √(Σ_s (X̂_s Σ_i w_i W_is ε̂_i)²) / |ΣwẌŸ₂|, ε̂ = Ÿ₁ − Ÿ₂β̂.
 *
 * @example
 *   const r = shiftShareIv(y1, y2, { x: bartik, shares: W, controls, weights, sectorCluster: sic3 });
 *   r.estimate; r.inference.find((m) => m.method === "akm0");
 */
export function shiftShareIv(y1: Float64Array, y2: Float64Array, opts: ShiftShareOptions): ShiftShareResult {
  const n = y1.length;
  if (y2.length !== n || opts.x.length !== n || opts.shares.nRows !== n)
    throw new ArgumentError("shiftShareIv: y1, y2, x and the share matrix differ in rows");
  const w = opts.weights;
  const wt = (i: number) => (w ? (w[i] as number) : 1);
  const po = shiftSharePartialOut([y1, y2, opts.x], opts);
  const [ddY1, ddY2, ddX] = po.columns as [Float64Array, Float64Array, Float64Array];
  let RX = 0;
  let RXY1 = 0;
  let XX = 0;
  for (let i = 0; i < n; i++) {
    RX += wt(i) * (ddY2[i] as number) * (ddX[i] as number);
    RXY1 += wt(i) * (ddY1[i] as number) * (ddX[i] as number);
    XX += wt(i) * (ddX[i] as number) ** 2;
  }
  const beta = RXY1 / RX;
  const firstStage = RX / XX;
  const resid = mapF64From(ddY1, (v, i) => v - (ddY2[i] as number) * beta);
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
  add("homoskedastic", Math.sqrt(rss / n) / (Math.sqrt(XX) * Math.abs(firstStage)));
  add("ehw", Math.sqrt(uu / (RX * RX)));
  if (opts.regionCluster) {
    const { sumSq } = clusterScoreSumSq(opts.regionCluster, wt, resid, ddX);
    add("cluster", Math.sqrt(sumSq / (RX * RX)));
  }
  const sc = shockCoefficients(ddX, opts.shares, w);
  const null0 = mapF64From(ddY1, (v, i) => v - (ddY2[i] as number) * beta0);
  const [cR, cR0, cW] = akmSectorTerms(sc.coef, sc.kept, opts.shares, w, [resid, null0, ddY2], opts.sectorCluster) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  add("akm", Math.sqrt(cR.reduce((a, v) => a + v * v, 0) / (RX * RX)));
  const a0 = akm0Interval(beta, RX, cR, cW, alpha);
  const se0 = Math.sqrt(cR0.reduce((a, v) => a + v * v, 0) / (RX * RX));
  out.push({ method: "akm0", se: a0.se, p: pNormal2((beta - beta0) / se0), ciLow: a0.ciLow, ciHigh: a0.ciHigh });
  return { estimate: beta, nobs: n, rank: po.rank + 1, nSectors: cR.length, droppedSectors: sc.dropped, inference: out };
}
