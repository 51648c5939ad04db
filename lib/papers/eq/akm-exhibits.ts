import { table } from "../../data/table";
import { shiftShareIv } from "../../estimators/shift-share/iv";
import { shiftShareOls } from "../../estimators/shift-share/ols";
import type { ShiftShareOptions, ShiftShareResult } from "../../estimators/shift-share/types";
import { dataTable } from "../../report/data-table";
import type { ReportTable } from "../../report/model";
import { numeric } from "../../data/table";
import type { AdhAkmData } from "./adh-data";
import { mapF64From } from "../../util/typed-map";

/** The three ADH regressions of ShiftShareSE's vignette (first stage, reduced form, IV), each with all five inference methods. */
export interface AdhAkmFits {
  readonly first_stage: ShiftShareResult;
  readonly reduced_form: ShiftShareResult;
  readonly iv: ShiftShareResult;
}

/**
 * Fit the ADH example of ShiftShareSE's vignette (Adão, Kolesár & Morales 2019, QJE, Table V
 * col. 1): first stage `shock ~ IV`, reduced form `d_sh_empl ~ IV` and IV `d_sh_empl ~ shock | IV`,
 * each with the vignette controls, weights `weights`, state clusters (`statefip`) and AKM
 * sector clusters at the 3-digit SIC (⌊sic/10⌋).
 *
 * Formula: Y_i = β X_i + Z_i'δ + ε_i, X_i = Σ_s w_is g_s (the IV column), AKM SE clustered by SIC3.
 *
 * @example
 *   const fits = adhAkmFits(await loadAdhAkm()); fits.iv.estimate; // -0.7742267
 */
export function adhAkmFits(adh: AdhAkmData): AdhAkmFits {
  const r = adh.reg;
  const opts: ShiftShareOptions = {
    x: numeric(r, "IV"),
    shares: adh.W,
    controls: adh.controls,
    weights: numeric(r, "weights"),
    regionCluster: numeric(r, "statefip"),
    sectorCluster: mapF64From(adh.sic, (s) => Math.floor(s / 10)),
  };
  const shock = numeric(r, "shock");
  const y = numeric(r, "d_sh_empl");
  return { first_stage: shiftShareOls(shock, opts), reduced_form: shiftShareOls(y, opts), iv: shiftShareIv(y, shock, opts) };
}

/**
 * The ADH shift-share inference table (the issue's `exports/tables/adh-akm.csv`): one row per
 * model (`first_stage`, `reduced_form`, `iv`) × SE type (`homoskedastic`, `ehw`, `cluster`
 * (state), `akm`, `akm0`), with raw-number columns `estimate`, `std_error` (NA for akm0, whose
 * set is not estimate ± z·se), `ci_low`, `ci_high` (95%). Reproduces ShiftShareSE's vignette
 * (Adão, Kolesár & Morales 2019, QJE, Table V col. 1).
 *
 * Formula: ci = β̂ ± 1.96·se (homoskedastic, ehw, cluster, akm); AKM0 = {β0 : |β̂ − β0| ≤ 1.96·se_AKM(β0)}.
 *
 * @example
 *   const t = adhAkmTable(await loadAdhAkm());
 *   await exportTable("adh-akm", t); // tables/adh-akm.csv: model,se_type,estimate,std_error,ci_low,ci_high
 */
export function adhAkmTable(adh: AdhAkmData | AdhAkmFits): ReportTable {
  const fits = "reg" in adh ? adhAkmFits(adh) : adh;
  const model: string[] = [];
  const seType: string[] = [];
  const est: number[] = [];
  const se: number[] = [];
  const lo: number[] = [];
  const hi: number[] = [];
  for (const m of ["first_stage", "reduced_form", "iv"] as const) {
    const f = fits[m];
    for (const inf of f.inference) {
      model.push(m);
      seType.push(inf.method);
      est.push(f.estimate);
      se.push(inf.method === "akm0" ? NaN : inf.se);
      lo.push(inf.ciLow);
      hi.push(inf.ciHigh);
    }
  }
  const t = table({
    model,
    se_type: seType,
    estimate: Float64Array.from(est),
    std_error: Float64Array.from(se),
    ci_low: Float64Array.from(lo),
    ci_high: Float64Array.from(hi),
  });
  return dataTable(t, {
    title: "ADH (2013) shift-share inference: AKM and AKM0 beside the usual standard errors",
    digits: 4,
    notes: [
      "Adão, Kolesár & Morales (2019, QJE) Table V col. 1 as in ShiftShareSE's vignette: CZ data weighted by 1980 population share; controls as ADH; 95% intervals.",
      "cluster: states (48). akm, akm0: shocks clustered by 3-digit SIC; akm0 has no standard error (the interval inverts the null-imposed AKM test).",
    ],
  });
}
