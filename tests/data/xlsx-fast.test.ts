import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as XLSX from "@e965/xlsx";
import { readXlsxSheet } from "../../lib/data/xlsx-fast";
import { readXlsx } from "../../lib/data/xlsx";
import { rng } from "../../lib/util/rng";

// The fast sheet reader must give the cells SheetJS gives (type and value of every cell, the range
// and the merges) or decline (null). Tolerance: none — values compared with Object.is.
const fixtures = path.join(__dirname, "../fixtures/zh");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-xlsxfast-"));
const OPTS = { type: "buffer", dense: true, cellFormula: false, cellHTML: false, cellStyles: false, cellNF: false, cellText: false } as const;

function sameAsSheetJs(buf: Buffer, label: string): number {
  const wb = XLSX.read(buf, OPTS);
  let compared = 0;
  wb.SheetNames.forEach((name, i) => {
    const fast = readXlsxSheet(buf, i + 1);
    if (!fast) return;
    compared++;
    const ws = wb.Sheets[name] as XLSX.WorkSheet;
    assert.equal(fast.names, wb.SheetNames, `${label}: sheet names`);
    assert.is(fast.name, name);
    assert.is(fast.ref, ws["!ref"], `${label} ${name}: range`);
    assert.equal(fast.merges, ws["!merges"] ?? [], `${label} ${name}: merges`);
    const data = (ws as { "!data"?: XLSX.CellObject[][] })["!data"] ?? [];
    const rows = Math.max(data.length, fast.data.length);
    for (let r = 0; r < rows; r++) {
      const a = fast.data[r] ?? [], b = data[r] ?? [];
      for (let c = 0; c < Math.max(a.length, b.length); c++) {
        const x = a[c], y = b[c];
        if (!x || !y) { assert.ok(!x && !y, `${label} ${name} row ${r + 1} col ${c + 1}: ${JSON.stringify(x)} vs ${JSON.stringify(y)}`); continue; }
        assert.is(x.t, y.t, `${label} ${name} row ${r + 1} col ${c + 1}: type`);
        assert.ok(Object.is(x.v, y.v), `${label} ${name} row ${r + 1} col ${c + 1}: ${JSON.stringify(x.v)} vs ${JSON.stringify(y.v)}`);
      }
    }
  });
  return compared;
}

test("the project's workbooks: every sheet read cell for cell as SheetJS reads it", () => {
  for (const f of fs.readdirSync(fixtures).filter((f) => f.endsWith(".xlsx"))) {
    const n = sameAsSheetJs(fs.readFileSync(path.join(fixtures, f)), f);
    assert.ok(n > 0, `${f}: the fast reader took at least one sheet`);
  }
});

test("generated workbooks (numbers at full precision, text with entities and escapes, booleans, errors, merges; shared or inline strings)", () => {
  const R = rng(20261207).fork("xlsx-fast");
  const texts = ["北京市", "a & b", "<tag>", 'say "hi"', "it's", "_x0041_", "  padded  ", "line\r\nbreak", "tab\there", "乌鲁木齐", "1234.5", "—", ""];
  for (let book = 0; book < 6; book++) {
    const rows: (string | number | boolean | null)[][] = [["城市", "y", "x", "flag", "note"]];
    for (let i = 0; i < 300; i++) {
      const y = (R.uniform() * 2 - 1) * 10 ** Math.floor(R.uniform() * 30 - 15);
      rows.push([
        texts[Math.floor(R.uniform() * texts.length)] as string,
        R.uniform() < 0.1 ? null : y,
        Math.floor(R.uniform() * 1e6) - 5e5,
        R.uniform() < 0.5,
        R.uniform() < 0.3 ? null : (texts[Math.floor(R.uniform() * texts.length)] as string),
      ]);
    }
    const ws = XLSX.utils.aoa_to_sheet(rows);
    (ws as Record<string, XLSX.CellObject>)["C5"] = { t: "e", v: 0x07 };
    ws["!merges"] = [XLSX.utils.decode_range("A2:A3"), XLSX.utils.decode_range("D10:E10")];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, ws, book % 2 ? "表 1" : "Sheet&1");
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([["only", "text"], ["a", "b"]]), "second");
    const f = path.join(dir, `g${book}.xlsx`);
    XLSX.writeFile(wb, f, { bookSST: book % 3 === 0, compression: book % 2 === 0 });
    assert.is(sameAsSheetJs(fs.readFileSync(f), `g${book}`), 2, `g${book}: both sheets by the fast reader`);
  }
});

test("readXlsx gives the same table with or without the fast reader", () => {
  const files = fs.readdirSync(fixtures).filter((f) => f.endsWith(".xlsx") && !f.startsWith("bad"));
  for (const f of files) {
    const file = path.join(fixtures, f);
    const fast = readXlsx(file);
    process.env["VAGG_XLSX_FAST"] = "0";
    try {
      const slow = readXlsx(file);
      assert.equal(JSON.parse(JSON.stringify(fast, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v))), JSON.parse(JSON.stringify(slow, (_k, v) => (v instanceof Float64Array ? Array.from(v) : v))), f);
    } finally {
      delete process.env["VAGG_XLSX_FAST"];
    }
  }
});

test("declines what it does not read (→ SheetJS)", () => {
  assert.is(readXlsxSheet(Buffer.from("not a zip"), undefined), null);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([["a"], [1]]), "S");
  const buf = XLSX.write(wb, { type: "buffer", bookType: "xlsx" }) as Buffer;
  assert.is(readXlsxSheet(buf, "nope"), null, "a sheet that does not exist: SheetJS's path names the sheets");
  assert.is(readXlsxSheet(buf, 2), null);
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
