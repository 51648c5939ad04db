import { test } from "uvu";
import * as assert from "uvu/assert";
import { table, NA_INT } from "../../lib/data/table";
import { describe } from "../../lib/report/describe";
import { dataTable } from "../../lib/report/data-table";
import { toMarkdown } from "../../lib/report/markdown";
import { toCsv } from "../../lib/report/csv";
import { toLatex } from "../../lib/report/latex";
import { toText } from "../../lib/report/text";

// Hand values: a = [1, 2, 3, 4, NaN] → N 4, mean 2.5, sd sqrt(5/3) = 1.290994…, min 1, max 4.
const t = table({
  a: [1, 2, 3, 4, NaN],
  k: Int32Array.of(10, NA_INT, 30, 20, 40),
  one: [NaN, NaN, 7, NaN, NaN],
  none: [NaN, NaN, NaN, NaN, NaN],
  s: ["x", "y", null, "z", "w"],
});

test("describe: N non-missing, mean, sd (n−1), min, max; NA_INT and NaN skipped", () => {
  const d = describe(t, ["a", "k", "one", "none"]);
  assert.equal(d.columns.variable, ["a", "k", "one", "none"]);
  assert.equal([...(d.columns.N as Int32Array)], [4, 4, 1, 0]);
  const mean = d.columns.mean as Float64Array;
  const sd = d.columns.sd as Float64Array;
  assert.is(mean[0], 2.5);
  assert.ok(Math.abs((sd[0] as number) - Math.sqrt(5 / 3)) < 1e-15);
  assert.is(mean[1], 25);
  assert.ok(Math.abs((sd[1] as number) - Math.sqrt(500 / 3)) < 1e-12);
  assert.equal([(d.columns.min as Float64Array)[1], (d.columns.max as Float64Array)[1]], [10, 40]);
  assert.is(mean[2], 7);
  assert.ok(Number.isNaN(sd[2] as number), "sd of one value is NaN");
  assert.ok(Number.isNaN(mean[3] as number) && Number.isNaN((d.columns.min as Float64Array)[3] as number), "N = 0 → NaN");
  assert.throws(() => describe(t, ["s"]), /text column/);
  assert.throws(() => describe(t, ["aa"]), /not found/);
  assert.equal(describe(t).columns.variable, ["a", "k", "one", "none"], "default: the numeric columns");
});

test("describe: two-pass sd is accurate for large offsets", () => {
  const big = table({ v: [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16] });
  const d = describe(big, ["v"]);
  assert.is((d.columns.sd as Float64Array)[0], Math.sqrt(30));
});

test("dataTable golden (descriptives as EQ Table 1): counts with separators, digits, labels", () => {
  const big = table({
    variable: ["hs4_qua", "vagg"],
    N: Int32Array.of(693162, 624577),
    mean: [0.5812, 0.574],
    sd: [0.169, 0.0844],
    year: Int32Array.of(2010, 2011),
  });
  const dt = dataTable(big, {
    title: "Table 1",
    digits: { mean: 3, sd: 2 },
    headers: { variable: "Variable", sd: "S.D." },
    rowLabels: { hs4_qua: "Export quality" },
    notes: ["Source: synthetic."],
  });
  assert.is(
    toMarkdown(dt),
    [
      "**Table 1**",
      "",
      "| Variable | N | mean | S.D. | year |",
      "| :--- | :---: | :---: | :---: | :---: |",
      "| Export quality | 693,162 | 0.581 | 0.17 | 2010 |",
      "| vagg | 624,577 | 0.574 | 0.08 | 2011 |",
      "",
      "Source: synthetic.",
    ].join("\n"),
  );
  assert.is(
    toCsv(dt, { layout: "display" }),
    "Variable,N,mean,S.D.,year\nExport quality,693162,0.581,0.17,2010\nvagg,624577,0.574,0.08,2011\n",
  );
  assert.is(
    toCsv(dt),
    "variable,N,mean,sd,year\nhs4_qua,693162,0.5812,0.169,2010\nvagg,624577,0.574,0.0844,2011\n",
    "raw data: names, codes, unrounded",
  );
  assert.match(
    toLatex(dt),
    /\\begin\{tabular\}\{lcccc\}\n\\toprule\nVariable & N & mean & S\.D\. & year \\\\\n\\midrule\nExport quality & 693,162/,
  );
});

test("dataTable: describe() output, NA text, maxRows note, column groups", () => {
  const dt = dataTable(describe(t, ["a", "one"]), {
    na: "—",
    digits: 2,
    groups: [
      { label: "Moments", span: 3 },
      { label: "Range", span: 2 },
    ],
  });
  assert.is(
    toCsv(dt, { layout: "display" }),
    ",Moments,,,Range,\nvariable,N,mean,sd,min,max\na,4,2.50,1.29,1.00,4.00\none,1,7.00,—,7.00,7.00\n",
  );
  assert.is(toCsv(dt), `variable,N,mean,sd,min,max\na,4,2.5,${Math.sqrt(5 / 3)},1,4\none,1,7,,7,7\n`);
  const few = dataTable(t, { columns: ["s", "a"], maxRows: 2 });
  assert.equal(few.body.length, 2);
  assert.equal(few.notes, ["Showing 2 of 5 rows."]);
  assert.throws(() => dataTable(t, { columns: ["a", "k"], groups: [{ label: "x", span: 2 }] }), /span 2 columns but the table has 1/);
  assert.match(toText(dataTable(table({ 变量: ["出口质量"], v: [1] }))), /出口质量  1\.0000/);
});

test("mixed statistic/value columns: whole numbers ≥ 100 print as counts, estimates keep their decimals; opt-out", () => {
  const t = table({ v: Float64Array.from([128354, 1000, 0.3087, 2, -250]) });
  const cells = (o = {}) => dataTable(t, o).body.map((r) => (r.kind === "data" ? r.cells[0]!.text : ""));
  assert.equal(cells(), ["128,354", "1,000", "0.3087", "2.0000", "-250"]);
  assert.equal(cells({ wholeNumbersAsCounts: false }), ["128354.0000", "1000.0000", "0.3087", "2.0000", "-250.0000"]);
});

test.run();
