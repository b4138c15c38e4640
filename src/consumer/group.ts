/**
 * Group membership seen from the JS thread: rebalances run the application's callbacks before librdkafka
 * applies them (records wait meanwhile), and leaving the group on close serves the final revocation.
 */
import { rebalanceChannel } from '../observe/diagnostics';
import type { NativeConsumer, NativeRebalance } from '../native/addon';
import type { TopicPartition } from '../core/types';
import type { PartitionFilter } from './partition-filter';

/** How long close() serves the group leave (and onPartitionsRevoked) before destroying regardless. */
const CLOSE_TIMEOUT_MS = 10_000;

type PartitionsCallback = (partitions: TopicPartition[]) => void | Promise<void>;

export interface GroupHost {
  readonly native: NativeConsumer;
  readonly maxPollRecords: number;
  readonly filter: PartitionFilter;
  readonly onPartitionsAssigned: PartitionsCallback | undefined;
  readonly onPartitionsRevoked: PartitionsCallback | undefined;
  /** Marks what was handed out as consumed and stores it (auto-commit commits it on revocation). */
  storeAllConsumed(): void;
  log(level: 'warn' | 'error', message: string): void;
  /** A rebalance started or finished. */
  rebalanceChanged(finished: boolean): void;
  /** Yields to the event loop when the client has held the JS thread for too long. */
  yieldIfOverdue(): Promise<void>;
  /** For the diagnostics channels. */
  readonly clientName: string;
  readonly groupId: string | undefined;
}

export class GroupMembership {
  /** A rebalance whose callbacks are running: no records are handed out meanwhile. */
  #rebalancing: Promise<void> | undefined;
  /** Resolves the close loop's wait when librdkafka signals. */
  #closeWaiter: (() => void) | undefined;

  constructor(private readonly host: GroupHost) {}

  get rebalancing(): boolean {
    return this.#rebalancing !== undefined;
  }

  /** Hands a rebalance to the application's callbacks; records wait until it is applied. */
  start(rebalance: NativeRebalance): void {
    const host = this.host;
    const partitions = rebalance.topics.map((topic, i) => ({ topic, partition: rebalance.partitions[i] }));
    const run = async (): Promise<void> => {
      if (rebalance.kind === 'revoke') {
        // Everything buffered for these partitions now belongs to their next owner.
        for (const tp of partitions) host.filter.drop(tp.topic, tp.partition);
        host.storeAllConsumed();
        await this.#callback('onPartitionsRevoked', host.onPartitionsRevoked, partitions);
        for (const tp of partitions) host.filter.forget(tp.topic, tp.partition);
        host.native.rebalanceDone();
      } else {
        host.native.rebalanceDone();
        await this.#callback('onPartitionsAssigned', host.onPartitionsAssigned, partitions);
      }
    };
    const traced = rebalanceChannel.hasSubscribers
      ? rebalanceChannel.tracePromise(run, {
          client: host.clientName,
          groupId: host.groupId,
          kind: rebalance.kind,
          partitions,
        })
      : run();
    this.#rebalancing = traced
      .catch((err: unknown) => host.log('error', `rebalance failed: ${String(err)}`))
      .finally(() => {
        this.#rebalancing = undefined;
        host.rebalanceChanged(true);
      });
    host.rebalanceChanged(false);
  }

  /** librdkafka signalled the consumer while it closes. */
  wake(): void {
    this.#closeWaiter?.();
  }

  /**
   * Leaves the group on the JS thread so the final revocation runs onPartitionsRevoked: stores what the
   * application consumed, starts librdkafka's asynchronous close, and serves the consumer queue until
   * librdkafka reports the consumer closed (bounded). Records drained meanwhile are discarded; the loop
   * yields to the event loop between batches so a full prefetch queue does not hold the JS thread.
   */
  async leave(): Promise<void> {
    const host = this.host;
    const deadline = Date.now() + CLOSE_TIMEOUT_MS;
    try {
      await bounded(this.#rebalancing, deadline);
      host.storeAllConsumed();
      host.native.closeAsync();
      while (!host.native.isClosed() && Date.now() < deadline) {
        const batch = host.native.consume(host.maxPollRecords);
        if (batch?.rebalance) this.start(batch.rebalance);
        if (this.#rebalancing) {
          await bounded(this.#rebalancing, deadline);
          continue;
        }
        if (batch) {
          await host.yieldIfOverdue();
          continue;
        }
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
      host.log('warn', `consumer close: ${String(err)}`);
    }
  }

  async #callback(name: string, fn: PartitionsCallback | undefined, partitions: TopicPartition[]): Promise<void> {
    if (!fn) return;
    try {
      await fn(partitions);
    } catch (err) {
      // The rebalance must complete regardless, or the whole group stalls.
      this.host.log('error', `${name} threw: ${String(err)}`);
    }
  }
}

/** Waits for `p` until `deadline`; the timer is cleared at once so it never keeps the process alive. */
async function bounded(p: Promise<unknown> | undefined, deadline: number): Promise<void> {
  if (!p) return;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))));
  try {
    await Promise.race([p, expiry]);
  } finally {
    clearTimeout(timer);
  }
}
