/**
 * The generic recovery-study summariser (lib/papers/recovery.ts) on toy draws with a closed form:
 * θ̂_r ~ N(θ, σ²) with the true SE σ gives coverage → 0.95, bias → 0, SE ratio → 1; a known
 * shift and a halved SE move bias and coverage to their closed-form values.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { rng } from "../../lib/util/rng";
import {
  recoverySummary,
  recoverySeeds,
  recoverySummaryTable,
  readRecoveryCsv,
  recoveryCoverageChart,
  recoveryReportTable,
  recoveryEstimator,
  loadRecovery,
  recoveryStatus,
  type RecoveryDraw,
} from "../../lib/papers/recovery";
import { writeTable } from "../../lib/data/io";

const R = 4000;
function draws(name: string, shift: number, seFactor: number, seed: number): RecoveryDraw[] {
  const r = rng(seed);
  return Array.from({ length: R }, (_, i) => {
    const truth = 0.5 + 0.01 * (i % 7); // realised truths vary by replication
    const sigma = 0.2;
    return { name, replication: i, seed: i, truth, estimate: truth + shift + sigma * r.normal(), se: seFactor * sigma };
  });
}

test("unbiased normal draws with the true SE: coverage 0.95 within 3 binomial SEs, bias ≈ 0, SE ratio ≈ 1", () => {
  const [s] = recoverySummary(draws("ok", 0, 1, 11));
  assert.is(s!.seeds, R);
  assert.is(s!.dropped, 0);
  const binSe = Math.sqrt((0.95 * 0.05) / R);
  assert.ok(Math.abs(s!.coverage - 0.95) < 3 * binSe, `coverage ${s!.coverage}`);
  assert.ok(Math.abs(s!.coverageSe - binSe) < 0.002);
  assert.ok(Math.abs(s!.bias) < 3 * (0.2 / Math.sqrt(R)), `bias ${s!.bias}`);
  assert.ok(Math.abs(s!.biasMcse - 0.2 / Math.sqrt(R)) < 2e-4);
  assert.ok(Math.abs(s!.seRatio - 1) < 0.05, `se ratio ${s!.seRatio}`);
  assert.ok(Math.abs(s!.sdEstimate - 0.2) < 0.01);
  assert.ok(Math.abs(s!.truth - (0.5 + 0.03)) < 1e-3); // mean of 0.5 + 0.01·(i mod 7)
});

test("closed forms: shift of one σ → bias/SD = 1, coverage Φ(0.96) − Φ(−2.96); SE halved → coverage 2Φ(0.98) − 1", () => {
  const [a, b] = recoverySummary([...draws("shift", 0.2, 1, 12), ...draws("halfse", 0, 0.5, 13)]);
  assert.is(a!.name, "shift");
  assert.ok(Math.abs(a!.biasSd - 1) < 0.06, `bias/SD ${a!.biasSd}`);
  assert.ok(Math.abs(a!.biasSe - 1) < 0.06);
  const covShift = 0.831472 - 0.001538; // Φ(0.96) − Φ(−2.96)
  assert.ok(Math.abs(a!.coverage - covShift) < 3 * Math.sqrt((covShift * (1 - covShift)) / R), `coverage ${a!.coverage}`);
  const covHalf = 2 * 0.836457 - 1; // 2Φ(0.98) − 1
  assert.ok(Math.abs(b!.coverage - covHalf) < 3 * Math.sqrt((covHalf * (1 - covHalf)) / R), `coverage ${b!.coverage}`);
  assert.ok(Math.abs(b!.seRatio - 0.5) < 0.03);
});

test("non-finite draws are dropped and counted", () => {
  const d: RecoveryDraw[] = [
    { name: "x", replication: 0, seed: 1, estimate: 1, se: 0.5, truth: 1 },
    { name: "x", replication: 1, seed: 2, estimate: NaN, se: 0.5, truth: 1 },
    { name: "x", replication: 2, seed: 3, estimate: 2, se: 0.5, truth: 1 },
  ];
  const [s] = recoverySummary(d);
  assert.is(s!.seeds, 2);
  assert.is(s!.dropped, 1);
  assert.is(s!.coverage, 0.5); // |2 − 1| = 1 > 0.98
  assert.is(s!.meanEstimate, 1.5);
});

test("seeds derive deterministically from the base seed and differ by paper and replication", () => {
  const a = recoverySeeds("rs", 5, 20220707);
  assert.equal(a, recoverySeeds("rs", 5, 20220707));
  assert.is(new Set(a).size, 5);
  assert.not.equal(a, recoverySeeds("eq", 5, 20220707));
  assert.not.equal(a, recoverySeeds("rs", 5, 1));
  assert.equal(recoverySeeds("rs", 3, 20220707), a.slice(0, 3));
  assert.throws(() => recoverySeeds("rs", 0), /positive integer/);
});

test("summary CSV round trip, report table and coverage chart", async () => {
  const rows = recoverySummary([...draws("a", 0, 1, 21).slice(0, 50), ...draws("b", 0.1, 1, 22).slice(0, 50)]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-recovery-unit-"));
  const f = path.join(dir, "toy-recovery.csv");
  await writeTable(recoverySummaryTable(rows), f);
  const back = await readRecoveryCsv(f);
  assert.is(back!.length, 2);
  assert.is(back![1]!.name, "b");
  assert.ok(Math.abs(back![1]!.coverage - rows[1]!.coverage) < 1e-9);
  assert.ok(Math.abs(back![0]!.meanEstimate - rows[0]!.meanEstimate) < 1e-9);
  assert.is(await readRecoveryCsv(path.join(dir, "absent.csv")), null);
  const t = recoveryReportTable(back!, "toy");
  assert.is(t.title, "toy");
  const spec = recoveryCoverageChart(back!) as unknown as { layer: { data?: { values: { v: number }[] } }[] };
  assert.is(spec.layer[2]!.data!.values[0]!.v, 0.9);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("loadRecovery / recoveryStatus: read from the exports folder, or say how to create the CSV; empty table and chart", async () => {
  const exportsDir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-recovery-exports-"));
  const none = await loadRecovery("toy", { exportsDir });
  assert.is(none.rows, null);
  assert.ok(recoveryStatus(none).includes("npm run recovery -- --paper toy --seeds 50 --scale paper"));
  assert.is(recoveryReportTable(none.rows, "t").body.length, 0);
  assert.ok(JSON.stringify(recoveryCoverageChart(none.rows)).includes("no recovery study yet"));
  fs.mkdirSync(path.join(exportsDir, "tables"));
  const good = draws("good", 0, 1, 31).slice(0, 200),
    bad = draws("bad", 0, 0.3, 32).slice(0, 200); // SE at 0.3 σ: coverage 2Φ(0.588) − 1 ≈ 0.44
  await writeTable(
    recoverySummaryTable(recoverySummary([...good, ...bad], undefined, "small")),
    path.join(exportsDir, "tables", "toy-recovery.csv"),
  );
  const rec = await loadRecovery("toy", { exportsDir });
  assert.is(rec.rows!.length, 2);
  assert.is(rec.rows![0]!.scale, "small");
  const st = recoveryStatus(rec);
  assert.ok(st.includes("2 estimates over 200 fresh synthetic data sets at small scale"), st);
  assert.ok(st.includes("Coverage below 90 %: bad ("), st);
  assert.ok(st.includes("more than 1.96 binomial SEs: bad —"), st); // 2Φ(0.588) − 1 ≈ 0.44 is far below 0.95 with 200 seeds
  assert.not.ok(st.includes("good —"));
  fs.rmSync(exportsDir, { recursive: true, force: true });
});

test("unknown paper: one clear error", () => {
  assert.throws(() => recoveryEstimator("nope"), /unknown paper "nope" \(registered: rs/);
});

test.run();
