/** The notebook runner: execute notebooks (tslab in a child process) and export offline HTML reports. */
export { runReproduce, runAll, parseReproduceArgs, readToc, ensureData, HELP as REPRODUCE_HELP } from "./reproduce";
export type { RunOptions, RunLogEntry, TocEntry, Scale } from "./reproduce";
export { executeNotebook } from "./spawn";
export type { ExecutedNotebook, ExecuteOptions } from "./spawn";
export { renderReport, renderIndex } from "./html";
export type { ReportInfo, IndexEntry } from "./html";
export { createMarkdown, inlineKatexCss } from "./markdown";
export { collectProvenance, sha256File } from "./provenance";
export type { Provenance, DataFileHash } from "./provenance";
export { readNotebook, writeNotebook, makeNotebook, codeCell, markdownCell } from "./notebook";
export type { Notebook, Cell, CodeCell, Output } from "./notebook";
