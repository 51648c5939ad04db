import { isCjkTable, type ReportTable } from "./model";

/**
 * Comment lines `toLatex` puts before a Chinese table: pdfLaTeX cannot set CJK text, the
 * document needs ctex or xeCJK and XeLaTeX (or LuaLaTeX).
 */
export const CJK_LATEX_NOTE: readonly string[] = [
  "% Chinese text: requires xeCJK (XeLaTeX) or ctex, e.g. \\documentclass{ctexart} or",
  "% \\usepackage{ctex} (or \\usepackage{xeCJK}\\setCJKmainfont{SimSun}); compile with xelatex.",
];

export interface LatexOptions {
  /** Wrap in a `table` float with `\caption` (default true); false gives the bare `tabular` plus notes. */
  readonly float?: boolean;
  /** `\label{...}` inside the float. */
  readonly label?: string;
  /** Float placement (default "htbp"). */
  readonly placement?: string;
  /** Stars as `$^{***}$` (default true). */
  readonly superscriptStars?: boolean;
}

const SPECIAL: Readonly<Record<string, string>> = {
  "\\": "\\textbackslash{}",
  "&": "\\&",
  "%": "\\%",
  $: "\\$",
  "#": "\\#",
  _: "\\_",
  "{": "\\{",
  "}": "\\}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
  "²": "$^2$",
  "³": "$^3$",
  "×": "$\\times$",
  "−": "$-$",
  "≤": "$\\leq$",
  "≥": "$\\geq$",
};

/**
 * Escape text for LaTeX (text mode), in one pass: the ten special characters plus a few
 * symbols the tables use (², ×, −, ≤, ≥). Chinese text needs `ctex` or `xeCJK` in the preamble.
 *
 * @example
 *   escapeLatex("R² & 5% _x"); // "R$^2$ \\& 5\\% \\_x"
 */
export function escapeLatex(s: string): string {
  return s.replace(/[\\&%$#_{}~^²³×−≤≥]/g, (c) => SPECIAL[c] ?? c);
}

/**
 * Render a report table as a booktabs `tabular` (\toprule, \midrule under the header,
 * \cmidrule under column groups, \bottomrule), inside a `table` float with caption and notes.
 * Needs `\usepackage{booktabs}`. A Chinese table (`isCjkTable`) starts with `CJK_LATEX_NOTE`,
 * comments saying it needs a CJK-capable engine (`% requires xeCJK (XeLaTeX) or ctex`); the
 * escaping is the same (Chinese characters pass through, 10% → 10\%, × → $\times$).
 *
 * @example
 *   fs.writeFileSync("exports/tables/table2.tex", toLatex(regressionTable([m1, m2]), { label: "tab:baseline" }));
 */
export function toLatex(t: ReportTable, opts: LatexOptions = {}): string {
  const float = opts.float ?? true;
  const sup = opts.superscriptStars ?? true;
  const out: string[] = [];
  if (float) {
    out.push(`\\begin{table}[${opts.placement ?? "htbp"}]`, "\\centering");
    if (t.title) out.push(`\\caption{${escapeLatex(t.title)}}`);
    if (opts.label) out.push(`\\label{${opts.label}}`);
  }
  out.push(`\\begin{tabular}{l${"c".repeat(Math.max(0, t.ncol - 1))}}`, "\\toprule");
  for (const row of t.header) {
    const cells: string[] = [];
    const rules: string[] = [];
    let col = 1;
    for (const c of row) {
      const span = c.span ?? 1;
      const txt = escapeLatex(c.text);
      cells.push(span > 1 ? `\\multicolumn{${span}}{c}{${txt}}` : txt);
      if (c.rule && c.text !== "") rules.push(`\\cmidrule(lr){${col}-${col + span - 1}}`);
      col += span;
    }
    out.push(`${cells.join(" & ")} \\\\`);
    if (rules.length) out.push(rules.join(" "));
  }
  out.push("\\midrule");
  for (const row of t.body) {
    if (row.ruleAbove) out.push("\\midrule");
    if (row.kind === "panel") {
      out.push(`\\multicolumn{${t.ncol}}{l}{\\textit{${escapeLatex(row.cells[0]?.text ?? "")}}} \\\\`);
      continue;
    }
    const cells = row.cells.map((c) => escapeLatex(c.text) + (c.stars ? (sup ? `$^{${c.stars}}$` : c.stars) : ""));
    out.push(`${cells.join(" & ")} \\\\`);
  }
  out.push("\\bottomrule", "\\end{tabular}");
  if (t.notes.length) {
    out.push("\\begin{flushleft}", "\\footnotesize");
    out.push(t.notes.map(escapeLatex).join(" \\\\\n"));
    out.push("\\end{flushleft}");
  }
  if (!float && t.title) out.unshift(`% ${t.title.replace(/\n/g, " ")}`);
  if (float) out.push("\\end{table}");
  if (isCjkTable(t)) out.unshift(...CJK_LATEX_NOTE);
  return out.join("\n");
}
