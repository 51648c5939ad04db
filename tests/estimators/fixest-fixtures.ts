/** Shared loader for the fixest 0.12.2 reference fixtures (tests/fixtures/fixest, from ../shared/reference). */
import * as fs from "node:fs";
import * as path from "node:path";
import { readTable } from "../../lib/data/io";
import type { Table } from "../../lib/data/table";

export interface FixestCase {
  name: string;
  formula: string;
  vcov: string;
  coef: Record<string, number>;
  se: Record<string, number>;
  vcov_matrix: number[][];
  nobs: number;
  nobs_removed: number;
  r2: number;
  ar2: number;
  wr2: number | null;
  collin_var: string[] | string;
  fitstat: Record<string, unknown> | unknown[];
}

export const FIXTURES = path.resolve(__dirname, "../fixtures/fixest");

export function loadCases(file: "expected.json" | "trade_expected.json"): FixestCase[] {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), "utf8")).cases as FixestCase[];
}

export async function loadData(file: "data.csv" | "trade.csv"): Promise<Table> {
  return readTable(path.join(FIXTURES, file));
}

/** fixest's vcov label → our vcov spec. */
export function vcovOf(label: string): string {
  if (label === "IID") return "iid";
  if (label.startsWith("Heteroskedasticity")) return "hetero";
  const m = /^Clustered \((.+)\)$/.exec(label);
  if (m) return "cluster:" + (m[1] as string).split(" & ").join("+");
  throw new Error(`unknown fixest vcov label ${label}`);
}
