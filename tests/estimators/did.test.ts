import { test } from "uvu";
import * as assert from "uvu/assert";
import { table, withColumns } from "../../lib/data/table";
import { DataError, ArgumentError } from "../../lib/util/errors";
import { rng } from "../../lib/util/rng";
import { feols } from "../../lib/estimators/feols";
import { treatmentIndicator, eventTimeDummies, did, eventStudy } from "../../lib/estimators/did";

// Tolerances
// SAME: 1e-12 relative — did() must call feols on the same design; identical arithmetic up to column order.
const SAME = 1e-12;
// EXACT_DGP: 1e-8 — noise-free outcome: TWFE/event-study coefficients equal the true effects up to
//   the demeaning tolerance of feols' alternating projections.
const EXACT_DGP = 1e-8;
const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

// 3 cities x 4 years: A adopts 2011, B adopts 2013, C never
const small = table({
  city: ["A", "A", "A", "A", "B", "B", "B", "B", "C", "C", "C", "C"],
  year: [2010, 2011, 2012, 2013, 2010, 2011, 2012, 2013, 2010, 2011, 2012, 2013],
  adopt: [2011, 2011, 2011, 2011, 2013, 2013, 2013, 2013, NaN, NaN, NaN, NaN],
});

test("treatment indicator for staggered adoption, by hand", () => {
  const r = treatmentIndicator(small, { unit: "city", time: "year", adoption: "adopt" });
  assert.equal(Array.from(r.treated), [0, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.equal(Array.from(r.ever), [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  const rec = treatmentIndicator(small, { unit: "city", time: "year", adoption: { A: 2011, B: 2013 } });
  assert.equal(Array.from(rec.treated), Array.from(r.treated));
});

test("event-time dummies with binned end points and reference -1, by hand", () => {
  // event time A: -1, 0, 1, 2 ; B: -3, -2, -1, 0 ; window [-2, 1]: bins e <= -2 -> et_m2, e >= 1 -> et_p1
  const d = eventTimeDummies(small, { unit: "city", time: "year", adoption: "adopt", window: [-2, 1] });
  assert.equal(d.names, ["et_m2", "et_p0", "et_p1"]);
  assert.equal(Array.from(d.columns.et_m2 as Float64Array), [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]);
  assert.equal(Array.from(d.columns.et_p0 as Float64Array), [0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.equal(Array.from(d.columns.et_p1 as Float64Array), [0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
  const nb = eventTimeDummies(small, { unit: "city", time: "year", adoption: "adopt", window: [-2, 1], bin: false });
  assert.equal(Array.from(nb.columns.et_p1 as Float64Array), [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.equal(Array.from(nb.columns.et_m2 as Float64Array), [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
});

test("DID bad input", () => {
  const bad = withColumns(small, { adopt: Float64Array.of(2011, 2012, 2011, 2011, 2013, 2013, 2013, 2013, NaN, NaN, NaN, NaN) });
  assert.throws(
    () => treatmentIndicator(bad, { unit: "city", time: "year", adoption: "adopt" }),
    (e: unknown) => e instanceof DataError && /row 2/.test((e as Error).message),
  );
  assert.throws(
    () => treatmentIndicator(small, { unit: "city", time: "yr", adoption: "adopt" }),
    (e: unknown) => e instanceof DataError && /column "yr"/.test((e as Error).message),
  );
  assert.throws(
    () => eventTimeDummies(small, { unit: "city", time: "year", adoption: "adopt", window: [-2, 1], reference: 3 }),
    (e: unknown) => e instanceof ArgumentError,
  );
});

function panel(noise: number) {
  const r = rng(777);
  const city: string[] = [],
    year: number[] = [],
    adopt: number[] = [],
    y: number[] = [],
    x: number[] = [];
  for (let c = 0; c < 30; c++) {
    const a = c < 10 ? 2012 : c < 20 ? 2015 : NaN;
    const mu = r.normal();
    for (let t = 2008; t <= 2019; t++) {
      const xv = r.normal();
      const D = !Number.isNaN(a) && t >= a ? 1 : 0;
      city.push(`c${c}`);
      year.push(t);
      adopt.push(a);
      x.push(xv);
      y.push(mu + 0.1 * (t - 2008) + 2 * D + 0.5 * xv + noise * r.normal());
    }
  }
  return table({ city, year, adopt, y, x });
}

test("did() equals feols on the equivalent formula (coefficient, clustered SE, N)", () => {
  const t = panel(1);
  const r = did(t, { y: "y", unit: "city", time: "year", adoption: "adopt", controls: ["x"] });
  // the equivalent formula written out: D built independently here
  const D = Float64Array.from({ length: t.nrows }, (_, i) => {
    const a = (t.columns.adopt as Float64Array)[i] as number;
    return !Number.isNaN(a) && ((t.columns.year as Float64Array)[i] as number) >= a ? 1 : 0;
  });
  const f = feols(withColumns(t, { D }), "y ~ D + x | city + year", { vcov: { cluster: ["city"] } });
  close(r.coef.did_treat as number, f.coef.D as number, SAME, "coef");
  close(r.se.did_treat as number, f.se.D as number, SAME, "se");
  close(r.coef.x as number, f.coef.x as number, SAME, "x");
  assert.is(r.nobs, f.nobs);
});

test("noise-free data: DID = 2 exactly, event study pre = 0 and post = 2", () => {
  const t = panel(0);
  const r = did(t, { y: "y", unit: "city", time: "year", adoption: "adopt", controls: ["x"] });
  close(r.coef.did_treat as number, 2, EXACT_DGP, "did");
  const es = eventStudy(t, { y: "y", unit: "city", time: "year", adoption: "adopt", window: [-3, 3], controls: ["x"] });
  for (const nm of es.eventNames) close(es.coef[nm] as number, nm.startsWith("et_m") ? 0 : 2, EXACT_DGP, nm);
});

test.run();
