import { test } from "uvu";
import * as assert from "uvu/assert";
import { attGt } from "../../../lib/estimators/staggered/att-gt";
import { numeric, filterRows } from "../../../lib/data/table";
import { loadPanel, loadJson, close } from "./fixtures";

// Tolerances
// DID_PKG = 1e-6 relative (absolute below 1) — R did 2.1.1 att_gt (DRDID 1.0.7) on the same panel; the 2×2 means
//   are closed-form sums, so the two agree to rounding (seen: ~1e-13).
const DID_PKG = 1e-6;
// BY_HAND = 1e-12 — the 2×2 DID of cohort g vs its controls between g − 1 and t, computed here from the raw rows.
const BY_HAND = 1e-12;
const spec = { y: "y", unit: "unit", time: "year", adoption: "cohort" } as const;
const ex = loadJson("cs_expected.json");

for (const [ctl, key] of [
  ["never", "nevertreated"],
  ["notyet", "notyettreated"],
] as const) {
  test(`ATT(g,t) and SEs with ${key} controls equal did::att_gt`, async () => {
    const r = attGt(await loadPanel(), { ...spec, control: ctl });
    const want = ex[key].attgt;
    assert.is(r.cells.length, want.att.length);
    r.cells.forEach((c, k) => {
      assert.is(c.group, want.group[k]);
      assert.is(c.time, want.t[k]);
      close(c.att, want.att[k], DID_PKG, `ATT(${c.group},${c.time})`);
      close(c.se, want.se[k], DID_PKG, `se(${c.group},${c.time})`);
    });
  });
}

test("ATT(2013, 2016) is the 2×2 DID of cohort 2013 vs never-treated between 2012 and 2016, by hand", async () => {
  const p = await loadPanel();
  const y = numeric(p, "y"),
    yr = numeric(p, "year"),
    co = numeric(p, "cohort"),
    u = numeric(p, "unit");
  const mean = (pred: (i: number) => boolean) => {
    const m = new Map<number, { a: number; b: number }>();
    for (let i = 0; i < p.nrows; i++) {
      if (!pred(i)) continue;
      const e = m.get(u[i]!) ?? { a: NaN, b: NaN };
      if (yr[i] === 2016) e.a = y[i]!;
      if (yr[i] === 2012) e.b = y[i]!;
      m.set(u[i]!, e);
    }
    const d = [...m.values()].map((e) => e.a - e.b);
    return d.reduce((s, v) => s + v, 0) / d.length;
  };
  const byHand = mean((i) => co[i] === 2013) - mean((i) => Number.isNaN(co[i]!));
  const c = attGt(p, spec).cells.find((x) => x.group === 2013 && x.time === 2016)!;
  assert.is(c.base, 2012);
  close(c.att, byHand, BY_HAND, "ATT(2013,2016)");
  // not-yet-treated at 2014: the never-treated and the 2015 cohort
  const ny = attGt(p, { ...spec, control: "notyet" }).cells.find((x) => x.group === 2011 && x.time === 2014)!;
  assert.is(ny.nControl, 30);
  assert.is(ny.nTreated, 15);
});

test("units with a missing outcome are dropped (balanced panel, as did)", async () => {
  const p = await loadPanel();
  const u = numeric(p, "unit"),
    yr = numeric(p, "year");
  const q = filterRows(
    p,
    Array.from(u, (v, i) => !(v === 60 && yr[i] === 2012)),
  );
  const r = attGt(q, spec);
  assert.is(r.n, 59);
  assert.is(r.dropped.incomplete, 1);
});

test.run();
