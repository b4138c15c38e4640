/**
 * Read positions: where the application reads next, seeks, pause/resume. Each change of position also
 * tells the partition filter, since records already drained from librdkafka may now be stale.
 */
import type { NativeConsumer } from '../native/addon';
import { fromColumns, toColumns } from '../core/topic-partitions';
import type { TopicPartitionOffset } from '../core/types';
import { topicPartitionsArg, typeName, type Columns } from '../core/validate';
import { tpKey } from './offsets';
import type { PartitionFilter } from './partition-filter';

export class Positions {
  constructor(
    private readonly native: NativeConsumer,
    private readonly filter: PartitionFilter,
    /** Where the drained, not yet handed out records resume a partition (undefined: none buffered). */
    private readonly buffered: (topic: string, partition: number) => number | undefined,
  ) {}

  /** The offset of the next record the application gets, per partition. */
  position(cols: Columns): TopicPartitionOffset[] {
    if (cols.topics.length === 0) return [];
    const filter = this.filter;
    return fromColumns(this.native.position(cols.topics, cols.partitions)).map((tp) => {
      const { topic, partition } = tp;
      const buffered = filter.isDropped(topic, partition) ? undefined : this.buffered(topic, partition);
      return { ...tp, offset: filter.resumeAt(topic, partition) ?? buffered ?? tp.offset };
    });
  }

  seek(cols: Columns): void {
    if (cols.topics.length === 0) return;
    this.native.seek(cols.topics, cols.partitions, cols.offsets);
    for (let i = 0; i < cols.topics.length; i++) this.filter.sought(cols.topics[i], cols.partitions[i]);
  }

  /** Seeks each partition back to the first of these records. */
  seekBackTo(records: ReadonlyArray<{ topic: string; partition: number; offset: number }>): void {
    const first = new Map<string, TopicPartitionOffset>();
    for (const { topic, partition, offset } of records) {
      const key = tpKey(topic, partition);
      const known = first.get(key);
      if (!known || offset < known.offset) first.set(key, { topic, partition, offset });
    }
    this.seek(toColumns([...first.values()]));
  }

  pause(cols: Columns): void {
    this.native.pause(cols.topics, cols.partitions);
    cols.topics.forEach((topic, i) => this.filter.pause(topic, cols.partitions[i]));
  }

  /** Resumes from the first record not handed out: records fetched while paused were dropped. */
  resume(cols: Columns): void {
    const seekBack: TopicPartitionOffset[] = [];
    cols.topics.forEach((topic, i) => {
      const partition = cols.partitions[i];
      const offset = this.filter.resume(topic, partition);
      if (offset !== undefined) seekBack.push({ topic, partition, offset });
    });
    this.native.resume(cols.topics, cols.partitions);
    this.seek(toColumns(seekBack));
  }
}

/** seek()'s argument: one `{ topic, partition, offset }`, the offset a real or logical one. */
export function seekArg(tp: unknown): Columns {
  if (typeof tp !== 'object' || tp === null || Array.isArray(tp)) {
    throw new TypeError(`seek takes { topic, partition, offset }, got ${typeName(tp)}`);
  }
  return topicPartitionsArg([tp], 'seek', 'logical', { offsetRequired: true });
}

/** seekToBeginning() / seekToEnd(): these partitions, each at the logical `offset`. */
export function seekToArg(partitions: unknown, offset: number): Columns {
  const cols = topicPartitionsArg(partitions, 'partitions');
  cols.offsets.fill(offset);
  return cols;
}
