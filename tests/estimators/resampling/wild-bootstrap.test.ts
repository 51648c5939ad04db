import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { table } from "../../../lib/data/table";
import { feols } from "../../../lib/estimators/feols";
import { wildClusterBootstrap } from "../../../lib/estimators/resampling/wild-bootstrap";
import { panel, rel } from "./helpers";

// Tolerances.
// - Against tests/fixtures/resampling/wcr.R (base R + sandwich, every bootstrap sample
//   re-estimated by lm with dummies): t and every bootstrap t* to relative 1e-8 (two exact
//   computations, FWL vs full QR, differing by rounding); p-values exactly (both count over
//   the same 256 enumerated / 199 supplied weight vectors with the same 1e-10 tie rule); R's
//   JSON keeps 15 significant digits, so the counts p·B are compared.
const T_REL = 1e-8;

interface Case {
  name: string;
  formula: string;
  cluster: string;
  coef: number;
  t: number;
  rademacher: { tstar: number[]; p: { sym: number; et: number } };
  webb: { weights: number[][]; tstar: number[]; p: { sym: number; et: number } };
}
const fx = JSON.parse(fs.readFileSync(path.join(__dirname, "../../fixtures/resampling/wcr.json"), "utf8")) as {
  data: Record<string, number>[];
  cases: Case[];
};
const cols: Record<string, number[]> = {};
for (const row of fx.data) for (const [k, v] of Object.entries(row)) (cols[k] ??= []).push(v);
const data = table(Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, Float64Array.from(v)])));

for (const c of fx.cases) {
  test(`WCR vs R (${c.name}): all 256 enumerated Rademacher t*, p-values`, async () => {
    const w = await wildClusterBootstrap(data, c.formula, { param: "x1", cluster: c.cluster, reps: 999 });
    assert.ok(w.enumerated);
    assert.is(w.reps, 256);
    assert.ok(rel(w.coef, c.coef) < T_REL, "coef");
    assert.ok(rel(w.t, c.t) < T_REL, `t ${w.t} vs ${c.t}`);
    c.rademacher.tstar.forEach((ts, b) =>
      assert.ok(Math.abs((w.tstats[b] as number) - ts) <= T_REL * Math.max(Math.abs(ts), 1), `t*[${b}] ${w.tstats[b]} vs ${ts}`),
    );
    assert.is(Math.round(w.pValue * 256), Math.round(c.rademacher.p.sym * 256));
    assert.is(Math.round(w.pValueEqualTail * 256), Math.round(c.rademacher.p.et * 256));
    const f = feols(data, c.formula, { vcov: `cluster:${c.cluster}` });
    assert.ok(rel(w.t, f.tstat["x1"] as number) < T_REL, "t = feols t");
  });
  test(`WCR vs R (${c.name}): 199 supplied Webb draws`, async () => {
    const w = await wildClusterBootstrap(data, c.formula, { param: "x1", cluster: c.cluster, draws: c.webb.weights });
    assert.is(w.reps, 199);
    c.webb.tstar.forEach((ts, b) =>
      assert.ok(Math.abs((w.tstats[b] as number) - ts) <= T_REL * Math.max(Math.abs(ts), 1), `webb t*[${b}]`),
    );
    // R writes 15 significant digits: compare the counts behind the p-values
    assert.is(Math.round(w.pValue * 199), Math.round(c.webb.p.sym * 199));
    assert.is(Math.round(w.pValueEqualTail * 199), Math.round(c.webb.p.et * 199));
  });
}

test("WCR: random Rademacher/Webb draws are seeded and reproducible; Rademacher distribution symmetric in enumeration", async () => {
  const d = panel(3, { nCity: 14 });
  const a = await wildClusterBootstrap(d, "y ~ x1 + x2 | year", { param: "x1", cluster: "city", reps: 199, weightType: "webb", seed: 4 });
  const b = await wildClusterBootstrap(d, "y ~ x1 + x2 | year", { param: "x1", cluster: "city", reps: 199, weightType: "webb", seed: 4 });
  assert.equal(Array.from(a.tstats), Array.from(b.tstats));
  assert.is(a.enumerated, false);
  const e = await wildClusterBootstrap(d, "y ~ x1 + x2 | year", { param: "x1", cluster: "city", reps: 20000 });
  assert.ok(e.enumerated);
  assert.is(e.reps, 2 ** 14);
  // v and −v give t* of opposite sign: draw d and its complement
  for (const dd of [1, 77, 4000]) assert.ok(Math.abs((e.tstats[dd] as number) + (e.tstats[2 ** 14 - 1 - dd] as number)) < 1e-9);
  // the all-ones draw reproduces the observed t
  assert.ok(rel(e.tstats[0] as number, e.t) < 1e-9);
});

test("WCR: under a false null the p-value is small; a nonzero null shifts the test", async () => {
  const d = panel(4, { nCity: 30, beta1: 0.6 });
  const w = await wildClusterBootstrap(d, "y ~ x1 + x2 | city + year", { param: "x1", cluster: "city", reps: 399, seed: 1 });
  assert.ok(w.pValue < 0.01, `p ${w.pValue}`);
  const w2 = await wildClusterBootstrap(d, "y ~ x1 + x2 | city + year", {
    param: "x1",
    cluster: "city",
    reps: 399,
    seed: 1,
    nullValue: w.coef,
  });
  assert.ok(w2.pValue > 0.9, `p at the estimate ${w2.pValue}`);
});

test("WCR bad input: fewer than 2 clusters, multiway, missing param", async () => {
  const d = panel(5);
  const one = table({ ...d.columns, one: new Float64Array(d.nrows).fill(1) });
  let msg = "";
  try {
    await wildClusterBootstrap(one, "y ~ x1 + x2", { param: "x1", cluster: "one" });
  } catch (e) {
    msg = String((e as Error).message);
  }
  assert.match(msg, /at least 2/);
  msg = "";
  try {
    await wildClusterBootstrap(d, "y ~ x1 + x2", { param: "x1", cluster: "city+year" });
  } catch (e) {
    msg = String((e as Error).message);
  }
  assert.match(msg, /exactly one cluster/);
  msg = "";
  try {
    await wildClusterBootstrap(d, "y ~ x1 + x2", { param: "x9", cluster: "city" });
  } catch (e) {
    msg = String((e as Error).message);
  }
  assert.match(msg, /not a regressor/);
});

test.run();
