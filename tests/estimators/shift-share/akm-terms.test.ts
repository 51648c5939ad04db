import { test } from "uvu";
import * as assert from "uvu/assert";
import { akmSectorTerms } from "../../../lib/estimators/shift-share/akm-terms";
import { shareMatrix } from "../../../lib/estimators/shift-share/share-matrix";

// Hand computation on a 3×3 example (exact in binary fractions): c_s = X̂_s Σ_i w_i W_is v_i.
test("sector terms by hand, then summed within sector clusters; dropped sectors are left out", () => {
  const W = shareMatrix([0, 0, 1, 2, 2], [0, 1, 1, 0, 2], [0.5, 0.5, 1, 0.25, 0.75], 3, 3);
  const coef = Float64Array.from([2, -1, NaN]);
  const v = Float64Array.from([1, 2, 4]);
  const w = Float64Array.from([1, 2, 0.5]);
  // W'Ωv: s0 = 1·0.5·1 + 0.5·0.25·4 = 1; s1 = 0.5 + 2·1·2 = 4.5; s2 dropped
  const [c] = akmSectorTerms(coef, [0, 1], W, w, [v]);
  assert.equal([...c!], [2, -4.5]);
  const [cc] = akmSectorTerms(coef, [0, 1], W, w, [v], ["a", "a", "b"]);
  assert.equal([...cc!], [-2.5]);
  assert.throws(() => akmSectorTerms(coef, [0, 1], W, w, [v], ["a"]), /number of sectors/);
});

test.run();
