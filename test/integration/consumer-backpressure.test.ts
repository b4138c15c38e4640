import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

import { KafkaProducer } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

test('a slow for-await body keeps memory bounded on a topic far larger than the fetch queue', async () => {
  const topic = uniqueTopic('slow');
  await createTopic(topic, 1);
  // 150 MiB of records against a 2 MiB librdkafka queue (queued.max.messages.kbytes).
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers(), lingerMs: 20 });
  const value = Buffer.alloc(1024, 'x');
  for (let i = 0; i < 150; i++) {
    await producer.sendBatch(
      topic,
      Array.from({ length: 1024 }, () => ({ value })),
    );
  }
  await producer.close();
  const child = spawnSync(
    process.execPath,
    // 60,000 records (60 MiB): twenty times the records the loop body may be behind by (below).
    ['--expose-gc', path.join(__dirname, 'fixtures', 'slow-consumer.js'), bootstrapServers(), topic, '60000'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (child.status !== 0) throw new Error(`slow consumer failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    consumed: number;
    aheadMax: number;
    inJsMax: number;
    baselineMb: number;
    peakMb: number;
    heapGrowthMb: number;
  };
  console.log(
    `slow consumer: ${result.consumed} records, fetched ahead of the loop body at most ${result.aheadMax} ` +
      `(${result.inJsMax} of them in JS), RSS ${result.baselineMb.toFixed(1)} -> peak ${result.peakMb.toFixed(1)} MiB, ` +
      `heap growth after GC ${result.heapGrowthMb.toFixed(1)} MiB on a 150 MiB topic`,
  );
  expect(result.consumed).toBe(60000);
  // Bounded memory is bounded buffering, counted in records (librdkafka's statistics) rather than in RSS,
  // which moves with V8's collection schedule and glibc's arenas on a busy machine (RSS was bounded to
  // 30 MiB here before; it is still printed). By design the loop body is ahead of at most librdkafka's
  // queue (2 MiB: ~2,000 records of 1 KiB) plus the fetch response that arrives as it fills (1 MiB), and
  // what JS holds: one batch of 100 and the one being iterated (healthy: ~3,000 ahead, ~100 in JS). The
  // bound is twice librdkafka's part, whose byte limits are approximate in records. A client that keeps
  // taking records from librdkafka for a slow body holds the topic's rest: tens of thousands.
  expect(result.inJsMax).toBeLessThanOrEqual(2 * 100);
  expect(result.aheadMax).toBeLessThanOrEqual(2 * (2048 + 1024) + 2 * 100);
  // Measured after a forced full GC at both ends: live objects only, which load does not change (it
  // changes when garbage is collected, not what is live). Consumed records kept alive fail it.
  expect(result.heapGrowthMb).toBeLessThan(10);
}, 180_000);
