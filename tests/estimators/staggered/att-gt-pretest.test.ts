import { test } from "uvu";
import * as assert from "uvu/assert";
import { attGt } from "../../../lib/estimators/staggered/att-gt";
import { attGtPreTest } from "../../../lib/estimators/staggered/att-gt-pretest";
import { table, numeric } from "../../../lib/data/table";
import { loadPanel, loadJson, close } from "./fixtures";

// Tolerances
// DID_PKG = 1e-6 relative — the Wald statistic W of R did 2.1.1 att_gt (same influence functions, seen ~1e-12).
// DID_P = 5e-6 absolute — did rounds its printed p-value to 5 decimals (round(1 - pchisq(W, q), 5)).
const DID_PKG = 1e-6;
const DID_P = 5e-6;
const spec = { y: "y", unit: "unit", time: "year", adoption: "cohort" } as const;
const ex = loadJson("cs_expected.json");

for (const [ctl, key] of [
  ["never", "nevertreated"],
  ["notyet", "notyettreated"],
] as const) {
  test(`Callaway–Sant'Anna pre-test with ${key} controls equals did's W and p`, async () => {
    const r = attGtPreTest(attGt(await loadPanel(), { ...spec, control: ctl }));
    close(r.stat, ex[key].pretest.W, DID_PKG, "W");
    assert.is(r.df, ex[key].pretest.q);
    assert.ok(Math.abs(r.p - ex[key].pretest.p) <= DID_P, `p ${r.p} vs ${ex[key].pretest.p}`);
  });
}

test("pre-test with more pre-period cells than the units identify: NaN with a reason, as did returns none", async () => {
  const p = await loadPanel();
  // keep 2 units per cohort and 2 never-treated: 8 units, 12 pre-period cells → singular V
  const u = numeric(p, "unit");
  const keep = new Set([1, 2, 16, 17, 31, 32, 46, 47]);
  const idx = Array.from(u.keys()).filter((i) => keep.has(u[i]!));
  const pick = (c: string) => idx.map((i) => numeric(p, c)[i]!);
  const t = table({ unit: pick("unit"), year: pick("year"), cohort: pick("cohort"), y: pick("y") });
  const r = attGtPreTest(attGt(t, spec));
  assert.ok(Number.isNaN(r.p) && /singular/.test(r.reason ?? ""), JSON.stringify(r));
});

test.run();
