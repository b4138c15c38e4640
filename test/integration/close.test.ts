import { KafkaConsumer, KafkaError, KafkaProducer } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

test('close() with sends in flight flushes: no hang, every acknowledged record is in the topic', async () => {
  const topic = uniqueTopic('close-inflight');
  await createTopic(topic, 2);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers(), lingerMs: 100 });
  const N = 5000;
  const outcomes = Array.from({ length: N }, (_, i) =>
    producer.send(topic, `m${i}`).then(
      (meta) => ({ ok: true as const, i, meta }),
      (error: unknown) => ({ ok: false as const, i, error }),
    ),
  );
  const started = Date.now();
  await producer.close();
  const closeMs = Date.now() - started;
  const settled = await Promise.all(outcomes);
  const acked = settled.filter((s) => s.ok);
  // close() flushes before destroying: with a healthy broker everything is acknowledged.
  expect(acked).toHaveLength(N);
  expect(closeMs).toBeLessThan(30_000);

  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('g'),
    autoOffsetReset: 'earliest',
  });
  const values = new Set<string>();
  while (values.size < N) {
    const records = await consumer.poll({ timeoutMs: 10_000 });
    if (records.length === 0) break;
    for (const r of records) values.add(r.value!.toString());
  }
  await consumer.close();
  for (const s of acked) expect(values.has(`m${s.i}`)).toBe(true);
  expect(values.size).toBe(N);
});

test('close(timeout) against an unreachable cluster returns promptly and rejects what was not delivered', async () => {
  const producer = new KafkaProducer({ bootstrapServers: '127.0.0.1:1' });
  const pending = Array.from({ length: 100 }, (_, i) => producer.send('nowhere', `m${i}`).catch((e: unknown) => e));
  const started = Date.now();
  await producer.close(500);
  expect(Date.now() - started).toBeLessThan(10_000);
  const results = await Promise.all(pending);
  for (const r of results) {
    expect(r).toBeInstanceOf(KafkaError);
    expect((r as KafkaError).code).toBe('_DESTROY');
  }
});

test('consumer close() ends a running for-await loop and rejects a pending poll with _DESTROY', async () => {
  const topic = uniqueTopic('close-consumer');
  await createTopic(topic, 1);
  const consumer = new KafkaConsumer(topic, { bootstrapServers: bootstrapServers(), groupId: uniqueTopic('g') });
  const loop = (async () => {
    let n = 0;
    for await (const _ of consumer) n++;
    return n;
  })();
  // Handlers attached at once: the rejection arrives during close().
  const poll = consumer.poll({ timeoutMs: 60_000 }).then(
    () => 'resolved',
    (e: unknown) => e,
  );
  await new Promise((r) => setTimeout(r, 500));
  const started = Date.now();
  await consumer.close();
  expect(Date.now() - started).toBeLessThan(10_000);
  await expect(loop).resolves.toBe(0);
  expect(await poll).toMatchObject({ code: '_DESTROY' });
  await expect(consumer.poll()).rejects.toMatchObject({ code: '_DESTROY' });
});
