import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseNumericCsv, readNumericCsv } from "../../lib/data/csv-fast";
import { readTable } from "../../lib/data/io";
import type { Table } from "../../lib/data/table";

// The fast CSV path must give exactly (bitwise, NaN = NaN) what the DuckDB path gives, or
// decline (null) so that DuckDB reads the file. Tolerance: none.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-csvfast-"));
let seq = 0;
const write = (text: string): string => { const f = path.join(dir, `f${++seq}.csv`); fs.writeFileSync(f, text); return f; };

async function both(file: string): Promise<{ fast: Table; duck: Table }> {
  const prev = process.env["VAGG_CSV_FAST"];
  try {
    process.env["VAGG_CSV_FAST"] = "0";
    const duck = await readTable(file);
    delete process.env["VAGG_CSV_FAST"];
    const fast = await readTable(file);
    return { fast, duck };
  } finally { if (prev === undefined) delete process.env["VAGG_CSV_FAST"]; else process.env["VAGG_CSV_FAST"] = prev; }
}
function sameBits(a: Table, b: Table): void {
  assert.equal([...a.names], [...b.names]);
  assert.is(a.nrows, b.nrows);
  for (const n of b.names) {
    const x = a.columns[n], y = b.columns[n];
    assert.is(Object.prototype.toString.call(x), Object.prototype.toString.call(y), `column ${n} type`);
    if (!(y instanceof Float64Array)) { assert.equal(Array.from(x as ArrayLike<unknown>), Array.from(y as ArrayLike<unknown>)); continue; }
    const xf = x as Float64Array;
    for (let i = 0; i < y.length; i++) {
      const u = xf[i] as number, v = y[i] as number;
      assert.ok(u === v || (Number.isNaN(u) && Number.isNaN(v)), `${n}[${i}]: fast ${u} vs duckdb ${v}`);
    }
  }
}

test("random decimal tokens (1–17 significant digits, signs, exponents, integers, blanks) equal DuckDB's values bit for bit", async () => {
  let s = 12345;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = ["a,b,c,d,e"];
  for (let i = 0; i < 30000; i++) {
    const dec = (u() * 2 - 1) * 10 ** Math.floor(u() * 12 - 4);
    const digits = 1 + Math.floor(u() * 17);
    const a = dec.toPrecision(digits).replace(/e\+?/, "e");
    const b = String(Math.floor(u() * 1e6) - 500000);
    const c = u() < 0.1 ? "" : (u() * 100).toFixed(Math.floor(u() * 9));
    const d = (u() * 1e-3).toExponential(Math.floor(u() * 10));
    const e = String(Math.floor(u() * 3e15));
    rows.push([a, b, c, d, e].join(","));
  }
  const f = write(rows.join("\n") + "\n");
  assert.ok((await parseNumericCsv(fs.readFileSync(f))) !== null, "fast path taken");
  const { fast, duck } = await both(f);
  sameBits(fast, duck);
});

test("CRLF line ends, no final newline, negative zero and 0.x forms", async () => {
  const f = write("x,y\r\n-0,0.5\r\n-0.0,.25\r\n1.0000000000000002,-.5\r\n3,4");
  assert.ok((await parseNumericCsv(fs.readFileSync(f))) !== null);
  const { fast, duck } = await both(f);
  assert.is(fast.nrows, 4);
  for (const n of fast.names) { const x = fast.columns[n] as Float64Array, y = duck.columns[n] as Float64Array; for (let i = 0; i < 4; i++) assert.ok(x[i] === y[i], `${n}[${i}] ${x[i]} vs ${y[i]}`); }
});

test("declines (→ DuckDB) quoted numbers with leading zeros or delimiters, strings, words other than missing codes, dates, leading zeros, ragged rows, empty columns, one column, numeric-looking header, two delimiters", async () => {
  const cases = [
    'x,y\n"007",2\n', 'x,y\n"1,5",2\n', 'x,y\n"1""",2\n', 'x,y\n"1"2,3\n', "x,y\n1,a\n", "x,y\n1,N/A\n", "x,y\n1,na\n", "x,y\n1,..\n", "x,y\n1,.A\n", "x,y\n2020-01-01,1\n", "x,y\n007,1\n", "x,y\n1,2,3\n", "x,y\n1\n",
    "x,y\n,1\n,2\n", "x\n1\n2\n", "1,2\n3,4\n", "x,y\n1, 2\n", "x,y\n1.,2\n", "x,x\n1,2\n", "x;y,z\n1;2,3\n", "x,y\n1,2\n\n3,4\n",
    "x\ty\n1\t2;3\n", '"x""1",y\n1,2\n', '"x,y\n1,2\n',
  ];
  for (const c of cases) assert.is(await parseNumericCsv(Buffer.from(c)), null, JSON.stringify(c));
});

test("declined files still read through DuckDB with their own types", async () => {
  const f = write("city,name,v\n1,Beijing,0.5\n2,Tianjin,\n");
  const t = await readTable(f);
  assert.ok(Array.isArray(t.columns["name"]));
  assert.equal(Array.from(t.columns["name"] as string[]), ["Beijing", "Tianjin"]);
});

test("readTable with columns= on the fast path selects and names a missing column", async () => {
  const f = write("a,b,c\n1,2,3\n4,5,6\n");
  const t = await readTable(f, { columns: ["c", "a"] });
  assert.equal([...t.names], ["c", "a"]);
  assert.equal(Array.from(t.columns["c"] as Float64Array), [3, 6]);
  try { await readTable(f, { columns: ["zz"] }); assert.unreachable(); } catch (e) { assert.match(String((e as Error).message), /zz/); }
});

test("two-thread parse (shared buffer split at a line feed) equals the one-thread parse and DuckDB; a bad token or an empty line in either half declines", async () => {
  let s = 777;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = ["a,b,c"];
  for (let i = 0; i < 20000; i++) rows.push([(u() * 10 - 5).toFixed(6), String(Math.floor(u() * 1000)), u() < 0.05 ? "" : (u() * 1e-4).toExponential(3)].join(","));
  const text = rows.join("\n") + "\n";
  const shared = (t: string) => { const b = Buffer.from(t); const sab = new SharedArrayBuffer(b.length); const v = new Uint8Array(sab); v.set(b); return v; };
  const two = await parseNumericCsv(shared(text), undefined, { parallelBytes: 1000 });
  const one = await parseNumericCsv(Buffer.from(text));
  assert.ok(two && one);
  if (two && one) sameBits(two, one);
  const f = write(text);
  const { duck } = await both(f);
  if (two) sameBits(two, duck);
  const lines = text.split("\n");
  for (const at of [100, 15000]) {
    const bad = [...lines]; bad[at] = "1,x,2";
    assert.is(await parseNumericCsv(shared(bad.join("\n")), undefined, { parallelBytes: 1000 }), null, `bad token at line ${at}`);
    const gap = [...lines]; gap.splice(at, 0, "");
    assert.is(await parseNumericCsv(shared(gap.join("\n")), undefined, { parallelBytes: 1000 }), null, `empty line at ${at}`);
  }
});

test("file read in parts by 2–4 threads (each reading its own bytes) equals the one-thread parse bit for bit; a bad token or an empty line near any part boundary declines", async () => {
  let s = 4242;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = ["a,b,c,d"];
  for (let i = 0; i < 6000; i++) rows.push([(u() * 10 - 5).toPrecision(1 + Math.floor(u() * 17)), String(Math.floor(u() * 1000)), u() < 0.05 ? "" : (u() * 1e-4).toExponential(3), u() < 0.5 ? "-0" : String(u())].join(","));
  for (const eol of ["\n", "\r\n"]) {
    const text = rows.join(eol) + eol;
    const one = await parseNumericCsv(Buffer.from(text));
    assert.ok(one);
    const f = write(text);
    for (const threads of [2, 3, 4]) {
      const t = await readNumericCsv(f, { parallelBytes: 1000, threads });
      assert.ok(t, `${threads} threads`);
      if (t && one) sameBits(t, one);
    }
    // every line near the cut points of 2, 3 and 4 parts: a bad token or an inserted empty line declines
    const lines = text.split(eol);
    const len = Buffer.byteLength(text);
    const near = new Set<number>();
    for (const T of [2, 3, 4])
      for (let j = 1; j < T; j++) {
        let b = 0, at = 0;
        while (at < lines.length && b < (len * j) / T) b += Buffer.byteLength(lines[at++]!) + eol.length;
        for (let d = -2; d <= 2; d++) if (at + d > 0 && at + d < lines.length - 1) near.add(at + d);
      }
    for (const at of near) {
      const bad = [...lines]; bad[at] = "1,x,2,3";
      const gap = [...lines]; gap.splice(at, 0, "");
      for (const threads of [2, 3, 4]) {
        assert.is(await readNumericCsv(write(bad.join(eol)), { parallelBytes: 1000, threads }), null, `bad token at line ${at}, ${threads} threads`);
        assert.is(await readNumericCsv(write(gap.join(eol)), { parallelBytes: 1000, threads }), null, `empty line at ${at}, ${threads} threads`);
      }
    }
    // trailing blank lines are still accepted (readTable counts them)
    const tb = await readNumericCsv(write(text + eol + eol), { parallelBytes: 1000, threads: 3 });
    assert.ok(tb && one && tb.nrows === one.nrows, "trailing blank lines");
  }
  // more parts than lines: empty parts
  const tiny = write("a,b\n1,2\n3,4\n");
  for (const threads of [2, 3, 4]) {
    const t = await readNumericCsv(tiny, { parallelBytes: 1, threads });
    assert.ok(t, `tiny file, ${threads} threads`);
    if (t) assert.equal(Array.from(t.columns["b"] as Float64Array), [2, 4]);
  }
});

test("columns grow when a part has more rows than the first 64 KB suggest (long lines first, short lines after)", async () => {
  const rows = ["a,b"];
  const long = "0." + "1234567890".repeat(4);
  for (let i = 0; i < 3000; i++) rows.push(`${long},${i}`);
  for (let i = 0; i < 200000; i++) rows.push(`${i % 10},${i}`);
  const text = rows.join("\n") + "\n";
  const f = write(text);
  const one = await parseNumericCsv(Buffer.from(text));
  assert.ok(one && one.nrows === 203000);
  for (const opts of [{}, { parallelBytes: 1000, threads: 2 }, { parallelBytes: 1000, threads: 4 }]) {
    const t = await readNumericCsv(f, opts);
    assert.ok(t, JSON.stringify(opts));
    if (t && one) sameBits(t, one);
  }
});

test("a header and rows longer than the 64 KB sample (40,000 columns) read the same by one and two threads", async () => {
  const K = 40000;
  const rows = [Array.from({ length: K }, (_, k) => `c${k}`).join(",")];
  for (let r = 0; r < 6; r++) rows.push(Array.from({ length: K }, (_, k) => String((r * K + k) % 997)).join(","));
  const text = rows.join("\n") + "\n";
  const f = write(text);
  const one = await parseNumericCsv(Buffer.from(text));
  assert.ok(one && one.nrows === 6);
  for (const opts of [{}, { parallelBytes: 1000, threads: 2 }, { parallelBytes: 1000, threads: 3, columns: ["c5", "c39999"] }]) {
    const t = await readNumericCsv(f, opts);
    assert.ok(t, JSON.stringify(opts));
    if (t && one) for (const nm of t.names) assert.equal(Array.from(t.columns[nm] as Float64Array), Array.from(one.columns[nm] as Float64Array), nm);
    if (t && "columns" in opts) assert.equal([...t.names], ["c5", "c39999"]);
  }
});

test("columns= converts only the wanted columns (same bits), checks the others for a number's bytes only, and gives every column when a wanted name is missing", async () => {
  let s = 99;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows = ["y,skip1,x,skip2"];
  for (let i = 0; i < 5000; i++) rows.push([String(u() * 100 - 50), u() < 0.5 ? "1..2e-" : "", String(u()), String(Math.floor(u() * 1e6))].join(","));
  const text = rows.join("\n") + "\n";
  const f = write(text);
  const full = await readNumericCsv(write(text.replace(/1\.\.2e-/g, "7")));
  assert.ok(full);
  for (const opts of [{}, { parallelBytes: 1000, threads: 3 }]) {
    const t = await readNumericCsv(f, { ...opts, columns: ["x", "y"] });
    assert.ok(t, "a malformed number in an unwanted column is not converted");
    if (t && full) {
      assert.equal([...t.names], ["y", "x"]);
      for (const nm of ["x", "y"]) assert.ok((t.columns[nm] as Float64Array).every((v, i) => Object.is(v, (full.columns[nm] as Float64Array)[i])), nm);
    }
  }
  // a letter, a quote or a space in an unwanted field still declines (DuckDB decides what the file is)
  for (const bad of ["NAN", "na", '"01"', '"1,5"', '"a"', " 1", "1x", "12345678x9", "1234 5678", "-0.1234567,"]) assert.is(await readNumericCsv(write(`y,s\n1,${bad}\n2,3\n`), { columns: ["y"] }), null, bad);
  // a wanted name not in the header: every column, converted
  const all = await readNumericCsv(write("y,s\n1,2\n"), { columns: ["y", "nope"] });
  assert.ok(all);
  if (all) assert.equal([...all.names], ["y", "s"]);
  // through readTable: `wanted` on the fast path keeps only those columns; the same values as a full read
  const g = write(text.replace(/1\.\.2e-/g, "8"));
  const w = await readTable(g, { wanted: ["x", "y"] });
  const r = await readTable(g);
  assert.equal([...w.names], ["y", "x"]);
  for (const nm of ["x", "y"]) assert.ok((w.columns[nm] as Float64Array).every((v, i) => Object.is(v, (r.columns[nm] as Float64Array)[i])), nm);
});

test("fixest-style data (R's write.csv: 15-17 significant digits, NA as empty, integer fixed effects) read the same both ways", async () => {
  // generated here (no file outside the repository is needed): the shape of the fixest reference
  // data — 8 double columns printed to 15 significant digits as R does, with some empty cells, and
  // 5 integer columns of fixed-effect and cluster ids
  let s = 20240607;
  const u = () => ((s = (s * 48271) % 2147483647) / 2147483647);
  const norm = () => { let z = -6; for (let k = 0; k < 12; k++) z += u(); return z; };
  const r15 = (x: number) => String(Number(x.toPrecision(15)));
  const rows = ["Y,x1,x2,x3,x4,w,z1,z2,fe1,fe2,fe3,cl1,cl2"];
  for (let i = 0; i < 3000; i++) {
    const d = Array.from({ length: 8 }, (_, j) => (j === 2 && u() < 0.03 ? "" : r15(norm() * (j === 5 ? 0.5 : 1) + (j === 5 ? 1 : 0))));
    const ids = [1 + Math.floor(u() * 50), 1 + Math.floor(u() * 30), 1 + Math.floor(u() * 5), 1 + Math.floor(u() * 50), 1 + Math.floor(u() * 20)];
    rows.push([...d, ...ids.map(String)].join(","));
  }
  const f = write(rows.join("\n") + "\n");
  assert.ok((await parseNumericCsv(fs.readFileSync(f))) !== null, "fast path taken");
  const { fast, duck } = await both(f);
  assert.is(fast.nrows, 3000);
  sameBits(fast, duck);
});

test("the fixest reference data in the repository (tests/fixtures/fixest/data.csv) read the same both ways", async () => {
  const f = path.resolve(__dirname, "../fixtures/fixest/data.csv");
  assert.ok(fs.existsSync(f), `${f} is part of the repository`);
  const { fast, duck } = await both(f);
  sameBits(fast, duck);
});

// Text columns (readTable's `text: true`): the same table as DuckDB's reader, value for value and
// type for type, in UTF-8 and GBK, on one thread and on several; or a decline.
const iconvLite = require("iconv-lite") as typeof import("iconv-lite");
function textDesign(rows: number, seed: number): string {
  let s = seed;
  const u = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const cities = ["北京市", "上海市", "广州市", "深圳市", "西安市", "乌鲁木齐市", "Xi an", " 成都 ", "NA"];
  const firms = Array.from({ length: 500 }, (_, j) => `GD${String(j).padStart(4, "0")}有限公司`);
  const out = ["y,城市,firm,x,note,z"];
  out.push(`1.5,北京市,GD0001有限公司,2,Beijing,3`); // the first rows hold a certain text value in each text column
  for (let i = 0; i < rows; i++) {
    const y = ((u() * 2 - 1) * 10 ** Math.floor(u() * 6 - 2)).toPrecision(1 + Math.floor(u() * 17));
    const city = u() < 0.05 ? "" : u() < 0.1 ? `"${cities[Math.floor(u() * cities.length)]}"` : (cities[Math.floor(u() * cities.length)] as string);
    const firm = u() < 0.02 ? '""' : (firms[Math.floor(u() * firms.length)] as string);
    const x = u() < 0.05 ? "" : String(Math.floor(u() * 1000));
    const note = u() < 0.3 ? "" : u() < 0.5 ? "12" : u() < 0.7 ? "a b" : "说明";
    out.push([y, city, firm, x, note, (u() * 100).toFixed(3)].join(","));
  }
  const eol = u() < 0.5 ? "\n" : "\r\n";
  return out.join(eol) + eol;
}

test("text columns (Chinese and ASCII, quoted, empty, spaces) read as DuckDB reads them, UTF-8 and GBK, 1–3 threads", async () => {
  for (const seed of [1, 2, 3]) {
    const text = textDesign(4000, seed);
    for (const enc of ["utf-8", "gbk"] as const) {
      const f = write("");
      fs.writeFileSync(f, enc === "utf-8" ? Buffer.from(text) : iconvLite.encode(text, "gbk"));
      for (const threads of [1, 2, 3]) {
        const t = await readNumericCsv(f, { parallelBytes: threads === 1 ? 2 ** 40 : 1000, threads, text: true });
        assert.ok(t !== null, `fast path taken (${enc}, ${threads} threads)`);
        assert.ok(Array.isArray(t.columns["城市"]) && Array.isArray(t.columns["firm"]) && t.columns["y"] instanceof Float64Array);
      }
      const { fast, duck } = await both(f);
      sameBits(fast, duck);
      assert.ok((fast.columns["城市"] as (string | null)[]).includes("乌鲁木齐市"));
    }
  }
});

test("a numeric column with NA becomes numeric, as on the DuckDB path; GBK names in the header", async () => {
  const text = "产值,城市,v\n1.5,北京,NA\n2,上海,3.25\n3,,NA\n";
  for (const bytes of [Buffer.from(text), iconvLite.encode(text, "gbk")]) {
    const f = write("");
    fs.writeFileSync(f, bytes);
    assert.ok((await readNumericCsv(f, { text: true })) !== null, "fast path taken");
    const { fast, duck } = await both(f);
    sameBits(fast, duck);
    assert.ok(fast.columns["v"] instanceof Float64Array);
  }
  // a GBK file with numbers only: the header decoded as GB18030
  const g = write("");
  fs.writeFileSync(g, iconvLite.encode("产值,数字化\n1.5,2\n3,4\n", "gbk"));
  const t = await readNumericCsv(g, { text: true });
  assert.equal(t?.names, ["产值", "数字化"]);
});

test("text columns: declines (→ DuckDB) what DuckDB might read otherwise", async () => {
  const cases = [
    "x,y\n1,2020-01-01\n", // a date
    "x,y\n1,007\n", // a code with leading zeros (DuckDB: the number 7)
    "x,y\n1,-\n", // no letter: not certainly text
    "x,y\n1,true\n", // a boolean
    "x,y\n1,0x1F\n", // hex
    "x,y\na,b\n", // every column text
    'x,y\n1,"a""b"\n', // an escaped quote
    'x,y\n1,"a\nb"\n', // a line break inside quotes
    "x,y\n1,'a'\n", // single quotes
    'x,y\n1,a"b\n', // a quote inside a field
    'x,y\n"1;2",a\n', // a quoted field of a numeric column that is not a number
    "x,y\n1,a\n2,b,c\n", // a ragged row
  ];
  for (const c of cases) assert.is(await parseNumericCsv(Buffer.from(c), undefined, { text: true }), null, JSON.stringify(c));
  // text that only appears after the first 64 KB in a numeric column
  const late = ["x,y"];
  for (let i = 0; i < 10000; i++) late.push(`${i},${i % 7}`);
  late.push("1,Beijing");
  assert.is(await parseNumericCsv(Buffer.from(late.join("\n") + "\n"), undefined, { text: true }), null, "late text");
  // not valid UTF-8 nor GB18030 text, or not the encoding asked for
  assert.is(await parseNumericCsv(Buffer.from([...Buffer.from("x,y\n1,"), 0xff, 0x41, 10]), undefined, { text: true }), null);
  assert.is(await parseNumericCsv(iconvLite.encode("x,y\n1,北京\n", "gbk"), undefined, { text: true, encoding: "utf-8" }), null);
  assert.is(await parseNumericCsv(iconvLite.encode("x,y,z\n1,北京,2\n", "gbk"), undefined, { text: true, encoding: "utf-8", columns: ["x", "z"] }), null, "a text column not wanted is checked too");
  // a schema's string column that holds numbers, beside text: DuckDB reads it as text
  assert.is(await parseNumericCsv(Buffer.from("hs,name\n8471,a\n"), undefined, { text: true, textColumns: ["hs"] }), null);
  assert.ok(await parseNumericCsv(Buffer.from("hs,v\n8471,1\n"), undefined, { text: true, textColumns: ["hs"] }), "no text: numbers as before");
});

test("a text value in a numeric column still names its row (schema and mixed-column checks run as on the DuckDB path)", async () => {
  const f = write("y,x\n1,2\n2,abc\n3,4\n5,6\n");
  const { fast, duck } = await both(f);
  sameBits(fast, duck);
});

test("text columns: many distinct values (dictionary growth and rehash) on 1–3 threads, wanted columns only", async () => {
  const rows = ["y,firm,name,x"];
  for (let i = 0; i < 30000; i++) rows.push(`${i * 0.5},企业${(i * 7919) % 20011},n${i % 3 === 0 ? "" : i % 997}名,${i % 13}`);
  const f = write(rows.join("\n") + "\n");
  const one = await readNumericCsv(f, { text: true, parallelBytes: 2 ** 40 });
  assert.ok(one !== null);
  for (const threads of [2, 3]) {
    const t = await readNumericCsv(f, { text: true, parallelBytes: 1000, threads });
    assert.ok(t !== null, `${threads} threads: fast path taken`);
    assert.equal(t.columns["firm"], one.columns["firm"]);
  }
  const distinct = new Set(Array.from({ length: 30000 }, (_, i) => (i * 7919) % 20011)).size;
  assert.is(new Set(one.columns["firm"] as string[]).size, distinct, "one dictionary entry per distinct firm");
  const { fast, duck } = await both(f);
  sameBits(fast, duck);
  const w = await readNumericCsv(f, { text: true, columns: ["y", "firm"], parallelBytes: 1000, threads: 2 });
  assert.equal(w?.names, ["y", "firm"], "a text column not wanted is skipped");
});

test("text columns: header encodings, byte-order marks, timestamps and column names as the DuckDB path has them", async () => {
  const bytesOf = (parts: (string | Buffer)[]): Buffer => Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : p)));
  // GBK names whose bytes happen to be valid UTF-8, with GBK text below: decoded as GBK, as readTable decides on the whole file
  const gbkHeader = iconvLite.encode("涓枃,v\n", "gbk");
  const f1 = write("");
  fs.writeFileSync(f1, bytesOf([gbkHeader, iconvLite.encode("北京,1\n上海,2\n", "gbk")]));
  const a = await both(f1);
  sameBits(a.fast, a.duck);
  // a UTF-8 BOM before GBK text: left to readTable's check (an error there)
  const f2 = write("");
  fs.writeFileSync(f2, bytesOf([Buffer.from([0xef, 0xbb, 0xbf]), iconvLite.encode("城市,v\n北京,1\n", "gbk")]));
  assert.is(await readNumericCsv(f2, { text: true }), null);
  // a field that starts with a byte-order mark (DuckDB strips it)
  assert.is(await parseNumericCsv(Buffer.from("x,y\n1,\ufeffabc\n"), undefined, { text: true }), null);
  // timestamps with a zone name are not certainly text
  for (const ts of ["2020-01-05 10:00:00 UTC", "2020/01/05 10:00 Asia/Shanghai", "10:00 CST"]) assert.is(await parseNumericCsv(Buffer.from(`x,y\n1,${ts}\n`), undefined, { text: true }), null, ts);
  // a column asked for in another case: DuckDB's names match it
  const f3 = write("hs,name\n1,a\n2,b\n");
  const prev = process.env["VAGG_CSV_FAST"];
  process.env["VAGG_CSV_FAST"] = "0";
  const duck = await readTable(f3, { columns: ["HS", "name"] });
  if (prev === undefined) delete process.env["VAGG_CSV_FAST"]; else process.env["VAGG_CSV_FAST"] = prev;
  const fast = await readTable(f3, { columns: ["HS", "name"] });
  sameBits(fast, duck);
});

test("a gzipped CSV (numbers and text) reads as DuckDB reads it", async () => {
  const zlib = require("node:zlib") as typeof import("node:zlib");
  const f = path.join(dir, "t.csv.gz");
  fs.writeFileSync(f, zlib.gzipSync(Buffer.from(textDesign(3000, 9))));
  const { fast, duck } = await both(f);
  sameBits(fast, duck);
  assert.ok(Array.isArray(fast.columns["城市"]));
});

test("missing codes in numeric columns (R's NA, NaN, Stata's . and .a–.z) are NaN, as on the DuckDB path, also after DuckDB's sniffed rows and in unwanted columns", async () => {
  const codes = ["NA", "NaN", ".", ".a", ".z", ""];
  const rows = ["y,x,g,w"];
  for (let i = 0; i < 30000; i++) rows.push(`${(i * 0.37) % 11},${i % 97 === 5 ? codes[i % codes.length] : String(i / 8)},${i % 13},${i}`);
  // w's only NA comes after DuckDB's 20,480 sniffed rows: DuckDB alone fails to convert it; readTable then sniffs every row
  rows.push("1.5,NA,3,NA");
  for (const threads of [1, 3]) {
    const f = write(rows.join("\n") + "\n");
    const opts = threads > 1 ? { parallelBytes: 1000, threads } : {};
    const t = await readNumericCsv(f, { ...opts, text: true });
    assert.ok(t, "fast path taken");
    if (t) {
      const x = t.columns["x"] as Float64Array;
      assert.ok(x instanceof Float64Array);
      assert.ok(Number.isNaN(x[30000] as number) && Number.isNaN(x[5] as number) && x[6] === 6 / 8);
      assert.ok(t.columns["w"] instanceof Float64Array && Number.isNaN((t.columns["w"] as Float64Array)[30000] as number));
    }
    const { fast, duck } = await both(f);
    sameBits(fast, duck);
  }
  // a missing code in a column not wanted is accepted (and not converted)
  const u = await readNumericCsv(write("y,s\n1,NA\n2,.b\n3,NaN\n4,.\n"), { columns: ["y"] });
  assert.equal(Array.from((u?.columns["y"] as Float64Array) ?? []), [1, 2, 3, 4]);
  // a column of missing codes only is numeric (all NaN), as stataMissingColumns makes it
  const a = await both(write("y,m\n1,NA\n2,.\n"));
  sameBits(a.fast, a.duck);
  assert.ok(a.fast.columns["m"] instanceof Float64Array);
  // "NA" beside real words stays text ("NA" is also Namibia's ISO code)
  const c = await both(write("y,dest\n1,NA\n2,CN\n3,US\n"));
  sameBits(c.fast, c.duck);
  assert.equal(c.fast.columns["dest"], ["NA", "CN", "US"]);
});

test("users' CSV dialects read as DuckDB reads them: tab, semicolon and bar delimiters, quoted header names (R's write.csv), Excel's UTF-8 byte-order mark with CRLF", async () => {
  const header = ["y", "x", "城市", "year"];
  const body: string[][] = [];
  for (let i = 0; i < 5000; i++) body.push([String(Math.sin(i) * 1e3), i % 41 === 0 ? "NA" : (i / 7).toPrecision(17), ["北京市", "上海市", "Xi'an", "广州市"][i % 4] as string, String(2005 + (i % 11))]);
  const dialects: Record<string, string> = {
    tab: [header, ...body].map((r) => r.join("\t")).join("\n") + "\n",
    semicolon: [header, ...body].map((r) => r.join(";")).join("\n") + "\n",
    bar: [header, ...body].map((r) => r.join("|")).join("\n"),
    rWriteCsv: [header.map((h) => `"${h}"`), ...body.map((r) => [r[0], r[1], `"${r[2]}"`, r[3]])].map((r) => r.join(",")).join("\n") + "\n",
    excelBom: "\ufeff" + [header, ...body].map((r) => r.join(",")).join("\r\n") + "\r\n",
  };
  for (const [name, text] of Object.entries(dialects)) {
    for (const threads of [1, 2]) {
      const f = write(text);
      const opts = threads > 1 ? { parallelBytes: 1000, threads } : {};
      const t = await readNumericCsv(f, { ...opts, text: true });
      assert.ok(t, `${name}: fast path taken`);
      assert.equal(t?.names, header, name);
      const { fast, duck } = await both(f);
      sameBits(fast, duck);
      assert.ok(fast.columns["x"] instanceof Float64Array, name);
    }
  }
  // a byte-order mark before GBK text, or with an encoding other than UTF-8 asked for: declined
  const gbk = write("");
  fs.writeFileSync(gbk, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), iconvLite.encode("v,城市\n1,北京\n", "gbk")]));
  assert.is(await readNumericCsv(gbk, { text: true }), null);
  assert.is(await readNumericCsv(write("\ufeffv,城市\n1,北京\n"), { text: true, encoding: "gbk" }), null);
  // the bar delimiter with GBK text ("|" can be a GBK character's second byte): declined
  const bar = write("");
  fs.writeFileSync(bar, iconvLite.encode("v|城市\n1|北京\n2|上海\n", "gbk"));
  assert.is(await readNumericCsv(bar, { text: true }), null);
  // with a delimiter other than the comma, another candidate in the data is declined (a sniffer might weigh it)
  assert.is(await parseNumericCsv(Buffer.from("a\tb\n1\tx,y\n"), undefined, { text: true }), null);
});

test("every field quoted (QUOTE_ALL exports): numbers, missing codes, quoted-empty and text read as DuckDB reads them, 1–3 threads, wanted columns only", async () => {
  const rows = ['"y","x","城市","m"'];
  for (let i = 0; i < 6000; i++) rows.push([String(Math.cos(i) * 1e-3), i % 53 === 0 ? "" : String(i * 7), ["北京", "Xi an", "NA", ""][i % 4], i % 17 === 0 ? "NA" : String(-i / 3)].map((v) => `"${v}"`).join(","));
  for (const threads of [1, 3]) {
    const f = write(rows.join("\r\n") + "\r\n");
    const opts = threads > 1 ? { parallelBytes: 1000, threads } : {};
    assert.ok(await readNumericCsv(f, { ...opts, text: true }), "fast path taken");
    const { fast, duck } = await both(f);
    sameBits(fast, duck);
    assert.ok(fast.columns["m"] instanceof Float64Array && fast.columns["x"] instanceof Float64Array);
    const some = await readNumericCsv(f, { ...opts, text: true, columns: ["y"] });
    assert.ok(some && (some.columns["y"] as Float64Array).every((v, i) => Object.is(v, (fast.columns["y"] as Float64Array)[i])));
  }
});

test("review cases: schema string columns beside missing codes or with 18-digit IDs, quotes and apostrophes after the sample, a late NA with a quote, a leading +", async () => {
  const bothWith = async (f: string, opts: Parameters<typeof readTable>[1]) => {
    const prev = process.env["VAGG_CSV_FAST"];
    try {
      process.env["VAGG_CSV_FAST"] = "0";
      const duck = await readTable(f, opts);
      delete process.env["VAGG_CSV_FAST"];
      return { fast: await readTable(f, opts), duck };
    } finally { if (prev === undefined) delete process.env["VAGG_CSV_FAST"]; else process.env["VAGG_CSV_FAST"] = prev; }
  };
  const schema = { name: "s", columns: [{ name: "code", type: "string" as const }, { name: "y", type: "number" as const }] };
  for (const text of ["code,y\n1.50,NA\n2.00,3\n", "code,y\n110101199001011234,1\n110101199001011235,3\n"]) {
    const { fast, duck } = await bothWith(write(text), { schema });
    sameBits(fast, duck);
  }
  const many = (row: (i: number) => string, n: number) => Array.from({ length: n }, (_, i) => row(i));
  const cases = [
    // a late NA (DuckDB retries, sniffing types from every row) and an apostrophe-quoted field after its sample
    ["c,a", ...many((i) => `Beijing,${i}`, 25000), "'Bei',1", "Wuhan,NA"].join("\n") + "\n",
    // double quotes only after DuckDB's sample: it keeps them
    ["c\ta", ...many((i) => `Beijing\t${i}`, 25000), '"Bei"\t1'].join("\n") + "\n",
    ["c;a", ...many((i) => `Beijing;${i}`, 25000), '"Bei";1'].join("\n") + "\n",
    // apostrophes after the first 64 KB but inside DuckDB's sample
    ["c;a", ...many((i) => `Beijing;${i}`, 10000), ...many((i) => `'Bei';${i}`, 50)].join("\n") + "\n",
    // a leading + : text for DuckDB
    "a,b\n+2,1\n3,2\n",
    'a,b\n"+2",1\n"3",2\n',
  ];
  for (const text of cases) {
    const { fast, duck } = await bothWith(write(text), {});
    sameBits(fast, duck);
  }
});

test("second review: a quote after 20,480 short rows, tab-only lines, a decimal after 20,480 integer rows (DuckDB path), large UTF-16 files with blank lines", async () => {
  const bothOf = async (f: string) => {
    const prev = process.env["VAGG_CSV_FAST"];
    try {
      process.env["VAGG_CSV_FAST"] = "0";
      const duck = await readTable(f);
      delete process.env["VAGG_CSV_FAST"];
      return { fast: await readTable(f), duck };
    } finally { if (prev === undefined) delete process.env["VAGG_CSV_FAST"]; else process.env["VAGG_CSV_FAST"] = prev; }
  };
  const cases = [
    "y,x\n" + "1,\n".repeat(20479) + '"2",3\n', // rows of 3 bytes: the quote is inside 64 KB but after DuckDB's sample
    "y\tx\n1\t2\n\t\n3\t4\n", // a tab-only line is blank
    "y\tx\r\n1\t2\r\n \t \r\n3\t4\r\n",
    "y,x\n" + Array.from({ length: 25000 }, (_, i) => `${i},${i % 7}`).join("\n") + "\n1.5,2\n", // a decimal after the sniffed integer rows
  ];
  for (const text of cases) {
    const { fast, duck } = await bothOf(write(text));
    sameBits(fast, duck);
    assert.equal(fast.dropped.rows, duck.dropped.rows);
  }
  // the DuckDB path alone: the decimal after the sniffed integer rows keeps its value
  const prev = process.env["VAGG_CSV_FAST"];
  process.env["VAGG_CSV_FAST"] = "0";
  try {
    const t = await readTable(write("d,y\n" + Array.from({ length: 20500 }, (_, i) => `2020-01-01,${i}`).join("\n") + "\n2020-01-02,1.5\n2020-01-03,-2.5\n"));
    assert.equal(Array.from((t.columns["y"] as Float64Array).subarray(20500)), [1.5, -2.5]);
  } finally { if (prev === undefined) delete process.env["VAGG_CSV_FAST"]; else process.env["VAGG_CSV_FAST"] = prev; }
  // UTF-16 with blank lines, larger than the in-memory limit: read whole, the blank lines counted
  const lines = ["y\tx", ...Array.from({ length: 40 }, (_, i) => `${i}\t${i * 2}`)];
  lines.splice(21, 0, "", "\t");
  const text = lines.join("\r\n") + "\r\n";
  const f16 = write("");
  fs.writeFileSync(f16, Buffer.concat([Buffer.from([0xff, 0xfe]), iconvLite.encode(text, "utf-16le")]));
  const inMemory = await readTable(f16);
  process.env["VAGG_CSV_INMEMORY_BYTES"] = "300";
  try {
    const streamed = await readTable(f16);
    sameBits(streamed, inMemory);
    assert.is(streamed.dropped.count, 2);
    assert.equal(streamed.dropped.rows, inMemory.dropped.rows);
  } finally { delete process.env["VAGG_CSV_INMEMORY_BYTES"]; }
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
