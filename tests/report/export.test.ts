import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { table, fromRecords, NA_INT } from "../../lib/data/table";
import { feols } from "../../lib/estimators/feols";
import { rotembergLong, rotembergTable } from "../../lib/measures/rotemberg";
import { sharedDataPath } from "../../lib/data/public";
import { comparisonTable, comparisonRow } from "../../lib/papers/compare";
import { readCsvSimple } from "../fixtures/eq/csv";
import { dataTable } from "../../lib/report/data-table";
import { describe } from "../../lib/report/describe";
import { regressionTable } from "../../lib/report/regression-table";
import { panels } from "../../lib/report/panels";
import { toCsv, toTidyCsv, tableCsv, cellsTidy } from "../../lib/report/csv";
import { formatRaw, countCell } from "../../lib/report/format";
import { exportTable, exportFigure } from "../../lib/report/export";
import { distributionPlot } from "../../lib/report/charts";
import type { ReportTable } from "../../lib/report/model";

/** RFC 4180 reader: rows of fields (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let f = "";
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (q) {
      if (c === '"' && s[i + 1] === '"') ((f += '"'), i++);
      else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ",") (row.push(f), (f = ""));
    else if (c === "\n") (row.push(f), rows.push(row), (row = []), (f = ""));
    else f += c;
  }
  if (f !== "" || row.length) (row.push(f), rows.push(row));
  return rows;
}

/** A field that prints a number with thousands separators ("616,591", "-1,234.5"). */
const GROUPED = /\d,\d{3}(?!\d)/;
const bits = (x: number) => Buffer.from(Float64Array.of(x).buffer).toString("hex");

const pub = require(sharedDataPath("adh", "published.json"));
const adh = rotembergLong({
  master: readCsvSimple(sharedDataPath("adh", "master.csv")),
  shares: readCsvSimple(sharedDataPath("adh", "shares_nonzero_long.csv.gz"), ["ind"]),
  shocks: readCsvSimple(sharedDataPath("adh", "shocks.csv"), ["ind"]),
  y: pub.spec.y,
  x: pub.spec.x,
  controls: pub.spec.controls,
  weight: "timepwt48",
});

test("ADH: the 780 Rotemberg weights round-trip exactly through the data-table CSV", () => {
  const rt = rotembergTable(adh.rows);
  // the notebook's export: few digits on screen, every digit in the CSV
  const t = dataTable(rt, { title: "ADH", columns: ["year", "ind", "g", "alpha", "beta"], digits: { year: 0, g: 8, alpha: 12, beta: 8 } });
  const rows = parseCsv(toCsv(t));
  assert.equal(rows[0], ["year", "ind", "g", "alpha", "beta"]);
  assert.is(rows.length, 1 + 780);
  const alpha = rt.columns.alpha as Float64Array,
    g = rt.columns.g as Float64Array,
    beta = rt.columns.beta as Float64Array;
  const back = { g: new Float64Array(780), alpha: new Float64Array(780), beta: new Float64Array(780) };
  rows.slice(1).forEach((r, i) => {
    assert.ok(/^(1990|2000)$/.test(r[0] as string), `year as an integer: ${r[0]}`);
    assert.is(r[1], adh.rows[i]!.ind);
    back.g[i] = Number(r[2]);
    back.alpha[i] = Number(r[3]);
    back.beta[i] = Number(r[4]);
  });
  assert.equal(Buffer.from(back.alpha.buffer), Buffer.from(alpha.buffer), "alpha bitwise");
  assert.equal(Buffer.from(back.g.buffer), Buffer.from(g.buffer), "g bitwise");
  assert.equal(Buffer.from(back.beta.buffer), Buffer.from(beta.buffer), "beta bitwise");
  for (const r of rows) for (const f of r) assert.not.match(f, GROUPED);
  // the display keeps its layout: years without separators there too
  assert.is(t.body[0]!.cells[0]!.text, String(adh.rows[0]!.year));
});

test("formatRaw: shortest round-trip text, integers as integers, missing empty, -0 kept", () => {
  for (const x of [0.1 + 0.2, 1 / 3, -2.80091926e-7, 1e21, 5e-324, 616591, 1990, -0, Infinity, -Infinity])
    assert.is(bits(Number(formatRaw(x))), bits(x), String(x));
  assert.is(formatRaw(1990), "1990");
  assert.is(formatRaw(616591), "616591");
  assert.is(formatRaw(NaN), "");
  assert.is(formatRaw(undefined), "");
  assert.equal(countCell(616591), { text: "616,591", plain: "616591" });
  assert.equal(countCell(999), { text: "999" });
  assert.equal(countCell(NaN, "–"), { text: "–" });
});

test("tableCsv: Int32 NA and NaN empty, text quoted when needed", () => {
  const t = table({ year: Int32Array.of(2004, NA_INT), x: [1.5, NaN], s: ["a, b", null] });
  assert.is(tableCsv(t), 'year,x,s\n2004,1.5,"a, b"\n,,\n');
});

const d = table({
  y: [1, 3, 2, 5, 4, 6, 8, 7, 9, 12, 10, 11],
  x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
  z: [0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 0],
  g: [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4],
});
const m1 = feols(d, "y ~ x", { vcov: "iid" });
const m2 = feols(d, "y ~ x + z | g", { vcov: "iid" });

test("regressionTable: tidy rows (model × term) with raw numbers and numeric per-model rows", () => {
  const t = regressionTable([m1, m2], {
    keep: ["x", "z"],
    labels: { x: "vagg" },
    headers: ["OLS", "FE"],
    stats: ["nobs", "r2"],
    extra: [
      { label: "Published", values: [0.2013, null], position: "afterCoefs" },
      { label: "Instrument", values: ["–", "L.x"] },
    ],
  });
  const tidy = t.tidy!;
  assert.equal(
    tidy.map((r) => `${r.model}:${r.term}`),
    ["1:x", "2:x", "2:z"],
  );
  const r0 = tidy[0]!;
  assert.is(r0.estimate, m1.coef.x);
  assert.is(r0.stdError, m1.se.x);
  assert.is(r0.pValue, m1.pvalue.x);
  assert.is(r0.termLabel, "vagg");
  assert.is(r0.modelLabel, "OLS");
  assert.is(r0.depvar, "y");
  assert.equal(r0.extra, { r2: m1.r2, published: 0.2013 });
  assert.equal(tidy[1]!.extra, { r2: m2.r2 }, "empty published left out; text rows not in the tidy data");

  const rows = parseCsv(toTidyCsv(t));
  assert.equal(rows[0], [
    "model",
    "model_label",
    "depvar",
    "term",
    "term_label",
    "estimate",
    "std_error",
    "statistic",
    "p_value",
    "nobs",
    "r2",
    "published",
  ]);
  const h = rows[0]!;
  for (const r of rows.slice(1))
    for (const c of ["model", "estimate", "std_error", "statistic", "p_value", "nobs", "r2"]) {
      const v = r[h.indexOf(c)] as string;
      assert.ok(v !== "" && Number.isFinite(Number(v)), `${c} numeric: "${v}"`);
    }
  assert.is(bits(Number(rows[1]![h.indexOf("estimate")])), bits(m1.coef.x as number), "estimate round-trips");
  assert.is(rows[1]![h.indexOf("nobs")], "12");
  assert.is(rows[3]![h.indexOf("published")], "");
});

test("regressionTable: display CSV prints N without separators; tidy of panels carries the panel", () => {
  const big = { coef: { b: 0.5 }, se: { b: 0.1 }, pvalue: { b: 0.001 }, nobs: 616591, dof: { G: { city: 1234 } } };
  const t = regressionTable([big, big], { stats: ["nobs", "clusters"] });
  const csv = toCsv(t);
  assert.match(csv, /\nN,616591,616591\n/);
  assert.match(csv, /\nClusters,1234,1234\n/);
  assert.not.match(csv, GROUPED);
  assert.equal(t.tidy![0]!.extra, { clusters: 1234 });
  const p = panels([
    { title: "Panel A", table: t },
    { title: "Panel B", table: regressionTable([m1, m2], { keep: ["x"] }) },
  ]);
  const rows = parseCsv(toTidyCsv(p));
  assert.is(rows[0]![0], "panel");
  assert.equal(
    rows.slice(1).map((r) => r[0]),
    ["Panel A", "Panel A", "Panel B", "Panel B"],
  );
  assert.not.match(toCsv(p), GROUPED);
});

test("panels of data tables stack their data under a panel column", () => {
  const a = dataTable(describe(d, ["x", "y"]), { digits: 2 });
  const b = dataTable(describe(d, ["z"]), { digits: 2 });
  const p = panels([
    { title: "A", table: a },
    { title: "B", table: b },
  ]);
  assert.equal(p.data!.names, ["panel", "variable", "N", "mean", "sd", "min", "max"]);
  assert.equal(
    parseCsv(toCsv(p))
      .slice(1)
      .map((r) => `${r[0]}/${r[1]}/${r[2]}`),
    ["A/x/12", "A/y/12", "B/z/12"],
  );
});

test("comparisonTable (published vs recomputed vs true): raw numbers in its CSV", () => {
  const t = comparisonTable(
    [comparisonRow("T2 (4)", m2, "x", { coef: 0.3187, se: 0.0241 }, 0.3087), comparisonRow("plain", m1, "x")],
    "Comparison",
  );
  const rows = parseCsv(toCsv(t));
  assert.equal(rows[0], ["exhibit", "published", "published_se", "recomputed", "se", "true_value", "N"]);
  assert.equal(rows[1], ["T2 (4)", "0.3187", "0.0241", String(m2.coef.x), String(m2.se.x), "0.3087", "12"]);
  assert.equal(rows[2]!.slice(1, 3), ["", ""], "missing published → empty");
});

test("cellsTidy: a hand-built table without payload gets one row per cell with its number", () => {
  const t: ReportTable = {
    kind: "report-table",
    ncol: 3,
    header: [[{ text: "" }, { text: "(1)" }, { text: "(2)" }]],
    body: [
      { kind: "coef", cells: [{ text: "b" }, { text: "0.5000", stars: "***" }, { text: "x" }] },
      { kind: "se", cells: [{ text: "" }, { text: "(0.1000)" }, { text: "" }] },
      { kind: "stat", cells: [{ text: "N" }, countCell(616591), { text: "−3" }] },
    ],
    notes: [],
  };
  const c = cellsTidy(t);
  assert.equal(c.names, ["row", "stub", "column", "header", "text", "value"]);
  assert.equal(
    [...(c.columns.value as Float64Array)].map((v) => (Number.isNaN(v) ? null : v)),
    [0.5, null, 0.1, null, 616591, -3],
  );
  assert.not.match(toTidyCsv(t), GROUPED);
});

test("exportTable: relative paths; data tables write raw CSV, other tables display CSV + tidy companion; no separators anywhere", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-export-"));
  try {
    const reg = regressionTable([m1, m2], { keep: ["x"], extra: [{ label: "Published", values: [1, 2] }] });
    const big = regressionTable([{ coef: { b: 0.5 }, se: { b: 0.1 }, pvalue: { b: 0.001 }, nobs: 616591 }]);
    const data = dataTable(fromRecords([{ year: 2004, N: 616591, v: 1 / 3 }]), { counts: ["N"] });
    const pr = await exportTable("reg", reg, { dir });
    assert.equal(pr, ["tables/reg.html", "tables/reg.tex", "tables/reg.csv", "tables/reg.tidy.csv", "tables/reg.docx"]);
    await exportTable("big", big, { dir });
    const pd = await exportTable("data", data, { dir });
    assert.equal(pd, ["tables/data.html", "tables/data.tex", "tables/data.csv", "tables/data.docx"]);
    for (const p of [...pr, ...pd]) assert.ok(fs.existsSync(path.join(dir, p)), p);
    assert.is(fs.readFileSync(path.join(dir, "tables/data.csv"), "utf8"), `year,N,v\n2004,616591,${1 / 3}\n`);
    assert.match(fs.readFileSync(path.join(dir, "tables/data.html"), "utf8"), /616,591/, "HTML keeps the display layout");
    const csvs = fs.readdirSync(path.join(dir, "tables")).filter((f) => f.endsWith(".csv"));
    for (const f of csvs)
      for (const r of parseCsv(fs.readFileSync(path.join(dir, "tables", f), "utf8")))
        for (const x of r) assert.not.match(x, GROUPED, `${f}: ${x}`);
    // every display CSV (a table without data) has its tidy companion
    assert.ok(fs.existsSync(path.join(dir, "tables/big.tidy.csv")));
    assert.is(await exportFigure("fig", distributionPlot([1, 2, 3]), { dir }), "figures/fig.svg");
    assert.ok(fs.readFileSync(path.join(dir, "figures/fig.svg"), "utf8").startsWith("<svg"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
