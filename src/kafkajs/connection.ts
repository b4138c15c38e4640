/**
 * What every kafkajs client shares: the Kafka instance's configuration mapped onto kafka-napi's options,
 * resolved at each `connect()` (a `brokers` function is called then, as kafkajs does), and its logger.
 *
 * Mapping (docs/kafkajs.md has the table): brokers → bootstrapServers; clientId; ssl (true or TLS
 * options: ca, cert, key, passphrase, rejectUnauthorized, servername) and sasl (plain, scram-sha-256/512,
 * oauthbearer) as kafka-napi takes them; connectionTimeout → socket.connection.setup.timeout.ms;
 * requestTimeout → socket.timeout.ms; retry.initialRetryTime / maxRetryTime → retry.backoff.ms /
 * retry.backoff.max.ms; logLevel and logCreator → the logger librdkafka's lines go to. What librdkafka
 * cannot do (a socketFactory, custom SASL mechanisms, AWS IAM through kafkajs's `aws` mechanism) throws
 * KafkaJSNotImplemented naming the alternative, at `new Kafka()`.
 */
import type { SaslOptions, SslOptions } from '../core/security';
import type { CommonOptions, RdkafkaProperties } from '../core/types';
import { KafkaJSNonRetriableError, KafkaJSNotImplemented } from './errors';
import { createLogger, logLevel as LogLevel, toNapiLogger, type Logger, type logCreator } from './logger';
import type { KafkaConfig, RetryOptions } from './types';

/** kafkajs's retry defaults, for what the layer retries itself (the consumer's handlers, admin calls). */
/**
 * kafkajs's retry defaults. Under NODE_ENV=test (jest sets it) kafkajs switches to short ones, read when
 * it is loaded: tests written for kafkajs time out otherwise (a handler's retries alone took 8 s).
 */
export const RETRY_DEFAULTS =
  process.env.NODE_ENV === 'test'
    ? { maxRetryTime: 1000, initialRetryTime: 50, factor: 0.02, multiplier: 1.5, retries: 15 }
    : { maxRetryTime: 30_000, initialRetryTime: 300, factor: 0.2, multiplier: 2, retries: 5 };

export type RetrySettings = Required<Omit<RetryOptions, 'restartOnFailure'>>;

/** kafkajs's backoffs over all its retries added up (without their randomization). */
export function retryWaitMs({ retries, initialRetryTime, multiplier, maxRetryTime }: RetrySettings): number {
  let total = 0;
  for (let i = 0, wait = initialRetryTime; i < retries; i++, wait = Math.min(wait * multiplier, maxRetryTime)) {
    total += wait;
  }
  return Math.ceil(total);
}

/**
 * About when kafkajs's connect() gives up on a cluster that does not answer: each attempt takes up to
 * connectionTimeout (default 1 s), with the retries' backoffs in between.
 */
export function connectBudgetMs(retry: RetrySettings, connectionTimeout = 1000): number {
  return Math.ceil(Math.min(Math.max(1000, (retry.retries + 1) * connectionTimeout + retryWaitMs(retry)), 3_600_000));
}

/** TLS options librdkafka can apply; anything else in kafkajs's `ssl` object is refused. */
const TLS_KEYS = new Set(['ca', 'cert', 'key', 'passphrase', 'rejectUnauthorized', 'servername']);

export class ClientContext {
  readonly logger: Logger;
  readonly clientId: string;
  readonly #config: KafkaConfig;
  readonly #ssl: boolean | SslOptions | undefined;
  readonly #sasl: SaslOptions | undefined;

  constructor(config: KafkaConfig) {
    if (typeof config !== 'object' || config === null) {
      throw new KafkaJSNonRetriableError('Failed to connect: expected a configuration object');
    }
    const brokers = config.brokers as unknown;
    if (typeof brokers !== 'function') checkBrokers(brokers);
    if ((config as { socketFactory?: unknown }).socketFactory !== undefined) {
      throw new KafkaJSNotImplemented(
        'socketFactory is not supported: librdkafka opens its own sockets (use ssl, sasl and the rdkafka options of kafka-napi)',
      );
    }
    this.#config = config;
    this.clientId = config.clientId ?? 'kafkajs';
    this.logger = createLogger(config.logLevel ?? LogLevel.INFO, config.logCreator as logCreator | undefined);
    this.#ssl = sslOptions(config.ssl);
    this.#sasl = saslOptions(config.sasl);
  }

  get config(): KafkaConfig {
    return this.#config;
  }

  /** A client's retry settings: its own over the Kafka client's over kafkajs's defaults. */
  retry(own?: RetryOptions): RetrySettings {
    return { ...RETRY_DEFAULTS, ...definedOnly(this.#config.retry), ...definedOnly(own) };
  }

  /** connectBudgetMs for a client with its own retry settings. */
  connectBudgetMs(own?: RetryOptions): number {
    return connectBudgetMs(this.retry(own), this.#config.connectionTimeout);
  }

  /** kafka-napi options for one client; `namespace` names its log entries (Producer, Consumer, Admin). */
  async options(namespace: string, retry?: RetryOptions): Promise<CommonOptions> {
    const brokers = typeof this.#config.brokers === 'function' ? await this.#config.brokers() : this.#config.brokers;
    checkBrokers(brokers);
    const rdkafka: RdkafkaProperties = {};
    const { connectionTimeout, requestTimeout } = this.#config;
    if (connectionTimeout !== undefined)
      rdkafka['socket.connection.setup.timeout.ms'] = Math.max(1000, connectionTimeout);
    if (requestTimeout !== undefined) rdkafka['socket.timeout.ms'] = Math.max(10, requestTimeout);
    const backoff = { ...this.#config.retry, ...retry };
    if (backoff.initialRetryTime !== undefined) rdkafka['retry.backoff.ms'] = Math.max(1, backoff.initialRetryTime);
    if (backoff.maxRetryTime !== undefined) {
      rdkafka['retry.backoff.max.ms'] = Math.max(
        backoff.initialRetryTime ?? 100,
        Math.min(backoff.maxRetryTime, 3_600_000),
      );
    }
    return {
      bootstrapServers: brokers,
      clientId: this.clientId,
      ssl: this.#ssl,
      sasl: this.#sasl,
      rdkafka,
      logger: toNapiLogger(this.logger.namespace(namespace)),
    };
  }
}

function checkBrokers(brokers: unknown): asserts brokers is string[] {
  if (!Array.isArray(brokers) || brokers.length === 0) {
    throw new KafkaJSNonRetriableError(
      `Failed to connect: expected brokers array and got ${brokers === undefined ? 'nothing' : JSON.stringify(brokers)}`,
    );
  }
  for (const b of brokers) {
    if (typeof b !== 'string' || b.length === 0) {
      throw new KafkaJSNonRetriableError(`Failed to connect: broker addresses must be strings, got ${String(b)}`);
    }
  }
}

function sslOptions(ssl: KafkaConfig['ssl']): boolean | SslOptions | undefined {
  if (ssl === undefined || typeof ssl === 'boolean') return ssl;
  if (typeof ssl !== 'object' || ssl === null) {
    throw new KafkaJSNonRetriableError('ssl must be a boolean or an object of TLS options');
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ssl)) {
    if (v === undefined) continue;
    if (!TLS_KEYS.has(k)) {
      throw new KafkaJSNotImplemented(
        `ssl.${k} is not supported: librdkafka's TLS takes ${[...TLS_KEYS].join(', ')} (docs/kafkajs.md)`,
      );
    }
    out[k] = v;
  }
  return out as SslOptions;
}

function saslOptions(sasl: KafkaConfig['sasl']): SaslOptions | undefined {
  if (sasl === undefined) return undefined;
  if (typeof sasl !== 'object' || sasl === null) throw new KafkaJSNonRetriableError('sasl must be an object');
  const s = sasl as { mechanism?: unknown; authenticationProvider?: unknown };
  if (typeof s.authenticationProvider === 'function') {
    throw new KafkaJSNotImplemented(
      `custom SASL mechanism '${String(s.mechanism)}' is not supported: librdkafka implements PLAIN, SCRAM-SHA-256/512 and OAUTHBEARER`,
    );
  }
  const mechanism = typeof s.mechanism === 'string' ? s.mechanism.toLowerCase() : s.mechanism;
  if (mechanism === 'aws') {
    throw new KafkaJSNotImplemented(
      "SASL mechanism 'aws' is not supported: for Amazon MSK IAM use mechanism 'oauthbearer' with an IAM token provider",
    );
  }
  if (mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512') {
    const { username, password } = sasl as { username: string; password: string };
    return { mechanism, username, password };
  }
  if (mechanism === 'oauthbearer') {
    const provider = (sasl as { oauthBearerProvider?: unknown }).oauthBearerProvider;
    if (typeof provider !== 'function') {
      throw new KafkaJSNonRetriableError('sasl.oauthBearerProvider must be a function returning { value }');
    }
    return {
      mechanism,
      oauthBearerProvider: async () => {
        const token = (await (provider as () => Promise<{ value: string }>)()) as { value?: unknown };
        if (typeof token?.value !== 'string') {
          throw new KafkaJSNonRetriableError('oauthBearerProvider must resolve with { value: string }');
        }
        return { value: token.value };
      },
    };
  }
  throw new KafkaJSNonRetriableError(`SASL mechanism ${String(s.mechanism)} is not supported`);
}

/** Options with their undefined values removed, so they do not hide the defaults they are spread over. */
function definedOnly(options: RetryOptions | undefined): Partial<RetryOptions> {
  return Object.fromEntries(Object.entries(options ?? {}).filter(([, v]) => v !== undefined)) as Partial<RetryOptions>;
}
