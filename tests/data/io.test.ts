import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readTable, writeTable } from "../../lib/data/io";
import { sql } from "../../lib/data/duckdb";
import { validateTable, type Schema } from "../../lib/data/schema";
import { table, NA_INT, toRecords } from "../../lib/data/table";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-io-"));
const f = (name: string, body: string) => { const p = path.join(dir, name); fs.writeFileSync(p, body); return p; };

const CITY_YEAR: Schema = {
  name: "city_year",
  key: ["city", "year"],
  columns: [
    { name: "city", type: "string" },
    { name: "year", type: "integer" },
    { name: "gdp", type: "number", unit: "10k CNY" },
  ],
};

test("CSV → table: numbers as Float64Array with NA as NaN, text as strings", async () => {
  const t = await readTable(f("a.csv", "city,year,gdp\nA,2010,1.5\nB,2011,\n"), { intColumns: ["year"] });
  assert.equal(t.names, ["city", "year", "gdp"]);
  assert.instance(t.columns["gdp"], Float64Array);
  assert.instance(t.columns["year"], Int32Array);
  assert.ok(Number.isNaN((t.columns["gdp"] as Float64Array)[1] as number));
  assert.equal(t.columns["city"], ["A", "B"]);
});

test("CSV and Parquet round trip keep values, NA and types", async () => {
  const t = table({ id: Int32Array.of(1, NA_INT, 3), x: Float64Array.of(0.1, NaN, -1e300), s: ["a", null, "中文"] });
  for (const ext of ["csv", "parquet"]) {
    const p = path.join(dir, `rt.${ext}`);
    await writeTable(t, p);
    const back = await readTable(p, { intColumns: ["id"] });
    assert.equal(toRecords(back), toRecords(t), ext);
  }
});

test("schema: missing column → one line naming file and column", async () => {
  const p = f("m.csv", "city,gdp\nA,1\n");
  try { await readTable(p, { schema: CITY_YEAR }); assert.unreachable(); }
  catch (e) { assert.match((e as Error).message, new RegExp(`^vagg data error: ${p}: column "year": missing`)); assert.not.match((e as Error).message, /\n/); }
});

test("schema: wrong type names the first offending row", async () => {
  const p = f("w.csv", "city,year,gdp\nA,2010,1\nB,2011,abc\nC,2012,2\n");
  try { await readTable(p, { schema: CITY_YEAR }); assert.unreachable(); }
  catch (e) { assert.is((e as Error).message, `vagg data error: ${p}: column "gdp", row 2: expected a number, found "abc"`); }
  const q = f("i.csv", "city,year,gdp\nA,2010.5,1\n");
  try { await readTable(q, { schema: CITY_YEAR }); assert.unreachable(); }
  catch (e) { assert.is((e as Error).message, `vagg data error: ${q}: column "year", row 1: expected an integer, found 2010.5`); }
});

test("schema: duplicate key names both rows", async () => {
  const p = f("d.csv", "city,year,gdp\nA,2010,1\nB,2010,1\nA,2010,2\n");
  try { await readTable(p, { schema: CITY_YEAR }); assert.unreachable(); }
  catch (e) { assert.is((e as Error).message, `vagg data error: ${p}: duplicate key (city=A, year=2010) at rows 1 and 3 (key city+year of schema "city_year")`); }
});

test("empty file, header-only file and missing file give one-line errors", async () => {
  const e0 = f("e.csv", "");
  await readTable(e0).then(() => assert.unreachable(), (e) => assert.is((e as Error).message, `vagg data error: ${e0}: file is empty`));
  const h = f("h.csv", "city,year,gdp\n");
  await readTable(h, { schema: CITY_YEAR }).then(() => assert.unreachable(), (e) => assert.match((e as Error).message, /file is empty \(no data rows/));
  await readTable(path.join(dir, "nope.csv")).then(() => assert.unreachable(), (e) => assert.match((e as Error).message, /nope\.csv: file not found$/));
});

test("validateTable on an in-memory table coerces declared types", () => {
  const t = validateTable(table({ city: Float64Array.of(1, 2), year: Float64Array.of(2010, 2011), gdp: ["1", "2.5"] }), CITY_YEAR, "mem");
  assert.equal(t.columns["city"], ["1", "2"]);
  assert.instance(t.columns["year"], Int32Array);
  assert.equal(Array.from(t.columns["gdp"] as Float64Array), [1, 2.5]);
});

test("SQL group-by returns a column table", async () => {
  const p = f("g.csv", "c,v\na,1\na,2\nb,5\n");
  const t = await sql(`SELECT c, sum(v) AS s FROM read_csv('${p}') GROUP BY c ORDER BY c`);
  assert.equal(toRecords(t), [{ c: "a", s: 3 }, { c: "b", s: 5 }]);
});

test("concurrent reads on the shared connection do not corrupt each other", async () => {
  const a = f("ca.csv", "x,y\n" + Array.from({ length: 5000 }, (_, i) => `${i},${i * 2}`).join("\n") + "\n");
  const b = f("cb.csv", "u,v\n" + Array.from({ length: 7000 }, (_, i) => `${i + 0.5},${-i}`).join("\n") + "\n");
  const [ta, tb] = await Promise.all([readTable(a), readTable(b)]);
  assert.is(ta.nrows, 5000);
  assert.is(tb.nrows, 7000);
  assert.is((ta.columns["y"] as Float64Array)[4999], 9998);
  assert.is((tb.columns["v"] as Float64Array)[6999], -6999);
  assert.not.ok(Array.from(tb.columns["u"] as Float64Array).some(Number.isNaN));
});

test.run();
