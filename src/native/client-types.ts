/** The native clients' interfaces as the addon exports them (native/*.h): what crosses, and how. */
/** Librdkafka configuration as strings/numbers/booleans, already mapped from typed options. */
export type NativeConfig = Record<string, string | number | boolean>;

/** A client-level event drained from librdkafka's main queue. */
export type NativeEvent =
  | { type: 'error'; error: Error & { code: string; fatal: boolean } }
  | { type: 'stats'; json: string }
  | { type: 'log'; level: number; facility: string; message: string }
  /** librdkafka needs a (new) OAUTHBEARER token: call the provider, answer with setOauthBearerToken*. */
  | { type: 'oauthbearer-refresh' }
  /** Result of an asynchronous consumer commit, matched by request id. */
  | { type: 'commit'; id: number; error?: Error };

/** Columnar topic-partition list as it crosses the boundary. */
export interface NativeTopicPartitions {
  topics: string[];
  partitions: Int32Array;
  offsets: Float64Array;
  /** librdkafka error name per entry, '' when none. */
  errors: string[];
}

export interface NativeMetadata {
  origBrokerId: number;
  brokers: Array<{ id: number; host: string; port: number }>;
  topics: Array<{
    name: string;
    error: string;
    partitions: Array<{ partition: number; leader: number; replicas: number[]; isr: number[]; error: string }>;
  }>;
}

/** Methods every native client has, the share consumer's included. */
export interface NativeClientBase {
  /** Keep the event loop alive while JS has work outstanding (balanced with unref). */
  ref(): void;
  unref(): void;
  /** librdkafka's instance name, e.g. 'my-app#consumer-2' ('' once closed). */
  name(): string;
  /** The OAUTHBEARER provider's token; `extensions` flattened as [key1, value1, key2, value2, ...]. */
  setOauthBearerToken(value: string, expiresAtMs: number, principal: string, extensions: string[]): void;
  /** The OAUTHBEARER provider failed: librdkafka fails the waiting connections and asks again later. */
  setOauthBearerTokenFailure(message: string): void;
}

/** Methods every rd_kafka_t client (producer, consumer, admin) has. */
export interface NativeClient extends NativeClientBase {
  /** Metadata for one topic, or the whole cluster when `topic` is null. Runs off the JS thread. */
  metadata(topic: string | null, timeoutMs: number): Promise<NativeMetadata>;
  /** Destroys the client off the JS thread; resolves when librdkafka's threads are gone. */
  close(): Promise<void>;
}

export interface DeliveryReports {
  count: number;
  ids: Float64Array;
  /** librdkafka error code per report (0 = delivered). */
  errors: Int32Array;
  partitions: Int32Array;
  offsets: Float64Array;
  timestamps: Float64Array;
  /** The partition's log start offset the acknowledgement reported; -1 when none did. */
  logStartOffsets: Float64Array;
  events: NativeEvent[];
  /** The drain stopped at its cap; more reports are ready. */
  more: boolean;
}

export interface NativeProducer extends NativeClient {
  /**
   * Enqueues messages in order until librdkafka's queue is full; returns how many it took.
   * `errors[i]` gets an immediate per-message error code (0 = enqueued). Message i has id firstId + i.
   * Payloads >= 16 KiB are referenced, not copied: the caller keeps them alive until their report.
   */
  produce(
    topic: string,
    values: Array<Buffer | null>,
    keys: Array<Buffer | null> | null,
    partitions: Int32Array | null,
    timestamps: Float64Array | null,
    headers: Array<Array<string | Buffer | null> | null> | null,
    firstId: number,
    errors: Int32Array,
    /** Send what this call enqueued without waiting for linger.ms. */
    expedite?: boolean,
  ): number;
  /** Drains ready delivery reports and client events without blocking. */
  poll(maxReports: number): DeliveryReports;
  /** rd_kafka_flush on a worker thread; rejects with _TIMED_OUT. */
  flush(timeoutMs: number): Promise<void>;
  /** Messages and requests not yet acknowledged by librdkafka. */
  outqLen(): number;
  /** Fails every message not yet sent to a broker with _PURGE_QUEUE (reports follow as usual). */
  purgeQueued(): void;
  /** Transactional calls: blocking ones run on a worker thread; errors carry retriable/fatal/abortable. */
  initTransactions(timeoutMs: number): Promise<void>;
  beginTransaction(): void;
  commitTransaction(timeoutMs: number): Promise<void>;
  abortTransaction(timeoutMs: number): Promise<void>;
  sendOffsetsToTransaction(
    topics: string[],
    partitions: Int32Array,
    offsets: Float64Array,
    consumer: NativeConsumer | string,
    timeoutMs: number,
  ): Promise<void>;
}

/** One drained batch: a single slab holding every key, value and header, and metadata arrays. */
export interface NativeBatch {
  count: number;
  slab: Buffer;
  /** `intsPerRecord` int32 per record, laid out as {@link NativeRecordLayout} says. */
  ints: Int32Array;
  /** `numbersPerRecord` float64 per record. */
  numbers: Float64Array;
  /** `intsPerHeader` int32 per header: name offset, name length, value offset, value length (-1 = null). */
  headers: Int32Array;
  topics: string[];
  /** A rebalance librdkafka handed over; the consumer waits until rebalanceDone(). */
  rebalance?: NativeRebalance;
}

export interface NativeRebalance extends NativeTopicPartitions {
  kind: 'assign' | 'revoke';
  /** 'EAGER', 'COOPERATIVE' or 'NONE'. */
  protocol: string;
}

export interface NativeConsumer extends NativeClient {
  subscribe(topics: string[]): void;
  unsubscribe(): void;
  assign(topics: string[] | null, partitions?: Int32Array, offsets?: Float64Array): void;
  assignment(): NativeTopicPartitions;
  /**
   * Non-blocking drain of up to maxRecords ready messages; undefined when none. A batch may carry a
   * rebalance (possibly with count 0): nothing more is drained until rebalanceDone().
   */
  consume(maxRecords: number): NativeBatch | undefined;
  /** Applies the pending rebalance (assign or revoke) after the application's callbacks ran. */
  rebalanceDone(): void;
  seek(topics: string[], partitions: Int32Array, offsets: Float64Array): void;
  pause(topics: string[], partitions: Int32Array): void;
  resume(topics: string[], partitions: Int32Array): void;
  position(topics: string[], partitions: Int32Array): NativeTopicPartitions;
  watermarks(
    topics: string[],
    partitions: Int32Array,
    timeoutMs: number,
  ): Promise<NativeTopicPartitions & { low: Float64Array; high: Float64Array }>;
  /** The high watermark of each partition's last fetch response (-1: none yet). No request. */
  cachedHighWatermarks(topics: string[], partitions: Int32Array): Float64Array;
  /** The group member id ('' before joining). */
  memberId(): string;
  offsetsForTimes(
    topics: string[],
    partitions: Int32Array,
    timestamps: Float64Array,
    timeoutMs: number,
  ): Promise<NativeTopicPartitions>;
  /** Starts leaving the group without blocking; the revocation then arrives through consume(). */
  closeAsync(): void;
  isClosed(): boolean;
  /** Up to `max` client events; a full array means more are ready. */
  pollEvents(max: number): NativeEvent[];
  storeOffsets(topics: string[], partitions: Int32Array, offsets: Float64Array): void;
  /** Sends a commit (null = every stored offset); its result arrives from pollEvents() by request id. */
  commit(requestId: number, topics: string[] | null, partitions?: Int32Array, offsets?: Float64Array): void;
  committed(topics: string[], partitions: Int32Array, timeoutMs: number): Promise<NativeTopicPartitions>;
}

/**
 * Where each field of a consumed record sits in a {@link NativeBatch}'s typed arrays: the index of the
 * field within a record's (or header's) group, and the group's size. native/core/record_layout.h.
 */
export interface NativeRecordLayout {
  ints: {
    /** Index into the batch's `topics`; -1 = none. */
    topicIndex: number;
    partition: number;
    keyOffset: number;
    /** -1 = null key. */
    keyLength: number;
    valueOffset: number;
    /** -1 = null value. */
    valueLength: number;
    timestampType: number;
    /** First header of the record, in `headers` units. */
    headerStart: number;
    headerCount: number;
    /** librdkafka error code: an error delivered in place of a message. */
    error: number;
  };
  intsPerRecord: number;
  numbers: { offset: number; timestamp: number; leaderEpoch: number };
  numbersPerRecord: number;
  headers: { nameOffset: number; nameLength: number; valueOffset: number; valueLength: number };
  intsPerHeader: number;
}

/** A poll's records (see NativeBatch) and how many times each was delivered. */
export interface NativeShareBatch extends NativeBatch {
  deliveryCounts: Int32Array;
}

/**
 * Acknowledgements as they cross with a poll, commit or close: the topics, then per acknowledgement
 * [topic index, partition, type (1 accept, 2 release, 3 reject)] and its offset.
 */
export type NativeAcks = [topics: string[], ints: Int32Array, offsets: Float64Array];

/**
 * native/clients/share_consumer.h as src/share/native-calls.ts presents it: every call runs, in order, on the
 * share consumer's own thread.
 */
export interface NativeShareConsumer extends NativeClientBase {
  subscribe(topics: string[]): Promise<void>;
  unsubscribe(): Promise<void>;
  /** undefined: nothing within the timeout. */
  poll(timeoutMs: number, acks: NativeAcks | null): Promise<NativeShareBatch | undefined>;
  /** Per-partition results; undefined when nothing was pending. */
  commit(timeoutMs: number, acks: NativeAcks | null): Promise<NativeTopicPartitions | undefined>;
  /** Sends the acknowledgements, leaves the share group and destroys the client. */
  close(acks: NativeAcks | null): Promise<void>;
  pollEvents(): NativeEvent[];
}

/** The addon's share consumer: calls that wait return an id, settled through `settle` (0: nothing to wait for). */
export interface RawShareConsumer extends NativeClientBase {
  subscribe(topics: string[]): number;
  unsubscribe(): number;
  poll(timeoutMs: number, acks: NativeAcks | null): number;
  commit(timeoutMs: number, acks: NativeAcks | null): number;
  close(acks: NativeAcks | null): number;
  pollEvents(): NativeEvent[];
}

/** native/clients/mock_cluster.h; arguments are checked by src/testing/mock-cluster.ts. */
export interface NativeMockCluster {
  bootstraps(): string;
  createTopic(name: string, partitions: number, replicationFactor: number): void;
  deleteTopic(name: string): void;
  setBrokerDown(brokerId: number): void;
  setBrokerUp(brokerId: number): void;
  setRtt(brokerId: number, ms: number): void;
  setPartitionLeader(topic: string, partition: number, brokerId: number): void;
  setPartitionFollower(topic: string, partition: number, brokerId: number): void;
  setCoordinator(keyType: string, key: string, brokerId: number): void;
  pushRequestErrors(apiKey: number, errnos: number[]): void;
  pushBrokerRequestErrors(brokerId: number, apiKey: number, errnos: number[], rttsMs: number[]): void;
  clearRequestErrors(apiKey: number): void;
  setApiVersion(apiKey: number, min: number, max: number): void;
  startRequestTracking(): void;
  /** [brokerId, apiKey, timestamp µs] */
  requests(clear: boolean): Array<[number, number, number]>;
  stop(): Promise<void>;
}
