/**
 * Benchmark: read a 5,000,000-row CSV of 14 numeric columns into the column table.
 * Target (issue 2): under 5 s on the 2-core machine. Run: npx tsx bench/read-csv.ts [rows]
 */
import * as fs from "node:fs";
import { exec } from "../lib/data/duckdb";
import { readTable } from "../lib/data/io";

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 5_000_000);
  const file = `/tmp/vagg-bench-${rows}.csv`;
  if (!fs.existsSync(file)) {
    const cols = Array.from({ length: 14 }, (_, j) =>
      j < 3 ? `(hash(i * ${j + 7}) % 1000)::INTEGER AS c${j}` : `round(sin(i * ${j + 1}.37) * 1000, 6) AS c${j}`,
    );
    await exec(`COPY (SELECT ${cols.join(", ")} FROM range(${rows}) t(i)) TO '${file}' (FORMAT CSV, HEADER TRUE)`);
  }
  const mb = fs.statSync(file).size / 1e6;
  const t0 = performance.now();
  const t = await readTable(file);
  const s = (performance.now() - t0) / 1000;
  console.log(
    JSON.stringify({
      rows: t.nrows,
      columns: t.names.length,
      csv_mb: Math.round(mb),
      seconds: +s.toFixed(2),
      rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    }),
  );
}
main();
