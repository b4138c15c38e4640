/**
 * Network faults between the client and the broker, through FaultProxy, while an idempotent acks=all
 * producer and an at-least-once group hold a load (test/faults/proxied.ts). Each test checks the whole
 * history: 0 acknowledged records lost, 0 duplicates, per-partition order, nothing phantom, every error
 * a KafkaError. The faults that take minutes are in network-long.test.ts (the scheduled tier:
 * CONTRIBUTING.md).
 */
import * as fs from 'node:fs';
import { KafkaAdmin, KafkaConsumer, KafkaError, KafkaProducer } from '../../src';
import { addon } from '../../src/native/addon';
import { uniqueTopic, waitFor } from '../helpers';
import { GROUP, scenario, useProxiedCluster } from './proxied';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const env = useProxiedCluster();

test('added latency: +150 ms each way for 10 s', async () => {
  await scenario(env, 'latency +150 ms each way, 10 s', async () => {
    for (const p of env.proxies) p.set({ latencyMs: 150 });
    await sleep(10_000);
    for (const p of env.proxies) p.set({ latencyMs: 0 });
  });
});

test('bandwidth limit: 24 KiB/s each way for 10 s (below the load)', async () => {
  await scenario(env, 'bandwidth 24 KiB/s, 10 s', async () => {
    for (const p of env.proxies) p.set({ bytesPerSecond: 24 * 1024 });
    await sleep(10_000);
    for (const p of env.proxies) p.set({ bytesPerSecond: 0 });
  });
});

test('black hole for 20 s: requests time out (5 s) and are retried on new connections', async () => {
  await scenario(
    env,
    'black hole 20 s (request timeout 5 s)',
    async () => {
      for (const p of env.proxies) p.set({ blackhole: true });
      await sleep(20_000);
      for (const p of env.proxies) p.set({ blackhole: false });
    },
    { requestTimeoutMs: 5000 },
  );
});

test('connections reset mid-request and mid-response: 40 cuts armed every 250 ms, all made', async () => {
  const CUTS = 40;
  let cuts = 0;
  let resets = 0;
  await scenario(env, `resets mid-request / mid-response: ${CUTS} cuts, one armed every 250 ms`, async () => {
    const count = (key: 'cuts' | 'resets') => env.proxies.reduce((n, p) => n + p.stats[key], 0);
    const before = { cuts: count('cuts'), resets: count('resets') };
    for (let i = 0; i < CUTS; i++) {
      // One proxy per cut, in turn: the cut waits there for the next chunk going that way.
      env.proxies[i % env.proxies.length].resetMidStream(i % 2 === 0 ? 'request' : 'response');
      await sleep(250);
    }
    // A cut waits for traffic, and a client backing off after resets sends less: every armed cut is
    // made, however long the backoff makes that take (the bound only catches a load that stopped).
    await waitFor(() => env.proxies.every((p) => p.armed === 0), 120_000, 'every armed cut made');
    cuts = count('cuts') - before.cuts;
    resets = count('resets') - before.resets;
  });
  expect(cuts).toBe(CUTS);
  // Each cut resets its connection (unless that connection had already gone).
  expect(resets).toBeGreaterThan(0);
  expect(resets).toBeLessThanOrEqual(cuts);
});

test('timeouts during a black hole are typed errors within their bounds; close() returns within its timeout', async () => {
  const topic = uniqueTopic('blackhole-bounds');
  const admin0 = new KafkaAdmin({ bootstrapServers: env.cluster.bootstrapServers });
  await admin0.createTopics([{ name: topic, numPartitions: 1 }]);
  await admin0.close();
  const producer = new KafkaProducer({ bootstrapServers: env.through, acks: 'all', deliveryTimeoutMs: 4000 });
  const consumer = new KafkaConsumer(topic, { bootstrapServers: env.through, groupId: uniqueTopic('bh'), ...GROUP });
  const admin = new KafkaAdmin({ bootstrapServers: env.through });
  try {
    await producer.send(topic, 'warm');
    await consumer.poll({ timeoutMs: 3000 });
    for (const p of env.proxies) p.set({ blackhole: true });

    const timed = async (what: string, bound: number, call: () => Promise<unknown>) => {
      const t0 = Date.now();
      const err = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      const ms = Date.now() - t0;
      console.log(
        `black hole: ${what} -> ${err instanceof KafkaError ? err.code : String(err)} in ${ms} ms (bound ${bound})`,
      );
      expect(err).toBeInstanceOf(KafkaError);
      expect(ms).toBeLessThan(bound + 1500);
      return err as KafkaError;
    };
    const [sent, listed, committed] = await Promise.all([
      timed('send, deliveryTimeoutMs 4000', 4000, () => producer.send(topic, 'into the hole')),
      timed('listTopics, timeoutMs 3000', 3000, () => admin.listTopics({ timeoutMs: 3000 })),
      timed('committed, 3000', 3000, () => consumer.committed([{ topic, partition: 0 }], 3000)),
    ]);
    expect(sent.code).toBe('_MSG_TIMED_OUT');
    expect(listed.code).toBe('_TIMED_OUT');
    expect(committed.code).toBe('_TIMED_OUT');

    // close() with records that cannot be delivered: returns within its timeout, and the records'
    // sends reject (not left pending for ever).
    const pending = producer.send(topic, 'stuck').then(
      () => 'delivered',
      (e: unknown) => (e instanceof KafkaError ? e.code : String(e)),
    );
    let t0 = Date.now();
    await producer.close(2000);
    const producerCloseMs = Date.now() - t0;
    expect(await pending).not.toBe('delivered');
    t0 = Date.now();
    await consumer.close();
    const consumerCloseMs = Date.now() - t0;
    t0 = Date.now();
    await admin.close();
    const adminCloseMs = Date.now() - t0;
    console.log(
      `black hole: producer.close(2000) ${producerCloseMs} ms, consumer.close() ${consumerCloseMs} ms, admin.close() ${adminCloseMs} ms`,
    );
    expect(producerCloseMs).toBeLessThan(3500);
    expect(consumerCloseMs).toBeLessThan(12_000);
    expect(adminCloseMs).toBeLessThan(3000);
  } finally {
    for (const p of env.proxies) p.set({ blackhole: false });
    await Promise.all([producer.close(1000), consumer.close(), admin.close()].map((p) => p.catch(() => undefined)));
  }
});

function threadCount(): number {
  return Number(/Threads:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]);
}

test('a consumer whose leave outlasts close(): close() returns, the leave finishes in the background, the client is freed', async () => {
  const topic = uniqueTopic('leave-unreachable');
  const admin0 = new KafkaAdmin({ bootstrapServers: env.cluster.bootstrapServers });
  await admin0.createTopics([{ name: topic, numPartitions: 2 }]);
  await admin0.close();
  await sleep(1000);
  const before = threadCount();
  const closes = addon.closeStats();
  const seeder = new KafkaProducer({ bootstrapServers: env.cluster.bootstrapServers });
  await seeder.sendBatch(
    topic,
    Array.from({ length: 20 }, (_, i) => ({ value: `v${i}`, partition: i % 2 })),
  );
  await seeder.close();
  // Auto-commit on: close() commits what was consumed, and librdkafka waits for that commit's answer.
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: env.through,
    groupId: uniqueTopic('leave'),
    autoOffsetReset: 'earliest',
  });
  let got = 0;
  await waitFor(async () => (got += (await consumer.poll({ timeoutMs: 200 })).length) >= 20, 30_000, 'records');
  const during = threadCount();
  // 8 s each way: committing and leaving take longer than close() waits (10 s).
  for (const p of env.proxies) p.set({ latencyMs: 8000 });
  const t0 = Date.now();
  await consumer.close();
  const closeMs = Date.now() - t0;
  const lingered = addon.closeStats().lingered - closes.lingered;
  for (const p of env.proxies) p.set({ latencyMs: 0 });
  // The group finishes leaving in the background (Handle::Linger), then librdkafka's threads are joined.
  const t1 = Date.now();
  await waitFor(() => threadCount() <= before + 1, 120_000, `threads back to ${before} (were ${during})`);
  console.log(
    `slow link: consumer close() ${closeMs} ms, lingered ${lingered}; its ${during - before} threads all gone ${Date.now() - t1} ms after`,
  );
  expect(during - before).toBeGreaterThan(3);
  expect(closeMs).toBeLessThan(15_000);
  // It lingered (was not destroyed at close) and was destroyed afterwards, not abandoned: abandoning it
  // leaked its threads and memory for good, which the 30-minute soak showed as thread and RSS growth.
  expect(lingered).toBe(1);
  await waitFor(() => addon.closeStats().lingering === 0, 60_000, 'no client lingering');
  const after = addon.closeStats();
  expect(after.destroyedAfterLinger - closes.destroyedAfterLinger).toBe(1);
  expect(after.abandoned).toBe(closes.abandoned);
});
