/**
 * In-process notebook execution with tslab 1.0.22's converter and executor (runs inside the
 * runner's child process, one notebook per process). Pinned assumptions about tslab 1.0.22
 * (node_modules/tslab/dist/{converter,executor,jupyter}.js):
 * - `createConverter({isJS, isBrowser})` reads `process.cwd()` once: we chdir to the notebook's
 *   folder first, as Jupyter starts the kernel there;
 * - `createExecutor(rootDir, convs, console)` returns `execute(src): Promise<boolean>`; on failure
 *   it reports through `console.error` only: TypeScript diagnostics as
 *   `("%s%d:%d - %s", file, line, col, message)`, runtime errors as the thrown value; the value
 *   of a cell's last expression goes to `console.log`;
 * - `tslab.display.*` and `lastWriteDisplayData` go through the module-global
 *   `require("tslab/dist/jupyter").lastWriteDisplayData(data, update)`;
 * - the kernel redirects `process.stdout.write`/`process.stderr.write` into the cell.
 * We reproduce the kernel's wiring, but keep the real error object, its message and the cell.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as util from "node:util";
import type { MimeBundle, Output } from "./notebook";
import { readNotebook, text } from "./notebook";

export type ChildEvent =
  | { type: "versions"; tslab: string; typescript: string; node: string }
  | { type: "start"; cell: number; count: number }
  | { type: "cell"; cell: number; count: number; ok: boolean; seconds: number; outputs: Output[]; message?: string }
  | { type: "done"; seconds: number };

interface Diag { start: { line: number; character: number }; messageText: string; fileName?: string }
interface TslabExecutor { execute(src: string): Promise<boolean>; close(): void }
interface TslabConverter { close(): void }

const TSLAB_PIN = "1.0.22";

export function ansiStrip(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

/** The error output (nbformat) and one-line message for a value thrown by a cell. */
export function errorOutput(e: unknown): { output: Output; message: string } {
  if (e instanceof Error || (e && typeof e === "object" && "message" in e && "stack" in e)) {
    const err = e as Error;
    const ename = err.name || err.constructor?.name || "Error";
    const evalue = String(err.message ?? "");
    // Node decorates errors thrown inside vm code with "evalmachine.<anonymous>:N\n<source>\n^\n\n" before the stack.
    const stack = ansiStrip(String(err.stack ?? `${ename}: ${evalue}`)).split("\n");
    // Drop the frames of the machinery below the cell (vm, tslab's executor, this runner).
    const cut = stack.findIndex((l) => /^\s+at .*(\(node:vm|node:internal\/vm|tslab[\\/]dist[\\/]executor|lib[\\/]runner[\\/]execute)/.test(l));
    return {
      output: { output_type: "error", ename, evalue, traceback: cut > 0 ? stack.slice(0, cut) : stack },
      message: evalue ? `${ename}: ${evalue}` : ename,
    };
  }
  const v = typeof e === "string" ? e : util.inspect(e);
  return { output: { output_type: "error", ename: "Thrown", evalue: v, traceback: [`Uncaught ${v}`] }, message: `thrown value: ${v}` };
}

export async function runChild(nbPath: string, eventsPath: string): Promise<number> {
  const t0 = process.hrtime.bigint();
  const emit = (ev: ChildEvent): void => fs.appendFileSync(eventsPath, JSON.stringify(ev) + "\n");
  const nb = readNotebook(nbPath);
  const dir = path.dirname(nbPath);
  process.chdir(dir);

  // The project's pinned tslab (the one the kernelspec's launcher starts), wherever the notebook is.
  const req = require;
  const tslabPkg = req("tslab/package.json") as { version: string };
  if (tslabPkg.version !== TSLAB_PIN) {
    process.stderr.write(`runner: warning: written against tslab ${TSLAB_PIN}, found ${tslabPkg.version}\n`);
  }
  const converter = req("tslab/dist/converter") as { createConverter(o: { isJS: boolean; isBrowser: boolean }): TslabConverter };
  const executorMod = req("tslab/dist/executor") as {
    createExecutor(root: string, convs: { node: TslabConverter; browser: TslabConverter; close(): void }, console: { log(...a: unknown[]): void; error(...a: unknown[]): void }): TslabExecutor;
  };
  const jupyter = req("tslab/dist/jupyter") as { lastWriteDisplayData: ((d: unknown, update?: boolean) => void) | null };
  const pub = req("tslab") as { versions?: { tslab: string; typescript: string; node: string } };
  emit({ type: "versions", tslab: tslabPkg.version, typescript: pub.versions?.typescript ?? "?", node: process.version });

  // Current cell's sink.
  let outputs: Output[] = [];
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  const writeStream = (name: "stdout" | "stderr", chunk: unknown): void => {
    const s = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    const last = outputs[outputs.length - 1];
    if (last && last.output_type === "stream" && last.name === name) last.text = text(last.text) + s;
    else outputs.push({ output_type: "stream", name, text: s });
  };
  const hook = (name: "stdout" | "stderr") =>
    ((chunk: unknown, enc?: unknown, cb?: unknown): boolean => {
      writeStream(name, chunk);
      const done = typeof enc === "function" ? enc : cb;
      if (typeof done === "function") (done as () => void)();
      return true;
    }) as typeof process.stdout.write;

  let errors: unknown[][] = [];
  const cellConsole = {
    log: (...a: unknown[]) => writeStream("stdout", util.format(...a) + "\n"),
    error: (...a: unknown[]) => { errors.push(a); },
  };
  jupyter.lastWriteDisplayData = (d: unknown, update?: boolean) => {
    const msg = d as { data?: MimeBundle; metadata?: Record<string, unknown>; transient?: { display_id?: string } };
    const metadata: Record<string, unknown> = { ...(msg.metadata ?? {}) };
    const id = msg.transient?.display_id;
    if (id) {
      // nbformat does not store `transient`; keep the id so update_display_data can be applied.
      metadata["vagg_display_id"] = id;
      if (update) {
        for (const o of outputs) {
          if (o.output_type === "display_data" && o.metadata["vagg_display_id"] === id) { o.data = msg.data ?? {}; return; }
        }
      }
    }
    outputs.push({ output_type: "display_data", data: msg.data ?? {}, metadata });
  };
  process.on("uncaughtException", (e) => writeStream("stderr", `UncaughtException: ${errorOutput(e).message}\n`));
  process.on("unhandledRejection", (e) => writeStream("stderr", `UnhandledPromiseRejection: ${errorOutput(e).message}\n`));

  process.stdout.write = hook("stdout");
  process.stderr.write = hook("stderr");
  let conv: TslabConverter;
  let executor: TslabExecutor;
  try {
    conv = converter.createConverter({ isJS: false, isBrowser: false });
    executor = executorMod.createExecutor(dir, { node: conv, browser: conv, close: () => conv.close() }, cellConsole);
  } finally {
    process.stdout.write = origOut;
    process.stderr.write = origErr;
  }
  const setup = outputs; // converter warnings, if any
  if (setup.length) origErr(setup.map((o) => (o.output_type === "stream" ? text(o.text) : "")).join(""));

  let count = 0;
  let failed = false;
  for (let i = 0; i < nb.cells.length; i++) {
    const cell = nb.cells[i] as (typeof nb.cells)[number];
    if (cell.cell_type !== "code") continue;
    const src = text(cell.source);
    if (src.trim() === "") continue;
    count++;
    emit({ type: "start", cell: i, count });
    outputs = [];
    errors = [];
    process.stdout.write = hook("stdout");
    process.stderr.write = hook("stderr");
    const c0 = process.hrtime.bigint();
    let ok: boolean;
    let thrown: unknown = undefined;
    try {
      ok = await executor.execute(src);
    } catch (e) {
      ok = false;
      thrown = e;
    }
    const seconds = Number(process.hrtime.bigint() - c0) / 1e9;
    process.stdout.write = origOut;
    process.stderr.write = origErr;
    let message: string | undefined;
    if (!ok) {
      const diags = errors.filter((a) => a[0] === "%s%d:%d - %s");
      const other = errors.filter((a) => a[0] !== "%s%d:%d - %s");
      if (diags.length > 0) {
        const ds = diags.map((a) => `${String(a[1])}${String(a[2])}:${String(a[3])} - ${String(a[4])}`);
        outputs.push({ output_type: "error", ename: "TypeScriptError", evalue: ds.join("\n"), traceback: ds });
        message = `TypeScript: ${ds.join("; ")}`;
      } else {
        const e = thrown !== undefined ? thrown : other.length > 0 ? (other[other.length - 1] as unknown[])[0] : new Error("tslab reported a failure without a message");
        const r = errorOutput(e);
        outputs.push(r.output);
        message = r.message;
      }
    } else if (errors.length > 0) {
      // Diagnostics printed for a `//%module` cell: tslab registers the module anyway.
      writeStream("stderr", errors.map((a) => util.format(...a)).join("\n") + "\n");
    }
    emit({ type: "cell", cell: i, count, ok, seconds, outputs, ...(message !== undefined ? { message } : {}) });
    if (!ok) { failed = true; break; }
  }
  try { executor.close(); } catch { /* the watch program may already be closed */ }
  emit({ type: "done", seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
  return failed ? 1 : 0;
}
