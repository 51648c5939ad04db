import { test } from "uvu";
import * as assert from "uvu/assert";
import { craggDonald } from "../../../lib/estimators/iv/cragg-donald";
import { kpRankTest } from "../../../lib/estimators/iv/kleibergen-paap";
import { partialOut } from "../../../lib/estimators/iv/partial";
import { dot, residualize } from "../../../lib/estimators/iv/linalg";
import { isInvalid } from "../../../lib/estimators/iv/types";
import { MODELS, close, haveStata, readStataCsv, stataDesign } from "./helpers";

// Cragg & Donald (1993) F. Tolerances: 1e-12 for the closed-form arithmetic; 1e-6 relative
// against Stata ivreg2 (`cdf`): the shared CSVs hold the data at Stata's default export
// precision (~8 significant digits) while Stata used the unrounded values (observed ≤ 2e-9 here).
const STATA = 1e-6;

test("closed form: eigen = ρ²/(1 − ρ²) of the smallest canonical correlation; both df conventions", () => {
  const cd = craggDonald([0.9, 0.3], { n: 100, L: 5, L1: 2, K1: 2, sdofminus: 3 });
  assert.ok(!isInvalid(cd));
  if (isInvalid(cd)) return;
  const e = 0.09 / 0.91;
  close(cd.eigen, e, 1e-12, "eigen");
  close(cd.ivreg2, (e * (100 - 5 - 3)) / 2, 1e-12, "ivreg2 df");
  close(cd.fixest, (e * (100 - 2 - 2 - 1)) / 2, 1e-12, "fixest df");
  assert.ok(isInvalid(craggDonald([], { n: 10, L: 2, L1: 1, K1: 1, sdofminus: 0 })));
  assert.ok(isInvalid(craggDonald([1], { n: 10, L: 2, L1: 1, K1: 1, sdofminus: 0 })));
});

test("one endogenous: ρ² = R² of the partialled x on the partialled instruments", () => {
  if (!haveStata("Cragg–Donald on card_overid")) return;
  const d = stataDesign(MODELS.card_overid, "iid");
  const p = partialOut(d);
  const x = p.endo[0]!,
    u = residualize([x], p.inst).resid[0]!;
  const r2 = 1 - dot(u, u) / dot(x, x);
  const lm = kpRankTest(p.endo, p.inst, d.vce, "LM");
  assert.ok(!isInvalid(lm));
  if (isInvalid(lm)) return;
  close(lm.ccorr[0]! ** 2, r2, 1e-10, "ρ² = partial R²");
});

test("Stata ivreg2 cdf on card_overid, card_just_id, sim_multi_endo (K1 = 2), sim_cluster", () => {
  if (!haveStata("Cragg–Donald vs Stata")) return;
  for (const [name, suf] of [
    ["card_overid", "iid"],
    ["card_just_id", "iid"],
    ["sim_multi_endo", "iid"],
    ["sim_cluster", "hc1"],
  ] as const) {
    const m = MODELS[name];
    const d = stataDesign(m, "iid");
    const p = partialOut(d);
    const lm = kpRankTest(p.endo, p.inst, d.vce, "LM");
    assert.ok(!isInvalid(lm));
    if (isInvalid(lm)) return;
    const L = d.inst.length + d.exog.length;
    const cd = craggDonald(lm.ccorr, { n: d.n, L, L1: d.inst.length, K1: d.endo.length, sdofminus: 0 });
    assert.ok(!isInvalid(cd));
    if (!isInvalid(cd)) close(cd.ivreg2, readStataCsv(`${name}_diagnostics_${suf}.csv`)[0]!["cdf"]!, STATA, `${name} cdf`);
  }
});

test.run();
