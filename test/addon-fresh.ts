/** Refuses to test an addon older than native/: a stale build would test old code. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { addonFile } from '../src/native/addon-file';

export function checkAddonFresh(): void {
  const root = path.join(__dirname, '..');
  const addon = addonFile(root);
  const built = fs.statSync(addon).mtimeMs;
  const dir = path.join(root, 'native');
  const newer = fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).mtimeMs > built);
  if (newer.length > 0) {
    throw new Error(
      `${path.relative(root, addon)} is older than native/${newer.join(', native/')}: rebuild it ` +
        '(npm run build:native for build/Release, npm run prebuild for prebuilds/) before testing',
    );
  }
}
