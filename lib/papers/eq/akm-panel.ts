import * as path from "node:path";
import { column, numeric } from "../../data/table";
import type { ReportTable } from "../../report/model";
import { akmPanelRows, akmPanelTable, type AkmPanelRow, type AkmPanelSpec } from "../akm-panel";
import { censusShares } from "./measurement";
import { EQ_CONTROLS, type QualityPanel } from "./panel";
import { eqLagSample } from "./specs";

const FE2 = ["city", "year"];
const FE = ["city", "year", "hs4"];
const CL = ["city^hs4"];

/**
 * The EQ specifications whose regressor or instrument is the Bartik vagg (22): Table 2 cols. 1–4
 * (vagg_ct, shocks (industry, t)) and Table 3 cols. 1–4 (province / province × year effects;
 * lagged vagg_{c,t−1}, shocks (industry, t−1), on the lag sample without the first year; 2SLS of vagg on l_vagg). Table 3 cols. 5–6
 * (1984 telephones / post offices × national internet investment) are not shift-share designs.
 */
export const EQ_AKM_SPECS: readonly AkmPanelSpec[] = [
  { label: "Table 2 (1)", y: "quality", x: "vagg", fe: FE2, cluster: CL },
  { label: "Table 2 (2)", y: "quality", x: "vagg", controls: EQ_CONTROLS, fe: FE2, cluster: CL },
  { label: "Table 2 (3)", y: "quality", x: "vagg", fe: FE, cluster: CL },
  { label: "Table 2 (4)", y: "quality", x: "vagg", controls: EQ_CONTROLS, fe: FE, cluster: CL },
  { label: "Table 3 (1)", y: "quality", x: "vagg", controls: EQ_CONTROLS, fe: [...FE, "province"], cluster: CL },
  { label: "Table 3 (2)", y: "quality", x: "vagg", controls: EQ_CONTROLS, fe: ["city", "hs4", "province^year"], cluster: CL },
  { label: "Table 3 (3)", y: "quality", x: "l_vagg", lag: 1, controls: EQ_CONTROLS, fe: FE, cluster: CL },
  { label: "Table 3 (4) 2SLS", y: "quality", x: "l_vagg", endog: "vagg", lag: 1, controls: EQ_CONTROLS, fe: FE, cluster: CL },
];

/**
 * AKM inference beside the city × HS4 clustered SEs of EQ Tables 2–3: vagg_ct = Σ_s share_{c,s,2004}
 * · Virtual_st is a panel shift-share with shocks k = (industry s, year t) and shares
 * w_{ct,k} = share_{c,s}·1[t = year] (Adão, Kolesár & Morales 2019, QJE; ShiftShareSE), shocks
 * clustered by industry. Shares from `census_2004.csv` in `env.dataDir` (as `buildQualityPanel`).
 *
 * Formula: vagg_ct = Σ_s (output_{s,c,2004}/output_{c,2004}) Virtual_st; se_AKM = √Σ_s(Σ_t X̂_st R_st)² / ΣẌ².
 *
 * @example
 *   const rows = await eqAkmRows(eq, env); rows[3].akm.inference; // Table 2 col. 4
 */
export async function eqAkmRows(eq: QualityPanel, env: { readonly dataDir: string }): Promise<AkmPanelRow[]> {
  const cs = await censusShares(path.join(env.dataDir, "census_2004.csv"));
  const shares = {
    unit: numeric(cs.table, "city"),
    industry: column(cs.table, "ind") as readonly (string | null)[],
    share: numeric(cs.table, "share"),
  };
  // the lagged-vagg rows run on the lag sample (first year dropped), as Table 3 cols. 3–4 do (`eqLagSample`)
  const current = EQ_AKM_SPECS.filter((s) => !s.lag);
  const lagged = EQ_AKM_SPECS.filter((s) => s.lag);
  const rows = [...akmPanelRows(eq.panel, current, shares), ...akmPanelRows(eqLagSample(eq.panel).panel, lagged, shares)];
  return EQ_AKM_SPECS.map((s) => rows.find((r) => r.spec === s) as AkmPanelRow);
}

/**
 * EQ Tables 2–3 with the AKM SE and AKM0 interval beside the clustered SE (`akmPanelTable` of
 * `eqAkmRows`).
 *
 * Formula: akm_ratio = se_AKM / se_{city×HS4}.
 *
 * @example
 *   showTable(await eqAkmTable(eq, env));
 */
export async function eqAkmTable(eq: QualityPanel, env: { readonly dataDir: string }): Promise<ReportTable> {
  return akmPanelTable(await eqAkmRows(eq, env), "EQ Tables 2–3: shift-share (AKM) inference beside the city × HS4 clustered SE", [
    "Shares: 2004 census output shares by city × industry; shocks: industry × year digital shifts (industry × (year − 1) for the lagged vagg); 2SLS: vagg instrumented by its lag.",
  ]);
}
