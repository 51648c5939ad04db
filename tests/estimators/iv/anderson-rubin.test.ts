import { test } from "uvu";
import * as assert from "uvu/assert";
import { andersonRubinTest, arConfidenceSet, qFupper } from "../../../lib/estimators/iv/anderson-rubin";
import { isInvalid } from "../../../lib/estimators/iv/types";
import { nClusters } from "../../../lib/estimators/iv/ssc";
import { pF } from "../../../lib/util/distributions";
import { MODELS, close, haveStata, readStataCsv, stataDesign, tsls } from "./helpers";

// Anderson & Rubin (1949) test of β = 0 against Stata ivreg2 (`arf`, `arfp`, `ardf`, `ardf_r`,
// `archi2`). Tolerances: 1e-6 relative on statistics — the shared CSVs hold the data at ~8
// significant digits while Stata used the unrounded values (observed ≤ 2.2e-8); 1e-4 relative on
// p-values, which amplify a statistic's relative error by about stat·(density/tail) (≤ 60× here).
const STATA = 1e-6,
  STATA_P = 1e-4;

const cases = [
  ["card_overid", "iid", "iid"],
  ["card_overid", "hetero", "hc1"],
  ["card_just_id", "iid", "iid"],
  ["sim_cluster", "cluster", "cl"],
  ["sim_cluster", "hetero", "hc1"],
] as const;

test("AR F(β0 = 0), its df and p = ivreg2 arf / ardf / ardf_r / arfp; the χ² form W = archi2", () => {
  if (!haveStata("Anderson–Rubin vs Stata")) return;
  for (const [name, kind, suf] of cases) {
    const d = stataDesign(MODELS[name], kind);
    const s = readStataCsv(`${name}_diagnostics_${suf}.csv`)[0]!;
    const ar = andersonRubinTest(d, 0);
    assert.ok(!isInvalid(ar), `${name} ${suf}`);
    if (isInvalid(ar)) return;
    close(ar.stat, s["arf"]!, STATA, `${name} ${suf} arf`);
    assert.is(ar.df1, s["ardf"]);
    assert.is(ar.df2, s["ardf_r"]);
    close(ar.p, s["arfp"]!, STATA_P, `${name} ${suf} arfp`);
    // ivreg2's χ² version is the raw Wald W: F = W/N·(N − L)/L1 (iid, robust) or W/(N−1)·(N−L)·(G−1)/G/L1
    const N = d.n,
      L1 = d.inst.length,
      L = L1 + d.exog.length;
    const G = nClusters(d.vce);
    const W = kind === "cluster" ? (((ar.stat * L1 * (N - 1)) / (N - L)) * G) / (G - 1) : (ar.stat * L1 * N) / (N - L);
    close(W, s["archi2"]!, STATA, `${name} ${suf} archi2`);
  }
});

test("qFupper inverts pF: P(F > q) = α", () => {
  for (const [a, d1, d2] of [
    [0.05, 1, 30],
    [0.01, 3, 120],
    [0.1, 2, 5],
  ] as const) {
    const q = qFupper(a, d1, d2);
    assert.ok(Math.abs(pF(q, d1, d2) - a) < 1e-10, `${a} ${d1} ${d2}`);
  }
});

test("AR confidence set (one instrument): the ends solve AR(β) = critical value, the 2SLS estimate lies inside", () => {
  if (!haveStata("AR confidence set on card_just_id")) return;
  for (const kind of ["iid", "hetero"] as const) {
    const d = stataDesign(MODELS.card_just_id, kind);
    const b = tsls(d).b[0]!;
    const cs = arConfidenceSet(d, { level: 0.95, center: b, scale: 0.05 });
    assert.ok(!isInvalid(cs));
    if (isInvalid(cs)) return;
    assert.is(cs.kind, "bounded", kind);
    const [lo, hi] = cs.intervals[0]!;
    assert.ok(lo < b && b < hi);
    for (const end of [lo, hi]) {
      const f = andersonRubinTest(d, end);
      // the end is a bisection root to machine precision in β; AR(β) is smooth → 1e-7 relative
      if (!isInvalid(f)) close(f.stat, cs.critical, 1e-7, `${kind} AR at ${end}`);
    }
    // just identified: AR(β̂_2SLS) = 0
    const at = andersonRubinTest(d, b);
    assert.ok(!isInvalid(at) && at.stat < 1e-12, "AR at the just-identified 2SLS estimate is 0");
  }
});

test("AR is for one endogenous regressor: two give an explained invalid result", () => {
  if (!haveStata("AR invalid on sim_multi_endo")) return;
  const r = andersonRubinTest(stataDesign(MODELS.sim_multi_endo, "iid"), 0);
  assert.ok(isInvalid(r) && /one endogenous regressor/.test(r.reason));
});

test.run();
