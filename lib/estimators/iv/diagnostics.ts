import { kpRankTest, type KpResult } from "./kleibergen-paap";
import { craggDonald, type CraggDonald } from "./cragg-donald";
import { stockYogo, type StockYogo } from "./stock-yogo";
import { overid, type OverId } from "./overid";
import { cStatistic, wuHausman } from "./endogeneity";
import { arConfidenceSet, andersonRubinTest, type ArConfidenceSet } from "./anderson-rubin";
import { partialOut } from "./partial";
import { nClusters } from "./ssc";
import { type Chi2Stat, type FStat, type Invalid, type IvDesign, invalid, isInvalid } from "./types";

/** All IV diagnostics of one fit (each a statistic or an explained `invalid`). */
export interface IvDiagnostics {
  readonly vce: "iid" | "hetero" | "cluster";
  readonly underidentification: (KpResult & { readonly test: "kleibergen-paap-lm" | "anderson-lm" }) | Invalid;
  readonly kpWald: KpResult | Invalid;
  readonly cd: CraggDonald | Invalid;
  /** Kleibergen–Paap rk Wald F (robust/cluster), or Cragg–Donald F (iid), as ivreghdfe's "weak identification" line. */
  readonly weakIdF: { readonly test: "kleibergen-paap-wald-f" | "cragg-donald-f"; readonly stat: number } | Invalid;
  readonly stockYogo: StockYogo;
  readonly overidentification: OverId;
  readonly endogeneity: { readonly cStatistic: Chi2Stat | Invalid; readonly wuHausman: FStat | Invalid };
  readonly andersonRubin: { readonly test: FStat | Invalid; readonly confidenceSet: ArConfidenceSet | Invalid };
}

/**
 * All post-estimation IV diagnostics of a 2SLS fit, defined as ivreg2/ivreghdfe print them
 * (Baum, Schaffer & Stillman 2007) plus fixest's variants where they differ:
 *
 * - `underidentification`: Kleibergen–Paap rk LM (robust/cluster) or Anderson canonical
 *   correlations LM (iid), χ²(L1 − K1 + 1);
 * - `weakIdentification`: Cragg–Donald Wald F (both conventions) and the Kleibergen–Paap rk
 *   Wald F (robust/cluster: rk·(N − L − sdofminus)/N/L1, or for clusters
 *   rk/(N − 1)·(N − L − sdofminus)·(G − 1)/G/L1; iid: equal to Cragg–Donald), with the
 *   Stock–Yogo critical values for (K1, L1);
 * - `overidentification`: Hansen J / Sargan or invalid (exactly identified);
 * - `endogeneity`: ivreg2's C statistic (`endog()`) and fixest's Wu–Hausman F;
 * - `andersonRubin`: AR test of β = 0 and AR confidence set (one endogenous regressor).
 *
 * @example
 *   const dg = ivDiagnostics(design, resid, { level: 0.95, center: b, scale: se });
 *   dg.underidentification;  // { kind: "chi2", stat, df, p }
 */
export function ivDiagnostics(d: IvDesign, resid2sls: Float64Array, ar: { level: number; center: number; scale: number }): IvDiagnostics {
  const p = partialOut(d);
  const K1 = d.endo.length,
    L1 = d.inst.length;
  const L = L1 + d.exog.length;
  const lm = kpRankTest(p.endo, p.inst, d.vce, "LM");
  const wald = d.vce.kind === "iid" ? lm : kpRankTest(p.endo, p.inst, d.vce, "Wald");
  const cc = isInvalid(lm) ? null : lm.ccorr;
  const cd = cc ? craggDonald(cc, { n: d.n, L, L1, K1, sdofminus: d.sdofminus }) : invalid(isInvalid(lm) ? lm.reason : "");
  let weakIdF: IvDiagnostics["weakIdF"];
  if (d.vce.kind === "iid") weakIdF = isInvalid(cd) ? cd : { test: "cragg-donald-f", stat: cd.ivreg2 };
  else if (isInvalid(wald)) weakIdF = wald;
  else if (d.vce.kind === "cluster") {
    const G = nClusters(d.vce);
    weakIdF = { test: "kleibergen-paap-wald-f", stat: ((wald.stat / (d.n - 1)) * (d.n - L - d.sdofminus) * (G - 1)) / G / L1 };
  } else weakIdF = { test: "kleibergen-paap-wald-f", stat: ((wald.stat / d.n) * (d.n - L - d.sdofminus)) / L1 };
  const under = isInvalid(lm)
    ? lm
    : Object.freeze({ ...lm, test: d.vce.kind === "iid" ? ("anderson-lm" as const) : ("kleibergen-paap-lm" as const) });
  return Object.freeze({
    vce: d.vce.kind,
    underidentification: under,
    kpWald: d.vce.kind === "iid" ? (isInvalid(lm) ? lm : kpRankTest(p.endo, p.inst, d.vce, "Wald")) : wald,
    cd,
    weakIdF: isInvalid(weakIdF) ? weakIdF : Object.freeze(weakIdF),
    stockYogo: stockYogo(K1, L1),
    overidentification: overid(d, resid2sls),
    endogeneity: Object.freeze({ cStatistic: cStatistic(d), wuHausman: wuHausman(d) }),
    andersonRubin: Object.freeze({ test: andersonRubinTest(d, 0), confidenceSet: arConfidenceSet(d, ar) }),
  });
}
