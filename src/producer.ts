/**
 * KafkaProducer: kafka-python's `send` / `flush` / `close`, as promises.
 *
 * Data path: `send()` serializes in JS and appends to an outbox; one microtask later the whole outbox
 * crosses to native in ONE `produce` call per topic run. Delivery reports come back in batches: a
 * librdkafka queue event wakes the JS thread once, one `poll` drains every ready report into typed
 * arrays, and the matching promises settle. Nothing blocks the JS thread or the libuv threadpool.
 */
import { AuthLatch } from './auth-failure';
import { dispatchEvents, logError } from './client-events';
import {
  COMMON_OPTIONS,
  isBoolean,
  isFunction,
  isInteger,
  isString,
  oneOf,
  toRdkafka,
  type OptionTable,
} from './config';
import { destroyedError, errorFromErrno, kafkaError, KafkaError } from './errors';
import { EventLoopTurns } from './event-loop-turns';
import { InFlightRuns } from './in-flight';
import { trackUnclosed, untrackUnclosed } from './lifecycle';
import { addon, type NativeConfig, type NativeProducer } from './native';
import { nativeConsumerOf, type KafkaConsumer } from './consumer';
import { toBytes, type Serializer } from './serde';
import {
  isPlainObject,
  optionsArg,
  plainObjectArg,
  show,
  timeoutArg,
  topicArg,
  topicPartitionsArg,
  typeName,
} from './validate';
import type { CommonOptions, HeadersInput, RecordMetadata, TopicPartitionOffset } from './types';
import { tokenRefreshHandler } from './oauthbearer';

export type Acks = 0 | 1 | -1 | 'all';
export type CompressionType = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
/** Picks a partition in [0, partitionCount) for a record without an explicit partition. */
export type PartitionerFunction = (key: Buffer | null, partitionCount: number, topic: string) => number;

export type PartitionerName =
  'murmur2_random' | 'murmur2' | 'consistent_random' | 'consistent' | 'random' | 'fnv1a_random';

export interface ProducerOptions<K = Buffer, V = Buffer> extends CommonOptions {
  keySerializer?: Serializer<K>;
  valueSerializer?: Serializer<V>;
  /** Default 'all'. */
  acks?: Acks;
  /** Default 'none'. */
  compressionType?: CompressionType;
  /** Default 5. */
  lingerMs?: number;
  /** Max bytes per partition batch (librdkafka batch.size). */
  batchSize?: number;
  batchNumMessages?: number;
  /** Default true (requires acks 'all'; turned off by default when acks is 0 or 1, as in the Java client). */
  enableIdempotence?: boolean;
  transactionalId?: string;
  /**
   * Default 'murmur2_random' (Java-compatible for keyed records). A function is called on the JS thread
   * for every record without an explicit partition; prefer a built-in on hot paths.
   */
  partitioner?: PartitionerName | PartitionerFunction;
  maxInFlight?: number;
  retries?: number;
  requestTimeoutMs?: number;
  /** How long a record may take, retries included, before its send rejects with _MSG_TIMED_OUT. */
  deliveryTimeoutMs?: number;
  queueBufferingMaxMessages?: number;
  queueBufferingMaxKbytes?: number;
}

/** What send accepts for a key/value of type T: with the default Buffer type, strings too (UTF-8). */
export type Payload<T> = [T] extends [Buffer] ? Buffer | string : T;

export interface SendOptions<K> {
  key?: Payload<K> | null;
  partition?: number;
  headers?: HeadersInput;
  /** Milliseconds since the epoch; default now. */
  timestamp?: number;
}

export interface ProducerRecord<K, V> extends SendOptions<K> {
  value: Payload<V> | null;
}

const PRODUCER_OPTIONS: OptionTable = {
  ...COMMON_OPTIONS,
  keySerializer: { check: isFunction },
  valueSerializer: { check: isFunction },
  acks: { property: 'acks', check: oneOf([0, 1, -1, 'all']), map: (v: Acks) => (v === 'all' ? -1 : v) },
  compressionType: { property: 'compression.codec', check: oneOf(['none', 'gzip', 'snappy', 'lz4', 'zstd']) },
  lingerMs: { property: 'linger.ms', check: isInteger(0, 900_000) },
  batchSize: { property: 'batch.size', check: isInteger(1, 2_147_483_647) },
  batchNumMessages: { property: 'batch.num.messages', check: isInteger(1, 1_000_000) },
  enableIdempotence: { property: 'enable.idempotence', check: isBoolean },
  transactionalId: { property: 'transactional.id', check: isString },
  partitioner: {
    property: 'partitioner',
    check: (value, name) => {
      if (typeof value !== 'function') {
        oneOf(['murmur2_random', 'murmur2', 'consistent_random', 'consistent', 'random', 'fnv1a_random'])(value, name);
      }
    },
    // A JS partitioner runs in JS; librdkafka keeps its default for the records it never sees unpartitioned.
    map: (v: PartitionerName | PartitionerFunction) => (typeof v === 'function' ? 'murmur2_random' : v),
  },
  maxInFlight: { property: 'max.in.flight.requests.per.connection', check: isInteger(1, 1_000_000) },
  retries: { property: 'retries', check: isInteger(0, 2_147_483_647) },
  requestTimeoutMs: { property: 'request.timeout.ms', check: isInteger(1, 900_000) },
  deliveryTimeoutMs: { property: 'delivery.timeout.ms', check: isInteger(0, 2_147_483_647) },
  queueBufferingMaxMessages: { property: 'queue.buffering.max.messages', check: isInteger(0, 2_147_483_647) },
  queueBufferingMaxKbytes: { property: 'queue.buffering.max.kbytes', check: isInteger(1, 2_147_483_647) },
};

/** librdkafka properties for producer options (exported for tests and tools). */
export function producerConfig(options: ProducerOptions<unknown, unknown>): NativeConfig {
  const config = toRdkafka('KafkaProducer', options, PRODUCER_OPTIONS, {
    acks: -1,
    'enable.idempotence': true,
    'linger.ms': 5,
    partitioner: 'murmur2_random',
  });
  // librdkafka waits topic.metadata.propagation.max.ms (30 s) before declaring a topic missing; past the
  // delivery timeout the record would fail as _MSG_TIMED_OUT instead of UNKNOWN_TOPIC_OR_PART.
  const delivery = options.deliveryTimeoutMs;
  if (delivery !== undefined && delivery > 0) {
    config['topic.metadata.propagation.max.ms'] = Math.min(30_000, Math.max(1, Math.floor(delivery / 2)));
    Object.assign(config, options.rdkafka ?? {});
  }
  // Like the Java client: idempotence needs acks=all, so weaker acks switch it off unless it was asked for.
  if (options.acks !== undefined && options.acks !== 'all' && options.acks !== -1) {
    if (options.enableIdempotence === true) {
      throw new RangeError(`option 'enableIdempotence' requires acks 'all', got acks ${options.acks}`);
    }
    if (options.rdkafka?.['enable.idempotence'] === undefined) config['enable.idempotence'] = false;
  }
  return config;
}

/** Sends that share one promise: a single send is a group of one, sendBatch a group of many. */
class DeliveryGroup {
  readonly results: RecordMetadata[];
  remaining: number;
  error: KafkaError | undefined;

  constructor(
    readonly topic: string,
    size: number,
    private readonly resolve: (value: RecordMetadata[]) => void,
    private readonly reject: (error: Error) => void,
  ) {
    this.results = new Array<RecordMetadata>(size);
    this.remaining = size;
  }

  settle(index: number, error: KafkaError | undefined, partition: number, offset: number, timestamp: number): void {
    if (error) this.error ??= error;
    else this.results[index] = { topic: this.topic, partition, offset, timestamp };
    if (--this.remaining === 0) {
      if (this.error) this.reject(this.error);
      else this.resolve(this.results);
    }
  }
}

/** A serialized record waiting in the outbox. */
interface Outgoing {
  value: Buffer | null;
  key: Buffer | null;
  partition: number;
  timestamp: number;
  headers: Array<string | Buffer | null> | null;
  group: DeliveryGroup;
  index: number;
}

/** Delivery reports per native poll. */
const DRAIN_CAP = 4096;

export class KafkaProducer<K = Buffer, V = Buffer> {
  readonly #native: NativeProducer;
  readonly #tokenRefresh: () => void;
  readonly #auth = new AuthLatch();
  readonly #options: ProducerOptions<K, V>;
  readonly #outbox: Outgoing[] = [];
  /** By opaque id; an entry keeps its zero-copy payload alive until the delivery report. */
  readonly #inFlight = new InFlightRuns<Outgoing>();
  #nextId = 1;
  #scheduled = false;
  #queueFull = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #reffed = false;
  #closing: Promise<void> | undefined;
  #fatal: KafkaError | undefined;
  // Native holds the wake callback weakly (so an abandoned client can be collected): we hold it strongly.
  readonly #turns = new EventLoopTurns(() => this.#drain());
  readonly #jsPartitioner: PartitionerFunction | undefined;
  /** Partition counts for the JS partitioner; refreshed in the background when older than 5 minutes. */
  readonly #partitionCounts = new Map<string, { count: number; at: number }>();
  readonly #countsInFlight = new Set<string>();
  readonly #validTopics = new Set<string>();

  constructor(options: ProducerOptions<K, V>) {
    const config = producerConfig(options as ProducerOptions<unknown, unknown>);
    this.#options = options;
    this.#jsPartitioner = typeof options.partitioner === 'function' ? options.partitioner : undefined;
    this.#native = new addon.Producer(config, this.#turns.wake);
    this.#tokenRefresh = tokenRefreshHandler(this.#native, options.sasl, (m) => logError(options.logger, m));
    trackUnclosed(this, 'KafkaProducer');
  }

  /** Optional: librdkafka connects lazily; this verifies the cluster is reachable (metadata request). */
  async connect(timeoutMs?: number): Promise<void> {
    this.#checkOpen();
    await this.#auth.guard(this.#native.metadata(null, timeoutArg(timeoutMs, 'timeoutMs', 30_000)));
  }

  /** Resolves with the record's metadata once the broker acknowledged it (per `acks`). */
  send(topic: string, value: Payload<V> | null, options?: SendOptions<K>): Promise<RecordMetadata> {
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      this.#checkTopic(topic);
      this.#checkOpen();
      const outgoing = this.#serialize(topic, value, optionsArg(options) as SendOptions<K>);
      const group = new DeliveryGroup(topic, 1, resolve, reject);
      outgoing.group = group;
      this.#enqueue(outgoing);
    }).then((results) => results[0]);
  }

  /** Sends many records to one topic with one native call; resolves when all are acknowledged. */
  sendBatch(topic: string, records: Array<ProducerRecord<K, V>>): Promise<RecordMetadata[]> {
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      this.#checkTopic(topic);
      if (!Array.isArray(records)) throw new TypeError(`records must be an array, got ${typeName(records)}`);
      this.#checkOpen();
      if (records.length === 0) {
        resolve([]);
        return;
      }
      // Serialize everything first: a bad record rejects the batch before any of it is sent.
      // A for loop, not map: map skips the holes of a sparse array, which then never settled.
      const outgoing = new Array<Outgoing>(records.length);
      for (let i = 0; i < records.length; i++) {
        const r: unknown = records[i];
        const record = plainObjectArg(r, `records[${i}]`) as unknown as ProducerRecord<K, V>;
        outgoing[i] = this.#serialize(topic, record.value, record);
      }
      const group = new DeliveryGroup(topic, outgoing.length, resolve, reject);
      outgoing.forEach((o, i) => {
        o.group = group;
        o.index = i;
        this.#enqueue(o);
      });
    });
  }

  /** Waits until every record sent so far is acknowledged or failed. Rejects with _TIMED_OUT. */
  async flush(timeoutMs?: number): Promise<void> {
    await this.#flush(timeoutArg(timeoutMs, 'timeoutMs', -1, true));
  }

  async #flush(timeoutMs: number): Promise<void> {
    const deadline = timeoutMs >= 0 ? Date.now() + timeoutMs : Infinity;
    await this.#handOver(timeoutMs);
    await this.#native.flush(deadline === Infinity ? -1 : Math.max(0, deadline - Date.now()));
  }

  /**
   * Hands every record held in JS (by a full local queue, or waiting for a partition count) to
   * librdkafka, flushing meanwhile so room frees up.
   */
  async #handOver(timeoutMs: number): Promise<void> {
    const deadline = timeoutMs >= 0 ? Date.now() + timeoutMs : Infinity;
    this.#produceOutbox();
    while (this.#outbox.length > 0) {
      if (Date.now() >= deadline) throw kafkaError('_TIMED_OUT', 'timed out with records still queued');
      if (this.#queueFull) {
        const wait = deadline === Infinity ? 1000 : Math.min(1000, Math.max(0, deadline - Date.now()));
        await this.#native.flush(wait).catch(() => undefined);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      this.#produceOutbox();
    }
  }

  /** Partition ids of `topic`, from cluster metadata. */
  async partitionsFor(topic: string, timeoutMs?: number): Promise<number[]> {
    topicArg(topic, 'topic');
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', 30_000);
    this.#checkOpen();
    const md = await this.#auth.guard(this.#native.metadata(topic, timeout));
    const t = md.topics.find((x) => x.name === topic);
    if (!t || t.error !== 'NO_ERROR') {
      throw kafkaError(t?.error ?? 'UNKNOWN_TOPIC_OR_PART', `no metadata for topic '${topic}'`);
    }
    return t.partitions.map((p) => p.partition).sort((a, b) => a - b);
  }

  /** Registers `transactionalId` with the cluster (fencing older instances); call once before transactions. */
  async initTransactions(timeoutMs?: number): Promise<void> {
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', 60_000);
    this.#checkOpen();
    if (!this.#options.transactionalId) {
      throw kafkaError('_NOT_CONFIGURED', 'initTransactions() needs the transactionalId option');
    }
    await this.#native.initTransactions(timeout);
  }

  /** Starts a transaction: records sent until commit/abort belong to it. Synchronous, like librdkafka. */
  beginTransaction(): void {
    this.#checkOpen();
    this.#native.beginTransaction();
  }

  /** Adds the consumer's offsets to the transaction: they commit (or not) with the records. */
  // timeoutMs -1 (the default) is librdkafka's "the rest of transaction.timeout.ms": bounded.
  async sendOffsetsToTransaction(
    offsets: TopicPartitionOffset[],
    consumer: KafkaConsumer<unknown, unknown>,
    timeoutMs?: number,
  ): Promise<void> {
    this.#checkOpen();
    const cols = topicPartitionsArg(offsets, 'offsets', 'absolute', { offsetRequired: true });
    const native = nativeConsumerOf(consumer);
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', -1, true);
    await this.#native.sendOffsetsToTransaction(cols.topics, cols.partitions, cols.offsets, native, timeout);
  }

  /** Flushes the transaction's records and commits it. On an abortable error, call abortTransaction(). */
  async commitTransaction(timeoutMs?: number): Promise<void> {
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', -1, true);
    this.#checkOpen();
    // Records still held in JS must reach librdkafka before the commit marker is written.
    await this.#handOver(timeout);
    await this.#native.commitTransaction(timeout);
  }

  /** Aborts the transaction: its records are never visible to read_committed consumers. */
  async abortTransaction(timeoutMs?: number): Promise<void> {
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', -1, true);
    this.#checkOpen();
    const error = kafkaError('_PURGE_QUEUE', 'transaction aborted before the record was sent');
    for (const o of this.#outbox.splice(0)) o.group.settle(o.index, error, -1, -1, -1);
    this.#updateRef();
    await this.#native.abortTransaction(timeout);
  }

  /**
   * Flushes (up to `timeoutMs`, default: until every record is acknowledged or timed out), then destroys
   * the client. Records still undelivered after the timeout reject with _DESTROY. Idempotent.
   */
  close(timeoutMs?: number): Promise<void> {
    let timeout: number;
    try {
      timeout = timeoutArg(timeoutMs, 'timeoutMs', -1, true);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    untrackUnclosed(this);
    this.#closing ??= this.#close(timeout);
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #close(timeoutMs: number): Promise<void> {
    try {
      await this.#flush(timeoutMs);
    } catch {
      // A timed-out flush still closes; what is left is rejected below.
    }
    await this.#native.close();
    clearTimeout(this.#retryTimer);
    const error = destroyedError('KafkaProducer');
    for (const o of this.#outbox.splice(0)) o.group.settle(o.index, error, -1, -1, -1);
    for (const f of this.#inFlight.takeAll()) f.group.settle(f.index, error, -1, -1, -1);
    this.#updateRef();
  }

  #checkOpen(): void {
    if (this.#closing) throw destroyedError('KafkaProducer');
    if (this.#fatal) throw this.#fatal;
    const auth = this.#auth.error;
    if (auth) throw auth;
  }

  /**
   * Nothing queued can reach a broker that refuses us: fail it now (purged records report _PURGE_QUEUE,
   * given the failure's code below) instead of after deliveryTimeoutMs.
   */
  #onAuthFailure(error: KafkaError): void {
    this.#auth.trip(error);
    if (!this.#closing) this.#native.purgeQueued();
  }

  #deliveryError(errno: number): KafkaError {
    const error = errorFromErrno(errno);
    return error.code === '_PURGE_QUEUE' ? (this.#auth.error ?? error) : error;
  }

  /** Kafka's own topic name rules, checked locally so a bad name fails at once instead of at a timeout. */
  #checkTopic(topic: string): void {
    if (this.#validTopics.has(topic)) return;
    topicArg(topic, 'topic');
    if (this.#validTopics.size < 10_000) this.#validTopics.add(topic);
  }

  #serialize(topic: string, value: Payload<V> | null, options: SendOptions<K>): Outgoing {
    const { keySerializer, valueSerializer } = this.#options;
    let valueBytes: Buffer | null;
    let keyBytes: Buffer | null = null;
    try {
      valueBytes = toBytes(
        valueSerializer && value !== null && value !== undefined ? valueSerializer(value as V, topic) : value,
        'value',
        valueSerializer ? ' from valueSerializer' : ' (configure valueSerializer for other types)',
      );
    } catch (err) {
      if (err instanceof TypeError && !valueSerializer) throw err;
      throw kafkaError('_VALUE_SERIALIZATION', `valueSerializer failed for topic '${topic}'`, { cause: err });
    }
    const key = options.key;
    if (key !== undefined && key !== null) {
      try {
        keyBytes = toBytes(
          keySerializer ? keySerializer(key as K, topic) : key,
          'key',
          keySerializer ? ' from keySerializer' : ' (configure keySerializer for other types)',
        );
      } catch (err) {
        if (err instanceof TypeError && !keySerializer) throw err;
        throw kafkaError('_KEY_SERIALIZATION', `keySerializer failed for topic '${topic}'`, { cause: err });
      }
    }
    let partition = -1;
    if (options.partition !== undefined) {
      if (typeof options.partition !== 'number')
        throw new TypeError(`partition must be a number, got ${show(options.partition)}`);
      if (!Number.isInteger(options.partition) || options.partition < 0 || options.partition > 0x7fffffff) {
        throw new RangeError(`partition must be an integer in [0, 2147483647], got ${show(options.partition)}`);
      }
      partition = options.partition;
    }
    let timestamp = 0;
    if (options.timestamp !== undefined) {
      if (typeof options.timestamp !== 'number') {
        throw new TypeError(
          `timestamp must be a number of milliseconds since the epoch, got ${show(options.timestamp)}`,
        );
      }
      if (!Number.isInteger(options.timestamp) || options.timestamp < 0) {
        throw new RangeError(
          `timestamp must be a non-negative integer (ms since the epoch), got ${show(options.timestamp)}`,
        );
      }
      timestamp = options.timestamp;
    }
    return {
      value: valueBytes,
      key: keyBytes,
      partition,
      timestamp,
      headers: options.headers === undefined ? null : flattenHeaders(options.headers),
      group: undefined as unknown as DeliveryGroup,
      index: 0,
    };
  }

  #enqueue(outgoing: Outgoing): void {
    this.#outbox.push(outgoing);
    if (!this.#scheduled) {
      this.#scheduled = true;
      // Coalesce every send of this tick into one native call.
      queueMicrotask(() => {
        this.#scheduled = false;
        this.#produceOutbox();
      });
    }
    this.#updateRef();
  }

  /** Hands the outbox to librdkafka: one native call per run of records for the same topic. */
  #produceOutbox(): void {
    const outbox = this.#outbox;
    let start = 0;
    while (start < outbox.length) {
      const topic = outbox[start].group.topic;
      let end = start + 1;
      while (end < outbox.length && outbox[end].group.topic === topic) end++;
      if (this.#jsPartitioner) {
        // Partition counts pending: keep this run and everything after it, in order.
        if (!this.#applyPartitioner(topic, outbox, start, end)) break;
        end = this.#dropFailed(outbox, start, end);
        if (end === start) continue;
      }
      const taken = this.#produceRun(topic, outbox, start, end);
      const runLength = end - start;
      start += taken;
      if (taken < runLength) {
        // librdkafka's queue is full: keep the rest, in order, until deliveries make room.
        this.#queueFull = true;
        this.#retryTimer ??= setTimeout(() => {
          this.#retryTimer = undefined;
          this.#produceOutbox();
        }, 50);
        break;
      }
    }
    outbox.splice(0, start);
    if (outbox.length === 0) this.#queueFull = false;
    this.#updateRef();
  }

  /**
   * Sets a partition on every record of the run that has none, with the JS partitioner. Returns false
   * (and starts a metadata request) while the topic's partition count is unknown. Records whose
   * partitioner call fails are settled and marked with partition -2.
   */
  #applyPartitioner(topic: string, outbox: Outgoing[], start: number, end: number): boolean {
    const partitioner = this.#jsPartitioner!;
    const cached = this.#partitionCounts.get(topic);
    if (!cached || Date.now() - cached.at > 300_000) this.#refreshPartitionCount(topic);
    if (!cached) return false;
    for (let i = start; i < end; i++) {
      const o = outbox[i];
      if (o.partition >= 0) continue;
      let p: number | undefined;
      let cause: unknown;
      try {
        p = partitioner(o.key, cached.count, topic);
      } catch (err) {
        cause = err;
      }
      if (p !== undefined && Number.isInteger(p) && p >= 0 && p < cached.count) {
        o.partition = p;
        continue;
      }
      const message =
        cause === undefined
          ? `partitioner returned ${String(p)} for topic '${topic}' with ${cached.count} partitions`
          : `partitioner threw for topic '${topic}'`;
      o.group.settle(o.index, kafkaError('_PARTITIONER', message, { cause }), -1, -1, -1);
      o.partition = -2;
    }
    return true;
  }

  /** Removes records marked failed (partition -2) from [start, end); returns the new end. */
  #dropFailed(outbox: Outgoing[], start: number, end: number): number {
    let w = start;
    for (let r = start; r < end; r++) if (outbox[r].partition !== -2) outbox[w++] = outbox[r];
    if (w < end) outbox.splice(w, end - w);
    return w;
  }

  #refreshPartitionCount(topic: string): void {
    // Also while closing: close() flushes, and these records wait for the count (bounded by deliveryTimeoutMs).
    if (this.#countsInFlight.has(topic)) return;
    this.#countsInFlight.add(topic);
    const deadline = Date.now() + (this.#options.deliveryTimeoutMs ?? 300_000);
    const fetchCount = async (): Promise<number> => {
      for (;;) {
        const md = await this.#native.metadata(topic, Math.max(0, Math.min(5000, deadline - Date.now())));
        const t = md.topics.find((x) => x.name === topic);
        if (t && t.error === 'NO_ERROR' && t.partitions.length > 0) return t.partitions.length;
        // A topic being auto-created reports these briefly.
        const retriable = !t || ['LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PART', 'NO_ERROR'].includes(t.error);
        if (!retriable || Date.now() > deadline) {
          throw kafkaError(t?.error ?? 'UNKNOWN_TOPIC_OR_PART', `no partition count for topic '${topic}'`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    fetchCount()
      .then(
        (count) => void this.#partitionCounts.set(topic, { count, at: Date.now() }),
        (err: unknown) => {
          if (this.#partitionCounts.has(topic)) return; // keep using the stale count
          const error = err instanceof KafkaError ? err : kafkaError('_FAIL', String(err), { cause: err });
          // Compacted in place: re-inserting the kept records as call arguments (a spread) overflowed
          // V8's argument limit with a large outbox.
          const outbox = this.#outbox;
          let w = 0;
          for (const o of outbox) {
            if (o.group.topic === topic) o.group.settle(o.index, error, -1, -1, -1);
            else outbox[w++] = o;
          }
          outbox.length = w;
        },
      )
      .finally(() => {
        this.#countsInFlight.delete(topic);
        if (!this.#closing) this.#produceOutbox();
      });
  }

  #produceRun(topic: string, outbox: Outgoing[], start: number, end: number): number {
    const n = end - start;
    const values = new Array<Buffer | null>(n);
    let keys: Array<Buffer | null> | null = null;
    let partitions: Int32Array | null = null;
    let timestamps: Float64Array | null = null;
    let headers: Array<Array<string | Buffer | null> | null> | null = null;
    for (let i = 0; i < n; i++) {
      const o = outbox[start + i];
      values[i] = o.value;
      if (o.key !== null) (keys ??= new Array<Buffer | null>(n).fill(null))[i] = o.key;
      if (o.partition >= 0) (partitions ??= new Int32Array(n).fill(-1))[i] = o.partition;
      if (o.timestamp > 0) (timestamps ??= new Float64Array(n))[i] = o.timestamp;
      if (o.headers !== null)
        (headers ??= new Array<Array<string | Buffer | null> | null>(n).fill(null))[i] = o.headers;
    }
    const firstId = this.#nextId;
    const errors = new Int32Array(n);
    let taken: number;
    try {
      taken = this.#native.produce(topic, values, keys, partitions, timestamps, headers, firstId, errors);
    } catch (err) {
      // The whole run failed before librdkafka took any of it (e.g. an invalid topic name).
      const error = err instanceof KafkaError ? err : kafkaError('_INVALID_ARG', String(err), { cause: err });
      for (let i = 0; i < n; i++) outbox[start + i].group.settle(outbox[start + i].index, error, -1, -1, -1);
      return n;
    }
    this.#nextId += taken;
    const run = outbox.slice(start, start + taken) as Array<Outgoing | undefined>;
    for (let i = 0; i < taken; i++) {
      if (errors[i] === 0) continue;
      const o = run[i]!;
      run[i] = undefined;
      o.group.settle(o.index, errorFromErrno(errors[i]), -1, -1, -1);
    }
    this.#inFlight.add(firstId, run);
    return taken;
  }

  /**
   * Wake-up from librdkafka: settles ready delivery reports, DRAIN_CAP at a time. Settling runs the
   * application's continuations (which usually send more), so once this turn's budget is spent the rest
   * waits for the next event-loop turn: timers and I/O keep running under full load.
   */
  #drain(): void {
    const native = this.#native;
    for (;;) {
      const r = native.poll(DRAIN_CAP);
      const { ids, errors, partitions, offsets, timestamps } = r;
      for (let i = 0; i < r.count; i++) {
        const id = ids[i];
        const f = this.#inFlight.take(id);
        if (!f) continue;
        const err = errors[i];
        f.group.settle(
          f.index,
          err === 0 ? undefined : this.#deliveryError(err),
          partitions[i],
          offsets[i],
          timestamps[i],
        );
        if (err === 0) this.#auth.clear();
      }
      if (r.events.length > 0) {
        dispatchEvents(r.events, {
          logger: this.#options.logger,
          onStats: this.#options.onStats,
          onFatal: (error) => this.#onFatal(error),
          onTokenRefresh: this.#tokenRefresh,
          onAuthFailure: (error) => this.#onAuthFailure(error),
        });
      }
      if (!r.more) break;
      // librdkafka signals only when its queue turns non-empty: the rest is ours to come back for.
      if (this.#turns.overdue()) {
        this.#turns.later(() => this.#drain());
        break;
      }
    }
    if (this.#queueFull) this.#produceOutbox();
    this.#updateRef();
  }

  #onFatal(error: Error): void {
    this.#fatal = error instanceof KafkaError ? error : kafkaError('_FATAL', error.message);
    const { logger } = this.#options;
    logger?.error?.(`fatal producer error: ${error.message}`);
  }

  /** The event loop stays alive exactly while records are queued or in flight. */
  #updateRef(): void {
    const busy = this.#outbox.length > 0 || this.#inFlight.size > 0;
    if (busy && !this.#reffed) {
      this.#native.ref();
      this.#reffed = true;
    } else if (!busy && this.#reffed) {
      this.#native.unref();
      this.#reffed = false;
    }
  }
}

/** Headers as the flat [name, value, ...] list native takes; null is a null header value. */
function flattenHeaders(headers: unknown): Array<string | Buffer | null> {
  let entries: unknown[];
  if (Array.isArray(headers)) entries = headers;
  else if (isPlainObject(headers)) entries = Object.entries(headers);
  else
    throw new TypeError(`headers must be a plain object or an array of [name, value] pairs, got ${typeName(headers)}`);
  const flat: Array<string | Buffer | null> = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') {
      throw new TypeError(`headers[${i}] must be a [name, value] pair with a string name`);
    }
    const [name, value] = entry as [string, unknown];
    let bytes: Buffer | null;
    if (value === null || value === undefined) bytes = null;
    else if (Buffer.isBuffer(value)) bytes = value;
    else if (typeof value === 'string') bytes = Buffer.from(value, 'utf8');
    else if (value instanceof Uint8Array) bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    else throw new TypeError(`header '${name}' must be a string, Buffer or null, got ${typeName(value)}`);
    flat.push(name, bytes);
  }
  return flat;
}
