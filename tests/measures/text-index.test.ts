import { test } from "uvu";
import * as assert from "uvu/assert";
import { fromRecords, numeric, column } from "../../lib/data/table";
import { DataError, ArgumentError } from "../../lib/util/errors";
import { createSegmenter, countTerms, textIndex } from "../../lib/measures/text-index";
import { VAGG_TERMS } from "../../lib/data/vagg-terms";

// Tolerances
// LOG_TOL: ln(1 + n) of small integers vs Math.log1p of the same integers: exact up to 1 ulp.
const LOG_TOL = 1e-15;

test("every dictionary term is kept whole inside running text", () => {
  const seg = createSegmenter(VAGG_TERMS);
  for (const t of VAGG_TERMS) {
    const toks = seg.cut(`各地要加快推进${t}的发展`);
    assert.ok(toks.includes(t), `${t}: ${toks.join("/")}`);
  }
  // without the user dictionary the default jieba dictionary splits some of them
  const plain = createSegmenter([]);
  assert.not.ok(plain.cut("发展数字经济和平台经济").includes("平台经济"));
});

test("countTerms: hand count", () => {
  // tokens: 大力/发展/数字经济/，/推进/大数据/、/云计算/和/大数据/产业/，/建设/工业互联网 → 5 terms
  const seg = createSegmenter(VAGG_TERMS);
  const r = countTerms("大力发展数字经济，推进大数据、云计算和大数据产业，建设工业互联网", seg);
  assert.is(r.total, 5);
  assert.is(r.perTerm.get("大数据"), 2);
  assert.is(r.perTerm.get("工业互联网"), 1);
  assert.is(r.perTerm.get("互联网"), undefined); // nested term counted once, as the longer token
  assert.is(countTerms("今年粮食产量稳定增长", seg).total, 0);
});

test("textIndex: documents → city-year, sum then log(1 + count); NA text counted", () => {
  const docs = fromRecords([
    { city: "杭州", year: 2015, text: "发展电子商务和平台经济" }, // 2
    { city: "杭州", year: 2015, text: "建设智慧城市" }, // 1
    { city: "杭州", year: 2016, text: null },
    { city: "兰州", year: 2015, text: "农业生产稳定" }, // 0
  ]);
  const r = textIndex(docs, { unit: ["city", "year"], terms: VAGG_TERMS });
  assert.equal(column(r.table, "city"), ["杭州", "杭州", "兰州"]);
  assert.equal(
    Array.from(numeric(r.table, "count")).map((x) => (Number.isNaN(x) ? "NA" : x)),
    [3, "NA", 0],
  );
  const v = numeric(r.table, "vagg_txt");
  assert.ok(Math.abs((v[0] as number) - Math.log(4)) <= LOG_TOL); // ln(1 + 3)
  assert.is(v[2], 0); // ln(1 + 0)
  assert.ok(Number.isNaN(v[1] as number));
  assert.is(r.naDocs, 1);
  assert.equal(Array.from(r.docCount.slice(0, 2)), [2, 1]);
  assert.ok(Math.abs((r.docLog[0] as number) - Math.log(3)) <= LOG_TOL);
});

test("textIndex: bad inputs", () => {
  assert.throws(
    () => createSegmenter(["数字 经济"]),
    (e: unknown) => e instanceof ArgumentError,
  );
  const docs = fromRecords([{ city: null, year: 2015, text: "互联网" }], "reports.csv");
  assert.throws(
    () => textIndex(docs, { unit: ["city", "year"], terms: VAGG_TERMS }),
    (e: unknown) => e instanceof DataError && /reports\.csv/.test((e as Error).message),
  );
  assert.throws(() => textIndex(fromRecords([{ city: "a", txt: 1 }]), { unit: "city", text: "txt", terms: VAGG_TERMS }), /numeric/);
  assert.throws(() => textIndex(fromRecords([{ city: "a", text: "互联网" }]), { unit: "city" }), /needs a dictionary/);
});

test.run();
