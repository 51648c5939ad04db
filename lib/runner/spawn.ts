import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ChildEvent } from "./execute";
import type { CodeCell, ErrorOutput, Notebook } from "./notebook";
import { readNotebook, text } from "./notebook";

/** Outcome of executing one notebook in a child process. */
export interface ExecutedNotebook {
  /** The notebook with outputs, execution counts and `metadata.vagg` per executed cell. */
  notebook: Notebook;
  status: "ok" | "error";
  seconds: number;
  /** Code cells executed (including the failing one). */
  cells: number;
  /** Execution count ("In [n]") of the failing code cell. */
  failedCell?: number;
  /** Index of the failing cell in `notebook.cells` (0-based). */
  failedIndex?: number;
  message?: string;
  versions?: { tslab: string; typescript: string; node: string };
  /** The child's own stdout/stderr outside cells (tail), for diagnosis. */
  childLog: string;
}

export interface ExecuteOptions {
  timeoutSec: number;
  env?: Record<string, string>;
}

const CHILD = path.join(__dirname, "child.cjs");

/**
 * Execute `nbPath` in a fresh Node process (tslab in-process there), with an outer timeout.
 * Never throws for notebook failures: a failing/timed-out/crashed notebook comes back with
 * status "error", the failing cell and the real message; outputs up to that cell are kept.
 */
export async function executeNotebook(nbPath: string, opts: ExecuteOptions): Promise<ExecutedNotebook> {
  const abs = path.resolve(nbPath);
  const source = readNotebook(abs);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-run-"));
  const eventsPath = path.join(tmp, "events.jsonl");
  fs.writeFileSync(eventsPath, "");
  const t0 = Date.now();
  let log = "";
  const keep = (b: Buffer): void => { log = (log + b.toString("utf8")).slice(-20000); };
  const child = spawn(process.execPath, [CHILD, abs, eventsPath], {
    cwd: path.dirname(abs),
    env: { ...process.env, ...(opts.env ?? {}) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: process.platform !== "win32", // own process group: the timeout kills what the notebook spawned too
  });
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try { if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL"); } catch { child.kill("SIGKILL"); }
  }, Math.max(1, opts.timeoutSec) * 1000);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("close", (code, signal) => resolve({ code, signal }));
    child.on("error", (e) => { keep(Buffer.from(String(e))); resolve({ code: -1, signal: null }); });
  });
  clearTimeout(timer);
  const seconds = (Date.now() - t0) / 1000;
  const events: ChildEvent[] = fs.readFileSync(eventsPath, "utf8").split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as ChildEvent);
  fs.rmSync(tmp, { recursive: true, force: true });
  return assemble(source, events, { ...exit, timedOut, seconds, log, timeoutSec: opts.timeoutSec });
}

function assemble(
  source: Notebook,
  events: ChildEvent[],
  x: { code: number | null; signal: NodeJS.Signals | null; timedOut: boolean; seconds: number; log: string; timeoutSec: number },
): ExecutedNotebook {
  const nb: Notebook = { ...source, cells: source.cells.map((c) => (c.cell_type === "code" ? { ...c, outputs: [], execution_count: null, metadata: stripVagg(c.metadata) } : c)) };
  let versions: ExecutedNotebook["versions"];
  let started: { cell: number; count: number } | undefined;
  let cells = 0;
  let done = false;
  let failedCell: number | undefined;
  let failedIndex: number | undefined;
  let message: string | undefined;
  for (const ev of events) {
    if (ev.type === "versions") versions = { tslab: ev.tslab, typescript: ev.typescript, node: ev.node };
    else if (ev.type === "start") { started = { cell: ev.cell, count: ev.count }; cells = ev.count; }
    else if (ev.type === "cell") {
      started = undefined;
      const c = nb.cells[ev.cell] as CodeCell;
      c.outputs = ev.outputs.map((o) => (o.output_type === "display_data" ? { ...o, metadata: dropDisplayId(o.metadata) } : o));
      c.execution_count = ev.count;
      c.metadata = { ...c.metadata, vagg: { seconds: round(ev.seconds), status: ev.ok ? "ok" : "error" } };
      if (!ev.ok) { failedCell = ev.count; failedIndex = ev.cell; message = ev.message ?? "unknown error"; }
    } else if (ev.type === "done") done = true;
  }
  if (started) {
    // The child died inside a cell: timeout, crash, or process.exit() in the notebook.
    const c = nb.cells[started.cell] as CodeCell;
    const why = x.timedOut
      ? `timed out after ${x.timeoutSec} s (runner --timeout)`
      : `the notebook process exited during this cell (${x.signal ? `signal ${x.signal}` : `exit code ${String(x.code)}`})${lastLine(x.log)}`;
    const err: ErrorOutput = { output_type: "error", ename: x.timedOut ? "Timeout" : "ProcessExit", evalue: why, traceback: [why] };
    c.outputs.push(err);
    c.execution_count = started.count;
    c.metadata = { ...c.metadata, vagg: { seconds: null, status: "error" } };
    failedCell = started.count; failedIndex = started.cell; message = `${err.ename}: ${why}`;
  } else if (!done && failedCell === undefined) {
    const why = x.timedOut ? `timed out after ${x.timeoutSec} s before the first cell` : `runner child failed before the first cell (exit ${String(x.code)})${lastLine(x.log)}`;
    message = why;
  }
  const status = message === undefined && done ? "ok" : "error";
  const res: ExecutedNotebook = { notebook: nb, status, seconds: round(x.seconds), cells, childLog: x.log };
  if (failedCell !== undefined) res.failedCell = failedCell;
  if (failedIndex !== undefined) res.failedIndex = failedIndex;
  if (message !== undefined) res.message = message;
  if (versions) res.versions = versions;
  return res;
}

function lastLine(log: string): string {
  const l = log.trim().split("\n").filter((s) => s.trim() !== "");
  const last = l[l.length - 1];
  return last ? `: ${last.trim()}` : "";
}

function stripVagg(m: Record<string, unknown>): Record<string, unknown> {
  const { vagg: _drop, ...rest } = m;
  return rest;
}
function dropDisplayId(m: Record<string, unknown>): Record<string, unknown> {
  const { vagg_display_id: _drop, ...rest } = m;
  return rest;
}
function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}

/** All text of a cell's outputs (tests, logs). */
export function outputText(c: CodeCell): string {
  return c.outputs.map((o) => (o.output_type === "stream" ? text(o.text) : o.output_type === "error" ? `${o.ename}: ${o.evalue}` : JSON.stringify(o.data))).join("");
}
