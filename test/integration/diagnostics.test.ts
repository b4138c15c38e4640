/**
 * node:diagnostics_channel: what an APM agent subscribing to kafka-napi's channels sees, against the real
 * broker — sends (with headers a subscriber adds), records handed out, each for-await loop body, commits
 * and rebalances.
 */
import * as dc from 'node:diagnostics_channel';
import {
  KafkaConsumer,
  KafkaProducer,
  diagnosticsChannels,
  type CommitContext,
  type ProcessContext,
  type RebalanceContext,
  type ReceiveContext,
  type SendContext,
} from '../../src';
import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

type Handlers<C> = Partial<Record<'start' | 'end' | 'asyncStart' | 'asyncEnd' | 'error', (c: C) => void>>;

/** Subscribes to a traced channel; returns the unsubscribe. */
function trace<C>(name: string, handlers: Handlers<C>): () => void {
  const ch = dc.tracingChannel(name);
  const all = {
    start: () => undefined,
    end: () => undefined,
    asyncStart: () => undefined,
    asyncEnd: () => undefined,
    error: () => undefined,
    ...handlers,
  } as Parameters<typeof ch.subscribe>[0];
  ch.subscribe(all);
  return () => ch.unsubscribe(all);
}

function listen<C>(name: string, fn: (c: C) => void): () => void {
  const handler = (message: unknown) => fn(message as C);
  dc.subscribe(name, handler);
  return () => dc.unsubscribe(name, handler);
}

test('channel names are the documented ones', () => {
  expect(diagnosticsChannels).toEqual({
    send: 'kafka-napi:send',
    commit: 'kafka-napi:commit',
    rebalance: 'kafka-napi:rebalance',
    receive: 'kafka-napi:receive',
    processStart: 'kafka-napi:process:start',
    processEnd: 'kafka-napi:process:end',
  });
});

test('send, receive, process, commit and rebalance as a subscriber sees them', async () => {
  const topic = uniqueTopic('dc');
  await createTopic(topic, 1);
  const sends: SendContext[] = [];
  const sendErrors: SendContext[] = [];
  const receives: ReceiveContext[] = [];
  const starts: ProcessContext[] = [];
  const ends: ProcessContext[] = [];
  const commits: CommitContext[] = [];
  const rebalances: RebalanceContext[] = [];
  const off = [
    trace<SendContext>(diagnosticsChannels.send, {
      // What an OpenTelemetry propagator does: trace context into the headers.
      start: (c) => void (c.headers.traceparent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`),
      asyncEnd: (c) => void sends.push(c),
      error: (c) => void sendErrors.push(c),
    }),
    listen<ReceiveContext>(diagnosticsChannels.receive, (c) => receives.push(c)),
    listen<ProcessContext>(diagnosticsChannels.processStart, (c) => starts.push(c)),
    listen<ProcessContext>(diagnosticsChannels.processEnd, (c) => ends.push(c)),
    trace<CommitContext>(diagnosticsChannels.commit, { asyncEnd: (c) => void commits.push(c) }),
    trace<RebalanceContext>(diagnosticsChannels.rebalance, { asyncEnd: (c) => void rebalances.push(c) }),
  ];
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers(), clientId: 'dc-producer' });
  const groupId = uniqueTopic('dc-group');
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId,
    autoOffsetReset: 'earliest',
  });
  try {
    const one = await producer.send(topic, 'one', { headers: { own: 'x' } });
    const batch = await producer.sendBatch(topic, [{ value: 'two' }, { value: 'three', key: 'k' }]);
    // A bad record: the traced call reports the error.
    await expect(producer.send(topic, 42 as unknown as string)).rejects.toBeInstanceOf(TypeError);

    expect(sends).toHaveLength(2);
    expect(sends[0]).toMatchObject({ topic, records: [{ value: 'one', headers: { own: 'x' } }], result: one });
    expect(sends[0].client).toMatch(/^dc-producer#producer-\d+$/);
    expect(sends[1].records).toHaveLength(2);
    expect(sends[1].result).toEqual(batch);
    expect(sendErrors).toHaveLength(1);
    expect(sendErrors[0].error).toBeInstanceOf(TypeError);

    const seen: string[] = [];
    for await (const record of consumer) {
      seen.push(record.value!.toString());
      // Every record carries the header the subscriber added, after the record's own.
      const names = record.headers.map(([n]) => n);
      expect(names).toContain('traceparent');
      if (seen.length === 1) expect(names).toEqual(['own', 'traceparent']);
      if (seen.length === 3) break;
    }
    await consumer.commit();
    expect(seen).toEqual(['one', 'two', 'three']);

    // Each loop body: a start when the record was handed over, an end when the next was asked for (or
    // the loop left), with the same context object.
    expect(starts.map((c) => c.record.value!.toString())).toEqual(['one', 'two', 'three']);
    expect(ends).toEqual(starts);
    expect(starts[0]).toMatchObject({ groupId, record: { topic, partition: 0, offset: 0 } });
    // Handed out: the same three records, in one or more receive events.
    expect(receives.flatMap((c) => c.records.map((r) => r.offset))).toEqual([0, 1, 2]);
    expect(receives[0].client).toMatch(/#consumer-\d+$/);
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatchObject({ groupId, offsets: undefined });
    expect(commits[0].error).toBeUndefined();
    expect(rebalances[0]).toMatchObject({ groupId, kind: 'assign', partitions: [{ topic, partition: 0 }] });
  } finally {
    for (const f of off) f();
    await Promise.all([producer.close(), consumer.close()]);
  }
});

test('without subscribers nothing is published and records carry no extra header', async () => {
  const topic = uniqueTopic('dc-none');
  await createTopic(topic, 1);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  const consumer = new KafkaConsumer(topic, {
    bootstrapServers: bootstrapServers(),
    groupId: uniqueTopic('g'),
    autoOffsetReset: 'earliest',
  });
  try {
    await producer.send(topic, 'plain');
    const [record] = await consumer.poll({ timeoutMs: 10_000 });
    expect(record.headers).toEqual([]);
  } finally {
    await Promise.all([producer.close(), consumer.close()]);
  }
});
