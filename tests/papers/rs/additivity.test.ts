import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildResiliencePanel } from "../../../lib/papers/rs/panel";
import { RS_MECHANISMS, mechanismSteps, mechanismAdditivityTable } from "../../../lib/papers/rs/sections";
import { generate } from "../../../lib/synth";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// Tolerance: 1e-10 absolute — with global weights the sub-indices sum to resi up to rounding of the weighted sums
// (values ≈ 0.1, 14 terms), and OLS is linear in the outcome, so the gap is rounding only.
const ROUND = 1e-10;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-additivity-"));
const ready = generate({ scale: "small", seed: 20220707, outDir: dir, papers: ["rs"] } as Parameters<typeof generate>[0]);

const gaps = (t: ReturnType<typeof mechanismAdditivityTable>, col: number) => t.body.map((r) => Number(r.cells[col]!.text));

test("sub-dimension effects: additive with global entropy weights (gap 0, before winsorisation, which clips each index on its own), not with within-dimension weights; the printed gaps", async () => {
  await ready;
  for (const [weights, additive] of [
    ["global", true],
    ["within", false],
  ] as const) {
    const rs = await buildResiliencePanel(dir, { subIndexWeights: weights, winsorize: false });
    const steps = [...mechanismSteps(rs.panel, RS_MECHANISMS.misallocation), ...mechanismSteps(rs.panel, RS_MECHANISMS.market)];
    const t = mechanismAdditivityTable(steps);
    // recompute the gap from the fits themselves (the table's cells are rounded)
    for (const s of steps) {
      const c = (m: (typeof steps)[number]["second"]) => m.table.find((r) => r.name === s.mediator)!.estimate;
      const gap = s.dims.reduce((a, m) => a + c(m), 0) - c(s.second);
      if (additive) assert.ok(Math.abs(gap) < ROUND, `${weights} ${s.mediator}: gap ${gap}`);
      else assert.ok(Math.abs(gap) > 1e-6, `${weights} ${s.mediator}: gap ${gap} should not vanish`);
    }
    // printed gaps (closed form from the printed cells), e.g. dist: (−0.0023 − 0.0003 − 0.0120) − (−0.0047) = −0.0099
    const printed = gaps(t, 6);
    const expect = [-0.0099, 0.0045, -0.0023, 0.0023, 0.0647, 0.0021];
    printed.forEach((g, k) => assert.ok(Math.abs(g - (expect[k] as number)) < 1e-9, `printed gap ${k}: ${g}`));
  }
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
