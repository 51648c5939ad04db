import { test } from "uvu";
import * as assert from "uvu/assert";
import { shockLevelIv } from "../../../lib/estimators/shift-share/shock-level-iv";
import { shockCoefficients } from "../../../lib/estimators/shift-share/shock-coefficients";
import { shiftShareIv } from "../../../lib/estimators/shift-share/iv";
import { shiftShareOls } from "../../../lib/estimators/shift-share/ols";
import { numeric } from "../../../lib/data/table";
import { adh, close, haveAdh } from "./helpers";

// Borusyak, Hull & Jaravel (2022, ReStud, Prop. 1) equivalence is an exact algebraic identity, so
// the shock-level and unit-level coefficients agree to rounding: 1e-12 relative.
test("BHJ: on ADH, the shock-level IV (exposure-weighted, 770 sector-period shocks) equals the unit-level shift-share IV", async () => {
  if (!haveAdh("BHJ equivalence on ADH")) return;
  const data = await adh();
  const r = data.reg;
  const w = numeric(r, "weights");
  // ShiftShareSE ships X_i, not g_s: recover shocks g = (W'W)⁻¹W'X (the IV column is W·g up to the
  // rounding of the CSV), and use the instrument W·ĝ so the identity is exact by construction.
  const X = numeric(r, "IV");
  const g = shockCoefficients(X, data.W).coef.map((v) => (Number.isNaN(v) ? 0 : v));
  const Xg = new Float64Array(r.nrows);
  for (let i = 0; i < r.nrows; i++)
    for (let k = data.W.rowPtr[i]!; k < data.W.rowPtr[i + 1]!; k++) Xg[i] += data.W.values[k]! * g[data.W.sectors[k]!]!;
  const maxDev = X.reduce((a, v, i) => Math.max(a, Math.abs(v - Xg[i]!)), 0);
  const maxX = X.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  // the shares are stored to 8 significant digits, so W·ĝ reproduces X only to ~1e-6 of its scale
  assert.ok(maxDev < 1e-5 * maxX, `the ADH IV column is a shift-share W·g (max deviation ${maxDev}, max |X| ${maxX})`);
  const y = numeric(r, "d_sh_empl");
  const shock = numeric(r, "shock");
  const ctrl = { controls: data.controls, weights: w };
  const b = shockLevelIv(y, shock, g, data.W, ctrl);
  assert.ok(close(b.shockLevel, b.unitLevel, 1e-12), `${b.shockLevel} vs ${b.unitLevel}`);
  const ss = shiftShareIv(y, shock, { x: Xg, shares: data.W, ...ctrl });
  assert.ok(close(b.shockLevel, ss.estimate, 1e-12), `shock-level ${b.shockLevel} vs shiftShareIv ${ss.estimate}`);
  // and with the treatment = the shift-share variable itself, the OLS (reduced form) coefficient
  const rf = shockLevelIv(y, Xg, g, data.W, ctrl);
  assert.ok(close(rf.shockLevel, shiftShareOls(y, { x: Xg, shares: data.W, ...ctrl }).estimate, 1e-12));
  assert.ok(b.nShocks > 700 && b.nShocks <= 770);
});

test.run();
