import { KafkaConsumer, KafkaProducer, type ConsumerRecord, type RecordMetadata } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

const N = 2000;
const PARTITIONS = 3;

test(`produces ${N} keyed records with headers and consumes exactly those back`, async () => {
  const topic = uniqueTopic('roundtrip');
  await createTopic(topic, PARTITIONS);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  const sent: Array<{ key: string; value: string; meta: RecordMetadata }> = [];
  try {
    // Half as individual sends (coalesced natively), half as one batch.
    const singles = Array.from({ length: N / 2 }, (_, i) => {
      const key = `key-${i}`;
      const value = `value-${i}-${'x'.repeat(i % 50)}`;
      return producer
        .send(topic, value, {
          key,
          headers: [
            ['seq', String(i)],
            ['dup', 'a'],
            ['dup', Buffer.from([0, 1, 2])],
          ],
        })
        .then((meta) => sent.push({ key, value, meta }));
    });
    const records = Array.from({ length: N / 2 }, (_, j) => {
      const i = N / 2 + j;
      return { key: `key-${i}`, value: `value-${i}`, headers: { seq: String(i) } };
    });
    const batchMeta = await producer.sendBatch(topic, records);
    records.forEach((r, j) => sent.push({ key: r.key, value: r.value, meta: batchMeta[j] }));
    await Promise.all(singles);
  } finally {
    await producer.close();
  }
  expect(sent).toHaveLength(N);
  for (const s of sent) {
    expect(s.meta.topic).toBe(topic);
    expect(s.meta.partition).toBeGreaterThanOrEqual(0);
    expect(s.meta.partition).toBeLessThan(PARTITIONS);
    expect(s.meta.offset).toBeGreaterThanOrEqual(0);
    expect(s.meta.timestamp).toBeGreaterThan(Date.now() - 120_000);
  }
  // Same key -> same partition (murmur2): keys are unique here, but the spread must use every partition.
  expect(new Set(sent.map((s) => s.meta.partition)).size).toBe(PARTITIONS);

  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('g'),
    autoOffsetReset: 'earliest',
  });
  const got: ConsumerRecord[] = [];
  try {
    for await (const record of consumer) {
      got.push(record);
      if (got.length === N) break;
    }
    // Nothing beyond the N records arrives.
    expect(await consumer.poll({ timeoutMs: 500 })).toEqual([]);
  } finally {
    await consumer.close();
  }

  const byPosition = new Map(sent.map((s) => [`${s.meta.partition}/${s.meta.offset}`, s]));
  expect(byPosition.size).toBe(N);
  for (const r of got) {
    const s = byPosition.get(`${r.partition}/${r.offset}`);
    expect(s).toBeDefined();
    expect(r.topic).toBe(topic);
    expect(Buffer.isBuffer(r.key)).toBe(true);
    expect(r.key?.toString()).toBe(s!.key);
    expect(r.value?.toString()).toBe(s!.value);
    expect(r.timestampType).toBe('create');
    expect(r.timestamp).toBe(s!.meta.timestamp);
    const seq = Number(s!.key.slice(4));
    const headers = r.headers.map(([k, v]) => [k, v === null ? null : v.toString('hex')]);
    if (seq < N / 2) {
      expect(headers).toEqual([
        ['seq', Buffer.from(String(seq)).toString('hex')],
        ['dup', Buffer.from('a').toString('hex')],
        ['dup', '000102'],
      ]);
    } else {
      expect(headers).toEqual([['seq', Buffer.from(String(seq)).toString('hex')]]);
    }
    byPosition.delete(`${r.partition}/${r.offset}`);
  }
  expect(byPosition.size).toBe(0);
  // Offsets within each partition arrive in order, without gaps.
  for (let p = 0; p < PARTITIONS; p++) {
    const offsets = got.filter((r) => r.partition === p).map((r) => r.offset);
    expect(offsets).toEqual(offsets.map((_, i) => i));
  }
});

test('null values, empty values, null keys and string/Buffer inputs round-trip', async () => {
  const topic = uniqueTopic('nulls');
  await createTopic(topic, 1);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  await producer.sendBatch(topic, [
    { value: null, key: 'tombstone' },
    { value: '' },
    { value: Buffer.from([0xff, 0x00, 0x7f]), key: Buffer.alloc(0) },
  ]);
  await producer.close();
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('g'),
    autoOffsetReset: 'earliest',
  });
  const got: ConsumerRecord[] = [];
  while (got.length < 3) got.push(...(await consumer.poll({ timeoutMs: 5000 })));
  await consumer.close();
  expect(got[0].value).toBeNull();
  expect(got[0].key?.toString()).toBe('tombstone');
  expect(got[1].value?.length).toBe(0);
  expect(got[1].key).toBeNull();
  expect([...got[2].value!]).toEqual([0xff, 0x00, 0x7f]);
  expect(got[2].key?.length).toBe(0);
});
