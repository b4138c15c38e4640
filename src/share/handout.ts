/**
 * The share consumer's records between the native poll and the application: the fetched batch, decoded as
 * it is handed out, and the records handed out but not acknowledged yet. A record that cannot be decoded
 * is never handed out: it is released, so the broker counts the delivery and archives a poison record at
 * the group's delivery limit.
 */
import { errorFromErrno, type KafkaError } from '../core/errors';
import type { Deserializer } from '../core/serde';
import type { NativeShareBatch } from '../native/addon';
import { RecordBatch } from '../consumer/batch';
import { deserialize } from '../consumer/decode';
import { StalledRecord } from '../consumer/stalled';
import { ACK_TYPES, type PendingAcks } from './acks';
import type { ShareRecord } from './options';

export class ShareHandout<K, V> {
  /** Handed to the application, not acknowledged yet. */
  readonly unacked = new Set<ShareRecord<K, V>>();
  /** The batch being handed out, and its delivery counts. */
  #batch: RecordBatch | undefined;
  #deliveryCounts: Int32Array = new Int32Array(0);
  /** A record-level error met while handing out a batch: raised by the next poll. */
  #recordError: KafkaError | undefined;
  readonly #stalled = new StalledRecord<ShareRecord<K, V>>();

  constructor(
    private readonly acks: PendingAcks,
    private readonly keyDeserializer: Deserializer<K> | undefined,
    private readonly valueDeserializer: Deserializer<V> | undefined,
  ) {}

  /** Records fetched and not handed out yet. */
  get remaining(): number {
    return this.#batch?.remaining ?? 0;
  }

  fill(batch: NativeShareBatch): void {
    this.#batch = new RecordBatch(batch);
    this.#deliveryCounts = batch.deliveryCounts;
  }

  /** Resolves once a record whose deserializer answered with a Promise has settled. Never rejects. */
  settled(): Promise<void> {
    return this.#stalled.settled();
  }

  /** Raises the record-level error the last take() stopped at, if any. */
  throwRecordError(): void {
    const error = this.#recordError;
    this.#recordError = undefined;
    if (error) throw error;
  }

  /** Releases what was fetched and never handed out: the broker gives it to another member now. */
  releaseBuffered(): void {
    const batch = this.#batch;
    while (batch && batch.remaining > 0) {
      const raw = batch.shift();
      if (batch.errno === 0) this.acks.add(raw.topic, raw.partition, raw.offset, ACK_TYPES.release);
    }
    this.#batch = undefined;
  }

  /**
   * Hands out up to `max` buffered records; a record-level error stops the batch there, and a record
   * whose deserializer answered with a Promise holds back what follows it until settled() resolves.
   */
  take(max: number): Array<ShareRecord<K, V>> {
    const out: Array<ShareRecord<K, V>> = [];
    if (this.#stalled.waiting) return out;
    if (this.#stalled.ready) out.push(this.#takeStalled());
    const batch = this.#batch;
    while (batch && batch.remaining > 0 && out.length < max) {
      const deliveryCount = this.#deliveryCounts[this.#deliveryCounts.length - batch.remaining];
      const raw = batch.shift();
      if (batch.errno !== 0) {
        // librdkafka has settled such a record itself (corrupt: rejected; undecompressable: released).
        const error = aboutRecord(errorFromErrno(batch.errno, raw.value ? raw.value.toString('utf8') : undefined), raw);
        if (out.length === 0) throw error;
        this.#recordError = error;
        break;
      }
      let record: ShareRecord<K, V>;
      try {
        const result = deserialize(raw, this.keyDeserializer, this.valueDeserializer);
        if (result instanceof Promise) {
          const counted = result.then((r) => Object.assign(r as ShareRecord<K, V>, { deliveryCount }));
          this.#stalled.hold(counted, () => undefined);
          break;
        }
        record = result as ShareRecord<K, V>;
      } catch (err) {
        this.acks.add(raw.topic, raw.partition, raw.offset, ACK_TYPES.release);
        if (out.length === 0) throw err;
        this.#recordError = err as KafkaError;
        break;
      }
      record.deliveryCount = deliveryCount;
      this.unacked.add(record);
      out.push(record);
    }
    if (batch && batch.remaining === 0) this.#batch = undefined;
    return out;
  }

  /** The settled stalled record; a failed one is released (as a throwing deserializer's) and thrown. */
  #takeStalled(): ShareRecord<K, V> {
    let record: ShareRecord<K, V>;
    try {
      record = this.#stalled.take();
    } catch (err) {
      const { topic, partition, offset } = err as KafkaError;
      if (topic !== undefined && partition !== undefined && offset !== undefined) {
        this.acks.add(topic, partition, offset, ACK_TYPES.release);
      }
      throw err;
    }
    this.unacked.add(record);
    return record;
  }
}

export function aboutRecord(
  error: KafkaError,
  where: { topic: string; partition: number; offset?: number },
): KafkaError {
  error.topic = where.topic;
  error.partition = where.partition;
  if (where.offset !== undefined) error.offset = where.offset;
  return error;
}
