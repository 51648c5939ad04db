import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RS_LISTS_DIR, RS_SPOTCHECK_DIR, rsListCheck, rsListStatus } from "../../../lib/papers/rs/lists";

function needSpotcheck(): void {
  if (!fs.existsSync(RS_SPOTCHECK_DIR))
    throw new Error(
      `SKIPPED LOUDLY: the list spot-check ${RS_SPOTCHECK_DIR} is missing — the traced-entry checks cannot run (CI must provide ../shared/data/lists-spotcheck/).`,
    );
}

const made: string[] = [];
test.after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A copy of the project's lists with `edit(file text) → new text` applied to one file. */
function mutated(file: string, edit: (s: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-lists-"));
  made.push(dir);
  for (const f of fs.readdirSync(RS_LISTS_DIR)) fs.copyFileSync(path.join(RS_LISTS_DIR, f), path.join(dir, f));
  const p = path.join(dir, file);
  fs.writeFileSync(p, edit(fs.readFileSync(p, "utf8")));
  return dir;
}

const blocking = async (dir: string) =>
  (await rsListCheck(dir))
    .flatMap((c) => c.differences)
    .filter((d) => d.blocking)
    .map((d) => `${d.list}:${d.city}:${d.kind}`);

test("the project lists agree with every traced spot-check entry (no blocking difference)", async () => {
  needSpotcheck();
  const [smart, old] = await rsListCheck();
  assert.equal(await blocking(RS_LISTS_DIR), []);
  // the four traced pilots the memory-typed file lacked, and 桂林 in batch 2 (2013)
  const rows = fs.readFileSync(path.join(RS_LISTS_DIR, "smart_city_pilots.csv"), "utf8").trim().split("\n");
  const year = (c: string) => rows.find((r) => r.split(",")[1] === c)?.split(",")[2];
  assert.equal(["阜阳市", "贵港市", "滁州市", "宿州市", "桂林市"].map(year), ["2013", "2013", "2014", "2014", "2013"]);
  assert.is(smart.traced + smart.unverified, smart.rows);
  assert.is(old.traced + old.unverified, old.rows);
  assert.ok(smart.traced >= 24 && old.traced >= 9, `${smart.traced} / ${old.traced}`);
  assert.not.ok(
    fs.readFileSync(path.join(RS_LISTS_DIR, "old_industrial_base_2013.csv"), "utf8").includes("铜陵市"),
    "铜陵 is contradicted by the Anhui enumeration",
  );
});

test("a project file that contradicts a traced entry fails (each rule)", async () => {
  needSpotcheck();
  const S = "smart_city_pilots.csv",
    O = "old_industrial_base_2013.csv";
  assert.equal(await blocking(mutated(S, (s) => s.replace(/^450300,桂林市,2013,/m, "450300,桂林市,2012,"))), [
    "smart_city_pilots:桂林市:batch",
  ]);
  assert.equal(await blocking(mutated(S, (s) => s.replace(/^450800,贵港市.*\n/m, ""))), ["smart_city_pilots:贵港市:missing"]);
  assert.equal(await blocking(mutated(S, (s) => s.replace(/^(140100,太原市,2012,)traced,[^,]*,/m, "$1unverified,,"))), [
    "smart_city_pilots:太原市:status",
  ]);
  assert.equal(await blocking(mutated(S, (s) => s.replace(/^(130300,秦皇岛市,2012,)unverified,/m, "$1traced,"))), [
    "smart_city_pilots:秦皇岛市:unbacked_trace",
  ]);
  assert.equal(await blocking(mutated(O, (s) => s + "340700,铜陵市,unverified,,typed from memory\n")), [
    "old_industrial_base_2013:铜陵市:contradicted",
  ]);
  assert.equal(await blocking(mutated(O, (s) => s.replace(/^360400,九江市.*\n/m, ""))), ["old_industrial_base_2013:九江市:missing"]);
});

test("bad input: one clear line naming file, column and row", async () => {
  needSpotcheck();
  const dir = mutated("smart_city_pilots.csv", (s) => s.replace(/^(130300,秦皇岛市,2012,)unverified,/m, "$1maybe,"));
  try {
    await rsListCheck(dir);
    assert.unreachable("should have thrown");
  } catch (e) {
    const m = (e as Error).message;
    assert.match(m, /smart_city_pilots\.csv: column "status", row \d+: "maybe" is neither traced nor unverified/);
    assert.not.match(m, /\n/);
  }
});

test("city codes match the project's city file (code and name)", () => {
  const cities = fs
    .readFileSync(path.join(RS_LISTS_DIR, "..", "cities", "cn_city_census_2010_2020_centroids.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1);
  const name = new Map(cities.map((l) => [l.split(",")[1], l.split(",")[0]]));
  for (const f of ["smart_city_pilots.csv", "old_industrial_base_2013.csv"]) {
    const rows = fs.readFileSync(path.join(RS_LISTS_DIR, f), "utf8").trim().split("\n");
    const codes = rows.slice(1).map((r) => r.split(",")[0]!);
    assert.is(new Set(codes).size, codes.length, `${f}: duplicate city_code`);
    for (const r of rows.slice(1)) {
      const [code, city] = r.split(",");
      assert.is(name.get(code!), city, `${f}: ${code} ${city}`);
    }
  }
});

test("rsListStatus: one row per list, counts add up, no blocking note", async () => {
  needSpotcheck();
  const t = await rsListStatus();
  assert.is(t.kind, "report-table");
  assert.is(t.body.length, 2);
  assert.ok(t.notes.some((n) => n.includes("1 053 is 87.75 cities × 12 years")));
  assert.not.ok(t.notes.some((n) => n.startsWith("BLOCKING")));
  const t2 = await rsListStatus(mutated("smart_city_pilots.csv", (s) => s.replace(/^450800,贵港市.*\n/m, "")));
  assert.ok(t2.notes.some((n) => n.startsWith("BLOCKING smart_city_pilots 贵港市 (missing)")));
});

test("rsListStatus without the spot-check folder: counts from the files' status column, the skipped comparison said", async () => {
  const t = await rsListStatus(RS_LISTS_DIR, path.join(os.tmpdir(), "no-such-spotcheck-folder"));
  assert.is(t.body.length, 2);
  for (const [k, f] of [
    [0, "smart_city_pilots.csv"],
    [1, "old_industrial_base_2013.csv"],
  ] as const) {
    const lines = fs.readFileSync(path.join(RS_LISTS_DIR, f), "utf8").trim().split("\n").slice(1);
    const cells = t.body[k]!.cells.map((c) => c.text);
    assert.is(cells[1], String(lines.length));
    assert.is(Number(cells[2]) + Number(cells[3]), lines.length);
  }
  assert.ok(t.notes.some((n) => n.includes("comparison with it is skipped")));
});

test.run();
