/**
 * KafkaProducer: kafka-python's `send` / `flush` / `close`, as promises.
 *
 * Data path: `send()` serializes in JS and appends to an outbox; one microtask later the whole outbox
 * crosses to native in ONE `produce` call per topic run. Delivery reports come back in batches: a
 * librdkafka queue event wakes the JS thread once, one `poll` drains every ready report into typed
 * arrays, and the matching promises settle. Nothing blocks the JS thread or the libuv threadpool.
 */
import type { Writable } from 'node:stream';

import { KafkaClient } from '../client/base';
import { nativeConsumerOf, type KafkaConsumer } from '../consumer';
import { errorFromErrno, kafkaError, KafkaError, nativeCode } from '../core/errors';
import { sendChannel, type SendContext } from '../observe/diagnostics';
import { addon, type NativeProducer } from '../native/addon';
import type { HeaderValue, PartitionInfo, RecordMetadata, TopicPartitionOffset } from '../core/types';
import {
  integerArg,
  optionsArg,
  plainObjectArg,
  timeoutArg,
  topicArg,
  topicPartitionsArg,
  typeName,
} from '../core/validate';
import { producerConfig, type Payload, type ProducerOptions, type ProducerRecord, type SendOptions } from './options';
import { JsPartitioner } from './partitioner';
import { Outbox } from './outbox';
import { SendOrder } from './send-order';
import { producerStream, STREAM_HIGH_WATER_MARK, type ProducerStreamOptions } from './stream';
import { callHeaders, DeliveryGroup, serializeRecord, type Outgoing } from './records';

/** send() without options: one shared, empty, frozen object instead of a new one per call. */
const NO_OPTIONS = Object.freeze({});

/** sendBatch lists longer than this are copied: they may be serialized after the call returns. */
const COPY_ABOVE = 1_000;

/** Delivery reports per native poll. */
const DRAIN_CAP = 4096;

/**
 * A producer: send() resolves with the record's metadata once the broker has it (per `acks`); sends made
 * in the same tick cross to librdkafka together. Idempotent by default; transactions with
 * `transactionalId`. Close it with close() (which flushes) or `await using`.
 */
export class KafkaProducer<K = Buffer, V = Buffer> extends KafkaClient<NativeProducer> {
  readonly #options: ProducerOptions<K, V>;
  readonly #outbox: Outbox;
  #fatal: KafkaError | undefined;
  readonly #partitioner: JsPartitioner | undefined;
  readonly #validTopics = new Set<string>();
  readonly #order = new SendOrder(this.turns, (o) => this.#outbox.add(o));

  constructor(options: ProducerOptions<K, V>) {
    const config = producerConfig(options as ProducerOptions<unknown, unknown>);
    super('KafkaProducer', options, (wake) => new addon.Producer(config, wake));
    this.#options = options;
    if (typeof options.partitioner === 'function') {
      this.#partitioner = new JsPartitioner(
        options.partitioner,
        (topic, timeoutMs) => this.native.metadata(topic, timeoutMs),
        options.deliveryTimeoutMs ?? 300_000,
        (topic, error) => {
          if (error) this.#outbox.failTopic(topic, error);
          if (!this.closing) this.#outbox.produce();
        },
      );
    }
    const partitioner = this.#partitioner;
    this.#outbox = new Outbox({
      native: this.native,
      turns: this.turns,
      partitioner,
      expedite: options.expedite === true,
      changed: () => this.#updateRef(),
    });
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
      if (sendChannel.hasSubscribers) return this.#traceSend(topic, value, opts);
      outgoing = serializeRecord(this.#options, topic, value, opts, undefined, 0);
    } catch (err) {
      return Promise.reject(err as Error);
    }
    const promise = outgoing.promise();
    this.#order.one(outgoing);
    return promise;
  }

  /** send() with `kafka-napi:send` subscribers: the record is serialized after `start`, which may add headers. */
  #traceSend(topic: string, value: Payload<V> | null, opts: SendOptions<K>): Promise<RecordMetadata> {
    const context: SendContext = {
      client: this.clientName,
      topic,
      records: [{ key: opts.key, value, partition: opts.partition, headers: opts.headers }],
      headers: {},
    };
    return sendChannel.tracePromise(() => {
      const outgoing = serializeRecord(this.#options, topic, value, opts, undefined, 0, callHeaders(context.headers));
      const promise = outgoing.promise();
      this.#order.one(outgoing);
      return promise;
    }, context);
  }

  /**
   * Sends many records to one topic (one native call per 5,000); resolves when all are acknowledged. A
   * batch too large to serialize within the turn budget is read over the next event-loop turns: its
   * record objects must not change until the promise settles.
   */
  sendBatch(topic: string, records: Array<ProducerRecord<K, V>>): Promise<RecordMetadata[]> {
    if (!sendChannel.hasSubscribers || !Array.isArray(records)) return this.#sendBatch(topic, records, undefined);
    // One traced call for the whole batch (its `headers` go on every record): a span per record would
    // cost more than the batch itself.
    const context: SendContext = { client: this.clientName, topic, records, headers: {} };
    try {
      return sendChannel.tracePromise(() => this.#sendBatch(topic, records, context.headers), context);
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  #sendBatch(
    topic: string,
    records: Array<ProducerRecord<K, V>>,
    extraHeaders: Record<string, HeaderValue> | undefined,
  ): Promise<RecordMetadata[]> {
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
      const extra = extraHeaders === undefined ? undefined : callHeaders(extraHeaders);
      const group = new DeliveryGroup(topic, list.length, resolve, reject);
      const serialize = (i: number): Outgoing => {
        const record = plainObjectArg(list[i] as unknown, `records[${i}]`) as unknown as ProducerRecord<K, V>;
        return serializeRecord(this.#options, topic, record.value, record, group, i, extra);
      };
      this.#order.batch(list.length, serialize, reject);
    });
  }

  /**
   * An objectMode Writable sending to `topic`: write ProducerRecords or bare values; writes that arrive
   * together go out as one sendBatch (src/producer/stream.ts).
   */
  stream(topic: string, options?: ProducerStreamOptions): Writable {
    this.#checkTopic(topic);
    const opts = optionsArg(options);
    const highWaterMark =
      opts.highWaterMark === undefined
        ? STREAM_HIGH_WATER_MARK
        : integerArg(opts.highWaterMark, 'highWaterMark', 1, 1_000_000);
    this.#checkOpen();
    return producerStream<ProducerRecord<K, V>>((records) => this.sendBatch(topic, records), highWaterMark);
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
    this.#outbox.produce();
    while (this.#outbox.waiting > 0 || this.#order.busy) {
      if (Date.now() >= deadline) throw kafkaError('_TIMED_OUT', 'timed out with records still queued');
      if (this.#outbox.queueFull) {
        const wait = deadline === Infinity ? 1000 : Math.min(1000, Math.max(0, deadline - Date.now()));
        await this.native.flush(wait).catch(() => undefined);
      } else {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      this.#outbox.produce();
    }
  }

  /** Partition ids of `topic`, from cluster metadata. */
  async partitionsFor(topic: string, timeoutMs?: number): Promise<number[]> {
    return (await this.partitionInfo(topic, timeoutMs)).map((p) => p.partition);
  }

  /**
   * Each partition of `topic` with its leader, replicas and in-sync replicas (broker ids; leader -1 when
   * it has none), sorted by partition, from cluster metadata (one request).
   */
  async partitionInfo(topic: string, timeoutMs?: number): Promise<PartitionInfo[]> {
    topicArg(topic, 'topic');
    const timeout = timeoutArg(timeoutMs, 'timeoutMs', 30_000);
    this.#checkOpen();
    const md = await this.auth.guard(this.native.metadata(topic, timeout));
    const t = md.topics.find((x) => x.name === topic);
    if (!t || t.error !== 'NO_ERROR') {
      throw kafkaError(t ? nativeCode(t.error) : 'UNKNOWN_TOPIC_OR_PART', `no metadata for topic '${topic}'`);
    }
    return t.partitions
      .map(({ partition, leader, replicas, isr }) => ({ partition, leader, replicas, isr }))
      .sort((a, b) => a.partition - b.partition);
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

  /**
   * Adds a consumer group's offsets to the transaction: they commit (or not) with the records. Pass the
   * consumer: its generation and member id let the broker fence a zombie member (KIP-447); a group id
   * alone (kafka-python's `consumer_group_id`) commits for the group without that fencing.
   */
  // timeoutMs -1 (the default) is librdkafka's "the rest of transaction.timeout.ms": bounded.
  async sendOffsetsToTransaction(
    offsets: TopicPartitionOffset[],
    consumer: KafkaConsumer<unknown, unknown> | string,
    timeoutMs?: number,
  ): Promise<void> {
    this.#checkOpen();
    const cols = topicPartitionsArg(offsets, 'offsets', 'absolute', { offsetRequired: true });
    if (typeof consumer === 'string' && consumer.length === 0) {
      throw new TypeError('consumer must be a KafkaConsumer or a non-empty group id');
    }
    const native = typeof consumer === 'string' ? consumer : nativeConsumerOf(consumer);
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
    for (const o of this.#order.cancel(error)) o.fail(error);
    for (const o of this.#outbox.takeAll(false)) o.fail(error);
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
    const error = this.destroyedError();
    for (const o of this.#order.cancel(error)) o.fail(error);
    for (const o of this.#outbox.takeAll(true)) o.fail(error);
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
      const { ids, errors, partitions, offsets, timestamps, logStartOffsets } = r;
      for (let i = 0; i < r.count; i++) {
        const id = ids[i];
        const f = this.#outbox.delivered(id);
        if (!f) continue;
        const err = errors[i];
        const error = err === 0 ? undefined : this.#deliveryError(err);
        f.settle(error, partitions[i], offsets[i], timestamps[i], logStartOffsets[i]);
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
    if (this.#outbox.queueFull) this.#outbox.produce();
    this.#updateRef();
  }

  #onFatal(error: Error): void {
    this.#fatal = error instanceof KafkaError ? error : kafkaError('_FATAL', error.message);
    this.log('error', `fatal producer error: ${error.message}`);
  }

  /** The event loop stays alive exactly while records are queued or in flight. */
  #updateRef(): void {
    this.setBusy(this.#outbox.waiting > 0 || this.#outbox.inFlight > 0);
  }
}
