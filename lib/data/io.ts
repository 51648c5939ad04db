import * as fs from "node:fs";
import * as path from "node:path";
import { sql, exec, registerTable, sqlString, quoteIdent } from "./duckdb";
import { table, type Column, type Table } from "./table";
import { type Schema, validateTable } from "./schema";
import { DataError } from "../util/errors";

/**
 * Read and write column tables: CSV and Parquet through embedded DuckDB.
 *
 * @example
 *   const t = await readTable("data/raw/public/cities/cities.csv", { schema: CITIES });
 *   await writeTable(t, "data/derived/cities.parquet");
 */
export interface ReadOptions {
  /** Validate and coerce the columns against a schema (one-line errors naming file/column/row). */
  readonly schema?: Schema;
  /** Read only these columns. */
  readonly columns?: readonly string[];
  /** Columns to bring back as Int32Array (ids, years). */
  readonly intColumns?: readonly string[];
  /** A SQL WHERE clause applied while reading. */
  readonly where?: string;
}

export type FileFormat = "csv" | "parquet" | "dta";

export function fileFormat(file: string): FileFormat {
  const f = file.toLowerCase();
  if (f.endsWith(".parquet") || f.endsWith(".pq")) return "parquet";
  if (f.endsWith(".dta")) return "dta";
  if (f.endsWith(".csv") || f.endsWith(".csv.gz") || f.endsWith(".tsv") || f.endsWith(".txt")) return "csv";
  throw new DataError(`unknown file type (expected .csv, .csv.gz, .tsv, .parquet or .dta)`, { file });
}

/** DuckDB table function that scans a file. */
export function scanExpression(file: string): string {
  const f = sqlString(path.resolve(file));
  return fileFormat(file) === "parquet" ? `read_parquet(${f})` : `read_csv(${f}, header = true, sample_size = 20480)`;
}

export async function readTable(file: string, opts: ReadOptions = {}): Promise<Table> {
  if (!fs.existsSync(file)) throw new DataError(`file not found`, { file });
  const st = fs.statSync(file);
  if (st.isDirectory()) throw new DataError(`is a directory, not a file`, { file });
  const fmt = fileFormat(file);
  if (fmt === "dta") {
    // Stata files are parsed in JavaScript (lib/data/dta); DuckDB cannot read them.
    const { readDta } = require("./dta") as { readDta: (p: string) => { table: Table } };
    const t = readDta(file).table;
    return opts.schema ? validateTable({ ...t, source: file }, opts.schema, file) : t;
  }
  if (st.size === 0) throw new DataError(`file is empty`, { file });
  const cols = opts.columns ? opts.columns.map(quoteIdent).join(", ") : "*";
  const where = opts.where ? ` WHERE ${opts.where}` : "";
  let t: Table;
  // plain numeric CSV: parsed in JavaScript (lib/data/csv-fast.ts), same values as DuckDB;
  // anything else (or VAGG_CSV_FAST=0) goes through DuckDB
  if (fmt === "csv" && !opts.where && !(opts.intColumns && opts.intColumns.length) && process.env["VAGG_CSV_FAST"] !== "0") {
    const { readNumericCsv } = require("./csv-fast") as typeof import("./csv-fast");
    const fast = await readNumericCsv(file);
    if (fast) {
      if (opts.columns) {
        const missing = opts.columns.find((c) => !(c in fast.columns));
        if (missing !== undefined) throw new DataError(`missing`, { file, column: missing });
        t = table(Object.fromEntries(opts.columns.map((c) => [c, fast.columns[c] as Column])), file);
      } else t = fast;
      return opts.schema ? validateTable(t, opts.schema, file) : t;
    }
  }
  try {
    t = await sql(`SELECT ${cols} FROM ${scanExpression(file)}${where}`, { intColumns: opts.intColumns, source: file });
  } catch (e) {
    if (e instanceof DataError) throw e;
    const msg = String((e as Error).message ?? e).split("\n")[0] ?? "";
    if (/No files found|does not exist/.test(msg)) throw new DataError(`file not found`, { file });
    if (opts.columns && /not found|Referenced column/.test(msg)) {
      const m = /column "?([^"\s]+)"? not found|Referenced column "?([^"\s]+)"?/i.exec(msg);
      throw new DataError(`missing`, { file, column: m?.[1] ?? m?.[2] ?? opts.columns.join(",") });
    }
    throw new DataError(`cannot be read: ${msg}`, { file });
  }
  return opts.schema ? validateTable(t, opts.schema, file) : t;
}

/** Write a table to CSV or Parquet (by extension), creating the directory. */
export async function writeTable(t: Table, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const fmt = fileFormat(file);
  if (fmt === "dta") {
    const { writeDta } = require("./dta") as { writeDta: (p: string, t: Table) => void };
    writeDta(file, t);
    return;
  }
  const name = `__vagg_write_${process.pid}_${Date.now()}`;
  await registerTable(name, t);
  const target = sqlString(path.resolve(file));
  const how = fmt === "parquet" ? "(FORMAT PARQUET, COMPRESSION ZSTD)" : "(FORMAT CSV, HEADER TRUE)";
  try {
    await exec(`COPY (SELECT * FROM ${quoteIdent(name)}) TO ${target} ${how}`);
  } finally {
    await exec(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
  }
}
