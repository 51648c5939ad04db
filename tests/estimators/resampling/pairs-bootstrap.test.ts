import { test } from "uvu";
import * as assert from "uvu/assert";
import { table } from "../../../lib/data/table";
import { rng } from "../../../lib/util/rng";
import { feols } from "../../../lib/estimators/feols";
import { clusterBootstrap } from "../../../lib/estimators/resampling/pairs-bootstrap";
import { refitRows } from "../../../lib/estimators/resampling/refit";
import { buildModelFrame } from "../../../lib/estimators/model-frame";
import { parseFormula } from "../../../lib/estimators/formula";
import { panel, rel } from "./helpers";

// Tolerances.
// - Bootstrap SE vs the analytic cluster-robust SE (fixest small-sample factors) on a
//   well-behaved design (G = 80 clusters of 10, one non-nested FE, R = 800 draws):
//   Monte Carlo sd of a bootstrap SE is about 1/sqrt(2R) = 2.5 % of the SE (normal draws);
//   the estimators differ systematically by O(1/G) (the analytic one carries G/(G−1) and
//   (n−1)/(n−K), about +1.5 %). Bound: 4 MC sd + 1.5 % ≈ 12 % relative.
// - refitRows on the identity multiset = feols: 1e-10 (same code path).
const SE_REL = 0.12;

function design(seed: number) {
  const r = rng(seed);
  const G = 80,
    per = 10,
    n = G * per;
  const cl = new Float64Array(n),
    yr = new Float64Array(n),
    x1 = new Float64Array(n),
    x2 = new Float64Array(n),
    y = new Float64Array(n);
  for (let g = 0; g < G; g++) {
    const cx = r.normal(),
      cu = r.normal();
    for (let p = 0; p < per; p++) {
      const i = g * per + p;
      cl[i] = g;
      yr[i] = p % 5;
      x1[i] = 0.7 * cx + r.normal();
      x2[i] = r.normal();
      y[i] =
        0.5 * (x1[i] as number) -
        0.2 * (x2[i] as number) +
        0.1 * (yr[i] as number) +
        0.8 * cu +
        r.normal() * (1 + 0.3 * Math.abs(x1[i] as number));
    }
  }
  return table({ y, x1, x2, cl, yr });
}

test("pairs cluster bootstrap SE ≈ analytic cluster-robust SE (Monte Carlo bound)", async () => {
  const d = design(21);
  const b = await clusterBootstrap(d, "y ~ x1 + x2 | yr", { cluster: "cl", reps: 800, seed: 3 });
  const f = feols(d, "y ~ x1 + x2 | yr", { vcov: "cluster:cl" });
  for (const row of b.table) {
    assert.ok(rel(row.seAnalytic, f.se[row.name] as number) < 1e-12);
    if (process.env.SHOW) console.log(row.name, row.se / row.seAnalytic);
    assert.ok(Math.abs(row.se / row.seAnalytic - 1) < SE_REL, `${row.name}: boot ${row.se} vs analytic ${row.seAnalytic}`);
    assert.ok(row.ciLow < row.estimate && row.estimate < row.ciHigh);
    assert.is(row.failed, 0);
  }
  assert.is(b.reps, 800);
  assert.is(b.clusters, 80);
  const x1 = b.table.find((r) => r.name === "x1")!;
  assert.ok(x1.pValue < 0.01 && x1.pNormal < 0.01, "strong effect detected");
  // p-value rule, recomputed
  const dr = b.draws["x1"]!;
  let ge = 0;
  dr.forEach((v) => {
    if (Math.abs(v - x1.estimate) >= Math.abs(x1.estimate)) ge++;
  });
  assert.is(x1.pValue, ge / 800);
});

test("refitRows: identity sample = feols; duplicated clusters = feols on the duplicated table", () => {
  const d = panel(8);
  const f = parseFormula("y ~ x1 + x2 | city + year");
  const fr = buildModelFrame(d, f, {});
  const id = Int32Array.from({ length: fr.n }, (_, i) => i);
  const full = feols(d, "y ~ x1 + x2 | city + year", { singletons: "keep" });
  const b = refitRows(fr, f, id, ["x1", "x2"]);
  assert.ok(rel(b[0]!, full.coef["x1"]!) < 1e-10);
  const rows = Int32Array.from([...id, ...id.slice(0, 40)]);
  const dup = table(
    Object.fromEntries(d.names.map((nm) => [nm, Float64Array.from(rows, (i) => (d.columns[nm] as Float64Array)[fr.rows[i]!]!)])),
  );
  const fd = feols(dup, "y ~ x1 + x2 | city + year", { singletons: "keep" });
  const bd = refitRows(fr, f, rows, ["x1", "x2"]);
  assert.ok(rel(bd[1]!, fd.coef["x2"]!) < 1e-10);
});

test("pairs bootstrap: reproducible with the seed; interruptible; bad input", async () => {
  const d = design(5);
  const a = await clusterBootstrap(d, "y ~ x1", { cluster: "cl", reps: 30, seed: 1 });
  const b = await clusterBootstrap(d, "y ~ x1", { cluster: "cl", reps: 30, seed: 1 });
  assert.equal(Array.from(a.draws["x1"]!), Array.from(b.draws["x1"]!));
  const ac = new AbortController();
  const c = await clusterBootstrap(d, "y ~ x1", {
    cluster: "cl",
    reps: 30,
    seed: 1,
    signal: ac.signal,
    onProgress: (k) => {
      if (k === 4) ac.abort();
    },
  });
  assert.is(c.interrupted, true);
  assert.is(c.reps, 4);
  assert.equal(Array.from(c.draws["x1"]!), Array.from(a.draws["x1"]!.slice(0, 4)));
  const one = table({ ...d.columns, one: new Float64Array(d.nrows).fill(1) });
  let msg = "";
  try {
    await clusterBootstrap(one, "y ~ x1", { cluster: "one", reps: 5 });
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.match(msg, /at least 2/);
});

test.run();
