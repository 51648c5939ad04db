import { test } from "uvu";
import * as assert from "uvu/assert";
import { cStatistic, wuHausman } from "../../../lib/estimators/iv/endogeneity";
import { dot, residualize } from "../../../lib/estimators/iv/linalg";
import { isInvalid } from "../../../lib/estimators/iv/types";
import { MODELS, close, haveStata, readStataCsv, stataDesign } from "./helpers";

// C statistic = ivreg2 `endog()` (`estat`) and fixest's Wu–Hausman F.
// Tolerances: 1e-6 relative against Stata (data stored at ~8 significant digits in the CSVs,
// observed ≤ 2.7e-8); 1e-9 relative for the closed-form RSS identity (two exact OLS fits).
const STATA = 1e-6;

test("C statistic = ivreg2 estat (iid, HC, cluster; K1 = 1 and 2), df = K1", () => {
  if (!haveStata("C statistic vs Stata")) return;
  const cases = [
    ["card_overid", "iid", "iid"],
    ["card_overid", "hetero", "hc1"],
    ["card_just_id", "iid", "iid"],
    ["sim_multi_endo", "iid", "iid"],
    ["sim_multi_endo", "hetero", "hc1"],
    ["sim_cluster", "cluster", "cl"],
  ] as const;
  for (const [name, kind, suf] of cases) {
    const d = stataDesign(MODELS[name], kind);
    const s = readStataCsv(`${name}_diagnostics_${suf}.csv`)[0]!;
    const c = cStatistic(d);
    assert.ok(!isInvalid(c), `${name} ${suf}`);
    if (isInvalid(c)) return;
    close(c.stat, s["estat"]!, STATA, `${name} ${suf} estat`);
    assert.is(c.df, s["estatdf"]);
    assert.ok(c.stat >= 0);
  }
});

test("Wu–Hausman F = ((RSS_r − RSS_u)/K1)/(RSS_u/df2) of y on [X, V̂] vs y on X (control function, iid)", () => {
  if (!haveStata("Wu–Hausman on sim_multi_endo")) return;
  for (const name of ["sim_multi_endo", "card_overid"] as const) {
    const d = stataDesign(MODELS[name], "iid");
    const W = [...d.exog, ...d.inst];
    const V = residualize([...d.endo], W).resid;
    const X = [...d.endo, ...d.exog];
    const eu = residualize([d.y], [...X, ...V]).resid[0]!,
      er = residualize([d.y], X).resid[0]!;
    const K1 = d.endo.length;
    const df2 = d.n - X.length - K1;
    const F = (dot(er, er) - dot(eu, eu)) / K1 / (dot(eu, eu) / df2);
    const wh = wuHausman(d);
    assert.ok(!isInvalid(wh));
    if (isInvalid(wh)) return;
    close(wh.stat, F, 1e-9, `${name} WH`);
    assert.is(wh.df1, K1);
    assert.is(wh.df2, df2);
  }
});

test.run();
