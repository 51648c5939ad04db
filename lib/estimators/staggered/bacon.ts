import { type Table, numeric } from "../../data/table";
import { ArgumentError, DataError } from "../../util/errors";
import { type AdoptionSpec } from "../did";
import { cohortPanel } from "./cohorts";

export type BaconType = "Treated vs Untreated" | "Earlier vs Later Treated" | "Later vs Earlier Treated" | "Later vs Always Treated";

/** One 2×2 comparison: treated timing group, control group (Infinity: never treated; −Infinity: always treated), estimate, weight. */
export interface BaconComparison {
  readonly treated: number;
  readonly control: number;
  readonly type: BaconType;
  readonly estimate: number;
  readonly weight: number;
}

export interface BaconDecomposition {
  readonly comparisons: readonly BaconComparison[];
  /** Per comparison type: total weight and weight-averaged estimate. */
  readonly byType: readonly { readonly type: BaconType; readonly weight: number; readonly estimate: number }[];
  /** Σ_k w_k β_k (equals `twfe` on a balanced panel: Goodman-Bacon 2021, Theorem 1). */
  readonly weightedSum: number;
  /** The TWFE DID coefficient Σ D̃y / Σ D̃², D̃ the two-way demeaned treatment (FWL on the balanced panel). */
  readonly twfe: number;
  /** V̂^D = Σ D̃² / (NT), the variance the unnormalised weights sum to. */
  readonly varianceD: number;
}

/**
 * Goodman-Bacon (2021, J. Econometrics 225(2), Theorem 1) decomposition of the TWFE DID
 * coefficient on a balanced panel without covariates into 2×2 DIDs: β̂_TWFE = Σ_k Σ_{l≠k} s_kl β̂_kl,
 * timing groups vs never-treated (weight ∝ (n_k+n_U)² n_kU(1−n_kU) D̄_k(1−D̄_k)), earlier vs later
 * treated before the later group adopts (∝ ((n_k+n_l)(1−D̄_l))² n_kl(1−n_kl) (D̄_k−D̄_l)(1−D̄_k)/(1−D̄_l)²)
 * and later vs earlier treated after the earlier group adopts (∝ ((n_k+n_l)D̄_k)² n_kl(1−n_kl)
 * D̄_l(D̄_k−D̄_l)/D̄_k²), weights normalised by V̂^D to sum to one — as R's bacondecomp::bacon().
 * Units treated in the first period are the always-treated group; adoption after the last period is never.
 *
 * @example
 *   const b = baconDecomposition(t, { y: "resi", unit: "city", time: "year", adoption: "smart_year" });
 *   b.byType; b.weightedSum === b.twfe; // up to rounding
 */
export function baconDecomposition(t: Table, o: AdoptionSpec & { readonly y: string }): BaconDecomposition {
  const cp = cohortPanel(t, o);
  if (!cp.balanced) throw new ArgumentError("baconDecomposition: the panel must be balanced (one row per unit and period)");
  const y = numeric(t, o.y);
  const T = cp.periods.length;
  const N = cp.units.length;
  const Y = new Float64Array(N * T);
  for (let i = 0; i < t.nrows; i++) {
    if (!Number.isFinite(y[i] as number))
      throw new DataError("outcome is missing (NA); the decomposition needs a balanced panel", { file: t.source, column: o.y, row: i + 1 });
    Y[(cp.unitOf[i] as number) * T + (cp.periodOf[i] as number)] = y[i] as number;
  }
  const first = cp.periods[0] as number;
  // group key per unit: Infinity never, −Infinity always, else the adoption period
  const key = Array.from(cp.cohort, (g) => (g <= first ? -Infinity : g));
  const members = new Map<number, number[]>();
  key.forEach((g, u) => members.set(g, [...(members.get(g) ?? []), u]));
  const startIdx = (g: number) => (g === -Infinity ? 0 : g === Infinity ? T : cp.periods.findIndex((p) => p >= g));
  const share = (g: number) => (members.get(g) ?? []).length / N;
  const dbar = (g: number) => (T - startIdx(g)) / T;
  // 2×2 DID: treated vs control units, periods [lo, hi), post from s
  const did2 = (tr: number, ct: number, lo: number, s: number, hi: number) => {
    const diff = (u: number) => {
      let a = 0,
        b = 0;
      for (let p = lo; p < s; p++) a += Y[u * T + p] as number;
      for (let p = s; p < hi; p++) b += Y[u * T + p] as number;
      return b / (hi - s) - a / (s - lo);
    };
    const m = (g: number) => {
      const us = members.get(g) as number[];
      return us.reduce((acc, u) => acc + diff(u), 0) / us.length;
    };
    return m(tr) - m(ct);
  };
  const timing = [...members.keys()].filter((g) => g !== Infinity).sort((a, b) => a - b);
  const raw: (BaconComparison & { w: number })[] = [];
  if (members.has(Infinity))
    for (const k of timing) {
      if (k === -Infinity) continue;
      const nk = share(k),
        nu = share(Infinity),
        D = dbar(k),
        nkU = nk / (nk + nu);
      const w = (nk + nu) ** 2 * nkU * (1 - nkU) * D * (1 - D);
      raw.push({
        treated: k,
        control: Infinity,
        type: "Treated vs Untreated",
        estimate: did2(k, Infinity, 0, startIdx(k), T),
        weight: 0,
        w,
      });
    }
  for (let a = 0; a < timing.length; a++)
    for (let b = a + 1; b < timing.length; b++) {
      const k = timing[a] as number,
        l = timing[b] as number;
      const nk = share(k),
        nl = share(l),
        Dk = dbar(k),
        Dl = dbar(l),
        nkl = nk / (nk + nl);
      if (k !== -Infinity) {
        const w = ((nk + nl) * (1 - Dl)) ** 2 * nkl * (1 - nkl) * ((Dk - Dl) / (1 - Dl)) * ((1 - Dk) / (1 - Dl));
        raw.push({
          treated: k,
          control: l,
          type: "Earlier vs Later Treated",
          estimate: did2(k, l, 0, startIdx(k), startIdx(l)),
          weight: 0,
          w,
        });
      }
      const w = ((nk + nl) * Dk) ** 2 * nkl * (1 - nkl) * (Dl / Dk) * ((Dk - Dl) / Dk);
      const type: BaconType = k === -Infinity ? "Later vs Always Treated" : "Later vs Earlier Treated";
      raw.push({ treated: l, control: k, type, estimate: did2(l, k, startIdx(k), startIdx(l), T), weight: 0, w });
    }
  // TWFE by FWL: D̃ = D − D̄_i − D̄_t + D̄ on the balanced panel
  const Dm = new Float64Array(N * T);
  for (let u = 0; u < N; u++) for (let p = 0; p < T; p++) Dm[u * T + p] = p >= startIdx(key[u] as number) ? 1 : 0;
  const rowM = new Float64Array(N),
    colM = new Float64Array(T);
  let all = 0;
  for (let u = 0; u < N; u++)
    for (let p = 0; p < T; p++) {
      const d = Dm[u * T + p] as number;
      rowM[u] += d / T;
      colM[p] += d / N;
      all += d / (N * T);
    }
  let sxy = 0,
    sxx = 0;
  for (let u = 0; u < N; u++)
    for (let p = 0; p < T; p++) {
      const dt = (Dm[u * T + p] as number) - (rowM[u] as number) - (colM[p] as number) + all;
      sxy += dt * (Y[u * T + p] as number);
      sxx += dt * dt;
    }
  if (!(sxx > 0)) throw new ArgumentError("baconDecomposition: the treatment has no variation after unit and period effects");
  const total = raw.reduce((s, r) => s + r.w, 0);
  const comparisons = raw.filter((r) => r.w > 0).map(({ w, ...r }) => Object.freeze({ ...r, weight: w / total }));
  const types = [...new Set(comparisons.map((c) => c.type))];
  const byType = types.map((type) => {
    const cs = comparisons.filter((c) => c.type === type);
    const w = cs.reduce((s, c) => s + c.weight, 0);
    return Object.freeze({ type, weight: w, estimate: cs.reduce((s, c) => s + c.weight * c.estimate, 0) / w });
  });
  return Object.freeze({
    comparisons: Object.freeze(comparisons),
    byType: Object.freeze(byType),
    weightedSum: comparisons.reduce((s, c) => s + c.weight * c.estimate, 0),
    twfe: sxy / sxx,
    varianceD: sxx / (N * T),
  });
}
