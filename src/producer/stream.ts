/**
 * producer.stream(topic): an objectMode Writable that sends what is written to one topic.
 *
 * Everything written while the previous write is being handed over arrives together (`writev`) and goes
 * out as ONE sendBatch: one native crossing for many records. Backpressure: a write completes once its
 * records are handed to the producer, unless more than `highWaterMark` records are unacknowledged; then
 * it completes when acknowledgements bring them back under it. So the stream holds at most about twice
 * `highWaterMark` records, however fast the source. The first failed delivery destroys the stream with
 * its error (it propagates through pipeline()); `end()` finishes once every record is acknowledged.
 */
import { Writable } from 'node:stream';

import { isPlainObject } from '../core/validate';

/** Default of `highWaterMark`: records buffered or unacknowledged before writes wait. */
export const STREAM_HIGH_WATER_MARK = 16_384;

/** producer.stream()'s options. */
export interface ProducerStreamOptions {
  /** Records buffered and unacknowledged before write() returns false. Default 16,384. */
  highWaterMark?: number;
}

/** A chunk is a ProducerRecord (a plain object with a `value`) or a bare value. */
function toRecord(chunk: unknown): { value: unknown } {
  return isPlainObject(chunk) && Object.hasOwn(chunk, 'value') ? (chunk as { value: unknown }) : { value: chunk };
}

export function producerStream<R extends { value: unknown }>(
  sendBatch: (records: R[]) => Promise<unknown>,
  highWaterMark: number,
): Writable {
  let unacknowledged = 0;
  let failed: Error | undefined;
  /** A write waiting for acknowledgements to bring `unacknowledged` under the mark. */
  let waiting: (() => void) | undefined;
  /** end() waiting for the last acknowledgements. */
  let draining: (() => void) | undefined;

  const settled = (count: number, error?: Error): void => {
    unacknowledged -= count;
    if (error && !failed) {
      failed = error;
      stream.destroy(error);
    }
    if (waiting && (unacknowledged < highWaterMark || failed)) {
      const resume = waiting;
      waiting = undefined;
      resume();
    }
    if (draining && unacknowledged === 0) draining();
  };

  const stream = new Writable({
    objectMode: true,
    highWaterMark,
    writev(chunks, callback) {
      // Node calls writev from its own ticks for buffered writes: a throw here (a Proxy chunk whose traps
      // throw) would be an uncaught exception and leave the stream waiting for ever. It fails the stream.
      let records: R[];
      let sent: Promise<unknown>;
      try {
        records = chunks.map((c) => toRecord(c.chunk) as R);
        sent = sendBatch(records);
      } catch (err) {
        callback(err as Error);
        return;
      }
      unacknowledged += records.length;
      sent.then(
        () => settled(records.length),
        (err: unknown) => settled(records.length, err as Error),
      );
      // Completing a write synchronously would send every write() of a loop on its own: completing it
      // from a microtask lets the writes of this tick gather for the next writev.
      if (unacknowledged < highWaterMark) queueMicrotask(() => callback());
      else waiting = () => callback(failed);
    },
    final(callback) {
      if (unacknowledged === 0 || failed) {
        callback(failed);
        return;
      }
      draining = () => callback(failed);
    },
  });
  return stream;
}
