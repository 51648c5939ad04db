import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../lib/synth";
import { buildResiliencePanel } from "../../lib/papers/rs/panel";
import { buildQualityPanel } from "../../lib/papers/eq/panel";
import { DataError } from "../../lib/util/errors";

// A researcher drops real files into a folder: a missing column, text in a numeric column or a
// duplicated key in any raw file stops the paper's panel builder with one line naming the file,
// the column and the row or key — not an error deep inside a helper.

const base = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-raw-"));
const ready = generate({ scale: "small", seed: 20220707, outDir: path.join(base, "clean") });

async function folderWith(name: string, edit: (lines: string[]) => string[]): Promise<string> {
  await ready;
  const dir = fs.mkdtempSync(path.join(base, "case-"));
  for (const f of fs.readdirSync(path.join(base, "clean"))) fs.copyFileSync(path.join(base, "clean", f), path.join(dir, f));
  const file = path.join(dir, name);
  fs.writeFileSync(file, edit(fs.readFileSync(file, "utf8").trimEnd().split("\n")).join("\n") + "\n");
  return dir;
}

async function stops(build: (dir: string) => Promise<unknown>, dir: string, re: RegExp): Promise<void> {
  try {
    await build(dir);
    assert.unreachable("should have stopped");
  } catch (e) {
    assert.instance(e, DataError, String(e));
    const msg = (e as Error).message;
    assert.match(msg, re);
    assert.not.match(msg, /\n/, "one line");
  }
}

const rs = (dir: string) => buildResiliencePanel(dir);
const eq = (dir: string) => buildQualityPanel(dir);

test("RS: a duplicated city-year in the yearbook names the file and the key", async () => {
  const dir = await folderWith("city_yearbook.csv", (l) => [...l, l[5] as string]);
  await stops(rs, dir, /city_yearbook\.csv.*duplicate key \(city_code=\d+, year=\d+\) at rows 5 and \d+/);
});

test("RS: a missing column of the members file names the file and the column", async () => {
  const dir = await folderWith("alibaba_members.csv", (l) => l.map((x) => x.split(",").slice(0, -1).join(",")));
  await stops(rs, dir, /alibaba_members\.csv.*column "[a-z_]+".*missing/);
});

test("EQ: text in a numeric column of the national series names the file, column, row and value", async () => {
  const dir = await folderWith("national_series.csv", (l) => {
    const head = (l[0] as string).split(","),
      j = head.indexOf("internet_users");
    return l.map((x, i) =>
      i === 3
        ? x
            .split(",")
            .map((v, k) => (k === j ? "n/a" : v))
            .join(",")
        : x,
    );
  });
  await stops(eq, dir, /national_series\.csv.*column "internet_users", row 3: expected a number, found "n\/a"/);
});

test("EQ: a duplicated census row names the file and the key", async () => {
  const dir = await folderWith("census_2004.csv", (l) => [...l, l[1] as string]);
  await stops(eq, dir, /census_2004\.csv.*duplicate key \(city_code=\d+, industry=[^)]+\) at rows 1 and \d+/);
});

test.after(() => fs.rmSync(base, { recursive: true, force: true }));
test.run();
