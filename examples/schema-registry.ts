/**
 * Schema Registry: Avro values in the Confluent wire format, readable by the Java, Go, Python and .NET
 * serdes. The producer registers the schema on its first record (the only send that waits for the
 * registry); the consumer fetches the schema of each new id once and decodes synchronously after that.
 * Run: npm run example -- schema-registry  (starts a broker and an Apicurio Registry unless
 * KAFKA_BOOTSTRAP_SERVERS and SCHEMA_REGISTRY_URL name them)
 */
import { KafkaConsumer, KafkaProducer, deserializers, serializers } from 'kafka-napi';
import { SchemaRegistry, avroSerde } from 'kafka-napi/schema-registry';

interface Order {
  id: string;
  amountCents: number;
  customer: string | null;
}

const ORDER_SCHEMA = {
  type: 'record',
  name: 'Order',
  namespace: 'com.example',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amountCents', type: 'long' },
    { name: 'customer', type: ['null', 'string'], default: null },
  ],
};

export async function main(bootstrapServers: string, registryUrl = process.env.SCHEMA_REGISTRY_URL): Promise<void> {
  if (!registryUrl) throw new Error('set SCHEMA_REGISTRY_URL (npm run example starts a registry for this example)');
  const topic = `orders-${Date.now()}`;
  // One registry client per application: every serde made from it shares its caches.
  const registry = new SchemaRegistry({ url: registryUrl });
  const orders = avroSerde<Order>(registry, { schema: ORDER_SCHEMA });

  const producer = new KafkaProducer<string, Order>({
    bootstrapServers,
    keySerializer: serializers.string,
    valueSerializer: orders.serializer,
  });
  const sent: Order[] = [
    { id: 'o-1', amountCents: 1999, customer: 'ada' },
    { id: 'o-2', amountCents: 250, customer: null },
    { id: 'o-3', amountCents: 120000, customer: 'grace' },
  ];
  for (const order of sent) {
    const meta = await producer.send(topic, order, { key: order.id });
    console.log(`sent ${order.id} -> ${meta.topic}[${meta.partition}]@${meta.offset}`);
  }
  await producer.close();
  const latest = await registry.getLatest(`${topic}-value`);
  console.log(`subject ${latest.subject}: version ${latest.version}, schema id ${latest.id}`);

  const consumer = new KafkaConsumer<string | null, Order | null>(topic, {
    bootstrapServers,
    groupId: `orders-reader-${Date.now()}`,
    autoOffsetReset: 'earliest',
    keyDeserializer: deserializers.string,
    valueDeserializer: orders.deserializer,
  });
  let count = 0;
  for await (const record of consumer) {
    console.log(`read ${record.key}: ${JSON.stringify(record.value)}`);
    if (++count === sent.length) break;
  }
  await consumer.close();
  registry.close();
}
