/**
 * Shared helpers of the shift-share tests: the ADH data of ShiftShareSE's example live in
 * ../shared/reference/akm relative to the repository root (ADHdata_AKM.csv, ADH_W_long.csv.gz,
 * ADH_sic.csv). When that folder is absent the tests that need it are skipped with a printed
 * reason; a missing file inside a present folder fails the test (`loadAdhAkm` throws naming it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadAdhAkm, type AdhAkmData } from "../../../lib/papers/eq/adh-data";

export const AKM_DIR = path.resolve(__dirname, "../../../../shared/reference/akm");

/** True when the shared ADH folder exists; otherwise prints why the caller skips. */
export function haveAdh(what: string): boolean {
  if (fs.existsSync(AKM_DIR)) return true;
  // CI has ../shared: there a missing reference folder is a failure, not a skip
  if (process.env["CI"]) throw new Error(`reference folder ${AKM_DIR} is absent under CI (${what})`);
  console.log(`  SKIPPED ${what}: ADH reference folder ${AKM_DIR} is absent (it lives in ../shared, outside the repository)`);
  return false;
}

let cached: Promise<AdhAkmData> | null = null;
/** The ADH data, read once per test process. */
export function adh(): Promise<AdhAkmData> {
  cached ??= loadAdhAkm(AKM_DIR);
  return cached;
}

/** |a − b| ≤ rel·|b| + abs (equal infinities count as close). */
export function close(a: number, b: number, rel: number, abs = 0): boolean {
  return a === b || Math.abs(a - b) <= rel * Math.abs(b) + abs;
}
