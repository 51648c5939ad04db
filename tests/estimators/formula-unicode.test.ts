import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseFormula, evalTerm } from "../../lib/estimators/formula";
import { feols } from "../../lib/estimators/feols";
import { iv2sls } from "../../lib/estimators/iv2sls";
import { table, type Column } from "../../lib/data/table";
import { FormulaError } from "../../lib/util/errors";

// Formulas with variable names in any script (as R and Stata 14+ allow) and backtick-quoted names.

test("Chinese names parse as variables, functions, products, fixed effects and IV parts", () => {
  const f = parseFormula("产值 ~ 数字化 + log(人口) | 城市 + 年份");
  assert.equal(f.lhs, { label: "产值", vars: ["产值"] });
  assert.equal(
    f.rhs.map((r) => r.label),
    ["数字化", "log(人口)"],
  );
  assert.equal(f.rhs[1]?.vars, ["人口"]);
  assert.equal(f.fixef, [["城市"], ["年份"]]);
  assert.is(f.intercept, false);
  const g = parseFormula("lnGDP ~ vagg:开放度 | 城市^年份");
  assert.equal(g.rhs, [{ label: "vagg:开放度", vars: ["vagg", "开放度"] }]);
  assert.equal(g.fixef, [["城市", "年份"]]);
  const h = parseFormula("产值 ~ 控制变量 | 城市 | 数字化 ~ 工具变量1 + 工具变量2");
  assert.equal(
    h.endo.map((t) => t.label),
    ["数字化"],
  );
  assert.equal(
    h.inst.map((t) => t.label),
    ["工具变量1", "工具变量2"],
  );
  const k = parseFormula("产值 ~ 数字化 - 1");
  assert.is(k.intercept, false);
  // other scripts and combining marks
  assert.equal(
    parseFormula("Größe ~ café + ĉu_x.1").rhs.map((t) => t.vars[0]),
    ["café", "ĉu_x.1"],
  );
});

test("ASCII formulas parse exactly as before", () => {
  const f = parseFormula("y ~ x1 + log(x2) + x1:x3 | fe1 + fe2^fe3");
  assert.equal(
    f.rhs.map((t) => t.label),
    ["x1", "log(x2)", "x1:x3"],
  );
  assert.equal(f.fixef, [["fe1"], ["fe2", "fe3"]]);
  assert.equal(
    parseFormula("y ~ x3 | x1 ~ z1").endo.map((t) => t.label),
    ["x1"],
  );
  assert.is(parseFormula("y ~ x + 0").intercept, false);
  assert.is(parseFormula("y ~ x").intercept, true);
});

test("backticks quote names with spaces and symbols; the label keeps the backticks as R prints them", () => {
  const f = parseFormula("`GDP 增速` ~ x + log(`人口 (万人)`) + `a+b`:`c-d` - 1 | `city code` + `年 份`^城市");
  assert.equal(f.lhs, { label: "`GDP 增速`", vars: ["GDP 增速"] });
  assert.equal(
    f.rhs.map((t) => t.label),
    ["x", "log(`人口 (万人)`)", "`a+b`:`c-d`"],
  );
  assert.equal(f.rhs[2]?.vars, ["a+b", "c-d"]);
  assert.is(f.intercept, false);
  assert.equal(f.fixef, [["city code"], ["年 份", "城市"]]);
  const iv = parseFormula("y ~ 1 | `内生 变量` ~ `工具|1`");
  assert.equal(iv.endo[0]?.vars, ["内生 变量"]);
  assert.equal(iv.inst[0]?.vars, ["工具|1"]);
  // a quoted syntactic name is just the name
  assert.equal(parseFormula("`产值` ~ `x`").lhs.label, "产值");
});

const n = 40;
function columns(): { y: Float64Array; x: Float64Array; z: Float64Array; w: Float64Array; city: string[]; year: Float64Array } {
  const y = new Float64Array(n),
    x = new Float64Array(n),
    z = new Float64Array(n),
    w = new Float64Array(n),
    year = new Float64Array(n);
  const city: string[] = [];
  let s = 7;
  const rnd = () => (s = (s * 16807) % 2147483647) / 2147483647 - 0.5;
  for (let i = 0; i < n; i++) {
    city.push(["北京", "上海", "广州", "深圳", "杭州"][i % 5] as string);
    year[i] = 2010 + Math.floor(i / 5);
    z[i] = rnd();
    w[i] = 1 + rnd() * 0.5;
    x[i] = 0.8 * (z[i] as number) + rnd();
    y[i] = 1 + 2 * (x[i] as number) - 0.5 * (w[i] as number) + (i % 5) * 0.3 + rnd();
  }
  return { y, x, z, w, city, year };
}

test("feols on Chinese column names gives the coefficients of the ASCII-named copy, under the Chinese names", () => {
  const c = columns();
  const ascii = table({ y: c.y, x: c.x, w: c.w, city: c.city, year: c.year });
  const zh = table({ 产值: c.y, 数字化: c.x, 人口: c.w, 城市: c.city, 年份: c.year });
  const a = feols(ascii, "y ~ x + log(w) + x:w | city + year", { vcov: "cluster:city" });
  const b = feols(zh, "产值 ~ 数字化 + log(人口) + 数字化:人口 | 城市 + 年份", { vcov: "cluster:城市" });
  assert.equal(b.coefNames, ["数字化", "log(人口)", "数字化:人口"]);
  assert.is(b.depvar, "产值");
  a.coefNames.forEach((name, j) => {
    const zhName = b.coefNames[j] as string;
    assert.is(b.coef[zhName], a.coef[name]);
    assert.is(b.se[zhName], a.se[name]);
  });
  const q = table({ "GDP 增速": c.y, "x 1": c.x, "city code": c.city, 年份: c.year });
  const d = feols(q, "`GDP 增速` ~ `x 1` | `city code` + 年份");
  const e = feols(ascii, "y ~ x | city + year");
  assert.is(d.coef["`x 1`"], e.coef["x"]);
});

test("iv2sls with Chinese names matches the ASCII copy", () => {
  const c = columns();
  const ascii = table({ y: c.y, x: c.x, z: c.z, w: c.w, city: c.city });
  const zh = table({ 产值: c.y, 数字化: c.x, 工具: c.z, 人口: c.w, 城市: c.city });
  const a = iv2sls(ascii, "y ~ w | city | x ~ z");
  const b = iv2sls(zh, "产值 ~ 人口 | 城市 | 数字化 ~ 工具");
  assert.ok(Number.isFinite(a.coef["x"] as number));
  assert.is(b.coef["数字化"], a.coef["x"]);
  assert.is(b.coef["人口"], a.coef["w"]);
});

test("evalTerm evaluates Chinese and quoted names, and hand-made terms naming a column", () => {
  const t = table({ 人口: Float64Array.of(1, Math.E), "GDP 增速": Float64Array.of(2, 3) });
  assert.equal(Array.from(evalTerm(t, parseFormula("y ~ log(人口)").rhs[0]!)), [0, 1]);
  assert.equal(Array.from(evalTerm(t, parseFormula("y ~ `GDP 增速`:人口").rhs[0]!)), [2, 3 * Math.E]);
  assert.equal(Array.from(evalTerm(t, { label: "GDP 增速", vars: ["GDP 增速"] })), [2, 3]);
});

function throwsOneLine(f: () => unknown, re: RegExp): void {
  try {
    f();
    assert.unreachable("did not throw");
  } catch (e) {
    assert.instance(e, FormulaError);
    const m = (e as Error).message;
    assert.not.match(m, /\n/);
    assert.match(m, re);
  }
}

test("unknown Chinese names get one-line errors with suggestions", () => {
  const zh = table(
    {
      产值: Float64Array.of(1, 2, 3, 4),
      数字化: Float64Array.of(1, 0, 2, 1),
      城市: ["a", "b", "a", "b"],
      年份: Float64Array.of(1, 1, 2, 2),
    },
    "yearbook.xlsx",
  );
  throwsOneLine(
    () => feols(zh, "产值 ~ 数字"),
    /^vagg formula error: yearbook\.xlsx: term "数字": unknown variable "数字" \(did you mean "数字化"\?\)$/,
  );
  throwsOneLine(() => feols(zh, "产值 ~ 数字化 | 城"), /unknown fixed-effect variable "城" \(did you mean "城市"\?\)/);
  throwsOneLine(() => feols(zh, "产值 ~ `数字 化`"), /term "`数字 化`": unknown variable "数字 化" \(did you mean "数字化"\?\)/);
  // no far-fetched suggestion between unrelated two-character names
  throwsOneLine(() => feols(zh, "产值 ~ 工资"), /unknown variable "工资"$/);
  throwsOneLine(() => feols(zh, "产值 ~ 数字化 | 地区"), /unknown fixed-effect variable "地区"$/);
});

test("malformed Unicode formulas: unquoted spaces, unclosed backticks, full-width operators", () => {
  throwsOneLine(() => parseFormula("GDP 增速 ~ x"), /term "GDP 增速": cannot parse .*backticks/);
  throwsOneLine(() => parseFormula("`GDP 增速 ~ x"), /unclosed backtick/);
  throwsOneLine(() => parseFormula("产值～数字化"), /needs "~".*full-width tilde/);
  throwsOneLine(() => parseFormula("产值 ~ 数字化＋人口"), /term "数字化＋人口": cannot parse .*full-width/);
  throwsOneLine(() => parseFormula("产值 ~ 数字化 | 城市 年份"), /a fixed effect must be a variable/);
  throwsOneLine(() => parseFormula("产值 ~ 2010年"), /term "2010年": cannot parse/);
});

test.run();
