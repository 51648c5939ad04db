import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readXlsx } from "../../lib/data/xlsx";
import { numeric, toRecords } from "../../lib/data/table";
import { feols } from "../../lib/estimators/feols";
import { DataError } from "../../lib/util/errors";

// Fixtures come from tests/fixtures/zh/make-xlsx.ts (committed outputs).
const dir = path.join(__dirname, "../fixtures/zh");
const fx = (f: string) => path.join(dir, f);

function throwsOneLine(f: () => unknown, re: RegExp): void {
  try { f(); assert.unreachable("did not throw"); }
  catch (e) {
    assert.instance(e, DataError);
    const m = (e as Error).message;
    assert.not.match(m, /\n/);
    assert.match(m, re);
  }
}

const joined = ["城市", "年份", "地区生产总值_总量 (亿元)", "地区生产总值_增速", "年末人口_户籍", "年末人口_常住"];

test("yearbook sheet: title skipped, two-row merged header joined, footnotes dropped and counted", () => {
  const t = readXlsx(fx("yearbook.xlsx"), { na: ["—"] });
  assert.equal(t.names, joined);
  assert.is(t.nrows, 6);
  assert.is(t.source, fx("yearbook.xlsx"));
  assert.is(t.xlsx.sheet, "表1 城市经济");
  assert.equal(t.xlsx.headerRows, [2, 3]);
  assert.equal(t.xlsx.dataRows, [4, 9]);
  assert.equal(t.xlsx.dropped, [
    { row: 10, reason: "empty", text: "" },
    { row: 11, reason: "note", text: "注：增速按可比价格计算。" },
    { row: 12, reason: "note", text: "资料来源：《中国城市统计年鉴》。" },
  ]);
  assert.match(t.xlsx.summary, /6 rows, 6 columns .*dropped 3 rows .*注：增速/);
  assert.equal(t.columns["城市"], ["北京", "北京", "上海", "上海", "广州", "广州"]);
  assert.instance(t.columns["年份"], Float64Array);
  // number stored as text, empty cell and the na marker
  assert.equal(Array.from(numeric(t, "地区生产总值_总量 (亿元)")), [35445.1, 36102.6, 37987.6, 38700.6, 23628.6, 25019.1]);
  assert.ok(Number.isNaN(numeric(t, "地区生产总值_增速")[4] as number));
  assert.ok(Number.isNaN(numeric(t, "年末人口_常住")[5] as number));
});

test("header: \"last\" takes the bottom label; explicit headerRow/headerRows/range give the same table", () => {
  const t = readXlsx(fx("yearbook.xlsx"), { na: ["—"], header: "last" });
  assert.equal(t.names, ["城市", "年份", "总量 (亿元)", "增速", "户籍", "常住"]);
  const u = readXlsx(fx("yearbook.xlsx"), { na: ["—"], headerRow: 2, headerRows: 2 });
  assert.equal(toRecords(u), toRecords(readXlsx(fx("yearbook.xlsx"), { na: ["—"] })));
  const r = readXlsx(fx("yearbook.xlsx"), { na: ["—"], range: "A2:C7" });
  assert.equal(r.names, ["城市", "年份", "地区生产总值_总量 (亿元)"]);
  assert.is(r.nrows, 4);
  // the header starting at row 3: 城市 and 年份, merged down from row 2, still name their columns
  const one = readXlsx(fx("yearbook.xlsx"), { headerRow: 3, headerRows: 1, na: ["—"] });
  assert.equal(one.names.slice(2), ["地区生产总值_总量 (亿元)", "地区生产总值_增速", "年末人口_户籍", "年末人口_常住"].map((n) => n.split("_")[1]));
});

test(".xls (BIFF8) reads the same as .xlsx", () => {
  const a = readXlsx(fx("yearbook.xlsx"), { na: ["—"] });
  const b = readXlsx(fx("yearbook.xls"), { na: ["—"] });
  assert.equal(b.names, a.names);
  assert.equal(toRecords(b), toRecords(a));
  assert.equal(b.xlsx.dropped, a.xlsx.dropped);
});

test("sheet by name or position; a missing sheet lists the sheets", () => {
  assert.equal(readXlsx(fx("yearbook.xlsx"), { sheet: "说明" }).names, ["本表数据为测试用虚构数据"]);
  assert.equal(readXlsx(fx("yearbook.xlsx"), { sheet: 2 }).xlsx.sheet, "说明");
  assert.is(readXlsx(fx("yearbook.xlsx"), { sheet: "表1 城市经济", na: ["—"] }).nrows, 6);
  throwsOneLine(() => readXlsx(fx("yearbook.xlsx"), { sheet: "表2" }), /yearbook\.xlsx: has no sheet "表2" \(sheets: "表1 城市经济", "说明"\)/);
  throwsOneLine(() => readXlsx(fx("yearbook.xlsx"), { sheet: 3 }), /has no sheet 3 \(it has 2/);
});

test("a numeric column holding text: one line naming file, sheet, column, Excel row and value", () => {
  throwsOneLine(() => readXlsx(fx("bad-text.xlsx")),
    /^vagg data error: tests\/fixtures\/zh\/bad-text\.xlsx: column "产值": sheet "Sheet1", Excel row 4 \(cell C4\): expected a number, found "缺"/);
  throwsOneLine(() => readXlsx(fx("yearbook.xlsx"), { na: [] }), /column "年末人口_常住": sheet "表1 城市经济", Excel row 9 \(cell F9\): expected a number, found "—"/);
  assert.ok(Number.isNaN(numeric(readXlsx(fx("yearbook.xlsx")), "年末人口_常住")[5] as number), "the yearbook's — is missing by default (YEARBOOK_NA)");
  assert.ok(Number.isNaN(numeric(readXlsx(fx("bad-text.xlsx"), { na: ["缺"] }), "产值")[2] as number));
});

test("duplicate column names: one line naming the name and both columns", () => {
  throwsOneLine(() => readXlsx(fx("bad-dup.xlsx")), /bad-dup\.xlsx: sheet "Sheet1": column "产值" appears twice \(columns B and D\)/);
});

test("one header row with spaces and line breaks; thousands separators; a text row without numbers is dropped and counted", () => {
  const t = readXlsx(fx("simple.xlsx"));
  assert.equal(t.names, ["city code", "GDP 增速", "人口 数"]);
  assert.equal(Array.from(numeric(t, "人口 数")), [2153.6, 2428.1, 1530.6]);
  assert.equal(Array.from(numeric(t, "city code")), [110000, 310000, 440100]);
  assert.equal(t.xlsx.dropped, [{ row: 5, reason: "no-data", text: "合计" }]);
  // the names work in formulas with backticks
  const f = feols(t, "`GDP 增速` ~ `人口 数`");
  assert.ok(Number.isFinite(f.coef["`人口 数`"] as number));
});

test("feols on a yearbook sheet with Chinese names", () => {
  const t = readXlsx(fx("yearbook.xlsx"), { na: ["—"], header: "last" });
  const r = feols(t, "增速 ~ log(户籍) | 城市");
  assert.equal(r.coefNames, ["log(户籍)"]);
});

test("title and unit in one row are skipped; Excel error cells are missing and counted; a note's continuation line is dropped", () => {
  const t = readXlsx(fx("title-unit.xlsx"));
  assert.equal(t.names, ["城市", "2019年", "2020年", "增长率"]);
  assert.equal(t.xlsx.headerRows, [2, 2]);
  assert.is(t.nrows, 3);
  assert.is(t.xlsx.errorCells, 1);
  assert.ok(Number.isNaN(numeric(t, "增长率")[1] as number));
  assert.equal(t.xlsx.dropped.map((d) => [d.row, d.reason]), [[6, "note"], [7, "no-data"]]);
  assert.match(t.xlsx.summary, /dropped 2 rows .*; 1 Excel error cells read as missing$/);
  // names starting with a digit are quoted in formulas
  const r = feols(t, "`2020年` ~ `2019年`");
  assert.ok(Number.isFinite(r.coef["`2019年`"] as number));
});

test("files that are not workbooks get one line", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-xlsx-"));
  const fake = path.join(tmp, "data.xlsx");
  fs.writeFileSync(fake, "城市,产值\n北京,1\n");
  throwsOneLine(() => readXlsx(fake), /data\.xlsx: is not an \.xlsx workbook \(that is a zip archive\); if it is comma- or tab-separated text, rename it to \.csv/);
  const tsv = path.join(tmp, "data.xls");
  fs.writeFileSync(tsv, "城市\t产值\n北京\t1\n");
  throwsOneLine(() => readXlsx(tsv), /data\.xls: is not an Excel workbook \(neither \.xls nor \.xlsx\).*save it as \.xlsx$/);
  fs.writeFileSync(path.join(tmp, "x.xls"), "ab");
  throwsOneLine(() => readXlsx(path.join(tmp, "x.xls")), /is not an Excel workbook/);
  // an HTML table saved as .xls (as statistics websites export) is read
  const html = path.join(tmp, "web.xls");
  fs.writeFileSync(html, "<html><body><table><tr><td>城市</td><td>产值</td></tr><tr><td>北京</td><td>1.5</td></tr></table></body></html>");
  assert.equal(toRecords(readXlsx(html)), [{ 城市: "北京", 产值: 1.5 }]);
  const empty = path.join(tmp, "empty.xlsx");
  fs.writeFileSync(empty, "");
  throwsOneLine(() => readXlsx(empty), /file is empty/);
  throwsOneLine(() => readXlsx(path.join(tmp, "nope.xlsx")), /file not found/);
  fs.rmSync(tmp, { recursive: true });
});

test.run();
