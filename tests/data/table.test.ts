import { test } from "uvu";
import * as assert from "uvu/assert";
import { table, numeric, column, takeRows, filterRows, fromRecords, NA_INT, toRecords } from "../../lib/data/table";
import { DataError } from "../../lib/util/errors";

test("table() rejects columns of unequal length, naming the column", () => {
  assert.throws(() => table({ a: [1, 2], b: [1] }), (e: unknown) => e instanceof DataError && /column "b"/.test((e as Error).message));
});

test("numeric() converts Int32 NA and strings; names the first bad row", () => {
  const t = table({ i: Int32Array.of(1, NA_INT), s: ["1.5", "x"] }, "f.csv");
  const i = numeric(t, "i");
  assert.is(i[0], 1);
  assert.ok(Number.isNaN(i[1] as number));
  assert.throws(() => numeric(t, "s"), (e: unknown) => (e as Error).message === 'vagg data error: f.csv: column "s", row 2: expected a number, found "x"');
});

test("column() suggests a close name", () => {
  const t = table({ vagg: [1] });
  assert.throws(() => column(t, "vag"), /did you mean "vagg"/);
});

test("takeRows / filterRows / records round trip", () => {
  const t = fromRecords([{ a: 1, b: "x" }, { a: 2, b: null }, { a: 3, b: "z" }]);
  const f = filterRows(t, [true, false, true]);
  assert.equal(toRecords(f), [{ a: 1, b: "x" }, { a: 3, b: "z" }]);
  assert.equal(toRecords(takeRows(t, [2, 2])), [{ a: 3, b: "z" }, { a: 3, b: "z" }]);
});

test.run();
