/**
 * Hands records to poll(), batches() and iterators. Records are drained from librdkafka only when asked
 * for, up to maxPollRecords per ONE native call (a slab and typed arrays), and decoded one by one as they
 * are handed out. A request that finds nothing waits (in order) until librdkafka's queue event wakes the
 * client, which serves waiting requests oldest first.
 */
import type { AuthLatch } from '../client/auth-failure';
import { receiveChannel } from '../observe/diagnostics';
import type { EventLoopTurns } from '../client/turns';
import type { NativeBatch, NativeRebalance } from '../native/addon';
import type { Deserializer } from '../core/serde';
import type { ConsumerRecord } from '../core/types';
import { RecordBatch } from './batch';
import { StalledRecord } from './stalled';
import { deserialize, recordError } from './decode';
import type { ConsumedOffsets } from './offsets';
import type { PartitionFilter } from './partition-filter';

interface Waiter {
  maxRecords: number;
  resolve: (records: Array<ConsumerRecord<unknown, unknown>>) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout | undefined;
}

/** What the feed needs from its consumer. */
export interface FeedHost<K, V> {
  readonly maxPollRecords: number;
  readonly keyDeserializer: Deserializer<K> | undefined;
  readonly valueDeserializer: Deserializer<V> | undefined;
  /** autoOffsetReset 'error': a missing subscribed topic is raised, not waited for. */
  readonly strictTopics: boolean;
  readonly offsets: ConsumedOffsets;
  readonly filter: PartitionFilter;
  readonly auth: AuthLatch;
  readonly turns: EventLoopTurns;
  /** One non-blocking native drain. */
  consume(max: number): NativeBatch | undefined;
  /** A rebalance is being applied: no record is handed out meanwhile. */
  readonly rebalancing: boolean;
  startRebalance(rebalance: NativeRebalance): void;
  /** Gives consumed offsets to librdkafka's store. */
  storeConsumed(): void;
  warn(message: string): void;
  /** The number of waiting requests changed. */
  waitersChanged(): void;
  /** Records handed to the application, while `kafka-napi:receive` has subscribers. */
  received(records: Array<ConsumerRecord<K, V>>): void;
}

export class RecordFeed<K, V> {
  #batch: RecordBatch | undefined;
  /** An error met after records were already taken for a request: thrown at the next one. */
  #pendingError: Error | undefined;
  readonly #stalled = new StalledRecord<ConsumerRecord<K, V>>();
  readonly #waiters: Waiter[] = [];
  // The host's fixed parts, held directly: the per-record path reads them for every record.
  readonly #filter: PartitionFilter;
  readonly #auth: AuthLatch;
  readonly #keyDeserializer: Deserializer<K> | undefined;
  readonly #valueDeserializer: Deserializer<V> | undefined;

  constructor(private readonly host: FeedHost<K, V>) {
    this.#filter = host.filter;
    this.#auth = host.auth;
    this.#keyDeserializer = host.keyDeserializer;
    this.#valueDeserializer = host.valueDeserializer;
  }

  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Up to `maxRecords` records, waiting up to `timeoutMs` (Infinity: for ever) when none are ready.
   * `onWait` receives a function that withdraws the request while it waits (it then resolves empty).
   */
  request(
    maxRecords: number,
    timeoutMs: number,
    onWait?: (withdraw: () => void) => void,
  ): Promise<Array<ConsumerRecord<K, V>>> {
    return new Promise((resolve, reject) => {
      const host = this.host;
      host.offsets.markConsumed();
      // Earlier requests are served first.
      if (this.#waiters.length === 0) {
        const records = this.#take(maxRecords);
        if (records.length > 0 && host.turns.overdue()) {
          // Records were ready at every call for a while: this loop has run on promise jobs alone and
          // starved timers and I/O. Hand these over from a macrotask so the event loop turns.
          host.turns.later(() => resolve(records));
          return;
        }
        if (records.length > 0 || timeoutMs === 0) {
          resolve(records);
          return;
        }
        // Nothing buffered and the cluster refuses us: no record can come (src/client/auth-failure.ts).
        const auth = host.auth.error;
        if (auth) {
          reject(auth);
          return;
        }
      }
      const waiter: Waiter = { maxRecords, resolve: resolve as Waiter['resolve'], reject, timer: undefined };
      const withdraw = (): void => {
        const i = this.#waiters.indexOf(waiter);
        if (i < 0) return; // served already
        this.#waiters.splice(i, 1);
        clearTimeout(waiter.timer);
        host.waitersChanged();
        resolve([]);
      };
      if (timeoutMs !== Infinity) waiter.timer = setTimeout(withdraw, timeoutMs);
      onWait?.(withdraw);
      this.#waiters.push(waiter);
      host.waitersChanged();
    });
  }

  /** Hands newly arrived records to waiting requests, oldest first. */
  serve(): void {
    while (this.#waiters.length > 0) {
      const waiter = this.#waiters[0];
      let records: Array<ConsumerRecord<K, V>>;
      try {
        records = this.#take(waiter.maxRecords);
      } catch (err) {
        this.#waiters.shift();
        clearTimeout(waiter.timer);
        waiter.reject(err as Error);
        continue;
      }
      if (records.length === 0) break;
      this.#waiters.shift();
      clearTimeout(waiter.timer);
      waiter.resolve(records as Array<ConsumerRecord<unknown, unknown>>);
    }
    this.host.waitersChanged();
  }

  /** Rejects every waiting request (the consumer closes, or the cluster refuses us). */
  rejectAll(error: Error): void {
    for (const w of this.#waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(error);
    }
    this.host.waitersChanged();
  }

  /** Where the buffered batch holds the partition's next record (undefined: nothing buffered). */
  peekOffset(topic: string, partition: number): number | undefined {
    return this.#batch?.peekOffset(topic, partition);
  }

  /**
   * The next record if one is ready now, without waiting (undefined when none is): the per-record
   * iterator's path, with no array and no promise of its own. Record errors throw.
   */
  takeNow(): ConsumerRecord<K, V> | undefined {
    const offsets = this.host.offsets;
    offsets.markConsumed();
    const record = this.#takeOne();
    if (record !== undefined) {
      offsets.handedOutOne(record.topic, record.partition, record.offset);
      if (receiveChannel.hasSubscribers) this.host.received([record]);
    }
    return record;
  }

  /** Takes up to `max` records; an error after the first record is kept for the next call. */
  #take(max: number): Array<ConsumerRecord<K, V>> {
    const out: Array<ConsumerRecord<K, V>> = [];
    try {
      while (out.length < max) {
        const record = this.#takeOne();
        if (record === undefined) break;
        out.push(record);
      }
    } catch (error) {
      if (out.length === 0) throw error;
      this.#pendingError = error as Error;
    }
    this.host.offsets.handedOut(out);
    if (out.length > 0 && receiveChannel.hasSubscribers) this.host.received(out);
    return out;
  }

  /** The next deliverable record, draining a new native batch when the current one runs out. */
  #takeOne(): ConsumerRecord<K, V> | undefined {
    if (this.#pendingError) {
      const error = this.#pendingError;
      this.#pendingError = undefined;
      throw error;
    }
    const filter = this.#filter;
    const stalled = this.#stalled;
    if (stalled.waiting) return undefined;
    if (stalled.ready) {
      const record = stalled.take(); // throws the record's error
      // Revoked, sought or paused while it waited: dropped like any buffered record of that partition.
      if (!filter.active || filter.admit(record.topic, record.partition, record.offset)) return record;
    }
    for (;;) {
      const batch = this.#batch;
      if (!batch || batch.remaining === 0) {
        this.#batch = undefined;
        const host = this.host;
        if (host.rebalancing) return undefined;
        // Offsets go to librdkafka's store once per drained batch, not per record.
        host.storeConsumed();
        const native = host.consume(host.maxPollRecords);
        if (!native) return undefined;
        filter.drained();
        if (native.rebalance) host.startRebalance(native.rebalance);
        this.#batch = new RecordBatch(native);
        continue;
      }
      const raw = batch.shift();
      const errno = batch.errno;
      if (errno === 0) this.#auth.clear();
      if (filter.active && !filter.admit(raw.topic, raw.partition, raw.offset)) continue;
      if (errno !== 0) {
        const host = this.host;
        const error = recordError(raw, errno, host.strictTopics, (m) => host.warn(m));
        if (!error) continue;
        throw error;
      }
      if (this.#keyDeserializer === undefined && this.#valueDeserializer === undefined) {
        return raw as unknown as ConsumerRecord<K, V>;
      }
      const record = deserialize(raw, this.#keyDeserializer, this.#valueDeserializer);
      if (!(record instanceof Promise)) return record;
      this.#stalled.hold(record, () => this.serve());
      return undefined;
    }
  }
}
