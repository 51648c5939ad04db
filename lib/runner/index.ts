/** The notebook runner: execute notebooks (in the project tslab kernel, over the Jupyter protocol) and export offline HTML reports. */
export { runReproduce, runAll, parseReproduceArgs, readToc, ensureData, HELP as REPRODUCE_HELP } from "./reproduce";
export type { RunOptions, RunLogEntry, TocEntry, Scale } from "./reproduce";
export { executeNotebook, failureMessage, TSLAB_KERNEL_DIR } from "./execute";
export type { ExecutedNotebook, ExecuteOptions } from "./execute";
export { KernelClient, readKernelSpec } from "./kernel";
export type { KernelSpec, KernelMessage } from "./kernel";
export { renderReport, renderIndex } from "./html";
export type { ReportInfo, IndexEntry } from "./html";
export { createMarkdown, inlineKatexCss } from "./markdown";
export { collectProvenance } from "./provenance";
export { sha256File } from "../util/file-hash";
export type { Provenance, DataFileHash } from "./provenance";
export { readNotebook, writeNotebook, makeNotebook, codeCell, markdownCell } from "./notebook";
export type { Notebook, Cell, CodeCell, Output } from "./notebook";
