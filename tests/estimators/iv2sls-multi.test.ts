import { test } from "uvu";
import * as assert from "uvu/assert";
import { iv2sls, type Iv2slsOptions, type Iv2slsResult } from "../../lib/estimators/iv2sls";
import { iv2slsMulti } from "../../lib/estimators/iv2sls-multi";
import { type Table } from "../../lib/data/table";
import { firstDifference, panel } from "./multi-outcome-data";

// `iv2slsMulti` (fixest's `c(y1, y2) ~ x | fe | d ~ z`): each result must equal the single-outcome
// `iv2sls` of the same outcome bit for bit (tolerance 0), first stage and diagnostics included.

function sameAsSingle(data: Table, outcomes: readonly string[], rhs: string, opts: Iv2slsOptions): Iv2slsResult[] {
  const multi = iv2slsMulti(data, `c(${outcomes.join(", ")}) ~ ${rhs}`, opts);
  assert.is(multi.length, outcomes.length);
  outcomes.forEach((y, k) => {
    const single = iv2sls(data, `${y} ~ ${rhs}`, opts);
    const d = firstDifference(multi[k], single);
    assert.ok(d === null, `${y} ~ ${rhs}: the multiple fit differs from the single fit at ${d}`);
  });
  return multi;
}

test("iv2slsMulti = iv2sls per outcome, bit for bit: 3 FE, clusters, vcovAlso, diagnostics, shared and different missing rows", () => {
  const d = panel(6000, 21);
  const multi = sameAsSingle(d, ["y1", "y2", "y3", "y4", "log(pos)"], "x2 | a + b + c | x1 ~ z", {
    vcov: "cluster:a",
    vcovAlso: ["cluster:a^b", "hetero"],
  });
  assert.ok((multi[2] as Iv2slsResult).nobs < (multi[1] as Iv2slsResult).nobs);
  assert.ok((multi[0] as Iv2slsResult).diagnostics !== undefined);
});

test("iv2slsMulti = iv2sls per outcome: weights, iterative demeaning, no fixed effects, skipDiagnostics", () => {
  const d = panel(3000, 22);
  sameAsSingle(d, ["y1", "y2"], "x2 | a + b | x1 ~ z", { weights: "w", vcov: "hetero" });
  sameAsSingle(d, ["y1", "y2", "y4"], "x2 | a + b + c | x1 ~ z", { vcov: "iid", demean: { method: "map", tol: 1e-10 } });
  sameAsSingle(d, ["y1", "y2"], "x2 | x1 ~ z", { vcov: "hetero" });
  sameAsSingle(d, ["y1", "y2"], "x2 | a | x1 ~ z", { vcov: "iid", skipDiagnostics: true });
});

test("iv2slsMulti: an outcome that is also the instrument is fitted alone; a formula without an IV part is refused", () => {
  const d = panel(2000, 23);
  sameAsSingle(d, ["y1", "z"], "x2 | a | x1 ~ c", { vcov: "iid" });
  assert.throws(() => iv2slsMulti(d, "c(y1, y2) ~ x1 + x2 | a", {}), /no IV part/);
});

test.run();
