import { test } from "uvu";
import * as assert from "uvu/assert";
import { attGt } from "../../../lib/estimators/staggered/att-gt";
import { attGtPreTest } from "../../../lib/estimators/staggered/att-gt-pretest";
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

test.run();
