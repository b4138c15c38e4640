'use strict';
// One platform smoke run, shared by smoke.cjs (require) and smoke.mjs (import): produce 1,000 records,
// consume them back in a group, and report what actually got loaded. Prints one line: SMOKE {json}.
// Runs inside foreign roots and runtimes (Debian 11 chroot, qemu-aarch64, Bun, Deno): plain JS only.
const crypto = require('node:crypto');
const fs = require('node:fs');

const COUNT = 1000;

// The C library this process runs on, from its mappings: 'musl' (musl's loader) or 'glibc' (libc.so.6).
function mappedLibc() {
  const maps = fs.readFileSync('/proc/self/maps', 'utf8');
  if (/\/(ld-musl-[^/\s]+|libc\.musl-[^/\s]+|[^/\s]+-linux-musl[^/\s]*\/libc\.so)$/m.test(maps)) return 'musl';
  if (/\/(libc\.so\.6|libc-2\.\d+\.so)$/m.test(maps)) return 'glibc';
  return 'unknown';
}

function runtime() {
  const { Bun, Deno } = globalThis;
  if (Bun) return `bun ${Bun.version}`;
  if (Deno) return `deno ${Deno.version.deno}`;
  return `node ${process.version}`;
}

// The OpenSSL the addon really uses: librdkafka logs OpenSSL_version() (a runtime call, so it names
// whichever library the symbol bound to) when a TLS client is created.
async function addonOpenssl(kafka) {
  const lines = [];
  const logger = { debug: (m) => lines.push(m), info: (m) => lines.push(m), warn() {}, error() {} };
  const probe = new kafka.KafkaProducer({
    bootstrapServers: '127.0.0.1:9',
    logger,
    rdkafka: { 'security.protocol': 'ssl', debug: 'security' },
  });
  for (let i = 0; i < 50 && !lines.some((l) => l.includes('OpenSSL version')); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await probe.close();
  const line = lines.find((l) => l.includes('OpenSSL version')) || '';
  const m = /OpenSSL version (OpenSSL \S+)/.exec(line);
  return m ? m[1] : `not logged (${lines.length} lines)`;
}

async function run(kafka, moduleKind) {
  const bootstrapServers = process.env.KAFKA_BOOTSTRAP_SERVERS;
  if (!bootstrapServers) throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set');
  const started = Date.now();
  // The binary this process really loaded: the addon among its mappings (a platform package's
  // kafka-napi.node, or a source build's kafka_napi.node), and the package that holds it.
  const binary = fs
    .readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .map((l) => l.slice(l.indexOf('/')))
    .find((f) => /\/(kafka-napi|kafka_napi)\.node$/.test(f));
  if (!binary) throw new Error('no kafka-napi addon is mapped');
  const holder = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(binary);
  const sha256 = crypto.createHash('sha256').update(fs.readFileSync(binary)).digest('hex');

  const topic = `platform-${moduleKind}-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const admin = new kafka.KafkaAdmin({ bootstrapServers });
  await admin.createTopics([{ name: topic, numPartitions: 3, replicationFactor: 1 }]);
  await admin.close();

  const producer = new kafka.KafkaProducer({ bootstrapServers, lingerMs: 5 });
  const sends = [];
  for (let i = 0; i < COUNT; i++) sends.push(producer.send(topic, Buffer.from(`value-${i}`), { key: `k${i}` }));
  const delivered = await Promise.all(sends);
  await producer.flush();
  await producer.close();

  const consumer = new kafka.KafkaConsumer(topic, {
    bootstrapServers,
    groupId: `${topic}-group`,
    autoOffsetReset: 'earliest',
  });
  const seen = new Set();
  const deadline = Date.now() + 60000;
  while (seen.size < COUNT && Date.now() < deadline) {
    for (const record of await consumer.poll({ timeoutMs: 1000 })) seen.add(record.value.toString());
  }
  await consumer.close();

  return {
    runtime: runtime(),
    module: moduleKind,
    arch: process.arch,
    libc: mappedLibc(),
    glibc: process.report?.getReport?.().header?.glibcVersionRuntime ?? null,
    binary: holder ? `${holder[1]}/${binary.slice(holder.index + holder[0].length)}` : binary,
    package: holder ? holder[1] : null,
    sha256,
    librdkafka: kafka.librdkafkaVersion,
    openssl: await addonOpenssl(kafka),
    runtimeOpenssl: process.versions.openssl ?? null,
    produced: delivered.filter((d) => d && typeof d.offset === 'number').length,
    consumed: seen.size,
    ms: Date.now() - started,
  };
}

function report(promise) {
  promise.then(
    (result) => {
      console.log(`SMOKE ${JSON.stringify(result)}`);
      process.exit(0);
    },
    (err) => {
      console.log(`SMOKE ${JSON.stringify({ error: String(err && err.stack ? err.stack : err) })}`);
      process.exit(1);
    },
  );
}

module.exports = { run, report };
