import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { numeric, table, toRecords, column } from "../../../lib/data/table";
import { readTable } from "../../../lib/data/io";
import { generate } from "../../../lib/synth";
import { digitalShift } from "../../../lib/measures/bartik";
import { publicDataPath } from "../../../lib/data/public";
import { attachAlternativeVagg, DIGITAL_TRADE_SHARE } from "../../../lib/papers/eq/robustness";

// Tolerances
// TOL: hand values are sums of products of small decimals; a few ulps.
// SHIFT: digital_shifts.csv stores virtual_raw with 10 significant digits.
const TOL = 1e-12;
const SHIFT = 1e-8;
const near = (a: number, b: number, msg = "") => assert.ok(Math.abs(a - b) <= TOL * Math.max(1, Math.abs(b)), `${msg} ${a} vs ${b}`);

function fixture(): { dir: string; io: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-rob-"));
  const w = (f: string, s: string) => fs.writeFileSync(path.join(dir, f), s);
  // A = 100: output x 30, y 10 → shares .75/.25; B = 200: only y
  w(
    "census_2004.csv",
    "city_code,industry,year,output,employment,firms\n100,Dx,2004,30,1,1\n100,Dy,2004,10,1,1\n200,Dy,2004,5,1,1\n200,Dz,2004,,1,1\n",
  ); // B: Dz output missing → left out, counted
  // flows (USD million): x 2005: D61 1000, D62T63 500, D45T47 2000 → Z = 1000 + 500 + 0.2·2000 = 1900
  //                      y 2005: 100, 100, 1000 → 400; an unused input (D58T60) is ignored
  w(
    "io.csv",
    [
      "year,input_isic4,use_isic4,z",
      "2005,D61,Dx,1000",
      "2005,D62T63,Dx,500",
      "2005,D45T47,Dx,2000",
      "2005,D58T60,Dx,99999",
      "2005,D61,Dy,100",
      "2005,D62T63,Dy,100",
      "2005,D45T47,Dy,1000",
    ].join("\n") + "\n",
  );
  w("gov_reports.csv", "city_code,year,text\n100,2005,发展数字经济，建设智慧城市，发展电子商务。\n200,2005,加强生态环境保护。\n");
  return { dir, io: path.join(dir, "io.csv") };
}

test("vagg_in: census shares × digital input flows / 1000; vagg_txt: ln(1 + dictionary words)", async () => {
  const { dir, io } = fixture();
  const panel = table({ city: Int32Array.of(100, 100, 200, 999), year: Int32Array.of(2005, 2005, 2005, 2005), hs4: ["a", "b", "a", "a"] });
  const alt = await attachAlternativeVagg(panel, dir, { io });
  const vi = numeric(alt.panel, "vagg_in"),
    vt = numeric(alt.panel, "vagg_txt");
  near(vi[0] as number, (0.75 * 1900 + 0.25 * 400) / 1000, "A");
  near(vi[1] as number, vi[0] as number);
  near(vi[2] as number, 400 / 1000, "B");
  assert.ok(Number.isNaN(vi[3] as number), "city not in the census");
  near(vt[0] as number, Math.log(1 + 3), "A: 数字经济, 智慧城市, 电子商务");
  near(vt[2] as number, 0, "B: no term");
  assert.ok(Number.isNaN(vt[3] as number));
  const counts = Object.fromEntries(toRecords(alt.counts).map((r) => [r["item"] as string, r["rows"] as number]));
  const find = (s: string) => Object.entries(counts).find(([k]) => k.includes(s))?.[1];
  assert.is(find("without vagg_in"), 1);
  assert.is(find("without vagg_txt"), 1);
  assert.is(find("missing or negative output"), 1);
  // ω and the unit are options
  const a2 = await attachAlternativeVagg(panel, dir, { io, tradeShare: 0, unit: 1 });
  near(numeric(a2.panel, "vagg_in")[2] as number, 200, "B, ω = 0, USD million");
});

test("attachAlternativeVagg: bad options and a missing report file are one-line errors", async () => {
  const { dir, io } = fixture();
  const panel = table({ city: Int32Array.of(100), year: Int32Array.of(2005) });
  let threw = false;
  try {
    await attachAlternativeVagg(panel, dir, { io, tradeShare: 2 });
  } catch (e) {
    threw = /tradeShare/.test(String(e));
  }
  assert.ok(threw);
  fs.rmSync(path.join(dir, "gov_reports.csv"));
  try {
    await attachAlternativeVagg(panel, dir, { io });
    assert.unreachable("should throw");
  } catch (e) {
    const m = String((e as Error).message);
    assert.ok(m.includes("gov_reports.csv") && !m.includes("\n"), m);
  }
});

test("the public OECD file: z are the long file's flows, and a with ω = 0.2 reproduces the synthetic shifts' virtual_raw", async () => {
  const coef = await readTable(publicDataPath("io", "oecd_iot2021_chn_digital_coef.csv"));
  const long = await readTable(publicDataPath("io", "oecd_iot2021_chn_1995_2018_long.csv"), {
    where: "year = 2010 AND row_code IN ('34', '35', '26')",
  });
  const lk = new Map<string, number>();
  const lr = column(long, "row_code"),
    lc = column(long, "col_code"),
    lv = numeric(long, "value");
  for (let i = 0; i < long.nrows; i++) lk.set(`${lr[i]}|${lc[i]}`, lv[i] as number);
  const cy = numeric(coef, "year"),
    ci = column(coef, "input_code"),
    cu = column(coef, "use_code"),
    cz = numeric(coef, "z");
  let checked = 0;
  for (let i = 0; i < coef.nrows; i++)
    if (cy[i] === 2010 && ["34", "35", "26"].includes(String(ci[i]))) {
      assert.is(cz[i], lk.get(`${ci[i]}|${cu[i]}`), `flow ${ci[i]} → ${cu[i]}`);
      checked++;
    }
  assert.is(checked, 3 * 17);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-rob-synth-"));
  await generate({ scale: "small", seed: 20220707, outDir: dir });
  const ds = await readTable(path.join(dir, "digital_shifts.csv"));
  const a = digitalShift(coef, { inputs: { D61: 1, D62T63: 1, D45T47: DIGITAL_TRADE_SHARE } }).table;
  const m = new Map<string, number>();
  const ai = column(a, "ind"),
    at = numeric(a, "time"),
    as = numeric(a, "shift");
  for (let i = 0; i < a.nrows; i++) m.set(`${ai[i]}|${at[i]}`, as[i] as number);
  const di = column(ds, "industry"),
    dy = numeric(ds, "year"),
    dr = numeric(ds, "virtual_raw");
  let n = 0;
  for (let i = 0; i < ds.nrows; i++) {
    const y = dy[i] as number;
    if (y > 2018) continue; // the generator reuses 2018 for 2019
    const v = m.get(`${di[i]}|${y}`) as number;
    assert.ok(Math.abs(v / (dr[i] as number) - 1) < SHIFT, `${di[i]} ${y}: ${v} vs ${dr[i]}`);
    n++;
  }
  assert.ok(n > 100);
  // and the synthetic panel gets a finite vagg_in and vagg_txt for every city-year
  const panel = table({ city: Int32Array.of(), year: Int32Array.of() });
  const alt = await attachAlternativeVagg(panel, dir);
  assert.ok(numeric(alt.inputs, "vagg_in").every((v) => Number.isFinite(v) && v > 0));
  assert.ok(numeric(alt.text, "vagg_txt").every((v) => Number.isFinite(v) && v >= 0));
  assert.is(alt.text.nrows, (await readTable(path.join(dir, "gov_reports.csv"))).nrows);
});

test.run();
