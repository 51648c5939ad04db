import { feols } from "../../estimators/feols";
import { iv2sls } from "../../estimators/iv2sls";
import { eqFormula, EQ_BASELINE, EQ_FE, eqLagSample, eqTruth } from "./specs";
import { buildSplitPanels, splitTruth } from "./heterogeneity";
import { mechanismPanel, mechanismFormula, mechanismTruth } from "./mechanism";
import { buildExtensionsPanel } from "./extensions";

/** One EQ estimate with a true value: name, estimate, its SE (the notebook's clustering) and the truth. */
export interface EqRecoveryEstimate {
  readonly name: string;
  readonly estimate: number;
  readonly se: number;
  readonly truth: number;
}

const CL = { vcov: { cluster: ["city^hs4"] } } as const;

/**
 * Every EQ estimate that has a true value, estimated on the synthetic folder `dataDir` by the
 * notebooks' own library calls, with its true value from the folder's `truth.json` (for the
 * recovery command: bias, RMSE and coverage over seeds):
 *
 * - Table 2 col. 4 (EQ_BASELINE), Table 3 cols. 1–2 (province, province × year FE), 4 (2SLS on the
 *   lag sample, IV L.vagg), 5–6 (2SLS, Tel1984 × inv, Post1984 × inv), Table 4 cols. 6–7 (province,
 *   city clusters): truth β (`eqTruth`: realised.eq.beta_vagg, else TRUTH.eq.beta_vagg);
 * - Table 5 cols. 1–4 (trade-mode and BEC split samples): `splitTruth` (the realised cell shares π);
 * - Table 7 col. 5 (total of the Melitz–Polanec decomposition): `mechanismTruth`;
 * - Table 8 col. 2 (ln road per capita on vagg, city × year, city clusters): road_vagg.
 * Throws (DataError) on a folder without `truth.json` (real data have no truth).
 *
 * @example
 *   const rows = await eqRecoveryEstimates("data/raw/synthetic/default");
 *   rows.find((r) => r.name === "T2 (4) baseline")   // { estimate ≈ 0.32, se ≈ 0.02, truth 0.3087 }
 */
export async function eqRecoveryEstimates(dataDir: string): Promise<EqRecoveryEstimate[]> {
  const T = eqTruth(dataDir);
  if (!T) throw new Error(`eqRecoveryEstimates: ${dataDir} has no truth.json (not synthetic data): no true values`);
  const b = T.beta_vagg;
  const out: EqRecoveryEstimate[] = [];
  const add = (
    name: string,
    m: { coef: Readonly<Record<string, number>>; se: Readonly<Record<string, number>> },
    term: string,
    truth: number,
  ): void => {
    out.push({ name, estimate: m.coef[term] as number, se: m.se[term] as number, truth });
  };
  const split = await buildSplitPanels(dataDir);
  const eq = split.base;
  add("T2 (4) baseline", feols(eq.panel, EQ_BASELINE, CL), "vagg", b);
  add("T3 (1) + province FE", feols(eq.panel, eqFormula("quality", "vagg", `${EQ_FE} + province`), CL), "vagg", b);
  add("T3 (2) + province × year FE", feols(eq.panel, eqFormula("quality", "vagg", `${EQ_FE} + province + province^year`), CL), "vagg", b);
  const lag = eqLagSample(eq.panel);
  add("T3 (4) 2SLS, IV L.vagg", iv2sls(lag.panel, eqFormula("quality", "", EQ_FE, "vagg ~ l_vagg"), CL), "vagg", b);
  add("T3 (5) 2SLS, IV Tel1984 × inv", iv2sls(eq.panel, eqFormula("quality", "", EQ_FE, "vagg ~ tel_iv"), CL), "vagg", b);
  add("T3 (6) 2SLS, IV Post1984 × inv", iv2sls(eq.panel, eqFormula("quality", "", EQ_FE, "vagg ~ post_iv"), CL), "vagg", b);
  add("T4 (6) clustered by province", feols(eq.panel, EQ_BASELINE, { vcov: { cluster: ["province"] } }), "vagg", b);
  add("T4 (7) clustered by city", feols(eq.panel, EQ_BASELINE, { vcov: { cluster: ["city"] } }), "vagg", b);
  const st = await splitTruth(split, dataDir, EQ_BASELINE);
  if (st)
    for (const k of ["processing", "ordinary", "intermediate", "final"] as const)
      add(`T5 ${k}`, feols(split[k], EQ_BASELINE, CL), "vagg", st[k]);
  const mp = mechanismPanel(eq, { item: "variety" });
  const mt = mechanismTruth(mp, dataDir);
  if (mt) add("T7 (5) total", feols(mp.panel, mechanismFormula("total"), CL), "vagg", mt.total);
  const ext = await buildExtensionsPanel(dataDir);
  add(
    "T8 (2) ln road per capita",
    feols(ext.cityYear, eqFormula("lnroad", "vagg", "city + year"), { vcov: { cluster: ["city"] } }),
    "vagg",
    T.road_vagg,
  );
  return out;
}
