import { test } from "uvu";
import * as assert from "uvu/assert";
import { factorize } from "../../../lib/core/fixed-effects/factorize";
import { mapCoefficients, mapCoefficientsPlan } from "../../../lib/core/fixed-effects/map-coefficients";
import { columnBlocks, mapColumns } from "../../../lib/core/fixed-effects/map-columns";
import { rng } from "../../../lib/util/rng";

// mapColumns: the column-parallel runner of mapCoefficients. Its results must be those of
// mapCoefficients on each column alone, bit for bit, with one thread or two (exact: same code,
// same operations; JavaScript arithmetic has no contraction).
const sameBits = (a: Float64Array, b: Float64Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const r = rng(7);

test("columnBlocks: at most eight columns a block, even sizes, an even number of blocks for two threads", () => {
  assert.equal(columnBlocks(0, 1), []);
  assert.equal(columnBlocks(1, 2), [[0]]);
  assert.equal(columnBlocks(5, 1), [[0, 1, 2, 3, 4]]);
  assert.equal(columnBlocks(11, 1), [
    [0, 1, 2, 3, 4, 5],
    [6, 7, 8, 9, 10],
  ]);
  assert.equal(columnBlocks(11, 2), [
    [0, 1, 2, 3, 4, 5],
    [6, 7, 8, 9, 10],
  ]);
  assert.equal(columnBlocks(5, 2), [
    [0, 1, 2],
    [3, 4],
  ]);
  assert.equal(columnBlocks(20, 2), [
    [0, 1, 2, 3, 4],
    [5, 6, 7, 8, 9],
    [10, 11, 12, 13, 14],
    [15, 16, 17, 18, 19],
  ]);
  assert.equal(columnBlocks(3, 2), [[0, 1], [2]]);
  for (let K = 1; K < 30; K++)
    for (const T of [1, 2]) {
      const b = columnBlocks(K, T);
      assert.equal(
        b.flat(),
        Array.from({ length: K }, (_, j) => j),
      );
      assert.ok(b.every((x) => x.length >= 1 && x.length <= 8));
      if (T === 2 && K >= 2) assert.is(b.length % 2, 0, `K=${K}: an even number of blocks`);
    }
});

test("with a worker thread (forced) and without, every column equals mapCoefficients alone bit for bit, unweighted and weighted", () => {
  const n = 4000;
  const factors = [60, 35, 6].map((G) => factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * G))));
  const cols = Array.from({ length: 9 }, (_, c) =>
    Float64Array.from({ length: n }, (_, i) => r.normal(c, 2) + Math.cos(factors[1]!.codes[i]!)),
  );
  const w = Float64Array.from({ length: n }, () => 0.5 + r.uniform());
  for (const weights of [undefined, w]) {
    const plan = mapCoefficientsPlan({ factors, ...(weights ? { weights } : {}) });
    const alone = cols.map((x) => mapCoefficients(x, plan, 1e-12, 10_000));
    for (const threads of [1, 2]) {
      const got = mapColumns(cols, plan, 1e-12, 10_000, threads);
      got.forEach((g, j) => {
        assert.ok(sameBits(g.residual, alone[j]!.residual), `threads=${threads} column ${j} ${weights ? "weighted" : ""}`);
        assert.is(g.iterations, alone[j]!.iterations);
        assert.is(g.converged, alone[j]!.converged);
      });
    }
  }
});

test("the worker takes part: on a larger design some columns are demeaned in the worker, and they are bit for bit the same", () => {
  const n = 300_000;
  const factors = [20_000, 3_000, 11].map((G) => factorize(Int32Array.from({ length: n }, () => Math.floor(r.uniform() * G))));
  const cols = Array.from({ length: 8 }, (_, c) => Float64Array.from({ length: n }, () => r.normal(c, 1)));
  const plan = mapCoefficientsPlan({ factors });
  const alone = cols.map((x) => mapCoefficients(x, plan, 1e-10, 10_000));
  // the worker starts on first use: up to three tries for it to take a block while this thread works
  let took = 0;
  for (let attempt = 0; attempt < 3 && took === 0; attempt++) {
    const got = mapColumns(cols, plan, 1e-10, 10_000, 2);
    got.forEach((g, j) => assert.ok(sameBits(g.residual, alone[j]!.residual), `column ${j}`));
    took = got.filter((g) => g.inWorker).length;
  }
  assert.ok(took > 0, "the worker demeaned no column in three tries");
});

test.run();
