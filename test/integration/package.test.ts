/**
 * The published artifacts (scripts/packages.js: kafka-napi without a binary, one @kafka-napi/<platform>
 * package per prebuild), installed into an empty project with npm's defaults (dependency install scripts
 * blocked) and no compiler on PATH: kafka-napi loads the binary of its platform package and
 * produces/consumes. The install from a registry, where npm itself picks the platform package, is
 * test/platforms/run.sh's (a local verdaccio); here npm is handed the two tarballs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { bootstrapServers, createTopic, pin, uniqueTopic } from '../helpers';
import { foreignEnv } from '../broker/foreign-env';

const root = path.join(__dirname, '..', '..');

/** A PATH holding only node, npm and a shell: no cc, gcc, g++, make or python. */
function minimalPath(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const npmCli = path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
  fs.symlinkSync(fs.realpathSync(npmCli), path.join(bin, 'npm'));
  fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
  return bin;
}

const APP_CJS = `
const { KafkaProducer, KafkaConsumer, librdkafkaVersion } = require('kafka-napi');
const [bootstrapServers, topic] = process.argv.slice(2);
(async () => {
  const producer = new KafkaProducer({ bootstrapServers });
  await producer.sendBatch(topic, Array.from({ length: 10 }, (_, i) => ({ key: 'k' + i, value: 'cjs-' + i })));
  await producer.close();
  const consumer = new KafkaConsumer(topic, { bootstrapServers, groupId: topic + '-cjs', autoOffsetReset: 'earliest' });
  const values = [];
  for await (const r of consumer) { values.push(r.value.toString()); if (values.length === 10) break; }
  await consumer.close();
  const binary = require('fs').readFileSync('/proc/self/maps', 'utf8').split('\\n').map((l) => l.slice(l.indexOf('/'))).find((f) => f.endsWith('.node'));
  console.log(JSON.stringify({ librdkafkaVersion, values, binary }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const APP_ESM = `
import { KafkaProducer, KafkaConsumer, KafkaError, features } from 'kafka-napi';
const [bootstrapServers, topic] = process.argv.slice(2);
const producer = new KafkaProducer({ bootstrapServers });
const meta = await producer.send(topic, 'esm');
await producer.close();
let closedError;
try { await producer.send(topic, 'late'); } catch (e) { closedError = e instanceof KafkaError ? e.code : String(e); }
console.log(JSON.stringify({ offset: meta.offset, closedError, zstd: features.includes('zstd') }));
`;

// kafka-napi/testing, both ways: a mock cluster, one record through it.
const TESTING_CJS = `
const { MockCluster, ApiKeys } = require('kafka-napi/testing');
const { KafkaProducer } = require('kafka-napi');
(async () => {
  const cluster = await MockCluster.start({ brokers: 1 });
  cluster.createTopic('t', 1, 1);
  const producer = new KafkaProducer({ bootstrapServers: cluster.bootstrapServers });
  const meta = await producer.send('t', 'mock');
  await producer.close();
  await cluster.stop();
  console.log(JSON.stringify({ offset: meta.offset, produce: ApiKeys.Produce }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const TESTING_ESM = `
import { MockCluster } from 'kafka-napi/testing';
import { KafkaProducer } from 'kafka-napi';
const cluster = await MockCluster.start();
const producer = new KafkaProducer({ bootstrapServers: cluster.bootstrapServers });
const meta = await producer.send('auto-created', 'mock');
await producer.close();
await cluster.stop();
console.log(JSON.stringify({ offset: meta.offset, brokers: cluster.brokerIds.length }));
`;

// kafka-napi/kafkajs, both ways: kafkajs code with only the import changed.
const KAFKAJS_CJS = `
const { Kafka, logLevel } = require('kafka-napi/kafkajs');
const [bootstrapServers, topic] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'packed', brokers: [bootstrapServers], logLevel: logLevel.NOTHING });
(async () => {
  const producer = kafka.producer();
  await producer.connect();
  const [meta] = await producer.send({ topic, messages: [{ key: 'k', value: 'kafkajs-cjs' }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: topic + '-g' });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const value = await new Promise((resolve) => consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }));
  await consumer.disconnect();
  console.log(JSON.stringify({ baseOffset: meta.baseOffset, value }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

const KAFKAJS_ESM = `
import { Kafka, KafkaJSError, CompressionTypes } from 'kafka-napi/kafkajs';
const producer = new Kafka({ brokers: [process.argv[2]] }).producer();
let error;
try { await producer.send({ topic: 't', messages: [{ value: 'x' }] }); } catch (e) { error = e instanceof KafkaJSError ? e.message : String(e); }
console.log(JSON.stringify({ error, gzip: CompressionTypes.GZIP }));
`;

// The schema registry entry point without its format libraries: they are optional peers npm leaves out,
// and a serde of a format whose library is missing says which package to install.
const SCHEMA_REGISTRY_CJS = `
const { SchemaRegistry, avroSerde, protobufSerde, jsonSchemaSerde } = require('kafka-napi/schema-registry');
const registry = new SchemaRegistry({ url: 'http://127.0.0.1:1' });
const missing = [avroSerde, protobufSerde, jsonSchemaSerde].map((f) => {
  try { f(registry, { schema: '{}', messageType: 'x.Y' }); return 'made'; } catch (e) { return e.message; }
});
registry.close();
console.log(JSON.stringify(missing));
`;
const SCHEMA_REGISTRY_ESM = `
import { SchemaRegistry, avroSerde } from 'kafka-napi/schema-registry';
console.log(JSON.stringify({ client: typeof SchemaRegistry, serde: typeof avroSerde }));
`;

interface Packed {
  name: string;
  tarball: string;
  size: number;
  unpackedSize: number;
  files: string[];
}

test('packages -> install with npm defaults, no compiler -> loads the platform package, produces and consumes', async () => {
  const prebuilt = path.join(root, 'prebuilds', 'linux-x64', 'kafka-napi.glibc.node');
  if (!fs.existsSync(prebuilt) || !fs.existsSync(path.join(root, 'dist', 'esm', 'index.mjs'))) {
    throw new Error('no prebuilt package contents: run `npm run prebuild` first');
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-napi-pack-'));
  try {
    const packed = JSON.parse(
      // Only the host's platform package: test/platforms/run.sh packs and installs every one.
      execFileSync(
        process.execPath,
        [path.join(root, 'scripts', 'packages.js'), '--out', path.join(work, 'npm'), '--only', 'linux-x64-gnu'],
        {
          cwd: root,
          encoding: 'utf8',
          env: foreignEnv(),
        },
      )
        .trim()
        .split('\n')
        .pop()!,
    ) as Packed[];
    const main = packed.find((p) => p.name === 'kafka-napi')!;
    const files = main.files;
    console.log(packed.map((p) => `${p.name}: ${p.size} bytes packed, ${p.unpackedSize} unpacked`).join('\n'));
    // kafka-napi itself carries no binary; one package per platform carries exactly its prebuild.
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([]);
    expect(packed.map((p) => p.name).sort()).toEqual(['@kafka-napi/linux-x64-gnu', 'kafka-napi']);
    const manifest0 = JSON.parse(fs.readFileSync(path.join(work, 'npm', 'kafka-napi', 'package.json'), 'utf8')) as {
      version: string;
      private?: boolean;
      optionalDependencies: Record<string, string>;
      devDependencies?: unknown;
    };
    expect(manifest0.private).toBeUndefined();
    expect(manifest0.devDependencies).toBeUndefined();
    // Every platform package, at the exact version: a kafka-napi of one version never loads another
    // version's binary.
    expect(manifest0.optionalDependencies).toEqual(
      Object.fromEntries(
        ['linux-x64-gnu', 'linux-arm64-gnu', 'linux-x64-musl', 'linux-arm64-musl'].map((s) => [
          `@kafka-napi/${s}`,
          manifest0.version,
        ]),
      ),
    );
    const gnu = packed.find((p) => p.name === '@kafka-napi/linux-x64-gnu')!;
    expect(gnu.files).toEqual(['LICENSE', 'README.md', 'kafka-napi.node', 'package.json']);
    const gnuManifest = JSON.parse(
      fs.readFileSync(path.join(work, 'npm', 'linux-x64-gnu', 'package.json'), 'utf8'),
    ) as Record<string, unknown>;
    expect([gnuManifest.os, gnuManifest.cpu, gnuManifest.libc]).toEqual([['linux'], ['x64'], ['glibc']]);
    expect(fs.readFileSync(path.join(work, 'npm', 'linux-x64-gnu', 'kafka-napi.node'))).toEqual(
      fs.readFileSync(prebuilt),
    );
    expect(files).toContain('dist/cjs/index.js');
    expect(files).toContain('dist/esm/index.mjs');
    expect(files).toContain('dist/esm/testing.mjs');
    expect(files).toContain('dist/cjs/testing/index.d.ts');
    expect(files).toContain('dist/esm/kafkajs.mjs');
    expect(files).toContain('dist/cjs/kafkajs/index.d.ts');
    expect(files).toContain('dist/esm/schema-registry.mjs');
    expect(files).toContain('dist/cjs/schema-registry/index.d.ts');
    expect(files).toContain('LICENSE');
    // No root binding.gyp: yarn (and npm/pnpm without gypfile: false) would build from source on install.
    expect(files).not.toContain('binding.gyp');
    expect(files).toContain('native/kafka-napi.gyp');
    expect(files.some((f) => f.startsWith('deps/') || f.startsWith('build/') || f.startsWith('test/'))).toBe(false);

    const app = path.join(work, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    // The installed package loads its own (uninstrumented) prebuild: no sanitizer runtime (scripts/sanitize.sh).
    const env: NodeJS.ProcessEnv = { ...foreignEnv(), PATH: minimalPath(work) };
    delete env.npm_config_nodedir;
    const noCompiler = spawnSync('sh', ['-c', 'command -v cc || command -v gcc || command -v g++ || command -v make'], {
      env,
    });
    expect(noCompiler.status).not.toBe(0);

    const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', main.tarball, gnu.tarball], {
      cwd: app,
      env,
      encoding: 'utf8',
    });
    if (install.status !== 0) throw new Error(`npm install failed:\n${install.stdout}\n${install.stderr}`);
    const installed = path.join(app, 'node_modules', 'kafka-napi');
    const platformDir = path.join(app, 'node_modules', '@kafka-napi', 'linux-x64-gnu');
    // Nothing was compiled at install time.
    expect(fs.existsSync(path.join(installed, 'build'))).toBe(false);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    for (const hook of ['preinstall', 'install', 'postinstall']) expect(manifest.scripts?.[hook]).toBeUndefined();

    const topic = uniqueTopic('packed');
    await createTopic(topic, 1);
    fs.writeFileSync(path.join(app, 'app.cjs'), APP_CJS);
    fs.writeFileSync(path.join(app, 'app.mjs'), APP_ESM);
    const cjs = spawnSync('node', ['app.cjs', bootstrapServers(), topic], {
      cwd: app,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (cjs.status !== 0) throw new Error(`app.cjs failed:\n${cjs.stdout}\n${cjs.stderr}`);
    const out = JSON.parse(cjs.stdout.trim().split('\n').pop()!) as {
      librdkafkaVersion: string;
      values: string[];
      binary: string;
    };
    expect(out.librdkafkaVersion).toBe(pin('LIBRDKAFKA_VERSION'));
    expect(out.values.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `cjs-${i}`).sort());
    // The binary mapped into the process is the platform package's.
    expect(out.binary).toBe(path.join(fs.realpathSync(platformDir), 'kafka-napi.node'));

    const esm = spawnSync('node', ['app.mjs', bootstrapServers(), topic], {
      cwd: app,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (esm.status !== 0) throw new Error(`app.mjs failed:\n${esm.stdout}\n${esm.stderr}`);
    expect(JSON.parse(esm.stdout.trim().split('\n').pop()!)).toEqual({
      offset: 10,
      closedError: '_DESTROY',
      zstd: true,
    });

    // The testing entry point, from CommonJS and from ESM.
    fs.writeFileSync(path.join(app, 'testing.cjs'), TESTING_CJS);
    fs.writeFileSync(path.join(app, 'testing.mjs'), TESTING_ESM);
    for (const [file, expected] of [
      ['testing.cjs', { offset: 0, produce: 0 }],
      ['testing.mjs', { offset: 0, brokers: 3 }],
    ] as const) {
      const run = spawnSync('node', [file], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
      if (run.status !== 0) throw new Error(`${file} failed:\n${run.stdout}\n${run.stderr}`);
      expect(JSON.parse(run.stdout.trim().split('\n').pop()!)).toEqual(expected);
    }
    // The kafkajs drop-in, from CommonJS (against the broker) and from ESM.
    const kjsTopic = uniqueTopic('packed-kafkajs');
    await createTopic(kjsTopic, 1);
    fs.writeFileSync(path.join(app, 'kafkajs.cjs'), KAFKAJS_CJS);
    fs.writeFileSync(path.join(app, 'kafkajs.mjs'), KAFKAJS_ESM);
    const kjs = spawnSync('node', ['kafkajs.cjs', bootstrapServers(), kjsTopic], {
      cwd: app,
      env,
      encoding: 'utf8',
      timeout: 90_000,
    });
    if (kjs.status !== 0) throw new Error(`kafkajs.cjs failed:\n${kjs.stdout}\n${kjs.stderr}`);
    expect(JSON.parse(kjs.stdout.trim().split('\n').pop()!)).toEqual({ baseOffset: '0', value: 'kafkajs-cjs' });
    const kjsEsm = spawnSync('node', ['kafkajs.mjs', bootstrapServers()], {
      cwd: app,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (kjsEsm.status !== 0) throw new Error(`kafkajs.mjs failed:\n${kjsEsm.stdout}\n${kjsEsm.stderr}`);
    expect(JSON.parse(kjsEsm.stdout.trim().split('\n').pop()!)).toEqual({
      error: 'The producer is disconnected',
      gzip: 1,
    });
    // The schema registry entry point, from CommonJS and from ESM.
    fs.writeFileSync(path.join(app, 'sr.cjs'), SCHEMA_REGISTRY_CJS);
    fs.writeFileSync(path.join(app, 'sr.mjs'), SCHEMA_REGISTRY_ESM);
    const sr = spawnSync('node', ['sr.cjs'], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
    if (sr.status !== 0) throw new Error(`sr.cjs failed:\n${sr.stdout}\n${sr.stderr}`);
    expect(JSON.parse(sr.stdout.trim().split('\n').pop()!)).toEqual(
      ['avsc', 'protobufjs', 'ajv'].map((name) => expect.stringContaining(`needs the package '${name}'`)),
    );
    const srEsm = spawnSync('node', ['sr.mjs'], { cwd: app, env, encoding: 'utf8', timeout: 60_000 });
    if (srEsm.status !== 0) throw new Error(`sr.mjs failed:\n${srEsm.stdout}\n${srEsm.stderr}`);
    expect(JSON.parse(srEsm.stdout.trim().split('\n').pop()!)).toEqual({ client: 'function', serde: 'function' });
    // OpenTelemetry, node-addon-api (build headers for `npx kafka-napi build`) and the schema registry's
    // format libraries are optional peers: npm installs none of them.
    for (const peer of ['@opentelemetry', 'node-addon-api', 'avsc', 'protobufjs', 'ajv']) {
      expect(fs.existsSync(path.join(app, 'node_modules', peer))).toBe(false);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}, 180_000);

test('a failed load explains platform, libc, Node-API version and what to do', () => {
  const script = `
    const Module = require('module');
    Module._extensions['.node'] = () => { throw new Error('dlopen refused: a test'); };
    try { require(${JSON.stringify(path.join(root, 'dist', 'cjs'))}); } catch (e) { console.log(e.message); }`;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(out).toMatch(/could not load the native addon/);
  expect(out).toMatch(/platform: linux-x64/);
  expect(out).toMatch(/libc: glibc \d/);
  expect(out).toMatch(/Node-API \d+/);
  expect(out).toMatch(/Possible solutions/);
  // The package that should have brought the binary, and why it can be missing.
  expect(out).toMatch(/optional dependency @kafka-napi\/linux-x64-gnu/);
  expect(out).toMatch(/--omit=optional/);
  expect(out).toMatch(/dlopen refused: a test/);
});
