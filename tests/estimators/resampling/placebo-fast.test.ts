import { test } from "uvu";
import * as assert from "uvu/assert";
import { rng } from "../../../lib/util/rng";
import { placebo, preparePlacebo, shuffleInPlace } from "../../../lib/estimators/resampling/placebo";
import { fwlFit } from "../../../lib/estimators/resampling/fwl";
import { kernelPlan, kernelScratch, kernelFit, fastPlaceboLoop } from "../../../lib/estimators/resampling/placebo-fast";
import { xoshiroState, fisherYates } from "../../../lib/estimators/resampling/placebo-kernels";
import { panel } from "./helpers";

// The placebo fast path (kernels, pairs of draws, optional worker thread) must reproduce the
// reference loop — `design.draw` (shuffleInPlace with Rng) followed by `fwlFit` — bitwise: the
// same permutations in the same order and the same floating-point operations in the same order
// for every sum. So everything here is compared with exact equality, no tolerance.

const data = panel(1, { nCity: 30, nYear: 6, perCell: 5 });
const F3 = "y ~ x1 + x2 + x3 | city + year + prod";

function reference(formula: string, vcov: string, reps: number, seed: number): { coef: number; se: number; t: number }[] {
  const d = preparePlacebo(data, formula, { permute: "x1", vcov });
  const s = rng(seed).fork("placebo");
  const buf = new Float64Array(d.model.n);
  const out = [];
  for (let r = 0; r < reps; r++) {
    d.draw(s, buf);
    out.push(fwlFit(d.model, buf));
  }
  return out;
}

test("fisherYates = out.set(x); shuffleInPlace(rng, out) for the same generator, and leaves the generator in the same state", () => {
  for (const [seed, n] of [
    [1, 1],
    [2, 2],
    [3, 17],
    [4, 1000],
    [5, 70001],
  ] as const) {
    const x = Float64Array.from({ length: n }, (_, i) => i * 1.5 - 3);
    const r = rng(seed).fork("placebo");
    const st = new Int32Array(4);
    xoshiroState(r.seed, st);
    for (let k = 0; k < 3; k++) {
      const a = Float64Array.from(x);
      shuffleInPlace(r, a, 0, n);
      const b = new Float64Array(n);
      fisherYates(st, x, b);
      assert.equal(Array.from(b), Array.from(a), `seed ${seed}, n ${n}, draw ${k}`);
    }
  }
});

test("fisherYates: ranges above 2^21 use Rng.int's rejection rule (n = 2,100,000)", () => {
  const n = 2_100_000;
  const x = Float64Array.from({ length: n }, (_, i) => i);
  const r = rng(9).fork("placebo");
  const st = new Int32Array(4);
  xoshiroState(r.seed, st);
  const a = Float64Array.from(x);
  shuffleInPlace(r, a, 0, n);
  const b = new Float64Array(n);
  fisherYates(st, x, b);
  let same = true;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) same = false;
  assert.ok(same);
  // both generators are left in the same state: the next (small) shuffles agree too
  const small = Float64Array.from({ length: 50 }, (_, i) => i);
  const c = Float64Array.from(small);
  shuffleInPlace(r, c, 0, 50);
  const e = new Float64Array(50);
  fisherYates(st, small, e);
  assert.equal(Array.from(e), Array.from(c));
});

for (const [label, vcov] of [
  ["cluster city^prod", "cluster:city^prod"],
  ["iid", "iid"],
] as const) {
  test(`kernelFit = fwlFit bitwise (3 FE, ${label})`, () => {
    const d = preparePlacebo(data, F3, { permute: "x1", vcov });
    const kp = kernelPlan(d.model);
    assert.ok(kp, "kernels apply");
    const sc = kernelScratch(kp!);
    const s = rng(4).fork("placebo");
    const buf = new Float64Array(d.model.n);
    for (let r = 0; r < 12; r++) {
      d.draw(s, buf);
      const a = fwlFit(d.model, buf),
        b = kernelFit(kp!, buf, sc);
      assert.is(b.coef, a.coef);
      assert.is(b.se, a.se);
      assert.is(b.t, a.t);
    }
  });

  for (const threads of [1, 2]) {
    test(`placebo() fast loop = reference loop bitwise (${label}, ${threads} thread${threads > 1 ? "s" : ""}, odd reps)`, async () => {
      const ref = reference(F3, vcov, 25, 3);
      const p = await placebo(data, F3, { permute: "x1", reps: 25, seed: 3, vcov, threads });
      assert.equal(p.engine, { fit: "kernels", threads });
      assert.equal(
        Array.from(p.coefs),
        ref.map((f) => f.coef),
      );
      assert.equal(
        Array.from(p.ses),
        ref.map((f) => f.se),
      );
      assert.equal(
        Array.from(p.tstats),
        ref.map((f) => f.t),
      );
    });
  }
}

test("placebo(): designs outside the kernels keep fwlFit; other schemes use the kernels for the fit", async () => {
  const p2 = await placebo(data, "y ~ x1 + x2 | city + year", { permute: "x1", reps: 5, seed: 1, vcov: "iid" });
  assert.equal(p2.engine, { fit: "fwl", threads: 1 });
  const w = await placebo(data, F3, { permute: "x1", reps: 8, seed: 2, vcov: "cluster:city", within: "year" });
  assert.equal(w.engine, { fit: "kernels", threads: 1 });
  const d = preparePlacebo(data, F3, { permute: "x1", vcov: "cluster:city", within: "year" });
  const s = rng(2).fork("placebo");
  const buf = new Float64Array(d.model.n);
  for (let r = 0; r < 8; r++) {
    d.draw(s, buf);
    assert.is(w.coefs[r], fwlFit(d.model, buf).coef);
  }
});

test("fast loop: abort between draws (also inside a pair) returns the completed prefix; progress per draw", async () => {
  for (const threads of [1, 2]) {
    for (const stopAt of [6, 7]) {
      const ac = new AbortController();
      const seen: number[] = [];
      const p = await placebo(data, F3, {
        permute: "x1",
        reps: 40,
        seed: 5,
        vcov: "cluster:city",
        threads,
        signal: ac.signal,
        onProgress: (done) => {
          seen.push(done);
          if (done === stopAt) ac.abort();
        },
      });
      assert.is(p.interrupted, true);
      assert.is(p.reps, stopAt);
      assert.equal(
        seen,
        Array.from({ length: stopAt }, (_, i) => i + 1),
      );
      const ref = reference(F3, "cluster:city", stopAt, 5);
      assert.equal(
        Array.from(p.coefs),
        ref.map((f) => f.coef),
      );
    }
  }
});

test("fastPlaceboLoop records every draw once, in order", async () => {
  const d = preparePlacebo(data, F3, { permute: "x1", vcov: "cluster:city" });
  const kp = kernelPlan(d.model, true)!;
  const order: number[] = [];
  const r = await fastPlaceboLoop(kp, d.model.x, rng(8).fork("placebo").seed, 9, { threads: 2 }, (k) => order.push(k));
  assert.equal(order, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  assert.is(r.done, 9);
  assert.is(r.threads, 2);
});

test.run();
