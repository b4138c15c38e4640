/**
 * A partitioner written in JS (the `partitioner` option as a function). librdkafka would call it on its
 * own threads, which cannot enter V8, so it runs here, on the JS thread, before records cross to native:
 * it needs each topic's partition count, fetched once and refreshed in the background.
 */
import { KafkaError, kafkaError, nativeCode } from '../core/errors';
import type { NativeMetadata } from '../native/addon';
import type { PartitionerFunction } from './options';
import type { Outgoing } from './records';

/** A cached count older than this is refreshed (and used meanwhile). */
const COUNT_MAX_AGE_MS = 300_000;
/** Marks a record the partitioner failed for (it is settled already). */
const FAILED = -2;

export class JsPartitioner {
  readonly #counts = new Map<string, { count: number; at: number }>();
  readonly #fetching = new Set<string>();

  /**
   * `onCount` runs when a count fetch ends: with the error when it failed and no older count exists (the
   * topic's waiting records must fail), else with undefined (they can go now).
   */
  constructor(
    private readonly fn: PartitionerFunction,
    private readonly metadata: (topic: string, timeoutMs: number) => Promise<NativeMetadata>,
    private readonly deliveryTimeoutMs: number,
    private readonly onCount: (topic: string, error: KafkaError | undefined) => void,
  ) {}

  /**
   * Sets a partition on every record of outbox[start, end) (one topic) that has none and removes the
   * records the partitioner failed for (settling them). Returns the run's new end, or undefined (and
   * starts fetching the count) while the topic's partition count is unknown.
   */
  apply(topic: string, outbox: Outgoing[], start: number, end: number): number | undefined {
    const cached = this.#counts.get(topic);
    if (!cached || Date.now() - cached.at > COUNT_MAX_AGE_MS) this.#refresh(topic);
    if (!cached) return undefined;
    let failed = false;
    for (let i = start; i < end; i++) {
      const o = outbox[i];
      if (o.partition >= 0) continue;
      let p: number | undefined;
      let cause: unknown;
      try {
        p = this.fn(o.key, cached.count, topic);
      } catch (err) {
        cause = err;
      }
      if (p !== undefined && Number.isInteger(p) && p >= 0 && p < cached.count) {
        o.partition = p;
        continue;
      }
      const message =
        cause === undefined
          ? `partitioner returned ${String(p)} for topic '${topic}' with ${cached.count} partitions`
          : `partitioner threw for topic '${topic}'`;
      o.fail(kafkaError('_PARTITIONER', message, { cause }));
      o.partition = FAILED;
      failed = true;
    }
    return failed ? removeFailed(outbox, start, end) : end;
  }

  #refresh(topic: string): void {
    // Also while closing: close() flushes, and these records wait for the count (bounded by deliveryTimeoutMs).
    if (this.#fetching.has(topic)) return;
    this.#fetching.add(topic);
    this.#fetchCount(topic, Date.now() + this.deliveryTimeoutMs)
      .then(
        (count) => {
          this.#counts.set(topic, { count, at: Date.now() });
          return undefined;
        },
        (err: unknown) => {
          if (this.#counts.has(topic)) return undefined; // keep using the stale count
          return err instanceof KafkaError ? err : kafkaError('_FAIL', String(err), { cause: err });
        },
      )
      .then((error) => {
        this.#fetching.delete(topic);
        this.onCount(topic, error);
      });
  }

  async #fetchCount(topic: string, deadline: number): Promise<number> {
    for (;;) {
      const md = await this.metadata(topic, Math.max(0, Math.min(5000, deadline - Date.now())));
      const t = md.topics.find((x) => x.name === topic);
      if (t && t.error === 'NO_ERROR' && t.partitions.length > 0) return t.partitions.length;
      // A topic being auto-created reports these briefly.
      const retriable = !t || ['LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PART', 'NO_ERROR'].includes(t.error);
      if (!retriable || Date.now() > deadline) {
        throw kafkaError(t ? nativeCode(t.error) : 'UNKNOWN_TOPIC_OR_PART', `no partition count for topic '${topic}'`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Removes records marked failed from outbox[start, end); returns the new end. */
function removeFailed(outbox: Outgoing[], start: number, end: number): number {
  let w = start;
  for (let r = start; r < end; r++) if (outbox[r].partition !== FAILED) outbox[w++] = outbox[r];
  if (w < end) outbox.splice(w, end - w);
  return w;
}
