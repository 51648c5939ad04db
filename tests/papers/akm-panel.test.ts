import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../lib/synth";
import { buildQualityPanel } from "../../lib/papers/eq/panel";
import { eqAkmRows, eqAkmTable, EQ_AKM_SPECS } from "../../lib/papers/eq/akm-panel";
import { buildResiliencePanel } from "../../lib/papers/rs/panel";
import { rsAkmRows, rsAkmTable } from "../../lib/papers/rs/akm";
import { feols } from "../../lib/estimators/feols";
import { column } from "../../lib/data/table";

// Checks on the small synthetic data (no published AKM numbers exist for EQ/RS):
// - the AKM fit reproduces the feols / iv2sls coefficient on the same sample: 1e-8 relative
//   (both are FWL fits; the demeaning tolerances are 1e-10);
// - the regressor lies in the span of the shares (max |x − Wĝ| / max |x| < 1e-10: a true
//   shift-share up to rounding of the census outputs);
// - the clustered SE column is feols's own SE (exact), the ratio column is AKM / clustered.
const SEED = 20220707;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "akm-panel-"));
const ready = generate({ scale: "small", seed: SEED, outDir: dir });
const env = { dataDir: dir };

test("EQ Tables 2–3: AKM beside clustered SEs on the feols sample; vagg and l_vagg are shift-shares of the 2004 census shares", async () => {
  await ready;
  const eq = await buildQualityPanel(dir);
  const rows = await eqAkmRows(eq, env);
  assert.equal(rows.length, EQ_AKM_SPECS.length);
  for (const r of rows) {
    assert.ok(Math.abs(r.akm.estimate - r.estimate) <= 1e-8 * Math.abs(r.estimate), `${r.spec.label}: ${r.akm.estimate} vs ${r.estimate}`);
    assert.ok(r.spanGap < 1e-10, `${r.spec.label} span gap ${r.spanGap}`);
    const akm = r.akm.inference.find((m) => m.method === "akm")!;
    assert.ok(akm.se > 0 && Number.isFinite(akm.se));
  }
  const b4 = feols(eq.panel, `quality ~ vagg + ${EQ_AKM_SPECS[3]!.controls!.join(" + ")} | city + year + hs4`, {
    vcov: { cluster: ["city^hs4"] },
  });
  assert.equal(rows[3]!.clusteredSe, b4.se["vagg"]);
  const t = await eqAkmTable(eq, env);
  const d = t.data!;
  assert.equal(d.names, [
    "specification",
    "estimate",
    "clustered_se",
    "akm_se",
    "akm_ratio",
    "akm0_low",
    "akm0_high",
    "nobs",
    "shocks",
    "shock_clusters",
    "span_gap",
  ]);
  const ratio = column(d, "akm_ratio") as Float64Array;
  const akmSe = column(d, "akm_se") as Float64Array;
  const cl = column(d, "clustered_se") as Float64Array;
  ratio.forEach((v, i) => assert.ok(Math.abs(v - akmSe[i]! / cl[i]!) < 1e-15));
  // small scale: 16 cities × 11 years = 176 share rows, 17 industries × 11 years = 187 shocks → flagged
  assert.equal(rows[3]!.shareRows, 176);
  assert.ok(t.notes.some((n) => n.startsWith("Not informative")));
});

test("RS Bartik robustness: AKM beside the city-clustered SE; vagg_bartik is a shift-share of the 2008 census shares", async () => {
  await ready;
  // unwinsorised: vagg_bartik is exactly a shift-share of the 2008 shares
  const raw = await rsAkmRows(await buildResiliencePanel(dir, { winsorize: false }), env);
  for (const r of raw) assert.ok(r.spanGap < 1e-10, `${r.spec.label} span gap ${r.spanGap}`);
  // the notebook's panel (winsorised 1%/99%): the gap is reported, the fits agree
  const rs = await buildResiliencePanel(dir);
  const rows = await rsAkmRows(rs, env);
  assert.equal(rows.length, 2);
  for (const r of rows) {
    assert.ok(Math.abs(r.akm.estimate - r.estimate) <= 1e-8 * Math.abs(r.estimate), `${r.spec.label}`);
    assert.ok(Number.isFinite(r.spanGap) && r.spanGap < 1, `${r.spec.label} span gap ${r.spanGap}`);
  }
  const t = await rsAkmTable(rs, env);
  assert.equal(t.data!.nrows, 2);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
