import { test } from "uvu";
import * as assert from "uvu/assert";
import { confint } from "../../lib/estimators/confint";
import { feols } from "../../lib/estimators/feols";
import { loadData } from "./fixest-fixtures";
import { loadPost, fitCase, ourName } from "./feols-post-fixtures";
import type { Table } from "../../lib/data/table";

// Tolerance against fixest 0.12.2: bounds b ± t·se with b and se matching fixest to ~1e-9
// relative and the same t quantile; 1e-7 relative to the interval half-width.
const TOL = 1e-7;

const post = loadPost();
let data: Table;
test.before(async () => {
  data = await loadData("data.csv");
});

for (const c of post.models) {
  test(`confint vs fixest ${c.name} at 90/95/99%`, () => {
    const r = fitCase(data, c);
    assert.ok(c.confint.length === 3);
    for (const ref of c.confint) {
      const ci = confint(r, ref.level);
      assert.equal(
        ci.map((x) => x.name),
        ref.names.map(ourName),
        "names",
      );
      ci.forEach((x, j) => {
        const half = (ref.upper[j]! - ref.lower[j]!) / 2;
        assert.ok(Math.abs(x.lower - ref.lower[j]!) <= TOL * half, `${c.name} ${x.name} lower ${x.lower} vs ${ref.lower[j]}`);
        assert.ok(Math.abs(x.upper - ref.upper[j]!) <= TOL * half, `${c.name} ${x.name} upper ${x.upper} vs ${ref.upper[j]}`);
      });
    }
  });
}

test("confint at the model's level equals the table's interval; parm selects; bad input errors", () => {
  const r = feols(data, "y ~ x1 + x2 | fe1", { vcov: "hetero" });
  const ci = confint(r);
  r.table.forEach((row, j) => {
    assert.is(ci[j]!.lower, row.ciLow);
    assert.is(ci[j]!.upper, row.ciHigh);
  });
  assert.equal(
    confint(r, 0.9, ["x2"]).map((x) => x.name),
    ["x2"],
  );
  assert.throws(() => confint(r, 1.2), /level/);
  assert.throws(() => confint(r, 0.9, ["nope"]), /not a coefficient/);
});

test.run();
