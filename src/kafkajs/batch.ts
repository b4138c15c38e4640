/**
 * kafkajs's view of consumed records: messages with string offsets and timestamps and a headers object,
 * and per-partition batches with their high watermark and lag helpers. Built from kafka-napi's records
 * once per poll; the high watermarks come from librdkafka's cache of the last fetch (one native call per
 * poll, no request).
 */
import type { ConsumerRecord } from '../types';
import { tpKey } from './offsets';
import type { Batch, IHeaders, KafkaMessage } from './types';

export type RawRecord = ConsumerRecord<Buffer, Buffer>;

/** A kafka-napi record as kafkajs hands it to eachMessage / eachBatch. */
export function toMessage(record: RawRecord): KafkaMessage {
  const headers: IHeaders = {};
  for (const [name, value] of record.headers) {
    // kafkajs: a repeated header name becomes an array of its values.
    const v = value ?? Buffer.alloc(0);
    const seen = headers[name];
    if (seen === undefined) headers[name] = v;
    else headers[name] = Array.isArray(seen) ? [...seen, v] : [seen, v];
  }
  return {
    magicByte: 2,
    attributes: 0,
    timestamp: String(record.timestamp),
    offset: String(record.offset),
    key: record.key,
    value: record.value,
    headers,
    isControlRecord: false,
    batchContext: undefined,
    size: undefined,
  } as unknown as KafkaMessage;
}

/** One partition's share of a poll, in offset order. */
export class PartitionBatch implements Batch {
  readonly messages: KafkaMessage[];

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly records: RawRecord[],
    readonly highWatermark: string,
  ) {
    this.messages = records.map(toMessage);
  }

  isEmpty(): boolean {
    return this.messages.length === 0;
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
  const groups = new Map<string, { topic: string; partition: number; records: RawRecord[] }>();
  for (const r of records) {
    const key = tpKey(r.topic, r.partition);
    let g = groups.get(key);
    if (!g) {
      g = { topic: r.topic, partition: r.partition, records: [] };
      groups.set(key, g);
    }
    g.records.push(r);
  }
  const list = [...groups.values()];
  const high = list.length > 0 ? highWatermarks(list) : [];
  return list.map((g, i) => {
    const last = g.records[g.records.length - 1].offset;
    const hw = high[i] >= 0 ? high[i] : last + 1;
    return new PartitionBatch(g.topic, g.partition, g.records, String(Math.max(hw, last + 1)));
  });
}
