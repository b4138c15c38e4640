/**
 * KafkaConsumer: iterate it (`for await`), or `poll()` / `batches()` for arrays; `commit()` like
 * kafka-python.
 *
 * Data path: librdkafka fetches in its own threads into its queue (bounded by queued.max.messages.kbytes:
 * that is the backpressure); the JS thread drains it only when the application asks (src/consumer/feed.ts).
 * Offsets: only records the application has consumed are stored for commit (src/consumer/offsets.ts).
 */
import type { Readable } from 'node:stream';

import { KafkaClient } from '../client/base';
import { commitChannel, receiveChannel, type CommitContext, ProcessSpans } from '../observe/diagnostics';
import { KafkaError, kafkaError } from '../core/errors';
import { addon, type NativeConsumer } from '../native/addon';
import { LAG_STATS_INTERVAL_MS } from '../observe/otel/telemetry';
import type { ConsumerRecord, TopicPartition, TopicPartitionOffset } from '../core/types';
import { OFFSET_BEGINNING, OFFSET_END, optionsArg, timeoutArg, topicPartitionsArg } from '../core/validate';
import { Commits, commitArg } from './commits';
import { RecordFeed } from './feed';
import { GroupMembership } from './group';
import { ConsumedOffsets } from './offsets';
import { consumerConfig, isPrivateGroup, subscriptionArg, type ConsumerOptions, type PollOptions } from './options';
import { PartitionFilter } from './partition-filter';
import { Positions, seekArg, seekToArg } from './positions';
import { committedOffsets, offsetsForTimes, watermarkOffsets } from './queries';
import { batchGenerator, consumerStream, maxRecordsArg, recordIterator, type RecordSource } from './iteration';
import { registerNativeConsumer } from './native-handle';
import { Subscription } from './subscription';
import type { ConsumerStreamOptions } from './stream';

/** Client events handled per wake-up before yielding to the event loop. */
const EVENTS_PER_WAKE = 10_000;

/**
 * A consumer: a group member (subscribe) or a reader of chosen partitions (assign). Records come from
 * poll(), from `for await` over the consumer, or from stream(); offsets are committed automatically by
 * default (see ConsumerOptions). Close it with close() or `await using`.
 */
export class KafkaConsumer<K = Buffer, V = Buffer>
  extends KafkaClient<NativeConsumer>
  implements AsyncIterable<ConsumerRecord<K, V>>
{
  readonly #maxPollRecords: number;
  /** No groupId: a generated group that never commits. */
  readonly #privateGroup: boolean;
  readonly #offsets = new ConsumedOffsets();
  readonly #filter = new PartitionFilter();
  readonly #feed: RecordFeed<K, V>;
  readonly #group: GroupMembership;
  readonly #commits: Commits;
  readonly #positions: Positions;
  readonly #subscription: Subscription;
  readonly #groupId: string | undefined;
  readonly #source: RecordSource<K, V> = {
    next: (maxRecords, timeoutMs, onWait) => this.#next(maxRecords, timeoutMs, onWait),
    checkOpen: () => this.checkOpen(),
    takeNow: () =>
      this.#feed.waiting === 0 && !this.closing && !this.turns.overdue() ? this.#feed.takeNow() : undefined,
  };

  constructor(topics: string | string[] | RegExp | undefined, options: ConsumerOptions<K, V>) {
    const config = consumerConfig(options as ConsumerOptions<unknown, unknown>);
    const subscription = topics === undefined ? [] : subscriptionArg(topics, 'topics', true);
    super('KafkaConsumer', options, (wake, lagStats) => {
      // OpenTelemetry's kafka.consumer.lag comes from statistics: on, unless the application chose.
      if (lagStats && config['statistics.interval.ms'] === undefined) {
        config['statistics.interval.ms'] = LAG_STATS_INTERVAL_MS;
      }
      return new addon.Consumer(config, wake);
    });
    this.#maxPollRecords = options.maxPollRecords ?? 500;
    this.#privateGroup = isPrivateGroup(config);
    const groupId = this.#privateGroup ? undefined : options.groupId;
    this.#groupId = groupId;
    const native = this.native;
    const update = (): void => this.#updateRef();
    this.#feed = new RecordFeed<K, V>({
      maxPollRecords: this.#maxPollRecords,
      keyDeserializer: options.keyDeserializer,
      valueDeserializer: options.valueDeserializer,
      strictTopics: options.autoOffsetReset === 'error',
      offsets: this.#offsets,
      filter: this.#filter,
      auth: this.auth,
      turns: this.turns,
      consume: (max) => native.consume(max),
      get rebalancing() {
        return group.rebalancing;
      },
      startRebalance: (rebalance) => group.start(rebalance),
      storeConsumed: () => this.#storeConsumed(),
      warn: (message) => this.log('warn', message),
      waitersChanged: update,
      received: (records) => receiveChannel.publish({ client: this.clientName, groupId, records }),
    });
    const group = new GroupMembership({
      native,
      maxPollRecords: this.#maxPollRecords,
      filter: this.#filter,
      onPartitionsAssigned: options.onPartitionsAssigned,
      onPartitionsRevoked: options.onPartitionsRevoked,
      storeAllConsumed: () => {
        this.#offsets.markConsumed();
        this.#storeConsumed();
      },
      log: (level, message) => this.log(level, message),
      rebalanceChanged: (finished) => (finished && !this.closing ? this.#feed.serve() : update()),
      yieldIfOverdue: () =>
        this.turns.overdue() ? new Promise<void>((resolve) => this.turns.later(resolve)) : Promise.resolve(),
      clientName: this.clientName,
      groupId,
    });
    this.#group = group;
    this.#positions = new Positions(native, this.#filter, (topic, partition) =>
      this.#feed.peekOffset(topic, partition),
    );
    this.#commits = new Commits(native, () => group.rebalancing || this.closing, update);
    this.#subscription = new Subscription(native);
    registerNativeConsumer(this, native);
    if (subscription.length > 0) {
      try {
        this.#subscription.subscribe(subscription);
      } catch (err) {
        // The caller never gets this object: release the native client now rather than leaving it to GC.
        void this.closeOnce(() => native.close());
        throw err;
      }
    }
  }

  /** Replaces the subscription. Strings are topic names; a RegExp subscribes by pattern. */
  subscribe(topics: string | string[] | RegExp): void {
    this.checkOpen();
    this.#subscription.subscribe(subscriptionArg(topics, 'topics', false));
  }

  /** Leaves the subscription: the group revokes this member's partitions. */
  unsubscribe(): void {
    this.checkOpen();
    this.#subscription.unsubscribe();
  }

  /** The topics (and patterns) subscribed to; empty when none. */
  subscription(): string[] {
    return this.#subscription.topics;
  }

  /** Manual assignment (no group rebalancing). Offsets default to the committed / reset position. */
  assign(partitions: Array<TopicPartition & { offset?: number }>): void {
    this.checkOpen();
    this.#subscription.assign(topicPartitionsArg(partitions, 'partitions', 'logical'));
  }

  /** Drops a manual assignment. */
  unassign(): void {
    this.checkOpen();
    this.#subscription.unassign();
  }

  /** The partitions assigned now, by the group or by assign(). */
  assignment(): TopicPartition[] {
    this.checkOpen();
    const a = this.native.assignment();
    return a.topics.map((topic, i) => ({ topic, partition: a.partitions[i] }));
  }

  /** Up to `maxRecords` records; waits up to `timeoutMs` when none are ready. */
  poll(options?: PollOptions): Promise<Array<ConsumerRecord<K, V>>> {
    try {
      const opts = optionsArg(options);
      const timeoutMs = timeoutArg(opts.timeoutMs, 'timeoutMs', 1000, true);
      const maxRecords = maxRecordsArg(opts.maxRecords, this.#maxPollRecords);
      this.checkOpen();
      return this.#feed.request(maxRecords, timeoutMs === -1 ? Infinity : timeoutMs);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /**
   * Arrays of records as they arrive (each at most maxRecords). With `timeoutMs`, the iteration ends once
   * no record arrived for that long (0: as soon as none is ready), like kafka-python's
   * consumer_timeout_ms; by default it waits for ever. Breaking out does not close the consumer.
   */
  batches(options?: { maxRecords?: number; timeoutMs?: number }): AsyncGenerator<Array<ConsumerRecord<K, V>>> {
    return batchGenerator(this.#source, options, this.#maxPollRecords);
  }

  /**
   * The records as an objectMode Readable, with backpressure (src/consumer/stream.ts). It ends when the
   * consumer closes; destroying it leaves the consumer open and gives back the records it had not
   * passed on.
   */
  stream(options?: ConsumerStreamOptions): Readable {
    return consumerStream(this.#source, options, this.#maxPollRecords, (records) => {
      if (this.closing) return;
      this.#offsets.giveBack(records);
      this.#positions.seekBackTo(records);
    });
  }

  /** One record at a time. Ends when the consumer is closed; `break` leaves the consumer open. */
  [Symbol.asyncIterator](): AsyncIterator<ConsumerRecord<K, V>> {
    return recordIterator(this.#source, new ProcessSpans(this.clientName, this.#groupId));
  }

  /** Records for an iteration; undefined once the consumer is closed (iterations end, not throw). */
  async #next(
    maxRecords: number,
    timeoutMs: number,
    onWait?: (withdraw: () => void) => void,
  ): Promise<Array<ConsumerRecord<K, V>> | undefined> {
    try {
      this.checkOpen();
      return await this.#feed.request(maxRecords, timeoutMs, onWait);
    } catch (err) {
      if (this.closing && err instanceof KafkaError && err.code === '_DESTROY') return undefined;
      throw err;
    }
  }

  /**
   * Commits and resolves once the broker acknowledged it.
   * - no argument: every record handed to the application so far;
   * - a record: that record (its offset + 1);
   * - offsets: exactly these (Kafka's "next offset to read").
   */
  commit(offsets?: TopicPartitionOffset[] | ConsumerRecord<K, V>): Promise<void> {
    return commitChannel.traceIfSubscribed(
      () => this.#commit(offsets),
      (): CommitContext => ({
        client: this.clientName,
        groupId: this.#groupId,
        offsets: Array.isArray(offsets) ? offsets : undefined,
      }),
    );
  }

  async #commit(offsets?: TopicPartitionOffset[] | ConsumerRecord<K, V>): Promise<void> {
    // Allowed while close() runs onPartitionsRevoked; the native client rejects once it is destroyed.
    if (!this.#group.rebalancing) this.checkOpen();
    if (this.#privateGroup) throw kafkaError('_INVALID_ARG', 'commit() needs a groupId');
    const cols = commitArg(offsets as TopicPartitionOffset[] | ConsumerRecord<unknown, unknown> | undefined);
    if (cols === null) {
      this.#offsets.markConsumed();
      this.#storeConsumed();
    } else if (cols.topics.length === 0) return;
    await this.#commits.commit(cols);
  }

  /**
   * Where the application will read next, per partition: the offset of the next record it will get
   * (records already fetched but not yet handed out count as not read).
   */
  position(partitions: TopicPartition[]): TopicPartitionOffset[] {
    this.checkOpen();
    return this.#positions.position(topicPartitionsArg(partitions, 'partitions'));
  }

  /** Moves the read position of an assigned partition; the next record returned is at `offset`. */
  seek(tp: TopicPartitionOffset): void {
    this.checkOpen();
    this.#positions.seek(seekArg(tp));
  }

  /** Seeks to the earliest available offset (default: every assigned partition; none assigned: nothing). */
  seekToBeginning(partitions?: TopicPartition[]): void {
    this.checkOpen();
    this.#positions.seek(seekToArg(partitions ?? this.assignment(), OFFSET_BEGINNING));
  }

  /** Seeks past the last record (default: every assigned partition; with nothing assigned, nothing). */
  seekToEnd(partitions?: TopicPartition[]): void {
    this.checkOpen();
    this.#positions.seek(seekToArg(partitions ?? this.assignment(), OFFSET_END));
  }

  /** Stops handing out (and fetching) records of these partitions until resume(). */
  pause(partitions: TopicPartition[]): void {
    this.checkOpen();
    this.#positions.pause(topicPartitionsArg(partitions, 'partitions'));
  }

  /** Resumes paused partitions from the first record not handed out. */
  resume(partitions: TopicPartition[]): void {
    this.checkOpen();
    this.#positions.resume(topicPartitionsArg(partitions, 'partitions'));
  }

  /** The partitions paused by pause(). */
  paused(): TopicPartition[] {
    return this.#filter.paused();
  }

  /** Committed offsets of the group for `partitions` (-1001 = none committed). */
  async committed(partitions: TopicPartition[], timeoutMs?: number): Promise<TopicPartitionOffset[]> {
    this.checkOpen();
    return committedOffsets(this.native, partitions, timeoutMs);
  }

  /** Earliest offset still in the log, per partition (a broker query). */
  async beginningOffsets(partitions: TopicPartition[], timeoutMs?: number): Promise<TopicPartitionOffset[]> {
    this.checkOpen();
    return watermarkOffsets(this.native, partitions, timeoutMs, 'low');
  }

  /** Offset after the last record, per partition (a broker query; read_committed: the last stable offset). */
  async endOffsets(partitions: TopicPartition[], timeoutMs?: number): Promise<TopicPartitionOffset[]> {
    this.checkOpen();
    return watermarkOffsets(this.native, partitions, timeoutMs, 'high');
  }

  /** The member id the group coordinator gave this consumer ('' before it joined the group). */
  memberId(): string {
    this.checkOpen();
    return this.native.memberId();
  }

  /**
   * The end offset (high watermark) each partition's last fetch response carried, without a request:
   * what lag is measured against while consuming. -1 for a partition not fetched yet.
   */
  fetchedEndOffsets(partitions: TopicPartition[]): TopicPartitionOffset[] {
    this.checkOpen();
    const cols = topicPartitionsArg(partitions, 'partitions');
    const high = this.native.cachedHighWatermarks(cols.topics, cols.partitions);
    return cols.topics.map((topic, i) => ({ topic, partition: cols.partitions[i], offset: high[i] }));
  }

  /** Earliest offset whose timestamp is >= the given one, per partition (-1 when none). */
  async offsetsForTimes(
    partitions: Array<TopicPartition & { timestamp: number }>,
    timeoutMs?: number,
  ): Promise<TopicPartitionOffset[]> {
    this.checkOpen();
    return offsetsForTimes(this.native, partitions, timeoutMs);
  }

  /**
   * Commits consumed records (when auto-commit is on), leaves the group and destroys the client.
   * Pending polls reject with _DESTROY; iterators end. Idempotent.
   */
  close(): Promise<void> {
    return this.closeOnce(async () => {
      const error = this.destroyedError();
      this.#feed.rejectAll(error);
      this.native.ref(); // the close sequence below keeps the process alive until it is done
      try {
        await this.#group.leave();
      } finally {
        this.native.unref();
        await this.native.close();
        this.#commits.rejectAll(error);
        this.#updateRef();
      }
    });
  }

  /** Waiting poll()s, iterators and commits cannot be served by a cluster that refuses us: fail them now. @internal */
  protected override onAuthFailure(error: KafkaError): void {
    this.auth.trip(error);
    this.#feed.rejectAll(error);
    this.#commits.rejectAll(error);
  }

  #storeConsumed(): void {
    const cols = this.#offsets.takeToStore();
    if (cols && !this.#privateGroup) this.native.storeOffsets(cols.topics, cols.partitions, cols.offsets);
  }

  /** @internal */
  protected override onWake(): void {
    const events = this.native.pollEvents(EVENTS_PER_WAKE);
    for (const event of events) if (event.type === 'commit') this.#commits.settle(event.id, event.error);
    this.dispatch(events);
    // librdkafka signals a queue only when it turns non-empty: come back for the rest ourselves.
    if (events.length >= EVENTS_PER_WAKE) this.turns.later(() => this.onWake());
    if (this.closing) {
      this.#group.wake();
      this.#updateRef();
    } else {
      this.#feed.serve();
    }
  }

  /** The event loop stays alive while a request waits for records, a rebalance runs or a commit is out. */
  #updateRef(): void {
    this.setBusy(this.#feed.waiting > 0 || this.#group.rebalancing || this.#commits.pending > 0);
  }
}
