#!/usr/bin/env node
"use strict";
// Entry point of the `vagg` command. Uses the esbuild bundle lib/dist/vagg.cjs when it is
// newer than every TypeScript source under lib/ (built by `npm ci` through the root
// "prepare" script, or `node scripts/build-cli.cjs`); otherwise compiles on the fly with tsx.
const fs = require("node:fs");
const path = require("node:path");
const libDir = path.resolve(__dirname, "..");
const bundle = path.join(libDir, "dist", "vagg.cjs");

function newestSource(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === "dist") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith(".ts") || e.name.endsWith(".json")) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

let main;
let stale = false;
try {
  if (process.env.VAGG_NO_BUNDLE !== "1" && fs.existsSync(bundle)) {
    if (fs.statSync(bundle).mtimeMs >= newestSource(libDir)) main = require(bundle).main;
    else stale = true;
  }
} catch (_) {
  main = undefined;
}
if (!main) {
  // said once, at a terminal only (scripts and tests read stderr): the sources changed since the bundle was built
  if (stale && process.stderr.isTTY)
    process.stderr.write(
      "vagg: lib/dist/vagg.cjs is older than lib/'s sources, so they run through tsx (slower to start); rebuild: node scripts/build-cli.cjs\n",
    );
  require("tsx/cjs");
  main = require("./main.ts").main;
}
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`vagg: ${e && e.message ? e.message.split("\n")[0] : e}\n`);
    process.exitCode = 1;
  },
);
