/**
 * Data as Chinese researchers have it (fixtures: tests/fixtures/zh, built by make-fixtures.ts):
 * GBK/GB18030 CSVs detected and transcoded, the `encoding` option, Stata missing codes in CSVs,
 * Stata 13 (format 117) files with GBK text, duplicate column names, and one-line errors for
 * broken files naming the file, column/row and the option to use.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as iconv from "iconv-lite";
import { readTable } from "../../lib/data/io";
import * as csvFast from "../../lib/data/csv-fast";
import { readDta, writeDta } from "../../lib/data/dta";
import { firstInvalidGb18030, firstInvalidUtf8 } from "../../lib/data/dta/encoding";
import { nonNumericError, numeric, table, toRecords } from "../../lib/data/table";
import { feols } from "../../lib/estimators/feols";
import { DataError } from "../../lib/util/errors";

const ZH = path.join(__dirname, "..", "fixtures", "zh");
const fx = (name: string) => path.join(ZH, name);
const rel = (name: string) => `tests/fixtures/zh/${name}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-zh-"));
const tf = (name: string, body: string | Buffer) => { const p = path.join(tmp, name); fs.writeFileSync(p, body); return p; };

async function errorOf(p: Promise<unknown>): Promise<Error> {
  try { await p; } catch (e) { return e as Error; }
  throw new Error("expected an error");
}
/** One line, no stack trace in the message, names the file. */
function oneLine(e: Error, file: string): string {
  assert.instance(e, DataError);
  assert.not.match(e.message, /\n/);
  assert.not.match(e.message, /\s+at\s+\S+\s+\(/);
  assert.ok(e.message.includes(file), `names ${file}: ${e.message}`);
  return e.message;
}

test("validators: UTF-8 and GB18030 byte offsets", () => {
  const gb = iconv.encode("城市,北京", "gbk");
  assert.is(firstInvalidGb18030(gb), -1);
  assert.is(firstInvalidUtf8(gb), 0);
  assert.is(firstInvalidUtf8(Buffer.from("城市,北京")), -1);
  assert.is(firstInvalidGb18030(Buffer.from([0x61, 0xb1, 0xb1, 0xff])), 3);
  assert.is(firstInvalidGb18030(iconv.encode("𠀀", "gb18030")), -1, "four-byte GB18030");
  assert.is(firstInvalidUtf8(Buffer.from([0x61, 0xe5, 0x8c])), 1, "truncated sequence");
  assert.is(firstInvalidUtf8(Buffer.from([0xc0, 0xaf])), 0, "overlong");
});

test("GBK CSV with Chinese column names and city names is detected and transcoded", async () => {
  const t = await readTable(fx("gbk-cities.csv"));
  assert.equal(t.names, ["城市", "年份", "产值", "数字化"]);
  assert.is(t.nrows, 80);
  assert.equal(toRecords(t, 1), [{ 城市: "北京", 年份: 2012, 产值: 5.734, 数字化: 0.487 }]);
  assert.instance(t.columns["产值"], Float64Array);
  assert.is(new Set(t.columns["城市"] as string[]).size, 10);
  assert.ok((t.columns["城市"] as string[]).includes("重庆"));
  assert.is(t.source, fx("gbk-cities.csv"), "the table names the original file, not the UTF-8 copy");
});

test("explicit encoding: gbk / gb18030 give the same table; UTF-8 BOM file gives it too", async () => {
  const auto = await readTable(fx("gbk-cities.csv"));
  const gbk = await readTable(fx("gbk-cities.csv"), { encoding: "gbk" });
  const gb18030 = await readTable(fx("gbk-cities.csv"), { encoding: "GB18030" });
  const bom = await readTable(fx("utf8-bom-cities.csv"));
  assert.equal(toRecords(gbk), toRecords(auto));
  assert.equal(toRecords(gb18030), toRecords(auto));
  assert.equal(toRecords(bom), toRecords(auto));
  assert.equal(bom.names, auto.names, "no BOM left in the first name");
});

test("UTF-8 and ASCII files are not transcoded: the fast path still reads plain numeric CSVs", async () => {
  const p = tf("plain.csv", "y,x\n1,2\n3,4\n");
  const t = await readTable(p);
  assert.equal(toRecords(t), [{ y: 1, x: 2 }, { y: 3, x: 4 }]);
  // a UTF-8 numeric file with Chinese names goes through the fast path as well
  assert.ok(await csvFast.readNumericCsv(tf("zh-num.csv", "产值,数字化\n1.5,2\n3,4\n")));
  assert.is(await csvFast.readNumericCsv(tf("gbk-num.csv", iconv.encode("产值,数字化\n1.5,2\n3,4\n", "gbk"))), null, "a GBK header is left to the encoding check");
  const g = await readTable(path.join(tmp, "gbk-num.csv"));
  assert.equal(toRecords(g), [{ 产值: 1.5, 数字化: 2 }, { 产值: 3, 数字化: 4 }]);
});

test("wrong explicit encoding and undecodable file: one line with file, byte offset, row and the option", async () => {
  const m1 = oneLine(await errorOf(readTable(fx("gbk-cities.csv"), { encoding: "utf-8" })), rel("gbk-cities.csv"));
  assert.match(m1, /not valid UTF-8 text: bytes B3 C7 at byte 0 \(header\); set the file's encoding with --encoding \(readTable: \{ encoding \}\)/);
  const m2 = oneLine(await errorOf(readTable(fx("bad-gbk-invalid.csv"))), rel("bad-gbk-invalid.csv"));
  assert.is(m2, `vagg data error: ${rel("bad-gbk-invalid.csv")}: text encoding not recognised: not UTF-8 (bytes B3 C7 at byte 0 (header)) nor GBK/GB18030 (bytes FF B1 at byte 157 (row 7)); set the file's encoding with --encoding (readTable: { encoding }), e.g. "big5" or "windows-1252"`);
  const m3 = oneLine(await errorOf(readTable(fx("bad-gbk-invalid.csv"), { encoding: "gbk" })), rel("bad-gbk-invalid.csv"));
  assert.match(m3, /not valid GBK text: bytes FF B1 at byte 157 \(row 7\)/);
  const e4 = await errorOf(readTable(fx("gbk-cities.csv"), { encoding: "klingon" }));
  assert.is(e4.message, 'vagg argument error: unknown text encoding "klingon" (e.g. "gbk", "gb18030", "utf-8", "auto")');
});

test("Stata missing codes . and .a–.z in a CSV are NA, counted per variable by feols", async () => {
  const t = await readTable(fx("stata-missing.csv"));
  for (const n of t.names) assert.instance(t.columns[n], Float64Array, n);
  const isNaN = (c: string) => Array.from(t.columns[c] as Float64Array).filter(Number.isNaN).length;
  assert.is(isNaN("output"), 3, '2 × "." + 1 × ".a"');
  assert.is(isNaN("digital"), 2, '".b" + "."');
  assert.ok(Number.isNaN((t.columns["output"] as Float64Array)[3] as number));
  assert.is((t.columns["output"] as Float64Array)[0], 5.734);
  const r = feols(t, "output ~ digital | id");
  assert.is(r.removed.na, 5);
  assert.equal({ ...r.removed.naByVariable }, { output: 3, digital: 2 });
  assert.is(r.nobs, 75);
});

test("Stata missing codes elsewhere: only whole cells, other text in a mostly numeric column stops", async () => {
  const t = await readTable(tf("m.csv", "a,b,c\n1,.z,x\n.,2,y\n3,.,.\n"));
  assert.equal(Array.from(t.columns["a"] as Float64Array), [1, NaN, 3]);
  assert.equal(Array.from(t.columns["b"] as Float64Array), [NaN, 2, NaN]);
  assert.equal(t.columns["c"], ["x", "y", "."], "a text column keeps its text");
  const expected = `vagg data error: ${rel("bad-text-in-numeric.csv")}: column "output", row 5: non-numeric text "n/a" in a numeric column (19 of 20 values are numbers); correct it, or leave the cell empty or "." for missing`;
  const e = await errorOf(readTable(fx("bad-text-in-numeric.csv"), { mixedColumns: "error" }));
  assert.is(oneLine(e, rel("bad-text-in-numeric.csv")), expected);
  // default: kept as text (code lists mix numbers and text legitimately); using it as a number names the cell
  const kept = await readTable(fx("bad-text-in-numeric.csv"));
  assert.is((kept.columns["output"] as string[])[4], "n/a");
  assert.is(nonNumericError(kept, "output")?.message, expected);
  assert.is(nonNumericError(kept, "year"), null);
  assert.is(nonNumericError(kept, "city")?.message, `vagg data error: ${rel("bad-text-in-numeric.csv")}: column "city", row 1: is text (e.g. "北京"), not numeric; to use it as a fixed effect, put it after "|"`);
  assert.is(nonNumericError(kept, "output", "log(output)")?.message, expected.replace('row 5:', 'row 5, term "log(output)":'));
  assert.throws(() => numeric(kept, "output"), /column "output", row 5: expected a number, found "n\/a"/);
  // numeric() reads Stata's codes in a text column as NA
  assert.equal(Array.from(numeric(table({ v: ["1", ".", ".c", "NA", ""] }), "v")), [1, NaN, NaN, NaN, NaN]);
  // codes with leading zeros are not turned into numbers even next to "."
  const codes = await readTable(tf("codes.csv", "code,y\n007,1\n.,2\n012,3\n"));
  assert.equal(codes.columns["code"], ["007", ".", "012"]);
});

test("duplicate column names: CSV header and .dta, naming the column and both positions", async () => {
  const m = oneLine(await errorOf(readTable(fx("bad-duplicate-header.csv"))), rel("bad-duplicate-header.csv"));
  assert.is(m, `vagg data error: ${rel("bad-duplicate-header.csv")}: column "gdp" appears twice (columns 2 and 4)`);
  const m2 = oneLine(await errorOf(readTable(fx("bad-duplicate-117.dta"))), rel("bad-duplicate-117.dta"));
  assert.is(m2, `vagg data error: ${rel("bad-duplicate-117.dta")}: column "gdp" appears twice (columns 2 and 4)`);
  const p = tf("dup-tab.tsv", "a\tb\ta\n1\t2\t3\n");
  assert.match((await errorOf(readTable(p))).message, /column "a" appears twice \(columns 1 and 3\)/);
  const q = tf("dup-quoted.csv", '"x","y","GDP","gdp"\n1,2,3,4\n');
  assert.match((await errorOf(readTable(q))).message, /columns "GDP" \(column 3\) and "gdp" \(column 4\) differ only in case/);
  const gb = tf("dup-gbk.csv", iconv.encode("城市,产值,产值\n北京,1,2\n", "gbk"));
  assert.match((await errorOf(readTable(gb))).message, /column "产值" appears twice \(columns 2 and 3\)/);
});

test("Stata 13 (format 117) with GBK text: strings, variable labels, value labels, data label (auto and explicit)", () => {
  const { table: t, meta } = readDta(fx("cities-117-gbk.dta"));
  assert.is(meta.version, 117);
  assert.is(meta.encoding, "gb18030");
  assert.is((t.columns["city"] as string[])[0], "北京");
  assert.is((t.columns["city"] as string[])[79], "重庆");
  assert.equal(meta.variableLabels, { city: "城市", year: "年份", region: "地区", output: "产值（对数）", digital: "数字化指数" });
  assert.equal(meta.valueLabels["region"], { "1": "东部", "2": "中部", "3": "西部" });
  assert.is(meta.dataLabel, "城市面板 2012-2019");
  assert.equal(meta.extendedMissing, { output: { a: 1 } });
  assert.is(meta.missing["output"], 1);
  const gbk = readDta(fx("cities-117-gbk.dta"), { encoding: "gbk" });
  assert.equal(gbk.meta.variableLabels, meta.variableLabels);
  assert.is(gbk.meta.encoding, "gbk");
  const labelled = readDta(fx("cities-117-gbk.dta"), { valueLabels: "strings" });
  assert.equal((labelled.table.columns["region"] as string[]).slice(0, 1), ["东部"]);
  const wrong = readDta(fx("cities-117-gbk.dta"), { encoding: "windows-1252" });
  assert.is.not((wrong.table.columns["city"] as string[])[0], "北京", "windows-1252 shows mojibake");
});

test("format 117 auto: UTF-8 text stays UTF-8, ASCII-only is fine, readTable passes encoding", async () => {
  const t = table({ city: ["北京", "上海"], y: Float64Array.of(1, 2) });
  const u = path.join(tmp, "utf8-117.dta");
  writeDta(u, t, { version: 117, encoding: "utf-8" });
  assert.is(readDta(u).meta.encoding, "utf-8");
  assert.equal(readDta(u).table.columns["city"], ["北京", "上海"]);
  const a = path.join(tmp, "ascii-117.dta");
  writeDta(a, table({ city: ["a", "b"], y: Float64Array.of(1, 2) }), { version: 117 });
  assert.equal(readDta(a).table.columns["city"], ["a", "b"]);
  const viaIo = await readTable(fx("cities-117-gbk.dta"));
  assert.is((viaIo.columns["city"] as string[])[0], "北京");
  const forced = await readTable(fx("cities-117-gbk.dta"), { encoding: "latin1" });
  assert.is.not((forced.columns["city"] as string[])[0], "北京");
  // a character GBK cannot hold is an error, not a silent "?"
  assert.match((await errorOf(Promise.resolve().then(() => writeDta(path.join(tmp, "x.dta"), table({ s: ["😀"] }), { version: 117, encoding: "gbk" })))).message, /cannot store; write format 118/);
});

test("regression on the GBK CSV and on the GBK .dta gives the same estimates", async () => {
  const csv = await readTable(fx("gbk-cities-ascii.csv"));
  const dta = await readTable(fx("cities-117-gbk.dta"));
  const r1 = feols(csv, "output ~ digital | city");
  const r2 = feols(dta, "output ~ digital | city");
  assert.is(r1.nobs, 80);
  assert.is(r2.nobs, 79, "one .a in the dta");
  assert.equal({ ...r2.removed.naByVariable }, { output: 1 });
  assert.ok(Math.abs((r1.coef["digital"] as number) - 1.5) < 0.2, `slope ≈ 1.5: ${r1.coef["digital"]}`);
});

test("Latin-1 text that happens to be valid GBK is refused in auto, read with an explicit encoding; .csv.gz GBK works", async () => {
  const p = tf("latin.csv", iconv.encode("city,y,x\nZürich,1,2\nMünchen,3,4\nKöln,5,6\n", "windows-1252"));
  const m = oneLine(await errorOf(readTable(p)), p);
  assert.match(m, /not UTF-8 \(bytes FC 72 at byte 10 \(row 1\)\), and only 0 of its 3 two-byte characters are common Chinese ones, so probably not GBK either; set the file's encoding with --encoding/);
  assert.equal((await readTable(p, { encoding: "windows-1252" })).columns["city"], ["Zürich", "München", "Köln"]);
  const gz = tf("cities.csv.gz", zlib.gzipSync(fs.readFileSync(fx("gbk-cities.csv"))));
  assert.equal(toRecords(await readTable(gz)), toRecords(await readTable(fx("gbk-cities.csv"))));
});

test("large files: sniffed on a prefix and transcoded as a stream (same table, same error row)", async () => {
  process.env["VAGG_CSV_INMEMORY_BYTES"] = "300"; // the fixtures are ~1.8 KB: exercise the streaming path
  try {
    const streamed = await readTable(fx("gbk-cities.csv"));
    delete process.env["VAGG_CSV_INMEMORY_BYTES"];
    assert.equal(toRecords(streamed), toRecords(await readTable(fx("gbk-cities.csv"))));
    process.env["VAGG_CSV_INMEMORY_BYTES"] = "120"; // the prefix ends before the bad byte (157): the stream finds it
    const m = oneLine(await errorOf(readTable(fx("bad-gbk-invalid.csv"))), rel("bad-gbk-invalid.csv"));
    assert.match(m, /not valid GB18030 text at row 7; set the file's encoding with --encoding/);
    assert.is(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith(`vagg-utf8-${process.pid}-`)).length, 0, "temporary copies are removed");
  } finally {
    delete process.env["VAGG_CSV_INMEMORY_BYTES"];
  }
});

test("UTF-16 text with its byte-order mark (Excel's \"Unicode Text\" .txt, tab-delimited) is recognised in auto mode, in memory and streamed", async () => {
  const utf8 = await readTable(fx("gbk-cities.csv"));
  // the same table as UTF-16 tab-delimited text with CRLF; "上" (U+4E0A) holds a 0x0A byte in UTF-16LE
  const text = [utf8.names.join("\t"), ...toRecords(utf8).map((r) => utf8.names.map((n) => String(r[n] ?? "")).join("\t")), "上海\t" + utf8.names.slice(1).map(() => "").join("\t")].join("\r\n") + "\r\n";
  const want = await readTable(tf("cities-utf8.tsv", text));
  for (const [enc, bom] of [["utf-16le", [0xff, 0xfe]], ["utf-16be", [0xfe, 0xff]]] as const) {
    const p = tf(`cities-${enc}.txt`, Buffer.concat([Buffer.from(bom), iconv.encode(text, enc)]));
    assert.equal(toRecords(await readTable(p)), toRecords(want), enc);
    process.env["VAGG_CSV_INMEMORY_BYTES"] = "300";
    try {
      assert.equal(toRecords(await readTable(p)), toRecords(want), `${enc}, streamed`);
    } finally {
      delete process.env["VAGG_CSV_INMEMORY_BYTES"];
    }
  }
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test.run();
