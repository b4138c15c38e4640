/**
 * Blocking librdkafka calls (committed, watermarks, metadata, flush…) share a small process-wide pool
 * (native/core/task_pool.h) instead of starting a thread each, and a call that cannot finish (flush() with the
 * cluster unreachable) gives its thread back between slices instead of starving every other client.
 */
import * as fs from 'node:fs';

import { KafkaAdmin, KafkaConsumer, KafkaError, KafkaProducer } from '../../src';
import { addon } from '../../src/native/addon';
import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

const threads = (): number => fs.readdirSync('/proc/self/task').length;

test('64 concurrent committed() calls from 8 consumers run on at most maxThreads pool threads', async () => {
  const topic = uniqueTopic('pool');
  await createTopic(topic, 8);
  const consumers = Array.from(
    { length: 8 },
    () => new KafkaConsumer(topic, { bootstrapServers: bootstrapServers(), groupId: uniqueTopic('g') }),
  );
  const partitions = Array.from({ length: 8 }, (_, partition) => ({ topic, partition }));
  try {
    // Connected and idle first: librdkafka's own threads are all up before counting.
    await Promise.all(consumers.map((c) => c.committed(partitions, 15_000)));
    const before = threads();
    const { maxThreads } = addon.taskPoolStats();
    // Tasks are handed to their threads synchronously, so the count right after the calls shows them all.
    const calls = consumers.flatMap((c) => Array.from({ length: 8 }, () => c.committed(partitions, 15_000)));
    const during = threads();
    const results = await Promise.all(calls);
    expect(results).toHaveLength(64);
    for (const offsets of results) {
      expect(offsets.map((o) => o.partition).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      for (const o of offsets) expect(o.offset).toBeLessThan(0); // nothing committed by these new groups
    }
    // Before the pool: one new thread per call (+64 here).
    expect(during - before).toBeLessThanOrEqual(maxThreads);
    const stats = addon.taskPoolStats();
    expect(stats.peak).toBeLessThanOrEqual(maxThreads);
    expect(stats.threads).toBeLessThanOrEqual(maxThreads);
  } finally {
    await Promise.all(consumers.map((c) => c.close()));
  }
});

test('flush() calls that cannot finish do not starve other clients: they yield the pool between slices', async () => {
  const { maxThreads } = addon.taskPoolStats();
  // More stuck calls than pool threads, each with a message that can never be delivered.
  const stuck = Array.from(
    { length: maxThreads + 2 },
    () =>
      new KafkaProducer({
        bootstrapServers: '127.0.0.1:1',
        rdkafka: { 'message.timeout.ms': '600000' },
        logger: { error: () => undefined, warn: () => undefined }, // connection refused, expected
      }),
  );
  const sends = stuck.map((p) => p.send('nowhere', 'x').catch((e: unknown) => e));
  let flushesSettled = 0;
  const flushes = stuck.map((p) =>
    p.flush().then(
      () => {
        flushesSettled++;
        return undefined;
      },
      (e: unknown) => {
        flushesSettled++;
        return e;
      },
    ),
  );
  const admin = new KafkaAdmin({ bootstrapServers: bootstrapServers() });
  try {
    // Let every flush reach the pool and block in its first slice.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    const topics = await admin.listTopics({ timeoutMs: 20_000 });
    const waited = Date.now() - started;
    expect(Array.isArray(topics)).toBe(true);
    expect(flushesSettled).toBe(0); // the flushes really were still holding their tasks
    // Without yielding, the metadata request waits for a pool thread for ever (flush(-1)). With it, at most
    // a slice or two of the stuck tasks ahead of it (500 ms each), plus the request itself. Bounded by half
    // the request's own 20 s timeout, the hang it guards against (it was 5 s: a busy machine's round trip).
    expect(waited).toBeLessThan(20_000 / 2);
  } finally {
    await admin.close();
    await Promise.all(stuck.map((p) => p.close(200)));
  }
  for (const e of await Promise.all(flushes)) {
    expect(e).toBeInstanceOf(KafkaError);
    expect((e as KafkaError).code).toBe('_DESTROY');
  }
  for (const e of await Promise.all(sends)) expect((e as KafkaError).code).toBe('_DESTROY');
});

test('close() of a client whose call waits behind many stuck ones returns promptly', async () => {
  const quiet = { error: () => undefined, warn: () => undefined };
  // 80 metadata calls that cannot finish hold the pool's threads in turn (20 rounds of 500 ms slices).
  const stuck = new KafkaAdmin({ bootstrapServers: '127.0.0.1:1', logger: quiet });
  const stuckCalls = Array.from({ length: 80 }, () => stuck.listTopics({ timeoutMs: 60_000 }).catch((e: unknown) => e));
  const other = new KafkaAdmin({ bootstrapServers: '127.0.0.1:1', logger: quiet });
  const otherCall = other.listTopics({ timeoutMs: 60_000 }).catch((e: unknown) => e);
  await new Promise((resolve) => setTimeout(resolve, 300));
  try {
    const started = Date.now();
    await other.close();
    // Its queued step moves to the front when it starts closing; behind the others it waited ~10 s. Half
    // of that (it was 3 s, within reach of a busy machine's lag on a healthy ~0.5 s).
    expect(Date.now() - started).toBeLessThan(10_000 / 2);
    expect(((await otherCall) as KafkaError).code).toBe('_DESTROY');
  } finally {
    const started = Date.now();
    await stuck.close();
    // Half the ~10 s its 80 stuck calls hold the pool for: close() refuses them instead of waiting.
    expect(Date.now() - started).toBeLessThan(10_000 / 2);
  }
  for (const e of await Promise.all(stuckCalls)) expect((e as KafkaError).code).toBe('_DESTROY');
});
