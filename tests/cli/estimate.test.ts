/**
 * `vagg estimate` end to end on small CSVs written to a temporary directory: the OLS and IV
 * summaries (IV: header, first stage, diagnostics), `--json`, and bad input reported as one
 * line without a stack trace. Most cases call the CLI entry `main(argv)` in-process; two run
 * `node lib/cli/vagg.cjs` as a child process.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { main } from "../../lib/cli/main";
import { rng } from "../../lib/util/rng";

const ROOT = path.join(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-cli-estimate-"));
const CSV = path.join(tmp, "small.csv");
const TEXT = path.join(tmp, "text.csv");

test.before(() => {
  const r = rng(5);
  const lines = ["y,x,d,z,z2,fe,cl"];
  for (let i = 0; i < 240; i++) {
    const fe = i % 8,
      z = r.normal(),
      z2 = r.normal(),
      u = r.normal();
    const d = 0.8 * z + 0.3 * z2 + 0.5 * u + 0.2 * fe + r.normal(),
      x = r.normal();
    lines.push(
      [0.5 * d + 0.3 * x + 0.1 * fe + u, x, d, z, z2, fe, i % 12].map((v) => (Number.isInteger(v) ? String(v) : v.toFixed(8))).join(","),
    );
  }
  fs.writeFileSync(CSV, lines.join("\n") + "\n");
  fs.writeFileSync(TEXT, "y,x,fe\n1,a,1\n2,b,1\n3,c,2\n4,d,2\n");
});
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function vagg(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "",
    err = "";
  const w1 = process.stdout.write.bind(process.stdout),
    w2 = process.stderr.write.bind(process.stderr),
    log = console.log,
    cerr = console.error;
  (process.stdout as { write: unknown }).write = (s: string | Uint8Array) => ((out += String(s)), true);
  (process.stderr as { write: unknown }).write = (s: string | Uint8Array) => ((err += String(s)), true);
  console.log = (...a: unknown[]) => {
    out += a.join(" ") + "\n";
  };
  console.error = (...a: unknown[]) => {
    err += a.join(" ") + "\n";
  };
  const dbg = process.env["VAGG_DEBUG"];
  delete process.env["VAGG_DEBUG"];
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    console.log = log;
    console.error = cerr;
    if (dbg !== undefined) process.env["VAGG_DEBUG"] = dbg;
  }
}

const oneLine = (err: string) => {
  assert.is(err.trim().split("\n").length, 1, `one line: ${err}`);
  assert.not.match(err, /\n\s+at /, "no stack trace");
};

test("OLS with fixed effects: summary", async () => {
  const r = await vagg("estimate", "--data", CSV, "--formula", "y ~ x + d | fe", "--vcov", "cluster:cl");
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^OLS with fixed effects: y ~ x \+ d \| fe/);
  assert.match(r.out, /Observations: 240 {3}Fixed effects: fe \(8\)/);
  assert.match(r.out, /Clustered \(cl\)/);
  assert.match(r.out, /^x +-?\d/m);
  assert.match(r.out, /Within R2: /);
  assert.not.match(r.out, /First stage/);
});

test("OLS without fixed effects and y ~ 1 | fe", async () => {
  const r = await vagg("estimate", "--data", CSV, "--formula", "y ~ x");
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^OLS: y ~ x/);
  assert.match(r.out, /^\(Intercept\) /m);
  const r1 = await vagg("estimate", "--data", CSV, "--formula", "y ~ 1 | fe");
  assert.is(r1.code, 0, r1.err);
  assert.match(r1.out, /no coefficients: only fixed effects/);
});

test("IV with fixed effects: y ~ x | fe | d ~ z prints the IV summary with diagnostics", async () => {
  const r = await vagg("estimate", "--data", CSV, "--formula", "y ~ x | fe | d ~ z");
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^IV \(2SLS\) with fixed effects: y ~ x \| fe \| d ~ z/);
  assert.match(r.out, /Endogenous: d {3}Instruments: z/);
  assert.match(r.out, /^d +-?\d/m);
  assert.match(r.out, /First stage: d ~ instruments/);
  assert.match(r.out, /^ {2}z +-?\d/m);
  assert.match(r.out, /F-test \(iid, excluded instruments\): F = /);
  for (const re of [
    /Underidentification \(Kleibergen-Paap rk LM\): χ²\(1\)/,
    /Weak identification \(Kleibergen-Paap rk Wald F\)/,
    /Stock-Yogo critical values/,
    /Overidentification .*not available \(exactly identified\)/,
    /Endogeneity: C statistic/,
    /Wu-Hausman/,
    /Anderson-Rubin/,
  ])
    assert.match(r.out, re);
});

test("IV without fixed effects, overidentified, iid", async () => {
  const r = await vagg("estimate", "--data", CSV, "--formula", "y ~ x | d ~ z + z2", "--vcov", "iid");
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^IV \(2SLS\): /);
  assert.match(r.out, /Anderson canonical corr\. LM/);
  assert.match(r.out, /Cragg-Donald Wald F/);
  assert.match(r.out, /Overidentification \(Sargan\): χ²\(1\)/);
});

test("--json: OLS and IV objects", async () => {
  const o = await vagg("estimate", "--data", CSV, "--formula", "y ~ x | fe", "--json");
  assert.is(o.code, 0, o.err);
  const jo = JSON.parse(o.out);
  assert.ok(typeof jo.coef.x === "number" && jo.nobs === 240 && !("diagnostics" in jo));
  const i = await vagg("estimate", "--data", CSV, "--formula", "y ~ x | fe | d ~ z + z2", "--json");
  assert.is(i.code, 0, i.err);
  const ji = JSON.parse(i.out);
  assert.ok(typeof ji.coef.d === "number");
  assert.ok(ji.diagnostics && "kp_lm" in ji.diagnostics && "hansen_j" in ji.diagnostics);
  const fs0 = ji.diagnostics.first_stage[0];
  assert.ok(typeof fs0.instruments.z.se === "number" && typeof fs0.instruments.z2.coef === "number");
});

test("bad input: one clear line, no stack trace, non-zero exit", async () => {
  const cases: [string[], RegExp][] = [
    [["--formula", "y ~ x + nope"], /nope/],
    [["--formula", "y ~ x | fe | d ~ "], /./],
    [["--formula", "y ~ x | fe | d + x2 ~ z"], /x2|under-identified/],
    [["--formula", "y ~ x", "--ssc", "bogus"], /--ssc must be/],
    [["--formula", "y ~ x", "--ssc", "ivreghdfe"], /IV formulas only/],
    [["--formula", "y ~ x", "--singletons", "maybe"], /--singletons must be/],
  ];
  for (const [args, re] of cases) {
    const r = await vagg("estimate", "--data", CSV, ...args);
    assert.ok(r.code !== 0, `${args.join(" ")}: exit ${r.code}`);
    assert.match(r.err, re);
    oneLine(r.err);
  }
  const t = await vagg("estimate", "--data", TEXT, "--formula", "y ~ x | fe");
  assert.ok(t.code !== 0);
  assert.match(t.err, /"x"/);
  oneLine(t.err);
  const m = await vagg("estimate", "--data", path.join(tmp, "missing.csv"), "--formula", "y ~ x");
  assert.ok(m.code !== 0);
  oneLine(m.err);
});

test("child process: node lib/cli/vagg.cjs estimate (IV summary; bad input one line)", () => {
  const env = { ...process.env, VAGG_NO_BUNDLE: "1", VAGG_DEBUG: "" };
  const ok = spawnSync(
    process.execPath,
    [path.join(ROOT, "lib", "cli", "vagg.cjs"), "estimate", "--data", CSV, "--formula", "y ~ x | fe | d ~ z"],
    { cwd: ROOT, encoding: "utf8", env },
  );
  assert.is(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^IV \(2SLS\) with fixed effects/);
  assert.match(ok.stdout, /Weak identification/);
  const bad = spawnSync(
    process.execPath,
    [path.join(ROOT, "lib", "cli", "vagg.cjs"), "estimate", "--data", CSV, "--formula", "y ~ x + nope"],
    { cwd: ROOT, encoding: "utf8", env },
  );
  assert.is(bad.status, 1);
  assert.is(bad.stdout, "");
  oneLine(bad.stderr);
  assert.match(bad.stderr, /nope/);
});

test.run();
