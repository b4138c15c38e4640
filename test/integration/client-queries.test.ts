/**
 * Small queries the kafkajs layer builds on, through kafka-napi's own API: a producer's partition
 * metadata, a consumer's member id and the end offsets its fetches saw (no request), and transactional
 * offsets sent for a group given by id.
 */
import { KafkaAdmin, KafkaConsumer, KafkaProducer } from '../../src';
import { bootstrapServers, createTopic, seedTopic, uniqueTopic, waitFor } from '../helpers';

jest.setTimeout(60_000);

test('partitionInfo: every partition with its leader, replicas and ISR; partitionsFor agrees', async () => {
  const topic = uniqueTopic('pinfo');
  await createTopic(topic, 3);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  try {
    const info = await producer.partitionInfo(topic);
    expect(info.map((p) => p.partition)).toEqual([0, 1, 2]);
    for (const p of info) {
      expect(p.leader).toBeGreaterThanOrEqual(0);
      expect(p.replicas).toContain(p.leader);
      expect(p.isr).toContain(p.leader);
    }
    expect(await producer.partitionsFor(topic)).toEqual([0, 1, 2]);
    await expect(producer.partitionInfo('')).rejects.toThrow(TypeError);
  } finally {
    await producer.close();
  }
});

test('memberId once joined; fetchedEndOffsets follows what the fetches saw, -1 before any', async () => {
  const topic = await seedTopic('fetched-end', 1, 5);
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('fetched-end-group'),
    autoOffsetReset: 'earliest',
  });
  try {
    expect(consumer.fetchedEndOffsets([{ topic, partition: 0 }])).toEqual([{ topic, partition: 0, offset: -1 }]);
    const records = [];
    while (records.length < 5) records.push(...(await consumer.poll({ timeoutMs: 1000 })));
    expect(consumer.memberId()).not.toBe('');
    expect(consumer.fetchedEndOffsets([{ topic, partition: 0 }])).toEqual([{ topic, partition: 0, offset: 5 }]);
    expect(() => consumer.fetchedEndOffsets([{ topic, partition: -3 }])).toThrow(RangeError);
  } finally {
    await consumer.close();
  }
  expect(() => consumer.memberId()).toThrow(expect.objectContaining({ code: '_DESTROY' }));
});

test('sendOffsetsToTransaction with a group id commits the offsets with the transaction', async () => {
  const topic = uniqueTopic('txn-group-id');
  await createTopic(topic, 1);
  const groupId = uniqueTopic('txn-group-id-g');
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers(), transactionalId: uniqueTopic('tx') });
  const admin = new KafkaAdmin({ bootstrapServers: bootstrapServers() });
  try {
    await producer.initTransactions();
    producer.beginTransaction();
    await producer.send(topic, 'x');
    await producer.sendOffsetsToTransaction([{ topic, partition: 0, offset: 42 }], groupId);
    await producer.commitTransaction();
    await waitFor(async () => (await admin.listConsumerGroupOffsets(groupId))[0]?.offset === 42, 30_000, 'offset');
    await expect(producer.sendOffsetsToTransaction([{ topic, partition: 0, offset: 1 }], '')).rejects.toThrow(
      TypeError,
    );
  } finally {
    await Promise.all([producer.close(), admin.close()]);
  }
});
