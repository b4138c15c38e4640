/**
 * Simple producer (kafka-python: `KafkaProducer(...).send(...)`, `flush()`, `close()`).
 * Run: npm run example -- simple-producer
 */
import { KafkaProducer } from 'kafka-napi';

export async function main(bootstrapServers: string, topic = 'quickstart-events'): Promise<void> {
  const producer = new KafkaProducer({ bootstrapServers });

  // send() resolves when the broker acknowledged the record; no need to await each one.
  for (let i = 0; i < 10; i++) {
    void producer.send(topic, `message ${i}`);
  }
  const metadata = await producer.send(topic, 'last message', { key: 'greeting' });
  console.log(`sent to ${metadata.topic}[${metadata.partition}] at offset ${metadata.offset}`);

  await producer.flush(); // everything sent so far is acknowledged
  await producer.close();
}
