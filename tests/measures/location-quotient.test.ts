import { test } from "uvu";
import * as assert from "uvu/assert";
import { locationQuotient } from "../../lib/measures/location-quotient";
import { ArgumentError, DataError } from "../../lib/util/errors";

// EXACT: 1e-14 relative — ratios of small integers, a handful of divisions.
const EXACT = 1e-14;
const close = (a: number, b: number, what = "") => assert.ok(Math.abs(a - b) <= EXACT * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("2 × 2 by hand: LQ = (m_sc/m_c)/(M_s/M)", () => {
  const r = locationQuotient([
    [10, 0],
    [10, 20],
  ]);
  // M = 40, M_1 = 20, M_2 = 20; m_1 = 10, m_2 = 30
  close(r.lq[0]![0]!, 10 / 10 / (20 / 40), "c1 s1");
  close(r.lq[0]![1]!, 0, "c1 s2");
  close(r.lq[1]![0]!, 10 / 30 / (20 / 40), "c2 s1");
  close(r.lq[1]![1]!, 20 / 30 / (20 / 40), "c2 s2");
  assert.equal(Array.from(r.unitTotal), [10, 30]);
  assert.equal(Array.from(r.industryTotal), [20, 20]);
  assert.is(r.total, 40);
  assert.equal(r.emptyUnits, []);
});

test("identity: Σ_c m_c · LQ_sc = M; uniform composition gives LQ = 1", () => {
  const m = [
    [3, 7, 1],
    [12, 0, 5],
    [1, 1, 9],
    [6, 14, 2],
  ];
  const r = locationQuotient(m);
  for (let s = 0; s < 3; s++) {
    let acc = 0;
    for (let c = 0; c < 4; c++) acc += r.unitTotal[c]! * r.lq[c]![s]!;
    close(acc, r.total, `industry ${s}`);
  }
  // cities with the same industry composition as the nation: every LQ is 1
  const u = locationQuotient([
    [1, 2, 3],
    [2, 4, 6],
  ]);
  for (const row of u.lq) for (const v of row) close(v, 1, "uniform");
});

test("empty unit and empty industry: LQ 0, reported", () => {
  const r = locationQuotient([
    [0, 0, 0],
    [4, 0, 4],
    [2, 0, 6],
  ]);
  assert.equal(r.emptyUnits, [0]);
  assert.equal(r.emptyIndustries, [1]);
  assert.equal(Array.from(r.lq[0]!), [0, 0, 0]);
  close(r.lq[1]![1]!, 0, "empty industry");
  close(r.lq[1]![0]!, 4 / 8 / (6 / 16), "c2 s1");
  assert.ok(Number.isFinite(r.lq[2]![2]!));
});

test("bad input: negative or NaN count, ragged rows", () => {
  assert.throws(
    () => locationQuotient([[1, -1]]),
    (e: unknown) => e instanceof DataError && /unit #1, industry #2/.test(String(e)),
  );
  assert.throws(
    () => locationQuotient([[1, NaN]]),
    (e: unknown) => e instanceof DataError,
  );
  assert.throws(
    () => locationQuotient([[1, 2], [3]]),
    (e: unknown) => e instanceof ArgumentError,
  );
  assert.throws(
    () => locationQuotient([]),
    (e: unknown) => e instanceof ArgumentError,
  );
});

test.run();
