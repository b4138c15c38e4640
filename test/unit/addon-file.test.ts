import * as fs from 'node:fs';
import * as path from 'node:path';

import {
  addonFile,
  type Libc,
  PLATFORM_TARGETS,
  platformPackage,
  prebuildFile,
  resolveInstalled,
  runningLibc,
} from '../../src/native/addon-file';

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

test('a local build wins; then the platform package for platform, arch and libc; then prebuilds/', () => {
  const root = '/app/node_modules/kafka-napi';
  const local = path.join(root, 'build', 'Release', 'kafka_napi.node');
  const files = new Set([
    local,
    '/app/node_modules/@kafka-napi/linux-x64-musl/kafka-napi.node',
    '/app/node_modules/@kafka-napi/linux-arm64-gnu/kafka-napi.node',
    `${root}/prebuilds/linux-x64/kafka-napi.glibc.node`,
  ]);
  const packages = new Map([
    ['@kafka-napi/linux-x64-musl', '/app/node_modules/@kafka-napi/linux-x64-musl'],
    ['@kafka-napi/linux-arm64-gnu', '/app/node_modules/@kafka-napi/linux-arm64-gnu'],
  ]);
  const lookup = (platform: string, arch: string, libc: Libc | null) => ({
    platform,
    arch,
    libc,
    exists: (f: string) => files.has(f),
    resolve: (name: string, from: string) => {
      expect(from).toBe(root);
      return packages.get(name) ?? null;
    },
  });
  expect(addonFile(root, lookup('linux', 'x64', 'musl'))).toBe(local);
  files.delete(local);
  expect(addonFile(root, lookup('linux', 'x64', 'musl'))).toBe(
    '/app/node_modules/@kafka-napi/linux-x64-musl/kafka-napi.node',
  );
  expect(addonFile(root, lookup('linux', 'arm64', 'glibc'))).toBe(
    '/app/node_modules/@kafka-napi/linux-arm64-gnu/kafka-napi.node',
  );
  // A checkout: no platform package, the prebuild for the same platform and libc.
  expect(addonFile(root, lookup('linux', 'x64', 'glibc'))).toBe(`${root}/prebuilds/linux-x64/kafka-napi.glibc.node`);
  // Never the other libc's binary (it would fail to relocate): the error names what is installed instead.
  expect(() => addonFile(root, lookup('linux', 'arm64', 'musl'))).toThrow(
    'No native build was found for platform=linux arch=arm64 libc=musl: the package @kafka-napi/linux-arm64-musl ' +
      'is not installed (installed instead: @kafka-napi/linux-arm64-gnu, @kafka-napi/linux-x64-musl, for another ' +
      'platform), and neither build/Release/kafka_napi.node nor prebuilds/linux-arm64/kafka-napi.musl.node exists ' +
      `in ${root}`,
  );
  // An installed package without its binary is named as incomplete.
  files.delete('/app/node_modules/@kafka-napi/linux-x64-musl/kafka-napi.node');
  expect(() => addonFile(root, lookup('linux', 'x64', 'musl'))).toThrow(
    /the package @kafka-napi\/linux-x64-musl is incomplete \(no kafka-napi\.node in \/app\/node_modules\/@kafka-napi\/linux-x64-musl\)/,
  );
  expect(() => addonFile(root, lookup('darwin', 'arm64', null))).toThrow(
    /platform=darwin arch=arm64: the package @kafka-napi\/darwin-arm64 is not installed .*prebuilds\/darwin-arm64\/kafka-napi\.node/,
  );
  expect(prebuildFile(root, 'win32', 'x64', null)).toBe(path.join(root, 'prebuilds', 'win32-x64', 'kafka-napi.node'));
});

test('one package per published platform, named as napi-rs and @swc/core name theirs', () => {
  expect(PLATFORM_TARGETS.map((t) => platformPackage(t.platform, t.arch, t.libc))).toEqual([
    '@kafka-napi/linux-x64-gnu',
    '@kafka-napi/linux-arm64-gnu',
    '@kafka-napi/linux-x64-musl',
    '@kafka-napi/linux-arm64-musl',
  ]);
  expect(platformPackage('win32', 'x64', null)).toBe('@kafka-napi/win32-x64');
  expect(platformPackage('linux', 'riscv64', 'glibc')).toBe('@kafka-napi/linux-riscv64-gnu');
});

test('resolveInstalled finds a package the way require does, and null for one that is not there', () => {
  const root = path.join(__dirname, '..', '..');
  // require resolves symlinks (a checkout whose node_modules is a link, as in scripts/sanitize.sh's tree).
  expect(resolveInstalled('jest', root)).toBe(fs.realpathSync(path.join(root, 'node_modules', 'jest')));
  expect(resolveInstalled('@kafka-napi/not-a-platform', root)).toBeNull();
});
