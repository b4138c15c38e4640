/** Schemas, records and client helpers shared by the schema registry suite. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { deserializers, KafkaConsumer, KafkaProducer, type Deserializer } from '../../src';
import { SchemaRegistry } from '../../src/schema-registry';
import { bootstrapServers, uniqueTopic } from '../helpers';

const DIR = path.join(__dirname, '..', 'fixtures', 'schema-registry');
export const schemaText = (name: string): string => fs.readFileSync(path.join(DIR, name), 'utf8');

export const registryUrl = (): string => process.env.SCHEMA_REGISTRY_URL!;

export function registry(): SchemaRegistry {
  return new SchemaRegistry({ url: registryUrl() });
}

export const USERS_AVRO = [
  { id: 1, name: 'Ada', email: null, tags: [] },
  { id: 2, name: 'Grace', email: 'grace@example.com', tags: ['admin', 'ops'] },
  { id: 3, name: 'Zoë', email: null, tags: ['ü'] },
];

export const USERS_PROTOBUF = [
  {
    id: 1,
    name: 'Ada',
    address: { street: '1 Main St', city: 'London' },
    phones: [
      { number: '555-0100', kind: 'HOME' },
      { number: '555-0101', kind: 'MOBILE' },
    ],
  },
  { id: 1234567890123, name: 'Grace', phones: [] },
];

export const PHONES = [
  { number: '555-0102', kind: 'HOME' },
  { number: '555-0103', kind: 'MOBILE' },
];

export const USERS_JSON = [
  { id: 1, name: 'Ada', email: null },
  { id: 2, name: 'Grace', email: 'grace@example.com' },
  { id: 3, name: 'Zoë' },
];

/** Sends `values` keyed by their id (as Python does) and closes the producer. */
export async function produce<V>(topic: string, valueSerializer: (v: V, t: string) => unknown, values: V[]) {
  const producer = new KafkaProducer<string, V>({
    bootstrapServers: bootstrapServers(),
    valueSerializer: valueSerializer as never,
  });
  try {
    return await Promise.all(
      values.map((v) => {
        const id = (v as { id?: unknown }).id;
        return producer.send(topic, v as never, { key: id === undefined ? undefined : String(id) });
      }),
    );
  } finally {
    await producer.close();
  }
}

/** Reads `count` records from the topic's start with `valueDeserializer`; returns their values. */
export async function consume<V>(topic: string, valueDeserializer: Deserializer<V>, count: number): Promise<V[]> {
  const consumer = new KafkaConsumer<string | null, V>(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('sr-g'),
    autoOffsetReset: 'earliest',
    keyDeserializer: deserializers.string,
    valueDeserializer,
  });
  const values: V[] = [];
  try {
    for await (const record of consumer) {
      values.push(record.value as V);
      if (values.length === count) break;
    }
  } finally {
    await consumer.close();
  }
  return values;
}
