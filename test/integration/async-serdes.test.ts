/**
 * Serializers and deserializers that answer with a Promise (what a schema registry serde does on a cold
 * cache): per-partition order is the order of the calls, nothing is lost, and a rejection fails only its
 * own record (producer) or stops consumption at its record without committing past it (consumer).
 */
import { KafkaAdmin, KafkaConsumer, KafkaProducer, KafkaShareConsumer, type Serialized } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

const N = 300;
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every `every`-th call answers with a Promise settled a few milliseconds later; the rest at once. */
function sometimesLate<T, R>(every: number, f: (value: T) => R): (value: T) => R | Promise<R> {
  let calls = 0;
  return (value: T) => (calls++ % every === 0 ? tick(calls % 7).then(() => f(value)) : f(value));
}

async function readAll(topic: string, count: number, deserializer: (data: Buffer | null) => unknown) {
  const consumer = new KafkaConsumer<Buffer, unknown>(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('async-serde-g'),
    autoOffsetReset: 'earliest',
    valueDeserializer: deserializer,
  });
  const values: unknown[] = [];
  try {
    while (values.length < count) {
      for (const r of await consumer.poll({ timeoutMs: 30_000, maxRecords: 37 })) values.push(r.value);
    }
  } finally {
    await consumer.close();
  }
  return values;
}

test(`producer: ${N} send()s and a sendBatch through a sometimes-late serializer arrive in call order`, async () => {
  const topic = uniqueTopic('async-ser');
  await createTopic(topic, 1);
  const producer = new KafkaProducer<Buffer, number>({
    bootstrapServers: bootstrapServers(),
    valueSerializer: sometimesLate<number, Serialized>(5, (n) => String(n)),
  });
  try {
    const sends = Array.from({ length: N }, (_, i) => producer.send(topic, i));
    const batch = producer.sendBatch(
      topic,
      Array.from({ length: N }, (_, i) => ({ value: N + i })),
    );
    const offsets = [...(await Promise.all(sends)), ...(await batch)].map((m) => m.offset);
    expect(offsets).toEqual(Array.from({ length: 2 * N }, (_, i) => i));
  } finally {
    await producer.close();
  }
  const values = await readAll(topic, 2 * N, (d) => Number(d!.toString()));
  expect(values).toEqual(Array.from({ length: 2 * N }, (_, i) => i));
});

test('producer: a rejecting serializer fails its own send() with _VALUE_SERIALIZATION; later sends go out', async () => {
  const topic = uniqueTopic('async-ser-fail');
  await createTopic(topic, 1);
  const producer = new KafkaProducer<Buffer, number>({
    bootstrapServers: bootstrapServers(),
    valueSerializer: (n) => (n === 1 ? Promise.reject(new Error('registry down')) : Promise.resolve(String(n))),
  });
  try {
    const results = await Promise.allSettled([0, 1, 2].map((n) => producer.send(topic, n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
      code: '_VALUE_SERIALIZATION',
      message: expect.stringContaining('registry down'),
    });
    await expect(producer.sendBatch(topic, [{ value: 3 }, { value: 1 }])).rejects.toMatchObject({
      code: '_VALUE_SERIALIZATION',
    });
  } finally {
    await producer.close();
  }
  expect(await readAll(topic, 2, (d) => d!.toString())).toEqual(['0', '2']);
});

test(`consumer: a sometimes-late deserializer hands ${N} records out in order, in batches and one by one`, async () => {
  const topic = uniqueTopic('async-de');
  await createTopic(topic, 1);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  await producer.sendBatch(
    topic,
    Array.from({ length: N }, (_, i) => ({ value: String(i) })),
  );
  await producer.close();
  const parse = sometimesLate<Buffer | null, number>(9, (d) => Number(d!.toString()));
  expect(await readAll(topic, N, parse)).toEqual(Array.from({ length: N }, (_, i) => i));

  const consumer = new KafkaConsumer<Buffer, number>(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('async-de-iter'),
    autoOffsetReset: 'earliest',
    valueDeserializer: sometimesLate<Buffer | null, number>(4, (d) => Number(d!.toString())),
  });
  const seen: number[] = [];
  try {
    for await (const record of consumer) {
      expect(record.offset).toBe(seen.length);
      seen.push(record.value!);
      if (seen.length === N) break;
    }
  } finally {
    await consumer.close();
  }
  expect(seen).toEqual(Array.from({ length: N }, (_, i) => i));
});

test('consumer: a rejecting deserializer stops at its record, which is not committed past', async () => {
  const topic = uniqueTopic('async-de-fail');
  await createTopic(topic, 1);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  await producer.sendBatch(
    topic,
    ['a', 'b', 'poison', 'c'].map((value) => ({ value })),
  );
  await producer.close();
  const consumer = new KafkaConsumer<Buffer, string>(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('async-de-fail-g'),
    autoOffsetReset: 'earliest',
    valueDeserializer: async (d) => {
      await tick(1);
      if (d!.toString() === 'poison') throw new Error('unknown schema id');
      return d!.toString();
    },
  });
  try {
    const got: string[] = [];
    let error: unknown;
    while (error === undefined) {
      try {
        for (const r of await consumer.poll({ timeoutMs: 30_000 })) got.push(r.value!);
      } catch (err) {
        error = err;
      }
    }
    expect(got).toEqual(['a', 'b']);
    expect(error).toMatchObject({
      code: '_VALUE_DESERIALIZATION',
      offset: 2,
      message: expect.stringContaining('unknown schema id'),
    });
    await consumer.commit();
    expect((await consumer.committed([{ topic, partition: 0 }]))[0].offset).toBe(2);
  } finally {
    await consumer.close();
  }
});

test('share consumer: a late deserializer delivers every record once, with its delivery count', async () => {
  const topic = uniqueTopic('async-share');
  await createTopic(topic, 1);
  const groupId = uniqueTopic('async-share-g');
  const admin = new KafkaAdmin({ bootstrapServers: bootstrapServers() });
  const [config] = await admin.incrementalAlterConfigs([
    { type: 'group', name: groupId, configs: [{ name: 'share.auto.offset.reset', value: 'earliest' }] },
  ]);
  await admin.close();
  if (config.error) throw config.error;
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  await producer.sendBatch(
    topic,
    Array.from({ length: 50 }, (_, i) => ({ value: String(i) })),
  );
  await producer.close();
  const consumer = new KafkaShareConsumer<Buffer, number>(topic, {
    bootstrapServers: bootstrapServers(),
    groupId,
    logger: {},
    valueDeserializer: sometimesLate<Buffer | null, number>(3, (d) => Number(d!.toString())),
  });
  const seen: number[] = [];
  try {
    while (seen.length < 50) {
      for (const r of await consumer.poll({ timeoutMs: 5_000 })) {
        expect(r.deliveryCount).toBe(1);
        seen.push(r.value!);
      }
    }
  } finally {
    await consumer.close();
  }
  expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
});
