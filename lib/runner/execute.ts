/**
 * Execute one notebook in the project's tslab kernel, the same kernel Jupyter, JupyterLab and
 * VS Code start (notebooks/.jupyter/kernels/tslab), driven over the Jupyter messaging protocol
 * (lib/runner/kernel.ts). Outputs are assembled as Jupyter's own client (nbclient) assembles
 * them: stream (consecutive chunks of one stream merged), display_data with every MIME type,
 * update_display_data applied in place, execute_result, error, clear_output.
 *
 * tslab 1.0.22 reports a failing cell by `console.error` (a stderr stream: TypeScript
 * diagnostics as `line:col - message`, runtime errors as the inspected error) and an
 * execute_reply with status "error"; it sends no `error` message. The executed notebook keeps
 * exactly what the kernel sent; the runner reads the one-line message from that stderr text.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CodeCell, ErrorOutput, MimeBundle, Notebook, Output } from "./notebook";
import { readNotebook, text } from "./notebook";
import { KernelClient, KernelDied, type KernelMessage } from "./kernel";

/** Outcome of executing one notebook. */
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
  /** The kernel process's own stdout/stderr outside cells (tail), for diagnosis. */
  kernelLog: string;
}

export interface ExecuteOptions {
  /** Whole-notebook limit in seconds; the kernel is killed when it is reached. */
  timeoutSec: number;
  /** Extra environment for the kernel (VAGG_SCALE, VAGG_SEED, VAGG_EXPORTS…). */
  env?: Record<string, string>;
  /** Kernelspec folder (default: the project's tslab kernel). */
  kernelDir?: string;
  /** Called when a code cell starts (progress). */
  onCell?: (count: number, total: number) => void;
}

/** The project-local tslab kernelspec. */
export const TSLAB_KERNEL_DIR = path.resolve(__dirname, "..", "..", "notebooks", ".jupyter", "kernels", "tslab");

/**
 * Text without ANSI colour and cursor escape sequences (tslab colours its error output).
 *
 * @example
 *   ansiStrip("\u001b[31mError\u001b[0m"); // "Error"
 */
export function ansiStrip(s: string): string {
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

/**
 * The one-line message of a failed tslab cell, from the stderr text it printed: the TypeScript
 * diagnostics (`TypeScript: 1:7 - …`), else the last `Name: message` line of an inspected error,
 * else the last non-empty line.
 */
export function failureMessage(stderr: string): string {
  const ls = ansiStrip(stderr)
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== "");
  const diags = ls.filter((l) => /^(\S+ )?\d+:\d+ - /.test(l));
  if (diags.length) return `TypeScript: ${diags.join("; ")}`;
  for (let i = ls.length - 1; i >= 0; i--) {
    const l = ls[i] as string;
    const m = /^(?:Uncaught )?([A-Za-z_$][\w$]*(?:Error|Exception)|Error)(?: \[[^\]]*\])?: (.*)$/.exec(l);
    if (m) return `${m[1]}: ${m[2]}`;
  }
  return ls[ls.length - 1]?.trim() ?? "the kernel reported an error without a message";
}

/** Versions of the kernel's tslab and its TypeScript, and of Node. */
function kernelVersions(): ExecutedNotebook["versions"] {
  try {
    const tslab = (require("tslab/package.json") as { version: string }).version;
    const tsPath = require.resolve("@tslab/typescript-for-tslab/package.json", {
      paths: [path.dirname(require.resolve("tslab/package.json"))],
    });
    const typescript = (JSON.parse(fs.readFileSync(tsPath, "utf8")) as { version: string }).version;
    return { tslab, typescript, node: process.version };
  } catch {
    return undefined;
  }
}

/** nbclient's output assembly for one cell. */
class CellOutputs {
  readonly outputs: Output[] = [];
  private clearPending = false;
  constructor(private readonly displays: Map<string, Output[]>) {}

  private push(o: Output): void {
    if (this.clearPending) {
      this.outputs.length = 0;
      this.clearPending = false;
    }
    const last = this.outputs[this.outputs.length - 1];
    if (o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name) {
      last.text = text(last.text) + text(o.text);
      return;
    }
    this.outputs.push(o);
  }

  handle(m: KernelMessage): void {
    const c = m.content;
    switch (m.header.msg_type) {
      case "stream":
        this.push({ output_type: "stream", name: c["name"] === "stderr" ? "stderr" : "stdout", text: String(c["text"] ?? "") });
        break;
      case "display_data": {
        const o: Output = {
          output_type: "display_data",
          data: (c["data"] ?? {}) as MimeBundle,
          metadata: (c["metadata"] ?? {}) as Record<string, unknown>,
        };
        this.push(o);
        const id = (c["transient"] as { display_id?: string } | undefined)?.display_id;
        if (id) this.displays.set(id, [...(this.displays.get(id) ?? []), o]);
        break;
      }
      case "update_display_data": {
        const id = (c["transient"] as { display_id?: string } | undefined)?.display_id;
        for (const o of (id && this.displays.get(id)) || []) {
          if (o.output_type === "display_data") {
            o.data = (c["data"] ?? {}) as MimeBundle;
            o.metadata = (c["metadata"] ?? {}) as Record<string, unknown>;
          }
        }
        break;
      }
      case "execute_result":
        this.push({
          output_type: "execute_result",
          execution_count: (c["execution_count"] as number | undefined) ?? null,
          data: (c["data"] ?? {}) as MimeBundle,
          metadata: (c["metadata"] ?? {}) as Record<string, unknown>,
        });
        break;
      case "error":
        this.push({
          output_type: "error",
          ename: String(c["ename"] ?? "Error"),
          evalue: String(c["evalue"] ?? ""),
          traceback: (c["traceback"] as string[] | undefined) ?? [],
        });
        break;
      case "clear_output":
        if (c["wait"]) this.clearPending = true;
        else this.outputs.length = 0;
        break;
      default:
        break; // execute_input, comm messages
    }
  }

  stderr(): string {
    return this.outputs.map((o) => (o.output_type === "stream" && o.name === "stderr" ? text(o.text) : "")).join("");
  }
}

/**
 * Execute `nbPath` in a fresh kernel started in the notebook's folder, cell by cell, stopping at
 * the first failing cell. Never throws for notebook failures: a failing, timed-out or crashed
 * notebook comes back with status "error", the failing cell (its In [n]) and the real message;
 * outputs up to that cell are kept, later cells stay unexecuted.
 */
export async function executeNotebook(nbPath: string, opts: ExecuteOptions): Promise<ExecutedNotebook> {
  const abs = path.resolve(nbPath);
  const source = readNotebook(abs);
  const nb: Notebook = {
    ...source,
    cells: source.cells.map((c) =>
      c.cell_type === "code" ? { ...c, outputs: [], execution_count: null, metadata: stripVagg(c.metadata) } : c,
    ),
  };
  const t0 = Date.now();
  const deadline = t0 + Math.max(1, opts.timeoutSec) * 1000;
  const versions = kernelVersions();
  const codeCells = nb.cells.map((c, i) => [c, i] as const).filter(([c]) => c.cell_type === "code" && text(c.source).trim() !== "");
  const result = (
    status: "ok" | "error",
    cells: number,
    kernelLog: string,
    fail?: { index: number; count: number; message: string },
  ): ExecutedNotebook => {
    const r: ExecutedNotebook = { notebook: nb, status, seconds: round((Date.now() - t0) / 1000), cells, kernelLog };
    if (fail) {
      if (fail.index >= 0) r.failedIndex = fail.index;
      r.failedCell = fail.count;
      r.message = fail.message;
    }
    if (versions) r.versions = versions;
    return r;
  };

  // a second attempt with fresh ports covers a port taken between choosing and binding it
  let kernel: KernelClient | undefined;
  let startError = "";
  for (let attempt = 0; attempt < 2 && !kernel; attempt++) {
    try {
      kernel = await KernelClient.start({
        kernelDir: opts.kernelDir ?? TSLAB_KERNEL_DIR,
        cwd: path.dirname(abs),
        env: opts.env ?? {},
        startTimeoutSec: Math.max(1, Math.min(120, (deadline - Date.now()) / 1000)),
      });
    } catch (e) {
      startError = (e as Error).message;
    }
  }
  if (!kernel) return result("error", 0, "", { index: -1, count: 0, message: `kernel start failed: ${startError}` });
  const displays = new Map<string, Output[]>();
  let count = 0;
  try {
    for (const [cell, index] of codeCells) {
      const c = cell as CodeCell;
      count++;
      opts.onCell?.(count, codeCells.length);
      const sink = new CellOutputs(displays);
      c.outputs = sink.outputs;
      const c0 = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), Math.max(0, deadline - Date.now()));
      });
      let reply: Record<string, unknown> | "timeout";
      try {
        const run = kernel.execute(text(c.source), (m) => sink.handle(m));
        run.catch(() => {}); // after a timeout the kernel is killed and this rejects unobserved
        reply = await Promise.race([run, timeout]);
      } catch (e) {
        const why = e instanceof KernelDied ? e.message : `kernel error: ${(e as Error).message}`;
        sink.outputs.push(runnerError("KernelDied", why));
        c.execution_count = count;
        c.metadata = { ...c.metadata, vagg: { status: "error", timings: { seconds: null } } };
        return result("error", count, kernel.log, { index, count, message: `KernelDied: ${why}` });
      } finally {
        clearTimeout(timer);
      }
      const seconds = round((Date.now() - c0) / 1000);
      if (reply === "timeout") {
        kernel.kill();
        const why = `timed out after ${opts.timeoutSec} s (runner --timeout)`;
        sink.outputs.push(runnerError("Timeout", why));
        c.execution_count = count;
        c.metadata = { ...c.metadata, vagg: { status: "error", timings: { seconds: null } } };
        return result("error", count, kernel.log, { index, count, message: `Timeout: ${why}` });
      }
      const n = typeof reply["execution_count"] === "number" ? (reply["execution_count"] as number) : count;
      c.execution_count = n;
      const ok = reply["status"] === "ok";
      c.metadata = { ...c.metadata, vagg: { status: ok ? "ok" : "error", timings: { seconds } } };
      if (!ok) {
        const errOut = sink.outputs.find((o): o is ErrorOutput => o.output_type === "error");
        const message = errOut ? (errOut.evalue ? `${errOut.ename}: ${errOut.evalue}` : errOut.ename) : failureMessage(sink.stderr());
        return result("error", count, kernel.log, { index, count: n, message });
      }
    }
    return result("ok", count, kernel.log);
  } finally {
    await kernel.shutdown();
  }
}

/** An error output written by the runner itself (timeout, kernel death): the kernel sent none. */
function runnerError(ename: string, why: string): ErrorOutput {
  return { output_type: "error", ename, evalue: why, traceback: [`${ename}: ${why}`] };
}

function stripVagg(m: Record<string, unknown>): Record<string, unknown> {
  const { vagg: _drop, ...rest } = m;
  return rest;
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}

/** All text of a cell's outputs (tests, logs). */
export function outputText(c: CodeCell): string {
  return c.outputs
    .map((o) =>
      o.output_type === "stream" ? text(o.text) : o.output_type === "error" ? `${o.ename}: ${o.evalue}` : JSON.stringify(o.data),
    )
    .join("");
}
