import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { iv2sls } from "../../lib/estimators/iv2sls";
import { feols } from "../../lib/estimators/feols";
import { loadCases, loadData, vcovOf } from "./fixest-fixtures";
import { readTable } from "../../lib/data/io";
import { takeRows, withColumns, type Table } from "../../lib/data/table";
import { isInvalid } from "../../lib/estimators/iv/types";
import { ivDiagnosticsJson } from "../../lib/cli/commands/iv-json";
import { loadPost, fitCase } from "./feols-post-fixtures";
import { summaryText } from "../../lib/estimators/summary";

// Tolerances.
// - fixest 0.12.2 fixtures: relative 1e-6 on coefficients, SEs, vcov and every fitstat (the
//   contract; fixest demeans to 1e-11, we solve exactly, observed gaps are ~1e-12).
// - AER/sandwich (cigarettes, no fixed effects, closed-form in R): relative 1e-8.
// - Identities between two exact computations: relative 1e-9.
const REL = 1e-6;
const AER = 1e-8;
const PROP = 1e-9;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
const close = (a: number, b: number, tol: number, what: string) => assert.ok(rel(a, b) < tol, `${what}: ${a} vs ${b} (rel ${rel(a, b)})`);

let data: Table;
let cig: Table;
const CIG = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../fixtures/iv/cigarettes_expected.json"), "utf8")) as {
  cases: {
    name: string;
    formula: string;
    subset: string;
    vcov: string;
    coef: Record<string, number>;
    se: Record<string, number>;
    vcov_matrix: number[][];
    nobs: number;
    diagnostics_iid: Record<string, (number | string)[]>;
    diagnostics_names: string[];
  }[];
};
test.before(async () => {
  data = await loadData("data.csv");
  cig = await readTable(path.resolve(__dirname, "../fixtures/iv/cigarettes.csv"));
});

for (const c of loadCases("expected.json").filter((c) => c.name.startsWith("iv_"))) {
  test(`fixest fixture ${c.name}: coef, se, vcov, N, R², ivf, ivwald, cd, wh, sargan`, () => {
    const r = iv2sls(data, c.formula, { vcov: vcovOf(c.vcov), singletons: "keep" });
    assert.is(r.nobs, c.nobs);
    assert.is(r.removed.na + r.removed.singletons, c.nobs_removed);
    const names = Object.keys(c.coef).map((n) => n.replace(/^fit_/, ""));
    assert.equal([...r.coefNames], names, "coefficient names keep the endogenous name");
    Object.keys(c.coef).forEach((fn, i) => {
      const n = names[i] as string;
      close(r.coef[n] as number, c.coef[fn] as number, REL, `${n} coef`);
      close(r.se[n] as number, c.se[fn] as number, REL, `${n} se`);
      c.vcov_matrix[i]!.forEach((v, j) =>
        assert.ok(
          Math.abs((r.vcov[i] as number[])[j]! - v) <= REL * Math.max(Math.abs(v), 1e-3 * c.vcov_matrix[i]![i]!),
          `vcov[${i}][${j}]`,
        ),
      );
    });
    close(r.r2, c.r2, 1e-8, "r2");
    close(r.adjR2, c.ar2, 1e-8, "ar2");
    if (c.wr2 !== null) close(r.withinR2, c.wr2, 1e-8, "wr2");
    const st = c.fitstat as Record<string, unknown>;
    const ivf = st["ivf"] as number[];
    const fs0 = r.firstStage[0]!;
    close(fs0.f.stat, ivf[0]!, REL, "ivf");
    close(fs0.f.p, ivf[1]!, 1e-5, "ivf p");
    assert.is(fs0.f.df1, ivf[2]);
    assert.is(fs0.f.df2, ivf[3]);
    const ivw = (st["ivwald"] as string[]).map(Number);
    assert.ok(!isInvalid(fs0.wald));
    if (!isInvalid(fs0.wald)) {
      close(fs0.wald.stat, ivw[0]!, REL, "ivwald");
      assert.is(fs0.wald.df2, ivw[3]);
    }
    const d = r.diagnostics!;
    assert.ok(!isInvalid(d.cd));
    if (!isInvalid(d.cd)) close(d.cd.fixest, st["cd"] as number, REL, "cd (fixest df)");
    const wh = st["wh"] as number[];
    const w = d.endogeneity.wuHausman;
    assert.ok(!isInvalid(w));
    if (!isInvalid(w)) {
      close(w.stat, wh[0]!, REL, "wh");
      assert.is(w.df1, wh[2]);
      assert.is(w.df2, wh[3]);
      close(w.p, wh[1]!, 1e-5, "wh p");
    }
    const sg = st["sargan"] as number[] | null | undefined;
    if (Array.isArray(sg) && c.vcov === "IID") {
      const o = d.overidentification;
      assert.ok(!isInvalid(o) && o.test === "sargan");
      if (!isInvalid(o)) {
        close(o.stat, sg[0]!, REL, "sargan");
        close(o.p, sg[1]!, 1e-5, "sargan p");
        assert.is(o.df, sg[2]);
      }
    }
    if (sg === null) assert.equal(d.overidentification, { kind: "invalid", reason: "exactly identified" });
  });
}

test("fixest fixture: Sargan of the clustered over-identified model equals the iid-VCE Sargan (fixest prints Sargan regardless of vcov)", () => {
  const c = loadCases("expected.json").find((c) => c.name === "iv_1endo_2inst")!;
  const r = iv2sls(data, c.formula, { vcov: "iid", singletons: "keep" });
  const o = r.diagnostics!.overidentification;
  const sg = (c.fitstat as Record<string, number[]>)["sargan"]!;
  assert.ok(!isInvalid(o) && o.test === "sargan");
  if (!isInvalid(o)) close(o.stat, sg[0]!, REL, "sargan");
  // with the clustered VCE the over-identification test is Hansen's J instead
  const rc = iv2sls(data, c.formula, { vcov: vcovOf(c.vcov), singletons: "keep" });
  const oc = rc.diagnostics!.overidentification;
  assert.ok(!isInvalid(oc) && oc.test === "hansen");
});

for (const c of CIG.cases) {
  test(`AER::ivreg cigarettes ${c.name}: coef, ${c.vcov} SEs, vcov; iid diagnostics (weak-IV F, Wu–Hausman, Sargan)`, () => {
    const t =
      c.subset === "1995"
        ? takeRows(
            cig,
            Array.from(cig.columns["year"] as Float64Array | Int32Array, (y, i) => (y === 1995 ? i : -1)).filter((i) => i >= 0),
          )
        : cig;
    const r = iv2sls(t, c.formula, { vcov: c.vcov });
    assert.is(r.nobs, c.nobs);
    assert.equal([...r.coefNames], Object.keys(c.coef));
    for (const [n, b] of Object.entries(c.coef)) {
      close(r.coef[n]!, b, AER, `${n} coef`);
      close(r.se[n]!, c.se[n]!, AER, `${n} se`);
    }
    const iid = c.vcov === "iid" ? r : iv2sls(t, c.formula, { vcov: "iid" });
    const row = (name: string) => c.diagnostics_iid[String(c.diagnostics_names.indexOf(name) + 1)]!;
    const weak = row("Weak instruments");
    close(iid.firstStage[0]!.f.stat, weak[2] as number, AER, "weak instruments F");
    assert.is(iid.firstStage[0]!.f.df2, weak[1]);
    const wh = row("Wu-Hausman");
    const w = iid.diagnostics!.endogeneity.wuHausman;
    assert.ok(!isInvalid(w));
    if (!isInvalid(w)) {
      close(w.stat, wh[2] as number, AER, "Wu–Hausman");
      assert.is(w.df2, wh[1]);
    }
    const sg = row("Sargan");
    const o = iid.diagnostics!.overidentification;
    if (sg[0] === 0) assert.ok(isInvalid(o));
    else {
      assert.ok(!isInvalid(o));
      if (!isInvalid(o)) close(o.stat, sg[2] as number, AER, "Sargan");
    }
  });
}

test("identity: manual two-step (feols first stage, then feols on fitted values) gives the 2SLS coefficients", () => {
  const fml = "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2";
  const r = iv2sls(data, fml, { vcov: "iid", singletons: "keep" });
  const t0 = takeRows(data, r.obsRows); // the IV sample (the first stage alone would keep rows where y is NA)
  const s1 = feols(t0, "x1 ~ x3 + z1 + z2 | fe1 + fe2", { vcov: "iid", singletons: "keep" });
  assert.is(s1.nobs, r.nobs);
  const t = t0;
  const x1 = t.columns["x1"] as Float64Array;
  const xhat = Float64Array.from(x1, (v, i) => v - (s1.residuals as Float64Array)[i]!);
  const s2 = feols(withColumns(t, { xhat }), "y ~ xhat + x3 | fe1 + fe2", { vcov: "iid", singletons: "keep" });
  close(r.coef["x1"]!, s2.coef["xhat"]!, PROP, "x1");
  close(r.coef["x3"]!, s2.coef["x3"]!, PROP, "x3");
});

test("weights: 2SLS with weights equals unweighted 2SLS on √w-scaled data without FE", () => {
  const fml = "y ~ x3 | x1 ~ z1 + z2";
  const r = iv2sls(data, fml, { vcov: "hetero", weights: "w" });
  const t = takeRows(data, r.obsRows);
  const sw = Float64Array.from(t.columns["w"] as Float64Array, Math.sqrt);
  const sc = (v: string) => Float64Array.from(t.columns[v] as Float64Array, (x, i) => x * sw[i]!);
  const u = iv2sls(
    withColumns(t, { ys: sc("y"), one: sw, x3s: sc("x3"), x1s: sc("x1"), z1s: sc("z1"), z2s: sc("z2") }),
    "ys ~ one + x3s - 1 | x1s ~ z1s + z2s",
    { vcov: "hetero" },
  );
  close(r.coef["x1"]!, u.coef["x1s"]!, PROP, "x1");
  close(r.coef["(Intercept)"]!, u.coef["one"]!, PROP, "intercept");
  close(r.se["x1"]!, u.se["x1s"]!, PROP, "se x1");
});

test("presets: ivreghdfe = fixest vcov without small-sample factors; z inference", () => {
  const fml = "y ~ x3 | fe1 + fe2 | x1 ~ z1";
  const a = iv2sls(data, fml, { vcov: "cluster:cl2", singletons: "keep" });
  const b = iv2sls(data, fml, { vcov: "cluster:cl2", singletons: "keep", ssc: "ivreghdfe" });
  const factor = a.dof.ssAdj * a.dof.clusterAdj;
  close(a.se["x1"]! ** 2 / factor, b.se["x1"]! ** 2, PROP, "var x1");
  assert.is(b.dof.tDf, Infinity);
  const c = iv2sls(data, fml, { vcov: "iid", singletons: "keep", ssc: "ivreghdfe" });
  close(c.se["x1"]! ** 2, (c.rss / c.nobs) * (c.se["x1"]! ** 2 / (c.rss / c.nobs)), PROP, "iid");
  assert.ok(Object.isFrozen(a) && Object.isFrozen(a.coef));
});

test("bad input: instrument missing from the data names it", () => {
  assert.throws(
    () => iv2sls(data, "y ~ x3 | fe1 | x1 ~ zz9", {}),
    (e: Error) => /zz9/.test(e.message),
  );
});
test("bad input: fewer instruments than endogenous regressors → under-identified, naming terms", () => {
  assert.throws(
    () => iv2sls(data, "y ~ x3 | fe1 | x1 + x2 ~ z1", {}),
    (e: Error) => /under-identified/.test(e.message) && /x1, x2/.test(e.message) && /z1/.test(e.message),
  );
});
test("bad input: collinear instrument is dropped and reported by name; under-identification after the drop is an error", () => {
  const t = withColumns(data, { z3: Float64Array.from(data.columns["z1"] as Float64Array, (v) => 2 * v + 1) });
  const r = iv2sls(t, "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z3", { vcov: "hetero", singletons: "keep" });
  assert.equal([...r.droppedInstruments], ["z3"]);
  assert.ok(r.notes.some((n) => n.includes('"z3"')));
  const ref = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 ~ z1", { vcov: "hetero", singletons: "keep" });
  close(r.coef["x1"]!, ref.coef["x1"]!, PROP, "same as without z3");
  assert.throws(
    () => iv2sls(t, "y ~ x3 | fe1 + fe2 | x1 + x2 ~ z1 + z3", {}),
    (e: Error) => /under-identified after removing collinear instruments/.test(e.message) && /z3/.test(e.message),
  );
});

test("CLI JSON view has the documented keys", () => {
  const r = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2", { vcov: "cluster:cl2", singletons: "keep" });
  const j = ivDiagnosticsJson(r);
  for (const k of ["kp_lm", "kp_wald_f", "cd_wald_f", "stock_yogo", "hansen_j", "endogeneity", "first_stage", "anderson_rubin"])
    assert.ok(k in j, k);
  const lm = j["kp_lm"] as { df: number };
  assert.is(lm.df, 2);
  assert.not.throws(() => JSON.stringify(j));
});

// First-stage coefficient tables (excluded instruments) vs fixest 0.12.2 summary(m, stage = 1),
// same vcov type and small-sample convention: relative 1e-6 (the contract above).
for (const c of loadPost().models.filter((m) => m.first_stage)) {
  test(`first-stage table vs fixest ${c.name}`, () => {
    const r = fitCase(data, c);
    if (!("firstStageTable" in r)) throw new Error("not an IV result");
    const tabs = r.firstStageTable!;
    assert.is(tabs.length, c.first_stage!.length);
    c.first_stage!.forEach((ref, j) => {
      const tab = tabs[j]!;
      assert.is(tab.endogenous, ref.endogenous);
      assert.equal(
        tab.rows.map((x) => x.name),
        r.instruments.filter((z) => ref.names.includes(z)),
      );
      for (const row of tab.rows) {
        const i = ref.names.indexOf(row.name);
        close(row.estimate, ref.coef[i]!, REL, `${c.name} ${ref.endogenous} ${row.name} coef`);
        close(row.se, ref.se[i]!, REL, `${c.name} ${ref.endogenous} ${row.name} se`);
        close(r.firstStage[j]!.coef[row.name]!, ref.coef[i]!, REL, "firstStage coef");
      }
    });
  });
}

test("summaryText of an IV result: header, first stage, diagnostics", () => {
  const r = iv2sls(data, "y ~ x3 | fe1 + fe2 | x1 ~ z1 + z2", { vcov: "cluster:cl2", singletons: "keep" });
  const s = summaryText(r);
  for (const re of [
    /^IV \(2SLS\) with fixed effects: y ~ x3 \| fe1 \+ fe2 \| x1 ~ z1 \+ z2/,
    /Endogenous: x1 {3}Instruments: z1, z2/,
    /First stage: x1/,
    /^ {2}z1 /m,
    /F-test \(iid, excluded instruments\): F = /,
    /Kleibergen-Paap rk LM/,
    /Kleibergen-Paap rk Wald F/,
    /Stock-Yogo/,
    /Hansen J/,
    /Wu-Hausman/,
    /Anderson-Rubin/,
  ])
    assert.match(s, re);
  const s0 = summaryText(iv2sls(data, "y ~ x3 | x1 ~ z1", { vcov: "iid" }));
  assert.match(s0, /^IV \(2SLS\): /);
  assert.match(s0, /Anderson canonical corr\. LM/);
  assert.match(s0, /Cragg-Donald Wald F/);
  assert.match(s0, /Overidentification \(Sargan\/Hansen\): not available \(exactly identified\)/);
  assert.match(summaryText(iv2sls(data, "y ~ x3 | x1 ~ z1", { skipDiagnostics: true })), /IV diagnostics: skipped/);
});

test.run();
