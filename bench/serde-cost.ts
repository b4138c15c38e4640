/**
 * What a schema registry serde costs per record once warm, against the plain JSON serializer: serialize
 * and deserialize of one order-sized record, Avro, Protobuf and JSON Schema (validated) beside
 * `serializers.json` / `deserializers.json`. Each serde is warmed against a real registry first (an
 * Apicurio Registry this script starts, or SCHEMA_REGISTRY_URL), so what is timed is the synchronous path
 * a producer and a consumer take after their first record. Rounds alternate the cases; the table gives
 * the median µs per record, its spread, and the ratio to plain JSON.
 *   npm run bench:serde [-- --rounds 7 --records 200000]
 */
import { deserializers, serializers } from '../src';
import { avroSerde, jsonSchemaSerde, protobufSerde, SchemaRegistry, type Serde } from '../src/schema-registry';
import { startRegistry, type SchemaRegistryServer } from '../test/registry/apicurio';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const ROUNDS = arg('rounds', 7);
const RECORDS = arg('records', 200_000);
const TOPIC = `serde-bench-${Date.now()}`;

const order = {
  id: 'o-123456',
  customer: 'customer-42',
  amountCents: 129_999,
  currency: 'EUR',
  items: ['sku-1', 'sku-22', 'sku-333'],
  express: true,
};

const AVRO = {
  type: 'record',
  name: 'Order',
  namespace: 'bench',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'customer', type: 'string' },
    { name: 'amountCents', type: 'long' },
    { name: 'currency', type: 'string' },
    { name: 'items', type: { type: 'array', items: 'string' } },
    { name: 'express', type: 'boolean' },
  ],
};
const PROTO = `syntax = "proto3";
package bench;
message Order {
  string id = 1;
  string customer = 2;
  int64 amountCents = 3;
  string currency = 4;
  repeated string items = 5;
  bool express = 6;
}
`;
const JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'Order',
  type: 'object',
  properties: {
    id: { type: 'string' },
    customer: { type: 'string' },
    amountCents: { type: 'integer' },
    currency: { type: 'string' },
    items: { type: 'array', items: { type: 'string' } },
    express: { type: 'boolean' },
  },
  required: ['id', 'customer', 'amountCents', 'currency', 'items', 'express'],
};

interface Case {
  name: string;
  serialize: (value: typeof order) => unknown;
  deserialize: (bytes: Buffer) => unknown;
  bytes: Buffer;
}

function plainJson(): Case {
  const bytes = serializers.json(order, TOPIC) as Buffer;
  return {
    name: 'plain JSON (serializers.json)',
    serialize: (v) => serializers.json(v, TOPIC),
    deserialize: (b) => deserializers.json(b, TOPIC, []),
    bytes,
  };
}

async function registryCase(name: string, serde: Serde<typeof order>): Promise<Case> {
  const bytes = await serde.serialize(TOPIC, order); // registers: the cold path, not timed
  await serde.deserialize(TOPIC, bytes); // fetches the id once
  const serialize = (v: typeof order) => serde.serializer(v, TOPIC);
  const deserialize = (b: Buffer) => serde.deserializer(b, TOPIC, []);
  if (serialize(order) instanceof Promise || deserialize(bytes) instanceof Promise) {
    throw new Error(`${name}: still asynchronous after warm-up`);
  }
  return { name, serialize, deserialize, bytes };
}

/** µs per record of `fn` over RECORDS calls. */
function time(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < RECORDS; i++) fn();
  return Number(process.hrtime.bigint() - start) / RECORDS / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  let server: SchemaRegistryServer | undefined;
  let url = process.env.SCHEMA_REGISTRY_URL;
  if (!url) {
    server = await startRegistry();
    url = server.url;
  }
  const registry = new SchemaRegistry({ url });
  try {
    const cases = [
      plainJson(),
      await registryCase('Avro (avsc)', avroSerde(registry, { schema: AVRO, subject: () => `${TOPIC}-avro` })),
      await registryCase(
        'Protobuf (protobufjs)',
        protobufSerde(registry, {
          schema: PROTO,
          messageType: 'bench.Order',
          subject: () => `${TOPIC}-proto`,
          objects: { longs: 'number' },
        }),
      ),
      await registryCase(
        'JSON Schema (ajv, validated)',
        jsonSchemaSerde(registry, { schema: JSON_SCHEMA, subject: () => `${TOPIC}-json` }),
      ),
    ];
    const ser = cases.map(() => [] as number[]);
    const de = cases.map(() => [] as number[]);
    for (const c of cases) {
      time(() => c.serialize(order)); // JIT warm-up
      time(() => c.deserialize(c.bytes));
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order_ = round % 2 === 0 ? cases.map((_, i) => i) : cases.map((_, i) => cases.length - 1 - i);
      for (const i of order_) {
        ser[i].push(time(() => cases[i].serialize(order)));
        de[i].push(time(() => cases[i].deserialize(cases[i].bytes)));
      }
    }
    const base = { ser: median(ser[0]), de: median(de[0]) };
    console.log(
      `\n${RECORDS} records x ${ROUNDS} rounds, Node ${process.version}; median µs/record (min-max), x plain JSON\n`,
    );
    console.log('| serde | bytes | serialize µs | × JSON | deserialize µs | × JSON |');
    console.log('|---|---|---|---|---|---|');
    cases.forEach((c, i) => {
      const s = median(ser[i]);
      const d = median(de[i]);
      const range = (xs: number[]) => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
      console.log(
        `| ${c.name} | ${c.bytes.length} | ${s.toFixed(3)} (${range(ser[i])}) | ${(s / base.ser).toFixed(2)} | ${d.toFixed(3)} (${range(de[i])}) | ${(d / base.de).toFixed(2)} |`,
      );
    });
  } finally {
    registry.close();
    await server?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
