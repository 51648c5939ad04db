import { test } from "uvu";
import * as assert from "uvu/assert";
import { preTrendTest } from "../../../lib/estimators/staggered/pretrend";
import { sunAbraham } from "../../../lib/estimators/staggered/sun-abraham";
import { eventStudy } from "../../../lib/estimators/did";
import { loadPanel, loadJson, close } from "./fixtures";

// Tolerance: FIXEST = 1e-6 relative (absolute below 1) — fixest 0.12.2 wald() on the same models (and, for the
//   aggregated Sun–Abraham leads, b'V⁻¹b/q with fixest's aggregated vcov, computed in make_sunab.R); the statistics
//   are smooth functions of coefficients that agree to ~1e-10.
const FIXEST = 1e-6;
const spec = { y: "y", unit: "unit", time: "year", adoption: "cohort" } as const;
const ex = loadJson("sunab_expected.json");
const same = (w: { stat: number; p: number; df1: number; df2: number }, want: any, what: string) => {
  close(w.stat, want.stat, FIXEST, `${what} stat`);
  close(w.p, want.p, FIXEST, `${what} p`);
  assert.is(w.df1, want.df1, `${what} df1`);
  assert.is(w.df2, want.df2, `${what} df2`);
};

test("pre-trend Wald test of the TWFE event study equals fixest wald(keep = leads)", async () => {
  const es = eventStudy(await loadPanel(), { ...spec, window: [-4, 4] });
  // the event-study coefficients themselves match fixest's i(relb, ref = -1)
  const want = ex.twfe_es.est;
  for (const [k, nm] of (want.names as string[]).entries()) {
    const e = Number(nm.replace("relb::", ""));
    close(es.coef[e < 0 ? `et_m${-e}` : `et_p${e}`] as number, want.coef[k], FIXEST, nm);
  }
  same(preTrendTest(es), ex.twfe_es.pretrend, "twfe");
});

test("pre-trend tests of Sun–Abraham: aggregated leads (W V W') and all cohort × lead cells (fixest wald)", async () => {
  const sa = sunAbraham(await loadPanel(), spec);
  same(preTrendTest(sa), ex.never.pretrend_agg, "sa aggregated");
  same(preTrendTest(sa, { cells: true }), ex.never.pretrend, "sa cells");
});

test.run();
