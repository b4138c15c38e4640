#!/usr/bin/env node
// The layering of native/, checked by `npm run lint`: every quoted #include must name an existing file of
// the same layer or one below it, and no chain of header includes may come back to where it started.
// From the bottom:
//   core     what every client composes: errors, arguments, configuration, the pump, the Handle, the
//            task pool, the record layout                                          native/core/
//   clients  producer, consumer, admin, share consumer, mock cluster               native/clients/
//   addon    the module's entry point (addon.cc registers every client)            native/
// Prints each violation and exits 1, or prints a one-line summary.
//   node scripts/check-native-layers.js [dir]   (default: native/)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { findCycles } = require('./graph-cycles');

const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'native'));
const LAYERS = { core: 0, clients: 1, '.': 2 };

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(cc|h)$/.test(e.name) ? [p] : [];
  });
}

function layer(file) {
  const parts = path.relative(root, file).split(path.sep);
  return parts.length === 1 ? '.' : parts[0];
}

const problems = [];
const graph = new Map();
for (const file of files(root)) {
  const name = path.relative(root, file);
  const from = layer(file);
  if (!(from in LAYERS)) problems.push(`${name}: folder "${from}" has no layer in scripts/check-native-layers.js`);
  const edges = [];
  for (const m of fs.readFileSync(file, 'utf8').matchAll(/^#include "([^"]+)"/gm)) {
    const target = path.resolve(path.dirname(file), m[1]);
    if (!fs.existsSync(target)) {
      problems.push(`${name} includes "${m[1]}", which does not exist`);
      continue;
    }
    const to = layer(target);
    if (!(LAYERS[to] <= LAYERS[from]))
      problems.push(`${name} includes ${path.relative(root, target)}: ${from} may not include ${to}`);
    edges.push({ target });
  }
  graph.set(file, edges);
}

for (const cycle of findCycles(graph)) {
  const names = cycle.map((s) => path.relative(root, s.node)).concat(path.relative(root, cycle[0].node));
  problems.push(`include cycle: ${names.join(' -> ')}`);
}

if (problems.length) {
  for (const p of problems) process.stderr.write(`check-native-layers: ${p}\n`);
  process.exit(1);
}
process.stdout.write(
  `check-native-layers: ${graph.size} files, no include cycle, every include within its layer or below\n`,
);
