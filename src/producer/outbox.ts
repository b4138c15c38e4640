/**
 * Records held in JS until librdkafka takes them, then in flight until their delivery report.
 *
 * Every send of one tick is handed over together, one microtask later: one native call per run of
 * records for the same topic (at most MAX_RUN each), and a stretch of this that used the turn budget
 * leaves the rest to the next turn. Records librdkafka has no room for (its queue is full) stay here, in
 * order, until deliveries make room; so do records waiting for a partition count (JS partitioner).
 */
import { performance } from 'node:perf_hooks';

import { errorFromErrno, kafkaError, KafkaError } from '../core/errors';
import { TURN_BUDGET_MS, type EventLoopTurns } from '../client/turns';
import { InFlightRuns } from '../client/in-flight';
import { addon, type NativeProducer } from '../native/addon';
import type { JsPartitioner } from './partitioner';
import { toColumns, type Outgoing } from './records';

/** Records per native produce call: a larger run held the JS thread past the turn budget. */
const MAX_RUN = 5_000;
const ZERO_COPY_THRESHOLD = addon.Producer.zeroCopyThreshold;
/** How soon records refused by a full librdkafka queue are offered again (deliveries also retry). */
const QUEUE_FULL_RETRY_MS = 50;

export interface OutboxHost {
  readonly native: NativeProducer;
  readonly turns: EventLoopTurns;
  readonly partitioner: JsPartitioner | undefined;
  /** Each hand-over leaves without waiting for linger.ms (the producer's `expedite` option). */
  readonly expedite: boolean;
  /** The number of records waiting or in flight changed. */
  changed(): void;
}

export class Outbox {
  readonly #waiting: Outgoing[] = [];
  /** By opaque id; an entry keeps its zero-copy payload alive until the delivery report. */
  readonly #inFlight = new InFlightRuns<Outgoing>();
  #nextId = 1;
  #scheduled = false;
  #produceScheduled = false;
  #queueFull = false;
  #retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly host: OutboxHost) {}

  /** Records not yet taken by librdkafka. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Records taken by librdkafka, waiting for their delivery report. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /** librdkafka refused records for lack of room: deliveries should offer them again. */
  get queueFull(): boolean {
    return this.#queueFull;
  }

  add(outgoing: Outgoing): void {
    this.#waiting.push(outgoing);
    if (!this.#scheduled) {
      this.#scheduled = true;
      // Coalesce every send of this tick into one native call.
      queueMicrotask(() => {
        this.#scheduled = false;
        this.produce();
      });
    }
    // Adding can only make the producer busy: tell it once, not for every record of a batch.
    if (this.#waiting.length === 1) this.host.changed();
  }

  /** The in-flight record a delivery report is for (once). */
  delivered(id: number): Outgoing | undefined {
    return this.#inFlight.take(id);
  }

  /** Fails the waiting records of `topic` (no partition count can be had for it). */
  failTopic(topic: string, error: KafkaError): void {
    // Compacted in place: re-inserting the kept records as call arguments (a spread) overflowed V8's
    // argument limit with a large outbox.
    const waiting = this.#waiting;
    let w = 0;
    for (const o of waiting) {
      if (o.topic === topic) o.fail(error);
      else waiting[w++] = o;
    }
    waiting.length = w;
    this.host.changed();
  }

  /** Removes every waiting record (and, with `inFlight`, every record in flight) for the caller to fail. */
  takeAll(inFlight: boolean): Outgoing[] {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const out = this.#waiting.splice(0);
    if (inFlight) for (const o of this.#inFlight.takeAll()) out.push(o);
    this.host.changed();
    return out;
  }

  /** Hands waiting records to librdkafka (see above). */
  produce(): void {
    const outbox = this.#waiting;
    const until = performance.now() + TURN_BUDGET_MS;
    let start = 0;
    while (start < outbox.length) {
      if (start > 0 && performance.now() > until) {
        this.#produceLater();
        break;
      }
      const topic = outbox[start].topic;
      const limit = Math.min(outbox.length, start + MAX_RUN);
      let end = start + 1;
      while (end < limit && outbox[end].topic === topic) end++;
      if (this.host.partitioner) {
        const kept = this.host.partitioner.apply(topic, outbox, start, end);
        // Partition count pending: keep this run and everything after it, in order.
        if (kept === undefined) break;
        end = kept;
        if (end === start) continue;
      }
      const taken = this.#produceRun(topic, outbox, start, end);
      const runLength = end - start;
      start += taken;
      if (taken < runLength) {
        // librdkafka's queue is full: keep the rest, in order, until deliveries make room.
        this.#queueFull = true;
        this.#retryTimer ??= setTimeout(() => {
          this.#retryTimer = undefined;
          this.produce();
        }, QUEUE_FULL_RETRY_MS);
        break;
      }
    }
    outbox.splice(0, start);
    if (outbox.length === 0) this.#queueFull = false;
    this.host.changed();
  }

  #produceLater(): void {
    if (this.#produceScheduled) return;
    this.#produceScheduled = true;
    this.host.turns.later(() => {
      this.#produceScheduled = false;
      this.produce();
    });
  }

  #produceRun(topic: string, outbox: Outgoing[], start: number, end: number): number {
    const n = end - start;
    const { values, keys, partitions, timestamps, headers } = toColumns(outbox, start, end);
    const firstId = this.#nextId;
    const errors = new Int32Array(n);
    let taken: number;
    try {
      taken = this.host.native.produce(
        topic,
        values,
        keys,
        partitions,
        timestamps,
        headers,
        firstId,
        errors,
        this.host.expedite,
      );
    } catch (err) {
      // The whole run failed before librdkafka took any of it (e.g. an invalid topic name).
      const error = err instanceof KafkaError ? err : kafkaError('_INVALID_ARG', String(err), { cause: err });
      for (let i = 0; i < n; i++) outbox[start + i].fail(error);
      return n;
    }
    this.#nextId += taken;
    const run = outbox.slice(start, start + taken) as Array<Outgoing | undefined>;
    for (let i = 0; i < taken; i++) {
      const o = run[i]!;
      if (errors[i] === 0) {
        o.dropCopied(ZERO_COPY_THRESHOLD);
        continue;
      }
      run[i] = undefined;
      o.fail(errorFromErrno(errors[i]));
    }
    this.#inFlight.add(firstId, run);
    return taken;
  }
}
