#!/usr/bin/env node
// Size limits, checked by `npm run lint`: a file or function too long to hold in one's head is where
// changes go wrong. Limits (lines, comments and blank lines included):
//   TypeScript file under src/      400
//   C++ file under native/          600
//   function (TS or C++)             80
// A TS function is any function-like node (declaration, method, arrow, accessor, constructor); a C++
// function is a definition whose body opens at the end of its signature line (or of a constructor's
// initializer list) and closes at a line starting with the same indentation's `}` (clang-format's layout,
// which lint also enforces).
// Prints each violation and exits 1, or prints a one-line summary.
//   node scripts/check-sizes.js [root]   (default: the checkout)
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const LIMITS = { tsFile: 400, ccFile: 600, fn: 80 };
const root = path.resolve(process.argv[2] ?? path.join(__dirname, '..'));

function walk(dir, test) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walk(p, test);
    return test(e.name) ? [p] : [];
  });
}

function lineCount(text) {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

/** Long TS functions: the outermost-first list of [name, startLine, lines]. */
function tsFunctions(file, text) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
      const end = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : ts.SyntaxKind[node.kind];
      found.push([name, start + 1, end - start + 1]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Long C++ function definitions by clang-format's layout: `signature {` ... `}` at the same indent. */
function ccFunctions(text) {
  const lines = text.split('\n');
  const found = [];
  const open =
    /^(\s*)(?!if\b|for\b|while\b|switch\b|do\b|else\b|namespace\b|class\b|struct\b|enum\b|union\b|extern\b|try\b|catch\b)[^\s#/].*\)\s*(const\s*)?(noexcept\s*)?(override\s*)?(final\s*)?(->\s*[\w:<>, ]+\s*)?(:.*)?\{\s*$/;
  for (let i = 0; i < lines.length; i++) {
    const m = open.exec(lines[i]);
    if (!m || /=\s*\[|\breturn\b|=\s*\{|\]\s*\(/.test(lines[i])) continue; // lambdas are their caller's lines
    // A constructor's initializer list (`    : a_(a) {`) continues a signature indented 4 less.
    const indent = /^\s*:\s/.test(lines[i]) ? m[1].slice(4) : m[1];
    for (let j = i + 1; j < lines.length; j++) {
      if (lines[j].startsWith(`${indent}}`)) {
        const signature = indent === m[1] ? lines[i] : lines[i - 1];
        const name = (/([\w:~]+)\s*\(/.exec(signature) ?? ['', '?'])[1];
        found.push([name, i + 1, j - i + 1]);
        break;
      }
    }
  }
  return found;
}

const violations = [];
const rel = (p) => path.relative(root, p);
const tsFiles = walk(path.join(root, 'src'), (n) => n.endsWith('.ts') && !n.endsWith('.d.ts'));
const ccFiles = walk(path.join(root, 'native'), (n) => /\.(cc|h)$/.test(n));
for (const f of tsFiles) {
  const text = fs.readFileSync(f, 'utf8');
  const n = lineCount(text);
  if (n > LIMITS.tsFile) violations.push(`${rel(f)}: ${n} lines (limit ${LIMITS.tsFile})`);
  for (const [name, line, len] of tsFunctions(f, text)) {
    if (len > LIMITS.fn) violations.push(`${rel(f)}:${line}: function ${name} is ${len} lines (limit ${LIMITS.fn})`);
  }
}
for (const f of ccFiles) {
  const text = fs.readFileSync(f, 'utf8');
  const n = lineCount(text);
  if (n > LIMITS.ccFile) violations.push(`${rel(f)}: ${n} lines (limit ${LIMITS.ccFile})`);
  for (const [name, line, len] of ccFunctions(text)) {
    if (len > LIMITS.fn) violations.push(`${rel(f)}:${line}: function ${name} is ${len} lines (limit ${LIMITS.fn})`);
  }
}
if (violations.length > 0) {
  for (const v of violations) console.error(v);
  console.error(`check-sizes: ${violations.length} over the limits`);
  process.exit(1);
}
console.log(`check-sizes: ${tsFiles.length} TS and ${ccFiles.length} C++ files within the limits`);
