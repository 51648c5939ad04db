import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Rng } from "../../lib/util/rng";
import { readTable } from "../../lib/data/io";
import { FIRMS } from "../../lib/data/schemas/firms";
import { writeFirms, FIRM_DESIGN, FIRM_YEARS } from "../../lib/synth/firms";

// 400 exporters, each exporting in 2007–2015 (customs stand-in).
const nF = 400;
const ids: number[] = [],
  yrs: number[] = [],
  vals: number[] = [];
for (let f = 0; f < nF; f++)
  for (let y = 2007; y <= 2015; y++) {
    ids.push(100001 + f);
    yrs.push(y);
    vals.push(1000 * (1 + (f % 7)));
  }
const cu = { firm_id: Int32Array.from(ids), year: Int32Array.from(yrs), value_usd: Float64Array.from(vals) };

test("writeFirms: FIRMS schema, customs ids only, founding before the first export, survey years, match rate, deterministic", async () => {
  const a = fs.mkdtempSync(path.join(os.tmpdir(), "firms-a-")),
    b = fs.mkdtempSync(path.join(os.tmpdir(), "firms-b-"));
  const n = writeFirms(a, cu, new Rng(5));
  writeFirms(b, cu, new Rng(5));
  assert.is(fs.readFileSync(path.join(a, "firms.csv"), "utf8"), fs.readFileSync(path.join(b, "firms.csv"), "utf8"));
  const t = await readTable(path.join(a, "firms.csv"), { schema: FIRMS });
  assert.is(t.nrows, n);
  const id = t.columns["firm_id"] as Int32Array,
    yr = t.columns["year"] as Int32Array,
    fo = t.columns["founding_year"] as Int32Array,
    emp = t.columns["employment"] as Float64Array;
  const firms = new Set<number>();
  for (let i = 0; i < t.nrows; i++) {
    firms.add(id[i] as number);
    assert.ok((id[i] as number) >= 100001 && (id[i] as number) <= 100000 + nF);
    assert.ok((yr[i] as number) >= FIRM_YEARS[0] && (yr[i] as number) <= FIRM_YEARS[1]);
    assert.ok((fo[i] as number) <= 2006 && (fo[i] as number) <= (yr[i] as number));
    assert.ok((emp[i] as number) >= 8);
  }
  // matched share within 4 binomial SDs of the design
  const sd = Math.sqrt((FIRM_DESIGN.matchRate * (1 - FIRM_DESIGN.matchRate)) / nF);
  assert.ok(Math.abs(firms.size / nF - FIRM_DESIGN.matchRate) < 4 * sd, `matched ${firms.size}/${nF}`);
});

test.run();
