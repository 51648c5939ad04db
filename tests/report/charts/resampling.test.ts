import { test } from "uvu";
import * as assert from "uvu/assert";
import { placebo } from "../../../lib/estimators/resampling/placebo";
import { placeboChart, bootstrapChart } from "../../../lib/report/charts/resampling";
import { panel } from "../../estimators/resampling/helpers";

// The specs must compile and render with the installed vega-lite + vega (lib/report/charts/render-svg) (the real validator of the grammar), and
// carry the draws and the marked estimate.

test("placebo and bootstrap charts compile with vega-lite and carry the data", async () => {
  const p = await placebo(panel(7), "y ~ x1 + x2 | city + year", { permute: "x1", reps: 30, seed: 1, vcov: "iid" });
  const spec = placeboChart(p);
  const js = JSON.parse(JSON.stringify(spec));
  assert.is(js.hconcat.length, 2);
  assert.is(js.hconcat[0].data.values.length, 30);
  assert.is(js.hconcat[0].layer[2].data.values[0].v, p.actual.coef);
  assert.is(js.hconcat[1].layer[2].data.values[0].v, p.actual.t);
  const { renderSvg } = require("../../../lib/report/charts/render-svg") as { renderSvg: (s: unknown) => Promise<string> };
  assert.match(await renderSvg(js), /<svg/, "placebo spec renders");
  const b = bootstrapChart(p.coefs, 0.1, { ci: [-0.1, 0.2], name: "x1" });
  assert.match(await renderSvg(JSON.parse(JSON.stringify(b))), /<svg/, "bootstrap spec renders");
  const layers = b["layer"] as { data?: { values: { v: number }[] } }[];
  assert.is(layers.length, 3, "bars, density, rules");
  assert.equal(
    layers[2]!.data!.values.map((r) => r.v),
    [0.1, -0.1, 0.2],
    "estimate, then the percentile bounds",
  );
});

test.run();
