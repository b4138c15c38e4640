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
import type * as Api from '@opentelemetry/api';
import type { RdKafkaStats } from '../../core/stats';
import { Bridge, type OtelApi } from './bridge';

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
