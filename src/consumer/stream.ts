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
 * close() delivers them again): by destroy(), those of the last batch nobody read; by an error (a
 * failed pipeline stage), the whole last batch, which the failed stage may have held (some may then
 * arrive twice, none is lost). Records of earlier batches may still sit in later stages' buffers (up to
 * their highWaterMark each): for at-least-once through a pipeline, turn enableAutoCommit off and commit
 * from the sink.
 */
import { Readable } from 'node:stream';

import type { ConsumerRecord } from '../types';

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
  /** These records were handed out but never read: not consumed, and fetched again. */
  giveBack(records: Array<ConsumerRecord<K, V>>): void;
}

export function recordStream<K, V>(source: StreamSource<K, V>, highWaterMark: number): Readable {
  let pulling = false;
  /** The last batch pushed: the only one whose records can still sit unread in the buffer. */
  let last: Array<ConsumerRecord<K, V>> = [];
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
            if (records) source.giveBack(records);
            return;
          }
          if (!records) {
            last = [];
            stream.push(null);
            return;
          }
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
      // What is still buffered is the tail of the last batch: nobody read it. After an error, the whole
      // last batch goes back: the stage that failed may have held any of it.
      const unread = error ? last.length : Math.min(stream.readableLength, last.length);
      if (unread > 0) {
        try {
          source.giveBack(last.slice(last.length - unread));
        } catch {
          // The consumer closed meanwhile: its positions no longer matter.
        }
      }
      last = [];
      callback(error);
    },
  });
  return stream;
}
