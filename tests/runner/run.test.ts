import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runAll, parseReproduceArgs, REPO_ROOT } from "../../lib/runner/reproduce";
import type { RunLogEntry, RunOptions } from "../../lib/runner/reproduce";
import { failureMessage } from "../../lib/runner/execute";
import { runDataDirs } from "../../lib/runner/provenance";
import { execFileSync } from "node:child_process";
import { makeNotebook, markdownCell, codeCell, writeNotebook, readNotebook } from "../../lib/runner/notebook";
import type { CodeCell } from "../../lib/runner/notebook";

// End to end: the project's tslab kernel (notebooks/.jupyter/kernels/tslab), driven over the
// Jupyter protocol, on tiny notebooks in a temp folder. Each notebook costs ~3 s of kernel and
// TypeScript start-up, so the cases share notebooks where they can.

let dir = "";
let out = "";
let lines: string[] = [];
let errors: string[] = [];

function opts(extra: Partial<RunOptions> = {}): RunOptions {
  return {
    root: REPO_ROOT,
    libDir: path.join(dir, "lib"),
    dataDir: path.join(dir, "data"),
    toc: path.join(dir, "toc.json"),
    outDir: out,
    scale: "small",
    seed: 4242,
    timeoutSec: 120,
    generateData: false,
    log: (s) => lines.push(s),
    error: (s) => errors.push(s),
    ...extra,
  };
}

function entry(log: RunLogEntry[], name: string): RunLogEntry {
  const e = log.find((x) => x.name === name);
  if (!e) throw new Error(`no run-log entry ${name}`);
  return e;
}

test.before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-runner-test-"));
  out = path.join(dir, "out");
  // Stand-ins for lib/ and data/raw/ (the real ones change under concurrent work; these change only when the test says so).
  fs.mkdirSync(path.join(dir, "lib"));
  fs.writeFileSync(path.join(dir, "lib", "a.ts"), "export const a = 1;\n");
  fs.mkdirSync(path.join(dir, "data"));
  fs.writeFileSync(path.join(dir, "data", "x.csv"), "a\n1\n");
  writeNotebook(
    path.join(dir, "ok.ipynb"),
    makeNotebook([
      markdownCell("# OK notebook\n\nMath $a^2$."),
      codeCell("console.log(`scale=${process.env.VAGG_SCALE} seed=${process.env.VAGG_SEED}`);"),
      codeCell(
        'import * as tslab from \'tslab\';\ntslab.display.svg(\'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle id="dot" cx="5" cy="5" r="4"/></svg>\');',
      ),
      codeCell("const x = 20 + 22;\nx"),
    ]),
  );
  writeNotebook(
    path.join(dir, "fail.ipynb"),
    makeNotebook([
      markdownCell("# Failing notebook"),
      codeCell("const a = 1;\nconsole.log('before');"),
      markdownCell("text between"),
      codeCell("console.log('partial output');\nthrow new RangeError(`bad value ${a + 41}`);"),
      codeCell("console.log('never');"),
    ]),
  );
  writeNotebook(path.join(dir, "types.ipynb"), makeNotebook([codeCell("const n: number = 'text';")]));
  writeNotebook(
    path.join(dir, "async.ipynb"),
    makeNotebook([codeCell("await new Promise((r) => setTimeout(r, 10));\nthrow new TypeError('async failure');")]),
  );
  writeNotebook(
    path.join(dir, "hang.ipynb"),
    makeNotebook([codeCell("console.log('started');"), codeCell("await new Promise(() => { setInterval(() => {}, 1000); });")]),
  );
  fs.writeFileSync(
    path.join(dir, "toc.json"),
    JSON.stringify([
      { name: "t-ok", file: "ok.ipynb", title: "OK" },
      { name: "t-fail", file: "fail.ipynb", title: "Fail" },
      { name: "t-types", file: "types.ipynb", title: "Types" },
      { name: "t-async", file: "async.ipynb", title: "Async" },
      { name: "t-hang", file: "hang.ipynb", title: "Hang" },
    ]),
  );
});

test.after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test("runs notebooks in the tslab kernel: outputs, env, failing cell with the real message, partial report", async () => {
  const log = await runAll(opts({ only: ["t-ok", "t-fail", "t-types", "t-async"] }));
  const ok = entry(log, "t-ok");
  assert.is(ok.status, "ok");
  assert.is(ok.cells, 3);
  const nb = readNotebook(path.join(out, "t-ok.ipynb"));
  assert.is(nb.nbformat, 4);
  assert.is(nb.nbformat_minor, 5);
  const cells = nb.cells.filter((c): c is CodeCell => c.cell_type === "code");
  assert.equal(
    cells.map((c) => c.execution_count),
    [1, 2, 3],
  );
  assert.equal(
    cells[0]!.outputs,
    [{ output_type: "stream", name: "stdout", text: "scale=small seed=4242\n" }],
    "VAGG_SCALE / VAGG_SEED reach the notebook",
  );
  assert.is(cells[1]!.outputs[0]!.output_type, "display_data");
  assert.equal(cells[2]!.outputs, [{ output_type: "stream", name: "stdout", text: "42\n" }], "last expression printed as tslab does");
  assert.type((cells[0]!.metadata["vagg"] as { timings: { seconds: number } }).timings.seconds, "number");
  const raw = JSON.parse(fs.readFileSync(path.join(out, "t-ok.ipynb"), "utf8")) as {
    cells: { outputs?: { data?: Record<string, unknown> }[] }[];
  };
  assert.ok(Array.isArray(raw.cells[2]!.outputs![0]!.data!["image/svg+xml"]), "SVG stored as a line list, as nbformat writes it");
  const okHtml = fs.readFileSync(path.join(out, "t-ok.html"), "utf8");
  assert.ok(okHtml.includes('<circle id="dot"'), "SVG inlined in the report");
  assert.ok(okHtml.includes('class="katex"'));

  const fail = entry(log, "t-fail");
  assert.is(fail.status, "error");
  assert.is(fail.failedCell, 2, "In [2]: the second code cell");
  assert.is(fail.message, "RangeError: bad value 42");
  assert.is(fail.cells, 2);
  assert.ok(errors.includes("notebook t-fail, cell 2: RangeError: bad value 42"), `stderr line, got ${JSON.stringify(errors)}`);
  const fnb = readNotebook(path.join(out, "t-fail.ipynb"));
  const fc = fnb.cells as CodeCell[];
  assert.equal(fc[3]!.outputs[0], { output_type: "stream", name: "stdout", text: "partial output\n" }, "output before the throw kept");
  const stderr = fc[3]!.outputs[1] as { output_type: string; name: string; text: string };
  assert.equal(
    [stderr.output_type, stderr.name],
    ["stream", "stderr"],
    "tslab reports the error on stderr (no error message), kept as the kernel sent it",
  );
  assert.ok(stderr.text.includes("RangeError: bad value 42"));
  assert.is(fc[4]!.execution_count, null, "cells after the failure are not run");
  assert.equal(fc[4]!.outputs, []);
  const failHtml = fs.readFileSync(path.join(out, "t-fail.html"), "utf8");
  assert.ok(failHtml.includes('class="cell code failed" id="cell-3"'), "failing cell marked in the partial report");
  assert.ok(failHtml.includes("RangeError: bad value 42"));
  assert.ok(failHtml.includes('class="cell code not-run" id="cell-4"'));

  const types = entry(log, "t-types");
  assert.is(types.status, "error");
  assert.is(types.failedCell, 1);
  assert.match(types.message ?? "", /TypeScript: 1:7 - Type 'string' is not assignable to type 'number'/);

  const asyncE = entry(log, "t-async");
  assert.is(asyncE.failedCell, 1);
  assert.is(asyncE.message, "TypeError: async failure");

  const runLog = JSON.parse(fs.readFileSync(path.join(out, "run-log.json"), "utf8")) as RunLogEntry[];
  assert.equal(
    runLog.map((e) => [e.name, e.status]),
    [
      ["t-ok", "ok"],
      ["t-fail", "error"],
      ["t-types", "error"],
      ["t-async", "error"],
    ],
  );
  const index = fs.readFileSync(path.join(out, "index.html"), "utf8");
  assert.ok(index.includes('href="t-ok.html"') && index.includes('href="t-fail.html"'));
  assert.ok(index.includes("missing"), "t-hang not run yet: listed as missing");
});

test("outer timeout kills a hanging notebook and names the cell", async () => {
  errors = [];
  const log = await runAll(opts({ only: ["t-hang"], timeoutSec: 15 }));
  const e = entry(log, "t-hang");
  assert.is(e.status, "error");
  assert.is(e.failedCell, 2);
  assert.match(e.message ?? "", /Timeout: timed out after 15 s/);
  const nb = readNotebook(path.join(out, "t-hang.ipynb"));
  assert.equal(
    (nb.cells[0] as CodeCell).outputs,
    [{ output_type: "stream", name: "stdout", text: "started\n" }],
    "outputs before the hang kept",
  );
  assert.ok(fs.readFileSync(path.join(out, "t-hang.html"), "utf8").includes('class="cell code failed" id="cell-1"'));
  assert.ok(errors.some((l) => l.startsWith("notebook t-hang, cell 2: Timeout")));
});

test("cache: unchanged notebook is skipped, a change or --force reruns it, failures are never cached", async () => {
  lines = [];
  let log = await runAll(opts({ only: ["t-ok", "t-fail"] }));
  assert.is(entry(log, "t-ok").cached, true, `ok notebook skipped: ${JSON.stringify(lines)}`);
  assert.ok(lines.some((l) => /t-ok: unchanged since the ok run of .*, skipped/.test(l)));
  assert.is(entry(log, "t-fail").cached, undefined, "failed notebook rerun");
  assert.is(entry(log, "t-fail").status, "error");

  log = await runAll(opts({ only: ["t-ok"], seed: 1 }));
  assert.is(entry(log, "t-ok").cached, undefined, "another seed reruns");
  log = await runAll(opts({ only: ["t-ok"], seed: 1 }));
  assert.is(entry(log, "t-ok").cached, true);

  const nb = readNotebook(path.join(dir, "ok.ipynb"));
  nb.cells.push(codeCell("console.log('new cell');"));
  writeNotebook(path.join(dir, "ok.ipynb"), nb);
  lines = [];
  log = await runAll(opts({ only: ["t-ok"], seed: 1 }));
  assert.is(entry(log, "t-ok").cached, undefined, "edited notebook reruns");
  assert.is(entry(log, "t-ok").cells, 4);
  assert.ok(
    lines.some((l) => l.includes("changed: notebook")),
    JSON.stringify(lines),
  );

  fs.writeFileSync(path.join(dir, "lib", "a.ts"), "export const a = 2;\n");
  lines = [];
  log = await runAll(opts({ only: ["t-ok"], seed: 1 }));
  assert.is(entry(log, "t-ok").cached, undefined, "a lib change reruns");
  assert.ok(
    lines.some((l) => l.includes("changed: lib")),
    JSON.stringify(lines),
  );

  fs.writeFileSync(path.join(dir, "data", "x.csv"), "a\n2\n");
  lines = [];
  log = await runAll(opts({ only: ["t-ok"], seed: 1 }));
  assert.is(entry(log, "t-ok").cached, undefined, "a data change reruns");
  assert.ok(
    lines.some((l) => l.includes("changed: data")),
    JSON.stringify(lines),
  );

  log = await runAll(opts({ only: ["t-ok"], seed: 1, force: true }));
  assert.is(entry(log, "t-ok").cached, undefined, "--force reruns");
  assert.is(entry(log, "t-ok").status, "ok");
});

test("CLI options", () => {
  const o = parseReproduceArgs(
    [
      "--scale",
      "paper",
      "--seed=7",
      "--only",
      "a,b",
      "--only",
      "c",
      "--force",
      "--allow-dirty",
      "--out",
      "/tmp/x",
      "--timeout",
      "30",
      "--no-data",
    ],
    "/repo",
  );
  assert.ok(o !== "help");
  assert.is(o.scale, "paper");
  assert.is(o.seed, 7);
  assert.equal(o.only, ["a", "b", "c"]);
  assert.is(o.force, true);
  assert.is(o.allowDirty, true);
  assert.is(o.outDir, "/tmp/x");
  assert.is(o.timeoutSec, 30);
  assert.is(o.generateData, false);
  assert.is(o.toc, "/repo/notebooks/toc.json");
  // the default limit only catches a hung kernel: the paper-scale EQ recovery study took up to 1,730 s on a slow 2-core machine
  const d = parseReproduceArgs([], "/repo");
  assert.ok(d !== "help" && d.timeoutSec >= 3600);
  assert.is(parseReproduceArgs(["--help"]), "help");
  assert.throws(() => parseReproduceArgs(["--scale", "huge"]), /--scale must be one of small, default, paper/);
  assert.throws(() => parseReproduceArgs(["--seed", "-1"]), /non-negative integer/);
  assert.throws(() => parseReproduceArgs(["--bogus"]), /unknown option/);
});

test("--only with an unknown name is an error naming the toc entries", async () => {
  try {
    await runAll(opts({ only: ["nope"] }));
    assert.unreachable();
  } catch (e) {
    assert.match((e as Error).message, /no notebook named "nope".*t-ok, t-fail/);
  }
});

test("failureMessage reads tslab's stderr: TypeScript diagnostics, inspected errors, plain text", () => {
  assert.is(
    failureMessage("1:7 - Type 'string' is not assignable to type 'number'.\n"),
    "TypeScript: 1:7 - Type 'string' is not assignable to type 'number'.",
  );
  assert.is(
    failureMessage("2:1 - Cannot find name 'x'.\n3:4 - Cannot find name 'y'.\n"),
    "TypeScript: 2:1 - Cannot find name 'x'.; 3:4 - Cannot find name 'y'.",
  );
  assert.is(
    failureMessage(
      "evalmachine.<anonymous>:3\nthrow new RangeError(`bad`);\n^\n\nRangeError: bad value 42\n    at evalmachine.<anonymous>:3:7\n    at node:vm:1:1\n",
    ),
    "RangeError: bad value 42",
  );
  assert.is(
    failureMessage('\u001b[31mError: vagg data error: x.csv: column "y" missing\u001b[39m\n    at f (a.ts:1:1)\n'),
    'Error: vagg data error: x.csv: column "y" missing',
  );
  assert.is(failureMessage("warning first\nsomething odd\n"), "something odd");
  assert.is(failureMessage(""), "the kernel reported an error without a message");
});

test("reproduce into the committed exports/ refuses a working tree that differs outside exports/, unless --allow-dirty", async () => {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-dirty-"));
  const git = (...a: string[]) => execFileSync("git", a, { cwd: repo, stdio: "ignore" });
  git("init", "-q");
  git("config", "user.email", "t@t");
  git("config", "user.name", "t");
  fs.writeFileSync(path.join(repo, "toc.json"), "[]");
  fs.mkdirSync(path.join(repo, "exports"));
  fs.writeFileSync(path.join(repo, "exports", "old.html"), "x");
  git("add", ".");
  git("commit", "-qm", "init");
  const o = (extra: Partial<RunOptions> = {}): RunOptions => ({
    root: repo,
    libDir: path.join(dir, "lib"),
    dataDir: path.join(dir, "data"),
    toc: path.join(repo, "toc.json"),
    outDir: path.join(repo, "exports"),
    scale: "small",
    seed: 1,
    timeoutSec: 10,
    generateData: false,
    log: () => {},
    error: () => {},
    ...extra,
  });
  fs.writeFileSync(path.join(repo, "exports", "old.html"), "changed by a run");
  await runAll(o()); // changes inside exports/ do not make the tree dirty
  fs.writeFileSync(path.join(repo, "toc.json"), "[ ]");
  try {
    await runAll(o());
    assert.unreachable("dirty tree accepted");
  } catch (e) {
    assert.match((e as Error).message, /differs from commit .* outside exports\/ \(toc\.json\).*--allow-dirty/);
  }
  await runAll(o({ allowDirty: true }));
  await runAll(o({ outDir: path.join(repo, "elsewhere") })); // another folder is always allowed
  fs.rmSync(repo, { recursive: true, force: true });
});

test("provenance hashes the data the run reads: public files and its scale's synthetic folder, or VAGG_DATA_DIR", () => {
  assert.equal(runDataDirs("/repo", "small", {}), ["/repo/data/raw/public", "/repo/data/raw/synthetic/small"]);
  assert.equal(runDataDirs("/repo", "paper", { VAGG_DATA_DIR: "/mnt/real" }), ["/repo/data/raw/public", "/mnt/real"]);
});

test.run();
