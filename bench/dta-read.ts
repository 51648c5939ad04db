/**
 * Read speed of `readDta`: writes a 5,000,000-row, 14-column all-double .dta (format 118, ~560 MB)
 * with `writeDta` into the OS temp dir, then times `readDta` on it (best and mean of 3 runs).
 * Target: ≤ 5 s on the project's 2-core machine.  Run: `npx tsx bench/dta-read.ts [rows]`
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { table } from "../lib/data/table";
import { readDta, writeDta } from "../lib/data/dta";
import { Rng } from "../lib/util/rng";

const ROWS = Number(process.argv[2] ?? 5_000_000);
const COLS = 14;
const file = path.join(os.tmpdir(), `vagg-dta-bench-${ROWS}x${COLS}.dta`);

const cols: Record<string, Float64Array> = {};
const gen = new Rng(20240501);
for (let j = 0; j < COLS; j++) {
  const c = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) c[i] = i % 97 === j ? NaN : gen.uniform() * 1000 - 500;
  cols[`x${j + 1}`] = c;
}
let t0 = performance.now();
writeDta(file, table(cols), { compress: false, timestamp: new Date(2024, 0, 1) });
const writeS = (performance.now() - t0) / 1000;
const size = fs.statSync(file).size;
console.log(`wrote ${file}: ${(size / 1e6).toFixed(0)} MB in ${writeS.toFixed(2)} s`);

const times: number[] = [];
for (let run = 0; run < 3; run++) {
  t0 = performance.now();
  const { table: t, meta } = readDta(file);
  times.push((performance.now() - t0) / 1000);
  // Check the result so the read cannot be optimised away or silently wrong.
  const x1 = t.columns.x1 as Float64Array;
  if (t.nrows !== ROWS || meta.nvar !== COLS || x1[5] !== (cols.x1 as Float64Array)[5]) throw new Error("bench read mismatch");
  if (meta.missing.x1 !== Math.ceil((ROWS - 1) / 97)) throw new Error(`bench NA count mismatch: ${meta.missing.x1}`);
}
const best = Math.min(...times);
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(
  `readDta ${ROWS} rows x ${COLS} doubles: best ${best.toFixed(2)} s, mean ${mean.toFixed(2)} s (runs: ${times.map((x) => x.toFixed(2)).join(", ")})`,
);
fs.unlinkSync(file);
