/**
 * Advanced producer: serializers, acks 'all', gzip compression, lingerMs 10, headers, explicit keys.
 * Run: npm run example -- advanced-producer
 */
import { KafkaProducer, serializers, type Serializer } from 'kafka-napi';

interface Order {
  id: number;
  item: string;
  quantity: number;
}

export async function main(bootstrapServers: string, topic = 'orders'): Promise<void> {
  const producer = new KafkaProducer<string, Order>({
    bootstrapServers,
    keySerializer: serializers.string as Serializer<string>,
    valueSerializer: serializers.json as Serializer<Order>,
    acks: 'all',
    compressionType: 'gzip',
    lingerMs: 10,
  });

  const orders: Order[] = Array.from({ length: 100 }, (_, i) => ({
    id: i,
    item: `item-${i % 5}`,
    quantity: 1 + (i % 3),
  }));
  // One native call for the whole batch; the promise resolves with every record's metadata.
  const results = await producer.sendBatch(
    topic,
    orders.map((order) => ({ key: order.item, value: order, headers: { source: 'advanced-producer' } })),
  );
  const partitions = new Set(results.map((r) => r.partition));
  console.log(`sent ${results.length} orders (gzip, acks=all) to partitions ${[...partitions].join(', ')}`);

  try {
    await producer.send(topic, { id: -1, item: 'x', quantity: 1 }, { partition: 999 });
  } catch (err) {
    console.log(`a send to a partition that does not exist fails: ${(err as Error).message}`);
  }
  await producer.close();
}
