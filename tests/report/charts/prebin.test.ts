import { test } from "uvu";
import * as assert from "uvu/assert";
import { distributionPlot, prebin } from "../../../lib/report/charts/distribution-plot";
import { rng } from "../../../lib/util/rng";

// prebin against closed forms: nice steps (10^k × 1, 2 or 5), every value counted once, bars
// tiling the range, at most maxbins bins; distributionPlot embeds the bins, not the values,
// above 20,000 values.
test("prebin: nice bins covering the data, counts summing to n", () => {
  const b = prebin([{ v: 0.1 }, { v: 0.35 }, { v: 0.9 }], 10);
  assert.is(b[0]!.bin_start, 0.1);
  assert.ok(Math.abs(b[0]!.bin_end - b[0]!.bin_start - 0.1) < 1e-12); // span 0.8, ≤ 10 bins → step 0.1
  assert.is(
    b.reduce((a, x) => a + x.count, 0),
    3,
  );
  const r = rng(3);
  const data = Array.from({ length: 50_000 }, () => ({ v: r.normal() * 3 + 1 }));
  const h = prebin(data, 40);
  assert.ok(h.length <= 41 && h.length >= 10, String(h.length));
  assert.is(
    h.reduce((a, x) => a + x.count, 0),
    50_000,
  );
  const step = h[0]!.bin_end - h[0]!.bin_start;
  const m = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
  assert.ok(
    [1, 2, 5].some((k) => Math.abs(m - k) < 1e-9),
    `step ${step}`,
  );
  for (let i = 1; i < h.length; i++) assert.ok(Math.abs(h[i]!.bin_start - h[i - 1]!.bin_end) < 1e-9);
  assert.ok(h[0]!.bin_start <= Math.min(...data.map((d) => d.v)) && h[h.length - 1]!.bin_end >= Math.max(...data.map((d) => d.v)));
});

test("distributionPlot: above 20,000 values the spec carries the bins only", () => {
  const r = rng(4);
  const v = Float64Array.from({ length: 30_000 }, () => r.normal());
  const spec = distributionPlot(v, { maxbins: 40 }) as unknown as { layer: { data?: { values: unknown[] } }[] };
  assert.ok(spec.layer[0]!.data!.values.length <= 41);
  const small = distributionPlot(v.subarray(0, 100)) as unknown as { layer: { data?: { values: unknown[] } }[] };
  assert.is(small.layer[0]!.data!.values.length, 100);
});

test.run();
