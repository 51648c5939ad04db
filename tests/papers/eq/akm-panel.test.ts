import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../../lib/synth";
import { buildQualityPanel, EQ_CONTROLS } from "../../../lib/papers/eq/panel";
import { eqAkmRows, EQ_AKM_SPECS } from "../../../lib/papers/eq/akm-panel";
import { eqLagSample } from "../../../lib/papers/eq/specs";
import { feols } from "../../../lib/estimators/feols";

// Tolerance: 1e-9 relative — the same regression by feols on the same rows (FE solver convergence only).
const SAME = 1e-9;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-akm-panel-"));
const built = (async () => {
  await generate({ scale: "small", seed: 20220707, outDir: dir });
  return buildQualityPanel(dir);
})();

test("eqAkmRows: the lagged-vagg rows (Table 3 cols. 3–4) run on the lag sample without the first year, the others on the full panel", async () => {
  const eq = await built;
  const rows = await eqAkmRows(eq, { dataDir: dir });
  assert.is(rows.length, EQ_AKM_SPECS.length);
  rows.forEach((r, k) => assert.is(r.spec, EQ_AKM_SPECS[k]));
  const lag = eqLagSample(eq.panel);
  assert.ok(lag.dropped > 0);
  const k3 = EQ_AKM_SPECS.findIndex((s) => s.label === "Table 3 (3)");
  const onLag = feols(lag.panel, `quality ~ l_vagg + ${EQ_CONTROLS.join(" + ")} | city + year + hs4`);
  const onAll = feols(eq.panel, `quality ~ l_vagg + ${EQ_CONTROLS.join(" + ")} | city + year + hs4`);
  const b = (m: typeof onLag) => m.table.find((r) => r.name === "l_vagg")!.estimate;
  const est = rows[k3]!.estimate;
  assert.ok(Math.abs(est - b(onLag)) <= SAME * Math.abs(b(onLag)), `${est} vs lag sample ${b(onLag)}`);
  assert.ok(Math.abs(b(onAll) - b(onLag)) > 1e-6, "the full panel would give a different estimate (the test can fail)");
  const k4 = EQ_AKM_SPECS.findIndex((s) => s.label === "Table 2 (4)");
  const base = feols(eq.panel, `quality ~ vagg + ${EQ_CONTROLS.join(" + ")} | city + year + hs4`);
  const bv = base.table.find((r) => r.name === "vagg")!.estimate;
  assert.ok(Math.abs(rows[k4]!.estimate - bv) <= SAME * Math.abs(bv));
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
