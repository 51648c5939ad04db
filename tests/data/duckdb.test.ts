import { test } from "uvu";
import * as assert from "uvu/assert";
import { describeQuery, duckdbThreads, exec, registerTable, sql } from "../../lib/data/duckdb";
import { NA_INT, table } from "../../lib/data/table";

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

test("registerTable: long string columns with few distinct values (appended as codes) come back identical and in order", async () => {
  const n = 120_000;
  const words = ["ordinary", "processing", "它's", "O'Brien", "", "东莞市"];
  const few = Array.from({ length: n }, (_, i) => (i % 97 === 0 ? null : (words[(i * 7) % words.length] as string)));
  const hs6 = Array.from({ length: n }, (_, i) => String(100000 + ((i * 31) % 5000)));
  const many = Array.from({ length: n }, (_, i) => `firm-${i}`); // > 20,000 distinct: the plain path
  const x = Float64Array.from({ length: n }, (_, i) => (i % 11 === 0 ? NaN : i / 3));
  await registerTable("reg_dict_test", table({ few, x, hs6, many }));
  const back = await sql("SELECT * FROM reg_dict_test");
  assert.equal(back.names, ["few", "x", "hs6", "many"]);
  assert.equal(back.columns["few"], few);
  assert.equal(back.columns["hs6"], hs6);
  assert.equal(back.columns["many"], many);
  assert.equal(Array.from(back.columns["x"] as Float64Array), Array.from(x));
  const types = await describeQuery("SELECT * FROM reg_dict_test");
  assert.equal(
    types.map((t) => t.type),
    ["VARCHAR", "DOUBLE", "VARCHAR", "VARCHAR"],
  );
});

test("registerTable: typed columns are copied bit for bit (NaN and NA_INT → NULL, −0, subnormals, views, a partial last chunk)", async () => {
  const n = 2048 * 3 + 77; // three full chunks and a partial one
  const backing = new Float64Array(n + 5);
  const x = backing.subarray(5); // a view with a byte offset
  const special = [-0, 5e-324, -1.7976931348623157e308, Number.MIN_VALUE * 3, 0.1 + 0.2, Infinity, -Infinity];
  for (let i = 0; i < n; i++) x[i] = i % 500 === 3 ? NaN : i < special.length ? (special[i] as number) : Math.sin(i) * 10 ** ((i % 40) - 20);
  const k = Int32Array.from({ length: n }, (_, i) => (i % 777 === 5 ? NA_INT : (i * 2654435761) | 0));
  const allNa = new Float64Array(n).fill(NaN);
  await registerTable("reg_typed_test", table({ x, k, allNa }));
  const back = await sql("SELECT x, k, allNa, x IS NULL AS xn, k IS NULL AS kn FROM reg_typed_test", { intColumns: ["k"] });
  const bx = back.columns["x"] as Float64Array,
    bk = back.columns["k"] as Int32Array,
    bxn = back.columns["xn"] as Float64Array,
    bkn = back.columns["kn"] as Float64Array;
  for (let i = 0; i < n; i++) {
    assert.ok(Object.is(bx[i], x[i]), `x[${i}]: ${bx[i]} vs ${x[i]}`);
    assert.is(bxn[i], Number.isNaN(x[i] as number) ? 1 : 0, `x[${i}] NULL`);
    assert.is(bk[i], k[i], `k[${i}]`);
    assert.is(bkn[i], k[i] === NA_INT ? 1 : 0, `k[${i}] NULL`);
  }
  const nulls = await sql("SELECT count(*) FILTER (WHERE allNa IS NULL) AS a FROM reg_typed_test");
  assert.is((nulls.columns["a"] as Float64Array)[0], n);
  await exec("DROP TABLE reg_typed_test");
  // columns on a SharedArrayBuffer (the native copy takes ArrayBuffers only): copied slice by slice
  const shared = new Float64Array(new SharedArrayBuffer(8 * (n + 3))).subarray(3);
  shared.set(x);
  const sharedK = new Int32Array(new SharedArrayBuffer(4 * n));
  sharedK.set(k);
  await registerTable("reg_shared_test", table({ x: shared, k: sharedK }));
  const sb = await sql("SELECT x, k, x IS NULL AS xn FROM reg_shared_test", { intColumns: ["k"] });
  for (let i = 0; i < n; i++) {
    assert.ok(Object.is((sb.columns["x"] as Float64Array)[i], x[i]), `shared x[${i}]`);
    assert.is((sb.columns["xn"] as Float64Array)[i], Number.isNaN(x[i] as number) ? 1 : 0, `shared x[${i}] NULL`);
    assert.is((sb.columns["k"] as Int32Array)[i], k[i], `shared k[${i}]`);
  }
  await exec("DROP TABLE reg_shared_test");
});

test.run();
