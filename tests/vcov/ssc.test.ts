import { test } from "uvu";
import * as assert from "uvu/assert";
import { factorize } from "../../lib/core/fixed-effects/factorize";
import { isNested, mobilityGroups, parseVcov, vcovDof, vcovLabel, computeVcov } from "../../lib/vcov";

// Small-sample factors and degrees-of-freedom counts, checked as integers (exact) or against
// the closed forms fixest documents for ssc(adj = TRUE, fixef.K = "nested", cluster.adj = TRUE):
// every vcov × (n − 1)/(n − K), clustered × G/(G − 1), hetero × n/(n − 1); reghdfe's K counts the
// first FE fully and the second minus its mobility groups (Abowd, Creecy & Kramarz 2002 connected sets).

// 12 observations, FE a (4 levels), FE b (3 levels), cluster c (2 levels) in which a is nested
const a = factorize(Int32Array.of(0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3));
const b = factorize(Int32Array.of(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2));
const c = factorize(Int32Array.of(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1));
const n = 12;

test("isNested: a within c yes, b within c no, a within a yes", () => {
  assert.ok(isNested(a, c));
  assert.not.ok(isNested(b, c));
  assert.ok(isNested(a, a));
});

test("mobilityGroups: connected components of the bipartite level graph", () => {
  assert.is(mobilityGroups(a, b), 1); // fully crossed
  // two disconnected blocks: workers 0,1 only at firms 0,1; workers 2,3 only at firm 2
  const w = factorize(Int32Array.of(0, 0, 1, 1, 2, 3));
  const f = factorize(Int32Array.of(0, 1, 0, 1, 2, 2));
  assert.is(mobilityGroups(w, f), 2);
});

test("fixest K: kCoef + Σ(G_q − 1) + 1; nested FE removed when clustered; all nested → kCoef + 1", () => {
  const common = { n, kCoef: 2, fixef: [a, b], fixefNames: ["a", "b"], clusters: [c] } as const;
  assert.is(vcovDof({ ...common, spec: "iid", preset: "fixest" }).K, 2 + 3 + 2 + 1);
  const cl = vcovDof({ ...common, spec: { cluster: ["c"] }, preset: "fixest" });
  assert.is(cl.K, 2 + 3 + 2 + 1 - 3);
  assert.equal(cl.nestedFe, ["a"]);
  assert.is(vcovDof({ ...common, fixef: [a], fixefNames: ["a"], spec: { cluster: ["c"] }, preset: "fixest" }).K, 2 + 1);
  assert.is(vcovDof({ ...common, fixef: [], fixefNames: [], spec: "iid", preset: "fixest" }).K, 2);
});

test("reghdfe K: first FE all levels, second minus mobility groups; nested FE count 0", () => {
  const common = { n, kCoef: 2, fixef: [a, b], fixefNames: ["a", "b"], clusters: [c] } as const;
  const iid = vcovDof({ ...common, spec: "iid", preset: "reghdfe" });
  assert.is(iid.K, 2 + 4 + (3 - 1));
  assert.is(iid.redundant, 1);
  const cl = vcovDof({ ...common, spec: { cluster: ["c"] }, preset: "reghdfe" });
  assert.is(cl.K, 2 + 3); // a nested in c: b becomes the first FE
});

test("computeVcov factors: ssAdj = (n − 1)/(n − K); hetero × n/(n − 1); cluster × G/(G − 1) with G = min", () => {
  const x = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
  const e = Float64Array.from({ length: n }, (_, i) => Math.cos(2 * i + 1));
  const inp = {
    X: [x],
    e,
    bread: Float64Array.of(1),
    rss: 1,
    n,
    kCoef: 1,
    fixef: [b],
    fixefNames: ["b"],
    clusters: [c, b],
    clusterNames: ["c", "b"],
    preset: "fixest" as const,
  };
  const K = 1 + 2 + 1;
  const h = computeVcov({ ...inp, spec: "hetero" });
  assert.is(h.dof.K, K);
  assert.ok(Math.abs(h.dof.ssAdj - (n - 1) / (n - K)) < 1e-15);
  assert.ok(Math.abs(h.dof.clusterAdj - n / (n - 1)) < 1e-15);
  const cl = computeVcov({ ...inp, spec: { cluster: ["c", "b"] } });
  assert.ok(Math.abs(cl.dof.clusterAdj - 2 / 1) < 1e-15, "G_min = 2");
  assert.is(cl.dof.tDf, 1);
  assert.throws(() => computeVcov({ ...inp, clusters: [], spec: { cluster: ["c"] } }), /no cluster variable/);
});

test("parseVcov / vcovLabel", () => {
  assert.is(parseVcov("HC1"), "hetero");
  assert.is(parseVcov(" iid "), "iid");
  assert.equal(parseVcov("cluster:city^hs4 + year"), { cluster: ["city^hs4", "year"] });
  assert.throws(() => parseVcov("hc3"), /unknown vcov/);
  assert.is(vcovLabel({ cluster: ["a", "b"] }), "2-way clustered (a & b)");
  assert.is(vcovLabel("hetero"), "Heteroskedasticity-robust");
});

test.run();
