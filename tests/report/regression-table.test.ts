import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../lib/estimators/feols";
import { table } from "../../lib/data/table";
import { regressionTable, type RegressionModel } from "../../lib/report/regression-table";
import { stars, formatNumber, formatCount } from "../../lib/report/format";
import { toHtml, escapeHtml } from "../../lib/report/html";
import { toLatex, escapeLatex } from "../../lib/report/latex";
import { toMarkdown } from "../../lib/report/markdown";
import { toCsv } from "../../lib/report/csv";
import { toText } from "../../lib/report/text";
import { panels } from "../../lib/report/panels";

// A tiny hand-made data set. By hand: slope of y on x = Sxy/Sxx = 39/42 = 0.928571…,
// intercept 4.5 − 0.928571·4.5 = 0.321429.
const d = table({
  y: [1, 3, 2, 5, 4, 6, 8, 7],
  x: [1, 2, 3, 4, 5, 6, 7, 8],
  z: [0, 1, 0, 1, 1, 0, 1, 0],
  g: ["a", "a", "b", "b", "c", "c", "d", "d"],
});
const m1 = feols(d, "y ~ x", { vcov: "iid" });
const m2 = feols(d, "y ~ x + z | g", { vcov: "iid" });
const demo = () =>
  regressionTable([m1, m2], {
    title: "Demo",
    indicators: [{ label: "Controls", vars: ["z"] }],
    extra: [{ label: "Published", values: [0.5, null] }],
  });

test("hand check of the fixture model", () => {
  assert.ok(Math.abs((m1.coef.x as number) - 39 / 42) < 1e-12);
  assert.ok(Math.abs((m1.coef["(Intercept)"] as number) - (4.5 - (39 / 42) * 4.5)) < 1e-12);
});

test("markdown golden", () => {
  assert.is(
    toMarkdown(demo()),
    [
      "**Demo**",
      "",
      "|  | (1) | (2) |",
      "| :--- | :---: | :---: |",
      "| x | 0.9286\\*\\*\\* | 1.5000 |",
      "|  | (0.1515) | (0.7906) |",
      "| Constant | 0.3214 |  |",
      "|  | (0.7652) |  |",
      "| Controls | No | Yes |",
      "| g FE | No | Yes |",
      "| N | 8 | 8 |",
      "| R² | 0.8622 | 0.9405 |",
      "| Published | 0.5000 |  |",
      "",
      "Standard errors in parentheses. \\*\\*\\* p\\<0.01, \\*\\* p\\<0.05, \\* p\\<0.1.",
    ].join("\n"),
  );
});

test("LaTeX golden (booktabs)", () => {
  assert.is(
    toLatex(demo(), { label: "tab:demo" }),
    [
      "\\begin{table}[htbp]",
      "\\centering",
      "\\caption{Demo}",
      "\\label{tab:demo}",
      "\\begin{tabular}{lcc}",
      "\\toprule",
      " & (1) & (2) \\\\",
      "\\midrule",
      "x & 0.9286$^{***}$ & 1.5000 \\\\",
      " & (0.1515) & (0.7906) \\\\",
      "Constant & 0.3214 &  \\\\",
      " & (0.7652) &  \\\\",
      "Controls & No & Yes \\\\",
      "g FE & No & Yes \\\\",
      "N & 8 & 8 \\\\",
      "R$^2$ & 0.8622 & 0.9405 \\\\",
      "Published & 0.5000 &  \\\\",
      "\\bottomrule",
      "\\end{tabular}",
      "\\begin{flushleft}",
      "\\footnotesize",
      "Standard errors in parentheses. *** p<0.01, ** p<0.05, * p<0.1.",
      "\\end{flushleft}",
      "\\end{table}",
    ].join("\n"),
  );
});

test("CSV golden", () => {
  assert.is(
    toCsv(demo()),
    [
      ",(1),(2)",
      "x,0.9286***,1.5000",
      ",(0.1515),(0.7906)",
      "Constant,0.3214,",
      ",(0.7652),",
      "Controls,No,Yes",
      "g FE,No,Yes",
      "N,8,8",
      "R²,0.8622,0.9405",
      "Published,0.5000,",
      "",
    ].join("\n"),
  );
});

test("HTML golden", () => {
  assert.is(
    toHtml(demo()),
    [
      '<table class="three-line">',
      "<caption>Demo</caption>",
      "<thead>",
      "<tr><th></th><th>(1)</th><th>(2)</th></tr>",
      "</thead>",
      "<tbody>",
      '<tr class="coef"><td>x</td><td>0.9286<sup>***</sup></td><td>1.5000</td></tr>',
      '<tr class="se"><td></td><td>(0.1515)</td><td>(0.7906)</td></tr>',
      '<tr class="coef"><td>Constant</td><td>0.3214</td><td></td></tr>',
      '<tr class="se"><td></td><td>(0.7652)</td><td></td></tr>',
      '<tr class="indicator"><td>Controls</td><td>No</td><td>Yes</td></tr>',
      '<tr class="indicator"><td>g FE</td><td>No</td><td>Yes</td></tr>',
      '<tr class="stat"><td>N</td><td>8</td><td>8</td></tr>',
      '<tr class="stat"><td>R²</td><td>0.8622</td><td>0.9405</td></tr>',
      '<tr class="extra"><td>Published</td><td>0.5000</td><td></td></tr>',
      "</tbody>",
      "<tfoot>",
      '<tr><td colspan="3">Standard errors in parentheses. *** p&lt;0.01, ** p&lt;0.05, * p&lt;0.1.</td></tr>',
      "</tfoot>",
      "</table>",
    ].join("\n"),
  );
});

test("HTML inline styles draw exactly three rules (top, under header, bottom)", () => {
  const h = toHtml(demo(), { inlineStyles: true, css: true });
  assert.ok(h.startsWith("<style>\ntable.three-line{"));
  assert.is((h.match(/border-top:2px solid #000/g) ?? []).length - 1, 3, "thick top on each header cell (+1 in the CSS)");
  assert.is((h.match(/border-bottom:1px solid #000"/g) ?? []).length, 3, "thin rule under each header cell");
  assert.is((h.match(/border-bottom:2px solid #000"/g) ?? []).length, 3, "thick bottom on the last body row");
});

test("text rendering aligns columns", () => {
  const lines = toText(demo()).split("\n");
  assert.is(lines[0], "Demo");
  assert.match(lines[1] as string, /^=+$/);
  assert.is(lines[4], "x          0.9286***   1.5000");
  assert.is(lines[lines.length - 1], "Standard errors in parentheses. *** p<0.01, ** p<0.05, * p<0.1.");
});

// Fake models with chosen p-values: the table must accept any object with the structural fields.
function fake(p: number, extra: Partial<RegressionModel> = {}): RegressionModel {
  return { coef: { b: 0.12345 }, se: { b: 0.01 }, pvalue: { b: p }, nobs: 616591, r2: 0.5, ...extra };
}

test("stars: strict thresholds exactly at the boundaries", () => {
  assert.is(stars(0.0099999), "***");
  assert.is(stars(0.01), "**");
  assert.is(stars(0.0499999), "**");
  assert.is(stars(0.05), "*");
  assert.is(stars(0.0999999), "*");
  assert.is(stars(0.1), "");
  assert.is(stars(NaN), "");
  assert.is(stars(0), "***");
  const ps = [0.01, 0.05, 0.1, 0.009, 0.049, 0.099];
  const t = regressionTable(
    ps.map((p) => fake(p)),
    { stats: [] },
  );
  assert.equal(
    t.body[0]!.cells.slice(1).map((c) => c.stars ?? ""),
    ["**", "*", "", "***", "**", "*"],
  );
  assert.is(toCsv(t).split("\n")[1], "b,0.1235**,0.1235*,0.1235,0.1235***,0.1235**,0.1235*");
  const custom = regressionTable([fake(0.03)], { stars: [[0.05, "†"]] });
  assert.is(custom.body[0]!.cells[1]!.stars, "†");
  assert.is(regressionTable([fake(0.001)], { stars: false }).body[0]!.cells[1]!.stars, undefined);
});

test("number formatting: digits, negative zero, N with thousands separators (display), none in CSV", () => {
  assert.is(formatNumber(0.31349, 4), "0.3135");
  assert.is(formatNumber(-0.00001, 4), "0.0000");
  assert.is(formatNumber(-0.0396, 4), "-0.0396");
  assert.is(formatNumber(NaN, 4, "—"), "—");
  assert.is(formatCount(616591), "616,591");
  assert.is(formatCount(1234567890), "1,234,567,890");
  assert.is(formatCount(999), "999");
  const t = regressionTable([fake(0.5)], { digits: 3 });
  assert.is(toCsv(t), ",(1)\nb,0.123\n,(0.010)\nN,616591\nR²,0.500\n");
  assert.match(toMarkdown(t), /\| N \| 616,591 \|/);
});

test("keep / drop / labels: order, regex, unknown names", () => {
  const a: RegressionModel = {
    coef: { "(Intercept)": 1, fdi: 0.1, vagg: 0.2, open: 0.3 },
    se: { "(Intercept)": 1, fdi: 1, vagg: 1, open: 1 },
    pvalue: { "(Intercept)": 1, fdi: 1, vagg: 1, open: 1 },
    nobs: 10,
  };
  const b: RegressionModel = {
    coef: { vagg: 0.4, "vagg:east": 0.5 },
    se: { vagg: 1, "vagg:east": 1 },
    pvalue: { vagg: 1, "vagg:east": 1 },
    nobs: 10,
  };
  const labelsOf = (t: ReturnType<typeof regressionTable>) => t.body.filter((r) => r.kind === "coef").map((r) => r.cells[0]!.text);
  assert.equal(labelsOf(regressionTable([a, b])), ["fdi", "vagg", "open", "vagg:east", "Constant"]);
  assert.equal(labelsOf(regressionTable([a, b], { keep: ["vagg", /^vagg:/, "fdi"], labels: { vagg: "虚拟集聚" } })), [
    "虚拟集聚",
    "vagg:east",
    "fdi",
  ]);
  assert.equal(labelsOf(regressionTable([a, b], { drop: [/Intercept/, "open"] })), ["fdi", "vagg", "vagg:east"]);
  assert.equal(labelsOf(regressionTable([a, b], { indicators: [{ label: "Controls", vars: ["fdi", "open"] }] })), [
    "vagg",
    "vagg:east",
    "Constant",
  ]);
  assert.throws(() => regressionTable([a, b], { keep: ["vag"] }), /"vag" is in none of the models \(did you mean "vagg"\?\)/);
  const t = regressionTable([a, b], { keep: ["vagg:east"] });
  assert.equal(
    t.body[0]!.cells.map((c) => c.text),
    ["vagg:east", "", "0.5000"],
  );
  assert.equal(
    t.body[1]!.cells.map((c) => c.text),
    ["", "", "(1.0000)"],
  );
});

test("lang zh: 是/否, Chinese stat labels and star note", () => {
  const t = regressionTable([m1, m2], { lang: "zh", keep: ["x"], stubHeader: "变量", stats: ["nobs", "r2", "withinR2"] });
  const rows = toCsv(t).trim().split("\n");
  assert.equal(rows, [
    "变量,(1),(2)",
    "x,0.9286***,1.5000",
    ",(0.1515),(0.7906)",
    "g固定效应,否,是",
    "观测值,8,8",
    "R²,0.8622,0.9405",
    "组内R²,,0.7222",
  ]);
  assert.equal(t.notes, ["括号内为标准误；*、**、*** 分别表示 10%、5%、1% 的显著性水平。"]);
});

test("fixed-effect rows from an explicit map; indicator values; extra positions; below = t", () => {
  const t = regressionTable([m1, m2], {
    keep: ["x"],
    below: "t",
    fixef: { "Group FE": "g", "Group × year FE": ["g", "year"] },
    indicators: [{ label: "Sample", values: ["All", "All"] }],
    extra: [
      { label: "True value (DGP)", values: [1, 1.5], position: "afterCoefs", digits: 2 },
      { label: "KP rk LM", values: ["—", 12.3456], position: "afterIndicators" },
    ],
    stats: ["nobs"],
    starNote: false,
  });
  assert.equal(toCsv(t).trim().split("\n"), [
    ",(1),(2)",
    "x,0.9286***,1.5000",
    `,(${(39 / 42 / (m1.se.x as number)).toFixed(4)}),(${(1.5 / (m2.se.x as number)).toFixed(4)})`,
    "True value (DGP),1.00,1.50",
    "Sample,All,All",
    "Group FE,No,Yes",
    "Group × year FE,No,No",
    "KP rk LM,—,12.3456",
    "N,8,8",
  ]);
  assert.equal(t.notes, []);
  assert.throws(() => regressionTable([m1, m2], { extra: [{ label: "bad", values: [1] }] }), /2 models/);
});

test("column groups, headers and depvar rows; group spans must add up", () => {
  const t = regressionTable([m1, m2, m1], {
    keep: ["x"],
    stats: [],
    starNote: false,
    fixef: false,
    groups: [
      { label: "OLS & FE", span: 2 },
      { label: "Again", span: 1 },
    ],
    headers: ["a", "b", "c"],
    depvarRow: true,
    labels: { y: "Quality" },
  });
  const tex = toLatex(t, { float: false });
  assert.match(
    tex,
    / & \\multicolumn\{2\}\{c\}\{OLS \\& FE\} & Again \\\\\n\\cmidrule\(lr\)\{2-3\} \\cmidrule\(lr\)\{4-4\}\n & \(1\) & \(2\) & \(3\) \\\\\n & a & b & c \\\\\n & Quality & Quality & Quality \\\\\n\\midrule/,
  );
  assert.match(toHtml(t), /<tr><th><\/th><th class="group" colspan="2">OLS &amp; FE<\/th><th class="group">Again<\/th><\/tr>/);
  assert.match(toMarkdown(t), /^\|  \| OLS & FE \(1\) a Quality \| OLS & FE \(2\) b Quality \| Again \(3\) c Quality \|$/m);
  assert.is(toCsv(t).split("\n")[0], ",OLS & FE,,Again");
  assert.throws(() => regressionTable([m1, m2], { groups: [{ label: "g", span: 3 }] }), /span 3 columns but there are 2 models/);
});

test("escaping: LaTeX specials, HTML entities, Markdown pipes", () => {
  assert.is(
    escapeLatex("a_b & 5% $x$ #1 {y} ~ ^ \\ R² ×"),
    "a\\_b \\& 5\\% \\$x\\$ \\#1 \\{y\\} \\textasciitilde{} \\textasciicircum{} \\textbackslash{} R$^2$ $\\times$",
  );
  assert.is(escapeHtml(`<b>"x" & 'y'</b>`), "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;");
  const t = regressionTable([fake(0.5, { coef: { ln_gdp: 1 }, se: { ln_gdp: 1 }, pvalue: { ln_gdp: 1 } })], {
    title: "T<1> & 50%",
    labels: { ln_gdp: "ln(gdp) | <i>" },
    stats: [],
    starNote: false,
    notes: ['a "q" _x_'],
  });
  assert.match(toLatex(t), /\\caption\{T<1> \\& 50\\%\}/);
  assert.match(toLatex(t), /\nln\(gdp\) \| <i> & 1\.0000 \\\\/);
  assert.match(toLatex(t), /a "q" \\_x\\_/);
  assert.match(toHtml(t), /<caption>T&lt;1&gt; &amp; 50%<\/caption>/);
  assert.match(toHtml(t), /<td>ln\(gdp\) \| &lt;i&gt;<\/td>/);
  assert.match(toMarkdown(t), /\| ln\(gdp\) \\\| \\<i\\> \| 1\.0000 \|/);
  assert.is(toCsv(fakeTable('say "hi", then go')).split("\n")[1], '"say ""hi"", then go",0.1235');
});

function fakeTable(label: string) {
  return regressionTable([fake(0.5)], { labels: { b: label }, stats: [], below: "none", starNote: false });
}

test("panels: stacked bodies with panel rows and a rule between panels", () => {
  const a = regressionTable([m1, m2], { keep: ["x"], stats: ["nobs"], fixef: false, title: "Table 3" });
  const b = regressionTable([m2, m1], { keep: ["x"], stats: ["nobs"], fixef: false });
  const p = panels([
    { title: "Panel A: OLS", table: a },
    { title: "Panel B: swapped", table: b },
  ]);
  assert.is(p.title, "Table 3");
  assert.is(p.notes.length, 1, "shared star note kept once");
  assert.equal(
    p.body.map((r) => r.kind),
    ["panel", "coef", "se", "stat", "panel", "coef", "se", "stat"],
  );
  const tex = toLatex(p, { float: false });
  assert.match(tex, /\\midrule\n\\multicolumn\{3\}\{l\}\{\\textit\{Panel A: OLS\}\} \\\\\nx & 0\.9286\$\^\{\*\*\*\}\$ & 1\.5000/);
  assert.match(
    tex,
    /N & 8 & 8 \\\\\n\\midrule\n\\multicolumn\{3\}\{l\}\{\\textit\{Panel B: swapped\}\} \\\\\nx & 1\.5000 & 0\.9286\$\^\{\*\*\*\}\$/,
  );
  assert.match(toHtml(p), /<tr class="panel rule"><td colspan="3">Panel B: swapped<\/td><\/tr>/);
  assert.match(toMarkdown(p), /\| \*\*Panel A: OLS\*\* \|  \|  \|/);
  const c = regressionTable([m1], {});
  assert.throws(
    () =>
      panels([
        { title: "A", table: a },
        { title: "C", table: c },
      ]),
    /has 2 columns but panel "A" has 3/,
  );
});

test.run();
