import { test } from "uvu";
import * as assert from "uvu/assert";
import { pChi2Upper } from "../../../lib/estimators/iv/pvalues";
import { pChi2 } from "../../../lib/util/distributions";
import { haveStata, readStataCsv } from "./helpers";

// iv/pvalues re-exports lib/util/distributions' pChi2 (one implementation).
// Tolerances: 1e-12 relative for textbook quantiles (the incomplete gamma is accurate to ~1e-15);
// 1e-9 relative against Stata's chi2tail on the statistics Stata itself printed (Stata stores
// the p-values with 12 significant digits).

test("pChi2Upper is util/distributions' pChi2 (same function object)", () => {
  assert.is(pChi2Upper, pChi2);
});

test("textbook quantiles: χ²₁(0.95) = 3.841458820694124, χ²₂(0.99) = 9.21034037197618, χ²₅(0.90) = 9.236356899781123", () => {
  for (const [x, k, p] of [
    [3.841458820694124, 1, 0.05],
    [9.21034037197618, 2, 0.01],
    [9.236356899781123, 5, 0.1],
  ] as const)
    assert.ok(Math.abs(pChi2Upper(x, k) - p) < 1e-12 * p + 1e-15, `${x}, ${k}`);
  // closed form for k = 2: P(χ²₂ > x) = exp(−x/2), tiny values keep their digits
  for (const x of [1, 10, 100, 1000]) assert.ok(Math.abs(pChi2Upper(x, 2) / Math.exp(-x / 2) - 1) < 1e-12, `k=2 at ${x}`);
  assert.ok(Number.isNaN(pChi2Upper(-1, 1)) && Number.isNaN(pChi2Upper(1, 0)));
});

test("Stata ivreg2 p-values (chi2tail) of the printed statistics: idp, sarganp/jp, estatp, archi2p", () => {
  if (!haveStata("pvalues vs Stata chi2tail")) return;
  let checked = 0;
  for (const f of [
    "card_overid_diagnostics_iid.csv",
    "card_overid_diagnostics_hc1.csv",
    "sim_multi_endo_diagnostics_hc1.csv",
    "sim_cluster_diagnostics_cl.csv",
  ]) {
    const s = readStataCsv(f)[0]!;
    for (const [st, p, df] of [
      ["idstat", "idp", "iddf"],
      ["sargan", "sarganp", "sargandf"],
      ["j", "jp", "jdf"],
      ["estat", "estatp", "estatdf"],
      ["archi2", "archi2p", "ardf"],
    ] as const) {
      if (!Number.isFinite(s[st]!)) continue;
      const mine = pChi2Upper(s[st]!, s[df]!);
      assert.ok(Math.abs(mine - s[p]!) <= 1e-9 * s[p]!, `${f} ${p}: ${mine} vs ${s[p]}`);
      checked++;
    }
  }
  assert.ok(checked >= 15, `${checked} p-values checked`);
});

test.run();
