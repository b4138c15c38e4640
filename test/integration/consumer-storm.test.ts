import { KafkaConsumer, KafkaProducer, type TopicPartition } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic, waitFor } from '../helpers';

interface Member {
  id: number;
  consumer: KafkaConsumer;
  loop: Promise<void>;
}

test('rebalance storm: 20 joins/leaves while producing; every record processed, order held per partition', async () => {
  const topic = uniqueTopic('storm');
  await createTopic(topic, 6);
  const groupId = uniqueTopic('g');
  const processed = new Set<number>();
  let violations = 0;
  let revocations = 0;
  // Per member and partition: last offset seen in the current ownership period.
  const last = new Map<string, number>();

  const join = (id: number): Member => {
    const consumer = new KafkaConsumer(topic, {
      bootstrapServers: bootstrapServers(),
      groupId,
      autoOffsetReset: 'earliest',
      autoCommitIntervalMs: 200,
      sessionTimeoutMs: 6000,
      onPartitionsAssigned: (tps: TopicPartition[]) => {
        for (const tp of tps) last.delete(`${id}:${tp.partition}`);
      },
      onPartitionsRevoked: (tps: TopicPartition[]) => {
        revocations++;
        for (const tp of tps) last.delete(`${id}:${tp.partition}`);
      },
    });
    const loop = (async () => {
      for await (const record of consumer) {
        const key = `${id}:${record.partition}`;
        const prev = last.get(key);
        if (prev !== undefined && record.offset <= prev) violations++;
        last.set(key, record.offset);
        processed.add(Number(record.value!.toString()));
      }
    })();
    return { id, consumer, loop };
  };

  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers(), lingerMs: 5 });
  let produced = 0;
  let producing = true;
  const production = (async () => {
    while (producing) {
      const from = produced;
      produced += 200;
      await producer.sendBatch(
        topic,
        Array.from({ length: 200 }, (_, i) => ({ key: String((from + i) % 24), value: String(from + i) })),
      );
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  const anchor = join(0);
  const members: Member[] = [];
  let nextId = 1;
  try {
    for (let cycle = 0; cycle < 20; cycle++) {
      members.push(join(nextId++));
      await new Promise((r) => setTimeout(r, 400 + (cycle % 3) * 300));
      if (members.length > 1 || cycle % 2 === 1) {
        const leaving = members.splice(cycle % members.length, 1)[0];
        await leaving.consumer.close();
        await leaving.loop;
      }
    }
    producing = false;
    await production;
    await producer.close();
    await waitFor(() => processed.size === produced, 120_000, `all ${produced} records processed`);
  } finally {
    producing = false;
    await Promise.all([anchor, ...members].map((m) => m.consumer.close()));
    await Promise.all([anchor, ...members].map((m) => m.loop.catch(() => undefined)));
  }
  const missing = Array.from({ length: produced }, (_, i) => i).filter((n) => !processed.has(n)).length;
  console.log(
    `storm: ${produced} produced, ${processed.size} processed at least once, ${missing} missing, ` +
      `${revocations} revocations, ${violations} order violations`,
  );
  expect(missing).toBe(0);
  expect(violations).toBe(0);
  expect(revocations).toBeGreaterThanOrEqual(10); // rebalances happened (close joins may coalesce)
}, 300_000);
