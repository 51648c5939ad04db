#!/usr/bin/env node
// npm run bench → bench/run.ts under tsx (see that file).
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const r = spawnSync(
  process.execPath,
  [require.resolve("tsx/cli"), path.join(__dirname, "..", "bench", "run.ts"), ...process.argv.slice(2)],
  { stdio: "inherit" },
);
process.exit(r.status ?? 1);
