import { test } from "uvu";
import * as assert from "uvu/assert";
import { shareMatrix } from "../../../lib/estimators/shift-share/share-matrix";

test("long triplets → compressed rows: sorted sectors, duplicates summed, zeros left out (exact)", () => {
  const W = shareMatrix([1, 0, 0, 1, 0], [2, 2, 0, 2, 1], [0.25, 0.5, 0.1, 0.25, 0], 3, 3);
  assert.equal([...W.rowPtr], [0, 2, 3, 3]);
  assert.equal([...W.sectors], [0, 2, 2]);
  assert.equal([...W.values], [0.1, 0.5, 0.5]);
});

test("out-of-range rows or sectors and length mismatches are errors", () => {
  assert.throws(() => shareMatrix([3], [0], [1], 3, 1), /row 3/);
  assert.throws(() => shareMatrix([0], [1], [1], 3, 1), /sector 1/);
  assert.throws(() => shareMatrix([0, 1], [0], [1], 3, 1), /differ in length/);
});

test.run();
