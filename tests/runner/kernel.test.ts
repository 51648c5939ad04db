import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { KernelClient, readKernelSpec, type KernelMessage } from "../../lib/runner/kernel";
import { executeNotebook, TSLAB_KERNEL_DIR } from "../../lib/runner/execute";
import { REPO_ROOT } from "../../lib/runner/reproduce";
import { codeCell, makeNotebook, writeNotebook, type CodeCell } from "../../lib/runner/notebook";

// The Jupyter client against the real project kernel (tslab 1.0.22 over ZeroMQ): the message
// flow of one execute_request, output assembly as nbclient does it, and a kernel that dies.

let dir = "";
test.before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-kernel-test-"));
});
test.after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

test("kernelspec: argv must contain {connection_file}; a missing kernel.json names the file", () => {
  assert.ok(readKernelSpec(TSLAB_KERNEL_DIR).argv.some((a) => a.includes("{connection_file}")));
  assert.throws(() => readKernelSpec(dir), /kernelspec .*kernel\.json/);
  const bad = path.join(dir, "bad");
  fs.mkdirSync(bad);
  fs.writeFileSync(path.join(bad, "kernel.json"), JSON.stringify({ argv: ["node", "x.js"] }));
  assert.throws(() => readKernelSpec(bad), /must be a non-empty list containing \{connection_file\}/);
});

test("one execute_request: signed messages, busy → outputs → idle, reply with the execution count", async () => {
  const k = await KernelClient.start({ kernelDir: TSLAB_KERNEL_DIR, cwd: dir, env: { VAGG_PROBE: "42" } });
  try {
    const seen: KernelMessage[] = [];
    const reply = await k.execute(
      "console.log(`probe=${process.env.VAGG_PROBE} cwd=${process.cwd() === " + JSON.stringify(fs.realpathSync(dir)) + "}`);",
      (m) => seen.push(m),
    );
    assert.is(reply["status"], "ok");
    assert.is(reply["execution_count"], 1);
    const streams = seen
      .filter((m) => m.header.msg_type === "stream")
      .map((m) => m.content["text"])
      .join("");
    assert.is(streams, "probe=42 cwd=true\n", "the kernel runs in the given folder with the given environment");
    const failed = await k.execute("throw new Error('boom')", () => {});
    assert.is(failed["status"], "error");
    assert.is(failed["execution_count"], 2);
  } finally {
    await k.shutdown();
  }
  const exit = await Promise.race([k.exited, new Promise((r) => setTimeout(() => r("alive"), 5000))]);
  assert.is.not(exit, "alive", "shutdown ends the kernel process");
});

test("output assembly: stream chunks merged per stream, display updates applied in place, MIME bundles kept", async () => {
  const display = JSON.stringify(path.join(REPO_ROOT, "lib", "display"));
  const tsx = JSON.stringify(require.resolve("tsx/cjs", { paths: [REPO_ROOT] }));
  const nbPath = path.join(dir, "assembly.ipynb");
  writeNotebook(
    nbPath,
    makeNotebook([
      codeCell("process.stdout.write('a'); process.stdout.write('b\\n'); console.error('warn'); console.log('c');"),
      codeCell(
        `require(${tsx});\nconst d = require(${display});\nconst x = d.newDisplay();\nx.update({ 'text/plain': 'one', 'text/html': '<b>one</b>' });\nx.update({ 'text/plain': 'two', 'text/html': '<b>two</b>' });\nd.showHtml('<i>after</i>');`,
      ),
    ]),
  );
  const r = await executeNotebook(nbPath, { timeoutSec: 120 });
  assert.is(r.status, "ok", r.message);
  const [c1, c2] = r.notebook.cells as CodeCell[];
  assert.equal(c1!.outputs, [
    { output_type: "stream", name: "stdout", text: "ab\n" },
    { output_type: "stream", name: "stderr", text: "warn\n" },
    { output_type: "stream", name: "stdout", text: "c\n" },
  ]);
  assert.is(c2!.outputs.length, 2, "the update replaced the first display instead of adding one");
  assert.equal(c2!.outputs[0], { output_type: "display_data", data: { "text/plain": "two", "text/html": "<b>two</b>" }, metadata: {} });
  assert.equal((c2!.outputs[1] as { data: unknown }).data, { "text/html": "<i>after</i>", "text/plain": "after" });
});

test("a kernel that dies inside a cell: the cell, the exit code, later cells not run", async () => {
  const nbPath = path.join(dir, "dies.ipynb");
  writeNotebook(nbPath, makeNotebook([codeCell("console.log('before')"), codeCell("process.exit(3)"), codeCell("console.log('never')")]));
  const r = await executeNotebook(nbPath, { timeoutSec: 120 });
  assert.is(r.status, "error");
  assert.is(r.failedCell, 2);
  assert.match(r.message ?? "", /^KernelDied: the kernel process exited during this cell \(exit code 3\)/);
  assert.is((r.notebook.cells[2] as CodeCell).execution_count, null);
});

test.run();
