/**
 * Manual-commit consumer: at most 10 records per poll, committed after they are processed
 * (kafka-python: `enable_auto_commit=False`, `max_poll_records=10`, `consumer.commit()`).
 * Run: npm run example -- advanced-producer manual-commit-consumer
 */
import { KafkaConsumer, deserializers, type Deserializer } from 'kafka-napi';

export async function main(bootstrapServers: string, topic = 'orders'): Promise<void> {
  const consumer = new KafkaConsumer<string, { id: number; item: string; quantity: number }>(topic, {
    bootstrapServers,
    groupId: 'order-processors',
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    maxPollRecords: 10,
    keyDeserializer: deserializers.string as Deserializer<string>,
    valueDeserializer: deserializers.json as Deserializer<{ id: number; item: string; quantity: number }>,
  });

  let processed = 0;
  for (;;) {
    const records = await consumer.poll({ timeoutMs: 5000 });
    if (records.length === 0) break; // idle for 5 s: done (a service would keep polling)
    for (const record of records) {
      processed += record.value?.quantity ?? 0;
    }
    await consumer.commit(); // resolves once the broker has the offsets
    console.log(`processed a batch of ${records.length}; committed up to offset ${records[records.length - 1].offset}`);
  }
  await consumer.close();
  console.log(`processed ${processed} units in total`);
}
