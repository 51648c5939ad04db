#!/usr/bin/env node
// Declaration files of lib/ for the notebooks' kernel: lib/dist/types/**/*.d.ts (tsc
// --emitDeclarationOnly, lib/tsconfig.types.json). lib/package.json points TypeScript's type
// resolution of `@vagg/lib` and `@vagg/lib/<path>` there ("typesVersions"), so tslab checks each
// cell against declarations instead of type-checking the library's ~250 source files: the first
// cell of a notebook takes ~1 s instead of ~6–12 s. Run code still comes from the sources (tsx).
//
//   node scripts/build-types.cjs              build
//   node scripts/build-types.cjs --if-stale   build only when a lib/**/*.ts or lib/package.json is
//                                             newer than the last build (a ~10 ms check)
//
// Built into a temporary folder and renamed into place, so a kernel starting meanwhile sees either
// the old declarations or the new ones. The notebook runner (`vagg reproduce`) and the kernel's
// launch script call it with --if-stale; `npm ci` builds it (root "prepare").
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const lib = path.resolve(__dirname, "..", "lib");
const out = path.join(lib, "dist", "types");
const stamp = path.join(out, ".stamp");

function newestSource(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "dist") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith(".ts") || e.name === "package.json" || e.name === "tsconfig.types.json")
      t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

function isStale() {
  try {
    return fs.statSync(stamp).mtimeMs < newestSource(lib);
  } catch {
    return true;
  }
}

function build() {
  const tmp = path.join(lib, "dist", `types.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  // the kernel's own compiler (tslab pins TypeScript 5.0.4), so the declarations are what it reads
  const tsc = require.resolve("@tslab/typescript-for-tslab/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", path.join(lib, "tsconfig.types.json"), "--outDir", tmp], { encoding: "utf8" });
  if (r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    process.stderr.write(`build-types: tsc failed\n${(r.stdout || "") + (r.stderr || "")}`);
    return 1;
  }
  fs.writeFileSync(path.join(tmp, ".stamp"), new Date().toISOString() + "\n");
  const old = path.join(lib, "dist", `types.old-${process.pid}`);
  if (fs.existsSync(out)) fs.renameSync(out, old);
  fs.renameSync(tmp, out);
  fs.rmSync(old, { recursive: true, force: true });
  return 0;
}

if (process.argv.includes("--if-stale") && !isStale()) process.exit(0);
process.exit(build());
