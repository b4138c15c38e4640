import { AuthLatch, authFailure } from '../../src/client/auth-failure';
import { KafkaAdmin, KafkaConsumer, KafkaError, KafkaProducer } from '../../src';
import { consumerConfig } from '../../src/consumer';
import { producerConfig } from '../../src/producer';

// No broker is contacted: librdkafka connects lazily, and every client is closed.
const bootstrapServers = '127.0.0.1:1';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE-not-a-real-key\n-----END PRIVATE KEY-----\n';

describe('ssl / sasl -> librdkafka properties', () => {
  test('ssl: true is TLS with hostname verification and the system trust store', () => {
    const c = producerConfig({ bootstrapServers, ssl: true });
    expect(c).toMatchObject({ 'security.protocol': 'ssl', 'ssl.endpoint.identification.algorithm': 'https' });
    expect(c['ssl.ca.pem']).toBeUndefined();
  });

  test('PEM material in memory, strings or Buffers, several CAs joined', () => {
    const c = consumerConfig({
      bootstrapServers,
      groupId: 'g',
      ssl: { ca: [PEM, Buffer.from(PEM)], cert: Buffer.from(PEM), key: KEY, passphrase: 'p' },
    });
    expect(c).toMatchObject({
      'security.protocol': 'ssl',
      'ssl.ca.pem': `${PEM}\n${PEM}`,
      'ssl.certificate.pem': PEM,
      'ssl.key.pem': KEY,
      'ssl.key.password': 'p',
    });
  });

  test.each([
    ['plain', 'PLAIN'],
    ['scram-sha-256', 'SCRAM-SHA-256'],
    ['scram-sha-512', 'SCRAM-SHA-512'],
  ] as const)('sasl %s alone is SASL_PLAINTEXT, with ssl SASL_SSL', (mechanism, name) => {
    const sasl = { mechanism, username: 'u', password: 'pw' };
    expect(producerConfig({ bootstrapServers, sasl })).toMatchObject({
      'security.protocol': 'sasl_plaintext',
      'sasl.mechanisms': name,
      'sasl.username': 'u',
      'sasl.password': 'pw',
    });
    expect(producerConfig({ bootstrapServers, sasl, ssl: true })['security.protocol']).toBe('sasl_ssl');
  });

  test('oauthbearer sets the mechanism only: the token comes from the provider', () => {
    const c = producerConfig({
      bootstrapServers,
      ssl: true,
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: () => Promise.resolve({ value: 't' }) },
    });
    expect(c).toMatchObject({ 'security.protocol': 'sasl_ssl', 'sasl.mechanisms': 'OAUTHBEARER' });
    expect(c['enable.sasl.oauthbearer.unsecure.jwt']).toBeUndefined();
  });

  test('rejectUnauthorized: false turns verification off and warns once per process', () => {
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const c = producerConfig({ bootstrapServers, ssl: { rejectUnauthorized: false } });
      producerConfig({ bootstrapServers, ssl: { rejectUnauthorized: false } });
      expect(c).toMatchObject({
        'enable.ssl.certificate.verification': false,
        'ssl.endpoint.identification.algorithm': 'none',
      });
      expect(emitWarning).toHaveBeenCalledTimes(1);
      expect(emitWarning.mock.calls[0][1]).toMatchObject({ code: 'KAFKA_NAPI_TLS_UNVERIFIED' });
    } finally {
      emitWarning.mockRestore();
    }
  });

  test('rdkafka still wins over the typed options', () => {
    const c = producerConfig({
      bootstrapServers,
      ssl: true,
      rdkafka: { 'security.protocol': 'plaintext', 'ssl.endpoint.identification.algorithm': 'none' },
    });
    expect(c['security.protocol']).toBe('plaintext');
    expect(c['ssl.endpoint.identification.algorithm']).toBe('none');
  });
});

describe('wrong shapes throw TypeError/RangeError naming the option, never echoing a secret', () => {
  const secret = 'hunter2-do-not-print';
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['ssl string', { ssl: 'yes' }, /option 'ssl' must be a boolean or an object/],
    ['ssl unknown key', { ssl: { cafile: '/x' } }, /unknown option 'ssl.cafile'/],
    ['ssl.ca number', { ssl: { ca: 1 } }, /option 'ssl.ca' must be a PEM string or Buffer/],
    ['ssl.ca empty array', { ssl: { ca: [] } }, /option 'ssl.ca'/],
    ['ssl.cert without key', { ssl: { cert: PEM } }, /'ssl.cert' and 'ssl.key' go together/],
    [
      'ssl.key object',
      { ssl: { cert: PEM, key: { secret } } },
      /option 'ssl.key' must be a PEM string or Buffer, got object/,
    ],
    ['ssl.passphrase number', { ssl: { passphrase: 1234 } }, /option 'ssl.passphrase' must be a string, got number/],
    [
      'ssl.rejectUnauthorized string',
      { ssl: { rejectUnauthorized: 'no' } },
      /option 'ssl.rejectUnauthorized' must be a boolean/,
    ],
    ['ssl.servername empty', { ssl: { servername: '' } }, /option 'ssl.servername' must be a non-empty string/],
    ['sasl string', { sasl: 'plain' }, /option 'sasl' must be an object/],
    ['sasl.mechanism missing', { sasl: { username: 'u', password: secret } }, /option 'sasl.mechanism' must be one of/],
    [
      'sasl.username missing',
      { sasl: { mechanism: 'plain', password: secret } },
      /option 'sasl.username' must be a non-empty string/,
    ],
    [
      'sasl.password number',
      { sasl: { mechanism: 'plain', username: 'u', password: 42 } },
      /option 'sasl.password' must be a string, got number/,
    ],
    [
      'sasl extra key',
      { sasl: { mechanism: 'plain', username: 'u', password: secret, token: secret } },
      /unknown option 'sasl.token'/,
    ],
    [
      'oauthbearer without provider',
      { sasl: { mechanism: 'oauthbearer' } },
      /option 'sasl.oauthBearerProvider' must be a function/,
    ],
    [
      'oauthbearer with password',
      { sasl: { mechanism: 'oauthbearer', oauthBearerProvider: () => 1, password: secret } },
      /unknown option 'sasl.password'/,
    ],
  ])('%s', (_label, options, message) => {
    for (const make of [
      () => new KafkaProducer({ bootstrapServers, ...options }),
      () => new KafkaConsumer(undefined, { bootstrapServers, groupId: 'g', ...options }),
      () => new KafkaAdmin({ bootstrapServers, ...options }),
    ]) {
      let error: unknown;
      try {
        make();
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  test('an unknown mechanism name is a RangeError', () => {
    expect(() => new KafkaProducer({ bootstrapServers, sasl: { mechanism: 'gssapi' } as never })).toThrow(RangeError);
  });
});

describe('authentication failures (src/client/auth-failure.ts)', () => {
  test.each<[string, string, string | undefined]>([
    ['_AUTHENTICATION', 'SASL authentication error: Authentication failed', '_AUTHENTICATION'],
    ['_SSL', 'SSL handshake failed: error:0A000086:SSL routines::certificate verify failed', '_SSL'],
    [
      '_TRANSPORT',
      'Receive failed: error:0A000412:SSL routines::ssl/tls alert bad certificate: SSL alert number 42',
      '_SSL',
    ],
    ['_SSL', 'SSL handshake failed: Disconnected: connecting to a PLAINTEXT broker listener?', undefined],
    ['_TRANSPORT', 'Connect to ipv4#127.0.0.1:1 failed: Connection refused', undefined],
    ['_ALL_BROKERS_DOWN', '1/1 brokers are down', undefined],
  ])('%s %s -> %s', (code, message, expected) => {
    expect(authFailure({ code, message })?.code).toBe(expected);
  });

  test('a latch rejects guarded calls when it trips, at once while it stands, and not after clear()', async () => {
    const latch = new AuthLatch();
    const error = new KafkaError('refused', { code: '_AUTHENTICATION' });
    const pending = latch.guard(new Promise(() => undefined));
    latch.trip(error);
    await expect(pending).rejects.toBe(error);
    await expect(latch.guard(Promise.resolve(1))).rejects.toBe(error);
    latch.clear();
    await expect(latch.guard(Promise.resolve(1))).resolves.toBe(1);
    expect(latch.error).toBeUndefined();
  });
});
