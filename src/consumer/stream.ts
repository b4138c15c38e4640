/**
 * consumer.stream(): the consumer as an objectMode Readable of records.
 *
 * Backpressure: the stream asks the consumer for the next batch only when its buffer has room (by
 * default: when it is empty), so a slow stage downstream stops the polling, librdkafka's queue fills to
 * queued.max.messages.kbytes and fetching pauses. Memory stays bounded by that queue plus one batch.
 *
 * Offsets: as with poll(), records count as consumed when the stream comes back for more, i.e. once
 * downstream has read everything the stream held. When the stream is destroyed early, records are given
 * back (not consumed, and their partitions sought back to them, so a later poll or a restart after
 * close() delivers them again, and no commit passes them): by destroy(), those nobody read; by an
 * error (a failed pipeline stage), the last two batches whole, which is everything the next stage can
 * hold unless its own buffer exceeds a batch (some records may then arrive twice, none is lost). Stages
 * further down can hold more: for at-least-once through a long pipeline, turn enableAutoCommit off and
 * commit from the sink.
 */
import { Readable } from 'node:stream';

import type { ConsumerRecord } from '../core/types';

/** consumer.stream()'s options. */
export interface ConsumerStreamOptions {
  /** Records per batch taken from the consumer. Default: maxPollRecords. */
  maxRecords?: number;
  /**
   * Records the stream buffers before it stops asking for more. Default 1: a new batch is taken only
   * once downstream has read the previous one whole, which keeps "consumed" exact (see above).
   */
  highWaterMark?: number;
}

/** What the stream needs from its consumer. */
export interface StreamSource<K, V> {
  /** The next batch; undefined once the consumer is closed. */
  next(): Promise<Array<ConsumerRecord<K, V>> | undefined>;
  /** Withdraws a next() still waiting for records: it resolves empty. */
  cancel(): void;
  /** These records were handed out but not finished with: not consumed, and fetched again. */
  giveBack(records: Array<ConsumerRecord<K, V>>): void;
}

export function recordStream<K, V>(source: StreamSource<K, V>, highWaterMark: number): Readable {
  let pulling = false;
  // The last two batches pushed: with the default highWaterMark, all a failed stage can still hold. The
  // stream takes a batch once downstream has read the one before, which may still sit in the next
  // stage's buffer or be in its hands.
  let previous: Array<ConsumerRecord<K, V>> = [];
  let last: Array<ConsumerRecord<K, V>> = [];
  const giveBack = (records: Array<ConsumerRecord<K, V>>): void => {
    if (records.length === 0) return;
    try {
      source.giveBack(records);
    } catch {
      // The consumer closed meanwhile (or the partition is gone): its positions no longer matter.
    }
  };
  const stream = new Readable({
    objectMode: true,
    highWaterMark,
    read() {
      if (pulling) return;
      pulling = true;
      source.next().then(
        (records) => {
          pulling = false;
          if (stream.destroyed) {
            if (records) giveBack(records);
            return;
          }
          if (!records) {
            previous = last = [];
            stream.push(null);
            return;
          }
          previous = last;
          last = records;
          for (const record of records) stream.push(record);
        },
        (err: unknown) => {
          pulling = false;
          stream.destroy(err as Error);
        },
      );
    },
    destroy(error, callback) {
      if (pulling) source.cancel();
      const held = [...previous, ...last];
      // By destroy(): what is still buffered, nobody read. By an error: everything the failed stage may
      // have held too.
      const unread = Math.min(stream.readableLength, held.length);
      giveBack(error ? held : held.slice(held.length - unread));
      previous = last = [];
      callback(error);
    },
  });
  return stream;
}
