import { test } from "uvu";
import * as assert from "uvu/assert";
import { recoveryCheckTable } from "../../lib/papers/recovery-check";
import type { RecoverySummaryRow } from "../../lib/papers/recovery";

const row = (name: string, coverage: number, seeds = 50): RecoverySummaryRow => ({
  name,
  scale: "paper",
  seeds,
  dropped: 0,
  truth: 0,
  meanEstimate: 0,
  meanSe: 1,
  sdEstimate: 1,
  bias: 0,
  biasSd: 0,
  biasSe: 0,
  biasMcse: 0,
  seRatio: 1,
  coverage,
  coverageSe: 0,
});

test("recoveryCheckTable: z per estimate, misses counted against K·P(|Z|>2) with the binomial tail, each miss read by its study coverage", () => {
  const est = [
    { name: "a", estimate: 1.5, se: 1, truth: 1 }, // z = 0.5
    { name: "b", estimate: 3.5, se: 1, truth: 1 }, // z = 2.5, study coverage 0.96 → a draw
    { name: "c", estimate: -2.0, se: 0.5, truth: 0 }, // z = −4, study coverage 0.70 → intervals too short
    { name: "d", estimate: 0, se: 1, truth: 0.5 }, // z = −0.5, no study row
  ];
  const t = recoveryCheckTable(est, [row("a", 0.94), row("b", 0.96), row("c", 0.7)], "check");
  const z = t.body.map((r) => Number(r.cells[4]!.text));
  assert.equal(z, [0.5, 2.5, -4, -0.5]);
  assert.equal(
    t.body.map((r) => r.cells[5]!.text),
    ["yes", "no", "no", "yes"],
  );
  const notes = t.notes.join("\n");
  // K = 4: expected 4 · 0.0455 = 0.18 → "0.2"; P(X ≥ 2), X ~ Bin(4, 0.0455) = 1 − q⁴ − 4pq³ (closed form)
  const p = 0.0455002638963584,
    q = 1 - p;
  const tail = 1 - q ** 4 - 4 * p * q ** 3;
  assert.ok(notes.includes("2 of 4 estimates"), notes);
  assert.ok(notes.includes("about 0.2 would"), notes);
  assert.ok(notes.includes(`probability ${tail.toFixed(2)}`), notes);
  assert.ok(/b: z = 2\.50; .* 96 % of 50 seeds, so this miss is a draw/.test(notes), notes);
  assert.ok(/c: z = -4\.00; .* 70 % of 50 seeds, so its intervals are too short/.test(notes), notes);
});

test("recoveryCheckTable: without a study the coverage column is empty and misses say so", () => {
  const t = recoveryCheckTable([{ name: "x", estimate: 3, se: 1, truth: 0 }], null, "check");
  assert.is(t.body[0]!.cells[6]!.text, "–");
  assert.ok(t.notes.join("\n").includes("x: z = 3.00; no recovery study row for it."));
});

test.run();
