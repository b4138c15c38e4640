/** KafkaConsumer's options, their checks and their librdkafka properties. */
import {
  COMMON_OPTIONS,
  isBoolean,
  isFunction,
  isInteger,
  oneOf,
  toRdkafka,
  type OptionTable,
  ranged,
} from '../core/config';
import type { NativeConfig } from '../native/addon';
import type { Deserializer } from '../core/serde';
import type { CommonOptions, TopicPartition } from '../core/types';
import { MAX_PATTERN_LENGTH, topicArg, typeName } from '../core/validate';

/** Where a partition without a committed offset starts ('error': KafkaError `_AUTO_OFFSET_RESET`). */
export type AutoOffsetReset = 'earliest' | 'latest' | 'error';
/** How a classic consumer group spreads partitions over its members. */
export type AssignmentStrategy = 'range' | 'roundrobin' | 'cooperative-sticky';

/** A KafkaConsumer's options; `rdkafka` passes any librdkafka property through. */
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

/** poll()'s options. */
export interface PollOptions {
  /** How long to wait for records when none are ready. Default 1000 ms; 0 returns at once. */
  timeoutMs?: number;
  /** Default: maxPollRecords. */
  maxRecords?: number;
}

const STRATEGIES: AssignmentStrategy[] = ['range', 'roundrobin', 'cooperative-sticky'];

function isNonEmpty(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.length === 0)
    throw new TypeError(`option '${name}' must be a non-empty string`);
}

const CONSUMER_OPTIONS: OptionTable = {
  ...COMMON_OPTIONS,
  groupId: { property: 'group.id', check: isNonEmpty },
  autoOffsetReset: { property: 'auto.offset.reset', check: oneOf(['earliest', 'latest', 'error']) },
  enableAutoCommit: { property: 'enable.auto.commit', check: isBoolean },
  autoCommitIntervalMs: ranged('auto.commit.interval.ms'),
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
  sessionTimeoutMs: ranged('session.timeout.ms'),
  heartbeatIntervalMs: ranged('heartbeat.interval.ms'),
  maxPollIntervalMs: ranged('max.poll.interval.ms'),
  fetchMinBytes: ranged('fetch.min.bytes'),
  fetchMaxBytes: ranged('fetch.max.bytes'),
  fetchMaxWaitMs: ranged('fetch.wait.max.ms'),
  maxPartitionFetchBytes: ranged('max.partition.fetch.bytes'),
  onPartitionsAssigned: { check: isFunction },
  onPartitionsRevoked: { check: isFunction },
};

/** librdkafka properties for consumer options (exported for tests and tools). */
export function consumerConfig(options: ConsumerOptions<unknown, unknown>): NativeConfig {
  return toRdkafka(
    {
      kind: 'KafkaConsumer',
      table: CONSUMER_OPTIONS,
      defaults: {
        'auto.offset.reset': 'latest',
        'enable.auto.commit': true,
        'enable.partition.eof': false,
        // librdkafka postpones a partition's next fetch by this much once its queue passes
        // queued.min.messages. Its default (1000 ms) suits C applications that drain faster than the fetcher
        // fills; a consumer handling records in JS crosses the threshold and sits idle (docs/internals/performance-journal.md).
        'fetch.queue.backoff.ms': 5,
      },
      derive: (opts, config) => {
        const rdkafka = opts.rdkafka as NativeConfig | undefined;
        if (opts.groupId === undefined && rdkafka?.['group.id'] === undefined) {
          // librdkafka needs a group even for assign(); a private one never collides and never commits.
          config['group.id'] = privateGroupId();
          config['enable.auto.commit'] = false;
        }
      },
      // The consumer stores offsets itself, only for records the application has consumed
      // (src/consumer/offsets.ts): librdkafka storing them as it hands messages over would commit unread ones.
      forced: { 'enable.auto.offset.store': false },
    },
    options,
  );
}

const PRIVATE_GROUP_PREFIX = 'kafka-napi-private-';

function privateGroupId(): string {
  return `${PRIVATE_GROUP_PREFIX}${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** The group was generated by consumerConfig (no commits). */
export function isPrivateGroup(config: NativeConfig): boolean {
  return String(config['group.id']).startsWith(PRIVATE_GROUP_PREFIX);
}

/** A subscription: topic names (checked as Kafka does) or one RegExp. `[]` only where "none" makes sense. */
export function subscriptionArg(topics: unknown, name: string, emptyAllowed: boolean): string[] {
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
