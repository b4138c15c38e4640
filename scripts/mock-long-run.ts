/**
 * Long-run consumer behaviour on `kafka-napi/testing`'s MockCluster: what a user's test can expect when a
 * consumer group runs for minutes on librdkafka's mock instead of a broker (docs/testing.md).
 *
 *   npx tsx scripts/mock-long-run.ts [--minutes 5]
 *
 * A producer writes at a steady rate to 6 partitions of a 3-broker mock; a group of 2 consumers reads and
 * commits; every 10 s: records produced/consumed, the gap, rebalances, RSS. At the end every produced
 * record must have been consumed (duplicates are counted: the group is at-least-once). The summary goes
 * to stdout as JSON.
 */
import { KafkaConsumer, KafkaError, KafkaProducer } from '../src';
import { MockCluster } from '../src/testing';

const REBALANCE_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION']);
let commitsRefused = 0;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const i = process.argv.indexOf('--minutes');
  const minutes = i > 0 ? Number(process.argv[i + 1]) : 5;
  const cluster = await MockCluster.start({ brokers: 3 });
  cluster.createTopic('long', 6, 3);
  const producer = new KafkaProducer({ bootstrapServers: cluster.bootstrapServers, lingerMs: 5, logger: {} });
  const seen = new Map<string, number>();
  let rebalances = 0;
  const member = (name: string) => {
    const consumer = new KafkaConsumer('long', {
      bootstrapServers: cluster.bootstrapServers,
      groupId: 'long-group',
      autoOffsetReset: 'earliest',
      logger: {},
      onPartitionsAssigned: () => void rebalances++,
    });
    const loop = (async () => {
      for await (const batch of consumer.batches({ maxRecords: 500 })) {
        for (const r of batch) seen.set(r.value!.toString(), (seen.get(r.value!.toString()) ?? 0) + 1);
        // A commit racing a rebalance is refused (REBALANCE_IN_PROGRESS): the records are redelivered
        // to whoever gets the partition, as at-least-once allows; anything else ends the run.
        await consumer.commit().catch((err: unknown) => {
          if (!(err instanceof KafkaError) || !REBALANCE_ERRORS.has(err.code)) throw err;
          commitsRefused++;
        });
      }
    })();
    return { name, consumer, loop };
  };
  const members = [member('a'), member('b')];
  let produced = 0;
  let stop = false;
  const rate = 5000;
  const started = Date.now();
  const load = (async () => {
    while (!stop) {
      const due = Math.floor(((Date.now() - started) / 1000) * rate) - produced;
      if (due > 0) {
        const batch = Array.from({ length: due }, (_, k) => ({ value: `m${produced + k}` }));
        produced += due;
        await producer.sendBatch('long', batch);
      }
      await sleep(20);
    }
  })();
  const samples: Array<Record<string, number>> = [];
  const end = started + minutes * 60_000;
  while (Date.now() < end) {
    await sleep(10_000);
    const sample = {
      t: Math.round((Date.now() - started) / 1000),
      produced,
      consumed: seen.size,
      gap: produced - seen.size,
      rebalances,
      rssMiB: Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10,
    };
    samples.push(sample);
    console.error(JSON.stringify(sample));
  }
  stop = true;
  await load;
  const drainDeadline = Date.now() + 60_000;
  while (seen.size < produced && Date.now() < drainDeadline) await sleep(200);
  const caughtUpMs = Date.now() - (started + minutes * 60_000);
  for (const m of members) await m.consumer.close();
  await Promise.all(members.map((m) => m.loop));
  await producer.close();
  await cluster.stop();
  let duplicated = 0;
  let missing = 0;
  for (let k = 0; k < produced; k++) {
    const n = seen.get(`m${k}`) ?? 0;
    if (n === 0) missing++;
    else duplicated += n - 1;
  }
  const rss = samples.map((s) => s.rssMiB);
  console.log(
    JSON.stringify(
      {
        minutes,
        ratePerSec: rate,
        produced,
        consumed: seen.size,
        missing,
        duplicated,
        rebalances,
        commitsRefused,
        caughtUpMs,
        maxGap: Math.max(...samples.map((s) => s.gap)),
        rssMiB: { first: rss[0], last: rss[rss.length - 1], max: Math.max(...rss) },
      },
      null,
      2,
    ),
  );
  if (missing > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
