/**
 * Which addon binary this process loads, in this order:
 *   1. a local build, build/Release/kafka_napi.node (`npx kafka-napi build`, or a checkout): building from
 *      source is an explicit choice (a system librdkafka, a patched build), so it wins;
 *   2. the platform package npm installed as an optional dependency (`@kafka-napi/linux-x64-gnu`, ...),
 *      chosen by the running platform, CPU and C library;
 *   3. prebuilds/<platform>-<arch>/ inside the package root: a checkout after `npm run prebuild`.
 *
 * The C library is the one this process runs on, read from its own mappings, never assumed from the
 * distribution: Alpine is not the only musl system, and a musl runtime can run on a glibc distribution
 * (as the platform tests do). A glibc binary loaded into a musl process fails to relocate (and the
 * reverse), so picking by the running libc is what makes both builds usable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Libc = 'glibc' | 'musl';

/** One published platform package: its npm name's suffix and the `os`/`cpu`/`libc` it is for. */
export interface PlatformTarget {
  readonly suffix: string;
  readonly platform: NodeJS.Platform;
  readonly arch: string;
  readonly libc: Libc | null;
}

/** The npm scope of the platform packages: `@kafka-napi/<suffix>`. */
export const PLATFORM_SCOPE = '@kafka-napi';

/** The binary's file name inside a platform package. */
export const PLATFORM_BINARY = 'kafka-napi.node';

/** Every platform a prebuilt binary is published for (the suffixes napi-rs and @swc/core use). */
export const PLATFORM_TARGETS: readonly PlatformTarget[] = [
  { suffix: 'linux-x64-gnu', platform: 'linux', arch: 'x64', libc: 'glibc' },
  { suffix: 'linux-arm64-gnu', platform: 'linux', arch: 'arm64', libc: 'glibc' },
  { suffix: 'linux-x64-musl', platform: 'linux', arch: 'x64', libc: 'musl' },
  { suffix: 'linux-arm64-musl', platform: 'linux', arch: 'arm64', libc: 'musl' },
];

/** The npm name of the package for a platform, CPU and libc, published or not (for messages). */
export function platformPackage(platform: string, arch: string, libc: Libc | null): string {
  const known = PLATFORM_TARGETS.find((t) => t.platform === platform && t.arch === arch && t.libc === libc);
  const suffix = known?.suffix ?? `${platform}-${arch}${libc ? `-${libc === 'glibc' ? 'gnu' : libc}` : ''}`;
  return `${PLATFORM_SCOPE}/${suffix}`;
}

/** The file a prebuild for `platform`-`arch` (and on Linux `libc`) has under prebuilds/ in a checkout. */
export function prebuildFile(root: string, platform: string, arch: string, libc: Libc | null): string {
  const name = platform === 'linux' ? `kafka-napi.${libc ?? 'glibc'}.node` : 'kafka-napi.node';
  return path.join(root, 'prebuilds', `${platform}-${arch}`, name);
}

/** musl's loader by its file name, or (Debian's musl package) the libc.so in a *-linux-musl directory. */
const MUSL_OBJECT = /\/(ld-musl-[^/\s]+\.so\.1|libc\.musl-[^/\s]+\.so\.1|[^/\s]+-linux-musl[^/\s]*\/libc\.so)$/m;

/**
 * The C library of this Linux process from the shared objects it has mapped (the kernel lists each by
 * its real path): musl's loader, or glibc's `libc.so.6` (`libc-2.x.so` before glibc 2.34). A
 * statically linked runtime maps neither: then /etc/alpine-release decides.
 * Null off Linux.
 */
export function runningLibc(
  platform: string = process.platform,
  readMaps: () => string = () => fs.readFileSync('/proc/self/maps', 'utf8'),
  isAlpine: () => boolean = () => fs.existsSync('/etc/alpine-release'),
): Libc | null {
  if (platform !== 'linux') return null;
  let maps = '';
  try {
    maps = readMaps();
  } catch {
    // No /proc (a restricted sandbox): fall through to the distribution check.
  }
  if (MUSL_OBJECT.test(maps)) return 'musl';
  if (/\/libc\.so\.6$/m.test(maps) || /\/libc-2\.\d+\.so$/m.test(maps)) return 'glibc';
  return isAlpine() ? 'musl' : 'glibc';
}

/**
 * The directory of an installed package as the package root's `require` would find it (npm, pnpm and
 * yarn's node_modules layouts alike), or null when it is not installed.
 */
export function resolveInstalled(name: string, root: string): string | null {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [root] }));
  } catch {
    return null;
  }
}

/** Where a lookup searches; the defaults are this process and its file system (tests pass their own). */
export interface AddonLookup {
  platform?: string;
  arch?: string;
  libc?: Libc | null;
  exists?: (file: string) => boolean;
  resolve?: (name: string, root: string) => string | null;
}

/** The platform packages found installed next to the package, for the error when the right one is not. */
export function installedPlatformPackages(
  root: string,
  resolve: (name: string, root: string) => string | null = resolveInstalled,
): string[] {
  return PLATFORM_TARGETS.map((t) => `${PLATFORM_SCOPE}/${t.suffix}`).filter((name) => resolve(name, root) !== null);
}

/**
 * The addon to load for the package rooted at `root` (see the order above). Throws an Error naming
 * platform, CPU, libc and every place looked at when none has it.
 */
export function addonFile(root: string, lookup: AddonLookup = {}): string {
  const platform = lookup.platform ?? process.platform;
  const arch = lookup.arch ?? process.arch;
  const libc = lookup.libc === undefined ? runningLibc(platform) : lookup.libc;
  const exists = lookup.exists ?? fs.existsSync;
  const resolve = lookup.resolve ?? resolveInstalled;

  const local = path.join(root, 'build', 'Release', 'kafka_napi.node');
  if (exists(local)) return local;
  const pkg = platformPackage(platform, arch, libc);
  const pkgDir = resolve(pkg, root);
  if (pkgDir !== null && exists(path.join(pkgDir, PLATFORM_BINARY))) return path.join(pkgDir, PLATFORM_BINARY);
  const prebuilt = prebuildFile(root, platform, arch, libc);
  if (exists(prebuilt)) return prebuilt;

  const others = installedPlatformPackages(root, resolve).filter((name) => name !== pkg);
  throw new Error(
    `No native build was found for platform=${platform} arch=${arch}${libc ? ` libc=${libc}` : ''}: ` +
      `the package ${pkg} is ${pkgDir === null ? 'not installed' : `incomplete (no ${PLATFORM_BINARY} in ${pkgDir})`}` +
      (others.length ? ` (installed instead: ${others.join(', ')}, for another platform)` : '') +
      `, and neither build/Release/kafka_napi.node nor ${path.relative(root, prebuilt)} exists in ${root}`,
  );
}
