#!/usr/bin/env node
// Runs every uvu test file under tests/ (TypeScript through tsx) and closes with
// one plain count line "tests: N passed, M failed" that CI reads.
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");
const root = path.resolve(__dirname, "..");
const pattern = process.argv[2] || "\\.test\\.ts$";
const uvu = path.join(path.join(root, "node_modules", "uvu"), "bin.js");
const r = spawnSync(process.execPath, [uvu, "tests", pattern, "-r", "tsx/cjs"], {
  cwd: root,
  encoding: "utf8",
  maxBuffer: 256 * 1024 * 1024,
  env: { ...process.env, VAGG_TEST: "1" },
});
process.stdout.write(r.stdout || "");
process.stderr.write(r.stderr || "");
const out = (r.stdout || "").replace(/\x1b\[[0-9;]*m/g, "");
const total = /Total:\s+(\d+)/.exec(out);
const passed = /Passed:\s+(\d+)/.exec(out);
const t = total ? Number(total[1]) : 0;
const p = passed ? Number(passed[1]) : 0;
const failed = r.status === 0 ? t - p : Math.max(t - p, 1);
console.log(`tests: ${p} passed, ${failed} failed`);
process.exit(r.status === 0 && t > 0 ? 0 : 1);
