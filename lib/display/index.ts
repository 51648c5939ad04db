/**
 * Notebook display: the only module of @vagg/lib that talks to tslab.
 *
 *   import 'tsx/cjs';
 *   import { show, showChart, showTable, showMarkdown } from '@vagg/lib/display';
 *
 * Under the tslab kernel each call sends ONE Jupyter display_data message with several MIME
 * types (tslab's own `display.*` sends one type per message): tables as text/html (three-line,
 * inline styles so every viewer keeps the rules) + text/plain; charts as
 * application/vnd.vegalite.v5+json (the spec object: JupyterLab draws it interactively) +
 * image/svg+xml (nbconvert/HTML exports show it) + text/plain. Without a kernel (plain Node,
 * the project's runner, tests) the text/plain part is printed to stdout instead.
 *
 * How the kernel is found: tslab stores the current cell's writer in
 * `lastWriteDisplayData` on its `tslab/dist/jupyter` module while a cell runs. We look that
 * module up among the modules already loaded (`require.cache`) rather than `require('tslab')`:
 * a kernel started from another tslab install has its own module instance (ours would hold
 * null), and a plain Node process should not load tslab, zeromq and a TypeScript compiler just
 * to find out there is no kernel.
 */
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { isReportTable, type ReportTable } from "../report/model";
import { regressionTable, type RegressionModel, type RegressionTableOptions } from "../report/regression-table";
import { dataTable, type DataTableOptions } from "../report/data-table";
import { toHtml } from "../report/html";
import { toText } from "../report/text";
import { renderSvg } from "../report/charts/render-svg";
import { isVegaLiteSpec, type VegaLiteSpec } from "../report/charts/spec";
import type { Table } from "../data/table";
import { setProgressSink, formatProgressLine, type ProgressState } from "../util/progress";

/** MIME type → content, as in a Jupyter display_data message. */
export type MimeBundle = Readonly<Record<string, unknown>>;

/** The message content tslab's writer takes (`lastWriteDisplayData(content, update)`). */
export interface DisplayContent {
  readonly data: MimeBundle;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly transient?: { readonly display_id: string };
}

/** Sends one display message; `update` true makes it an update_display_data of `transient.display_id`. */
export type DisplayTransport = (content: DisplayContent, update: boolean) => void;

let override: DisplayTransport | null | undefined;

/**
 * Replace the transport: a function (a runner capturing outputs, tests), null (force the
 * text fallback), or undefined (back to automatic tslab detection).
 */
export function setDisplayTransport(t: DisplayTransport | null | undefined): void {
  override = t;
}

const JUPYTER_MODULE = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/** tslab's current display writer, when this process is a tslab kernel executing a cell. */
function kernelWriter(): DisplayTransport | null {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!JUPYTER_MODULE.test(file)) continue;
    const w = (mod?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
    if (typeof w === "function") return w as DisplayTransport;
  }
  return null;
}

function transport(): DisplayTransport | null {
  return override !== undefined ? override : kernelWriter();
}

/** Are rich displays going to a notebook (a tslab kernel or an injected transport)? */
export function isKernel(): boolean {
  return transport() !== null;
}

function textOf(bundle: MimeBundle): string {
  const t = bundle["text/plain"];
  return typeof t === "string" ? t : inspect(bundle, { depth: 2 });
}

/** Send one multi-MIME bundle (or print its text/plain part without a kernel). */
export function displayBundle(
  bundle: MimeBundle,
  opts: { displayId?: string; update?: boolean; metadata?: Record<string, unknown> } = {},
): void {
  const t = transport();
  if (!t) {
    process.stdout.write(textOf(bundle) + "\n");
    return;
  }
  t(
    { data: bundle, metadata: opts.metadata ?? {}, ...(opts.displayId ? { transient: { display_id: opts.displayId } } : {}) },
    opts.update ?? false,
  );
}

/** Show HTML (with an optional text fallback). */
export function showHtml(html: string, text = html.replace(/<[^>]*>/g, "")): void {
  displayBundle({ "text/html": html, "text/plain": text });
}

/** Show Markdown (text/markdown; the source itself is the text fallback). */
export function showMarkdown(md: string): void {
  displayBundle({ "text/markdown": md, "text/plain": md });
}

function looksLikeModel(x: unknown): x is RegressionModel {
  const o = x as Partial<RegressionModel>;
  return (
    typeof x === "object" &&
    x !== null &&
    typeof o.coef === "object" &&
    typeof o.se === "object" &&
    typeof o.pvalue === "object" &&
    typeof o.nobs === "number"
  );
}

function looksLikeTable(x: unknown): x is Table {
  const o = x as Partial<Table>;
  return typeof x === "object" && x !== null && typeof o.nrows === "number" && Array.isArray(o.names) && typeof o.columns === "object";
}

/**
 * Show a table: a built `ReportTable`, one or several regression results (rendered with
 * `regressionTable(models, opts)`), or a column `Table` (first 20 rows unless `maxRows` says otherwise).
 */
export function showTable(
  t: ReportTable | Table | RegressionModel | readonly RegressionModel[],
  opts: RegressionTableOptions | DataTableOptions = {},
): void {
  let rt: ReportTable;
  if (isReportTable(t)) rt = t;
  else if (Array.isArray(t) || looksLikeModel(t))
    rt = regressionTable((Array.isArray(t) ? t : [t]) as RegressionModel[], opts as RegressionTableOptions);
  else rt = dataTable(t as Table, { maxRows: 20, ...(opts as DataTableOptions) });
  displayBundle({ "text/html": toHtml(rt, { inlineStyles: true }), "text/plain": toText(rt) });
}

/**
 * Show a Vega-Lite chart as one bundle: the spec (interactive in JupyterLab), its SVG
 * (static outputs, HTML exports) and a one-line text. Await it so the SVG is in the cell's output.
 */
export async function showChart(spec: VegaLiteSpec): Promise<void> {
  const title = typeof spec.title === "string" ? spec.title : "chart";
  if (!transport()) {
    process.stdout.write(`[Vega-Lite chart: ${title}]\n`);
    return;
  }
  const svg = await renderSvg(spec);
  displayBundle({ "application/vnd.vegalite.v5+json": spec, "image/svg+xml": svg, "text/plain": `[Vega-Lite chart: ${title}]` });
}

/**
 * Show anything the project produces: regression results and report tables (three-line HTML),
 * column tables, Vega-Lite specs (returns the promise of `showChart`), strings (as Markdown);
 * anything else as inspected text.
 */
export function show(x: unknown): void | Promise<void> {
  if (isVegaLiteSpec(x)) return showChart(x);
  if (isReportTable(x) || looksLikeModel(x) || looksLikeTable(x)) return showTable(x);
  if (Array.isArray(x) && x.length > 0 && x.every(looksLikeModel)) return showTable(x as RegressionModel[]);
  if (typeof x === "string") return showMarkdown(x);
  displayBundle({ "text/plain": inspect(x, { depth: 4 }) });
}

/** An output that can be replaced in place (display_data with a display id, then update_display_data). */
export interface UpdatableDisplay {
  readonly id: string;
  /** Replace the output; `metadata` goes to the output's metadata (e.g. `{ vagg: { timings: … } }`). */
  update(bundle: MimeBundle, metadata?: Record<string, unknown>): void;
}

/**
 * A display that later calls overwrite. Without a kernel every update prints its text/plain part.
 *
 * @example
 *   const d = newDisplay(); d.update({ "text/plain": "step 1" }); d.update({ "text/plain": "step 2" });
 */
export function newDisplay(): UpdatableDisplay {
  const id = randomBytes(8).toString("hex");
  let sent = false;
  return {
    id,
    update(bundle, metadata) {
      displayBundle(bundle, { displayId: id, update: sent, ...(metadata ? { metadata } : {}) });
      sent = true;
    },
  };
}

function progressHtml(line: string, s: ProgressState): string {
  const esc = (x: string) => x.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const max = s.total > 0 ? s.total : 1;
  return `<div style="font-family:monospace"><progress value="${Math.min(s.done, max)}" max="${max}" style="width:16em;vertical-align:middle"></progress> ${esc(line)}</div>`;
}

/**
 * The finished state as a notebook keeps it: counts only ("placebo: 1000/1000 (100%), done"). The
 * elapsed time goes to the output's metadata (`vagg.timings.seconds`), the one place a byte
 * comparison of two runs ignores, so the executed notebook and its report do not change with the
 * machine's speed.
 */
function finishedLine(s: ProgressState): string {
  return `${s.label}: ${s.done}/${s.total}${s.total > 0 ? ` (${Math.floor((100 * Math.min(s.done, s.total)) / s.total)}%)` : ""}, done`;
}

// Notebook progress: while a kernel (or an injected transport) is present, `progress()` from
// lib/util/progress updates one output in place instead of writing to stderr.
setProgressSink(() => {
  if (!isKernel()) return null;
  const d = newDisplay();
  return {
    update: (s: ProgressState) => {
      const l = formatProgressLine(s);
      d.update({ "text/html": progressHtml(l, s), "text/plain": l });
    },
    finish: (s: ProgressState) => {
      const l = finishedLine(s);
      d.update({ "text/html": progressHtml(l, s), "text/plain": l }, { vagg: { timings: { seconds: Math.round(s.elapsedMs) / 1000 } } });
    },
  };
});
