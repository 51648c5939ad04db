import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as iconv from "iconv-lite";
import * as XLSX from "@e965/xlsx";
import { readTable, readRawFile, schemaForFile, writeTable, type LoadedTable } from "../../lib/data/io";
import { exec, sqlString } from "../../lib/data/duckdb";
import { writeDta } from "../../lib/data/dta";
import { SCHEMA_BY_FILE } from "../../lib/data/schemas";
import { validateTable, checkUniqueKey, type Schema } from "../../lib/data/schema";
import { table, NA_INT, type Column } from "../../lib/data/table";

// readTable(file, { schema }) — the one way in for data: every raw file validated on read,
// one-line errors naming file/column/row or the duplicated key, duplicate column names refused
// in every format, and every row left out counted in `dropped`.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-read-schema-"));
let seq = 0;
const sub = () => { const d = path.join(dir, `d${++seq}`); fs.mkdirSync(d); return d; };
const put = (d: string, name: string, body: string | Buffer) => { const p = path.join(d, name); fs.writeFileSync(p, body); return p; };
async function message(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { return (e as Error).message; }
  assert.unreachable("expected an error");
  return "";
}
/** Exactly one line, a vagg data error naming the file. */
function oneLine(m: string, file: string): string {
  assert.not.match(m, /\n/, m);
  assert.ok(m.startsWith(`vagg data error: ${file}: `), m);
  return m;
}

/** A cell of a minimal valid file: keys distinct per row, leading zeros in text codes. */
function cell(type: "number" | "integer" | "string", name: string, i: number): string {
  if (type === "integer") return String(name === "year" ? 2005 + i : 110000 + 100 * i);
  if (type === "number") return (1.25 + i).toString();
  return name === "hs6" ? `0${10110 + i}` : `${name}_${i}`;
}
function minimalRows(s: Schema, n = 3): string[][] {
  return Array.from({ length: n }, (_, i) => s.columns.map((c) => cell(c.type, c.name, i)));
}

test("each of the 16 raw files: a minimal valid file reads with its schema (readRawFile and schema: \"auto\")", async () => {
  assert.is(Object.keys(SCHEMA_BY_FILE).length, 16);
  const d = sub();
  for (const [name, s] of Object.entries(SCHEMA_BY_FILE)) {
    const rows = minimalRows(s);
    if (name.endsWith(".parquet")) {
      const cols: Record<string, Column> = {};
      s.columns.forEach((c, j) => {
        const v = rows.map((r) => r[j] as string);
        cols[c.name] = c.type === "string" ? v : c.type === "integer" ? Int32Array.from(v, Number) : Float64Array.from(v, Number);
      });
      await writeTable(table(cols), path.join(d, name));
    } else put(d, name, [s.columns.map((c) => c.name).join(","), ...rows.map((r) => r.join(","))].join("\n") + "\n");
    const t = await readRawFile(d, name);
    assert.is(t.nrows, 3, name);
    assert.is(t.dropped.count, 0, name);
    for (const c of s.columns) {
      const col = t.columns[c.name];
      if (c.type === "integer") assert.instance(col, Int32Array, `${name} ${c.name}`);
      else if (c.type === "number") assert.instance(col, Float64Array, `${name} ${c.name}`);
      else assert.ok(Array.isArray(col), `${name} ${c.name}`);
    }
    const u = await readTable(path.join(d, name), { schema: "auto" });
    assert.equal(u.names, t.names);
  }
  // HS6 codes keep their leading zeros (a schema's text column is read as text)
  const p = await readRawFile(d, "products.csv");
  assert.equal(p.columns["hs6"], ["010110", "010111", "010112"]);
});

test("schema \"auto\" and readRawFile: an unknown file name is one line listing the known ones", async () => {
  const d = sub();
  const f = put(d, "my_panel.csv", "a,b\n1,2\n");
  const m = oneLine(await message(readTable(f, { schema: "auto" })), f);
  assert.match(m, /no schema for a raw file named "my_panel\.csv" \(schema "auto" knows: customs\.parquet, .*cities\.csv/);
  await message(readRawFile(d, "my_panel.csv"));
  assert.is(schemaForFile("/x/y/census_2008.csv").name, "census");
});

const YB = SCHEMA_BY_FILE["city_yearbook.csv"] as Schema;
function yearbook(n: number, edit?: (header: string[], rows: string[][]) => void, eol = "\n"): string {
  const header = YB.columns.map((c) => c.name);
  const rows = Array.from({ length: n }, (_, i) => YB.columns.map((c) => (c.name === "city_code" ? String(110000 + 100 * Math.floor(i / 3)) : c.name === "year" ? String(2004 + (i % 3)) : (10 + i * 0.5).toString())));
  edit?.(header, rows);
  return [header.join(","), ...rows.map((r) => r.join(","))].join(eol) + eol;
}

test("a researcher's city_yearbook.csv with a missing column stops with one line naming file and column", async () => {
  const d = sub();
  const f = put(d, "city_yearbook.csv", yearbook(6, (h, rows) => { const j = h.indexOf("gdp"); h.splice(j, 1); rows.forEach((r) => r.splice(j, 1)); }));
  const m = oneLine(await message(readRawFile(d, "city_yearbook.csv")), f);
  assert.match(m, /: column "gdp": missing \(required by schema "yearbook"; found: city_code, year, pop, area, gdp_index/);
});

test("text in a numeric column stops with one line naming file, column, row and value (fast path and DuckDB path)", async () => {
  const d = sub();
  const f = put(d, "city_yearbook.csv", yearbook(8, (h, rows) => { (rows[4] as string[])[h.indexOf("wage")] = "n/a"; }));
  const m = oneLine(await message(readRawFile(d, "city_yearbook.csv")), f);
  assert.is(m, `vagg data error: ${f}: column "wage", row 5: expected a number, found "n/a"`);
  // an integer column holding a fraction
  const g = put(sub(), "city_yearbook.csv", yearbook(4, (h, rows) => { (rows[2] as string[])[h.indexOf("year")] = "2006.5"; }));
  assert.is(oneLine(await message(readTable(g, { schema: "auto" })), g), `vagg data error: ${g}: column "year", row 3: expected an integer, found 2006.5`);
});

test("a duplicated key stops with one line naming the file, the key values and both rows", async () => {
  const d = sub();
  const f = put(d, "city_yearbook.csv", yearbook(9, (h, rows) => {
    const r = rows[8] as string[];
    r[h.indexOf("city_code")] = "110000"; r[h.indexOf("year")] = "2008";
    const q = rows[4] as string[];
    q[h.indexOf("city_code")] = "110000"; q[h.indexOf("year")] = "2008";
  }));
  const m = oneLine(await message(readRawFile(d, "city_yearbook.csv")), f);
  assert.is(m, `vagg data error: ${f}: duplicate key (city_code=110000, year=2008) at rows 5 and 9 (key city_code+year of schema "yearbook")`);
  // a missing value in a key column
  const g = put(sub(), "city_yearbook.csv", yearbook(4, (h, rows) => { (rows[1] as string[])[h.indexOf("year")] = ""; }));
  assert.is(oneLine(await message(readTable(g, { schema: "auto" })), g), `vagg data error: ${g}: column "year", row 2: missing value in a key column`);
});

test("extra columns, reordered columns, CRLF line ends and a BOM are accepted", async () => {
  const d = sub();
  const f = put(d, "city_yearbook.csv", "\ufeff" + yearbook(6, (h, rows) => {
    h.reverse(); rows.forEach((r) => r.reverse());
    h.push("note"); rows.forEach((r, i) => r.push(`comment ${i}`));
  }, "\r\n"));
  const t = await readTable(f, { schema: "auto" });
  assert.is(t.nrows, 6);
  assert.is(t.names[0], "deflator");
  assert.equal(t.columns["note"], ["comment 0", "comment 1", "comment 2", "comment 3", "comment 4", "comment 5"]);
  assert.equal(Array.from(t.columns["year"] as Int32Array), [2004, 2005, 2006, 2004, 2005, 2006]);
  assert.is(t.dropped.count, 0);
  // a plain numeric CRLF file (the fast path)
  const g = put(sub(), "history_1984.csv", "post_offices,city_code,telephones,extra\r\n3,110000,900,0.5\r\n4,120000,800,\r\n");
  const h = await readTable(g, { schema: "auto" });
  assert.equal(Array.from(h.columns["city_code"] as Int32Array), [110000, 120000]);
  assert.instance(h.columns["telephones"], Int32Array);
});

test("columns= with a schema checks the selected columns only", async () => {
  const d = sub();
  const f = put(d, "city_yearbook.csv", yearbook(3, (h, rows) => { (rows[1] as string[])[h.indexOf("wage")] = "n/a"; }));
  const t = await readTable(f, { schema: "auto", columns: ["city_code", "year", "gdp"] });
  assert.equal([...t.names], ["city_code", "year", "gdp"]);
  assert.instance(t.columns["year"], Int32Array);
});

// ---- duplicate column names, every format ----

test("duplicate header names: CSV (fast path and DuckDB path, .csv.gz), one line naming column and file", async () => {
  const d = sub();
  const a = put(d, "a.csv", "id,gdp,x,gdp\n1,2,3,4\n");
  assert.is(oneLine(await message(readTable(a)), a), `vagg data error: ${a}: column "gdp" appears twice (columns 2 and 4)`);
  const b = put(d, "b.csv", "id,name,gdp,gdp\r\n1,x,3,4\r\n");
  assert.is(oneLine(await message(readTable(b, { schema: { name: "s", columns: [{ name: "id", type: "integer" }] } })), b), `vagg data error: ${b}: column "gdp" appears twice (columns 3 and 4)`);
  const c = put(d, "c.csv", "id,GDP,gdp\n1,2,3\n");
  assert.match(oneLine(await message(readTable(c)), c), /columns "GDP" \(column 2\) and "gdp" \(column 3\) differ only in case/);
});

/**
 * A Parquet file written by DuckDB whose column `from` is then renamed `to` in the footer (same
 * length): DuckDB's writer itself renames a repeated name ("gdp_1"), so a file with a real
 * duplicate (as other writers produce) needs the patch.
 */
async function parquetWithRename(p: string, select: string, from: string, to: string): Promise<void> {
  await exec(`COPY (${select}) TO ${sqlString(p)} (FORMAT PARQUET)`);
  const b = fs.readFileSync(p);
  let k = 0;
  for (let i = b.indexOf(from); i >= 0; i = b.indexOf(from, i + 1)) { b.write(to, i, "latin1"); k++; }
  assert.ok(k > 0);
  fs.writeFileSync(p, b);
}

test("duplicate column names: Parquet (written with DuckDB), exact and differing only in case", async () => {
  const d = sub();
  const p = path.join(d, "dup.parquet");
  await parquetWithRename(p, "SELECT 1 AS id, 2.5 AS gdp, 3 AS x, 4.5 AS gdq", "gdq", "gdp");
  assert.is(oneLine(await message(readTable(p)), p), `vagg data error: ${p}: column "gdp" appears twice (columns 2 and 4)`);
  const q = path.join(d, "case.parquet");
  await parquetWithRename(q, "SELECT 1 AS id, 2 AS GDP, 3 AS gdq", "gdq", "gdp");
  assert.match(oneLine(await message(readTable(q)), q), /columns "GDP" \(column 2\) and "gdp" \(column 3\) differ only in case/);
  // a nested column's fields are not top-level names
  const r = path.join(d, "nested.parquet");
  await exec(`COPY (SELECT 1 AS id, {'id': 2, 'v': 3} AS s, 4 AS v) TO ${sqlString(r)} (FORMAT PARQUET)`);
  const t = await readTable(r);
  assert.equal([...t.names], ["id", "s", "v"]);
});

test("duplicate column names: Stata .dta (the project's writer, then the name patched: tables cannot hold two equal names)", async () => {
  const d = sub();
  for (const version of [117, 118] as const) {
    const f = path.join(d, `dup-${version}.dta`);
    writeDta(f, table({ id: Float64Array.of(1, 2), gdp: Float64Array.of(3, 4), gdq: Float64Array.of(5, 6) }), { version });
    const b = fs.readFileSync(f);
    const at = b.indexOf("gdq", b.indexOf("<varnames>"));
    assert.ok(at > 0);
    b.write("gdp", at, "latin1");
    fs.writeFileSync(f, b);
    assert.is(oneLine(await message(readTable(f)), f), `vagg data error: ${f}: column "gdp" appears twice (columns 2 and 3)`);
  }
});

test("duplicate column names: Excel", async () => {
  const d = sub();
  const f = path.join(d, "dup.xlsx");
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([["city", "gdp", "year", "gdp"], ["A", 1, 2010, 2], ["B", 3, 2011, 4]]), "Sheet1");
  XLSX.writeFile(wb, f);
  assert.is(oneLine(await message(readTable(f)), f), `vagg data error: ${f}: sheet "Sheet1": column "gdp" appears twice (columns B and D) (rename one, or read with header: "join")`);
});

// ---- dropped rows ----

test("blank lines are left out and counted with their rows (middle, whitespace-only, trailing; DuckDB and fast path)", async () => {
  const d = sub();
  // text columns: DuckDB path; a blank line, a whitespace-only line, two trailing blank lines
  const a = put(d, "a.csv", "city,year,gdp\nA,2010,1\n\nB,2011,2\n  \t\nC,2012,3\n\n\n");
  const t = await readTable(a);
  assert.is(t.nrows, 3);
  assert.equal(t.columns["city"], ["A", "B", "C"]);
  assert.equal(t.dropped.rows.map((r) => [r.row, r.reason]), [[2, "blank"], [4, "blank"], [6, "blank"], [7, "blank"]]);
  assert.is(t.dropped.count, 4);
  assert.is(t.dropped.summary, "a.csv: dropped 4 rows: 4 blank (rows 2, 4, 6, 7)");
  assert.ok(Object.isFrozen(t.dropped) && Object.isFrozen(t.dropped.rows) && Object.isFrozen(t));
  // numeric: fast path with trailing blank lines only
  const b = put(d, "b.csv", "x,y\r\n1,2\r\n3,4\r\n\r\n\r\n");
  const u = await readTable(b);
  assert.is(u.nrows, 2);
  assert.equal(u.dropped.rows.map((r) => r.row), [3, 4]);
  // numeric with a blank line in the middle: cut, then the fast parser
  const c = put(d, "c.csv", "x,y\n1,2\n\n3,4\n");
  const v = await readTable(c);
  assert.equal(Array.from(v.columns["y"] as Float64Array), [2, 4]);
  assert.equal(v.dropped.rows.map((r) => r.row), [2]);
  // one column: a blank line is left out too (DuckDB alone would read it as NA)
  const e = await readTable(put(d, "e.csv", "a\n1\n\n2\n"));
  assert.is(e.nrows, 2);
  assert.is(e.dropped.count, 1);
  // a blank line inside a quoted field is data, not a dropped row
  const q = await readTable(put(d, "q.csv", 'id,text\n1,"para one\n\npara two"\n\n2,x\n'));
  assert.equal(q.columns["text"], ["para one\n\npara two", "x"]);
  assert.equal(q.dropped.rows.map((r) => r.row), [2]);
  // nothing dropped
  const n = await readTable(put(d, "n.csv", "a,b\nx,1\n"));
  assert.is(n.dropped.count, 0);
  assert.is(n.dropped.summary, "n.csv: dropped no rows");
});

test("with a schema, all-missing rows are left out and counted; error rows are the file's rows after dropped rows", async () => {
  const d = sub();
  const body = yearbook(6, (h, rows) => { rows.splice(2, 0, h.map(() => "")); rows.splice(5, 0, h.map(() => ".")); });
  const f = put(d, "city_yearbook.csv", body.replace("\n", "\n\n")); // a blank line before data row 1
  const t: LoadedTable = await readTable(f, { schema: "auto" });
  assert.is(t.nrows, 6);
  assert.equal(t.dropped.rows.map((r) => [r.row, r.reason]), [[1, "blank"], [4, "all-missing"], [7, "all-missing"]]);
  assert.match(t.dropped.summary, /dropped 3 rows: 1 blank \(row 1\), 2 all-missing \(rows 4, 7\)/);
  // without a schema the all-missing rows stay (nothing is dropped that the caller did not ask for)
  const raw = await readTable(f);
  assert.is(raw.nrows, 8);
  // the error names row 9 of the file: 1 blank line and 2 all-missing rows before it
  const bad = yearbook(6, (h, rows) => { (rows[5] as string[])[h.indexOf("wage")] = "oops"; rows.splice(2, 0, h.map(() => "")); rows.splice(5, 0, h.map(() => ".")); });
  const g = put(sub(), "city_yearbook.csv", bad.replace("\n", "\n\n"));
  const m = oneLine(await message(readTable(g, { schema: "auto" })), g);
  assert.match(m, /row 9: expected a number, found "oops"/, m);
});

test("large files (streamed, not held in memory) with blank lines are read in memory and their blank lines counted", async () => {
  const d = sub();
  const lines = ["city,v"];
  for (let i = 0; i < 2000; i++) lines.push(`c${i},${i}`);
  lines.splice(1001, 0, "");
  const f = put(d, "big.csv", lines.join("\n") + "\n");
  const prev = process.env["VAGG_CSV_INMEMORY_BYTES"];
  process.env["VAGG_CSV_INMEMORY_BYTES"] = "1000";
  try {
    const t = await readTable(f);
    assert.is(t.nrows, 2000);
    assert.equal(t.dropped.rows.map((r) => r.row), [1001]);
    const g = put(d, "big2.csv", lines.filter((l) => l !== "").join("\n") + "\n");
    assert.is((await readTable(g)).dropped.count, 0);
  } finally { if (prev === undefined) delete process.env["VAGG_CSV_INMEMORY_BYTES"]; else process.env["VAGG_CSV_INMEMORY_BYTES"] = prev; }
});

test("GBK text with a blank line, .csv.gz, and where= with a schema: validated, blank line counted", async () => {
  const d = sub();
  const f = put(d, "cities.csv", iconv.encode("city_code,city,province,province_code,lon,lat,pop_2010\r\n110000,北京,北京市,11,116.4,39.9,19612368\r\n\r\n310000,上海,上海市,31,121.5,31.2,23019196\r\n", "gbk"));
  const t = await readTable(f, { schema: "auto" });
  assert.equal(t.columns["city"], ["北京", "上海"]);
  assert.equal(t.dropped.rows.map((r) => r.row), [2]);
  const g = put(sub(), "national_series.csv.gz", zlib.gzipSync("year,internet_investment,internet_users,cny_per_usd\n2010,1,2,6.8\n\n2011,1,2,6.5\n2011,1,2,6.3\n"));
  const m = oneLine(await message(readTable(g, { schema: SCHEMA_BY_FILE["national_series.csv"] as Schema })), g);
  assert.match(m, /duplicate key \(year=2011\) at rows 3 and 4/);
  const w = await readTable(g, { schema: SCHEMA_BY_FILE["national_series.csv"] as Schema, where: "cny_per_usd > 6.4" });
  assert.equal(Array.from(w.columns["year"] as Int32Array), [2010, 2011]);
});

test("Excel: the rows readXlsx leaves out are in dropped too", async () => {
  const d = sub();
  const f = path.join(d, "notes.xlsx");
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([["city", "gdp"], ["A", 1], [], ["B", 2], ["注：单位亿元"]]), "Sheet1");
  XLSX.writeFile(wb, f);
  const t = await readTable(f);
  assert.is(t.nrows, 2);
  assert.equal(t.dropped.rows.map((r) => [r.row, r.reason]), [[3, "empty"], [5, "note"]]);
  // a schema error names the Excel row
  const g = path.join(d, "bad.xlsx");
  const wb2 = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb2, XLSX.utils.aoa_to_sheet([["id", "v"], [1, 1], [], [1, 2]]), "Sheet1");
  XLSX.writeFile(wb2, g);
  const m = oneLine(await message(readTable(g, { schema: { name: "s", key: ["id"], columns: [{ name: "id", type: "integer" }] } })), g);
  assert.match(m, /duplicate key \(id=1\) at rows 2 and 4/);
});

// ---- the key check ----

test("checkUniqueKey: integer (bitmap), wide integer, float and text keys, NA equal to NA", () => {
  const ok = (t: ReturnType<typeof table>, key: string[]) => checkUniqueKey(t, key, "t");
  const bad = (t: ReturnType<typeof table>, key: string[], re: RegExp) => assert.throws(() => ok(t, key), re);
  ok(table({ a: Int32Array.of(1, 2, 3), b: Int32Array.of(1, 1, 1) }), ["a", "b"]);
  bad(table({ a: Int32Array.of(1, 2, 1), b: Int32Array.of(5, 5, 5) }), ["a", "b"], /duplicate key \(a=1, b=5\) at rows 1 and 3 \(key a\+b\)/);
  bad(table({ a: Int32Array.of(-2e9, 2e9, 7, 2e9) }), ["a"], /\(a=2000000000\) at rows 2 and 4/);
  bad(table({ a: Int32Array.of(NA_INT, 1, NA_INT) }), ["a"], /\(a=NA\) at rows 1 and 3/);
  bad(table({ x: Float64Array.of(0.5, -0, NaN, 0, NaN) }), ["x"], /\(x=0\) at rows 2 and 4/);
  bad(table({ s: ["a", null, "b", "a"] }), ["s"], /\(s=a\) at rows 1 and 4/);
  bad(table({ s: ["a", "b", "a", "b"], y: Int32Array.of(1, 1, 2, 1) }), ["s", "y"], /\(s=b, y=1\) at rows 2 and 4/);
  // many distinct rows: no false positive from hash collisions
  const n = 200000;
  ok(table({ s: Array.from({ length: n }, (_, i) => `k${i}`), x: Float64Array.from({ length: n }, (_, i) => i / 7) }), ["s", "x"]);
  ok(table({ a: Int32Array.from({ length: n }, (_, i) => i * 40000), b: Int32Array.from({ length: n }, (_, i) => i % 3) }), ["a", "b"]);
});

test("validateTable: rowNumber names the caller's rows", () => {
  const s: Schema = { name: "s", columns: [{ name: "v", type: "number" }] };
  assert.throws(() => validateTable(table({ v: ["1", "x"] }), s, "f.csv", { rowNumber: (i) => i + 10 }), /f\.csv: column "v", row 11: expected a number, found "x"/);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
