import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readDta, writeDta, writeOptionsFromMeta } from "../../../lib/data/dta";
import { table, NA_INT, Table, Column } from "../../../lib/data/table";

// Tolerances: none. A write → read round trip must give back identical values (bit-identical
// doubles, NaN where NA), identical strings, labels, formats and missing tags.

const DIR = path.join(__dirname, "../../fixtures/dta");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-dta-test-"));
let k = 0;
const tmp = (): string => path.join(TMP, `t${k++}.dta`);

function sameColumn(a: Column, b: Column, where: string): void {
  if (a instanceof Float64Array) {
    assert.ok(b instanceof Float64Array, `${where}: Float64Array`);
    assert.is(a.length, b.length);
    for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], (b as Float64Array)[i]), `${where}[${i}]: ${a[i]} vs ${(b as Float64Array)[i]}`);
  } else assert.equal([...(b as (string | null)[])], [...(a as (string | null)[])], where);
}
function sameTable(a: Table, b: Table): void {
  assert.equal(b.names, a.names);
  assert.is(b.nrows, a.nrows);
  for (const n of a.names) sameColumn(a.columns[n] as Column, b.columns[n] as Column, n);
}

test("numbers, strings, labels, tags and dates round-trip (LSF and MSF, 118 and 119)", () => {
  const t = table({
    id: Int32Array.of(1, 2, NA_INT, 4),
    x: Float64Array.of(1.5, NaN, -0, 1e300),
    small: Float64Array.of(-127, 100, NaN, 0),
    mid: Float64Array.of(-32767, 32740, 5, NaN),
    big: Float64Array.of(-2147483647, 2147483620, NaN, 7),
    city: ["北京", "Zürich", null, ""],
    long: ["x".repeat(3000), "", "短", "y"],
    day: ["2020-02-29", null, "1960-01-01", "1899-12-31"],
    when: ["2011-06-25T05:15:06.123Z", null, "1960-01-01T00:00:00.000Z", "2038-01-19T03:14:08.000Z"],
  });
  const tags = { x: Uint8Array.of(0, 1, 0, 0), small: Uint8Array.of(0, 0, 26, 0), mid: Uint8Array.of(0, 0, 0, 8), big: Uint8Array.of(0, 0, 0, 0) };
  for (const byteOrder of ["LSF", "MSF"] as const)
    for (const version of [118, 119] as const) {
      const f = tmp();
      writeDta(f, t, {
        byteOrder,
        version,
        variableLabels: { x: "a double", city: "城市" },
        valueLabels: { small: { "-127": "lowest", "100": "highest", ".z": "refused" }, mid: "shared" },
        labelSets: { shared: { "5": "five" }, unused: { "1": "one" } },
        formats: { day: "%td", when: "%tc" },
        dataLabel: "round trip 测试",
        missingTags: tags,
        timestamp: new Date(2024, 4, 1, 9, 30),
      });
      const { table: r, meta } = readDta(f);
      assert.is(meta.version, version);
      assert.is(meta.byteOrder, byteOrder);
      assert.is(meta.timestamp, "01 May 2024 09:30");
      assert.is(meta.dataLabel, "round trip 测试");
      assert.equal(meta.storageTypes, { id: "byte", x: "double", small: "byte", mid: "int", big: "long", city: "str7", long: "strL", day: "int", when: "double" });
      const want = table({ ...t.columns, id: Float64Array.of(1, 2, NaN, 4), city: ["北京", "Zürich", "", ""] });
      sameTable(want, r);
      assert.equal(meta.variableLabels, { id: "", x: "a double", small: "", mid: "", big: "", city: "城市", long: "", day: "", when: "" });
      assert.equal(meta.valueLabelNames, { small: "small", mid: "shared" });
      assert.equal(meta.valueLabels, { shared: { "5": "five" }, unused: { "1": "one" }, small: { "-127": "lowest", "100": "highest", ".z": "refused" } });
      assert.equal(meta.extendedMissing, { x: { a: 1 }, small: { z: 1 }, mid: { h: 1 } });
      assert.equal(meta.missing, { id: 1, x: 1, small: 1, mid: 1, big: 1, city: 0, long: 0, day: 1, when: 1 });
      assert.equal([...(meta.missingTags.small as Uint8Array)], [0, 0, 26, 0]);
      // Labels as strings: the tagged NA with a label shows it; unlabelled values show the number.
      const s = readDta(f, { valueLabels: "strings" }).table.columns.small;
      assert.equal(s, ["lowest", "highest", "refused", "0"]);
      const n = readDta(f, { dates: "numeric" }).table.columns.day as Float64Array;
      assert.equal([...n].map((v) => (Number.isNaN(v) ? null : v)), [21974, null, 0, -21915]);
    }
});

const realFiles = fs.readdirSync(DIR).filter((f) => f.endsWith(".dta"));
test(`every fixture survives read → write(118) → read with labels, formats and tags (${realFiles.length} files)`, () => {
  for (const fx of realFiles) {
    const a = readDta(path.join(DIR, fx));
    const f = tmp();
    writeDta(f, a.table, writeOptionsFromMeta(a.meta));
    const b = readDta(f);
    try {
      // Strings: Stata has no string NA, so nothing to lose; numbers bit-identical.
      sameTable(a.table, b.table);
      assert.equal(b.meta.variableLabels, a.meta.variableLabels);
      assert.equal(b.meta.formats, a.meta.formats);
      assert.equal(b.meta.extendedMissing, a.meta.extendedMissing);
      assert.equal(b.meta.missing, a.meta.missing);
      assert.is(b.meta.dataLabel, a.meta.dataLabel);
      for (const [col, set] of Object.entries(a.meta.valueLabelNames))
        if (a.meta.valueLabels[set] !== undefined) assert.equal(b.meta.valueLabels[b.meta.valueLabelNames[col] as string], a.meta.valueLabels[set]);
    } catch (e) {
      (e as Error).message = `${fx}: ${(e as Error).message}`;
      throw e;
    }
  }
});

test("a table bigger than one read chunk is read back whole", () => {
  const n = 200_003; // > 512 KB of records, not a multiple of the chunk
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const s: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = i % 1000 === 0 ? NaN : i * 0.5;
    b[i] = i - 100_000;
    s[i] = `r${i % 10}`;
  }
  const f = tmp();
  writeDta(f, table({ a, b, s }));
  const { table: r, meta } = readDta(f);
  sameTable(table({ a, b, s }), r);
  assert.is(meta.missing.a, 201);
  assert.is(meta.storageTypes.b, "long");
});

test("writer rejects +Infinity (it collides with Stata's missing codes) and unknown label sets with one-line messages", () => {
  assert.throws(
    () => writeDta(tmp(), table({ x: Float64Array.of(1, Infinity) }, "t")),
    (e: unknown) => /^vagg data error: .*t\d+\.dta: column "x", row 2: Infinity cannot be stored/.test((e as Error).message),
  );
  assert.throws(
    () => writeDta(tmp(), table({ x: Float64Array.of(1) }), { valueLabels: { x: "nope" } }),
    (e: unknown) => /column "x": value-label set "nope" is not in labelSets$/.test((e as Error).message),
  );
});

test.after(() => fs.rmSync(TMP, { recursive: true, force: true }));
test.run();
