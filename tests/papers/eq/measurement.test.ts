import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fromRecords, numeric, column, table } from "../../../lib/data/table";
import { rng } from "../../../lib/util/rng";
import { loadShifts } from "../../../lib/synth/skeleton";
import { TRUTH } from "../../../lib/synth/truth";
import { EQ_TABLE1 } from "../../../lib/papers/eq/published";
import { toText } from "../../../lib/report/text";
import { productQuality, qualityStepsTable } from "../../../lib/measures/quality";
import {
  oecdDigitalShifts,
  oecdSectorNames,
  censusShares,
  vaggAgreement,
  eqDescriptives,
  sigmaSummaryTable,
  qualityCleaningTable,
  bartikReportTable,
  digitalShiftsChart,
  sigmaScatter,
  qualityInputs,
} from "../../../lib/papers/eq/measurement";
import { bartik } from "../../../lib/measures/bartik";
import { EQ_CONTROLS } from "../../../lib/papers/eq/panel";
import {
  bartikOmegaSensitivity,
  nationalVaggPath,
  rotembergDropTop,
  censusShares as censusShares2,
  oecdDigitalShifts as oecdShifts2,
} from "../../../lib/papers/eq/measurement";
import { buildQualityPanel } from "../../../lib/papers/eq/panel";
import { generate } from "../../../lib/synth";
import { feols } from "../../../lib/estimators/feols";
import { EQ_BASELINE } from "../../../lib/papers/eq/specs";
import { rotembergOls } from "../../../lib/measures/rotemberg-ols";

// Tolerances
// SAME: the OECD shifts are computed here and in the synthetic generator from the same CSV
//   doubles with sums in a different order: agree to 1e-12 relative.
const SAME = 1e-12;

test("oecdDigitalShifts reproduces the generator's Bartik shifts (lib/synth/skeleton) from the real OECD file", async () => {
  const sh = await oecdDigitalShifts({ omega: TRUTH.eq.omega_trade, years: [2002, 2019] });
  const ref = await loadShifts(2002, 2019);
  assert.equal([...sh.industries], [...ref.industries]);
  assert.ok(Math.abs(sh.scale / ref.scale - 1) < SAME, `scale ${sh.scale} vs ${ref.scale}`);
  assert.is(sh.table.nrows, 17 * 18);
  assert.is(sh.carriedForward, 17); // 2019 → 2018
  assert.is(sh.missingInputs, 0);
  const ind = column(sh.table, "ind") as string[],
    year = numeric(sh.table, "year"),
    v = numeric(sh.table, "shift"),
    raw = numeric(sh.table, "shift_raw");
  for (let i = 0; i < sh.table.nrows; i++) {
    const s = ref.industries.indexOf(ind[i] as string),
      t = (year[i] as number) - 2002;
    const rv = (ref.virtual[s] as Float64Array)[t] as number,
      rr = (ref.raw[s] as Float64Array)[t] as number;
    assert.ok(Math.abs((v[i] as number) - rv) <= SAME * Math.abs(rv), `${ind[i]} ${year[i]}: ${v[i]} vs ${rv}`);
    assert.ok(Math.abs((raw[i] as number) - rr) <= SAME * Math.abs(rr));
  }
  // names from the OECD sector list
  assert.is((column(sh.table, "name") as string[])[ind.indexOf("D26")], "Computer, electronic and optical equipment");
  assert.is((await oecdSectorNames()).get("D61"), "Telecommunications");
  // no normalisation: raw coefficients
  const r0 = await oecdDigitalShifts({ targetMean: null });
  assert.is(r0.scale, 1);
  assert.ok(Math.abs(r0.rawMean - sh.rawMean) < SAME);
  assert.ok(digitalShiftsChart(sh.table, { years: [2005, 2015] }).$schema.includes("vega-lite"));
  try {
    await oecdDigitalShifts({ omega: 2 });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /omega/);
  }
});

test("censusShares: shares sum to 1 by city; rows with missing or negative output are dropped and counted", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-eq03-"));
  const f = path.join(dir, "census_2004.csv");
  fs.writeFileSync(
    f,
    "city_code,industry,year,output\n1,D26,2004,30\n1,D27,2004,10\n2,D26,2004,5\n2,D27,2004,\n2,D28,2004,-1\n2,D29,2004,15\n",
  );
  const cs = await censusShares(f);
  assert.is(cs.rows, 6);
  assert.is(cs.droppedRows, 2);
  assert.is(cs.cities, 2);
  assert.is(cs.table.nrows, 4);
  assert.equal(Array.from(numeric(cs.table, "share")), [0.75, 0.25, 0.25, 0.75]);
  // into bartik
  const shifts = fromRecords([
    { ind: "D26", year: 2005, shift: 1 },
    { ind: "D27", year: 2005, shift: 2 },
    { ind: "D29", year: 2005, shift: 4 },
  ]);
  const bk = bartik(cs.table, shifts, { unit: "city", industry: "ind", time: "year", shift: "shift" });
  assert.equal(Array.from(numeric(bk.table, "vagg")), [0.75 + 0.5, 0.25 + 3]);
  const rep = bartikReportTable(bk.report);
  assert.is((column(rep, "value") as string[])[3], "none");
  fs.writeFileSync(f, "city_code,industry,year,output\n1,D26,2004,0\n");
  try {
    await censusShares(f);
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /city 1 has zero total output/);
  }
  fs.rmSync(dir, { recursive: true });
});

test("vaggAgreement: matched rows, unmatched rows on each side, largest difference", () => {
  const a = fromRecords([
    { city: 1, year: 2005, vagg: 0.5 },
    { city: 1, year: 2006, vagg: 0.6 },
    { city: 2, year: 2005, vagg: 0.7 },
  ]);
  const b = fromRecords([
    { c: 1, y: 2005, v: 0.5 },
    { c: 1, y: 2006, v: 0.65 },
    { c: 3, y: 2005, v: 1 },
    { c: 3, y: 2006, v: 1 },
  ]);
  const t = vaggAgreement(a, b, { keys: ["city", "year"], keysB: ["c", "y"], value: "vagg", valueB: "v" });
  assert.equal([numeric(t, "matched")[0], numeric(t, "only_a")[0], numeric(t, "only_b")[0]], [2, 1, 2]);
  assert.ok(Math.abs((numeric(t, "max_abs_diff")[0] as number) - 0.05) < 1e-12);
  assert.ok(Math.abs((numeric(t, "mean_b")[0] as number) - 0.575) < 1e-12);
});

test("eqDescriptives: Table 1 rows in the published order, recomputed moments, DGP targets; a missing column is named", () => {
  const r = rng(8);
  const n = 200;
  const cols: Record<string, Float64Array> = {
    quality: Float64Array.from({ length: n }, () => r.uniform()),
    vagg: Float64Array.from({ length: n }, () => r.normal(0.5, 0.1)),
  };
  for (const c of EQ_CONTROLS) cols[c] = Float64Array.from({ length: n }, () => r.normal());
  cols["quality"]![3] = NaN;
  const rt = eqDescriptives(table(cols), { synthetic: true });
  const txt = toText(rt);
  assert.match(txt, /hs4_qua\s+693,162\s+199\s+0\.581/);
  assert.ok(rt.body.length === Object.keys(EQ_TABLE1).length);
  assert.match(txt, /mean_T/);
  assert.not.match(toText(eqDescriptives(table(cols))), /mean_T/);
  const { fixinv: _drop, ...rest } = cols;
  assert.throws(() => eqDescriptives(table(rest)), /fixinv/);
});

/** Hand-made customs rows: one estimation product, then one row or a few for each cleaning rule. */
function cleaningRows() {
  const rows: Record<string, number | string | null>[] = [];
  const add = (firm: number, hs6: string, dest: string, year: number, v: number | null, q: number | null, inter = 0) =>
    rows.push({ firm_id: firm, city_code: 1, hs6, dest, year, value_usd: v, quantity: q, is_intermediary: inter });
  const r = rng(3);
  for (let g = 0; g < 3; g++)
    for (const d of ["A", "B", "C"])
      for (const t of [2010, 2011]) add(g, "850110", d, t, 100 * Math.exp(r.normal()), 10 * Math.exp(r.normal()));
  add(0, "850110", "A", 2012, 0, 5);
  add(1, "850110", "B", 2012, 10, null);
  add(9, "850110", "A", 2010, 10, 2, 1);
  add(9, "850110", "B", 2010, 11, 2, 1);
  add(0, "020110", "A", 2010, 10, 2);
  add(0, "020110", "B", 2010, 12, 2);
  add(0, "270900", "A", 2010, 10, 2);
  add(5, "850110", "A", 2011, 10, 2);
  add(6, "900110", "A", 2010, 10, 2);
  add(0, "900120", "A", 2010, 10, 2);
  add(0, "900120", "B", 2010, 12, 3);
  add(1, "900120", "A", 2010, 14, 2);
  add(1, "900120", "B", 2010, 9, 3);
  add(0, "280110", "A", 2010, 10, 2);
  add(0, "280110", "B", 2010, 10, 3);
  return rows;
}

test("qualityStepsTable: rows, products and firms left after each rule chain exactly to the estimation sample", async () => {
  const rows = cleaningRows();
  const q = await productQuality({
    customs: fromRecords(rows),
    sigma: table({ hs3: ["850"], sigma: [5] }),
    method: "known-sigma",
    minObs: 5,
  });
  const t = qualityStepsTable(q.counts);
  assert.is(t.nrows, 8);
  const dropped = Array.from(numeric(t, "dropped")),
    left = Array.from(numeric(t, "rows_left"));
  assert.equal(dropped, [0, 2, 2, 3, 2, 6, 0, 0]);
  assert.equal(left, [rows.length, rows.length - 2, rows.length - 4, rows.length - 7, rows.length - 9, 18, 18, 18]);
  for (let k = 1; k < t.nrows; k++) assert.is(left[k], (left[k - 1] as number) - (dropped[k] as number));
  assert.equal(Array.from(numeric(t, "hs6_left")), [6, 6, 6, 4, 3, 1, 1, 1]);
  assert.equal(Array.from(numeric(t, "firms_left")), [6, 6, 5, 5, 3, 3, 3, 3]);
  assert.is(numeric(t, "rows_left_share")[0], 1);
  assert.is(q.counts.noRange, 0);
  assert.match(toText(qualityCleaningTable(q)), /known σ_h/);
  assert.throws(() => qualityStepsTable({ ...q.counts, steps: undefined }), /per-step detail/);
});

test("sigmaSummaryTable and sigmaScatter: pooled σ̂ rows and the per-HS3 comparison", () => {
  const byHs3 = table({
    hs3: ["841", "842", "843"],
    sigma_hat: [3.9, 5.2, 6.1],
    se: [0.1, 0.1, 0.05],
    nobs: [100, 300, 100],
    sigma_table: [4, 5, 6],
  });
  const fake = {
    sigmaHat: { estimate: 4.5, se: 0.1, ciLow: 4.3, ciHigh: 4.7, nobs: 500, ols: 4.8 },
    firstStage: { coef: 0.9, f: 1000, partialR2: 0.8 },
    sigmaByHs3: byHs3,
  } as unknown as Parameters<typeof sigmaSummaryTable>[0];
  const t = sigmaSummaryTable(fake, fake);
  const stat = column(t, "statistic") as string[],
    est = numeric(t, "estimate"),
    ref = numeric(t, "reference");
  const at = (s: string) => stat.indexOf(s);
  assert.is(est[at("pooled σ̂ (2SLS)")], 4.5);
  assert.ok(Math.abs((est[at("mean σ̂_h (unweighted)")] as number) - 5.066666666666666) < 1e-12);
  assert.is(ref[at("mean σ̂_h (unweighted)")], 5);
  assert.ok(Math.abs((est[at("mean σ̂_h (weighted by observations)")] as number) - (3.9 + 3 * 5.2 + 6.1) / 5) < 1e-12);
  assert.ok(Math.abs((est[at("share of 95 % CIs covering σ_h")] as number) - 1 / 3) < 1e-12); // only 841 covers: 842 |0.2| > 0.196, 843 |0.1| > 0.098
  assert.ok(sigmaScatter(byHs3).$schema.includes("vega-lite"));
  assert.equal(Object.keys(qualityInputs("/d")), ["customs", "sigma", "products"]);
});

// Bartik diagnostics. Closed forms: the raw shift is linear in ω (a + ω·b), so raw_mean(ω) is
// linear to rounding (1e-12); scale·raw_mean = 0.574 exactly (1e-12); at ω = 0.2 the rebuilt
// vagg is the panel's own (same OECD file, same shares), so β̂ equals Table 2 col. 4 on the
// panel to 1e-6 (census output rounded to 0.1, see panel.test.ts); dropping nothing is the base.
test("bartik diagnostics: ω sensitivity, national path, drop-the-top", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-diag-"));
  await generate({ scale: "small", seed: 20220707, outDir: dir });
  const eq = await buildQualityPanel(dir);
  const cs = await censusShares2(path.join(dir, "census_2004.csv"));
  const t = await bartikOmegaSensitivity(eq.panel, cs.table, { omegas: [0, 0.2, 0.4] });
  const d = (t as unknown as { data: ReturnType<typeof table> }).data;
  const om = numeric(d, "omega"),
    raw = numeric(d, "raw_mean"),
    sc = numeric(d, "scale"),
    be = numeric(d, "beta");
  assert.ok(Math.abs((raw[1] as number) - ((raw[0] as number) + (raw[2] as number)) / 2) < 1e-12, "raw mean linear in ω");
  for (let i = 0; i < om.length; i++) assert.ok(Math.abs((sc[i] as number) * (raw[i] as number) - 0.574) < 1e-12);
  const base = feols(eq.panel, EQ_BASELINE, { vcov: { cluster: ["city^hs4"] } }).coef["vagg"] as number;
  assert.ok(Math.abs((be[1] as number) / base - 1) < 1e-6, `ω = 0.2 rebuild ${be[1]} vs panel ${base}`);
  const sh = await oecdShifts2({ omega: 0.2, years: [2002, 2019] });
  const p = nationalVaggPath(sh.table, eq.cityYear);
  const yr = column(p, "year") as Int32Array,
    nat = numeric(p, "national"),
    nraw = numeric(p, "national_raw");
  // the 2005–2015 mean of the national path is the normalisation target 0.574 (equal weights per year)
  let m = 0,
    n = 0;
  for (let i = 0; i < p.nrows; i++)
    if ((yr[i] as number) >= 2005 && (yr[i] as number) <= 2015) {
      m += nat[i] as number;
      n++;
      assert.ok(Math.abs((nat[i] as number) / (nraw[i] as number) - sh.scale) < 1e-9);
    }
  assert.ok(Math.abs(m / n - 0.574) < 1e-9, `national mean ${m / n}`);
  const rw = rotembergOls({
    data: eq.panel,
    y: "quality",
    x: "vagg",
    controls: [...EQ_CONTROLS],
    fe: ["city", "year", "hs4"],
    unit: "city",
    time: "year",
    shares: cs.table,
    shifts: sh.table,
    vcov: "cluster:city^hs4",
  });
  const dt = (rotembergDropTop(rw, eq.panel, cs.table, sh.table, { k: 1 }) as unknown as { data: ReturnType<typeof table> }).data;
  assert.is(dt.nrows, 2);
  assert.ok(Math.abs((numeric(dt, "beta")[0] as number) - base) < 1e-12, "first row: the OLS baseline");
  assert.ok(Math.abs((numeric(dt, "beta")[1] as number) - base) > 1e-6, "dropping the top industry changes β̂");
});

test.run();
