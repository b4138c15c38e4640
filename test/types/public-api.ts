/**
 * Compile-only type tests for the public API (checked by `npm run lint` via tsc --noEmit; never run).
 * Every @ts-expect-error line must fail to compile, or tsc reports the directive as unused.
 */
import {
  deserializers,
  features,
  KafkaAdmin,
  KafkaConsumer,
  KafkaError,
  KafkaProducer,
  librdkafkaVersion,
  serializers,
  type ConsumerRecord,
  type Deserializer,
  type PartitionerFunction,
  type Payload,
  type RecordMetadata,
  type Serializer,
  type SslOptions,
} from 'kafka-napi';

export async function typeTests(): Promise<void> {
  const bytes = new KafkaProducer({ bootstrapServers: 'localhost:9092' });
  const meta: RecordMetadata = await bytes.send('t', 'strings are accepted without a serializer');
  await bytes.send('t', Buffer.from('x'), { key: 'k', headers: { h: 'v' }, partition: 0, timestamp: Date.now() });
  await bytes.send('t', null, { headers: [['h', Buffer.from('v')]] });
  // @ts-expect-error objects need a valueSerializer
  await bytes.send('t', { a: 1 });
  // @ts-expect-error unknown options are rejected at compile time too
  new KafkaProducer({ bootstrapServers: 'x', lingerMS: 5 });
  // @ts-expect-error acks must be 0, 1, -1 or 'all'
  new KafkaProducer({ bootstrapServers: 'x', acks: 2 });

  const json = new KafkaProducer<string, { id: number }>({
    bootstrapServers: ['a:1', 'b:2'],
    keySerializer: serializers.string as Serializer<string>,
    valueSerializer: serializers.json as Serializer<{ id: number }>,
    compressionType: 'zstd',
  });
  const metas: RecordMetadata[] = await json.sendBatch('t', [{ value: { id: 1 }, key: 'k' }]);
  // @ts-expect-error value type follows the serializer
  await json.send('t', 'nope');

  const consumer = new KafkaConsumer<string, { id: number }>(/^orders-.*/, {
    bootstrapServers: 'x',
    groupId: 'g',
    keyDeserializer: deserializers.string as Deserializer<string>,
    valueDeserializer: deserializers.json as Deserializer<{ id: number }>,
  });
  for await (const record of consumer) {
    const id: number | undefined = record.value?.id;
    const key: string | null = record.key;
    const headers: Array<[string, Buffer | null]> = record.headers;
    await consumer.commit(record);
    void [id, key, headers];
  }
  const polled: Array<ConsumerRecord<string, { id: number }>> = await consumer.poll({ timeoutMs: 100 });
  await consumer.commit([{ topic: 't', partition: 0, offset: 1 }]);
  await consumer.close();

  const admin = new KafkaAdmin({ bootstrapServers: 'x' });
  await admin.createTopics([{ name: 't', numPartitions: 3 }]);
  const names: string[] = await admin.listTopics();

  const err = new KafkaError('m', { code: '_DESTROY' });
  const flags: [string, number, boolean, boolean, boolean] = [
    err.code,
    err.errno,
    err.retriable,
    err.fatal,
    err.abortable,
  ];
  const info: [string, string[]] = [librdkafkaVersion, features];
  void [meta, metas, polled, names, flags, info];

  // Types that public signatures use are exported.
  const partitioner: PartitionerFunction = (key, count) => (key ? key.length % count : 0);
  const payload: Payload<Buffer> = 'a string is a Buffer payload';
  const ssl: SslOptions = { ca: '-----BEGIN CERTIFICATE-----', rejectUnauthorized: true };
  const secure = new KafkaProducer({
    bootstrapServers: 'x',
    partitioner,
    ssl,
    sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: 'token', lifetimeMs: 1000 }) },
  });
  // @ts-expect-error a password mechanism needs a password
  new KafkaProducer({ bootstrapServers: 'x', sasl: { mechanism: 'plain', username: 'u' } });
  // sendOffsetsToTransaction takes a consumer of any key/value types, and nothing else.
  await secure.sendOffsetsToTransaction([{ topic: 't', partition: 0, offset: 1 }], consumer);
  // @ts-expect-error not a consumer
  await secure.sendOffsetsToTransaction([{ topic: 't', partition: 0, offset: 1 }], admin);
  void payload;
}
