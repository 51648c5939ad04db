import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { adhAkmTable, adhAkmFits } from "../../../lib/papers/eq/akm-exhibits";
import { exportTable } from "../../../lib/report/export";
import { VIGNETTE, SHIFTSHARESE_SOURCE } from "../../fixtures/akm/shiftsharese-adh";
import { adh, close, haveAdh } from "../../estimators/shift-share/helpers";

test(`adhAkmTable exports tables/adh-akm.csv with the header and raw values of the issue; values = ShiftShareSE vignette (${SHIFTSHARESE_SOURCE})`, async () => {
  if (!haveAdh("adh-akm export")) return;
  const t = adhAkmTable(await adh());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adh-akm-"));
  try {
    const files = await exportTable("adh-akm", t, { dir });
    assert.ok(files.includes("tables/adh-akm.csv"));
    const lines = fs
      .readFileSync(path.join(dir, "tables", "adh-akm.csv"), "utf8")
      .trim()
      .split(/\r?\n/);
    assert.equal(lines[0], "model,se_type,estimate,std_error,ci_low,ci_high");
    assert.equal(lines.length, 1 + 15);
    const rows = lines.slice(1).map((l) => l.split(","));
    assert.equal(
      rows.map((r) => `${r[0]}/${r[1]}`),
      ["first_stage", "reduced_form", "iv"].flatMap((m) => ["homoskedastic", "ehw", "cluster", "akm", "akm0"].map((s) => `${m}/${s}`)),
    );
    for (const r of rows) {
      const pub = VIGNETTE[r[0] as keyof typeof VIGNETTE];
      const ref = pub[r[1] as keyof typeof pub] as { se: number; lo: number; hi: number };
      // raw doubles round-trip: the CSV text parses back to the fitted number; vignette to 1e-6 relative (7 printed digits)
      assert.ok(close(Number(r[2]), pub.estimate, 1e-6), `${r[0]} estimate ${r[2]}`);
      if (r[1] === "akm0") assert.equal(r[3], "", "akm0 has no standard error (empty = NA)");
      else assert.ok(close(Number(r[3]), ref.se, 1e-6), `${r[0]}/${r[1]} se ${r[3]}`);
      assert.ok(close(Number(r[4]), ref.lo, 1e-6) && close(Number(r[5]), ref.hi, 1e-6), `${r[0]}/${r[1]} ci ${r[4]} ${r[5]}`);
      assert.ok(r[2]!.length > 10, "full precision, not rounded for display");
    }
    const fits = adhAkmFits(await adh());
    assert.equal(Number(rows[14]![2]), fits.iv.estimate, "round-trip of the raw double");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
