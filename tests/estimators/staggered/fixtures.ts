/** Loader of the staggered-DID reference fixtures (tests/fixtures/staggered, made by the R scripts there). A missing file fails loudly. */
import * as fs from "node:fs";
import * as path from "node:path";
import { readTable } from "../../../lib/data/io";
import type { Table } from "../../../lib/data/table";

export const STAGGERED = path.resolve(__dirname, "../../fixtures/staggered");

function need(file: string): string {
  const p = path.join(STAGGERED, file);
  if (!fs.existsSync(p)) throw new Error(`fixture missing: ${p} (run the make_*.R scripts in tests/fixtures/staggered)`);
  return p;
}

/** The 60-unit × 10-year staggered panel (unit, year, cohort (NA never), x, y). */
export async function loadPanel(): Promise<Table> {
  return readTable(need("panel.csv"));
}

export function loadJson<T = any>(file: string): T {
  return JSON.parse(fs.readFileSync(need(file), "utf8")) as T;
}

export const close = (a: number, b: number, tol: number, what = "") => {
  if (!(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)))) throw new Error(`${what}: ${a} vs ${b} (tol ${tol})`);
};
