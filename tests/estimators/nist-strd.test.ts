import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { feols } from "../../lib/estimators/feols";
import { table } from "../../lib/data/table";

// NIST Statistical Reference Datasets (StRD), linear least squares: all 11 datasets with their
// certified values (computed by NIST in 500-digit arithmetic). The files are not committed;
// they come from the Debian package gretl-data (installed by .ci/run). Accuracy is measured as
// in McCullough (1998, "Assessing the reliability of statistical software", The American
// Statistician 52) by the log relative error LRE = −log10(|est − cert| / |cert|), or
// −log10|est| when cert = 0, capped at 15 (the certified values carry 15 digits).
const DIR = process.env.NIST_STRD_DIR ?? "/usr/share/gretl/data/nist";
const NAMES = ["Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley", "Wampler1", "Wampler2", "Wampler3", "Wampler4", "Wampler5"];
const MIN_LRE = 7;

interface StrdDataset {
  readonly name: string;
  /** Parameter indices as NIST numbers them (B0 is the intercept; absent without one). */
  readonly params: number[];
  readonly coef: number[];
  readonly se: number[];
  readonly sd: number;
  readonly r2: number;
  /** Column names of the data block: y, then x (one predictor) or x1, x2, … */
  readonly header: string[];
  /** Data rows, one array per column of `header`. */
  readonly columns: Float64Array[];
}

/**
 * Reads a NIST StRD linear-regression file (the ASCII format of itl.nist.gov/div898/strd,
 * as shipped in gretl-data): the certified parameter lines "B<i> <estimate> <sd>", the
 * "Standard Deviation" and "R-Squared" lines of the residual block, and the data block that
 * follows the "Data:  y  x …" header. Fortran exponents ("0.1E-03") and a trailing "." parse
 * with Number().
 */
function readStrd(file: string): StrdDataset {
  const lines = fs.readFileSync(file, "latin1").split(/\r?\n/);
  const params: number[] = [],
    coef: number[] = [],
    se: number[] = [];
  let sd = NaN,
    r2 = NaN,
    header: string[] | null = null;
  const rows: number[][] = [];
  for (const line of lines) {
    if (header) {
      if (line.trim()) rows.push(line.trim().split(/\s+/).map(Number));
      continue;
    }
    let m = /^\s*B(\d+)\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (m) {
      params.push(Number(m[1]));
      coef.push(Number(m[2]));
      se.push(Number(m[3]));
      continue;
    }
    m = /^\s*Standard Deviation\s+(\S+)\s*$/.exec(line);
    if (m) sd = Number(m[1]);
    m = /^\s*R-Squared\s+(\S+)\s*$/.exec(line);
    if (m) r2 = Number(m[1]);
    m = /^Data:\s+(y(?:\s+x\d*)+)\s*$/.exec(line);
    if (m) header = (m[1] as string).split(/\s+/);
  }
  const name = path.basename(file, ".dat");
  if (!header || !rows.length || !params.length || !Number.isFinite(sd) || !Number.isFinite(r2))
    throw new Error(`${file}: not a NIST StRD linear-regression file`);
  const h = header;
  for (const r of rows)
    if (r.length !== h.length || r.some((v) => !Number.isFinite(v))) throw new Error(`${file}: bad data row ${r.join(" ")}`);
  const columns = h.map((_, j) => Float64Array.from(rows, (r) => r[j] as number));
  return { name, params, coef, se, sd, r2, header: h, columns };
}

/** LRE of an estimate against a certified value, capped at 15. */
function lre(est: number, cert: number): number {
  const e = cert === 0 ? Math.abs(est) : Math.abs(est - cert) / Math.abs(cert);
  return Number.isNaN(e) ? 0 : Math.min(15, e === 0 ? 15 : -Math.log10(e));
}

/**
 * The model as NIST defines it: an intercept when B0 is certified; with several predictors
 * (Longley) y on all of them; with one predictor x a polynomial whose degree is the number of
 * non-intercept parameters (Norris 1, Pontius 2, Wampler 5, Filip 10, NoInt 1). Powers are
 * built as columns x, x2 = x·x, x3 = x2·x, … (repeated products in double precision).
 */
function fitStrd(d: StrdDataset) {
  const intercept = d.params[0] === 0;
  const cols: Record<string, Float64Array> = { y: d.columns[0] as Float64Array };
  const terms: string[] = [];
  if (d.header.length > 2)
    d.header.slice(1).forEach((nm, j) => {
      cols[nm] = d.columns[j + 1] as Float64Array;
      terms.push(nm);
    });
  else {
    const x = d.columns[1] as Float64Array;
    let p = x;
    for (let k = 1; k <= d.params.length - (intercept ? 1 : 0); k++) {
      if (k > 1) p = p.map((v, i) => v * (x[i] as number));
      const nm = k === 1 ? "x" : `x${k}`;
      cols[nm] = p;
      terms.push(nm);
    }
  }
  const m = feols(table(cols), `y ~ ${terms.join(" + ")}${intercept ? "" : " - 1"}`, { vcov: "iid" });
  const names = [...(intercept ? ["(Intercept)"] : []), ...terms];
  return { m, names, intercept };
}

test("NIST StRD linear regression: LRE ≥ 7 for every coefficient, standard error, residual SD and R² of all 11 datasets", () => {
  if (!fs.existsSync(DIR) || NAMES.some((n) => !fs.existsSync(path.join(DIR, `${n}.dat`))))
    assert.unreachable(
      `NIST StRD files not found in ${DIR}: install the Debian package gretl-data (apt-get install -y gretl-data), or set NIST_STRD_DIR to a folder holding ${NAMES.join(", ")}.dat`,
    );
  const rows: string[] = [];
  const failures: string[] = [];
  for (const name of NAMES) {
    const d = readStrd(path.join(DIR, `${name}.dat`));
    const { m, names, intercept } = fitStrd(d);
    assert.equal(m.collinear, [], `${name}: no column may be declared collinear`);
    assert.equal(m.coefNames, names, name);
    const lc = Math.min(...names.map((nm, j) => lre(m.coef[nm] as number, d.coef[j] as number)));
    const ls = Math.min(...names.map((nm, j) => lre(m.se[nm] as number, d.se[j] as number)));
    const lsd = lre(m.sigma, d.sd);
    // NIST's R² is uncentred for the models without intercept (NoInt1/2); feols reports the
    // centred R² (fixest's convention), so the uncentred one is rebuilt from the RSS there.
    const y = d.columns[0] as Float64Array;
    const r2 = intercept ? m.r2 : 1 - m.rss / y.reduce((s, v) => s + v * v, 0);
    const lr2 = lre(r2, d.r2);
    rows.push(`${name} ${lc.toFixed(1)}/${ls.toFixed(1)}/${lsd.toFixed(1)}/${lr2.toFixed(1)}`);
    if (lc < MIN_LRE) failures.push(`${name} coefficients: min LRE ${lc.toFixed(2)}`);
    if (ls < MIN_LRE) failures.push(`${name} standard errors: min LRE ${ls.toFixed(2)}`);
    if (lsd < MIN_LRE) failures.push(`${name} residual SD: LRE ${lsd.toFixed(2)}`);
    if (lr2 < MIN_LRE) failures.push(`${name} R²: LRE ${lr2.toFixed(2)}`);
  }
  console.log(`NIST StRD min LRE (coef/se/sd/R²): ${rows.join("; ")}`);
  assert.equal(failures, [], failures.join("; "));
});

test.run();
