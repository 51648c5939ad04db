import { test } from "uvu";
import * as assert from "uvu/assert";
import { renderReport, renderIndex } from "../../lib/runner/html";
import { createMarkdown, inlineKatexCss } from "../../lib/runner/markdown";
import { makeNotebook, markdownCell, codeCell } from "../../lib/runner/notebook";
import type { CodeCell } from "../../lib/runner/notebook";
import type { Provenance } from "../../lib/runner/provenance";

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect id="bar-1" width="30" height="10" fill="#1f77b4"/></svg>';

const prov: Provenance = {
  commit: "0123456789abcdef0123456789abcdef01234567",
  dirty: true,
  dirtyFiles: ["lib/x.ts"],
  lockFile: { path: "package-lock.json", sha256: "a".repeat(64) },
  dataFiles: [{ path: "data/raw/synthetic/trade.csv", bytes: 1234, sha256: "b".repeat(64) }],
  seed: 20220707,
  scale: "small",
  versions: { node: "v20.0.0", tslab: "1.0.22", "typescript (tslab cells)": "5.0.4" },
  generatedAt: "2026-01-01T00:00:00.000Z",
};

function executed(): ReturnType<typeof makeNotebook> {
  const nb = makeNotebook([
    markdownCell(
      "# Quality and virtual agglomeration\n\nThe CES demand $q = A p^{-\\sigma}$ gives\n\n$$\n\\ln q = \\ln A - \\sigma \\ln p \\tag{1}\n$$\n\nPrices cost \\$5.\n\n## Estimates",
    ),
    codeCell("console.log('hello')"),
    codeCell("display(chart)"),
    codeCell("display(table)"),
    codeCell("throw new RangeError('bad value 42')"),
    codeCell("never()"),
  ]);
  const c = nb.cells as CodeCell[];
  Object.assign(c[1]!, {
    execution_count: 1,
    outputs: [{ output_type: "stream", name: "stdout", text: "hello <world>\n" }],
    metadata: { vagg: { status: "ok", timings: { seconds: 0.5 } } },
  });
  Object.assign(c[2]!, {
    execution_count: 2,
    outputs: [
      {
        output_type: "display_data",
        data: {
          "application/vnd.vegalite.v5+json": { mark: "bar", title: "Figure 2 Placebo estimates" },
          "image/svg+xml": SVG,
          "text/plain": "chart",
        },
        metadata: {},
      },
    ],
    metadata: { vagg: { status: "ok", timings: { seconds: 0.25 } } },
  });
  Object.assign(c[3]!, {
    execution_count: 3,
    outputs: [
      {
        output_type: "display_data",
        data: { "text/html": '<table><tr><td>β = 0.123***</td></tr></table><script src="https://cdn.example.org/x.js"></script>' },
        metadata: {},
      },
    ],
    metadata: { vagg: { status: "ok", timings: { seconds: 0.1 } } },
  });
  Object.assign(c[4]!, {
    execution_count: 4,
    outputs: [
      { output_type: "error", ename: "RangeError", evalue: "bad value 42", traceback: ["RangeError: bad value 42", "    at cell"] },
    ],
    metadata: { vagg: { status: "error", timings: { seconds: 0.01 } } },
  });
  return nb;
}

test("report: KaTeX math with inlined woff2 fonts, nothing remote", () => {
  const html = renderReport(executed(), {
    name: "eq-demo",
    title: "EQ demo",
    status: "error",
    seconds: 1.5,
    failedIndex: 4,
    failedCell: 4,
    message: "RangeError: bad value 42",
    provenance: prov,
  });
  assert.ok(html.includes('class="katex"'), "inline math rendered by KaTeX");
  assert.ok(html.includes('class="katex-display"'), "display math rendered by KaTeX");
  assert.ok(html.includes("(1)"), "\\tag{1} rendered");
  assert.not.ok(/<script/i.test(html), "no script at all (the embedded HTML output's remote script is removed)");
  assert.not.ok(/<link/i.test(html), "no stylesheet links");
  assert.ok(html.includes("data:font/woff2;base64,"), "fonts inlined as woff2 data URLs");
  assert.not.ok(/url\((?!data:)/.test(html), "every CSS url() is a data URL");
  assert.not.ok(/url\([^)]*https?:/.test(html), "no http font URL");
  assert.not.ok(/\.(woff|ttf)\)/.test(html), "no woff/ttf fallbacks");
  assert.ok(html.includes("Prices cost $5."), "escaped dollar stays text");
});

test("report: SVG inlined, HTML embedded, text escaped, TOC from headings", () => {
  const html = renderReport(executed(), {
    name: "eq-demo",
    title: "EQ demo",
    status: "error",
    seconds: 1.5,
    failedIndex: 4,
    failedCell: 4,
    message: "RangeError: bad value 42",
    provenance: prov,
  });
  assert.ok(html.includes('<rect id="bar-1"'), "SVG chart embedded inline");
  assert.ok(html.includes("<td>β = 0.123***</td>"), "HTML output embedded");
  assert.ok(html.includes("hello &lt;world&gt;"), "stream text escaped in <pre>");
  assert.ok(
    /<nav class="toc">[\s\S]*href="#quality-and-virtual-agglomeration"[\s\S]*href="#estimates"/.test(html),
    "toc links to heading ids",
  );
  assert.ok(html.includes('id="quality-and-virtual-agglomeration"'), "heading has the id");
  assert.ok(html.includes("<code>console.log(&#39;hello&#39;)</code>") || html.includes("console.log('hello')"), "code shown");
  assert.ok(html.includes("<details open>"), "code visible by default");
});

test("report: failing cell marked, later cells marked not run, banner", () => {
  const html = renderReport(executed(), {
    name: "eq-demo",
    title: "EQ demo",
    status: "error",
    seconds: 1.5,
    failedIndex: 4,
    failedCell: 4,
    message: "RangeError: bad value 42",
    provenance: prov,
  });
  assert.ok(html.includes('class="cell code failed" id="cell-4"'), "failing cell has the failed class");
  assert.ok(html.includes("✗ failed here"));
  assert.ok(
    /class="banner fail">Execution failed at <a href="#cell-4">cell 4<\/a>: <code>RangeError: bad value 42<\/code>/.test(html),
    "banner names cell and message",
  );
  assert.ok(html.includes('class="cell code not-run" id="cell-5"'), "cell after the failure marked not run");
});

test("report: provenance footer", () => {
  const html = renderReport(executed(), { name: "eq-demo", title: "EQ demo", status: "ok", seconds: 1.5, provenance: prov });
  const foot = html.slice(html.indexOf('<footer class="provenance">'));
  assert.ok(foot.length > 100, "footer present");
  for (const s of [
    prov.commit as string,
    "dirty (1 changed",
    "a".repeat(64),
    "data/raw/synthetic/trade.csv",
    "b".repeat(64),
    "20220707",
    "small",
    "tslab 1.0.22",
    "typescript (tslab cells) 5.0.4",
    "v20.0.0",
  ]) {
    assert.ok(foot.includes(s), `footer shows ${s}`);
  }
  assert.ok(
    /<td><a href="#cell-1">In \[1\]<\/a><\/td><td>ok<\/td><td class="num"><span class="timing">0.500<\/span><\/td>/.test(foot),
    "per-cell timing row, marked as a timing",
  );
  const outsideTimings = html.replace(/<span class="timing">[^<]*<\/span>/g, "");
  assert.not.ok(outsideTimings.includes(prov.generatedAt), "the run time appears only inside timing spans");
  assert.not.ok(outsideTimings.includes("1.500"), "the wall time appears only inside timing spans");
});

test("report: tables and figures numbered as in the paper or A1, A2…, listed at the top; dirty tree warned", () => {
  const nb = makeNotebook([codeCell("a"), codeCell("b"), codeCell("c"), codeCell("d")]);
  const c = nb.cells as CodeCell[];
  const table = (cap: string) => ({
    output_type: "display_data",
    data: { "text/html": `<table class="three-line"><caption style="x">${cap}</caption><tr><td>1</td></tr></table>`, "text/plain": cap },
    metadata: {},
  });
  Object.assign(c[0]!, {
    execution_count: 1,
    outputs: [
      table("Table 3 Endogeneity &amp; 2SLS"),
      table("Rotemberg weights by industry"),
      table("表2 虚拟集聚与出口产品质量：基准回归"),
    ],
  });
  Object.assign(c[1]!, {
    execution_count: 2,
    outputs: [
      {
        output_type: "display_data",
        data: { "application/vnd.vegalite.v5+json": { title: { text: "Bartik shifts" } }, "image/svg+xml": SVG },
        metadata: {},
      },
    ],
  });
  Object.assign(c[2]!, {
    execution_count: 3,
    outputs: [
      {
        output_type: "display_data",
        data: { "application/vnd.vegalite.v5+json": { title: "Figure 2: placebo" }, "image/svg+xml": SVG },
        metadata: {},
      },
    ],
  });
  Object.assign(c[3]!, {
    execution_count: 4,
    outputs: [{ output_type: "display_data", data: { "text/html": "<table><tr><td>no caption</td></tr></table>" }, metadata: {} }],
  });
  const html = renderReport(nb, { name: "x", title: "X", status: "ok", seconds: 1, provenance: prov });
  const list = html.slice(html.indexOf('<nav class="exhibits">'), html.indexOf("</nav>", html.indexOf('<nav class="exhibits">')));
  assert.ok(list.includes('<a href="#table-1">Table 3</a> Endogeneity &amp; 2SLS'), list);
  assert.ok(list.includes('<a href="#table-2">Table A1</a> Rotemberg weights by industry'), list);
  assert.ok(list.includes('<a href="#figure-1">Figure A1</a> Bartik shifts'), list);
  assert.ok(list.includes('<a href="#figure-2">Figure 2</a> placebo'), list);
  assert.ok(list.includes('<a href="#table-3">Table 2</a> 虚拟集聚与出口产品质量：基准回归'), list);
  assert.ok(list.includes('<a href="#table-4">Table A2</a>'), list);
  assert.ok(html.includes('<caption style="x"><b>Table 3.</b> Endogeneity &amp; 2SLS</caption>'), "caption carries the label");
  assert.ok(
    /<figure class="exhibit" id="figure-1"><figcaption><b>Figure A1\.<\/b> Bartik shifts<\/figcaption><div class="svg"><svg/.test(html),
    "chart drawn inline as a captioned figure",
  );
  assert.ok(html.includes('class="banner warn"') && html.includes("lib/x.ts"), "uncommitted changes are warned about, naming the files");
  const clean = renderReport(nb, {
    name: "x",
    title: "X",
    status: "ok",
    seconds: 1,
    provenance: { ...prov, dirty: false, dirtyFiles: [] },
  });
  assert.not.ok(clean.includes('class="banner warn"'));
  assert.not.ok(/dirty/i.test(clean.replace(/<style>[\s\S]*?<\/style>/, "")), "a clean report never says dirty");
});

test("report without math embeds no fonts", () => {
  const nb = makeNotebook([markdownCell("# Plain"), codeCell("1")]);
  const html = renderReport(nb, { name: "plain", title: "", status: "ok", seconds: 0, provenance: prov });
  assert.not.ok(html.includes("data:font/woff2"));
  assert.ok(html.length < 20000);
});

test("markdown math: inline rules, $$ blocks, \\begin environments, macros shared across cells", () => {
  const md = createMarkdown();
  assert.ok(md.render("costs $5 and $6 today").includes("$5 and $6"), "space before closing $ is not math");
  assert.ok(md.render("$x$").includes('class="katex"'));
  assert.ok(md.render("$$\na\n+b\n$$").includes("katex-display"));
  assert.ok(md.render("\\begin{aligned}\na &= b\n\\end{aligned}").includes("katex-display"));
  md.render("$\\gdef\\vagg{\\mathrm{VA}}$");
  assert.not.ok(md.render("$\\vagg$").includes("katex-error"), "macro defined in an earlier cell");
  assert.ok(md.render("$\\frac{a$").includes("katex-error"), "bad TeX shows an error, does not throw");
  const css = inlineKatexCss();
  assert.ok((css.match(/@font-face/g) ?? []).length >= 19);
});

test("index page lists reports and statuses", () => {
  const html = renderIndex(
    [
      { name: "a", title: "A", status: "ok", seconds: 1, report: "a.html", notebook: "a.ipynb" },
      { name: "b", title: "B", status: "error", seconds: 2, failedCell: 3, message: "boom", report: "b.html" },
      { name: "c", title: "C", status: "missing" },
    ],
    prov,
  );
  assert.ok(html.includes('<a href="a.html">A</a>'));
  assert.ok(html.includes("cell 3: boom"));
  assert.ok(html.includes("missing"));
});

test.run();
