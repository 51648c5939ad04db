import { test } from "uvu";
import * as assert from "uvu/assert";
import { roundSignificant } from "../../lib/synth/round-significant";
import { rng } from "../../lib/util/rng";

// roundSignificant must equal Number(x.toPrecision(d)) bit for bit (Object.is), the reference it replaces.

test("equals Number(toPrecision) on a million random doubles over 40 decades, 1–15 digits", () => {
  const r = rng(20261207);
  let bad = 0,
    first = "";
  for (let i = 0; i < 1_000_000; i++) {
    const x = (r.uniform() < 0.5 ? -1 : 1) * Math.exp((r.uniform() - 0.5) * 92);
    const d = i % 3 === 0 ? 9 : 1 + Math.floor(r.uniform() * 15);
    const a = roundSignificant(x, d),
      b = Number(x.toPrecision(d));
    if (!Object.is(a, b)) {
      bad++;
      if (!first) first = `${x} (${d}): ${a} vs ${b}`;
    }
  }
  assert.is(bad, 0, first);
});

test("exact decimal ties, powers of ten, zero, negatives and non-finite values", () => {
  const xs = [
    0.5,
    1.5,
    2.5,
    1.0000000005,
    123456789.5,
    9.9999999995,
    999999999.5,
    1e22,
    1e-22,
    1e23,
    1e-300,
    5e-324,
    0,
    -0,
    -1.25,
    NaN,
    Infinity,
    -Infinity,
    1,
    10,
    100,
    0.1,
    0.3,
  ];
  for (const x of xs)
    for (let d = 1; d <= 17; d++) assert.ok(Object.is(roundSignificant(x, d), Number(x.toPrecision(d))), `${x} at ${d} digits`);
});

test.run();
