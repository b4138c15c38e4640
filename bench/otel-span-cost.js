// What OpenTelemetry's JS SDK costs by itself, set up as bench/otel-noop.js does: a span started and ended,
// with context injection, and a counter plus a histogram record (docs/internals/performance-journal.md, OpenTelemetry overhead).
// node bench/otel-span-cost.js
'use strict';
require('./otel-noop.js');
const api = require('@opentelemetry/api');
const tracer = api.trace.getTracer('x');
const meter = api.metrics.getMeter('x');
const c = meter.createCounter('c');
const h = meter.createHistogram('h');
const N = 200000;
function run(label, fn) {
  for (let i = 0; i < 20000; i++) fn(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) fn(i);
  console.log(label, (Number(process.hrtime.bigint() - t) / N / 1000).toFixed(2), 'µs');
}
const attrs = () => ({
  'messaging.system': 'kafka',
  'messaging.operation.type': 'send',
  'messaging.operation.name': 'send',
  'messaging.destination.name': 't',
  'messaging.client.id': 'c#producer-1',
});
run('span start+end', () => tracer.startSpan('send t', { kind: 3, attributes: attrs() }, api.context.active()).end());
run('span+inject', (i) => {
  const s = tracer.startSpan('send t', { kind: 3, attributes: attrs() });
  const h = {};
  api.propagation.inject(api.trace.setSpan(api.context.active(), s), h);
  s.setAttribute('kafka.offset', i);
  s.end();
});
run('counter+histogram', () => {
  const a = {
    'messaging.system': 'kafka',
    'messaging.operation.name': 'send',
    'messaging.destination.name': 't',
    'messaging.destination.partition.id': '0',
  };
  c.add(1, a);
  h.record(0.001, a);
});
setTimeout(() => process.exit(0), 100);
