/**
 * kafkajs's offset bookkeeping for a running consumer: "resolved" offsets (the last record the
 * application finished with, per partition) and what was last committed. Commits send resolved + 1 (the
 * next offset to read, Kafka's convention); uncommittedOffsets() reports them as kafkajs does.
 */
import type { Offsets, OffsetsByTopicPartition } from './types';

/** One string per topic partition, for maps and sets. */
export const tpKey = (topic: string, partition: number): string => `${partition}\u0000${topic}`;

export interface NextOffset {
  topic: string;
  partition: number;
  /** The next offset to read: the resolved offset + 1. */
  offset: number;
}

export class OffsetTracker {
  readonly #next = new Map<string, NextOffset>();
  readonly #committed = new Map<string, number>();
  /** Records resolved since the last commit (autoCommitThreshold counts them). */
  #resolvedSinceCommit = 0;

  resolve(topic: string, partition: number, offset: number): void {
    const k = tpKey(topic, partition);
    const prev = this.#next.get(k);
    this.#resolvedSinceCommit += prev === undefined ? 1 : Math.max(0, offset + 1 - prev.offset);
    this.#next.set(k, { topic, partition, offset: offset + 1 });
  }

  /** The next offset to read once what was resolved is done, or undefined when nothing was resolved. */
  next(topic: string, partition: number): number | undefined {
    return this.#next.get(tpKey(topic, partition))?.offset;
  }

  get resolvedSinceCommit(): number {
    return this.#resolvedSinceCommit;
  }

  /** What a commit would send now: resolved and not committed yet (optionally only these partitions). */
  pending(only?: (topic: string, partition: number) => boolean): NextOffset[] {
    const out: NextOffset[] = [];
    for (const [k, n] of this.#next) {
      if (this.#committed.get(k) === n.offset) continue;
      if (only && !only(n.topic, n.partition)) continue;
      out.push(n);
    }
    return out;
  }

  committed(list: NextOffset[]): void {
    for (const n of list) this.#committed.set(tpKey(n.topic, n.partition), n.offset);
    this.#resolvedSinceCommit = 0;
  }

  /** Partitions revoked or sought: their bookkeeping starts over. */
  forget(topic: string, partition: number): void {
    this.#next.delete(tpKey(topic, partition));
    this.#committed.delete(tpKey(topic, partition));
  }

  uncommitted(): OffsetsByTopicPartition {
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const n of this.pending()) {
      let list = byTopic.get(n.topic);
      if (!list) byTopic.set(n.topic, (list = []));
      // kafkajs hands partitions out here as strings, as it keeps them.
      list.push({ partition: String(n.partition) as unknown as number, offset: String(n.offset) });
    }
    return { topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) };
  }
}

/** Offsets by topic as kafkajs's COMMIT_OFFSETS event gives them. */
export function byTopic(
  list: NextOffset[],
): Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }> {
  const map = new Map<string, Array<{ partition: number; offset: string }>>();
  for (const { topic, partition, offset } of list) {
    let parts = map.get(topic);
    if (!parts) map.set(topic, (parts = []));
    // kafkajs's COMMIT_OFFSETS payload has partitions as strings, as it keeps them.
    parts.push({ partition: String(partition) as unknown as number, offset: String(offset) });
  }
  return [...map].map(([topic, partitions]) => ({ topic, partitions }));
}

/** kafkajs's Offsets as a flat list. */
export function flatten(offsets: Offsets): NextOffset[] {
  return offsets.topics.flatMap(({ topic, partitions }) =>
    partitions.map(({ partition, offset }) => ({ topic, partition, offset: Number(offset) })),
  );
}
