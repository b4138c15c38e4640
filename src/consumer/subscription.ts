/**
 * What a consumer reads: the topics of a subscription (the group assigns their partitions) or partitions
 * assigned by hand, never both.
 */
import { kafkaError } from '../core/errors';
import type { NativeConsumer } from '../native/addon';

export class Subscription {
  #topics: string[] = [];
  /** Partitions were assigned by hand (assign()), not by the group. */
  #manual = false;

  constructor(private readonly native: NativeConsumer) {}

  get topics(): string[] {
    return [...this.#topics];
  }

  subscribe(topics: string[]): void {
    if (this.#manual) throw kafkaError('_STATE', 'subscribe() cannot be mixed with assign(): call unassign() first');
    this.native.subscribe(topics);
    this.#topics = topics;
  }

  unsubscribe(): void {
    this.native.unsubscribe();
    this.#topics = [];
  }

  assign(cols: { topics: string[]; partitions: Int32Array; offsets: Float64Array }): void {
    this.#checkNotSubscribed('assign');
    this.native.assign(cols.topics, cols.partitions, cols.offsets);
    this.#manual = cols.topics.length > 0;
  }

  unassign(): void {
    this.#checkNotSubscribed('unassign');
    this.native.assign(null);
    this.#manual = false;
  }

  /**
   * Group-managed and manual assignment are exclusive, as in Java and kafka-python: librdkafka aborts the
   * process (assert rktp_started) when assign()/unassign() change a group-managed assignment.
   */
  #checkNotSubscribed(call: string): void {
    if (this.#topics.length > 0) {
      throw kafkaError('_STATE', `${call}() cannot change a subscription's assignment: call unsubscribe() first`);
    }
  }
}
