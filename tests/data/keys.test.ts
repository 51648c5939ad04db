import { test } from "uvu";
import * as assert from "uvu/assert";
import { table } from "../../lib/data/table";
import { compositeKeys, groupByColumn, groupRows, keyAt, keysOf, panelGroups } from "../../lib/data/keys";
import { DataError } from "../../lib/util/errors";

// Closed-form checks on hand-made tables: the one grouping routine of lib/ and its panel forms.

test("keyAt: numbers print without a trailing .0, NA is null in every column kind", () => {
  const t = table({ f: Float64Array.of(1, NaN, 2.5), i: Int32Array.of(3, -2147483648, 4), s: ["a", null, "c"] });
  assert.equal(keysOf(t.columns.f!), ["1", null, "2.5"]);
  assert.equal(keyAt(t.columns.i!, 1), null);
  assert.equal(keysOf(t.columns.s!), ["a", null, "c"]);
});

test("groupRows: groups in order of first appearance, null keys skipped", () => {
  const g = groupRows(["b", "a", null, "b", "a", "c"]);
  assert.equal(g.keys, ["b", "a", "c"]);
  assert.equal(g.first, [0, 1, 5]);
  assert.equal(g.rows, [[0, 3], [1, 4], [5]]);
  assert.is(g.index.get("a"), 1);
});

test("compositeKeys: NA in any part gives null", () => {
  const t = table({ c: Int32Array.of(1, 1, 2), y: Float64Array.of(2000, NaN, 2001) });
  const k = compositeKeys(t, ["c", "y"]);
  assert.is(k[1], null);
  assert.is.not(k[0], k[2]);
});

test("groupByColumn: the Map form of groupRows; a missing key names the column and row", () => {
  const t = table({ city: Int32Array.of(7, 5, 7, 5, 9) }, "x.csv");
  assert.equal([...groupByColumn(t, "city").entries()], [["7", [0, 2]], ["5", [1, 3]], ["9", [4]]]);
  const bad = table({ city: Float64Array.of(1, NaN) }, "x.csv");
  try {
    groupByColumn(bad, "city");
    assert.unreachable();
  } catch (e) {
    assert.instance(e, DataError);
    assert.match((e as Error).message, /city/);
    assert.match((e as Error).message, /row 2/);
  }
});

test("panelGroups: rows of a unit sorted by time; a duplicated (unit, time) names the row", () => {
  const t = table({ u: Int32Array.of(1, 1, 2, 1), y: Int32Array.of(2003, 2001, 2001, 2002) }, "p.csv");
  assert.equal(panelGroups(t, "u", "y").groups, [[1, 3, 0], [2]]);
  const dup = table({ u: Int32Array.of(1, 1), y: Int32Array.of(2001, 2001) }, "p.csv");
  assert.throws(() => panelGroups(dup, "u", "y"), /duplicate time 2001/);
});

test.run();
