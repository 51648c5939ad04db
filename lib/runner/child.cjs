#!/usr/bin/env node
'use strict';
// Child process of the notebook runner: executes ONE notebook in-process with tslab's
// converter/executor and appends one JSON event per line to the events file.
// Usage: node child.cjs <notebook.ipynb> <events.jsonl>
// tsx is registered under a namespace (scoped to the runner's own modules) so that a notebook
// behaves as under Jupyter: it must `import 'tsx/cjs'` itself to load @vagg/lib.
const path = require('node:path');
const { register } = require('tsx/cjs/api');
const api = register({ namespace: 'vagg-runner-child' });
const { runChild } = api.require('./execute.ts', __filename);
const [nbPath, eventsPath] = process.argv.slice(2);
if (!nbPath || !eventsPath) {
  process.stderr.write('usage: child.cjs <notebook.ipynb> <events.jsonl>\n');
  process.exit(2);
}
runChild(path.resolve(nbPath), path.resolve(eventsPath)).then(
  (code) => process.exit(code),
  (e) => { process.stderr.write(`runner child: ${e && e.stack ? e.stack : e}\n`); process.exit(3); },
);
