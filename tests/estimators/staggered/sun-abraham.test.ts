import { test } from "uvu";
import * as assert from "uvu/assert";
import { sunAbraham } from "../../../lib/estimators/staggered/sun-abraham";
import { ArgumentError } from "../../../lib/util/errors";
import { filterRows, numeric } from "../../../lib/data/table";
import { loadPanel, loadJson, close } from "./fixtures";

// Tolerance: FIXEST = 1e-6 relative (absolute below 1) — fixest 0.12.2 sunab() on the same panel; both demean by
//   alternating projections (fixest fixef.tol 1e-11), so agreement is far tighter than 1e-6 (seen: ~1e-10).
const FIXEST = 1e-6;
const spec = { y: "y", unit: "unit", time: "year", adoption: "cohort" } as const;
const ex = loadJson("sunab_expected.json");
const periodOf = (nm: string) => Number(/^year::(-?\d+)$/.exec(nm)![1]);

const checkPeriod = (r: ReturnType<typeof sunAbraham>, want: any, what: string) => {
  const names: string[] = want.period.names.filter((n: string) => n.startsWith("year::"));
  assert.equal(
    r.eventTime.map((e) => e.period),
    names.map(periodOf),
    `${what}: event times`,
  );
  names.forEach((nm, k) => {
    const j = want.period.names.indexOf(nm);
    close(r.eventTime[k]!.estimate, want.period.coef[j], FIXEST, `${what} ${nm} coef`);
    close(r.eventTime[k]!.se, want.period.se[j], FIXEST, `${what} ${nm} se`);
  });
  // jsonlite's auto_unbox writes a one-coefficient table as scalars
  const arr = (x: unknown) => (Array.isArray(x) ? x : [x]);
  const ja = arr(want.att.names).indexOf("ATT");
  assert.ok(ja >= 0, `${what}: ATT in fixture`);
  close(r.att.estimate, arr(want.att.coef)[ja], FIXEST, `${what} ATT`);
  close(r.att.se, arr(want.att.se)[ja], FIXEST, `${what} ATT se`);
  assert.is(r.nobs, want.period.nobs);
  assert.is(r.nparams, want.period.nparams);
};

test("Sun–Abraham, never-treated control: event-time coefficients, SEs and ATT equal fixest sunab()", async () => {
  const r = sunAbraham(await loadPanel(), spec);
  checkPeriod(r, ex.never, "never");
  // the cohort × period cells equal fixest's unaggregated coefficients
  const full = ex.never.full;
  assert.is(r.cells.length, full.names.length);
  for (const c of r.cells) {
    const j = full.names.indexOf(`year::${c.period}:cohort::${c.cohort}`);
    assert.ok(j >= 0, `cell ${c.name} in fixest`);
    close(c.estimate, full.coef[j], FIXEST, `cell ${c.name}`);
    close(c.se, full.se[j], FIXEST, `cell ${c.name} se`);
  }
  // aggregated vcov
  ex.never.vcov_period.forEach((row: number[], i: number) => row.forEach((v, j) => close(r.vcov[i]![j]!, v, FIXEST, `vcov ${i},${j}`)));
});

test("Sun–Abraham with a covariate equals fixest sunab() with x", async () => {
  const r = sunAbraham(await loadPanel(), { ...spec, controls: ["x"] });
  checkPeriod(r, ex.never_x, "never_x");
  const jx = ex.never_x.period.names.indexOf("x");
  close(r.fit.coef.x as number, ex.never_x.period.coef[jx], FIXEST, "x");
});

test("Sun–Abraham, last-treated cohort as control, equals fixest sunab() on the periods before it adopts", async () => {
  const r = sunAbraham(await loadPanel(), { ...spec, control: "last" });
  assert.is(r.control, "last");
  checkPeriod(r, ex.last, "last");
});

test("Sun–Abraham refuses a panel without never-treated units under control 'never'", async () => {
  const p = await loadPanel();
  const c = numeric(p, "cohort");
  const treatedOnly = filterRows(
    p,
    Array.from(c, (v) => !Number.isNaN(v)),
  );
  assert.throws(
    () => sunAbraham(treatedOnly, spec),
    (e: unknown) => e instanceof ArgumentError && /last/.test((e as Error).message),
  );
});

test.run();
