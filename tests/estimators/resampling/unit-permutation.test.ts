import { test } from "uvu";
import * as assert from "uvu/assert";
import { table, numeric, type Table } from "../../../lib/data/table";
import { rng } from "../../../lib/util/rng";
import { feols } from "../../../lib/estimators/feols";
import { unitInteractionPermutation, type UnitPermutationResult } from "../../../lib/estimators/resampling/unit-permutation";
import { prepareFwl, fwlFit, fullRefit } from "../../../lib/estimators/resampling/fwl";
import { prepareUnitInteraction, unitInteractionFit } from "../../../lib/estimators/resampling/unit-interaction-fast";
import { factorize } from "../../../lib/core/fixed-effects/factorize";
import { rel } from "./helpers";

// The fast engine of the unit-level interaction permutation re-derives every draw's residual
// regressor from unit sums and cell values instead of demeaning the new column; it must give the
// draws of the per-draw FWL fit ("fwl", the previous engine) and of a full re-estimate ("refit")
// up to rounding. Tolerance: relative 1e-9 on coefficients and t — the three engines sum the same
// quantities in different orders (unit sums, cells, clusters), so they agree to ~1e-13 on these
// well-conditioned designs; 1e-9 leaves room for the conditioning of the controls, not for any
// approximation. The p-values count |draw| ≥ |observed| with a 1e-10 relative tie margin, so they
// must be equal.

/**
 * A city × product × year panel shaped like the EQ Table 6 design: the slope s and the controls
 * z1, z2 vary by city-year only, the indicator ind is a city attribute, clusters city^prod.
 */
function cityPanel(seed: number, nCity = 24, nYear = 7, nProd = 15): Table {
  const r = rng(seed);
  const city: number[] = [],
    year: number[] = [],
    prod: number[] = [];
  for (let c = 0; c < nCity; c++)
    for (let p = 0; p < nProd; p++)
      for (let t = 0; t < nYear; t++) {
        if (r.uniform() < 0.15) continue;
        city.push(c);
        prod.push((c * 5 + p) % (nProd + 4));
        year.push(2001 + t);
      }
  const n = city.length;
  const sCy = Array.from({ length: nCity * nYear }, () => 1 + r.normal());
  const z1Cy = Array.from({ length: nCity * nYear }, () => r.normal());
  const z2Cy = Array.from({ length: nCity * nYear }, (_, i) => 0.4 * (sCy[i] as number) + r.normal());
  const ind = Array.from({ length: nCity }, (_, c) => (c % 3 === 0 ? 1 : 0));
  const ac = Array.from({ length: nCity }, () => r.normal());
  const ap = Array.from({ length: nProd + 4 }, () => r.normal());
  const shock = new Map<string, number>();
  const cols = {
    y: new Float64Array(n),
    s: new Float64Array(n),
    z1: new Float64Array(n),
    z2: new Float64Array(n),
    xr: new Float64Array(n),
    ind: new Float64Array(n),
    bad: new Float64Array(n),
    city: Float64Array.from(city),
    year: Float64Array.from(year),
    prod: Float64Array.from(prod),
  };
  for (let i = 0; i < n; i++) {
    const c = city[i] as number,
      t = (year[i] as number) - 2001,
      p = prod[i] as number;
    const cy = c * nYear + t;
    const key = `${c}^${p}`;
    if (!shock.has(key)) shock.set(key, r.normal(0, 0.6));
    cols.s[i] = sCy[cy] as number;
    cols.z1[i] = z1Cy[cy] as number;
    cols.z2[i] = z2Cy[cy] as number;
    cols.xr[i] = r.normal();
    cols.ind[i] = ind[c] as number;
    cols.bad[i] = c === 5 && t === 3 ? 2 : (ind[c] as number);
    cols.y[i] =
      0.5 * (cols.s[i] as number) +
      0.2 * (cols.s[i] as number) * (ind[c] as number) +
      0.3 * (cols.z1[i] as number) +
      (ac[c] as number) +
      (ap[p] as number) +
      0.1 * t +
      (shock.get(key) as number) +
      r.normal();
  }
  return table(cols);
}

const data = cityPanel(3);
const opts = { slope: "s", indicator: "ind", unit: "city", reps: 60, seed: 11 } as const;

function assertSameDraws(a: UnitPermutationResult, b: UnitPermutationResult, what: string): void {
  assert.is(a.reps, b.reps, `${what}: reps`);
  for (let r = 0; r < a.reps; r++) {
    assert.ok(rel(a.draws[r] as number, b.draws[r] as number) < 1e-9, `${what}: coef of draw ${r}: ${a.draws[r]} vs ${b.draws[r]}`);
    assert.ok(rel(a.tDraws[r] as number, b.tDraws[r] as number) < 1e-9, `${what}: t of draw ${r}: ${a.tDraws[r]} vs ${b.tDraws[r]}`);
  }
  assert.is(a.pValue, b.pValue, `${what}: p on |b|`);
  assert.is(a.pValueT, b.pValueT, `${what}: p on |t|`);
  assert.is(a.coef, b.coef, `${what}: observed coef`);
}

for (const [fe, vcov] of [
  ["city + year + prod", "cluster:city^prod"],
  ["city + year + prod", "iid"],
  ["city + year + prod", "cluster:city"],
  ["city + prod", "cluster:city^prod"],
  ["year + prod", "cluster:city^prod"],
  ["city + year", "cluster:city"],
  ["city + prod^year", "cluster:city^prod"],
  ["city + year + prod + prod^year", "hetero"],
] as const) {
  test(`fast = fwl = refit, draw by draw (${fe}; ${vcov})`, async () => {
    const f = `y ~ s + s:ind + z1 + z2 | ${fe}`;
    const o = { ...opts, vcov };
    const fast = await unitInteractionPermutation(data, f, { ...o, engine: "fast" });
    const fwl = await unitInteractionPermutation(data, f, { ...o, engine: "fwl" });
    const refit = await unitInteractionPermutation(data, f, { ...o, engine: "refit" });
    // heteroskedasticity-robust SEs are not in the fast path: it falls back to the FWL fit
    assert.is(fast.engine, vcov === "hetero" ? "fwl" : "fast");
    assert.is(fwl.engine, "fwl");
    assert.is(refit.engine, "refit");
    assertSameDraws(fast, fwl, "fast vs fwl");
    assertSameDraws(fast, refit, "fast vs refit");
    // the draws vary (a test that compares constants could not fail)
    assert.ok(fast.drawsSd > 0);
  });
}

test("the observed coefficient and t are feols' on the original formula", async () => {
  const f = "y ~ s + s:ind + z1 + z2 | city + year + prod";
  const r = await unitInteractionPermutation(data, f, { ...opts, vcov: "cluster:city^prod" });
  const m = feols(data, f, { vcov: { cluster: ["city^prod"] } });
  assert.ok(rel(r.coef, m.coef["s:ind"] as number) < 1e-9);
  assert.ok(rel(r.se, m.se["s:ind"] as number) < 1e-9);
  assert.is(r.units, 24);
  assert.is(r.treatedUnits, 8);
});

test("unitInteractionFit with the observed labels reproduces the observed fit; other labels = fullRefit", () => {
  const sv = numeric(data, "s"),
    dv = numeric(data, "ind");
  const t2 = table({
    ...Object.fromEntries(data.names.map((nm) => [nm, numeric(data, nm)])),
    sd: Float64Array.from(sv, (v, i) => v * (dv[i] as number)),
  });
  const m = prepareFwl(t2, "y ~ s + sd + z1 + z2 | city + year + prod", "sd", { vcov: "cluster:city^prod" });
  const rows = m.frame.rows;
  const s = Float64Array.from(rows, (i) => sv[i] as number);
  const unit = factorize(Float64Array.from(rows, (i) => numeric(data, "city")[i] as number));
  const plan = prepareUnitInteraction(m, s, unit);
  assert.ok(plan, "the fast path applies to a city-year slope and controls");
  const labels = new Float64Array(unit.size);
  for (let i = 0; i < m.n; i++) labels[unit.codes[i] as number] = dv[rows[i] as number] as number;
  const f0 = unitInteractionFit(plan!, labels);
  assert.ok(rel(f0.coef, m.actual.coef) < 1e-9 && rel(f0.se, m.actual.se) < 1e-9);
  assert.ok(plan!.unitAlpha, "per-unit fixed-effect coefficients kept");
  assert.equal(plan!.foldLev.length, 2, "city and year folded into the city × year cells");
  assert.ok(plan!.clFe, "prod read once per city × prod cluster");
  // without the per-unit table (one fixed-effect solve per draw): the same fit
  const solvePlan = prepareUnitInteraction(m, s, unit, 0);
  assert.is(solvePlan!.unitAlpha, null);
  const f1 = unitInteractionFit(solvePlan!, labels);
  assert.ok(rel(f1.coef, f0.coef) < 1e-9 && rel(f1.se, f0.se) < 1e-9);
  // non-binary labels too: the algebra is linear in D
  const D = Float64Array.from({ length: unit.size }, (_, u) => ((u * 7) % 5) - 1.5);
  const x = Float64Array.from({ length: m.n }, (_, i) => (s[i] as number) * (D[unit.codes[i] as number] as number));
  const ref = fullRefit(m, x),
    mid = fwlFit(m, x),
    got = unitInteractionFit(plan!, D),
    got1 = unitInteractionFit(solvePlan!, D);
  for (const [a, b] of [
    [got.coef, ref.coef],
    [got.se, ref.se],
    [got.coef, mid.coef],
    [got.t, mid.t],
    [got1.coef, ref.coef],
    [got1.se, ref.se],
  ] as const)
    assert.ok(rel(a, b) < 1e-9, `${a} vs ${b}`);
});

test("fast falls back to the FWL fit when a control varies by row (no cells to compress), same draws", async () => {
  const f = "y ~ s + s:ind + z1 + xr | city + year + prod";
  const a = await unitInteractionPermutation(data, f, { ...opts, vcov: "cluster:city^prod" });
  const b = await unitInteractionPermutation(data, f, { ...opts, vcov: "cluster:city^prod", engine: "refit" });
  assert.is(a.engine, "fwl");
  assertSameDraws(a, b, "fallback vs refit");
});

test("bad input: indicator not 0/1, indicator varying within a unit, unknown engine", async () => {
  const f = "y ~ s + s:bad + z1 | city + year + prod";
  try {
    await unitInteractionPermutation(data, f, { ...opts, indicator: "bad" });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /must be 0\/1, found 2/);
  }
  const d2 = table({
    ...Object.fromEntries(data.names.map((nm) => [nm, numeric(data, nm)])),
    v: Float64Array.from(numeric(data, "year"), (t) => (t > 2004 ? 1 : 0)),
  });
  try {
    await unitInteractionPermutation(d2, "y ~ s + s:v | city + year", { ...opts, indicator: "v" });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /varies within a level of "city"/);
  }
  try {
    await unitInteractionPermutation(data, "y ~ s + s:ind | city", { ...opts, engine: "slow" as never });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /engine must be/);
  }
});

test.run();
