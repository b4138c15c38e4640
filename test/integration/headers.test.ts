/**
 * Null header values round-trip both ways, checked against the Java client as the outside reference:
 * Kafka distinguishes a null header value from an empty one, and kafka-napi used to send null as the
 * string "null" and read a null value back as an empty Buffer.
 */
import { KafkaConsumer, KafkaProducer } from '../../src';
import { javaHeaders } from '../broker/kafka';
import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

test('kafka-napi -> Java: null and undefined header values arrive as null, empty stays empty', async () => {
  const topic = uniqueTopic('hdr-out');
  await createTopic(topic, 1);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  await producer.send(topic, 'v', {
    headers: [
      ['n', null],
      ['e', ''],
      ['s', 'x'],
      ['u', undefined],
      ['b', new Uint8Array([1, 2])],
    ],
  });
  await producer.sendBatch(topic, [{ value: 'w', headers: { n: null, s: Buffer.from('y') } }]);
  await producer.close();
  expect(javaHeaders('consume', bootstrapServers(), topic, 2)).toEqual(['n=null e= s=78 u=null b=0102', 'n=null s=79']);
}, 120_000);

test('Java -> kafka-napi: a null header value is null, an empty one an empty Buffer', async () => {
  const topic = uniqueTopic('hdr-in');
  await createTopic(topic, 1);
  javaHeaders('produce', bootstrapServers(), topic);
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('g'),
    autoOffsetReset: 'earliest',
  });
  try {
    const [record] = await consumer.poll({ timeoutMs: 30_000, maxRecords: 1 });
    expect(record.value?.toString()).toBe('java');
    const headers = record.headers.map(([name, value]) => [name, value === null ? null : value.toString('hex')]);
    expect(headers).toEqual([
      ['n', null],
      ['e', ''],
      ['s', '78'],
    ]);
  } finally {
    await consumer.close();
  }
}, 120_000);
