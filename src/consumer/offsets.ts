/**
 * Which records the application has finished with. A record handed out counts as consumed once the
 * application comes back for more (or commits, or closes): only then is its offset + 1 given to
 * librdkafka's offset store, so auto-commit never commits a record still being worked on.
 *
 * Records come in runs of one partition, so the bookkeeping is per run, not per record.
 */
import type { TopicPartitionOffset } from '../core/types';
import { toColumns } from '../core/topic-partitions';
import type { Columns } from '../core/validate';

/** Partition key for per-partition maps. */
export function tpKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

interface Run {
  topic: string;
  partition: number;
  /** Highest offset handed out in the run. */
  offset: number;
}

export class ConsumedOffsets {
  /**
   * Runs handed out by the latest call (the first #count entries): consumed once the application calls
   * again. Run objects are reused, so handing out records one at a time allocates nothing.
   */
  readonly #handed: Run[] = [];
  #count = 0;
  /** Next offset per partition of consumed records, not yet stored. */
  readonly #consumed = new Map<string, TopicPartitionOffset>();
  /** The entry markConsumed updated last: one record at a time mostly stays on one partition. */
  #last: TopicPartitionOffset | undefined;

  /** Records just handed to the application (in order). */
  handedOut(records: ReadonlyArray<{ topic: string; partition: number; offset: number }>): void {
    // Records come in runs of one partition: only a change of partition goes through handedOutOne.
    let run = this.#count > 0 ? this.#handed[this.#count - 1] : undefined;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (run !== undefined && run.partition === r.partition && run.topic === r.topic) {
        if (r.offset > run.offset) run.offset = r.offset;
      } else {
        this.handedOutOne(r.topic, r.partition, r.offset);
        run = this.#handed[this.#count - 1];
      }
    }
  }

  /** One record just handed to the application. */
  handedOutOne(topic: string, partition: number, offset: number): void {
    const handed = this.#handed;
    if (this.#count > 0) {
      const run = handed[this.#count - 1];
      if (run.partition === partition && run.topic === topic) {
        if (offset > run.offset) run.offset = offset;
        return;
      }
    }
    const spare = handed[this.#count];
    if (spare) {
      spare.topic = topic;
      spare.partition = partition;
      spare.offset = offset;
    } else {
      handed.push({ topic, partition, offset });
    }
    this.#count++;
  }

  /**
   * Records handed out that the application never finished with (a destroyed stream): the next position
   * stored for each partition is the first of them, even if later records already counted as consumed;
   * librdkafka's offset store takes the lower offset, so a commit cannot pass them.
   */
  giveBack(records: ReadonlyArray<{ topic: string; partition: number; offset: number }>): void {
    for (const r of records) {
      for (let i = 0; i < this.#count; i++) {
        const run = this.#handed[i];
        if (run.partition === r.partition && run.topic === r.topic && run.offset >= r.offset) run.offset = r.offset - 1;
      }
      const key = tpKey(r.topic, r.partition);
      const entry = this.#consumed.get(key);
      if (!entry) this.#consumed.set(key, { topic: r.topic, partition: r.partition, offset: r.offset });
      else if (entry.offset > r.offset) entry.offset = r.offset;
    }
  }

  /** The application came back: what it was handed before is consumed. */
  markConsumed(): void {
    const count = this.#count;
    if (count === 0) return;
    const handed = this.#handed;
    // Look the entry up (and build its key) only when the partition changes.
    let entry = this.#last;
    for (let i = 0; i < count; i++) {
      const r = handed[i];
      if (!entry || entry.partition !== r.partition || entry.topic !== r.topic) {
        const key = tpKey(r.topic, r.partition);
        entry = this.#consumed.get(key);
        if (!entry) {
          entry = { topic: r.topic, partition: r.partition, offset: r.offset + 1 };
          this.#consumed.set(key, entry);
        }
      }
      if (r.offset + 1 > entry.offset) entry.offset = r.offset + 1;
    }
    this.#last = entry;
    this.#count = 0;
    // A burst of partition changes must not keep a large array alive.
    if (handed.length > 1024) handed.length = 0;
  }

  /** Consumed positions not yet stored, as columns for the native offset store; undefined when none. */
  takeToStore(): Columns | undefined {
    if (this.#consumed.size === 0) return undefined;
    const cols = toColumns([...this.#consumed.values()]);
    this.#consumed.clear();
    this.#last = undefined;
    return cols;
  }
}
