// Registers an OpenTelemetry SDK the way an application does (tracer and meter providers, async-hooks
// context manager, W3C propagator) with exporters that drop everything: the bench's kafka-napi runner
// loads it when KAFKA_NAPI_BENCH_OTEL=noop, to measure what tracing and metrics cost per record.
'use strict';
const { context, metrics, propagation, trace } = require('@opentelemetry/api');
const { AsyncLocalStorageContextManager } = require('@opentelemetry/context-async-hooks');
const { W3CTraceContextPropagator } = require('@opentelemetry/core');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { MeterProvider, PeriodicExportingMetricReader, AggregationTemporality } = require('@opentelemetry/sdk-metrics');

const SUCCESS = { code: 0 };
const spanExporter = { export: (_spans, done) => done(SUCCESS), shutdown: async () => {} };
const metricExporter = {
  export: (_metrics, done) => done(SUCCESS),
  forceFlush: async () => {},
  shutdown: async () => {},
  selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE,
};
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spanExporter, { maxQueueSize: 65_536 })] }),
);
metrics.setGlobalMeterProvider(
  new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 10_000 })],
  }),
);
