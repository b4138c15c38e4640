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
import { KafkaAdmin } from '../../admin';
import type { KafkaConsumer } from '../../consumer';
import type { CommonOptions, TopicPartition } from '../../core/types';
import type { ClientContext } from '../connection';
import { KafkaJSError, KafkaJSNonRetriableError, toKafkaJSError } from '../errors';
import { CONSUMER_EVENTS, Instrumentation } from '../instrumentation';
import type { Logger } from '../logger';
import { ownMembers } from '../members';
import { tpKey } from '../offsets';
import { Runner, type RunnerHost } from '../runner';
import type {
  Consumer,
  ConsumerRunConfig,
  ConsumerSubscribeTopic,
  ConsumerSubscribeTopics,
  GroupDescription,
  RetryOptions,
  TopicPartitionOffset,
  TopicPartitionOffsetAndMetadata,
  TopicPartitions,
} from '../types';
import { commitOffsetsArg, pauseArg, seekArg, subscriptionArg } from './args';
import { describeGroup } from './describe';
import { checkConsumerConfig, createEngine, seekEngine, startPositions, type KafkaJSConsumerConfig } from './engine';
import { PausedPartitions } from './paused';
import { shouldRestart } from './crash';
import { byTopic, groupJoinPayload, joinWaitMs, releasePartitions, untilJoined } from './rebalance';
import { resolveSubscription } from './subscription';

export class KafkaJSConsumer implements Consumer {
  declare readonly events: typeof CONSUMER_EVENTS;
  readonly #context: ClientContext;
  readonly #config: KafkaJSConsumerConfig;
  readonly #logger: Logger;
  readonly #instrumentation = new Instrumentation(CONSUMER_EVENTS);
  /** topic -> fromBeginning, in subscription order. */
  readonly #topics = new Map<string, boolean>();
  readonly #paused = new PausedPartitions();
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
    this.#context = context;
    this.#config = config;
    this.#logger = context.logger.namespace('Consumer');
    checkConsumerConfig(config, this.#logger);
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
    return this.#instrumentation.onGuarded(eventName, listener as (e: unknown) => unknown, this.#logger);
  }

  async connect(): Promise<void> {
    await this.#connect();
    this.#instrumentation.emit(CONSUMER_EVENTS.CONNECT);
  }

  /** Resolves the client's options (brokers, authentication): what kafkajs's connect establishes. */
  async #connect(): Promise<void> {
    try {
      this.#options = await this.#context.options('Consumer', this.#retryOption);
    } catch (err) {
      throw toKafkaJSError(err);
    }
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
    const { list, fromBeginning } = subscriptionArg(subscription);
    const autoCreate = this.#config.allowAutoTopicCreation !== false;
    const names = await resolveSubscription(list, autoCreate, () => this.#resolvedOptions());
    for (const name of names) this.#topics.set(name, fromBeginning);
  }

  /** The client's options: resolved at connect(), or now for a call before it. */
  async #resolvedOptions(): Promise<CommonOptions> {
    return this.#options ?? (await this.#context.options('Consumer', this.#retryOption));
  }

  /** Starts consuming; resolves once the consumer joined its group (its first assignment). */
  async run(config: ConsumerRunConfig = {}): Promise<void> {
    if (this.#engine) {
      this.#logger.warn('consumer#run was called, but the consumer is already running', {
        groupId: this.#config.groupId,
      });
      return;
    }
    // kafkajs's run() connects a consumer that was never connected.
    if (!this.#options) await this.#connect();
    this.#runConfig = config;
    await this.#start();
  }

  async #start(): Promise<void> {
    const config = this.#runConfig ?? {};
    let engine: KafkaConsumer<Buffer, Buffer>;
    try {
      engine = createEngine(this.#config, this.#options!, [...this.#topics.values()], {
        onPartitionsAssigned: (tps) => this.#onAssigned(tps),
        onPartitionsRevoked: (tps) => this.#onRevoked(tps),
      });
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
    // starts from the end. Bounded: a group that never assigns does not hold run() forever.
    await untilJoined(joined, joinWaitMs(this.#config));
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
      isPaused: (topic, partition) => this.#paused.has(topic, partition),
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
    const retry = { ...this.#context.config.retry, ...this.#retryOption };
    const restart = await shouldRestart(error, retry, this.#logger, groupId);
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
    this.#instrumentation.emit(CONSUMER_EVENTS.GROUP_JOIN, () =>
      groupJoinPayload(this.#config, began, this.#memberId(), memberAssignment),
    );
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
    const list = commitOffsetsArg(topicPartitions);
    const runner = this.#runner;
    if (!runner)
      throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first');
    try {
      await runner.commit(list);
    } catch (err) {
      throw toKafkaJSError(err);
    }
  }

  seek(tp: TopicPartitionOffset): void {
    const n = seekArg(tp);
    const { topic, partition } = tp;
    const engine = this.#engine;
    const runner = this.#runner;
    if (!engine || !runner) {
      throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first');
    }
    const assigned = engine.assignment().some((tp) => tp.topic === topic && tp.partition === partition);
    runner.markStale(topic, partition, assigned ? () => seekEngine(engine, topic, partition, n) : undefined);
    if (!assigned) {
      this.#pendingSeeks.set(tpKey(topic, partition), { topic, partition, offset: String(n) });
      return;
    }
    this.#seekNow(engine, runner, topic, partition, n);
  }

  #seekNow(engine: KafkaConsumer<Buffer, Buffer>, runner: Runner, topic: string, partition: number, n: number): void {
    seekEngine(engine, topic, partition, n);
    // kafkajs commits a seek when it auto-commits: a restart resumes from there.
    if (runner.autoCommit && n >= 0) {
      runner.commit([{ topic, partition, offset: n }], false).catch((e: unknown) => this.#commitFailed(e));
    } else if (n > 0) {
      runner.offsets.resolve(topic, partition, n - 1);
    }
  }

  async describeGroup(): Promise<GroupDescription> {
    try {
      const admin = await this.#adminClient();
      const self = { memberId: this.#memberId(), subscription: [...this.#topics.keys()] };
      return await describeGroup(admin, this.#config.groupId, self);
    } catch (err) {
      throw toKafkaJSError(err);
    }
  }

  pause(topics: Array<{ topic: string; partitions?: number[] }> = []): void {
    this.#paused.pause(this.#engine, this.#topicPartitions(topics, 'pause'));
  }

  resume(topics: Array<{ topic: string; partitions?: number[] }> = []): void {
    const list = this.#topicPartitions(topics, 'resume');
    // A whole topic resumes every partition of it, assigned or not.
    const whole = new Set(topics.filter((t) => t.partitions === undefined).map((t) => t.topic));
    this.#paused.resume(this.#engine, list, whole);
  }

  /** The assigned partitions that are paused, by topic, in partition order (as kafkajs lists them). */
  paused(): TopicPartitions[] {
    return this.#paused.listed(this.#engine);
  }

  /** kafkajs's argument: topics with an optional partition list (none: every assigned partition). */
  #topicPartitions(topics: Array<{ topic: string; partitions?: number[] }>, call: string): TopicPartition[] {
    pauseArg(topics, call);
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
      await startPositions(engine, partitions, this.#topics);
      for (const tp of partitions) {
        const key = tpKey(tp.topic, tp.partition);
        const seek = this.#pendingSeeks.get(key);
        if (seek && runner) {
          this.#pendingSeeks.delete(key);
          this.#seekNow(engine, runner, tp.topic, tp.partition, Number(seek.offset));
        }
        if (this.#paused.has(tp.topic, tp.partition)) engine.pause([tp]);
      }
    } catch (err) {
      this.#logger.error(`Failed to set the start of assigned partitions: ${(err as Error)?.message}`, {
        groupId: this.#config.groupId,
      });
    }
    const memberAssignment = byTopic(engine.assignment());
    this.#emitGroupJoin(began, memberAssignment);
    // KIP-848 reports an empty assignment before the first heartbeat answers: that is not joined yet.
    if (this.#config.groupProtocol !== 'consumer' || Object.keys(memberAssignment).length > 0) {
      this.#joined?.();
      this.#joined = undefined;
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
    if (runner) await releasePartitions(runner, partitions, (e) => this.#commitFailed(e));
  }

  async #adminClient(): Promise<KafkaAdmin> {
    if (!this.#options) throw new KafkaJSError('The consumer is disconnected');
    this.#admin ??= new KafkaAdmin(this.#options);
    return this.#admin;
  }
}
