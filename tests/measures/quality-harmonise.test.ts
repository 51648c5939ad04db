import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sql } from "../../lib/data/duckdb";
import { scanExpression } from "../../lib/data/io";
import { column } from "../../lib/data/table";
import { hsHarmonise } from "../../lib/measures/quality/harmonise";

// Hand-made rows with known outcomes (exact counts): an HS2002 code kept in every year, a code
// changed in HS2007 and HS2012 mapped back by the vintage of its year, a later-vintage code in
// the wrong year (no line for that vintage) dropped, and a code in no concordance dropped.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hs-harm-"));
const w = (name: string, text: string): string => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const customs = w(
  "customs.csv",
  [
    "firm_id,hs6,year,value_usd",
    "1,010110,2005,1", // HS2002 code (leading zero kept)
    "1,010110,2013,1", // unchanged code in an HS2012 year: still an HS2002 code
    "2,847110,2006,1", // HS2002 code of the changed product
    "2,847150,2008,1", // its HS2007 code in 2008 → 847110
    "2,847160,2014,1", // its HS2012 code in 2014 → 847110
    "3,847150,2013,1", // an HS2007 code in an HS2012 year: no HS2012 line → dropped
    "4,847199,2010,1", // a code in no concordance → dropped
    "4,847199,2011,1",
  ].join("\n") + "\n",
);
const conc = w("conc.csv", "hs_code,vintage,hs2002\n847150,HS2007,847110\n847160,HS2012,847110\n");
const prod = w("products.csv", "hs6,hs4,hs3\n010110,0101,010\n847110,8471,847\n");

test("hsHarmonise: vintages by year, counts, mapped codes, unmapped rows dropped", async () => {
  const h = await hsHarmonise(
    scanExpression(customs, ["hs6"]),
    scanExpression(conc, ["hs_code", "vintage", "hs2002"]),
    scanExpression(prod, ["hs6", "hs4", "hs3"]),
  );
  assert.equal(h.counts, { input: 8, hs2002: 3, fromHs2007: 1, fromHs2012: 1, unmapped: 3, unmappedCodes: 2 });
  const out = await sql(`SELECT firm_id, hs6, year FROM (${h.sql}) ORDER BY firm_id, year`);
  assert.equal(column(out, "hs6"), ["010110", "010110", "847110", "847110", "847110"]);
  assert.is(h.counts.input - h.counts.unmapped, out.nrows);
});

test.run();
