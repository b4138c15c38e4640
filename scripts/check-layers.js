#!/usr/bin/env node
// The layering of src/, checked by `npm run lint`: every relative import (type-only ones included: they
// tie the modules together just the same) must point to the same layer or one below it, and no chain of
// imports may come back to where it started. The one allowance: a cycle inside one folder that passes
// through a type-only import (erased at build time, so the cycle orders no module loading); the kafkajs
// layer's declarations mirror kafkajs's single, self-referential declaration file. From the bottom:
//   native     the addon and its loader                 src/native/
//   core       errors, validation, options, types      src/core/
//   observe    diagnostics channels, OpenTelemetry      src/observe/
//   client     the lifecycle every client shares        src/client/
//   clients    producer, consumer, share, admin        src/{producer,consumer,share,admin}/
//   adapters   the kafkajs layer, the testing kit,      src/{kafkajs,testing,schema-registry}/
//              the schema registry serdes
//   entry      the package's entry point                src/index.ts
// Among the clients, producer -> consumer (transactions read a consumer's group metadata) and share ->
// consumer (a share consumer's records are decoded as a consumer's are) are the only sideways imports.
// Prints each violation and exits 1, or prints a one-line summary.
//   node scripts/check-layers.js [dir]   (default: src/)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');
const { findCycles } = require('./graph-cycles');

const src = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'src'));
const LAYERS = {
  native: 0,
  core: 1,
  observe: 2,
  client: 3,
  producer: 4,
  consumer: 4,
  share: 4,
  admin: 4,
  kafkajs: 5,
  testing: 5,
  'schema-registry': 5,
  '.': 6,
};
const SIDEWAYS = new Set(['producer->consumer', 'share->consumer']);

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function folder(file) {
  const first = path.relative(src, file).split(path.sep)[0];
  return first.endsWith('.ts') ? '.' : first;
}

function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(candidate)) return candidate;
  return null;
}

/** Relative imports and re-exports of a file: { spec, typeOnly }. */
function imports(file) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found = [];
  for (const node of source.statements) {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const spec = node.moduleSpecifier.text;
      if (!spec.startsWith('.')) continue;
      let typeOnly = false;
      if (ts.isImportDeclaration(node)) {
        const clause = node.importClause;
        const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : null;
        typeOnly = Boolean(
          clause &&
          (clause.isTypeOnly ||
            (!clause.name && named && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly))),
        );
      } else {
        typeOnly = node.isTypeOnly;
      }
      found.push({ spec, typeOnly });
    }
  }
  return found;
}

const graph = new Map();
const problems = [];
for (const file of files(src)) {
  const edges = imports(file)
    .map(({ spec, typeOnly }) => ({ target: resolve(file, spec), typeOnly }))
    .filter((e) => e.target);
  graph.set(file, edges);
  const from = folder(file);
  if (!(from in LAYERS))
    problems.push(`${path.relative(src, file)}: folder "${from}" has no layer in scripts/check-layers.js`);
  for (const { target } of edges) {
    const to = folder(target);
    const ok = LAYERS[to] < LAYERS[from] || to === from || SIDEWAYS.has(`${from}->${to}`);
    if (!ok)
      problems.push(`${path.relative(src, file)} imports ${path.relative(src, target)}: ${from} may not import ${to}`);
  }
}

// A cycle within one folder through a type-only edge is the allowance above.
for (const cycle of findCycles(graph)) {
  const first = cycle[0].node;
  const allowed = cycle.some((s) => s.edge.typeOnly) && cycle.every((s) => folder(s.node) === folder(first));
  if (!allowed) {
    const names = cycle.map((s) => path.relative(src, s.node)).concat(path.relative(src, first));
    problems.push(`import cycle: ${names.join(' -> ')}`);
  }
}

if (problems.length) {
  for (const p of problems) process.stderr.write(`check-layers: ${p}\n`);
  process.exit(1);
}
process.stdout.write(`check-layers: ${graph.size} modules, no cycle, every import within its layer or below\n`);
