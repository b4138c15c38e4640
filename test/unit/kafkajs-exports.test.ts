// kafka-napi/kafkajs exports the values kafkajs 2.2.4 exports (a devDependency), no more and no fewer, of
// the same kinds: a program's `require('kafkajs')` destructuring finds everything it used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajs = require('kafkajs') as Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ours = require('../../src/kafkajs') as Record<string, unknown>;

const names = Object.keys(kafkajs);

test('the same exported names as kafkajs', () => {
  expect(Object.keys(ours).sort()).toEqual([...names].sort());
});

test.each(names)('%s: the same kind of value', (name) => {
  expect(typeof ours[name]).toBe(typeof kafkajs[name]);
});

// kafkajs's enumerations are plain objects: a TypeScript enum's reverse-mapping keys ('0', '1', ...) would
// show up here, in Object.keys/Object.entries over them.
test.each(names.filter((name) => typeof kafkajs[name] === 'object'))('%s: the same keys', (name) => {
  expect(Object.keys(ours[name] as object).sort()).toEqual(Object.keys(kafkajs[name] as object).sort());
});

test('error classes carry kafkajs’s names', () => {
  for (const name of names.filter((n) => n.startsWith('KafkaJS'))) {
    expect((ours[name] as { name: string }).name).toBe(name);
  }
});

test('works with import syntax too (named and namespace)', async () => {
  const mod = await import('../../src/kafkajs');
  expect(mod.Kafka).toBe(ours.Kafka);
  expect(mod.KafkaJSError).toBe(ours.KafkaJSError);
});

// kafkajs's clients are plain objects of closures: code takes methods off them (`const { send } =
// producer`), spreads them into mocks, and lists them. Nothing here connects.
describe('clients have kafkajs’s own members, in its order, working detached', () => {
  type Client = Record<string, unknown>;
  type Kafka = { producer(c?: object): Client; consumer(c: object): Client; admin(c?: object): Client };
  const config = { clientId: 'members', brokers: ['127.0.0.1:1'], logLevel: 0 };
  const theirs = new (kafkajs.Kafka as new (c: object) => Kafka)(config);
  const mine = new (ours.Kafka as new (c: object) => Kafka)(config);
  const make = {
    producer: (k: Kafka) => k.producer(),
    consumer: (k: Kafka) => k.consumer({ groupId: 'members' }),
    admin: (k: Kafka) => k.admin(),
  };
  test.each(Object.keys(make) as Array<keyof typeof make>)('%s', async (kind) => {
    const client = make[kind](mine);
    expect(Object.keys(client)).toEqual(Object.keys(make[kind](theirs)));
    expect({ ...client }.events).toEqual(make[kind](theirs).events);
    // A detached method still has its client: logger() returns the client's logger, on() registers.
    const { logger, on, events } = client as {
      logger: () => unknown;
      on: (e: string, l: () => void) => () => void;
      events: Record<string, string>;
    };
    expect(logger()).toBe((client.logger as () => unknown)());
    const remove = on(events.CONNECT, () => {});
    expect(typeof remove).toBe('function');
    remove();
    const { disconnect } = client as { disconnect: () => Promise<void> };
    await disconnect();
  });
});
