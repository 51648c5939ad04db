import { test } from "uvu";
import * as assert from "uvu/assert";
import { baciUnitValueQuality } from "../../../lib/papers/eq/baci";

// The quality pipeline on the real public BACI subset (data/raw/public/trade, committed): it runs,
// keeps rows at every cleaning step it reports, normalises quality into [0, 1] within HS6, and
// carries its caveats. No external number exists for this demonstration, so the checks are the
// pipeline's own invariants.
test("BACI demonstration: the pipeline runs on real unit values with its invariants", async () => {
  const r = await baciUnitValueQuality();
  assert.ok(r.counts.input > 0, "rows read");
  assert.ok(r.caveats.length >= 5);
  // HS6-level quality is a value-weighted mean of rqua ∈ [0, 1], so it stays in [0, 1]
  const q = r.hs6.columns["quality"] as Float64Array;
  assert.ok(q instanceof Float64Array && q.length > 0, "hs6 quality column");
  let finite = 0;
  for (const v of q)
    if (Number.isFinite(v)) {
      finite++;
      assert.ok(v >= -1e-12 && v <= 1 + 1e-12, `quality ${v} outside [0, 1]`);
    }
  assert.ok(finite > 0);
});

test.run();
