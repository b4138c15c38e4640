import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { features, librdkafkaVersion } from '../../src';

const root = path.join(__dirname, '..', '..');

test('links the pinned librdkafka', () => {
  expect(librdkafkaVersion).toBe('2.14.2');
});

test('builtin features include every codec and security mechanism we promise', () => {
  for (const f of ['gzip', 'snappy', 'lz4', 'zstd', 'ssl', 'sasl_plain', 'sasl_scram', 'sasl_oauthbearer']) {
    expect(features).toContain(f);
  }
  // No GSSAPI (Cyrus SASL) and no curl: nothing dynamic to install.
  expect(features).not.toContain('sasl_gssapi');
});

test.each(['prebuilds/linux-x64/kafka-napi.node'])(
  '%s depends on no dynamic Kafka, TLS or compression library',
  (rel) => {
    const file = path.join(root, rel);
    if (!fs.existsSync(file)) throw new Error(`${rel} is missing: run npm run prebuild`);
    const ldd = execFileSync('ldd', [file], { encoding: 'utf8' });
    for (const lib of ['librdkafka', 'libssl', 'libcrypto', 'libzstd', 'libsasl', 'libz.so', 'liblz4', 'libcurl']) {
      expect(ldd).not.toContain(lib);
    }
    // librdkafka's and OpenSSL's symbols stay hidden inside the addon.
    const dynsym = execFileSync('nm', ['-D', '--defined-only', file], { encoding: 'utf8' });
    expect(dynsym).not.toMatch(/\brd_kafka_new\b/);
    expect(dynsym).not.toMatch(/\bSSL_new\b/);
  },
);

test("Node's own crypto keeps working beside the addon's static OpenSSL", async () => {
  const crypto = await import('node:crypto');
  expect(crypto.createHash('sha256').update('x').digest('hex')).toHaveLength(64);
});
