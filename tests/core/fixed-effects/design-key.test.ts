import { test } from "uvu";
import * as assert from "uvu/assert";
import { designFingerprint, sameDesign } from "../../../lib/core/fixed-effects/design-key";
import { demean } from "../../../lib/core/fixed-effects/demean";
import { rng } from "../../../lib/util/rng";

const f = (codes: number[], size: number) => ({ codes: Int32Array.from(codes), size });

test("designs built separately from the same content are one design; any change in codes, sizes, order or weights is another", () => {
  const a = { factors: [f([0, 1, 0, 2], 3), f([0, 0, 1, 1], 2)] };
  const b = { factors: [f([0, 1, 0, 2], 3), f([0, 0, 1, 1], 2)] };
  assert.ok(sameDesign(a, b));
  assert.is(designFingerprint(a), designFingerprint(b));
  const variants = [
    { factors: [f([0, 1, 0, 2], 3), f([0, 1, 1, 1], 2)] },
    { factors: [f([0, 1, 0, 2], 4), f([0, 0, 1, 1], 2)] },
    { factors: [f([0, 0, 1, 1], 2), f([0, 1, 0, 2], 3)] },
    { factors: [f([0, 1, 0, 2], 3)] },
    { factors: a.factors, weights: Float64Array.of(1, 1, 1, 1) },
  ];
  for (const v of variants) {
    assert.not.ok(sameDesign(a, v));
    assert.is.not(designFingerprint(a), designFingerprint(v));
  }
  const w1 = { factors: a.factors, weights: Float64Array.of(1, 2, 3, 4) };
  const w2 = { factors: b.factors, weights: Float64Array.of(1, 2, 3, 4) };
  assert.ok(sameDesign(w1, w2));
  assert.not.ok(sameDesign(w1, { factors: a.factors, weights: Float64Array.of(1, 2, 3, 4.000000000000001) }));
});

test("demean with a plan found by content gives the same columns, bit for bit, as a freshly built plan", () => {
  const r = rng(11);
  const n = 20_000;
  const mk = () => ({
    factors: [
      f(
        Array.from({ length: n }, (_, i) => i % 300),
        300,
      ),
      f(
        Array.from({ length: n }, (_, i) => (i * 7) % 11),
        11,
      ),
      f(
        Array.from({ length: n }, (_, i) => (i * 13) % 40),
        40,
      ),
    ],
  });
  const x = Float64Array.from({ length: n }, () => r.normal());
  const first = demean([x], mk(), { method: "direct" });
  const again = demean([x], mk(), { method: "direct" }); // a new design object with the same content: the cached plan
  assert.equal(Array.from(again.columns[0] as Float64Array), Array.from(first.columns[0] as Float64Array));
});

test.run();
