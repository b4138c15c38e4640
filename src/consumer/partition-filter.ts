/**
 * Records already drained from librdkafka that must not reach the application: those of partitions
 * revoked or sought since (they belong to another owner or an old position), and those of paused
 * partitions (fetched before the pause took effect; fetching resumes at the first one dropped).
 */
import type { TopicPartition } from '../core/types';
import { tpKey } from './offsets';

interface Paused {
  topic: string;
  partition: number;
  /** First offset dropped while paused: resume() seeks back to it. */
  resumeAt: number | undefined;
}

export class PartitionFilter {
  /** Partitions whose buffered records are dropped until the next native drain. */
  readonly #dropped = new Set<string>();
  readonly #paused = new Map<string, Paused>();

  /** True when some record could be filtered: the hot path checks this first. */
  get active(): boolean {
    return this.#dropped.size > 0 || this.#paused.size > 0;
  }

  /** Drops what is buffered for the partition (revoked, or sought): the next drain is current again. */
  drop(topic: string, partition: number): void {
    this.#dropped.add(tpKey(topic, partition));
  }

  /**
   * A new batch was drained from librdkafka, which discards what it fetched before a seek or revocation:
   * what it returns from now on is current.
   */
  drained(): void {
    this.#dropped.clear();
  }

  /** Whether a buffered record may be handed out; remembers the first offset a pause held back. */
  admit(topic: string, partition: number, offset: number): boolean {
    const key = tpKey(topic, partition);
    if (this.#dropped.has(key)) return false;
    const paused = this.#paused.get(key);
    if (!paused) return true;
    paused.resumeAt = Math.min(paused.resumeAt ?? offset, offset);
    return false;
  }

  /** The partition was sought: its buffered records go, and the seek position wins on resume. */
  sought(topic: string, partition: number): void {
    const key = tpKey(topic, partition);
    this.#dropped.add(key);
    const paused = this.#paused.get(key);
    if (paused) paused.resumeAt = undefined;
  }

  pause(topic: string, partition: number): void {
    const key = tpKey(topic, partition);
    if (!this.#paused.has(key)) this.#paused.set(key, { topic, partition, resumeAt: undefined });
  }

  /** Un-pauses; returns the offset to fetch again from when records were dropped meanwhile. */
  resume(topic: string, partition: number): number | undefined {
    const key = tpKey(topic, partition);
    const paused = this.#paused.get(key);
    this.#paused.delete(key);
    return paused?.resumeAt;
  }

  /** The partition was revoked: its pause goes with it. */
  forget(topic: string, partition: number): void {
    this.#paused.delete(tpKey(topic, partition));
  }

  isDropped(topic: string, partition: number): boolean {
    return this.#dropped.has(tpKey(topic, partition));
  }

  /** Where a paused partition will resume, when records were held back. */
  resumeAt(topic: string, partition: number): number | undefined {
    return this.#paused.get(tpKey(topic, partition))?.resumeAt;
  }

  paused(): TopicPartition[] {
    return [...this.#paused.values()].map(({ topic, partition }) => ({ topic, partition }));
  }
}
