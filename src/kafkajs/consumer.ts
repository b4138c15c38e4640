/**
 * kafkajs's Consumer over kafka-napi's KafkaConsumer (the engine), created by run() with what
 * subscribe() gathered, and closed by stop() or disconnect().
 *
 * - `fromBeginning` is per subscribe() call, as in kafkajs: librdkafka's offset reset is one per client,
 *   so when subscriptions disagree the engine starts from the end and, on each assignment, partitions of
 *   `fromBeginning` topics without a committed offset are sent to the beginning.
 * - A RegExp subscribes to the matching topics that exist at subscribe() time, as kafkajs does.
 * - librdkafka commits nothing by itself here: what the handlers finished is committed by the runner
 *   (src/kafkajs/runner.ts), and before partitions are revoked, so the next owner starts where this one
 *   stopped.
 * - Group protocols: the classic protocol with kafkajs's assigners (roundRobin by default; librdkafka's
 *   'range' and 'cooperative-sticky' by name), or KIP-848 with `groupProtocol: 'consumer'`.
 */
import { KafkaAdmin } from '../admin';
import { KafkaConsumer, type AssignmentStrategy, type ConsumerOptions } from '../consumer';
import { KafkaProducer } from '../producer';
import type { CommonOptions, TopicPartition } from '../core/types';
import type { ClientContext } from './connection';
import { AssignerProtocol, librdkafkaAssignor } from './enums';
import { createErrorFromCode, KafkaJSError, KafkaJSNonRetriableError, toKafkaJSError } from './errors';
import { CONSUMER_EVENTS, Instrumentation } from './instrumentation';
import type { Logger } from './logger';
import { ownMembers } from './members';
import { tpKey } from './offsets';
import { Runner, type RunnerHost } from './runner';
import type {
  Consumer,
  ConsumerConfig,
  ConsumerRunConfig,
  ConsumerSubscribeTopic,
  ConsumerSubscribeTopics,
  GroupDescription,
  RetryOptions,
  TopicPartitionOffset,
  TopicPartitionOffsetAndMetadata,
  TopicPartitions,
} from './types';

/** How long run() waits for a KIP-848 member's first partitions (the broker's heartbeat interval is 5 s). */
const KIP848_JOIN_WAIT_MS = 10_000;

/** kafkajs's consumer config plus what this layer adds (documented in docs/kafkajs.md). */
export interface KafkaJSConsumerConfig extends ConsumerConfig {
  /** 'consumer' joins with KIP-848's protocol (Kafka 4.0+); default 'classic'. */
  groupProtocol?: 'classic' | 'consumer';
  /** Raw librdkafka properties, applied last. */
  rdkafka?: Record<string, string | number | boolean>;
}

export class KafkaJSConsumer implements Consumer {
  declare readonly events: typeof CONSUMER_EVENTS;
  readonly #context: ClientContext;
  readonly #config: KafkaJSConsumerConfig;
  readonly #logger: Logger;
  readonly #instrumentation = new Instrumentation(CONSUMER_EVENTS);
  /** topic -> fromBeginning, in subscription order. */
  readonly #topics = new Map<string, boolean>();
  readonly #paused = new Map<string, TopicPartition>();
  /** Seeks for partitions not assigned yet: applied when they are. */
  readonly #pendingSeeks = new Map<string, TopicPartitionOffset>();
  #options: CommonOptions | undefined;
  #engine: KafkaConsumer<Buffer, Buffer> | undefined;
  #runner: Runner | undefined;
  #runConfig: ConsumerRunConfig | undefined;
  #admin: KafkaAdmin | undefined;
  #restartTimer: NodeJS.Timeout | undefined;
  #joined: (() => void) | undefined;
  #stopping: Promise<void> | undefined;
  /** The consumer is leaving its group (stop, disconnect, crash). */
  #leaving = false;

  constructor(context: ClientContext, config: KafkaJSConsumerConfig) {
    if (typeof config !== 'object' || config === null || !config.groupId) {
      throw new KafkaJSNonRetriableError('Consumer groupId must be a non-empty string.');
    }
    const { sessionTimeout = 30_000, heartbeatInterval = 3_000 } = config;
    if (heartbeatInterval >= sessionTimeout) {
      throw new KafkaJSNonRetriableError(
        `Consumer heartbeatInterval (${heartbeatInterval}) must be lower than sessionTimeout (${sessionTimeout}). It is recommended to set heartbeatInterval to approximately a third of the sessionTimeout.`,
      );
    }
    this.#context = context;
    this.#config = config;
    this.#logger = context.logger.namespace('Consumer');
    // A custom assigner cannot run: librdkafka runs the assignment in C. The group still balances with
    // librdkafka's round robin (what libraries such as NestJS's reply assigner need: distinct partitions
    // per member), and the log says so, once per consumer.
    const custom = (config.partitionAssigners ?? []).filter(
      (a) => librdkafkaAssignor(a) === undefined && !isStrategyName(a),
    );
    if (custom.length > 0) {
      this.#logger.warn(
        `${custom.length} custom partition assigner(s) cannot run on librdkafka, which assigns in C: using 'roundrobin' instead (docs/kafkajs.md)`,
        { groupId: config.groupId },
      );
    }
    // prettier-ignore
    ownMembers(this, [
      'connect', 'disconnect', 'subscribe', 'stop', 'run', 'commitOffsets', 'seek', 'describeGroup', 'pause',
      'paused', 'resume', 'on', 'events', 'logger',
    ], { events: CONSUMER_EVENTS });
  }

  logger(): Logger {
    return this.#logger;
  }

  /** kafkajs's kafka.consumer() defaults the consumer's own retry to { retries: 5 }, over the client's. */
  get #retryOption(): RetryOptions {
    return this.#config.retry ?? { retries: 5 };
  }

  on(eventName: string, listener: (event: never) => void): () => void {
    // A listener that throws or rejects is logged, never crashes the consumer (as in kafkajs).
    return this.#instrumentation.on(eventName, (event) => {
      try {
        Promise.resolve((listener as (e: unknown) => unknown)(event)).catch((e: unknown) =>
          this.#logger.error(`Failed to execute listener: ${(e as Error)?.message}`, { eventName }),
        );
      } catch (e) {
        this.#logger.error(`Failed to execute listener: ${(e as Error)?.message}`, { eventName });
      }
    });
  }

  async connect(): Promise<void> {
    try {
      this.#options = await this.#context.options('Consumer', this.#retryOption);
    } catch (err) {
      throw toKafkaJSError(err);
    }
    this.#instrumentation.emit(CONSUMER_EVENTS.CONNECT);
  }

  async disconnect(): Promise<void> {
    await this.stop();
    const admin = this.#admin;
    this.#admin = undefined;
    await admin?.close();
    this.#options = undefined;
    this.#instrumentation.emit(CONSUMER_EVENTS.DISCONNECT);
  }

  async subscribe(subscription: ConsumerSubscribeTopics | ConsumerSubscribeTopic): Promise<void> {
    if (this.#engine) throw new KafkaJSNonRetriableError('Cannot subscribe to topic while consumer is running');
    const {
      topics,
      topic,
      fromBeginning = false,
    } = (subscription ?? {}) as Partial<ConsumerSubscribeTopics & ConsumerSubscribeTopic>;
    if (!topic && !topics) throw new KafkaJSNonRetriableError('Missing required argument "topics"');
    if (topics != null && !Array.isArray(topics))
      throw new KafkaJSNonRetriableError('Argument "topics" must be an array');
    const list = topics ?? [topic as string | RegExp];
    for (const t of list) {
      if (typeof t !== 'string' && !(t instanceof RegExp)) {
        throw new KafkaJSNonRetriableError(
          `Invalid topic ${String(t)} (${typeof t}), the topic name has to be a String or a RegExp`,
        );
      }
    }
    const patterns = list.filter((t): t is RegExp => t instanceof RegExp);
    const named = list.filter((t): t is string => typeof t === 'string');
    const noCreation = this.#config.allowAutoTopicCreation === false;
    const existing = patterns.length > 0 || (noCreation && named.length > 0) ? await this.#listTopics() : [];
    // kafkajs loads the topics' metadata at subscribe(): without auto creation, a missing one is refused.
    if (noCreation && named.some((t) => !existing.includes(t))) throw createErrorFromCode(3); // UNKNOWN_TOPIC_OR_PARTITION
    for (const t of list) {
      if (typeof t === 'string') this.#topics.set(t, fromBeginning);
      else for (const name of existing.filter((n) => t.test(n))) this.#topics.set(name, fromBeginning);
    }
    if (named.length > 0 && !noCreation) await this.#askForTopics(named);
  }

  /**
   * kafkajs asks for the subscribed topics' metadata at subscribe(), which lets the broker create missing
   * ones (auto.create.topics.enable). librdkafka's consumer never asks for creation on subscribe, so
   * the same metadata request goes out here, from a short-lived producer (whose requests may create).
   * A topic that still does not exist is left to the group, which waits for it.
   */
  async #askForTopics(topics: string[]): Promise<void> {
    const options = this.#options ?? (await this.#context.options('Consumer', this.#retryOption));
    const producer = new KafkaProducer({
      ...options,
      rdkafka: { ...options.rdkafka, 'allow.auto.create.topics': true },
    });
    try {
      await Promise.all(topics.map((t) => producer.partitionInfo(t, 10_000).catch(() => undefined)));
    } finally {
      await producer.close();
    }
  }

  /** Starts consuming; resolves once the consumer joined its group (its first assignment). */
  async run(config: ConsumerRunConfig = {}): Promise<void> {
    if (this.#engine) {
      this.#logger.warn('consumer#run was called, but the consumer is already running', {
        groupId: this.#config.groupId,
      });
      return;
    }
    if (!this.#options) {
      // kafkajs's run() connects a consumer that was never connected.
      try {
        this.#options = await this.#context.options('Consumer', this.#retryOption);
      } catch (err) {
        throw toKafkaJSError(err);
      }
    }
    this.#runConfig = config;
    await this.#start();
  }

  async #start(): Promise<void> {
    const config = this.#runConfig ?? {};
    let engine: KafkaConsumer<Buffer, Buffer>;
    try {
      engine = this.#createEngine();
    } catch (err) {
      throw toKafkaJSError(err);
    }
    this.#engine = engine;
    const joined = new Promise<void>((resolve) => (this.#joined = resolve));
    try {
      if (this.#topics.size > 0) engine.subscribe([...this.#topics.keys()]);
    } catch (err) {
      this.#engine = undefined;
      await engine.close();
      throw toKafkaJSError(err);
    }
    this.#runner = new Runner(engine, config, this.#runnerHost());
    this.#logger.info('Starting', { groupId: this.#config.groupId });
    if (this.#topics.size === 0) {
      // No subscribed topic exists (a RegExp that matched none): there is nothing to join with. kafkajs
      // joins with an empty subscription and reports an empty assignment at once; so does run() here.
      this.#emitGroupJoin(Date.now(), {});
      return;
    }
    // kafkajs resolves run() after joining: messages sent after it are not missed by a consumer that
    // starts from the end. Bounded: a group that never assigns does not hold run() forever. The classic
    // protocol reports every assignment, an empty one included, within the rebalance; KIP-848 reports
    // none for a member given nothing, so there the wait ends after a few heartbeats' worth.
    const timeout =
      this.#config.groupProtocol === 'consumer' ? KIP848_JOIN_WAIT_MS : (this.#config.rebalanceTimeout ?? 60_000);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([joined, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeout)))]);
    clearTimeout(timer);
  }

  #createEngine(): KafkaConsumer<Buffer, Buffer> {
    const c = this.#config;
    const base = this.#options!;
    const rdkafka: Record<string, string | number | boolean> = { ...base.rdkafka };
    rdkafka['allow.auto.create.topics'] = c.allowAutoTopicCreation ?? true;
    if (c.metadataMaxAge !== undefined) rdkafka['metadata.max.age.ms'] = Math.max(1, c.metadataMaxAge);
    if (c.rackId !== undefined) rdkafka['client.rack'] = c.rackId;
    if (c.maxInFlightRequests != null) {
      rdkafka['max.in.flight.requests.per.connection'] = Math.max(1, c.maxInFlightRequests);
    }
    const beginnings = [...this.#topics.values()];
    const options: ConsumerOptions<Buffer, Buffer> = {
      ...base,
      rdkafka: { ...rdkafka, ...c.rdkafka },
      groupId: c.groupId,
      enableAutoCommit: false,
      // All subscriptions agree: librdkafka's own reset does it; otherwise see onAssigned.
      autoOffsetReset: beginnings.length > 0 && beginnings.every((b) => b) ? 'earliest' : 'latest',
      isolationLevel: c.readUncommitted ? 'read_uncommitted' : 'read_committed',
      maxPollRecords: 10_000,
      onPartitionsAssigned: (tps) => this.#onAssigned(tps),
      onPartitionsRevoked: (tps) => this.#onRevoked(tps),
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

  #runnerHost(): RunnerHost {
    const retry = this.#context.retry(this.#retryOption);
    return {
      groupId: this.#config.groupId,
      heartbeatInterval: this.#config.heartbeatInterval ?? 3_000,
      logger: this.#logger,
      instrumentation: this.#instrumentation,
      retry,
      memberId: () => this.#memberId(),
      isPaused: (topic, partition) => this.#paused.has(tpKey(topic, partition)),
      anyPaused: () => this.#paused.size > 0,
      pause: (topic, partition) => this.pause([{ topic, partitions: [partition] }]),
      resume: (topic, partition) => this.resume([{ topic, partitions: [partition] }]),
      crashed: (error) => void this.#onCrash(error),
    };
  }

  #memberId(): string {
    try {
      return this.#engine?.memberId() ?? '';
    } catch {
      return '';
    }
  }

  /** kafkajs's crash: logged, CRASH emitted, the consumer stopped, and restarted when retriable. */
  async #onCrash(error: Error): Promise<void> {
    const groupId = this.#config.groupId;
    this.#logger.error(`Crash: ${error.name}: ${error.message}`, { groupId, stack: error.stack });
    const original = rootCause(error);
    const retriable =
      error.name === 'KafkaJSNumberOfRetriesExceeded' || (original as { retriable?: unknown }).retriable === true;
    const retry = { ...this.#context.config.retry, ...this.#retryOption };
    let restart = retriable;
    if (retriable && retry.restartOnFailure) {
      restart = await retry.restartOnFailure(error).catch((e: unknown) => {
        this.#logger.error(
          'Caught error when invoking user-provided "restartOnFailure" callback. Defaulting to restarting.',
          { error: (e as Error)?.message ?? String(e), cause: error.message, groupId },
        );
        return true;
      });
    }
    // kafkajs disconnects a crashed consumer (STOP, DISCONNECT), then emits CRASH; a restart connects it
    // again. The configuration stays resolved here, so a restart needs no new connect().
    await this.#shutdown();
    this.#instrumentation.emit(CONSUMER_EVENTS.STOP);
    this.#instrumentation.emit(CONSUMER_EVENTS.DISCONNECT);
    this.#instrumentation.emit(CONSUMER_EVENTS.CRASH, { error, groupId, restart });
    if (restart && this.#options) {
      const retryTime =
        (error as { retryTime?: number }).retryTime ?? this.#context.retry(this.#retryOption).initialRetryTime;
      this.#logger.error(`Restarting the consumer in ${retryTime}ms`, { groupId, retryTime });
      this.#restartTimer = setTimeout(() => {
        this.#restartTimer = undefined;
        if (this.#options && !this.#engine) {
          this.#start().catch((e: unknown) => void this.#onCrash(toKafkaJSError(e) as Error));
        }
      }, retryTime);
    }
  }

  #emitGroupJoin(began: number, memberAssignment: Record<string, number[]>): void {
    this.#instrumentation.emit(CONSUMER_EVENTS.GROUP_JOIN, () => ({
      duration: Date.now() - began,
      groupId: this.#config.groupId,
      isLeader: false,
      leaderId: '',
      groupProtocol:
        this.#config.groupProtocol === 'consumer' ? 'consumer' : protocolName(this.#config.partitionAssigners),
      memberId: this.#memberId(),
      memberAssignment,
    }));
  }

  /** Stops the loop, commits what was resolved, leaves the group; run() may be called again. */
  async stop(): Promise<void> {
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    if (!this.#engine) return;
    this.#stopping ??= this.#shutdown().then(() => {
      this.#instrumentation.emit(CONSUMER_EVENTS.STOP);
      this.#logger.info('Stopped', { groupId: this.#config.groupId });
    });
    try {
      await this.#stopping;
    } finally {
      this.#stopping = undefined;
    }
  }

  async #shutdown(): Promise<void> {
    const engine = this.#engine;
    const runner = this.#runner;
    if (!engine) return;
    this.#leaving = true;
    if (runner) {
      await runner.stop();
      if (runner.autoCommit) await runner.commitResolved().catch((e: unknown) => this.#commitFailed(e));
    }
    this.#runner = undefined;
    this.#engine = undefined;
    this.#paused.clear();
    try {
      await engine.close();
    } finally {
      this.#leaving = false;
    }
  }

  #commitFailed(e: unknown): void {
    this.#logger.warn(`Offset commit failed: ${(e as Error)?.message ?? String(e)}`, { groupId: this.#config.groupId });
  }

  async commitOffsets(topicPartitions: TopicPartitionOffsetAndMetadata[]): Promise<void> {
    const list = (topicPartitions ?? []).map(({ topic, partition, offset, metadata }) => {
      if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
      if (typeof partition !== 'number' || Number.isNaN(partition)) {
        throw new KafkaJSNonRetriableError(`Invalid partition, expected a number received ${String(partition)}`);
      }
      const n = Number(offset);
      // Number(null) and Number('') are 0: kafkajs refuses them as not a long.
      if (offset === null || offset === undefined || String(offset).trim() === '' || !Number.isInteger(n))
        throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${String(offset)}`);
      if (n < 0) throw new KafkaJSNonRetriableError('Offset must not be a negative number');
      if (metadata != null && typeof metadata !== 'string') {
        throw new KafkaJSNonRetriableError(
          `Invalid offset metadata, expected string or null, received ${String(metadata)}`,
        );
      }
      return { topic, partition, offset: n };
    });
    const runner = this.#runner;
    if (!runner)
      throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first');
    try {
      await runner.commit(list);
    } catch (err) {
      throw toKafkaJSError(err);
    }
  }

  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    if (typeof partition !== 'number' || Number.isNaN(partition)) {
      throw new KafkaJSNonRetriableError(`Invalid partition, expected a number received ${String(partition)}`);
    }
    const n = Number(offset);
    if (offset === null || offset === undefined || String(offset).trim() === '' || !Number.isInteger(n)) {
      throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${String(offset)}`);
    }
    // -1 and -2: the end and the beginning (kafkajs's special offsets).
    if (n < 0 && n !== -1 && n !== -2) throw new KafkaJSNonRetriableError('Offset must not be a negative number');
    const engine = this.#engine;
    const runner = this.#runner;
    if (!engine || !runner) {
      throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first');
    }
    const assigned = engine.assignment().some((tp) => tp.topic === topic && tp.partition === partition);
    runner.markStale(topic, partition, assigned ? () => this.#seekEngine(engine, topic, partition, n) : undefined);
    if (!assigned) {
      this.#pendingSeeks.set(tpKey(topic, partition), { topic, partition, offset: String(n) });
      return;
    }
    this.#seekNow(engine, runner, topic, partition, n);
  }

  #seekEngine(engine: KafkaConsumer<Buffer, Buffer>, topic: string, partition: number, n: number): void {
    if (n === -2) engine.seekToBeginning([{ topic, partition }]);
    else if (n === -1) engine.seekToEnd([{ topic, partition }]);
    else engine.seek({ topic, partition, offset: n });
  }

  #seekNow(engine: KafkaConsumer<Buffer, Buffer>, runner: Runner, topic: string, partition: number, n: number): void {
    this.#seekEngine(engine, topic, partition, n);
    // kafkajs commits a seek when it auto-commits: a restart resumes from there.
    if (runner.autoCommit && n >= 0) {
      runner.commit([{ topic, partition, offset: n }], false).catch((e: unknown) => this.#commitFailed(e));
    } else if (n > 0) {
      runner.offsets.resolve(topic, partition, n - 1);
    }
  }

  async describeGroup(): Promise<GroupDescription> {
    const groupId = this.#config.groupId;
    try {
      const admin = await this.#adminClient();
      const [group] = await admin.describeConsumerGroups([groupId]);
      if (group.error) throw group.error;
      const subscription = [...this.#topics.keys()];
      return {
        groupId,
        protocol: group.protocol,
        protocolType: 'consumer',
        state: kafkaGroupState(group.state),
        members: group.members.map((m) => {
          const assignment: Record<string, number[]> = {};
          for (const tp of m.assignment) (assignment[tp.topic] ??= []).push(tp.partition);
          return {
            memberId: m.memberId,
            clientId: m.clientId,
            clientHost: m.host,
            memberMetadata: AssignerProtocol.MemberMetadata.encode({
              version: 0,
              topics: m.memberId === this.#memberId() ? subscription : Object.keys(assignment),
              userData: Buffer.alloc(0),
            }),
            memberAssignment: AssignerProtocol.MemberAssignment.encode({
              version: 0,
              assignment,
              userData: Buffer.alloc(0),
            }),
          };
        }),
      };
    } catch (err) {
      throw toKafkaJSError(err);
    }
  }

  pause(topics: Array<{ topic: string; partitions?: number[] }> = []): void {
    const list = this.#topicPartitions(topics, 'pause');
    for (const tp of list) this.#paused.set(tpKey(tp.topic, tp.partition), tp);
    const engine = this.#engine;
    const assigned = engine ? engine.assignment() : [];
    const live = list.filter((tp) => assigned.some((a) => a.topic === tp.topic && a.partition === tp.partition));
    if (engine && live.length > 0) engine.pause(live);
  }

  resume(topics: Array<{ topic: string; partitions?: number[] }> = []): void {
    const list = this.#topicPartitions(topics, 'resume');
    for (const tp of list) this.#paused.delete(tpKey(tp.topic, tp.partition));
    // A whole topic resumes every partition of it, assigned or not.
    const whole = new Set(topics.filter((t) => t.partitions === undefined).map((t) => t.topic));
    if (whole.size > 0) for (const [key, tp] of this.#paused) if (whole.has(tp.topic)) this.#paused.delete(key);
    const engine = this.#engine;
    const assigned = engine ? engine.assignment() : [];
    const live = list.filter((tp) => assigned.some((a) => a.topic === tp.topic && a.partition === tp.partition));
    if (engine && live.length > 0) engine.resume(live);
  }

  /** The assigned partitions that are paused, by topic, in partition order (as kafkajs lists them). */
  paused(): TopicPartitions[] {
    const engine = this.#engine;
    if (!engine) return [];
    const assigned = new Set(engine.assignment().map((tp) => tpKey(tp.topic, tp.partition)));
    const byTopic = new Map<string, number[]>();
    for (const [key, { topic, partition }] of this.#paused) {
      if (!assigned.has(key)) continue;
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push(partition);
    }
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
  }

  /** kafkajs's argument: topics with an optional partition list (none: every assigned partition). */
  #topicPartitions(topics: Array<{ topic: string; partitions?: number[] }>, call: string): TopicPartition[] {
    if (!Array.isArray(topics))
      throw new KafkaJSNonRetriableError(`${call}() takes an array of { topic, partitions? }`);
    for (const t of topics) {
      if (!t || !t.topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(t?.topic ?? t)}`);
      if (
        t.partitions !== undefined &&
        (!Array.isArray(t.partitions) || t.partitions.some((p) => Number.isNaN(Number(p))))
      ) {
        throw new KafkaJSNonRetriableError(
          `Array of valid partitions required to ${call} specific partitions instead of ${String(t.partitions)}`,
        );
      }
    }
    if (!this.#engine) {
      throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first');
    }
    const assigned = this.#engine.assignment();
    return topics.flatMap((t) =>
      t.partitions !== undefined
        ? t.partitions.map((partition) => ({ topic: t.topic, partition: Number(partition) }))
        : assigned.filter((a) => a.topic === t.topic),
    );
  }

  async #onAssigned(partitions: TopicPartition[]): Promise<void> {
    const engine = this.#engine;
    const runner = this.#runner;
    if (!engine) return;
    const began = Date.now();
    try {
      await this.#startPositions(engine, partitions);
      for (const tp of partitions) {
        const key = tpKey(tp.topic, tp.partition);
        const seek = this.#pendingSeeks.get(key);
        if (seek && runner) {
          this.#pendingSeeks.delete(key);
          this.#seekNow(engine, runner, tp.topic, tp.partition, Number(seek.offset));
        }
        if (this.#paused.has(key)) engine.pause([tp]);
      }
    } catch (err) {
      this.#logger.error(`Failed to set the start of assigned partitions: ${(err as Error)?.message}`, {
        groupId: this.#config.groupId,
      });
    }
    const memberAssignment: Record<string, number[]> = {};
    for (const tp of engine.assignment()) (memberAssignment[tp.topic] ??= []).push(tp.partition);
    this.#emitGroupJoin(began, memberAssignment);
    // KIP-848 reports an empty assignment before the first heartbeat answers: that is not joined yet.
    if (this.#config.groupProtocol !== 'consumer' || Object.keys(memberAssignment).length > 0) {
      this.#joined?.();
      this.#joined = undefined;
    }
  }

  /**
   * Where partitions without a committed offset start. All subscriptions `fromBeginning`: librdkafka's
   * 'earliest' reset does it. Otherwise the start is fixed here, before run() resolves: the current end
   * for the others (so a message sent once run() resolved is never skipped by a reset that ran after
   * it), the beginning for `fromBeginning` topics.
   */
  async #startPositions(engine: KafkaConsumer<Buffer, Buffer>, partitions: TopicPartition[]): Promise<void> {
    if (partitions.length === 0 || [...this.#topics.values()].every((b) => b)) return;
    const committed = await engine.committed(partitions);
    const fresh = committed.filter((c) => c.offset < 0).map(({ topic, partition }) => ({ topic, partition }));
    const beginning = fresh.filter((tp) => this.#topics.get(tp.topic) === true);
    const end = fresh.filter((tp) => this.#topics.get(tp.topic) !== true);
    if (beginning.length > 0) engine.seekToBeginning(beginning);
    if (end.length > 0) {
      for (const tp of await engine.endOffsets(end)) engine.seek(tp);
    }
  }

  async #onRevoked(partitions: TopicPartition[]): Promise<void> {
    const runner = this.#runner;
    // A stop or disconnect gives the partitions back without a rebalance: kafkajs emits nothing then.
    if (!this.#leaving) {
      this.#instrumentation.emit(CONSUMER_EVENTS.REBALANCING, () => ({
        groupId: this.#config.groupId,
        memberId: this.#memberId(),
      }));
    }
    if (!runner) return;
    // What the handlers are doing with these partitions finishes first; then what they finished is
    // committed, so the next owner starts exactly after it.
    await runner.idle();
    const revoked = new Set(partitions.map((tp) => tpKey(tp.topic, tp.partition)));
    if (runner.autoCommit) {
      await runner
        .commitResolved((topic, partition) => revoked.has(tpKey(topic, partition)))
        .catch((e: unknown) => this.#commitFailed(e));
    }
    for (const tp of partitions) runner.offsets.forget(tp.topic, tp.partition);
  }

  async #adminClient(): Promise<KafkaAdmin> {
    if (!this.#options) throw new KafkaJSError('The consumer is disconnected');
    this.#admin ??= new KafkaAdmin(this.#options);
    return this.#admin;
  }

  async #listTopics(): Promise<string[]> {
    const options = this.#options ?? (await this.#context.options('Consumer', this.#retryOption));
    const admin = new KafkaAdmin(options);
    try {
      return await admin.listTopics();
    } catch (err) {
      throw toKafkaJSError(err);
    } finally {
      await admin.close();
    }
  }
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

function protocolName(assigners: ConsumerConfig['partitionAssigners']): string {
  const first = assigners?.[0];
  if (first === undefined || librdkafkaAssignor(first) === 'roundrobin') return 'RoundRobinAssigner';
  return isStrategyName(first) ? first : 'unknown';
}

/** Kafka's state names (kafka-napi writes them in camel case). */
function kafkaGroupState(state: string): GroupDescription['state'] {
  const name = state.charAt(0).toUpperCase() + state.slice(1);
  const known = ['PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead', 'Empty'];
  return (known.includes(name) ? name : 'Unknown') as GroupDescription['state'];
}

function rootCause(error: Error): unknown {
  let e: unknown = error;
  while ((e as { cause?: unknown })?.cause) e = (e as { cause: unknown }).cause;
  return e;
}
