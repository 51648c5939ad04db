import { test } from "uvu";
import * as assert from "uvu/assert";
import { duckdbThreads, exec, sql } from "../../lib/data/duckdb";

// DuckDB runs single-threaded unless told otherwise: with several threads its floating-point
// partial sums are added in the order the threads finish, and estimates differed in the last bits
// from run to run (seen on the EQ quality panel: 7,194 of 27,174 cells).

function withThreads<T>(v: string | undefined, f: () => T): T {
  const old = process.env["VAGG_DUCKDB_THREADS"];
  if (v === undefined) delete process.env["VAGG_DUCKDB_THREADS"]; else process.env["VAGG_DUCKDB_THREADS"] = v;
  try { return f(); } finally { if (old === undefined) delete process.env["VAGG_DUCKDB_THREADS"]; else process.env["VAGG_DUCKDB_THREADS"] = old; }
}

test("duckdbThreads: 1 by default, VAGG_DUCKDB_THREADS overrides, a bad value is an error naming the variable", () => {
  assert.is(withThreads(undefined, duckdbThreads), 1);
  assert.is(withThreads("", duckdbThreads), 1);
  assert.is(withThreads("2", duckdbThreads), 2);
  assert.throws(() => withThreads("two", duckdbThreads), /VAGG_DUCKDB_THREADS must be a positive integer, got "two"/);
  assert.throws(() => withThreads("0", duckdbThreads), /VAGG_DUCKDB_THREADS/);
});

test("grouped double sums are bitwise identical from query to query", async () => {
  // a materialised table is scanned by row group, which is where threads would race
  await exec("CREATE OR REPLACE TABLE vagg_det_test AS SELECT i % 97 AS g, sin(i) * 1e6 + 1 / (i + 1) AS x FROM range(4000000) t(i)");
  const q = "SELECT g, sum(x) AS s, avg(x) AS m FROM vagg_det_test GROUP BY g ORDER BY g";
  const runs = [];
  for (let k = 0; k < 4; k++) runs.push(await sql(q));
  await exec("DROP TABLE vagg_det_test");
  const [a, ...rest] = runs;
  for (const b of rest) {
  for (const c of ["s", "m"]) {
    const x = a!.columns[c] as Float64Array;
    const y = b.columns[c] as Float64Array;
    for (let i = 0; i < x.length; i++) assert.ok(Object.is(x[i], y[i]), `${c}[${i}]: ${x[i]} vs ${y[i]}`);
  }
  }
});

test.run();
