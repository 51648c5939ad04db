import { test } from "uvu";
import * as assert from "uvu/assert";
import { effectiveF, type EffectiveF } from "../../../lib/estimators/iv/effective-f";
import { firstStage } from "../../../lib/estimators/iv/first-stage";
import { partialOut } from "../../../lib/estimators/iv/partial";
import { cross, crossVec, dot, inv, mul, mulVec, residualize } from "../../../lib/estimators/iv/linalg";
import { meatOf, nClusters } from "../../../lib/estimators/iv/ssc";
import { isInvalid, type IvDesign } from "../../../lib/estimators/iv/types";
import { MODELS, close, haveStata, readStataCsv, stataDesign, twoWayDesign } from "./helpers";
import * as fs from "node:fs";
import * as path from "node:path";
import { iv2sls } from "../../../lib/estimators/iv2sls";
import { ivDesignOfResult } from "../../../lib/estimators/iv/design-registry";
import { column, table } from "../../../lib/data/table";
import { weakIvData } from "./weak-iv-synthetic";

// Montiel Olea & Pflueger (2013) effective F, weakivtest conventions (Pflueger & Wang 2015).
// Tolerances: 1e-6 relative against Stata numbers (the shared CSVs hold the data at ~8
// significant digits, observed differences ≤ 3e-8); 1e-10 for identities computed here
// (different algebra on the same doubles).
const STATA = 1e-6;
const ALG = 1e-10;

const ok = (x: ReturnType<typeof effectiveF>): EffectiveF => {
  if (isInvalid(x)) throw new Error(`unexpected invalid: ${x.reason}`);
  return x;
};

test("iid: effective F = the non-robust first-stage F = ivreg2's Cragg–Donald F (K1 = 1), Card just-identified and over-identified", () => {
  if (!haveStata("effective F vs ivreg2 (iid)")) return;
  for (const name of ["card_just_id", "card_overid"] as const) {
    const d = stataDesign(MODELS[name], "iid");
    const ef = ok(effectiveF(d));
    const s = readStataCsv(`${name}_diagnostics_iid.csv`)[0]!;
    // with K1 = 1 the Cragg–Donald F is the first-stage F with df N − L (Stock & Yogo 2005)
    close(ef.stat, s["cdf"]!, STATA, `${name} F_eff vs cdf`);
    close(ef.nonRobustF, ef.stat, ALG, `${name} F_eff vs non-robust F`);
  }
});

test("one instrument, heteroskedastic: effective F = robust first-stage Wald F = ivreg2 widstat (Card, HC)", () => {
  if (!haveStata("effective F vs ivreg2 widstat (HC)")) return;
  const d = stataDesign(MODELS.card_just_id, "hetero");
  const ef = ok(effectiveF(d));
  close(ef.stat, readStataCsv("card_just_id_diagnostics_hc1.csv")[0]!["widstat"]!, STATA, "F_eff vs widstat");
  const fs = firstStage(d)[0]!;
  assert.ok(!isInvalid(fs.ivreg2F));
  if (!isInvalid(fs.ivreg2F)) close(ef.stat, fs.ivreg2F.stat, ALG, "F_eff vs ivreg2 first-stage F");
});

test("one instrument, one-way and two-way clusters: effective F = the cluster first-stage Wald F (ivreg2 scaling)", () => {
  if (!haveStata("effective F vs cluster first-stage F")) return;
  const one = stataDesign({ ...MODELS.sim_cluster, inst: ["z1"] }, "cluster");
  const tw = twoWayDesign();
  const tw1: IvDesign = { ...tw, inst: [tw.inst[0]!], instNames: [tw.instNames[0]!] };
  for (const [what, d] of [
    ["one-way", one],
    ["two-way", tw1],
  ] as const) {
    const ef = ok(effectiveF(d));
    const fs = firstStage(d)[0]!;
    if (isInvalid(fs.ivreg2F)) throw new Error(fs.ivreg2F.reason);
    close(ef.stat, fs.ivreg2F.stat, ALG, `${what}: F_eff vs first-stage Wald F`);
  }
});

test("over-identified robust and cluster: F_eff = π̂'(Z'Z)π̂ / tr(V̂(π̂)·Z'Z), the basis-free form (direct sandwich, Stata small-sample factor)", () => {
  if (!haveStata("effective F basis-free formula")) return;
  const cases: [string, IvDesign][] = [
    ["card_overid HC", stataDesign(MODELS.card_overid, "hetero")],
    ["sim_cluster CL", stataDesign(MODELS.sim_cluster, "cluster")],
    ["sim_twoway CL2", twoWayDesign()],
  ];
  for (const [what, d] of cases) {
    const ef = ok(effectiveF(d));
    const p = partialOut(d);
    const Z = p.inst,
      x = p.endo[0]!;
    const ZZ = cross(Z),
      A = inv(ZZ);
    const pi = mulVec(A, crossVec(Z, x));
    const v = residualize([x], Z).resid[0]!;
    const M = meatOf(
      Z.map((z) => z.map((q, i) => q * v[i]!)),
      d.vce,
    );
    const N = d.n,
      L = Z.length + d.exog.length;
    const fac = d.vce.kind === "cluster" ? (((N - 1) / (N - L)) * nClusters(d.vce)) / (nClusters(d.vce) - 1) : N / (N - L);
    const V = mul(mul(A, M), A).map((r) => r.map((q) => q * fac));
    const VZZ = mul(V, ZZ);
    const tr = VZZ.reduce((s, r, i) => s + r[i]!, 0);
    close(ef.stat, dot(pi, mulVec(ZZ, pi)) / tr, ALG, what);
  }
});

test("invariant to a non-singular recombination of the instruments (Z ↦ ZA)", () => {
  if (!haveStata("effective F invariance")) return;
  const d = stataDesign(MODELS.card_overid, "hetero");
  const [z1, z2] = d.inst as [Float64Array, Float64Array];
  const d2: IvDesign = { ...d, inst: [z1.map((v, i) => 2 * v - 3 * z2[i]!), z2.map((v, i) => v + 0.5 * z1[i]!)] };
  close(ok(effectiveF(d2)).stat, ok(effectiveF(d)).stat, 1e-9, "F_eff(ZA) vs F_eff(Z)");
});

test("two endogenous regressors: explained invalid", () => {
  if (!haveStata("effective F multi-endo")) return;
  const r = effectiveF(stataDesign(MODELS.sim_multi_endo, "hetero"));
  assert.ok(isInvalid(r));
});

test("absorbed fixed effects (FWL) = explicit dummies, robust, one and two instruments (degrees of freedom counted alike)", () => {
  const data = weakIvData();
  const city = column(data, "city") as Float64Array;
  const cols: Record<string, Float64Array> = {};
  for (const name of ["y", "x", "z1", "z2", "w"]) cols[name] = column(data, name) as Float64Array;
  const dummies: string[] = [];
  for (let c = 2; c <= 40; c++) {
    cols[`d${c}`] = city.map((v) => (v === c ? 1 : 0));
    dummies.push(`d${c}`);
  }
  const wide = table(cols);
  for (const inst of ["z1", "z1 + z2"]) {
    const a = iv2sls(data, `y ~ w | city | x ~ ${inst}`, { vcov: "hetero" });
    const b = iv2sls(wide, `y ~ w + ${dummies.join(" + ")} | x ~ ${inst}`, { vcov: "hetero" });
    const fa = ok(effectiveF(ivDesignOfResult(a)!)),
      fb = ok(effectiveF(ivDesignOfResult(b)!));
    // 1e-8: the fixed effects are swept by the library's demeaning (stopping tolerance ~1e-10), the dummies by least squares
    close(fa.stat, fb.stat, 1e-8, `${inst}: absorbed vs dummies`);
  }
});

test("over-identified HC1 and cluster: equals R (sandwich 3.0.2 vcovHC / vcovCL, type HC1) via tests/fixtures/iv/effective-f.R", () => {
  if (!haveStata("effective F vs R sandwich fixture")) return;
  const file = path.resolve(__dirname, "../../fixtures/iv/effective-f-r.csv");
  if (!fs.existsSync(file))
    throw new Error(`fixture missing: ${file} (run Rscript tests/fixtures/iv/effective-f.R from the repository root)`);
  const want = Object.fromEntries(
    fs
      .readFileSync(file, "utf8")
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(","))
      .map(([c, f]) => [c!.replace(/"/g, ""), Number(f)]),
  );
  // 1e-12 relative: write.csv keeps 15 significant digits; same data, same formula, different code
  close(ok(effectiveF(stataDesign(MODELS.card_overid, "hetero"))).stat, want["card_overid_hc1"]!, 1e-12, "card HC1");
  close(ok(effectiveF(stataDesign(MODELS.sim_cluster, "cluster"))).stat, want["sim_cluster_cl"]!, 1e-12, "sim cluster CR1");
});

test.run();
