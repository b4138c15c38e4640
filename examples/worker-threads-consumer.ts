/**
 * Parallel consumption with worker_threads (the seed's "asynchronous consumer" via threads): N workers,
 * each a member of the same group, share the topic's partitions; each commits what it processed.
 * Run: npm run example -- worker-threads-consumer
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

import { KafkaAdmin, KafkaConsumer, KafkaError, KafkaProducer } from 'kafka-napi';

const WORKERS = 3;

async function member(bootstrapServers: string, topic: string): Promise<void> {
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers,
    groupId: 'orders-parallel',
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    partitionAssignmentStrategy: 'cooperative-sticky',
  });
  let count = 0;
  // Joining a group takes a few seconds; then stop after 5 s without records (a service keeps going).
  let idle = setTimeout(() => void consumer.close(), 30_000);
  for await (const record of consumer) {
    clearTimeout(idle);
    idle = setTimeout(() => void consumer.close(), 5000);
    count++;
    await consumer.commit(record);
  }
  clearTimeout(idle);
  parentPort!.postMessage(count);
}

export async function main(bootstrapServers: string, topic = 'clicks'): Promise<void> {
  // A topic with 6 partitions, so the 3 members each get some.
  const admin = new KafkaAdmin({ bootstrapServers });
  await admin.createTopics([{ name: topic, numPartitions: 6 }]).catch((err: unknown) => {
    if (!(err instanceof KafkaError && err.code === 'TOPIC_ALREADY_EXISTS')) throw err;
  });
  await admin.close();
  const producer = new KafkaProducer({ bootstrapServers });
  await producer.sendBatch(
    topic,
    Array.from({ length: 600 }, (_, i) => ({ key: `user-${i % 50}`, value: `click ${i}` })),
  );
  await producer.close();

  const counts = await Promise.all(
    Array.from(
      { length: WORKERS },
      () =>
        new Promise<number>((resolve, reject) => {
          // This same file runs in each worker; it registers tsx there so the worker can load TypeScript.
          const boot = `require('tsx/cjs'); require(${JSON.stringify(__filename)});`;
          const worker = new Worker(boot, { eval: true, workerData: { bootstrapServers, topic } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  console.log(`records per worker: ${counts.join(', ')} (total ${counts.reduce((a, b) => a + b, 0)})`);
}

if (!isMainThread && workerData) {
  const { bootstrapServers, topic } = workerData as { bootstrapServers: string; topic: string };
  void member(bootstrapServers, topic);
}
