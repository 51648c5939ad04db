import { test } from "uvu";
import * as assert from "uvu/assert";
import { kpRankTest } from "../../../lib/estimators/iv/kleibergen-paap";
import { partialOut } from "../../../lib/estimators/iv/partial";
import { nClusters } from "../../../lib/estimators/iv/ssc";
import { isInvalid } from "../../../lib/estimators/iv/types";
import { MODELS, close, haveStata, readStataCsv, stataDesign } from "./helpers";

// Kleibergen & Paap (2006) rk statistic against Stata ivreg2 (ranktest):
// - `idstat` (underidentification LM: Anderson canonical-correlation LM for iid, KP rk LM otherwise);
// - `widstat` (weak identification: Cragg–Donald F for iid, KP rk Wald F otherwise, scaled
//   rk/N·(N − L)/L1, or rk/(N − 1)·(N − L)·(G − 1)/G/L1 with clusters).
// Tolerance 1e-6 relative: the shared CSVs store the data at ~8 significant digits while Stata
// used the unrounded values (observed ≤ 2.4e-8).
const STATA = 1e-6;

const cases = [
  ["card_overid", "iid", "iid"],
  ["card_overid", "hetero", "hc1"],
  ["sim_multi_endo", "iid", "iid"],
  ["sim_multi_endo", "hetero", "hc1"],
  ["sim_cluster", "hetero", "hc1"],
  ["sim_cluster", "cluster", "cl"],
] as const;

test("rk LM = ivreg2 idstat with df L1 − K1 + 1 (iid, HC, one-way cluster; K1 = 1 and 2)", () => {
  if (!haveStata("KP LM vs Stata")) return;
  for (const [name, kind, suf] of cases) {
    const d = stataDesign(MODELS[name], kind);
    const p = partialOut(d);
    const s = readStataCsv(`${name}_diagnostics_${suf}.csv`)[0]!;
    const lm = kpRankTest(p.endo, p.inst, d.vce, "LM");
    assert.ok(!isInvalid(lm), `${name} ${suf}`);
    if (isInvalid(lm)) return;
    close(lm.stat, s["idstat"]!, STATA, `${name} ${suf} idstat`);
    assert.is(lm.df, s["iddf"]);
  }
});

test("rk Wald, scaled as ivreg2's weak-identification F = widstat (robust and cluster)", () => {
  if (!haveStata("KP Wald vs Stata")) return;
  for (const [name, kind, suf] of cases) {
    if (kind === "iid") continue;
    const d = stataDesign(MODELS[name], kind);
    const p = partialOut(d);
    const w = kpRankTest(p.endo, p.inst, d.vce, "Wald");
    assert.ok(!isInvalid(w));
    if (isInvalid(w)) return;
    const N = d.n,
      L1 = d.inst.length,
      L = L1 + d.exog.length;
    const G = nClusters(d.vce);
    const F = kind === "cluster" ? ((w.stat / (N - 1)) * (N - L) * (G - 1)) / G / L1 : ((w.stat / N) * (N - L)) / L1;
    close(F, readStataCsv(`${name}_diagnostics_${suf}.csv`)[0]!["widstat"]!, STATA, `${name} ${suf} widstat`);
  }
});

test("iid closed forms: LM = N·ρ²_min, Wald = N·ρ²_min/(1 − ρ²_min)", () => {
  if (!haveStata("KP iid closed forms on sim_multi_endo")) return;
  const d = stataDesign(MODELS.sim_multi_endo, "iid");
  const p = partialOut(d);
  const lm = kpRankTest(p.endo, p.inst, d.vce, "LM"),
    wd = kpRankTest(p.endo, p.inst, d.vce, "Wald");
  assert.ok(!isInvalid(lm) && !isInvalid(wd));
  if (isInvalid(lm) || isInvalid(wd)) return;
  const r = lm.ccorr[lm.ccorr.length - 1]!;
  assert.ok(lm.ccorr[0]! >= r, "descending");
  close(lm.stat, d.n * r * r, 1e-9, "LM");
  close(wd.stat, (d.n * r * r) / (1 - r * r), 1e-9, "Wald");
});

test("invalid inputs are explained: no endogenous, under-identified, collinear", () => {
  const z = Float64Array.of(1, -1, 2, 0.5, -2),
    x = Float64Array.of(0.3, 1, -1, 2, 0);
  const vce = { kind: "iid" as const, clusters: [] };
  const a = kpRankTest([], [z], vce, "LM");
  assert.ok(isInvalid(a) && /no endogenous/.test(a.reason));
  const b = kpRankTest([x, z], [z], vce, "LM");
  assert.ok(isInvalid(b) && /under-identified/.test(b.reason));
  const c = kpRankTest([x], [z, Float64Array.from(z, (v) => 2 * v)], vce, "LM");
  assert.ok(isInvalid(c) && /collinear/.test(c.reason));
});

test.run();
