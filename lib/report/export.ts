import * as fs from "node:fs";
import * as path from "node:path";
import type { ReportTable } from "./model";
import { toHtml } from "./html";
import { toLatex } from "./latex";
import { toCsv, toTidyCsv } from "./csv";
import { toDocx } from "./docx";
import { renderSvg } from "./charts/render-svg";
import type { VegaLiteSpec } from "./charts/spec";
import { notebookEnv } from "../util/notebook-env";

/**
 * Write a table to `<exports>/tables/<name>.{html,tex,csv,docx}` and return the paths relative
 * to the exports folder (`VAGG_EXPORTS` or <repo>/exports, see `notebookEnv`), e.g.
 * "tables/eq-table2.csv", so notebook outputs name no machine path.
 *
 * HTML, LaTeX and Word keep the display layout. The CSV is machine-readable: a data table's CSV
 * is its data (raw round-trip numbers, `toCsv`); any other table's CSV is its display grid with
 * counts unseparated, and beside it `<name>.tidy.csv` (`toTidyCsv`: one row per model × term for
 * regression tables, one per cell for tables without a payload).
 *
 * @example
 *   await exportTable("rs-table3", regressionTable([m1, m2]));
 *   // ["tables/rs-table3.html", "tables/rs-table3.tex", "tables/rs-table3.csv", "tables/rs-table3.tidy.csv", "tables/rs-table3.docx"]
 */
export async function exportTable(name: string, t: ReportTable, opts: { dir?: string } = {}): Promise<string[]> {
  checkName(name);
  const root = opts.dir ?? notebookEnv().exportsDir;
  const dir = path.join(root, "tables");
  fs.mkdirSync(dir, { recursive: true });
  const files: [string, string | Buffer][] = [
    [`${name}.html`, `<!doctype html><meta charset="utf-8"><title>${name}</title>\n` + toHtml(t, { inlineStyles: true })],
    [`${name}.tex`, toLatex(t)],
    [`${name}.csv`, toCsv(t)],
  ];
  if (!t.data) files.push([`${name}.tidy.csv`, toTidyCsv(t)]);
  files.push([`${name}.docx`, await toDocx(t)]);
  for (const [f, body] of files) fs.writeFileSync(path.join(dir, f), body);
  return files.map(([f]) => path.posix.join("tables", f));
}

/**
 * Render a Vega-Lite spec to `<exports>/figures/<name>.svg` and return its path relative to the
 * exports folder ("figures/<name>.svg").
 *
 * @example
 *   await exportFigure("eq-figure2-placebo", placeboFigure(pl)); // "figures/eq-figure2-placebo.svg"
 */
export async function exportFigure(name: string, spec: VegaLiteSpec, opts: { dir?: string } = {}): Promise<string> {
  checkName(name);
  const dir = path.join(opts.dir ?? notebookEnv().exportsDir, "figures");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.svg`), await renderSvg(spec));
  return path.posix.join("figures", `${name}.svg`);
}

function checkName(name: string): void {
  if (!/^[A-Za-z0-9._-]+$/.test(name))
    throw new Error(`vagg argument error: export name must be letters, digits, ".", "_" or "-", got "${name}"`);
}
