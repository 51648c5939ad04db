/**
 * End-to-end `vagg estimate` / `vagg convert` on data as Chinese researchers have it
 * (tests/fixtures/zh): a GBK CSV from Excel, a Stata 13 .dta with GBK text, `--encoding`,
 * and one-line errors (no stack trace) for broken files. Most cases call the CLI entry
 * `main(argv)` in-process; one runs `node lib/cli/vagg.cjs` as a child process.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { main } from "../../lib/cli/main";
import { readTable } from "../../lib/data/io";
import { readDta } from "../../lib/data/dta";
import { parseFormula } from "../../lib/estimators/formula";
import { feols } from "../../lib/estimators/feols";
import { numeric } from "../../lib/data/table";

const ROOT = path.join(__dirname, "..", "..");
const fx = (name: string) => path.join("tests", "fixtures", "zh", name);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-cli-zh-"));

/** Run `vagg ...argv` in-process from the repository root; stdout, stderr and the exit code. */
async function vagg(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "",
    err = "";
  const w1 = process.stdout.write.bind(process.stdout),
    w2 = process.stderr.write.bind(process.stderr),
    log = console.log;
  const cwd = process.cwd();
  process.chdir(ROOT);
  (process.stdout as { write: unknown }).write = (s: string | Uint8Array) => ((out += String(s)), true);
  (process.stderr as { write: unknown }).write = (s: string | Uint8Array) => ((err += String(s)), true);
  console.log = (...a: unknown[]) => {
    out += a.join(" ") + "\n";
  };
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    console.log = log;
    process.chdir(cwd);
  }
}

test("vagg estimate on the GBK CSV (ASCII names, Chinese city FE), auto-detected and with --encoding gbk", async () => {
  const auto = await vagg("estimate", "--data", fx("gbk-cities-ascii.csv"), "--formula", "output ~ digital | city", "--json");
  assert.is(auto.err, "");
  assert.is(auto.code, 0);
  const r = JSON.parse(auto.out);
  assert.is(r.nobs, 80);
  assert.equal(r.dof.feLevels, { city: 10 });
  assert.ok(Math.abs(r.coef.digital - 1.5) < 0.2);
  const gbk = await vagg(
    "estimate",
    "--data",
    fx("gbk-cities-ascii.csv"),
    "--formula",
    "output ~ digital | city",
    "--json",
    "--encoding",
    "gbk",
  );
  assert.equal(JSON.parse(gbk.out).coef, r.coef);
});

test("vagg estimate on the GBK Stata 13 .dta: .a counted per variable; same slope as the CSV less one row", async () => {
  const res = await vagg("estimate", "--data", fx("cities-117-gbk.dta"), "--formula", "output ~ digital | city", "--json");
  assert.is(res.code, 0, res.err);
  const r = JSON.parse(res.out);
  assert.is(r.nobs, 79);
  assert.equal(r.removed.na_by_variable, { output: 1 });
  const text = await vagg("estimate", "--data", fx("cities-117-gbk.dta"), "--formula", "output ~ digital | city");
  assert.match(text.out, /1 observation removed because of NA\/Inf values \(output: 1\)/);
});

test("vagg estimate on the Stata-exported CSV: . and .a are NA, reported per variable", async () => {
  const res = await vagg("estimate", "--data", fx("stata-missing.csv"), "--formula", "output ~ digital | id", "--json");
  assert.is(res.code, 0, res.err);
  const r = JSON.parse(res.out);
  assert.is(r.nobs, 75);
  assert.equal(r.removed.na_by_variable, { output: 3, digital: 2 });
});

test("bad inputs: exit 1 with one line naming file, column/row and the option to use", async () => {
  const cases: [string, RegExp][] = [
    [
      "bad-gbk-invalid.csv",
      /^vagg data error: tests\/fixtures\/zh\/bad-gbk-invalid\.csv: text encoding not recognised: .*GBK\/GB18030 \(bytes FF B1 at byte 157 \(row 7\)\); set the file's encoding with --encoding/,
    ],
    [
      "bad-text-in-numeric.csv",
      /^vagg data error: tests\/fixtures\/zh\/bad-text-in-numeric\.csv: column "output", row 5: non-numeric text "n\/a" in a numeric column/,
    ],
    [
      "bad-duplicate-header.csv",
      /^vagg data error: tests\/fixtures\/zh\/bad-duplicate-header\.csv: column "gdp" appears twice \(columns 2 and 4\)$/,
    ],
    [
      "bad-duplicate-117.dta",
      /^vagg data error: tests\/fixtures\/zh\/bad-duplicate-117\.dta: column "gdp" appears twice \(columns 2 and 4\)$/,
    ],
  ];
  for (const [file, re] of cases) {
    const r = await vagg("estimate", "--data", fx(file), "--formula", "output ~ digital");
    assert.is(r.code, 1, file);
    assert.is(r.out, "", file);
    const lines = r.err.trimEnd().split("\n");
    assert.is(lines.length, 1, `${file}: ${r.err}`);
    assert.match(lines[0] as string, re);
  }
  const fe = await vagg("estimate", "--data", fx("gbk-cities-ascii.csv"), "--formula", "output ~ digital + city");
  assert.is(
    fe.err,
    `vagg data error: tests/fixtures/zh/gbk-cities-ascii.csv: column "city", row 1: is text (e.g. "北京"), not numeric; to use it as a fixed effect, put it after "|"\n`,
  );
  const wrong = await vagg("estimate", "--data", fx("gbk-cities-ascii.csv"), "--formula", "output ~ digital", "--encoding", "utf-8");
  assert.match(
    wrong.err,
    /^vagg data error: .*gbk-cities-ascii\.csv: not valid UTF-8 text: bytes B1 B1 at byte 26 \(row 1\); set the file.s encoding with --encoding/,
  );
  const unknown = await vagg("estimate", "--data", fx("gbk-cities-ascii.csv"), "--formula", "output ~ digital", "--encoding", "klingon");
  assert.is(unknown.err, 'vagg argument error: unknown text encoding "klingon" (e.g. "gbk", "gb18030", "utf-8", "auto")\n');
});

test("vagg convert: GBK CSV → UTF-8 CSV, GBK .dta 117 → .dta 118 (UTF-8) keeping labels", async () => {
  const out = path.join(tmp, "cities.csv");
  const r = await vagg("convert", fx("gbk-cities.csv"), out);
  assert.is(r.code, 0, r.err);
  const text = fs.readFileSync(out, "utf8");
  assert.ok(text.startsWith("城市,年份,产值,数字化"), text.slice(0, 40));
  assert.ok(text.includes("北京"));
  const dta = path.join(tmp, "cities-118.dta");
  assert.is((await vagg("convert", fx("cities-117-gbk.dta"), dta)).code, 0);
  const { table, meta } = readDta(dta);
  assert.is(meta.version, 118);
  assert.is((table.columns["city"] as string[])[0], "北京");
  assert.is(meta.variableLabels["output"], "产值（对数）");
  assert.equal(meta.valueLabels["region"], { "1": "东部", "2": "中部", "3": "西部" });
  const forced = path.join(tmp, "forced.csv");
  assert.is((await vagg("convert", fx("gbk-cities.csv"), forced, "--encoding", "gb18030")).code, 0);
  assert.equal((await readTable(forced)).names, ["城市", "年份", "产值", "数字化"]);
  assert.match((await vagg("convert", "--help")).out, /--encoding/);
  assert.match((await vagg("estimate", "--help")).out, /--encoding/);
});

test("child process: node lib/cli/vagg.cjs prints one line, no stack trace", () => {
  const r = spawnSync(
    process.execPath,
    [path.join(ROOT, "lib", "cli", "vagg.cjs"), "estimate", "--data", fx("bad-gbk-invalid.csv"), "--formula", "产值 ~ 数字化 | 城市"],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, VAGG_NO_BUNDLE: "1", VAGG_DEBUG: "" } },
  );
  assert.is(r.status, 1);
  assert.is(r.stdout, "");
  assert.is(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /^vagg data error: tests\/fixtures\/zh\/bad-gbk-invalid\.csv: .*row 7/);
});

/** Does the formula parser accept Chinese variable names (the formula helper's work)? */
function chineseFormulaSupport(): string | null {
  try {
    parseFormula("产值 ~ 数字化 | 城市");
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

test("Chinese formula end to end: 产值 ~ 数字化 | 城市 on the GBK CSV (skipped while the parser rejects Chinese names)", async () => {
  const why = chineseFormulaSupport();
  if (why !== null) {
    console.log(`  skipped: the formula parser does not accept Chinese names yet (${why})`);
    return;
  }
  const zh = await vagg("estimate", "--data", fx("gbk-cities.csv"), "--formula", "产值 ~ 数字化 | 城市", "--json");
  assert.is(zh.code, 0, zh.err);
  const ascii = await vagg("estimate", "--data", fx("gbk-cities-ascii.csv"), "--formula", "output ~ digital | city", "--json");
  const a = JSON.parse(ascii.out),
    z = JSON.parse(zh.out);
  assert.is(z.nobs, 80);
  assert.is(z.coef["数字化"], a.coef.digital);
  assert.is(z.se["数字化"], a.se.digital);
  assert.equal(z.dof.feLevels, { 城市: 10 });
  const text = await vagg("estimate", "--data", fx("gbk-cities.csv"), "--formula", "产值 ~ 数字化 | 城市");
  assert.match(text.out, /Fixed effects: 城市 \(10\)/);
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
test("vagg estimate and feols on the Excel yearbook sheet (two header rows, footnotes, — as missing): Chinese and backticked names, slope = closed form", async () => {
  const t = await readTable(fx("yearbook.xlsx"));
  const y = numeric(t, "地区生产总值_总量 (亿元)"),
    x = numeric(t, "年末人口_常住");
  const keep = [...y.keys()].filter((i) => Number.isFinite(y[i]!) && Number.isFinite(x[i]!));
  const mx = keep.reduce((a, i) => a + x[i]!, 0) / keep.length,
    my = keep.reduce((a, i) => a + y[i]!, 0) / keep.length;
  const slope = keep.reduce((a, i) => a + (x[i]! - mx) * (y[i]! - my), 0) / keep.reduce((a, i) => a + (x[i]! - mx) ** 2, 0);
  const m = feols(t, "`地区生产总值_总量 (亿元)` ~ 年末人口_常住");
  assert.ok(
    Math.abs((m.coef["年末人口_常住"] as number) - slope) < 1e-9 * Math.max(1, Math.abs(slope)),
    `${m.coef["年末人口_常住"]} vs ${slope}`,
  );
  const res = await vagg("estimate", "--data", fx("yearbook.xlsx"), "--formula", "`地区生产总值_总量 (亿元)` ~ 年末人口_常住", "--json");
  assert.is(res.code, 0, res.err);
  const r = JSON.parse(res.out);
  assert.is(r.nobs, keep.length);
  assert.equal(r.removed.na_by_variable, { 年末人口_常住: t.nrows - keep.length }, "the yearbook's — counted as missing");
  assert.ok(Math.abs(r.coef["年末人口_常住"] - slope) < 1e-9 * Math.max(1, Math.abs(slope)));
  const bad = await vagg("estimate", "--data", fx("bad-text.xlsx"), "--formula", "产值 ~ 人口");
  assert.is(bad.code, 1);
  assert.match(
    bad.err,
    /^vagg data error: tests\/fixtures\/zh\/bad-text\.xlsx: column "产值": sheet "Sheet1", Excel row 4 \(cell C4\): expected a number, found "缺"/,
  );
  assert.is(bad.err.trim().split("\n").length, 1, "one line, no stack trace");
});

test.run();
