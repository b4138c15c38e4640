/**
 * Commits: asynchronous in librdkafka (its result comes back on the client's event queue by request id),
 * a promise here, retried across a rebalance the consumer itself has not served yet.
 */
import { KafkaError, kafkaError, type ErrorCode } from '../core/errors';
import type { NativeConsumer } from '../native/addon';
import { PendingRequests } from '../client/pending';
import type { ConsumerRecord, TopicPartitionOffset } from '../core/types';
import { integerArg, topicPartitionsArg, typeName, type Columns } from '../core/validate';

/** Commit errors that only mean "the group is rebalancing right now". */
const REBALANCE_COMMIT_ERRORS = new Set<ErrorCode>(['REBALANCE_IN_PROGRESS', 'ILLEGAL_GENERATION']);
const COMMIT_RETRY_MS = 15_000;
/** A commit the broker has not answered by then rejects with _TIMED_OUT (it may still apply). */
const COMMIT_TIMEOUT_MS = 30_000;

/** What commit() takes, as columns; null = every offset stored so far. */
export function commitArg(
  offsets: TopicPartitionOffset[] | ConsumerRecord<unknown, unknown> | undefined,
): Columns | null {
  if (offsets === undefined) return null;
  if (Array.isArray(offsets)) return topicPartitionsArg(offsets, 'offsets', 'absolute', { offsetRequired: true });
  if (typeof offsets === 'object' && offsets !== null && 'offset' in offsets && 'value' in offsets) {
    const offset = integerArg(offsets.offset, 'record.offset', 0, Number.MAX_SAFE_INTEGER - 1);
    return topicPartitionsArg(
      [{ topic: offsets.topic, partition: offsets.partition, offset: offset + 1 }],
      'record',
      'absolute',
    );
  }
  throw new TypeError(
    `commit() takes nothing, a ConsumerRecord, or an array of { topic, partition, offset }, got ${typeName(offsets)}`,
  );
}

export class Commits {
  readonly #pending: PendingRequests<void>;

  /** `inRebalance`: a rebalance (or close) waits on the caller, so retrying would only stall it. */
  constructor(
    private readonly native: NativeConsumer,
    private readonly inRebalance: () => boolean,
    onChange: () => void,
  ) {
    this.#pending = new PendingRequests<void>(onChange);
  }

  get pending(): number {
    return this.#pending.size;
  }

  /**
   * Commits `cols` (null: every stored offset) and resolves once the broker acknowledged it. A commit
   * that races a rebalance fails with REBALANCE_IN_PROGRESS or ILLEGAL_GENERATION while librdkafka
   * rejoins in the background. Our partitions cannot move to another member until this consumer serves
   * the revocation, so retrying with the new generation is safe (bounded).
   */
  async commit(cols: Columns | null): Promise<void> {
    const deadline = Date.now() + COMMIT_RETRY_MS;
    for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
      try {
        await this.#send(cols);
        return;
      } catch (err) {
        const retry = err instanceof KafkaError && REBALANCE_COMMIT_ERRORS.has(err.code) && !this.inRebalance();
        if (!retry || Date.now() + delay > deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  /** A commit result arrived from the event queue. */
  settle(id: number, error: Error | undefined): void {
    this.#pending.settle(id, error, undefined);
  }

  rejectAll(error: Error): void {
    this.#pending.rejectAll(error);
  }

  #send(cols: Columns | null): Promise<void> {
    return this.#pending.start(
      (id) => {
        if (cols) this.native.commit(id, cols.topics, cols.partitions, cols.offsets);
        else this.native.commit(id, null);
      },
      COMMIT_TIMEOUT_MS,
      () => kafkaError('_TIMED_OUT', `commit not acknowledged within ${COMMIT_TIMEOUT_MS} ms`),
    );
  }
}
