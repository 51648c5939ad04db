import { test } from "uvu";
import * as assert from "uvu/assert";
import { partialOut } from "../../../lib/estimators/iv/partial";
import { cross, crossVec, dot, inv, mulVec } from "../../../lib/estimators/iv/linalg";
import { MODELS, close, haveStata, stataDesign, tsls } from "./helpers";

// Frisch–Waugh–Lovell partialling. Tolerances: orthogonality |x̃'w| ≤ 1e-8·‖x̃‖‖w‖ (Gauss–Jordan
// normal equations on columns with means ~10² and N = 3010); coefficients 1e-9 relative.

test("partialled y, endogenous and instruments are orthogonal to every exogenous column; cached per design", () => {
  if (!haveStata("partialOut on card_overid")) return;
  const d = stataDesign(MODELS.card_overid, "iid");
  const p = partialOut(d);
  assert.is(partialOut(d), p, "cached");
  assert.is(p.endo.length, 1);
  assert.is(p.inst.length, 2);
  for (const c of [p.y, ...p.endo, ...p.inst])
    for (const w of d.exog) assert.ok(Math.abs(dot(c, w)) <= 1e-8 * Math.sqrt(dot(c, c) * dot(w, w)), "orthogonal");
});

test("FWL: 2SLS on the partialled design gives the full-design coefficient of the endogenous regressor", () => {
  if (!haveStata("FWL on card_overid")) return;
  const d = stataDesign(MODELS.card_overid, "iid");
  const p = partialOut(d);
  const Z = p.inst,
    x = p.endo[0]!;
  const pi = mulVec(inv(cross(Z)), crossVec(Z, x));
  const xh = Float64Array.from(x, (_, i) => Z.reduce((s, z, l) => s + pi[l]! * z[i]!, 0));
  const b = dot(xh, p.y) / dot(xh, x);
  close(b, tsls(d).b[0]!, 1e-9, "β_educ");
});

test.run();
