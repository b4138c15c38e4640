import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { KafkaProducer } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic, waitFor } from '../helpers';

test('3 worker_threads, one group member each, share the partitions and consume every record exactly once', async () => {
  const topic = uniqueTopic('wgroup');
  await createTopic(topic, 6);
  const N = 3000;
  const groupId = uniqueTopic('g');
  const seen = new Map<string, number>();
  const perWorker = [0, 0, 0];
  const partitionsPerWorker = [new Set<number>(), new Set<number>(), new Set<number>()];
  const errors: string[] = [];
  const closed: boolean[] = [false, false, false];
  const owned = [new Set<number>(), new Set<number>(), new Set<number>()];
  const workers = [0, 1, 2].map((i) => {
    const w = new Worker(path.join(__dirname, 'fixtures', 'group-worker.js'), {
      workerData: { bootstrapServers: bootstrapServers(), topic, groupId },
    });
    type Message = {
      value?: string;
      partition?: number;
      assigned?: number[];
      revoked?: number[];
      error?: string;
      closed?: boolean;
    };
    w.on('message', (m: Message) => {
      if (m.error) errors.push(m.error);
      for (const p of m.assigned ?? []) owned[i].add(p);
      for (const p of m.revoked ?? []) owned[i].delete(p);
      if (m.closed) closed[i] = true;
      if (m.value !== undefined) {
        seen.set(m.value, (seen.get(m.value) ?? 0) + 1);
        perWorker[i]++;
        partitionsPerWorker[i].add(m.partition!);
      }
    });
    return w;
  });
  try {
    // Records are produced once every member owns partitions: a member that joined first could otherwise
    // drain all 3000 before the others' rebalance completes, and the spread would depend on timing.
    await waitFor(
      () => owned.every((s) => s.size > 0) && owned.reduce((n, s) => n + s.size, 0) === 6,
      60_000,
      'all three members own partitions',
    );
    const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
    await producer.sendBatch(
      topic,
      Array.from({ length: N }, (_, i) => ({ key: String(i), value: String(i) })),
    );
    await producer.close();
    await waitFor(() => seen.size === N || errors.length > 0, 90_000, `${N} records`);
    await new Promise((r) => setTimeout(r, 1000)); // nothing more (no re-delivery) arrives
  } finally {
    for (const w of workers) w.postMessage('close');
    await waitFor(() => closed.every(Boolean) || errors.length > 0, 30_000, 'workers closed');
    await Promise.all(workers.map((w) => w.terminate()));
  }
  console.log(`worker_threads group: records per worker ${perWorker.join('/')}`);
  expect(errors).toEqual([]);
  expect(seen.size).toBe(N);
  expect([...seen.values()].every((c) => c === 1)).toBe(true);
  // The group spread the work: every member owned partitions when the records arrived, and read them.
  expect(perWorker.every((c) => c > 0)).toBe(true);
  expect(partitionsPerWorker.reduce((n, s) => n + s.size, 0)).toBe(6);
}, 150_000);
