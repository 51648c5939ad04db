import type { ReportTable } from "./model";

/**
 * Escape text for a Markdown table cell: backslash, pipe, and the inline markup characters
 * `* _ \` [ ] < >`, so that labels print literally.
 */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\|*_`[\]<>]/g, (c) => "\\" + c).replace(/\n/g, " ");
}

/**
 * Render a report table as a GitHub/Jupyter pipe table: the title in bold above, header rows
 * merged into one (a pipe table has a single header row; a group label is joined to the labels of
 * the columns it spans with " "), panel titles as bold rows, notes as lines below.
 * Stars are escaped (`\*`), which Markdown renders as `*`.
 *
 * @example
 *   showMarkdown(toMarkdown(regressionTable([m1, m2])));
 */
export function toMarkdown(t: ReportTable): string {
  const n = t.ncol;
  const head: string[] = Array.from({ length: n }, () => "");
  for (const row of t.header) {
    let col = 0;
    for (const c of row) {
      for (let k = 0; k < (c.span ?? 1); k++) {
        if (c.text !== "" && col + k < n) head[col + k] = head[col + k] ? `${head[col + k]} ${c.text}` : c.text;
      }
      col += c.span ?? 1;
    }
  }
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  const out: string[] = [];
  if (t.title) out.push(`**${escapeMarkdown(t.title)}**`, "");
  out.push(line(head.map(escapeMarkdown)));
  out.push(line(Array.from({ length: n }, (_, j) => (j === 0 ? ":---" : ":---:"))));
  for (const row of t.body) {
    if (row.kind === "panel") {
      out.push(line([`**${escapeMarkdown(row.cells[0]?.text ?? "")}**`, ...Array.from({ length: n - 1 }, () => "")]));
      continue;
    }
    out.push(line(row.cells.map((c) => escapeMarkdown(c.text) + escapeMarkdown(c.stars ?? ""))));
  }
  if (t.notes.length)
    out.push(
      "",
      ...t.notes
        .map((x) => escapeMarkdown(x))
        .join("\n\n")
        .split("\n"),
    );
  return out.join("\n");
}
