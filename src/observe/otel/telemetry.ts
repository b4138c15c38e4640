/**
 * OpenTelemetry spans and metrics, as a subscriber of this library's own diagnostics channels
 * (src/observe/diagnostics.ts): the data paths know nothing of OpenTelemetry.
 *
 * `@opentelemetry/api` is an optional peer dependency. It is looked for when a client is created; absent,
 * or present with neither a tracer nor a meter provider registered, nothing subscribes, and the channels
 * stay without subscribers: a send costs one boolean read more than with no OpenTelemetry at all. A
 * provider registered after clients were created is found by watchTelemetry(), which every client calls
 * once per native wake-up (a batch of delivery reports or records, never per record): from then on the
 * channels have subscribers, and a warning says once that the lag gauge misses the clients created before
 * (their statistics interval was chosen at creation). `OTEL_NODE_DISABLED_INSTRUMENTATIONS=kafka-napi`
 * turns it off, like the other Node instrumentations.
 *
 * Spans: `send <topic>` (PRODUCER; sendBatch is one span, its context in every record), `poll <topic>`
 * (CONSUMER, receive: records handed to the application, linked to their producers' spans),
 * `process <topic>` (CONSUMER, one `for await` loop body, linked to the producer's span) and `commit`
 * (CLIENT, settle). Metrics: messaging.client.sent.messages, .consumed.messages, .operation.duration and
 * kafka.consumer.lag (from librdkafka statistics). Names: src/observe/otel/semconv.ts.
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

type OtelApi = typeof Api;

/** What a client keeps: where its statistics go, and what to forget when it closes. */
export interface ClientTelemetry {
  /** Feeds kafka.consumer.lag; undefined when no meter provider is registered. */
  readonly stats: ((stats: RdKafkaStats) => void) | undefined;
  closed(): void;
}

/** How often a consumer reports statistics for kafka.consumer.lag when the application set no interval. */
export const LAG_STATS_INTERVAL_MS = 5000;

const DISABLED = /(^|,)\s*kafka-napi\s*(,|$)/;

let api: OtelApi | null | undefined;

function loadApi(): OtelApi | null {
  if (api !== undefined) return api;
  api = null;
  if (DISABLED.test(process.env.OTEL_NODE_DISABLED_INSTRUMENTATIONS ?? '')) return api;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    api = require('@opentelemetry/api') as OtelApi;
  } catch {
    // Not installed: OpenTelemetry is optional.
  }
  return api;
}

/** The API's no-op tracer provider (what a proxy with no SDK behind it delegates to), found once. */
let noopTracerProvider: Api.TracerProvider | undefined;

function tracingRegistered(otel: OtelApi): boolean {
  // The global provider is a proxy; without a registered SDK it delegates to the API's no-op provider,
  // the same object a fresh proxy delegates to.
  const provider = otel.trace.getTracerProvider() as Partial<Api.ProxyTracerProvider>;
  if (typeof provider.getDelegate !== 'function') return true;
  noopTracerProvider ??= new otel.ProxyTracerProvider().getDelegate();
  return provider.getDelegate() !== noopTracerProvider;
}

function metricsRegistered(otel: OtelApi): boolean {
  return otel.metrics.getMeter('kafka-napi') !== otel.createNoopMeter();
}

let bridge: Bridge | undefined;
/** True while a provider not found yet may still be registered: watchTelemetry() has work to do. */
let watching = false;
/** Clients created so far (for the warning about a provider registered after them). */
let clientsCreated = 0;
let warnedLate = false;

/** Looks for providers and enables what it finds; false when OpenTelemetry is off or not installed. */
function discover(): boolean {
  const otel = loadApi();
  if (otel === null) return false;
  // Only what is not found yet is looked for again.
  const traces = bridge?.traced === true || tracingRegistered(otel);
  const metrics = bridge?.metered === true || metricsRegistered(otel);
  watching = !traces || !metrics;
  if (!traces && !metrics && bridge === undefined) return false;
  bridge ??= new Bridge(otel);
  if (traces) bridge.enableTraces();
  if (metrics) bridge.enableMetrics();
  return true;
}

/**
 * Called before a client's native handle exists: whether it should report statistics for the lag gauge
 * (true once a meter provider is registered). Sets the bridge up on the first call that finds a provider.
 */
export function telemetryWantsStats(): boolean {
  clientsCreated++;
  return discover() && bridge!.metered;
}

/**
 * A client's wake-up (once per batch of delivery reports, records or events): picks up a tracer or meter
 * provider registered after clients were created. One boolean read when there is nothing left to find
 * (OpenTelemetry not installed, disabled, or both providers found).
 */
export function watchTelemetry(): void {
  if (!watching) return;
  const before = bridge?.enabled ?? 0;
  if (!discover() || bridge!.enabled === before) return;
  if (!warnedLate && clientsCreated > 0) {
    warnedLate = true;
    const what = bridge!.metered
      ? 'metrics start now, but kafka.consumer.lag is reported only for consumers created after it'
      : 'spans start now';
    process.emitWarning(
      `an OpenTelemetry provider was registered after ${clientsCreated} kafka-napi client(s) were created: ${what}. Register the SDK before creating clients (node --import ./otel.mjs app.mjs).`,
      { code: 'KAFKA_NAPI_OTEL_LATE' },
    );
  }
}

/** A client's link to the bridge, or undefined when OpenTelemetry is off. */
export function clientTelemetry(clientName: string, groupId: string | undefined): ClientTelemetry | undefined {
  if (bridge === undefined) return undefined;
  const b = bridge;
  // Statistics still arrive while a client closes: once closed, they no longer bring it back.
  let open = true;
  return {
    stats: b.metered ? (stats) => open && b.lagFrom(clientName, groupId, stats) : undefined,
    closed: () => {
      open = false;
      b.forget(clientName);
    },
  };
}

/**
 * Forgets the bridge and unsubscribes it; the next client looks for a provider again. For tests (a
 * provider registered by one test file must not keep publishing into the next). @internal
 */
export function resetTelemetry(): void {
  bridge?.stop();
  bridge = undefined;
  api = undefined;
  watching = false;
  clientsCreated = 0;
  warnedLate = false;
}

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

class Bridge {
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
