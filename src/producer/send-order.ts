/**
 * Keeps records in the order they were sent while large sendBatch calls are serialized in slices.
 *
 * Serializing a million records takes the JS thread for a second: a sendBatch that does not finish within
 * the client's turn budget goes on from the next event-loop turn, slice by slice. Records sent meanwhile
 * (send() or a later sendBatch) wait behind it, so per-partition order is the order of the calls. A batch
 * is all or nothing: none of its records goes out until every one of them serialized.
 *
 * A serializer may answer with a Promise (src/producer/records.ts `pending`): its record, or its whole
 * batch, then waits in the same queue until the Promise settles, and what was sent after it waits behind.
 */
import { performance } from 'node:perf_hooks';

import { TURN_BUDGET_MS, type EventLoopTurns } from '../client/turns';
import type { KafkaError } from '../core/errors';
import type { Outgoing } from './records';

/** Records serialized between two checks of the turn budget. */
const SLICE = 1_000;

interface Pending {
  outgoing: Outgoing[];
  done: boolean;
  /** Rejects the batch's promise (the producer closed while it was being serialized). */
  cancel: ((error: KafkaError) => void) | undefined;
}

export class SendOrder {
  readonly #waiting: Pending[] = [];

  /** `accept` takes each record, in order, once nothing before it is still being serialized. */
  constructor(
    private readonly turns: EventLoopTurns,
    private readonly accept: (outgoing: Outgoing) => void,
  ) {}

  /** A batch is still being serialized: records cannot go out yet. */
  get busy(): boolean {
    return this.#waiting.length > 0;
  }

  /** One record of a send(). */
  one(outgoing: Outgoing): void {
    const deferred = outgoing.pending;
    if (deferred !== undefined) {
      const pending: Pending = { outgoing: [outgoing], done: false, cancel: (error) => outgoing.fail(error) };
      this.#waiting.push(pending);
      // The error a deferred record settles with is always a KafkaError (records.ts settleLater).
      void deferred.then((error) => this.#settled(pending, error, (e) => outgoing.fail(e as KafkaError)));
    } else if (this.#waiting.length === 0) this.accept(outgoing);
    else this.#waiting.push({ outgoing: [outgoing], done: true, cancel: undefined });
  }

  /**
   * Serializes records 0..count-1 with `serialize` and hands them on. A throw rejects the whole batch
   * with `reject` (synchronously when it happens in the first slice) and nothing of it goes out.
   */
  batch(count: number, serialize: (index: number) => Outgoing, reject: (error: Error) => void): void {
    const outgoing = new Array<Outgoing>(count);
    // The serializers' Promises of this batch, if any answered with one.
    let deferred: Array<Promise<KafkaError | undefined>> | undefined;
    let next = 0;
    // True once every record is serialized; false when this stretch used up the turn budget first.
    const step = (): boolean => {
      const until = performance.now() + TURN_BUDGET_MS;
      for (let sliceEnd = next; next < count; next++) {
        if (next === sliceEnd) {
          if (next > 0 && performance.now() > until) return false;
          sliceEnd = next + SLICE;
        }
        const o = serialize(next);
        if (o.pending !== undefined) (deferred ??= []).push(o.pending);
        outgoing[next] = o;
      }
      return true;
    };
    const serialized = step();
    if (serialized && deferred === undefined) {
      if (this.#waiting.length === 0) for (const o of outgoing) this.accept(o);
      else this.#waiting.push({ outgoing, done: true, cancel: undefined });
      return;
    }
    const pending: Pending = { outgoing, done: false, cancel: reject };
    this.#waiting.push(pending);
    // Every record serialized: the batch goes out once its Promises settled, or fails with the first error.
    const serializedAll = (): void => {
      if (deferred === undefined) this.#settled(pending, undefined, reject);
      else void Promise.all(deferred).then((errors) => this.#settled(pending, errors.find(Boolean), reject));
    };
    if (serialized) {
      serializedAll();
      return;
    }
    const resume = (): void => {
      if (pending.done) return; // cancelled
      try {
        if (!step()) {
          this.turns.later(resume);
          return;
        }
      } catch (err) {
        this.#settled(pending, err as Error, reject);
        return;
      }
      serializedAll();
    };
    this.turns.later(resume);
  }

  /** An entry finished serializing (or failed: `fail` gets the error and none of it goes out). */
  #settled(pending: Pending, error: Error | undefined, fail: (error: Error) => void): void {
    if (pending.done) return; // cancelled meanwhile
    pending.done = true;
    pending.cancel = undefined;
    if (error !== undefined) {
      pending.outgoing = [];
      fail(error);
    }
    this.#release();
  }

  /** Rejects the batches still being serialized and drops what waits behind them (close()). */
  cancel(error: KafkaError): Outgoing[] {
    const dropped: Outgoing[] = [];
    for (const pending of this.#waiting.splice(0)) {
      if (pending.done) for (const o of pending.outgoing) dropped.push(o);
      else {
        pending.done = true;
        pending.cancel?.(error);
      }
    }
    return dropped;
  }

  /** Hands on every finished entry at the head of the queue. */
  #release(): void {
    const waiting = this.#waiting;
    while (waiting.length > 0 && waiting[0].done) {
      const head = waiting.shift()!;
      for (const o of head.outgoing) this.accept(o);
    }
  }
}
