import { isCjkTable, type ReportTable } from "./model";

/**
 * Font stack for Chinese tables: a Latin serif for digits and Latin letters first, then the
 * Song/Ming faces of Windows (SimSun 宋体), macOS (Songti SC), Linux (Noto Serif CJK SC / Source
 * Han Serif SC) and CJK sans fallbacks — so numbers print in Times and Chinese in 宋体 as in
 * Chinese journals.
 */
export const CJK_FONT_STACK =
  '"Times New Roman",Times,"SimSun","宋体","Songti SC","STSong","Noto Serif CJK SC","Source Han Serif SC","Noto Serif SC","Microsoft YaHei","PingFang SC","Noto Sans CJK SC",serif';

/**
 * CSS for `<table class="three-line">`: thick top and bottom rules, a thin rule under the
 * header, thin partial rules under column groups, no vertical lines — as Chinese journals print.
 * Put it once in a page (`<style>${threeLineCss}</style>`) or use `toHtml(t, { css: true })`.
 */
export const threeLineCss = [
  "table.three-line{border-collapse:collapse;margin:.6em auto;font-variant-numeric:tabular-nums;line-height:1.35}",
  `table.three-line:lang(zh){font-family:${CJK_FONT_STACK}}`,
  "table.three-line caption{caption-side:top;font-weight:bold;padding:.3em 0}",
  "table.three-line th,table.three-line td{padding:.12em .9em;text-align:center;border:none;white-space:nowrap}",
  "table.three-line th:first-child,table.three-line td:first-child{text-align:left}",
  "table.three-line thead tr:first-child th{border-top:2px solid #000}",
  "table.three-line thead tr:last-child th{border-bottom:1px solid #000}",
  "table.three-line th.group{border-bottom:1px solid #000}",
  "table.three-line tbody tr:last-child td{border-bottom:2px solid #000}",
  "table.three-line tr.rule td{border-top:1px solid #000}",
  "table.three-line tr.panel td{font-style:italic;text-align:left}",
  "table.three-line tfoot td{font-size:.85em;text-align:left;white-space:normal;border:none}",
].join("\n");

export interface HtmlOptions {
  /** Prepend `<style>` with `threeLineCss` (default false). */
  readonly css?: boolean;
  /** Also write the rules as inline `style` attributes, for viewers that drop `<style>` (default false). */
  readonly inlineStyles?: boolean;
  /** Stars as `<sup>` (default true). */
  readonly superscriptStars?: boolean;
}

/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

const THICK = "2px solid #000";
const THIN = "1px solid #000";

/**
 * Render a report table as `<table class="three-line">` (caption, thead, tbody, tfoot for notes).
 * A Chinese table (`isCjkTable`: `lang: "zh"`, or CJK text) gets `lang="zh-CN"`, which selects
 * `CJK_FONT_STACK` through `threeLineCss`, and the stack inline too with `inlineStyles`.
 *
 * @example
 *   const html = toHtml(regressionTable([m1, m2]), { css: true });
 */
export function toHtml(t: ReportTable, opts: HtmlOptions = {}): string {
  const inline = opts.inlineStyles ?? false;
  const sup = opts.superscriptStars ?? true;
  const st = (parts: (string | false)[]): string => {
    if (!inline) return "";
    const s = parts.filter((p): p is string => !!p).join(";");
    return s ? ` style="${s}"` : "";
  };
  const out: string[] = [];
  if (opts.css) out.push(`<style>\n${threeLineCss}\n</style>`);
  const cjk = isCjkTable(t);
  const tableStyle =
    "border-collapse:collapse;margin:.6em auto;font-variant-numeric:tabular-nums" +
    (cjk ? `;font-family:${CJK_FONT_STACK.replace(/"/g, "'")}` : "");
  out.push(`<table class="three-line"${cjk ? ' lang="zh-CN"' : ""}${inline ? ` style="${tableStyle}"` : ""}>`);
  if (t.title !== undefined && t.title !== "")
    out.push(`<caption${st(["caption-side:top", "font-weight:bold", "padding:.3em 0"])}>${escapeHtml(t.title)}</caption>`);
  out.push("<thead>");
  const nh = t.header.length;
  const noBody = t.body.length === 0;
  t.header.forEach((row, r) => {
    const cells = row.map((c, j) => {
      const span = (c.span ?? 1) > 1 ? ` colspan="${c.span}"` : "";
      const cls = c.rule ? ' class="group"' : "";
      const style = st([
        "padding:.12em .9em",
        j === 0 ? "text-align:left" : "text-align:center",
        r === 0 && `border-top:${THICK}`,
        r === nh - 1 ? `border-bottom:${noBody ? THICK : THIN}` : !!c.rule && `border-bottom:${THIN}`,
      ]);
      return `<th${cls}${span}${style}>${escapeHtml(c.text)}</th>`;
    });
    out.push(`<tr>${cells.join("")}</tr>`);
  });
  out.push("</thead>");
  out.push("<tbody>");
  t.body.forEach((row, r) => {
    const last = r === t.body.length - 1;
    const cls = [row.kind, row.ruleAbove ? "rule" : ""].filter(Boolean).join(" ");
    const base = (j: number): string =>
      st([
        "padding:.12em .9em",
        row.kind === "panel" || j === 0 ? "text-align:left" : "text-align:center",
        row.kind === "panel" && "font-style:italic",
        !!row.ruleAbove && `border-top:${THIN}`,
        last && `border-bottom:${THICK}`,
      ]);
    if (row.kind === "panel") {
      out.push(`<tr class="${cls}"><td colspan="${t.ncol}"${base(0)}>${escapeHtml(row.cells[0]?.text ?? "")}</td></tr>`);
      return;
    }
    const cells = row.cells.map((c, j) => {
      const s = c.stars ? (sup ? `<sup>${escapeHtml(c.stars)}</sup>` : escapeHtml(c.stars)) : "";
      return `<td${base(j)}>${escapeHtml(c.text)}${s}</td>`;
    });
    out.push(`<tr class="${cls}">${cells.join("")}</tr>`);
  });
  out.push("</tbody>");
  if (t.notes.length) {
    out.push("<tfoot>");
    for (const n of t.notes)
      out.push(`<tr><td colspan="${t.ncol}"${st(["font-size:.85em", "text-align:left", "padding:.12em .9em"])}>${escapeHtml(n)}</td></tr>`);
    out.push("</tfoot>");
  }
  out.push("</table>");
  return out.join("\n");
}
