import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exec, registerTable, sqlString } from "../../lib/data/duckdb";
import { table } from "../../lib/data/table";
import { productQuality, type QualityOptions, type QualityResult } from "../../lib/measures/quality";
import { simulateCustoms } from "./quality-sim";

// Tolerances
// QUALITY_ABS: the out-of-core path ("by-year") solves the same fixed-effect normal equations
//   from cell sums instead of row sums, so residuals differ by rounding only (measured ≤ 6e-15
//   on this data); rqua ∈ [0, 1] is compared absolutely because near the HS6 minimum (20) is a
//   difference of nearly equal numbers, where a relative comparison is meaningless.
// EST_REL: σ̂, its SE and CI, the OLS σ, first-stage F and partial R² (measured ≤ 1e-13).
// VALUE_REL: export-value sums, summed in another order.
const QUALITY_ABS = 1e-10;
const EST_REL = 1e-10;
const VALUE_REL = 1e-12;

const sigma = table({ hs3: ["841", "842", "090"], sigma: [4, 4, 3] });

function rel(a: number | undefined, b: number | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : Infinity;
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

/** The two paths give the same tables (keys exact), counts and estimates, up to rounding. */
function assertSame(a: QualityResult, b: QualityResult, label: string): void {
  for (const k of ["cityHs4Year", "hs6", "firm"] as const) {
    const x = a[k],
      y = b[k];
    assert.equal(y.names, x.names, `${label} ${k}: columns`);
    assert.is(y.nrows, x.nrows, `${label} ${k}: rows`);
    for (const c of x.names) {
      const u = x.columns[c] as ArrayLike<number | string | null>,
        v = y.columns[c] as ArrayLike<number | string | null>;
      for (let i = 0; i < x.nrows; i++) {
        if (c === "quality")
          assert.ok(Math.abs((u[i] as number) - (v[i] as number)) <= QUALITY_ABS, `${label} ${k}.quality[${i}]: ${u[i]} vs ${v[i]}`);
        else if (c === "value") assert.ok(rel(u[i] as number, v[i] as number) <= VALUE_REL, `${label} ${k}.value[${i}]`);
        else assert.is(v[i], u[i], `${label} ${k}.${c}[${i}]`);
      }
    }
  }
  const { steps: sa, ...ca } = a.counts,
    { steps: sb, ...cb } = b.counts;
  assert.equal(cb, ca, `${label}: counts`);
  assert.is(sb!.length, sa!.length);
  sa!.forEach((s, i) => {
    const t = sb![i]!;
    assert.equal([t.step, t.dropped, t.rows, t.hs6, t.firms], [s.step, s.dropped, s.rows, s.hs6, s.firms], `${label}: step ${i}`);
    assert.ok(rel(s.value, t.value) <= VALUE_REL, `${label}: step ${i} value`);
  });
  if (a.sigmaHat) {
    const s = a.sigmaHat,
      t = b.sigmaHat!;
    for (const f of ["estimate", "se", "ciLow", "ciHigh", "ols"] as const)
      assert.ok(rel(s[f], t[f]) <= EST_REL, `${label}: σ̂.${f} ${s[f]} vs ${t[f]}`);
    assert.is(t.nobs, s.nobs);
    for (const f of ["coef", "f", "partialR2"] as const)
      assert.ok(
        rel(a.firstStage![f], b.firstStage![f]) <= EST_REL,
        `${label}: first stage ${f} ${a.firstStage![f]} vs ${b.firstStage![f]}`,
      );
  } else assert.is(b.sigmaHat, null);
  if (a.sigmaByHs3) {
    const x = a.sigmaByHs3,
      y = b.sigmaByHs3!;
    assert.equal(y.columns["hs3"], x.columns["hs3"]);
    for (const c of ["sigma_hat", "se", "nobs", "sigma_table"])
      (x.columns[c] as Float64Array).forEach((v, i) =>
        assert.ok(rel(v, (y.columns[c] as Float64Array)[i]) <= EST_REL, `${label}: σ̂_hs3 ${c}[${i}]`),
      );
  }
}

/** Every input row is dropped by exactly one step or kept to the end. */
function assertEveryRowCounted(q: QualityResult): void {
  const st = q.counts.steps!;
  const dropped = st.reduce((s, x) => s + x.dropped, 0);
  assert.is(dropped + st[st.length - 1]!.rows, q.counts.input);
  for (let i = 1; i < st.length; i++) assert.is(st[i - 1]!.rows - st[i]!.dropped, st[i]!.rows);
}

const CASES: [string, Partial<QualityOptions>][] = [
  ["2SLS pooled, firm clusters, OLS comparison", { compareOls: true }],
  ["2SLS pooled with a control (missing values)", { controls: ["gdp"], compareOls: true }],
  ["2SLS pooled, hetero, estimated divisor", { vcov: "hetero", divisor: "estimated" }],
  ["2SLS pooled, iid, HS6 clusters", { vcov: "cluster:hs6_id" }],
  ["2SLS per HS3", { sigmaBy: "hs3" }],
  ["known σ", { method: "known-sigma" }],
  ["known σ with a control", { method: "known-sigma", controls: ["gdp"] }],
];

test("quality: the out-of-core path (by year, from disk) gives the in-memory quality, counts and σ̂", async () => {
  const { customs } = simulateCustoms(11);
  for (const [label, o] of CASES) {
    const a = await productQuality({ customs, sigma, minObs: 30, ...o, mode: "in-memory" });
    const b = await productQuality({ customs, sigma, minObs: 30, ...o, mode: "by-year" });
    assert.is(a.mode, "in-memory");
    assert.is(b.mode, "by-year");
    // the data exercise every rule and the singleton step
    const c = a.counts;
    for (const v of [c.nonPositive, c.intermediaries, c.resourceProducts, c.noOtherDestination, c.smallProducts])
      assert.ok(v > 0, `${label}: a rule drops nothing`);
    if (o.method !== "known-sigma" || o.controls) assert.ok(c.steps![6]!.dropped > 0, `${label}: no singletons`);
    assertEveryRowCounted(a);
    assertSame(a, b, label);
  }
});

test("quality: a year-partitioned Parquet folder (hive layout) and a CSV give the table's results", async () => {
  const { customs } = simulateCustoms(5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-quality-test-"));
  try {
    await registerTable("quality_test_src", customs);
    await exec(`COPY quality_test_src TO ${sqlString(path.join(dir, "customs"))} (FORMAT PARQUET, PARTITION_BY (year))`);
    await exec(`COPY quality_test_src TO ${sqlString(path.join(dir, "customs.csv"))} (FORMAT CSV, HEADER TRUE)`);
    await exec(
      `COPY (SELECT * FROM (VALUES ('841', 4.0), ('842', 4.0), ('090', 3.0)) t(hs3, sigma)) TO ${sqlString(path.join(dir, "sigma.csv"))} (FORMAT CSV, HEADER TRUE)`,
    );
    await exec("DROP TABLE quality_test_src");
    assert.ok(fs.readdirSync(path.join(dir, "customs")).some((f) => f.startsWith("year=")));
    const ref = await productQuality({ customs, sigma, minObs: 30, mode: "in-memory" });
    const folder = await productQuality({ customs: path.join(dir, "customs"), sigma: path.join(dir, "sigma.csv"), minObs: 30 });
    assert.is(folder.mode, "in-memory");
    assertSame(ref, folder, "folder, in memory");
    const folderOoc = await productQuality({
      customs: path.join(dir, "customs"),
      sigma: path.join(dir, "sigma.csv"),
      minObs: 30,
      mode: "auto",
      inMemoryMaxRows: 100,
    });
    assert.is(folderOoc.mode, "by-year");
    assertSame(ref, folderOoc, "folder, by year");
    // CSV: HS codes keep their leading zeros (090110 is chapter 09, dropped by rule 3; σ of HS3 "090")
    const csv = await productQuality({ customs: path.join(dir, "customs.csv"), sigma: path.join(dir, "sigma.csv"), minObs: 30 });
    assertSame(ref, csv, "CSV");
    assert.ok(csv.counts.resourceProducts > 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("quality: by-year rejects a variance it cannot compute from sums", async () => {
  const { customs } = simulateCustoms(5);
  try {
    await productQuality({ customs, sigma, minObs: 30, mode: "by-year", vcov: "cluster:city_code" });
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /by-year.*supports vcov/);
  }
});

test("quality: the σ-table error names the first HS3 without σ in both paths", async () => {
  const { customs } = simulateCustoms(5);
  for (const mode of ["in-memory", "by-year"] as const) {
    try {
      await productQuality({ customs, sigma: table({ hs3: ["841"], sigma: [4] }), method: "known-sigma", minObs: 30, mode });
      assert.unreachable();
    } catch (e) {
      assert.match((e as Error).message, /HS3 "842"/);
    }
  }
});

test.run();
