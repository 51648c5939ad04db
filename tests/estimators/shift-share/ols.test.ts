import { test } from "uvu";
import * as assert from "uvu/assert";
import { shiftShareOls } from "../../../lib/estimators/shift-share/ols";
import { shareMatrix } from "../../../lib/estimators/shift-share/share-matrix";
import { factorize } from "../../../lib/core/fixed-effects/factorize";
import { numeric } from "../../../lib/data/table";
import { adhAkmFits } from "../../../lib/papers/eq/akm-exhibits";
import { VIGNETTE, REPLICATION, REPLICATION_ESTIMATES, SHIFTSHARESE_SOURCE } from "../../fixtures/akm/shiftsharese-adh";
import { adh, close, haveAdh } from "./helpers";
import { mulberry } from "./rng";

// Tolerances.
// VIGNETTE (ShiftShareSE doc/ShiftShareSE.pdf, printed to 7 significant digits): estimates, SEs and
// all CI bounds to 1e-6 relative — half a unit in the 7th significant digit is at most 4.4e-7 of
// the smallest printed value here (0.1124436). p-values: 1e-6 relative plus 5e-13 absolute,
// because R computes 2(1 − Φ(|t|)), which loses ~1e-16 absolute (it prints 0 for 5e-118).
// REPLICATION (test_se.R, 15 decimals from the AKM replication package / Matlab code, which
// ShiftShareSE matches to 1e-13): 1e-10 absolute — our sector-level coefficients come from a
// Cholesky of W'ΩW with one refinement step rather than R's QR, good to ~1e-12 here.
const REL = 1e-6;
const P_ABS = 5e-13;
const REP_ABS = 1e-10;

for (const model of ["first_stage", "reduced_form"] as const) {
  test(`ADH ${model}: estimate, SEs, p-values and CIs match ShiftShareSE's vignette (${SHIFTSHARESE_SOURCE})`, async () => {
    if (!haveAdh(`ADH ${model} vs vignette`)) return;
    const fit = adhAkmFits(await adh())[model];
    const pub = VIGNETTE[model];
    assert.ok(close(fit.estimate, pub.estimate, REL), `estimate ${fit.estimate} vs ${pub.estimate}`);
    assert.equal(fit.nobs, 1444);
    assert.equal(fit.rank, 17, "rank p = 17 as in test_se.R");
    for (const inf of fit.inference) {
      const ref = pub[inf.method];
      assert.ok(close(inf.se, ref.se, REL), `${model} ${inf.method} se ${inf.se} vs ${ref.se}`);
      assert.ok(close(inf.p, ref.p, REL, P_ABS), `${model} ${inf.method} p ${inf.p} vs ${ref.p}`);
      assert.ok(close(inf.ciLow, ref.lo, REL), `${model} ${inf.method} lower ${inf.ciLow} vs ${ref.lo}`);
      assert.ok(close(inf.ciHigh, ref.hi, REL), `${model} ${inf.method} upper ${inf.ciHigh} vs ${ref.hi}`);
    }
  });

  test(`ADH ${model}: EHW, cluster, AKM, AKM0 (SIC3-clustered and not) match the 15-digit replication numbers of test_se.R`, async () => {
    if (!haveAdh(`ADH ${model} vs test_se.R`)) return;
    const data = await adh();
    const clustered = adhAkmFits(data)[model];
    const r = data.reg;
    // test_se.R's unclustered reduced form (`a3`) has the outcome d_sh_empl_mfg
    const y = numeric(r, model === "first_stage" ? "shock" : "d_sh_empl_mfg");
    const plain = shiftShareOls(y, { x: numeric(r, "IV"), shares: data.W, controls: data.controls, weights: numeric(r, "weights") });
    assert.ok(Math.abs(clustered.estimate - REPLICATION_ESTIMATES[model]) <= REP_ABS);
    const pick = (m: string, f = clustered) => f.inference.find((x) => x.method === m)!;
    const ours = [pick("ehw"), pick("cluster"), pick("akm"), pick("akm0"), pick("akm", plain), pick("akm0", plain)];
    const ref = REPLICATION[model];
    ours.forEach((o, k) => {
      assert.ok(Math.abs(o.p - ref.p[k]!) <= REP_ABS, `p[${k}] ${o.p} vs ${ref.p[k]}`);
      assert.ok(Math.abs(o.ciLow - ref.lo[k]!) <= REP_ABS, `lo[${k}] ${o.ciLow} vs ${ref.lo[k]}`);
      assert.ok(Math.abs(o.ciHigh - ref.hi[k]!) <= REP_ABS, `hi[${k}] ${o.ciHigh} vs ${ref.hi[k]}`);
    });
  });
}

test("absorbed fixed effects (FWL through demean) give the same estimate, rank and all SEs as explicit dummies", () => {
  const rnd = mulberry(7);
  const n = 300;
  const S = 40;
  const rows: number[] = [];
  const secs: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++)
    for (let s = 0; s < S; s++)
      if (rnd() < 0.5) {
        rows.push(i);
        secs.push(s);
        vals.push(rnd());
      }
  const W = shareMatrix(rows, secs, vals, n, S);
  const g = Array.from({ length: S }, () => rnd() - 0.5);
  const x = new Float64Array(n);
  rows.forEach((i, k) => (x[i] += vals[k]! * g[secs[k]!]!));
  const grp = Float64Array.from({ length: n }, (_, i) => i % 5);
  const z = Float64Array.from({ length: n }, () => rnd());
  const w = Float64Array.from({ length: n }, () => 0.5 + rnd());
  const y = Float64Array.from({ length: n }, (_, i) => 0.7 * x[i]! + grp[i]! * 0.3 + z[i]! + rnd() - 0.5);
  const dummies = [1, 2, 3, 4].map((d) => Float64Array.from(grp, (v) => (v === d ? 1 : 0)));
  const region = Float64Array.from({ length: n }, (_, i) => i % 17);
  const sc = Array.from({ length: S }, (_, s) => s % 20);
  const a = shiftShareOls(y, { x, shares: W, controls: [z, ...dummies], weights: w, regionCluster: region, sectorCluster: sc });
  const b = shiftShareOls(y, {
    x,
    shares: W,
    controls: [z],
    fixedEffects: [factorize(grp)],
    weights: w,
    regionCluster: region,
    sectorCluster: sc,
  });
  // both are exact least squares (direct demeaning); agreement to rounding, 1e-10 relative
  assert.ok(close(a.estimate, b.estimate, 1e-10), `${a.estimate} vs ${b.estimate}`);
  assert.equal(a.rank, b.rank);
  assert.equal(a.inference.find((m) => m.method === "akm0")!.se < Infinity, true, "bounded AKM0 set in this design");
  a.inference.forEach((m, k) => {
    const o = b.inference[k]!;
    assert.equal(o.method, m.method);
    assert.ok(close(o.se, m.se, 1e-10), `${m.method} ${o.se} vs ${m.se}`);
    assert.ok(close(o.ciLow, m.ciLow, 1e-10) && close(o.ciHigh, m.ciHigh, 1e-10), m.method);
  });
});

test("AKM closed form: one sector per region (W = I) makes AKM the EHW formula without the N/(N−p) factor", () => {
  // With W = I_N, X̂ = Ẍ and c_s = w_s Ẍ_s ε̂_s, so se_AKM = √Σ(wẌε̂)² / ΣwẌ² (AKM 2019, Remark 5).
  const rnd = mulberry(3);
  const n = 80;
  const idx = Array.from({ length: n }, (_, i) => i);
  const W = shareMatrix(idx, idx, new Array(n).fill(1), n, n);
  const x = Float64Array.from({ length: n }, () => rnd());
  const y = Float64Array.from(x, (v) => 2 * v + rnd());
  const r = shiftShareOls(y, { x, shares: W });
  const ehw = r.inference.find((m) => m.method === "ehw")!.se;
  const akm = r.inference.find((m) => m.method === "akm")!.se;
  assert.ok(close(akm * Math.sqrt(n / (n - r.rank)), ehw, 1e-12), `${akm} vs ${ehw}`);
});

test.run();
