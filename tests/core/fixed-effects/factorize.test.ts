import { test } from "uvu";
import * as assert from "uvu/assert";
import { factorize, interact, levelCounts, subsetFactor } from "../../../lib/core/fixed-effects/factorize";

// Integer codes: exact comparisons throughout.

test("factorize: codes in order of first appearance, NA → −1 (strings, numbers, Int32 NA)", () => {
  const s = factorize(["b", "a", "b", null, "c"]);
  assert.equal(Array.from(s.codes), [0, 1, 0, -1, 2]);
  assert.is(s.size, 3);
  const f = factorize(Float64Array.of(2005, 2003, NaN, 2005));
  assert.equal(Array.from(f.codes), [0, 1, -1, 0]);
  const i = factorize(Int32Array.of(7, -2147483648, 7, 9));
  assert.equal(Array.from(i.codes), [0, -1, 0, 1]);
  assert.is(i.size, 2);
});

test("factorize: the integer fast path and the hash-map path give the same codes", () => {
  const v = Float64Array.of(5, 3, 5, 1e9, 3, 0.5); // fractional value and wide range → map path
  const w = Float64Array.of(5, 3, 5, 9, 3, 1); // integer, narrow → lookup path
  assert.equal(Array.from(factorize(v).codes), [0, 1, 0, 2, 1, 3]);
  assert.equal(Array.from(factorize(w).codes), [0, 1, 0, 2, 1, 3]);
  assert.equal(factorize(Float64Array.of(NaN, NaN)), { codes: Int32Array.of(-1, -1), size: 0 });
});

test("interact: one level per observed pair, NA if either is NA (fixest a^b)", () => {
  const a = factorize(["x", "x", "y", "y", null]);
  const b = factorize([1, 2, 1, 1, 1]);
  const ab = interact(a, b);
  assert.equal(Array.from(ab.codes), [0, 1, 2, 2, -1]);
  assert.is(ab.size, 3);
});

test("subsetFactor re-densifies; levelCounts counts (or sums weights)", () => {
  const f = factorize(["a", "b", "c", "b", "a"]);
  const s = subsetFactor(f, Int32Array.of(1, 3, 4));
  assert.equal(Array.from(s.codes), [0, 0, 1]);
  assert.is(s.size, 2);
  assert.equal(Array.from(levelCounts(f)), [2, 2, 1]);
  assert.equal(Array.from(levelCounts(f, Float64Array.of(1, 2, 3, 4, 5))), [6, 6, 3]);
});

test.run();
