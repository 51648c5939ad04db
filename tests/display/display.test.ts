import { test } from "uvu";
import * as assert from "uvu/assert";
import Module from "node:module";
import * as path from "node:path";
import { feols } from "../../lib/estimators/feols";
import { table } from "../../lib/data/table";
import {
  show,
  showChart,
  showTable,
  showMarkdown,
  setDisplayTransport,
  isKernel,
  newDisplay,
  type DisplayContent,
} from "../../lib/display";
import { progress } from "../../lib/util/progress";
import { coefPlot, coefPoints } from "../../lib/report/charts";

const d = table({ y: [1, 3, 2, 5, 4, 6, 8, 7], x: [1, 2, 3, 4, 5, 6, 7, 8] });
const m = feols(d, "y ~ x", { vcov: "iid" });

function capture(): { msgs: [DisplayContent, boolean][]; restore: () => void } {
  const msgs: [DisplayContent, boolean][] = [];
  setDisplayTransport((c, u) => msgs.push([c, u]));
  return { msgs, restore: () => setDisplayTransport(undefined) };
}

/** Run f with process.stdout.write captured into `captured`. */
function captureStdout(f: () => unknown): void {
  const orig = process.stdout.write.bind(process.stdout);
  let out = "";
  (process.stdout as { write: unknown }).write = (s: string) => ((out += s), true);
  try {
    f();
  } finally {
    (process.stdout as { write: unknown }).write = orig;
    captured = out;
  }
}
let captured = "";

test("plain Node: no kernel, tslab never loaded, text fallback on stdout", async () => {
  assert.is(isKernel(), false);
  captureStdout(() => show(m));
  assert.match(captured, /^=+\n\s+\(1\)\n-+\nx\s+0\.9286\*\*\*\n/);
  captureStdout(() => showMarkdown("# Title"));
  assert.is(captured, "# Title\n");
  const orig = process.stdout.write.bind(process.stdout);
  let out = "";
  (process.stdout as { write: unknown }).write = (s: string) => ((out += s), true);
  try {
    await showChart(coefPlot(coefPoints([m]), { title: "Coefs" }));
  } finally {
    (process.stdout as { write: unknown }).write = orig;
  }
  assert.is(out, "[Vega-Lite chart: Coefs]\n");
  assert.equal(
    Object.keys(require.cache).filter((k) => /[\\/]tslab[\\/]/.test(k)),
    [],
    "tslab not loaded",
  );
});

test("show(FeolsResult): one bundle with three-line HTML and text/plain", () => {
  const { msgs, restore } = capture();
  try {
    show(m);
  } finally {
    restore();
  }
  assert.is(msgs.length, 1);
  const [c, update] = msgs[0]!;
  assert.is(update, false);
  assert.equal(Object.keys(c.data).sort(), ["text/html", "text/plain"]);
  assert.match(c.data["text/html"] as string, /<table class="three-line"/);
  assert.match(c.data["text/html"] as string, /border-top:2px solid #000/);
  assert.match(c.data["text/plain"] as string, /x\s+0\.9286\*\*\*/);
  assert.is(c.transient, undefined);
});

test("showChart: ONE message with the Vega-Lite spec object, the SVG and text", async () => {
  const { msgs, restore } = capture();
  const spec = coefPlot(coefPoints([m]), { title: "Coefs", xTitle: "Estimate of x" });
  try {
    await show(spec);
  } finally {
    restore();
  }
  assert.is(msgs.length, 1);
  const data = msgs[0]![0].data;
  assert.equal(Object.keys(data).sort(), ["application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"]);
  assert.is(data["application/vnd.vegalite.v5+json"], spec, "the spec object itself, not a string");
  assert.match(data["image/svg+xml"] as string, /^<svg[\s\S]*Estimate of x/);
  assert.is(data["text/plain"], "[Vega-Lite chart: Coefs]");
});

test("showTable: column tables (row cap note), model arrays with options", () => {
  const { msgs, restore } = capture();
  try {
    showTable(table({ a: Array.from({ length: 30 }, (_, i) => i) }));
    showTable([m, m], { lang: "zh", keep: ["x"] });
    show("**bold**");
    show({ other: 1 });
  } finally {
    restore();
  }
  assert.is(msgs.length, 4);
  assert.match(msgs[0]![0].data["text/plain"] as string, /Showing 20 of 30 rows\./);
  assert.match(msgs[1]![0].data["text/plain"] as string, /观测值/);
  assert.equal(msgs[2]![0].data, { "text/markdown": "**bold**", "text/plain": "**bold**" });
  assert.equal(msgs[3]![0].data, { "text/plain": "{ other: 1 }" });
});

test("newDisplay and progress(): display_data once, then update_display_data with the same id", () => {
  const { msgs, restore } = capture();
  let t = 0;
  try {
    const dd = newDisplay();
    dd.update({ "text/plain": "a" });
    dd.update({ "text/plain": "b" });
    const p = progress(4, "placebo", { now: () => t, sinkIntervalMs: 100 });
    t = 150;
    p.tick(2);
    t = 200;
    p.tick();
    t = 1000;
    p.tick();
    p.finish();
  } finally {
    restore();
  }
  const [a, b] = msgs;
  assert.equal([a![1], b![1]], [false, true]);
  assert.is(a![0].transient?.display_id, b![0].transient?.display_id);
  const prog = msgs.slice(2);
  assert.equal(
    prog.map(([, u]) => u),
    [false, true, true, true],
  );
  const ids = new Set(prog.map(([c]) => c.transient?.display_id));
  assert.is(ids.size, 1);
  const pid = [...ids][0];
  assert.match(String(pid), /^[0-9a-f]{16}$/);
  assert.is.not(pid, a![0].transient?.display_id, "a new display per progress run");
  assert.is(prog[1]![0].data["text/plain"], "placebo: 2/4 (50%), elapsed 0s, ETA 0s");
  assert.match(
    prog[3]![0].data["text/html"] as string,
    /<progress value="4" max="4"[^>]*><\/progress> placebo: 4\/4 \(100%\), done<\/div>/,
  );
  assert.is(prog[3]![0].data["text/plain"], "placebo: 4/4 (100%), done", "the kept output has no duration: it would differ between runs");
  assert.equal(prog[3]![0].metadata, { vagg: { timings: { seconds: 1 } } }, "the duration goes to the declared timing field");
});

test("kernel detection: a loaded tslab/dist/jupyter module with lastWriteDisplayData is used", () => {
  const file = path.join(__dirname, "fake", "node_modules", "tslab", "dist", "jupyter.js");
  const calls: [DisplayContent, boolean][] = [];
  const mod = new Module(file);
  mod.filename = file;
  mod.loaded = true;
  mod.exports = { lastWriteDisplayData: null };
  require.cache[file] = mod;
  try {
    assert.is(isKernel(), false, "module loaded but no cell running (writer null)");
    mod.exports.lastWriteDisplayData = (c: DisplayContent, u: boolean) => calls.push([c, u]);
    assert.is(isKernel(), true);
    show(m);
    setDisplayTransport(null);
    assert.is(isKernel(), false, "null forces the text fallback");
    captureStdout(() => showMarkdown("x"));
  } finally {
    delete require.cache[file];
    setDisplayTransport(undefined);
  }
  assert.is(calls.length, 1);
  assert.match(calls[0]![0].data["text/html"] as string, /three-line/);
  assert.is(captured, "x\n");
});

test.run();
