import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { table, numeric, toRecords } from "../../../lib/data/table";
import { DataError, EstimationError, ArgumentError } from "../../../lib/util/errors";
import { logit, nearestNeighbor, kernelMatch, att, balanceTable, psmDid } from "../../../lib/estimators/psm";

// Tolerances
// HAND_LOGIT: 1e-9 — saturated logit run to tol 1e-14; IRLS converges quadratically, so the
//   remaining error is rounding in a few log/exp evaluations.
const HAND_LOGIT = 1e-9;
// GLM: 1e-9 relative — same algorithm as glm (same start, same stopping rule, same iteration
//   count is asserted), so only floating-point summation order differs.
const GLM = 1e-9;
// MATCHIT: 1e-10 relative — means and standardised differences are sums over ≤ 240 rows of
//   6-decimal inputs; the matched sets themselves are compared exactly.
const MATCHIT = 1e-10;
// HAND: 1e-14 — kernel weights of three numbers.
const HAND = 1e-14;
const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b} (tol ${tol})`);

const fixtures = path.join(__dirname, "../../fixtures/rs");
const ref = JSON.parse(fs.readFileSync(path.join(fixtures, "psm_output.json"), "utf8"));
function loadInput() {
  const [head, ...lines] = fs.readFileSync(path.join(fixtures, "psm_input.csv"), "utf8").trim().split("\n");
  const names = (head as string).split(",");
  const cols: Record<string, number[]> = {};
  for (const n of names) cols[n] = [];
  for (const l of lines) l.split(",").forEach((v, j) => (cols[names[j] as string] as number[]).push(Number(v)));
  return table(cols);
}
const d = loadInput();
const covs = ["x1", "x2", "x3"];

test("logit by hand: one binary regressor (saturated model)", () => {
  // x = 0: y = 1,0,0,0 -> p0 = 1/4, b0 = ln(1/3) = -1.0986122886681098
  // x = 1: y = 1,1,0   -> p1 = 2/3, b0 + b1 = ln 2 -> b1 = ln 6 = 1.791759469228055
  // var b0 = 1/(4 * 1/4 * 3/4) = 4/3 -> se 1.1547005383792515
  // var b1 = 4/3 + 1/(3 * 2/3 * 1/3) = 4/3 + 3/2 = 17/6 -> se 1.6832508230603465
  // logLik = ln(1/4) + 3 ln(3/4) + 2 ln(2/3) + ln(1/3) = -4.1588830833596715
  const t = table({ y: [1, 0, 0, 0, 1, 1, 0], x: [0, 0, 0, 0, 1, 1, 1] });
  const m = logit(t, "y", ["x"], { tol: 1e-14, maxIter: 100 });
  close(m.coef[0] as number, -1.0986122886681098, HAND_LOGIT, "b0");
  close(m.coef[1] as number, 1.791759469228055, HAND_LOGIT, "b1");
  close(m.se[0] as number, 1.1547005383792515, HAND_LOGIT, "se0");
  close(m.se[1] as number, 1.6832508230603465, HAND_LOGIT, "se1");
  close(m.logLik, -4.1588830833596715, HAND_LOGIT, "logLik");
  assert.ok(m.converged);
  assert.equal(m.names, ["(Intercept)", "x"]);
});

test("logit matches R glm(binomial): coefficients, SEs, logLik, iterations, fitted", () => {
  const m = logit(d, "treat", covs);
  ref.glm.coef.forEach((v: number, j: number) => close(m.coef[j] as number, v, GLM, `coef ${j}`));
  ref.glm.se.forEach((v: number, j: number) => close(m.se[j] as number, v, GLM, `se ${j}`));
  close(m.logLik, ref.glm.logLik, GLM, "logLik");
  assert.is(m.iterations, ref.glm.iter);
  assert.ok(m.converged && !m.separation);
  ref.glm.ps.forEach((v: number, i: number) => close(m.score[i] as number, v, GLM, `ps ${i}`));
});

test("logit reports separation and non-convergence instead of hiding them", () => {
  const t = table({ y: [0, 0, 0, 1, 1, 1], x: [1, 2, 3, 4, 5, 6] });
  const m = logit(t, "y", ["x"]);
  assert.ok(m.separation);
  // like glm, the deviance (-> 0) stops changing, so convergence is reported; separation is the flag to read
  assert.ok(m.deviance < 1e-6);
});

test("logit bad input", () => {
  const t = table({ y: [0, 1, 2, 0], x: [1, 2, 3, 4], c: [1, 1, 1, 1], na: [NaN, NaN, NaN, NaN] });
  assert.throws(
    () => logit(t, "y", ["x"]),
    (e: unknown) => e instanceof DataError && /column "y", row 3/.test((e as Error).message),
  );
  const t2 = table({ y: [0, 1, 1, 0, 1], x: [1, 2, 3, 4, 2], c: [1, 1, 1, 1, 1], na: [NaN, NaN, NaN, NaN, NaN] });
  assert.throws(
    () => logit(t2, "y", ["x", "c"]),
    (e: unknown) => e instanceof EstimationError && /term "c"/.test((e as Error).message),
  );
  assert.throws(
    () => logit(t2, "y", ["na"]),
    (e: unknown) => e instanceof DataError && /column "na"/.test((e as Error).message) && /all values are NA/.test((e as Error).message),
  );
  assert.throws(
    () => logit(t2, "y", ["z"]),
    (e: unknown) => e instanceof DataError && /column "z"/.test((e as Error).message),
  );
});

function pairKey(treated: number[], control: number[]) {
  return treated.map((t, i) => `${t}-${control[i]}`).sort();
}

test("1:1 nearest neighbour without replacement = MatchIt (data order): same pairs, weights, balance", () => {
  const ps = logit(d, "treat", covs).score;
  const tr = numeric(d, "treat");
  const m = nearestNeighbor(ps, tr, { order: "data" });
  const ours = pairKey(
    m.pairs.map((p) => p.treated + 1),
    m.pairs.map((p) => p.control + 1),
  );
  const theirs = pairKey(ref.nn_noreplace.pairs.treated, ref.nn_noreplace.pairs.control);
  assert.equal(ours, theirs);
  ref.nn_noreplace.weights.forEach((v: number, i: number) => close(m.weights[i] as number, v, MATCHIT, `w ${i}`));
  const b = toRecords(balanceTable(d, "treat", covs, m.weights, { sd: "treated" }));
  const rb = ref.nn_noreplace.balance;
  b.forEach((r, j) => {
    close(r.meanT_before as number, rb.meanT_before[j], MATCHIT, "meanT_before");
    close(r.meanC_before as number, rb.meanC_before[j], MATCHIT, "meanC_before");
    close(r.meanC_after as number, rb.meanC_after[j], MATCHIT, "meanC_after");
    close(r.bias_before as number, 100 * rb.smd_before[j], MATCHIT, "bias_before = 100 SMD");
    close(r.bias_after as number, 100 * rb.smd_after[j], MATCHIT, "bias_after = 100 SMD");
    close(r.t_before as number, rb.t_before[j], MATCHIT, "t_before (t.test var.equal)");
    close(r.t_after as number, rb.t_after[j], MATCHIT, "t_after (iweight regression)");
  });
});

test("nearest neighbour with replacement = brute-force base-R matcher (psm.R): same pairs, weights, matched means", () => {
  const ps = logit(d, "treat", covs).score;
  const tr = numeric(d, "treat");
  const m = nearestNeighbor(ps, tr, { replace: true });
  const r = ref.nn_replace_bruteforce;
  assert.equal(
    pairKey(
      m.pairs.map((p) => p.treated + 1),
      m.pairs.map((p) => p.control + 1),
    ),
    pairKey(r.pairs.treated, r.pairs.control),
  );
  r.weights.forEach((v: number, i: number) => close(m.weights[i] as number, v, MATCHIT, `w ${i}`));
  const b = toRecords(balanceTable(d, "treat", covs, m.weights));
  b.forEach((row, j) => close(row.meanC_after as number, r.meanC_after[j], MATCHIT, "meanC_after"));
  // the same ordering of treated units must not matter with replacement
  const m2 = nearestNeighbor(ps, tr, { replace: true, order: "smallest" });
  assert.equal(Array.from(m2.weights), Array.from(m.weights));
});

test("caliper matching = MatchIt (data order) and = base-R greedy matcher (largest first)", () => {
  const ps = logit(d, "treat", covs).score;
  const md = nearestNeighbor(ps, numeric(d, "treat"), { caliper: 0.01, order: "data" });
  const r4 = ref["nn_data_caliper_0.01"].pairs;
  assert.equal(
    pairKey(
      md.pairs.map((p) => p.treated + 1),
      md.pairs.map((p) => p.control + 1),
    ),
    pairKey(r4.treated, r4.control),
  );
  const m = nearestNeighbor(ps, numeric(d, "treat"), { caliper: 0.01 });
  const g = ref["greedy_caliper_0.01"];
  assert.equal(
    pairKey(
      m.pairs.map((p) => p.treated + 1),
      m.pairs.map((p) => p.control + 1),
    ),
    pairKey(g.treated, g.control),
  );
  assert.is(m.nMatchedTreated, g.treated.length);
  assert.ok(m.nMatchedTreated < m.nTreated, "the caliper dropped some treated units");
  for (const p of m.pairs) assert.ok(p.distance <= 0.01);
});

test("ties: equal distance goes to the smaller row index; sd-scaled caliper", () => {
  // treated 0.5 (row 0); controls 0.75 (row 1) and 0.25 (row 2): both at distance 0.25 -> row 1
  const m = nearestNeighbor(Float64Array.of(0.5, 0.75, 0.25), Float64Array.of(1, 0, 0));
  assert.equal(m.pairs[0], { treated: 0, control: 1, distance: 0.25 });
  // sd of (0.5, 0.75, 0.25) = 0.25 ; caliper 0.5 sd = 0.125 < 0.25 -> no match
  const c = nearestNeighbor(Float64Array.of(0.5, 0.75, 0.25), Float64Array.of(1, 0, 0), { caliper: 0.5, caliperScale: "sd" });
  close(c.caliper, 0.125, HAND, "caliper in score units");
  assert.is(c.nMatchedTreated, 0);
  assert.equal(Array.from(c.unmatchedTreated), [0]);
});

test("kernel matching (Epanechnikov) by hand and ATT", () => {
  // treated 0.5; controls 0.47, 0.52, 0.60; h = 0.06: u = -0.5, 1/3, 5/3 (out)
  // K = 0.75(1 - 0.25) = 0.5625 ; 0.75(1 - 1/9) = 0.6666.. ; normalised 0.45762711864406785, 0.5423728813559322
  const s = Float64Array.of(0.5, 0.47, 0.52, 0.6);
  const tr = Float64Array.of(1, 0, 0, 0);
  const k = kernelMatch(s, tr, { bandwidth: 0.06 });
  close(k.weights[1] as number, 0.45762711864406785, 1e-12, "w1");
  close(k.weights[2] as number, 0.5423728813559322, 1e-12, "w2");
  assert.is(k.weights[3], 0);
  // ATT with y = 10, 4, 6, 100: 10 - (0.4576.. * 4 + 0.5423.. * 6) = 10 - 5.084745762711864 = 4.915254237288136
  close(att(Float64Array.of(10, 4, 6, 100), tr, k.weights), 4.915254237288136, 1e-12, "ATT");
});

test("matching bad input", () => {
  assert.throws(
    () => nearestNeighbor(Float64Array.of(0.1, 0.2), Float64Array.of(0, 0)),
    (e: unknown) => e instanceof DataError && /no treated/.test((e as Error).message),
  );
  assert.throws(
    () => nearestNeighbor(Float64Array.of(0.1, 0.2), Float64Array.of(1, 2)),
    (e: unknown) => e instanceof DataError && /row 2/.test((e as Error).message),
  );
  assert.throws(
    () => kernelMatch(Float64Array.of(0.1, 0.2), Float64Array.of(1, 0), { bandwidth: 0 }),
    (e: unknown) => e instanceof ArgumentError,
  );
  assert.throws(
    () => balanceTable(d, "treat", ["x9"], new Float64Array(d.nrows)),
    (e: unknown) => e instanceof DataError && /column "x9"/.test((e as Error).message),
  );
});

test("balance table, pooled-SD bias (pstest convention) by hand", () => {
  // x: treated 1, 3 (mean 2, var 2) ; controls 2, 4, 6 (mean 4, var 4) ; pooled sd = sqrt(3)
  // bias before = 100 (2 - 4)/sqrt(3) = -115.47005383792516
  // after: weights treated 1,1 ; controls 1, 1, 0 -> control mean 3, bias = -100/sqrt(3) = -57.73502691896258
  // reduction = 100 (1 - 57.735/115.470) = 50
  const t = table({ d: [1, 1, 0, 0, 0], x: [1, 3, 2, 4, 6] });
  const b = toRecords(balanceTable(t, "d", ["x"], [1, 1, 1, 1, 0]))[0] as Record<string, number>;
  close(b.bias_before as number, -115.47005383792516, 1e-13, "bias before");
  close(b.bias_after as number, -57.73502691896258, 1e-13, "bias after");
  close(b.reduction as number, 50, 1e-13, "reduction");
  // t after: iweight regression, N = 4, residuals -1, 1, -1, 1 -> s2 = 4/2 = 2, se = sqrt(2 (1/2 + 1/2)) = sqrt 2, t = -1/sqrt 2
  close(b.t_after as number, -0.7071067811865475, 1e-13, "t after");
});

test("psmDid: yearly matching returns the matched rows and weights; baseline mode spreads unit weights", () => {
  // two "years" made from the fixture: rows 0..119 year 1, rows 120..239 year 2
  const year = Float64Array.from({ length: d.nrows }, (_, i) => (i < 120 ? 1 : 2));
  const unit = Float64Array.from({ length: d.nrows }, (_, i) => i % 120);
  const t = table({ ...d.columns, year, unit });
  const s = psmDid(t, { treat: "treat", year: "year", covariates: covs });
  const by = toRecords(s.byYear);
  assert.is(by.length, 2);
  // year 1 alone must equal a logit + match on the first 120 rows
  const t1 = table(Object.fromEntries(Object.entries(t.columns).map(([k, v]) => [k, (v as Float64Array).slice(0, 120)])));
  const m1 = nearestNeighbor(logit(t1, "treat", covs).score, numeric(t1, "treat"));
  for (let i = 0; i < 120; i++) assert.is(s.weights[i], m1.weights[i]);
  assert.is(by[0]?.nMatchedTreated, m1.nMatchedTreated);
  assert.is(s.rows.length, s.rowWeights.length);
  for (const r of s.rows) assert.ok((s.weights[r] as number) > 0);
  // baseline: treat differs within "unit" here (rows i and i+120 are different draws) -> error
  assert.throws(
    () => psmDid(t, { treat: "treat", year: "year", covariates: covs, mode: "baseline", unit: "unit", baselineYear: 1 }),
    (e: unknown) => e instanceof DataError && /varies within unit/.test((e as Error).message),
  );
  const t3 = table({ ...t.columns, treat: Float64Array.from({ length: d.nrows }, (_, i) => numeric(d, "treat")[i % 120] as number) });
  const b = psmDid(t3, { treat: "treat", year: "year", covariates: covs, mode: "baseline", unit: "unit", baselineYear: 1 });
  for (let i = 0; i < 120; i++) assert.is(b.weights[i + 120], b.weights[i]);
  assert.throws(
    () => psmDid(t, { treat: "treat", year: "year", covariates: covs, mode: "baseline", unit: "unit" }),
    (e: unknown) => e instanceof ArgumentError,
  );
});

test("psmDid distance 'logit': matching and caliper on the log-odds (Austin 2011: 0.2 SD of the logit)", () => {
  const year = Float64Array.from({ length: d.nrows }, (_, i) => (i < 120 ? 1 : 2));
  const t = table({ ...d.columns, year });
  const nearest = { caliper: 0.2, caliperScale: "sd" as const };
  const s = psmDid(t, { treat: "treat", year: "year", covariates: covs, distance: "logit", nearest });
  const t1 = table(Object.fromEntries(Object.entries(t.columns).map(([k, v]) => [k, (v as Float64Array).slice(0, 120)])));
  const p = logit(t1, "treat", covs).fitted;
  const lo = Float64Array.from(p, (x) => Math.log(x / (1 - x)));
  const m1 = nearestNeighbor(lo, numeric(t1, "treat"), nearest);
  assert.ok(m1.nMatchedTreated < m1.nTreated, "the caliper binds on the fixture (else the test shows nothing)");
  for (let i = 0; i < 120; i++) assert.is(s.weights[i], m1.weights[i]);
  for (let i = 0; i < 120; i++) close(s.score[i] as number, p[i] as number, 1e-15, "score stays the probability");
  assert.throws(
    () => psmDid(t, { treat: "treat", year: "year", covariates: covs, distance: "odds" as "logit" }),
    (e: unknown) => e instanceof ArgumentError && /distance must be/.test((e as Error).message),
  );
});

test.run();
