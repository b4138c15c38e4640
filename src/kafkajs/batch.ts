/**
 * kafkajs's view of consumed records: messages with string offsets and timestamps and a headers object,
 * and per-partition batches with their high watermark and lag helpers. Built from kafka-napi's records
 * once per poll; the high watermarks come from librdkafka's cache of the last fetch (one native call per
 * poll, no request).
 */
import type { ConsumerRecord } from '../core/types';
import { tpKey } from './offsets';
import type { Batch, IHeaders, KafkaMessage } from './types';

export type RawRecord = ConsumerRecord<Buffer, Buffer>;

/**
 * A kafka-napi record as kafkajs hands it to eachMessage / eachBatch. `timestamp` is the record's
 * timestamp as a string when the caller has it already: records of one batch often share one.
 */
export function toMessage(record: RawRecord, timestamp = String(record.timestamp)): KafkaMessage {
  const headers: IHeaders = {};
  const list = record.headers;
  for (let i = 0; i < list.length; i++) {
    const [name, value] = list[i];
    // kafkajs: a repeated header name becomes an array of its values.
    const v = value ?? Buffer.alloc(0);
    const seen = headers[name];
    if (seen === undefined) headers[name] = v;
    else headers[name] = Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  return {
    magicByte: 2,
    attributes: 0,
    timestamp,
    offset: String(record.offset),
    key: record.key,
    value: record.value,
    headers,
    isControlRecord: false,
    batchContext: undefined,
  } as unknown as KafkaMessage;
}

/** One partition's share of a poll, in offset order. */
export class PartitionBatch implements Batch {
  readonly fetchedOffset: string;
  readonly messages: KafkaMessage[];
  readonly #records: RawRecord[];

  constructor(
    readonly topic: string,
    readonly partition: number,
    records: RawRecord[],
    readonly highWatermark: string,
  ) {
    this.#records = records;
    // Where the fetch started: the batch's first record (what kafkajs's fetch asked for).
    this.fetchedOffset = String(records.length > 0 ? records[0].offset : highWatermark);
    const messages: KafkaMessage[] = new Array(records.length);
    let lastTimestamp = NaN;
    let timestamp = '';
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      if (r.timestamp !== lastTimestamp) {
        lastTimestamp = r.timestamp;
        timestamp = String(lastTimestamp);
      }
      messages[i] = toMessage(r, timestamp);
    }
    this.messages = messages;
  }

  /** The kafka-napi records the messages were made from (not an own property: kafkajs's batch has none). */
  get records(): RawRecord[] {
    return this.#records;
  }

  isEmpty(): boolean {
    return this.messages.length === 0;
  }

  // kafkajs's other emptiness checks: librdkafka hands over neither control records nor records below
  // the fetched offset, so an empty batch here is empty for every reason at once.
  isEmptyIncludingFiltered(): boolean {
    return this.messages.length === 0;
  }

  isEmptyControlRecord(): boolean {
    return false;
  }

  isEmptyDueToFiltering(): boolean {
    return false;
  }

  isEmptyDueToLogCompactedMessages(): boolean {
    return false;
  }

  firstOffset(): string | null {
    return this.records.length === 0 ? null : String(this.records[0].offset);
  }

  lastOffset(): string {
    if (this.records.length === 0) return String(BigInt(this.highWatermark) - 1n);
    return String(this.records[this.records.length - 1].offset);
  }

  /** Records after the batch's last one: high watermark - 1 - last offset. */
  offsetLag(): string {
    return String(BigInt(this.highWatermark) - 1n - BigInt(this.lastOffset()));
  }

  /** Records from the batch's first one: high watermark - 1 - first offset. */
  offsetLagLow(): string {
    const first = this.firstOffset();
    return first === null ? '0' : String(BigInt(this.highWatermark) - 1n - BigInt(first));
  }
}

/**
 * Splits a poll into per-partition batches (a partition's records stay in order). `highWatermarks` gives
 * each partition's end offset (-1 when librdkafka has none cached: the batch then reports its last
 * offset + 1, so its lag reads 0 rather than a negative number).
 */
export function partitionBatches(
  records: RawRecord[],
  highWatermarks: (parts: Array<{ topic: string; partition: number }>) => number[],
): PartitionBatch[] {
  type Group = { topic: string; partition: number; records: RawRecord[] };
  const groups: Group[] = [];
  // A poll holds runs of one partition's records: the key lookup is paid per run, not per record.
  const byKey = new Map<string, Group>();
  let last: Group | undefined;
  for (const r of records) {
    if (last !== undefined && last.partition === r.partition && last.topic === r.topic) {
      last.records.push(r);
      continue;
    }
    const key = tpKey(r.topic, r.partition);
    let g = byKey.get(key);
    if (!g) {
      g = { topic: r.topic, partition: r.partition, records: [] };
      byKey.set(key, g);
      groups.push(g);
    }
    g.records.push(r);
    last = g;
  }
  const high = groups.length > 0 ? highWatermarks(groups) : [];
  return groups.map((g, i) => {
    const lastOffset = g.records[g.records.length - 1].offset;
    const hw = high[i] >= 0 ? high[i] : lastOffset + 1;
    return new PartitionBatch(g.topic, g.partition, g.records, String(Math.max(hw, lastOffset + 1)));
  });
}
