/**
 * Which records the application has finished with. A record handed out counts as consumed once the
 * application comes back for more (or commits, or closes): only then is its offset + 1 given to
 * librdkafka's offset store, so auto-commit never commits a record still being worked on.
 *
 * Records come in runs of one partition, so the bookkeeping is per run, not per record.
 */
import type { TopicPartitionOffset } from '../types';
import { toColumns } from '../topic-partitions';
import type { Columns } from '../validate';

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
  /** Runs handed out by the latest call: consumed once the application calls again. */
  readonly #handed: Run[] = [];
  /** Next offset per partition of consumed records, not yet stored. */
  readonly #consumed = new Map<string, TopicPartitionOffset>();

  /** Records just handed to the application (in order). */
  handedOut(records: ReadonlyArray<{ topic: string; partition: number; offset: number }>): void {
    const handed = this.#handed;
    let run = handed.length > 0 ? handed[handed.length - 1] : undefined;
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (run && run.partition === r.partition && run.topic === r.topic) {
        if (r.offset > run.offset) run.offset = r.offset;
      } else {
        run = { topic: r.topic, partition: r.partition, offset: r.offset };
        handed.push(run);
      }
    }
  }

  /** The application came back: what it was handed before is consumed. */
  markConsumed(): void {
    const handed = this.#handed;
    if (handed.length === 0) return;
    // Look the entry up (and build its key) only when the partition changes.
    let entry: TopicPartitionOffset | undefined;
    for (const r of handed) {
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
    handed.length = 0;
  }

  /** Consumed positions not yet stored, as columns for the native offset store; undefined when none. */
  takeToStore(): Columns | undefined {
    if (this.#consumed.size === 0) return undefined;
    const cols = toColumns([...this.#consumed.values()]);
    this.#consumed.clear();
    return cols;
  }
}
