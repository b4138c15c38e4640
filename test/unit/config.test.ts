import { KafkaAdmin, KafkaConsumer, KafkaError, KafkaProducer } from '../../src';
import { consumerConfig } from '../../src/consumer';
import { producerConfig } from '../../src/producer';

// No broker is contacted: librdkafka connects lazily, and every client is closed.
const bootstrapServers = '127.0.0.1:1';

describe('producer options -> librdkafka properties', () => {
  test('defaults: acks all, idempotence on, linger 5, Java-compatible partitioner', () => {
    const c = producerConfig({ bootstrapServers });
    expect(c).toMatchObject({
      'bootstrap.servers': bootstrapServers,
      acks: -1,
      'enable.idempotence': true,
      'linger.ms': 5,
      partitioner: 'murmur2_random',
      'client.id': 'kafka-napi',
    });
  });

  test('lingerMs: 0 reaches librdkafka as 0, not its 5 ms default', () => {
    // Deterministic here; the integration test only sees batches, which a busy machine groups too.
    expect(producerConfig({ bootstrapServers, lingerMs: 0 })['linger.ms']).toBe(0);
  });

  test('typed options map to their librdkafka names', () => {
    const c = producerConfig({
      bootstrapServers: ['a:1', 'b:2'],
      clientId: 'me',
      acks: 'all',
      compressionType: 'zstd',
      lingerMs: 10,
      batchSize: 65536,
      batchNumMessages: 1000,
      maxInFlight: 5,
      retries: 3,
      requestTimeoutMs: 1000,
      deliveryTimeoutMs: 5000,
      queueBufferingMaxMessages: 10,
      queueBufferingMaxKbytes: 1024,
      statsIntervalMs: 100,
      transactionalId: 'tx',
      partitioner: 'consistent',
    });
    expect(c).toMatchObject({
      'bootstrap.servers': 'a:1,b:2',
      'client.id': 'me',
      acks: -1,
      'compression.codec': 'zstd',
      'linger.ms': 10,
      'batch.size': 65536,
      'batch.num.messages': 1000,
      'max.in.flight.requests.per.connection': 5,
      retries: 3,
      'request.timeout.ms': 1000,
      'delivery.timeout.ms': 5000,
      'queue.buffering.max.messages': 10,
      'queue.buffering.max.kbytes': 1024,
      'statistics.interval.ms': 100,
      'transactional.id': 'tx',
      partitioner: 'consistent',
    });
  });

  test('acks 0/1 switch idempotence off unless explicitly requested (then RangeError)', () => {
    expect(producerConfig({ bootstrapServers, acks: 1 })['enable.idempotence']).toBe(false);
    expect(producerConfig({ bootstrapServers, acks: 0 })).toMatchObject({ acks: 0, 'enable.idempotence': false });
    expect(() => producerConfig({ bootstrapServers, acks: 1, enableIdempotence: true })).toThrow(/enableIdempotence/);
  });

  // The mapping only; that a send to a missing topic then fails within deliveryTimeoutMs is
  // test/integration/producer-errors.test.ts's.
  test('deliveryTimeoutMs sets topic.metadata.propagation.max.ms to half of it, at most 30 s; rdkafka overrides', () => {
    expect(producerConfig({ bootstrapServers, deliveryTimeoutMs: 5000 })['topic.metadata.propagation.max.ms']).toBe(
      2500,
    );
    expect(producerConfig({ bootstrapServers, deliveryTimeoutMs: 600_000 })['topic.metadata.propagation.max.ms']).toBe(
      30_000,
    );
    expect(
      producerConfig({
        bootstrapServers,
        deliveryTimeoutMs: 5000,
        rdkafka: { 'topic.metadata.propagation.max.ms': 7 },
      })['topic.metadata.propagation.max.ms'],
    ).toBe(7);
  });

  test('rdkafka passthrough is applied last and wins', () => {
    const c = producerConfig({
      bootstrapServers,
      lingerMs: 10,
      rdkafka: { 'linger.ms': 50, 'socket.nagle.disable': true },
    });
    expect(c['linger.ms']).toBe(50);
    expect(c['socket.nagle.disable']).toBe(true);
  });
});

describe('bad options throw synchronously, naming the option', () => {
  const cases: Array<[string, Record<string, unknown>, ErrorConstructor, RegExp]> = [
    ['missing bootstrapServers', {}, TypeError, /bootstrapServers/],
    ['bootstrapServers number', { bootstrapServers: 9092 }, TypeError, /bootstrapServers/],
    ['unknown option', { bootstrapServers, lingerMS: 5 }, TypeError, /unknown option 'lingerMS'/],
    ['lingerMs string', { bootstrapServers, lingerMs: '5' }, TypeError, /'lingerMs' must be a number/],
    ['lingerMs negative', { bootstrapServers, lingerMs: -1 }, RangeError, /'lingerMs'/],
    ['lingerMs fractional', { bootstrapServers, lingerMs: 1.5 }, RangeError, /'lingerMs'/],
    ['expedite string', { bootstrapServers, expedite: 'yes' }, TypeError, /'expedite'/],
    ['acks invalid', { bootstrapServers, acks: 2 }, RangeError, /'acks'/],
    ['compressionType invalid', { bootstrapServers, compressionType: 'brotli' }, RangeError, /'compressionType'/],
    ['enableIdempotence string', { bootstrapServers, enableIdempotence: 'yes' }, TypeError, /'enableIdempotence'/],
    ['valueSerializer not a function', { bootstrapServers, valueSerializer: 'json' }, TypeError, /'valueSerializer'/],
    ['rdkafka value object', { bootstrapServers, rdkafka: { 'linger.ms': {} } }, TypeError, /'rdkafka\.linger\.ms'/],
    ['logger.warn not a function', { bootstrapServers, logger: { warn: 1 } }, TypeError, /'logger\.warn'/],
  ];
  test.each(cases)('producer: %s', (_name, options, type, message) => {
    let thrown: unknown;
    try {
      new KafkaProducer(options as never);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(type);
    expect((thrown as Error).message).toMatch(message);
  });

  test('consumer options are validated the same way', () => {
    expect(() => new KafkaConsumer('t', { bootstrapServers, autoOffsetReset: 'smallest' as never })).toThrow(
      RangeError,
    );
    expect(() => new KafkaConsumer('t', { bootstrapServers, maxPollRecords: 0 })).toThrow(/'maxPollRecords'/);
    expect(() => new KafkaConsumer('t', { bootstrapServers, groupId: 7 as never })).toThrow(TypeError);
    expect(
      () => new KafkaConsumer('t', { bootstrapServers, partitionAssignmentStrategy: ['sticky' as never] }),
    ).toThrow(/'partitionAssignmentStrategy'/);
    expect(() => new KafkaConsumer(42 as never, { bootstrapServers, groupId: 'g' })).toThrow(TypeError);
  });

  test('admin options are validated the same way', () => {
    expect(() => new KafkaAdmin({ bootstrapServers, acks: 1 } as never)).toThrow(/unknown option 'acks'/);
  });
});

describe('librdkafka configuration errors become KafkaError _INVALID_ARG', () => {
  test('unknown raw property', () => {
    let thrown: unknown;
    try {
      new KafkaProducer({ bootstrapServers, rdkafka: { 'no.such.property': 1 } });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(KafkaError);
    expect(thrown).toMatchObject({ code: '_INVALID_ARG' });
    expect((thrown as Error).message).toMatch(/no\.such\.property/);
  });

  test('raw property with a value librdkafka rejects', () => {
    expect(() => new KafkaProducer({ bootstrapServers, rdkafka: { 'linger.ms': 'soon' } })).toThrow(KafkaError);
  });
});

describe('consumer options -> librdkafka properties', () => {
  test('maps typed options, stores offsets itself, defaults to latest + auto-commit', () => {
    const c = consumerConfig({
      bootstrapServers,
      groupId: 'g',
      isolationLevel: 'read_committed',
      partitionAssignmentStrategy: ['cooperative-sticky'],
      sessionTimeoutMs: 6000,
      fetchMaxWaitMs: 100,
    });
    expect(c).toMatchObject({
      'group.id': 'g',
      'auto.offset.reset': 'latest',
      'enable.auto.commit': true,
      'enable.auto.offset.store': false,
      'isolation.level': 'read_committed',
      'partition.assignment.strategy': 'cooperative-sticky',
      'session.timeout.ms': 6000,
      'fetch.wait.max.ms': 100,
    });
  });

  test('properties the consumer relies on cannot be changed through rdkafka; the same value is accepted', () => {
    expect(() => consumerConfig({ bootstrapServers, rdkafka: { 'enable.auto.offset.store': true } })).toThrow(
      expect.objectContaining({
        name: 'RangeError',
        message: expect.stringMatching(/rdkafka\.enable\.auto\.offset\.store/),
      }),
    );
    expect(consumerConfig({ bootstrapServers, rdkafka: { 'enable.auto.offset.store': 'false' } })).toMatchObject({
      'enable.auto.offset.store': false,
    });
  });

  test('rdkafka overrides derived properties: its group.id replaces the private group', () => {
    const c = consumerConfig({ bootstrapServers, rdkafka: { 'group.id': 'raw' } });
    expect(c).toMatchObject({ 'group.id': 'raw', 'enable.auto.commit': true });
  });

  test('without groupId a private group is used and auto-commit is off', () => {
    const c = consumerConfig({ bootstrapServers });
    expect(String(c['group.id'])).toMatch(/^kafka-napi-/);
    expect(c['enable.auto.commit']).toBe(false);
  });
});

test('valid clients construct and close without a reachable broker', async () => {
  const p = new KafkaProducer({ bootstrapServers });
  const c = new KafkaConsumer(undefined, { bootstrapServers, groupId: 'g' });
  const a = new KafkaAdmin({ bootstrapServers });
  expect(await Promise.all([p.close(0), c.close(), a.close()])).toEqual([undefined, undefined, undefined]);
  // Closed for real: every call now fails with _DESTROY.
  await expect(p.send('t', 'x')).rejects.toMatchObject({ code: '_DESTROY' });
  await expect(c.poll({ timeoutMs: 0 })).rejects.toMatchObject({ code: '_DESTROY' });
  await expect(a.listTopics()).rejects.toMatchObject({ code: '_DESTROY' });
  // close() is idempotent
  expect(await Promise.all([p.close(), c.close(), a.close()])).toEqual([undefined, undefined, undefined]);
});
