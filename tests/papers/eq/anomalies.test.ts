import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { eqAnomalies, eqAnomalyNotes, eqAnomalyTable, eqStarChecks, eqStarsForP } from "../../../lib/papers/eq/anomalies";
import { CES_DEFAULTS, optimalQuality, optimalQualityPrinted, rhoOf } from "../../../lib/theory/ces";
import { cutoffQualityPrinted, cutoffQualityPaperRoute, zeroProfitCutoff } from "../../../lib/theory/cutoff";

const PAPER = path.resolve(__dirname, "../../../../shared/papers/000_f9e64e7efe15f33c.txt");
function paperText(): string {
  if (!fs.existsSync(PAPER))
    throw new Error(`SKIPPED LOUDLY: the EQ paper text ${PAPER} is missing — the anomaly quotes cannot be checked.`);
  return fs.readFileSync(PAPER, "utf8");
}

test("every anomaly quotes the paper verbatim, has a correction and a reason, and a unique id", () => {
  const t = paperText();
  const a = eqAnomalies();
  assert.ok(a.length >= 15);
  assert.is(new Set(a.map((x) => x.id)).size, a.length);
  for (const x of a) {
    assert.ok(t.includes(x.printed), `${x.id}: printed form not in the paper text: ${x.printed}`);
    assert.ok(x.corrected.length > 0 && x.reason.length > 0, x.id);
  }
  for (const id of [
    "eq8-stray-price",
    "eq9-constant",
    "eq10-exponent",
    "eq12-cutoff",
    "eq16-first-term",
    "eq16-second-term",
    "table1-wage-gdp-min",
  ])
    assert.ok(
      a.some((x) => x.id === id),
      id,
    );
});

test("the theory anomalies are what the algebra says", () => {
  const p = CES_DEFAULTS;
  // (9): the printed constant is the derived one times ρ^{σ−1}, to the power 1/β' (b = 1 here)
  const bp = p.beta - (1 - p.alpha) * (p.sigma - 1);
  assert.ok(Math.abs(optimalQualityPrinted(p) / optimalQuality(p) - rhoOf(p.sigma) ** ((p.sigma - 1) / bp)) < 1e-12);
  // (12): the corrected paper route equals the model cutoff only at the cutoff productivity
  const z = zeroProfitCutoff(p);
  assert.ok(Math.abs(cutoffQualityPaperRoute({ ...p, phiProd: z.phiProd }) / z.lambda - 1) < 1e-6);
  assert.ok(Math.abs(cutoffQualityPaperRoute({ ...p, phiProd: 2 * z.phiProd }) / z.lambda - 1) > 0.1);
  assert.ok(Math.abs(cutoffQualityPrinted({ ...p, phiProd: z.phiProd }) / z.lambda - 1) > 0.1);
  // (10): 1/(β'−1) ≠ 1/β' − 1 at the defaults
  assert.ok(Math.abs(1 / (bp - 1) - (1 / bp - 1)) > 0.5);
});

test("star checks: every printed cell, stars implied by t under N(0,1)", () => {
  const s = eqStarChecks();
  assert.is(s.length, 65);
  assert.is(eqStarsForP(0.009), "***");
  assert.is(eqStarsForP(0.04), "**");
  assert.is(eqStarsForP(0.06), "*");
  assert.is(eqStarsForP(0.2), "");
  const bad = s.filter((c) => c.printed !== c.implied);
  assert.equal(
    bad.map((c) => c.cell),
    eqAnomalies()
      .filter((a) => a.id.startsWith("stars-"))
      .map((a) => a.equation),
  );
  // Table 7 (1): 0.1102* (0.0575), t = 1.92 → *
  const w = s.find((c) => c.cell === "Table 7 (1)")!;
  assert.ok(Math.abs(w.t - 0.1102 / 0.0575) < 1e-12 && w.implied === "*");
});

test("eqAnomalyNotes returns one note per anomaly of the exhibit, with the evidence", () => {
  const n = eqAnomalyNotes("table1");
  assert.ok(n.some((x) => x.includes("table1-wage-gdp-min") && /16\.1 SD below/.test(x)));
  assert.is(eqAnomalyNotes("theory").length, eqAnomalies().filter((a) => a.exhibit === "theory").length);
  assert.ok(eqAnomalyNotes("theory").some((x) => x.includes("eq12-cutoff") && x.includes("∂λ_cut/∂ϕ")));
  assert.equal(
    eqAnomalyNotes("summary").filter((x) => x.includes("stars-")),
    [],
  );
});

test("eqAnomalyTable filters by exhibit and equation", () => {
  assert.is(eqAnomalyTable("theory", ["(12)", "(16)"]).nrows, 4);
  assert.is(eqAnomalyTable("theory").nrows, eqAnomalies().filter((a) => a.exhibit === "theory").length);
  assert.equal([...eqAnomalyTable("table7").names], ["id", "equation", "printed", "corrected", "reason", "evidence"]);
});

test.run();
