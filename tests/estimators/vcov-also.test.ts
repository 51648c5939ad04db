import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../lib/estimators/feols";
import { iv2sls } from "../../lib/estimators/iv2sls";
import { clusterUnion, frameForSpec } from "../../lib/estimators/vcov-also";
import { loadData } from "./fixest-fixtures";
import { withColumns, type Table } from "../../lib/data/table";

// `vcovAlso`: further variances of one fit must equal, bit for bit, the variance of a separate fit
// with that `vcov` on the same sample (same residuals, same bread, same arithmetic; tolerance 0).

let data: Table;
test.before(async () => {
  data = await loadData("data.csv");
});

const SPECS = ["cluster:cl1", "hetero", "iid", "cluster:cl1^cl2", "cluster:cl1+cl2"] as const;

test("feols: every vcovAlso variance equals a separate fit with that vcov (exactly)", () => {
  const f = "y ~ x1 + x2 + x3 | fe1 + fe2";
  const r = feols(data, f, { vcov: "cluster:cl2", vcovAlso: SPECS });
  assert.is(r.vcovAlso.length, SPECS.length);
  SPECS.forEach((s, q) => {
    const sep = feols(data, f, { vcov: s });
    const a = r.vcovAlso[q]!;
    assert.is(a.label, sep.vcovType, `${s}: label`);
    for (const nm of r.coefNames) assert.is(a.se[nm], sep.se[nm], `${s}: se of ${nm}`);
    assert.equal(a.vcov, sep.vcov, `${s}: vcov`);
    assert.is(a.tDf, sep.dof.tDf, `${s}: t df`);
  });
  // the fit's own variance is untouched by the extra cluster variables
  const own = feols(data, f, { vcov: "cluster:cl2" });
  assert.equal(r.se, own.se);
  assert.equal(r.vcov, own.vcov);
  assert.equal(r.vcovAlso.length && feols(data, f, { vcov: "cluster:cl2" }).vcovAlso, []);
});

test("iv2sls: second-stage variances of vcovAlso equal separate fits (exactly); diagnostics keep the fit's own vcov", () => {
  const f = "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2";
  const r = iv2sls(data, f, { vcov: "cluster:cl2", vcovAlso: ["cluster:cl1", "hetero"] });
  ["cluster:cl1", "hetero"].forEach((s, q) => {
    const sep = iv2sls(data, f, { vcov: s });
    for (const nm of r.coefNames) assert.is(r.vcovAlso[q]!.se[nm], sep.se[nm], `${s}: se of ${nm}`);
    assert.equal(r.vcovAlso[q]!.vcov, sep.vcov, `${s}: vcov`);
    assert.is(r.vcovAlso[q]!.tDf, sep.dof.tDf, `${s}: t df`);
  });
  const own = iv2sls(data, f, { vcov: "cluster:cl2" });
  assert.equal(r.se, own.se);
  assert.is(r.firstStage[0]!.f.stat, own.firstStage[0]!.f.stat);
  assert.equal(r.diagnostics, own.diagnostics);
});

test("a cluster variable of vcovAlso with missing values shrinks the one sample of all variances (counted)", () => {
  const cl = data.columns["cl1"] as Float64Array;
  const holed = withColumns(data, { cl_na: Float64Array.from(cl, (v, i) => (i % 10 === 0 ? NaN : v)) });
  const f = "y ~ x1 + x2 | fe1";
  const r = feols(holed, f, { vcov: "cluster:cl2", vcovAlso: ["cluster:cl_na"] });
  const full = feols(holed, f, { vcov: "cluster:cl2" });
  assert.ok(r.nobs < full.nobs, "rows without cl_na leave the sample");
  assert.is(
    full.nobs - r.nobs,
    r.removed.na - full.removed.na + (r.removed.singletons - full.removed.singletons),
    "every removed row is counted",
  );
  assert.is(r.removed.naByVariable["cl_na"], 300);
});

test("clusterUnion and frameForSpec", () => {
  assert.equal(clusterUnion([{ cluster: ["a^b"] }, "iid", { cluster: ["c", "a^b"] }]), ["a^b", "c"]);
  const fr = { clusters: [1, 2], clusterNames: ["a", "b"] } as never;
  assert.equal(frameForSpec(fr, { cluster: ["b"] }).clusterNames, ["b"]);
  assert.equal((frameForSpec(fr, { cluster: ["b"] }).clusters as unknown as number[])[0], 2);
  assert.is(frameForSpec(fr, { cluster: ["a", "b"] }), fr);
});

test.run();
