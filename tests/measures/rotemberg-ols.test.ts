import { test } from "uvu";
import * as assert from "uvu/assert";
import { fromRecords, numeric, table, withColumns } from "../../lib/data/table";
import { feols } from "../../lib/estimators/feols";
import { rng } from "../../lib/util/rng";
import { rotembergWeights } from "../../lib/measures/rotemberg";
import { rotembergOls, rotembergByIndustry, rotembergOlsSummary } from "../../lib/measures/rotemberg-ols";

// Tolerances
// IDENTITY: Σα = 1 and Σαβ = β̂_OLS are algebraic identities; with the exact (direct) FE
//   projection at this size they hold to rounding — allow 1e-9 (relative to β ~ 0.3).
// DENSE: α_k, β_k against the dense GPSS computation (`rotembergWeights` with FE dummies as
//   controls, residualised by QR of the full design): 1e-8 relative — two different solvers.
const IDENTITY = 1e-9;
const DENSE = 1e-8;

const IND = ["a", "b", "c"];
const YEARS = [2005, 2006, 2007, 2008];

/** 12 cities × 4 industries of shares, shifts per industry-year, 5 products per city-year; y = 0.3 x + FE + control + noise. */
function simulate(seed: number) {
  const r = rng(seed);
  const shares: { city: number; ind: string; share: number }[] = [];
  const shareOf = new Map<string, number>();
  for (let c = 0; c < 12; c++) {
    const w = IND.map(() => Math.exp(r.normal()));
    const s = w.reduce((a, b) => a + b, 0);
    IND.forEach((k, j) => {
      shares.push({ city: c, ind: k, share: (w[j] as number) / s });
      shareOf.set(`${c}|${k}`, (w[j] as number) / s);
    });
  }
  const shifts: { ind: string; year: number; shift: number }[] = [];
  const g = new Map<string, number>();
  for (const k of IND)
    for (const y of YEARS) {
      const v = 0.5 + 0.1 * r.normal() + 0.05 * (y - 2005);
      shifts.push({ ind: k, year: y, shift: v });
      g.set(`${k}|${y}`, v);
    }
  const rows: Record<string, number | string>[] = [];
  const feC = Array.from({ length: 12 }, () => r.normal(0, 0.1));
  for (let c = 0; c < 12; c++)
    for (const y of YEARS)
      for (let h = 0; h < 5; h++) {
        let x = 0;
        for (const k of IND) x += (shareOf.get(`${c}|${k}`) as number) * (g.get(`${k}|${y}`) as number);
        const ctrl = r.normal();
        rows.push({
          city: c,
          year: y,
          hs4: `h${h}`,
          vagg: x,
          z1: ctrl,
          quality: 0.3 * x + 0.1 * ctrl + (feC[c] as number) + 0.02 * h + r.normal(0, 0.05),
        });
      }
  return { panel: fromRecords(rows), shares: fromRecords(shares), shifts: fromRecords(shifts) };
}

test("rotembergOls: Σα = 1 and Σαβ = the feols coefficient (FE + controls, FE only, controls only)", () => {
  const { panel, shares, shifts } = simulate(1);
  for (const spec of [
    { controls: ["z1"], fe: ["city", "year", "hs4"] },
    { controls: [], fe: ["city", "year"] },
    { controls: ["z1"], fe: [] },
  ]) {
    const res = rotembergOls({ data: panel, y: "quality", x: "vagg", ...spec, unit: "city", time: "year", shares, shifts });
    const fml = `quality ~ vagg${spec.controls.length ? " + z1" : ""}${spec.fe.length ? " | " + spec.fe.join(" + ") : ""}`;
    const b = feols(panel, fml).coef["vagg"] as number;
    assert.ok(Math.abs(res.sumAlpha - 1) < IDENTITY, `Σα = ${res.sumAlpha}`);
    assert.ok(Math.abs(res.betaDecomposed - b) < IDENTITY, `${fml}: Σαβ = ${res.betaDecomposed}, feols ${b}`);
    assert.is(res.betaOls, b);
    assert.is(res.rows.length, IND.length * YEARS.length);
    assert.ok(res.maxAbsBartikGap < 1e-12);
  }
});

test("rotembergOls: a control constant within city up to rounding (collinear with the city FE) is dropped as feols drops it; Σαβ = β̂ still", () => {
  const { panel, shares, shifts } = simulate(3);
  const city = numeric(panel, "city");
  // constant within city up to file rounding (±1e-10), as RS's log population density in the synthetic files
  const wiggle = rng(4);
  const p2 = withColumns(panel, { zc: Float64Array.from(city, (c) => Math.log(2 + c) + 1e-10 * wiggle.normal()) });
  const res = rotembergOls({
    data: p2,
    y: "quality",
    x: "vagg",
    controls: ["z1", "zc"],
    fe: ["city", "year"],
    unit: "city",
    time: "year",
    shares,
    shifts,
  });
  const m = feols(p2, "quality ~ vagg + z1 + zc | city + year");
  assert.equal(m.collinear, ["zc"]);
  assert.ok(Math.abs(res.betaDecomposed - res.betaOls) < IDENTITY, `Σαβ = ${res.betaDecomposed}, feols ${res.betaOls}`);
});

test("rotembergOls: α_k and β_k equal the dense GPSS computation with FE dummies as controls", () => {
  const { panel, shares, shifts } = simulate(2);
  const res = rotembergOls({
    data: panel,
    y: "quality",
    x: "vagg",
    controls: ["z1"],
    fe: ["city", "year"],
    unit: "city",
    time: "year",
    shares,
    shifts,
  });
  const n = panel.nrows;
  const city = numeric(panel, "city"),
    year = numeric(panel, "year");
  const shareOf = new Map<string, number>();
  const sc = numeric(shares, "city"),
    ss = numeric(shares, "share"),
    si = shares.columns["ind"] as string[];
  for (let i = 0; i < shares.nrows; i++) shareOf.set(`${sc[i]}|${si[i]}`, ss[i] as number);
  const Z: Float64Array[] = [],
    G: number[] = [];
  for (const y of YEARS)
    for (const k of IND) {
      Z.push(Float64Array.from({ length: n }, (_, i) => (year[i] === y ? (shareOf.get(`${city[i]}|${k}`) as number) : 0)));
      G.push((shifts.columns["shift"] as Float64Array)[IND.indexOf(k) * YEARS.length + YEARS.indexOf(y)] as number);
    }
  const dummies: Float64Array[] = [];
  for (let c = 1; c < 12; c++) dummies.push(Float64Array.from({ length: n }, (_, i) => (city[i] === c ? 1 : 0)));
  for (const y of YEARS.slice(1)) dummies.push(Float64Array.from({ length: n }, (_, i) => (year[i] === y ? 1 : 0)));
  const dense = rotembergWeights({
    y: numeric(panel, "quality"),
    x: numeric(panel, "vagg"),
    Z,
    G: Float64Array.from(G),
    controls: [numeric(panel, "z1"), ...dummies],
  });
  res.rows.forEach((r, k) => {
    assert.ok(
      Math.abs(r.alpha - (dense.alpha[k] as number)) < DENSE * Math.max(1, Math.abs(r.alpha)),
      `α ${r.year}/${r.ind}: ${r.alpha} vs ${dense.alpha[k]}`,
    );
    assert.ok(
      Math.abs(r.beta - (dense.beta[k] as number)) < DENSE * Math.max(1, Math.abs(r.beta)),
      `β ${r.year}/${r.ind}: ${r.beta} vs ${dense.beta[k]}`,
    );
    assert.ok(Number.isNaN(r.F) && Number.isNaN(r.pi));
  });
  assert.ok(Math.abs(res.betaDecomposed - dense.betaBartik) < DENSE);
});

test("rotembergOls: x that is not the Bartik sum is an error naming the row", () => {
  const { panel, shares, shifts } = simulate(3);
  const v = Float64Array.from(numeric(panel, "vagg"));
  v[7] = (v[7] as number) + 0.01;
  const bad = table({ ...panel.columns, vagg: v } as never);
  assert.throws(
    () => rotembergOls({ data: bad, y: "quality", x: "vagg", fe: ["city"], unit: "city", time: "year", shares, shifts }),
    /not the Bartik sum.*row 8/,
  );
});

test("rotembergByIndustry and rotembergOlsSummary: sums over years, α-weighted β, names", () => {
  const { panel, shares, shifts } = simulate(4);
  const res = rotembergOls({
    data: panel,
    y: "quality",
    x: "vagg",
    controls: ["z1"],
    fe: ["city", "year", "hs4"],
    unit: "city",
    time: "year",
    shares,
    shifts,
  });
  const t = rotembergByIndustry(res.rows, { names: new Map([["a", "Alpha industry"]]) });
  assert.is(t.nrows, 3);
  const alpha = numeric(t, "alpha");
  assert.ok(Math.abs(alpha.reduce((a, b) => a + b, 0) - 1) < IDENTITY);
  for (let i = 1; i < t.nrows; i++) assert.ok((alpha[i - 1] as number) >= (alpha[i] as number));
  const contrib = numeric(t, "contribution");
  assert.ok(Math.abs(contrib.reduce((a, b) => a + b, 0) - res.betaDecomposed) < IDENTITY);
  const ia = (t.columns["ind"] as string[]).indexOf("a");
  assert.is((t.columns["name"] as string[])[ia], "Alpha industry");
  const byA = res.rows.filter((r) => r.ind === "a");
  const aA = byA.reduce((s, r) => s + r.alpha, 0);
  assert.ok(Math.abs((numeric(t, "beta")[ia] as number) - byA.reduce((s, r) => s + r.alpha * r.beta, 0) / aA) < 1e-12);
  const s = rotembergOlsSummary(res);
  assert.is((s.columns["statistic"] as string[])[0], "β̂ (OLS on vagg, feols)");
  assert.is(numeric(s, "value")[0], res.betaOls);
});

test.run();
