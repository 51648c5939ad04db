/**
 * Benchmark (issue 17, "parser"): time `readNumericCsv` on the paper-shaped design (616,591 rows;
 * y, x1..x10, z1 doubles; city 1..280, hs4 1..1200, year 2000..2010) written at different
 * precisions, to see what 16–17 significant digits and exponents cost compared with 6 decimals:
 *
 *   fixed6     v.toFixed(6)                     (the old design file: ≤ 8 digits, Clinger's fast path)
 *   shortest   String(v)                        (shortest round trip, 15–17 digits: R fwrite, pandas repr)
 *   prec15     v.toPrecision(15)                (R write.csv)
 *   prec17     v.toPrecision(17)                (%.17g: Stata, pandas float_format)
 *   exp15      String(v), but x6..x10 and z1 as v.toExponential(15) (16 digits, "e-1", "e+0")
 *
 * Each file is timed REPS times (after one warm-up) in two ways: `readNumericCsv` (read + parse,
 * two threads above 16 MB) and `parseNumericCsv` on the bytes already in memory (one thread, no
 * worker: less disturbed by other load on the machine). Printed: medians and all runs, in ms,
 * and the number of tokens that still went to `Number()` (stats.fallbacks, where the parser
 * reports it), and the share of tokens the parser before issue 17 sent to its slow path (regular
 * expression + Number()): more than 15 digits counting leading zeros, or an exponent.
 *
 *   npx tsx bench/read-csv-precision.ts [REPS=7] [ROWS=616591] [FORMATS=fixed6,shortest,prec15,prec17,exp15]
 */
import * as fs from "node:fs";
import { parseNumericCsv, readNumericCsv } from "../lib/data/csv-fast";
import { rng } from "../lib/util/rng";

type Format = "fixed6" | "shortest" | "prec15" | "prec17" | "exp15";

/** Write the design: 12 normal-ish doubles of mixed scale and 3 integer ids per row (seeded). */
export function writePrecisionDesign(out: string, rows: number, format: Format, seed = 17): void {
  const r = rng(seed).fork("bench-read-csv-precision");
  const fmt = (v: number, j: number): string => {
    if (format === "fixed6") return v.toFixed(6);
    if (format === "prec15") return v.toPrecision(15);
    if (format === "prec17") return v.toPrecision(17);
    if (format === "exp15" && j >= 6) return v.toExponential(15);
    return String(v);
  };
  const fd = fs.openSync(out, "w");
  fs.writeSync(fd, "y,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,z1,city,hs4,year\n");
  let lines: string[] = [];
  const v = new Float64Array(12);
  for (let i = 0; i < rows; i++) {
    const city = 1 + r.int(280),
      hs4 = 1 + r.int(1200),
      year = 2000 + r.int(11);
    for (let j = 1; j < 12; j++) v[j] = r.normal() * (j === 11 ? 1 : 2) + 0.01 * city;
    // y: a sum of the regressors plus noise, so its values are of a larger scale (|y| up to ~40)
    let y = r.normal() * 3;
    for (let j = 1; j < 11; j++) y += (v[j] as number) * (0.1 * j);
    v[0] = y;
    lines.push(`${Array.from(v, fmt).join(",")},${city},${hs4},${year}`);
    if (lines.length === 50_000) {
      fs.writeSync(fd, lines.join("\n") + "\n");
      lines = [];
    }
  }
  if (lines.length) fs.writeSync(fd, lines.join("\n") + "\n");
  fs.closeSync(fd);
}

/** Share of tokens the parser before issue 17 sent to its slow path: > 15 digits (leading zeros counted), an exponent or "+", > 22 decimals. */
function slowBefore(text: string): number {
  let out = 0,
    all = 0;
  for (const tok of text.split(/[,\n]/)) {
    if (tok === "") continue;
    all++;
    const m = /^-?(\d*)\.?(\d*)$/.exec(tok);
    if (!m || m[1]!.length + m[2]!.length > 15 || m[2]!.length > 22) out++;
  }
  return out / all;
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const reps = Number(process.argv[2] ?? 7);
  const rows = Number(process.argv[3] ?? 616_591);
  const formats = (process.argv[4] ?? "fixed6,shortest,prec15,prec17,exp15").split(",") as Format[];
  for (const format of formats) {
    const file = `/tmp/vagg-bench-precision-${format}-${rows}.csv`;
    if (!fs.existsSync(file)) writePrecisionDesign(file, rows, format);
    const bytes = fs.readFileSync(file);
    const read: number[] = [],
      parse: number[] = [];
    const stats = { fallbacks: NaN };
    for (let k = 0; k <= reps; k++) {
      let t0 = performance.now();
      const t = await readNumericCsv(file);
      const tr = performance.now() - t0;
      if (!t || t.nrows !== rows) throw new Error(`${file}: fast parser declined`);
      t0 = performance.now();
      await parseNumericCsv(bytes, file, { stats });
      const tp = performance.now() - t0;
      if (k > 0) (read.push(tr), parse.push(tp));
    }
    const tokens = rows * 15;
    const r1 = (a: number[]) => a.map((x) => Math.round(x));
    console.log(
      JSON.stringify({
        format,
        mb: +(bytes.length / 1e6).toFixed(1),
        read_ms_median: Math.round(median(read)),
        parse1_ms_median: Math.round(median(parse)),
        read_ms: r1(read),
        parse1_ms: r1(parse),
        slow_path_before: +slowBefore(bytes.toString("latin1")).toFixed(4),
        fallbacks: Number.isNaN(stats.fallbacks) ? "n/a" : `${stats.fallbacks} of ${tokens}`,
      }),
    );
  }
}
if (require.main === module) void main();
