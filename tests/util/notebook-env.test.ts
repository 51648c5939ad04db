import { test } from "uvu";
import * as assert from "uvu/assert";
import * as path from "node:path";
import { format, inspect } from "node:util";
import { notebookEnv, REPO_ROOT_DIR, displayPath, sourceDateEpoch } from "../../lib/util/notebook-env";

const VARS = ["VAGG_SCALE", "VAGG_DATA_DIR", "VAGG_EXPORTS"] as const;

/** Runs `f` with the given VAGG_* variables (others unset), restoring the environment afterwards. */
function withEnv<T>(vars: Partial<Record<(typeof VARS)[number], string>>, f: () => T): T {
  const prev = VARS.map((k) => [k, process.env[k]] as const);
  for (const k of VARS) {
    const v = vars[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return f();
  } finally {
    for (const [k, v] of prev) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test("notebookEnv: absolute folders for code, repository-relative ones when printed", () => {
  const env = withEnv({ VAGG_SCALE: "small" }, () => notebookEnv());
  assert.is(env.dataDir, path.join(REPO_ROOT_DIR, "data", "raw", "synthetic", "small"));
  assert.is(env.exportsDir, path.join(REPO_ROOT_DIR, "exports"));
  assert.is(env.synthetic, true);
  const shown = inspect(env);
  assert.match(shown, /dataDir: 'data\/raw\/synthetic\/small'/);
  assert.match(shown, /exportsDir: 'exports'/);
  assert.match(shown, /scale: 'small'/);
  assert.match(shown, /synthetic: true/);
  assert.not.ok(shown.includes(REPO_ROOT_DIR), shown);
  assert.not.ok(format("%o", { env }).includes(REPO_ROOT_DIR), "nested too");
  assert.equal(JSON.parse(JSON.stringify(env)), {
    scale: "small",
    seed: env.seed,
    dataDir: "data/raw/synthetic/small",
    exportsDir: "exports",
    synthetic: true,
  });
});

test("notebookEnv: the display methods are not enumerable — keys, spreads and equality see the five fields", () => {
  const env = withEnv({ VAGG_SCALE: "small" }, () => notebookEnv());
  assert.equal(Object.keys(env), ["scale", "seed", "dataDir", "exportsDir", "synthetic"]);
  assert.equal({ ...env }, { scale: "small", seed: env.seed, dataDir: env.dataDir, exportsDir: env.exportsDir, synthetic: true });
  assert.ok(path.isAbsolute({ ...env }.dataDir));
});

test("notebookEnv: VAGG_DATA_DIR / VAGG_EXPORTS outside the repository are shown as given, inside relative", () => {
  const outside = path.relative(process.cwd(), path.join(path.dirname(REPO_ROOT_DIR), "vagg-real-data"));
  const env = withEnv({ VAGG_DATA_DIR: outside, VAGG_EXPORTS: path.join(REPO_ROOT_DIR, "exports", "run1") }, () => notebookEnv());
  assert.is(env.dataDir, path.resolve(outside));
  assert.is(env.synthetic, false);
  assert.is(env.exportsDir, path.join(REPO_ROOT_DIR, "exports", "run1"));
  const j = JSON.parse(JSON.stringify(env)) as Record<string, unknown>;
  assert.is(j["dataDir"], outside);
  assert.is(j["exportsDir"], "exports/run1");
  assert.match(inspect(env), /exportsDir: 'exports\/run1'/);
  const abs = withEnv({ VAGG_DATA_DIR: "/mnt/real", VAGG_EXPORTS: "/tmp/vagg-run-42" }, () => notebookEnv());
  assert.match(inspect(abs), /dataDir: '\/mnt\/real'/);
  assert.match(inspect(abs), /exportsDir: '\$VAGG_EXPORTS'/, "a runner's temporary exports folder is not printed");
  assert.is(abs.exportsDir, "/tmp/vagg-run-42");
});

test("notebook-env re-exports displayPath and sourceDateEpoch", () => {
  assert.is(displayPath(path.join(REPO_ROOT_DIR, "exports")), "exports");
  assert.type(sourceDateEpoch, "function");
});

test.run();
