import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../lib/estimators/feols";
import { table } from "../../lib/data/table";
import { regressionTable } from "../../lib/report/regression-table";
import { dataTable } from "../../lib/report/data-table";
import { panels } from "../../lib/report/panels";
import { toDocx } from "../../lib/report/docx";
import { unzip } from "./zip";

const d = table({ y: [1, 3, 2, 5, 4, 6, 8, 7], x: [1, 2, 3, 4, 5, 6, 7, 8], g: ["a", "a", "b", "b", "c", "c", "d", "d"] });
const m1 = feols(d, "y ~ x", { vcov: "iid" });
const m2 = feols(d, "y ~ x | g", { vcov: "iid" });

function texts(xml: string): string[] {
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1] as string);
}

test("docx: a zip whose word/document.xml holds the table text, stars as superscript", async () => {
  const t = regressionTable([m1, m2], { title: "表2 基准回归", lang: "zh", labels: { x: "虚拟集聚 & <x>" } });
  const buf = await toDocx(t);
  assert.ok(Buffer.isBuffer(buf));
  assert.is(buf.subarray(0, 2).toString("latin1"), "PK");
  const files = unzip(buf);
  const xml = files.get("word/document.xml")?.toString("utf8");
  assert.ok(xml, "word/document.xml present");
  const tx = texts(xml as string);
  for (const s of ["表2 基准回归", "(1)", "(2)", "虚拟集聚 &amp; &lt;x&gt;", "0.9286", "***", "(0.1515)", "g固定效应", "否", "是", "观测值", "8", "0.8622"])
    assert.ok(tx.includes(s), `cell text ${s} in ${JSON.stringify(tx)}`);
  assert.match(xml as string, /<w:vertAlign w:val="superscript"\/><\/w:rPr><w:t xml:space="preserve">\*\*\*<\/w:t>|<w:vertAlign w:val="superscript"\/>[\s\S]{0,200}<w:t[^>]*>\*\*\*<\/w:t>/);
  assert.match(xml as string, /<w:rFonts [^>]*w:eastAsia="SimSun"/);
});

test("docx: three-line borders — table top/bottom thick, no inside or vertical lines, thin rule under the header", async () => {
  const xml = unzip(await toDocx(regressionTable([m1, m2]))).get("word/document.xml")!.toString("utf8");
  const tbl = /<w:tblBorders>([\s\S]*?)<\/w:tblBorders>/.exec(xml)?.[1] ?? "";
  assert.match(tbl, /<w:top w:val="single"[^>]*w:sz="12"/);
  assert.match(tbl, /<w:bottom w:val="single"[^>]*w:sz="12"/);
  for (const side of ["left", "right", "insideH", "insideV"]) assert.match(tbl, new RegExp(`<w:${side} w:val="none"`), side);
  // cell borders: 3 header cells with a thin bottom, 3 body cells of the last row with a thick bottom
  const thinBottom = xml.match(/<w:bottom w:val="single"[^>]*w:sz="6"/g) ?? [];
  const thickBottom = xml.match(/<w:bottom w:val="single"[^>]*w:sz="12"/g) ?? [];
  assert.is(thinBottom.length, 3);
  assert.is(thickBottom.length, 1 + 3, "table-level + last-row cells");
  const single = xml.match(/w:val="single"/g) ?? [];
  assert.is(single.length, 2 + 3 + 3 + 3, "no other lines: table top/bottom, header top (3), header bottom (3), last row (3)");
});

test("docx: several tables and panels in one document", async () => {
  const a = regressionTable([m1, m2], { keep: ["x"], stats: ["nobs"] });
  const p = panels([{ title: "Panel A", table: a }, { title: "Panel B", table: a }], { title: "Table 3" });
  const desc = dataTable(table({ v: ["x"], N: [12345] }), { title: "Table 1" });
  const xml = unzip(await toDocx([desc, p])).get("word/document.xml")!.toString("utf8");
  assert.is((xml.match(/<w:tbl>/g) ?? []).length, 2);
  const tx = texts(xml);
  for (const s of ["Table 1", "12,345", "Table 3", "Panel A", "Panel B"]) assert.ok(tx.includes(s), s);
  assert.match(xml, /<w:gridSpan w:val="3"\/>/);
});

test.run();
