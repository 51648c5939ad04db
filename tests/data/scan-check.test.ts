import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkScan, validateRawFiles } from "../../lib/data/scan-check";
import { exec } from "../../lib/data/duckdb";
import { CUSTOMS } from "../../lib/data/schemas";
import { DataError } from "../../lib/util/errors";

// A researcher's customs file, too large to load, checked over DuckDB's scan: the same one-line
// messages as readTable(file, { schema }). Files are written here (CSV by hand, Parquet by DuckDB).

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-scan-"));
const HEAD = "firm_id,city_code,hs6,dest,year,value_usd,quantity,trade_mode,is_intermediary";
const ROWS = ["3100123456,310000,010110,USA,2010,100.5,3,ordinary,0", "3100123456,310000,851712,JPN,2010,2000,10,processing,0", "12,110000,851712,USA,2011,50,1,ordinary,1"];
const write = (name: string, lines: readonly string[]): string => { const f = path.join(dir, name); fs.writeFileSync(f, lines.join("\n") + "\n"); return f; };
const fails = async (f: string, re: RegExp): Promise<void> => {
  try { await checkScan(f, CUSTOMS); assert.unreachable("should have failed"); }
  catch (e) { assert.instance(e, DataError); assert.match((e as Error).message, re); assert.not.match((e as Error).message, /\n/); }
};

test("a valid file passes and its rows are counted (10-digit firm codes are integers)", async () => {
  assert.is(await checkScan(write("customs.csv", [HEAD, ...ROWS]), CUSTOMS), 3);
});

test("Parquet: the same checks over read_parquet", async () => {
  const csv = write("c2.csv", [HEAD, ...ROWS]);
  const pq = path.join(dir, "customs.parquet");
  await exec(`COPY (SELECT * FROM read_csv('${csv}', all_varchar = true)) TO '${pq}' (FORMAT parquet)`);
  assert.is(await checkScan(pq, CUSTOMS), 3);
  assert.equal(await validateRawFiles(dir, ["customs.parquet"], { scan: ["customs.parquet"] }), { "customs.parquet": 3 });
});

test("a missing required column names the column and the schema", async () => {
  await fails(write("m.csv", [HEAD.replace(",quantity", ""), ...ROWS.map((r) => r.split(",").filter((_, j) => j !== 6).join(","))]), /column "quantity".*required by schema "customs"/);
});

test("text in a numeric column names the column, row and value", async () => {
  await fails(write("t.csv", [HEAD, ROWS[0] as string, (ROWS[1] as string).replace(",2000,", ",n/a,"), ROWS[2] as string]), /column "value_usd", row 2: expected a number, found "n\/a"/);
});

test("a fraction in an integer column names the row", async () => {
  await fails(write("i.csv", [HEAD, ROWS[0] as string, ROWS[1] as string, (ROWS[2] as string).replace(",2011,", ",2011.5,")]), /column "year", row 3: expected an integer/);
});

test("a duplicated key names the key values and both rows", async () => {
  await fails(write("d.csv", [HEAD, ...ROWS, ROWS[1] as string]), /duplicate key \(firm_id=3100123456, hs6=851712, dest=JPN, year=2010\) at rows 2 and 4/);
});

test("a missing key value names the column and row", async () => {
  await fails(write("k.csv", [HEAD, ROWS[0] as string, (ROWS[1] as string).replace(",JPN,", ",,"), ROWS[2] as string]), /column "dest", row 2: missing value in a key column/);
});

test("a repeated column name is refused", async () => {
  await fails(write("r.csv", [HEAD + ",year", ...ROWS.map((r) => r + ",2010")]), /year/);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
