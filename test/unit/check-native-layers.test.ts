// scripts/check-native-layers.js (a step of `npm run lint`) on small native trees of its own.
import * as path from 'node:path';

import { runOnTree } from './script-fixture';

const script = path.join(__dirname, '..', '..', 'scripts', 'check-native-layers.js');
const check = (tree: Record<string, string>) => runOnTree(script, tree);

test('includes downwards and within a layer pass', () => {
  const r = check({
    'addon.cc': '#include "clients/producer.h"\n#include "core/pump.h"\n',
    'clients/producer.h': '#include "../core/handle.h"\n',
    'clients/producer.cc': '#include "producer.h"\n#include <napi.h>\n',
    'core/handle.h': '#include "pump.h"\n',
    'core/pump.h': '#include <atomic>\n',
  });
  expect(r.output).toMatch(/5 files, no include cycle/);
  expect(r.status).toBe(0);
});

test('an include upwards, of a missing file, or from an unknown folder fails, naming it', () => {
  const r = check({
    'addon.h': '',
    'core/errors.cc': '#include "../addon.h"\n#include "../clients/producer.h"\n#include "gone.h"\n',
    'clients/producer.h': '',
    'misc/x.h': '',
  });
  expect(r.status).toBe(1);
  expect(r.output).toMatch(/core\/errors\.cc includes addon\.h: core may not include \./);
  expect(r.output).toMatch(/core\/errors\.cc includes clients\/producer\.h: core may not include clients/);
  expect(r.output).toMatch(/core\/errors\.cc includes "gone\.h", which does not exist/);
  expect(r.output).toMatch(/misc\/x\.h: folder "misc" has no layer/);
});

test('an include cycle fails, naming it', () => {
  const r = check({ 'core/a.h': '#include "b.h"\n', 'core/b.h': '#include "a.h"\n' });
  expect(r.status).toBe(1);
  expect(r.output).toMatch(/include cycle: core\/a\.h -> core\/b\.h -> core\/a\.h/);
});
