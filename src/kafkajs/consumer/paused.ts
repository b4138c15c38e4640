/**
 * The partitions the application paused, kept across rebalances (kafkajs pauses a partition, not an
 * assignment): applied to the engine for those assigned, and again when one comes back.
 */
import type { KafkaConsumer } from '../../consumer';
import type { TopicPartition } from '../../core/types';
import { tpKey } from '../offsets';
import type { TopicPartitions } from '../types';

type Engine = KafkaConsumer<Buffer, Buffer>;

/** Those of `list` the engine has assigned. */
function assignedOf(engine: Engine | undefined, list: TopicPartition[]): TopicPartition[] {
  const assigned = engine ? engine.assignment() : [];
  return list.filter((tp) => assigned.some((a) => a.topic === tp.topic && a.partition === tp.partition));
}

export class PausedPartitions {
  readonly #paused = new Map<string, TopicPartition>();

  get size(): number {
    return this.#paused.size;
  }

  has(topic: string, partition: number): boolean {
    return this.#paused.has(tpKey(topic, partition));
  }

  clear(): void {
    this.#paused.clear();
  }

  pause(engine: Engine | undefined, list: TopicPartition[]): void {
    for (const tp of list) this.#paused.set(tpKey(tp.topic, tp.partition), tp);
    const live = assignedOf(engine, list);
    if (engine && live.length > 0) engine.pause(live);
  }

  /** `wholeTopics`: topics resumed without a partition list, every partition of them, assigned or not. */
  resume(engine: Engine | undefined, list: TopicPartition[], wholeTopics: ReadonlySet<string>): void {
    for (const tp of list) this.#paused.delete(tpKey(tp.topic, tp.partition));
    if (wholeTopics.size > 0) {
      for (const [key, tp] of this.#paused) if (wholeTopics.has(tp.topic)) this.#paused.delete(key);
    }
    const live = assignedOf(engine, list);
    if (engine && live.length > 0) engine.resume(live);
  }

  /** The assigned partitions that are paused, by topic, in partition order (as kafkajs lists them). */
  listed(engine: Engine | undefined): TopicPartitions[] {
    if (!engine) return [];
    const assigned = new Set(engine.assignment().map((tp) => tpKey(tp.topic, tp.partition)));
    const byTopic = new Map<string, number[]>();
    for (const [key, { topic, partition }] of this.#paused) {
      if (!assigned.has(key)) continue;
      let list = byTopic.get(topic);
      if (!list) byTopic.set(topic, (list = []));
      list.push(partition);
    }
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions: partitions.sort((a, b) => a - b) }));
  }
}
