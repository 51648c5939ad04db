import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols, type FeolsOptions, type FeolsResult } from "../../lib/estimators/feols";
import { feolsMulti, multipleOutcomes } from "../../lib/estimators/feols-multi";
import { table, type Table } from "../../lib/data/table";
import { rng } from "../../lib/util/rng";

// `feolsMulti` (fixest's `c(y1, y2) ~ …`): each result must equal the single-outcome `feols` of
// the same outcome bit for bit (tolerance 0): same sample, same plan, same arithmetic per column.

/** A 3-FE panel with clusters and weights; y1, y2 share missing rows, y3 has more, y4 has ±Inf. */
function panel(n: number, seed: number): Table {
  const r = rng(seed);
  const a = new Float64Array(n),
    b = new Float64Array(n),
    c = new Float64Array(n),
    x1 = new Float64Array(n),
    x2 = new Float64Array(n),
    w = new Float64Array(n);
  const y1 = new Float64Array(n),
    y2 = new Float64Array(n),
    y3 = new Float64Array(n),
    y4 = new Float64Array(n),
    pos = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = Math.floor(r.uniform() * 40);
    b[i] = Math.floor(r.uniform() * 25);
    c[i] = Math.floor(r.uniform() * 6);
    x1[i] = r.normal();
    x2[i] = r.normal() + 0.3 * (x1[i] as number);
    w[i] = 0.5 + r.uniform();
    const e = r.normal();
    y1[i] = 1 + 0.5 * (x1[i] as number) - 0.2 * (x2[i] as number) + 0.1 * (a[i] as number) + e;
    y2[i] = 0.3 * (x1[i] as number) + 0.05 * (b[i] as number) + 0.5 * e + r.normal();
    y3[i] = (y2[i] as number) + r.normal();
    y4[i] = (y1[i] as number) - (y2[i] as number);
    pos[i] = Math.exp(0.1 * (y1[i] as number));
    if (i % 37 === 5) {
      y1[i] = NaN;
      y2[i] = NaN;
      y3[i] = NaN;
      y4[i] = NaN;
      pos[i] = NaN;
    }
    if (i % 53 === 7) y3[i] = NaN; // more missing rows than y1, y2
    if (i % 61 === 9) y4[i] = Infinity; // ±Inf: removed, counted apart from NaN
    if (i % 97 === 11) x2[i] = NaN; // a missing regressor: dropped for every outcome
  }
  // a singleton level of a (removed with the same rows for every outcome)
  a[0] = 999;
  return table({ y1, y2, y3, y4, pos, x1, x2, a, b, c, w });
}

/** The first path where two results differ (numbers compared with Object.is), or null. */
function firstDifference(a: unknown, b: unknown, at = "result"): string | null {
  if (typeof a === "number" || typeof b === "number") return Object.is(a, b) ? null : `${at}: ${String(a)} vs ${String(b)}`;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object")
    return a === b ? null : `${at}: ${String(a)} vs ${String(b)}`;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    const x = Array.from(a as Float64Array),
      y = Array.from(b as Float64Array);
    if (x.length !== y.length) return `${at}: length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return `${at}[${i}]: ${x[i]} vs ${y[i]}`;
    return null;
  }
  const ka = Object.keys(a).sort(),
    kb = Object.keys(b).sort();
  if (ka.join() !== kb.join()) return `${at}: keys ${ka.join()} vs ${kb.join()}`;
  for (const k of ka) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d) return d;
  }
  return null;
}

function sameAsSingle(data: Table, outcomes: readonly string[], rhs: string, opts: FeolsOptions): FeolsResult[] {
  const multi = feolsMulti(data, `c(${outcomes.join(", ")}) ~ ${rhs}`, opts);
  assert.is(multi.length, outcomes.length);
  outcomes.forEach((y, k) => {
    const single = feols(data, `${y} ~ ${rhs}`, opts);
    const m = multi[k] as FeolsResult;
    assert.is(m.depvar, single.depvar, `${y}: depvar`);
    const d = firstDifference(m, single);
    assert.ok(d === null, `${y} ~ ${rhs}: the multiple fit differs from the single fit at ${d}`);
  });
  return multi;
}

test("multipleOutcomes: c(…) split at top-level commas; a plain outcome; errors name the term", () => {
  assert.equal(multipleOutcomes("c(y1, log(y2), z) ~ x | a"), { outcomes: ["y1", "log(y2)", "z"], rhs: "x | a" });
  assert.equal(multipleOutcomes("y ~ x"), { outcomes: ["y"], rhs: "x" });
  assert.throws(() => multipleOutcomes("c(y1, , y2) ~ x"), /empty outcome/);
  assert.throws(() => multipleOutcomes("c(y1, y1) ~ x"), /appears twice/);
  assert.throws(() => multipleOutcomes("c(y1, y2)"), /no "~"/);
});

test("feolsMulti = feols per outcome, bit for bit: 3 FE (direct method), clusters, vcovAlso, shared and different missing rows", () => {
  const d = panel(6000, 11);
  const multi = sameAsSingle(d, ["y1", "y2", "y3", "y4", "log(pos)"], "x1 + x2 | a + b + c", {
    vcov: "cluster:a",
    vcovAlso: ["cluster:a^b", "hetero"],
  });
  // y3 has more missing rows: its own sample
  assert.ok((multi[2] as FeolsResult).nobs < (multi[1] as FeolsResult).nobs);
  assert.is((multi[0] as FeolsResult).nobs, (multi[1] as FeolsResult).nobs);
});

test("feolsMulti = feols per outcome: weights, iterative demeaning (method map), no fixed effects, intercept", () => {
  const d = panel(3000, 12);
  sameAsSingle(d, ["y1", "y2"], "x1 + x2 | a + b", { weights: "w", vcov: "hetero" });
  sameAsSingle(d, ["y1", "y2", "y4"], "x1 + x2 | a + b + c", { vcov: "iid", demean: { method: "map", tol: 1e-10 } });
  sameAsSingle(d, ["y1", "y2"], "x1 + x2", { vcov: "hetero" });
  sameAsSingle(d, ["y1", "y2"], "x1 + x2 | a", { vcov: "cluster:b", singletons: "keep" });
});

test("feolsMulti: an outcome used on the right-hand side or as a fixed effect is fitted alone (same result as feols)", () => {
  const d = panel(2000, 13);
  sameAsSingle(d, ["y1", "x2"], "x1 + x2 | a", { vcov: "iid" });
  sameAsSingle(d, ["y1", "b"], "x1 | a + b", { vcov: "iid" });
});

test("feolsMulti: an IV formula is refused with the formula named", () => {
  const d = panel(500, 14);
  assert.throws(() => feolsMulti(d, "c(y1, y2) ~ x2 | a | x1 ~ c", {}), /IV part; use iv2sls/);
});

test.run();
