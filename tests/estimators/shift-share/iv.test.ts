import { test } from "uvu";
import * as assert from "uvu/assert";
import { shiftShareIv } from "../../../lib/estimators/shift-share/iv";
import { shiftShareOls } from "../../../lib/estimators/shift-share/ols";
import { numeric } from "../../../lib/data/table";
import { adhAkmFits } from "../../../lib/papers/eq/akm-exhibits";
import { VIGNETTE, REPLICATION, REPLICATION_ESTIMATES, SHIFTSHARESE_SOURCE } from "../../fixtures/akm/shiftsharese-adh";
import { adh, close, haveAdh } from "./helpers";

// Tolerances as in ols.test.ts: vignette numbers (7 significant digits) to 1e-6 relative (half a
// unit in the 7th digit is ≤ 3.1e-7 of the smallest value, 0.1647892), p-values plus 5e-13
// absolute (R's 2(1 − Φ) cancellation); test_se.R's 15-digit replication numbers to 1e-10 absolute.
const REL = 1e-6;
const P_ABS = 5e-13;
const REP_ABS = 1e-10;

test(`ADH IV: estimate, SEs, p-values and CIs match ShiftShareSE's vignette (${SHIFTSHARESE_SOURCE})`, async () => {
  if (!haveAdh("ADH IV vs vignette")) return;
  const fit = adhAkmFits(await adh()).iv;
  const pub = VIGNETTE.iv;
  assert.ok(close(fit.estimate, pub.estimate, REL), `estimate ${fit.estimate} vs ${pub.estimate}`);
  assert.ok(Math.abs(fit.estimate - REPLICATION_ESTIMATES.iv) <= REP_ABS);
  for (const inf of fit.inference) {
    const ref = pub[inf.method];
    assert.ok(close(inf.se, ref.se, REL), `iv ${inf.method} se ${inf.se} vs ${ref.se}`);
    assert.ok(close(inf.p, ref.p, REL, P_ABS), `iv ${inf.method} p ${inf.p} vs ${ref.p}`);
    assert.ok(close(inf.ciLow, ref.lo, REL), `iv ${inf.method} lower ${inf.ciLow} vs ${ref.lo}`);
    assert.ok(close(inf.ciHigh, ref.hi, REL), `iv ${inf.method} upper ${inf.ciHigh} vs ${ref.hi}`);
  }
});

test("ADH IV: AKM and AKM0 (SIC3-clustered; unclustered for d_sh_empl_mfg) match test_se.R's replication numbers", async () => {
  if (!haveAdh("ADH IV vs test_se.R")) return;
  const data = await adh();
  const r = data.reg;
  const clustered = adhAkmFits(data).iv;
  const plain = shiftShareIv(numeric(r, "d_sh_empl_mfg"), numeric(r, "shock"), {
    x: numeric(r, "IV"),
    shares: data.W,
    controls: data.controls,
    weights: numeric(r, "weights"),
  });
  const pick = (m: string, f = clustered) => f.inference.find((x) => x.method === m)!;
  const ours = [pick("akm"), pick("akm0"), pick("akm", plain), pick("akm0", plain)];
  ours.forEach((o, k) => {
    assert.ok(Math.abs(o.p - REPLICATION.iv.p[k]!) <= REP_ABS, `p[${k}] ${o.p}`);
    assert.ok(Math.abs(o.ciLow - REPLICATION.iv.lo[k]!) <= REP_ABS, `lo[${k}] ${o.ciLow}`);
    assert.ok(Math.abs(o.ciHigh - REPLICATION.iv.hi[k]!) <= REP_ABS, `hi[${k}] ${o.ciHigh}`);
  });
});

test("ADH: the AKM0 p-value of the IV equals the reduced form's (same null-imposed test at β0 = 0; test_se.R checks this)", async () => {
  if (!haveAdh("ADH AKM0 RF = IV")) return;
  const f = adhAkmFits(await adh());
  const p = (x: typeof f.iv) => x.inference.find((m) => m.method === "akm0")!.p;
  // identical algebra up to the order of floating-point sums: 1e-12 relative
  assert.ok(close(p(f.iv), p(f.reduced_form), 1e-12), `${p(f.iv)} vs ${p(f.reduced_form)}`);
});

test("ADH: IV estimate = reduced form / first stage (closed form of just-identified 2SLS)", async () => {
  if (!haveAdh("ADH IV = RF/FS")) return;
  const f = adhAkmFits(await adh());
  assert.ok(close(f.iv.estimate, f.reduced_form.estimate / f.first_stage.estimate, 1e-13));
});

test("weak identification: AKM0 becomes two half-lines or the real line (ShiftShareSE test_se.R 'AKM0 under weak ID', divisions < 6 and < 7)", async () => {
  if (!haveAdh("ADH weak-ID AKM0")) return;
  const data = await adh();
  const r = data.reg;
  const div = numeric(r, "division");
  for (const [cut, shape] of [
    [8, "interval"],
    [7, "two-half-lines"],
    [6, "real-line"],
  ] as const) {
    const keep = [...div.keys()].filter((i) => div[i]! < cut);
    const sub = (v: Float64Array) => Float64Array.from(keep, (i) => v[i]!);
    const ptr: number[] = [0];
    const secs: number[] = [];
    const vals: number[] = [];
    for (const i of keep) {
      for (let k = data.W.rowPtr[i]!; k < data.W.rowPtr[i + 1]!; k++) {
        secs.push(data.W.sectors[k]!);
        vals.push(data.W.values[k]!);
      }
      ptr.push(secs.length);
    }
    const W = {
      nRows: keep.length,
      nSectors: data.W.nSectors,
      rowPtr: Int32Array.from(ptr),
      sectors: Int32Array.from(secs),
      values: Float64Array.from(vals),
    };
    // as test_se.R: unweighted, division dummies of the subsample (all-zero ones are dropped as collinear)
    const fit = shiftShareIv(sub(numeric(r, "d_sh_empl")), sub(numeric(r, "shock")), {
      x: sub(numeric(r, "IV")),
      shares: W,
      controls: data.controls.map(sub),
      regionCluster: sub(numeric(r, "statefip")),
    });
    const a0 = fit.inference.find((m) => m.method === "akm0")!;
    if (shape === "interval") assert.ok(a0.ciLow < a0.ciHigh && Number.isFinite(a0.se), `cut ${cut}`);
    if (shape === "two-half-lines") assert.ok(a0.ciHigh < a0.ciLow && a0.se === Infinity, `cut ${cut}: ${a0.ciLow} ${a0.ciHigh}`);
    if (shape === "real-line") assert.equal([a0.ciLow, a0.ciHigh, a0.se], [-Infinity, Infinity, Infinity]);
  }
});

test("OLS of y on X is the IV of y on X instrumented by itself (same estimate and AKM SE)", async () => {
  if (!haveAdh("ADH OLS = IV(X, X)")) return;
  const data = await adh();
  const r = data.reg;
  const x = numeric(r, "IV");
  const opts = { x, shares: data.W, controls: data.controls, weights: numeric(r, "weights") };
  const ols = shiftShareOls(numeric(r, "d_sh_empl"), opts);
  const iv = shiftShareIv(numeric(r, "d_sh_empl"), x, opts);
  const akm = (f: typeof ols) => f.inference.find((m) => m.method === "akm")!.se;
  assert.ok(close(iv.estimate, ols.estimate, 1e-12));
  assert.ok(close(akm(iv), akm(ols), 1e-10));
});

test.run();
