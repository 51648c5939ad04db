import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as iconv from "iconv-lite";
import { readDta } from "../../../lib/data/dta";
import { makeDecoder } from "../../../lib/data/dta/encoding";
import { DataError, ArgumentError } from "../../../lib/util/errors";

// Tolerances: none (messages are compared exactly or by anchored pattern).

const DIR = path.join(__dirname, "../../fixtures/dta");
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-dta-err-"));
const write = (name: string, bytes: Uint8Array): string => {
  const f = path.join(TMP, name);
  fs.writeFileSync(f, bytes);
  return f;
};
const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof DataError || e instanceof ArgumentError, `a vagg error, got ${(e as Error).name}: ${(e as Error).message}`);
    return (e as Error).message;
  }
  throw new Error("expected an error");
};

test("wrong magic: one line naming the file", () => {
  const f = write("notdta.dta", Buffer.from("city,gdp\nBeijing,1\n"));
  assert.is(messageOf(() => readDta(f)), `vagg data error: ${f}: not a Stata .dta file (unrecognised header bytes)`);
});

test("unsupported versions: old binary 113 and tagged 120", () => {
  const old = Buffer.alloc(200);
  old[0] = 113;
  old[1] = 2;
  const f = write("v113.dta", old);
  assert.is(messageOf(() => readDta(f)), `vagg data error: ${f}: unsupported .dta format 113 (readable: 114, 115, 117, 118, 119; re-save it with a newer Stata)`);
  const xml = Buffer.from(fs.readFileSync(path.join(DIR, "haven-iris.dta")));
  xml.write("120", 28, "latin1");
  const g = write("v120.dta", xml);
  assert.is(messageOf(() => readDta(g)), `vagg data error: ${g}: unsupported .dta format 120 (readable: 114, 115, 117, 118, 119)`);
});

test("missing file and empty file", () => {
  const f = path.join(TMP, "nope.dta");
  assert.is(messageOf(() => readDta(f)), `vagg data error: ${f}: file not found`);
  const e = write("empty.dta", Buffer.alloc(0));
  assert.is(messageOf(() => readDta(e)), `vagg data error: ${e}: not a Stata .dta file: only 0 bytes`);
});

test("truncated data section: names the byte counts", () => {
  const full = fs.readFileSync(path.join(DIR, "haven-iris.dta"));
  const f = write("trunc.dta", full.subarray(0, 5000));
  assert.match(messageOf(() => readDta(f)), new RegExp(`^vagg data error: ${f.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: truncated or corrupt file: 150 observations of \\d+ bytes need \\d+ bytes but the file has 5000$`));
});

// Every prefix of a tagged-format file (117+) is missing its closing tags, so reading any of them
// must fail with a one-line DataError naming the file — never a RangeError or a silent success.
for (const fx of ["haven-types.dta", "pd-stata14_118.dta", "rs13-missings_msf.dta", "gen-haven-119.dta"]) {
  test(`${fx}: every truncation is a one-line DataError naming the file`, () => {
    const full = fs.readFileSync(path.join(DIR, fx));
    const f = path.join(TMP, `cut-${fx}`);
    for (let len = 0; len < full.length; len += len < 400 ? 1 : 7) {
      fs.writeFileSync(f, full.subarray(0, len));
      const m = messageOf(() => readDta(f));
      assert.ok(m.startsWith(`vagg data error: ${f}: `) && !m.includes("\n"), `cut at ${len}: ${m}`);
    }
  });
}

// Formats 114/115 end with value-label tables and no end marker: a cut exactly between tables
// cannot be seen. Every cut must still either read or fail with a DataError, and cuts inside
// the header, descriptors or data must fail.
for (const fx of ["gen-haven-114.dta", "pd-stata6_115.dta", "rs13-encodecp.dta"]) {
  test(`${fx}: truncations inside header or data fail cleanly`, () => {
    const full = fs.readFileSync(path.join(DIR, fx));
    const { meta } = readDta(path.join(DIR, fx));
    const f = path.join(TMP, `cut-${fx}`);
    let failures = 0;
    for (let len = 0; len < full.length; len++) {
      fs.writeFileSync(f, full.subarray(0, len));
      try {
        const r = readDta(f);
        assert.is(r.meta.nobs, meta.nobs, `cut at ${len} read silently with a different N`);
      } catch (e) {
        assert.ok(e instanceof DataError, `cut at ${len}: ${(e as Error).name}: ${(e as Error).message}`);
        assert.ok(!(e as Error).message.includes("\n"));
        failures++;
      }
    }
    assert.ok(failures > 109, "header cuts fail");
  });
}

test("corrupt storage type code names the variable", () => {
  const b = Buffer.from(fs.readFileSync(path.join(DIR, "pd-stata6_115.dta")));
  b[109] = 250; // first typlist entry: 245–250 are no type
  const f = write("badtype.dta", b);
  assert.is(messageOf(() => readDta(f)), `vagg data error: ${f}: corrupt file: variable 1 has unknown storage type code 250`);
});

test("encodings of old formats: windows-1252 default, gb18030 on request, unknown rejected", () => {
  const { table, meta } = readDta(path.join(DIR, "rs13-encodecp.dta"));
  assert.is(meta.encoding, "windows-1252");
  assert.equal((table.columns.chr as string[]).slice(0, 2), ["ä", "ö"]);
  assert.is(readDta(path.join(DIR, "rs13-encodecp.dta"), { encoding: "utf-8" }).table.columns.chr?.[0], "\ufffd", "wrong encoding shows");
  const gb = iconv.encode("北京市", "gb18030");
  assert.is(makeDecoder(115, "gb18030")(gb, 0, gb.length), "北京市");
  assert.is(makeDecoder(118, "gb18030")(Buffer.from("北京市"), 0, 9), "北京市", "118+ is always UTF-8");
  assert.is(messageOf(() => readDta(path.join(DIR, "rs13-encodecp.dta"), { encoding: "klingon" })), 'vagg argument error: unknown text encoding "klingon"');
});

test("bad options are argument errors", () => {
  const f = path.join(DIR, "haven-types.dta");
  assert.match(messageOf(() => readDta(f, { valueLabels: "labels" as never })), /valueLabels must be "codes" or "strings"/);
});

test.after(() => fs.rmSync(TMP, { recursive: true, force: true }));
test.run();
