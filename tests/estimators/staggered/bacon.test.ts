import { test } from "uvu";
import * as assert from "uvu/assert";
import { baconDecomposition } from "../../../lib/estimators/staggered/bacon";
import { did } from "../../../lib/estimators/did";
import { table } from "../../../lib/data/table";
import { ArgumentError } from "../../../lib/util/errors";
import { loadPanel, loadJson, close } from "./fixtures";

// Tolerances
// BACON_PKG = 1e-6 relative (absolute below 1) — R bacondecomp (github ec99dd0) bacon() on the same panel: 2×2 means
//   and closed-form weights, agreement to rounding.
const BACON_PKG = 1e-6;
// IDENTITY = 1e-10 — Σ w_k β_k = β_TWFE is an exact identity on a balanced panel (Goodman-Bacon 2021, Thm 1);
//   feols' demeaning converges to ~1e-13, so only floating-point error separates them.
const IDENTITY = 1e-10;
const spec = { y: "y", unit: "unit", time: "year", adoption: "cohort" } as const;
const ex = loadJson("bacon_expected.json");

test("Bacon decomposition: 2×2 estimates, weights and types equal bacondecomp::bacon()", async () => {
  const b = baconDecomposition(await loadPanel(), spec);
  assert.is(b.comparisons.length, ex.estimate.length);
  const ctl = (v: number | string) => (v === "Inf" ? Infinity : Number(v));
  for (let k = 0; k < ex.estimate.length; k++) {
    const c = b.comparisons.find((x) => x.treated === ex.treated[k] && x.control === ctl(ex.untreated[k]));
    assert.ok(c, `comparison ${ex.treated[k]} vs ${ex.untreated[k]}`);
    assert.is(c!.type, ex.type[k]);
    close(c!.estimate, ex.estimate[k], BACON_PKG, `estimate ${ex.treated[k]} vs ${ex.untreated[k]}`);
    close(c!.weight, ex.weight[k], BACON_PKG, `weight ${ex.treated[k]} vs ${ex.untreated[k]}`);
  }
  close(b.twfe, ex.twfe, BACON_PKG, "twfe vs fixest");
});

test("Bacon identity: weights sum to 1 and Σ w β = the TWFE coefficient of did()", async () => {
  const p = await loadPanel();
  const b = baconDecomposition(p, spec);
  close(
    b.comparisons.reduce((s, c) => s + c.weight, 0),
    1,
    IDENTITY,
    "Σw",
  );
  close(b.weightedSum, b.twfe, IDENTITY, "Σwβ vs FWL");
  const m = did(p, { ...spec, feols: { demean: { method: "direct" } } });
  close(b.weightedSum, m.coef.did_treat as number, IDENTITY, "Σwβ vs feols");
  close(
    b.byType.reduce((s, r) => s + r.weight, 0),
    1,
    IDENTITY,
    "by type",
  );
});

test("Bacon with an always-treated group: identity holds and the type is named", () => {
  // 4 units × 5 periods: A always treated (2010 = first), B adopts 2012, C adopts 2013, D never
  const units = ["A", "B", "C", "D"];
  const years = [2010, 2011, 2012, 2013, 2014];
  const adopt: Record<string, number> = { A: 2010, B: 2012, C: 2013, D: NaN };
  const rows = units.flatMap((u, i) =>
    years.map((yr, j) => ({
      u,
      yr,
      a: adopt[u] as number,
      y: i * 0.7 + j * 0.3 + ((i * 7 + j * 3) % 5) * 0.11 + (yr >= (adopt[u] as number) ? 1 + 0.2 * i : 0),
    })),
  );
  const t = table({ unit: rows.map((r) => r.u), year: rows.map((r) => r.yr), cohort: rows.map((r) => r.a), y: rows.map((r) => r.y) });
  const b = baconDecomposition(t, spec);
  assert.ok(b.comparisons.some((c) => c.type === "Later vs Always Treated"));
  close(b.weightedSum, b.twfe, IDENTITY, "identity with always-treated");
  const m = did(t, { ...spec, feols: { vcov: "iid" } });
  close(b.twfe, m.coef.did_treat as number, 1e-8, "vs feols");
});

test("Bacon refuses an unbalanced panel", () => {
  const t = table({ unit: ["A", "A", "B"], year: [1, 2, 1], cohort: [2, 2, NaN], y: [1, 2, 3] });
  assert.throws(
    () => baconDecomposition(t, spec),
    (e: unknown) => e instanceof ArgumentError,
  );
});

test.run();
