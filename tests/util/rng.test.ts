import { test } from "uvu";
import * as assert from "uvu/assert";
import { rng, Rng } from "../../lib/util/rng";

// Tolerances: moments of 200k uniform/normal draws; 5 standard errors of the estimate.
const N = 200_000;

test("same seed, same stream; fork gives a different, reproducible stream", () => {
  const a = new Rng(42),
    b = new Rng(42);
  for (let i = 0; i < 100; i++) assert.is(a.nextUint32(), b.nextUint32());
  const f1 = new Rng(42).fork("placebo").uniform(),
    f2 = new Rng(42).fork("placebo").uniform();
  assert.is(f1, f2);
  assert.is.not(new Rng(42).fork("bootstrap").uniform(), f1);
});

test("uniform and normal moments", () => {
  const r = rng(1);
  let s = 0,
    s2 = 0,
    n1 = 0,
    n2 = 0;
  for (let i = 0; i < N; i++) {
    const u = r.uniform();
    s += u;
    s2 += u * u;
    const z = r.normal();
    n1 += z;
    n2 += z * z;
  }
  assert.ok(Math.abs(s / N - 0.5) < 5 * Math.sqrt(1 / 12 / N));
  assert.ok(Math.abs(s2 / N - 1 / 3) < (5 * 0.3) / Math.sqrt(N));
  assert.ok(Math.abs(n1 / N) < 5 / Math.sqrt(N));
  assert.ok(Math.abs(n2 / N - 1) < 5 * Math.sqrt(2 / N));
});

test("permutation is a permutation; int is in range", () => {
  const p = rng(3).permutation(1000);
  const seen = new Uint8Array(1000);
  for (const v of p) seen[v] = 1;
  assert.is(
    seen.reduce((a, b) => a + b, 0),
    1000,
  );
  const r = rng(5);
  for (let i = 0; i < 1000; i++) {
    const k = r.int(7);
    assert.ok(k >= 0 && k < 7);
  }
});

test.run();
