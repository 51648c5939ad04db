import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../../lib/synth";
import { buildWorld, ti } from "../../../lib/synth/world";
import { buildMembers } from "../../../lib/synth/rs";
import { Rng } from "../../../lib/util/rng";
import { column, numeric, toRecords } from "../../../lib/data/table";
import {
  buildResiliencePanel,
  dimensionWeights,
  RS_RESILIENCE_INDICATORS,
  martinSample,
  subsetPanel,
  rsUnempDirection,
  rsBartikDiagnostics,
  rsMeasurementDeviations,
  rsMeasureSummary,
  RS_CONTROLS,
} from "../../../lib/papers/rs/panel";
import { entropyIndex } from "../../../lib/measures/entropy";
import { marketPotential } from "../../../lib/measures/market-potential";
import { feols } from "../../../lib/estimators/feols";
import { readTable } from "../../../lib/data/io";
import { comparisonRow } from "../../../lib/papers/compare";

// Tolerances
// EXACT: 1e-8 — same arithmetic as the generator, but the yearbook file stores pop with 10 significant digits (relative error ≤ 5e-10 per value).
const EXACT = 1e-8;
// SAME: 1e-12 relative — the same quantity by a second, independent route over the same file values (sums of ≤ 20 terms).
const SAME = 1e-12;
const near = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

const SEED = 20220707;
let dir = "";
const built = (async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-panel-"));
  await generate({ scale: "small", seed: SEED, outDir: dir });
  return {
    wins: await buildResiliencePanel(dir),
    raw: await buildResiliencePanel(dir, { winsorize: false }),
  };
})();

// DEPENDS ON BRANCH rsdgp: the generator must build vagg_RS with the same textbook LQ (lib/measures/location-quotient)
// and write its normalisation to truth.json realised.rs_vagg_scale (which the panel then applies); until both
// branches are merged the panel (textbook LQ, scale 1) and the generator (population-relative LQ × 0.9) differ.
test("vagg = scale · Σ LQ × digital coefficient reproduces the generator's vagg_RS exactly", async () => {
  const { raw } = await built;
  const w = await buildWorld("small", SEED);
  const mem = buildMembers(w, new Rng(SEED).fork("members"));
  const v = numeric(raw.panel, "vagg"),
    c = column(raw.panel, "city") as Int32Array,
    y = column(raw.panel, "year") as Int32Array;
  const codes = w.cities.map((x) => x.code);
  assert.is(raw.panel.nrows, codes.length * 12);
  for (let i = 0; i < raw.panel.nrows; i++) {
    const g = (mem.vaggRs[codes.indexOf(c[i] as number)] as Float64Array)[ti(y[i] as number)] as number;
    assert.ok(Math.abs((v[i] as number) - g) <= EXACT * Math.max(1, g), `row ${i}: ${v[i]} vs ${g}`);
  }
});

test("Table 1: 14 indicators (savings and fixed investment in levels), weights sum to one, unemployment flagged", async () => {
  const { raw } = await built;
  const rec = toRecords(raw.weights);
  assert.is(rec.length, 14);
  const sw = rec.reduce((a, r) => a + (r.w as number), 0);
  assert.ok(Math.abs(sw - 1) < 1e-12);
  assert.equal(
    rec.map((r) => r.direction),
    RS_RESILIENCE_INDICATORS.map((d) => d.direction),
  );
  assert.ok(rec.some((r) => r.indicator === "savings") && rec.some((r) => r.indicator === "fixinv"));
  assert.ok(!rec.some((r) => r.indicator === "savings_pc" || r.indicator === "fixinv_pc"));
  assert.ok(String(rec.find((r) => r.indicator === "unemp")?.flag).includes("printed as +"));
  assert.is(dimensionWeights(raw.weights).nrows, 3);
  // levels: the indicator column is the (interpolated) yearbook value itself
  const yb = await readTable(path.join(dir, "city_yearbook.csv"), { intColumns: ["city_code", "year"] });
  const ybSav = new Map<string, number>();
  const yc = column(yb, "city_code") as Int32Array,
    yy = column(yb, "year") as Int32Array,
    ys = numeric(yb, "savings");
  for (let i = 0; i < yb.nrows; i++) ybSav.set(`${yc[i]}|${yy[i]}`, ys[i] as number);
  const c = column(raw.panel, "city") as Int32Array,
    y = column(raw.panel, "year") as Int32Array,
    sav = numeric(raw.panel, "savings");
  for (let i = 0; i < raw.panel.nrows; i++)
    if (Number.isFinite(ybSav.get(`${c[i]}|${y[i]}`) as number)) assert.is(sav[i], ybSav.get(`${c[i]}|${y[i]}`));
});

test("sub-indices: entropy indices with weights computed within their dimension; resi keeps the global weights", async () => {
  const { raw } = await built;
  const rec = toRecords(raw.weights);
  const dims = ["resist", "adapt", "transform"] as const;
  const glob = await buildResiliencePanel(dir, { winsorize: false, subIndexWeights: "global" });
  const r = numeric(raw.panel, "resi");
  near(
    Math.max(...r.map((v, i) => Math.abs(v - (numeric(glob.panel, "resi")[i] as number)))),
    0,
    SAME,
    "resi does not depend on the sub-index option",
  );
  for (const d of dims) {
    const inds = RS_RESILIENCE_INDICATORS.filter((x) => x.dimension === d);
    // the within weights are the entropy weights of the dimension's indicators alone (d_j / Σ_{k∈D} d_k)
    const alone = entropyIndex(raw.panel, inds);
    const sub = numeric(raw.panel, d);
    for (let i = 0; i < sub.length; i++) near(sub[i] as number, alone.index[i] as number, SAME, `${d} row ${i}`);
    const ww = rec.filter((x) => inds.some((k) => k.name === x.indicator));
    near(
      ww.reduce((a, x) => a + (x.w_within as number), 0),
      1,
      SAME,
      `${d} within weights sum`,
    );
    for (const x of ww)
      near(
        x.w_within as number,
        numeric(alone.weights, "w")[inds.findIndex((k) => k.name === x.indicator)] as number,
        SAME,
        String(x.indicator),
      );
  }
  // with the global option the three parts add up to resi, and differ from the within sub-indices
  const a = numeric(glob.panel, "resist"),
    b = numeric(glob.panel, "adapt"),
    t = numeric(glob.panel, "transform");
  for (let i = 0; i < r.length; i++) assert.ok(Math.abs((r[i] as number) - (a[i] as number) - (b[i] as number) - (t[i] as number)) < 1e-12);
  assert.ok(Math.abs((a[0] as number) - (numeric(raw.panel, "resist")[0] as number)) > 1e-6);
});

test("vagg: textbook LQ (m_sct/m_ct)/(M_st/M_t) × a_st from the raw files by a second route; m_ct = 0 → 0, counted", async () => {
  const { raw } = await built;
  const mem = toRecords(await readTable(path.join(dir, "alibaba_members.csv"), { intColumns: ["city_code", "year"] }));
  const sh = toRecords(await readTable(path.join(dir, "digital_shifts.csv")));
  const a = new Map(sh.map((r) => [`${r.industry}|${r.year}`, Number(r.virtual_raw)]));
  const cities = new Set(Array.from(column(raw.panel, "city") as Int32Array));
  const mct = new Map<string, number>(),
    mst = new Map<string, number>(),
    mt = new Map<number, number>(),
    cell = new Map<string, number>();
  for (const r of mem) {
    if (!cities.has(Number(r.city_code))) continue;
    const m = Number(r.members);
    mct.set(`${r.city_code}|${r.year}`, (mct.get(`${r.city_code}|${r.year}`) ?? 0) + m);
    mst.set(`${r.industry}|${r.year}`, (mst.get(`${r.industry}|${r.year}`) ?? 0) + m);
    mt.set(Number(r.year), (mt.get(Number(r.year)) ?? 0) + m);
    cell.set(`${r.city_code}|${r.year}|${r.industry}`, m);
  }
  const scale = raw.info.vaggScale as number;
  const c = column(raw.panel, "city") as Int32Array,
    y = column(raw.panel, "year") as Int32Array,
    v = numeric(raw.panel, "vagg");
  let zero = 0;
  for (let i = 0; i < raw.panel.nrows; i++) {
    const m = mct.get(`${c[i]}|${y[i]}`) ?? 0;
    if (m === 0) {
      zero++;
      assert.is(v[i], 0);
      continue;
    }
    let s = 0;
    for (const [k, x] of cell) {
      const [cc, yy, ind] = k.split("|");
      if (Number(cc) !== c[i] || Number(yy) !== y[i] || x === 0) continue;
      s += (x / m / ((mst.get(`${ind}|${yy}`) as number) / (mt.get(y[i] as number) as number))) * (a.get(`${ind}|${yy}`) as number);
    }
    near(v[i] as number, scale * s, SAME, `vagg row ${i}`);
  }
  assert.is(raw.info.vaggNoMembers, zero);
});

test("vaggScale: 1 without truth.json or without realised.rs_vagg_scale; truth.json's scale on synthetic data, said in info", async () => {
  const { raw } = await built;
  const tj = path.join(dir, "truth.json");
  const orig = fs.readFileSync(tj, "utf8");
  const j = JSON.parse(orig);
  const had = j.realised?.rs_vagg_scale;
  try {
    delete j.realised.rs_vagg_scale;
    fs.writeFileSync(tj, JSON.stringify(j));
    const one = await buildResiliencePanel(dir, { winsorize: false });
    assert.is(one.info.vaggScale, 1);
    j.realised.rs_vagg_scale = 0.75;
    fs.writeFileSync(tj, JSON.stringify(j));
    const s = await buildResiliencePanel(dir, { winsorize: false });
    assert.is(s.info.vaggScale, 0.75);
    assert.ok(String(s.info.vaggScaleSource).includes("realised.rs_vagg_scale"));
    const v1 = numeric(one.panel, "vagg"),
      v2 = numeric(s.panel, "vagg");
    for (let i = 0; i < v1.length; i++) near(v2[i] as number, 0.75 * (v1[i] as number), SAME, `row ${i}`);
    fs.rmSync(tj);
    const real = await buildResiliencePanel(dir, { winsorize: false });
    assert.is(real.info.vaggScale, 1);
    assert.ok(String(real.info.vaggScaleSource).startsWith("none"));
  } finally {
    fs.writeFileSync(tj, orig);
  }
  assert.is(raw.info.vaggScale, had ?? 1);
});

test("Bartik: vagg_B = Σ_s (Y_cs,2008/Y_c,2008)·a_st by a second route; Rotemberg diagnostics reproduce its OLS estimate", async () => {
  const { raw } = await built;
  const cen = toRecords(await readTable(path.join(dir, "census_2008.csv"), { intColumns: ["city_code", "year"] }));
  const sh = toRecords(await readTable(path.join(dir, "digital_shifts.csv")));
  const a = new Map(sh.map((r) => [`${r.industry}|${r.year}`, Number(r.virtual_raw)]));
  const tot = new Map<number, number>();
  for (const r of cen) tot.set(Number(r.city_code), (tot.get(Number(r.city_code)) ?? 0) + Number(r.output));
  const c = column(raw.panel, "city") as Int32Array,
    y = column(raw.panel, "year") as Int32Array,
    b = numeric(raw.panel, "vagg_bartik");
  for (let i = 0; i < raw.panel.nrows; i++) {
    let s = 0;
    for (const r of cen)
      if (Number(r.city_code) === c[i])
        s += (Number(r.output) / (tot.get(c[i] as number) as number)) * (a.get(`${r.industry}|${y[i]}`) as number);
    near(b[i] as number, s, SAME, `row ${i}`);
  }
  const diag = rsBartikDiagnostics(raw);
  const m = feols(subsetPanel(raw.panel, "in_base", 1), `resi ~ vagg_bartik + ${RS_CONTROLS.join(" + ")} | city + year`, {
    vcov: { cluster: ["city"] },
  });
  const allRow = diag.body.find((r) => String(r.cells[0]?.text).startsWith("β̂ all"));
  assert.ok(allRow);
  near(Number(allRow!.cells.at(-1)?.text), Number((m.coef.vagg_bartik as number).toFixed(4)), 1e-12, "β̂ shown");
  assert.ok(diag.notes.some((n) => n.startsWith("Decomposition check")));
});

test("market potential: origin weighting, exp(hmp_i)/inet_i is the plain Harris external potential", async () => {
  const { raw } = await built;
  const cities = toRecords(await readTable(path.join(dir, "cities.csv")));
  const yb = toRecords(await readTable(path.join(dir, "city_yearbook.csv"), { intColumns: ["city_code", "year"] })).filter(
    (r) => r.year === 2012,
  );
  const codes = yb.map((r) => Number(r.city_code));
  const geo = {
    lon: Float64Array.from(codes, (k) => Number(cities.find((r) => Number(r.city_code) === k)?.lon)),
    lat: Float64Array.from(codes, (k) => Number(cities.find((r) => Number(r.city_code) === k)?.lat)),
    area: new Float64Array(codes.length),
  };
  // area: mean over the analysis years of the yearbook (a city constant), as the panel uses
  const ybAll = toRecords(await readTable(path.join(dir, "city_yearbook.csv"), { intColumns: ["city_code", "year"] }));
  codes.forEach((k, q) => {
    const v = ybAll.filter((r) => Number(r.city_code) === k && Number(r.year) >= 2008 && Number(r.year) <= 2019).map((r) => Number(r.area));
    geo.area[q] = v.reduce((s, x) => s + x, 0) / v.length;
  });
  const plain = marketPotential(
    geo,
    Float64Array.from(yb, (r) => Number(r.gdp)),
  );
  const pc = column(raw.panel, "city") as Int32Array,
    py = column(raw.panel, "year") as Int32Array,
    hmp = numeric(raw.panel, "hmp"),
    lmp = numeric(raw.panel, "lmp");
  for (let q = 0; q < codes.length; q++) {
    const i = Array.from(pc).findIndex((c, k) => c === codes[q] && py[k] === 2012);
    const inet = (100 * Number(yb[q]?.internet_users)) / Number(yb[q]?.pop);
    near(Math.exp(hmp[i] as number) / inet, plain.hmp[q] as number, 1e-9, `hmp ${codes[q]}`);
    near(Math.exp(lmp[i] as number) / inet, plain.lmp[q] as number, 1e-9, `lmp ${codes[q]}`);
  }
});

test("unemployment direction: Table 3 col 4 under + and −; the + row is the panel's own estimate", async () => {
  const { wins } = await built;
  const t = await rsUnempDirection(dir);
  assert.is(t.body.length, 2);
  const m = feols(subsetPanel(wins.panel, "in_base", 1), `resi ~ vagg + ${RS_CONTROLS.join(" + ")} | city + year`, {
    vcov: { cluster: ["city"] },
  });
  const first = t.body[0] as { cells: readonly { text: string }[] };
  near(Number(first.cells[1]?.text), Number((m.coef.vagg as number).toFixed(4)), 1e-12, "β (+)");
  const minus = await buildResiliencePanel(dir, { directions: { unemp: "-" } });
  assert.is(toRecords(minus.weights).find((r) => r.indicator === "unemp")?.direction, "-");
  let threw = false;
  try {
    await buildResiliencePanel(dir, { directions: { unemployment: "-" } });
  } catch (e) {
    threw = /no Table 1 indicator "unemployment"/.test(String(e));
  }
  assert.ok(threw);
});

test("audit: interpolated counts equal the gaps in the yearbook; winsorised values stay within the 1 % bounds", async () => {
  const { wins, raw } = await built;
  // the generator writes no quoted fields, so an empty field is exactly ",," / a leading or trailing comma
  const lines = fs.readFileSync(path.join(dir, "city_yearbook.csv"), "utf8").trim().split("\n");
  const head = (lines[0] as string).split(",");
  const gaps: Record<string, number> = {};
  for (const l of lines.slice(1))
    l.split(",").forEach((v, j) => {
      if (v === "") gaps[head[j] as string] = (gaps[head[j] as string] ?? 0) + 1;
    });
  const ia = toRecords(wins.audit).filter((r) => r.step === "interpolate");
  for (const r of ia) assert.is(r.changed, gaps[r.column as string], String(r.column));
  assert.is(
    ia.reduce((s, r) => s + (r.changed as number), 0),
    Object.values(gaps).reduce((s, v) => s + v, 0),
  );
  const wr = toRecords(wins.audit).find((r) => r.column === "resi" && String(r.step).startsWith("winsorize"));
  assert.ok(wr && (wr.changed as number) > 0);
  const x = numeric(wins.panel, "resi"),
    x0 = Float64Array.from(numeric(raw.panel, "resi")).sort();
  assert.ok(Math.min(...x) >= (x0[0] as number) && Math.max(...x) <= (x0[x0.length - 1] as number));
  let changed = 0;
  const xr = numeric(raw.panel, "resi");
  for (let i = 0; i < x.length; i++) if (x[i] !== xr[i]) changed++;
  assert.is(changed, wr!.changed);
});

test("other variables: controls finite, groups binary, Martin sample one row per city, comparisonRow checks the term", async () => {
  const { wins } = await built;
  for (const n of ["pop", "open", "fre", "road", "wage", "edu", "iv", "vagg_bartik", "dist", "mp", "lmp", "hmp", "agg", "infra"])
    assert.ok(numeric(wins.panel, n).every(Number.isFinite), n);
  for (const n of ["old_industrial", "digital_infra_high", "urban_agglomeration", "yangtze_belt", "capital", "municipality"])
    assert.ok(
      numeric(wins.panel, n).every((v) => v === 0 || v === 1),
      n,
    );
  const hi = numeric(wins.panel, "digital_infra_high");
  assert.ok(hi.some((v) => v === 1) && hi.some((v) => v === 0));
  const ms = martinSample(wins.panel);
  assert.is(ms.nrows, new Set(column(wins.panel, "city") as Int32Array).size);
  assert.throws(() => comparisonRow("x", { coef: { a: 1 }, se: { a: 1 }, nobs: 1 }, "b"));
});

test("measurement-choice table: closed-form zeros (lmp is the same under origin and destination weighting; the SD divisor cancels)", async () => {
  const t = await rsMeasurementDeviations(dir);
  const rows = t.body.map((r) => r.cells.map((c) => c.text));
  const find = (choice: string, stat: string) => rows.find((r) => r[0] === choice && String(r[3]).startsWith(stat)) as string[];
  assert.is(Number(find("market potential internet factor", "lmp")[6]), 0);
  assert.is(Number(find("rolling SD divisor", "Table 3")[6]), 0);
  assert.ok(Number(find("market potential internet factor", "hmp")[6]) !== 0);
  const { wins } = await built;
  const m = feols(subsetPanel(wins.panel, "in_base", 1), `resi ~ vagg + ${RS_CONTROLS.join(" + ")} | city + year`, {
    vcov: { cluster: ["city"] },
  });
  assert.is(find("location quotient", "Table 3")[4], (m.coef.vagg as number).toFixed(4));
});

test("sample rule: leading/trailing gaps drop rows by reason, interior gaps are interpolated; winsorisation within the samples", async () => {
  const d2 = fs.mkdtempSync(path.join(os.tmpdir(), "rs-sample-"));
  try {
    for (const n of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, n), path.join(d2, n));
    const file = path.join(d2, "city_yearbook.csv");
    const lines = fs.readFileSync(file, "utf8").trim().split("\n");
    const head = (lines[0] as string).split(",");
    const ci = (n: string) => head.indexOf(n);
    const codes = [...new Set(lines.slice(1).map((l) => Number(l.split(",")[0])))].sort((a, b) => a - b);
    const [cA, cB, cC, cD] = codes as [number, number, number, number];
    // cA: road_freight missing from its first year through 2009 (leading: 2 analysis rows lost)
    // cB: students missing 2018–2019 (trailing: 2) and road_freight missing 2012 only (interior: interpolated, no loss)
    // cC: capital missing 2017–2019 (trailing: 3 rows leave the Table 5 sample only)
    // cD: internet_users missing 2019 (trailing: 1 row leaves the Table 6 sample only)
    const blank = (c: number, col: string, keep: (y: number) => boolean) => {
      for (let k = 1; k < lines.length; k++) {
        const f = (lines[k] as string).split(",");
        if (Number(f[0]) === c && !keep(Number(f[1]))) {
          f[ci(col)] = "";
          lines[k] = f.join(",");
        }
      }
    };
    blank(cA, "road_freight", (y) => y > 2009);
    blank(cB, "students", (y) => y < 2018);
    blank(cB, "road_freight", (y) => y !== 2012);
    blank(cC, "capital", (y) => y < 2017);
    blank(cD, "internet_users", (y) => y < 2019);
    fs.writeFileSync(file, lines.join("\n") + "\n");
    const rs = await buildResiliencePanel(d2);
    const R = rs.panel.nrows;
    assert.is(rs.info.nBaseline, R - 4);
    assert.is(rs.info.nTable5, R - 4 - 3);
    assert.is(rs.info.nTable6, R - 4 - 1);
    const samp = toRecords(rs.sample);
    assert.is(samp.find((r) => r.reason === "fre missing")?.dropped, 2);
    assert.is(samp.find((r) => r.reason === "edu missing")?.dropped, 2);
    assert.is(samp.find((r) => r.sample === "Table 5 (in_mis)" && r.reason === "dist missing")?.dropped, 3);
    assert.is(samp.find((r) => r.sample === "Table 6 (in_mp)" && r.reason === "mp missing")?.dropped, 1);
    const inB = numeric(rs.panel, "in_base"),
      inM = numeric(rs.panel, "in_mis"),
      inP = numeric(rs.panel, "in_mp");
    assert.is(
      inB.reduce((a, v) => a + v, 0),
      rs.info.nBaseline,
    );
    for (let i = 0; i < R; i++) assert.ok(inM[i]! <= inB[i]! && inP[i]! <= inB[i]!);
    // the regressions on the samples have the sample's N
    const base = subsetPanel(rs.panel, "in_base", 1);
    assert.is(feols(base, `resi ~ vagg + ${RS_CONTROLS.join(" + ")} | city + year`).nobs, rs.info.nBaseline);
    assert.is(feols(subsetPanel(rs.panel, "in_mp", 1), `hmp ~ vagg + ${RS_CONTROLS.join(" + ")} | city + year`).nobs, rs.info.nTable6);
    const ms = rsMeasureSummary(rs).body.map((r) => r.cells.map((c) => c.text));
    assert.is(ms.find((r) => r[0] === "vagg")?.[2], (rs.info.nBaseline as number).toLocaleString("en-US"));
    assert.is(ms.find((r) => r[0] === "hmp")?.[2], (rs.info.nTable6 as number).toLocaleString("en-US"));
    assert.is(ms.find((r) => r[0] === "dist")?.[2], (rs.info.nTable5 as number).toLocaleString("en-US"));
    // winsorisation bounds come from the baseline sample: resi of the baseline rows lies within its own 1 %/99 % range,
    // and rows outside the baseline keep their raw values
    const raw2 = await buildResiliencePanel(d2, { winsorize: false });
    const r0 = numeric(raw2.panel, "resi"),
      r1 = numeric(rs.panel, "resi");
    for (let i = 0; i < R; i++)
      if (inB[i] === 0) assert.ok(Object.is(r0[i], r1[i]) || r0[i] === r1[i], `row ${i} outside the baseline changed`);
    const fre = numeric(rs.panel, "fre");
    const c = column(rs.panel, "city") as Int32Array,
      y = column(rs.panel, "year") as Int32Array;
    for (let i = 0; i < R; i++) if (c[i] === cB && y[i] === 2012) assert.ok(Number.isFinite(fre[i] as number), "interior gap interpolated");
  } finally {
    fs.rmSync(d2, { recursive: true, force: true });
  }
});

test.after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});
test.run();
