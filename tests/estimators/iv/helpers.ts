/**
 * Shared helpers for the IV module tests: the Stata ivreg2 reference fixtures (restatr/ivreg2r
 * at 8c666db, see /work/shared/reference/stata-ivreg2/SOURCE.txt) are read from ../shared
 * relative to the repository root. When that folder is absent the tests that need it are
 * skipped with a printed reason (never passed silently); a single missing file inside a
 * present folder is an error (the test fails).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as assert from "uvu/assert";
import { factorize } from "../../../lib/core/fixed-effects/factorize";
import { cross, crossVec, inv, mulVec, residualize } from "../../../lib/estimators/iv/linalg";
import type { IvDesign } from "../../../lib/estimators/iv/types";
import type { Vce } from "../../../lib/estimators/iv/ssc";

export const STATA_DIR = path.resolve(__dirname, "../../../../shared/reference/stata-ivreg2");

/** True when the shared Stata reference folder exists; otherwise prints why the caller skips. */
export function haveStata(what: string): boolean {
  if (fs.existsSync(STATA_DIR)) return true;
  // CI has ../shared: there a missing reference folder is a failure, not a skip
  if (process.env["CI"]) throw new Error(`reference folder ${STATA_DIR} is absent under CI (${what})`);
  console.log(`  SKIPPED ${what}: Stata ivreg2 reference folder ${STATA_DIR} is absent (it lives in ../shared, outside the repository)`);
  return false;
}

/** A Stata CSV as rows of name → value (NaN for "." or empty). Throws (test fails) when the file is missing. */
export function readStataCsv(file: string): Record<string, number>[] {
  const p = path.join(STATA_DIR, file);
  if (!fs.existsSync(p)) throw new Error(`Stata fixture missing: ${p}`);
  const lines = fs.readFileSync(p, "utf8").trim().split(/\r?\n/);
  const head = (lines[0] as string).split(",");
  return lines.slice(1).map((l) => {
    const v = l.split(",");
    const o: Record<string, number> = {};
    head.forEach((h, j) => {
      const s = (v[j] ?? "").trim();
      o[h] = s === "" || s === "." ? NaN : Number(s);
    });
    return o;
  });
}

/** Stata's coefficient CSV as term → estimate / std_error (the term column is text). */
export function readStataCoef(file: string): Record<string, { b: number; se: number }> {
  const p = path.join(STATA_DIR, file);
  if (!fs.existsSync(p)) throw new Error(`Stata fixture missing: ${p}`);
  const out: Record<string, { b: number; se: number }> = {};
  for (const l of fs.readFileSync(p, "utf8").trim().split(/\r?\n/).slice(1)) {
    const [t, b, se] = l.split(",");
    out[t as string] = { b: Number(b), se: Number(se) };
  }
  return out;
}

export interface StataModel {
  data: string;
  y: string;
  exog: string[];
  endo: string[];
  inst: string[];
  cluster?: string;
}

/** The ivreg2 specifications of generate-fixtures.do (constant included, no fixed effects). */
export const MODELS = {
  card_overid: {
    data: "card_data.csv",
    y: "lwage",
    exog: ["exper", "expersq", "black", "south"],
    endo: ["educ"],
    inst: ["nearc2", "nearc4"],
  },
  card_just_id: { data: "card_data.csv", y: "lwage", exog: ["exper", "expersq", "black", "south"], endo: ["educ"], inst: ["nearc4"] },
  sim_multi_endo: { data: "sim_multi_endo_data.csv", y: "y", exog: ["x1", "x2"], endo: ["endo1", "endo2"], inst: ["z1", "z2", "z3", "z4"] },
  sim_cluster: { data: "sim_cluster_data.csv", y: "y", exog: ["x1"], endo: ["endo1"], inst: ["z1", "z2"], cluster: "cluster_id" },
} satisfies Record<string, StataModel>;

/** IvDesign of a Stata model (listwise deletion on the model's variables) for the given VCE kind. */
export function stataDesign(m: StataModel, kind: Vce["kind"]): IvDesign {
  const rows = readStataCsv(m.data);
  const vars = [m.y, ...m.exog, ...m.endo, ...m.inst, ...(m.cluster ? [m.cluster] : [])];
  const keep = rows.filter((r) => vars.every((v) => Number.isFinite(r[v] as number)));
  const col = (v: string) => Float64Array.from(keep, (r) => r[v] as number);
  const n = keep.length;
  const clusters = kind === "cluster" ? [factorize(col(m.cluster as string))] : [];
  return {
    n,
    y: col(m.y),
    endo: m.endo.map(col),
    endoNames: m.endo,
    exog: [new Float64Array(n).fill(1), ...m.exog.map(col)],
    exogNames: ["(Intercept)", ...m.exog],
    inst: m.inst.map(col),
    instNames: m.inst,
    vce: { kind, clusters },
    sdofminus: 0,
    feDofFixest: 0,
    fixef: [],
  };
}

/**
 * The two-way clustered fixture of generate-twoway-fixtures.do: y ~ x1 | endo1 ~ z1 + z2 on
 * sim_twoway_data.csv, cluster(firm_id year_id) (25 × 10 clusters).
 */
export function twoWayDesign(): IvDesign {
  const d = stataDesign(
    { data: "sim_twoway_data.csv", y: "y", exog: ["x1"], endo: ["endo1"], inst: ["z1", "z2"], cluster: "firm_id" },
    "cluster",
  );
  const rows = readStataCsv("sim_twoway_data.csv");
  const f = (v: string) => factorize(Float64Array.from(rows, (r) => r[v] as number));
  return { ...d, vce: { kind: "cluster", clusters: [f("firm_id"), f("year_id")] } };
}

/** 2SLS coefficients (order: endo, exog) and residuals on the full design. */
export function tsls(d: IvDesign): { b: number[]; e: Float64Array } {
  const W = [...d.exog, ...d.inst];
  const fit = residualize([...d.endo], W).resid;
  const Xh = [...d.endo.map((x, j) => Float64Array.from(x, (v, i) => v - (fit[j] as Float64Array)[i]!)), ...d.exog];
  const X = [...d.endo, ...d.exog];
  const b = mulVec(inv(cross(Xh)), crossVec(Xh, d.y));
  const e = Float64Array.from(d.y);
  X.forEach((x, j) => {
    const c = b[j] as number;
    for (let i = 0; i < e.length; i++) e[i] -= c * (x[i] as number);
  });
  return { b, e };
}

export const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
export function close(a: number, b: number, tol: number, what: string): void {
  assert.ok(Number.isFinite(a) && rel(a, b) < tol, `${what}: ${a} vs ${b} (rel ${rel(a, b)})`);
}
