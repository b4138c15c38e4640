import { spawn } from 'node:child_process';
import * as path from 'node:path';

import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

const dist = path.join(__dirname, '..', '..', 'dist', 'cjs');

const SCRIPT = `
const { KafkaProducer, KafkaConsumer, KafkaAdmin } = require(${JSON.stringify(dist)});
const [bootstrapServers, topic] = process.argv.slice(1);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
async function collect() { for (let i = 0; i < 10; i++) { global.gc(); await sleep(30); } }
(async () => {
  // An idle client whose wake-up callback is only weakly held by native code must survive GC.
  const producer = new KafkaProducer({ bootstrapServers });
  await producer.send(topic, 'before-gc');
  await collect();
  const timer = setTimeout(() => { console.log('HANG'); process.exit(3); }, 15000);
  const meta = await producer.send(topic, 'after-gc');
  clearTimeout(timer);
  await producer.close();
  // Abandoned clients: collected, warned about, closed in the background, no crash, no hang at exit.
  (() => {
    new KafkaProducer({ bootstrapServers });
    new KafkaConsumer(topic, { bootstrapServers, groupId: topic + '-gc' });
    new KafkaAdmin({ bootstrapServers });
  })();
  await collect();
  console.log(JSON.stringify({ offset: meta.offset }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** Runs the script; `exitDelayMs`: from its last line (its work done) to its exit, as this process saw them. */
function runScript(topic: string): Promise<{
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  exitDelayMs: number;
}> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '-e', SCRIPT, bootstrapServers(), topic]);
    let stdout = '';
    let stderr = '';
    let doneAt = NaN;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (Number.isNaN(doneAt) && stdout.includes('{"offset"')) doneAt = Date.now();
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Bounds a hang only: a healthy run takes a few seconds.
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code, signal, exitDelayMs: Date.now() - doneAt });
    });
  });
}

test('GC: idle clients keep working; unclosed clients are collected with a warning, no crash or hang', async () => {
  const topic = uniqueTopic('gc');
  await createTopic(topic, 1);
  const child = await runScript(topic);
  console.log(`gc: exited ${child.exitDelayMs} ms after its last line`);
  expect(child.signal).toBeNull(); // SIGKILL: still running after 60 s
  expect(child.code).toBe(0);
  expect(JSON.parse(child.stdout.trim().split('\n').pop()!)).toEqual({ offset: 1 });
  for (const kind of ['KafkaProducer', 'KafkaConsumer', 'KafkaAdmin']) {
    expect(child.stderr).toContain(`${kind} was garbage-collected without close()`);
  }
  // What is left after the last line: the abandoned clients' background closes and the teardown that
  // destroys them. The whole run was bounded to 30 s here before, broker round trips and all, which a busy
  // machine stretches. Now only the exit is, by what a stuck close would wait out: librdkafka's
  // session.timeout.ms (45 s) for a consumer that never leaves its group, socket.timeout.ms (60 s) for a
  // request nobody answers. Half the shorter one; the exit itself takes well under a second.
  expect(child.exitDelayMs).toBeLessThan(45_000 / 2);
}, 90_000);
