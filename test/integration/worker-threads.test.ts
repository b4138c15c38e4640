import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { bootstrapServers, createTopic, runNode, seedTopic, uniqueTopic } from '../helpers';

// The addon is context-aware: each worker gets its own addon instance and per-environment state.
function runWorker(
  topic: string,
  count: number,
  prefix = 'w',
): Promise<{ values?: string[]; error?: string; exitCode: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(path.join(__dirname, 'fixtures', 'worker-client.js'), {
      workerData: { bootstrapServers: bootstrapServers(), topic, count, groupId: uniqueTopic('g'), prefix },
    });
    let message: { values?: string[]; error?: string } = {};
    worker.on('message', (m: typeof message) => (message = m));
    worker.on('error', reject);
    worker.on('exit', (exitCode) => resolve({ ...message, exitCode }));
  });
}

test('a producer and a consumer inside a worker work and close cleanly, twice in one process', async () => {
  for (let round = 0; round < 2; round++) {
    const topic = uniqueTopic(`worker${round}`);
    await createTopic(topic, 2);
    const result = await runWorker(topic, 200);
    expect(result.error).toBeUndefined();
    expect(result.exitCode).toBe(0);
    expect(new Set(result.values)).toEqual(new Set(Array.from({ length: 200 }, (_, i) => `w${i}`)));
  }
});

test('two workers at once, each with its own clients', async () => {
  const topics = [uniqueTopic('wa'), uniqueTopic('wb')];
  await Promise.all(topics.map((t) => createTopic(t, 1)));
  // Each worker writes its own values: a worker reading the other's topic or records fails the set check.
  const prefixes = ['a', 'b'];
  const results = await Promise.all(topics.map((t, i) => runWorker(t, 100, prefixes[i])));
  results.forEach((r, i) => {
    expect(r.error).toBeUndefined();
    expect(r.exitCode).toBe(0);
    expect(r.values).toHaveLength(100);
    expect(new Set(r.values)).toEqual(new Set(Array.from({ length: 100 }, (_, n) => `${prefixes[i]}${n}`)));
  });
});

test('terminating a worker with open clients does not crash or hang the process', async () => {
  const topic = uniqueTopic('wterm');
  await createTopic(topic, 1);
  const worker = new Worker(
    `const { KafkaConsumer, KafkaProducer } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'dist', 'cjs'))});
     const { parentPort, workerData } = require('node:worker_threads');
     const p = new KafkaProducer({ bootstrapServers: workerData.bs });
     const c = new KafkaConsumer(workerData.topic, { bootstrapServers: workerData.bs, groupId: workerData.g });
     p.send(workerData.topic, 'x').then(() => parentPort.postMessage('sent'));
     c.poll({ timeoutMs: 60000 });`,
    { eval: true, workerData: { bs: bootstrapServers(), topic, g: uniqueTopic('g') } },
  );
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const started = Date.now();
  await worker.terminate();
  expect(Date.now() - started).toBeLessThan(15_000);
});

test('terminating workers at random moments mid produce/consume never hangs rd_kafka_destroy', async () => {
  // A seeded topic keeps every consume batch full, the state in which a batch interrupted by the
  // termination used to leak its messages and hang the destroy (about one run in five before the fix).
  const topic = await seedTopic('wstress', 2, 20_000, (i) => ({ value: `seed${i}` }));
  const terminations = 40;
  const script = path.join(__dirname, '..', '..', 'scripts', 'stress-worker-terminate.js');
  // 40 terminations take ~10 s; a hung destroy never finishes and is killed at 60 s.
  const outcome = await runNode([script], {
    env: {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: bootstrapServers(),
      TOPIC: topic,
      TERMINATIONS: String(terminations),
    },
  });
  expect(outcome.signal).toBeNull();
  expect(outcome.code).toBe(0);
  expect(outcome.stdout).toContain(`survived ${terminations} terminations`);
}, 90_000);
