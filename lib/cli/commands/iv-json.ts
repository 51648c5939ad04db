import type { Iv2slsResult } from "../../estimators/iv2sls";
import { isInvalid, type Invalid } from "../../estimators/iv/types";

/**
 * JSON view of the IV diagnostics of an `iv2sls` result, for `vagg estimate --json`.
 * Statistics that could not be computed are `{ invalid: reason }`; absent tests are `null`.
 *
 * @example
 *   JSON.stringify(ivDiagnosticsJson(iv2sls(t, "y ~ x3 | fe1 | x1 ~ z1 + z2", { vcov: "cluster:cl" })));
 */
type Json = number | string | boolean | null | Json[] | { [k: string]: Json };
const inv = (x: Invalid): Json => ({ invalid: x.reason });
const num = (x: number): Json => (Number.isFinite(x) ? x : x > 0 ? "Inf" : x < 0 ? "-Inf" : null);

/**
 * The IV diagnostics of a 2SLS fit as plain JSON for `vagg estimate --json`: first stages (F, partial R², instrument coefficients), identification, weak-IV, over-identification, endogeneity and Anderson–Rubin statistics; NaN/Infinity written as null.
 *
 * @example
 *   JSON.stringify(ivDiagnosticsJson(iv2sls(d, "y ~ 1 | fe | x ~ z")));
 */
export function ivDiagnosticsJson(r: Iv2slsResult): Record<string, Json> {
  const d = r.diagnostics;
  if (!d) return { error: "diagnostics were skipped" };
  const u = d.underidentification;
  const o = d.overidentification;
  const chi = (s: { stat: number; df: number; p: number }): Json => ({ stat: num(s.stat), df: s.df, p: num(s.p) });
  const F = (s: { stat: number; df1: number; df2: number; p: number }): Json => ({
    stat: num(s.stat),
    df1: s.df1,
    df2: num(s.df2),
    p: num(s.p),
  });
  const out: Record<string, Json> = {
    vce: d.vce,
    kp_lm: isInvalid(u) ? inv(u) : ({ ...(chi(u) as object), test: u.test } as Json),
    kp_wald_f: isInvalid(d.weakIdF) ? inv(d.weakIdF) : num(d.weakIdF.stat),
    cd_wald_f: isInvalid(d.cd) ? inv(d.cd) : num(d.cd.ivreg2),
    cd_fixest: isInvalid(d.cd) ? inv(d.cd) : num(d.cd.fixest),
    stock_yogo: {
      K1: d.stockYogo.K1,
      L1: d.stockYogo.L1,
      iv_bias: { ...d.stockYogo.ivBias } as Json,
      iv_size: { ...d.stockYogo.ivSize } as Json,
      source: d.stockYogo.source,
    },
  };
  if (isInvalid(o)) {
    out["hansen_j"] = null;
    out["sargan"] = null;
    out["overid"] = inv(o);
  } else if (o.test === "hansen") out["hansen_j"] = chi(o);
  else out["sargan"] = chi(o);
  const c = d.endogeneity.cStatistic,
    wh = d.endogeneity.wuHausman;
  out["endogeneity"] = { c_statistic: isInvalid(c) ? inv(c) : chi(c), wu_hausman: isInvalid(wh) ? inv(wh) : F(wh) };
  const ar = d.andersonRubin;
  out["anderson_rubin"] = {
    test_beta0: isInvalid(ar.test) ? inv(ar.test) : F(ar.test),
    confidence_set: isInvalid(ar.confidenceSet)
      ? inv(ar.confidenceSet)
      : {
          kind: ar.confidenceSet.kind,
          level: ar.confidenceSet.level,
          intervals: ar.confidenceSet.intervals.map(([a, b]) => [num(a), num(b)]),
        },
  };
  out["first_stage"] = r.firstStage.map((fs, j) => ({
    endogenous: fs.endogenous,
    coef: { ...fs.coef },
    instruments: Object.fromEntries(
      (r.firstStageTable?.[j]?.rows ?? []).map((row) => [
        row.name,
        { coef: num(row.estimate), se: num(row.se), t: num(row.t), p: num(row.p) },
      ]),
    ),
    partial_r2: num(fs.partialR2),
    shea_r2: num(fs.sheaR2),
    f: F(fs.f),
    wald: isInvalid(fs.wald) ? inv(fs.wald) : F(fs.wald),
    ivreg2_f: isInvalid(fs.ivreg2F) ? inv(fs.ivreg2F) : F(fs.ivreg2F),
    sw_f: isInvalid(fs.swF) ? inv(fs.swF) : F(fs.swF),
  }));
  return out;
}
