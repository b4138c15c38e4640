import { KafkaError, KafkaProducer, type PartitionerName } from '../../src';
import { javaPartitionsForKeys } from '../broker/kafka';
import { bootstrapServers, consumeAll, createTopic, uniqueTopic } from '../helpers';

const PARTITIONS = 6;
const KEYS = Array.from({ length: 60 }, (_, i) =>
  i % 3 === 0 ? `user-${i}` : i % 3 === 1 ? `${i * 7919}` : `k${'x'.repeat(i)}`,
);

async function partitionsFor(
  topic: string,
  partitioner: PartitionerName | ((key: Buffer | null, count: number, topic: string) => number) | undefined,
  keys: Array<string | null>,
  rdkafka?: Record<string, number>,
): Promise<number[]> {
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers(), partitioner, rdkafka });
  try {
    const metas = await producer.sendBatch(
      topic,
      keys.map((key) => ({ key, value: 'v' })),
    );
    return metas.map((m) => m.partition);
  } finally {
    await producer.close();
  }
}

test('default murmur2_random puts each key where the Java client would', async () => {
  const topic = uniqueTopic('murmur');
  await createTopic(topic, PARTITIONS);
  const expected = javaPartitionsForKeys(PARTITIONS, KEYS);
  expect(new Set(expected).size).toBeGreaterThan(3); // the key set exercises most partitions
  expect(await partitionsFor(topic, undefined, KEYS)).toEqual(expected);
  expect(await partitionsFor(topic, 'murmur2', KEYS)).toEqual(expected);
});

test.each(['murmur2_random', 'murmur2', 'consistent_random', 'consistent', 'random', 'fnv1a_random'] as const)(
  'named partitioner %s: valid partitions, and keyed ones are stable per key',
  async (partitioner) => {
    const topic = uniqueTopic(`p-${partitioner}`);
    await createTopic(topic, PARTITIONS);
    const keys = [...KEYS, ...KEYS];
    const parts = await partitionsFor(topic, partitioner, keys);
    for (const p of parts) expect(p >= 0 && p < PARTITIONS).toBe(true);
    if (partitioner !== 'random') {
      expect(parts.slice(0, KEYS.length)).toEqual(parts.slice(KEYS.length));
    }
    // Records without a key spread over more than one partition for the *_random and random ones
    // (once librdkafka's sticky partitioning, which batches unkeyed records per partition, is off).
    const unkeyed = await partitionsFor(topic, partitioner, Array<null>(200).fill(null), {
      'sticky.partitioning.linger.ms': 0,
    });
    if (partitioner.includes('random')) expect(new Set(unkeyed).size).toBeGreaterThan(1);
    // murmur2 and consistent map every null key to one partition (librdkafka's CONFIGURATION.md).
    else expect(new Set(unkeyed).size).toBe(1);
  },
);

test('a JS function partitioner decides the partition, with the real partition count', async () => {
  const topic = uniqueTopic('jsp');
  await createTopic(topic, PARTITIONS);
  const calls: Array<[string | null, number, string]> = [];
  const parts = await partitionsFor(
    topic,
    (key, count, t) => {
      calls.push([key?.toString() ?? null, count, t]);
      return key ? key.length % count : count - 1;
    },
    ['a', 'bb', 'ccc', null],
  );
  expect(parts).toEqual([1, 2, 3, PARTITIONS - 1]);
  expect(calls).toEqual([
    ['a', PARTITIONS, topic],
    ['bb', PARTITIONS, topic],
    ['ccc', PARTITIONS, topic],
    [null, PARTITIONS, topic],
  ]);
  const records = await consumeAll(topic, 4);
  expect(records.map((r) => [r.key?.toString() ?? null, r.partition]).sort()).toEqual(
    [
      ['a', 1],
      ['bb', 2],
      ['ccc', 3],
      [null, PARTITIONS - 1],
    ].sort(),
  );
});

test('an explicit partition wins over the JS partitioner; bad partitioner results reject only that record', async () => {
  const topic = uniqueTopic('jsp-bad');
  await createTopic(topic, 2);
  const producer = new KafkaProducer({
    bootstrapServers: bootstrapServers(),
    partitioner: (key) => {
      if (key?.toString() === 'throw') throw new Error('partitioner bug');
      return key?.toString() === 'range' ? 99 : 0;
    },
  });
  const results = await Promise.allSettled([
    producer.send(topic, 'x', { key: 'ok' }),
    producer.send(topic, 'x', { key: 'throw' }),
    producer.send(topic, 'x', { key: 'range' }),
    producer.send(topic, 'x', { key: 'range', partition: 1 }),
  ]);
  await producer.close();
  expect(results[0]).toMatchObject({ status: 'fulfilled', value: { partition: 0 } });
  expect(results[1]).toMatchObject({ status: 'rejected', reason: { code: '_PARTITIONER' } });
  expect(((results[1] as PromiseRejectedResult).reason as KafkaError).cause).toEqual(new Error('partitioner bug'));
  expect(results[2]).toMatchObject({ status: 'rejected', reason: { code: '_PARTITIONER' } });
  expect(results[3]).toMatchObject({ status: 'fulfilled', value: { partition: 1 } });
});
