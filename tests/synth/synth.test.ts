import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate, TRUTH, type Manifest } from "../../lib/synth";
import { readTable } from "../../lib/data/io";
import { SCHEMA_BY_FILE, CITY_YEARBOOK, CENSUS } from "../../lib/data/schemas";

// Byte-identical regeneration, seed sensitivity, schema validation of every generated file,
// and rejection of corrupted files with one-line errors naming file and column.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-synth-"));
let a: Manifest, b: Manifest, c: Manifest;
test.before(async () => {
  a = await generate({ scale: "small", seed: 11, outDir: path.join(tmp, "a") });
  b = await generate({ scale: "small", seed: 11, outDir: path.join(tmp, "b") });
  c = await generate({ scale: "small", seed: 12, outDir: path.join(tmp, "c") });
});

test("same seed → byte-identical files (SHA-256 of every file)", () => {
  assert.ok(a.files.length >= 13);
  assert.equal(
    a.files.map((f) => [f.file, f.sha256]),
    b.files.map((f) => [f.file, f.sha256]),
  );
});

test("different seed → different data files", () => {
  const h = new Map(c.files.map((f) => [f.file, f.sha256]));
  for (const f of ["customs.parquet", "city_yearbook.csv", "alibaba_members.csv", "census_2004.csv", "history_1984.csv"])
    assert.is.not(h.get(f), a.files.find((x) => x.file === f)!.sha256, f);
});

test("every generated file validates against its schema", async () => {
  for (const [file, schema] of Object.entries(SCHEMA_BY_FILE)) {
    const t = await readTable(path.join(tmp, "a", file), { schema });
    assert.ok(t.nrows > 0, file);
  }
});

test("data/codebook/truth.json equals the TRUTH constant", () => {
  const f = path.resolve(__dirname, "../../data/codebook/truth.json");
  assert.equal(JSON.parse(fs.readFileSync(f, "utf8")), JSON.parse(JSON.stringify(TRUTH)));
});

function corrupt(name: string, edit: (lines: string[]) => string[]): string {
  const src = path.join(tmp, "a", name);
  const dst = path.join(tmp, "bad_" + name);
  fs.writeFileSync(dst, edit(fs.readFileSync(src, "utf8").trimEnd().split("\n")).join("\n") + "\n");
  return dst;
}
async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  return "";
}

test("loader rejects a missing column (one line, names file and column)", async () => {
  const f = corrupt("city_yearbook.csv", (ls) =>
    ls.map((l) =>
      l
        .split(",")
        .filter((_, j) => j !== 4)
        .join(","),
    ),
  );
  const m = await errorOf(readTable(f, { schema: CITY_YEARBOOK }));
  assert.ok(m.includes(f) && m.includes('column "gdp"') && !m.includes("\n"), m);
});

test("loader rejects a wrong type (text in a number column)", async () => {
  const f = corrupt("census_2004.csv", (ls) =>
    ls.map((l, i) =>
      i === 3
        ? l
            .split(",")
            .map((v, j) => (j === 3 ? "n/a" : v))
            .join(",")
        : l,
    ),
  );
  const m = await errorOf(readTable(f, { schema: CENSUS }));
  assert.ok(m.includes(f) && m.includes('column "output"') && !m.includes("\n"), m);
});

test("loader rejects duplicate keys", async () => {
  const f = corrupt("census_2004.csv", (ls) => [...ls, ls[1] as string]);
  const m = await errorOf(readTable(f, { schema: CENSUS }));
  assert.ok(m.includes(f) && m.includes("duplicate key") && m.includes("city_code+industry"), m);
});

test.run();
