import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadAdhAkm } from "../../../lib/papers/eq/adh-data";
import { adh, haveAdh, AKM_DIR } from "../../estimators/shift-share/helpers";

// Dimensions of ShiftShareSE's ADH data (?ADH: 1,444 CZ × period rows, 770 sectors; ADH$sic codes).
test("loadAdhAkm: 1,444 rows, 770 sectors, 15 controls (t2, six levels, eight division dummies); shares of a row sum to ≤ 1", async () => {
  if (!haveAdh("loadAdhAkm")) return;
  const d = await adh();
  assert.equal(d.reg.nrows, 1444);
  assert.equal(d.W.nSectors, 770);
  assert.equal(d.controls.length, 15);
  assert.equal(d.controlNames.slice(0, 2), ["t2", "l_shind_manuf_cbp"]);
  assert.equal(
    d.controls[0]!.reduce((a, v) => a + v, 0),
    722,
    "t2 is the second period: half the rows",
  );
  for (let i = 0; i < d.W.nRows; i++) {
    let s = 0;
    for (let k = d.W.rowPtr[i]!; k < d.W.rowPtr[i + 1]!; k++) s += d.W.values[k]!;
    assert.ok(s <= 1 + 1e-6, `row ${i} shares sum to ${s}`);
  }
  assert.ok(
    d.sic.every((v) => v >= 1000 && v < 10000),
    "4-digit SIC codes",
  );
});

test("loadAdhAkm: a missing file in the folder is an error naming it", async () => {
  if (!haveAdh("loadAdhAkm missing file")) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "adh-missing-"));
  try {
    fs.copyFileSync(path.join(AKM_DIR, "ADHdata_AKM.csv"), path.join(dir, "ADHdata_AKM.csv"));
    await loadAdhAkm(dir).then(
      () => assert.unreachable("should throw"),
      (e: Error) => assert.match(e.message, /ADH_W_long\.csv\.gz is missing/),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
