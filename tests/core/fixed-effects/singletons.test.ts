import { test } from "uvu";
import * as assert from "uvu/assert";
import { factorize } from "../../../lib/core/fixed-effects/factorize";
import { removeSingletons } from "../../../lib/core/fixed-effects/singletons";

// Iterative removal of singletons (Correia 2015, "Singletons, cluster-robust standard errors
// and fixed effects: a bad mix"): exact integer checks.

test("one FE: each observation alone in its level is dropped, nothing cascades", () => {
  const f = factorize(["a", "a", "b", "c", "c"]);
  const r = removeSingletons([f], new Uint8Array(5).fill(1));
  assert.equal(Array.from(r.keep), [1, 1, 0, 1, 1]);
  assert.is(r.removed, 1);
  assert.is(r.passes, 1);
});

test("two FE: removal cascades until no singleton remains (chain example)", () => {
  // obs: (i, t) = (1,1) (1,2) (2,2) (2,3) (3,3) (3,3)
  // pass 1: t=1 singleton → drop obs 0; then i=1 has one obs (obs 1) → dropped in the same pass
  // (the sweep sees updated counts), t=2 then has only obs 2 → ... the chain unravels to (3,3)×2
  const i = factorize(Int32Array.of(1, 1, 2, 2, 3, 3));
  const t = factorize(Int32Array.of(1, 2, 2, 3, 3, 3));
  const r = removeSingletons([i, t], new Uint8Array(6).fill(1));
  assert.equal(Array.from(r.keep), [0, 0, 0, 0, 1, 1]);
  assert.is(r.removed, 4);
  assert.ok(r.passes >= 2, "a final pass confirms no change");
});

test("a chain that needs several passes: the order of observations makes the second pass necessary", () => {
  // obs 0 becomes a singleton only after obs 1 (later in the order) is removed
  const i = factorize(Int32Array.of(1, 1, 2));
  const t = factorize(Int32Array.of(1, 2, 2));
  // counts: i1=2, i2=1 (obs 2 singleton); t1=1 (obs 0 singleton) → obs 0 dropped, then obs 1 (i1 now 1) dropped, obs 2 dropped
  const r = removeSingletons([i, t], new Uint8Array(3).fill(1));
  assert.is(r.removed, 3);
  const i2 = factorize(Int32Array.of(1, 1, 2, 2, 2));
  const t2 = factorize(Int32Array.of(2, 1, 1, 3, 3));
  // pass 1: obs 0 (t=2 singleton) removed → i=1 left with obs 1 → removed in the same sweep; t=1 left with obs 2 → removed
  const r2 = removeSingletons([i2, t2], new Uint8Array(5).fill(1));
  assert.equal(Array.from(r2.keep), [0, 0, 0, 1, 1]);
});

test("the keep mask on input is respected (already-excluded rows do not count) and not mutated", () => {
  const f = factorize(["a", "a", "b", "b"]);
  const keep = Uint8Array.of(1, 1, 1, 0);
  const r = removeSingletons([f], keep);
  assert.equal(Array.from(r.keep), [1, 1, 0, 0]);
  assert.equal(Array.from(keep), [1, 1, 1, 0]);
});

test.run();
