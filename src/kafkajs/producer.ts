/**
 * kafkajs's Producer over kafka-napi's KafkaProducer.
 *
 * kafkajs takes `acks`, `compression` and `timeout` per call; librdkafka fixes them per client (they are
 * topic-level properties of the handle). So one KafkaProducer serves each combination a program uses
 * (most use one or two), created at its first use and closed with the producer. A transactional
 * producer has its own engine, created at the first `transaction()` (kafkajs initializes the producer id
 * then too); sends outside a transaction go to a non-transactional engine, as kafkajs's do.
 *
 * Partitioning: the default (Java-compatible murmur2, `Partitioners.DefaultPartitioner`) is librdkafka's
 * own `murmur2_random`, with no per-message JS. The legacy partitioner and custom ones run in JS on each
 * message without a partition, with the topic's partition metadata cached for `metadataMaxAge`.
 */
import { KafkaProducer } from '../producer';
import type { CompressionType, ProducerOptions, ProducerRecord as NapiRecord } from '../producer';
import type { CommonOptions, HeaderValue, RecordMetadata as NapiMetadata } from '../core/types';
import { retryWaitMs, type ClientContext, type RetrySettings } from './connection';
import {
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  toKafkaJSError,
} from './errors';
import { Instrumentation, PRODUCER_EVENTS } from './instrumentation';
import type { Logger } from './logger';
import { ownMembers } from './members';
import { isJavaCompatible } from './partitioners';
import { KafkaJSTransaction } from './transaction';
import type {
  IHeaders,
  Message,
  PartitionMetadata,
  PartitionerArgs,
  ProducerBatch,
  ProducerConfig,
  Producer,
  ProducerRecord,
  RecordMetadata,
  TopicMessages,
  Transaction,
} from './types';

const CODECS: Readonly<Record<number, CompressionType>> = { 0: 'none', 1: 'gzip', 2: 'snappy', 3: 'lz4', 4: 'zstd' };
const DEFAULT_METADATA_MAX_AGE_MS = 300_000;

type Status = 'disconnected' | 'connected' | 'disconnecting';

/** What one engine is fixed to. */
interface EngineKey {
  acks: number;
  compression: CompressionType;
  timeout: number | undefined;
  transactional: boolean;
}

export class KafkaJSProducer implements Producer {
  declare readonly events: typeof PRODUCER_EVENTS;
  readonly #context: ClientContext;
  readonly #config: ProducerConfig;
  readonly #logger: Logger;
  readonly #instrumentation = new Instrumentation(PRODUCER_EVENTS);
  readonly #partitioner: ((args: PartitionerArgs) => number) | undefined;
  readonly #engines = new Map<string, Promise<KafkaProducer>>();
  readonly #metadata = new Map<string, { until: number; partitions: Promise<PartitionMetadata[]> }>();
  #options: CommonOptions | undefined;
  #status: Status = 'disconnected';
  #transaction: KafkaJSTransaction | undefined;

  constructor(context: ClientContext, config: ProducerConfig = {}) {
    this.#context = context;
    this.#config = config;
    this.#logger = context.logger.namespace('Producer');
    if (config.idempotent === true && config.retry?.retries !== undefined && config.retry.retries < 1) {
      throw new KafkaJSNonRetriableError('Idempotent producer must allow retries to protect against transient errors');
    }
    const create = config.createPartitioner;
    // The Java-compatible default is librdkafka's own; anything else runs in JS.
    this.#partitioner = create === undefined || isJavaCompatible(create) ? undefined : create();
    ownMembers(
      this,
      ['connect', 'disconnect', 'isIdempotent', 'events', 'on', 'send', 'sendBatch', 'transaction', 'logger'],
      { events: PRODUCER_EVENTS },
    );
  }

  logger(): Logger {
    return this.#logger;
  }

  get #retry(): RetrySettings {
    return this.#context.retry(this.#config.retry);
  }

  on(eventName: string, listener: (event: never) => void): () => void {
    return this.#instrumentation.on(eventName, listener as (event: unknown) => void);
  }

  isIdempotent(): boolean {
    return this.#config.idempotent === true;
  }

  /** Resolves the brokers, checks the cluster answers (a metadata request), and emits CONNECT. */
  async connect(): Promise<void> {
    try {
      this.#options = await this.#context.options('Producer', this.#config.retry);
      const engine = await this.#engine({ acks: -1, compression: 'none', timeout: undefined, transactional: false });
      await engine.connect(this.#context.connectBudgetMs(this.#config.retry));
    } catch (err) {
      throw retrierError(err, this.#retry);
    }
    this.#status = 'connected';
    this.#instrumentation.emit(PRODUCER_EVENTS.CONNECT);
  }

  /** Waits for what was sent, closes every engine, and emits DISCONNECT. */
  async disconnect(): Promise<void> {
    this.#status = 'disconnecting';
    const engines = [...this.#engines.values()];
    this.#engines.clear();
    this.#metadata.clear();
    await Promise.all(engines.map(async (e) => (await e.catch(() => undefined))?.close()));
    this.#status = 'disconnected';
    this.#instrumentation.emit(PRODUCER_EVENTS.DISCONNECT);
  }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    if (typeof record !== 'object' || record === null) {
      return Promise.reject(new KafkaJSNonRetriableError('Invalid topic'));
    }
    const { topic, messages, acks, timeout, compression } = record;
    return this.sendBatch({ acks, timeout, compression, topicMessages: [{ topic, messages }] });
  }

  async sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.#send(batch, false);
  }

  /** Begins a transaction; kafkajs allows one at a time per producer. */
  async transaction(): Promise<Transaction> {
    if (!this.#config.transactionalId) {
      throw new KafkaJSNonRetriableError('Must provide transactional id for transactional producer');
    }
    if (this.#transaction?.isActive()) {
      throw new KafkaJSNonRetriableError(
        'There is already an ongoing transaction for this producer. Please end the transaction before beginning another.',
      );
    }
    this.#checkConnected();
    try {
      const engine = await this.#engine({ acks: -1, compression: 'none', timeout: undefined, transactional: true });
      engine.beginTransaction();
      this.#transaction = new KafkaJSTransaction(this, engine);
      return this.#transaction;
    } catch (err) {
      throw toKafkaJSError(err);
    }
  }

  /** @internal The send path of the producer and of its transactions. */
  async #send(batch: ProducerBatch, transactional: boolean): Promise<RecordMetadata[]> {
    const { acks = -1, timeout, compression, topicMessages = [] } = batch ?? {};
    if (!Array.isArray(topicMessages) || topicMessages.some((t) => !t || !t.topic)) {
      throw new KafkaJSNonRetriableError('Invalid topic');
    }
    if ((this.isIdempotent() || transactional) && acks !== -1) {
      throw new KafkaJSNonRetriableError(
        "Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees",
      );
    }
    if (acks !== -1 && acks !== 0 && acks !== 1) {
      throw new KafkaJSNonRetriableError(`Invalid acks ${String(acks)}: expected -1, 0 or 1`);
    }
    for (const { topic, messages } of topicMessages) {
      if (!Array.isArray(messages)) {
        throw new KafkaJSNonRetriableError(`Invalid messages array [${String(messages)}] for topic "${topic}"`);
      }
      const withoutValue = messages.find((m) => m === null || typeof m !== 'object' || m.value === undefined);
      if (withoutValue !== undefined) {
        throw new KafkaJSNonRetriableError(
          `Invalid message without value for topic "${topic}": ${JSON.stringify(withoutValue)}`,
        );
      }
    }
    const codec = compression === undefined ? 'none' : CODECS[compression];
    if (codec === undefined) throw new KafkaJSNonRetriableError(`Unsupported compression codec ${String(compression)}`);
    this.#checkConnected();
    const merged = mergeTopics(topicMessages);
    try {
      const engine = await this.#engine({ acks, compression: codec, timeout, transactional });
      const results = await Promise.all(
        merged.map(async ({ topic, messages }) => {
          const records = await this.#records(topic, messages);
          return { topic, metadata: await engine.sendBatch(topic, records) };
        }),
      );
      // acks 0: the broker does not answer, and kafkajs resolves with nothing.
      return acks === 0 ? [] : results.flatMap(({ topic, metadata }) => perPartition(topic, metadata));
    } catch (err) {
      throw retrierError(err, this.#retry);
    }
  }

  /** @internal For transactions. */
  sendWithin(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.#send(batch, true);
  }

  #checkConnected(): void {
    if (this.#status === 'disconnecting') {
      throw new KafkaJSNonRetriableError(
        "The producer is disconnecting; therefore, it can't safely accept messages anymore",
      );
    }
    if (this.#status === 'disconnected') throw new KafkaJSError('The producer is disconnected');
  }

  /** The engine for these settings, created at its first use. */
  #engine(key: EngineKey): Promise<KafkaProducer> {
    const id = `${key.acks}/${key.compression}/${key.timeout ?? ''}/${key.transactional ? 't' : ''}`;
    let engine = this.#engines.get(id);
    if (!engine) {
      engine = this.#createEngine(key);
      this.#engines.set(id, engine);
      // A failed creation is not kept: the next call tries again.
      engine.catch(() => this.#engines.get(id) === engine && this.#engines.delete(id));
    }
    return engine;
  }

  async #createEngine(key: EngineKey): Promise<KafkaProducer> {
    const base = this.#options;
    if (!base) throw new KafkaJSError('The producer is disconnected');
    const config = this.#config;
    const rdkafka = { ...base.rdkafka };
    if (config.allowAutoTopicCreation !== undefined)
      rdkafka['allow.auto.create.topics'] = config.allowAutoTopicCreation;
    if (config.transactionTimeout !== undefined) rdkafka['transaction.timeout.ms'] = config.transactionTimeout;
    if (config.metadataMaxAge !== undefined) rdkafka['metadata.max.age.ms'] = Math.max(1, config.metadataMaxAge);
    // A topic the cluster does not know fails its records once kafkajs would have stopped retrying its
    // metadata (librdkafka's own wait is 30 s).
    rdkafka['topic.metadata.propagation.max.ms'] = Math.min(30_000, Math.max(1, retryWaitMs(this.#retry)));
    const options: ProducerOptions = {
      ...base,
      rdkafka,
      acks: key.acks as 0 | 1 | -1,
      compressionType: key.compression,
      // kafkajs sends each call's messages at once, in one request: the call's records leave as soon as
      // librdkafka has them all (expedite), and what other calls add meanwhile lingers at most 1 ms.
      lingerMs: 1,
      expedite: true,
      enableIdempotence: key.transactional || (this.isIdempotent() && key.acks === -1),
    };
    if (key.transactional) options.transactionalId = config.transactionalId;
    if (key.timeout !== undefined) options.requestTimeoutMs = Math.max(1, key.timeout);
    if (config.maxInFlightRequests !== undefined) options.maxInFlight = config.maxInFlightRequests;
    if (config.retry?.retries !== undefined) options.retries = config.retry.retries;
    const producer = new KafkaProducer(options);
    if (key.transactional) {
      try {
        await producer.initTransactions();
      } catch (err) {
        await producer.close();
        throw err;
      }
    }
    return producer;
  }

  /** kafkajs messages as kafka-napi records; a JS partitioner picks partitions here. */
  async #records(topic: string, messages: Message[]): Promise<NapiRecord<Buffer, Buffer>[]> {
    const partitioner = this.#partitioner;
    const partitionMetadata =
      partitioner && messages.some((m) => m.partition === undefined || m.partition === null)
        ? await this.#partitionMetadata(topic)
        : undefined;
    return messages.map((m) => {
      const record: NapiRecord<Buffer, Buffer> = { value: m.value ?? null };
      if (m.key !== undefined && m.key !== null) record.key = m.key;
      if (m.headers !== undefined && m.headers !== null) record.headers = headerPairs(m.headers);
      if (m.timestamp !== undefined && m.timestamp !== null) record.timestamp = Number(m.timestamp);
      if (m.partition !== undefined && m.partition !== null) record.partition = m.partition;
      else if (partitioner && partitionMetadata) {
        record.partition = partitioner({ topic, partitionMetadata, message: m });
      }
      return record;
    });
  }

  /** The topic's partitions as kafkajs describes them, cached for metadataMaxAge. */
  #partitionMetadata(topic: string): Promise<PartitionMetadata[]> {
    const now = Date.now();
    const cached = this.#metadata.get(topic);
    if (cached && cached.until > now) return cached.partitions;
    const partitions = this.#engine({ acks: -1, compression: 'none', timeout: undefined, transactional: false })
      .then((engine) => engine.partitionInfo(topic))
      .then((info) =>
        info.map((p) => ({
          partitionErrorCode: 0,
          partitionId: p.partition,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          offlineReplicas: [],
        })),
      );
    this.#metadata.set(topic, {
      until: now + (this.#config.metadataMaxAge ?? DEFAULT_METADATA_MAX_AGE_MS),
      partitions,
    });
    partitions.catch(() => this.#metadata.delete(topic));
    return partitions;
  }
}

/** kafkajs merges the messages of repeated topics into one request. */
function mergeTopics(topicMessages: TopicMessages[]): TopicMessages[] {
  const merged = new Map<string, Message[]>();
  for (const { topic, messages } of topicMessages) {
    const list = merged.get(topic);
    if (list) list.push(...messages);
    else merged.set(topic, [...messages]);
  }
  return [...merged].map(([topic, messages]) => ({ topic, messages }));
}

/** kafkajs's headers object as ordered pairs (an array value is one header per element). */
function headerPairs(headers: IHeaders): Array<[string, HeaderValue]> {
  const pairs: Array<[string, HeaderValue]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) pairs.push([name, v]);
    else pairs.push([name, value]);
  }
  return pairs;
}

/** One result per partition written, as kafkajs's produce response: the batch's first offset. */
function perPartition(topic: string, metadata: NapiMetadata[]): RecordMetadata[] {
  // Per partition, the call's first record: its offset is the base offset; its acknowledgement carried
  // the partition's log start offset.
  const first = new Map<number, NapiMetadata>();
  for (const m of metadata) {
    const seen = first.get(m.partition);
    if (seen === undefined || (m.offset >= 0 && (seen.offset < 0 || m.offset < seen.offset))) first.set(m.partition, m);
  }
  return [...first.values()].map(({ partition, offset, logStartOffset }) => ({
    topicName: topic,
    partition,
    errorCode: 0,
    baseOffset: String(offset),
    logAppendTime: '-1',
    logStartOffset: String(logStartOffset),
  }));
}

/** Kafka errors kafkajs meets while loading a topic's metadata, outside its produce retries. */
const TOPIC_REFUSALS = new Set(['INVALID_TOPIC_EXCEPTION', 'TOPIC_AUTHORIZATION_FAILED']);

/**
 * What kafkajs's retrier makes of a failed connect or send (librdkafka did the retrying): a retriable
 * error comes out as KafkaJSNumberOfRetriesExceeded with the kafkajs error as its `cause`; a topic the
 * cluster refuses as KafkaJSNonRetriableError with the protocol error as its `cause`; any other error
 * (e.g. MESSAGE_TOO_LARGE, which kafkajs's produce loop bails out with) as it is.
 */
function retrierError(err: unknown, retry: RetrySettings): Error {
  const e = toKafkaJSError(err);
  if (!(e instanceof KafkaJSError) || e instanceof KafkaJSNonRetriableError) return e;
  if (e.retriable) {
    const retryTime = Math.min(retry.initialRetryTime * retry.multiplier ** retry.retries, retry.maxRetryTime);
    return new KafkaJSNumberOfRetriesExceeded(e, { retryCount: retry.retries, retryTime });
  }
  if (e instanceof KafkaJSProtocolError && TOPIC_REFUSALS.has(e.type)) {
    return new KafkaJSNonRetriableError(e, { cause: e });
  }
  return e;
}
