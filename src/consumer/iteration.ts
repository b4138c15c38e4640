/**
 * The three ways to iterate a KafkaConsumer over one source of records: record by record (`for await`),
 * arrays (`batches()`), and an objectMode Readable (`stream()`).
 */
import type { Readable } from 'node:stream';

import type { ProcessSpans } from '../observe/diagnostics';
import type { ConsumerRecord } from '../core/types';
import { integerArg, optionsArg, timeoutArg } from '../core/validate';
import { recordStream, type ConsumerStreamOptions } from './stream';

/** What iterating needs of its consumer. */
export interface RecordSource<K, V> {
  /** Records for an iteration; undefined once the consumer is closed (iterations end, not throw). */
  next(
    maxRecords: number,
    timeoutMs: number,
    onWait?: (withdraw: () => void) => void,
  ): Promise<Array<ConsumerRecord<K, V>> | undefined>;
  /** Throws _DESTROY once the consumer is closed. */
  checkOpen(): void;
  /** A record ready now, when no request waits, the consumer is open and no event-loop turn is due. */
  takeNow(): ConsumerRecord<K, V> | undefined;
}

/**
 * Record by record, with `kafka-napi:process:start|end` around each loop body (from a record's delivery
 * to the next request). A record ready now is handed over without a request of its own: one promise per
 * record (the iterator protocol's) instead of four.
 */
export function recordIterator<K, V>(
  source: RecordSource<K, V>,
  spans: ProcessSpans,
): AsyncIterator<ConsumerRecord<K, V>> {
  return {
    next: (): Promise<IteratorResult<ConsumerRecord<K, V>>> => {
      spans.end();
      try {
        const record = source.takeNow();
        if (record !== undefined) return Promise.resolve({ value: spans.begin(record), done: false });
      } catch (err) {
        return Promise.reject(err as Error);
      }
      return source
        .next(1, Infinity)
        .then((records) =>
          records ? { value: spans.begin(records[0]), done: false } : { value: undefined, done: true },
        );
    },
    return: (): Promise<IteratorResult<ConsumerRecord<K, V>>> => {
      spans.end();
      return Promise.resolve({ value: undefined, done: true });
    },
  };
}

/** `maxRecords` of poll(), batches() and stream(): the consumer's maxPollRecords unless given. */
export function maxRecordsArg(value: unknown, maxPollRecords: number): number {
  return value === undefined ? maxPollRecords : integerArg(value, 'maxRecords', 1, 1_000_000);
}

/**
 * Arrays of at most `maxRecords`; ends once `timeoutMs` passed without a record (default: never), or the
 * consumer closed. Arguments are checked at the call, not at the first `next()`.
 */
export function batchGenerator<K, V>(
  source: RecordSource<K, V>,
  options: { maxRecords?: number; timeoutMs?: number } | undefined,
  maxPollRecords: number,
): AsyncGenerator<Array<ConsumerRecord<K, V>>> {
  const opts = optionsArg(options);
  const maxRecords = maxRecordsArg(opts.maxRecords, maxPollRecords);
  const timeoutMs = timeoutArg(opts.timeoutMs, 'timeoutMs', -1, true);
  return batches(source, maxRecords, timeoutMs === -1 ? Infinity : timeoutMs);
}

async function* batches<K, V>(
  source: RecordSource<K, V>,
  maxRecords: number,
  idleMs: number,
): AsyncGenerator<Array<ConsumerRecord<K, V>>> {
  for (;;) {
    const records = await source.next(maxRecords, idleMs);
    if (!records || records.length === 0) return;
    yield records;
  }
}

/** An objectMode Readable (src/consumer/stream.ts); `giveBack` takes the records it had not passed on. */
export function consumerStream<K, V>(
  source: RecordSource<K, V>,
  options: ConsumerStreamOptions | undefined,
  maxPollRecords: number,
  giveBack: (records: Array<ConsumerRecord<K, V>>) => void,
): Readable {
  const opts = optionsArg(options);
  const maxRecords = maxRecordsArg(opts.maxRecords, maxPollRecords);
  const highWaterMark =
    opts.highWaterMark === undefined ? 1 : integerArg(opts.highWaterMark, 'highWaterMark', 1, 1_000_000);
  source.checkOpen();
  let withdraw: (() => void) | undefined;
  return recordStream<K, V>(
    {
      next: () => {
        withdraw = undefined;
        return source.next(maxRecords, Infinity, (w) => (withdraw = w));
      },
      cancel: () => withdraw?.(),
      giveBack,
    },
    highWaterMark,
  );
}
