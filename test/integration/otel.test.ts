/**
 * OpenTelemetry, against the real broker, with the SDK an application registers (in-memory exporters):
 * a record produced by one client and consumed by another gives a consumer span linked to the producer's
 * span, with the semantic conventions' attributes; the metrics count what was sent and consumed; the lag
 * gauge follows librdkafka's statistics; and with no provider registered nothing subscribes.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { context, metrics, propagation, trace, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  KafkaAdmin,
  KafkaConsumer,
  KafkaError,
  KafkaProducer,
  KafkaShareConsumer,
  diagnosticsChannels,
} from '../../src';
import { resetTelemetry } from '../../src/observe/otel/telemetry';
import { bootstrapServers, createTopic, uniqueTopic, waitFor } from '../helpers';

const execFileAsync = promisify(execFile);

/** A reader the test collects from when it wants (no export interval). */
class TestReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const spans = new InMemorySpanExporter();
const reader = new TestReader();
// Delta: a gauge's data points are only what its callback observed since the last collection (a
// cumulative reader keeps reporting an attribute set's last value after it stopped being observed).
const deltaReader = new TestReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
const meterProvider = new MeterProvider({ readers: [reader, deltaReader] });
const contextManager = new AsyncLocalStorageContextManager().enable();

beforeAll(() => {
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
});

afterAll(async () => {
  resetTelemetry();
  trace.disable();
  metrics.disable();
  propagation.disable();
  context.disable();
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
});

beforeEach(() => spans.reset());

async function collect(from: MetricReader = reader): Promise<MetricData[]> {
  const { resourceMetrics } = await from.collect();
  return resourceMetrics.scopeMetrics.filter((s) => s.scope.name === 'kafka-napi').flatMap((s) => s.metrics);
}

/** The sum of a counter's data points whose attributes include `match`. */
function sum(all: MetricData[], name: string, match: Attributes): number {
  const metric = all.find((m) => m.descriptor.name === name);
  if (!metric) return 0;
  return metric.dataPoints
    .filter((p) => Object.entries(match).every(([k, v]) => p.attributes[k] === v))
    .reduce((n, p) => n + (p.value as number), 0);
}

/**
 * The finished spans as an indented tree (children under parents, links by name), written to
 * .tmp/otel/trace.txt: the trace docs/observability.md shows comes from here.
 */
function writeTree(file: string): void {
  const all = spans.getFinishedSpans();
  const byId = new Map(all.map((s) => [s.spanContext().spanId, s]));
  const kinds = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
  const lines: string[] = [];
  const print = (s: ReadableSpan, depth: number) => {
    const pad = '  '.repeat(depth);
    lines.push(
      `${pad}${s.name} [${kinds[s.kind]}] ${s.status.code === 2 ? 'ERROR ' : ''}${JSON.stringify(s.attributes)}`,
    );
    for (const l of s.links) lines.push(`${pad}  ~> link: ${byId.get(l.context.spanId)?.name ?? l.context.spanId}`);
    for (const c of all.filter((x) => x.parentSpanContext?.spanId === s.spanContext().spanId)) print(c, depth + 1);
  };
  for (const root of all.filter((s) => !s.parentSpanContext || !byId.has(s.parentSpanContext.spanId))) print(root, 0);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

function byName(name: string): ReadableSpan[] {
  return spans.getFinishedSpans().filter((s) => s.name === name);
}

test('a consumed record: process span linked to the producer span, with the conventions attributes', async () => {
  const topic = uniqueTopic('otel');
  await createTopic(topic, 1);
  const groupId = uniqueTopic('otel-group');
  const producer = new KafkaProducer<string, string>({
    bootstrapServers: bootstrapServers(),
    clientId: 'otel-producer',
    keySerializer: (k) => Buffer.from(k),
    valueSerializer: (v) => Buffer.from(v),
  });
  const consumer = new KafkaConsumer<string | null, string>(topic, {
    bootstrapServers: bootstrapServers(),
    groupId,
    autoOffsetReset: 'earliest',
    keyDeserializer: (b) => (b === null ? null : b.toString()),
    valueDeserializer: (b) => String(b),
  });
  const tracer = trace.getTracer('app');
  const handed = `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`;
  try {
    const meta = await tracer.startActiveSpan('app-request', async (parent) => {
      try {
        const one = await producer.send(topic, 'one', { key: 'k1' });
        await producer.sendBatch(topic, [{ value: 'two' }, { value: 'three', key: 'k3' }]);
        // An application that propagates by hand keeps its own trace context, once.
        await producer.send(topic, 'four', { headers: { traceparent: handed } });
        return one;
      } finally {
        parent.end();
      }
    });

    const [request] = byName('app-request');
    const sends = byName(`send ${topic}`);
    expect(sends).toHaveLength(3);
    const [sendOne, sendBatch] = sends;
    // Children of the application's span, in its trace.
    for (const s of sends) {
      expect(s.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(s.spanContext().traceId).toBe(request.spanContext().traceId);
    }
    expect(sendOne.kind).toBe(3); // SpanKind.PRODUCER
    expect(sendOne.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'send',
      'messaging.destination.name': topic,
      'messaging.destination.partition.id': '0',
      'messaging.kafka.offset': meta.offset,
      'kafka.offset': meta.offset,
      'messaging.kafka.message.key': 'k1',
      'kafka.message.key': 'k1',
    });
    expect(String(sendOne.attributes['messaging.client.id'])).toMatch(/^otel-producer#producer-\d+$/);
    expect(sendBatch.attributes['messaging.batch.message_count']).toBe(2);

    const received: Array<{ value: string; headers: Array<[string, Buffer | null]> }> = [];
    for await (const record of consumer) {
      received.push({ value: record.value!, headers: record.headers });
      if (received.length === 4) break;
    }
    await consumer.commit();
    expect(received.map((r) => r.value)).toEqual(['one', 'two', 'three', 'four']);
    const parents = received.map((r) => r.headers.filter(([n]) => n === 'traceparent').map(([, v]) => String(v)));
    const ids = (s: ReadableSpan) => `00-${s.spanContext().traceId}-${s.spanContext().spanId}-01`;
    expect(parents).toEqual([[ids(sendOne)], [ids(sendBatch)], [ids(sendBatch)], [handed]]);

    const processes = byName(`process ${topic}`);
    expect(processes).toHaveLength(4);
    const [p1, p2, p3, p4] = processes;
    expect(p1.kind).toBe(4); // SpanKind.CONSUMER
    expect(p1.links.map((l) => l.context.spanId)).toEqual([sendOne.spanContext().spanId]);
    expect(p1.links[0].context.traceId).toBe(sendOne.spanContext().traceId);
    expect(p2.links.map((l) => l.context.spanId)).toEqual([sendBatch.spanContext().spanId]);
    expect(p3.links.map((l) => l.context.spanId)).toEqual([sendBatch.spanContext().spanId]);
    expect(p4.links.map((l) => l.context.spanId)).toEqual(['d'.repeat(16)]);
    expect(p1.attributes).toMatchObject({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': topic,
      'messaging.destination.partition.id': '0',
      'messaging.consumer.group.name': groupId,
      'messaging.kafka.offset': 0,
      'kafka.offset': 0,
      'kafka.message.key': 'k1',
    });
    expect(p3.attributes['kafka.offset']).toBe(2);
    // Receive spans: every record handed over, each linked to its producer's span.
    const polls = byName(`poll ${topic}`);
    expect(polls.reduce((n, s) => n + Number(s.attributes['messaging.batch.message_count'] ?? 1), 0)).toBe(4);
    expect(polls[0].attributes['messaging.operation.type']).toBe('receive');
    expect(polls.flatMap((s) => s.links.map((l) => l.context.spanId))).toEqual([
      sendOne.spanContext().spanId,
      sendBatch.spanContext().spanId,
      sendBatch.spanContext().spanId,
      'd'.repeat(16),
    ]);
    const [commit] = byName('commit');
    expect(commit.attributes).toMatchObject({
      'messaging.operation.type': 'settle',
      'messaging.consumer.group.name': groupId,
    });
    expect(commit.status.code).toBe(0); // UNSET: succeeded
    writeTree(path.join(__dirname, '..', '..', '.tmp', 'otel', 'trace.txt'));
  } finally {
    await Promise.all([producer.close(), consumer.close()]);
  }
});

test('streams and batches(): the context travels through producer.stream() to consumer.stream() and batches()', async () => {
  const topic = uniqueTopic('otel-streams');
  await createTopic(topic, 1);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  const streamed = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('otel-s'),
    autoOffsetReset: 'earliest',
  });
  const batched = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('otel-b'),
    autoOffsetReset: 'earliest',
  });
  try {
    const out = producer.stream(topic);
    for (let i = 0; i < 20; i++) out.write({ value: `s${i}` });
    out.end();
    await new Promise<void>((resolve, reject) => out.once('finish', resolve).once('error', reject));
    const sendIds = new Set(byName(`send ${topic}`).map((s) => s.spanContext().spanId));
    expect(sendIds.size).toBeGreaterThan(0);

    let fromStream = 0;
    for await (const record of streamed.stream()) {
      expect(record).toBeDefined();
      if (++fromStream === 20) break;
    }
    let fromBatches = 0;
    for await (const batch of batched.batches()) if ((fromBatches += batch.length) >= 20) break;

    // Every record handed over by either consumer is linked to a send span of the stream's writes.
    const polls = byName(`poll ${topic}`);
    const links = polls.flatMap((s) => s.links.map((l) => l.context.spanId));
    expect(links).toHaveLength(40);
    expect(links.every((id) => sendIds.has(id))).toBe(true);
  } finally {
    await Promise.all([producer.close(), streamed.close(), batched.close()]);
  }
});

test('share consumer: receive and process spans linked to the producer span, commit settles, consumed counted', async () => {
  const topic = uniqueTopic('otel-share');
  await createTopic(topic, 1);
  const groupId = uniqueTopic('otel-share-group');
  const admin = new KafkaAdmin({ bootstrapServers: bootstrapServers() });
  try {
    const configs = [{ name: 'share.auto.offset.reset', value: 'earliest' }];
    const [result] = await admin.incrementalAlterConfigs([{ type: 'group', name: groupId, configs }]);
    expect(result.error).toBeUndefined();
  } finally {
    await admin.close();
  }
  const producer = new KafkaProducer<string, string>({
    bootstrapServers: bootstrapServers(),
    valueSerializer: (v) => Buffer.from(v),
  });
  const consumer = new KafkaShareConsumer<Buffer, string>(topic, {
    bootstrapServers: bootstrapServers(),
    groupId,
    valueDeserializer: (b) => String(b),
    logger: {},
  });
  try {
    await producer.sendBatch(
      topic,
      ['j0', 'j1', 'j2', 'j3', 'j4'].map((value) => ({ value })),
    );
    const [send] = byName(`send ${topic}`);
    const sendId = send.spanContext().spanId;
    const before = sum(await collect(), 'messaging.client.consumed.messages', {
      'messaging.consumer.group.name': groupId,
    });
    expect(before).toBe(0);

    // Three through `for await` (a process span each), the rest through poll().
    const values: string[] = [];
    for await (const record of consumer) {
      values.push(record.value!);
      if (values.length === 3) break;
    }
    const deadline = Date.now() + 30_000;
    while (values.length < 5 && Date.now() < deadline) {
      for (const r of await consumer.poll({ timeoutMs: 1000 })) values.push(r.value!);
    }
    expect(values).toEqual(['j0', 'j1', 'j2', 'j3', 'j4']);
    const results = await consumer.commit();
    expect(results.every((r) => r.error === undefined)).toBe(true);

    const processes = byName(`process ${topic}`);
    expect(processes).toHaveLength(3);
    for (const [i, p] of processes.entries()) {
      expect(p.links.map((l) => l.context.spanId)).toEqual([sendId]);
      expect(p.attributes).toMatchObject({
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': groupId,
        'messaging.kafka.offset': i,
      });
    }
    // Every record handed over once, each linked to the batch's send span.
    const polls = byName(`poll ${topic}`);
    expect(polls.flatMap((s) => s.links.map((l) => l.context.spanId))).toEqual(Array(5).fill(sendId));
    expect(polls.every((s) => s.attributes['messaging.operation.type'] === 'receive')).toBe(true);
    const [commit] = byName('commit');
    expect(commit.attributes).toMatchObject({
      'messaging.operation.type': 'settle',
      'messaging.consumer.group.name': groupId,
    });
    expect(commit.status.code).toBe(0);
    const consumed = sum(await collect(), 'messaging.client.consumed.messages', {
      'messaging.consumer.group.name': groupId,
      'messaging.destination.name': topic,
    });
    expect(consumed).toBe(5);
  } finally {
    await Promise.all([producer.close(), consumer.close()]);
  }
});

test('failed sends: error status and error.type, synchronous and asynchronous', async () => {
  const topic = uniqueTopic('otel-err');
  await createTopic(topic, 1);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  try {
    await expect(producer.send(topic, 42 as unknown as string)).rejects.toBeInstanceOf(TypeError);
    const err = await producer.send(topic, 'x', { partition: 7 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KafkaError);
    const [sync, async] = byName(`send ${topic}`);
    expect(sync.status.code).toBe(2); // ERROR
    expect(sync.attributes['error.type']).toBe('TypeError');
    expect(async.status.code).toBe(2);
    expect(async.attributes['error.type']).toBe((err as KafkaError).code);
    expect(async.events.map((e) => e.name)).toContain('exception');
    const all = await collect();
    expect(
      sum(all, 'messaging.client.sent.messages', {
        'messaging.destination.name': topic,
        'error.type': (err as KafkaError).code,
      }),
    ).toBe(1);
  } finally {
    await producer.close();
  }
});

test('metrics: records sent and consumed, operation durations, consumer lag from statistics', async () => {
  const topic = uniqueTopic('otel-metrics');
  await createTopic(topic, 2);
  const groupId = uniqueTopic('otel-metrics-group');
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
  });
  try {
    await producer.sendBatch(
      topic,
      Array.from({ length: 30 }, (_, i) => ({ value: `v${i}`, partition: i % 2 })),
    );
    for (let i = 0; i < 7; i++) await producer.send(topic, `s${i}`, { partition: 0 });
    let consumed = 0;
    while (consumed < 37) consumed += (await consumer.poll({ timeoutMs: 10_000 })).length;
    await consumer.commit();

    const all = await collect();
    expect(sum(all, 'messaging.client.sent.messages', { 'messaging.destination.name': topic })).toBe(37);
    expect(
      sum(all, 'messaging.client.consumed.messages', {
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': groupId,
      }),
    ).toBe(37);
    expect(
      sum(all, 'messaging.client.consumed.messages', {
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': '0',
      }),
    ).toBe(22);
    const duration = all.find((m) => m.descriptor.name === 'messaging.client.operation.duration')!;
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    const sendDurations = duration.dataPoints.filter(
      (p) =>
        p.attributes['messaging.destination.name'] === topic && p.attributes['messaging.operation.name'] === 'send',
    );
    // One sendBatch and seven sends.
    expect(sendDurations.reduce((n, p) => n + (p.value as { count: number }).count, 0)).toBe(8);

    // Lag: 0 on both partitions once committed, as the next statistics (every 5 s) report it.
    let lags: Record<string, number> = {};
    await waitFor(
      async () => {
        const gauge = (await collect()).find((m) => m.descriptor.name === 'kafka.consumer.lag');
        lags = Object.fromEntries(
          (gauge?.dataPoints ?? [])
            .filter((p) => p.attributes['messaging.consumer.group.name'] === groupId)
            .map((p) => [String(p.attributes['messaging.destination.partition.id']), p.value as number]),
        );
        return lags['0'] === 0 && lags['1'] === 0;
      },
      30_000,
      'kafka.consumer.lag 0 on both partitions',
    );
    // And it is a lag, not a constant: 5 more records on partition 1, not consumed, show up as 5.
    await producer.sendBatch(
      topic,
      Array.from({ length: 5 }, () => ({ value: 'more', partition: 1 })),
    );
    await waitFor(
      async () => {
        const gauge = (await collect()).find((m) => m.descriptor.name === 'kafka.consumer.lag');
        const p1 = gauge?.dataPoints.find(
          (p) =>
            p.attributes['messaging.consumer.group.name'] === groupId &&
            p.attributes['messaging.destination.partition.id'] === '1',
        );
        return p1?.value === 5;
      },
      30_000,
      'kafka.consumer.lag 5 on partition 1',
    );
  } finally {
    await Promise.all([producer.close(), consumer.close()]);
  }
  // A closed consumer is no longer reported.
  await collect(deltaReader);
  const gauge = (await collect(deltaReader)).find((m) => m.descriptor.name === 'kafka.consumer.lag');
  expect(gauge?.dataPoints.filter((p) => p.attributes['messaging.consumer.group.name'] === groupId) ?? []).toEqual([]);
});

test('a provider registered after the clients are created is picked up (with a warning); before: from the start', async () => {
  const run = async (order: 'before' | 'after') => {
    const topic = uniqueTopic(`otel-${order}`);
    await createTopic(topic, 1);
    // A process of its own: this file's providers are registered for its whole run.
    const { stdout } = await execFileAsync(
      process.execPath,
      [path.join(__dirname, 'fixtures', 'otel-provider-order.js'), bootstrapServers(), topic, order],
      { encoding: 'utf8', timeout: 120_000 },
    );
    return JSON.parse(stdout.trim().split('\n').pop()!) as {
      values: string[];
      sends: number[];
      polled: number;
      warnings: string[];
    };
  };
  const before = await run('before');
  expect(before.values).toEqual(['first', 'second', 'third']);
  expect(before.sends).toEqual([0, 1, 2]);
  expect(before.polled).toBe(3);
  expect(before.warnings).not.toContain('KAFKA_NAPI_OTEL_LATE');

  const after = await run('after');
  expect(after.values).toEqual(['first', 'second', 'third']);
  // 'first' and 'second' were sent before any wake-up could see the provider (register() and the send
  // of 'second' run in the same tick); 'second''s delivery report woke the producer, which found it.
  expect(after.sends).toEqual([2]);
  // The consumer, created before the provider too, hands all three over after that.
  expect(after.polled).toBe(3);
  expect(after.warnings.filter((w) => w === 'KAFKA_NAPI_OTEL_LATE')).toHaveLength(1);
});

test('no provider: nothing subscribes; no @opentelemetry/api: nothing loaded; a provider: subscribed unless disabled', () => {
  // In a child: this file's providers are registered for its whole run.
  const root = path.join(__dirname, '..', '..');
  const script = `
    const dc = require('node:diagnostics_channel');
    const Module = require('node:module');
    const hide = process.argv[1] === 'hide';
    if (hide) {
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (request.startsWith('@opentelemetry/')) throw Object.assign(new Error('not found'), { code: 'MODULE_NOT_FOUND' });
        return resolve.call(this, request, ...rest);
      };
    }
    if (process.argv[1] === 'provider') {
      const { trace } = require('@opentelemetry/api');
      const { BasicTracerProvider } = require('@opentelemetry/sdk-trace-base');
      trace.setGlobalTracerProvider(new BasicTracerProvider());
    }
    const { KafkaProducer } = require('./dist/cjs');
    const p = new KafkaProducer({ bootstrapServers: '127.0.0.1:1' });
    const loaded = Object.keys(require.cache).some((f) => f.includes('@opentelemetry'));
    const subscribed = dc.tracingChannel('${diagnosticsChannels.send}').start.hasSubscribers;
    console.log(JSON.stringify({ loaded, subscribed }));
    p.close(0).then(() => process.exit(0));
  `;
  const run = (mode: string, env: NodeJS.ProcessEnv = {}) =>
    JSON.parse(
      execFileSync(process.execPath, ['-e', script, mode], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, ...env },
      }).trim(),
    ) as {
      loaded: boolean;
      subscribed: boolean;
    };
  // Installed, no provider: the API is loaded (to look), nothing subscribes.
  expect(run('installed')).toEqual({ loaded: true, subscribed: false });
  // Not installed: nothing.
  expect(run('hide')).toEqual({ loaded: false, subscribed: false });
  // A provider registered before the client: subscribed; unless turned off the usual way.
  expect(run('provider')).toEqual({ loaded: true, subscribed: true });
  const off = run('provider', { OTEL_NODE_DISABLED_INSTRUMENTATIONS: 'http, kafka-napi' });
  expect(off.subscribed).toBe(false);
});
