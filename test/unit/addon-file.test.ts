import * as path from 'node:path';

import { addonFile, prebuildFile, runningLibc } from '../../src/addon-file';

const GLIBC_MAPS = [
  '55d0c0a00000-55d0c0c00000 r--p 00000000 08:01 1234 /usr/bin/node',
  '7f2a1c000000-7f2a1c028000 r--p 00000000 08:01 5678 /usr/lib/x86_64-linux-gnu/libc.so.6',
  '7f2a1c400000-7f2a1c402000 r--p 00000000 08:01 9012 /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2',
  '7ffd5a000000-7ffd5a021000 rw-p 00000000 00:00 0 [stack]',
].join('\n');

test('the running libc comes from the mapped C library, whatever the distribution says', () => {
  const never = (): boolean => {
    throw new Error('the distribution was consulted');
  };
  expect(runningLibc('linux', () => GLIBC_MAPS, never)).toBe('glibc');
  // glibc before 2.34 maps libc-2.x.so (libc.so.6 is its symlink).
  expect(runningLibc('linux', () => '7f00-7f01 r-xp 0 08:01 1 /lib/x86_64-linux-gnu/libc-2.31.so', never)).toBe(
    'glibc',
  );
  // Alpine: musl's loader is the C library.
  expect(runningLibc('linux', () => '7f00-7f01 r-xp 0 08:01 1 /lib/ld-musl-x86_64.so.1', never)).toBe('musl');
  expect(runningLibc('linux', () => '7f00-7f01 r-xp 0 08:01 1 /lib/libc.musl-aarch64.so.1', never)).toBe('musl');
  // Debian's musl package: ld-musl-*.so.1 is a symlink; the kernel lists the real file.
  expect(runningLibc('linux', () => '7f00-7f01 r-xp 0 08:01 1 /usr/lib/x86_64-linux-musl/libc.so', never)).toBe('musl');
  // A path that merely mentions musl elsewhere is not the C library.
  expect(runningLibc('linux', () => `${GLIBC_MAPS}\n7f00-7f01 r--p 0 08:01 1 /home/musl/app/x.node`, never)).toBe(
    'glibc',
  );
});

test('a process mapping no C library (static, or no /proc) falls back to /etc/alpine-release', () => {
  expect(
    runningLibc(
      'linux',
      () => '55d0-55d1 r-xp 0 08:01 1 /usr/bin/static',
      () => true,
    ),
  ).toBe('musl');
  expect(
    runningLibc(
      'linux',
      () => '55d0-55d1 r-xp 0 08:01 1 /usr/bin/static',
      () => false,
    ),
  ).toBe('glibc');
  const noProc = (): string => {
    throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
  };
  expect(runningLibc('linux', noProc, () => true)).toBe('musl');
  expect(runningLibc('darwin', noProc, () => true)).toBeNull();
});

test('this process: Node on this machine runs on glibc', () => {
  expect(runningLibc()).toBe(process.platform === 'linux' ? 'glibc' : null);
});

test('a local build wins over the prebuild; the prebuild is chosen by platform, arch and libc', () => {
  const root = '/pkg';
  const local = path.join(root, 'build', 'Release', 'kafka_napi.node');
  const all = new Set([
    local,
    '/pkg/prebuilds/linux-x64/kafka-napi.glibc.node',
    '/pkg/prebuilds/linux-x64/kafka-napi.musl.node',
    '/pkg/prebuilds/linux-arm64/kafka-napi.musl.node',
  ]);
  const has = (files: Set<string>) => (f: string) => files.has(f);
  expect(addonFile(root, 'linux', 'x64', 'musl', has(all))).toBe(local);
  all.delete(local);
  expect(addonFile(root, 'linux', 'x64', 'musl', has(all))).toBe('/pkg/prebuilds/linux-x64/kafka-napi.musl.node');
  expect(addonFile(root, 'linux', 'x64', 'glibc', has(all))).toBe('/pkg/prebuilds/linux-x64/kafka-napi.glibc.node');
  expect(addonFile(root, 'linux', 'arm64', 'musl', has(all))).toBe('/pkg/prebuilds/linux-arm64/kafka-napi.musl.node');
  // Never the other libc's binary: it would fail to relocate.
  expect(() => addonFile(root, 'linux', 'arm64', 'glibc', has(all))).toThrow(
    'No native build was found for platform=linux arch=arm64 libc=glibc: neither prebuilds/linux-arm64/kafka-napi.glibc.node nor build/Release/kafka_napi.node in /pkg',
  );
  expect(() => addonFile(root, 'darwin', 'arm64', null, has(all))).toThrow(
    /platform=darwin arch=arm64: neither prebuilds\/darwin-arm64\/kafka-napi\.node/,
  );
  expect(prebuildFile(root, 'win32', 'x64', null)).toBe(path.join(root, 'prebuilds', 'win32-x64', 'kafka-napi.node'));
});
