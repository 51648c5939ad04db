import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../../lib/synth";
import { eqTrueOutcome } from "../../../lib/papers/eq/true-outcome";
import { column, numeric, table, toRecords } from "../../../lib/data/table";
import { feols } from "../../../lib/estimators/feols";
import { buildQualityPanel, EQ_CONTROLS } from "../../../lib/papers/eq/panel";
import { melitzPolanec } from "../../../lib/measures/melitz-polanec";
import {
  mechanismPanel,
  mechanismFormula,
  mechanismTruth,
  decompositionByYear,
  decompositionChart,
  mechanismPoints,
  additivityCheck,
  MP_COMPONENTS,
} from "../../../lib/papers/eq/mechanism";

// Tolerances: ID 1e-12 — the decomposition identity and the cell quality are sums of at most a
// few hundred terms in [0, 1]; OLS 1e-8 — additivity of OLS coefficients across outcomes on one
// sample, limited by the FE solver's convergence.
const ID = 1e-12,
  OLS = 1e-8;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-mech-"));
const built = (async () => {
  await generate({ scale: "small", seed: 20220707, outDir: dir });
  const eq = await buildQualityPanel(dir);
  return { eq, mp: mechanismPanel(eq) };
})();

test("mechanismPanel: phi of each cell-year is the cell quality (21); total = ΔQuality; identity holds", async () => {
  const { eq, mp } = await built;
  const p = eq.panel,
    c = numeric(p, "city"),
    h = column(p, "hs4"),
    y = numeric(p, "year"),
    q = numeric(p, "quality");
  const Q = new Map<string, number>();
  for (let i = 0; i < p.nrows; i++) Q.set(`${c[i]}|${h[i]}|${y[i]}`, q[i] as number);
  const d = mp.panel,
    dc = numeric(d, "city"),
    dh = column(d, "hs4"),
    dy = numeric(d, "year"),
    t0 = numeric(d, "t0");
  const phi0 = numeric(d, "phi0"),
    phi1 = numeric(d, "phi1"),
    tot = numeric(d, "total");
  assert.ok(d.nrows > 100);
  for (let i = 0; i < d.nrows; i++) {
    assert.is(t0[i], (dy[i] as number) - 1);
    const a = Q.get(`${dc[i]}|${dh[i]}|${t0[i]}`),
      b = Q.get(`${dc[i]}|${dh[i]}|${dy[i]}`);
    assert.ok(a !== undefined && b !== undefined);
    assert.ok(Math.abs((phi0[i] as number) - (a as number)) < ID && Math.abs((phi1[i] as number) - (b as number)) < ID);
    assert.ok(Math.abs((tot[i] as number) - ((b as number) - (a as number))) < ID);
  }
  assert.ok(mp.report.maxAddUpError < ID);
  assert.is(mp.report.missingCovariates, 0);
  assert.is(mp.report.item, "variety");
  // gap = between + entry + exit, and NaN exactly when there are no survivors
  const ns = numeric(d, "n_s"),
    gap = numeric(d, "gap"),
    b = numeric(d, "between"),
    e = numeric(d, "entry"),
    x = numeric(d, "exit");
  let nan = 0;
  for (let i = 0; i < d.nrows; i++) {
    if (ns[i] === 0) {
      assert.ok(Number.isNaN(gap[i] as number));
      nan++;
      continue;
    }
    assert.ok(Math.abs((gap[i] as number) - ((b[i] as number) + (e[i] as number) + (x[i] as number))) < ID);
  }
  assert.is(nan, mp.report.noSurvivorPairs);
});

test("mechanismPanel: covariates of year t attached; items are firm × HS6 varieties", async () => {
  const { eq, mp } = await built;
  const cy = eq.cityYear,
    cc = numeric(cy, "city"),
    cyy = numeric(cy, "year"),
    cv = numeric(cy, "vagg");
  const V = new Map<string, number>();
  for (let i = 0; i < cy.nrows; i++) V.set(`${cc[i]}|${cyy[i]}`, cv[i] as number);
  const d = mp.panel,
    dc = numeric(d, "city"),
    dy = numeric(d, "year"),
    dv = numeric(d, "vagg");
  for (let i = 0; i < d.nrows; i++) assert.is(dv[i], V.get(`${dc[i]}|${dy[i]}`));
  for (const n of EQ_CONTROLS) assert.ok(d.names.includes(n));
  // the variety count of a cell-year pair equals survivors + entrants (t) and survivors + exiters (t − 1)
  const f = eq.firm,
    fc = numeric(f, "city"),
    fh = column(f, "hs4"),
    fy = numeric(f, "year");
  const cnt = new Map<string, number>();
  for (let i = 0; i < f.nrows; i++) {
    const k = `${fc[i]}|${fh[i]}|${fy[i]}`;
    cnt.set(k, (cnt.get(k) ?? 0) + 1);
  }
  const dh = column(d, "hs4"),
    ns = numeric(d, "n_s"),
    ne = numeric(d, "n_e"),
    nx = numeric(d, "n_x");
  for (let i = 0; i < d.nrows; i++) {
    assert.is((ns[i] as number) + (ne[i] as number), cnt.get(`${dc[i]}|${dh[i]}|${dy[i]}`));
    assert.is((ns[i] as number) + (nx[i] as number), cnt.get(`${dc[i]}|${dh[i]}|${(dy[i] as number) - 1}`));
  }
  const h6 = mechanismPanel(eq, { item: "hs6" });
  assert.is(h6.report.item, "hs6");
  assert.ok(h6.report.maxAddUpError < ID);
  assert.throws(() => mechanismPanel(eq, { item: "firm" as never }), /item must be/);
});

test("mechanismPanel agrees with melitzPolanec on the documented toy example", () => {
  // melitz-polanec.ts example: total .25 = within .1 + between −.025 + entry .075 + exit .1
  const t = table({
    city: [1, 1, 1, 1, 1, 1],
    item: ["a", "b", "c", "a", "b", "d"],
    year: [1, 1, 1, 2, 2, 2],
    v: [2, 1, 1, 3, 1, 2],
    q: [0.5, 0.8, 0.2, 0.6, 0.9, 0.9],
  });
  const r = toRecords(melitzPolanec(t, { group: "city", item: "item", time: "year", value: "v", quality: "q" }).table)[0] as {
    total: number;
    within: number;
    between: number;
    entry: number;
    exit: number;
  };
  assert.ok(
    Math.abs(r.total - 0.25) < ID &&
      Math.abs(r.within - 0.1) < ID &&
      Math.abs(r.between + 0.025) < ID &&
      Math.abs(r.entry - 0.075) < ID &&
      Math.abs(r.exit - 0.1) < ID,
  );
});

test("Table 7 regressions: coefficients add up on the common sample; points, chart, truth", async () => {
  const { mp } = await built;
  const tab = additivityCheck(mp.panel, "iid");
  const s = JSON.stringify(tab);
  assert.ok(s.includes("0.000000"), "sum − total printed as 0");
  // direct check
  const keep = (i: number) => MP_COMPONENTS.every((c) => Number.isFinite(numeric(mp.panel, c)[i] as number));
  const idx: number[] = [];
  for (let i = 0; i < mp.panel.nrows; i++) if (keep(i)) idx.push(i);
  const sub = table(
    Object.fromEntries(
      mp.panel.names.map((n) => {
        const c = mp.panel.columns[n];
        return [
          n,
          c instanceof Float64Array || c instanceof Int32Array
            ? Float64Array.from(idx, (i) => c[i] as number)
            : idx.map((i) => (c as readonly (string | null)[])[i] ?? null),
        ];
      }),
    ),
  );
  const b = Object.fromEntries(MP_COMPONENTS.map((c) => [c, feols(sub, mechanismFormula(c)).coef["vagg"] as number])) as Record<
    (typeof MP_COMPONENTS)[number],
    number
  >;
  assert.ok(Math.abs(b.within + b.between + b.entry + b.exit - b.total) < OLS);
  assert.ok(Math.abs(b.between + b.entry + b.exit - b.gap) < OLS);
  const models = Object.fromEntries(
    MP_COMPONENTS.map((c) => [c, feols(mp.panel, mechanismFormula(c), { vcov: { cluster: ["city^hs4"] } })]),
  );
  const pts = mechanismPoints(models);
  assert.is(pts.length, 6);
  assert.is(pts[2]?.published, 0.4822);
  for (const p of pts) assert.ok(p.lo < p.estimate && p.estimate < p.hi);
  const by = decompositionByYear(mp.panel);
  const yrs = new Set(Array.from(numeric(by, "year")));
  assert.ok(yrs.size >= 5);
  const spec = decompositionChart(by);
  assert.ok(String(spec.$schema).includes("vega-lite"));
  // yearly means: parts add up to the total
  const rec = toRecords(by) as { year: number; component: string; value: number }[];
  for (const y of yrs) {
    const v = (c: string) => (rec.find((r) => r.year === y && r.component === c) as { value: number }).value;
    assert.ok(Math.abs(v("within") + v("between") + v("entry") + v("exit") - v("total")) < 1e-12);
  }
  const tr = mechanismTruth(mp, dir);
  const written = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8")).realised.eq.table7;
  assert.ok(tr && tr.source === "realised" && tr.total === written.total);
  for (const c of ["within", "between", "entry", "exit", "total", "gap"] as const) assert.is(tr!.components[c], written[c], c);
  // an older folder without realised.eq.table7: the total alone, as the projection of β·Δvagg
  const old = fs.mkdtempSync(path.join(os.tmpdir(), "eq-mech-old-"));
  const j = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8"));
  delete j.realised.eq.table7;
  fs.writeFileSync(path.join(old, "truth.json"), JSON.stringify(j));
  const tp = mechanismTruth(mp, old);
  assert.ok(tp && tp.source === "projection" && Number.isFinite(tp.total) && tp.components.entry === null);
  assert.is(mechanismTruth(mp, fs.mkdtempSync(path.join(os.tmpdir(), "eq-mech-none-"))), null);
  // with the true-outcome panels: the same decomposition on the true qualities of the same varieties (same pairs)
  const { eq } = await built;
  const tq = (await eqTrueOutcome(eq, dir))!;
  const ts = mechanismTruth(mp, dir, tq)!;
  assert.is(ts.source, "same-sample");
  const mpTrue = mechanismPanel(tq.trueQualityPanel);
  assert.is(mpTrue.panel.nrows, mp.panel.nrows);
  assert.is(ts.components.entry, feols(mpTrue.panel, mechanismFormula("entry"), { vcov: "iid" }).coef["vagg"]);
  // same rows: the component truths add up like the components on the common sample
  assert.ok(
    Math.abs((ts.components.between as number) + (ts.components.entry as number) + (ts.components.exit as number) - ts.components.gap!) <
      1e-10,
  );
});

test.run();
