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
    // 60,000 records (60 MiB): twice the RSS bound, so keeping what was consumed cannot pass.
    ['--expose-gc', path.join(__dirname, 'fixtures', 'slow-consumer.js'), bootstrapServers(), topic, '60000'],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (child.status !== 0) throw new Error(`slow consumer failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as {
    consumed: number;
    baselineMb: number;
    peakMb: number;
    heapGrowthMb: number;
  };
  const growthMb = result.peakMb - result.baselineMb;
  console.log(
    `slow consumer: ${result.consumed} records, RSS baseline ${result.baselineMb.toFixed(1)} MiB, ` +
      `peak ${result.peakMb.toFixed(1)} MiB (growth ${growthMb.toFixed(1)} MiB), heap growth after GC ` +
      `${result.heapGrowthMb.toFixed(1)} MiB on a 150 MiB topic`,
  );
  expect(result.consumed).toBe(60000);
  expect(growthMb).toBeLessThan(30);
  expect(result.heapGrowthMb).toBeLessThan(10);
}, 180_000);
