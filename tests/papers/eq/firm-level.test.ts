import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { table } from "../../../lib/data/table";
import { EQ_CONTROLS, type QualityPanel } from "../../../lib/papers/eq/panel";
import { buildFirmPanel } from "../../../lib/papers/eq/firm-level";

// eq.firm stand-in: firm 1 (two HS6 lines in 2006, one in 2014), firm 2 (one line in 2006, not in the survey).
const ctrl = Object.fromEntries(EQ_CONTROLS.map((n) => [n, [0.1, 0.1, 0.1, 0.2]]));
const firm = table({
  firm: ["1", "1", "1", "2"],
  city: [10, 10, 10, 10],
  hs6: ["010110", "010120", "010110", "020110"],
  hs4: ["0101", "0101", "0101", "0201"],
  year: [2006, 2006, 2014, 2006],
  quality: [0.2, 0.8, 0.5, 0.4],
  value: [1, 3, 2, 5],
  n: [1, 1, 1, 1],
  province: [1, 1, 1, 1],
  vagg: [0.5, 0.5, 0.9, 0.5],
  ...ctrl,
});
const eq = { firm } as unknown as QualityPanel;

function dirWith(csv: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "eq-firm-"));
  fs.writeFileSync(path.join(d, "firms.csv"), csv);
  return d;
}

test("buildFirmPanel: value-weighted firm quality, 2005–2013, survey match, firm controls, every removed row counted", async () => {
  const d = dirWith("firm_id,year,founding_year,employment,total_assets\n1,2006,2000,100,5000\n1,2014,2000,120,6000\n");
  const fp = await buildFirmPanel(eq, d);
  assert.is(fp.panel.nrows, 1);
  const num = (c: string) => (fp.panel.columns[c] as Float64Array)[0] as number;
  assert.ok(Math.abs(num("quality") - (1 * 0.2 + 3 * 0.8) / 4) < 1e-12);
  assert.ok(Math.abs(num("age") - Math.log(1 + 2006 - 2000)) < 1e-12);
  assert.ok(Math.abs(num("size") - Math.log(100)) < 1e-12);
  assert.ok(Math.abs(num("klr") - Math.log(50)) < 1e-12);
  assert.is(num("vagg"), 0.5);
  const rows = Array.from(fp.counts.columns["rows"] as Float64Array);
  assert.equal(rows, [4, 1, 0, 2, 1, 1]); // 4 rows; 2014 out; 2 firm-years; firm 2 unmatched; 1 left
});

test("buildFirmPanel: a missing attribute stays NaN (dropped by the estimator in col. 5 only); a bad file is one clear line", async () => {
  const fp = await buildFirmPanel(
    eq,
    dirWith("firm_id,year,founding_year,employment,total_assets\n1,2006,2000,100,\n2,2006,1990,50,100\n"),
  );
  assert.is(fp.panel.nrows, 2);
  assert.ok(Number.isNaN((fp.panel.columns["klr"] as Float64Array)[0] as number));
  try {
    await buildFirmPanel(eq, dirWith("firm_id,year,founding_year,employment\n1,2006,2000,100\n"));
    assert.unreachable("should have thrown");
  } catch (e) {
    assert.match(String((e as Error).message), /total_assets/);
  }
});

test.run();
