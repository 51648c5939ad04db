import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { HEAP_FLAGS, withHeapFlags } from "../../lib/util/heap-flags";

test("withHeapFlags adds the flags to NODE_OPTIONS once and keeps other options", () => {
  assert.is(withHeapFlags({}).NODE_OPTIONS, HEAP_FLAGS.join(" "));
  assert.is(withHeapFlags({ NODE_OPTIONS: "--enable-source-maps" }).NODE_OPTIONS, `--enable-source-maps ${HEAP_FLAGS.join(" ")}`);
  // a value the user set is theirs
  assert.is(withHeapFlags({ NODE_OPTIONS: "--max-semi-space-size=8" }).NODE_OPTIONS, "--max-semi-space-size=8");
  assert.is(withHeapFlags({ NODE_OPTIONS: "--max_semi_space_size=8" }).NODE_OPTIONS, "--max_semi_space_size=8");
});

test("node accepts the flags in NODE_OPTIONS (a child started by another program sees them)", () => {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(require('v8').getHeapStatistics().total_heap_size > 0))"], {
    env: { ...process.env, ...withHeapFlags({}) },
    encoding: "utf8",
  });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, "true");
});

test.run();
