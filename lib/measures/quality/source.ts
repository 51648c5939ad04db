import * as fs from "node:fs";
import * as path from "node:path";
import { sql, registerTable, sqlString, quoteIdent } from "../../data/duckdb";
import { scanExpression } from "../../data/io";
import { table, column, numeric, type Table } from "../../data/table";
import { ArgumentError, DataError } from "../../util/errors";
import { mapI32From } from "../../util/typed-map";

/**
 * The SQL side of `productQuality` (lib/measures/quality.ts): where the customs rows come
 * from, the product dictionary (HS6 → HS4, HS3, σ_h, rule 3), and the one query per partition
 * (the whole source, or one year) that brings the rows into JavaScript as typed columns —
 * HS6 and destination as integer codes (DuckDB `ENUM` codes over the sorted distinct values),
 * no strings, no joins, no sorts. Everything after that (rules 4–5, the leave-one-out price,
 * the estimation, (20)–(21)) happens on typed arrays.
 */

/** A data source: a file (CSV/Parquet), a folder of Parquet files partitioned by year (hive layout `year=2000/…`), a column table, or a SQL relation (`{ sql: "SELECT …" }`). */
export type QualitySource = string | Table | { readonly sql: string };

/** A relation ready for FROM, and whether it is a year-partitioned Parquet folder. */
export interface Relation {
  readonly rel: string;
  /** A DuckDB table registered from a JS table (dropped by the caller). */
  readonly registered: string | null;
  readonly partitioned: boolean;
}

/**
 * The FROM expression of a source. A folder is read as `read_parquet('<dir>/**\/*.parquet',
 * hive_partitioning = true)` (year=… subfolders give partition pruning for `WHERE year = t`);
 * CSV files are read with `textColumns` as VARCHAR (HS codes keep their leading zeros).
 *
 * @example
 *   await relation("data/customs", "ksw1_src", ["hs6", "dest"]); // { rel: "read_parquet('…/**\/*.parquet', hive_partitioning = true)", partitioned: true }
 */
export async function relation(src: QualitySource, name: string, textColumns: readonly string[] = []): Promise<Relation> {
  if (typeof src === "string") {
    let st: fs.Stats;
    try {
      st = fs.statSync(src);
    } catch {
      throw new DataError(`file not found`, { file: src });
    }
    if (st.isDirectory()) {
      const sub = fs.readdirSync(src);
      const partitioned = sub.some((s) => /^year=/i.test(s));
      return {
        rel: `read_parquet(${sqlString(path.join(path.resolve(src), "**", "*.parquet"))}, hive_partitioning = true)`,
        registered: null,
        partitioned,
      };
    }
    const textCols = /\.parquet$/i.test(src) ? [] : await presentColumns(src, textColumns);
    return { rel: scanExpression(src, textCols), registered: null, partitioned: false };
  }
  if ("sql" in src && typeof (src as { sql: unknown }).sql === "string")
    return { rel: `(${(src as { sql: string }).sql})`, registered: null, partitioned: false };
  await registerTable(name, src as Table);
  return { rel: quoteIdent(name), registered: name, partitioned: false };
}

/** The subset of `wanted` that a CSV file's header has (a `types` entry for a missing column is an error in DuckDB). */
async function presentColumns(file: string, wanted: readonly string[]): Promise<string[]> {
  if (!wanted.length) return [];
  const head = await sql(`SELECT * FROM ${scanExpression(file)} LIMIT 0`);
  return wanted.filter((c) => head.names.includes(c));
}

/** HS6 product attributes, indexed by the HS6 code h (position in the sorted distinct HS6 list). */
export interface ProductDict {
  readonly hs6: readonly string[];
  /** HS4 (from the products map, else the first four digits) as an index into `hs4` (sorted). */
  readonly hs4Of: Int32Array;
  readonly hs4: readonly string[];
  /** HS3 (first three digits) as an index into `hs3` (sorted). */
  readonly hs3Of: Int32Array;
  readonly hs3: readonly string[];
  /** σ_h of the HS3 table (NaN when the table has no row for the HS3 or no table is given). */
  readonly sigma: Float64Array;
  /** 1 when rule 3 (HS chapter range) drops the product. */
  readonly chapter: Uint8Array;
}

/** The key dictionaries of a customs source: sorted distinct HS6, destinations and years, and the row count. */
export interface SourceDict {
  readonly products: ProductDict;
  readonly dests: readonly string[];
  readonly years: readonly number[];
  readonly rowsByYear: readonly number[];
  readonly rows: number;
  /** Distinct firm ids and city codes (as DOUBLE), ascending (a missing city last, as NaN): their positions are the codes of `KeyCodes`. */
  readonly firmIds: Float64Array;
  readonly cityCodes: Float64Array;
}

/**
 * One scan of the source for its sorted distinct HS6 codes, destinations, years (and rows
 * per year), firm ids and city codes, then the product attributes on the distinct HS6 list (a few thousand rows):
 * HS4 from the products map (`COALESCE(map, left(hs6, 4))`), HS3, σ_h from the HS3 table,
 * and the rule-3 chapter flag (`TRY_CAST(left(hs6, 2) AS INTEGER) BETWEEN lo AND hi`).
 * Missing key values (hs6, dest, year, firm_id) are a DataError: every row must be counted
 * by some rule.
 */
export async function sourceDict(
  src: string,
  sig: string | null,
  prod: string | null,
  chapters: readonly [number, number] | null,
  id: string,
): Promise<SourceDict> {
  const d = await sql(
    `SELECT grouping(h6) AS gh, grouping(de) AS gd, grouping(yr) AS gy, grouping(fi) AS gf, grouping(ci) AS gc,
      h6, de, yr, fi, ci, count(*) AS n, count(*) - count(fi) AS nofirm
    FROM (SELECT CAST(hs6 AS VARCHAR) AS h6, CAST(dest AS VARCHAR) AS de, CAST(year AS INTEGER) AS yr,
      CAST(firm_id AS DOUBLE) AS fi, CAST(city_code AS DOUBLE) AS ci FROM ${src})
    GROUP BY GROUPING SETS ((h6), (de), (yr), (fi), (ci))`,
  );
  const gh = numeric(d, "gh"),
    gd = numeric(d, "gd"),
    gy = numeric(d, "gy"),
    n = numeric(d, "n"),
    nofirm = numeric(d, "nofirm");
  const gf = numeric(d, "gf"),
    gc = numeric(d, "gc");
  const h6 = column(d, "h6") as (string | null)[],
    de = column(d, "de") as (string | null)[],
    yr = numeric(d, "yr"),
    fi = numeric(d, "fi"),
    ci = numeric(d, "ci");
  const hs6: string[] = [],
    dests: string[] = [],
    years: { y: number; n: number }[] = [];
  const firms: number[] = [],
    cities: number[] = [];
  let rows = 0,
    noFirm = 0;
  for (let i = 0; i < d.nrows; i++) {
    if (gh[i] === 0) {
      if (h6[i] === null) throw new DataError(`${n[i]} rows without an HS6 code (hs6 is a key of the customs schema)`, { column: "hs6" });
      hs6.push(h6[i] as string);
    } else if (gd[i] === 0) {
      if (de[i] === null)
        throw new DataError(`${n[i]} rows without a destination (dest is a key of the customs schema)`, { column: "dest" });
      dests.push(de[i] as string);
    } else if (gy[i] === 0) {
      if (Number.isNaN(yr[i] as number))
        throw new DataError(`${n[i]} rows without a year (year is a key of the customs schema)`, { column: "year" });
      years.push({ y: yr[i] as number, n: n[i] as number });
      rows += n[i] as number;
      noFirm += nofirm[i] as number;
    } else if (gf[i] === 0) {
      if (!Number.isNaN(fi[i] as number)) firms.push(fi[i] as number);
    } else if (gc[i] === 0) cities.push(ci[i] as number);
  }
  if (noFirm > 0) throw new DataError(`${noFirm} rows without a firm_id (firm_id is a key of the customs schema)`, { column: "firm_id" });
  hs6.sort(cmp);
  dests.sort(cmp);
  years.sort((a, b) => a.y - b.y);
  const products = await productDict(hs6, sig, prod, chapters, id);
  const numOrder = (a: number, b: number) => (Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : Number.isNaN(b) ? -1 : a - b);
  return {
    products,
    dests,
    years: years.map((y) => y.y),
    rowsByYear: years.map((y) => y.n),
    rows,
    firmIds: Float64Array.from(firms.sort(numOrder)),
    cityCodes: Float64Array.from(cities.sort(numOrder)),
  };
}

/** Byte-order comparison, the order of DuckDB's `ORDER BY` on VARCHAR (ASCII codes). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function productDict(
  hs6: readonly string[],
  sig: string | null,
  prod: string | null,
  chapters: readonly [number, number] | null,
  id: string,
): Promise<ProductDict> {
  const H = hs6.length;
  if (H === 0)
    return {
      hs6,
      hs4Of: new Int32Array(0),
      hs4: [],
      hs3Of: new Int32Array(0),
      hs3: [],
      sigma: new Float64Array(0),
      chapter: new Uint8Array(0),
    };
  await registerTable(`${id}_hs6`, table({ hs6: [...hs6], h: mapI32From(hs6, (_, i) => i) }));
  if (prod) {
    const dup = await sql(
      `SELECT CAST(hs6 AS VARCHAR) AS hs6, count(DISTINCT CAST(hs4 AS VARCHAR)) AS k FROM ${prod} GROUP BY 1 HAVING k > 1 ORDER BY 1 LIMIT 1`,
    );
    if (dup.nrows) throw new ArgumentError(`the products map gives HS6 "${column(dup, "hs6")[0]}" more than one HS4`);
  }
  if (sig) {
    const dup = await sql(
      `SELECT CAST(hs3 AS VARCHAR) AS hs3, count(DISTINCT CAST(sigma AS DOUBLE)) AS k FROM ${sig} GROUP BY 1 HAVING k > 1 ORDER BY 1 LIMIT 1`,
    );
    if (dup.nrows) throw new ArgumentError(`the σ table gives HS3 "${column(dup, "hs3")[0]}" more than one σ`);
  }
  const chapterCond = chapters ? `TRY_CAST(left(t.hs6, 2) AS INTEGER) BETWEEN ${chapters[0]} AND ${chapters[1]}` : "FALSE";
  const p = await sql(
    `SELECT t.h, ${prod ? "COALESCE(p.hs4, left(t.hs6, 4))" : "left(t.hs6, 4)"} AS hs4, left(t.hs6, 3) AS hs3,
      ${sig ? "sg.sigma" : "CAST(NULL AS DOUBLE)"} AS sigma, CASE WHEN ${chapterCond} THEN 1 ELSE 0 END AS chapter
    FROM ${id}_hs6 t
    ${prod ? `LEFT JOIN (SELECT DISTINCT CAST(hs6 AS VARCHAR) AS hs6, CAST(hs4 AS VARCHAR) AS hs4 FROM ${prod}) p ON p.hs6 = t.hs6` : ""}
    ${sig ? `LEFT JOIN (SELECT DISTINCT CAST(hs3 AS VARCHAR) AS hs3, CAST(sigma AS DOUBLE) AS sigma FROM ${sig}) sg ON sg.hs3 = left(t.hs6, 3)` : ""}
    ORDER BY t.h`,
    { intColumns: ["h", "chapter"] },
  );
  const hs4s = column(p, "hs4") as (string | null)[],
    hs3s = column(p, "hs3") as string[];
  const code = (vals: readonly (string | null)[]) => {
    const u = [...new Set(vals.map((v) => v ?? ""))].sort(cmp);
    const at = new Map(u.map((v, i) => [v, i]));
    return { names: u, of: mapI32From(vals, (v) => at.get(v ?? "") as number) };
  };
  const c4 = code(hs4s),
    c3 = code(hs3s);
  return {
    hs6,
    hs4Of: c4.of,
    hs4: c4.names,
    hs3Of: c3.of,
    hs3: c3.names,
    sigma: Float64Array.from(numeric(p, "sigma")),
    chapter: Uint8Array.from(column(p, "chapter") as Int32Array),
  };
}

/** The typed columns of one partition, as `partitionQuery` returns them. */
export interface PartitionColumns {
  readonly n: number;
  readonly firm: Float64Array;
  readonly city: Float64Array;
  /** HS6 code (index into the sorted HS6 list). */
  readonly h: Int32Array;
  /** Destination code (index into the sorted destination list). */
  readonly dst: Int32Array;
  readonly year: Int32Array;
  readonly value: Float64Array;
  /** 1: rule 1 (no unit value), 2: rule 2 (intermediary), 0: kept by both. */
  readonly rule: Int32Array;
  /** ln unit value and ln quantity (NaN for rule-1 rows). */
  readonly lnp: Float64Array;
  readonly lnq: Float64Array;
  readonly controls: readonly Float64Array[];
}

/**
 * The rows of one partition (`year`: only that year; null: all rows) as typed columns, in
 * scan order. Rules 1 and 2 are flagged in SQL (ln p and ln q only for rows that pass rule 1);
 * HS6 and destination come back as their positions in the sorted distinct lists (`ENUM`
 * codes), so no string crosses into JavaScript.
 */
export async function partitionRows(
  src: string,
  dict: SourceDict,
  controls: readonly string[],
  year: number | null,
): Promise<PartitionColumns> {
  const en = (vals: readonly string[]) => `ENUM(${vals.map(sqlString).join(", ")})`;
  const bad = `v IS NULL OR q IS NULL OR NOT (v > 0) OR NOT (q > 0)`;
  const t = await sql(
    `SELECT firm, city, h, dst, year, v AS value,
      CASE WHEN ${bad} THEN 1 WHEN inter = 1 THEN 2 ELSE 0 END AS rule,
      CASE WHEN ${bad} THEN NULL ELSE ln(v / q) END AS lnp, CASE WHEN ${bad} THEN NULL ELSE ln(q) END AS lnq${controls.map((c) => `, ${quoteIdent(c)}`).join("")}
    FROM (SELECT CAST(s.firm_id AS DOUBLE) AS firm, CAST(s.city_code AS DOUBLE) AS city,
        CAST(enum_code(CAST(CAST(s.hs6 AS VARCHAR) AS ${en(dict.products.hs6)})) AS INTEGER) AS h,
        CAST(enum_code(CAST(CAST(s.dest AS VARCHAR) AS ${en(dict.dests)})) AS INTEGER) AS dst,
        CAST(s.year AS INTEGER) AS year, CAST(s.value_usd AS DOUBLE) AS v, CAST(s.quantity AS DOUBLE) AS q,
        COALESCE(CAST(s.is_intermediary AS INTEGER), 0) AS inter${controls.map((c) => `, CAST(s.${quoteIdent(c)} AS DOUBLE) AS ${quoteIdent(c)}`).join("")}
      FROM ${src} s${year === null ? "" : ` WHERE s.year = ${year}`})`,
    { intColumns: ["h", "dst", "year", "rule"] },
  );
  return {
    n: t.nrows,
    firm: numeric(t, "firm"),
    city: numeric(t, "city"),
    h: column(t, "h") as Int32Array,
    dst: column(t, "dst") as Int32Array,
    year: column(t, "year") as Int32Array,
    value: numeric(t, "value"),
    rule: column(t, "rule") as Int32Array,
    lnp: numeric(t, "lnp"),
    lnq: numeric(t, "lnq"),
    controls: controls.map((c) => numeric(t, c)),
  };
}
