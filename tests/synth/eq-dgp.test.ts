import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../lib/synth";
import { softUnit, MP_TERMS } from "../../lib/synth/eq";
import { readTable } from "../../lib/data/io";
import { column } from "../../lib/data/table";

// The EQ generator's κ(vagg) reallocation channel and its realised truths (lib/synth/eq.ts).

test("softUnit: identity inside [a, 1 − a], continuous exponential tails inside (0, 1)", () => {
  assert.is(softUnit(0.5), 0.5);
  assert.is(softUnit(0.05), 0.05);
  assert.is(softUnit(0.95), 0.95);
  assert.ok(Math.abs(softUnit(0.95 + 1e-9) - (0.95 + 1e-9)) < 1e-12); // slope 1 at the join
  assert.ok(Math.abs(softUnit(1.3) - (1 - 0.05 * Math.exp(-0.35 / 0.05))) < 1e-15);
  assert.ok(Math.abs(softUnit(-0.2) - 0.05 * Math.exp(-0.25 / 0.05)) < 1e-15);
  for (const x of [-1, -0.5, 0, 1, 1.5, 2]) assert.ok(softUnit(x) > 0 && softUnit(x) < 1, String(x));
  for (let x = -1; x < 2; x += 0.01) assert.ok(softUnit(x + 0.01) > softUnit(x)); // strictly increasing
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "eq-dgp-"));
test.before(async () => {
  await generate({ scale: "default", seed: 20220707, outDir: dir, papers: ["eq"] });
});

test("realised Table 7 truths: all six components, finite, additive; entry > 0 (the κ(vagg) positive control)", () => {
  const r = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8")).realised.eq;
  for (const c of MP_TERMS) assert.ok(Number.isFinite(r.table7[c]) && r.table7_n[c] > 1000, c);
  // OLS is linear in y: on the common sample (pairs with survivors) the four parts add up to the total there;
  // total has its own (larger) sample, gap = between + entry + exit on one sample exactly
  assert.ok(Math.abs(r.table7.between + r.table7.entry + r.table7.exit - r.table7.gap) < 1e-10);
  assert.ok(r.table7.entry > 0, `entry ${r.table7.entry}`);
  assert.ok(Number.isFinite(r.bec.intermediate) && Number.isFinite(r.bec.final));
});

test("products.csv: a few HS4 headings carry an unclassified BEC class (the BEC split counts them out)", async () => {
  const p = await readTable(path.join(dir, "products.csv"));
  const bec = column(p, "bec") as string[];
  const n = bec.filter((b) => b === "unclassified").length;
  assert.ok(n > 0 && n < 0.1 * bec.length, `${n} of ${bec.length}`);
});

test.run();
