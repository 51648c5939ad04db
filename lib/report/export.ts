import * as fs from "node:fs";
import * as path from "node:path";
import type { ReportTable } from "./model";
import { toHtml } from "./html";
import { toLatex } from "./latex";
import { toCsv } from "./csv";
import { toDocx } from "./docx";
import { renderSvg } from "./charts/render-svg";
import type { VegaLiteSpec } from "./charts/spec";
import { notebookEnv } from "../util/notebook-env";

/**
 * Write a table to `<exports>/tables/<name>.{html,tex,csv,docx}` and return the paths
 * (exports folder: `VAGG_EXPORTS` or <repo>/exports, see `notebookEnv`).
 *
 * @example
 *   await exportTable("rs-table3", regressionTable([m1, m2]));
 */
export async function exportTable(name: string, t: ReportTable, opts: { dir?: string } = {}): Promise<string[]> {
  checkName(name);
  const dir = path.join(opts.dir ?? notebookEnv().exportsDir, "tables");
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, string | Buffer][] = [
    [`${name}.html`, `<!doctype html><meta charset="utf-8"><title>${name}</title>\n` + toHtml(t, { inlineStyles: true })],
    [`${name}.tex`, toLatex(t)],
    [`${name}.csv`, toCsv(t)],
    [`${name}.docx`, await toDocx(t)],
  ];
  return files.map(([f, body]) => { const p = path.join(dir, f); fs.writeFileSync(p, body); return p; });
}

/** Render a Vega-Lite spec to `<exports>/figures/<name>.svg` and return the path. */
export async function exportFigure(name: string, spec: VegaLiteSpec, opts: { dir?: string } = {}): Promise<string> {
  checkName(name);
  const dir = path.join(opts.dir ?? notebookEnv().exportsDir, "figures");
  fs.mkdirSync(dir, { recursive: true });
  const p = path.join(dir, `${name}.svg`);
  fs.writeFileSync(p, await renderSvg(spec));
  return p;
}

function checkName(name: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`vagg argument error: export name must be letters, digits, ".", "_" or "-", got "${name}"`);
}
