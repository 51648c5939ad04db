/**
 * Published descriptive statistics (the calibration targets), encoded once:
 * EQ Table 1 (Zhao et al. 2022; 2005–2015, city × HS4 × year cells) and RS Table 2
 * (Yan, Xu & Zhang 2025; 281 cities 2008–2019). Source: /work/shared/papers/PAPERS.md.
 * null = not printed.
 */
export interface PublishedMoment { readonly n: number | null; readonly mean: number; readonly sd: number; readonly min: number | null; readonly max: number | null }

export const EQ_TABLE1: Readonly<Record<string, PublishedMoment>> = {
  hs4_qua: { n: 693162, mean: 0.581, sd: 0.169, min: 0, max: 1 },
  vagg: { n: 624577, mean: 0.574, sd: 0.084, min: 0.341, max: 0.903 },
  fdi: { n: null, mean: 0.031, sd: 0.027, min: null, max: null },
  open: { n: null, mean: 0.417, sd: 0.642, min: null, max: null },
  fisc: { n: null, mean: 0.103, sd: 0.057, min: null, max: null },
  dlp: { n: null, mean: 0.392, sd: 0.062, min: null, max: null },
  sci: { n: null, mean: 0.002, sd: 0.002, min: null, max: null },
  edu: { n: null, mean: 0.024, sd: 0.027, min: null, max: null },
  wage: { n: null, mean: 10.349, sd: 0.502, min: null, max: null },
  gdp: { n: null, mean: 10.163, sd: 0.676, min: null, max: null },
  fixinv: { n: null, mean: 0.594, sd: 0.228, min: null, max: null },
};

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
