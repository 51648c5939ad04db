import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../../lib/synth";
import { column, numeric } from "../../../lib/data/table";
import { buildQualityPanel } from "../../../lib/papers/eq/panel";
import { eqTrueOutcome, eqSpecTruth, eqSpecFitWithTruth, eqTrueValues, EQ_TRUE_QUALITY_FILE } from "../../../lib/papers/eq/true-outcome";
import { feols } from "../../../lib/estimators/feols";
import { iv2sls } from "../../../lib/estimators/iv2sls";
import { eqLagSample } from "../../../lib/papers/eq/specs";
import { EQ_TABLE2_SPECS, EQ_TABLE3_SPECS } from "../../../lib/papers/eq/specs";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-true-"));
const built = (async () => {
  await generate({ scale: "small", seed: 20220707, outDir: dir, papers: ["eq"] });
  const eq = await buildQualityPanel(dir);
  return { eq, tq: (await eqTrueOutcome(eq, dir))! };
})();

test("eqTrueOutcome: every measured firm × HS6 × year row has a true quality; cells aggregate it by (21)", async () => {
  const { eq, tq } = await built;
  assert.is(tq.unmatchedFirmRows, 0);
  assert.is(tq.unmatchedCells, 0);
  assert.is(tq.panel.nrows, eq.panel.nrows);
  // (21) recomputed by hand for every cell: Σ v q* / Σ v over the firm rows
  const f = tq.firm;
  const c = numeric(f, "city"),
    j = column(f, "hs4"),
    y = numeric(f, "year"),
    v = numeric(f, "value"),
    q = numeric(f, "quality_true");
  const acc = new Map<string, [number, number]>();
  for (let i = 0; i < f.nrows; i++) {
    const k = `${c[i]}|${j[i]}|${y[i]}`;
    const a = acc.get(k) ?? [0, 0];
    a[0] += (v[i] as number) * (q[i] as number);
    a[1] += v[i] as number;
    acc.set(k, a);
  }
  const pc = numeric(tq.panel, "city"),
    pj = column(tq.panel, "hs4"),
    py = numeric(tq.panel, "year"),
    pt = numeric(tq.panel, "quality_true"),
    pm = numeric(tq.panel, "quality");
  let sxy = 0,
    sxx = 0,
    syy = 0,
    mx = 0,
    my = 0;
  for (let i = 0; i < tq.panel.nrows; i++) {
    const a = acc.get(`${pc[i]}|${pj[i]}|${py[i]}`)!;
    assert.ok(Math.abs(a[0] / a[1] - (pt[i] as number)) < 1e-12, `cell ${i}`);
    mx += pt[i] as number;
    my += pm[i] as number;
  }
  mx /= tq.panel.nrows;
  my /= tq.panel.nrows;
  for (let i = 0; i < tq.panel.nrows; i++) {
    const dx = (pt[i] as number) - mx,
      dy = (pm[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // the measured quality is the true one plus the cell shocks and the measurement error of (18)–(20)
  const r = sxy / Math.sqrt(sxx * syy);
  assert.ok(r > 0.8, `corr(measured, true) ${r}`);
  // the firm table with the true quality in place of the measured one (for mechanismPanel)
  assert.equal(Array.from(numeric(tq.trueQualityPanel.firm, "quality")), Array.from(q));
});

test("eqSpecTruth / eqTrueValues: every Table 2–3 column; L.vagg's 2SLS estimand is its own", async () => {
  const { eq, tq } = await built;
  const tv = (await eqTrueValues(dir, eq))!;
  assert.is(tv.table2.length, EQ_TABLE2_SPECS.length);
  assert.is(tv.table3.length, EQ_TABLE3_SPECS.length);
  for (const x of [...tv.table2, ...tv.table3]) assert.ok(Number.isFinite(x));
  assert.is(tv.table2[3], eqSpecTruth(tq, EQ_TABLE2_SPECS[3]!));
  // the baseline truth is near the generator's realised β (same outcome, the pipeline's rows instead of the generator's cells)
  const realised = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8")).realised.eq.beta_vagg as number;
  assert.ok(Math.abs((tv.table2[3] as number) - realised) < 0.1, `${tv.table2[3]} vs ${realised}`);
  assert.throws(() => eqSpecTruth(tq, { ...EQ_TABLE2_SPECS[3]!, formula: "lnroad ~ vagg | city" }), /outcome .* is not quality/);
});

test("eqSpecFitWithTruth: the fit equals the single fit and the truth equals eqSpecTruth, exactly, for every Table 2–3 column", async () => {
  const { tq } = await built;
  const opts = { vcov: { cluster: ["city^hs4"] }, vcovAlso: [{ cluster: ["city"] }] } as const;
  for (const spec of [...EQ_TABLE2_SPECS, ...EQ_TABLE3_SPECS]) {
    const { fit, truth } = eqSpecFitWithTruth(tq, spec, opts);
    const data = spec.sample === "lag" ? eqLagSample(tq.panel).panel : tq.panel;
    const single = spec.iv ? iv2sls(data, spec.formula, opts) : feols(data, spec.formula, opts);
    assert.equal(fit.coef, single.coef, `${spec.label}: coefficients`);
    assert.equal(fit.se, single.se, `${spec.label}: SEs`);
    assert.equal(fit.vcovAlso[0]!.se, single.vcovAlso[0]!.se, `${spec.label}: city-clustered SEs`);
    assert.is(truth, eqSpecTruth(tq, spec), `${spec.label}: true value`);
  }
});

test("eqTrueOutcome: null without the generator's truth_quality.parquet (real data)", async () => {
  const { eq } = await built;
  const real = fs.mkdtempSync(path.join(os.tmpdir(), "eq-true-none-"));
  assert.is(await eqTrueOutcome(eq, real), null);
  assert.is(await eqTrueValues(real, eq), null);
  assert.ok(fs.existsSync(path.join(dir, EQ_TRUE_QUALITY_FILE)));
});

test.run();
