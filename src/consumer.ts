/**
 * KafkaConsumer: iterate it (`for await`), or `poll()` / `batches()` for arrays; `commit()` like
 * kafka-python.
 *
 * Data path: librdkafka fetches in its own threads into its queue (bounded by queued.max.messages.kbytes:
 * that is the backpressure). Only when the application asks for records does the JS thread drain up to
 * maxPollRecords of them with ONE non-blocking native call, as one slab + typed arrays; records are
 * decoded from it one by one as they are handed out. An empty queue parks the request until librdkafka's
 * queue event wakes the JS thread.
 *
 * Offsets: a record counts as consumed once the application comes back for more (or commits/closes)
 * after receiving it. Only consumed records are stored for commit, so auto-commit never commits a record
 * the application has not finished with.
 */
import { dispatchEvents } from './client-events';
import { COMMON_OPTIONS, isBoolean, isFunction, isInteger, oneOf, toRdkafka, type OptionTable } from './config';
import { RecordBatch, type RawRecord } from './consumer-batch';
import { destroyedError, errorFromErrno, kafkaError, KafkaError } from './errors';
import { trackUnclosed, untrackUnclosed } from './lifecycle';
import { addon, type NativeConfig, type NativeConsumer } from './native';
import type { Deserializer } from './serde';
import { fromColumns, toColumns } from './topic-partitions';
import type { CommonOptions, ConsumerRecord, TopicPartition, TopicPartitionOffset } from './types';

export type AutoOffsetReset = 'earliest' | 'latest' | 'error';
export type AssignmentStrategy = 'range' | 'roundrobin' | 'cooperative-sticky';

export interface ConsumerOptions<K = Buffer, V = Buffer> extends CommonOptions {
  /** Consumer group. Without one, a private group is generated and commits are disabled. */
  groupId?: string;
  /** Default 'latest'. */
  autoOffsetReset?: AutoOffsetReset;
  /** Default true. */
  enableAutoCommit?: boolean;
  autoCommitIntervalMs?: number;
  /** Cap per poll()/batch and per native drain. Default 500. */
  maxPollRecords?: number;
  keyDeserializer?: Deserializer<K>;
  valueDeserializer?: Deserializer<V>;
  isolationLevel?: 'read_committed' | 'read_uncommitted';
  groupProtocol?: 'classic' | 'consumer';
  partitionAssignmentStrategy?: AssignmentStrategy | AssignmentStrategy[];
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxPollIntervalMs?: number;
  fetchMinBytes?: number;
  fetchMaxBytes?: number;
  fetchMaxWaitMs?: number;
  maxPartitionFetchBytes?: number;
}

export interface PollOptions {
  /** How long to wait for records when none are ready. Default 1000 ms; 0 returns at once. */
  timeoutMs?: number;
  /** Default: maxPollRecords. */
  maxRecords?: number;
}

const STRATEGIES: AssignmentStrategy[] = ['range', 'roundrobin', 'cooperative-sticky'];

const CONSUMER_OPTIONS: OptionTable = {
  ...COMMON_OPTIONS,
  groupId: { property: 'group.id', check: (v, n) => isNonEmpty(v, n) },
  autoOffsetReset: { property: 'auto.offset.reset', check: oneOf(['earliest', 'latest', 'error']) },
  enableAutoCommit: { property: 'enable.auto.commit', check: isBoolean },
  autoCommitIntervalMs: { property: 'auto.commit.interval.ms', check: isInteger(0, 86_400_000) },
  maxPollRecords: { check: isInteger(1, 1_000_000) },
  keyDeserializer: { check: isFunction },
  valueDeserializer: { check: isFunction },
  isolationLevel: { property: 'isolation.level', check: oneOf(['read_committed', 'read_uncommitted']) },
  groupProtocol: { property: 'group.protocol', check: oneOf(['classic', 'consumer']) },
  partitionAssignmentStrategy: {
    property: 'partition.assignment.strategy',
    check: (value, name) => {
      const list = Array.isArray(value) ? value : [value];
      if (list.length === 0) throw new TypeError(`option '${name}' must not be empty`);
      for (const v of list) oneOf(STRATEGIES)(v, name);
    },
    map: (v: AssignmentStrategy | AssignmentStrategy[]) => (Array.isArray(v) ? v.join(',') : v),
  },
  sessionTimeoutMs: { property: 'session.timeout.ms', check: isInteger(1, 3_600_000) },
  heartbeatIntervalMs: { property: 'heartbeat.interval.ms', check: isInteger(1, 3_600_000) },
  maxPollIntervalMs: { property: 'max.poll.interval.ms', check: isInteger(1, 86_400_000) },
  fetchMinBytes: { property: 'fetch.min.bytes', check: isInteger(1, 100_000_000) },
  fetchMaxBytes: { property: 'fetch.max.bytes', check: isInteger(0, 2_147_483_135) },
  fetchMaxWaitMs: { property: 'fetch.wait.max.ms', check: isInteger(0, 300_000) },
  maxPartitionFetchBytes: { property: 'max.partition.fetch.bytes', check: isInteger(1, 1_000_000_000) },
};

function isNonEmpty(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`option '${name}' must be a non-empty string`);
}

/** librdkafka properties for consumer options (exported for tests and tools). */
export function consumerConfig(options: ConsumerOptions<unknown, unknown>): NativeConfig {
  const config = toRdkafka('KafkaConsumer', options, CONSUMER_OPTIONS, {
    'auto.offset.reset': 'latest',
    'enable.auto.commit': true,
    'enable.partition.eof': false,
  });
  if (options.groupId === undefined && options.rdkafka?.['group.id'] === undefined) {
    // librdkafka needs a group even for assign(); a private one never collides and never commits.
    config['group.id'] = `kafka-napi-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    config['enable.auto.commit'] = false;
  }
  // Offsets are stored by the JS layer only for records the application has consumed.
  config['enable.auto.offset.store'] = false;
  return config;
}

interface Waiter {
  maxRecords: number;
  resolve: (records: ConsumerRecord<unknown, unknown>[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/** Client events handled per wake-up before yielding to the event loop. */
const EVENTS_PER_WAKE = 10_000;

/** Errors delivered in place of messages that do not stop consumption: they are logged. */
const TRANSIENT_CONSUMER_ERRORS = new Set([
  'UNKNOWN_TOPIC_OR_PART',
  '_PARTITION_EOF',
  '_TRANSPORT',
  '_ALL_BROKERS_DOWN',
]);

/** Native handles of consumers, for KafkaProducer.sendOffsetsToTransaction (not public API). */
const natives = new WeakMap<object, NativeConsumer>();

export function nativeConsumerOf(consumer: unknown): NativeConsumer {
  const native = typeof consumer === 'object' && consumer !== null ? natives.get(consumer) : undefined;
  if (!native) throw new TypeError('consumer must be a KafkaConsumer');
  return native;
}

/** Partition key for position bookkeeping. */
function tpKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

export class KafkaConsumer<K = Buffer, V = Buffer> implements AsyncIterable<ConsumerRecord<K, V>> {
  readonly #native: NativeConsumer;
  readonly #options: ConsumerOptions<K, V>;
  readonly #maxPollRecords: number;
  readonly #ownGroup: boolean;
  #batch: RecordBatch | undefined;
  #pendingError: Error | undefined;
  readonly #waiters: Waiter[] = [];
  /** Records handed out by the latest call: consumed once the application calls again. */
  #lastHanded: Array<{ topic: string; partition: number; offset: number }> = [];
  /** Next offset per partition of consumed records, not yet given to librdkafka's offset store. */
  readonly #consumed = new Map<string, TopicPartitionOffset>();
  #subscription: string[] = [];
  #reffed = false;
  #closing: Promise<void> | undefined;
  // Native holds this callback weakly (so an abandoned client can be collected): we hold it strongly.
  readonly #wake = (): void => this.#onWake();

  constructor(topics: string | string[] | RegExp | undefined, options: ConsumerOptions<K, V>) {
    const config = consumerConfig(options as ConsumerOptions<unknown, unknown>);
    this.#options = options;
    this.#maxPollRecords = options.maxPollRecords ?? 500;
    this.#ownGroup = config['group.id'] !== options.groupId && options.rdkafka?.['group.id'] === undefined;
    const subscription = topics === undefined ? [] : normalizeTopics(topics);
    this.#native = new addon.Consumer(config, this.#wake);
    natives.set(this, this.#native);
    trackUnclosed(this, 'KafkaConsumer');
    if (subscription.length > 0) this.subscribe(subscription);
  }

  /** Replaces the subscription. Strings are topic names; a RegExp subscribes by pattern. */
  subscribe(topics: string | string[] | RegExp): void {
    this.#checkOpen();
    const list = normalizeTopics(topics);
    this.#native.subscribe(list);
    this.#subscription = list;
  }

  unsubscribe(): void {
    this.#checkOpen();
    this.#native.unsubscribe();
    this.#subscription = [];
  }

  subscription(): string[] {
    return [...this.#subscription];
  }

  /** Manual assignment (no group rebalancing). Offsets default to the committed / reset position. */
  assign(partitions: Array<TopicPartition & { offset?: number }>): void {
    this.#checkOpen();
    if (!Array.isArray(partitions)) throw new TypeError('partitions must be an array of { topic, partition }');
    const cols = toColumns(partitions);
    this.#native.assign(cols.topics, cols.partitions, cols.offsets);
  }

  unassign(): void {
    this.#checkOpen();
    this.#native.assign(null);
  }

  assignment(): TopicPartition[] {
    this.#checkOpen();
    const a = this.#native.assignment();
    return a.topics.map((topic, i) => ({ topic, partition: a.partitions[i] }));
  }

  /** Up to `maxRecords` records; waits up to `timeoutMs` when none are ready. */
  poll(options: PollOptions = {}): Promise<Array<ConsumerRecord<K, V>>> {
    if (typeof options !== 'object' || options === null)
      return Promise.reject(new TypeError('options must be an object'));
    const timeoutMs = options.timeoutMs ?? 1000;
    const maxRecords = options.maxRecords ?? this.#maxPollRecords;
    if (typeof timeoutMs !== 'number' || !(timeoutMs >= 0)) {
      return Promise.reject(new TypeError('timeoutMs must be a non-negative number'));
    }
    if (!Number.isInteger(maxRecords) || maxRecords < 1) {
      return Promise.reject(new TypeError('maxRecords must be a positive integer'));
    }
    return this.#request(maxRecords, timeoutMs);
  }

  /** Arrays of records as they arrive (each at most maxRecords). Breaking out does not close. */
  async *batches(
    options: { maxRecords?: number; timeoutMs?: number } = {},
  ): AsyncGenerator<Array<ConsumerRecord<K, V>>> {
    const maxRecords = options.maxRecords ?? this.#maxPollRecords;
    for (;;) {
      let records: Array<ConsumerRecord<K, V>>;
      try {
        records = await this.#request(maxRecords, options.timeoutMs ?? Infinity);
      } catch (err) {
        if (this.#closing && err instanceof KafkaError && err.code === '_DESTROY') return;
        throw err;
      }
      if (records.length > 0) yield records;
    }
  }

  /** One record at a time. Ends when the consumer is closed; `break` leaves the consumer open. */
  [Symbol.asyncIterator](): AsyncIterator<ConsumerRecord<K, V>> {
    return {
      next: async (): Promise<IteratorResult<ConsumerRecord<K, V>>> => {
        try {
          const records = await this.#request(1, Infinity);
          return { value: records[0], done: false };
        } catch (err) {
          if (this.#closing && err instanceof KafkaError && err.code === '_DESTROY') {
            return { value: undefined, done: true };
          }
          throw err;
        }
      },
      return: async (): Promise<IteratorResult<ConsumerRecord<K, V>>> => ({ value: undefined, done: true }),
    };
  }

  /**
   * Commits and resolves once the broker acknowledged it.
   * - no argument: every record handed to the application so far;
   * - a record: that record (its offset + 1);
   * - offsets: exactly these (Kafka's "next offset to read").
   */
  async commit(offsets?: TopicPartitionOffset[] | ConsumerRecord<K, V>): Promise<void> {
    this.#checkOpen();
    if (this.#ownGroup) throw kafkaError('_INVALID_ARG', 'commit() needs a groupId');
    if (offsets === undefined) {
      this.#markConsumed();
      this.#storeConsumed();
      await this.#native.commit(null);
      return;
    }
    let list: TopicPartitionOffset[];
    if (Array.isArray(offsets)) list = offsets;
    else if (typeof offsets === 'object' && offsets !== null && 'offset' in offsets && 'value' in offsets) {
      list = [{ topic: offsets.topic, partition: offsets.partition, offset: offsets.offset + 1 }];
    } else throw new TypeError('commit() takes nothing, a ConsumerRecord, or an array of { topic, partition, offset }');
    if (list.length === 0) return;
    const cols = toColumns(list);
    await this.#native.commit(cols.topics, cols.partitions, cols.offsets);
  }

  /** Committed offsets of the group for `partitions` (-1001 = none committed). */
  async committed(partitions: TopicPartition[], timeoutMs = 10_000): Promise<TopicPartitionOffset[]> {
    this.#checkOpen();
    if (!Array.isArray(partitions)) throw new TypeError('partitions must be an array of { topic, partition }');
    const cols = toColumns(partitions);
    return fromColumns(await this.#native.committed(cols.topics, cols.partitions, timeoutMs));
  }

  /**
   * Commits consumed records (when auto-commit is on), leaves the group and destroys the client.
   * Pending polls reject with _DESTROY; iterators end. Idempotent.
   */
  close(): Promise<void> {
    untrackUnclosed(this);
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  async #close(): Promise<void> {
    try {
      this.#markConsumed();
      this.#storeConsumed();
    } catch {
      // The group may already be gone; closing goes on.
    }
    const error = destroyedError('KafkaConsumer');
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.#updateRef();
    await this.#native.close();
  }

  #checkOpen(): void {
    if (this.#closing) throw destroyedError('KafkaConsumer');
  }

  #request(maxRecords: number, timeoutMs: number): Promise<Array<ConsumerRecord<K, V>>> {
    return new Promise((resolve, reject) => {
      this.#checkOpen();
      this.#markConsumed();
      // Earlier requests are served first.
      if (this.#waiters.length === 0) {
        const records = this.#take(maxRecords);
        if (records.length > 0 || timeoutMs === 0) {
          resolve(records);
          return;
        }
      }
      const waiter: Waiter = {
        maxRecords,
        resolve: resolve as Waiter['resolve'],
        reject,
        timer: undefined,
      };
      if (timeoutMs !== Infinity) {
        waiter.timer = setTimeout(() => {
          const i = this.#waiters.indexOf(waiter);
          if (i >= 0) this.#waiters.splice(i, 1);
          this.#updateRef();
          resolve([]);
        }, timeoutMs);
      }
      this.#waiters.push(waiter);
      this.#updateRef();
    });
  }

  /** Takes up to `max` records from the current batch, draining a new native batch when it runs out. */
  #take(max: number): Array<ConsumerRecord<K, V>> {
    if (this.#pendingError) {
      const error = this.#pendingError;
      this.#pendingError = undefined;
      throw error;
    }
    const out: Array<ConsumerRecord<K, V>> = [];
    while (out.length < max) {
      if (!this.#batch || this.#batch.remaining === 0) {
        this.#batch = undefined;
        // Offsets go to librdkafka's store once per drained batch, not per record.
        this.#storeConsumed();
        const native = this.#native.consume(this.#maxPollRecords);
        if (!native) break;
        this.#batch = new RecordBatch(native);
      }
      const raw = this.#batch.shift();
      if (raw.errno !== 0) {
        const error = this.#recordError(raw);
        if (!error) continue;
        if (out.length === 0) throw error;
        this.#pendingError = error;
        break;
      }
      let record: ConsumerRecord<K, V>;
      try {
        record = this.#deserialize(raw);
      } catch (error) {
        if (out.length === 0) throw error;
        this.#pendingError = error as Error;
        break;
      }
      out.push(record);
    }
    for (const r of out) this.#lastHanded.push(r);
    return out;
  }

  #recordError(raw: RawRecord): KafkaError | undefined {
    const message = raw.value ? raw.value.toString('utf8') : undefined;
    const error = errorFromErrno(raw.errno, message);
    if (raw.topic) error.topic = raw.topic;
    if (raw.partition >= 0) error.partition = raw.partition;
    if (TRANSIENT_CONSUMER_ERRORS.has(error.code)) {
      const logger = this.#options.logger;
      (logger ? logger.warn?.bind(logger) : (m: string) => console.warn(`kafka-napi: ${m}`))?.(error.message, {
        code: error.code,
        topic: raw.topic,
      });
      return undefined;
    }
    return error;
  }

  #deserialize(raw: RawRecord): ConsumerRecord<K, V> {
    const { keyDeserializer, valueDeserializer } = this.#options;
    const record = raw as unknown as ConsumerRecord<K, V> & { errno?: number };
    delete record.errno;
    if (keyDeserializer) {
      try {
        record.key = keyDeserializer(raw.key, raw.topic);
      } catch (err) {
        throw recordFailure('_KEY_DESERIALIZATION', raw, err);
      }
    }
    if (valueDeserializer) {
      try {
        record.value = valueDeserializer(raw.value, raw.topic);
      } catch (err) {
        throw recordFailure('_VALUE_DESERIALIZATION', raw, err);
      }
    }
    return record;
  }

  /** Records handed out by the previous call are now consumed. */
  #markConsumed(): void {
    const handed = this.#lastHanded;
    if (handed.length === 0) return;
    for (const r of handed) {
      const key = tpKey(r.topic, r.partition);
      const entry = this.#consumed.get(key);
      if (entry) entry.offset = Math.max(entry.offset, r.offset + 1);
      else this.#consumed.set(key, { topic: r.topic, partition: r.partition, offset: r.offset + 1 });
    }
    this.#lastHanded = [];
  }

  #storeConsumed(): void {
    if (this.#consumed.size === 0 || this.#ownGroup) {
      this.#consumed.clear();
      return;
    }
    const cols = toColumns([...this.#consumed.values()]);
    this.#consumed.clear();
    this.#native.storeOffsets(cols.topics, cols.partitions, cols.offsets);
  }

  #onWake(): void {
    if (this.#closing) return;
    const events = this.#native.pollEvents(EVENTS_PER_WAKE);
    if (events.length > 0) {
      dispatchEvents(events, { logger: this.#options.logger, onStats: this.#options.onStats });
    }
    // librdkafka signals a queue only when it turns non-empty: come back for the rest ourselves.
    if (events.length >= EVENTS_PER_WAKE) setImmediate(this.#wake);
    this.#serve();
  }

  /** Hands newly arrived records to parked requests, oldest first. */
  #serve(): void {
    while (this.#waiters.length > 0) {
      const waiter = this.#waiters[0];
      let records: Array<ConsumerRecord<K, V>>;
      try {
        records = this.#take(waiter.maxRecords);
      } catch (err) {
        this.#waiters.shift();
        clearTimeout(waiter.timer);
        waiter.reject(err as Error);
        continue;
      }
      if (records.length === 0) break;
      this.#waiters.shift();
      clearTimeout(waiter.timer);
      waiter.resolve(records as Array<ConsumerRecord<unknown, unknown>>);
    }
    this.#updateRef();
  }

  /** The event loop stays alive while a request waits for records. */
  #updateRef(): void {
    const busy = this.#waiters.length > 0;
    if (busy && !this.#reffed) {
      this.#native.ref();
      this.#reffed = true;
    } else if (!busy && this.#reffed) {
      this.#native.unref();
      this.#reffed = false;
    }
  }
}

function recordFailure(code: string, raw: RawRecord, cause: unknown): KafkaError {
  const error = kafkaError(
    code,
    `${code === '_KEY_DESERIALIZATION' ? 'keyDeserializer' : 'valueDeserializer'} failed for ${raw.topic}[${raw.partition}] at offset ${raw.offset}`,
    { cause },
  );
  error.topic = raw.topic;
  error.partition = raw.partition;
  error.offset = raw.offset;
  return error;
}

function normalizeTopics(topics: string | string[] | RegExp): string[] {
  if (topics instanceof RegExp) {
    // librdkafka treats a subscription starting with '^' as a regex.
    return [topics.source.startsWith('^') ? topics.source : `^${topics.source}`];
  }
  const list = typeof topics === 'string' ? [topics] : topics;
  if (!Array.isArray(list) || list.some((t) => typeof t !== 'string' || t.length === 0)) {
    throw new TypeError('topics must be a non-empty string, an array of strings, or a RegExp');
  }
  return list;
}
