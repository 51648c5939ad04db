import * as fs from "node:fs";
import * as path from "node:path";

/**
 * A small deterministic CSV writer for the generator (files are read back only through lib/data) (the generator must produce
 * byte-identical files for a seed, so number formatting is fixed here, not left to a driver):
 * integers as integers, other numbers with at most 10 significant digits, NaN as empty,
 * strings quoted only when they contain a comma, quote or newline.
 */
export type Cell = number | string | null;

/**
 * Deterministic number format of the generator: integers as integers, other numbers with at
 * most 10 significant digits (never exponent notation), non-finite as empty.
 *
 * @example fmtNumber(1 / 3) // "0.3333333333";  fmtNumber(NaN) // ""
 */
export function fmtNumber(v: number): string {
  if (!Number.isFinite(v)) return "";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const s = Number(v.toPrecision(10)).toString();
  return s.includes("e") ? Number(v.toPrecision(10)).toFixed(12).replace(/0+$/, "").replace(/\.$/, "") : s;
}

function fmtCell(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return fmtNumber(v);
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * Write a CSV (header + rows, "\n" line ends) with `fmtNumber` numbers and RFC 4180 quoting
 * only where needed; creates the folder.
 *
 * @example writeCsv("out/t.csv", ["city", "v"], [["A", 0.5], ["B", null]]);
 */
export function writeCsv(file: string, header: readonly string[], rows: Iterable<readonly Cell[]>): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const out: string[] = [header.join(",")];
  for (const r of rows) out.push(r.map(fmtCell).join(","));
  fs.writeFileSync(file, out.join("\n") + "\n");
}

/** Column-wise writer: all columns the same length. */
export function writeCsvColumns(file: string, cols: Record<string, ArrayLike<Cell>>): void {
  const names = Object.keys(cols);
  const n = names.length ? (cols[names[0] as string] as ArrayLike<Cell>).length : 0;
  const rows: Cell[][] = new Array(n);
  for (let i = 0; i < n; i++) rows[i] = names.map((k) => (cols[k] as ArrayLike<Cell>)[i] as Cell);
  writeCsv(file, names, rows);
}
