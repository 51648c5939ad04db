import { test } from "uvu";
import * as assert from "uvu/assert";
import { wald } from "../../lib/estimators/wald";
import { feols } from "../../lib/estimators/feols";
import { loadData } from "./fixest-fixtures";
import { loadPost, fitCase, rel, type WaldRef } from "./feols-post-fixtures";
import type { Table } from "../../lib/data/table";

// Tolerances against fixest 0.12.2: the statistic is a quadratic form in β̂ and V, which match
// fixest to ~1e-9 relative (direct FE solve vs fixest's MAP at fixef.tol = 1e-11), so 1e-6
// relative on the statistic and on p (p is only compared when above 1e-250: far in the tail
// the F distribution's rounding differs between R's pf and ours); df exact.
const REL = 1e-6;

const post = loadPost();
let data: Table;
test.before(async () => {
  data = await loadData("data.csv");
});

function check(got: ReturnType<typeof wald>, ref: WaldRef, what: string) {
  assert.is(got.df1, ref.df1, `${what} df1`);
  assert.is(got.df2, ref.df2, `${what} df2`);
  assert.ok(rel(got.stat, ref.stat) < REL, `${what} stat ${got.stat} vs ${ref.stat}`);
  if (ref.p > 1e-250) assert.ok(rel(got.p, ref.p) < REL, `${what} p ${got.p} vs ${ref.p}`);
  else assert.ok(got.p < 1e-200, `${what} p ${got.p} vs ${ref.p}`);
}

test("fixture has every model", () => {
  assert.ok(post.models.length >= 8);
});

for (const c of post.models) {
  test(`wald vs fixest ${c.name}: all slopes, keep regex, linear restrictions`, () => {
    const r = fitCase(data, c);
    check(wald(r), c.wald_all, "all");
    check(wald(r, new RegExp(c.wald_keep.keep)), c.wald_keep, "keep");
    check(wald(r, c.wald_keep.keep), c.wald_keep, "keep (string pattern)");
    if (c.wald_linear) {
      check(wald(r, [c.wald_linear.hypothesis]), c.wald_linear, c.wald_linear.hypothesis);
      check(wald(r, c.wald_linear.hypothesis), c.wald_linear, c.wald_linear.hypothesis);
    }
    if (c.wald_linear2) check(wald(r, c.wald_linear2.hypothesis), c.wald_linear2, c.wald_linear2.hypothesis.join("; "));
  });
}

test("wald: names list equals the regex selection; one coefficient gives F = t²", () => {
  const r = feols(data, "y ~ x1 + x2 + x3 | fe1 + fe2", { vcov: "cluster:cl2", singletons: "keep" });
  const a = wald(r, ["x1", "x2"]),
    b = wald(r, /^x[12]$/);
  assert.ok(Math.abs(a.stat - b.stat) <= 1e-12 * b.stat);
  const one = wald(r, ["x2"]);
  assert.ok(rel(one.stat, (r.tstat["x2"] as number) ** 2) < 1e-10);
  assert.equal([...a.restrictions], ["x1 = 0", "x2 = 0"]);
  // "x1 - x3 = 0" is the same restriction as "x1 = x3"
  assert.ok(rel(wald(r, ["x1 - x3 = 0"]).stat, wald(r, ["x1 = x3"]).stat) < 1e-12);
});

test("wald: clear errors for unknown names, no match, no coefficients", () => {
  const r = feols(data, "y ~ x1 + x2", { vcov: "iid" });
  assert.throws(() => wald(r, ["nope"]), /not a coefficient/);
  assert.throws(() => wald(r, /^zz/), /no coefficient matches/);
  assert.throws(() => wald(r, ["x1 = nope"]), /unknown coefficient/);
  assert.throws(() => wald(r, ["x1 = x1"]), /no coefficient/);
  const fe = feols(data, "y ~ 1 | fe1", { vcov: "iid" });
  assert.throws(() => wald(fe), /no coefficients/);
});

test.run();
