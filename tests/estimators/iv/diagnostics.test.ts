import { test } from "uvu";
import * as assert from "uvu/assert";
import { iv2sls } from "../../../lib/estimators/iv2sls";
import { feols } from "../../../lib/estimators/feols";
import { loadData } from "../fixest-fixtures";
import { withColumns, type Table } from "../../../lib/data/table";
import { isInvalid, stockYogo, parseTable, IVBIAS, IVSIZE } from "../../../lib/estimators/iv";

// Tolerances: identities between two exact computations of the same number, relative 1e-9
// (1e-7 where one side goes through a bisection root or a chain of small inverses).
const PROP = 1e-9;
const ROOT = 1e-7;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
const close = (a: number, b: number, tol: number, what: string) => assert.ok(rel(a, b) < tol, `${what}: ${a} vs ${b} (rel ${rel(a, b)})`);

let data: Table;
test.before(async () => {
  data = await loadData("data.csv");
});

test("KP rk Wald F (1 endogenous, cluster) = ivreg2 robust first-stage F = fixest ivwald × (N−L−sdofminus)/(N−k₁−FE dof)", () => {
  for (const f of ["y ~ x3 | fe1 + fe2 | x1 ~ z1", "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2"]) {
    const r = iv2sls(data, f, { vcov: "cluster:cl2", singletons: "keep" });
    const d = r.diagnostics!;
    assert.ok(!isInvalid(d.weakIdF) && d.weakIdF.test === "kleibergen-paap-wald-f");
    const fs = r.firstStage[0]!;
    assert.ok(!isInvalid(fs.ivreg2F) && !isInvalid(fs.wald) && !isInvalid(d.weakIdF));
    if (isInvalid(fs.ivreg2F) || isInvalid(fs.wald) || isInvalid(d.weakIdF)) return;
    close(d.weakIdF.stat, fs.ivreg2F.stat, PROP, "KP F vs ivreg2 first-stage F");
    // fixest scales the raw Wald by (n−1)/(n−K) · G/(G−1); ivreg2 by (N−L−sdofminus)/(N−1) · (G−1)/G
    const L = 1 + fs.f.df1; // x3 + excluded
    const sdof = r.dof.K - r.dof.kCoef; // fixest FE count here (no nesting) equals reghdfe's for connected fe1, fe2
    const kFirst = fs.f.df1 + 1 + sdof;
    close(d.weakIdF.stat, (fs.wald.stat * (r.nobs - L - sdof)) / (r.nobs - kFirst), PROP, "KP F vs fixest ivwald");
  }
});

test("iid VCE: KP rk LM = Anderson LM = N·ρ²_min and KP rk Wald = N·cd, KP Wald F = Cragg–Donald F", () => {
  for (const f of ["y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2", "y ~ x3 | fe1 + fe2 | x1 + x2 ~ z1 + z2", "y ~ x3 | x1 ~ z1 + z2"]) {
    const r = iv2sls(data, f, { vcov: "iid", singletons: "keep" });
    const d = r.diagnostics!;
    const u = d.underidentification,
      w = d.kpWald,
      cd = d.cd;
    assert.ok(!isInvalid(u) && !isInvalid(w) && !isInvalid(cd));
    if (isInvalid(u) || isInvalid(w) || isInvalid(cd)) return;
    assert.is(u.test, "anderson-lm");
    const rho = u.ccorr[u.ccorr.length - 1]!;
    close(u.stat, r.nobs * rho * rho, PROP, "LM");
    close(w.stat, r.nobs * cd.eigen, PROP, "Wald");
    const L = r.firstStage[0]!.f.df1 + r.exogenous.length;
    const sdof = r.fixef.names.length ? r.dof.K - r.dof.kCoef : 0;
    close(((w.stat / r.nobs) * (r.nobs - L - sdof)) / r.firstStage[0]!.f.df1, cd.ivreg2, PROP, "KP Wald F = CD F");
    assert.ok(!isInvalid(d.weakIdF) && d.weakIdF.test === "cragg-donald-f");
  }
});

test("one endogenous, iid: Cragg–Donald F (ivreg2 df) = first-stage F; robust KP LM is a valid χ²(L1−K1+1)", () => {
  const r = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2", { vcov: "iid", singletons: "keep" });
  const cd = r.diagnostics!.cd;
  assert.ok(!isInvalid(cd));
  if (!isInvalid(cd)) close(cd.ivreg2, r.firstStage[0]!.f.stat, PROP, "CD F vs ivf (same df for connected FE)");
  const h = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2", { vcov: "hetero", singletons: "keep" }).diagnostics!.underidentification;
  assert.ok(!isInvalid(h) && h.test === "kleibergen-paap-lm" && h.df === 2 && h.stat > 0 && h.p >= 0 && h.p <= 1);
});

test("Anderson–Rubin: statistic at β0 equals the feols F of the excluded instrument in the reduced form of y − β0·x", () => {
  const r = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 ~ z1", { vcov: "iid", singletons: "keep" });
  const ar = r.diagnostics!.andersonRubin.test;
  const t = withColumns(data, {
    ytil: Float64Array.from(data.columns["y"] as Float64Array, (v, i) => v - 0 * (data.columns["x1"] as Float64Array)[i]!),
  });
  const rf = feols(t, "ytil ~ x3 + z1 | fe1 + fe2", { vcov: "iid", singletons: "keep" });
  assert.ok(!isInvalid(ar));
  if (!isInvalid(ar)) close(ar.stat, rf.tstat["z1"]! ** 2, PROP, "AR(0) = t²");
});

test("AR confidence set (1 instrument, iid) equals the closed-form quadratic solution", () => {
  const r = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 ~ z1", { vcov: "iid", singletons: "keep" });
  const cs = r.diagnostics!.andersonRubin.confidenceSet;
  assert.ok(!isInvalid(cs));
  if (isInvalid(cs)) return;
  // closed form: with partialled y, x, z: F(β) = (πy−βπx)² z'z (N−L−sdof) / |ey − β ex|²  ≤ c
  const yt = feols(data, "y ~ x3 | fe1 + fe2", { vcov: "iid", singletons: "keep" }).residuals!;
  const xt = feols(data, "x1 ~ x3 | fe1 + fe2", { vcov: "iid", singletons: "keep" }).residuals!;
  const zt = feols(data, "z1 ~ x3 | fe1 + fe2", { vcov: "iid", singletons: "keep" }).residuals!;
  // the three feols samples differ (NA in y / z1); restrict to the IV sample through obsRows
  const pick = (fml: string, v: Float64Array) => {
    const o = feols(data, fml, { vcov: "iid", singletons: "keep" }).obsRows;
    const m = new Map<number, number>();
    o.forEach((row, i) => m.set(row, v[i]!));
    return Float64Array.from(r.obsRows, (row) => m.get(row)!);
  };
  void yt;
  void xt;
  void zt;
  const sub = withColumns(data, {});
  void sub;
  const n = r.nobs;
  const y = pick("y ~ x3 | fe1 + fe2", yt),
    x = pick("x1 ~ x3 | fe1 + fe2", xt),
    z = pick("z1 ~ x3 | fe1 + fe2", zt);
  // re-partial within the common sample by running on it (feols on the IV sample)
  const { takeRows } = require("../../../lib/data/table") as typeof import("../../../lib/data/table");
  const s = takeRows(data, r.obsRows);
  const res = (fml: string) => feols(s, fml, { vcov: "iid", singletons: "keep" }).residuals!;
  const Y = res("y ~ x3 | fe1 + fe2"),
    X = res("x1 ~ x3 | fe1 + fe2"),
    Z = res("z1 ~ x3 | fe1 + fe2");
  void y;
  void x;
  void z;
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((acc, v, i) => acc + v * b[i]!, 0);
  const zz = dot(Z, Z),
    py = dot(Z, Y) / zz,
    px = dot(Z, X) / zz;
  const sdof = r.dof.K - r.dof.kCoef;
  const df2 = n - 2 - sdof;
  const c = cs.critical;
  // (py − βpx)² zz df2 ≤ c (syy − 2β sxy + β² sxx), e = residual of (y, x) on z
  const syy = dot(Y, Y) - py * py * zz,
    sxx = dot(X, X) - px * px * zz,
    sxy = dot(X, Y) - px * py * zz;
  const a2 = px * px * zz * df2 - c * sxx,
    a1 = -2 * py * px * zz * df2 + 2 * c * sxy,
    a0 = py * py * zz * df2 - c * syy;
  const disc = Math.sqrt(a1 * a1 - 4 * a2 * a0);
  const roots = [(-a1 - disc) / (2 * a2), (-a1 + disc) / (2 * a2)].sort((p, q) => p - q);
  assert.is(cs.kind, "bounded");
  close(cs.intervals[0]![0], roots[0]!, ROOT, "lower");
  close(cs.intervals[0]![1], roots[1]!, ROOT, "upper");
  assert.ok(cs.intervals[0]![0] < r.coef["x1"]! && r.coef["x1"]! < cs.intervals[0]![1]);
});

test("AR confidence set is unbounded when the instrument is irrelevant", () => {
  const n = data.nrows;
  let s = 12345;
  const u = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const noise = Float64Array.from({ length: n }, () => u());
  const t = withColumns(data, { zbad: noise });
  const r = iv2sls(t, "y ~ x3 | fe1 + fe2 | x1 ~ zbad", { vcov: "hetero", singletons: "keep" });
  const cs = r.diagnostics!.andersonRubin.confidenceSet;
  assert.ok(!isInvalid(cs));
  if (!isInvalid(cs)) {
    assert.ok(cs.kind === "unbounded" || cs.kind === "disjoint", cs.kind);
    assert.ok(cs.intervals.some(([a, b]) => !Number.isFinite(a) || !Number.isFinite(b)));
    assert.ok(cs.limitF < cs.critical);
  }
});

test("invalid diagnostics: exactly identified → no J; fewer clusters than instruments → J invalid with the reason", () => {
  const r = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 ~ z1", { vcov: "hetero", singletons: "keep" });
  assert.equal(r.diagnostics!.overidentification, { kind: "invalid", reason: "exactly identified" });
  const two = Float64Array.from({ length: data.nrows }, (_, i) => i % 2);
  const t = withColumns(data, { g2: two });
  const q = iv2sls(t, "y ~ x3 | x1 ~ z1 + z2", { vcov: "cluster:g2" });
  const o = q.diagnostics!.overidentification;
  assert.ok(isInvalid(o) && /2 clusters but 4 instruments/.test(o.reason), JSON.stringify(o));
});

test("C statistic (ivreg2 endog) is ≥ 0 and, iid with one endogenous, equals the Durbin–Hausman contrast with the OLS σ²", () => {
  const f = "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2";
  const r = iv2sls(data, f, { vcov: "iid", singletons: "keep" });
  const c = r.diagnostics!.endogeneity.cStatistic;
  assert.ok(!isInvalid(c) && c.stat >= 0 && c.df === 1);
  const { takeRows } = require("../../../lib/data/table") as typeof import("../../../lib/data/table");
  const s = takeRows(data, r.obsRows);
  const ols = feols(s, "y ~ x1 + x3 | fe1 + fe2", { vcov: "iid", singletons: "keep" });
  const s2 = ols.rss / ols.nobs;
  // var contrast (σ² common): σ²[(x̂'M x̂)^{-1} − (x'M x)^{-1}], M annihilates x3 and the FE
  const X = feols(s, "x1 ~ x3 | fe1 + fe2", { vcov: "iid", singletons: "keep" }).residuals!;
  const fsr = feols(s, "x1 ~ x3 + z1 + z2 | fe1 + fe2", { vcov: "iid", singletons: "keep" }).residuals!;
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((acc, v, i) => acc + v * b[i]!, 0);
  const xx = dot(X, X),
    xhxh = xx - dot(fsr, fsr);
  const H = (r.coef["x1"]! - ols.coef["x1"]!) ** 2 / (s2 * (1 / xhxh - 1 / xx));
  if (!isInvalid(c)) close(c.stat, H, 1e-7, "C vs Durbin");
});

test("Stock–Yogo tables: 100 rows, documented shape, known entries, monotone in the size level", () => {
  for (const s of Object.values(IVBIAS)) {
    const t = parseTable(s);
    assert.is(t.length, 100);
    assert.ok(t.every((r) => r.length === 3));
  }
  for (const s of Object.values(IVSIZE)) {
    const t = parseTable(s);
    assert.is(t.length, 100);
    assert.ok(t.every((r) => r.length === 2));
  }
  const a = stockYogo(1, 1);
  assert.is(a.ivSize["10"], 16.38);
  assert.is(a.ivSize["25"], 5.53);
  assert.is(a.ivBias["10"], null);
  const b = stockYogo(1, 3);
  assert.is(b.ivBias["5"], 13.91);
  assert.is(b.ivBias["10"], 9.08);
  const c = stockYogo(2, 4);
  assert.is(c.ivBias["10"], 7.56);
  assert.is(c.ivSize["10"], 16.87);
  assert.is(stockYogo(3, 5).ivSize["10"], null);
  assert.is(stockYogo(1, 101).ivSize["10"], null);
  for (let L1 = 1; L1 <= 100; L1++)
    for (const K1 of [1, 2]) {
      const s = stockYogo(K1, L1).ivSize;
      if (s["10"] !== null) assert.ok(s["10"] > s["15"]! && s["15"]! > s["20"]! && s["20"]! > s["25"]!, `size monotone at ${K1},${L1}`);
    }
});

test("multiple endogenous: SW F differs from the plain first-stage F and has df1 = L1 − K1 + 1", () => {
  const r = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 + x2 ~ z1 + z2", { vcov: "hetero", singletons: "keep" });
  for (const fs of r.firstStage) {
    assert.ok(!isInvalid(fs.swF) && fs.swF.df1 === 1);
    assert.ok(fs.partialR2 > 0 && fs.partialR2 < 1 && fs.sheaR2 > 0 && fs.sheaR2 < 1);
  }
});

test("Hansen J, C statistic and Wu–Hausman on the partialled design equal the full-design computations (FWL invariance)", () => {
  const { overid } = require("../../../lib/estimators/iv/overid") as typeof import("../../../lib/estimators/iv/overid");
  const { cStatistic, wuHausman } =
    require("../../../lib/estimators/iv/endogeneity") as typeof import("../../../lib/estimators/iv/endogeneity");
  const { gmmJ, momentScores } = require("../../../lib/estimators/iv/gmm") as typeof import("../../../lib/estimators/iv/gmm");
  const { meatOf } = require("../../../lib/estimators/iv/ssc") as typeof import("../../../lib/estimators/iv/ssc");
  const { residualize, cross, crossVec, inv, mulVec, dot } =
    require("../../../lib/estimators/iv/linalg") as typeof import("../../../lib/estimators/iv/linalg");
  const { factorize } = require("../../../lib/core/fixed-effects/factorize") as typeof import("../../../lib/core/fixed-effects/factorize");
  const { takeRows } = require("../../../lib/data/table") as typeof import("../../../lib/data/table");
  const s = takeRows(data, iv2sls(data, "y ~ x3 | x1 ~ z1 + z2", { vcov: "cluster:cl2" }).obsRows);
  const col = (n: string) => Float64Array.from(s.columns[n] as ArrayLike<number>);
  const n = s.nrows;
  const one = new Float64Array(n).fill(1);
  const y = col("y"),
    x1 = col("x1"),
    x3 = col("x3"),
    z1 = col("z1"),
    z2 = col("z2");
  const cl = factorize(s.columns["cl2"] as Float64Array);
  const vce = { kind: "cluster" as const, clusters: [cl] };
  const d = {
    n,
    y,
    endo: [x1],
    endoNames: ["x1"],
    exog: [one, x3],
    exogNames: ["(Intercept)", "x3"],
    inst: [z1, z2],
    instNames: ["z1", "z2"],
    vce,
    sdofminus: 0,
    feDofFixest: 0,
    fixef: [],
  };
  // 2SLS residuals on the full design
  const W = [z1, z2, one, x3],
    X = [x1, one, x3];
  const xh = residualize([x1], W).resid[0]!.map((v, i) => x1[i]! - v);
  const Xh = [xh, one, x3];
  const b = mulVec(inv(cross(Xh)), crossVec(Xh, y));
  const e = Float64Array.from(y, (v, i) => v - b[0]! * x1[i]! - b[1]! - b[2]! * x3[i]!);
  const jFull = gmmJ(y, X, W, meatOf(momentScores(W, e), vce)).J;
  const o = overid(d, e);
  assert.ok(!isInvalid(o) && o.test === "hansen");
  if (!isInvalid(o)) close(o.stat, jFull, PROP, "Hansen J partialled vs full");
  // C statistic on the full design: J(Z ∪ X1) − J(Z) with Ω from the OLS residuals
  const eOls = residualize([y], X).resid[0]!;
  const Zf = [...W, x1];
  const Of = meatOf(momentScores(Zf, eOls), vce);
  const Or = Of.slice(0, 4).map((r) => r.slice(0, 4));
  const cFull = gmmJ(y, X, Zf, Of).J - gmmJ(y, X, W, Or).J;
  const c = cStatistic(d);
  assert.ok(!isInvalid(c));
  if (!isInvalid(c)) close(c.stat, cFull, 1e-7, "C partialled vs full");
  // Wu–Hausman on the full design: y on [x1, v̂, 1, x3], iid F of v̂
  const v = residualize([x1], W).resid[0]!;
  const R = [x1, v, one, x3];
  const Ri = inv(cross(R));
  const br = mulVec(Ri, crossVec(R, y));
  const er = Float64Array.from(y, (yy, i) => yy - br[0]! * x1[i]! - br[1]! * v[i]! - br[2]! - br[3]! * x3[i]!);
  const df2 = n - (2 + 1 + 1);
  const whFull = br[1]! ** 2 / ((Ri[1]![1]! * dot(er, er)) / df2);
  const wh = wuHausman(d);
  assert.ok(!isInvalid(wh));
  if (!isInvalid(wh)) close(wh.stat, whFull, 1e-7, "Wu–Hausman partialled vs full");
});
test("ivDiagnostics end to end = Stata ivreg2 (idstat, cdf, widstat, arf, sargan/j, estat) on five fixtures", () => {
  // Tolerance 1e-6 relative: the shared CSVs hold the data at ~8 significant digits while Stata
  // used the unrounded values (observed ≤ 1.1e-7). Skipped with a printed reason without ../shared.
  const { haveStata, readStataCsv, stataDesign, tsls, MODELS } = require("./helpers") as typeof import("./helpers");
  const { ivDiagnostics } = require("../../../lib/estimators/iv/diagnostics") as typeof import("../../../lib/estimators/iv/diagnostics");
  if (!haveStata("ivDiagnostics vs Stata")) return;
  const cases = [
    ["card_overid", "iid", "iid"],
    ["card_overid", "hetero", "hc1"],
    ["sim_multi_endo", "iid", "iid"],
    ["sim_multi_endo", "hetero", "hc1"],
    ["sim_cluster", "cluster", "cl"],
  ] as const;
  const stat = (x: unknown) => (isInvalid(x) ? NaN : (x as { stat: number }).stat);
  for (const [name, kind, suf] of cases) {
    const d = stataDesign(MODELS[name], kind);
    const { b, e } = tsls(d);
    const dg = ivDiagnostics(d, e, { level: 0.95, center: b[0]!, scale: 1 });
    const s = readStataCsv(`${name}_diagnostics_${suf}.csv`)[0]!;
    const tag = `${name} ${suf}`;
    close(stat(dg.underidentification), s["idstat"]!, 1e-6, `${tag} idstat`);
    close(isInvalid(dg.cd) ? NaN : dg.cd.ivreg2, s["cdf"]!, 1e-6, `${tag} cdf`);
    close(stat(dg.weakIdF), s["widstat"]!, 1e-6, `${tag} widstat`);
    close(stat(dg.overidentification), kind === "iid" ? s["sargan"]! : s["j"]!, 1e-6, `${tag} overid`);
    close(stat(dg.endogeneity.cStatistic), s["estat"]!, 1e-6, `${tag} estat`);
    if (d.endo.length === 1) close(stat(dg.andersonRubin.test), s["arf"]!, 1e-6, `${tag} arf`);
    else assert.ok(isInvalid(dg.andersonRubin.test), "AR needs one endogenous regressor");
  }
});

test("ivDiagnostics with two-way clustering (CGM 2011 meats, G = min(G1, G2)) = Stata ivreg2 cluster(firm_id year_id)", () => {
  // Tolerance 1e-6 relative, as above (observed ≤ 1.4e-7).
  const { haveStata, readStataCsv, tsls, twoWayDesign } = require("./helpers") as typeof import("./helpers");
  const { ivDiagnostics } = require("../../../lib/estimators/iv/diagnostics") as typeof import("../../../lib/estimators/iv/diagnostics");
  if (!haveStata("two-way clustered ivDiagnostics vs Stata")) return;
  const d = twoWayDesign();
  const { b, e } = tsls(d);
  const dg = ivDiagnostics(d, e, { level: 0.95, center: b[0]!, scale: 1 });
  const s = readStataCsv("sim_twoway_diagnostics_cl2.csv")[0]!;
  const stat = (x: unknown) => (isInvalid(x) ? NaN : (x as { stat: number }).stat);
  close(stat(dg.underidentification), s["idstat"]!, 1e-6, "idstat");
  close(isInvalid(dg.cd) ? NaN : dg.cd.ivreg2, s["cdf"]!, 1e-6, "cdf");
  close(stat(dg.weakIdF), s["widstat"]!, 1e-6, "widstat");
  close(stat(dg.andersonRubin.test), s["arf"]!, 1e-6, "arf");
  close(stat(dg.overidentification), s["j"]!, 1e-6, "j");
  close(stat(dg.endogeneity.cStatistic), s["estat"]!, 1e-6, "estat");
});
test.run();
