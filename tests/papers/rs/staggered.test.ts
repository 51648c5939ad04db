import { test } from "uvu";
import * as assert from "uvu/assert";
import { rsStaggered, rsStaggeredTable, rsStaggeredChart } from "../../../lib/papers/rs/staggered";
import { column, table, takeRows } from "../../../lib/data/table";
import { loadPanel, loadJson, close } from "../../estimators/staggered/fixtures";

// Tolerances
// REFERENCE = 1e-6 relative (absolute below 1) — the builder must pass its estimators' numbers through unchanged, so
//   on the staggered fixture panel they equal fixest sunab() (with covariate x), did::aggte and bacondecomp (as in
//   tests/estimators/staggered).
const REFERENCE = 1e-6;
// IDENTITY = 1e-10 — Bacon's Σ w β equals the TWFE DID without controls exactly on a balanced panel.
const IDENTITY = 1e-10;
const sunab = loadJson("sunab_expected.json");
const cs = loadJson("cs_expected.json");

/** The fixture panel under the RS column names, with x as the only control. */
async function rsLike() {
  const p = await loadPanel();
  return table({
    city: column(p, "unit"),
    year: column(p, "year"),
    smart_year: column(p, "cohort"),
    resi: column(p, "y"),
    x: column(p, "x"),
  });
}

test("rsStaggered: each number equals its reference implementation on the fixture panel", async () => {
  const st = rsStaggered(await rsLike(), { controls: ["x"] });
  const arr = (v: unknown) => (Array.isArray(v) ? v : [v]);
  const ja = arr(sunab.never_x.att.names).indexOf("ATT");
  assert.ok(ja >= 0, "ATT in fixture");
  close(st.sunAbraham.att.estimate, arr(sunab.never_x.att.coef)[ja], REFERENCE, "SA ATT");
  close(st.sunAbraham.att.se, arr(sunab.never_x.att.se)[ja], REFERENCE, "SA ATT se");
  close(st.csNever.simple.overall.estimate, cs.nevertreated.simple.overall_att, REFERENCE, "CS never");
  close(st.csNotYet.simple.overall.se, cs.notyettreated.simple.overall_se, REFERENCE, "CS not-yet se");
  close(st.bacon.weightedSum, st.twfeNoControls.coef.did_treat as number, IDENTITY, "Bacon identity");
  close(st.twfeNoControls.coef.did_treat as number, arr(sunab.twfe_did.coef)[0], REFERENCE, "TWFE vs fixest");
  assert.ok(st.pretrend.twfe.p > 0 && st.pretrend.twfe.p < 1);
});

test("rsStaggered on an unbalanced panel: Bacon and the covariate-free TWFE on the balanced sub-panel, identity kept", async () => {
  const p = await rsLike();
  const city = column(p, "city") as ArrayLike<number>,
    year = column(p, "year") as ArrayLike<number>;
  const c0 = city[0],
    y0 = year[0];
  // drop one row of the first unit: that unit is no longer balanced
  const keep = Int32Array.from(Array.from({ length: p.nrows }, (_, i) => i).filter((i) => !(city[i] === c0 && year[i] === y0)));
  const st = rsStaggered(takeRows(p, keep), { controls: ["x"] });
  const nUnits = new Set(Array.from(city)).size,
    nYears = new Set(Array.from(year)).size;
  assert.is(st.balanced.droppedCities, 1);
  assert.is(st.balanced.cities, nUnits - 1);
  assert.is(st.balanced.rows, (nUnits - 1) * nYears);
  assert.is(st.twfeNoControls.nobs, (nUnits - 1) * nYears);
  close(st.bacon.weightedSum, st.twfeNoControls.coef.did_treat as number, IDENTITY, "Bacon identity on the balanced sub-panel");
  assert.is(st.twfe.nobs, p.nrows - 1);
});

test("rsStaggeredTable and rsStaggeredChart: rows, columns and series", async () => {
  const st = rsStaggered(await rsLike(), { controls: ["x"] });
  const t = rsStaggeredTable(st);
  const labels = t.body.map((r) => r.cells[0]!.text);
  for (const l of [
    "TWFE DID, controls",
    "Sun–Abraham ATT",
    "C–S ATT, never-treated",
    "C–S ATT, not-yet-treated",
    "Bacon: Treated vs Untreated",
  ])
    assert.ok(labels.includes(l), l);
  assert.is(t.ncol, 8);
  // the joint pre-trend Wald test (all leads = 0, city clusters) is printed with its statistic and df
  const tw = t.body.find((r) => r.cells[0]!.text === "TWFE DID, controls")!.cells.map((c) => c.text);
  const w = st.pretrend.twfe;
  assert.ok(tw.includes(`F(${w.df1}, ${w.df2}) = ${w.stat.toFixed(2)}`), tw.join(" | "));
  assert.ok(w.df1 >= 2 && w.restrictions.every((r) => /et_m/.test(r)), w.restrictions.join("; "));
  assert.match(st.eventStudy.vcovType ?? "", /city/);
  const spec = JSON.stringify(rsStaggeredChart(st));
  for (const m of ["TWFE", "Sun–Abraham", "Callaway–Sant'Anna", "e = -4", "e = 4"]) assert.ok(spec.includes(m), m);
});

test.run();
