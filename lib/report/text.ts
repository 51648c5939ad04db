import { cellText, type ReportTable } from "./model";

/** Display width of a string in a monospace terminal: East Asian wide/fullwidth characters count 2. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    w +=
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x20000 && c <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

/**
 * Render a report table as monospace text with the three rules drawn as lines of "=" and "-"
 * (the text/plain fallback of notebook displays and plain-Node runs). The first column is
 * left-aligned, the others centred; Chinese characters count double width.
 *
 * @example
 *   console.log(toText(regressionTable([m1, m2])));
 */
export function toText(t: ReportTable): string {
  const n = t.ncol;
  const body = t.body.map((r) => (r.kind === "panel" ? null : r.cells.map(cellText)));
  const width = Array.from({ length: n }, (_, j) => Math.max(1, ...body.map((r) => (r ? displayWidth(r[j] ?? "") : 0))));
  // spanning header labels: widen the spanned columns if needed
  t.header.forEach((row) => {
    let col = 0;
    for (const c of row) {
      const span = c.span ?? 1;
      const w = displayWidth(c.text);
      const have = width.slice(col, col + span).reduce((a, b) => a + b, 0) + 2 * (span - 1);
      if (w > have) width[col + span - 1] = (width[col + span - 1] as number) + (w - have);
      col += span;
    }
  });
  const total = width.reduce((a, b) => a + b, 0) + 2 * (n - 1);
  const pad = (s: string, w: number, left: boolean) => {
    const gap = Math.max(0, w - displayWidth(s));
    if (left) return s + " ".repeat(gap);
    const l = Math.floor(gap / 2);
    return " ".repeat(l) + s + " ".repeat(gap - l);
  };
  const out: string[] = [];
  if (t.title) out.push(t.title);
  out.push("=".repeat(total));
  for (const row of t.header) {
    const parts: string[] = [];
    let col = 0;
    for (const c of row) {
      const span = c.span ?? 1;
      const w = width.slice(col, col + span).reduce((a, b) => a + b, 0) + 2 * (span - 1);
      parts.push(pad(c.text, w, col === 0));
      col += span;
    }
    out.push(parts.join("  ").trimEnd());
  }
  out.push("-".repeat(total));
  t.body.forEach((row, i) => {
    if (row.ruleAbove) out.push("-".repeat(total));
    const cells = body[i];
    if (!cells) out.push(row.cells[0]?.text ?? "");
    else
      out.push(
        cells
          .map((c, j) => pad(c, width[j] as number, j === 0))
          .join("  ")
          .trimEnd(),
      );
  });
  out.push("=".repeat(total));
  out.push(...t.notes);
  return out.join("\n");
}
