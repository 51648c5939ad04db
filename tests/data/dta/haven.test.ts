import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as path from "path";
import { readDta } from "../../../lib/data/dta";
import type { Column } from "../../../lib/data/table";

// Tolerances (declared here, with reasons):
// - NUMERIC_TOL = 0: make_expected.R writes every number as a "%.17g" string, which parses back
//   to the exact double haven read, so numbers must agree bit for bit.
// - DATES: exact string equality; haven's Date/POSIXct are formatted as YYYY-MM-DD and
//   %Y-%m-%dT%H:%M:%OS3Z (UTC), the same strings readDta returns.
const NUMERIC_TOL = 0;

const DIR = path.join(__dirname, "../../fixtures/dta");
const EXPECTED = path.join(DIR, "expected");

interface ExpectedColumn {
  class: "numeric" | "labelled" | "character" | "Date" | "POSIXct";
  label: string | null;
  format: string | null;
  na: number;
  tags: Record<string, number> | [];
  labels: Record<string, string> | null;
  values: (string | null)[];
}
interface Expected {
  file: string;
  nrows: number;
  names: string[];
  label: string | null;
  columns: Record<string, ExpectedColumn>;
}

const files = fs.readdirSync(EXPECTED).filter((f) => f.endsWith(".json")).sort();

test("every fixture has a haven expectation and vice versa", () => {
  const dtas = fs.readdirSync(DIR).filter((f) => f.endsWith(".dta")).sort();
  assert.equal(files.map((f) => f.replace(/\.json$/, ".dta")), dtas);
  assert.ok(dtas.length >= 20);
});

for (const jf of files) {
  const exp = JSON.parse(fs.readFileSync(path.join(EXPECTED, jf), "utf8")) as Expected;
  test(`${exp.file}: agrees with haven::read_dta`, () => {
    const { table: t, meta } = readDta(path.join(DIR, exp.file));
    assert.is(t.nrows, exp.nrows, "nrows");
    assert.equal(t.names, exp.names, "names");
    assert.is(meta.dataLabel, exp.label ?? "", "data label");
    for (const name of exp.names) {
      const e = exp.columns[name] as ExpectedColumn;
      const c = t.columns[name] as Column;
      const where = `${exp.file}:${name}`;
      assert.is(meta.variableLabels[name], e.label ?? "", `${where} variable label`);
      assert.is(meta.formats[name], e.format ?? "", `${where} format`);
      assert.is(meta.missing[name], e.na, `${where} NA count`);
      const tags = Array.isArray(e.tags) ? {} : e.tags;
      assert.equal(meta.extendedMissing[name] ?? {}, tags, `${where} extended-missing counts`);
      if (e.labels !== null) {
        const setName = meta.valueLabelNames[name];
        assert.ok(setName !== undefined, `${where} has a value-label set`);
        assert.equal(meta.valueLabels[setName as string], e.labels, `${where} value labels`);
      } else if (meta.valueLabelNames[name] !== undefined) {
        // haven drops a label name whose set is absent from the file; so must the set be.
        assert.is(meta.valueLabels[meta.valueLabelNames[name] as string], undefined, `${where} dangling label set`);
      }
      if (e.class === "numeric" || e.class === "labelled") {
        assert.ok(c instanceof Float64Array, `${where} is Float64Array`);
        e.values.forEach((v, i) => {
          const got = (c as Float64Array)[i] as number;
          if (v === null) assert.ok(Number.isNaN(got), `${where}[${i}] NA`);
          else {
            const want = v === "Inf" ? Infinity : v === "-Inf" ? -Infinity : Number(v);
            assert.ok(got === want || Math.abs(got - want) <= NUMERIC_TOL * Math.abs(want), `${where}[${i}]: ${got} vs ${want}`);
          }
        });
      } else {
        assert.ok(Array.isArray(c), `${where} is a string column`);
        e.values.forEach((v, i) => assert.is((c as (string | null)[])[i], v, `${where}[${i}]`));
      }
    }
  });
}

test.run();
