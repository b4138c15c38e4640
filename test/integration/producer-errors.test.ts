import { Writable } from 'node:stream';
import pino from 'pino';
import { KafkaError, KafkaProducer } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic, waitFor } from '../helpers';

test('a record larger than message.max.bytes rejects at once with MSG_SIZE_TOO_LARGE; others still go', async () => {
  const topic = uniqueTopic('toolarge');
  await createTopic(topic, 1);
  const producer = new KafkaProducer({
    bootstrapServers: bootstrapServers(),
    rdkafka: { 'message.max.bytes': 10_000 },
  });
  const big = producer.send(topic, Buffer.alloc(20_000)).then(
    () => 'resolved',
    (err: unknown) => err,
  );
  const small = producer.send(topic, 'small');
  // "At once" as an order of events, not a duration (it was < 5 s, broker round trip included): the
  // refusal settles before the next macrotask, i.e. without waiting for any I/O.
  const first = await Promise.race([
    big,
    new Promise((resolve) => setImmediate(() => resolve('a macrotask came first'))),
  ]);
  expect(first).toMatchObject({ name: 'KafkaError', code: 'MSG_SIZE_TOO_LARGE' });
  await expect(small).resolves.toMatchObject({ offset: 0 });
  await producer.close();
});

test('an invalid topic name rejects at once with TOPIC_EXCEPTION', async () => {
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  for (const name of ['has space', 'a/b', 'x'.repeat(250), '..']) {
    // "At once" as an order of events, not a duration: settled before the next macrotask, i.e. without
    // waiting for any I/O (a broker round trip could not come first).
    const first = await Promise.race([
      producer.send(name, 'x').then(
        () => 'resolved',
        (err: unknown) => err,
      ),
      new Promise((resolve) => setImmediate(() => resolve('a macrotask came first'))),
    ]);
    expect(first).toMatchObject({ name: 'KafkaError', code: 'TOPIC_EXCEPTION' });
  }
  await producer.close();
});

test('an unknown topic with auto-creation off rejects with UNKNOWN_TOPIC_OR_PART within deliveryTimeoutMs', async () => {
  const producer = new KafkaProducer({
    bootstrapServers: bootstrapServers(),
    deliveryTimeoutMs: 5000,
    rdkafka: { 'allow.auto.create.topics': false },
  });
  const started = Date.now();
  const error = await producer.send(uniqueTopic('missing'), 'x').catch((e: unknown) => e);
  const elapsed = Date.now() - started;
  await producer.close();
  expect(error).toBeInstanceOf(KafkaError);
  expect((error as KafkaError).code).toBe('UNKNOWN_TOPIC_OR_PART');
  // deliveryTimeoutMs governs it, not the 300 s default: bounded by a tenth of that default (it was the
  // 5 s timeout plus a 5 s margin, which is a figure a loaded machine could reach).
  expect(elapsed).toBeLessThan(300_000 / 10);
});

test('wrong argument types reject with TypeError and never crash', async () => {
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  const bad: Array<() => Promise<unknown>> = [
    () => producer.send(42 as never, 'x'),
    () => producer.send(undefined as never, 'x'),
    () => producer.send('t', { an: 'object' } as never),
    () => producer.send('t', 'x', { partition: Number.NaN }),
    () => producer.send('t', 'x', { partition: -1 }),
    () => producer.send('t', 'x', { headers: 'h' as never }),
    () => producer.send('t', 'x', { timestamp: 'now' as never }),
    () => producer.sendBatch('t', [null as never]),
  ];
  for (const call of bad) {
    const error = await call().catch((e: unknown) => e);
    expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
  }
  await producer.close();
  await expect(producer.send('t', 'x')).rejects.toMatchObject({ code: '_DESTROY' });
  await expect(producer.flush()).rejects.toMatchObject({ code: '_DESTROY' });
  await expect(producer.partitionsFor('t')).rejects.toMatchObject({ code: '_DESTROY' });
});

test('partitionsFor and connect', async () => {
  const topic = uniqueTopic('pf');
  await createTopic(topic, 4);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  await producer.connect();
  expect(await producer.partitionsFor(topic)).toEqual([0, 1, 2, 3]);
  await producer.close();
});

test('logger: a pino logger receives librdkafka lines with the client name and facility as fields', async () => {
  const records: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) records.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  // Nothing listens on port 1: librdkafka logs the failed connections.
  const producer = new KafkaProducer({ bootstrapServers: '127.0.0.1:1', clientId: 'pino-check', logger: pino(stream) });
  try {
    await waitFor(() => records.some((r) => r.facility === 'FAIL'), 15_000, 'a connection failure logged');
    const line = records.find((r) => r.facility === 'FAIL')!;
    expect(line.client).toMatch(/^pino-check#producer-\d+$/);
    expect(typeof line.msg).toBe('string');
    expect([40, 50]).toContain(line.level);
  } finally {
    await producer.close(1000);
  }
});
