import { column, numeric, table, takeRows, fromRecords, type Column, type Table } from "../data/table";
import { feols } from "../estimators/feols";
import { demean } from "../core/fixed-effects/demean";
import { factorize } from "../core/fixed-effects/factorize";
import { ArgumentError, DataError } from "../util/errors";
import { keyAt, keysOf, numberAt } from "../data/keys";
import { rotembergSummary, type RotembergRow } from "./rotemberg";
import { mapF64From } from "../util/typed-map";

export interface RotembergOlsOptions {
  /** Estimation rows (e.g. city × HS4 × year). */
  readonly data: Table;
  readonly y: string;
  /** The Bartik regressor; must equal Σ_s share_{s,unit} · shift_{s,time} row by row. */
  readonly x: string;
  readonly controls?: readonly string[];
  /** Fixed effects: column names, or "a^b" for an interaction. */
  readonly fe?: readonly string[];
  /** Columns of `data` linking a row to its shares (unit) and to the shifts (time). */
  readonly unit: string;
  readonly time: string;
  /** Long shares: unit, industry, share (default columns: `unit` option's name, "ind", "share"). */
  readonly shares: Table;
  /** Long shifts: industry, time, shift (default columns: "ind", `time` option's name, "shift"). */
  readonly shifts: Table;
  readonly shareColumns?: { readonly unit?: string; readonly industry?: string; readonly share?: string };
  readonly shiftColumns?: { readonly industry?: string; readonly time?: string; readonly shift?: string };
  /** Variance of the reported OLS coefficient (feols syntax). Default "iid". */
  readonly vcov?: string;
  /** Largest accepted |x − Σ share·shift| relative to max |x|. Default 1e-8. */
  readonly tolerance?: number;
}

export interface RotembergOlsResult {
  /** One row per (year, industry) of the estimation years, in year then industry order; pi, gamma, F are NaN. */
  readonly rows: RotembergRow[];
  /** The OLS coefficient on x (feols, same sample) and its SE. */
  readonly betaOls: number;
  readonly seOls: number;
  /** Σ_k α_k β̂_k. */
  readonly betaDecomposed: number;
  readonly sumAlpha: number;
  readonly nobs: number;
  /** max_i |x_i − Σ_s share·shift|: how exactly x is the Bartik sum. */
  readonly maxAbsBartikGap: number;
  /** Rows whose unit has no share at all (their Bartik sum is 0). */
  readonly rowsWithoutShares: number;
}

function feKey(t: Table, spec: string): (string | null)[] {
  const parts = spec.split("^").map((p) => p.trim());
  const cols = parts.map((p) => column(t, p));
  const out: (string | null)[] = new Array(t.nrows);
  for (let i = 0; i < t.nrows; i++) {
    let k = "";
    for (let j = 0; j < cols.length; j++) {
      const v = keyAt(cols[j] as Column, i);
      if (v === null) {
        k = "";
        out[i] = null;
        break;
      }
      k += (j ? "\u001f" : "") + v;
    }
    if (out[i] !== null) out[i] = k;
  }
  return out;
}

/**
 * Rotemberg (GPSS 2020) decomposition of the OLS coefficient on a Bartik regressor: Rotemberg
 * weights when the Bartik index is the *regressor* (EQ (17) with vagg from (22)), not the
 * instrument of another variable.
 *
 * Goldsmith-Pinkham, Sorkin & Swift (2020, AER 110(8), "Bartik Instruments: What, When, Why,
 * and How", Proposition 1) decompose the Bartik 2SLS estimate β̂ = B'ỹ / B'x̃,
 * B = Σ_k G_k Z_k, into just-identified estimates β̂_k = Z_k'ỹ / Z_k'x̃ with weights
 * α_k = G_k Z_k'x̃ / Σ_j G_j Z_j'x̃ (Σ_k α_k = 1). In EQ the regressor *is* the Bartik
 * index, x = vagg = B, so the "2SLS" is OLS and the same algebra splits the OLS coefficient:
 *
 *   β̂_OLS = x'ỹ / x'x̃ = Σ_k α_k β̂_k,   α_k = G_k Z_k'x̃ / x'x̃,   β̂_k = Z_k'ỹ / Z_k'x̃
 *
 * (~ = residual on the controls and fixed effects, Frisch–Waugh–Lovell). Here k is an
 * (industry s, year t) pair: Z_k = share_{s,c} · 1[year = t], G_k = Virtual_st — GPSS's
 * panel construction (one instrument per period × industry, as in their ADH example).
 * α_k is industry-year k's share of the identifying (residual) variation of vagg: Σ_k α_k = 1,
 * and α_k < 0 when k's component moves against the rest. β̂_k is the estimate that uses only
 * the variation of vagg coming from city differences in the base-period share of s, in year t.
 * A large α on a few industries says which sectors' digital-input growth (and the cities that
 * specialise in them) identify β; heterogeneous β̂_k with large α would say the effect is
 * driven by them (GPSS's "which shocks matter"). With x = B there is no first stage, so the
 * per-instrument π_k, γ_k and F of `rotembergWeights` are not computed (NaN in the rows).
 *
 * The sample is that of `feols(data, "y ~ x + controls | fe")` (NA rows and singletons removed);
 * y, x and the controls are demeaned by the fixed effects (lib/core) and x, y residualised on
 * the demeaned controls, so Σ_k α_k β̂_k reproduces the feols coefficient.
 *
 * @example
 *   const r = rotembergOls({ data: eq.panel, y: "quality", x: "vagg", controls: [...EQ_CONTROLS],
 *     fe: ["city", "year", "hs4"], unit: "city", time: "year", shares: cs.table, shifts: sh.table });
 *   r.betaOls;            // the feols coefficient on vagg
 *   r.betaDecomposed;     // Σ_k α_k β̂_k (equal up to the demeaning tolerance)
 *   rotembergByIndustry(r.rows, { names }); // α and β aggregated over years per industry
 */
export function rotembergOls(o: RotembergOlsOptions): RotembergOlsResult {
  const controls = o.controls ?? [];
  const fe = o.fe ?? [];
  const sc = { unit: o.shareColumns?.unit ?? o.unit, industry: o.shareColumns?.industry ?? "ind", share: o.shareColumns?.share ?? "share" };
  const fc = { industry: o.shiftColumns?.industry ?? "ind", time: o.shiftColumns?.time ?? o.time, shift: o.shiftColumns?.shift ?? "shift" };
  const tol = o.tolerance ?? 1e-8;
  // 1. the regression and its sample
  const fml = `${o.y} ~ ${o.x}${controls.length ? " + " + controls.join(" + ") : ""}${fe.length ? " | " + fe.join(" + ") : ""}`;
  const m = feols(o.data, fml, { vcov: o.vcov ?? "iid", keepResiduals: false });
  if (!(o.x in m.coef)) throw new ArgumentError(`"${o.x}" was dropped from ${fml} (collinear with the fixed effects or controls)`);
  const d = takeRows(o.data, m.obsRows);
  const n = d.nrows;
  // controls feols dropped as collinear (e.g. constant within the fixed effects) are left out of the
  // residualisation too: demeaned they are rounding noise, and fitting that noise would break β̂ = Σ α β̂
  const used = controls.filter((c) => !m.collinear.includes(c));
  // 2. FWL: demean by the fixed effects, residualise on the demeaned controls
  const cols = [numeric(d, o.y), numeric(d, o.x), ...used.map((c) => numeric(d, c))].map((c) => Float64Array.from(c));
  let dm: Float64Array[];
  if (fe.length) dm = demean(cols, { factors: fe.map((f) => factorize(feKey(d, f))) }).columns;
  else
    dm = cols.map((c) => {
      const mu = c.reduce((a, b) => a + b, 0) / n;
      return c.map((v) => v - mu);
    });
  let yt = dm[0] as Float64Array,
    xt = dm[1] as Float64Array;
  if (used.length) {
    const t = table(Object.fromEntries([["__y", yt], ["__x", xt], ...used.map((c, j) => [`__c${j}`, dm[2 + j] as Float64Array])]));
    const rhs = used.map((_, j) => `__c${j}`).join(" + ");
    const ry = feols(t, `__y ~ ${rhs}`, { vcov: "iid" }),
      rx = feols(t, `__x ~ ${rhs}`, { vcov: "iid" });
    if (ry.nobs !== n || rx.nobs !== n) throw new ArgumentError(`residualising on the controls lost rows (${n} → ${ry.nobs}/${rx.nobs})`);
    yt = ry.residuals as Float64Array;
    xt = rx.residuals as Float64Array;
  }
  // 3. shares by unit, shifts by (industry, time)
  const shareMap = new Map<string, Map<string, number>>();
  const sU = column(o.shares, sc.unit),
    sI = keysOf(column(o.shares, sc.industry)),
    sV = numeric(o.shares, sc.share);
  for (let i = 0; i < o.shares.nrows; i++) {
    const u = keyAt(sU, i),
      ind = sI[i];
    if (u === null || ind === null || ind === undefined) throw new DataError("NA unit or industry", { file: o.shares.source, row: i + 1 });
    const v = sV[i] as number;
    if (!Number.isFinite(v)) throw new DataError("NA or non-finite share", { file: o.shares.source, column: sc.share, row: i + 1 });
    let mu = shareMap.get(u);
    if (!mu) shareMap.set(u, (mu = new Map()));
    if (mu.has(ind)) throw new DataError(`duplicate share for unit "${u}", industry "${ind}"`, { file: o.shares.source, row: i + 1 });
    mu.set(ind, v);
  }
  const fI = keysOf(column(o.shifts, fc.industry)),
    fT = column(o.shifts, fc.time),
    fV = numeric(o.shifts, fc.shift);
  const shift = new Map<string, number>();
  for (let i = 0; i < o.shifts.nrows; i++) {
    const t = numberAt(fT, i, o.shifts.source, fc.time);
    const k = `${fI[i]}\u001f${t}`;
    if (shift.has(k)) throw new DataError(`duplicate shift for industry "${fI[i]}", time ${t}`, { file: o.shifts.source, row: i + 1 });
    shift.set(k, fV[i] as number);
  }
  const industries = [...new Set([...shareMap.values()].flatMap((mm) => [...mm.keys()]))].sort();
  const S = industries.length;
  const indIdx = new Map(industries.map((s, j) => [s, j]));
  // 4. Z_k'x̃, Z_k'ỹ for k = (year, industry), and the Bartik-sum check
  const dU = column(d, o.unit),
    dT = column(d, o.time),
    xRaw = numeric(d, o.x);
  const years = new Map<number, number>();
  const yearOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = numberAt(dT, i, d.source, o.time);
    let g = years.get(t);
    if (g === undefined) years.set(t, (g = years.size));
    yearOf[i] = g;
  }
  const T = years.size;
  const zx = new Float64Array(T * S),
    zy = new Float64Array(T * S);
  let maxGap = 0,
    maxX = 0,
    noShare = 0,
    gapRow = -1,
    gapB = NaN;
  for (let i = 0; i < n; i++) {
    const u = keyAt(dU, i);
    const mu = u === null ? undefined : shareMap.get(u);
    const t = numberAt(dT, i, d.source, o.time);
    let b = 0;
    if (!mu) noShare++;
    else
      for (const [s, v] of mu) {
        const g = shift.get(`${s}\u001f${t}`);
        if (g === undefined || !Number.isFinite(g))
          throw new DataError(`no shift for industry "${s}" in ${t} (needed by unit ${u})`, { file: o.shifts.source, column: fc.shift });
        b += v * g;
        const k = (yearOf[i] as number) * S + (indIdx.get(s) as number);
        zx[k] += v * (xt[i] as number);
        zy[k] += v * (yt[i] as number);
      }
    const gap = Math.abs((xRaw[i] as number) - b);
    if (gap > maxGap) {
      maxGap = gap;
      gapRow = i;
      gapB = b;
    }
    maxX = Math.max(maxX, Math.abs(xRaw[i] as number));
  }
  if (maxGap > tol * Math.max(1, maxX))
    throw new ArgumentError(
      `"${o.x}" is not the Bartik sum Σ share·shift of these shares and shifts (estimation row ${gapRow + 1}: ${o.x} = ${xRaw[gapRow]}, Σ share·shift = ${gapB}); the decomposition needs x = B`,
    );
  // 5. α, β
  const yearList = [...years.keys()];
  let den = 0;
  for (let ty = 0; ty < T; ty++)
    for (let j = 0; j < S; j++) den += (shift.get(`${industries[j]}\u001f${yearList[ty]}`) ?? 0) * (zx[ty * S + j] as number);
  if (!(Math.abs(den) > 0)) throw new ArgumentError(`x'x̃ = 0: "${o.x}" has no variation left after the fixed effects and controls`);
  const order = yearList.map((y, g) => [y, g] as const).sort((a, b) => a[0] - b[0]);
  const rows: RotembergRow[] = [];
  let bd = 0,
    sa = 0;
  for (const [y, g] of order) {
    for (let j = 0; j < S; j++) {
      const G = shift.get(`${industries[j]}\u001f${y}`) ?? 0;
      const a = (G * (zx[g * S + j] as number)) / den;
      const beta = (zy[g * S + j] as number) / (zx[g * S + j] as number);
      if (a !== 0) bd += a * beta;
      sa += a;
      rows.push({ year: y, ind: industries[j] as string, g: G, alpha: a, beta, pi: NaN, gamma: NaN, F: NaN });
    }
  }
  return {
    rows,
    betaOls: m.coef[o.x] as number,
    seOls: m.se[o.x] as number,
    betaDecomposed: bd,
    sumAlpha: sa,
    nobs: n,
    maxAbsBartikGap: maxGap,
    rowsWithoutShares: noShare,
  };
}

/**
 * Rotemberg rows aggregated over years per industry (as GPSS aggregate their ADH weights over
 * periods): α_s = Σ_t α_st, β_s = Σ_t α_st β̂_st / α_s (the α-weighted mean), the contribution
 * α_s β_s to Σ α β and its share of the total, and the mean shift. Sorted by α_s, largest first.
 * Columns: ind, name, alpha, beta, contribution, share_of_beta, g_mean, years.
 *
 * @example rotembergByIndustry(r.rows, { names: await oecdSectorNames() });
 */
export function rotembergByIndustry(rows: readonly RotembergRow[], opts: { names?: ReadonlyMap<string, string> } = {}): Table {
  const agg = new Map<string, { a: number; ab: number; g: number; n: number }>();
  let total = 0;
  for (const r of rows) {
    let e = agg.get(r.ind);
    if (!e) agg.set(r.ind, (e = { a: 0, ab: 0, g: 0, n: 0 }));
    e.a += r.alpha;
    if (r.alpha !== 0) {
      e.ab += r.alpha * r.beta;
      total += r.alpha * r.beta;
    }
    e.g += r.g;
    e.n++;
  }
  const list = [...agg].sort((p, q) => q[1].a - p[1].a);
  return table({
    ind: list.map(([k]) => k),
    name: list.map(([k]) => opts.names?.get(k) ?? k),
    alpha: mapF64From(list, ([, e]) => e.a),
    beta: mapF64From(list, ([, e]) => (e.a !== 0 ? e.ab / e.a : NaN)),
    contribution: mapF64From(list, ([, e]) => e.ab),
    share_of_beta: mapF64From(list, ([, e]) => e.ab / total),
    g_mean: mapF64From(list, ([, e]) => e.g / e.n),
    years: mapF64From(list, ([, e]) => e.n),
  });
}

/**
 * The headline numbers of a {@link rotembergOls} decomposition as (statistic, value): β̂_OLS and
 * its SE, Σ α β̂ (must equal β̂_OLS), Σ α, the positive/negative weight split (GPSS Table 5
 * panel A style, via `rotembergSummary`), the largest industry-year weight, N and the Bartik check.
 *
 * @example showTable(dataTable(rotembergOlsSummary(r), { digits: 4 }));
 */
export function rotembergOlsSummary(r: RotembergOlsResult): Table {
  const s = rotembergSummary(r.rows);
  const top = [...r.rows].sort((a, b) => b.alpha - a.alpha)[0];
  return fromRecords([
    { statistic: "β̂ (OLS on vagg, feols)", value: r.betaOls },
    { statistic: "SE of β̂", value: r.seOls },
    { statistic: "Σ_k α_k β̂_k (decomposition)", value: r.betaDecomposed },
    { statistic: "Σ_k α_k", value: r.sumAlpha },
    { statistic: "sum of positive α", value: s.sumPositive },
    { statistic: "sum of negative α", value: s.sumNegative },
    { statistic: "share of |α| that is negative", value: s.shareNegative },
    { statistic: "α-weighted β̂ of positive weights", value: s.betaWeightedPositive },
    { statistic: "α-weighted β̂ of negative weights", value: s.betaWeightedNegative },
    { statistic: `largest α_k (${top ? `${top.ind}, ${top.year}` : "–"})`, value: top ? top.alpha : NaN },
    { statistic: "industry × year weights", value: r.rows.length },
    { statistic: "observations", value: r.nobs },
    { statistic: "max |vagg − Σ share·shift|", value: r.maxAbsBartikGap },
  ]);
}
