/**
 * Which addon binary this process loads: a local build (build/Release, from `npx kafka-napi build` or a
 * checkout) before the shipped prebuild for the running platform, CPU and C library.
 *
 * The C library is the one this process runs on, read from its own mappings, never assumed from the
 * distribution: Alpine is not the only musl system, and a musl runtime can run on a glibc distribution
 * (as the platform tests do). A glibc binary loaded into a musl process fails to relocate (and the
 * reverse), so picking by the running libc is what makes both prebuilds usable.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Libc = 'glibc' | 'musl';

/** The file a prebuild for `platform`-`arch` (and on Linux `libc`) has under prebuilds/. */
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
 * The addon to load: build/Release/kafka_napi.node when present, else the prebuild for this platform.
 * Throws an Error naming what was looked for when neither exists.
 */
export function addonFile(
  root: string,
  platform: string = process.platform,
  arch: string = process.arch,
  libc: Libc | null = runningLibc(platform),
  exists: (file: string) => boolean = fs.existsSync,
): string {
  const local = path.join(root, 'build', 'Release', 'kafka_napi.node');
  if (exists(local)) return local;
  const prebuilt = prebuildFile(root, platform, arch, libc);
  if (exists(prebuilt)) return prebuilt;
  throw new Error(
    `No native build was found for platform=${platform} arch=${arch}${libc ? ` libc=${libc}` : ''}: ` +
      `neither ${path.relative(root, prebuilt)} nor build/Release/kafka_napi.node in ${root}`,
  );
}
