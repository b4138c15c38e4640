import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { features, KafkaProducer, librdkafkaVersion } from '../../src';
import { addon } from '../../src/native/addon';
import { pin } from '../helpers';
import { foreignEnv } from '../broker/foreign-env';

const root = path.join(__dirname, '..', '..');
// The host's prebuild, the one setup builds and this suite loads. The other platforms' prebuilds get the
// same checks where they are built, in `npm run test:platforms` (test/platforms/run.sh "symbol checks").
const PREBUILDS = ['prebuilds/linux-x64/kafka-napi.glibc.node'];

test('links the pinned librdkafka', () => {
  expect(librdkafkaVersion).toBe(pin('LIBRDKAFKA_VERSION'));
});

test('builtin features include every codec and security mechanism we promise', () => {
  for (const f of ['gzip', 'snappy', 'lz4', 'zstd', 'ssl', 'sasl_plain', 'sasl_scram', 'sasl_oauthbearer']) {
    expect(features).toContain(f);
  }
  // No GSSAPI (Cyrus SASL) and no curl: nothing dynamic to install.
  expect(features).not.toContain('sasl_gssapi');
});

test.each(PREBUILDS)('%s depends on no dynamic Kafka, TLS, compression or C++ runtime library', (rel) => {
  const file = path.join(root, rel);
  if (!fs.existsSync(file)) throw new Error(`${rel} is missing: run npm run prebuild (bash scripts/setup.sh does)`);
  // objdump reads either architecture's ELF headers (ldd would have to run the foreign loader).
  const needed = [
    ...execFileSync('objdump', ['-p', file], { encoding: 'utf8', env: foreignEnv() }).matchAll(/NEEDED\s+(\S+)/g),
  ].map((m) => m[1]);
  const dynamic = execFileSync('objdump', ['-T', file], { encoding: 'utf8', env: foreignEnv() });
  expect(dynamic).not.toMatch(/GLIBCXX_|CXXABI_/);
  const glibc = [...dynamic.matchAll(/\(GLIBC_(\d+)\.(\d+)(?:\.\d+)?\)/g)].map(
    (m) => Number(m[1]) * 1000 + Number(m[2]),
  );
  if (rel.endsWith('.musl.node')) {
    // musl's loader resolves libc.so (and libm, libpthread...) to itself; musl has no symbol versions.
    expect(needed).toEqual(['libc.so']);
    expect(glibc).toEqual([]);
  } else {
    for (const lib of needed) expect(lib).toMatch(/^(libc|libm|libdl|libpthread|librt|ld-linux[\w.-]*)\.so/);
    const [major, minor] = pin('GLIBC_FLOOR').split('.').map(Number);
    expect(Math.max(...glibc)).toBeLessThanOrEqual(major * 1000 + minor);
  }
  // Only the Node-API entry points are exported: librdkafka's, OpenSSL's and zlib's symbols stay hidden.
  const exported = execFileSync('nm', ['-D', '--defined-only', file], { encoding: 'utf8', env: foreignEnv() })
    .trim()
    .split('\n')
    .map((line) => line.split(/\s+/).pop());
  expect(exported.sort()).toEqual(['napi_register_module_v1', 'node_api_module_get_api_version_v1']);
  // Never unloaded: OpenSSL's and libc++abi's thread-exit destructors must outlive the last worker that
  // loaded it (scripts/deps/prebuild.sh; without it scripts/stress-worker-terminate.js segfaults).
  expect(execFileSync('readelf', ['-d', file], { encoding: 'utf8', env: foreignEnv() })).toMatch(/FLAGS_1.*NODELETE/);
});

test("Node's own crypto keeps working beside the addon's static OpenSSL", async () => {
  // The addon is loaded (imported above). Had its OpenSSL interposed Node's, these would break.
  const crypto = await import('node:crypto');
  expect(crypto.createHash('sha256').update('x').digest('hex')).toBe(
    '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881',
  );
  const key = crypto.randomBytes(32);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const sealed = Buffer.concat([cipher.update('round trip'), cipher.final()]);
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(cipher.getAuthTag());
  expect(Buffer.concat([decipher.update(sealed), decipher.final()]).toString()).toBe('round trip');
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signature = crypto.sign('sha256', Buffer.from('data'), privateKey);
  expect(crypto.verify('sha256', Buffer.from('data'), publicKey, signature)).toBe(true);
  expect(crypto.verify('sha256', Buffer.from('other'), publicKey, signature)).toBe(false);
});

// Under scripts/sanitize.sh the C allocator is AddressSanitizer's, whose mallinfo() answers all zeros.
const glibcAllocator = !process.env.KAFKA_NAPI_SANITIZER_PRELOAD;

(glibcAllocator ? test : test.skip)(
  "mallocStats reports the C allocator's in-use and free bytes, and sees native allocations",
  async () => {
    // The soak splits native memory into what librdkafka holds and what the allocator keeps with it.
    const before = addon.mallocStats();
    expect(before).not.toBeNull();
    expect(before!.inUse).toBeGreaterThan(0);
    expect(before!.free).toBeGreaterThanOrEqual(0);
    expect(before!.fromSystem).toBeGreaterThanOrEqual(before!.inUse);
    // A client's librdkafka handle and queues are malloc'd: in use grows while it is open (~300 KiB per
    // producer). Eight of them, against 64 KiB each: memory other threads free meanwhile (V8's GC) once
    // outweighed a single producer's growth.
    const producers = Array.from(
      { length: 8 },
      () => new KafkaProducer({ bootstrapServers: '127.0.0.1:1', logger: {} }),
    );
    try {
      expect(addon.mallocStats()!.inUse).toBeGreaterThan(before!.inUse + 8 * 64 * 1024);
    } finally {
      await Promise.all(producers.map((p) => p.close(0)));
    }
  },
);
