/**
 * The bridge from kafka-napi's diagnostics channels to OpenTelemetry: spans for send, commit, receive and
 * process, the messaging metrics, and kafka.consumer.lag from librdkafka's statistics.
 */
import * as dc from 'node:diagnostics_channel';
import type * as Api from '@opentelemetry/api';
import {
  CHANNELS,
  type CommitContext,
  type ProcessContext,
  type ReceiveContext,
  type SendContext,
} from '../diagnostics';
import type { RdKafkaStats } from '../../core/stats';
import type { ConsumerRecord, RecordMetadata } from '../../core/types';
import * as S from './semconv';

/** The OpenTelemetry API package, as loaded at run time (it is an optional peer dependency). */
export type OtelApi = typeof Api;

const SPAN = Symbol('kafka-napi.otel.span');
const STARTED = Symbol('kafka-napi.otel.started');

interface Timed {
  [SPAN]?: Api.Span;
  [STARTED]?: number;
}

/** A partition's lag as the last statistics of its consumer told it. */
interface Lag {
  topic: string;
  partition: number;
  lag: number;
}

type Headers = ConsumerRecord<unknown, unknown>['headers'];

const headerGetter: Api.TextMapGetter<Headers> = {
  keys: (headers) => headers.map(([name]) => name),
  get: (headers, key) => {
    for (const [name, value] of headers) if (name === key && value !== null) return value.toString('latin1');
    return undefined;
  },
};

/** Span links per receive span at most: a 10,000-record batch would otherwise carry 10,000. */
const MAX_LINKS = 128;

export class Bridge {
  readonly #api: OtelApi;
  #tracer: Api.Tracer | undefined;
  #sent: Api.Counter | undefined;
  #consumed: Api.Counter | undefined;
  #duration: Api.Histogram | undefined;
  readonly #lags = new Map<string, { groupId: string | undefined; lags: Lag[] }>();
  readonly #subscriptions: Array<() => void> = [];

  constructor(otel: OtelApi) {
    this.#api = otel;
  }

  get metered(): boolean {
    return this.#sent !== undefined;
  }

  get traced(): boolean {
    return this.#tracer !== undefined;
  }

  /** How many of traces and metrics are on (0-2): tells watchTelemetry() that it found something new. */
  get enabled(): number {
    return (this.traced ? 1 : 0) + (this.metered ? 1 : 0);
  }

  enableTraces(): void {
    if (this.#tracer) return;
    this.#tracer = this.#api.trace.getTracer('kafka-napi');
    this.#subscribe();
  }

  enableMetrics(): void {
    if (this.#sent) return;
    const meter = this.#api.metrics.getMeter('kafka-napi');
    this.#sent = meter.createCounter(S.METRIC_MESSAGING_CLIENT_SENT_MESSAGES, {
      unit: '{message}',
      description: 'Number of messages a producer attempted to send to the broker.',
    });
    this.#consumed = meter.createCounter(S.METRIC_MESSAGING_CLIENT_CONSUMED_MESSAGES, {
      unit: '{message}',
      description: 'Number of messages that were delivered to the application.',
    });
    this.#duration = meter.createHistogram(S.METRIC_MESSAGING_CLIENT_OPERATION_DURATION, {
      unit: 's',
      description: 'Duration of a messaging operation initiated by a producer or consumer client.',
      // The conventions' recommended buckets: the SDK default's start at 5 (seconds, here).
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
    });
    const lag = meter.createObservableGauge(S.METRIC_KAFKA_CONSUMER_LAG, {
      unit: '{message}',
      description: "Records between a consumer's position and the partition's high watermark (librdkafka statistics).",
    });
    lag.addCallback((result) => {
      for (const [client, { groupId, lags }] of this.#lags) {
        for (const l of lags) {
          result.observe(l.lag, {
            [S.ATTR_MESSAGING_SYSTEM]: S.MESSAGING_SYSTEM_VALUE_KAFKA,
            [S.ATTR_MESSAGING_DESTINATION_NAME]: l.topic,
            [S.ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(l.partition),
            [S.ATTR_MESSAGING_CLIENT_ID]: client,
            ...(groupId === undefined ? {} : { [S.ATTR_MESSAGING_CONSUMER_GROUP_NAME]: groupId }),
          });
        }
      }
    });
    this.#subscribe();
  }

  lagFrom(client: string, groupId: string | undefined, stats: RdKafkaStats): void {
    if (stats.type !== 'consumer') return;
    const lags: Lag[] = [];
    for (const [topic, t] of Object.entries(stats.topics ?? {})) {
      for (const p of Object.values(t.partitions ?? {})) {
        // -1: the internal UA partition; a negative lag: not known (partition not assigned or not fetched).
        if (p.partition >= 0 && p.consumer_lag >= 0) lags.push({ topic, partition: p.partition, lag: p.consumer_lag });
      }
    }
    this.#lags.set(client, { groupId, lags });
  }

  forget(client: string): void {
    this.#lags.delete(client);
  }

  #subscribe(): void {
    if (this.#subscriptions.length > 0 || typeof dc.tracingChannel !== 'function') return;
    const on = (channel: dc.Channel, handler: (message: unknown) => void): void => {
      channel.subscribe(handler);
      this.#subscriptions.push(() => channel.unsubscribe(handler));
    };
    // Part by part: asyncStart and error are not needed, and a part without subscribers costs nothing.
    const send = dc.tracingChannel(CHANNELS.send);
    on(send.start, (m) => this.#sendStart(m as SendContext & Timed));
    // A synchronous throw (a bad argument) has no asyncEnd: its `end` carries the error.
    on(send.end, (m) => (m as SendContext).error !== undefined && this.#sendEnd(m as SendContext & Timed));
    on(send.asyncEnd, (m) => this.#sendEnd(m as SendContext & Timed));
    const commit = dc.tracingChannel(CHANNELS.commit);
    on(commit.start, (m) => this.#commitStart(m as CommitContext & Timed));
    on(commit.end, (m) => (m as CommitContext).error !== undefined && this.#commitEnd(m as CommitContext & Timed));
    on(commit.asyncEnd, (m) => this.#commitEnd(m as CommitContext & Timed));
    on(dc.channel(CHANNELS.receive), (m) => this.#received(m as ReceiveContext));
    on(dc.channel(CHANNELS.processStart), (m) => this.#processStart(m as ProcessContext & Timed));
    on(dc.channel(CHANNELS.processEnd), (m) => (m as ProcessContext & Timed)[SPAN]?.end());
  }

  /** Unsubscribes: the channels are process-wide (one test file's bridge must not outlive it). */
  stop(): void {
    for (const off of this.#subscriptions.splice(0)) off();
    this.#lags.clear();
  }

  #sendStart(ctx: SendContext & Timed): void {
    ctx[STARTED] = performance.now();
    if (!this.#tracer) return;
    const otel = this.#api;
    const attributes: Api.Attributes = {
      [S.ATTR_MESSAGING_SYSTEM]: S.MESSAGING_SYSTEM_VALUE_KAFKA,
      [S.ATTR_MESSAGING_OPERATION_TYPE]: S.MESSAGING_OPERATION_TYPE_VALUE_SEND,
      [S.ATTR_MESSAGING_OPERATION_NAME]: 'send',
      [S.ATTR_MESSAGING_DESTINATION_NAME]: ctx.topic,
      [S.ATTR_MESSAGING_CLIENT_ID]: ctx.client,
    };
    if (ctx.records.length === 1) {
      const record = ctx.records[0];
      if (typeof record.key === 'string') {
        attributes[S.ATTR_KAFKA_MESSAGE_KEY] = record.key;
        attributes[S.ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = record.key;
      }
      if (record.value === null) attributes[S.ATTR_KAFKA_MESSAGE_TOMBSTONE] = true;
      if (typeof record.partition === 'number') {
        attributes[S.ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(record.partition);
      }
    } else {
      attributes[S.ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = ctx.records.length;
    }
    const parent = otel.context.active();
    const span = this.#tracer.startSpan(`send ${ctx.topic}`, { kind: otel.SpanKind.PRODUCER, attributes }, parent);
    ctx[SPAN] = span;
    // The configured propagator (W3C trace context with every SDK's defaults) writes into the headers the
    // producer adds to each record of the call.
    otel.propagation.inject(otel.trace.setSpan(parent, span), ctx.headers);
  }

  #sendEnd(ctx: SendContext & Timed): void {
    const started = ctx[STARTED];
    if (started === undefined) return;
    ctx[STARTED] = undefined;
    const errorType = ctx.error === undefined ? undefined : errorTypeOf(ctx.error);
    const single = ctx.records.length === 1 && !Array.isArray(ctx.result) ? ctx.result : undefined;
    const span = ctx[SPAN];
    if (span) {
      if (single) setPosition(span, single);
      if (errorType !== undefined) failed(this.#api, span, ctx.error, errorType);
      span.end();
    }
    if (this.#sent) {
      const attributes: Api.Attributes = {
        [S.ATTR_MESSAGING_SYSTEM]: S.MESSAGING_SYSTEM_VALUE_KAFKA,
        [S.ATTR_MESSAGING_OPERATION_NAME]: 'send',
        [S.ATTR_MESSAGING_DESTINATION_NAME]: ctx.topic,
      };
      if (single) attributes[S.ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(single.partition);
      if (errorType !== undefined) attributes[S.ATTR_ERROR_TYPE] = errorType;
      this.#sent.add(ctx.records.length, attributes);
      this.#duration!.record((performance.now() - started) / 1000, attributes);
    }
  }

  #commitStart(ctx: CommitContext & Timed): void {
    ctx[STARTED] = performance.now();
    if (!this.#tracer) return;
    const attributes: Api.Attributes = {
      [S.ATTR_MESSAGING_SYSTEM]: S.MESSAGING_SYSTEM_VALUE_KAFKA,
      [S.ATTR_MESSAGING_OPERATION_TYPE]: S.MESSAGING_OPERATION_TYPE_VALUE_SETTLE,
      [S.ATTR_MESSAGING_OPERATION_NAME]: 'commit',
      [S.ATTR_MESSAGING_CLIENT_ID]: ctx.client,
    };
    if (ctx.groupId !== undefined) attributes[S.ATTR_MESSAGING_CONSUMER_GROUP_NAME] = ctx.groupId;
    if (ctx.offsets !== undefined) attributes[S.ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = ctx.offsets.length;
    ctx[SPAN] = this.#tracer.startSpan('commit', { kind: this.#api.SpanKind.CLIENT, attributes });
  }

  #commitEnd(ctx: CommitContext & Timed): void {
    const started = ctx[STARTED];
    if (started === undefined) return;
    ctx[STARTED] = undefined;
    const errorType = ctx.error === undefined ? undefined : errorTypeOf(ctx.error);
    const span = ctx[SPAN];
    if (span) {
      if (errorType !== undefined) failed(this.#api, span, ctx.error, errorType);
      span.end();
    }
    if (this.#duration) {
      const attributes: Api.Attributes = {
        [S.ATTR_MESSAGING_SYSTEM]: S.MESSAGING_SYSTEM_VALUE_KAFKA,
        [S.ATTR_MESSAGING_OPERATION_NAME]: 'commit',
      };
      if (ctx.groupId !== undefined) attributes[S.ATTR_MESSAGING_CONSUMER_GROUP_NAME] = ctx.groupId;
      if (errorType !== undefined) attributes[S.ATTR_ERROR_TYPE] = errorType;
      this.#duration.record((performance.now() - started) / 1000, attributes);
    }
  }

  #received(ctx: ReceiveContext): void {
    const records = ctx.records;
    if (records.length === 0) return;
    if (this.#consumed) this.#countConsumed(ctx);
    if (!this.#tracer) return;
    const otel = this.#api;
    const first = records[0];
    let oneTopic = true;
    let onePartition = true;
    const links: Api.Link[] = [];
    for (const record of records) {
      if (record.topic !== first.topic) oneTopic = onePartition = false;
      else if (record.partition !== first.partition) onePartition = false;
      if (links.length < MAX_LINKS) {
        const producer = this.#producerContext(record);
        if (producer) links.push({ context: producer });
      }
    }
    const attributes = this.#consumerAttributes(ctx.client, ctx.groupId, S.MESSAGING_OPERATION_TYPE_VALUE_RECEIVE);
    attributes[S.ATTR_MESSAGING_OPERATION_NAME] = 'poll';
    if (oneTopic) attributes[S.ATTR_MESSAGING_DESTINATION_NAME] = first.topic;
    if (onePartition) attributes[S.ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(first.partition);
    if (records.length === 1) setRecord(attributes, first);
    else attributes[S.ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = records.length;
    // The records were already fetched: the span marks their hand-over, as a point in time.
    this.#tracer
      .startSpan(oneTopic ? `poll ${first.topic}` : 'poll', {
        kind: otel.SpanKind.CONSUMER,
        attributes,
        links,
      })
      .end();
  }

  #countConsumed(ctx: ReceiveContext): void {
    // Per partition: one add per run of records from the same partition (what a fetch hands over).
    const records = ctx.records;
    let start = 0;
    for (let i = 1; i <= records.length; i++) {
      const r = records[start];
      if (i < records.length && records[i].topic === r.topic && records[i].partition === r.partition) continue;
      const attributes: Api.Attributes = {
        [S.ATTR_MESSAGING_SYSTEM]: S.MESSAGING_SYSTEM_VALUE_KAFKA,
        [S.ATTR_MESSAGING_OPERATION_NAME]: 'poll',
        [S.ATTR_MESSAGING_DESTINATION_NAME]: r.topic,
        [S.ATTR_MESSAGING_DESTINATION_PARTITION_ID]: String(r.partition),
      };
      if (ctx.groupId !== undefined) attributes[S.ATTR_MESSAGING_CONSUMER_GROUP_NAME] = ctx.groupId;
      this.#consumed!.add(i - start, attributes);
      start = i;
    }
  }

  #processStart(ctx: ProcessContext & Timed): void {
    if (!this.#tracer) return;
    const otel = this.#api;
    const record = ctx.record;
    const attributes = this.#consumerAttributes(ctx.client, ctx.groupId, S.MESSAGING_OPERATION_TYPE_VALUE_PROCESS);
    attributes[S.ATTR_MESSAGING_OPERATION_NAME] = 'process';
    attributes[S.ATTR_MESSAGING_DESTINATION_NAME] = record.topic;
    attributes[S.ATTR_MESSAGING_DESTINATION_PARTITION_ID] = String(record.partition);
    setRecord(attributes, record);
    const producer = this.#producerContext(record);
    // Parent: whatever is active where the loop runs; the producer's span is a link (the conventions'
    // choice: a record may be processed long after, and in another trace than, its send).
    ctx[SPAN] = this.#tracer.startSpan(
      `process ${record.topic}`,
      { kind: otel.SpanKind.CONSUMER, attributes, links: producer ? [{ context: producer }] : [] },
      otel.context.active(),
    );
  }

  #consumerAttributes(client: string, groupId: string | undefined, type: string): Api.Attributes {
    const attributes: Api.Attributes = {
      [S.ATTR_MESSAGING_SYSTEM]: S.MESSAGING_SYSTEM_VALUE_KAFKA,
      [S.ATTR_MESSAGING_OPERATION_TYPE]: type,
      [S.ATTR_MESSAGING_CLIENT_ID]: client,
    };
    if (groupId !== undefined) attributes[S.ATTR_MESSAGING_CONSUMER_GROUP_NAME] = groupId;
    return attributes;
  }

  #producerContext(record: ConsumerRecord<unknown, unknown>): Api.SpanContext | undefined {
    if (record.headers.length === 0) return undefined;
    const otel = this.#api;
    const extracted = otel.propagation.extract(otel.ROOT_CONTEXT, record.headers, headerGetter);
    const context = otel.trace.getSpanContext(extracted);
    return context && otel.isSpanContextValid(context) ? context : undefined;
  }
}

function setPosition(span: Api.Span, m: RecordMetadata): void {
  span.setAttribute(S.ATTR_MESSAGING_DESTINATION_PARTITION_ID, String(m.partition));
  span.setAttribute(S.ATTR_KAFKA_OFFSET, m.offset);
  span.setAttribute(S.ATTR_MESSAGING_KAFKA_OFFSET, m.offset);
}

function setRecord(attributes: Api.Attributes, record: ConsumerRecord<unknown, unknown>): void {
  attributes[S.ATTR_KAFKA_OFFSET] = record.offset;
  attributes[S.ATTR_MESSAGING_KAFKA_OFFSET] = record.offset;
  // Only a key with a canonical string form (the conventions: bytes are left out).
  if (typeof record.key === 'string') {
    attributes[S.ATTR_KAFKA_MESSAGE_KEY] = record.key;
    attributes[S.ATTR_MESSAGING_KAFKA_MESSAGE_KEY] = record.key;
  }
  if (record.value === null) attributes[S.ATTR_KAFKA_MESSAGE_TOMBSTONE] = true;
}

/** error.type: a KafkaError's code ('_MSG_TIMED_OUT', 'NOT_ENOUGH_REPLICAS'...), else the class name. */
function errorTypeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string' && name.length > 0) return name;
  }
  return '_OTHER';
}

function failed(otel: OtelApi, span: Api.Span, error: unknown, errorType: string): void {
  span.setAttribute(S.ATTR_ERROR_TYPE, errorType);
  span.setStatus({
    code: otel.SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
  if (error instanceof Error) span.recordException(error);
}
