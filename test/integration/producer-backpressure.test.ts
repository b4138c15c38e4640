import { KafkaProducer } from '../../src';
import { bootstrapServers, consumeAll, createTopic, uniqueTopic } from '../helpers';

test('a full local queue makes sends wait instead of failing: 200x queueBufferingMaxMessages, all delivered in order', async () => {
  const topic = uniqueTopic('backpressure');
  await createTopic(topic, 1);
  const producer = new KafkaProducer({
    bootstrapServers: bootstrapServers(),
    queueBufferingMaxMessages: 100,
    lingerMs: 1,
  });
  const N = 20_000;
  // Not awaited one by one: far more than librdkafka's queue can hold at once.
  const singles = Array.from({ length: N / 2 }, (_, i) => producer.send(topic, `s${i}`));
  const batch = producer.sendBatch(
    topic,
    Array.from({ length: N / 2 }, (_, i) => ({ value: `b${i}` })),
  );
  const metas = [...(await Promise.all(singles)), ...(await batch)];
  await producer.close();
  expect(metas).toHaveLength(N);
  // One partition: offsets are exactly 0..N-1, in send order.
  expect(metas.map((m) => m.offset)).toEqual(Array.from({ length: N }, (_, i) => i));
  const records = await consumeAll(topic, N);
  expect(records).toHaveLength(N);
  expect(records[0].value!.toString()).toBe('s0');
  expect(records[N / 2].value!.toString()).toBe('b0');
  expect(records[N - 1].value!.toString()).toBe(`b${N / 2 - 1}`);
});

test('flush() waits for records held back by a full queue', async () => {
  const topic = uniqueTopic('bp-flush');
  await createTopic(topic, 1);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers(), queueBufferingMaxMessages: 10 });
  let delivered = 0;
  for (let i = 0; i < 1000; i++) void producer.send(topic, `m${i}`).then(() => delivered++);
  await producer.flush();
  // Deliveries settle in the same drain that lets flush finish; allow the microtasks to run.
  await new Promise((r) => setImmediate(r));
  expect(delivered).toBe(1000);
  await producer.close();
});
