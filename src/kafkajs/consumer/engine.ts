/**
 * The engine a kafkajs consumer runs on: kafkajs's consumer config checked and mapped onto a
 * KafkaConsumer's options, kafkajs's assigners onto librdkafka's strategies, and where partitions
 * without a committed offset start.
 */
import { KafkaConsumer, type AssignmentStrategy, type ConsumerOptions } from '../../consumer';
import type { CommonOptions, TopicPartition } from '../../core/types';
import { librdkafkaAssignor } from '../enums';
import { KafkaJSNonRetriableError } from '../errors';
import type { Logger } from '../logger';
import type { ConsumerConfig } from '../types';

/** kafkajs's consumer config plus what this layer adds (documented in docs/kafkajs.md). */
export interface KafkaJSConsumerConfig extends ConsumerConfig {
  /** 'consumer' joins with KIP-848's protocol (Kafka 4.0+); default 'classic'. */
  groupProtocol?: 'classic' | 'consumer';
  /** Raw librdkafka properties, applied last. */
  rdkafka?: Record<string, string | number | boolean>;
}

/** kafkajs's checks at kafka.consumer(), and the warning about assigners that cannot run. */
export function checkConsumerConfig(config: KafkaJSConsumerConfig, logger: Logger): void {
  if (typeof config !== 'object' || config === null || !config.groupId) {
    throw new KafkaJSNonRetriableError('Consumer groupId must be a non-empty string.');
  }
  const { sessionTimeout = 30_000, heartbeatInterval = 3_000 } = config;
  if (heartbeatInterval >= sessionTimeout) {
    throw new KafkaJSNonRetriableError(
      `Consumer heartbeatInterval (${heartbeatInterval}) must be lower than sessionTimeout (${sessionTimeout}). It is recommended to set heartbeatInterval to approximately a third of the sessionTimeout.`,
    );
  }
  // A custom assigner cannot run: librdkafka runs the assignment in C. The group still balances with
  // librdkafka's round robin (what libraries such as NestJS's reply assigner need: distinct partitions
  // per member), and the log says so, once per consumer.
  const custom = (config.partitionAssigners ?? []).filter(
    (a) => librdkafkaAssignor(a) === undefined && !isStrategyName(a),
  );
  if (custom.length > 0) {
    logger.warn(
      `${custom.length} custom partition assigner(s) cannot run on librdkafka, which assigns in C: using 'roundrobin' instead (docs/kafkajs.md)`,
      { groupId: config.groupId },
    );
  }
}

/** The rebalance callbacks the engine calls. */
export interface EngineHandlers {
  onPartitionsAssigned(partitions: TopicPartition[]): Promise<void>;
  onPartitionsRevoked(partitions: TopicPartition[]): Promise<void>;
}

/**
 * A KafkaConsumer for kafkajs's config `c` over the client's options; `beginnings` is each subscribed
 * topic's fromBeginning.
 */
export function createEngine(
  c: KafkaJSConsumerConfig,
  base: CommonOptions,
  beginnings: boolean[],
  handlers: EngineHandlers,
): KafkaConsumer<Buffer, Buffer> {
  const rdkafka: Record<string, string | number | boolean> = { ...base.rdkafka };
  rdkafka['allow.auto.create.topics'] = c.allowAutoTopicCreation ?? true;
  if (c.metadataMaxAge !== undefined) rdkafka['metadata.max.age.ms'] = Math.max(1, c.metadataMaxAge);
  if (c.rackId !== undefined) rdkafka['client.rack'] = c.rackId;
  if (c.maxInFlightRequests != null) {
    rdkafka['max.in.flight.requests.per.connection'] = Math.max(1, c.maxInFlightRequests);
  }
  const options: ConsumerOptions<Buffer, Buffer> = {
    ...base,
    rdkafka: { ...rdkafka, ...c.rdkafka },
    groupId: c.groupId,
    enableAutoCommit: false,
    // All subscriptions agree: librdkafka's own reset does it; otherwise see startPositions.
    autoOffsetReset: beginnings.length > 0 && beginnings.every((b) => b) ? 'earliest' : 'latest',
    isolationLevel: c.readUncommitted ? 'read_uncommitted' : 'read_committed',
    maxPollRecords: 10_000,
    onPartitionsAssigned: (tps) => handlers.onPartitionsAssigned(tps),
    onPartitionsRevoked: (tps) => handlers.onPartitionsRevoked(tps),
  };
  if (c.groupProtocol === 'consumer') {
    options.groupProtocol = 'consumer';
  } else {
    options.partitionAssignmentStrategy = assignmentStrategy(c.partitionAssigners);
    options.sessionTimeoutMs = c.sessionTimeout ?? 30_000;
    options.heartbeatIntervalMs = c.heartbeatInterval ?? 3_000;
    // kafkajs accepts a rebalance timeout below the session timeout; librdkafka does not.
    if (c.rebalanceTimeout !== undefined)
      options.maxPollIntervalMs = Math.max(c.rebalanceTimeout, options.sessionTimeoutMs);
  }
  options.fetchMinBytes = Math.max(1, c.minBytes ?? 1);
  options.fetchMaxBytes = c.maxBytes ?? 10_485_760;
  // librdkafka wants fetch.max.bytes >= message.max.bytes (1,000,000 by default, a producer limit that
  // does not bound what a consumer receives): a smaller kafkajs maxBytes lowers it too.
  if (options.fetchMaxBytes < 1_000_000) {
    options.fetchMaxBytes = Math.max(1000, options.fetchMaxBytes);
    options.rdkafka = { 'message.max.bytes': options.fetchMaxBytes, ...options.rdkafka };
  }
  // librdkafka applies a seek (a retry's rewind, seek(), resume()) once the fetch in flight returns:
  // kafkajs's 5 s would delay each of them that long on an idle partition, so 500 ms unless asked for.
  options.fetchMaxWaitMs = c.maxWaitTimeInMs ?? 500;
  options.maxPartitionFetchBytes = c.maxBytesPerPartition ?? 1_048_576;
  return new KafkaConsumer<Buffer, Buffer>(undefined, options);
}

/**
 * Where partitions without a committed offset start. All subscriptions `fromBeginning`: librdkafka's
 * 'earliest' reset does it. Otherwise the start is fixed here, before run() resolves: the current end
 * for the others (so a message sent once run() resolved is never skipped by a reset that ran after
 * it), the beginning for `fromBeginning` topics (`topics`: topic -> fromBeginning).
 */
export async function startPositions(
  engine: KafkaConsumer<Buffer, Buffer>,
  partitions: TopicPartition[],
  topics: ReadonlyMap<string, boolean>,
): Promise<void> {
  if (partitions.length === 0 || [...topics.values()].every((b) => b)) return;
  const committed = await engine.committed(partitions);
  const fresh = committed.filter((c) => c.offset < 0).map(({ topic, partition }) => ({ topic, partition }));
  const beginning = fresh.filter((tp) => topics.get(tp.topic) === true);
  const end = fresh.filter((tp) => topics.get(tp.topic) !== true);
  if (beginning.length > 0) engine.seekToBeginning(beginning);
  if (end.length > 0) {
    for (const tp of await engine.endOffsets(end)) engine.seek(tp);
  }
}

/** kafkajs's seek of one partition on the engine: -1 / -2 are the end / the beginning. */
export function seekEngine(engine: KafkaConsumer<Buffer, Buffer>, topic: string, partition: number, n: number): void {
  if (n === -2) engine.seekToBeginning([{ topic, partition }]);
  else if (n === -1) engine.seekToEnd([{ topic, partition }]);
  else engine.seek({ topic, partition, offset: n });
}

/** librdkafka's strategy names, accepted in `partitionAssigners` beside kafkajs's assigners. */
const STRATEGY_NAMES: ReadonlySet<string> = new Set(['roundrobin', 'range', 'cooperative-sticky']);

function isStrategyName(assigner: unknown): assigner is AssignmentStrategy {
  return typeof assigner === 'string' && STRATEGY_NAMES.has(assigner);
}

/** kafkajs's assigners as librdkafka's strategies (roundRobin by default, as in kafkajs). */
function assignmentStrategy(assigners: ConsumerConfig['partitionAssigners']): AssignmentStrategy[] {
  if (!assigners || assigners.length === 0) return ['roundrobin'];
  const strategies = assigners.map((a) =>
    isStrategyName(a) ? a : ((librdkafkaAssignor(a) as AssignmentStrategy | undefined) ?? 'roundrobin'),
  );
  return [...new Set(strategies)];
}

/** The protocol name GROUP_JOIN reports, as kafkajs names its assigners. */
export function protocolName(c: KafkaJSConsumerConfig): string {
  if (c.groupProtocol === 'consumer') return 'consumer';
  const first = c.partitionAssigners?.[0];
  if (first === undefined || librdkafkaAssignor(first) === 'roundrobin') return 'RoundRobinAssigner';
  return isStrategyName(first) ? first : 'unknown';
}
