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
import { AuthLatch } from './auth-failure';
import { dispatchEvents, logError } from './client-events';
import { COMMON_OPTIONS, isBoolean, isFunction, isInteger, oneOf, toRdkafka, type OptionTable } from './config';
import { RecordBatch, type RawRecord } from './consumer-batch';
import { destroyedError, errorFromErrno, kafkaError, KafkaError } from './errors';
import { EventLoopTurns } from './event-loop-turns';
import { trackUnclosed, untrackUnclosed } from './lifecycle';
import { addon, type NativeConfig, type NativeConsumer, type NativeRebalance } from './native';
import type { Deserializer } from './serde';
import { fromColumns, toColumns } from './topic-partitions';
import {
  integerArg,
  MAX_PATTERN_LENGTH,
  optionsArg,
  topicArg,
  topicPartitionsArg,
  timeoutArg,
  typeName,
  type Columns,
} from './validate';
import type { CommonOptions, ConsumerRecord, TopicPartition, TopicPartitionOffset } from './types';
import { tokenRefreshHandler } from './oauthbearer';

export type AutoOffsetReset = 'earliest' | 'latest' | 'error';
export type AssignmentStrategy = 'range' | 'roundrobin' | 'cooperative-sticky';

export interface ConsumerOptions<K = Buffer, V = Buffer> extends CommonOptions {
  /** Consumer group. Without one, a private group is generated and commits are disabled. */
  groupId?: string;
  /**
   * Where to start without a committed offset. Default 'latest'. 'error' raises `_AUTO_OFFSET_RESET`
   * instead, and also raises `UNKNOWN_TOPIC_OR_PART` for a subscribed topic that does not exist (other
   * modes log it and wait for the topic to appear, as the Java client does).
   */
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
  /**
   * Called with newly assigned partitions before any of their records is handed out; may be async
   * (records wait for it) and may seek.
   */
  onPartitionsAssigned?: (partitions: TopicPartition[]) => void | Promise<void>;
  /**
   * Called before partitions are taken away (rebalance or close); may be async, and may commit: the
   * rebalance waits for it.
   */
  onPartitionsRevoked?: (partitions: TopicPartition[]) => void | Promise<void>;
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
  onPartitionsAssigned: { check: isFunction },
  onPartitionsRevoked: { check: isFunction },
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
    // librdkafka postpones a partition's next fetch by this much once its queue passes queued.min.messages.
    // Its default (1000 ms) is tuned for C applications that drain faster than the fetcher fills: a
    // consumer that handles records in JS crosses the threshold, backs off a whole second and then sits
    // idle with an empty queue (measured: 133k msg/s at 1000 ms, 397k at 50 ms, same machine and topic).
    // Once the consumer itself got faster, 5 ms beat 50 ms again (2.36M vs 2.2M msg/s, median of 3 runs
    // of 1M records each, assign(), 2,000-record batches); 1 ms was no faster.
    'fetch.queue.backoff.ms': 5,
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

/** librdkafka's logical offsets. */
const OFFSET_BEGINNING = -2;
const OFFSET_END = -1;
/** Commit errors that only mean "the group is rebalancing right now". */
const REBALANCE_COMMIT_ERRORS = new Set(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION']);
const COMMIT_RETRY_MS = 15_000;
/** A commit the broker has not answered by then rejects with _TIMED_OUT (it may still apply). */
const COMMIT_TIMEOUT_MS = 30_000;
/** How long close() serves the group leave (and onPartitionsRevoked) before destroying regardless. */
const CLOSE_TIMEOUT_MS = 10_000;

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
  readonly #tokenRefresh: () => void;
  readonly #auth = new AuthLatch();
  readonly #options: ConsumerOptions<K, V>;
  readonly #maxPollRecords: number;
  readonly #ownGroup: boolean;
  #batch: RecordBatch | undefined;
  #pendingError: Error | undefined;
  readonly #waiters: Waiter[] = [];
  /** Records handed out by the latest call: consumed once the application calls again. */
  readonly #lastHanded: Array<{ topic: string; partition: number; offset: number }> = [];
  /** Next offset per partition of consumed records, not yet given to librdkafka's offset store. */
  readonly #consumed = new Map<string, TopicPartitionOffset>();
  #subscription: string[] = [];
  /** Partitions were assigned by hand (assign()), not by the group. */
  #manual = false;
  #reffed = false;
  #closing: Promise<void> | undefined;
  /** A rebalance whose callbacks are running: no records are handed out meanwhile. */
  #rebalancing: Promise<void> | undefined;
  /** Partitions whose buffered records must be dropped (revoked, sought, paused) until the next drain. */
  readonly #dropBuffered = new Set<string>();
  /** Paused partitions, and the first offset dropped for each: fetching resumes there. */
  readonly #paused = new Map<string, { topic: string; partition: number; resumeAt: number | undefined }>();
  /** Commits sent and not yet answered, by request id. */
  readonly #commits = new Map<number, { resolve: () => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  #nextCommitId = 1;
  /** Resolves the close loop's wait when librdkafka signals. */
  #closeWaiter: (() => void) | undefined;
  // Native holds the wake callback weakly (so an abandoned client can be collected): we hold it strongly.
  readonly #turns = new EventLoopTurns(() => this.#onWake());

  constructor(topics: string | string[] | RegExp | undefined, options: ConsumerOptions<K, V>) {
    const config = consumerConfig(options as ConsumerOptions<unknown, unknown>);
    this.#options = options;
    this.#maxPollRecords = options.maxPollRecords ?? 500;
    this.#ownGroup = config['group.id'] !== options.groupId && options.rdkafka?.['group.id'] === undefined;
    const subscription = topics === undefined ? [] : normalizeTopics(topics, 'topics', true);
    this.#native = new addon.Consumer(config, this.#turns.wake);
    this.#tokenRefresh = tokenRefreshHandler(this.#native, options.sasl, (m) => logError(options.logger, m));
    natives.set(this, this.#native);
    if (subscription.length > 0) {
      try {
        this.#native.subscribe(subscription);
      } catch (err) {
        // The caller never gets this object: release the native client now rather than leaving it to GC.
        void this.#native.close();
        throw err;
      }
      this.#subscription = subscription;
    }
    trackUnclosed(this, 'KafkaConsumer');
  }

  /** Replaces the subscription. Strings are topic names; a RegExp subscribes by pattern. */
  subscribe(topics: string | string[] | RegExp): void {
    this.#checkOpen();
    const list = normalizeTopics(topics, 'topics', false);
    if (this.#manual) throw kafkaError('_STATE', 'subscribe() cannot be mixed with assign(): call unassign() first');
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
    const cols = topicPartitionsArg(partitions, 'partitions', 'logical');
    this.#checkNotSubscribed('assign');
    this.#native.assign(cols.topics, cols.partitions, cols.offsets);
    this.#manual = cols.topics.length > 0;
  }

  unassign(): void {
    this.#checkOpen();
    this.#checkNotSubscribed('unassign');
    this.#native.assign(null);
    this.#manual = false;
  }

  /**
   * Group-managed and manual assignment are exclusive, as in Java and kafka-python: librdkafka aborts the
   * process (assert rktp_started) when assign()/unassign() change a group-managed assignment.
   */
  #checkNotSubscribed(call: string): void {
    if (this.#subscription.length > 0) {
      throw kafkaError('_STATE', `${call}() cannot change a subscription's assignment: call unsubscribe() first`);
    }
  }

  assignment(): TopicPartition[] {
    this.#checkOpen();
    const a = this.#native.assignment();
    return a.topics.map((topic, i) => ({ topic, partition: a.partitions[i] }));
  }

  /** Up to `maxRecords` records; waits up to `timeoutMs` when none are ready. */
  poll(options?: PollOptions): Promise<Array<ConsumerRecord<K, V>>> {
    let timeoutMs: number;
    let maxRecords: number;
    try {
      const opts = optionsArg(options);
      timeoutMs = timeoutArg(opts.timeoutMs, 'timeoutMs', 1000, true);
      maxRecords = this.#maxRecordsArg(opts.maxRecords);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return this.#request(maxRecords, timeoutMs === -1 ? Infinity : timeoutMs);
  }

  /**
   * Arrays of records as they arrive (each at most maxRecords). With `timeoutMs`, the iteration ends once
   * no record arrived for that long (0: as soon as none is ready), like kafka-python's
   * consumer_timeout_ms; by default it waits for ever. Breaking out does not close the consumer.
   */
  batches(options?: { maxRecords?: number; timeoutMs?: number }): AsyncGenerator<Array<ConsumerRecord<K, V>>> {
    const opts = optionsArg(options);
    const maxRecords = this.#maxRecordsArg(opts.maxRecords);
    const timeoutMs = timeoutArg(opts.timeoutMs, 'timeoutMs', -1, true);
    return this.#batches(maxRecords, timeoutMs === -1 ? Infinity : timeoutMs);
  }

  async *#batches(maxRecords: number, idleMs: number): AsyncGenerator<Array<ConsumerRecord<K, V>>> {
    for (;;) {
      let records: Array<ConsumerRecord<K, V>>;
      try {
        records = await this.#request(maxRecords, idleMs);
      } catch (err) {
        if (this.#closing && err instanceof KafkaError && err.code === '_DESTROY') return;
        throw err;
      }
      // #request resolves empty only when idleMs passed without a record.
      if (records.length === 0) return;
      yield records;
    }
  }

  #maxRecordsArg(value: unknown): number {
    return value === undefined ? this.#maxPollRecords : integerArg(value, 'maxRecords', 1, 1_000_000);
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
    // Allowed while close() runs onPartitionsRevoked; the native client rejects once it is destroyed.
    if (this.#closing && !this.#rebalancing) throw destroyedError('KafkaConsumer');
    if (this.#ownGroup) throw kafkaError('_INVALID_ARG', 'commit() needs a groupId');
    if (offsets === undefined) {
      this.#markConsumed();
      this.#storeConsumed();
      await this.#commitRetrying(() => this.#sendCommit(null));
      return;
    }
    let cols: Columns;
    if (Array.isArray(offsets)) {
      cols = topicPartitionsArg(offsets, 'offsets', 'absolute', { offsetRequired: true });
    } else if (typeof offsets === 'object' && offsets !== null && 'offset' in offsets && 'value' in offsets) {
      const record = offsets as ConsumerRecord<K, V>;
      const offset = integerArg(record.offset, 'record.offset', 0, Number.MAX_SAFE_INTEGER - 1);
      cols = topicPartitionsArg(
        [{ topic: record.topic, partition: record.partition, offset: offset + 1 }],
        'record',
        'absolute',
      );
    } else {
      throw new TypeError(
        `commit() takes nothing, a ConsumerRecord, or an array of { topic, partition, offset }, got ${typeName(offsets)}`,
      );
    }
    if (cols.topics.length === 0) return;
    await this.#commitRetrying(() => this.#sendCommit(cols));
  }

  /** One asynchronous commit; rejects with _TIMED_OUT if the broker does not answer in time. */
  #sendCommit(cols: Columns | null): Promise<void> {
    return new Promise((resolve, reject) => {
      const id = this.#nextCommitId++;
      if (cols) this.#native.commit(id, cols.topics, cols.partitions, cols.offsets);
      else this.#native.commit(id, null);
      const timer = setTimeout(() => {
        this.#commits.delete(id);
        this.#updateRef();
        reject(kafkaError('_TIMED_OUT', `commit not acknowledged within ${COMMIT_TIMEOUT_MS} ms`));
      }, COMMIT_TIMEOUT_MS);
      this.#commits.set(id, { resolve, reject, timer });
      this.#updateRef();
    });
  }

  /**
   * A commit that races a rebalance fails with REBALANCE_IN_PROGRESS or ILLEGAL_GENERATION while
   * librdkafka rejoins in the background. Our partitions cannot move to another member until this
   * consumer serves the revocation, so retrying with the new generation is safe (bounded). Not inside
   * onPartitionsRevoked/Assigned: that rebalance is waiting for the callback to return.
   */
  async #commitRetrying(commit: () => Promise<void>): Promise<void> {
    const deadline = Date.now() + COMMIT_RETRY_MS;
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      try {
        await commit();
        return;
      } catch (err) {
        const code = err instanceof KafkaError ? err.code : '';
        // Inside a rebalance callback the rebalance waits for us: retrying would only stall it.
        const retry = REBALANCE_COMMIT_ERRORS.has(code) && !this.#rebalancing && !this.#closing;
        if (!retry || Date.now() + delay > deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** Committed offsets of the group for `partitions` (-1001 = none committed). */
  async committed(partitions: TopicPartition[], timeoutMs?: number): Promise<TopicPartitionOffset[]> {
    this.#checkOpen();
    const cols = topicPartitionsArg(partitions, 'partitions');
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', 10_000);
    if (cols.topics.length === 0) return [];
    return fromColumns(await this.#native.committed(cols.topics, cols.partitions, timeout));
  }

  /**
   * Where the application will read next, per partition: the offset of the next record it will get
   * (records already fetched but not yet handed out count as not read).
   */
  position(partitions: TopicPartition[]): TopicPartitionOffset[] {
    this.#checkOpen();
    const cols = topicPartitionsArg(partitions, 'partitions');
    if (cols.topics.length === 0) return [];
    const native = fromColumns(this.#native.position(cols.topics, cols.partitions));
    return native.map((tp) => {
      const key = tpKey(tp.topic, tp.partition);
      const buffered = this.#dropBuffered.has(key) ? undefined : this.#batch?.peekOffset(tp.topic, tp.partition);
      const paused = this.#paused.get(key)?.resumeAt;
      return { ...tp, offset: paused ?? buffered ?? tp.offset };
    });
  }

  /** Moves the read position of an assigned partition; the next record returned is at `offset`. */
  seek(tp: TopicPartitionOffset): void {
    this.#checkOpen();
    if (typeof tp !== 'object' || tp === null || Array.isArray(tp)) {
      throw new TypeError(`seek takes { topic, partition, offset }, got ${typeName(tp)}`);
    }
    this.#seek(topicPartitionsArg([tp], 'seek', 'logical', { offsetRequired: true }));
  }

  /**
   * Seeks to the earliest available offset (default: every assigned partition; with nothing assigned
   * this does nothing).
   */
  seekToBeginning(partitions?: TopicPartition[]): void {
    this.#seekTo(partitions, OFFSET_BEGINNING);
  }

  /** Seeks past the last record (default: every assigned partition; with nothing assigned, nothing). */
  seekToEnd(partitions?: TopicPartition[]): void {
    this.#seekTo(partitions, OFFSET_END);
  }

  #seekTo(partitions: TopicPartition[] | undefined, offset: number): void {
    this.#checkOpen();
    const cols = topicPartitionsArg(partitions ?? this.assignment(), 'partitions');
    cols.offsets.fill(offset);
    if (cols.topics.length > 0) this.#seek(cols);
  }

  #seek(cols: Columns): void {
    this.#native.seek(cols.topics, cols.partitions, cols.offsets);
    for (let i = 0; i < cols.topics.length; i++) {
      const key = tpKey(cols.topics[i], cols.partitions[i]);
      this.#dropBuffered.add(key);
      const paused = this.#paused.get(key);
      if (paused) paused.resumeAt = undefined; // the seek position wins on resume
    }
  }

  /** Stops handing out (and fetching) records of these partitions until resume(). */
  pause(partitions: TopicPartition[]): void {
    this.#checkOpen();
    const cols = topicPartitionsArg(partitions, 'partitions');
    this.#native.pause(cols.topics, cols.partitions);
    cols.topics.forEach((topic, i) => {
      const partition = cols.partitions[i];
      const key = tpKey(topic, partition);
      if (!this.#paused.has(key)) this.#paused.set(key, { topic, partition, resumeAt: undefined });
    });
  }

  /** Resumes paused partitions from the first record not handed out. */
  resume(partitions: TopicPartition[]): void {
    this.#checkOpen();
    const cols = topicPartitionsArg(partitions, 'partitions');
    const seekBack: TopicPartitionOffset[] = [];
    cols.topics.forEach((topic, i) => {
      const partition = cols.partitions[i];
      const key = tpKey(topic, partition);
      const paused = this.#paused.get(key);
      this.#paused.delete(key);
      // Records fetched while paused were dropped: fetch them again.
      if (paused?.resumeAt !== undefined) seekBack.push({ topic, partition, offset: paused.resumeAt });
    });
    this.#native.resume(cols.topics, cols.partitions);
    if (seekBack.length > 0) this.#seek(toColumns(seekBack));
  }

  paused(): TopicPartition[] {
    return [...this.#paused.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** Earliest offset still in the log, per partition (a broker query). */
  async beginningOffsets(partitions: TopicPartition[], timeoutMs?: number): Promise<TopicPartitionOffset[]> {
    const w = await this.#watermarks(partitions, timeoutMs);
    return w.topics.map((topic, i) => ({ topic, partition: w.partitions[i], offset: w.low[i] }));
  }

  /** Offset after the last record, per partition (a broker query; read_committed: the last stable offset). */
  async endOffsets(partitions: TopicPartition[], timeoutMs?: number): Promise<TopicPartitionOffset[]> {
    const w = await this.#watermarks(partitions, timeoutMs);
    return w.topics.map((topic, i) => ({ topic, partition: w.partitions[i], offset: w.high[i] }));
  }

  async #watermarks(partitions: TopicPartition[], timeoutMs: number | undefined) {
    this.#checkOpen();
    const cols = topicPartitionsArg(partitions, 'partitions');
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', 10_000);
    if (cols.topics.length === 0) return { topics: [], partitions: [], low: [], high: [] };
    return this.#native.watermarks(cols.topics, cols.partitions, timeout);
  }

  /** Earliest offset whose timestamp is >= the given one, per partition (-1 when none). */
  async offsetsForTimes(
    partitions: Array<TopicPartition & { timestamp: number }>,
    timeoutMs?: number,
  ): Promise<TopicPartitionOffset[]> {
    this.#checkOpen();
    const cols = topicPartitionsArg(partitions, 'partitions', 'timestamp', {
      field: 'timestamp',
      offsetRequired: true,
    });
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', 10_000);
    if (cols.topics.length === 0) return [];
    return fromColumns(await this.#native.offsetsForTimes(cols.topics, cols.partitions, cols.offsets, timeout));
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
    const error = destroyedError('KafkaConsumer');
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.#native.ref(); // the close sequence below keeps the process alive until it is done
    try {
      await this.#leaveGroup();
    } finally {
      this.#native.unref();
      await this.#native.close();
      for (const [, pending] of this.#commits) {
        clearTimeout(pending.timer);
        pending.reject(error);
      }
      this.#commits.clear();
      this.#updateRef();
    }
  }

  /**
   * Leaves the group on the JS thread so the final revocation runs onPartitionsRevoked: stores what the
   * application consumed (auto-commit commits it on revocation), starts librdkafka's asynchronous close,
   * and serves the consumer queue until librdkafka reports the consumer closed (bounded).
   */
  async #leaveGroup(): Promise<void> {
    const deadline = Date.now() + CLOSE_TIMEOUT_MS;
    // The timer is cleared as soon as `p` settles: a pending one would keep the process alive after close.
    const bounded = async <T>(p: Promise<T> | undefined): Promise<void> => {
      if (!p) return;
      let timer: NodeJS.Timeout | undefined;
      const expiry = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
      try {
        await Promise.race([p, expiry]);
      } finally {
        clearTimeout(timer);
      }
    };
    try {
      await bounded(this.#rebalancing);
      this.#markConsumed();
      this.#storeConsumed();
      this.#native.closeAsync();
      while (!this.#native.isClosed() && Date.now() < deadline) {
        const batch = this.#native.consume(this.#maxPollRecords);
        if (batch?.rebalance) this.#startRebalance(batch.rebalance);
        if (this.#rebalancing) {
          await bounded(this.#rebalancing);
          continue;
        }
        if (batch) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, 100);
          this.#closeWaiter = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#closeWaiter = undefined;
      }
    } catch (err) {
      // The group may already be gone (or never joined); destroying the client still cleans up.
      this.#log('warn', `consumer close: ${String(err)}`);
    }
  }

  /** Hands a rebalance to the application's callbacks; records wait until it is applied. */
  #startRebalance(rebalance: NativeRebalance): void {
    const partitions = rebalance.topics.map((topic, i) => ({ topic, partition: rebalance.partitions[i] }));
    const { onPartitionsAssigned, onPartitionsRevoked } = this.#options;
    const run = async (): Promise<void> => {
      if (rebalance.kind === 'revoke') {
        // Everything buffered for these partitions now belongs to their next owner.
        for (const tp of partitions) this.#dropBuffered.add(tpKey(tp.topic, tp.partition));
        this.#markConsumed();
        this.#storeConsumed();
        await this.#callback('onPartitionsRevoked', onPartitionsRevoked, partitions);
        for (const tp of partitions) this.#paused.delete(tpKey(tp.topic, tp.partition));
        this.#native.rebalanceDone();
      } else {
        this.#native.rebalanceDone();
        await this.#callback('onPartitionsAssigned', onPartitionsAssigned, partitions);
      }
    };
    this.#rebalancing = run()
      .catch((err: unknown) => this.#log('error', `rebalance failed: ${String(err)}`))
      .finally(() => {
        this.#rebalancing = undefined;
        if (!this.#closing) this.#serve();
      });
    this.#updateRef();
  }

  async #callback(
    name: string,
    fn: ((tps: TopicPartition[]) => void | Promise<void>) | undefined,
    partitions: TopicPartition[],
  ): Promise<void> {
    if (!fn) return;
    try {
      await fn(partitions);
    } catch (err) {
      // The rebalance must complete regardless, or the whole group stalls.
      this.#log('error', `${name} threw: ${String(err)}`);
    }
  }

  #log(level: 'warn' | 'error', message: string): void {
    const logger = this.#options.logger;
    if (logger) logger[level]?.(message);
    else console[level](`kafka-napi: ${message}`);
  }

  #checkOpen(): void {
    if (this.#closing) throw destroyedError('KafkaConsumer');
  }

  /** Waiting poll()s, iterators and commits cannot be served by a cluster that refuses us: fail them now. */
  #onAuthFailure(error: KafkaError): void {
    this.#auth.trip(error);
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    for (const [, pending] of this.#commits) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#commits.clear();
    this.#updateRef();
  }

  #request(maxRecords: number, timeoutMs: number): Promise<Array<ConsumerRecord<K, V>>> {
    return new Promise((resolve, reject) => {
      this.#checkOpen();
      this.#markConsumed();
      // Earlier requests are served first.
      if (this.#waiters.length === 0) {
        const records = this.#take(maxRecords);
        if (records.length > 0 && this.#turns.overdue()) {
          // Records were ready at every call for a while: this loop has run on promise jobs alone and
          // starved timers and I/O. Hand these over from a macrotask so the event loop turns.
          this.#turns.later(() => resolve(records));
          return;
        }
        if (records.length > 0 || timeoutMs === 0) {
          resolve(records);
          return;
        }
        // Nothing buffered and the cluster refuses us: no record can come (src/auth-failure.ts).
        const auth = this.#auth.error;
        if (auth) {
          reject(auth);
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
        if (this.#rebalancing) break;
        // Offsets go to librdkafka's store once per drained batch, not per record.
        this.#storeConsumed();
        const native = this.#native.consume(this.#maxPollRecords);
        if (!native) break;
        // librdkafka discards what it fetched before a seek; records drained from now on are current.
        this.#dropBuffered.clear();
        if (native.rebalance) this.#startRebalance(native.rebalance);
        this.#batch = new RecordBatch(native);
        continue;
      }
      const raw = this.#batch.shift();
      if (this.#batch.errno === 0) this.#auth.clear();
      if (this.#dropBuffered.size > 0 || this.#paused.size > 0) {
        const key = tpKey(raw.topic, raw.partition);
        if (this.#dropBuffered.has(key)) continue;
        const paused = this.#paused.get(key);
        if (paused) {
          paused.resumeAt = Math.min(paused.resumeAt ?? raw.offset, raw.offset);
          continue;
        }
      }
      if (this.#batch.errno !== 0) {
        const error = this.#recordError(raw, this.#batch.errno);
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
    // Offset bookkeeping per run of one partition, not per record: records come in partition runs.
    const handed = this.#lastHanded;
    let run = handed.length > 0 ? handed[handed.length - 1] : undefined;
    for (let i = 0; i < out.length; i++) {
      const r = out[i];
      if (run && run.partition === r.partition && run.topic === r.topic) {
        if (r.offset > run.offset) run.offset = r.offset;
      } else {
        run = { topic: r.topic, partition: r.partition, offset: r.offset };
        handed.push(run);
      }
    }
    return out;
  }

  #recordError(raw: RawRecord, errno: number): KafkaError | undefined {
    const message = raw.value ? raw.value.toString('utf8') : undefined;
    const error = errorFromErrno(errno, message);
    if (raw.topic) error.topic = raw.topic;
    if (raw.partition >= 0) error.partition = raw.partition;
    // With autoOffsetReset 'error' the application asked not to be guessed for: a subscribed topic that does
    // not exist is raised (once per report) instead of waited for. Patterns (librdkafka's '^' prefix) that
    // match nothing yet are still only logged.
    const strictUnknownTopic =
      error.code === 'UNKNOWN_TOPIC_OR_PART' && this.#options.autoOffsetReset === 'error' && !raw.topic.startsWith('^');
    if (TRANSIENT_CONSUMER_ERRORS.has(error.code) && !strictUnknownTopic) {
      this.#log('warn', `${raw.topic}: ${error.message} (${error.code})`);
      return undefined;
    }
    return error;
  }

  #deserialize(raw: RawRecord): ConsumerRecord<K, V> {
    const { keyDeserializer, valueDeserializer } = this.#options;
    const record = raw as unknown as ConsumerRecord<K, V>;
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
    // One entry per run of one partition (see #take): look the entry up (and build its key) only when
    // the partition changes.
    let entry: TopicPartitionOffset | undefined;
    for (const r of handed) {
      if (!entry || entry.partition !== r.partition || entry.topic !== r.topic) {
        const key = tpKey(r.topic, r.partition);
        entry = this.#consumed.get(key);
        if (!entry) {
          entry = { topic: r.topic, partition: r.partition, offset: r.offset + 1 };
          this.#consumed.set(key, entry);
        }
      }
      if (r.offset + 1 > entry.offset) entry.offset = r.offset + 1;
    }
    handed.length = 0;
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
    const events = this.#native.pollEvents(EVENTS_PER_WAKE);
    for (const event of events) {
      if (event.type !== 'commit') continue;
      const pending = this.#commits.get(event.id);
      if (!pending) continue;
      this.#commits.delete(event.id);
      clearTimeout(pending.timer);
      if (event.error) pending.reject(event.error);
      else pending.resolve();
    }
    if (events.length > 0) {
      dispatchEvents(events, {
        logger: this.#options.logger,
        onStats: this.#options.onStats,
        onTokenRefresh: this.#tokenRefresh,
        onAuthFailure: (error) => this.#onAuthFailure(error),
      });
    }
    if (this.#closing) {
      if (events.length >= EVENTS_PER_WAKE) this.#turns.later(() => this.#onWake());
      this.#closeWaiter?.();
      this.#updateRef();
      return;
    }
    // librdkafka signals a queue only when it turns non-empty: come back for the rest ourselves.
    if (events.length >= EVENTS_PER_WAKE) this.#turns.later(() => this.#onWake());
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

  /** The event loop stays alive while a request waits for records or a rebalance runs. */
  #updateRef(): void {
    const busy = this.#waiters.length > 0 || this.#rebalancing !== undefined || this.#commits.size > 0;
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

/** A subscription: topic names (checked as Kafka does) or one RegExp. `[]` only where "none" makes sense. */
function normalizeTopics(topics: unknown, name: string, emptyAllowed: boolean): string[] {
  if (topics instanceof RegExp) {
    // librdkafka treats a subscription starting with '^' as a regex.
    const source = topics.source.startsWith('^') ? topics.source : `^${topics.source}`;
    if (source.length > MAX_PATTERN_LENGTH) {
      throw new RangeError(`${name} pattern must be at most ${MAX_PATTERN_LENGTH} characters, got ${source.length}`);
    }
    return [source];
  }
  if (typeof topics === 'string') return [topicArg(topics, name)];
  if (!Array.isArray(topics)) {
    throw new TypeError(`${name} must be a topic name, an array of topic names, or a RegExp, got ${typeName(topics)}`);
  }
  if (topics.length === 0 && !emptyAllowed) {
    throw new RangeError(`${name} must not be empty (to stop consuming, call unsubscribe())`);
  }
  return Array.from(topics as unknown[], (t, i) => topicArg(t, `${name}[${i}]`));
}
