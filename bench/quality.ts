/**
 * Bench: the KSW / Shi–Shao quality pipeline (lib/measures/quality.ts) on N synthetic customs
 * rows (default 10 million), generated directly in DuckDB SQL, down to city × HS4 × year.
 * Target: ≤ 120 s on the 2-core reference machine. Prints one JSON line with the seconds.
 *
 *   node -r tsx/cjs bench/quality.ts [--rows 10000000] [--method iv|known-sigma]
 */
import { exec } from "../lib/data/duckdb";
import { productQuality } from "../lib/measures/quality";

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : dflt;
}

async function main(): Promise<void> {
  const rows = Number(arg("rows", "10000000"));
  const method = arg("method", "iv") as "iv" | "known-sigma";
  const t0 = performance.now();
  // groups of 5 destinations per firm × HS6 × year; hash-based pseudo-random draws (deterministic)
  const u = (k: number, e: string) => `((hash(${e}, ${k}) % 1000003) / 1000003.0)`;
  const nrm = (k: number, e: string) => `(${u(k, e)} + ${u(k + 1, e)} + ${u(k + 2, e)} - 1.5) * 2`;
  await exec(`CREATE OR REPLACE TABLE bench_customs AS
    WITH g AS (SELECT i, i // 5 AS grp FROM range(${rows}) t(i)),
    h AS (SELECT i, grp, grp % 200000 AS firm_id, hash(grp, 7) % 1000 AS prod, 2005 + (grp // 200000) % 11 AS year,
      (i % 5) + 5 * (hash(grp, 9) % 8) AS d FROM g),
    v AS (SELECT *, 0.5 * ${nrm(10, "grp")} AS rho, 0.3 * ${nrm(20, "grp")} AS c, 0.4 * ${nrm(30, "i")} AS uu, 0.1 * ${nrm(40, "i")} AS e0,
      2.5 + (prod // 100) * 0.5 AS sigma FROM h)
    SELECT CAST(firm_id AS INTEGER) AS firm_id, CAST(100000 + (firm_id % 280) * 100 AS INTEGER) AS city_code,
      CAST(840000 + prod * 10 AS VARCHAR) AS hs6, 'D' || CAST(d AS VARCHAR) AS dest, CAST(year AS INTEGER) AS year,
      exp(c + uu) * exp(5 - sigma * (c + uu) + (sigma - 1) * rho + 0.8 * uu + e0) AS value_usd,
      exp(5 - sigma * (c + uu) + (sigma - 1) * rho + 0.8 * uu + e0) AS quantity,
      CAST(CASE WHEN firm_id % 50 = 0 THEN 1 ELSE 0 END AS INTEGER) AS is_intermediary
    FROM v`);
  const tGen = performance.now();
  const q = await productQuality({
    customs: { sql: "SELECT * FROM bench_customs" },
    sigma: { sql: "SELECT CAST(840 + k AS VARCHAR) AS hs3, 2.5 + k * 0.5 AS sigma FROM range(10) t(k)" },
    method,
    skipDiagnostics: true,
  });
  const tEnd = performance.now();
  await exec("DROP TABLE bench_customs");
  console.log(
    JSON.stringify({
      bench: "quality",
      rows,
      method,
      generateSeconds: +((tGen - t0) / 1000).toFixed(2),
      seconds: +((tEnd - tGen) / 1000).toFixed(2),
      targetSeconds: 120,
      estimation: q.counts.estimation,
      cityHs4Year: q.cityHs4Year.nrows,
      sigmaHat: q.sigmaHat?.estimate ?? null,
    }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
