/**
 * The ONE place that loads the addon and declares, fully typed, everything it exports (the clients'
 * interfaces in client-types.ts and admin-types.ts). The public API wraps these; nothing else imports the
 * addon.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addonFile, PLATFORM_SCOPE, PLATFORM_TARGETS, platformPackage, runningLibc } from './addon-file';

import type { NativeAdmin } from './admin-types';
import type {
  NativeConfig,
  NativeConsumer,
  NativeMockCluster,
  NativeProducer,
  NativeRecordLayout,
  RawShareConsumer,
} from './client-types';

export type * from './admin-types';
export type * from './client-types';

type ClientConstructor<T> = new (config: NativeConfig, wake: () => void) => T;

export interface NativeAddon {
  /** Hands the KafkaError class to C++, which constructs it with every field filled. */
  setErrorClass(
    ctor: new (
      message: string,
      init: { code: string; errno: number; retriable: boolean; fatal: boolean; abortable: boolean },
    ) => Error,
  ): void;
  librdkafkaVersion(): string;
  /** librdkafka's builtin.features, comma separated. */
  features(): string;
  /** [errno, name, description] for every librdkafka error code. */
  errorCodes(): Array<[number, string, string]>;
  /** Limits and protocol numbers both sides use (native/core/bounds.h; src/core/bounds.ts reads them). */
  limits(): {
    topicLength: number;
    nameLength: number;
    scramPasswordBytes: number;
    scramIterations: { min: number; max: number; default: number };
    ackTypes: { accept: number; release: number; reject: number };
  };
  /** The layout consume() writes records in (src/consumer/batch.ts reads it). */
  recordLayout(): NativeRecordLayout;
  /** The process-wide pool blocking calls (metadata, committed, flush…) run on (native/core/task_pool.h). */
  taskPoolStats(): { threads: number; peak: number; queued: number; started: number; maxThreads: number };
  /** Clients whose destroy outlived close(): lingering now, and totals (handle.h CloseStats). */
  closeStats(): { lingering: number; lingered: number; destroyedAfterLinger: number; abandoned: number };
  /** The C allocator's totals over all its arenas, in bytes (glibc mallinfo); null on other C libraries. */
  mallocStats(): { inUse: number; free: number; fromSystem: number; mmapped: number } | null;
  Producer: ClientConstructor<NativeProducer> & {
    /** Values at least this long are referenced until their delivery report; shorter ones are copied. */
    zeroCopyThreshold: number;
  };
  Consumer: ClientConstructor<NativeConsumer>;
  Admin: ClientConstructor<NativeAdmin>;
  MockCluster: new (brokers: number) => NativeMockCluster;
  ShareConsumer: new (
    config: NativeConfig,
    wake: () => void,
    settle: (id: number, rejected: boolean, value: unknown) => void,
  ) => RawShareConsumer;
}

/** The platforms with a published binary, as the load error lists them. */
const PREBUILT = PLATFORM_TARGETS.map(
  (t) =>
    `${t.platform}-${t.arch} (${t.libc === 'glibc' ? 'glibc >= 2.28' : t.libc === 'musl' ? 'musl >= 1.2' : t.platform})`,
);

function explainLoadFailure(err: unknown): Error {
  const report = process.report?.getReport?.() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const glibc = report?.header?.glibcVersionRuntime;
  const running = runningLibc();
  const libc = running === null ? '-' : running === 'glibc' && glibc ? `glibc ${glibc}` : running;
  const pkg = platformPackage(process.platform, process.arch, running);
  const published = PLATFORM_TARGETS.some((t) => `${PLATFORM_SCOPE}/${t.suffix}` === pkg);
  const message = [
    'kafka-napi: could not load the native addon.',
    `  platform: ${process.platform}-${process.arch}, libc: ${libc}, Node ${process.version}, Node-API ${process.versions.napi}`,
    `  cause: ${err instanceof Error ? err.message : String(err)}`,
    `Prebuilt binaries: ${PREBUILT.join(', ')}; each needs Node-API >= 8 (Node >= 20, Bun, Deno).`,
    'Possible solutions:',
    ...(published
      ? [
          `- The binary for this platform is the optional dependency ${pkg}. It is missing when optional`,
          '  dependencies were omitted (--omit=optional, --no-optional) or node_modules (or a lockfile) was',
          '  installed on another platform or libc (a host install copied into an Alpine image). Install on',
          '  the target itself: rm -rf node_modules package-lock.json && npm install',
        ]
      : [`- No prebuilt binary is published for this platform (it would be ${pkg}).`]),
    '- Build it from source for this platform: install librdkafka >= 2.14.2 with its pkg-config file',
    '  (macOS: brew install librdkafka pkg-config) and a C++17 compiler, then run: npx kafka-napi build',
    '  (see README "Building from source").',
  ].join('\n');
  return new Error(message, { cause: err });
}

// The package root holds build/ (and prebuilds/ in a checkout), and is where its optional platform
// package resolves from: the nearest directory above this file whose package.json is kafka-napi's
// (above dist/cjs/native/ when installed, above src/native/ when run from a checkout).
function packageRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (manifest.name === 'kafka-napi') return dir;
    } catch {
      // No package.json here (or not JSON): keep walking up.
    }
  }
  return path.join(__dirname, '..', '..', '..');
}

function load(): NativeAddon {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(addonFile(packageRoot())) as NativeAddon;
  } catch (err) {
    throw explainLoadFailure(err);
  }
}

export const addon: NativeAddon = load();
