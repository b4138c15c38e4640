/**
 * Decodes one native batch (see native/clients/consumer.cc) into records on demand. Keys, values and header
 * values are views into the batch's single slab Buffer: no copy per record.
 */
import type { NativeBatch } from '../native/addon';

// The layout native/core/record_layout.h writes (test/unit/record-layout.test.ts checks both agree).
// Int32 fields per record:
export const F_TOPIC = 0;
export const F_PARTITION = 1;
export const F_KEY_OFFSET = 2;
export const F_KEY_LENGTH = 3;
export const F_VALUE_OFFSET = 4;
export const F_VALUE_LENGTH = 5;
export const F_TIMESTAMP_TYPE = 6;
export const F_HEADER_START = 7;
export const F_HEADER_COUNT = 8;
export const F_ERROR = 9;
export const RECORD_INTS = 10;
// Float64 fields per record:
export const N_OFFSET = 0;
export const N_TIMESTAMP = 1;
export const N_LEADER_EPOCH = 2;
export const RECORD_NUMBERS = 3;
// Int32 fields per header:
export const H_NAME_OFFSET = 0;
export const H_NAME_LENGTH = 1;
export const H_VALUE_OFFSET = 2;
export const H_VALUE_LENGTH = 3;
export const HEADER_INTS = 4;

const TIMESTAMP_TYPES = ['none', 'create', 'log-append'] as const;

/** A record exactly as it arrived, before deserialization. */
export interface RawRecord {
  topic: string;
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, Buffer | null]>;
  timestamp: number;
  timestampType: 'create' | 'log-append' | 'none';
  leaderEpoch?: number;
}

export class RecordBatch {
  #next = 0;

  constructor(private readonly batch: NativeBatch) {}

  /** librdkafka error code of the record `shift()` returned last: an error delivered in place of a message. */
  errno = 0;

  get remaining(): number {
    return this.batch.count - this.#next;
  }

  /** Offset of the first record not yet taken for this partition, if the batch holds one. */
  peekOffset(topic: string, partition: number): number | undefined {
    const { ints, numbers, topics, count } = this.batch;
    for (let i = this.#next; i < count; i++) {
      const r = i * RECORD_INTS;
      if (ints[r + F_PARTITION] === partition && topics[ints[r + F_TOPIC]] === topic && ints[r + F_ERROR] === 0) {
        return numbers[i * RECORD_NUMBERS + N_OFFSET];
      }
    }
    return undefined;
  }

  /**
   * Decodes and consumes the next record. The object is built in its final shape (no field is added or
   * deleted later), so every record shares one hidden class: deleting a field once per record put them
   * all in dictionary mode and cost a fifth of the consumer's time.
   */
  shift(): RawRecord {
    const i = this.#next++;
    const { slab, ints, numbers, topics } = this.batch;
    const r = i * RECORD_INTS;
    const d = i * RECORD_NUMBERS;
    const keyLength = ints[r + F_KEY_LENGTH];
    const valueLength = ints[r + F_VALUE_LENGTH];
    const keyOffset = ints[r + F_KEY_OFFSET];
    const valueOffset = ints[r + F_VALUE_OFFSET];
    const leaderEpoch = numbers[d + N_LEADER_EPOCH];
    const headerCount = ints[r + F_HEADER_COUNT];
    const record: RawRecord = {
      topic: ints[r + F_TOPIC] >= 0 ? topics[ints[r + F_TOPIC]] : '',
      partition: ints[r + F_PARTITION],
      offset: numbers[d + N_OFFSET],
      key: keyLength < 0 ? null : slab.subarray(keyOffset, keyOffset + keyLength),
      value: valueLength < 0 ? null : slab.subarray(valueOffset, valueOffset + valueLength),
      headers: headerCount === 0 ? [] : this.#headers(ints[r + F_HEADER_START], headerCount),
      timestamp: numbers[d + N_TIMESTAMP],
      timestampType: TIMESTAMP_TYPES[ints[r + F_TIMESTAMP_TYPE]] ?? 'none',
      // Always present (undefined when unknown): a field added afterwards gave records two shapes.
      leaderEpoch: leaderEpoch >= 0 ? leaderEpoch : undefined,
    };
    this.errno = ints[r + F_ERROR];
    return record;
  }

  #headers(start: number, count: number): Array<[string, Buffer | null]> {
    const { slab, headers } = this.batch;
    const out: Array<[string, Buffer | null]> = [];
    for (let h = start; h < start + count; h++) {
      const at = h * HEADER_INTS;
      const nameOffset = headers[at + H_NAME_OFFSET];
      const valueOffset = headers[at + H_VALUE_OFFSET];
      const valueLength = headers[at + H_VALUE_LENGTH];
      out.push([
        slab.toString('utf8', nameOffset, nameOffset + headers[at + H_NAME_LENGTH]),
        // -1: a null header value (Kafka distinguishes it from an empty one).
        valueLength < 0 ? null : slab.subarray(valueOffset, valueOffset + valueLength),
      ]);
    }
    return out;
  }
}
