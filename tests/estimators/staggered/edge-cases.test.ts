import { test } from "uvu";
import * as assert from "uvu/assert";
import { numeric, takeRows, withColumns, type Table } from "../../../lib/data/table";
import { sunAbraham } from "../../../lib/estimators/staggered/sun-abraham";
import { attGt } from "../../../lib/estimators/staggered/att-gt";
import { aggregateAtt } from "../../../lib/estimators/staggered/aggregate-att";
import { attGtPreTest } from "../../../lib/estimators/staggered/att-gt-pretest";
import { loadPanel, loadJson, close } from "./fixtures";

// Edge cases of staggered adoption found in review: cohorts adopting after the sample, cohorts
// treated from the first period, and no never-treated unit. Tolerances: identities 1e-10
// (the same regression up to floating-point order); did 2.1.1 fixture 1e-6 (its JSON prints 15
// significant digits).

/** The panel with the adoption year of the units in `units` replaced. */
function withCohort(t: Table, units: ReadonlySet<number>, cohort: number): Table {
  const u = numeric(t, "unit"),
    c = numeric(t, "cohort");
  return withColumns(t, { cohort: Float64Array.from(c, (v, i) => (units.has(u[i] as number) ? cohort : v)) });
}

test("Sun–Abraham: a cohort adopting after the last period is a never-treated control", async () => {
  const p = await loadPanel();
  const late = new Set([46, 47, 48, 49, 50]);
  const a = sunAbraham(withCohort(p, late, 2020), { y: "y", unit: "unit", time: "year", adoption: "cohort" });
  const b = sunAbraham(withCohort(p, late, NaN), { y: "y", unit: "unit", time: "year", adoption: "cohort" });
  close(a.att.estimate, b.att.estimate, 1e-10, "ATT");
  close(a.att.se, b.att.se, 1e-10, "SE");
  assert.equal(
    a.eventTime.map((r) => r.period),
    b.eventTime.map((r) => r.period),
  );
});

test("Sun–Abraham: units treated from the first period are left out and counted", async () => {
  const p = await loadPanel();
  const always = new Set([1, 2, 3]);
  const a = sunAbraham(withCohort(p, always, 2008), { y: "y", unit: "unit", time: "year", adoption: "cohort" });
  const u = numeric(p, "unit");
  const rest = takeRows(
    p,
    Int32Array.from({ length: p.nrows }, (_, i) => i).filter((i) => !always.has(u[i] as number)),
  );
  const b = sunAbraham(rest, { y: "y", unit: "unit", time: "year", adoption: "cohort" });
  assert.is(a.alwaysTreatedUnits, 3);
  assert.is(a.nobs, b.nobs);
  close(a.att.estimate, b.att.estimate, 1e-10, "ATT");
  close(a.att.se, b.att.se, 1e-10, "SE");
});

test("Callaway–Sant'Anna without never-treated units: the last cohort is the control, as did 2.1.1", async () => {
  const p = await loadPanel();
  const c = numeric(p, "cohort");
  const treated = takeRows(
    p,
    Int32Array.from({ length: p.nrows }, (_, i) => i).filter((i) => Number.isFinite(c[i] as number)),
  );
  const ref = loadJson("cs_notyet_only_expected.json");
  const gt = attGt(treated, { y: "y", unit: "unit", time: "year", adoption: "cohort", control: "notyet" });
  assert.is(gt.cells.length, ref.attgt.att.length);
  assert.is(gt.dropped.lastCohortAsControl, Math.max(...Array.from(c).filter(Number.isFinite)));
  ref.attgt.att.forEach((v: number, k: number) => {
    const cell = gt.cells.find((x) => x.group === ref.attgt.group[k] && x.time === ref.attgt.t[k]);
    assert.ok(cell, `cell ${ref.attgt.group[k]}, ${ref.attgt.t[k]}`);
    close(cell!.att, v, 1e-6, "att");
    close(cell!.se, ref.attgt.se[k], 1e-6, "se");
  });
  for (const ty of ["simple", "dynamic", "calendar"] as const) {
    const a = aggregateAtt(gt, ty);
    close(a.overall.estimate, ref[ty].overall_att, 1e-6, `${ty} overall`);
    close(a.overall.se, ref[ty].overall_se, 1e-6, `${ty} overall se`);
  }
  const pt = attGtPreTest(gt);
  close(pt.stat, ref.pretest.W, 1e-6, "pre-test W");
  assert.throws(
    () => attGt(treated, { y: "y", unit: "unit", time: "year", adoption: "cohort", control: "never" }),
    /no never-treated unit/,
  );
});

test.run();
