// kafka-napi's serdes against a real registry (Apicurio's Confluent-compatible API): the error cases a
// producer and a consumer meet, each a KafkaError naming the subject or id with its cause; caching and
// the coalescing of concurrent misses, counted through a pass-through proxy; and the synchronous hot path.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { KafkaConsumer, KafkaError, KafkaProducer, deserializers } from '../../src';
import {
  avroSerde,
  jsonSchemaSerde,
  protobufSerde,
  SchemaRegistry,
  SchemaRegistryError,
} from '../../src/schema-registry';
import { bootstrapServers, createTopic, uniqueTopic, waitFor } from '../helpers';
import { produce, registryUrl, schemaText, USERS_AVRO } from './fixtures';

const v1 = schemaText('user-v1.avsc');

async function topic(name: string): Promise<string> {
  const t = uniqueTopic(name);
  await createTopic(t, 1);
  return t;
}

/**
 * A pass-through HTTP proxy in front of the real registry that counts the requests it forwards (and keeps
 * their Authorization headers).
 */
async function countingProxy(): Promise<{
  url: string;
  requests: string[];
  authorizations: Array<string | undefined>;
  close: () => Promise<void>;
}> {
  const target = new URL(registryUrl());
  const requests: string[] = [];
  const authorizations: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    authorizations.push(req.headers.authorization);
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    requests,
    authorizations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('caching and the hot path', () => {
  test('concurrent misses share one request; warm serializing and deserializing answer synchronously', async () => {
    const proxy = await countingProxy();
    const registry = new SchemaRegistry({ url: proxy.url });
    try {
      const t = uniqueTopic('sr-cache');
      const serde = avroSerde(registry, { schema: v1 });
      const cold = USERS_AVRO.map((u) => serde.serializer(u, t));
      expect(cold.every((r) => r instanceof Promise)).toBe(true);
      const bytes = (await Promise.all(cold)) as Buffer[];
      expect(proxy.requests.filter((r) => r.startsWith('POST'))).toEqual([
        `POST ${new URL(proxy.url).pathname}/subjects/${t}-value/versions`,
      ]);
      // Warm: a Buffer at once, no request.
      const before = proxy.requests.length;
      const warm = serde.serializer(USERS_AVRO[0], t);
      expect(Buffer.isBuffer(warm)).toBe(true);
      expect(warm).toEqual(bytes[0]);
      // A reader that has never seen the id: one GET for any number of concurrent records.
      const reader = avroSerde(registry, { schema: v1 });
      const decoded = await Promise.all(bytes.map((b) => reader.deserializer(b, t, [])));
      expect(decoded).toEqual(USERS_AVRO);
      expect(proxy.requests.length - before).toBe(0); // the id was cached by the registration
      const fresh = avroSerde(new SchemaRegistry({ url: proxy.url }));
      const results = await Promise.all(bytes.map((b) => fresh.deserializer(b, t, [])));
      expect(results).toEqual(USERS_AVRO);
      expect(proxy.requests.filter((r) => r.includes('/schemas/ids/'))).toHaveLength(1);
      expect(fresh.deserializer(bytes[1], t, [])).toEqual(USERS_AVRO[1]); // not a Promise
    } finally {
      registry.close();
      await proxy.close();
    }
  });

  test('several URLs: a dead one is skipped', async () => {
    const registry = new SchemaRegistry({ url: ['http://127.0.0.1:1/apis/ccompat/v7', registryUrl()] });
    try {
      const serde = avroSerde(registry, { schema: v1 });
      const bytes = await serde.serialize(uniqueTopic('sr-failover'), USERS_AVRO[0]);
      expect(bytes[0]).toBe(0);
    } finally {
      registry.close();
    }
  });
});

describe('subjects and the schema written', () => {
  test('subject strategies: topic, record, topic-record and a function', async () => {
    const registry = new SchemaRegistry({ url: registryUrl() });
    try {
      const t = uniqueTopic('sr-strategy');
      for (const subject of [
        'topic',
        'record',
        'topic-record',
        (topic: string, isKey: boolean, name: string | undefined) => `custom.${topic}.${isKey}.${name}`,
      ] as const) {
        await avroSerde(registry, { schema: v1, subject }).serialize(t, USERS_AVRO[0]);
      }
      await avroSerde(registry, { schema: v1, isKey: true }).serialize(t, USERS_AVRO[0]);
      expect(await registry.getSubjects()).toEqual(
        expect.arrayContaining([
          `${t}-value`,
          `${t}-key`,
          'com.example.User',
          `${t}-com.example.User`,
          `custom.${t}.false.com.example.User`,
        ]),
      );
    } finally {
      registry.close();
    }
  });

  test('useLatest, schemaId and autoRegister false write the id they name; nothing is registered', async () => {
    const registry = new SchemaRegistry({ url: registryUrl() });
    try {
      const t = uniqueTopic('sr-choice');
      const subject = `${t}-value`;
      const v1Id = await registry.register(subject, { schema: v1, schemaType: 'AVRO', references: [] });
      const v2 = schemaText('user-v2.avsc');
      const v2Id = await registry.register(subject, { schema: v2, schemaType: 'AVRO', references: [] });
      const idOf = (bytes: Buffer) => bytes.readUInt32BE(1);
      expect(idOf(await avroSerde(registry, { useLatest: true }).serialize(t, { ...USERS_AVRO[0], age: 5 }))).toBe(
        v2Id,
      );
      expect(idOf(await avroSerde(registry, { schemaId: v1Id }).serialize(t, USERS_AVRO[0]))).toBe(v1Id);
      expect(idOf(await avroSerde(registry, { schema: v1, autoRegister: false }).serialize(t, USERS_AVRO[0]))).toBe(
        v1Id,
      );
      const absent = { ...(JSON.parse(v1) as object), name: 'Absent' };
      await expect(
        avroSerde(registry, { schema: absent, autoRegister: false }).serialize(t, USERS_AVRO[0]),
      ).rejects.toMatchObject({ code: '_VALUE_SERIALIZATION', cause: { errorCode: 40403 } });
      expect(await registry.getVersions(subject)).toEqual([1, 2]);
    } finally {
      registry.close();
    }
  });

  test('useLatest picks up a new latest version after cacheTtlMs, serializing synchronously meanwhile', async () => {
    const registry = new SchemaRegistry({ url: registryUrl(), cacheTtlMs: 0 });
    try {
      const t = uniqueTopic('sr-ttl');
      const subject = `${t}-value`;
      const firstId = await registry.register(subject, { schema: v1, schemaType: 'AVRO', references: [] });
      const serde = avroSerde(registry, { useLatest: true });
      expect((await serde.serialize(t, USERS_AVRO[0])).readUInt32BE(1)).toBe(firstId);
      const v2 = schemaText('user-v2.avsc');
      const secondId = await registry.register(subject, { schema: v2, schemaType: 'AVRO', references: [] });
      const user = { ...USERS_AVRO[0], age: 5 };
      const ids = new Set<number>();
      await waitFor(() => {
        const bytes = serde.serializer(user, t);
        // Never a Promise once warm: the refresh runs beside it.
        expect(Buffer.isBuffer(bytes)).toBe(true);
        ids.add((bytes as Buffer).readUInt32BE(1));
        return ids.has(secondId);
      });
      expect([...ids].every((id) => id === firstId || id === secondId)).toBe(true);
    } finally {
      registry.close();
    }
  });

  test('basic and bearer credentials reach the registry; a URL password never shows in an error', async () => {
    const proxy = await countingProxy();
    const clients = [
      new SchemaRegistry({ url: proxy.url, auth: { username: 'svc', password: 's3cret' } }),
      new SchemaRegistry({ url: proxy.url, auth: { bearerToken: () => Promise.resolve('tok-1') } }),
      new SchemaRegistry({ url: proxy.url.replace('http://', 'http://u:p%40ss@') }),
    ];
    const down = new SchemaRegistry({ url: 'http://u:hunter2@127.0.0.1:1/apis/ccompat/v7' });
    try {
      for (const c of clients) await c.getSubjects();
      const b64 = (s: string) => Buffer.from(s).toString('base64');
      expect(proxy.authorizations).toEqual([`Basic ${b64('svc:s3cret')}`, 'Bearer tok-1', `Basic ${b64('u:p@ss')}`]);
      const error = (await down.getSubjects().catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(SchemaRegistryError);
      expect(error.message).toContain('127.0.0.1:1');
      expect(error.message).not.toContain('hunter2');
    } finally {
      for (const c of [...clients, down]) c.close();
      await proxy.close();
    }
  });

  test('a registry that accepts but never answers: status 0 after timeoutMs, not a hang', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const registry = new SchemaRegistry({ url: `http://127.0.0.1:${port}`, timeoutMs: 300 });
    try {
      await expect(registry.getSchema(1)).rejects.toMatchObject({
        status: 0,
        message: expect.stringContaining('no answer within 300 ms'),
      });
    } finally {
      registry.close();
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('errors', () => {
  test('registry unreachable: send() rejects with _VALUE_SERIALIZATION naming the subject, cause attached', async () => {
    const registry = new SchemaRegistry({ url: 'http://127.0.0.1:1/apis/ccompat/v7', timeoutMs: 2000 });
    const t = uniqueTopic('sr-down');
    const producer = new KafkaProducer({
      bootstrapServers: bootstrapServers(),
      valueSerializer: avroSerde(registry, { schema: v1 }).serializer,
    });
    try {
      const error = await producer.send(t, USERS_AVRO[0]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KafkaError);
      expect(error).toMatchObject({ code: '_VALUE_SERIALIZATION' });
      const inner = (error as KafkaError).cause as KafkaError;
      expect(inner.message).toContain(`subject '${t}-value'`);
      expect(inner.cause).toBeInstanceOf(SchemaRegistryError);
      expect((inner.cause as SchemaRegistryError).status).toBe(0);
    } finally {
      await producer.close();
      registry.close();
    }
  });

  test('subject not found (useLatest): _VALUE_SERIALIZATION with the registry error 40401', async () => {
    const registry = new SchemaRegistry({ url: registryUrl() });
    try {
      const t = uniqueTopic('sr-nosubject');
      const error = await avroSerde(registry, { useLatest: true })
        .serialize(t, USERS_AVRO[0])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: '_VALUE_SERIALIZATION' });
      expect((error as Error).message).toContain(`${t}-value`);
      expect((error as KafkaError).cause).toMatchObject({ status: 404, errorCode: 40401 });
    } finally {
      registry.close();
    }
  });

  test('incompatible schema: registering it fails with the registry 409 as cause; the key serde uses _KEY codes', async () => {
    const registry = new SchemaRegistry({ url: registryUrl() });
    try {
      const t = uniqueTopic('sr-incompatible');
      await registry.setCompatibility('BACKWARD', `${t}-key`);
      await avroSerde(registry, { schema: v1, isKey: true }).serialize(t, USERS_AVRO[0]);
      // A required field without a default: v1 records cannot be read with it.
      const incompatible = JSON.parse(v1) as { fields: object[] };
      incompatible.fields.push({ name: 'required', type: 'string' });
      const error = await avroSerde(registry, { schema: incompatible, isKey: true })
        .serialize(t, { ...USERS_AVRO[0], required: 'x' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: '_KEY_SERIALIZATION' });
      expect((error as KafkaError).cause).toMatchObject({ status: 409 });
      expect(
        await registry.testCompatibility(`${t}-key`, {
          schema: JSON.stringify(incompatible),
          schemaType: 'AVRO',
          references: [],
        }),
      ).toBe(false);
    } finally {
      registry.close();
    }
  });

  test('a value the schema does not describe: _VALUE_SERIALIZATION naming what is wrong', async () => {
    const registry = new SchemaRegistry({ url: registryUrl() });
    try {
      const t = await topic('sr-badvalue');
      const proto = protobufSerde(registry, {
        schema: schemaText('user-v1.proto'),
        messageType: 'example.User',
        imports: { 'common.proto': schemaText('common.proto') },
      });
      await expect(proto.serialize(t, { id: 1, nmae: 'typo' })).rejects.toMatchObject({
        code: '_VALUE_SERIALIZATION',
        message: expect.stringContaining("no field 'nmae'"),
      });
      const json = jsonSchemaSerde(registry, { schema: schemaText('user-v1.schema.json') });
      await expect(json.serialize(`${t}-json`, { id: 'one', name: 'Ada' })).rejects.toMatchObject({
        code: '_VALUE_SERIALIZATION',
        message: expect.stringContaining('/id must be integer'),
      });
    } finally {
      registry.close();
    }
  });

  test('unknown id and wrong magic byte: the consumer raises _VALUE_DESERIALIZATION and does not commit past it', async () => {
    const registry = new SchemaRegistry({ url: registryUrl() });
    const t = await topic('sr-poison');
    try {
      const serde = avroSerde(registry, { schema: v1 });
      await produce(t, serde.serializer, USERS_AVRO.slice(0, 1)); // offset 0: good
      const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
      await producer.send(t, Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1, 2])); // offset 1: id 2147483632
      await producer.send(t, '{"not":"framed"}'); // offset 2: magic byte '{'
      await producer.close();
      const consumer = new KafkaConsumer<string | null, unknown>(t, {
        bootstrapServers: bootstrapServers(),
        groupId: uniqueTopic('sr-poison-g'),
        autoOffsetReset: 'earliest',
        keyDeserializer: deserializers.string,
        valueDeserializer: avroSerde(registry, { schema: v1 }).deserializer,
      });
      try {
        const [good] = await consumer.poll({ timeoutMs: 30_000, maxRecords: 1 });
        expect(good.value).toEqual(USERS_AVRO[0]);
        const unknown = await consumer.poll({ timeoutMs: 30_000 }).catch((e: unknown) => e);
        expect(unknown).toMatchObject({ code: '_VALUE_DESERIALIZATION', topic: t, partition: 0, offset: 1 });
        expect((unknown as Error).message).toContain('id 2147483632');
        await consumer.commit();
        const committed = await consumer.committed([{ topic: t, partition: 0 }]);
        expect(committed[0].offset).toBe(1);
        // Past the poison record (as an application would after logging it), the next one fails alike.
        consumer.seek({ topic: t, partition: 0, offset: 2 });
        const magic = await consumer.poll({ timeoutMs: 30_000 }).catch((e: unknown) => e);
        expect(magic).toMatchObject({ code: '_VALUE_DESERIALIZATION', offset: 2 });
        expect((magic as Error).message).toContain('not a schema registry magic byte');
      } finally {
        await consumer.close();
      }
    } finally {
      registry.close();
    }
  });

  test('a schema of another format under the id: a clear _VALUE_DESERIALIZATION', async () => {
    const registry = new SchemaRegistry({ url: registryUrl() });
    try {
      const t = uniqueTopic('sr-wrongformat');
      const bytes = await jsonSchemaSerde(registry, { schema: schemaText('user-v1.schema.json') }).serialize(t, {
        id: 1,
        name: 'Ada',
      });
      await expect(avroSerde(registry).deserialize(t, bytes)).rejects.toMatchObject({
        code: '_VALUE_DESERIALIZATION',
        message: expect.stringContaining('it is a JSON schema, and this serde reads AVRO'),
      });
    } finally {
      registry.close();
    }
  });
});

test('argument errors name the argument', () => {
  expect(() => new SchemaRegistry({ url: 7 as never })).toThrow(TypeError);
  expect(() => new SchemaRegistry({ url: 'ftp://x' })).toThrow(RangeError);
  expect(() => new SchemaRegistry({ url: registryUrl(), cacheTtlMs: -1 })).toThrow(/cacheTtlMs/);
  expect(() => new SchemaRegistry({ url: registryUrl(), auth: { username: 'u' } as never })).toThrow(/auth/);
  const registry = new SchemaRegistry({ url: registryUrl() });
  expect(() => avroSerde({} as never)).toThrow(/registry must be a SchemaRegistry/);
  expect(() => avroSerde(registry, { schemaId: -1 })).toThrow(RangeError);
  expect(() => avroSerde(registry, { subject: 'bogus' as never })).toThrow(/subject must be/);
  expect(() => protobufSerde(registry, { schema: schemaText('user-v1.proto') })).toThrow(/messageType is required/);
  expect(() =>
    protobufSerde(registry, {
      schema: schemaText('user-v1.proto'),
      messageType: 'example.Nope',
      imports: { 'common.proto': schemaText('common.proto') },
    }),
  ).toThrow(/Nope/);
  registry.close();
});
