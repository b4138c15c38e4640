/**
 * kafka-napi/kafkajs's producer against the real broker, written as kafkajs code: per-call acks,
 * compression and timeout, results per partition, partitioners (checked against kafkajs's own), headers,
 * idempotence and transactions with offsets sent by group id, events and errors.
 */
import * as kafkajs from 'kafkajs';

import { KafkaAdmin } from '../../src';
import {
  CompressionTypes,
  Kafka,
  KafkaJSError,
  KafkaJSNonRetriableError,
  Partitioners,
  logLevel,
  type Producer,
  type RecordMetadata,
} from '../../src/kafkajs';
import { bootstrapServers, consumeAll, createTopic, uniqueTopic } from '../helpers';

jest.setTimeout(120_000);

function kafka(): Kafka {
  return new Kafka({ clientId: 'kjs-test', brokers: bootstrapServers().split(','), logLevel: logLevel.NOTHING });
}

async function connected(config?: Parameters<Kafka['producer']>[0]): Promise<Producer> {
  const producer = kafka().producer(config);
  await producer.connect();
  return producer;
}

describe('kafka-napi/kafkajs producer', () => {
  test('send resolves per partition with kafkajs shape; acks -1 and 1 answer, acks 0 resolves []', async () => {
    const topic = uniqueTopic('kjs-send');
    await createTopic(topic, 3);
    const producer = await connected({ createPartitioner: Partitioners.DefaultPartitioner });
    try {
      const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
      const all = await producer.send({ topic, messages, acks: -1 });
      expect(all.length).toBeGreaterThan(1);
      for (const m of all) {
        expect(m).toEqual({
          topicName: topic,
          partition: expect.any(Number),
          errorCode: 0,
          baseOffset: expect.stringMatching(/^\d+$/),
          logAppendTime: '-1',
          logStartOffset: '0',
        });
      }
      expect(new Set(all.map((m) => m.partition)).size).toBe(all.length);
      const leader = await producer.send({ topic, messages: [{ key: 'k0', value: 'again' }], acks: 1 });
      expect(leader).toHaveLength(1);
      // The same key goes to the same partition; its base offset is after the first batch's.
      const first = all.find((m: RecordMetadata) => m.partition === leader[0].partition)!;
      expect(BigInt(leader[0].baseOffset!)).toBeGreaterThan(BigInt(first.baseOffset!));
      expect(await producer.send({ topic, messages: [{ value: 'fire-and-forget' }], acks: 0 })).toEqual([]);
      expect((await consumeAll(topic, 32)).length).toBe(32);
    } finally {
      await producer.disconnect();
    }
  });

  test('compression per call: every codec round-trips, with headers as kafkajs takes them', async () => {
    const topic = uniqueTopic('kjs-codec');
    await createTopic(topic, 1);
    const producer = await connected();
    try {
      for (const compression of [
        CompressionTypes.None,
        CompressionTypes.GZIP,
        CompressionTypes.Snappy,
        CompressionTypes.LZ4,
        CompressionTypes.ZSTD,
      ]) {
        await producer.send({
          topic,
          compression,
          timeout: 10_000,
          messages: [
            {
              value: `c${compression}`,
              headers: { one: 'a', bytes: Buffer.from([1, 2]), many: ['x', Buffer.from('y')] },
              timestamp: '1700000000000',
            },
          ],
        });
      }
      const records = await consumeAll(topic, 5);
      expect(records.map((r) => String(r.value))).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
      for (const r of records) {
        expect(r.timestamp).toBe(1_700_000_000_000);
        expect(r.headers.map(([k, v]) => [k, v?.toString('hex')])).toEqual([
          ['one', Buffer.from('a').toString('hex')],
          ['bytes', '0102'],
          ['many', Buffer.from('x').toString('hex')],
          ['many', Buffer.from('y').toString('hex')],
        ]);
      }
    } finally {
      await producer.disconnect();
    }
    await expect(producer.send({ topic, messages: [{ value: 'late' }] })).rejects.toThrow(KafkaJSError);
  });

  test.each([
    ['DefaultPartitioner', Partitioners.DefaultPartitioner, kafkajs.Partitioners.DefaultPartitioner],
    ['LegacyPartitioner', Partitioners.LegacyPartitioner, kafkajs.Partitioners.LegacyPartitioner],
  ] as const)('%s puts keyed messages where kafkajs does', async (_name, ours, theirs) => {
    const topic = uniqueTopic('kjs-part');
    await createTopic(topic, 7);
    const producer = await connected({ createPartitioner: ours });
    const reference = theirs();
    const partitionMetadata = Array.from({ length: 7 }, (_, partitionId) => ({
      partitionErrorCode: 0,
      partitionId,
      leader: 1,
      replicas: [1],
      isr: [1],
    }));
    try {
      const messages = Array.from({ length: 200 }, (_, i) => ({ key: `key-${i * 7919}`, value: `m${i}` }));
      await producer.send({ topic, messages });
      const records = await consumeAll(topic, messages.length);
      expect(records).toHaveLength(messages.length);
      for (const r of records) {
        const message = { key: String(r.key), value: String(r.value) };
        expect(r.partition).toBe(reference({ topic, partitionMetadata, message }));
      }
    } finally {
      await producer.disconnect();
    }
  });

  test('a custom partitioner gets the topic, its partition metadata and the message', async () => {
    const topic = uniqueTopic('kjs-custom');
    await createTopic(topic, 4);
    const seen: number[] = [];
    const producer = await connected({
      createPartitioner:
        () =>
        ({ partitionMetadata, message }) => {
          seen.push(partitionMetadata.length);
          return Number(String(message.value).slice(1)) % partitionMetadata.length;
        },
    });
    try {
      await producer.send({ topic, messages: Array.from({ length: 12 }, (_, i) => ({ value: `v${i}` })) });
      // An explicit partition is never given to the partitioner.
      await producer.send({ topic, messages: [{ value: 'v1', partition: 3 }] });
      const records = await consumeAll(topic, 13);
      for (const r of records.filter((x) => x.partition !== 3 || String(x.value) !== 'v1')) {
        expect(r.partition).toBe(Number(String(r.value).slice(1)) % 4);
      }
      expect(records.some((r) => r.partition === 3 && String(r.value) === 'v1')).toBe(true);
      expect(seen).toEqual(Array(12).fill(4));
    } finally {
      await producer.disconnect();
    }
  });

  test('bad input: kafkajs errors, never a hang', async () => {
    const producer = await connected({ idempotent: true });
    try {
      expect(producer.isIdempotent()).toBe(true);
      await expect(producer.send({ topic: '', messages: [{ value: 'x' }] })).rejects.toThrow(/Invalid topic/);
      await expect(producer.send({ topic: 't', messages: undefined as never })).rejects.toThrow(
        KafkaJSNonRetriableError,
      );
      await expect(producer.send({ topic: 't', messages: [{ key: 'k' } as never] })).rejects.toThrow(
        /Invalid message without value/,
      );
      await expect(producer.send({ topic: 't', messages: [{ value: 'x' }], acks: 1 })).rejects.toThrow(
        /idempotent producer/,
      );
      await expect(producer.transaction()).rejects.toThrow(/transactional id/);
    } finally {
      await producer.disconnect();
    }
    const never = kafka().producer();
    await expect(never.send({ topic: 't', messages: [{ value: 'x' }] })).rejects.toThrow(
      'The producer is disconnected',
    );
  });

  test('transactions: commit with offsets sent by group id, abort hides; one transaction at a time', async () => {
    const topic = uniqueTopic('kjs-txn');
    await createTopic(topic, 1);
    const groupId = uniqueTopic('kjs-txn-group');
    const producer = await connected({
      transactionalId: uniqueTopic('kjs-tx'),
      maxInFlightRequests: 1,
      idempotent: true,
    });
    try {
      const committed = await producer.transaction();
      await expect(producer.transaction()).rejects.toThrow(/already an ongoing transaction/);
      await committed.send({ topic, messages: [{ value: 'kept' }] });
      await committed.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition: 0, offset: '7' }] }],
      });
      await committed.commit();
      expect(committed.isActive()).toBe(false);
      await expect(committed.send({ topic, messages: [{ value: 'x' }] })).rejects.toThrow(/once ended/);
      const aborted = await producer.transaction();
      await aborted.sendBatch({ topicMessages: [{ topic, messages: [{ value: 'dropped' }] }] });
      await aborted.abort();
      // Outside a transaction a transactional producer still sends (kafkajs does too).
      await producer.send({ topic, messages: [{ value: 'plain' }] });
    } finally {
      await producer.disconnect();
    }
    const values = (await consumeAll(topic, 2, { isolationLevel: 'read_committed', settleMs: 1000 })).map((r) =>
      String(r.value),
    );
    expect(values.sort()).toEqual(['kept', 'plain']);
    const admin = new KafkaAdmin({ bootstrapServers: bootstrapServers() });
    try {
      const [offsets] = await admin.listConsumerGroupOffsets(groupId);
      expect(offsets).toMatchObject({ topic, partition: 0, offset: 7 });
    } finally {
      await admin.close();
    }
  });

  test('events: CONNECT and DISCONNECT with kafkajs payloads; unknown event names are refused', async () => {
    const producer = kafka().producer();
    const seen: Array<{ type: string; payload: unknown; id: string; timestamp: number }> = [];
    const remove = producer.on(producer.events.CONNECT, (e) => seen.push(e));
    producer.on(producer.events.DISCONNECT, (e) => seen.push(e));
    expect(() => producer.on('producer.nope' as never, () => {})).toThrow(
      'Event name should be one of producer.events.CONNECT, producer.events.DISCONNECT, producer.events.REQUEST, ' +
        'producer.events.REQUEST_TIMEOUT, producer.events.REQUEST_QUEUE_SIZE',
    );
    await producer.connect();
    remove();
    await producer.connect();
    await producer.disconnect();
    // kafkajs: no payload (undefined), and a numeric id at run time (its declarations say string).
    expect(seen.map((e) => [e.type, e.payload])).toEqual([
      ['producer.connect', undefined],
      ['producer.disconnect', undefined],
    ]);
    expect(seen.every((e) => 'payload' in e)).toBe(true);
    expect(typeof seen[0].id).toBe('number');
    expect(Number(seen[1].id)).toBeGreaterThan(Number(seen[0].id));
    expect(typeof seen[0].timestamp).toBe('number');
  });

  test('failures come out of kafkajs’s retrier: retries exceeded, a refused topic, detached methods', async () => {
    const producer = kafka().producer({
      allowAutoTopicCreation: false,
      retry: { retries: 1, initialRetryTime: 100 },
    });
    // Taken off the producer, as kafkajs code may: they keep their producer.
    const { connect, send, disconnect } = producer;
    await connect();
    type Exceeded = Error & { cause?: Error; retryCount?: number };
    const missing = (await send({ topic: uniqueTopic('kjs-missing'), messages: [{ value: 'x' }] }).catch(
      (e: unknown) => e,
    )) as Exceeded;
    expect(missing).toBeInstanceOf(KafkaJSError);
    expect(missing).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded', retriable: false, retryCount: 1 });
    expect(missing.cause).toMatchObject({ name: 'KafkaJSProtocolError', type: 'UNKNOWN_TOPIC_OR_PARTITION', code: 3 });
    const invalid = await send({ topic: 'not a topic name', messages: [{ value: 'x' }] }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(KafkaJSNonRetriableError);
    expect(invalid).toMatchObject({
      name: 'KafkaJSNonRetriableError',
      cause: { name: 'KafkaJSProtocolError', type: 'INVALID_TOPIC_EXCEPTION', code: 17 },
    });
    await disconnect();
  });

  test('sendBatch across topics: one result per topic partition', async () => {
    const a = uniqueTopic('kjs-batch-a');
    const b = uniqueTopic('kjs-batch-b');
    await Promise.all([createTopic(a, 2), createTopic(b, 1)]);
    const producer = await connected();
    try {
      const result = await producer.sendBatch({
        topicMessages: [
          {
            topic: a,
            messages: [
              { value: '1', partition: 0 },
              { value: '2', partition: 1 },
            ],
          },
          { topic: b, messages: [{ value: '3' }] },
          { topic: a, messages: [{ value: '4', partition: 0 }] },
        ],
      });
      expect(result.map((r) => [r.topicName, r.partition]).sort()).toEqual([
        [a, 0],
        [a, 1],
        [b, 0],
      ]);
      expect((await consumeAll(a, 3)).map((r) => String(r.value)).sort()).toEqual(['1', '2', '4']);
    } finally {
      await producer.disconnect();
    }
  });
});
