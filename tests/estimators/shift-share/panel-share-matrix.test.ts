import { test } from "uvu";
import * as assert from "uvu/assert";
import { panelShareMatrix } from "../../../lib/estimators/shift-share/panel-share-matrix";

// Exact small example: two cities, two industries, years 2005–2006 (shocks (s, t − lag)).
test("panel shares: row (c, t) loads share_{c,s} on shock (s, t − lag) only; W·g reproduces the Bartik index exactly", () => {
  const unit = [1, 1, 2, 2, 3];
  const time = [2005, 2006, 2005, 2006, 2006];
  const shares = { unit: [1, 1, 2], industry: ["A", "B", "A"], share: [0.25, 0.75, 1] };
  const p = panelShareMatrix(unit, time, shares);
  assert.equal(p.shockIndustry, ["A", "A", "B", "B"]);
  assert.equal(p.shockTime, [2005, 2006, 2005, 2006]);
  assert.equal(p.rowsWithoutShares, 1);
  const g = [1, 2, 3, 4]; // A2005, A2006, B2005, B2006
  const bartik = (i: number) => {
    let s = 0;
    for (let k = p.W.rowPtr[i]!; k < p.W.rowPtr[i + 1]!; k++) s += p.W.values[k]! * g[p.W.sectors[k]!]!;
    return s;
  };
  assert.equal([0, 1, 2, 3, 4].map(bartik), [0.25 * 1 + 0.75 * 3, 0.25 * 2 + 0.75 * 4, 1, 2, 0]);
  const lagged = panelShareMatrix(unit, time, shares, 1);
  assert.equal(lagged.shockTime, [2004, 2005, 2004, 2005]);
  assert.equal([...lagged.W.sectors.subarray(lagged.W.rowPtr[1]!, lagged.W.rowPtr[2]!)], [1, 3], "2006 row loads the 2005 shocks");
});

test.run();
