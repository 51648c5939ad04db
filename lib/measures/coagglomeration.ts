import { type Table, column, numeric } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { keysOf, numberAt } from "../data/keys";

/**
 * Co-agglomeration index, EQ eq. (27) (Zhao et al. 2022, §5.2(4)):
 *
 *   coa_ct = 1 − |agg_ct − vagg_ct| / (agg_ct + vagg_ct)
 *
 * agg = location quotient of secondary-industry employment (see `locationQuotientFromTotals`), vagg =
 * virtual agglomeration. Conventions: both inputs must be ≥ 0 (a negative value is an
 * ArgumentError naming the row); NA in either → NA; agg = vagg = 0 (agg + vagg = 0) → NA (0/0:
 * neither kind of agglomeration, the index is undefined); otherwise coa ∈ [0, 1], 1 when
 * agg = vagg, 0 when exactly one of them is 0.
 *
 * @example
 *   coagglomeration(Float64Array.of(1.5, 0.5), Float64Array.of(0.5, 0.5)); // [1 − 1/2, 1] = [0.5, 1]
 */
export function coagglomeration(agg: Float64Array, vagg: Float64Array): Float64Array {
  if (agg.length !== vagg.length) throw new ArgumentError(`agg has ${agg.length} values, vagg ${vagg.length}`);
  const out = new Float64Array(agg.length);
  for (let i = 0; i < agg.length; i++) {
    const a = agg[i] as number;
    const v = vagg[i] as number;
    if (a < 0 || v < 0) throw new ArgumentError(`coagglomeration needs agg, vagg ≥ 0; found agg = ${a}, vagg = ${v}`, { row: i + 1 });
    const s = a + v;
    out[i] = Number.isNaN(s) || s === 0 ? NaN : 1 - Math.abs(a - v) / s;
  }
  return out;
}

/**
 * Co-evolution degree from changes, EQ eq. (28) (after 陶长琪 et al. 2007):
 *
 *   d_coa = λ · sqrt(|Δagg| · |Δvagg|),  λ = +1 if Δagg · Δvagg > 0, else −1 (as printed, "≤ 0")
 *
 * Conventions: when Δagg or Δvagg is 0 the product is 0, λ = −1 by the printed rule, but the
 * magnitude is 0, so d_coa = 0 (returned as +0, never −0); NA in either → NA.
 *
 * @example
 *   coEvolutionFromChanges(Float64Array.of(0.04, 0.04, 0), Float64Array.of(0.01, -0.01, 0.3));
 *   // [+sqrt(.0004) = .02, −.02, 0]
 */
export function coEvolutionFromChanges(dAgg: Float64Array, dVagg: Float64Array): Float64Array {
  if (dAgg.length !== dVagg.length) throw new ArgumentError(`dAgg has ${dAgg.length} values, dVagg ${dVagg.length}`);
  const out = new Float64Array(dAgg.length);
  for (let i = 0; i < dAgg.length; i++) {
    const a = dAgg[i] as number;
    const v = dVagg[i] as number;
    if (Number.isNaN(a) || Number.isNaN(v)) {
      out[i] = NaN;
      continue;
    }
    const m = Math.sqrt(Math.abs(a) * Math.abs(v));
    out[i] = m === 0 ? 0 : a * v > 0 ? m : -m;
  }
  return out;
}

/**
 * Co-evolution degree d_coa_ct (EQ eq. 28) on a unit × time panel: Δ is the change from
 * t − lag (default 1) of the same unit; NA when that row is missing. Returns one value per
 * row of `t`, aligned with its rows. Duplicate (unit, time) rows are a DataError.
 *
 * @example
 *   coEvolution(panel, { unit: "city", time: "year", agg: "agg", vagg: "vagg" }); // Float64Array
 */
export function coEvolution(t: Table, o: { unit: string; time: string; agg: string; vagg: string; lag?: number }): Float64Array {
  const lag = o.lag ?? 1;
  const u = keysOf(column(t, o.unit));
  const tc = column(t, o.time);
  const agg = numeric(t, o.agg);
  const vagg = numeric(t, o.vagg);
  const rowOf = new Map<string, number>();
  const yr = new Float64Array(t.nrows);
  for (let i = 0; i < t.nrows; i++) {
    yr[i] = numberAt(tc, i, t.source, o.time);
    if (u[i] === null || Number.isNaN(yr[i] as number)) throw new DataError("NA unit or time", { file: t.source, row: i + 1 });
    const k = u[i] + "\u001f" + yr[i];
    if (rowOf.has(k)) throw new DataError(`duplicate (unit, time) "${u[i]}", ${yr[i]}`, { file: t.source, row: i + 1 });
    rowOf.set(k, i);
  }
  const da = new Float64Array(t.nrows).fill(NaN);
  const dv = new Float64Array(t.nrows).fill(NaN);
  for (let i = 0; i < t.nrows; i++) {
    const j = rowOf.get(u[i] + "\u001f" + ((yr[i] as number) - lag));
    if (j === undefined) continue;
    da[i] = (agg[i] as number) - (agg[j] as number);
    dv[i] = (vagg[i] as number) - (vagg[j] as number);
  }
  return coEvolutionFromChanges(da, dv);
}
