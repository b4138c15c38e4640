import * as path from 'node:path';
import { Worker } from 'node:worker_threads';

import { KafkaProducer } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic, waitFor } from '../helpers';

test('3 worker_threads, one group member each, share the partitions and consume every record exactly once', async () => {
  const topic = uniqueTopic('wgroup');
  await createTopic(topic, 6);
  const N = 3000;
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  await producer.sendBatch(
    topic,
    Array.from({ length: N }, (_, i) => ({ key: String(i), value: String(i) })),
  );
  await producer.close();
  const groupId = uniqueTopic('g');
  const seen = new Map<string, number>();
  const perWorker = [0, 0, 0];
  const partitionsPerWorker = [new Set<number>(), new Set<number>(), new Set<number>()];
  const errors: string[] = [];
  const closed: boolean[] = [false, false, false];
  const workers = [0, 1, 2].map((i) => {
    const w = new Worker(path.join(__dirname, 'fixtures', 'group-worker.js'), {
      workerData: { bootstrapServers: bootstrapServers(), topic, groupId },
    });
    w.on('message', (m: { value?: string; partition?: number; error?: string; closed?: boolean }) => {
      if (m.error) errors.push(m.error);
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
  // The group actually spread the work (the members joined at nearly the same time).
  expect(perWorker.filter((c) => c > 0).length).toBeGreaterThanOrEqual(2);
}, 150_000);
