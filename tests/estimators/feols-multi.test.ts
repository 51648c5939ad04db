import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols, type FeolsOptions, type FeolsResult } from "../../lib/estimators/feols";
import { feolsMulti } from "../../lib/estimators/feols-multi";
import { type Table } from "../../lib/data/table";
import { firstDifference, panel } from "./multi-outcome-data";

// `feolsMulti` (fixest's `c(y1, y2) ~ …`): each result must equal the single-outcome `feols` of
// the same outcome bit for bit (tolerance 0): same sample, same plan, same arithmetic per column.

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
