import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../../lib/synth";
import { TRUTH } from "../../../lib/synth/truth";
import { column, numeric, table, toRecords } from "../../../lib/data/table";
import { writeTable, readTable } from "../../../lib/data/io";
import { feols } from "../../../lib/estimators/feols";
import { marketSegmentation } from "../../../lib/measures/market-segmentation";
import type { QualityPanel } from "../../../lib/papers/eq/panel";
import { buildExtensionsPanel, EXTENSION_MEASURES } from "../../../lib/papers/eq/extensions";

// Tolerances
// TOL: hand values are ratios/logs/square roots of small numbers; a few ulps.
// ROAD_SE: the crowding effect is built in exactly at city × year (noise sd 0.08), so the
//   recomputed slope must lie within 3 standard errors of 1.0278 (a 0.3 % false-alarm rate).
const TOL = 1e-12;
const ROAD_SE = 3;
const near = (a: number, b: number, msg = "") => assert.ok(Math.abs(a - b) <= TOL * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);

/** A two-city fixture folder (A = 100, B = 200) and a hand-made base panel for 2005–2006. */
async function fixture(): Promise<{ dir: string; base: QualityPanel }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-ext-"));
  const w = (f: string, s: string) => fs.writeFileSync(path.join(dir, f), s);
  const cats = ["food", "tobacco_liquor", "clothing", "household", "health", "transport_communication", "recreation_education", "housing"];
  const cpi: string[] = ["city_code,year,category,price_index"];
  [100, 200, 300].forEach((c, ci) =>
    [2005, 2006].forEach((y) => cats.forEach((k, ki) => cpi.push(`${c},${y},${k},${100 + ((ci * 7 + ki * 3 + y) % 5) * 0.7}`))),
  );
  w("cpi_categories.csv", cpi.join("\n") + "\n");
  // agg: 2004 A .4/.5 = .8, B 1.2; 2005 A 1.2, B .8; 2006 nat 120/400 = .3 → A .6/.3 = 2, B .2/.3 = 2/3
  w(
    "city_yearbook.csv",
    [
      "city_code,year,pop,road_area,emp,sec_emp",
      "100,2004,100,150,100,40",
      "100,2005,100,200,100,60",
      "100,2006,100,300,100,60",
      "200,2004,100,150,100,60",
      "200,2005,50,0,100,40",
      "200,2006,50,100,300,60",
    ].join("\n") + "\n",
  );
  w("products.csv", "hs6,hs4,hs3,bec\n010101,0101,010,intermediate\n020202,0202,020,consumption\n");
  const cu = [
    [1, 100, "010101", "USA", 2005, 3, 1, "ordinary", 0],
    [1, 100, "020202", "USA", 2005, 1, 1, "ordinary", 0],
    [2, 200, "010101", "USA", 2005, 1, 1, "ordinary", 0],
    [2, 200, "020202", "USA", 2005, 3, 1, "ordinary", 0],
    [3, 100, "010101", "JPN", 2005, 100, 1, "ordinary", 1], // intermediary: dropped
    [1, 100, "010101", "JPN", 2005, 0, 1, "ordinary", 0], // zero value: dropped
    [1, 100, "010101", "USA", 2010, 7, 1, "ordinary", 0], // outside 2005–2006: dropped
    [1, 100, "010101", "USA", 2006, 5, 1, "ordinary", 0],
    [2, 200, "020202", "USA", 2006, 5, 1, "ordinary", 0],
  ];
  const colsOf = (j: number) => cu.map((r) => r[j]);
  await writeTable(
    table({
      firm_id: Int32Array.from(colsOf(0) as number[]),
      city_code: Int32Array.from(colsOf(1) as number[]),
      hs6: colsOf(2) as string[],
      dest: colsOf(3) as string[],
      year: Int32Array.from(colsOf(4) as number[]),
      value_usd: Float64Array.from(colsOf(5) as number[]),
      quantity: Float64Array.from(colsOf(6) as number[]),
      trade_mode: colsOf(7) as string[],
      is_intermediary: Int32Array.from(colsOf(8) as number[]),
    }),
    path.join(dir, "customs.parquet"),
  );
  const cityYear = table({
    city: Int32Array.of(100, 100, 200, 200),
    year: Int32Array.of(2005, 2006, 2005, 2006),
    vagg: Float64Array.of(0.8, 1.0, 1.2, 1.0),
    l_vagg: Float64Array.of(0.6, 0.8, 1.5, 1.2),
  });
  const panel = table({
    city: Int32Array.of(100, 200, 999, 100),
    hs4: ["0101", "0202", "0101", "0202"],
    year: Int32Array.of(2005, 2006, 2005, 2006),
    quality: Float64Array.of(0.5, 0.6, 0.7, 0.8),
  });
  const base = { panel, cityYear, info: { years: [2005, 2006] } } as unknown as QualityPanel;
  return { dir, base };
}

test("extensions panel: hand-computed lnroad, export structure, agg, coa (27), d_coa (28); integ (24) from marketSegmentation", async () => {
  const { dir, base } = await fixture();
  const ext = await buildExtensionsPanel(dir, { base });
  const cy = ext.cityYear;
  for (const m of EXTENSION_MEASURES) assert.ok(cy.names.includes(m), m);
  const g = (n: string) => numeric(cy, n);
  // rows: A 2005, A 2006, B 2005, B 2006
  near(g("lnroad")[0] as number, Math.log(2), "lnroad A 2005");
  near(g("lnroad")[1] as number, Math.log(3), "lnroad A 2006");
  assert.ok(Number.isNaN(g("lnroad")[2] as number), "road_area 0 → NA");
  near(g("lnroad")[3] as number, Math.log(2), "lnroad B 2006");
  // 2005: national s = (.5, .5), A s = (.75, .25): LQ (1.5, .5) → spe .75, div .5, rdi 2
  near(g("spe")[0] as number, 0.75);
  near(g("div")[0] as number, 0.5);
  near(g("rdi")[0] as number, 2);
  near(g("lnspe")[0] as number, Math.log(0.75));
  near(g("lndiv")[0] as number, Math.log(2));
  near(g("lndiv_printed")[0] as number, Math.log(0.5));
  // 2006: A exports only 0101, B only 0202: A LQ 2 → spe 1, div .5, rdi 1/(.5 + .5) = 1
  near(g("spe")[1] as number, 1);
  near(g("div")[1] as number, 0.5);
  near(g("rdi")[1] as number, 1);
  // agg and coa = 1 − |agg − vagg|/(agg + vagg)
  [1.2, 2, 0.8, 2 / 3].forEach((a, i) => near(g("agg")[i] as number, a, `agg ${i}`));
  near(g("coa")[0] as number, 1 - 0.4 / 2.0);
  near(g("coa")[1] as number, 1 - 1 / 3);
  // d_coa: A05 Δagg .4, Δvagg .2 → +√.08; B05 −.4, −.3 → +√.12; A06 .8, .2 → .4; B06 −2/15, −.2 → +√(2/75)
  [Math.sqrt(0.08), 0.4, Math.sqrt(0.12), Math.sqrt(2 / 75)].forEach((d, i) => near(g("d_coa")[i] as number, d, `d_coa ${i}`));
  // integ: the city rows of marketSegmentation over all CPI cities (300 is a partner, not a panel city)
  const seg = marketSegmentation(await readTable(path.join(dir, "cpi_categories.csv")), {
    city: "city_code",
    time: "year",
    category: "category",
    price: "price_index",
  });
  const sc = column(seg.cities, "city_code"),
    sy = numeric(seg.cities, "year"),
    si = numeric(seg.cities, "integ");
  const want = (c: string, y: number) =>
    si[[...Array(seg.cities.nrows).keys()].find((i) => String(sc[i]) === c && sy[i] === y) as number] as number;
  near(g("integ")[0] as number, want("100", 2005));
  near(g("integ")[3] as number, want("200", 2006));
  near(g("integ")[0] as number, Math.sqrt(1 / (g("mseg")[0] as number)));
  assert.is(ext.segmentation.pairs, 3);
  // the panel gets the city-year values; a city without a city-year row gets NaN
  const p = ext.panel;
  near(numeric(p, "coa")[0] as number, g("coa")[0] as number);
  near(numeric(p, "lndiv")[1] as number, g("lndiv")[3] as number);
  assert.ok(Number.isNaN(numeric(p, "integ")[2] as number));
  near(numeric(p, "quality")[3] as number, 0.8);
  // counts: intermediary, zero value and out-of-years customs rows; the missing lnroad
  const counts = Object.fromEntries(toRecords(ext.counts).map((r) => [r["item"] as string, r["rows"] as number]));
  const find = (s: string) => Object.entries(counts).find(([k]) => k.includes(s))?.[1];
  assert.is(find("input rows"), 9);
  assert.is(find("intermediaries"), 1);
  assert.is(find("value missing or ≤ 0"), 1);
  assert.is(find("outside 2005–2006"), 1);
  assert.is(find("without lnroad"), 1);
  assert.is(find("without d_coa"), 0);
});

test("extensions panel: missing files and columns are one-line errors naming the file", async () => {
  const { dir, base } = await fixture();
  fs.writeFileSync(path.join(dir, "city_yearbook.csv"), "city_code,year,pop,emp,sec_emp\n100,2005,1,1,1\n");
  try {
    await buildExtensionsPanel(dir, { base });
    assert.unreachable("should throw");
  } catch (e) {
    const m = String((e as Error).message);
    assert.ok(m.includes("city_yearbook.csv") && !m.includes("\n"), m);
  }
  fs.rmSync(path.join(dir, "cpi_categories.csv"));
  try {
    await buildExtensionsPanel(dir, { base });
    assert.unreachable("should throw");
  } catch (e) {
    assert.ok(String((e as Error).message).includes("cpi_categories.csv"), String(e));
  }
});

test("extensions panel on synthetic data: the built-in crowding effect (1.0278) is recovered at city × year", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-ext-synth-"));
  await generate({ scale: "small", seed: 20220707, outDir: dir });
  const ext = await buildExtensionsPanel(dir);
  assert.is(ext.cityYear.nrows, ext.base.cityYear.nrows);
  for (const m of EXTENSION_MEASURES)
    assert.ok(
      numeric(ext.cityYear, m).every((v) => Number.isFinite(v)),
      `${m} has NaN`,
    );
  const m = feols(ext.cityYear, "lnroad ~ vagg + fdi + open + fisc + dlp + sci + edu + wage + gdp + fixinv | city + year", {
    vcov: { cluster: ["city"] },
  });
  const b = m.coef["vagg"] as number,
    se = m.se["vagg"] as number;
  assert.ok(Math.abs(b - TRUTH.eq.road_vagg) < ROAD_SE * se, `${b} (${se})`);
  // same city-year values on every HS4 row of the panel
  assert.is(ext.panel.nrows, ext.base.panel.nrows);
  assert.ok(numeric(ext.panel, "coa").every((v) => Number.isFinite(v)));
});

test.run();
