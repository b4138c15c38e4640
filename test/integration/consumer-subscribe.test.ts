import { KafkaConsumer, KafkaError, KafkaProducer, type ConsumerRecord, type RdKafkaStats } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic, waitFor } from '../helpers';

async function seedTopics(names: string[]): Promise<void> {
  await Promise.all(names.map((n) => createTopic(n, 1)));
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  for (const n of names) await producer.sendBatch(n, [{ value: `${n}-0` }, { value: `${n}-1` }]);
  await producer.close();
}

async function take(consumer: KafkaConsumer, count: number): Promise<ConsumerRecord[]> {
  const out: ConsumerRecord[] = [];
  for await (const batch of consumer.batches({ maxRecords: 3 })) {
    expect(batch.length).toBeLessThanOrEqual(3);
    out.push(...batch);
    if (out.length >= count) break;
  }
  return out;
}

test('subscribe by string, array and RegExp; unsubscribe; subscription(); batches()', async () => {
  const prefix = uniqueTopic('sub');
  const [a, b, other] = [`${prefix}-a`, `${prefix}-b`, uniqueTopic('other')];
  await seedTopics([a, b, other]);
  const options = { bootstrapServers: bootstrapServers(), autoOffsetReset: 'earliest' as const };

  const byString = new KafkaConsumer(a, { ...options, groupId: uniqueTopic('g') });
  expect(byString.subscription()).toEqual([a]);
  expect((await take(byString, 2)).map((r) => r.value!.toString())).toEqual([`${a}-0`, `${a}-1`]);
  byString.unsubscribe();
  expect(byString.subscription()).toEqual([]);
  await byString.close();

  const byArray = new KafkaConsumer([a, other], { ...options, groupId: uniqueTopic('g') });
  const arrayTopics = new Set((await take(byArray, 4)).map((r) => r.topic));
  expect(arrayTopics).toEqual(new Set([a, other]));
  await byArray.close();

  const escaped = prefix.replace(/[-]/g, '\\-');
  const byPattern = new KafkaConsumer(new RegExp(`${escaped}-[ab]$`), { ...options, groupId: uniqueTopic('g') });
  const patternTopics = new Set((await take(byPattern, 4)).map((r) => r.topic));
  expect(patternTopics).toEqual(new Set([a, b]));
  await byPattern.close();

  // Subscribing later, after construction without topics.
  const later = new KafkaConsumer(undefined, { ...options, groupId: uniqueTopic('g') });
  later.subscribe([b]);
  expect((await take(later, 2)).map((r) => r.topic)).toEqual([b, b]);
  await later.close();
});

test('consumer onStats reports consumer statistics', async () => {
  const topic = uniqueTopic('cstats');
  await seedTopics([topic]);
  const stats: RdKafkaStats[] = [];
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('g'),
    autoOffsetReset: 'earliest',
    statsIntervalMs: 100,
    onStats: (s) => stats.push(s),
  });
  await take(consumer, 2);
  // Waited for by count (it was a fixed 300 ms, three intervals a busy machine may deliver late); the
  // deadline only bounds the failure: no report at all.
  await waitFor(() => stats.length > 0, 30_000, 'a statistics report');
  await consumer.close();
  expect(stats.length).toBeGreaterThan(0);
  expect(stats[stats.length - 1].type).toBe('consumer');
});

test("a topic that does not exist: autoOffsetReset 'error' raises UNKNOWN_TOPIC_OR_PART, other modes wait for it", async () => {
  const strictTopic = uniqueTopic('missing');
  const strict = new KafkaConsumer(strictTopic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('g'),
    autoOffsetReset: 'error',
  });
  try {
    const error = await strict.poll({ timeoutMs: 20_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KafkaError);
    expect(error).toMatchObject({ code: 'UNKNOWN_TOPIC_OR_PART', topic: strictTopic });
    // The consumer survives the error: it can still be polled and closed.
    await expect(strict.poll({ timeoutMs: 100 })).resolves.toEqual([]);
  } finally {
    await strict.close();
  }

  const lateTopic = uniqueTopic('late');
  const warnings: string[] = [];
  const patient = new KafkaConsumer(lateTopic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('g'),
    autoOffsetReset: 'earliest',
    logger: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
  });
  try {
    await expect(patient.poll({ timeoutMs: 3000 })).resolves.toEqual([]);
    expect(warnings.some((w) => w.includes('UNKNOWN_TOPIC_OR_PART'))).toBe(true);
    await seedTopics([lateTopic]);
    const values = (await take(patient, 2)).map((r) => r.value!.toString());
    expect(values).toEqual([`${lateTopic}-0`, `${lateTopic}-1`]);
  } finally {
    await patient.close();
  }
}, 90_000);
