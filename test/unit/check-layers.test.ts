// scripts/check-layers.js (a step of `npm run lint`) on small source trees of its own.
import * as path from 'node:path';

import { runOnTree } from './script-fixture';

const script = path.join(__dirname, '..', '..', 'scripts', 'check-layers.js');
const check = (tree: Record<string, string>) => runOnTree(script, tree);

test('imports downwards and within a layer pass', () => {
  const r = check({
    'index.ts': "export * from './producer';",
    'producer/index.ts':
      "import { base } from '../client/base';\nimport { c } from '../consumer';\nexport const p = base + c;",
    'consumer/index.ts': "import { e } from '../core/errors';\nexport const c = e;",
    'client/base.ts': "import { e } from '../core/errors';\nexport const base = e;",
    'core/errors.ts': "import type { Addon } from '../native/addon';\nexport const e = 1 as unknown as Addon;",
    'native/addon.ts': 'export type Addon = number;',
  });
  expect(r.output).toMatch(/6 modules, no cycle/);
  expect(r.status).toBe(0);
});

test('an import upwards, sideways between clients, or from an unknown folder fails, naming it', () => {
  const r = check({
    'core/errors.ts': "import { base } from '../client/base';\nexport const e = base;",
    'client/base.ts': 'export const base = 1;',
    'consumer/index.ts': "import { p } from '../producer';\nexport const c = p;",
    'producer/index.ts': 'export const p = 1;',
    'misc/x.ts': 'export const x = 1;',
  });
  expect(r.status).toBe(1);
  expect(r.output).toMatch(/core\/errors\.ts imports client\/base\.ts: core may not import client/);
  expect(r.output).toMatch(/consumer\/index\.ts imports producer\/index\.ts: consumer may not import producer/);
  expect(r.output).toMatch(/misc\/x\.ts: folder "misc" has no layer/);
});

test('a cycle fails unless it stays in one folder and passes through a type-only import', () => {
  const valueCycle = check({
    'core/a.ts': "import { b } from './b';\nexport const a = b;",
    'core/b.ts': "import { a } from './a';\nexport const b = () => a;",
  });
  expect(valueCycle.status).toBe(1);
  expect(valueCycle.output).toMatch(/import cycle: core\/a\.ts -> core\/b\.ts -> core\/a\.ts/);

  const typeCycle = check({
    'kafkajs/types.ts': "import type { E } from './errors';\nexport interface T { e: E }",
    'kafkajs/errors.ts': "import type { T } from './types';\nexport class E { t?: T }",
  });
  expect(typeCycle.output).toMatch(/no cycle/);
  expect(typeCycle.status).toBe(0);
});
