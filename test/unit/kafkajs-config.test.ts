/**
 * kafka-napi/kafkajs's configuration and logging, without a broker: kafkajs's options mapped onto
 * kafka-napi's, what librdkafka cannot do refused with KafkaJSNotImplemented, brokers given as a function
 * resolved at each connect, and log entries shaped as kafkajs's logCreator receives them.
 */
import { ClientContext } from '../../src/kafkajs/connection';
import { createLogger } from '../../src/kafkajs/logger';
import { Kafka, KafkaJSNonRetriableError, KafkaJSNotImplemented, logLevel, type LogEntry } from '../../src/kafkajs';

describe('kafkajs configuration', () => {
  test('brokers: an array, or a function called at each connect; anything else refused', async () => {
    expect(() => new Kafka({} as never)).toThrow(/expected brokers array and got nothing/);
    expect(() => new Kafka({ brokers: [] })).toThrow(KafkaJSNonRetriableError);
    expect(() => new Kafka({ brokers: [42] as never })).toThrow(/must be strings/);
    let calls = 0;
    const context = new ClientContext({ brokers: async () => [`b${++calls}:9092`] });
    expect((await context.options('Producer')).bootstrapServers).toEqual(['b1:9092']);
    expect((await context.options('Producer')).bootstrapServers).toEqual(['b2:9092']);
    const empty = new ClientContext({ brokers: () => [] });
    await expect(empty.options('Producer')).rejects.toThrow(KafkaJSNonRetriableError);
  });

  test('timeouts and retry backoffs become librdkafka properties; clientId defaults to kafkajs', async () => {
    const context = new ClientContext({
      brokers: ['a:1'],
      connectionTimeout: 3000,
      requestTimeout: 25_000,
      retry: { initialRetryTime: 200, maxRetryTime: 5000 },
    });
    const options = await context.options('Consumer');
    expect(options.clientId).toBe('kafkajs');
    expect(options.rdkafka).toEqual({
      'socket.connection.setup.timeout.ms': 3000,
      'socket.timeout.ms': 25_000,
      'retry.backoff.ms': 200,
      'retry.backoff.max.ms': 5000,
    });
    expect((await new ClientContext({ brokers: ['a:1'], clientId: 'mine' }).options('Admin')).clientId).toBe('mine');
  });

  test('ssl and sasl as kafkajs takes them; what librdkafka cannot do is KafkaJSNotImplemented', async () => {
    const tls = await new ClientContext({
      brokers: ['a:1'],
      ssl: { ca: ['pem'], rejectUnauthorized: false, servername: 'x' },
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
    }).options('Producer');
    expect(tls.ssl).toEqual({ ca: ['pem'], rejectUnauthorized: false, servername: 'x' });
    expect(tls.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'u', password: 'p' });
    expect(() => new Kafka({ brokers: ['a:1'], ssl: { checkServerIdentity: () => undefined } })).toThrow(
      KafkaJSNotImplemented,
    );
    expect(
      () =>
        new Kafka({
          brokers: ['a:1'],
          sasl: { mechanism: 'aws', authorizationIdentity: 'x', accessKeyId: 'k', secretAccessKey: 's' },
        }),
    ).toThrow(/oauthbearer/);
    expect(() => new Kafka({ brokers: ['a:1'], socketFactory: (() => undefined) as never })).toThrow(
      KafkaJSNotImplemented,
    );
    const oauth = await new ClientContext({
      brokers: ['a:1'],
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: 'token' }) },
    }).options('Producer');
    const sasl = oauth.sasl as { oauthBearerProvider: () => Promise<{ value: string }> };
    await expect(sasl.oauthBearerProvider()).resolves.toEqual({ value: 'token' });
    // A custom assigner cannot run on librdkafka: a warning, and round robin assigns (NestJS passes one).
    const warned: string[] = [];
    new Kafka({ brokers: ['a:1'], logCreator: () => (e) => void warned.push(e.log.message) }).consumer({
      groupId: 'g',
      partitionAssigners: [() => ({}) as never],
    });
    expect(warned).toEqual([expect.stringMatching(/custom partition assigner.*'roundrobin'/)]);
  });
});

describe('kafkajs logging', () => {
  const saved = process.env.KAFKAJS_LOG_LEVEL;
  afterEach(() => {
    if (saved === undefined) delete process.env.KAFKAJS_LOG_LEVEL;
    else process.env.KAFKAJS_LOG_LEVEL = saved;
  });

  test('logCreator receives kafkajs entries; levels filter; namespaces and setLogLevel', () => {
    delete process.env.KAFKAJS_LOG_LEVEL;
    const entries: LogEntry[] = [];
    let created: logLevel | undefined;
    const logger = createLogger(logLevel.WARN, (level) => {
      created = level;
      return (entry) => entries.push(entry);
    });
    expect(created).toBe(logLevel.WARN);
    logger.info('dropped');
    logger.namespace('Consumer').error('kept', { groupId: 'g' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      namespace: 'Consumer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { message: 'kept', groupId: 'g', logger: 'kafkajs', timestamp: expect.any(String) },
    });
    logger.setLogLevel(logLevel.DEBUG);
    logger.debug('now kept');
    expect(entries.map((e) => e.log.message)).toEqual(['kept', 'now kept']);
    process.env.KAFKAJS_LOG_LEVEL = 'nothing';
    const silent: LogEntry[] = [];
    createLogger(logLevel.DEBUG, () => (e) => silent.push(e)).error('x');
    expect(silent).toEqual([]);
  });
});
