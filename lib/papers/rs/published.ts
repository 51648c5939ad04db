import type { PublishedMoment } from "../published-moment";

/**
 * Every number the RS paper prints that the notebooks compare with (Yan, Xu & Zhang 2025,
 * "The resilience code of the digital age"), transcribed from the paper's text (`../shared/papers/`),
 * in one place. Nothing here is computed; everything computed is shown beside it.
 */

/** RS Table 2: descriptive statistics (281 cities, 2008–2019); null = not printed. The calibration targets of the synthetic data. */
export const RS_TABLE2: Readonly<Record<string, PublishedMoment>> = {
  resi: { n: 3177, mean: 0.153, sd: 0.095, min: 0.051, max: 0.735 },
  vagg: { n: 3177, mean: 0.159, sd: 0.314, min: 0, max: 1.983 },
  pop: { n: 3177, mean: 5.81, sd: 0.889, min: null, max: null },
  open: { n: 3177, mean: 4.077, sd: 1.582, min: null, max: null },
  fre: { n: 3177, mean: 8.966, sd: 0.837, min: null, max: null },
  road: { n: 3177, mean: 2.701, sd: 0.427, min: null, max: null },
  wage: { n: 3177, mean: 10.7, sd: 0.408, min: null, max: null },
  edu: { n: 3177, mean: 4.641, sd: 0.995, min: null, max: null },
};

/** Published numbers of RS used by the notebooks. */
export const RS_PUBLISHED = {
  /** = RS_TABLE2 (one transcription). */
  table2: RS_TABLE2,
  table3: [
    { coef: 0.1155, se: 0.0227, r2: 0.146, fe: false, controls: false },
    { coef: 0.0083, se: 0.0027, fe: true, controls: false },
    { coef: 0.0274, se: 0.0163, fe: false, controls: true },
    { coef: 0.0075, se: 0.0027, fe: true, controls: true },
  ],
  nobs: 3177,
  table4: {
    old_industrial: { in: { coef: 0.0039, se: 0.002, n: 1053 }, out: { coef: 0.0099, se: 0.0041, n: 2124 }, p: 0.072 },
    digital_infra_high: { in: { coef: 0.0102, se: 0.0043 }, out: { coef: 0.005, se: 0.0018 }, p: 0.091 },
    urban_agglomeration: { in: { coef: 0.0061, se: 0.0044 }, out: { coef: 0.0068, se: 0.0028 } },
    yangtze_belt: { in: { coef: 0.0037, se: 0.0028 }, out: { coef: 0.0089, se: 0.0045 } },
  } as Record<string, { in: { coef: number; se: number; n?: number }; out: { coef: number; se: number; n?: number }; p?: number }>,
  table5: {
    vagg_dist: { coef: -0.0597, se: 0.0359 },
    dist_resi: { coef: -0.0047, se: 0.0027 },
    vagg_distK: { coef: 0.0016, se: 0.034 },
    vagg_distL: { coef: -0.1672, se: 0.0857 },
    distL_resi: { coef: -0.0022, se: 0.0012 },
    nobs: 3166,
  },
  table6: {
    vagg_mp: { coef: 0.5626, se: 0.249 },
    mp_resi: { coef: 0.0016, se: 0.0006 },
    vagg_lmp: { coef: 0.0204, se: 0.0217 },
    vagg_hmp: { coef: 0.5414, se: 0.2415 },
    nobs: 3079,
  },
} as const;

/**
 * Published numbers the paper prints in the text of §5–6 but that `RS_PUBLISHED` (panel.ts)
 * does not hold yet: the effects of dist on the three resilience sub-dimensions (§5), and the
 * signs of the §6 extension (the paper prints no coefficients there, only signs and significance).
 */
export const RS_PUBLISHED_SECTIONS = {
  distDims: { resist: -0.0023, adapt: -0.0003, transform: -0.012 } as Readonly<Record<string, number>>,
  extension: { vagg_c: "+", agg_c: "+", "vagg_c:agg_c": "+", quartiles: ["+", "+", "+ (largest)", "n.s."] },
} as const;
