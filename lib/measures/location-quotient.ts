import { ArgumentError, DataError } from "../util/errors";

/** Location quotients of one period and the totals they were computed from. */
export interface LocationQuotientResult {
  /** LQ_sc per unit (row c, column s), same shape as the input. */
  readonly lq: Float64Array[];
  /** m_c = Σ_s m_sc, the unit's total. */
  readonly unitTotal: Float64Array;
  /** M_s = Σ_c m_sc, the industry's total over all units. */
  readonly industryTotal: Float64Array;
  /** M = Σ_c Σ_s m_sc. */
  readonly total: number;
  /** Units with m_c = 0 (their LQs are set to 0, see the rule on `locationQuotient`). */
  readonly emptyUnits: number[];
  /** Industries with M_s = 0 (their LQs are set to 0). */
  readonly emptyIndustries: number[];
}

/**
 * Location quotient (区位熵; textbook form, e.g. Isard 1960, *Methods of Regional Analysis*,
 * MIT Press, ch. 7; Miller, Gibson & Wright 1991, "Location quotient: a basic tool for economic
 * development analysis", *Economic Development Review* 9(2)) of one period:
 *
 *     LQ_sc = (m_sc / m_c) / (M_s / M),   m_c = Σ_s m_sc,  M_s = Σ_c m_sc,  M = Σ_c Σ_s m_sc
 *
 * i.e. the share of industry s in unit c relative to industry s's share of the whole (all units
 * passed in). RS (Yan, Xu & Zhang 2025, §三(二)2) builds virtual agglomeration "by the logic of
 * the location quotient" on Alibaba 1688 paid members m_sct of industry s in city c and year t:
 * vagg_ct = Σ_s LQ_sct · a_st, with a_st the industry's direct consumption coefficient of digital
 * services (OECD input–output tables). Call once per year for a panel.
 *
 * Rules (0/0 cells, all reported, never silently NaN):
 *  - a unit with m_c = 0 (no members at all) has no industry composition; its LQs are set to 0
 *    ("no platform agglomeration", so Σ_s LQ_sc·a_s = 0) and it is listed in `emptyUnits`;
 *  - an industry with M_s = 0 has LQ 0 in every unit (listed in `emptyIndustries`);
 *  - negative or non-finite counts are a DataError naming the unit and industry index;
 *    a ragged matrix is an ArgumentError.
 * Identity checked in tests: Σ_c m_c · LQ_sc = M for every non-empty industry s (the
 * m_c-weighted mean LQ is 1).
 *
 * @example
 *   // two cities × two industries
 *   const r = locationQuotient([[10, 0], [10, 20]]);
 *   r.lq[0];   // [ (10/10)/(20/40), (0/10)/(20/40) ] = [2, 0]
 *   r.lq[1];   // [ (10/30)/(20/40), (20/30)/(20/40) ] = [2/3, 4/3]
 */
export function locationQuotient(m: readonly ArrayLike<number>[]): LocationQuotientResult {
  const nU = m.length;
  if (nU === 0) throw new ArgumentError("location quotient needs at least one unit");
  const nS = (m[0] as ArrayLike<number>).length;
  const unitTotal = new Float64Array(nU);
  const industryTotal = new Float64Array(nS);
  let total = 0;
  for (let c = 0; c < nU; c++) {
    const row = m[c] as ArrayLike<number>;
    if (row.length !== nS) throw new ArgumentError(`unit #${c + 1} has ${row.length} industries, unit #1 has ${nS}`);
    for (let s = 0; s < nS; s++) {
      const v = row[s] as number;
      if (!Number.isFinite(v) || v < 0)
        throw new DataError(`count of unit #${c + 1}, industry #${s + 1} is ${v}; location quotients need counts ≥ 0`);
      unitTotal[c] = (unitTotal[c] as number) + v;
      industryTotal[s] = (industryTotal[s] as number) + v;
      total += v;
    }
  }
  const emptyUnits: number[] = [];
  const emptyIndustries: number[] = [];
  for (let s = 0; s < nS; s++) if (!((industryTotal[s] as number) > 0)) emptyIndustries.push(s);
  const lq = m.map((row, c) => {
    const out = new Float64Array(nS);
    const mc = unitTotal[c] as number;
    if (!(mc > 0)) {
      emptyUnits.push(c);
      return out;
    }
    for (let s = 0; s < nS; s++) {
      const Ms = industryTotal[s] as number;
      if (Ms > 0) out[s] = (row[s] as number) / mc / (Ms / total);
    }
    return out;
  });
  return { lq, unitTotal, industryTotal, total, emptyUnits, emptyIndustries };
}
