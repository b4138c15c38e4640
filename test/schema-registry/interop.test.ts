// Interop with a client nobody here wrote: confluent-kafka for Python (its Avro, Protobuf and JSON Schema
// serializers) against the same Apicurio Registry and Kafka broker. Python writes and kafka-napi reads;
// kafka-napi writes and Python reads; and a schema evolution step (v2 adds a field with a default) read
// by both sides. Each topic has one partition: records come back in the order they were written.
import { avroSerde, jsonSchemaSerde, protobufSerde, type SchemaRegistry } from '../../src/schema-registry';
import { createTopic, uniqueTopic } from '../helpers';
import {
  consume,
  PHONES,
  produce,
  registry as newRegistry,
  schemaText,
  USERS_AVRO,
  USERS_JSON,
  USERS_PROTOBUF,
} from './fixtures';
import { pythonConsume, pythonProduce } from './python';

let registry: SchemaRegistry;
beforeAll(() => {
  registry = newRegistry();
});
afterAll(() => registry.close());

async function topic(name: string): Promise<string> {
  const t = uniqueTopic(name);
  await createTopic(t, 1);
  return t;
}

const protoImports = { 'common.proto': schemaText('common.proto') };
/** Python prints int64 fields as numbers and every field of a message; so does this serde here. */
const protoObjects = { longs: 'number', enums: 'string', defaults: true } as const;
/**
 * What this serde shows for a record that left fields at their default: repeated fields empty, an unset
 * message field null (protobufjs's toObject; Python leaves the latter out).
 */
const withProtoDefaults = (u: Record<string, unknown>) => ({ phones: [], address: null, ...u });
/** What the Python reader shows: unset message fields left out. */
const pythonProto = (u: Record<string, unknown>) => ({ phones: [], ...u });

describe('Avro', () => {
  test('Python writes, kafka-napi reads', async () => {
    const t = await topic('sr-avro-py');
    const ids = await pythonProduce({ format: 'avro', version: 1, topic: t }, USERS_AVRO);
    const serde = avroSerde(registry, { schema: schemaText('user-v1.avsc') });
    expect(await consume(t, serde.deserializer, USERS_AVRO.length)).toEqual(USERS_AVRO);
    expect(ids).toHaveLength(1);
  });

  test('kafka-napi writes, Python reads', async () => {
    const t = await topic('sr-avro-node');
    await produce(t, avroSerde(registry, { schema: schemaText('user-v1.avsc') }).serializer, USERS_AVRO);
    const read = await pythonConsume({ format: 'avro', version: 1, topic: t }, USERS_AVRO.length);
    expect(read.map((r) => r.value)).toEqual(USERS_AVRO);
    expect(read.map((r) => r.key)).toEqual(USERS_AVRO.map((u) => String(u.id)));
  });

  test('evolution: Python writes v1, kafka-napi v2; each reads both as its own version', async () => {
    const t = await topic('sr-avro-evolve');
    const [v1Id] = await pythonProduce({ format: 'avro', version: 1, topic: t }, USERS_AVRO.slice(0, 1));
    const v2 = avroSerde(registry, { schema: schemaText('user-v2.avsc') });
    const newer = { ...USERS_AVRO[1], age: 36 };
    await produce(t, v2.serializer, [newer]);
    // kafka-napi reads with v2: the v1 record gets the new field's default.
    expect(await consume(t, v2.deserializer, 2)).toEqual([{ ...USERS_AVRO[0], age: -1 }, newer]);
    // Python with v1 drops the field it does not know; with v2 it fills the default, as we do.
    const asV1 = await pythonConsume({ format: 'avro', version: 1, topic: t }, 2);
    expect(asV1.map((r) => r.value)).toEqual([USERS_AVRO[0], USERS_AVRO[1]]);
    const asV2 = await pythonConsume({ format: 'avro', version: 2, topic: t }, 2);
    expect(asV2.map((r) => r.value)).toEqual([{ ...USERS_AVRO[0], age: -1 }, newer]);
    // Two versions of the subject: two ids on the wire.
    expect(new Set(asV2.map((r) => r.schemaId))).toEqual(new Set([v1Id, asV2[1].schemaId]));
    expect(asV2[1].schemaId).not.toBe(v1Id);
  });
});

describe('Protobuf (a nested message and an import)', () => {
  const v1 = () =>
    protobufSerde(registry, {
      schema: schemaText('user-v1.proto'),
      messageType: 'example.User',
      imports: protoImports,
      objects: protoObjects,
    });

  test('Python writes User and User.Phone, kafka-napi reads both', async () => {
    const users = await topic('sr-proto-py');
    await pythonProduce({ format: 'protobuf', version: 1, topic: users }, USERS_PROTOBUF);
    expect(await consume(users, v1().deserializer, USERS_PROTOBUF.length)).toEqual(
      USERS_PROTOBUF.map(withProtoDefaults),
    );
    const phones = await topic('sr-proto-py-phone');
    await pythonProduce({ format: 'protobuf', version: 1, topic: phones, message: 'Phone' }, PHONES);
    expect(await consume(phones, v1().deserializer, PHONES.length)).toEqual(PHONES);
  });

  test('kafka-napi writes User and User.Phone, Python reads both', async () => {
    const users = await topic('sr-proto-node');
    await produce(users, v1().serializer, USERS_PROTOBUF);
    const read = await pythonConsume({ format: 'protobuf', version: 1, topic: users }, USERS_PROTOBUF.length);
    expect(read.map((r) => r.value)).toEqual(USERS_PROTOBUF.map(pythonProto));
    const phones = await topic('sr-proto-node-phone');
    const phoneSerde = protobufSerde(registry, {
      schema: schemaText('user-v1.proto'),
      messageType: 'example.User.Phone',
      imports: protoImports,
    });
    await produce(phones, phoneSerde.serializer, PHONES);
    const readPhones = await pythonConsume({ format: 'protobuf', version: 1, topic: phones, message: 'Phone' }, 2);
    expect(readPhones.map((r) => r.value)).toEqual(PHONES);
  });

  test('the import is registered as a reference under its file name', async () => {
    const t = await topic('sr-proto-ref');
    await produce(t, v1().serializer, USERS_PROTOBUF.slice(0, 1));
    const latest = await registry.getLatest(`${t}-value`);
    expect(latest.schemaType).toBe('PROTOBUF');
    expect(latest.references).toEqual([expect.objectContaining({ name: 'common.proto', subject: 'common.proto' })]);
  });

  test('evolution: Python writes v1, kafka-napi v2 (a field added); each reads both', async () => {
    const t = await topic('sr-proto-evolve');
    await pythonProduce({ format: 'protobuf', version: 1, topic: t }, USERS_PROTOBUF.slice(0, 1));
    const v2 = protobufSerde(registry, {
      schema: schemaText('user-v2.proto'),
      messageType: 'example.User',
      imports: protoImports,
      objects: protoObjects,
    });
    const newer = { id: 2, name: 'Grace', phones: [], email: 'grace@example.com' };
    await produce(t, v2.serializer, [newer]);
    // Each record is read with its writer's schema: the v1 record has no email field at all.
    expect(await consume(t, v2.deserializer, 2)).toEqual([
      withProtoDefaults(USERS_PROTOBUF[0]),
      withProtoDefaults(newer),
    ]);
    // Python with v1 skips the field it does not know; with v2 it reads it, and '' for the v1 record.
    const asV1 = await pythonConsume({ format: 'protobuf', version: 1, topic: t }, 2);
    expect(asV1.map((r) => r.value)).toEqual([pythonProto(USERS_PROTOBUF[0]), { id: 2, name: 'Grace', phones: [] }]);
    const asV2 = await pythonConsume({ format: 'protobuf', version: 2, topic: t }, 2);
    expect(asV2.map((r) => r.value)).toEqual([pythonProto({ ...USERS_PROTOBUF[0], email: '' }), newer]);
  });
});

describe('JSON Schema', () => {
  test('Python writes, kafka-napi reads', async () => {
    const t = await topic('sr-json-py');
    await pythonProduce({ format: 'json', version: 1, topic: t }, USERS_JSON);
    const serde = jsonSchemaSerde(registry, { schema: schemaText('user-v1.schema.json') });
    expect(await consume(t, serde.deserializer, USERS_JSON.length)).toEqual(USERS_JSON);
  });

  test('kafka-napi writes, Python reads', async () => {
    const t = await topic('sr-json-node');
    await produce(t, jsonSchemaSerde(registry, { schema: schemaText('user-v1.schema.json') }).serializer, USERS_JSON);
    const read = await pythonConsume({ format: 'json', version: 1, topic: t }, USERS_JSON.length);
    expect(read.map((r) => r.value)).toEqual(USERS_JSON);
  });

  // A closed content model (additionalProperties: false), as Confluent advises: adding an optional
  // property is then a BACKWARD-compatible change (to an open model it would narrow what is accepted).
  test('evolution: Python writes v1, kafka-napi v2; each reads both with v2', async () => {
    const t = await topic('sr-json-evolve');
    await pythonProduce({ format: 'json', version: 1, topic: t }, USERS_JSON.slice(0, 1));
    const v2 = jsonSchemaSerde(registry, { schema: schemaText('user-v2.schema.json') });
    const newer = { id: 2, name: 'Grace', age: 36 };
    await produce(t, v2.serializer, [newer]);
    expect(await consume(t, v2.deserializer, 2)).toEqual([USERS_JSON[0], newer]);
    const asV2 = await pythonConsume({ format: 'json', version: 2, topic: t }, 2);
    expect(asV2.map((r) => r.value)).toEqual([USERS_JSON[0], newer]);
  });
});
