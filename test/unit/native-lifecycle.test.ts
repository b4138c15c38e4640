/**
 * The native lifetime rules of docs/threads.md "Lifetimes", checked on every client kind without a
 * broker: the addon is driven directly (as only a bug in src/ could), against an address nobody listens
 * on, so calls stay in flight for as long as a test needs them to. The integration suites check the same
 * rules again under load.
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { addonFile } from '../../src/native/addon-file';

const addonPath = addonFile(path.join(__dirname, '..', '..'));

// Every client kind the addon has, created in whatever environment runs this (CommonJS, no TS).
const CLIENTS = `
const addon = require(process.env.KAFKA_NAPI_ADDON || require('node:worker_threads').workerData);
const config = { 'bootstrap.servers': '127.0.0.1:1', 'client.id': 'native-lifecycle' };
const wake = () => {};
const producer = new addon.Producer(config, wake);
const consumer = new addon.Consumer({ ...config, 'group.id': 'native-lifecycle' }, wake);
const admin = new addon.Admin(config, wake);
const share = new addon.ShareConsumer({ ...config, 'group.id': 'native-lifecycle-share' }, wake, () => {});
const mock = new addon.MockCluster(1);
`;

// Work in flight at termination: records waiting for their delivery, a group join, an admin request,
// a share consumer's poll on its worker, a running mock cluster. None of it holds a napi promise: one
// still pending when its environment ends can never be settled or freed (docs/threads.md), which
// LeakSanitizer would report under scripts/sanitize.sh whenever the timing left one pending.
const IN_FLIGHT = `
producer.produce('native-lifecycle', [Buffer.from('x'), Buffer.from('y')], null, null, null, null, 1, new Int32Array(2));
consumer.subscribe(['native-lifecycle']);
admin.createTopics(1, [{ name: 'native-lifecycle', numPartitions: 1, replicationFactor: 1, configs: [] }], false, 30000);
share.subscribe(['native-lifecycle']);
share.poll(30000, null);
`;

function runChild(script: string): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  // The timeout only bounds a hang (the failure this guards against); no test here measures time.
  const r = spawnSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, KAFKA_NAPI_ADDON: addonPath },
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

test('workers terminated with every client kind open and calls in flight: no crash, no hang', async () => {
  const rounds = 4;
  const errors: unknown[] = [];
  let terminated = 0;
  for (let i = 0; i < rounds; i++) {
    const worker = new Worker(`${CLIENTS}${IN_FLIGHT}require('node:worker_threads').parentPort.postMessage('ready');`, {
      eval: true,
      workerData: addonPath,
    });
    worker.on('error', (err) => errors.push(err));
    const [message] = (await once(worker, 'message')) as [string];
    expect(message).toBe('ready');
    // Each pump's cleanup hook stops what posts to it (clients destroyed, the share worker stopped, the
    // mock clusters destroyed) before Node finalizes the pump; terminate() resolving is that teardown.
    await worker.terminate();
    terminated++;
  }
  expect(terminated).toBe(rounds);
  expect(errors).toEqual([]);
  // The main thread's own environment is untouched: a mock cluster still starts and stops here.
  const { addon } = await import('../../src/native/addon');
  const mock = new addon.MockCluster(1);
  expect(mock.bootstraps()).toMatch(/:\d+/);
  await mock.stop();
});

test('a process whose clients are all idle and never closed exits by itself', () => {
  const r = runChild(`${CLIENTS}console.log('created');`);
  expect(r.signal).toBeNull();
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('created\n');
  expect(r.status).toBe(0);
});

test('outstanding work keeps the process alive until it settles, then the process exits', () => {
  const r = runChild(`${CLIENTS}
    const report = (what) => (result) => console.log(what, result && result.code ? result.code : 'ok');
    producer.metadata(null, 1000).then(report('metadata resolved'), report('metadata rejected'));
    mock.stop().then(report('mock stopped'));
    console.log('waiting');
  `);
  expect(r.signal).toBeNull();
  expect(r.status).toBe(0);
  // Nobody listens at 127.0.0.1:1: the metadata request ends with a transport or timeout error, after
  // the script's last line ran; the loop was kept alive for it and for the mock's stop.
  const lines = r.stdout.trim().split('\n');
  expect(lines[0]).toBe('waiting');
  expect(lines.slice(1).sort()).toEqual([
    expect.stringMatching(/^metadata rejected _(TRANSPORT|TIMED_OUT|ALL_BROKERS_DOWN)$/),
    'mock stopped ok',
  ]);
});
