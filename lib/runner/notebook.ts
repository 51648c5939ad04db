import { createHash } from "node:crypto";
import * as fs from "node:fs";

/**
 * The subset of nbformat 4.5 the runner reads and writes.
 * https://nbformat.readthedocs.io/en/latest/format_description.html
 */
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string | string[];
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  execution_count: number | null;
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell {
  cell_type: "code";
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  execution_count: number | null;
  outputs: Output[];
}
export interface MarkdownCell {
  cell_type: "markdown";
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
  attachments?: unknown;
}
export interface RawCell {
  cell_type: "raw";
  id?: string;
  source: string | string[];
  metadata: Record<string, unknown>;
}
export type Cell = CodeCell | MarkdownCell | RawCell;

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** Per-cell record the runner stores under `cell.metadata.vagg`. */
export interface CellRunMeta {
  seconds: number;
  status: "ok" | "error" | "not-run";
}

/** Join an nbformat multiline string. */
export function text(s: string | string[] | undefined): string {
  if (s === undefined) return "";
  return Array.isArray(s) ? s.join("") : s;
}

/** Split text into nbformat's list-of-lines form (each line keeps its "\n"). */
export function lines(s: string): string[] {
  if (s === "") return [];
  const out = s.split(/(?<=\n)/);
  return out;
}

/** The standard kernelspec metadata of a tslab notebook. */
export const TSLAB_METADATA = {
  kernelspec: { display_name: "TypeScript (tslab, project-local)", language: "typescript", name: "tslab" },
  language_info: {
    codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
    file_extension: ".ts",
    mimetype: "text/typescript",
    name: "typescript",
    version: "3.7.2",
  },
};

/**
 * Read an .ipynb file (nbformat 4) into a Notebook; an unreadable or malformed file is an error naming it.
 *
 * @example
 *   const nb = readNotebook("notebooks/eq/eq-04-baseline-endogeneity.ipynb");
 */
export function readNotebook(file: string): Notebook {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`cannot read notebook ${file}: ${(e as Error).message}`);
  }
  let nb: Notebook;
  try {
    nb = JSON.parse(raw) as Notebook;
  } catch (e) {
    throw new Error(`notebook ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!nb || typeof nb !== "object" || !Array.isArray(nb.cells)) throw new Error(`notebook ${file} has no "cells" array`);
  if (nb.nbformat !== 4) throw new Error(`notebook ${file} is nbformat ${String(nb.nbformat)}, the runner reads nbformat 4`);
  return normalizeNotebook(nb, file);
}

/** Upgrade to nbformat 4.5: every cell gets a stable id (derived from its position and the file name when absent). */
export function normalizeNotebook(nb: Notebook, seed = ""): Notebook {
  const used = new Set<string>();
  const cells = nb.cells.map((c, i): Cell => {
    let id = typeof c.id === "string" && /^[a-zA-Z0-9-_]{1,64}$/.test(c.id) && !used.has(c.id) ? c.id : "";
    if (!id) id = createHash("sha256").update(`${seed}#${i}`).digest("hex").slice(0, 12);
    used.add(id);
    const base = { ...c, id, metadata: c.metadata ?? {} };
    if (c.cell_type === "code")
      return {
        ...(base as CodeCell),
        outputs: ((c as CodeCell).outputs ?? []).map(joinOutput),
        execution_count: (c as CodeCell).execution_count ?? null,
      };
    return base as Cell;
  });
  return { ...nb, nbformat: 4, nbformat_minor: Math.max(5, nb.nbformat_minor ?? 5), metadata: nb.metadata ?? {}, cells };
}

/** An output with nbformat's line lists joined back into strings (the in-memory form). */
function joinOutput(o: Output): Output {
  if (o.output_type === "stream") return { ...o, text: text(o.text) };
  if (o.output_type === "display_data" || o.output_type === "execute_result") {
    const data: MimeBundle = {};
    for (const [k, v] of Object.entries(o.data ?? {}))
      data[k] = Array.isArray(v) && v.every((x) => typeof x === "string") && (k.startsWith("text/") || SPLIT_MIMES.has(k)) ? v.join("") : v;
    return { ...o, data };
  }
  return o;
}

/** A fresh copy with every code cell's outputs and execution count cleared. */
export function clearOutputs(nb: Notebook): Notebook {
  return {
    ...nb,
    cells: nb.cells.map((c) => (c.cell_type === "code" ? { ...c, outputs: [], execution_count: null } : c)),
  };
}

/** MIME types whose string values nbformat stores as line lists (besides text/*). */
const SPLIT_MIMES = new Set(["application/javascript", "image/svg+xml"]);

function splitBundle(data: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [k, v] of Object.entries(data)) out[k] = typeof v === "string" && (k.startsWith("text/") || SPLIT_MIMES.has(k)) ? lines(v) : v;
  return out;
}

/** A copy of a JSON value with every object's keys sorted (Python's `json.dumps(sort_keys=True)`). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) o[k] = sortKeys((v as Record<string, unknown>)[k]);
    return o;
  }
  return v;
}

/**
 * Serialise as nbformat's `write` does: sources, stream texts and text-like MIME values as line
 * lists (`split_lines`), keys sorted, 1-space indent, non-ASCII kept, trailing newline.
 */
export function serializeNotebook(nb: Notebook): string {
  const cells = nb.cells.map((c) => {
    const out: Record<string, unknown> = { ...c, source: lines(text(c.source)) };
    if (c.cell_type === "code") {
      out["outputs"] = c.outputs.map((o) =>
        o.output_type === "stream"
          ? { ...o, text: lines(text(o.text)) }
          : o.output_type === "display_data" || o.output_type === "execute_result"
            ? { ...o, data: splitBundle(o.data) }
            : o,
      );
    }
    return out;
  });
  return JSON.stringify(sortKeys({ ...nb, cells }), null, 1) + "\n";
}

/**
 * Write a Notebook as nbformat writes it (sorted keys, one-space indent, text as line lists), so files are byte-stable.
 *
 * @example
 *   writeNotebook("exports/eq-04.ipynb", nb);
 */
export function writeNotebook(file: string, nb: Notebook): void {
  fs.writeFileSync(file, serializeNotebook(nb));
}

/** Notebook-building helpers (tests, generated index notebooks). */
export function codeCell(source: string, metadata: Record<string, unknown> = {}): CodeCell {
  return { cell_type: "code", source, metadata, execution_count: null, outputs: [] };
}
/**
 * A Markdown cell with the given source.
 *
 * @example
 *   markdownCell("# Title");
 */
export function markdownCell(source: string): MarkdownCell {
  return { cell_type: "markdown", source, metadata: {} };
}
/**
 * A new Notebook of the given cells, with the tslab kernel metadata by default.
 *
 * @example
 *   writeNotebook("x.ipynb", makeNotebook([markdownCell("# x")]));
 */
export function makeNotebook(cells: Cell[], metadata: Record<string, unknown> = TSLAB_METADATA): Notebook {
  return normalizeNotebook({ nbformat: 4, nbformat_minor: 5, metadata, cells });
}
