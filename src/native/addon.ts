/**
 * The ONE place that loads the addon and declares, fully typed, everything it exports. The public API
 * wraps these; nothing else imports the addon.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addonFile, PLATFORM_SCOPE, PLATFORM_TARGETS, platformPackage, runningLibc } from './addon-file';

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

/** A broker as admin results describe it. */
export interface NativeNode {
  id: number;
  host: string;
  port: number;
  rack: string | null;
}

/** Per-partition errors are librdkafka error names ('' = none). */
export type NativeTopicPartitionResults = NativeTopicPartitions;

export interface NativeAclBinding {
  resourceType: number;
  name: string | null;
  patternType: number;
  principal: string | null;
  host: string | null;
  operation: number;
  permission: number;
}

export interface NativeConfigEntry {
  name: string;
  value: string | null;
  source: number;
  isReadOnly: boolean;
  isDefault: boolean;
  isSensitive: boolean;
  synonyms: Array<{ name: string; value: string | null; source: number }>;
}

/** One admin result event (native/admin_results.cc): the fields its request type fills. */
export interface NativeAdminResult {
  id: number;
  error?: Error;
  topics?: Array<{ name: string; error?: Error }>;
  cluster?: {
    clusterId: string | null;
    controller: NativeNode | null;
    brokers: NativeNode[];
    authorizedOperations: number[] | null;
  };
  descriptions?: Array<{
    name: string;
    error?: Error;
    topicId: string | null;
    isInternal: boolean;
    partitions: Array<{ partition: number; leader: number; replicas: number[]; isr: number[] }>;
    authorizedOperations: number[] | null;
  }>;
  partitions?: Array<{ topic: string; partition: number; error?: Error }>;
  groups?: Array<{
    groupId: string;
    error?: Error;
    isSimple: boolean;
    state: number;
    type: number;
    partitionAssignor?: string;
    coordinator?: NativeNode | null;
    members?: Array<{
      memberId: string;
      clientId: string;
      host: string;
      groupInstanceId: string | null;
      assignment: NativeTopicPartitionResults | null;
      targetAssignment: NativeTopicPartitionResults | null;
    }>;
    authorizedOperations?: number[] | null;
  }>;
  errors?: Error[];
  groupResults?: Array<{ groupId: string; error?: Error; partitions: NativeTopicPartitionResults | null }>;
  resources?: Array<{ type: number; name: string; error?: Error; configs?: NativeConfigEntry[] }>;
  offsets?: NativeTopicPartitionResults;
  infos?: Array<{
    topic: string;
    partition: number;
    offset: number;
    timestamp: number;
    leaderEpoch: number;
    error?: Error;
  }>;
  acls?: Array<{ error?: Error; bindings?: NativeAclBinding[] }>;
  bindings?: NativeAclBinding[];
  users?: Array<{ user: string; error?: Error; credentials?: Array<{ mechanism: number; iterations: number }> }>;
}

type AdminAclSpec = Omit<NativeAclBinding, 'name' | 'principal' | 'host'> & {
  name?: string | null;
  principal?: string | null;
  host?: string | null;
};

/** Each request's result arrives from poll() with its request id (native/admin_requests.cc). */
export interface NativeAdmin extends NativeClient {
  createTopics(
    requestId: number,
    topics: Array<{ name: string; numPartitions: number; replicationFactor: number; configs: string[] }>,
    validateOnly: boolean,
    timeoutMs: number,
  ): void;
  deleteTopics(requestId: number, names: string[], timeoutMs: number): void;
  createPartitions(
    requestId: number,
    topics: Array<{ topic: string; totalCount: number }>,
    validateOnly: boolean,
    timeoutMs: number,
  ): void;
  describeTopics(
    requestId: number,
    names: string[],
    includeAuthorizedOperations: boolean,
    timeoutMs: number,
    brokerId: number,
  ): void;
  describeCluster(requestId: number, includeAuthorizedOperations: boolean, timeoutMs: number): void;
  electLeaders(
    requestId: number,
    type: number,
    topics: string[] | null,
    partitions: Int32Array | null,
    timeoutMs: number,
  ): void;
  listConsumerGroups(requestId: number, states: number[], types: number[], timeoutMs: number): void;
  describeConsumerGroups(
    requestId: number,
    groupIds: string[],
    includeAuthorizedOperations: boolean,
    timeoutMs: number,
  ): void;
  deleteConsumerGroups(requestId: number, groupIds: string[], timeoutMs: number): void;
  listConsumerGroupOffsets(
    requestId: number,
    groupId: string,
    topics: string[] | null,
    partitions: Int32Array | null,
    requireStable: boolean,
    timeoutMs: number,
  ): void;
  alterConsumerGroupOffsets(
    requestId: number,
    groupId: string,
    topics: string[],
    partitions: Int32Array,
    offsets: Float64Array,
    timeoutMs: number,
  ): void;
  deleteConsumerGroupOffsets(
    requestId: number,
    groupId: string,
    topics: string[],
    partitions: Int32Array,
    timeoutMs: number,
  ): void;
  describeConfigs(requestId: number, resources: Array<{ type: number; name: string }>, timeoutMs: number): void;
  incrementalAlterConfigs(
    requestId: number,
    resources: Array<{ type: number; name: string; ops: Array<{ name: string; op: number; value: string | null }> }>,
    validateOnly: boolean,
    timeoutMs: number,
  ): void;
  deleteRecords(
    requestId: number,
    topics: string[],
    partitions: Int32Array,
    offsets: Float64Array,
    timeoutMs: number,
  ): void;
  listOffsets(
    requestId: number,
    topics: string[],
    partitions: Int32Array,
    specs: Float64Array,
    isolationLevel: number,
    timeoutMs: number,
  ): void;
  createAcls(requestId: number, acls: AdminAclSpec[], timeoutMs: number): void;
  describeAcls(requestId: number, filter: AdminAclSpec, timeoutMs: number): void;
  deleteAcls(requestId: number, filters: AdminAclSpec[], timeoutMs: number): void;
  describeUserScramCredentials(requestId: number, users: string[], timeoutMs: number): void;
  alterUserScramCredentials(
    requestId: number,
    alterations: Array<{ user: string; mechanism: number; iterations?: number; password?: Buffer; salt?: Buffer }>,
    timeoutMs: number,
  ): void;
  poll(): { results: NativeAdminResult[]; events: NativeEvent[] };
}

/**
 * Where each field of a consumed record sits in a {@link NativeBatch}'s typed arrays: the index of the
 * field within a record's (or header's) group, and the group's size. native/record_layout.h.
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
 * native/share_consumer.h as src/share/native-calls.ts presents it: every call runs, in order, on the
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

type ClientConstructor<T> = new (config: NativeConfig, wake: () => void) => T;

/** The addon's share consumer: calls that wait return an id, settled through `settle` (0: nothing to wait for). */
export interface RawShareConsumer extends NativeClientBase {
  subscribe(topics: string[]): number;
  unsubscribe(): number;
  poll(timeoutMs: number, acks: NativeAcks | null): number;
  commit(timeoutMs: number, acks: NativeAcks | null): number;
  close(acks: NativeAcks | null): number;
  pollEvents(): NativeEvent[];
}

/** native/mock_cluster.h; arguments are checked by src/testing/mock-cluster.ts. */
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

export interface NativeAddon {
  /** Hands the KafkaError class to C++, which constructs it with every field filled. */
  setErrorClass(
    ctor: new (
      message: string,
      init: { code: string; errno: number; retriable: boolean; fatal: boolean; abortable: boolean },
    ) => Error,
  ): void;
  librdkafkaVersion(): string;
  /** librdkafka's builtin.features, comma separated. */
  features(): string;
  /** [errno, name, description] for every librdkafka error code. */
  errorCodes(): Array<[number, string, string]>;
  /** The layout consume() writes records in (src/consumer/batch.ts reads it). */
  recordLayout(): NativeRecordLayout;
  /** The process-wide pool blocking calls (metadata, committed, flush…) run on (native/task_pool.h). */
  taskPoolStats(): { threads: number; peak: number; queued: number; started: number; maxThreads: number };
  /** Clients whose destroy outlived close(): lingering now, and totals (handle.h CloseStats). */
  closeStats(): { lingering: number; lingered: number; destroyedAfterLinger: number; abandoned: number };
  /** The C allocator's totals over all its arenas, in bytes (glibc mallinfo); null on other C libraries. */
  mallocStats(): { inUse: number; free: number; fromSystem: number; mmapped: number } | null;
  Producer: ClientConstructor<NativeProducer> & {
    /** Values at least this long are referenced until their delivery report; shorter ones are copied. */
    zeroCopyThreshold: number;
  };
  Consumer: ClientConstructor<NativeConsumer>;
  Admin: ClientConstructor<NativeAdmin>;
  MockCluster: new (brokers: number) => NativeMockCluster;
  ShareConsumer: new (
    config: NativeConfig,
    wake: () => void,
    settle: (id: number, rejected: boolean, value: unknown) => void,
  ) => RawShareConsumer;
}

/** The platforms with a published binary, as the load error lists them. */
const PREBUILT = PLATFORM_TARGETS.map(
  (t) =>
    `${t.platform}-${t.arch} (${t.libc === 'glibc' ? 'glibc >= 2.28' : t.libc === 'musl' ? 'musl >= 1.2' : t.platform})`,
);

function explainLoadFailure(err: unknown): Error {
  const report = process.report?.getReport?.() as { header?: { glibcVersionRuntime?: string } } | undefined;
  const glibc = report?.header?.glibcVersionRuntime;
  const running = runningLibc();
  const libc = running === null ? '-' : running === 'glibc' && glibc ? `glibc ${glibc}` : running;
  const pkg = platformPackage(process.platform, process.arch, running);
  const published = PLATFORM_TARGETS.some((t) => `${PLATFORM_SCOPE}/${t.suffix}` === pkg);
  const message = [
    'kafka-napi: could not load the native addon.',
    `  platform: ${process.platform}-${process.arch}, libc: ${libc}, Node ${process.version}, Node-API ${process.versions.napi}`,
    `  cause: ${err instanceof Error ? err.message : String(err)}`,
    `Prebuilt binaries: ${PREBUILT.join(', ')}; each needs Node-API >= 8 (Node >= 20, Bun, Deno).`,
    'Possible solutions:',
    ...(published
      ? [
          `- The binary for this platform is the optional dependency ${pkg}. It is missing when optional`,
          '  dependencies were omitted (--omit=optional, --no-optional) or node_modules (or a lockfile) was',
          '  installed on another platform or libc (a host install copied into an Alpine image). Install on',
          '  the target itself: rm -rf node_modules package-lock.json && npm install',
        ]
      : [`- No prebuilt binary is published for this platform (it would be ${pkg}).`]),
    '- Build it from source for this platform: install librdkafka >= 2.14.2 with its pkg-config file',
    '  (macOS: brew install librdkafka pkg-config) and a C++17 compiler, then run: npx kafka-napi build',
    '  (see README "Building from source").',
  ].join('\n');
  return new Error(message, { cause: err });
}

// The package root holds build/ (and prebuilds/ in a checkout), and is where its optional platform
// package resolves from: the nearest directory above this file whose package.json is kafka-napi's
// (above dist/cjs/native/ when installed, above src/native/ when run from a checkout).
function packageRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (manifest.name === 'kafka-napi') return dir;
    } catch {
      // No package.json here (or not JSON): keep walking up.
    }
  }
  return path.join(__dirname, '..', '..', '..');
}

function load(): NativeAddon {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(addonFile(packageRoot())) as NativeAddon;
  } catch (err) {
    throw explainLoadFailure(err);
  }
}

export const addon: NativeAddon = load();
