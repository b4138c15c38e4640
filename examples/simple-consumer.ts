/**
 * Simple consumer: a group member reading from the earliest offset with auto-commit, iterated with
 * `for await` (kafka-python: `for message in consumer:`).
 * Run: npm run example -- simple-producer simple-consumer
 */
import { KafkaConsumer } from 'kafka-napi';

export async function main(bootstrapServers: string, topic = 'quickstart-events'): Promise<void> {
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers,
    groupId: 'quickstart-group',
    autoOffsetReset: 'earliest',
    enableAutoCommit: true,
  });

  // For the example, stop after 5 s without new records; a service would simply keep iterating.
  let idle = setTimeout(() => void consumer.close(), 5000);
  let count = 0;
  for await (const record of consumer) {
    clearTimeout(idle);
    idle = setTimeout(() => void consumer.close(), 5000);
    count++;
    console.log(`${record.topic}[${record.partition}]@${record.offset} key=${record.key} value=${record.value}`);
  }
  clearTimeout(idle);
  console.log(`consumed ${count} records; offsets were auto-committed on close`);
}
