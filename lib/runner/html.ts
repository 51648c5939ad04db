import type { Cell, CodeCell, MimeBundle, Notebook, Output } from "./notebook";
import { text } from "./notebook";
import { ansiStrip } from "./execute";
import { createMarkdown, inlineKatexCss } from "./markdown";
import type { Provenance } from "./provenance";

/**
 * One executed notebook → one self-contained, offline HTML file: no script, no remote style,
 * font or image. Markdown and math (KaTeX, fonts inlined) are rendered here; SVG and HTML
 * outputs are embedded as they are; code is shown (monospace, collapsible without JS).
 */
export interface ReportInfo {
  name: string;
  title: string;
  status: "ok" | "error";
  seconds: number;
  /** 0-based index in nb.cells of the failing cell. */
  failedIndex?: number;
  failedCell?: number;
  message?: string;
  provenance: Provenance;
  /** Relative link to the runs index (omitted: no link). */
  indexHref?: string;
  /** Relative link to the executed .ipynb. */
  notebookHref?: string;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

/**
 * Escape `& < > " '` for HTML text and attribute values.
 *
 * @example
 *   escapeHtml("a < b"); // "a &lt; b"
 */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Remove what would make the file load something from elsewhere or run code. */
export function sanitizeEmbedded(html: string): string {
  return html
    .replace(/<script\b[\s\S]*?<\/script\s*>/gi, "")
    .replace(/<script\b[^>]*\/?>/gi, "")
    .replace(/<link\b[^>]*>/gi, "");
}

const MIME_ORDER = [
  "image/svg+xml",
  "text/html",
  "image/png",
  "image/jpeg",
  "image/gif",
  "text/markdown",
  "text/latex",
  "application/json",
  "text/plain",
];

function mimeText(v: unknown): string {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v.join("");
  return JSON.stringify(v, null, 2);
}

/** A table or figure of a report, with its number and caption (`Table 3 …`, `Figure A1. …`). */
export interface Exhibit {
  readonly kind: "table" | "figure";
  /** Anchor in the report (`table-1`, `figure-2`). */
  readonly id: string;
  /** "Table 3", "Figure 2" (the paper's own number) or "Table A1" (numbered in this report). */
  readonly label: string;
  /** Caption text without the label. */
  readonly caption: string;
}

const PAPER_NUMBER = /^(Table|Figure|表|图)\s*(\d+[A-Za-z]?)(?![\d])[.:：]?\s*/;
const KIND_OF: Readonly<Record<string, "table" | "figure">> = { Table: "table", 表: "table", Figure: "figure", 图: "figure" };

/** Numbers the report's tables and figures: the paper's own number when the caption starts with one, else A1, A2… per kind. */
class ExhibitCounter {
  readonly list: Exhibit[] = [];
  private readonly next = { table: 0, figure: 0 };
  add(kind: "table" | "figure", title: string): Exhibit {
    const id = `${kind}-${this.list.filter((e) => e.kind === kind).length + 1}`;
    const m = PAPER_NUMBER.exec(title);
    const word = kind === "table" ? "Table" : "Figure";
    let e: Exhibit;
    // the paper's own number, from an English ("Table 3 …") or Chinese ("表3 …") caption
    if (m && KIND_OF[m[1] as string] === kind) e = { kind, id, label: `${word} ${m[2] as string}`, caption: title.slice(m[0].length) };
    else e = { kind, id, label: `${word} A${++this.next[kind]}`, caption: title };
    this.list.push(e);
    return e;
  }
}

function exhibitTitle(spec: unknown): string {
  const t = (spec as { title?: unknown } | null)?.title;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.join(" ");
  const tx = (t as { text?: unknown } | undefined)?.text;
  return typeof tx === "string" ? tx : Array.isArray(tx) ? tx.join(" ") : "";
}

/**
 * The self-contained offline HTML report of an executed notebook: prose with KaTeX-rendered equations, code, outputs (tables and charts drawn inline, numbered as in the paper or A1, A2…), a list of figures and tables, and the provenance block.
 *
 * @example
 *   fs.writeFileSync("exports/eq-04.html", renderReport(nb, info));
 */
export function renderReport(nb: Notebook, info: ReportInfo): string {
  const md = createMarkdown();
  const body: string[] = [];
  const exhibits = new ExhibitCounter();
  let firstHeading = "";
  nb.cells.forEach((cell, i) => {
    body.push(renderCell(cell, i, info, md, exhibits));
    if (!firstHeading && md.headings.length > 0) firstHeading = (md.headings[0] as { text: string }).text;
  });
  const toc = md.headings.filter((h) => h.level <= 3);
  const tocHtml = toc.length
    ? `<nav class="toc"><div class="toc-title">Contents</div><ul>${toc.map((h) => `<li class="l${h.level}"><a href="#${h.id}">${escapeHtml(h.text)}</a></li>`).join("")}</ul></nav>`
    : "";
  const exhibitList = exhibits.list.length
    ? `<nav class="exhibits"><div class="toc-title">Figures and tables</div><ul>${exhibits.list.map((e) => `<li><a href="#${e.id}">${escapeHtml(e.label)}</a>${e.caption ? ` ${escapeHtml(e.caption)}` : ""}</li>`).join("")}</ul></nav>`
    : "";
  const dirtyBanner = info.provenance.dirty
    ? `<div class="banner warn">Built from a working tree with uncommitted changes (<code>--allow-dirty</code>): these results may not match commit <code>${escapeHtml((info.provenance.commit ?? "unknown").slice(0, 10))}</code>. Changed: ${escapeHtml(info.provenance.dirtyFiles.slice(0, 10).join(", "))}${info.provenance.dirtyFiles.length > 10 ? ", …" : ""}.</div>`
    : "";
  const banner =
    info.status === "error"
      ? `<div class="banner fail">Execution failed${info.failedCell !== undefined ? ` at <a href="#cell-${info.failedIndex ?? ""}">cell ${info.failedCell}</a>` : ""}: <code>${escapeHtml(info.message ?? "")}</code>. Outputs below stop there; later cells were not run.</div>`
      : "";
  const css = BASE_CSS + (md.usedMath ? inlineKatexCss() : "");
  const title = info.title || firstHeading || info.name;
  const links = [
    info.indexHref ? `<a href="${escapeHtml(info.indexHref)}">all reports</a>` : "",
    info.notebookHref ? `<a href="${escapeHtml(info.notebookHref)}">executed notebook (.ipynb)</a>` : "",
  ]
    .filter(Boolean)
    .join(" · ");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vagg notebook runner">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head><body>
<header><div class="meta">${escapeHtml(info.name)} · <span class="status ${info.status}">${info.status === "ok" ? "executed OK" : "FAILED"}</span> · tslab kernel · seed ${info.provenance.seed} · scale ${escapeHtml(info.provenance.scale)} · commit ${escapeHtml((info.provenance.commit ?? "unknown").slice(0, 10))}${info.provenance.dirty ? ` <span class="status error">(uncommitted changes)</span>` : ""}${links ? ` · ${links}` : ""}</div></header>
${dirtyBanner}
${banner}
${tocHtml}
${exhibitList}
<main>
${body.join("\n")}
</main>
${renderProvenance(nb, info)}
</body></html>
`;
}

function renderCell(cell: Cell, i: number, info: ReportInfo, md: ReturnType<typeof createMarkdown>, exhibits: ExhibitCounter): string {
  const src = text(cell.source);
  if (cell.cell_type === "markdown") return `<section class="cell md" id="cell-${i}">${md.render(src)}</section>`;
  if (cell.cell_type === "raw") return src.trim() ? `<section class="cell raw" id="cell-${i}"><pre>${escapeHtml(src)}</pre></section>` : "";
  const c = cell as CodeCell;
  const failed = info.failedIndex === i;
  const notRun = c.execution_count === null && src.trim() !== "";
  const label = c.execution_count !== null ? `In [${c.execution_count}]` : "In [ ]";
  const cls = ["cell", "code", failed ? "failed" : "", notRun ? "not-run" : ""].filter(Boolean).join(" ");
  const outputs = c.outputs.map((o) => renderOutput(o, md, exhibits)).join("\n");
  const flag = failed ? `<span class="flag">✗ failed here</span>` : notRun ? `<span class="flag-muted">not executed</span>` : "";
  return `<section class="${cls}" id="cell-${i}">
<details open><summary><span class="prompt">${label}</span> ${flag}</summary><pre class="source"><code>${escapeHtml(src)}</code></pre></details>
${outputs ? `<div class="outputs">${outputs}</div>` : ""}
</section>`;
}

function renderOutput(o: Output, md: ReturnType<typeof createMarkdown>, exhibits: ExhibitCounter): string {
  switch (o.output_type) {
    case "stream":
      return `<pre class="stream ${o.name}">${escapeHtml(ansiStrip(text(o.text)))}</pre>`;
    case "error":
      return `<div class="error"><div class="ename">${escapeHtml(o.ename)}: ${escapeHtml(o.evalue)}</div>${o.traceback.length ? `<pre>${escapeHtml(ansiStrip(o.traceback.join("\n")))}</pre>` : ""}</div>`;
    case "display_data":
    case "execute_result":
      return renderBundle(o.data, md, exhibits);
  }
}

function renderBundle(data: MimeBundle, md: ReturnType<typeof createMarkdown>, exhibits: ExhibitCounter): string {
  const mime = MIME_ORDER.find((m) => data[m] !== undefined);
  const vl = Object.keys(data).find((k) => /^application\/vnd\.vegalite\.v\d+\+json$/.test(k));
  if (vl !== undefined && mime === "image/svg+xml") {
    // a chart: numbered and captioned figure, drawn inline from its SVG
    const e = exhibits.add("figure", exhibitTitle(data[vl]));
    return `<figure class="exhibit" id="${e.id}"><figcaption><b>${escapeHtml(e.label)}.</b> ${escapeHtml(e.caption)}</figcaption><div class="svg">${sanitizeEmbedded(mimeText(data[mime]).replace(/^<\?xml[^>]*>\s*/, ""))}</div></figure>`;
  }
  if (mime === "text/html") {
    const html = mimeText(data[mime]);
    const cap = /<caption\b([^>]*)>([\s\S]*?)<\/caption>/i.exec(html);
    if (/<table\b/i.test(html)) {
      // a table: numbered, its caption prefixed with the label, anchored for the list of tables
      const title = cap ? decodeEntities((cap[2] as string).replace(/<[^>]*>/g, "")).trim() : "";
      const e = exhibits.add("table", title);
      const numbered = cap
        ? html.replace(cap[0], `<caption${cap[1] as string}><b>${escapeHtml(e.label)}.</b> ${escapeHtml(e.caption)}</caption>`)
        : html.replace(
            /<table\b([^>]*)>/i,
            `<table$1><caption style="caption-side:top;font-weight:bold;padding:.3em 0"><b>${escapeHtml(e.label)}.</b></caption>`,
          );
      return `<div class="html exhibit" id="${e.id}">${sanitizeEmbedded(numbered)}</div>`;
    }
  }
  if (mime === undefined) {
    const kinds = Object.keys(data);
    return `<div class="note">output of type ${escapeHtml(kinds.join(", ") || "(empty)")} cannot be shown offline</div>`;
  }
  const v = mimeText(data[mime]);
  switch (mime) {
    case "image/svg+xml":
      return `<div class="svg">${sanitizeEmbedded(v.replace(/^<\?xml[^>]*>\s*/, ""))}</div>`;
    case "text/html":
      return `<div class="html">${sanitizeEmbedded(v)}</div>`;
    case "image/png":
    case "image/jpeg":
    case "image/gif":
      return `<div class="img"><img alt="figure" src="data:${mime};base64,${v.replace(/\s+/g, "")}"></div>`;
    case "text/markdown":
      return `<div class="md-out">${md.render(v)}</div>`;
    case "text/latex": {
      const m = /^\s*\$\$([\s\S]*)\$\$\s*$/.exec(v) ?? /^\s*\\\[([\s\S]*)\\\]\s*$/.exec(v);
      const inl = /^\s*\$([\s\S]*)\$\s*$/.exec(v);
      return `<div class="latex">${m ? md.math(m[1] as string, true) : inl ? md.math(inl[1] as string, false) : md.math(v, true)}</div>`;
    }
    case "application/json":
      return `<pre class="json">${escapeHtml(v)}</pre>`;
    default:
      return `<pre class="text">${escapeHtml(ansiStrip(v))}</pre>`;
  }
}

function renderProvenance(nb: Notebook, info: ReportInfo): string {
  const p = info.provenance;
  const rows: [string, string][] = [
    ["notebook", escapeHtml(info.name)],
    ["status", info.status === "ok" ? "ok" : `error at cell ${info.failedCell ?? "?"}: ${escapeHtml(info.message ?? "")}`],
    ["git commit", `<code>${escapeHtml(p.commit ?? "unknown (not a git checkout)")}</code>`],
    [
      "working tree",
      p.dirty === null
        ? "unknown"
        : p.dirty
          ? `dirty (${p.dirtyFiles.length} changed or untracked path${p.dirtyFiles.length === 1 ? "" : "s"}${p.dirtyFiles.length ? `: ${escapeHtml(p.dirtyFiles.slice(0, 20).join(", "))}${p.dirtyFiles.length > 20 ? ", …" : ""}` : ""})`
          : "clean",
    ],
    ["lock file", p.lockFile ? `${escapeHtml(p.lockFile.path)} sha256 <code>${p.lockFile.sha256}</code>` : "none"],
    ["seed", String(p.seed)],
    ["scale", escapeHtml(p.scale)],
    [
      "versions",
      Object.entries(p.versions)
        .map(([k, v]) => `${escapeHtml(k)} ${escapeHtml(v)}`)
        .join(" · "),
    ],
  ];
  const data = p.dataFiles.length
    ? `<table class="prov-data"><thead><tr><th>data file</th><th>bytes</th><th>sha256</th></tr></thead><tbody>${p.dataFiles.map((f) => `<tr><td>${escapeHtml(f.path)}</td><td class="num">${f.bytes}</td><td><code>${f.sha256}</code></td></tr>`).join("")}</tbody></table>`
    : `<p>No files under <code>data/raw/</code> at run time.</p>`;
  const timings: string[] = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== "code" || text(c.source).trim() === "") return;
    const m = (c.metadata["vagg"] ?? {}) as { timings?: { seconds?: number | null }; status?: string };
    const st = i === info.failedIndex ? "error" : c.execution_count === null ? "not run" : (m.status ?? "ok");
    const sec = m.timings?.seconds;
    timings.push(
      `<tr class="${st === "error" ? "bad" : ""}"><td><a href="#cell-${i}">${c.execution_count !== null ? `In [${c.execution_count}]` : "–"}</a></td><td>${st}</td><td class="num">${timing(typeof sec === "number" ? sec.toFixed(3) : "–")}</td></tr>`,
    );
  });
  return `<footer class="provenance"><h2 id="provenance">Provenance</h2>
<table class="prov">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join("")}</table>
<h3>Data files (SHA-256)</h3>${data}
<h3 id="timings">Timings</h3>
<p>Run at ${timing(escapeHtml(p.generatedAt))}; wall time ${timing(info.seconds.toFixed(3))} s (kernel start-up, TypeScript compiler included). Values in <code>span.timing</code> are the only parts of this file that differ between two runs of the same commit, data, seed and scale.</p>
<table class="timings"><thead><tr><th>cell</th><th>status</th><th>seconds</th></tr></thead><tbody>${timings.join("")}</tbody></table>
</footer>`;
}

/** A timing value, marked so a byte comparison of two runs can ignore it (`<span class="timing">`). */
export function timing(v: string): string {
  return `<span class="timing">${v}</span>`;
}

export interface IndexEntry {
  name: string;
  title: string;
  status: "ok" | "error" | "missing";
  seconds?: number;
  cells?: number;
  failedCell?: number;
  message?: string;
  cached?: boolean;
  report?: string;
  notebook?: string;
}

/**
 * The appendix's index page: one entry per notebook with its status, timing and links, and the run's provenance.
 *
 * @example
 *   fs.writeFileSync("exports/index.html", renderIndex(entries, provenance));
 */
export function renderIndex(entries: IndexEntry[], p: Provenance): string {
  const rows = entries.map(
    (e) =>
      `<tr class="${e.status === "error" ? "bad" : ""}"><td>${e.report ? `<a href="${escapeHtml(e.report)}">${escapeHtml(e.title || e.name)}</a>` : escapeHtml(e.title || e.name)}</td><td><code>${escapeHtml(e.name)}</code></td><td><span class="status ${e.status}">${e.status}</span>${e.cached ? " (cached)" : ""}${e.status === "error" ? `<br><small>cell ${e.failedCell ?? "?"}: ${escapeHtml(e.message ?? "")}</small>` : ""}</td><td class="num">${e.seconds !== undefined ? timing(e.seconds.toFixed(1)) : "–"}</td><td>${e.notebook ? `<a href="${escapeHtml(e.notebook)}">.ipynb</a>` : ""}</td></tr>`,
  );
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Replication reports</title><style>${BASE_CSS}</style></head><body>
<main>
<h1>Replication reports</h1>
<p>Executed notebooks, one self-contained HTML report each (works offline). Seed ${p.seed}, scale ${escapeHtml(p.scale)}, commit <code>${escapeHtml(p.commit ?? "unknown")}</code>${p.dirty ? ` <b class="status error">(built from uncommitted changes)</b>` : ""}, generated ${timing(escapeHtml(p.generatedAt))}.</p>
<table class="index"><thead><tr><th>report</th><th>name</th><th>status</th><th>seconds</th><th>notebook</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table>
</main></body></html>
`;
}

const BASE_CSS = `
:root{--fg:#1b1b1b;--muted:#666;--line:#ddd;--code:#f6f8fa;--bad:#b00020;--ok:#1a7f37}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);font:16px/1.55 -apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;background:#fff}
main,header,footer,nav.toc,.banner{max-width:980px;margin:0 auto;padding:0 24px}
header .meta{font-size:13px;color:var(--muted);padding:10px 0;border-bottom:1px solid var(--line)}
.status.ok{color:var(--ok);font-weight:600}.status.error,.status.missing{color:var(--bad);font-weight:600}
.banner.warn{margin:12px auto;padding:10px 14px;border:2px solid #b26a00;background:#fff4e0;color:#7a4a00;border-radius:4px}
nav.exhibits{max-width:980px;margin:10px auto 0;padding:0 24px;font-size:14px}nav.exhibits ul{margin:4px 0;padding-left:18px;list-style:none}
figure.exhibit{margin:12px 0}figure.exhibit figcaption{font-size:14px;margin-bottom:4px}
.banner.fail{margin:12px auto;padding:10px 14px;border:2px solid var(--bad);background:#fdecee;color:var(--bad);border-radius:4px}
nav.toc{margin-top:14px;font-size:14px}nav.toc ul{margin:4px 0;padding-left:18px}nav.toc li.l2{margin-left:14px}nav.toc li.l3{margin-left:28px}
.toc-title{font-weight:600}
.cell{margin:14px 0}
.cell.code{border-left:3px solid #c9d1d9;padding-left:10px}
.cell.code.failed{border-left:4px solid var(--bad);background:#fff5f6}
.cell.code.not-run{opacity:.55}
summary{cursor:pointer;font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;color:var(--muted)}
.prompt{color:#345}.timing{float:right}.flag{color:var(--bad);font-weight:700}.flag-muted{color:var(--muted)}
pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;white-space:pre-wrap;word-break:break-word;margin:6px 0}
pre.source{background:var(--code);padding:8px 10px;border-radius:4px;overflow-x:auto}
pre.stream{padding:2px 0}pre.stream.stderr{background:#fff3e0;padding:4px 8px}
div.error{border:1px solid var(--bad);background:#fdecee;padding:6px 10px;border-radius:4px}div.error .ename{color:var(--bad);font-weight:600}
div.error pre{font-size:12px;color:#5a0010}
.outputs{margin:6px 0 0}
.outputs .svg svg,.outputs img{max-width:100%;height:auto}
.html table,.md table,.md-out table,table.index,table.prov,table.timings,table.prov-data{border-collapse:collapse;margin:8px 0;font-size:14px}
.html table{border-top:2px solid #000;border-bottom:2px solid #000}
.html th,.html td,.md th,.md td,.md-out th,.md-out td{padding:3px 10px;text-align:right}
.html thead th{border-bottom:1px solid #000}
.md th,.md td{border:1px solid var(--line)}
table.index td,table.index th,table.prov td,table.prov th,table.timings td,table.timings th,table.prov-data td,table.prov-data th{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.bad td{color:var(--bad)}
.math-display{display:block;overflow-x:auto;overflow-y:hidden}
.note{color:var(--muted);font-style:italic}
footer.provenance{margin-top:40px;border-top:2px solid var(--line);font-size:13px;padding-bottom:40px}
footer.provenance code{font-size:12px;word-break:break-all}
`;
