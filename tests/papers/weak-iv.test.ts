import { test } from "uvu";
import * as assert from "uvu/assert";
import { iv2sls } from "../../lib/estimators/iv2sls";
import { weakIvTable, weakIvPanelRows } from "../../lib/papers/weak-iv";
import { weakIvPanel } from "../../lib/estimators/iv/weak-iv-panel";
import { weakIvData } from "../estimators/iv/weak-iv-synthetic";

// Layout checks of the exhibit (exact strings); the numbers are tested in tests/estimators/iv.
test("weakIvTable: one column per fit, rows aligned by label across just- and over-identified fits", () => {
  const a = iv2sls(weakIvData(), "y ~ w | city | x ~ z1", { vcov: { cluster: ["city"] } });
  const b = iv2sls(weakIvData(), "y ~ w | city | x ~ z1 + z2", { vcov: { cluster: ["city"] } });
  const t = weakIvTable([a, b], ["just", "over"]);
  assert.is(t.ncol, 3);
  const labels = t.body.map((r) => r.cells[0]!.text);
  assert.ok(labels.includes("MOP effective F"));
  assert.ok(labels.includes("tF 95% CI"));
  assert.ok(labels.includes("Anderson–Rubin set"));
  const rows = weakIvPanelRows(weakIvPanel(b));
  assert.match(rows.find(([l]) => l === "tF 95% CI")![1], /one instrument/);
});

test.run();
