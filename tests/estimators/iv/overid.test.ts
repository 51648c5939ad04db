import { test } from "uvu";
import * as assert from "uvu/assert";
import { overid } from "../../../lib/estimators/iv/overid";
import { isInvalid } from "../../../lib/estimators/iv/types";
import { factorize } from "../../../lib/core/fixed-effects/factorize";
import { MODELS, close, haveStata, readStataCsv, stataDesign, tsls } from "./helpers";

// Sargan (iid) and Hansen J (robust / cluster) against Stata ivreg2 (`sargan`, `j`).
// Tolerance 1e-6 relative: the CSVs store the data at ~8 significant digits while Stata used
// the unrounded values (observed ≤ 1.1e-7 — J is a small number built from residuals).
const STATA = 1e-6;

test("Sargan = ivreg2 sargan (iid), Hansen J = ivreg2 j (HC, cluster), df = L1 − K1", () => {
  if (!haveStata("overid vs Stata")) return;
  const cases = [
    ["card_overid", "iid", "iid", "sargan"],
    ["card_overid", "hetero", "hc1", "j"],
    ["sim_multi_endo", "iid", "iid", "sargan"],
    ["sim_multi_endo", "hetero", "hc1", "j"],
    ["sim_cluster", "cluster", "cl", "j"],
    ["sim_cluster", "iid", "iid", "sargan"],
  ] as const;
  for (const [name, kind, suf, col] of cases) {
    const d = stataDesign(MODELS[name], kind);
    const s = readStataCsv(`${name}_diagnostics_${suf}.csv`)[0]!;
    const o = overid(d, tsls(d).e);
    assert.ok(!isInvalid(o), `${name} ${suf}`);
    if (isInvalid(o)) return;
    assert.is(o.test, kind === "iid" ? "sargan" : "hansen");
    close(o.stat, s[col]!, STATA, `${name} ${suf} ${col}`);
    assert.is(o.df, s[`${col}df`]);
  }
});

test("exactly identified → invalid 'exactly identified'; fewer clusters than instruments → invalid with the counts", () => {
  if (!haveStata("overid invalid cases")) return;
  const j = stataDesign(MODELS.card_just_id, "hetero");
  assert.equal(overid(j, tsls(j).e), { kind: "invalid", reason: "exactly identified" });
  const d = stataDesign(MODELS.card_overid, "iid");
  const g = factorize(Float64Array.from({ length: d.n }, (_, i) => i % 3));
  const dc = { ...d, vce: { kind: "cluster" as const, clusters: [g] } };
  const o = overid(dc, tsls(dc).e);
  assert.ok(isInvalid(o) && /3 clusters but 7 instruments/.test(o.reason), JSON.stringify(o));
});

test.run();
