/**
 * consumer.run(): the loop that takes records from the engine (one poll: one native crossing for many
 * records), splits them per partition and hands them to eachMessage / eachBatch, with kafkajs's rules:
 * - ordered within a partition, up to `partitionsConsumedConcurrently` partitions at once;
 * - an offset counts once the handler returned for it (eachMessage) or resolveOffset said so (eachBatch);
 *   with autoCommit, what was resolved is committed after every poll's batches, and sooner when
 *   autoCommitInterval or autoCommitThreshold is reached;
 * - a handler that throws: what was resolved is committed, every partition of the poll goes back to its
 *   first record not resolved (so nothing is skipped), and the poll is retried with kafkajs's backoff; past
 *   `retry.retries`, or for an error that is not retriable, the consumer crashes (CRASH event) and restarts
 *   when the error is retriable and `restartOnFailure` agrees;
 * - pause() from a handler stops that partition where it is (the rest comes again after resume()); a
 *   seek() during a batch makes the rest of it stale.
 */
import type { KafkaConsumer } from '../consumer';
import { partitionBatches, type PartitionBatch, type RawRecord } from './batch';
import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from './errors';
import { CONSUMER_EVENTS, type Instrumentation } from './instrumentation';
import type { Logger } from './logger';
import { byTopic, flatten, OffsetTracker, tpKey, type NextOffset } from './offsets';
import { isRetriable, randomized, sleep } from './retry';
import type { ConsumerRunConfig, Offsets, RetryOptions } from './types';

/** How long one poll waits for records: bounds how long stop() waits for an idle loop. */
const POLL_SLICE_MS = 500;

export interface RunnerHost {
  readonly groupId: string;
  /** kafkajs's heartbeatInterval: a handler's heartbeat() counts as one at most this often. */
  readonly heartbeatInterval: number;
  readonly logger: Logger;
  readonly instrumentation: Instrumentation<typeof CONSUMER_EVENTS>;
  readonly retry: Required<
    Pick<RetryOptions, 'initialRetryTime' | 'maxRetryTime' | 'factor' | 'multiplier' | 'retries'>
  >;
  memberId(): string;
  isPaused(topic: string, partition: number): boolean;
  /** Cheap: whether any partition is paused at all. */
  anyPaused(): boolean;
  pause(topic: string, partition: number): void;
  resume(topic: string, partition: number): void;
  /** The poll's loop ended with a crash: the consumer decides about a restart. */
  crashed(error: Error): void;
}

export class Runner {
  readonly offsets = new OffsetTracker();
  #running = true;
  #lastCommit = Date.now();
  #lastHeartbeat = Date.now();
  #commitInFlight: Promise<void> | undefined;
  #commitAgain = false;
  /** The batches being processed (a revocation waits for them). */
  #processing: Promise<void> | undefined;
  /** Partitions sought while their batch was processed. */
  readonly #stale = new Set<string>();
  /** The loop waits for a poll: a seek now may come after the engine handed out that poll's records. */
  #awaitingPoll = false;
  /** Partitions sought while a poll was awaited, with how to apply the seek again. */
  readonly #soughtWhilePolling = new Map<string, () => void>();
  readonly #done: Promise<void>;
  readonly #maxRecords: number;

  constructor(
    private readonly engine: KafkaConsumer<Buffer, Buffer>,
    private readonly config: ConsumerRunConfig,
    private readonly host: RunnerHost,
  ) {
    // Every record of a poll becomes a kafkajs message alive until its batch is done: large polls cost GC.
    this.#maxRecords = 2_000;
    this.#done = this.#loop();
  }

  get running(): boolean {
    return this.#running;
  }

  get autoCommit(): boolean {
    return this.config.autoCommit !== false;
  }

  /** Ends the loop after the batches being processed; resolves once it ended. */
  async stop(): Promise<void> {
    this.#running = false;
    await this.#done;
  }

  /** Resolves when no batch is being processed (for a revocation). */
  async idle(): Promise<void> {
    while (this.#processing) await this.#processing.catch(() => {});
  }

  /**
   * A seek: the rest of the partition's current batch is stale. During a poll the records it returns for
   * the partition may be from before the seek (handed out before it, processed after it): they are
   * dropped and the seek applied again (`reapply`), so the partition continues from the sought offset.
   */
  markStale(topic: string, partition: number, reapply?: () => void): void {
    const key = tpKey(topic, partition);
    this.#stale.add(key);
    this.offsets.forget(topic, partition);
    if (this.#awaitingPoll && reapply) this.#soughtWhilePolling.set(key, reapply);
  }

  /**
   * Commits what was resolved and not committed yet (only `only`'s partitions when given), after the
   * automatic commit in flight, so an older commit never lands after a newer one.
   */
  async commitResolved(only?: (topic: string, partition: number) => boolean): Promise<void> {
    await this.flushCommits();
    const list = this.offsets.pending(only);
    if (list.length === 0) return;
    await this.commit(list);
  }

  /** Resolves when no automatic commit is in flight. */
  async flushCommits(): Promise<void> {
    while (this.#commitInFlight) await this.#commitInFlight;
  }

  /** Commits `list`; COMMIT_OFFSETS tells listeners, except for a seek's commit (kafkajs's is silent). */
  async commit(list: NextOffset[], announce = true): Promise<void> {
    await this.engine.commit(list.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
    this.offsets.committed(list);
    this.#lastCommit = Date.now();
    if (!announce) return;
    const host = this.host;
    host.instrumentation.emit(CONSUMER_EVENTS.COMMIT_OFFSETS, () => ({
      groupId: host.groupId,
      memberId: host.memberId(),
      groupGenerationId: -1,
      topics: byTopic(list),
    }));
  }

  /** True when autoCommitInterval or autoCommitThreshold may ask for a commit between two polls. */
  get #commitsWithinBatches(): boolean {
    return this.autoCommit && (this.config.autoCommitInterval != null || this.config.autoCommitThreshold != null);
  }

  /**
   * Automatic commits go out without the loop waiting for the broker's answer (the loop would idle a
   * round trip per poll), one at a time: a commit due while one is in flight follows it with the newest
   * offsets. A failed one is logged; the next commit carries the same offsets again. stop(), a revocation
   * and an error wait for them (commitResolved).
   */
  #autoCommit(force: boolean): void {
    if (!this.autoCommit) return;
    const { autoCommitInterval, autoCommitThreshold } = this.config;
    const due =
      force ||
      (autoCommitInterval != null && Date.now() >= this.#lastCommit + autoCommitInterval) ||
      (autoCommitThreshold != null && this.offsets.resolvedSinceCommit >= autoCommitThreshold);
    if (!due) return;
    if (this.#commitInFlight) {
      this.#commitAgain = true;
      return;
    }
    const list = this.offsets.pending();
    if (list.length === 0) return;
    this.#commitInFlight = this.commit(list)
      .catch((err: unknown) =>
        this.host.logger.error(`Offset commit failed: ${(err as Error)?.message}`, { groupId: this.host.groupId }),
      )
      .finally(() => {
        this.#commitInFlight = undefined;
        if (this.#commitAgain) {
          this.#commitAgain = false;
          this.#autoCommit(true);
        }
      });
  }

  async #loop(): Promise<void> {
    const host = this.host;
    const { retries, initialRetryTime, maxRetryTime, factor, multiplier } = host.retry;
    let retryCount = 0;
    let retryTime = randomized(initialRetryTime, factor);
    while (this.#running) {
      host.instrumentation.emit(CONSUMER_EVENTS.FETCH_START, { nodeId: -1 });
      const started = Date.now();
      let records: RawRecord[];
      this.#awaitingPoll = true;
      try {
        records = await this.engine.poll({ timeoutMs: POLL_SLICE_MS, maxRecords: this.#maxRecords });
      } catch (err) {
        if (!this.#running) break;
        this.#crash(err);
        break;
      } finally {
        this.#awaitingPoll = false;
      }
      if (!this.#running) break; // taken but never processed: the next owner reads them from the commit
      if (this.#soughtWhilePolling.size > 0) records = this.#withoutSought(records);
      if (records.length === 0) continue;
      const batches = partitionBatches(records, (parts) => this.engine.fetchedEndOffsets(parts).map((p) => p.offset));
      host.instrumentation.emit(CONSUMER_EVENTS.FETCH, {
        numberOfBatches: batches.length,
        duration: Date.now() - started,
        nodeId: -1,
      });
      this.#stale.clear();
      const processing = this.#processAll(batches);
      this.#processing = processing;
      try {
        await processing;
        retryCount = 0;
        retryTime = randomized(initialRetryTime, factor);
        this.#autoCommit(true);
      } catch (err) {
        await this.#afterFailure(batches);
        if (!isRetriable(err)) {
          this.#crash(new KafkaJSNonRetriableError(err as Error, { cause: causeOf(err) as Error }));
          break;
        }
        if (retryCount >= retries) {
          this.#crash(new KafkaJSNumberOfRetriesExceeded(err as Error, { retryCount, retryTime }));
          break;
        }
        host.logger.debug('Error while processing a batch, retrying', {
          groupId: host.groupId,
          error: (err as Error)?.message,
          retryCount,
          retryTime,
        });
        await sleep(retryTime);
        retryCount++;
        retryTime = Math.min(randomized(retryTime, factor) * multiplier, maxRetryTime);
      } finally {
        this.#processing = undefined;
      }
    }
  }

  /** Drops the records of partitions sought during the poll, and seeks them again (see markStale). */
  #withoutSought(records: RawRecord[]): RawRecord[] {
    const sought = this.#soughtWhilePolling;
    const kept = records.filter((r) => !sought.has(tpKey(r.topic, r.partition)));
    for (const [key, reapply] of sought) {
      try {
        reapply();
      } catch (err) {
        // Revoked meanwhile: its next owner starts from the committed offset.
        this.host.logger.debug(`seek of ${key} not applied again: ${(err as Error)?.message}`);
      }
    }
    sought.clear();
    return kept;
  }

  #crash(error: unknown): void {
    this.#running = false;
    this.host.crashed(error instanceof Error ? error : new Error(String(error)));
  }

  /**
   * A handler threw: commit what was resolved, then send every partition of the poll back to its first
   * record not resolved, so the retry (or the next owner) reads it again.
   */
  async #afterFailure(batches: PartitionBatch[]): Promise<void> {
    if (this.autoCommit) {
      try {
        await this.commitResolved();
      } catch (err) {
        this.host.logger.error(`Failed to commit offsets after an error: ${(err as Error)?.message}`, {
          groupId: this.host.groupId,
        });
      }
    }
    for (const b of batches) this.#rewind(b);
  }

  /** Seeks a partition back to its first record of `batch` not resolved (none left: nothing to do). */
  #rewind(batch: PartitionBatch): void {
    if (this.#stale.has(tpKey(batch.topic, batch.partition))) return; // the application's seek wins
    const first = batch.records[0].offset;
    const next = Math.max(first, this.offsets.next(batch.topic, batch.partition) ?? first);
    if (next > batch.records[batch.records.length - 1].offset) return;
    try {
      this.engine.seek({ topic: batch.topic, partition: batch.partition, offset: next });
    } catch (err) {
      // Not assigned any more (revoked meanwhile): its next owner starts from the committed offset.
      this.host.logger.debug(`rewind of ${batch.topic}[${batch.partition}] skipped: ${(err as Error)?.message}`);
    }
  }

  /** Up to partitionsConsumedConcurrently partitions at once, each in order. */
  async #processAll(batches: PartitionBatch[]): Promise<void> {
    const concurrency = Math.max(1, Math.floor(this.config.partitionsConsumedConcurrently ?? 1));
    let nextIndex = 0;
    let failure: { error: unknown } | undefined;
    const worker = async (): Promise<void> => {
      while (failure === undefined && nextIndex < batches.length && this.#running) {
        const batch = batches[nextIndex++];
        try {
          await this.#processBatch(batch);
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
    if (failure) throw failure.error;
  }

  async #processBatch(batch: PartitionBatch): Promise<void> {
    const host = this.host;
    const { topic, partition } = batch;
    if (host.isPaused(topic, partition)) {
      this.#rewind(batch);
      return;
    }
    const began = Date.now();
    const payload = {
      topic,
      partition,
      highWatermark: batch.highWatermark,
      offsetLag: batch.offsetLag(),
      offsetLagLow: batch.offsetLagLow(),
      batchSize: batch.messages.length,
      firstOffset: batch.firstOffset(),
      lastOffset: batch.lastOffset(),
    };
    host.instrumentation.emit(CONSUMER_EVENTS.START_BATCH_PROCESS, payload);
    const pause = (): (() => void) => {
      host.pause(topic, partition);
      return () => host.resume(topic, partition);
    };
    const heartbeat = (): Promise<void> => this.#heartbeat();
    const staleKey = tpKey(topic, partition);
    if (this.config.eachMessage) {
      const each = this.config.eachMessage;
      // Per message only what kafkajs's semantics need: the offset is resolved once the handler returned
      // (recorded at the end, or at once when commits may happen between polls), and a pause or seek
      // from the handler stops the batch.
      const eager = this.#commitsWithinBatches;
      let done = -1;
      try {
        for (let i = 0; i < batch.records.length; i++) {
          if (!this.#running || (this.#stale.size > 0 && this.#stale.has(staleKey))) break;
          await each({ topic, partition, message: batch.messages[i], heartbeat, pause });
          done = batch.records[i].offset;
          if (eager) {
            this.offsets.resolve(topic, partition, done);
            this.#autoCommit(false);
          }
          if (host.anyPaused() && host.isPaused(topic, partition)) break;
        }
      } finally {
        if (done >= 0 && !this.#stale.has(staleKey)) this.offsets.resolve(topic, partition, done);
      }
    } else if (this.config.eachBatch) {
      await this.config.eachBatch({
        batch,
        resolveOffset: (offset: string) => this.offsets.resolve(topic, partition, Number(offset)),
        heartbeat,
        pause,
        commitOffsetsIfNecessary: async (offsets?: Offsets) => {
          if (offsets) await this.commit(flatten(offsets));
          else this.#autoCommit(false);
        },
        uncommittedOffsets: () => this.offsets.uncommitted(),
        isRunning: () => this.#running,
        isStale: () => this.#stale.has(staleKey),
      });
      if (this.config.eachBatchAutoResolve !== false && !this.#stale.has(staleKey)) {
        this.offsets.resolve(topic, partition, batch.records[batch.records.length - 1].offset);
      }
    }
    // What the handler did not get to (paused, stopped) comes again.
    if (!this.#stale.has(staleKey)) this.#rewind(batch);
    host.instrumentation.emit(CONSUMER_EVENTS.END_BATCH_PROCESS, { ...payload, duration: Date.now() - began });
  }

  /**
   * librdkafka heartbeats on its own thread; the event is kafkajs's, for listeners that count them, and
   * as kafkajs's it comes once per heartbeatInterval however often handlers call heartbeat().
   */
  async #heartbeat(): Promise<void> {
    const host = this.host;
    const now = Date.now();
    if (now < this.#lastHeartbeat + host.heartbeatInterval) return;
    this.#lastHeartbeat = now;
    host.instrumentation.emit(CONSUMER_EVENTS.HEARTBEAT, () => ({
      groupId: host.groupId,
      memberId: host.memberId(),
      groupGenerationId: -1,
    }));
  }
}

function causeOf(err: unknown): unknown {
  return (err as { cause?: unknown } | null)?.cause ?? err;
}
