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

/** A minimal .xlsx (stored entries) with the given worksheet body and shared strings, as other writers lay them out. */
function handMade(sheetData: string, shared: string[] = [], extra = ""): Buffer {
  const zlib = require("node:zlib") as typeof import("node:zlib");
  const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const files: [string, string][] = [
    ["[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'],
    ["_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`],
    ["xl/workbook.xml", `<?xml version="1.0"?><workbook ${ns}><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`],
    ["xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`],
    ["xl/sharedStrings.xml", `<?xml version="1.0"?><sst ${ns} count="${shared.length}" uniqueCount="${shared.length}">${shared.map((x) => `<si>${x}</si>`).join("")}</sst>`],
    ["xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet ${ns}><dimension ref="A1:C3"/><sheetData>${sheetData}</sheetData>${extra}</worksheet>`],
  ];
  const locals: Buffer[] = [], central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text), nm = Buffer.from(name), crc = zlib.crc32(data);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0); h.writeUInt16LE(20, 4); h.writeUInt32LE(crc, 14); h.writeUInt32LE(data.length, 18); h.writeUInt32LE(data.length, 22); h.writeUInt16LE(nm.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0); c.writeUInt16LE(20, 4); c.writeUInt16LE(20, 6); c.writeUInt32LE(crc, 16); c.writeUInt32LE(data.length, 20); c.writeUInt32LE(data.length, 24); c.writeUInt16LE(nm.length, 28); c.writeUInt32LE(offset, 42);
    locals.push(h, nm, data);
    central.push(c, nm);
    offset += 30 + nm.length + data.length;
  }
  const cd = Buffer.concat(central), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

test("other writers' layouts: the same cells as SheetJS, or a decline", () => {
  const cases: [string, string[], string][] = [
    // Excel: attributes in another order, styles, shared strings with rich runs and entities, a formula, a boolean, an error
    ['<row r="1" spans="1:3"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" s="2"><f>1+1</f><v>2</v></c></row><row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="e"><v>#N/A</v></c><c r="C2" t="str"><f>A1</f><v>a &amp;amp; b</v></c></row><row r="3"><c r="A3" t="inlineStr"><is><t xml:space="preserve"> 北京 </t></is></c><c r="B3"><v>-0</v></c><c r="C3" t="n"><v>1.0000000000000002</v></c></row>', ["<t>城市</t>", '<r><rPr><b/></rPr><t>a&lt;</t></r><r><t xml:space="preserve"> b_x000D_</t></r>'], ""],
    // openpyxl-like: a single-cell dimension, a merge, an empty row element
    ['<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"/><row r="3"><c r="C3"><v>3</v></c></row>', ["<t>x</t>"], '<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'],
    // forms declined: single-quoted or tab-separated attributes, a numeric reference above 0x7F in a formula string, a cell outside a row
    ["<row r=\"1\"><c r=\"A1\" t='s'><v>0</v></c></row>", ["<t>hi</t>"], ""],
    ['<row r="1"><c r="A1"\tt="s"><v>0</v></c></row>', ["<t>hi</t>"], ""],
    ['<row r="1"><c r="A1" t="str"><v>caf&#233;</v></c></row>', [], ""],
    ['<c r="A1"><v>1</v></c>', [], ""],
    // an inline string element with attributes
    ['<row r="1"><c r="A1" t="inlineStr"><is xmlns="x"><t>hello</t></is></c></row>', [], ""],
  ];
  let taken = 0;
  cases.forEach(([body, shared, extra], k) => {
    const buf = handMade(body, shared, extra);
    if (readXlsxSheet(buf, undefined)) taken++;
    sameAsSheetJs(buf, `case ${k}`);
  });
  assert.is(taken, 3, "the Excel, openpyxl and attributed-<is> layouts are read; the other four are declined");
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
