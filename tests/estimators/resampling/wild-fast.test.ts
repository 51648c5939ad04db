import { test } from "uvu";
import * as assert from "uvu/assert";
import { prepareFwl, residualOnControls } from "../../../lib/estimators/resampling/fwl";
import { prepareWildFast, wildFastDraw, wildFastDraw4 } from "../../../lib/estimators/resampling/wild-fast";
import { rng } from "../../../lib/util/rng";
import { panel } from "./helpers";

// wildFastDraw4 runs four draws through the same sums in the same order as wildFastDraw (only
// interleaved), so every draw must be bitwise equal to the one-draw routine: exact equality, no
// tolerance.

const WEBB = [-Math.sqrt(1.5), -1, -Math.sqrt(0.5), Math.sqrt(0.5), 1, Math.sqrt(1.5)];

for (const [formula, cluster] of [
  ["y ~ x1 + x2 + x3 | city + year + prod", "city^prod"],
  ["y ~ x1 + x2 | city + year", "city"],
  ["y ~ x1 + x2 + x3 + xc", "prod"],
] as const) {
  test(`wildFastDraw4 = four wildFastDraw calls, bitwise (${formula}; cluster ${cluster})`, () => {
    const data = panel(4, { nCity: 40, nYear: 5, perCell: 6 });
    const m = prepareFwl(data, formula, "x1", { vcov: { cluster: [cluster] } });
    const plan = prepareWildFast(m, m.vcovClusters[0]!, m.ry, residualOnControls(m, m.x));
    assert.ok(plan, "the cluster-sum plan applies");
    const G = plan!.G;
    const r = rng(5);
    for (const kind of ["rademacher", "webb"]) {
      const W = new Float64Array(4 * G);
      for (let b = 0; b < 4; b++)
        for (let g = 0; g < G; g++) W[4 * g + b] = kind === "webb" ? (WEBB[r.int(6)] as number) : r.uniform() < 0.5 ? -1 : 1;
      const d = new Float64Array(4),
        se = new Float64Array(4),
        t = new Float64Array(4);
      wildFastDraw4(plan!, W, d, se, t);
      for (let b = 0; b < 4; b++) {
        const v = Float64Array.from({ length: G }, (_, g) => W[4 * g + b] as number);
        const one = wildFastDraw(plan!, v);
        assert.ok(
          Object.is(one.delta, d[b]) && Object.is(one.se, se[b]) && Object.is(one.t, t[b]),
          `${kind} draw ${b}: ${one.t} vs ${t[b]}`,
        );
        assert.ok(Number.isFinite(one.t) && one.se > 0);
      }
    }
  });
}

test.run();
