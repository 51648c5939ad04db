import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../lib/estimators/feols";
import { table } from "../../lib/data/table";
import { regressionTable } from "../../lib/report/regression-table";
import { dataTable } from "../../lib/report/data-table";
import { panels } from "../../lib/report/panels";
import { toDocx } from "../../lib/report/docx";
import { dosDateTime } from "../../lib/util/reproducible-zip";
import { sourceDateEpoch } from "../../lib/util/source-date";
import { Document, Packer, patchDocument } from "docx";
import { crc32 } from "node:zlib";
import { unzip, zipEntries } from "./zip";

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
  for (const s of [
    "表2 基准回归",
    "(1)",
    "(2)",
    "虚拟集聚 &amp; &lt;x&gt;",
    "0.9286",
    "***",
    "(0.1515)",
    "g固定效应",
    "否",
    "是",
    "观测值",
    "8",
    "0.8622",
  ])
    assert.ok(tx.includes(s), `cell text ${s} in ${JSON.stringify(tx)}`);
  assert.match(
    xml as string,
    /<w:vertAlign w:val="superscript"\/><\/w:rPr><w:t xml:space="preserve">\*\*\*<\/w:t>|<w:vertAlign w:val="superscript"\/>[\s\S]{0,200}<w:t[^>]*>\*\*\*<\/w:t>/,
  );
  assert.match(xml as string, /<w:rFonts [^>]*w:eastAsia="SimSun"/);
});

test("docx: three-line borders — table top/bottom thick, no inside or vertical lines, thin rule under the header", async () => {
  const xml = unzip(await toDocx(regressionTable([m1, m2])))
    .get("word/document.xml")!
    .toString("utf8");
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
  const p = panels(
    [
      { title: "Panel A", table: a },
      { title: "Panel B", table: a },
    ],
    { title: "Table 3" },
  );
  const desc = dataTable(table({ v: ["x"], N: [12345] }), { title: "Table 1" });
  const xml = unzip(await toDocx([desc, p]))
    .get("word/document.xml")!
    .toString("utf8");
  assert.is((xml.match(/<w:tbl>/g) ?? []).length, 2);
  const tx = texts(xml);
  for (const s of ["Table 1", "12,345", "Table 3", "Panel A", "Panel B"]) assert.ok(tx.includes(s), s);
  assert.match(xml, /<w:gridSpan w:val="3"\/>/);
});

/** Runs `f` with SOURCE_DATE_EPOCH set to `value` (undefined: unset), restoring it afterwards. */
async function withEpoch<T>(value: string | undefined, f: () => Promise<T>): Promise<T> {
  const prev = process.env["SOURCE_DATE_EPOCH"];
  if (value === undefined) delete process.env["SOURCE_DATE_EPOCH"];
  else process.env["SOURCE_DATE_EPOCH"] = value;
  try {
    return await f();
  } finally {
    if (prev === undefined) delete process.env["SOURCE_DATE_EPOCH"];
    else process.env["SOURCE_DATE_EPOCH"] = prev;
  }
}

const created = (core: string) => /<dcterms:created [^>]*>([^<]*)<\/dcterms:created>/.exec(core)?.[1];
const modified = (core: string) => /<dcterms:modified [^>]*>([^<]*)<\/dcterms:modified>/.exec(core)?.[1];

test("docx: deterministic — two calls a second apart give the same bytes (epoch from git HEAD)", async () => {
  const t = regressionTable([m1, m2], { title: "表2 基准回归", lang: "zh" });
  const [a, b] = await withEpoch(undefined, async () => {
    const a = await toDocx(t);
    await new Promise((r) => setTimeout(r, 1100));
    return [a, await toDocx(t)] as const;
  });
  assert.ok(a.equals(b), "byte-identical");
  const epoch = await withEpoch(undefined, async () => sourceDateEpoch());
  const core = unzip(a).get("docProps/core.xml")!.toString("utf8");
  const iso = new Date(epoch * 1000).toISOString().replace(/\.000Z$/, "Z");
  assert.is(created(core), iso);
  assert.is(modified(core), iso);
});

test("docx: SOURCE_DATE_EPOCH sets core.xml created/modified and every zip entry's time; entries in a fixed order", async () => {
  const t = regressionTable([m1, m2]);
  const buf = await withEpoch("1700000000", () => toDocx(t));
  const core = unzip(buf).get("docProps/core.xml")!.toString("utf8");
  assert.is(created(core), "2023-11-14T22:13:20Z");
  assert.is(modified(core), "2023-11-14T22:13:20Z");
  const { date, time } = dosDateTime(1700000000);
  const entries = zipEntries(buf);
  for (const e of entries) assert.equal([e.time, e.date, e.localTime, e.localDate], [time, date, time, date], e.name);
  const names = entries.map((e) => e.name);
  assert.is(names[0], "[Content_Types].xml");
  assert.equal(names.slice(1), [...names.slice(1)].sort());
  assert.ok(names.includes("word/document.xml") && names.includes("docProps/core.xml"));
  const other = await withEpoch("1800000000", () => toDocx(t));
  assert.not.ok(other.equals(buf), "another epoch, other bytes");
  assert.ok((await toDocx(t, { epoch: 1700000000 })).equals(buf), "opts.epoch = the same time, the same bytes");
});

test("docx: core.xml is docx's own but for the dates", async () => {
  const strip = (x: string) => x.replace(/(<dcterms:(?:created|modified) [^>]*>)[^<]*</g, "$1<");
  const theirs = unzip(await Packer.toBuffer(new Document({ sections: [] })))
    .get("docProps/core.xml")!
    .toString("utf8");
  const ours = unzip(await toDocx(regressionTable([m1]), { epoch: 0 }))
    .get("docProps/core.xml")!
    .toString("utf8");
  assert.is(strip(ours), strip(theirs));
  assert.is(created(ours), "1970-01-01T00:00:00Z");
});

test("docx: the rewritten zip is sound — CRCs match and docx itself reads it back", async () => {
  const buf = await toDocx(regressionTable([m1, m2], { title: "Table 2" }), { epoch: 1700000000 });
  const files = unzip(buf);
  for (const e of zipEntries(buf)) {
    assert.is(e.crc, crc32(files.get(e.name)!), e.name);
    assert.is(e.localCrc, e.crc, e.name);
  }
  const patched = await patchDocument({ outputType: "nodebuffer", data: buf, patches: {} });
  const xml = unzip(patched).get("word/document.xml")!.toString("utf8");
  assert.ok(texts(xml).includes("Table 2"));
});

test.run();
