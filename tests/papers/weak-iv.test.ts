import { test } from "uvu";
import * as assert from "uvu/assert";
import { iv2sls } from "../../lib/estimators/iv2sls";
import { weakIvTable, weakIvPanelRows } from "../../lib/papers/weak-iv";
import { weakIvPanel } from "../../lib/estimators/iv/weak-iv-panel";
import { weakIvData } from "../estimators/iv/weak-iv-synthetic";

// Layout checks of the exhibit (exact strings); the numbers are tested in tests/estimators/iv.
test("weakIvTable: one block of rows per fit in long form; numbers stay numbers, text only in the note", () => {
  const a = iv2sls(weakIvData(), "y ~ w | city | x ~ z1", { vcov: { cluster: ["city"] } });
  const b = iv2sls(weakIvData(), "y ~ w | city | x ~ z1 + z2", { vcov: { cluster: ["city"] } });
  const t = weakIvTable([a, b], ["just", "over"]);
  assert.is(t.ncol, 6);
  const rows = t.body.map((r) => [r.cells[0]!.text, r.cells[1]!.text]);
  for (const fit of ["just", "over"])
    assert.ok(
      rows.some(([f, l]) => f === fit && l === "MOP effective F"),
      fit,
    );
  assert.ok(rows.some(([f, l]) => f === "just" && l === "tF 95% CI"));
  assert.ok(rows.some(([f, l]) => f === "over" && l === "tF 95% CI"));
  const panelRows = weakIvPanelRows(weakIvPanel(b));
  assert.match(panelRows.find(([l]) => l === "tF 95% CI")![1], /one instrument/);
});

test.run();
