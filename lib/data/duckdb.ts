import type { DuckDBConnection, DuckDBType, DuckDBValue } from "@duckdb/node-api";
/**
 * The DuckDB bindings, loaded on first use: the native module takes 0.1–0.2 s to load, which a
 * command that never queries (e.g. `vagg estimate` on a plain numeric CSV) should not pay.
 */
function api(): typeof import("@duckdb/node-api") {
  return require("@duckdb/node-api") as typeof import("@duckdb/node-api");
}
/** The C-API bindings under `@duckdb/node-api` (same version), for bulk copies into data chunks. */
function bindings(): typeof import("@duckdb/node-bindings") {
  return require("@duckdb/node-bindings") as typeof import("@duckdb/node-bindings");
}
import { table, type Column, type Table, NA_INT } from "./table";
import { DataError } from "../util/errors";

/**
 * The embedded DuckDB engine (no server): one in-memory database per process, shared by
 * every reader and SQL query. DuckDB does the heavy lifting on large files (CSV/Parquet
 * parsing, joins, group-bys on tens of millions of rows); results come back as column
 * tables of typed arrays.
 *
 * @example
 *   const t = await sql("SELECT city, avg(gdp) AS gdp FROM read_parquet('x.parquet') GROUP BY city");
 */
let connection: Promise<DuckDBConnection> | null = null;

/**
 * DuckDB's worker threads: 1 unless `VAGG_DUCKDB_THREADS` says otherwise. With more than one
 * thread, DuckDB adds floating-point partial sums in the order its threads finish, so `sum`/`avg`
 * of doubles — and every estimate built on them (export quality, the panels) — can differ in the
 * last bits from run to run. One thread makes every result a pure function of the input; set
 * `VAGG_DUCKDB_THREADS=2` (or more) to trade that for speed on very large customs files.
 */
export function duckdbThreads(): number {
  const v = process.env["VAGG_DUCKDB_THREADS"];
  if (v === undefined || v === "") return 1;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`vagg argument error: VAGG_DUCKDB_THREADS must be a positive integer, got "${v}"`);
  return n;
}

/**
 * The process's one in-memory DuckDB connection, created on first use with `duckdbThreads()` threads (one by default, for deterministic results).
 *
 * @example
 *   const con = await duckdb();
 */
export function duckdb(): Promise<DuckDBConnection> {
  if (!connection) {
    connection = (async () => {
      const inst = await api().DuckDBInstance.create(":memory:", { threads: String(duckdbThreads()) });
      return inst.connect();
    })();
  }
  return connection;
}

/** How a result column is brought back to JavaScript. */
export type ResultKind = "f64" | "i32" | "str";

function kindOf(t: DuckDBType): ResultKind {
  const DuckDBTypeId = api().DuckDBTypeId;
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return "f64";
    default:
      return "str";
  }
}

function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/**
 * Run a SQL query and return the result as a column table. Numeric columns become
 * Float64Array (NULL → NaN), unless `intColumns` names them (Int32Array, NULL → NA_INT);
 * everything else comes back as strings (NULL → null). Numeric conversion happens inside
 * DuckDB (one CAST per column), and the doubles are copied out chunk by chunk as raw
 * memory, so a 5-million-row table costs one pass.
 */
export function sql(query: string, opts: { intColumns?: readonly string[]; source?: string } = {}): Promise<Table> {
  return serialized(() => sqlNow(query, opts));
}

/**
 * The names and DuckDB types of a query's result columns (`DESCRIBE`), without running it;
 * queued like `sql`.
 *
 * @example
 *   await describeQuery("SELECT * FROM read_parquet('customs.parquet')"); // [{ name: "firm_id", type: "BIGINT" }, …]
 */
export function describeQuery(query: string): Promise<{ name: string; type: string }[]> {
  return serialized(async () => {
    const rows = await (await (await duckdb()).run(`DESCRIBE ${query}`)).getRowObjects();
    return rows.map((r) => ({ name: String(r["column_name"]), type: String(r["column_type"]).toUpperCase() }));
  });
}

/**
 * One statement at a time on the shared connection: a DuckDB connection cannot interleave two
 * streaming results (a second query invalidates the first one's chunks), so concurrent callers
 * (`Promise.all([readTable(a), readTable(b)])`) are queued.
 */
let queue: Promise<unknown> = Promise.resolve();
function serialized<T>(f: () => Promise<T>): Promise<T> {
  const run = queue.then(f, f);
  queue = run.catch(() => undefined);
  return run;
}

async function sqlNow(query: string, opts: { intColumns?: readonly string[]; source?: string }): Promise<Table> {
  const con = await duckdb();
  const ints = new Set(opts.intColumns ?? []);
  // 1. the result's column names and types (for a file scan: DuckDB's sniffer, no full pass);
  // 2. one materialised query (DuckDB parses in parallel) that casts every numeric column to
  //    DOUBLE (INTEGER for `intColumns`) inside DuckDB, so that the values are copied out of
  //    its vectors as raw typed memory — no per-value conversion in JavaScript.
  const desc = await (await con.run(`DESCRIBE ${query}`)).getRowObjects();
  const names = desc.map((r) => String(r["column_name"]));
  const typeNames = desc.map((r) => String(r["column_type"]).toUpperCase());
  const kinds: ResultKind[] = typeNames.map((t, j) => (ints.has(names[j] as string) ? "i32" : numericTypeName(t) ? "f64" : "str"));
  const exprs = names.map((n, j) => {
    const q = quoteIdent(n);
    if (kinds[j] === "f64") return typeNames[j] === "DOUBLE" ? q : `CAST(${q} AS DOUBLE) AS ${q}`;
    if (kinds[j] === "i32") return `CAST(${q} AS INTEGER) AS ${q}`;
    return typeNames[j] === "VARCHAR" ? q : `CAST(${q} AS VARCHAR) AS ${q}`;
  });
  const result = await con.run(`SELECT ${exprs.join(", ")} FROM (${query})`);
  // The row count is known: allocate every output column once and copy chunk by chunk
  // (no intermediate pieces, so peak memory is DuckDB's result plus one copy).
  const nrows = result.rowCount;
  const out: Column[] = kinds.map((k) => (k === "f64" ? new Float64Array(nrows) : k === "i32" ? new Int32Array(nrows) : new Array<string | null>(nrows)));
  let offset = 0;
  const nChunks = result.chunkCount;
  for (let c = 0; c < nChunks; c++) {
    const chunk = result.getChunk(c);
    const m = chunk.rowCount;
    if (m === 0) continue;
    for (let j = 0; j < kinds.length; j++) {
      const vec = chunk.getColumnVector(j) as unknown as VectorInternals;
      copyVectorInto(vec, kinds[j] as ResultKind, m, out[j] as Column, offset);
    }
    offset += m;
  }
  if (offset !== nrows) throw new DataError(`DuckDB returned ${offset} rows, expected ${nrows}`, { file: opts.source });
  const cols: Record<string, Column> = {};
  names.forEach((n, j) => (cols[n] = out[j] as Column));
  return table(cols, opts.source);
}

function numericTypeName(t: string): boolean {
  return /^(DOUBLE|FLOAT|REAL|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT|BOOLEAN|DECIMAL.*)$/.test(t);
}

/** The parts of a DuckDB vector we read: raw items and the validity bitmask (NULLs). */
interface VectorInternals {
  items?: Float64Array | Float32Array | Int32Array | BigInt64Array | Int16Array | Int8Array | Uint8Array | Uint16Array | Uint32Array;
  validity?: { data?: BigUint64Array | null; offset?: number };
  getItem(i: number): DuckDBValue;
}

function copyVectorInto(vec: VectorInternals, kind: ResultKind, m: number, dest: Column, offset: number): void {
  if (kind === "str") {
    const d = dest as (string | null)[];
    for (let i = 0; i < m; i++) {
      const v = vec.getItem(i);
      d[offset + i] = v === null ? null : String(v);
    }
    return;
  }
  const items = vec.items;
  const out = dest as Float64Array | Int32Array;
  if (items && items.length >= m && (items instanceof Float64Array ? out instanceof Float64Array : items instanceof Int32Array && out instanceof Int32Array)) {
    out.set(items.subarray(0, m) as never, offset);
  } else {
    out.set(copyVector(vec, kind, m) as Float64Array | Int32Array, offset);
    return;
  }
  const valid = vec.validity?.data ?? null;
  if (valid) {
    const off = vec.validity?.offset ?? 0;
    const words = new Uint32Array(valid.buffer, valid.byteOffset, valid.length * 2);
    const na = kind === "f64" ? NaN : NA_INT;
    for (let i = 0; i < m; i++) {
      const bit = off + i;
      if (((words[bit >>> 5] as number) & (1 << (bit & 31))) === 0) out[offset + i] = na;
    }
  }
}

function copyVector(vec: VectorInternals, kind: ResultKind, m: number): Column {
  if (kind === "str") {
    const d: (string | null)[] = new Array(m);
    for (let i = 0; i < m; i++) {
      const v = vec.getItem(i);
      d[i] = v === null ? null : String(v);
    }
    return d;
  }
  const items = vec.items;
  const valid = vec.validity?.data ?? null;
  const off = vec.validity?.offset ?? 0;
  const out = kind === "f64" ? new Float64Array(m) : new Int32Array(m);
  if (items && items.length >= m && !(items instanceof BigInt64Array)) {
    if (items instanceof Float64Array && out instanceof Float64Array) out.set(items.subarray(0, m));
    else for (let i = 0; i < m; i++) out[i] = Number(items[i]);
  } else if (items instanceof BigInt64Array && items.length >= m) {
    for (let i = 0; i < m; i++) out[i] = Number(items[i]);
  } else {
    for (let i = 0; i < m; i++) { const v = vec.getItem(i); out[i] = v === null ? NaN : Number(v); }
    if (kind === "i32") for (let i = 0; i < m; i++) if (Number.isNaN(out[i] as number)) out[i] = NA_INT;
    return out;
  }
  if (valid) {
    // NULLs: a cleared bit in the validity mask (read as 32-bit words to avoid BigInt work)
    const words = new Uint32Array(valid.buffer, valid.byteOffset, valid.length * 2);
    const na = kind === "f64" ? NaN : NA_INT;
    for (let i = 0; i < m; i++) {
      const bit = off + i;
      if (((words[bit >>> 5] as number) & (1 << (bit & 31))) === 0) out[i] = na;
    }
  }
  return out;
}


/** Run a statement that returns nothing (CREATE, COPY, ...). */
export function exec(statement: string): Promise<void> {
  return serialized(async () => {
    const con = await duckdb();
    await con.run(statement);
  });
}

/**
 * Register a column table as a DuckDB table (replacing one of the same name), so that SQL
 * can join and aggregate it. Float64 → DOUBLE (NaN → NULL), Int32 → INTEGER (NA_INT → NULL),
 * strings → VARCHAR.
 */
export function registerTable(name: string, t: Table): Promise<void> {
  return serialized(async () => {
    await registerNow(name, t);
  });
}

/** String columns with at most this many distinct values are appended as integer codes (see `registerNow`). */
const DICT_MAX = 20_000;

/**
 * The dictionary encoding of a string column (codes 0 … d − 1 in order of first appearance,
 * NA_INT for null), or null when it is short, not all strings, or has more than `DICT_MAX`
 * distinct values.
 */
function dictionaryOf(c: readonly unknown[]): { codes: Int32Array; dict: string[] } | null {
  if (c.length < 50_000) return null;
  const d = new Map<string, number>();
  const codes = new Int32Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const v = c[i];
    if (v === null || v === undefined) {
      codes[i] = NA_INT;
      continue;
    }
    if (typeof v !== "string") return null;
    let k = d.get(v);
    if (k === undefined) {
      if (d.size >= DICT_MAX) return null;
      d.set(v, (k = d.size));
    }
    codes[i] = k;
  }
  return { codes, dict: [...d.keys()] };
}

/**
 * Append a column table to a new DuckDB table. String columns of many rows and few distinct
 * values (HS codes, destinations, trade modes) go in as INTEGER codes and are decoded in SQL
 * with `list_extract` on the dictionary: appending millions of VARCHAR values one by one through
 * the node API costs several times more (4 M rows × 3 such columns: 2.9 s → 1.3 s). The table
 * is the same — VARCHAR columns, same values, same row order (DuckDB preserves insertion order
 * in CREATE TABLE AS) — as the tests check. As a `view`, the decoding SELECT is a temporary view
 * over the coded table instead of a second, materialised copy (for a relation read once, e.g. by
 * `COPY … TO`); returns the statement that drops what was created.
 */
async function registerNow(name: string, t: Table, as: "table" | "view" = "table"): Promise<string> {
  const dicts = t.names.map((n) => {
    const c = t.columns[n] as Column;
    return c instanceof Float64Array || c instanceof Int32Array ? null : dictionaryOf(c as readonly unknown[]);
  });
  if (!dicts.some((d) => d !== null)) {
    await appendPlain(name, t);
    return `DROP TABLE IF EXISTS ${quoteIdent(name)}`;
  }
  const con = await duckdb();
  const tmp = `${name}__codes`;
  const coded: Record<string, Column> = {};
  t.names.forEach((n, j) => (coded[n] = dicts[j]?.codes ?? (t.columns[n] as Column)));
  await appendPlain(tmp, { nrows: t.nrows, names: t.names, columns: coded });
  const sel = t.names
    .map((n, j) => {
      const d = dicts[j];
      return d ? `list_extract([${d.dict.map(sqlString).join(", ")}]::VARCHAR[], ${quoteIdent(n)} + 1) AS ${quoteIdent(n)}` : quoteIdent(n);
    })
    .join(", ");
  if (as === "view") {
    try {
      await con.run(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(name)} AS SELECT ${sel} FROM ${quoteIdent(tmp)}`);
    } catch (e) {
      await con.run(`DROP TABLE IF EXISTS ${quoteIdent(tmp)}`);
      throw e;
    }
    return `DROP VIEW IF EXISTS ${quoteIdent(name)}; DROP TABLE IF EXISTS ${quoteIdent(tmp)}`;
  }
  try {
    await con.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} AS SELECT ${sel} FROM ${quoteIdent(tmp)}`);
  } finally {
    await con.run(`DROP TABLE IF EXISTS ${quoteIdent(tmp)}`);
  }
  return `DROP TABLE IF EXISTS ${quoteIdent(name)}`;
}

let tempSeq = 0;

/**
 * A column table as a DuckDB relation for the duration of `use` (its argument is the relation's
 * quoted name), dropped afterwards. Unlike `registerTable`, dictionary-coded string columns are
 * decoded by a view rather than copied into a second table, so a relation that is read once (a
 * `COPY … TO`, one aggregate) costs one append.
 *
 * @example
 *   await withTempRelation(t, (rel) => exec(`COPY (SELECT * FROM ${rel}) TO 'out.parquet' (FORMAT PARQUET)`));
 */
export async function withTempRelation<T>(t: Table, use: (rel: string) => Promise<T>): Promise<T> {
  const name = `__vagg_rel_${process.pid}_${++tempSeq}`;
  const drop = await serialized(() => registerNow(name, t, "view"));
  try {
    return await use(quoteIdent(name));
  } finally {
    await exec(drop);
  }
}

async function appendPlain(name: string, t: Table): Promise<void> {
  const con = await duckdb();
  const types: DuckDBType[] = t.names.map((n) => {
    const c = t.columns[n] as Column;
    return c instanceof Float64Array ? api().DuckDBDoubleType.instance : c instanceof Int32Array ? api().DuckDBIntegerType.instance : api().DuckDBVarCharType.instance;
  });
  const ddl = t.names.map((n, j) => `${quoteIdent(n)} ${(types[j] as DuckDBType).toString()}`).join(", ");
  await con.run(`CREATE OR REPLACE TABLE ${quoteIdent(name)} (${ddl})`);
  const app = await con.createAppender(name);
  const CH = 2048;
  const mask = new Uint8Array(CH / 8);
  for (let start = 0; start < t.nrows; start += CH) {
    const m = Math.min(CH, t.nrows - start);
    const chunk = api().DuckDBDataChunk.create(types, m);
    t.names.forEach((n, j) => {
      const c = t.columns[n] as Column;
      if (c instanceof Float64Array || c instanceof Int32Array) copyTypedIntoChunk(chunk.chunk, j, c, start, m, mask);
      else {
        const vals: DuckDBValue[] = new Array(m);
        for (let i = 0; i < m; i++) vals[i] = c[start + i] ?? null;
        chunk.setColumnValues(j, vals);
      }
    });
    app.appendDataChunk(chunk);
  }
  app.flushSync();
  app.closeSync();
}

/**
 * Column j of a fresh data chunk from rows [start, start + m) of a typed column: one memory copy
 * of the values (DOUBLE and INTEGER vectors hold the same bytes as Float64Array and Int32Array),
 * then a validity mask only when the slice has missing values (NaN → NULL for doubles, NA_INT →
 * NULL for integers), as the value-by-value `setColumnValues` did (tested in tests/data/duckdb).
 */
function copyTypedIntoChunk(
  chunk: import("@duckdb/node-bindings").DataChunk,
  j: number,
  c: Float64Array | Int32Array,
  start: number,
  m: number,
  mask: Uint8Array,
): void {
  const b = bindings();
  const vec = b.data_chunk_get_vector(chunk, j);
  // the binding copies from an ArrayBuffer only: a column on a SharedArrayBuffer goes through a copy of the slice
  const src = c.buffer instanceof ArrayBuffer ? c : c.slice(start, start + m);
  const from = src === c ? c.byteOffset + start * c.BYTES_PER_ELEMENT : src.byteOffset;
  b.copy_data_to_vector(vec, 0, src.buffer as ArrayBuffer, from, m * c.BYTES_PER_ELEMENT);
  let missing = false;
  if (c instanceof Float64Array) {
    for (let i = 0; i < m; i++) if (Number.isNaN(c[start + i] as number)) { missing = true; break; }
  } else for (let i = 0; i < m; i++) if (c[start + i] === NA_INT) { missing = true; break; }
  if (!missing) return;
  // validity: bit i of 64-bit word i >> 6, little-endian, so byte i >> 3, bit i & 7; 1 = valid
  const bytes = Math.ceil(m / 64) * 8;
  mask.fill(0xff, 0, bytes);
  for (let i = 0; i < m; i++) {
    const v = c[start + i] as number;
    if (c instanceof Float64Array ? Number.isNaN(v) : v === NA_INT) mask[i >> 3] = (mask[i >> 3] as number) & ~(1 << (i & 7));
  }
  b.vector_ensure_validity_writable(vec);
  b.copy_data_to_vector_validity(vec, 0, mask.buffer as ArrayBuffer, mask.byteOffset, bytes);
}

/** A SQL string literal. */
export function sqlString(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}
export { quoteIdent };
