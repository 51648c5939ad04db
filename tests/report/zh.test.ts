import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../lib/estimators/feols";
import { table } from "../../lib/data/table";
import { regressionTable, ZH_VAR_NAMES } from "../../lib/report/regression-table";
import { dataTable, ZH_STAT_HEADERS } from "../../lib/report/data-table";
import { describe } from "../../lib/report/describe";
import { isCjkTable } from "../../lib/report/model";
import { toHtml, threeLineCss, CJK_FONT_STACK } from "../../lib/report/html";
import { toLatex, CJK_LATEX_NOTE } from "../../lib/report/latex";
import { toCsv } from "../../lib/report/csv";
import { panels } from "../../lib/report/panels";
import { toDocx, stubColumnWidths } from "../../lib/report/docx";
import { unzip } from "./zip";

// 4 cities × 3 products × 4 years, y = 0.5·x + effects + a fixed wobble (no randomness).
const rows = {
  y: [] as number[],
  x: [] as number[],
  w: [] as number[],
  city: [] as string[],
  hs4: [] as string[],
  year: [] as string[],
  province: [] as string[],
};
for (let c = 0; c < 4; c++)
  for (let j = 0; j < 3; j++)
    for (let t = 0; t < 4; t++) {
      const i = rows.y.length;
      const x = ((i * 7) % 11) / 3 + c;
      const w = ((i * 5) % 7) / 2;
      rows.x.push(x);
      rows.w.push(w);
      rows.y.push(0.5 * x + 0.2 * w + c + 0.3 * j + 0.1 * t + Math.sin(i) / 4);
      rows.city.push(`c${c}`);
      rows.hs4.push(`h${j}`);
      rows.year.push(String(2000 + t));
      rows.province.push(c < 2 ? "p1" : "p2");
    }
const d = table(rows);
const cl = { vcov: { cluster: ["city^hs4"] } } as const;
const b1 = feols(d, "y ~ x | city + year", cl);
const b2 = feols(d, "y ~ x + w | city + year + hs4", cl);
const labels = { x: "虚拟集聚", w: "", y: "出口产品质量" };

test("zh regression table: 变量, labels, FE rows named through ZH_VAR_NAMES with 是/否, 观测值, R², 组内R², 聚类数", () => {
  const t = regressionTable([b1, b2], {
    lang: "zh",
    labels,
    keep: ["x"],
    indicators: [{ label: "控制变量", vars: ["w"] }],
    stats: ["nobs", "r2", "withinR2", "clusters"],
    title: "表2 基准回归",
  });
  const csv = toCsv(t)
    .trim()
    .split("\n")
    .map((r) => r.split(",")[0] + "|" + r.split(",").slice(1).join(","));
  assert.is(csv[0], "变量|(1),(2)");
  assert.ok(csv[1]!.startsWith("虚拟集聚|"), csv[1]);
  assert.equal(csv.slice(3, 7), ["控制变量|否,是", "城市固定效应|是,是", "年份固定效应|是,是", "产品(HS4)固定效应|否,是"]);
  assert.equal(
    csv.slice(7).map((r) => r.split("|")[0]),
    ["观测值", "R²", "组内R²", "聚类数"],
  );
  assert.is(csv[10], "聚类数|12,12");
  assert.is(t.lang, "zh");
  assert.ok(isCjkTable(t));
  assert.is(ZH_VAR_NAMES.city, "城市");
});

test("zh notes: cluster level named from the cluster variable, override, stars 10%、5%、1%", () => {
  const t = regressionTable([b1, b2], { lang: "zh", keep: ["x"] });
  assert.equal(t.notes, ["括号内为城市×产品(HS4)层面聚类稳健标准误；*、**、*** 分别表示 10%、5%、1% 的显著性水平。"]);
  const t2 = regressionTable([b1, b2], { lang: "zh", keep: ["x"], clusterLabel: "城市×HS4", notes: ["数据为合成数据。"] });
  assert.equal(t2.notes, ["括号内为城市×HS4 层面聚类稳健标准误；*、**、*** 分别表示 10%、5%、1% 的显著性水平。", "数据为合成数据。"]);
  assert.is(
    regressionTable([b1], { lang: "zh", clusterLabel: false }).notes[0],
    "括号内为聚类稳健标准误；*、**、*** 分别表示 10%、5%、1% 的显著性水平。",
  );
  const byCity = feols(d, "y ~ x | city + year", { vcov: { cluster: ["city"] } });
  assert.match(regressionTable([byCity], { lang: "zh" }).notes[0]!, /^括号内为城市层面聚类稳健标准误；/);
  // different cluster variables: clustered, level not named
  assert.match(regressionTable([b1, byCity], { lang: "zh" }).notes[0]!, /^括号内为聚类稳健标准误；/);
  const het = feols(d, "y ~ x", { vcov: "hetero" });
  assert.match(regressionTable([het], { lang: "zh" }).notes[0]!, /^括号内为异方差稳健标准误；/);
  // iid and clustered mixed, or models that do not say: plain 标准误
  assert.match(regressionTable([het, b1], { lang: "zh" }).notes[0]!, /^括号内为标准误；/);
  assert.match(
    regressionTable([{ coef: { x: 1 }, se: { x: 0.5 }, pvalue: { x: 0.05 }, nobs: 10 }], { lang: "zh" }).notes[0]!,
    /^括号内为标准误；/,
  );
  assert.match(regressionTable([b1], { lang: "zh", below: "t" }).notes[0]!, /^括号内为t值；/);
  // English notes are unchanged
  assert.equal(regressionTable([b1]).notes, ["Standard errors in parentheses. *** p<0.01, ** p<0.05, * p<0.1."]);
});

test("zh FE rows: interactions from their parts, varNames and fixefLabels override; English keeps raw names", () => {
  const e = feols(d, "y ~ x | city + province^year", cl);
  const fe = (t: ReturnType<typeof regressionTable>) => t.body.filter((r) => r.kind === "indicator").map((r) => r.cells[0]!.text);
  assert.equal(fe(regressionTable([e], { lang: "zh" })), ["城市固定效应", "省份×年份固定效应"]);
  assert.equal(
    fe(regressionTable([e], { lang: "zh", varNames: { city: "地级市" }, fixefLabels: { "province^year": "省份-年份固定效应" } })),
    ["地级市固定效应", "省份-年份固定效应"],
  );
  assert.equal(fe(regressionTable([e])), ["city FE", "province^year FE"]);
  assert.equal(fe(regressionTable([e], { varNames: { city: "City", province: "Province", year: "Year" } })), [
    "City FE",
    "Province^Year FE",
  ]);
  assert.is(regressionTable([e]).header.at(-1)![0]!.text, "", "no stub header in English by default");
  assert.is(regressionTable([e], { lang: "zh", stubHeader: "解释变量" }).header.at(-1)![0]!.text, "解释变量");
});

test("labels: empty labels (as .dta files store unlabelled variables) fall back to the name; depvar row and tidy labels", () => {
  const t = regressionTable([b2], { lang: "zh", labels, depvarRow: true });
  assert.equal(
    t.body.filter((r) => r.kind === "coef").map((r) => r.cells[0]!.text),
    ["虚拟集聚", "w"],
  );
  assert.is(t.header.at(-1)![1]!.text, "出口产品质量");
  assert.equal(
    t.tidy!.map((r) => r.termLabel),
    ["虚拟集聚", "w"],
  );
});

test("zh data table: 变量 观测值 均值 标准差 最小值 最大值, explicit headers win, Chinese row-limit note", () => {
  const t = dataTable(describe(d, ["x", "w"]), { lang: "zh", rowLabels: { x: "虚拟集聚", w: "" }, digits: 3 });
  assert.equal(
    t.header[0]!.map((c) => c.text),
    ["变量", "观测值", "均值", "标准差", "最小值", "最大值"],
  );
  assert.equal(
    t.body.map((r) => r.cells[0]!.text),
    ["虚拟集聚", "w"],
  );
  assert.is(t.lang, "zh");
  assert.is(ZH_STAT_HEADERS.sd, "标准差");
  const h = dataTable(describe(d, ["x"]), { lang: "zh", headers: { sd: "标准偏差" } });
  assert.is(h.header[0]![3]!.text, "标准偏差");
  assert.equal(dataTable(d, { lang: "zh", columns: ["city", "x"], maxRows: 2 }).notes, ["仅显示前 2 行（共 48 行）。"]);
  const en = dataTable(describe(d, ["x"]));
  assert.equal(
    en.header[0]!.map((c) => c.text),
    ["variable", "N", "mean", "sd", "min", "max"],
  );
  assert.is(en.lang, undefined);
});

test("HTML: a Chinese table gets lang=zh-CN and the CJK font stack (inline and in threeLineCss); English does not", () => {
  const t = regressionTable([b1, b2], { lang: "zh", labels, keep: ["x"], title: "表2 基准回归" });
  const html = toHtml(t, { inlineStyles: true });
  assert.match(html, /^<table class="three-line" lang="zh-CN" style="[^"]*font-family:'Times New Roman',Times,'SimSun'/);
  for (const s of ["表2 基准回归", "虚拟集聚", "城市固定效应", "是", "否", "观测值", "聚类稳健标准误", "10%、5%、1% 的显著性水平"])
    assert.ok(html.includes(s), s);
  assert.match(toHtml(t), /^<table class="three-line" lang="zh-CN">/);
  assert.ok(threeLineCss.includes(`table.three-line:lang(zh){font-family:${CJK_FONT_STACK}}`));
  assert.ok(CJK_FONT_STACK.includes("Noto Serif CJK SC"));
  const en = toHtml(regressionTable([b1]), { inlineStyles: true });
  assert.not.match(en, /lang=|font-family/);
  // detected without lang: Chinese labels in an English-worded table
  assert.match(toHtml(regressionTable([b1], { labels })), /lang="zh-CN"/);
});

test("LaTeX: a Chinese table starts with the CJK engine note; escaping unchanged", () => {
  const t = regressionTable([b1, b2], {
    lang: "zh",
    labels: { x: "虚拟集聚_x & y" },
    keep: ["x"],
    title: "表2 基准回归",
    notes: ["城市 × 产品，R² 为 50%"],
  });
  const tex = toLatex(t);
  const lines = tex.split("\n");
  assert.equal(lines.slice(0, CJK_LATEX_NOTE.length), [...CJK_LATEX_NOTE]);
  assert.ok(lines[0]!.includes("requires xeCJK (XeLaTeX) or ctex"));
  assert.is(lines[CJK_LATEX_NOTE.length], "\\begin{table}[htbp]");
  assert.ok(tex.includes("\\caption{表2 基准回归}"));
  assert.ok(tex.includes("虚拟集聚\\_x \\& y"));
  assert.ok(tex.includes("*、**、*** 分别表示 10\\%、5\\%、1\\% 的显著性水平。"));
  assert.ok(tex.includes("城市 $\\times$ 产品，R$^2$ 为 50\\%"));
  assert.ok(tex.includes("城市固定效应 & 是 & 是 \\\\"));
  assert.ok(toLatex(t, { float: false }).startsWith("% Chinese text"));
  assert.not.ok(toLatex(regressionTable([b1])).includes("xeCJK"));
});

test("docx: Chinese text intact in word/document.xml, East Asian font, zh-CN run language; deterministic", async () => {
  const t = regressionTable([b1, b2], { lang: "zh", labels, keep: ["x"], title: "表2 虚拟集聚与出口产品质量：基准回归" });
  const a = await toDocx(t, { epoch: 1700000000 });
  const b = await toDocx(t, { epoch: 1700000000 });
  assert.ok(a.equals(b), "same bytes for the same table and epoch");
  const xml = unzip(a).get("word/document.xml")!.toString("utf8");
  const tx = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]);
  for (const s of [
    "表2 虚拟集聚与出口产品质量：基准回归",
    "变量",
    "虚拟集聚",
    "城市固定效应",
    "年份固定效应",
    "产品(HS4)固定效应",
    "是",
    "否",
    "观测值",
    "括号内为城市×产品(HS4)层面聚类稳健标准误；*、**、*** 分别表示 10%、5%、1% 的显著性水平。",
  ])
    assert.ok(tx.includes(s), `${s} in ${JSON.stringify(tx)}`);
  assert.match(
    xml,
    /<w:rFonts w:ascii="Times New Roman" w:cs="Times New Roman" w:eastAsia="SimSun" w:hAnsi="Times New Roman" w:hint="eastAsia"\/>/,
  );
  assert.match(xml, /<w:lang w:val="en-US" w:eastAsia="zh-CN"\/>/);
  const en = unzip(await toDocx(regressionTable([b1]), { epoch: 1700000000 }))
    .get("word/document.xml")!
    .toString("utf8");
  assert.not.match(en, /<w:lang |w:hint=/);
  assert.match(en, /w:eastAsia="SimSun"/);
});

test("docx: the stub column is as wide as its longest label, the grid fills the A4 text width", async () => {
  const t = regressionTable([b1, b2], { lang: "zh", labels, keep: ["x"] });
  const w = stubColumnWidths(t, 21);
  assert.is(
    w.reduce((a, b) => a + b, 0),
    11906 - 2880,
  );
  // "产品(HS4)固定效应": 6 CJK characters + 5 others = 8.75 em at 210 twips, plus padding
  assert.ok(w[0]! >= 8.75 * 210 + 300 && w[0]! < 8.75 * 210 + 303, JSON.stringify(w));
  assert.equal(new Set(w.slice(1)).size, 1);
  const xml = unzip(await toDocx(t, { epoch: 1700000000 }))
    .get("word/document.xml")!
    .toString("utf8");
  assert.ok(xml.includes(`<w:tblGrid>${w.map((x) => `<w:gridCol w:w="${x}"/>`).join("")}</w:tblGrid>`));
  // never below 15% or above 45% of the text width
  assert.is(stubColumnWidths(regressionTable([b1], { keep: ["x"] }), 21)[0], Math.round(0.15 * 9026));
  assert.is(stubColumnWidths(regressionTable([b1], { keep: ["x"], labels: { x: "很".repeat(40) } }), 21)[0], Math.round(0.45 * 9026));
});

test("panels keep the Chinese language of their tables", () => {
  const p = panels([
    { title: "A", table: regressionTable([b1], { lang: "zh", keep: ["x"] }) },
    { title: "B", table: regressionTable([b2], { lang: "zh", keep: ["x"] }) },
  ]);
  assert.is(p.lang, "zh");
  assert.is(panels([{ title: "A", table: regressionTable([b1], { keep: ["x"] }) }]).lang, undefined);
});

test.run();
