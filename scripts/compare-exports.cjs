#!/usr/bin/env node
"use strict";
// Compare two export folders byte for byte, apart from the declared timing fields:
//   - JSON files (.ipynb, run-log.json): every member named "timings" (cell metadata
//     vagg.timings, notebook metadata vagg.timings, run-log entries' timings);
//   - HTML reports and index: the contents of <span class="timing">…</span>;
//   - everything else (CSV, TeX, Markdown, docx, SVG, tables' HTML) must be identical.
// Usage: node scripts/compare-exports.cjs DIR_A DIR_B [--subset]
//   --subset: compare only the files of DIR_B (a run of some notebooks) against DIR_A, and skip
//             index.html and run-log.json, which list the whole table of contents.
// Exits 1 and lists the differing files (with the first differing line) when any differ.
const fs = require("node:fs");
const path = require("node:path");

const [a, b, ...flags] = process.argv.slice(2);
if (!a || !b) {
  console.error("usage: compare-exports.cjs DIR_A DIR_B [--subset]");
  process.exit(2);
}
const subset = flags.includes("--subset");

function list(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === ".cache") continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p).split(path.sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

function dropTimings(v) {
  if (Array.isArray(v)) return v.map(dropTimings);
  if (v && typeof v === "object") {
    const o = {};
    for (const k of Object.keys(v)) if (k !== "timings") o[k] = dropTimings(v[k]);
    return o;
  }
  return v;
}

function normalise(file, buf) {
  if (/\.(ipynb|json)$/.test(file)) {
    try {
      return JSON.stringify(dropTimings(JSON.parse(buf.toString("utf8"))), null, 1);
    } catch {
      return buf;
    }
  }
  if (/\.html$/.test(file)) return buf.toString("utf8").replace(/<span class="timing">[^<]*<\/span>/g, '<span class="timing"></span>');
  return buf;
}

function firstDiff(x, y) {
  if (Buffer.isBuffer(x) || Buffer.isBuffer(y)) return "(binary content differs)";
  const lx = x.split("\n");
  const ly = y.split("\n");
  for (let i = 0; i < Math.max(lx.length, ly.length); i++) {
    if (lx[i] !== ly[i]) return `line ${i + 1}:\n    A: ${String(lx[i]).slice(0, 200)}\n    B: ${String(ly[i]).slice(0, 200)}`;
  }
  return "";
}

const fa = list(a);
const fb = list(b);
const skip = new Set(subset ? ["index.html", "run-log.json"] : []);
const names = (subset ? fb : [...new Set([...fa, ...fb])].sort()).filter((f) => !skip.has(f));
let bad = 0;
for (const f of names) {
  const pa = path.join(a, f);
  const pb = path.join(b, f);
  if (!fs.existsSync(pa) || !fs.existsSync(pb)) {
    console.log(`only in ${fs.existsSync(pa) ? "A" : "B"}: ${f}`);
    bad++;
    continue;
  }
  const x = normalise(f, fs.readFileSync(pa));
  const y = normalise(f, fs.readFileSync(pb));
  const same = Buffer.isBuffer(x) && Buffer.isBuffer(y) ? x.equals(y) : x === y;
  if (!same) {
    console.log(`differs: ${f}\n  ${firstDiff(x, y)}`);
    bad++;
  }
}
console.log(`compare-exports: ${names.length} files compared, ${bad} differ${bad ? "" : " (byte-identical apart from the timing fields)"}`);
process.exit(bad ? 1 : 0);
