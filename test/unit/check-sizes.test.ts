// scripts/check-sizes.js (a step of `npm run lint`) on small trees of its own.
import * as path from 'node:path';

import { runOnTree } from './script-fixture';

const script = path.join(__dirname, '..', '..', 'scripts', 'check-sizes.js');
const check = (tree: Record<string, string>) => runOnTree(script, tree);

const lines = (n: number, text: string): string => Array.from({ length: n }, () => text).join('\n') + '\n';

test('files and functions at the limits pass', () => {
  const r = check({
    'src/a.ts': `export function f(): number {\n${lines(77, '  void 0;')}  return 1;\n}\n` + lines(320, '// x'),
    'native/a.cc': `int F(int x) {\n${lines(77, '  x++;')}  return x;\n}\n` + lines(519, '// x'),
  });
  expect(r.output).toMatch(/1 TS and 1 C\+\+ files within the limits/);
  expect(r.status).toBe(0);
});

test('a file or function over its limit fails, naming it and its size', () => {
  const r = check({
    'src/long.ts': lines(401, '// x'),
    'src/fn.ts': `class C {\n  m(): void {\n${lines(80, '    void 0;')}  }\n}\n`,
    'native/long.cc': lines(601, '// x'),
    'native/fn.cc': `void Klass::Method(int a) {\n${lines(80, '  a++;')}}\n`,
    'native/lambda.cc': `void G() {\n  auto f = [&](int i) {\n${lines(90, '    i++;')}  };\n}\n`,
    'native/ctor.cc': `K::K(int a)\n    : a_(a) {\n${lines(80, '  a++;')}}\n`,
  });
  expect(r.status).toBe(1);
  expect(r.output).toMatch(/src\/long\.ts: 401 lines \(limit 400\)/);
  expect(r.output).toMatch(/src\/fn\.ts:2: function m is 82 lines \(limit 80\)/);
  expect(r.output).toMatch(/native\/long\.cc: 601 lines \(limit 600\)/);
  expect(r.output).toMatch(/native\/fn\.cc:1: function Klass::Method is 82 lines/);
  // A lambda counts toward its enclosing function, which is what is reported.
  expect(r.output).toMatch(/native\/lambda\.cc:1: function G is 94 lines/);
  // A constructor's body opens after its initializer list, at the signature's indentation.
  expect(r.output).toMatch(/native\/ctor\.cc:2: function K::K is 82 lines/);
  expect(r.output).toMatch(/check-sizes: 6 over the limits/);
});
