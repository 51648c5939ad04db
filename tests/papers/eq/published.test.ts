import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  EQ_FIGURE2_PUBLISHED,
  EQ_PRINTED,
  EQ_PUBLISHED,
  EQ_TABLE1,
  EQ_TABLE2,
  EQ_TABLE2_ROWS,
  printedValue,
  type PrintedCell,
} from "../../../lib/papers/eq/published";

// The paper's text lives outside the repository (../shared, never committed); CI has it.
const PAPER = path.resolve(__dirname, "../../../../shared/papers/000_f9e64e7efe15f33c.txt");
const ROOT = path.resolve(__dirname, "../../..");

test("(d) the EQ paper text is present (loud failure otherwise)", () => {
  assert.ok(
    fs.existsSync(PAPER),
    `MISSING: the EQ paper text ${PAPER} — the published-number checks cannot run (CI must provide ../shared/papers/).`,
  );
});

function paperText(): string {
  if (!fs.existsSync(PAPER))
    throw new Error(`SKIPPED LOUDLY: the EQ paper text ${PAPER} is missing — the published-number checks cannot run.`);
  return fs.readFileSync(PAPER, "utf8");
}

/** The text between a heading and the first end marker after it. */
function block(text: string, start: string, end: string): string {
  const i = text.indexOf(start);
  if (i < 0) throw new Error(`paper text: heading "${JSON.stringify(start)}" not found`);
  const j = text.indexOf(end, i + start.length);
  if (j < 0) throw new Error(`paper text: end "${end}" after "${start}" not found`);
  return text.slice(i, j);
}

const TABLE_BOUNDS = {
  table1: ["表 1 主要变量描述性统计", "资料来源"],
  table2: ["表 2 基准回归结果", "注："],
  table3: ["表 3 内生性问题", "(3)测量偏误问题"],
  table4: ["表 4 测量偏误与进一步稳健性检验", "说明:"],
  table5: ["表 5\n", "(2)地理区位异质性"],
  table6: ["表 6 地理区位异质性", "### 五"],
  table7: ["表 7 影响机制检验结果", "## 2. 拓展性分析"],
  table8: ["表 8 拓展性分析结果\n", "## 六"],
} as const;
type TableName = keyof typeof TABLE_BOUNDS;
const TABLES = (t: string) =>
  Object.fromEntries(Object.entries(TABLE_BOUNDS).map(([k, [a, b]]) => [k, block(t, a, b)])) as Record<TableName, string>;

/** The body text (before the references) with the eight table blocks cut out. */
function prose(t: string): string {
  let body = t.slice(0, t.indexOf("#### 参考文献"));
  for (const [a, b] of Object.values(TABLE_BOUNDS)) {
    const i = body.indexOf(a);
    body = body.slice(0, i) + body.slice(body.indexOf(b, i));
  }
  return body;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
/** A printed cell "coef<space?>stars (se)" in a table block. */
function cellRe(c: PrintedCell): RegExp {
  return new RegExp(`(^|[^\\d.])${esc(c.coef)}\\s*${esc(c.stars)}(?!\\s*\\*)\\s*\\(${esc(c.se)}\\)`);
}
/** A printed number, not part of a longer number. */
const numRe = (s: string) => new RegExp(`(^|[^\\d.])${esc(s)}(?![\\d]|\\.\\d|e[+-])`);

/** Every printed string of the module with the table it belongs to ("text" = the running text). */
function printedStrings(): { where: TableName | "text"; text: string }[] {
  const out: { where: TableName | "text"; text: string }[] = [];
  const P = EQ_PRINTED;
  for (const m of Object.values(P.table1))
    for (const k of ["n", "mean", "sd", "min", "max"] as const) out.push({ where: "table1", text: m[k] });
  for (const r of EQ_TABLE2_ROWS)
    for (const c of P.table2.rows[r]) if (c) out.push({ where: "table2", text: c.coef }, { where: "table2", text: c.se });
  for (const s of [...P.table2.n, ...P.table2.r2]) out.push({ where: "table2", text: s });
  const cols = (where: TableName, cs: readonly { coef: string; se: string; n: string; r2: string }[]) => {
    for (const c of cs) for (const s of [c.coef, c.se, c.n, c.r2]) out.push({ where, text: s });
  };
  cols("table3", P.table3);
  for (const c of P.table3) if (c.lm && c.f) out.push({ where: "table3", text: c.lm.text }, { where: "table3", text: c.f });
  cols("table4", Object.values(P.table4));
  cols("table5", Object.values(P.table5));
  for (const c of Object.values(P.table6))
    for (const s of [c.main.coef, c.main.se, c.inter.coef, c.inter.se, c.n, c.r2]) out.push({ where: "table6", text: s });
  cols("table7", Object.values(P.table7));
  cols("table8", Object.values(P.table8));
  const facts = (o: unknown): void => {
    if (o && typeof o === "object") {
      if ("text" in o && "value" in o) out.push({ where: "text", text: (o as { text: string }).text });
      else Object.values(o).forEach(facts);
    }
  };
  facts(P.text);
  return out;
}

test("(a) every printed number of the module occurs in the paper text as printed", () => {
  const t = paperText();
  const tables = TABLES(t);
  const all = printedStrings();
  assert.ok(all.length > 250, `only ${all.length} printed strings`);
  for (const { where, text } of all) {
    const hay = where === "text" ? prose(t) : tables[where];
    assert.ok(text === "八类" ? hay.includes(text) : numRe(text).test(hay), `${where}: "${text}" is not printed there`);
  }
});

test("(a) every coefficient cell occurs with its stars and SE, in its row and column order", () => {
  const tables = TABLES(paperText());
  /** The cells "coef stars (se)" of the first line of a block starting with `label`. */
  const rowCells = (b: string, label: RegExp): string[] => {
    const l = b.split("\n").find((x) => label.test(x));
    assert.ok(l, `row ${label} not found`);
    return [...l!.matchAll(/(-?\d+\.\d+)\s*(\**)\s*\((\d+\.\d+)\)/g)].map((m) => `${m[1]}${m[2]} (${m[3]})`);
  };
  const fmt = (c: PrintedCell) => `${c.coef}${c.stars} (${c.se})`;
  const P = EQ_PRINTED;
  // Table 2: one row per regressor (the table is printed in two parts, 表 2 and 续表 2)
  for (const r of EQ_TABLE2_ROWS) {
    const label = r === "const" ? /^常数项\t/ : new RegExp(`^<i>${r}</i>\\t`);
    assert.equal(rowCells(tables.table2, label), P.table2.rows[r].filter((c): c is PrintedCell => c !== null).map(fmt), `Table 2 row ${r}`);
    // the empty cells are in columns (1) and (3)
    const line = tables.table2.split("\n").find((x) => label.test(x))!;
    const fields = line.split("\t").slice(1);
    assert.equal(
      fields.map((f) => f.trim() !== ""),
      P.table2.rows[r].map((c) => c !== null),
      `Table 2 row ${r}: printed cells by column`,
    );
  }
  const row = (b: string, label: RegExp) =>
    (b.split("\n").find((l) => label.test(l)) ?? "")
      .split("\t")
      .slice(1)
      .map((x) => x.trim());
  assert.equal(row(tables.table2, /^观测值/), [...P.table2.n]);
  assert.equal(row(tables.table2, /^R <sup>2/), [...P.table2.r2]);
  // Tables 3–8: the key row(s), N and R² in column order
  const t3 = tables.table3;
  assert.equal(rowCells(t3, /^<i>vagg<\/i>/), P.table3.filter((c) => c.regressor === "vagg").map(fmt));
  assert.equal(rowCells(t3, /^<i>L\.vagg<\/i>/), P.table3.filter((c) => c.regressor === "L.vagg").map(fmt));
  assert.equal(
    row(t3, /^LM 统计量/).filter(Boolean),
    P.table3.filter((c) => c.lm).map((c) => `${c.lm!.text}${c.lm!.stars}`),
  );
  assert.equal(
    row(t3, /^Wald F/).filter(Boolean),
    P.table3.filter((c) => c.f).map((c) => c.f),
  );
  assert.equal(
    row(t3, /^观测值/),
    P.table3.map((c) => c.n),
  );
  assert.equal(
    row(t3, /^R <sup>2/),
    P.table3.map((c) => c.r2),
  );
  const t4 = Object.values(P.table4);
  for (const reg of ["vagg_in", "vagg_txt", "vagg"])
    assert.equal(rowCells(tables.table4, new RegExp(`^<i>${reg}</i>`)), t4.filter((c) => c.regressor === reg).map(fmt), `Table 4 ${reg}`);
  assert.equal(
    row(tables.table4, /^观测值/),
    t4.map((c) => c.n),
  );
  assert.equal(
    row(tables.table4, /^R <sup>2/),
    t4.map((c) => c.r2),
  );
  assert.equal(
    row(tables.table4, /^变量/),
    t4.map((c) => `<i>${c.depvar}</i>`),
  );
  const t5 = Object.values(P.table5);
  assert.equal(rowCells(tables.table5, /^<i>vagg<\/i>/), t5.map(fmt));
  assert.equal(
    row(tables.table5, /^观测值/),
    t5.map((c) => c.n),
  );
  assert.equal(
    row(tables.table5, /^R <sup>2/),
    t5.map((c) => c.r2),
  );
  assert.equal(
    row(tables.table5, /^\t加工贸易/),
    t5.map((c) => c.header),
  );
  const t6 = Object.values(P.table6);
  assert.equal(
    rowCells(tables.table6, /^<i>vagg<\/i>\t/),
    t6.map((c) => fmt(c.main)),
  );
  for (const c of t6) assert.equal(rowCells(tables.table6, new RegExp(`× <i>${c.term}</i>`)), [fmt(c.inter)], `Table 6 ${c.term}`);
  assert.equal(
    row(tables.table6, /^观测值/),
    t6.map((c) => c.n),
  );
  assert.equal(
    row(tables.table6, /^R <sup>2/),
    t6.map((c) => c.r2),
  );
  const t7 = Object.values(P.table7);
  assert.equal(rowCells(tables.table7, /^<i>vagg<\/i>/), t7.map(fmt));
  assert.equal(
    row(tables.table7, /^观测值/),
    t7.map((c) => c.n),
  );
  assert.equal(
    row(tables.table7, /^\$R\^2\$/),
    t7.map((c) => c.r2),
  );
  assert.equal(
    row(tables.table7, /^变量/),
    t7.map((c) => `<i>${c.header}</i>`),
  );
  const t8 = Object.values(P.table8);
  for (const reg of ["L\\.vagg", "vagg", "coa", "d_coa"])
    assert.equal(
      rowCells(tables.table8, new RegExp(`^<i>${reg}</i>`)),
      t8.filter((c) => c.regressor === reg.replace("\\", "")).map(fmt),
      `Table 8 ${reg}`,
    );
  assert.equal(
    row(tables.table8, /^观测值/),
    t8.map((c) => c.n),
  );
  assert.equal(
    row(tables.table8, /^R <sup>2/),
    t8.map((c) => c.r2),
  );
  assert.equal(
    row(tables.table8, /^变量/),
    t8.map((c) => `<i>${c.header}</i>`),
  );
  // Table 1: every row, every field, in order
  const rows1 = tables.table1.split("\n").filter((l) => l.startsWith("<i>"));
  assert.is(rows1.length, Object.keys(P.table1).length);
  for (const l of rows1) {
    const f = l.split("\t");
    const key = /<i>(\w+)<\/i>/.exec(f[0]!)![1]!;
    const m = P.table1[key];
    assert.ok(m, `Table 1 row ${key} missing from the module`);
    assert.equal(f.slice(1), [m!.n, m!.mean, m!.sd, m!.min, m!.max], `Table 1 row ${key}`);
  }
});

test("(b) completeness: every decimal number and every N printed in Tables 1–8 and every decimal of the prose is in the module", () => {
  const t = paperText();
  const tables = TABLES(t);
  const have = new Set(printedStrings().map((s) => `${s.where}|${s.text}`));
  let count = 0;
  for (const [name, b] of Object.entries(tables)) {
    for (const m of b.matchAll(/-?\d+\.\d+(e[+-]\d+)?/g)) {
      count++;
      assert.ok(have.has(`${name}|${m[0]}`), `${name}: printed ${m[0]} is missing from lib/papers/eq/published.ts`);
    }
    for (const m of b.matchAll(/(?<![\d.])\d{4,}(?![\d.])/g)) {
      count++;
      assert.ok(have.has(`${name}|${m[0]}`), `${name}: printed N ${m[0]} is missing from lib/papers/eq/published.ts`);
    }
  }
  // Table 1's integer min/max (0, 1) are covered row by row in (a); here the decimals and Ns
  assert.ok(count > 250, `only ${count} numbers extracted from Tables 1–8 — block extraction broken`);
  // the running text prints two decimals (the placebo means) besides the classification code "Rev4.0"
  const decimals = [...prose(t).matchAll(/-?\d+\.\d+/g)].map((m) => m[0]).filter((s) => s !== "4.0");
  assert.ok(decimals.length >= 2);
  for (const d of decimals) assert.ok(have.has(`text|${d}`), `prose: printed ${d} is missing from the module`);
  // counts of the running text
  for (const n of ["5776", "1000", "100", "1984"]) assert.ok(have.has(`text|${n}`), `prose count ${n} missing`);
});

// ---------------------------------------------------------------------------------------------
// (c) "not printed" claims: every such claim in lib/papers/eq/*.ts and notebooks/eq/*.ipynb is
// registered with a check that the named quantity really is absent from the paper text.
// ---------------------------------------------------------------------------------------------

const CLAIM =
  /prints \w+ only|prints only|not printed|not print\b|does not print|doesn't print|prints no\b|prints none|prints nothing|未列示/i;

/** Named checks: each returns "" when the quantity is indeed absent, else what the text prints. */
const ABSENT: Record<string, (t: string) => string> = {
  // (every check reads the text with the classification code "ISIC Rev4.0" removed: not a quantity)
  /** The text-index dictionary: the paper's own footnote says it is not shown. */
  dictionary: (t) => (t.includes("限于篇幅,相关词典与词频数据未列示") ? "" : "footnote 限于篇幅,相关词典与词频数据未列示 not found"),
  /** Units of vagg_in / vagg_txt: the measurement-error and text-index paragraphs name no unit. */
  units: (t) => {
    const b = block(t, "(3)测量偏误问题", "(2)基于微观数据的再检验");
    const m = /(亿元|万元|美元|百万|千元|单位)/.exec(b);
    return m ? `prints the unit "${m[0]}"` : "";
  },
  /** A test of the Table 5 coefficient differences (statistic, p-value, method, draws). */
  table5Test: (t) => {
    const b = block(t, "#### 4. 异质性分析", "(2)地理区位异质性");
    const b0 = b.replace(block(t, "表 5\n", "(2)地理区位异质性"), "");
    const m = /(-?\d+\.\d+|P\s*值|p\s*值|检验统计量|Bootstrap|bootstrap|自抽样|Chow|费舍尔|Fisher|置换|邹检验)/.exec(b0);
    return m ? `§4.4(1) prints "${m[0]}"` : "";
  },
  /** σ̂ of the quality estimation: §3.2(1) prints no decimal. */
  sigma: (t) => {
    const m = /\d+\.\d+/.exec(block(t, "(1) 被解释变量", "(2) 核心解释变量"));
    return m ? `§3.2(1) prints ${m[0]}` : "";
  },
  /** The list of central cities: no provincial capital is named. */
  centreList: (t) => {
    const caps = [
      "石家庄",
      "太原",
      "呼和浩特",
      "沈阳",
      "长春",
      "哈尔滨",
      "南京",
      "杭州",
      "合肥",
      "福州",
      "南昌",
      "济南",
      "郑州",
      "武汉",
      "长沙",
      "广州",
      "南宁",
      "海口",
      "成都",
      "贵阳",
      "昆明",
      "拉萨",
      "西安",
      "兰州",
      "西宁",
      "银川",
      "乌鲁木齐",
    ];
    const hit = caps.find((c) => t.includes(c));
    return hit ? `names ${hit}` : "";
  },
  /** ω, the digital split of wholesale/retail: the 拆分系数 is cited, no number given. */
  omega: (t) => {
    const i = t.indexOf("拆分系数");
    const para = t.slice(t.lastIndexOf("\n", i), t.indexOf("\n", i));
    const m = /(\d+\.\d+|\d+\s*%)/.exec(para);
    return i < 0 ? "no 拆分系数 paragraph" : m ? `prints ${m[0]}` : "";
  },
  /** Level / scale of the Bartik shift: §3.2(2) and §3.3(2) print no coefficient values. */
  vaggLevel: (t) => {
    const m = /\d+\.\d+/.exec(block(t, "(2) 核心解释变量", "(3) 控制变量") + block(t, "(2)虚拟集聚数据来自于", "主要变量的描述性统计如表"));
    return m ? `prints ${m[0]}` : "";
  },
  /** Table 1 N of the controls: claimed printed only for hs4_qua and vagg. */
  table1ControlN: (t) => {
    const rows = block(t, "表 1 主要变量描述性统计", "资料来源")
      .split("\n")
      .filter((l) => /^<i>(fdi|open|fisc|dlp|sci|edu|wage|gdp|fixinv)<\/i>\t\d{5,}/.test(l));
    return rows.length ? `Table 1 prints N for ${rows.length} controls (e.g. ${rows[0]!.split("\t").slice(0, 2).join(" ")})` : "";
  },
  /** The module's own header sentence ("null = the paper prints nothing in that cell"): every null cell of EQ_PRINTED is empty in the text. */
  moduleNulls: (t) => {
    const b2 = block(t, "表 2 基准回归结果", "注：").split("\n");
    for (const r of EQ_TABLE2_ROWS) {
      const line = b2.find((l) => (r === "const" ? /^常数项\t/ : new RegExp(`^<i>${r}</i>\\t`)).test(l));
      if (!line) return `Table 2 has no row ${r}`;
      const f = line.split("\t").slice(1);
      const k = EQ_PRINTED.table2.rows[r].findIndex((c, i) => c === null && (f[i] ?? "").trim() !== "");
      if (k >= 0) return `Table 2 prints ${f[k]} in row ${r}, column (${k + 1})`;
    }
    const b3 = block(t, "表 3 内生性问题", "(3)测量偏误问题").split("\n");
    for (const [label, key] of [
      ["LM 统计量", "lm"],
      ["Wald F", "f"],
    ] as const) {
      const f = (b3.find((l) => l.startsWith(label)) ?? "").split("\t").slice(1);
      const k = EQ_PRINTED.table3.findIndex((c, i) => c[key] === null && (f[i] ?? "").trim() !== "");
      if (k >= 0) return `Table 3 prints ${label} ${f[k]} in column (${k + 1})`;
    }
    return "";
  },
};

/** Every claim found: file, line, the registered check, and a substring that identifies it. */
const REGISTERED: readonly { file: string; contains: string; check: keyof typeof ABSENT }[] = [
  { file: "lib/papers/eq/exhibits.ts", contains: "does not print its units or dictionary", check: "dictionary" },
  { file: "lib/papers/eq/exhibits.ts", contains: "does not print its units or dictionary", check: "units" },
  { file: "lib/papers/eq/exhibits.ts", contains: "The paper prints no test", check: "table5Test" },
  { file: "lib/papers/eq/exhibits.ts", contains: "The paper prints no σ̂", check: "sigma" },
  { file: "lib/papers/eq/heterogeneity.ts", contains: "prints no list", check: "centreList" },
  { file: "lib/papers/eq/heterogeneity.ts", contains: "the paper prints no test", check: "table5Test" },
  { file: "lib/papers/eq/measurement.ts", contains: "(the paper prints none)", check: "omega" },
  { file: "lib/papers/eq/measurement.ts", contains: "not print; the OECD 2021 tables", check: "omega" },
  { file: "lib/papers/eq/measurement.ts", contains: "the paper prints no scale of its own", check: "vaggLevel" },
  { file: "lib/papers/eq/measurement.ts", contains: "a level normalisation the paper does not print", check: "vaggLevel" },
  { file: "lib/papers/eq/published.ts", contains: "the paper prints nothing in that cell", check: "moduleNulls" },
  { file: "lib/papers/eq/published.ts", contains: "but prints no difference, test statistic", check: "table5Test" },
  { file: "lib/papers/eq/robustness.ts", contains: "The paper does not print its units", check: "units" },
  { file: "notebooks/eq/eq-03-measurement.ipynb", contains: "the paper prints no level", check: "vaggLevel" },
  { file: "notebooks/eq/eq-05-robustness.ipynb", contains: "the paper does not print its dictionary", check: "dictionary" },
  { file: "notebooks/eq/eq-06-heterogeneity.ipynb", contains: "The paper prints no test of the differences", check: "table5Test" },
  { file: "notebooks/eq/eq-06-heterogeneity.ipynb", contains: "it prints no list", check: "centreList" },
];

/**
 * Known wrong claims in files this module's owner does not edit (exact text). The test fails if
 * one of them is fixed (remove it here) or a new wrong claim appears.
 */
const KNOWN_WRONG: readonly { file: string; text: string; replacement: string }[] = [];

function claimFiles(): string[] {
  const lib = fs
    .readdirSync(path.join(ROOT, "lib/papers/eq"))
    .filter((f) => f.endsWith(".ts"))
    .map((f) => `lib/papers/eq/${f}`);
  const nb = fs
    .readdirSync(path.join(ROOT, "notebooks/eq"))
    .filter((f) => f.endsWith(".ipynb"))
    .map((f) => `notebooks/eq/${f}`);
  return [...lib, ...nb];
}

test("(c) every 'not printed' claim in lib/papers/eq and notebooks/eq is registered and true", () => {
  const t = paperText();
  const problems: string[] = [];
  const used = new Set<number>();
  for (const file of claimFiles()) {
    const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (!CLAIM.test(line)) return;
      const regs = REGISTERED.map((r, k) => [r, k] as const).filter(([r]) => r.file === file && line.includes(r.contains));
      if (regs.length === 0) {
        problems.push(`${file}:${i + 1}: unregistered "not printed" claim — register it with a check: ${line.trim().slice(0, 200)}`);
        return;
      }
      for (const [r, k] of regs) {
        used.add(k);
        const found = ABSENT[r.check]!(t.replace(/Rev4\.0/g, "Rev"));
        const known = KNOWN_WRONG.find((w) => w.file === file && line.includes(w.text));
        if (found && !known) problems.push(`${file}:${i + 1}: claims "${r.contains}" but the paper ${found}`);
        if (!found && known)
          problems.push(`${file}:${i + 1}: known-wrong claim "${known.text}" now passes its check — remove it from KNOWN_WRONG`);
      }
    });
  }
  REGISTERED.forEach((r, k) => {
    if (!used.has(k)) problems.push(`${r.file}: registered claim "${r.contains}" no longer found — remove it from REGISTERED`);
  });
  for (const w of KNOWN_WRONG)
    if (!fs.readFileSync(path.join(ROOT, w.file), "utf8").includes(w.text))
      problems.push(`${w.file}: known-wrong claim "${w.text}" is gone — remove it from KNOWN_WRONG`);
  assert.equal(problems, [], problems.join("\n"));
});

test("(c) the module's null cells are empty in the text", () => {
  const tables = TABLES(paperText());
  // Table 2: controls empty in (1) and (3) — checked field by field in (a); the LM / F rows have three empty OLS cells
  const lmRow = tables.table3
    .split("\n")
    .find((l) => l.startsWith("LM 统计量"))!
    .split("\t")
    .slice(1);
  assert.equal(
    lmRow.map((x) => x.trim() === ""),
    EQ_PRINTED.table3.map((c) => c.lm === null),
  );
  const fRow = tables.table3
    .split("\n")
    .find((l) => l.startsWith("Wald F"))!
    .split("\t")
    .slice(1);
  assert.equal(
    fRow.map((x) => x.trim() === ""),
    EQ_PRINTED.table3.map((c) => c.f === null),
  );
  // table5Test: method and draws null, printed false — the §4.4 prose prints no statistic
  assert.is(EQ_PUBLISHED.table5Test.printed, false);
  assert.is(EQ_PUBLISHED.table5Test.method, null);
  assert.is(EQ_PUBLISHED.table5Test.reps, null);
  assert.is(ABSENT.table5Test!(paperText()), "");
  assert.ok(paperText().includes(EQ_PUBLISHED.table5Test.statement));
});

test("numeric views agree with the printed strings and keep the old field names", () => {
  assert.equal(EQ_TABLE1["wage"], { n: 689022, mean: 10.349, sd: 0.502, min: 2.283, max: 11.828 });
  assert.equal(EQ_TABLE1["hs4_qua"], { n: 693162, mean: 0.581, sd: 0.169, min: 0, max: 1 });
  for (const m of Object.values(EQ_TABLE1)) for (const k of ["n", "mean", "sd", "min", "max"] as const) assert.ok(m[k] !== null, k);
  assert.equal(EQ_PUBLISHED.table2[3], { coef: 0.3087, se: 0.0201 });
  assert.equal([...EQ_PUBLISHED.table2N], [624577, 616591, 624577, 616591]);
  assert.equal([...EQ_PUBLISHED.table2R2], [0.0766, 0.0776, 0.3252, 0.3262]);
  assert.equal(EQ_PUBLISHED.table2Const[1], { coef: 0.5003, se: 0.0337 });
  assert.equal(EQ_TABLE2.fisc[1], { coef: -0.0082, se: 0.006, stars: "" });
  assert.is(EQ_TABLE2.fdi[0], null);
  assert.equal(EQ_PUBLISHED.table3[3], { coef: 0.1632, se: 0.0428, lm: 24000, f: 88000 });
  assert.equal(EQ_PUBLISHED.table3[1], { coef: 0.254, se: 0.024 });
  assert.equal([...EQ_PUBLISHED.table3N], [616591, 616591, 576343, 576343, 544474, 546790]);
  assert.is(EQ_PUBLISHED.table3R2[4], -0.7707);
  assert.equal(EQ_PUBLISHED.table4.vaggTxt, { coef: 0.0007, se: 0.0003 });
  assert.is(EQ_PUBLISHED.table4N[1], 1455971);
  assert.equal(EQ_PUBLISHED.placebo, { coefMean: -0.0005, tMean: 0.2417, reps: 1000 });
  assert.equal(EQ_PUBLISHED.table5.final, { coef: 0.211, se: 0.0287, n: 333236, r2: 0.456 });
  assert.equal(EQ_PUBLISHED.table6.periphery, { coef: 0.0396, se: 0.0054 });
  assert.equal(EQ_PUBLISHED.table6.main[1], { coef: 0.273, se: 0.0207 });
  assert.is(EQ_PUBLISHED.table6.n, 616591);
  assert.equal(EQ_PUBLISHED.table7.exit, { coef: 0.1483, se: 0.0722, n: 615264, r2: 0.1951 });
  assert.equal(EQ_PUBLISHED.table8.integ, { coef: 20.5863, se: 8.2675, n: 575589, r2: 0.6807 });
  assert.equal(EQ_FIGURE2_PUBLISHED, { coefMean: -0.0005, tMean: 0.2417, coef: 0.3087 });
  assert.is(printedValue("2.4e+04"), 24000);
  assert.throws(() => printedValue("n/a"), /cannot read the printed number "n\/a"/);
  assert.throws(() => printedValue(""), /cannot read/);
});

test.run();
