import { feols } from "../../estimators/feols";
import { iv2sls } from "../../estimators/iv2sls";
import { eqFormula, EQ_BASELINE, eqLagSample, eqTruth, EQ_TABLE2_SPECS, EQ_TABLE3_SPECS, type EqSpec } from "./specs";
import { buildSplitPanels, splitTruth } from "./heterogeneity";
import { mechanismPanel, mechanismFormula, mechanismTruth, MP_COMPONENTS } from "./mechanism";
import { eqTrueOutcome, eqSpecFitWithTruth } from "./true-outcome";
import { feolsMulti } from "../../estimators/feols-multi";
import type { Table } from "../../data/table";
import { buildExtensionsPanel } from "./extensions";

/** One EQ estimate with a true value: name, estimate, its SE (the notebook's clustering) and the truth. */
export interface EqRecoveryEstimate {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
  readonly truth: number;
}

/** The paper's clustering (city × HS4), with the city-clustered variance of the same fit beside it. */
const CL = { vcov: { cluster: ["city^hs4"] }, vcovAlso: [{ cluster: ["city"] }] } as const;
/** The baseline's options: also the province-clustered variance (Table 4 col. 6) of the same fit. */
const CL_BASELINE = { vcov: { cluster: ["city^hs4"] }, vcovAlso: [{ cluster: ["city"] }, { cluster: ["province"] }] } as const;

/**
 * Every EQ estimate that has a true value, estimated on the synthetic folder `dataDir` by the
 * notebooks' own library calls, with its true value from the folder's `truth.json` (for the
 * recovery command: bias, RMSE and coverage over seeds):
 *
 * - Table 2 col. 4 (EQ_BASELINE), Table 3 cols. 1–2 (province, province × year FE), 4 (2SLS on the
 *   lag sample, IV L.vagg), 5–6 (2SLS, Tel1984 × inv, Post1984 × inv), Table 4 col. 6 (province
 *   clusters) and Table 7 cols. 1–6 (the Melitz–Polanec components): the same estimator on the
 *   noiseless true outcome over the same rows (`eqTrueOutcome`, truth_quality.parquet) — for the
 *   2SLS columns that is the instrument's own estimand, which the κ(vagg) dynamics move away from
 *   the OLS one; folders without the file: the realised β (`eqTruth`) and `mechanismTruth`;
 * - Table 5 cols. 1–4 (trade-mode and BEC split samples): `splitTruth` (realised.eq.trade_mode, .bec);
 * - Table 8 col. 2 (ln road per capita on vagg, city × year, city clusters): road_vagg.
 *
 * Each estimate clustered as the paper (city × HS4) carries a twin "…, city clusters" with the same
 * estimate and the city-clustered SE: the generator has city × year shocks common to all HS4 cells
 * of a city-year (as the paper's own Table 4 cols. 6–7 reveal: province/city SEs 0.050/0.055 vs
 * 0.020), so city × HS4 clusters understate the SE and their CIs under-cover by design — the
 * recovery study shows both. Throws (DataError) on a folder without `truth.json` (real data have no truth).
 *
 * @example
 *   const rows = await eqRecoveryEstimates("data/raw/synthetic/default");
 *   rows.find((r) => r.name === "T2 (4) baseline, city clusters")   // { estimate ≈ 0.33, se ≈ 0.04, truth ≈ 0.32 }
 */
export async function eqRecoveryEstimates(dataDir: string): Promise<EqRecoveryEstimate[]> {
  const T = eqTruth(dataDir);
  if (!T) throw new Error(`eqRecoveryEstimates: ${dataDir} has no truth.json (not synthetic data): no true values`);
  const b = T.beta_vagg;
  const out: EqRecoveryEstimate[] = [];
  type Fit = {
    coef: Readonly<Record<string, number>>;
    se: Readonly<Record<string, number>>;
    vcovAlso: readonly { se: Readonly<Record<string, number>> }[];
  };
  const add = (name: string, estimate: number, se: number, truth: number): void => {
    out.push({ name, estimate, se, truth });
  };
  const alsoSe = (m: Fit, q: number, term: string): number => (m.vcovAlso[q] as Fit["vcovAlso"][number]).se[term] as number;
  // one fit clustered as the paper (city × HS4), and the city-clustered variance of the same fit as its twin
  const both = (name: string, m: Fit, term: string, truth: number): void => {
    add(name, m.coef[term] as number, m.se[term] as number, truth);
    add(`${name}, city clusters`, m.coef[term] as number, alsoSe(m, 0, term), truth);
  };
  const split = await buildSplitPanels(dataDir);
  const eq = split.base;
  // the true value of each specification: the same estimator on the noiseless true outcome over the same
  // rows (eqTrueOutcome); folders without truth_quality.parquet fall back to the realised β
  const tq = await eqTrueOutcome(eq, dataDir);
  const panel = tq ? tq.panel : eq.panel;
  const lag = eqLagSample(panel).panel;
  type Spec = EqSpec & { data: Table };
  const specs: Spec[] = [EQ_TABLE2_SPECS[3] as EqSpec, ...EQ_TABLE3_SPECS].map((sp) => ({
    ...sp,
    data: sp.sample === "lag" ? lag : panel,
  }));
  const optsOf = (sp: Spec) => (sp === specs[0] ? CL_BASELINE : CL);
  let baseline: { m: Fit; truth: number } | null = null;
  for (const sp of specs) {
    let m: Fit, t: number;
    if (tq) {
      // the fit and its true value (the same estimator on quality_true, same rows) from one multiple-outcome fit
      const r = eqSpecFitWithTruth(tq, sp, optsOf(sp), sp.data);
      m = r.fit;
      t = r.truth;
    } else {
      // without the true-outcome file: the realised β for every column that estimates it (L.vagg's own coefficient has none)
      if (sp.term !== "vagg") continue;
      m = sp.iv ? iv2sls(sp.data, sp.formula, optsOf(sp)) : feols(sp.data, sp.formula, optsOf(sp));
      t = b;
    }
    both(sp.label, m, sp.term, t);
    if (sp === specs[0]) baseline = { m, truth: t };
  }
  // Table 4 col. 6: the baseline fit (Table 2 col. 4) with its province-clustered variance
  if (baseline) add("T4 (6) clustered by province", baseline.m.coef["vagg"] as number, alsoSe(baseline.m, 1, "vagg"), baseline.truth);
  const st = await splitTruth(split, dataDir, EQ_BASELINE);
  if (st)
    for (const k of ["processing", "ordinary", "intermediate", "final"] as const)
      both(`T5 ${k}`, feols(split[k], EQ_BASELINE, CL), "vagg", st[k]);
  const mp = mechanismPanel(eq, { item: "variety" });
  // Table 7: the decomposition of the true qualities of the same varieties and pairs, else the generator's realised values
  const mt = mechanismTruth(mp, dataDir, tq);
  // the six components in one multiple-outcome fit (one demeaning of the regressors)
  const t7 = MP_COMPONENTS.filter((c) => (mt?.components[c] ?? null) !== null);
  const t7fits = t7.length ? feolsMulti(mp.panel, mechanismFormula(t7), CL) : [];
  t7.forEach((c, j) => both(`T7 (${MP_COMPONENTS.indexOf(c) + 1}) ${c}`, t7fits[j] as Fit, "vagg", mt?.components[c] as number));
  const ext = await buildExtensionsPanel(dataDir, { base: eq });
  const road = feols(ext.cityYear, eqFormula("lnroad", "vagg", "city + year"), { vcov: { cluster: ["city"] } });
  add("T8 (2) ln road per capita", road.coef["vagg"] as number, road.se["vagg"] as number, T.road_vagg);
  return out;
}
