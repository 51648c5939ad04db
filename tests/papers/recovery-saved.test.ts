/**
 * Saved recovery studies (lib/papers/recovery-saved.ts): the draws survive the CSV round trip bit
 * for bit, a study is offered for reuse only under its own key (paper, scale, seeds, base seed,
 * inputs hash) and only with the draws file it wrote, and the inputs hash moves with every input
 * it names (lib/ sources, the lock file, data/raw/public) and with nothing else.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  RECOVERY_RESULTS_DIR,
  asSaved,
  readSavedRecovery,
  recoveryInputsHash,
  saveRecovery,
  savedRecoveryFiles,
  type RecoveryKey,
} from "../../lib/papers/recovery-saved";
import type { RecoveryDraw } from "../../lib/papers/recovery";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-recovery-saved-"));
const key: RecoveryKey = { paper: "toy", scale: "small", seeds: 2, baseSeed: 7, runtime: "v20.20.2 linux-x64", inputs: "ab".repeat(32) };
// doubles that a decimal round trip with too few digits would move, a NaN and a name with a comma
const draws: RecoveryDraw[] = [
  { replication: 0, seed: 3935028789, name: "T2 (4) baseline, city clusters", estimate: 0.1 + 0.2, se: 1e-300, truth: 0.3314568817257086 },
  { replication: 0, seed: 3935028789, name: "tiny", estimate: 5e-324, se: NaN, truth: -1.7976931348623157e308 },
  { replication: 1, seed: 12, name: "T2 (4) baseline, city clusters", estimate: 2 / 3, se: Math.PI, truth: Math.E },
  { replication: 1, seed: 12, name: "tiny", estimate: -0.000123456789012345, se: 1, truth: 123456789012.34567 },
];

test("round trip: every draw read back bit for bit (NaN included), with the key and the draws' hash recorded", async () => {
  const meta = await saveRecovery(dir, key, draws, { command: "npm run recovery -- --paper toy --save", seconds: 12.345, jobs: 2 });
  assert.is(meta.seconds, 12.3);
  assert.is(meta.draws.rows, 4);
  const s = await readSavedRecovery(dir, key);
  if (!("draws" in s)) throw new Error(`not reused: ${s.reason}`);
  assert.is(s.draws.length, draws.length);
  s.draws.forEach((d, i) => {
    const o = draws[i]!;
    assert.is(d.name, o.name);
    for (const k of ["replication", "seed", "estimate", "se", "truth"] as const)
      assert.ok(Object.is(d[k], o[k]), `${k} of row ${i}: ${d[k]} vs ${o[k]}`);
  });
  assert.equal(s.meta.inputs, key.inputs);
});

test("reused only under its own key: another scale, number of seeds, base seed, runtime or inputs hash gives the reason instead", async () => {
  const variants: [Partial<RecoveryKey>, RegExp][] = [
    [{ scale: "paper" }, /no saved study/], // another scale is another file
    [{ seeds: 3 }, /has seeds 2, this run 3/],
    [{ baseSeed: 8 }, /has baseSeed 7, this run 8/],
    [{ runtime: "v22.1.0 linux-x64" }, /has runtime v20.20.2 linux-x64, this run v22.1.0 linux-x64/],
    [{ inputs: "cd".repeat(32) }, /made from other inputs .*abababababab ≠ cdcdcdcdcdcd/],
  ];
  for (const [change, re] of variants) {
    const s = await readSavedRecovery(dir, { ...key, ...change });
    assert.ok("reason" in s, JSON.stringify(change));
    if ("reason" in s) assert.match(s.reason, re);
  }
});

test("a draws file edited after saving is not reused; a broken metadata file is one DataError naming it", async () => {
  const f = savedRecoveryFiles(dir, "toy", "small");
  const orig = fs.readFileSync(f.draws, "utf8");
  assert.ok(orig.includes("0.30000000000000004"));
  fs.writeFileSync(f.draws, orig.replace("0.30000000000000004", "0.3"));
  const s = await readSavedRecovery(dir, key);
  assert.ok("reason" in s && /is not the file the study wrote/.test(s.reason));
  fs.writeFileSync(f.draws, orig);
  assert.ok("draws" in (await readSavedRecovery(dir, key)));
  const meta = fs.readFileSync(f.meta, "utf8");
  fs.writeFileSync(f.meta, meta.slice(0, 40));
  let msg = "";
  try {
    await readSavedRecovery(dir, key);
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.match(msg, /^vagg data error: .*toy-small\.json: saved recovery study: not valid JSON/);
  assert.is(msg.split("\n").length, 1);
  fs.writeFileSync(f.meta, meta);
});

test("the inputs hash moves with lib/ sources, the lock file and data/raw/public, not with build output, tests or docs", () => {
  const root = fs.mkdtempSync(path.join(dir, "root-"));
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  put("lib/estimators/a.ts", "export const a = 1;\n");
  put("lib/dist/types/a.d.ts", "export declare const a: number;\n");
  put("package-lock.json", "{}\n");
  put("data/raw/public/cities.csv", "code,name\n1,北京\n");
  put("tests/a.test.ts", "// a test\n");
  put("README.md", "# readme\n");
  const h0 = recoveryInputsHash(root);
  assert.match(h0, /^[0-9a-f]{64}$/);
  assert.is(recoveryInputsHash(root), h0, "deterministic");
  const moves = (rel: string, text: string): boolean => {
    const before = fs.readFileSync(path.join(root, rel), "utf8");
    put(rel, text);
    const h = recoveryInputsHash(root);
    put(rel, before);
    assert.is(recoveryInputsHash(root), h0, `${rel} restored`);
    return h !== h0;
  };
  assert.ok(moves("lib/estimators/a.ts", "export const a = 2;\n"), "a lib source");
  assert.ok(moves("package-lock.json", '{"lockfileVersion":3}\n'), "the lock file");
  assert.ok(moves("data/raw/public/cities.csv", "code,name\n1,上海\n"), "public data");
  assert.not.ok(moves("lib/dist/types/a.d.ts", "export declare const a: 1;\n"), "build output");
  assert.not.ok(moves("tests/a.test.ts", "// another test\n"), "a test");
  assert.not.ok(moves("README.md", "# other\n"), "docs");
  put("lib/estimators/b.ts", "export const b = 1;\n");
  assert.is.not(recoveryInputsHash(root), h0, "a new lib source");
});

test("asSaved: fresh draws pass through the same CSV round trip as saved ones (signed zero, NaN, 17 digits)", async () => {
  const d: RecoveryDraw[] = [
    { replication: 0, seed: 1, name: "a", estimate: -0, se: NaN, truth: 0.1 + 0.2 },
    { replication: 0, seed: 1, name: "b", estimate: 1.5, se: 0, truth: -2.5e-17 },
  ];
  const fresh = await asSaved(d);
  await saveRecovery(dir, { ...key, paper: "neg" }, d, { command: "x", seconds: 1, jobs: 1 });
  const back = await readSavedRecovery(dir, { ...key, paper: "neg" });
  if (!("draws" in back)) throw new Error(back.reason);
  fresh.forEach((r, i) => {
    for (const k of ["replication", "seed", "name", "estimate", "se", "truth"] as const)
      assert.ok(Object.is(r[k], back.draws[i]![k]), `${k}: ${String(r[k])} vs ${String(back.draws[i]![k])}`);
  });
  assert.ok(Number.isNaN(fresh[0]!.se) && fresh[0]!.truth === 0.30000000000000004 && fresh[1]!.truth === -2.5e-17);
});

test("a saved study of another format is not reused", async () => {
  const f = savedRecoveryFiles(dir, "toy", "small");
  const meta = fs.readFileSync(f.meta, "utf8");
  fs.writeFileSync(f.meta, meta.replace('"format": 1', '"format": 2'));
  const s = await readSavedRecovery(dir, key);
  assert.ok("reason" in s && /has format 2, this code reads format 1/.test(s.reason));
  fs.writeFileSync(f.meta, meta);
});

test("the committed studies in results/recovery are whole: their draws file is the one recorded, one replication per seed, every estimate in each", async () => {
  const metas = fs.existsSync(RECOVERY_RESULTS_DIR) ? fs.readdirSync(RECOVERY_RESULTS_DIR).filter((f) => f.endsWith(".json")) : [];
  assert.ok(metas.length >= 2, `results/recovery holds ${metas.length} saved studies; the appendix reuses the EQ and RS ones`);
  for (const f of metas) {
    const meta = JSON.parse(fs.readFileSync(path.join(RECOVERY_RESULTS_DIR, f), "utf8")) as RecoveryKey & { command: string };
    assert.match(
      meta.command,
      new RegExp(`^npm run recovery -- --paper ${meta.paper} --seeds ${meta.seeds} --scale ${meta.scale}\\b.* --save$`),
      f,
    );
    const s = await readSavedRecovery(RECOVERY_RESULTS_DIR, meta);
    if (!("draws" in s)) throw new Error(`${f}: ${s.reason}`);
    const reps = new Map<number, string[]>();
    for (const d of s.draws) reps.set(d.replication, [...(reps.get(d.replication) ?? []), d.name]);
    assert.equal(
      [...reps.keys()],
      Array.from({ length: meta.seeds }, (_, r) => r),
      `${f}: replications 0…${meta.seeds - 1} in order`,
    );
    const names = JSON.stringify(reps.get(0));
    for (const [r, n] of reps) assert.is(JSON.stringify(n), names, `${f}: replication ${r} has other estimates than replication 0`);
  }
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
