import * as path from "node:path";
import { readTable } from "../../data/io";
import { column, numeric } from "../../data/table";
import type { ReportTable } from "../../report/model";
import { akmPanelRows, akmPanelTable, type AkmPanelRow, type AkmPanelSpec } from "../akm-panel";
import { RS_CONTROLS, type ResiliencePanel } from "./panel";
import { mapF64From } from "../../util/typed-map";

/** The RS Bartik robustness regression (resi on vagg_bartik, city and year effects, city clusters), without and with the controls. */
export const RS_AKM_SPECS: readonly AkmPanelSpec[] = [
  { label: "Bartik vagg, no controls", y: "resi", x: "vagg_bartik", fe: ["city", "year"], cluster: ["city"] },
  { label: "Bartik vagg (robustness)", y: "resi", x: "vagg_bartik", controls: RS_CONTROLS, fe: ["city", "year"], cluster: ["city"] },
];

/**
 * AKM inference for the RS Bartik robustness check: `vagg_bartik` (built by `buildResiliencePanel`)
 * is Σ_s share_{c,s,2008} · shift_st, a panel shift-share with shocks k = (industry, year) and
 * shares w_{ct,k} = share_{c,s}·1[t = year] (Adão, Kolesár & Morales 2019, QJE), shocks clustered
 * by industry. The 2008 output shares are read from `census_2008.csv` in `env.dataDir`; the shifts
 * are not needed (AKM uses W and the regressor). The panel's `vagg_bartik` is winsorised at
 * 1 %/99 % (with `buildResiliencePanel`'s default), so it is a shift-share only up to the clipped
 * tails: the gap is reported (`spanGap`), not refused; with `winsorize: false` it is 0 to rounding.
 *
 * Formula: vagg_bartik_ct = Σ_s (output_{s,c,2008}/output_{c,2008}) shift_st; se_AKM = √Σ_s(Σ_t X̂_st R_st)² / ΣẌ².
 *
 * @example
 *   const rows = await rsAkmRows(rs, env); rows[1].akm.inference;
 */
export async function rsAkmRows(rs: ResiliencePanel, env: { readonly dataDir: string }): Promise<AkmPanelRow[]> {
  const c = await readTable(path.join(env.dataDir, "census_2008.csv"), { columns: ["city_code", "industry", "output"] });
  const city = numeric(c, "city_code");
  const out = numeric(c, "output");
  const tot = new Map<number, number>();
  for (let i = 0; i < c.nrows; i++) tot.set(city[i] as number, (tot.get(city[i] as number) ?? 0) + (out[i] as number));
  const shares = {
    unit: city,
    industry: column(c, "industry") as ArrayLike<unknown>,
    share: mapF64From(out, (v, i) => v / (tot.get(city[i] as number) as number)),
  };
  // vagg_bartik is winsorised at 1 %/99 % with the other regression variables (buildResiliencePanel's
  // default), so it lies off the span of the shares in the clipped tails: allowed and reported (span_gap)
  return akmPanelRows(rs.panel, RS_AKM_SPECS, shares, { maxSpanGap: Infinity });
}

/**
 * The RS Bartik robustness check with the AKM SE and AKM0 interval beside the city-clustered SE
 * (`akmPanelTable` of `rsAkmRows`).
 *
 * Formula: akm_ratio = se_AKM / se_city.
 *
 * @example
 *   showTable(await rsAkmTable(rs, env));
 */
export async function rsAkmTable(rs: ResiliencePanel, env: { readonly dataDir: string }): Promise<ReportTable> {
  return akmPanelTable(await rsAkmRows(rs, env), "RS Bartik robustness: shift-share (AKM) inference beside the city-clustered SE", [
    "Shares: 2008 census output shares by city × industry; shocks: industry × year shifts (membership expansion since 2008 × industry coefficient).",
    "span_gap > 0: vagg_bartik is winsorised at 1%/99% in the panel, so it is a shift-share only outside the clipped tails; AKM uses its projection on the shares.",
  ]);
}
