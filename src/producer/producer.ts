/**
 * KafkaProducer: kafka-python's `send` / `flush` / `close`, as promises.
 *
 * Data path: `send()` serializes in JS and appends to an outbox; one microtask later the whole outbox
 * crosses to native in ONE `produce` call per topic run. Delivery reports come back in batches: a
 * librdkafka queue event wakes the JS thread once, one `poll` drains every ready report into typed
 * arrays, and the matching promises settle. Nothing blocks the JS thread or the libuv threadpool.
 */
import { performance } from 'node:perf_hooks';

import { KafkaClient } from '../client';
import { TURN_BUDGET_MS } from '../event-loop-turns';
import { nativeConsumerOf, type KafkaConsumer } from '../consumer';
import { errorFromErrno, kafkaError, KafkaError } from '../errors';
import { InFlightRuns } from '../in-flight';
import { addon, type NativeProducer } from '../native';
import type { RecordMetadata, TopicPartitionOffset } from '../types';
import { optionsArg, plainObjectArg, timeoutArg, topicArg, topicPartitionsArg, typeName } from '../validate';
import { producerConfig, type Payload, type ProducerOptions, type ProducerRecord, type SendOptions } from './options';
import { JsPartitioner } from './partitioner';
import { SendOrder } from './send-order';
import { DeliveryGroup, serializeRecord, toColumns, type Outgoing } from './records';

/** send() without options: one shared, empty, frozen object instead of a new one per call. */
const NO_OPTIONS = Object.freeze({});
const ZERO_COPY_THRESHOLD = addon.Producer.zeroCopyThreshold;

/** Records per native produce call: a larger run held the JS thread past the turn budget. */
const MAX_RUN = 5_000;
/** sendBatch lists longer than this are copied: they may be serialized after the call returns. */
const COPY_ABOVE = 1_000;

/** Delivery reports per native poll. */
const DRAIN_CAP = 4096;

export class KafkaProducer<K = Buffer, V = Buffer> extends KafkaClient<NativeProducer> {
  readonly #options: ProducerOptions<K, V>;
  readonly #outbox: Outgoing[] = [];
  /** By opaque id; an entry keeps its zero-copy payload alive until the delivery report. */
  readonly #inFlight = new InFlightRuns<Outgoing>();
  #nextId = 1;
  #scheduled = false;
  #produceScheduled = false;
  #queueFull = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #fatal: KafkaError | undefined;
  readonly #partitioner: JsPartitioner | undefined;
  readonly #validTopics = new Set<string>();
  readonly #order = new SendOrder(this.turns, (o) => this.#enqueue(o));

  constructor(options: ProducerOptions<K, V>) {
    const config = producerConfig(options as ProducerOptions<unknown, unknown>);
    super('KafkaProducer', options, (wake) => new addon.Producer(config, wake));
    this.#options = options;
    if (typeof options.partitioner === 'function') {
      this.#partitioner = new JsPartitioner(
        options.partitioner,
        (topic, timeoutMs) => this.native.metadata(topic, timeoutMs),
        options.deliveryTimeoutMs ?? 300_000,
        (topic, error) => this.#onPartitionCount(topic, error),
      );
    }
  }

  /** Optional: librdkafka connects lazily; this verifies the cluster is reachable (metadata request). */
  async connect(timeoutMs?: number): Promise<void> {
    this.#checkOpen();
    await this.auth.guard(this.native.metadata(null, timeoutArg(timeoutMs, 'timeoutMs', 30_000)));
  }

  /** Resolves with the record's metadata once the broker acknowledged it (per `acks`). */
  send(topic: string, value: Payload<V> | null, options?: SendOptions<K>): Promise<RecordMetadata> {
    let outgoing: Outgoing;
    try {
      this.#checkTopic(topic);
      this.#checkOpen();
      const opts = (options === undefined ? NO_OPTIONS : optionsArg(options)) as SendOptions<K>;
      outgoing = serializeRecord(this.#options, topic, value, opts, undefined, 0);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const promise = outgoing.promise();
    this.#order.one(outgoing);
    return promise;
  }

  /** Sends many records to one topic with one native call; resolves when all are acknowledged. */
  sendBatch(topic: string, records: Array<ProducerRecord<K, V>>): Promise<RecordMetadata[]> {
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      this.#checkTopic(topic);
      if (!Array.isArray(records)) throw new TypeError(`records must be an array, got ${typeName(records)}`);
      this.#checkOpen();
      if (records.length === 0) {
        resolve([]);
        return;
      }
      // A bad record rejects the batch before any of it is sent. By index, not map: map skips the holes
      // of a sparse array, which then never settled. A large batch is serialized over several event-loop
      // turns (src/producer/send-order.ts): it works on its own copy of the list, which the caller may
      // reuse as soon as this returns.
      const list = records.length > COPY_ABOVE ? records.slice() : records;
      const group = new DeliveryGroup(topic, list.length, resolve, reject);
      const serialize = (i: number): Outgoing => {
        const record = plainObjectArg(list[i] as unknown, `records[${i}]`) as unknown as ProducerRecord<K, V>;
        return serializeRecord(this.#options, topic, record.value, record, group, i);
      };
      this.#order.batch(list.length, serialize, reject);
    });
  }

  /** Waits until every record sent so far is acknowledged or failed. Rejects with _TIMED_OUT. */
  async flush(timeoutMs?: number): Promise<void> {
    await this.#flush(timeoutArg(timeoutMs, 'timeoutMs', -1, true));
  }

  async #flush(timeoutMs: number): Promise<void> {
    const deadline = timeoutMs >= 0 ? Date.now() + timeoutMs : Infinity;
    await this.#handOver(timeoutMs);
    await this.native.flush(deadline === Infinity ? -1 : Math.max(0, deadline - Date.now()));
  }

  /**
   * Hands every record held in JS (by a full local queue, or waiting for a partition count) to
   * librdkafka, flushing meanwhile so room frees up.
   */
  async #handOver(timeoutMs: number): Promise<void> {
    const deadline = timeoutMs >= 0 ? Date.now() + timeoutMs : Infinity;
    this.#produceOutbox();
    while (this.#outbox.length > 0 || this.#order.busy) {
      if (Date.now() >= deadline) throw kafkaError('_TIMED_OUT', 'timed out with records still queued');
      if (this.#queueFull) {
        const wait = deadline === Infinity ? 1000 : Math.min(1000, Math.max(0, deadline - Date.now()));
        await this.native.flush(wait).catch(() => undefined);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      this.#produceOutbox();
    }
  }

  /** Partition ids of `topic`, from cluster metadata. */
  async partitionsFor(topic: string, timeoutMs?: number): Promise<number[]> {
    topicArg(topic, 'topic');
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', 30_000);
    this.#checkOpen();
    const md = await this.auth.guard(this.native.metadata(topic, timeout));
    const t = md.topics.find((x) => x.name === topic);
    if (!t || t.error !== 'NO_ERROR') {
      throw kafkaError(t?.error ?? 'UNKNOWN_TOPIC_OR_PART', `no metadata for topic '${topic}'`);
    }
    return t.partitions.map((p) => p.partition).sort((a, b) => a - b);
  }

  /** Registers `transactionalId` with the cluster (fencing older instances); call once before transactions. */
  async initTransactions(timeoutMs?: number): Promise<void> {
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', 60_000);
    this.#checkOpen();
    if (!this.#options.transactionalId) {
      throw kafkaError('_NOT_CONFIGURED', 'initTransactions() needs the transactionalId option');
    }
    await this.native.initTransactions(timeout);
  }

  /** Starts a transaction: records sent until commit/abort belong to it. Synchronous, like librdkafka. */
  beginTransaction(): void {
    this.#checkOpen();
    this.native.beginTransaction();
  }

  /** Adds the consumer's offsets to the transaction: they commit (or not) with the records. */
  // timeoutMs -1 (the default) is librdkafka's "the rest of transaction.timeout.ms": bounded.
  async sendOffsetsToTransaction(
    offsets: TopicPartitionOffset[],
    consumer: KafkaConsumer<unknown, unknown>,
    timeoutMs?: number,
  ): Promise<void> {
    this.#checkOpen();
    const cols = topicPartitionsArg(offsets, 'offsets', 'absolute', { offsetRequired: true });
    const native = nativeConsumerOf(consumer);
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', -1, true);
    await this.native.sendOffsetsToTransaction(cols.topics, cols.partitions, cols.offsets, native, timeout);
  }

  /** Flushes the transaction's records and commits it. On an abortable error, call abortTransaction(). */
  async commitTransaction(timeoutMs?: number): Promise<void> {
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', -1, true);
    this.#checkOpen();
    // Records still held in JS must reach librdkafka before the commit marker is written.
    await this.#handOver(timeout);
    await this.native.commitTransaction(timeout);
  }

  /** Aborts the transaction: its records are never visible to read_committed consumers. */
  async abortTransaction(timeoutMs?: number): Promise<void> {
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', -1, true);
    this.#checkOpen();
    const error = kafkaError('_PURGE_QUEUE', 'transaction aborted before the record was sent');
    for (const o of this.#order.cancel(error)) o.settle(error, -1, -1, -1);
    for (const o of this.#outbox.splice(0)) o.settle(error, -1, -1, -1);
    this.#updateRef();
    await this.native.abortTransaction(timeout);
  }

  /**
   * Flushes (up to `timeoutMs`, default: until every record is acknowledged or timed out), then destroys
   * the client. Records still undelivered after the timeout reject with _DESTROY. Idempotent.
   */
  close(timeoutMs?: number): Promise<void> {
    let timeout: number;
    try {
      timeout = timeoutArg(timeoutMs, 'timeoutMs', -1, true);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    return this.closeOnce(() => this.#close(timeout));
  }

  async #close(timeoutMs: number): Promise<void> {
    try {
      await this.#flush(timeoutMs);
    } catch {
      // A timed-out flush still closes; what is left is rejected below.
    }
    await this.native.close();
    clearTimeout(this.#retryTimer);
    const error = this.destroyedError();
    for (const o of this.#order.cancel(error)) o.settle(error, -1, -1, -1);
    for (const o of this.#outbox.splice(0)) o.settle(error, -1, -1, -1);
    for (const f of this.#inFlight.takeAll()) f.settle(error, -1, -1, -1);
    this.#updateRef();
  }

  #checkOpen(): void {
    this.checkOpen();
    if (this.#fatal) throw this.#fatal;
    this.checkUsable();
  }

  /**
   * Nothing queued can reach a broker that refuses us: fail it now (purged records report _PURGE_QUEUE,
   * given the failure's code below) instead of after deliveryTimeoutMs.
   * @internal
   */
  protected override onAuthFailure(error: KafkaError): void {
    this.auth.trip(error);
    if (!this.closing) this.native.purgeQueued();
  }

  #deliveryError(errno: number): KafkaError {
    const error = errorFromErrno(errno);
    return error.code === '_PURGE_QUEUE' ? (this.auth.error ?? error) : error;
  }

  /** Kafka's own topic name rules, checked locally so a bad name fails at once instead of at a timeout. */
  #checkTopic(topic: string): void {
    if (this.#validTopics.has(topic)) return;
    topicArg(topic, 'topic');
    if (this.#validTopics.size < 10_000) this.#validTopics.add(topic);
  }

  #enqueue(outgoing: Outgoing): void {
    this.#outbox.push(outgoing);
    if (!this.#scheduled) {
      this.#scheduled = true;
      // Coalesce every send of this tick into one native call.
      queueMicrotask(() => {
        this.#scheduled = false;
        this.#produceOutbox();
      });
    }
    this.#updateRef();
  }

  /**
   * Hands the outbox to librdkafka: one native call per run of records for the same topic, at most
   * MAX_RUN each. Once a stretch of this has used the turn budget, the rest goes from the next turn.
   */
  #produceOutbox(): void {
    const outbox = this.#outbox;
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
      if (this.#partitioner) {
        const kept = this.#partitioner.apply(topic, outbox, start, end);
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
          this.#produceOutbox();
        }, 50);
        break;
      }
    }
    outbox.splice(0, start);
    if (outbox.length === 0) this.#queueFull = false;
    this.#updateRef();
  }

  #produceLater(): void {
    if (this.#produceScheduled) return;
    this.#produceScheduled = true;
    this.turns.later(() => {
      this.#produceScheduled = false;
      this.#produceOutbox();
    });
  }

  /** A partition count arrived (or failed for good) for the JS partitioner: send what waited for it. */
  #onPartitionCount(topic: string, error: KafkaError | undefined): void {
    if (error) {
      // Compacted in place: re-inserting the kept records as call arguments (a spread) overflowed V8's
      // argument limit with a large outbox.
      const outbox = this.#outbox;
      let w = 0;
      for (const o of outbox) {
        if (o.topic === topic) o.settle(error, -1, -1, -1);
        else outbox[w++] = o;
      }
      outbox.length = w;
    }
    if (!this.closing) this.#produceOutbox();
  }

  #produceRun(topic: string, outbox: Outgoing[], start: number, end: number): number {
    const n = end - start;
    const { values, keys, partitions, timestamps, headers } = toColumns(outbox, start, end);
    const firstId = this.#nextId;
    const errors = new Int32Array(n);
    let taken: number;
    try {
      taken = this.native.produce(topic, values, keys, partitions, timestamps, headers, firstId, errors);
    } catch (err) {
      // The whole run failed before librdkafka took any of it (e.g. an invalid topic name).
      const error = err instanceof KafkaError ? err : kafkaError('_INVALID_ARG', String(err), { cause: err });
      for (let i = 0; i < n; i++) outbox[start + i].settle(error, -1, -1, -1);
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
      o.settle(errorFromErrno(errors[i]), -1, -1, -1);
    }
    this.#inFlight.add(firstId, run);
    return taken;
  }

  /**
   * Wake-up from librdkafka: settles ready delivery reports, DRAIN_CAP at a time. Settling runs the
   * application's continuations (which usually send more), so once this turn's budget is spent the rest
   * waits for the next event-loop turn: timers and I/O keep running under full load.
   * @internal
   */
  protected override onWake(): void {
    const native = this.native;
    for (;;) {
      const r = native.poll(DRAIN_CAP);
      const { ids, errors, partitions, offsets, timestamps } = r;
      for (let i = 0; i < r.count; i++) {
        const id = ids[i];
        const f = this.#inFlight.take(id);
        if (!f) continue;
        const err = errors[i];
        f.settle(err === 0 ? undefined : this.#deliveryError(err), partitions[i], offsets[i], timestamps[i]);
        if (err === 0) this.auth.clear();
      }
      this.dispatch(r.events, (error) => this.#onFatal(error));
      if (!r.more) break;
      // librdkafka signals only when its queue turns non-empty: the rest is ours to come back for.
      if (this.turns.overdue()) {
        this.turns.later(() => this.onWake());
        break;
      }
    }
    if (this.#queueFull) this.#produceOutbox();
    this.#updateRef();
  }

  #onFatal(error: Error): void {
    this.#fatal = error instanceof KafkaError ? error : kafkaError('_FATAL', error.message);
    this.log('error', `fatal producer error: ${error.message}`);
  }

  /** The event loop stays alive exactly while records are queued or in flight. */
  #updateRef(): void {
    this.setBusy(this.#outbox.length > 0 || this.#inFlight.size > 0);
  }
}
