import { test } from "uvu";
import * as assert from "uvu/assert";
import { ivVcov, meatOf, nClusters } from "../../../lib/estimators/iv/ssc";
import { cross, inv, residualize } from "../../../lib/estimators/iv/linalg";
import { factorize } from "../../../lib/core/fixed-effects/factorize";
import { meatCluster, meatHetero } from "../../../lib/vcov";
import type { IvDesign } from "../../../lib/estimators/iv/types";
import { MODELS, close, haveStata, readStataCoef, stataDesign, tsls, twoWayDesign } from "./helpers";

// Small-sample presets of the IV vcov. `ivreghdfe` = ivreg2 without `small`: iid σ² = RSS/N,
// robust HC0, cluster without G/(G − 1). Tolerance 1e-6 relative against Stata's standard errors
// (the CSVs store the data at ~8 significant digits; Stata used the unrounded values).
const STATA = 1e-6;

function vcovInput(d: IvDesign, preset: "ivreghdfe" | "fixest") {
  const W = [...d.exog, ...d.inst];
  const fit = residualize([...d.endo], W).resid;
  const Xh = [...d.endo.map((x, j) => Float64Array.from(x, (v, i) => v - fit[j]![i]!)), ...d.exog];
  const { e } = tsls(d);
  const k = Xh.length;
  const Bi = inv(cross(Xh));
  const bread = new Float64Array(k * k);
  for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) bread[a * k + c] = Bi[a]![c]!;
  const names = d.vce.clusters.map((_, q) => `g${q}`);
  const spec = d.vce.kind === "cluster" ? { cluster: names } : d.vce.kind;
  return {
    X: Xh,
    e,
    bread,
    rss: e.reduce((s, v) => s + v * v, 0),
    n: d.n,
    kCoef: k,
    fixef: [],
    fixefNames: [],
    clusters: d.vce.clusters,
    clusterNames: names,
    spec,
    preset,
  } as const;
}

test("ivreghdfe preset reproduces ivreg2's standard errors (no `small`): iid, HC0, cluster", () => {
  if (!haveStata("IV vcov vs Stata")) return;
  for (const [name, kind, suf] of [
    ["card_overid", "iid", "iid"],
    ["card_overid", "hetero", "hc1"],
    ["sim_cluster", "cluster", "cl"],
    ["sim_multi_endo", "hetero", "hc1"],
  ] as const) {
    const d = stataDesign(MODELS[name], kind);
    const vc = ivVcov(vcovInput(d, "ivreghdfe"));
    const ref = readStataCoef(`${name}_coef_${suf}.csv`);
    const names = [...d.endoNames, ...d.exogNames.map((x) => (x === "(Intercept)" ? "_cons" : x))];
    const k = names.length;
    names.forEach((nm, j) => close(Math.sqrt(vc.V[j * k + j]!), ref[nm]!.se, STATA, `${name} ${suf} se(${nm})`));
    assert.is(vc.dof.tDf, Infinity);
    assert.is(vc.dof.ssAdj, 1);
  }
});

test("ivreghdfe preset, two-way clustering: SEs = ivreg2 cluster(firm_id year_id)", () => {
  if (!haveStata("two-way clustered IV vcov vs Stata")) return;
  const d = twoWayDesign();
  const vc = ivVcov(vcovInput(d, "ivreghdfe"));
  const ref = readStataCoef("sim_twoway_coef_cl2.csv");
  ["endo1", "_cons", "x1"].forEach((nm, j) => close(Math.sqrt(vc.V[j * 3 + j]!), ref[nm]!.se, STATA, `se(${nm})`));
  assert.not.ok(vc.psdFixed);
});

test("fixest preset = ivreghdfe × the documented factors: iid and HC1 n/(n − K), cluster (n − 1)/(n − K)·G/(G − 1)", () => {
  if (!haveStata("IV vcov presets")) return;
  for (const kind of ["iid", "hetero", "cluster"] as const) {
    const d = stataDesign(MODELS.sim_cluster, kind);
    const a = ivVcov(vcovInput(d, "ivreghdfe")),
      b = ivVcov(vcovInput(d, "fixest"));
    const n = d.n,
      K = 3,
      G = 50;
    const f = kind === "iid" ? n / (n - K) : kind === "hetero" ? n / (n - K) : ((n - 1) / (n - K)) * (G / (G - 1));
    close(b.V[0]! / a.V[0]!, f, 1e-12, kind);
  }
});

test("nClusters = the smallest G (ivreg2 min(N_clust1, N_clust2)); meatOf = lib/vcov meats; iid has no meat", () => {
  const c1 = factorize(Int32Array.of(0, 0, 1, 1, 2, 2)),
    c2 = factorize(Int32Array.of(0, 1, 0, 1, 0, 1));
  assert.is(nClusters({ kind: "cluster", clusters: [c1, c2] }), 2);
  assert.ok(Number.isNaN(nClusters({ kind: "hetero", clusters: [] })));
  const S = [Float64Array.of(1, 2, 3, 4, 5, 6), Float64Array.of(0.5, -1, 2, 0, 1, -2)];
  const flat = (M: number[][]) => M.flat();
  assert.equal(flat(meatOf(S, { kind: "hetero", clusters: [] })), Array.from(meatHetero(S)));
  assert.equal(flat(meatOf(S, { kind: "cluster", clusters: [c1] })), Array.from(meatCluster(S, c1)));
  assert.throws(() => meatOf(S, { kind: "iid", clusters: [] }), /iid has no meat/);
});

test.run();
