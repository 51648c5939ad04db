/**
 * `recoveryStudy` (lib/papers/recovery-study.ts) as the recovery notebooks call it, on the RS
 * estimates at small scale with two seeds, in temporary folders (never exports/ or results/):
 * a notebook's run saves nothing; a study saved by `runRecoveryStudy({ saveDir })` (`vagg
 * recovery --save`) is reused only after re-running one replication bit for bit,
 * writes the same CSVs and says so; a saved draw that the code no longer reproduces stops the
 * notebook with one line; VAGG_RECOVERY=run and another number of seeds run the study afresh.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recoveryStudy, runRecoveryStudy } from "../../lib/papers/recovery-study";
import { recoveryStatus } from "../../lib/papers/recovery";
import { savedRecoveryFiles } from "../../lib/papers/recovery-saved";
import { sha256 } from "../../lib/util/file-hash";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-recovery-study-"));
const results = path.join(root, "results");
const env1 = { scale: "small", exportsDir: path.join(root, "exp1") };
const env2 = { scale: "small", exportsDir: path.join(root, "exp2") };
const csv = (env: { exportsDir: string }, f: string) => fs.readFileSync(path.join(env.exportsDir, "tables", f), "utf8");

test("a notebook's run saves nothing; `vagg recovery --save` saves; the next call reuses it after re-running one replication, with the same CSVs", async () => {
  const a0 = await recoveryStudy("rs", env1, { seeds: 2, resultsDir: results });
  assert.is(a0.origin?.kind, "run");
  if (a0.origin?.kind === "run") assert.match(a0.origin.why, /no saved study/);
  assert.not.ok(fs.existsSync(results), "a notebook writes nothing outside its exports folder");
  const a = await runRecoveryStudy({ paper: "rs", seeds: 2, scale: "small", outDir: env1.exportsDir + "/tables", saveDir: results });
  assert.ok(a.saved?.endsWith("rs-small.json"), a.saved);
  assert.equal(a.summary, a0.rows);
  const f = savedRecoveryFiles(results, "rs", "small");
  assert.ok(fs.existsSync(f.meta) && fs.existsSync(f.draws));
  const b = await recoveryStudy("rs", env2, { seeds: 2, resultsDir: results });
  assert.is(b.origin?.kind, "saved");
  if (b.origin?.kind === "saved") {
    assert.ok([0, 1].includes(b.origin.check.replication));
    assert.ok(b.origin.check.estimates > 5, "every estimate of the replication compared");
    assert.match(b.origin.command, /npm run recovery -- --paper rs --seeds 2 --scale small --save/);
  }
  assert.equal(b.rows, a.summary);
  assert.is(csv(env2, "rs-recovery.csv"), csv(env1, "rs-recovery.csv"));
  assert.is(csv(env2, "rs-recovery-draws.csv"), csv(env1, "rs-recovery-draws.csv"));
  const st = recoveryStatus(b);
  assert.match(st, /Reused the saved study .*bit for bit equal to the saved draws/);
  assert.ok(st.includes("rs-small.json"), st);
});

test("a saved draw the code does not reproduce stops the notebook with one line naming the estimate", async () => {
  const f = savedRecoveryFiles(results, "rs", "small");
  const meta = JSON.parse(fs.readFileSync(f.meta, "utf8"));
  const r = parseInt(String(meta.inputs).slice(0, 8), 16) % 2; // the replication the check re-runs
  const orig = fs.readFileSync(f.draws, "utf8");
  const lines = orig.split("\n");
  const i = lines.findIndex((l, k) => k > 0 && l.startsWith(`${r}.0,`));
  const cells = lines[i]!.split(",");
  // the estimate is the fourth field from the end (estimate, se, truth); nudge its last digit
  const e = cells.length - 3;
  cells[e] = String(Number(cells[e]) * (1 + 1e-15));
  lines[i] = cells.join(",");
  const edited = lines.join("\n");
  assert.is.not(edited, orig);
  fs.writeFileSync(f.draws, edited);
  fs.writeFileSync(f.meta, JSON.stringify({ ...meta, draws: { ...meta.draws, sha256: sha256(edited) } }, null, 2));
  let msg = "";
  try {
    await recoveryStudy("rs", env2, { seeds: 2, resultsDir: results });
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.match(
    msg,
    new RegExp(
      `^vagg data error: .*rs-small\\.json: saved recovery study: replication ${r} \\(seed \\d+\\) re-run here gives estimate .* the saved draw`,
    ),
  );
  assert.is(msg.split("\n").length, 1);
  fs.writeFileSync(f.draws, orig);
  fs.writeFileSync(f.meta, JSON.stringify(meta, null, 2));
});

test("VAGG_RECOVERY=run runs afresh; another number of seeds is not reused", async () => {
  process.env["VAGG_RECOVERY"] = "run";
  try {
    const c = await recoveryStudy("rs", env2, { seeds: 2, resultsDir: results });
    assert.is(c.origin?.kind, "run");
    if (c.origin?.kind === "run") assert.is(c.origin.why, "a fresh run was asked for: VAGG_RECOVERY=run");
  } finally {
    delete process.env["VAGG_RECOVERY"];
  }
  const d = await recoveryStudy("rs", env2, { seeds: 1, resultsDir: results });
  assert.is(d.origin?.kind, "run");
  if (d.origin?.kind === "run") assert.match(d.origin.why, /has seeds 2, this run 1/);
  assert.match(recoveryStatus(d), /Run here \(the saved study .* has seeds 2, this run 1\)/);
});

test("--save refuses what a notebook's check could not reproduce: a custom estimate function, other generator options, several DuckDB threads", async () => {
  const msgs: string[] = [];
  const tryRun = async (o: Partial<Parameters<typeof runRecoveryStudy>[0]>) => {
    try {
      await runRecoveryStudy({
        paper: "rs",
        seeds: 1,
        scale: "small",
        outDir: path.join(root, "x"),
        saveDir: path.join(root, "nosave"),
        ...o,
      });
      msgs.push("ran");
    } catch (e) {
      msgs.push((e as Error).message);
    }
  };
  await tryRun({ estimator: () => [] });
  await tryRun({ generateOptions: {} });
  process.env["VAGG_DUCKDB_THREADS"] = "2";
  try {
    await tryRun({});
  } finally {
    delete process.env["VAGG_DUCKDB_THREADS"];
  }
  assert.match(msgs[0]!, /--save needs the registered paper's own estimate function/);
  assert.match(msgs[1]!, /--save needs the registered paper's own estimate function and generator options/);
  assert.match(msgs[2]!, /--save needs VAGG_DUCKDB_THREADS=1 \(set: 2\)/);
  assert.not.ok(fs.existsSync(path.join(root, "nosave")));
});

test.after(() => fs.rmSync(root, { recursive: true, force: true }));
test.run();
