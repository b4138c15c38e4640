/**
 * kafka-napi/kafkajs's consumer against the real broker, written as kafkajs code, on both group
 * protocols (classic, and KIP-848 with groupProtocol 'consumer'): eachMessage and eachBatch with their
 * helpers, fromBeginning per subscribe(), RegExp subscriptions, ordering and concurrency across
 * partitions, retries and crashes of a throwing handler, commits, seek, pause/resume, stop and
 * disconnect mid-handler, describeGroup and the instrumentation events.
 */
import { KafkaAdmin } from '../../src';
import {
  Kafka,
  KafkaJSNonRetriableError,
  logLevel,
  type Consumer,
  type EachBatchPayload,
  type KafkaMessage,
  type Producer,
} from '../../src/kafkajs';
import { bootstrapServers, brokerAtLeast, createTopic, uniqueTopic, waitFor } from '../helpers';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const protocols = brokerAtLeast(4, 0) ? (['classic', 'consumer'] as const) : (['classic'] as const);

function kafka(): Kafka {
  return new Kafka({
    clientId: 'kjs-consumer-test',
    brokers: bootstrapServers().split(','),
    logLevel: logLevel.NOTHING,
    retry: { initialRetryTime: 50, retries: 3 },
  });
}

async function produce(
  topic: string,
  messages: Array<{ value: string; key?: string; partition?: number }>,
): Promise<void> {
  const producer: Producer = kafka().producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

async function committedOffsets(groupId: string): Promise<Record<string, number>> {
  const admin = new KafkaAdmin({ bootstrapServers: bootstrapServers() });
  try {
    const offsets = await admin.listConsumerGroupOffsets(groupId);
    return Object.fromEntries(offsets.map((o) => [`${o.topic}:${o.partition}`, o.offset]));
  } finally {
    await admin.close();
  }
}

describe.each(protocols)('kafka-napi/kafkajs consumer (group protocol %s)', (groupProtocol) => {
  const consumers: Consumer[] = [];
  function consumer(extra: Record<string, unknown> = {}): Consumer {
    const c = kafka().consumer({ groupId: uniqueTopic('kjs-group'), groupProtocol, ...extra });
    consumers.push(c);
    return c;
  }
  afterEach(async () => {
    await Promise.all(consumers.splice(0).map((c) => c.disconnect().catch(() => {})));
  });

  test('eachMessage: fromBeginning, string offsets and timestamps, headers, commits after the batch', async () => {
    const topic = uniqueTopic('kjs-each');
    await createTopic(topic, 2);
    await produce(topic, [
      { value: 'a', key: 'k', partition: 0 },
      { value: 'b', partition: 0 },
      { value: 'c', partition: 1 },
    ]);
    const c = consumer();
    const seen: Array<{ topic: string; partition: number; message: KafkaMessage }> = [];
    await c.connect();
    await c.subscribe({ topics: [topic], fromBeginning: true });
    await c.run({ eachMessage: async (p) => void seen.push(p) });
    await waitFor(() => seen.length === 3, 30_000, '3 messages');
    const byPartition = (p: number) => seen.filter((s) => s.partition === p).map((s) => String(s.message.value));
    expect(byPartition(0)).toEqual(['a', 'b']);
    expect(byPartition(1)).toEqual(['c']);
    const first = seen.find((s) => String(s.message.value) === 'a')!.message;
    expect(first.offset).toBe('0');
    expect(first.timestamp).toMatch(/^\d{13}$/);
    expect(String(first.key)).toBe('k');
    expect(first.headers).toEqual({});
    const groupId = (await c.describeGroup()).groupId;
    await waitFor(
      async () => {
        const o = await committedOffsets(groupId);
        return o[`${topic}:0`] === 2 && o[`${topic}:1`] === 1;
      },
      30_000,
      'offsets committed',
    );
  });

  test('fromBeginning per subscribe(): one topic from the start, the other only what comes after run()', async () => {
    const early = uniqueTopic('kjs-early');
    const late = uniqueTopic('kjs-late');
    await Promise.all([createTopic(early, 1), createTopic(late, 1)]);
    await produce(early, [{ value: 'e-before' }]);
    await produce(late, [{ value: 'l-before' }]);
    const c = consumer();
    const seen: string[] = [];
    await c.connect();
    await c.subscribe({ topic: early, fromBeginning: true });
    await c.subscribe({ topics: [late] });
    await c.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    await produce(late, [{ value: 'l-after' }]);
    await waitFor(() => seen.length >= 2, 30_000, 'two messages');
    await sleep(1000);
    expect(seen.sort()).toEqual(['e-before', 'l-after']);
  });

  test('a RegExp subscribes to the matching topics that exist', async () => {
    const prefix = uniqueTopic('kjs-re');
    await Promise.all([createTopic(`${prefix}-x`, 1), createTopic(`${prefix}-y`, 1)]);
    await produce(`${prefix}-x`, [{ value: 'x' }]);
    await produce(`${prefix}-y`, [{ value: 'y' }]);
    const c = consumer();
    const seen: string[] = [];
    await c.connect();
    await c.subscribe({ topics: [new RegExp(`^${prefix}-`)], fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    await waitFor(() => seen.length === 2, 30_000, 'both topics');
    expect(seen.sort()).toEqual(['x', 'y']);
  });

  test('partitionsConsumedConcurrently: ordered within a partition, concurrent across partitions', async () => {
    // Concurrency spans the partitions of one poll. The first poll after the join may hold one
    // partition only (the partitions become fetchable one by one), so records come in rounds: once the
    // consumer fetches all three, one produce request makes a round visible on all of them at once.
    const topic = uniqueTopic('kjs-conc');
    await createTopic(topic, 3);
    const c = consumer();
    const order = new Map<number, number[]>();
    let active = 0;
    let maxActive = 0;
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      partitionsConsumedConcurrently: 3,
      eachMessage: async ({ partition, message }) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(20);
        active--;
        order.set(partition, [...(order.get(partition) ?? []), Number(message.value)]);
      },
    });
    const perRound = 30;
    let rounds = 0;
    while (rounds < 5 && maxActive < 2) {
      const base = rounds * perRound;
      await produce(
        topic,
        Array.from({ length: perRound }, (_, i) => ({ value: String(base + i), partition: (base + i) % 3 })),
      );
      rounds++;
      const total = rounds * perRound;
      await waitFor(() => [...order.values()].flat().length === total, 60_000, `${total} messages`);
    }
    for (const [p, values] of order) {
      expect(values).toEqual(values.slice().sort((x, y) => x - y));
      expect(values.every((v) => v % 3 === p)).toBe(true);
    }
    expect(maxActive).toBeGreaterThan(1);
    expect(maxActive).toBeLessThanOrEqual(3);
  });

  test('eachBatch: batch helpers, resolveOffset and commitOffsetsIfNecessary, lag from the high watermark', async () => {
    const topic = uniqueTopic('kjs-batch');
    await createTopic(topic, 1);
    await produce(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ value: `b${i}` })),
    );
    const c = consumer();
    const payloads: EachBatchPayload[] = [];
    const uncommitted: unknown[] = [];
    const seen: string[] = [];
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        payloads.push(payload);
        const { batch } = payload;
        expect(payload.isRunning()).toBe(true);
        expect(payload.isStale()).toBe(false);
        for (const m of batch.messages) {
          seen.push(String(m.value));
          payload.resolveOffset(m.offset);
          await payload.heartbeat();
        }
        uncommitted.push(payload.uncommittedOffsets());
        await payload.commitOffsetsIfNecessary();
      },
    });
    await waitFor(() => seen.length === 10, 30_000, '10 messages');
    const { batch } = payloads[0];
    expect(batch.topic).toBe(topic);
    expect(batch.highWatermark).toBe('10');
    expect(batch.firstOffset()).toBe('0');
    expect(batch.lastOffset()).toBe(String(batch.messages.length - 1));
    expect(batch.offsetLag()).toBe(String(10 - batch.messages.length));
    expect(batch.offsetLagLow()).toBe('9');
    expect(batch.isEmpty()).toBe(false);
    expect(uncommitted[0]).toEqual({
      // kafkajs hands the partition out as a string here.
      topics: [{ topic, partitions: [{ partition: '0', offset: String(batch.messages.length) }] }],
    });
  });

  test('a throwing handler: the message comes again (retries), and processing goes on in order', async () => {
    const topic = uniqueTopic('kjs-retry');
    await createTopic(topic, 1);
    await produce(
      topic,
      ['1', '2', '3'].map((value) => ({ value })),
    );
    const c = consumer();
    const attempts: string[] = [];
    let failures = 0;
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      eachMessage: async ({ message }) => {
        attempts.push(String(message.value));
        if (String(message.value) === '2' && failures < 2) {
          failures++;
          throw new Error('transient');
        }
      },
    });
    await waitFor(() => attempts.filter((a) => a === '3').length >= 1, 30_000, 'the last message');
    expect(attempts).toEqual(['1', '2', '2', '2', '3']);
  });

  test('retries exhausted: CRASH with restart, the consumer restarts and delivers again; non-retriable: no restart', async () => {
    const topic = uniqueTopic('kjs-crash');
    await createTopic(topic, 1);
    await produce(topic, [{ value: 'poison' }, { value: 'next' }]);
    const c = consumer({ retry: { retries: 1, initialRetryTime: 50 } });
    const crashes: Array<{ error: Error; groupId: string; restart: boolean }> = [];
    c.on(c.events.CRASH, ({ payload }) => void crashes.push(payload));
    let calls = 0;
    const seen: string[] = [];
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      eachMessage: async ({ message }) => {
        if (String(message.value) === 'poison' && ++calls <= 2) throw new Error('boom');
        seen.push(String(message.value));
      },
    });
    await waitFor(() => seen.includes('next'), 60_000, 'delivery after the restart');
    expect(crashes).toHaveLength(1);
    expect(crashes[0].error.name).toBe('KafkaJSNumberOfRetriesExceeded');
    expect(crashes[0].restart).toBe(true);
    expect(seen).toEqual(['poison', 'next']);

    const topic2 = uniqueTopic('kjs-fatal');
    await createTopic(topic2, 1);
    await produce(topic2, [{ value: 'x' }]);
    const d = consumer();
    const fatal: Array<{ error: Error; restart: boolean }> = [];
    const lifecycle: string[] = [];
    d.on(d.events.CRASH, ({ payload }) => void fatal.push(payload));
    for (const name of ['STOP', 'DISCONNECT', 'CRASH'] as const)
      d.on(d.events[name], ({ type }) => void lifecycle.push(type));
    await d.connect();
    await d.subscribe({ topic: topic2, fromBeginning: true });
    await d.run({
      eachMessage: async () => {
        throw new KafkaJSNonRetriableError('give up');
      },
    });
    await waitFor(() => fatal.length === 1, 30_000, 'a crash');
    expect(fatal[0].restart).toBe(false);
    expect(fatal[0].error).toBeInstanceOf(KafkaJSNonRetriableError);
    // As kafkajs: the crashed consumer is stopped and disconnected before CRASH is emitted.
    expect(lifecycle).toEqual(['consumer.stop', 'consumer.disconnect', 'consumer.crash']);
  });

  test('a subscription with no existing topic: run() resolves with an empty GROUP_JOIN; no auto creation refuses', async () => {
    const c = consumer();
    const joins: Array<Record<string, number[]>> = [];
    c.on(c.events.GROUP_JOIN, ({ payload }) => void joins.push(payload.memberAssignment));
    await c.subscribe({ topic: new RegExp(`^${uniqueTopic('kjs-none')}$`) });
    await c.run({ eachMessage: async () => {} });
    // Emitted before run() resolved: nothing waited for a rebalance that cannot come.
    expect(joins).toEqual([{}]);
    const d = consumer({ allowAutoTopicCreation: false });
    await expect(d.subscribe({ topic: uniqueTopic('kjs-missing') })).rejects.toMatchObject({
      name: 'KafkaJSProtocolError',
      type: 'UNKNOWN_TOPIC_OR_PARTITION',
      code: 3,
    });
  });

  test('kafkajs details: run() connects, small maxBytes, argument checks, pause() lists', async () => {
    expect(() => kafka().consumer({ groupId: 'g', sessionTimeout: 3000, heartbeatInterval: 3000 })).toThrow(
      'Consumer heartbeatInterval (3000) must be lower than sessionTimeout (3000)',
    );
    const topic = uniqueTopic('kjs-details');
    await createTopic(topic, 3);
    await produce(
      topic,
      Array.from({ length: 30 }, (_, i) => ({ value: `v${i}`, partition: i % 3 })),
    );
    // maxBytes below librdkafka's 1,000,000-byte message.max.bytes, and no connect() before run().
    const c = consumer({ maxBytes: 5000 });
    await c.subscribe({ topic, fromBeginning: true });
    const seen: string[] = [];
    await c.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    await waitFor(() => seen.length === 30, 30_000, 'all 30 records');
    await expect(c.commitOffsets([{ topic, partition: 0, offset: null as unknown as string }])).rejects.toThrow(
      'Invalid offset, expected a long received null',
    );
    expect(() => (c.pause as () => void)()).not.toThrow(); // kafkajs: no argument, nothing paused
    c.pause([{ topic, partitions: [2, 0] }, { topic: uniqueTopic('kjs-not-assigned') }]);
    expect(c.paused()).toEqual([{ topic, partitions: [0, 2] }]);
    c.resume([{ topic }]);
    expect(c.paused()).toEqual([]);
  });

  test('seek right after run() resolves: the partition continues from the sought offset', async () => {
    // kafkajs code (its own tests among it) seeks as soon as run() resolves, while the first poll may
    // already hold the records from before the seek. Three groups: the race does not show every time.
    const topic = uniqueTopic('kjs-seek-run');
    await createTopic(topic, 1);
    await produce(topic, [{ value: 'a' }, { value: 'b' }, { value: 'c' }]);
    for (let round = 0; round < 3; round++) {
      const c = consumer();
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      const seen: string[] = [];
      await c.run({ eachMessage: async ({ message }) => void seen.push(message.offset) });
      c.seek({ topic, partition: 0, offset: '1' });
      await produce(topic, [{ value: `after-${round}` }]);
      await waitFor(() => seen.includes(String(3 + round)), 30_000, 'the record sent after the seek');
      expect(seen).toEqual(Array.from({ length: 3 + round }, (_, i) => String(i + 1)));
      await c.disconnect();
    }
  });

  test('manual commits with autoCommit off; seek inside run; pause and resume from a handler', async () => {
    const topic = uniqueTopic('kjs-manual');
    await createTopic(topic, 2);
    await produce(topic, [
      ...Array.from({ length: 5 }, (_, i) => ({ value: `p0-${i}`, partition: 0 })),
      ...Array.from({ length: 5 }, (_, i) => ({ value: `p1-${i}`, partition: 1 })),
    ]);
    const c = consumer();
    const seen: string[] = [];
    let sought = false;
    let pausedOnce = false;
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({
      autoCommit: false,
      eachMessage: async ({ partition, message, pause }) => {
        seen.push(String(message.value));
        if (partition === 0 && message.offset === '3' && !sought) {
          sought = true;
          c.seek({ topic, partition: 0, offset: '1' });
        }
        if (partition === 1 && message.offset === '1' && !pausedOnce) {
          pausedOnce = true;
          const resume = pause();
          expect(c.paused()).toEqual([{ topic, partitions: [1] }]);
          setTimeout(resume, 500);
        }
      },
    });
    await waitFor(() => seen.filter((v) => v === 'p0-4').length === 1 && seen.includes('p1-4'), 30_000, 'all');
    // p0: 0..3, then from 1 again after the seek; p1: in order, each once (the pause lost nothing).
    expect(seen.filter((v) => v.startsWith('p0'))).toEqual([
      'p0-0',
      'p0-1',
      'p0-2',
      'p0-3',
      'p0-1',
      'p0-2',
      'p0-3',
      'p0-4',
    ]);
    expect(seen.filter((v) => v.startsWith('p1'))).toEqual(['p1-0', 'p1-1', 'p1-2', 'p1-3', 'p1-4']);
    const groupId = (await c.describeGroup()).groupId;
    expect(await committedOffsets(groupId)).toEqual({});
    await c.commitOffsets([{ topic, partition: 1, offset: '5' }]);
    expect(await committedOffsets(groupId)).toEqual({ [`${topic}:1`]: 5 });
    expect(() => c.seek({ topic, partition: 0, offset: 'x' })).toThrow(/Invalid offset/);
  });

  test('a topic that does not exist yet is created at subscribe(); a custom assigner warns and round robin assigns', async () => {
    const topic = uniqueTopic('kjs-auto');
    const warnings: string[] = [];
    const k = new Kafka({
      brokers: bootstrapServers().split(','),
      logCreator: () => (entry) => {
        if (entry.label === 'WARN') warnings.push(entry.log.message);
      },
    });
    const custom = () => ({
      name: 'Mine',
      version: 1,
      assign: async () => [],
      protocol: () => ({ name: 'Mine', metadata: Buffer.alloc(0) }),
    });
    const c = k.consumer({ groupId: uniqueTopic('kjs-auto-g'), groupProtocol, partitionAssigners: [custom as never] });
    consumers.push(c);
    const seen: string[] = [];
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    await produce(topic, [{ value: 'created' }]);
    await waitFor(() => seen.length === 1, 30_000, 'the message');
    expect(seen).toEqual(['created']);
    expect(warnings.some((w) => /custom partition assigner/.test(w))).toBe(true);
  });

  test('a member given no partition: run() still resolves, and the other member keeps consuming', async () => {
    const topic = uniqueTopic('kjs-spare');
    await createTopic(topic, 1);
    const groupId = uniqueTopic('kjs-spare-g');
    const first = consumer({ groupId });
    const second = consumer({ groupId });
    const seen: string[] = [];
    for (const c of [first, second]) {
      await c.connect();
      await c.subscribe({ topic });
      await c.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    }
    await produce(topic, [{ value: 'one' }]);
    await waitFor(() => seen.length === 1, 30_000, 'the message');
    expect(seen).toEqual(['one']);
  });

  test('stop() and run() again; disconnect() while a handler runs; events and describeGroup', async () => {
    const topic = uniqueTopic('kjs-stop');
    await createTopic(topic, 1);
    await produce(topic, [{ value: '1' }]);
    const c = consumer();
    const events: string[] = [];
    for (const name of [
      'GROUP_JOIN',
      'COMMIT_OFFSETS',
      'FETCH_START',
      'FETCH',
      'START_BATCH_PROCESS',
      'END_BATCH_PROCESS',
      'STOP',
      'CONNECT',
      'DISCONNECT',
    ] as const) {
      c.on(c.events[name], (e) => void events.push(e.type));
    }
    const seen: string[] = [];
    await c.connect();
    await c.subscribe({ topic, fromBeginning: true });
    await c.run({ eachMessage: async ({ message }) => void seen.push(String(message.value)) });
    await waitFor(() => seen.length === 1, 30_000, 'first message');
    const group = await c.describeGroup();
    expect(group).toMatchObject({ groupId: expect.any(String), state: 'Stable', protocolType: 'consumer' });
    expect(group.members).toHaveLength(1);
    expect(Buffer.isBuffer(group.members[0].memberAssignment)).toBe(true);
    await c.stop();
    await produce(topic, [{ value: '2' }]);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    await c.run({
      eachMessage: async ({ message }) => {
        seen.push(String(message.value));
        await gate;
      },
    });
    await waitFor(() => seen.length === 2, 30_000, 'second message');
    const disconnecting = c.disconnect();
    await sleep(100);
    release();
    await disconnecting;
    expect(seen).toEqual(['1', '2']);
    for (const type of [
      'consumer.connect',
      'consumer.group_join',
      'consumer.fetch_start',
      'consumer.fetch',
      'consumer.start_batch_process',
      'consumer.end_batch_process',
      'consumer.commit_offsets',
      'consumer.stop',
      'consumer.disconnect',
    ]) {
      expect(events).toContain(type);
    }
  });
});
