/**
 * Native memory across consumer catch-ups: what the soak's RSS steps after a long fault are made of.
 *
 *   npx tsx test/faults/catch-up-memory.ts            # glibc's defaults
 *   MALLOC_MMAP_THRESHOLD_=131072 npx tsx test/faults/catch-up-memory.ts
 *   CATCH_UP_QUEUE_KB=4096 npx tsx test/faults/catch-up-memory.ts   # a smaller prefetch queue
 *
 * After a fault stalls a group, it catches up with fetch responses of megabytes, decoded in librdkafka's
 * broker threads. This runs that on its own: a consumer reads steadily; then, `ROUNDS` times, it stops
 * reading while `BACKLOG` records pile up and catches up. Native memory (RSS minus V8's heap) is sampled
 * in steady state before the first catch-up and after each one. A leak grows with every round; memory
 * the allocator keeps at its high-water mark steps up once and stays. The second command fixes glibc's
 * mmap threshold (by default it rises after large frees, so later large blocks come from arenas that do
 * not shrink); if the step disappears with it, the allocator kept it, not the client.
 */
import { KafkaConsumer, KafkaProducer } from '../../src';
import { startKafka } from '../broker/kafka';

const BACKLOG = 300_000;
const ROUNDS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const gc = (globalThis as { gc?: () => void }).gc;

function nativeMiB(): number {
  gc?.();
  const m = process.memoryUsage();
  return Math.round(((m.rss - m.heapTotal) / 2 ** 20) * 10) / 10;
}

async function main(): Promise<void> {
  const cluster = await startKafka({ nodes: 1 });
  const producer = new KafkaProducer({ bootstrapServers: cluster.bootstrapServers, lingerMs: 5, logger: {} });
  const consumer = new KafkaConsumer('catch-up', {
    bootstrapServers: cluster.bootstrapServers,
    groupId: 'catch-up',
    autoOffsetReset: 'earliest',
    logger: {},
    // CATCH_UP_QUEUE_KB bounds librdkafka's prefetch queue (default 65536 KiB): if the step shrinks with
    // it, the step is that bounded buffer being filled once, not memory lost per catch-up.
    ...(process.env.CATCH_UP_QUEUE_KB
      ? { rdkafka: { 'queued.max.messages.kbytes': Number(process.env.CATCH_UP_QUEUE_KB) } }
      : {}),
  });
  const value = Buffer.alloc(100, 'x');
  const produce = async (n: number) => {
    for (let i = 0; i < n; i += 5000) {
      await producer.sendBatch(
        'catch-up',
        Array.from({ length: Math.min(5000, n - i) }, () => ({ value })),
      );
    }
  };
  let consumed = 0;
  const drain = async (until: number) => {
    while (consumed < until) consumed += (await consumer.poll({ timeoutMs: 1000, maxRecords: 5000 })).length;
  };
  try {
    // Steady state: small batches, read as they come.
    for (let i = 0; i < 30; i++) {
      await produce(2000);
      await drain(consumed + 2000);
    }
    await sleep(2000);
    const rows: Array<{ round: number; nativeMiB: number; rssMiB: number }> = [];
    const row = (round: number) => {
      rows.push({ round, nativeMiB: nativeMiB(), rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20) });
      console.error(JSON.stringify(rows[rows.length - 1]));
    };
    row(0);
    for (let round = 1; round <= ROUNDS; round++) {
      // The group stalls while the backlog builds, then catches up with large fetches.
      consumer.pause(consumer.assignment());
      await produce(BACKLOG);
      consumer.resume(consumer.assignment());
      await drain(consumed + BACKLOG);
      await sleep(2000);
      row(round);
    }
    console.log(
      JSON.stringify({
        mmapThreshold: process.env.MALLOC_MMAP_THRESHOLD_ ?? 'default',
        queueKiB: process.env.CATCH_UP_QUEUE_KB ?? 'default',
        backlog: BACKLOG,
        rows,
      }),
    );
  } finally {
    await Promise.all([producer.close(), consumer.close()]);
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
