import { test } from "uvu";
import * as assert from "uvu/assert";
import { compositeKeyNumbers } from "../../lib/data/composite-key";
import { rng } from "../../lib/util/rng";

// compositeKeyNumbers must induce exactly the equality of the concatenated string keys it replaces.

test("equal numbers exactly for equal key tuples, across tables, on random data", () => {
  const r = rng(7);
  const n = 20_000;
  const a = Array.from({ length: n }, () => Math.floor(r.uniform() * 50));
  const bStr = Array.from({ length: n }, () => String(Math.floor(r.uniform() * 40)));
  const c = Float64Array.from({ length: n }, () => 2000 + Math.floor(r.uniform() * 5));
  // the second table: numbers as strings and strings as numbers where the comparison allows it
  const a2 = a.map(String),
    b2 = bStr.map((s) => s),
    c2 = Int32Array.from(c);
  const [k1, k2] = compositeKeyNumbers([
    { columns: [a, a2], as: "number" },
    { columns: [bStr, b2], as: "string" },
    { columns: [c, c2], as: "number" },
  ]) as [Float64Array, Float64Array];
  const ref = (i: number) => `${a[i]}|${bStr[i]}|${c[i]}`;
  const byKey = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const s = ref(i);
    const seen = byKey.get(k1[i] as number);
    if (seen === undefined) byKey.set(k1[i] as number, s);
    else assert.is(seen, s, `key collision at row ${i}`);
    assert.is(k2[i], k1[i], `row ${i}: the same tuple in both tables`);
  }
  assert.is(byKey.size, new Set(Array.from({ length: n }, (_, i) => ref(i))).size);
});

test("numbers vs strings: '12' and 12 are one number key, '012' and '12' are two string keys", () => {
  const [x] = compositeKeyNumbers([{ columns: [["12", 12, 12.0, "012"]], as: "number" }]) as [Float64Array];
  assert.equal([...x], [0, 0, 0, 0]);
  const [y] = compositeKeyNumbers([{ columns: [["12", "012"]], as: "string" }]) as [Float64Array];
  assert.is.not(y[0], y[1]);
});

test("refuses key spaces beyond 2^53", () => {
  const big = Float64Array.from({ length: 300_000 }, (_, i) => i);
  assert.throws(
    () => compositeKeyNumbers([{ columns: [big], as: "number" }, { columns: [big], as: "number" }, { columns: [big], as: "number" }]),
    /exceed 2\^53/,
  );
});

test.run();
