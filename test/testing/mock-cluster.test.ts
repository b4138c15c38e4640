/**
 * `kafka-napi/testing`'s MockCluster, and the faults a real broker cannot produce on demand, injected
 * deterministically: retriable produce errors (retried, nothing lost or duplicated), a coordinator lost
 * during a commit, partition leaders moving under load, a slow broker against the delivery timeout, a
 * broker down and back. No real broker here: librdkafka's mock cluster stands in for one on purpose.
 */
import { KafkaAdmin, KafkaConsumer, KafkaError, KafkaProducer, type ConsumerRecord, type ErrorCode } from '../../src';
import { ApiKeys, MockCluster } from '../../src/testing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: MockCluster;

beforeEach(async () => {
  cluster = await MockCluster.start({ brokers: 3 });
});

afterEach(async () => {
  await cluster.stop();
});

function idempotentProducer(extra: Record<string, unknown> = {}) {
  return new KafkaProducer({
    bootstrapServers: cluster.bootstrapServers,
    enableIdempotence: true,
    acks: 'all',
    lingerMs: 5,
    logger: {},
    ...extra,
  });
}

/** Every record of the partitions, read from the start by an assign()ed consumer. */
async function readAll(topic: string, partitions: number, expected: number): Promise<ConsumerRecord[]> {
  const consumer = new KafkaConsumer(undefined, { bootstrapServers: cluster.bootstrapServers, logger: {} });
  try {
    consumer.assign(Array.from({ length: partitions }, (_, partition) => ({ topic, partition, offset: 0 })));
    const out: ConsumerRecord[] = [];
    const deadline = Date.now() + 20_000;
    while (out.length < expected && Date.now() < deadline) out.push(...(await consumer.poll({ timeoutMs: 500 })));
    // A little longer: anything beyond `expected` (a duplicate) shows up too.
    out.push(...(await consumer.poll({ timeoutMs: 500 })));
    return out;
  } finally {
    await consumer.close();
  }
}

function values(records: ConsumerRecord[]): string[] {
  return records.map((r) => r.value!.toString());
}

test('start, bootstrapServers, broker ids; argument errors name the argument; calls after stop() fail', async () => {
  expect(cluster.bootstrapServers.split(',')).toHaveLength(3);
  expect(cluster.brokerIds).toEqual([1, 2, 3]);
  cluster.createTopic('t', 2, 3);
  expect(() => cluster.createTopic('t', 2, 3)).toThrow(KafkaError);
  expect(() => cluster.createTopic('u', 0)).toThrow(
    new RangeError('partitions must be an integer in [1, 100000], got 0'),
  );
  expect(() => cluster.createTopic('u', 1, 4)).toThrow(RangeError);
  expect(() => cluster.setRtt('1' as unknown as number, 5)).toThrow(TypeError);
  expect(() => cluster.setRtt(1, -1)).toThrow(/ms must be/);
  expect(() => cluster.pushRequestErrors('Produc' as 'Produce', [])).toThrow(/apiKey must be/);
  expect(() => cluster.pushRequestErrors('Produce', ['NOT_A_CODE' as ErrorCode])).toThrow(
    new RangeError('errors[0]: unknown error code "NOT_A_CODE"'),
  );
  expect(() => cluster.pushBrokerRequestErrors(1, 0, [{ code: 'X' as ErrorCode, rttMs: -5 }])).toThrow(/rttMs/);
  await expect(MockCluster.start({ brokers: 0 })).rejects.toThrow(RangeError);
  const other = await MockCluster.start({ brokers: 1 });
  await other.stop();
  await other.stop(); // idempotent
  expect(() => other.setBrokerDown(1)).toThrow(expect.objectContaining({ code: '_DESTROY' }));
});

test('retriable produce errors are retried: every record acknowledged once, in order', async () => {
  cluster.createTopic('retry', 1, 3);
  cluster.trackRequests();
  const producer = idempotentProducer();
  try {
    await producer.send('retry', 'warm-up');
    cluster.pushRequestErrors(ApiKeys.Produce, [
      'NOT_LEADER_FOR_PARTITION',
      'REQUEST_TIMED_OUT',
      'NOT_ENOUGH_REPLICAS',
      '_TRANSPORT', // the broker drops the connection: the request's outcome is unknown to the client
    ]);
    const acks = await Promise.all(Array.from({ length: 200 }, (_, i) => producer.send('retry', `r${i}`)));
    expect(acks.map((a) => a.offset)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
  } finally {
    await producer.close();
  }
  // The errors were really answered: more Produce requests than batches without them.
  const produces = cluster.requests().filter((r) => r.apiName === 'Produce');
  expect(produces.length).toBeGreaterThanOrEqual(5);
  const log = values(await readAll('retry', 1, 201));
  expect(log).toEqual(['warm-up', ...Array.from({ length: 200 }, (_, i) => `r${i}`)]);
});

test('partition leaders moving under load: nothing lost, nothing duplicated, order kept', async () => {
  cluster.createTopic('moves', 2, 3);
  const producer = idempotentProducer();
  const sent: Array<Promise<unknown>> = [];
  try {
    let stop = false;
    let i = 0;
    const load = (async () => {
      while (!stop) {
        sent.push(producer.send('moves', `m${i}`, { partition: i % 2 }));
        i++;
        if (i % 50 === 0) await sleep(5);
      }
    })();
    for (const leader of [2, 3, 1, 2]) {
      await sleep(150);
      cluster.setPartitionLeader('moves', 0, leader);
      cluster.setPartitionLeader('moves', 1, ((leader + 1) % 3) + 1);
    }
    await sleep(150);
    stop = true;
    await load;
    await Promise.all(sent);
  } finally {
    await producer.close();
  }
  const log = await readAll('moves', 2, sent.length);
  expect(log).toHaveLength(sent.length);
  for (const partition of [0, 1]) {
    const seq = log.filter((r) => r.partition === partition).map((r) => Number(r.value!.toString().slice(1)));
    expect(seq).toEqual([...seq].sort((a, b) => a - b));
    expect(new Set(seq).size).toBe(seq.length);
  }
});

test('a slow broker: sends past deliveryTimeoutMs fail with _MSG_TIMED_OUT on time, then recover', async () => {
  cluster.createTopic('slow', 1, 1);
  cluster.setPartitionLeader('slow', 0, 1);
  const producer = idempotentProducer({ deliveryTimeoutMs: 1500, requestTimeoutMs: 1000, enableIdempotence: false });
  try {
    await producer.send('slow', 'before');
    // The broker answers after RTT_MS. "On time": not before deliveryTimeoutMs ran out, and before that
    // answer could have come. The answer is far off (it was 4 s, within reach of a loaded machine's lag on
    // top of the 1.5 s timeout), so the window only excludes the regression: waiting for the broker.
    const RTT_MS = 15_000;
    cluster.setRtt(1, RTT_MS);
    const started = Date.now();
    const err = await producer.send('slow', 'late').catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(err).toBeInstanceOf(KafkaError);
    expect((err as KafkaError).code).toBe('_MSG_TIMED_OUT');
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(RTT_MS);
    cluster.setRtt(1, 0);
    await expect(producer.send('slow', 'after')).resolves.toMatchObject({ partition: 0 });
  } finally {
    await producer.close();
  }
});

test('a broker down, then up: sends wait and complete, none lost', async () => {
  cluster.createTopic('down', 1, 3);
  cluster.setPartitionLeader('down', 0, 2);
  const producer = idempotentProducer();
  try {
    await producer.send('down', 'first');
    cluster.setBrokerDown(2);
    const pending = Array.from({ length: 20 }, (_, i) => producer.send('down', `d${i}`));
    const settled = await Promise.race([Promise.all(pending).then(() => 'acked'), sleep(1500).then(() => 'waiting')]);
    expect(settled).toBe('waiting');
    cluster.setBrokerUp(2);
    await Promise.all(pending);
  } finally {
    await producer.close();
  }
  expect(values(await readAll('down', 1, 21))).toEqual(['first', ...Array.from({ length: 20 }, (_, i) => `d${i}`)]);
});

// librdkafka finds the moved coordinator and retries the commit: 9 s in one run, in another the first
// commit() gave up after its 30 s with a retriable error and the next one landed at once.
test('the group coordinator lost during a commit: the commit lands (retriable errors only), and is read back', async () => {
  cluster.createTopic('commits', 1, 3);
  const producer = idempotentProducer();
  await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send('commits', `c${i}`)));
  await producer.close();
  const groupId = 'g-commits';
  const consumer = new KafkaConsumer('commits', {
    bootstrapServers: cluster.bootstrapServers,
    groupId,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    logger: {},
  });
  try {
    const got: ConsumerRecord[] = [];
    const deadline = Date.now() + 20_000;
    while (got.length < 5 && Date.now() < deadline)
      got.push(...(await consumer.poll({ timeoutMs: 1000, maxRecords: 5 - got.length })));
    // The coordinator moves, and the first commit attempts are refused as the old one refuses them.
    cluster.setGroupCoordinator(groupId, 3);
    cluster.pushRequestErrors('OffsetCommit', ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);
    let committed = false;
    for (let attempt = 0; attempt < 5 && !committed; attempt++) {
      try {
        await consumer.commit();
        committed = true;
      } catch (err) {
        // A refused commit is a retriable KafkaError, never anything else.
        expect(err).toBeInstanceOf(KafkaError);
        expect({ code: (err as KafkaError).code, retriable: (err as KafkaError).retriable }).toEqual({
          code: (err as KafkaError).code,
          retriable: true,
        });
      }
    }
    expect(committed).toBe(true);
    expect(await consumer.committed([{ topic: 'commits', partition: 0 }])).toEqual([
      { topic: 'commits', partition: 0, offset: 5 },
    ]);
  } finally {
    await consumer.close();
  }
  // Another client of the group reads the commit back from the new coordinator. (A new member joining
  // right after the coordinator moved waits out the old member's session in the mock: docs/testing.md.)
  const other = new KafkaConsumer(undefined, { bootstrapServers: cluster.bootstrapServers, groupId, logger: {} });
  try {
    expect(await other.committed([{ topic: 'commits', partition: 0 }])).toEqual([
      { topic: 'commits', partition: 0, offset: 5 },
    ]);
  } finally {
    await other.close();
  }
}, 180_000);

// A commit made while no coordinator can be reached waits up to session.timeout.ms for one, then librdkafka
// fails it with _WAIT_COORD ("waiting for coordinator"): as transient as COORDINATOR_NOT_AVAILABLE, so it
// must be retriable (a loaded CI run reached this window in the test above and saw retriable: false).
test('a commit while the coordinator is unreachable past session.timeout.ms fails retriable (_WAIT_COORD)', async () => {
  cluster.createTopic('no-coordinator', 1, 3);
  const producer = idempotentProducer();
  await Promise.all(Array.from({ length: 4 }, (_, i) => producer.send('no-coordinator', `n${i}`)));
  await producer.close();
  const groupId = 'g-no-coordinator';
  cluster.setGroupCoordinator(groupId, 1);
  const consumer = new KafkaConsumer('no-coordinator', {
    bootstrapServers: cluster.bootstrapServers,
    groupId,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    sessionTimeoutMs: 6000,
    logger: {},
  });
  try {
    let got = 0;
    const deadline = Date.now() + 20_000;
    while (got < 4 && Date.now() < deadline)
      got += (await consumer.poll({ timeoutMs: 1000, maxRecords: 4 - got })).length;
    expect(got).toBe(4);
    // The coordinator (broker 1) goes down, and the lookup that follows finds broker 2, down as well.
    cluster.setGroupCoordinator(groupId, 2);
    cluster.setBrokerDown(2);
    cluster.setBrokerDown(1);
    const codes: string[] = [];
    for (let attempt = 0; attempt < 5 && !codes.includes('_WAIT_COORD'); attempt++) {
      try {
        // Explicit offsets: each attempt is a real commit, never one librdkafka skips as already done.
        await consumer.commit([{ topic: 'no-coordinator', partition: 0, offset: 4 }]);
        codes.push('committed');
      } catch (err) {
        expect(err).toBeInstanceOf(KafkaError);
        const { code, retriable } = err as KafkaError;
        codes.push(code);
        expect({ code, retriable }).toEqual({ code, retriable: true });
      }
    }
    expect(codes).toContain('_WAIT_COORD');
  } finally {
    cluster.setBrokerUp(1);
    cluster.setBrokerUp(2);
    await consumer.close();
  }
}, 120_000);

// librdkafka retries a FindCoordinator answered COORDINATOR_NOT_AVAILABLE at most twice; when the
// retry was refused it kept the coordinator request's reference anyway, and that request was never freed,
// not even by the client's destroy (LeakSanitizer under scripts/sanitize.sh; fixed by
// scripts/deps/patches/librdkafka/0003-*). Here: the call fails on time and the client stays usable.
test('an admin call whose coordinator lookups are refused until the retries run out fails on time, and the client recovers', async () => {
  const admin = new KafkaAdmin({ bootstrapServers: cluster.bootstrapServers, logger: {} });
  try {
    cluster.trackRequests();
    // More errors than any lookup's tries: a broker coming up restarts the lookup with fresh retries.
    cluster.pushRequestErrors('FindCoordinator', Array(50).fill('COORDINATOR_NOT_AVAILABLE'));
    const started = Date.now();
    const err = await admin.listConsumerGroupOffsets('g-lookups', null, { timeoutMs: 2000 }).catch((e) => e);
    expect(err).toBeInstanceOf(KafkaError);
    expect((err as KafkaError).code).toBe('_TIMED_OUT');
    // Its own 2 s timeout ended it, not the 30 s default: bounded by half of that default (it was 5 s, the
    // timeout plus a margin a loaded machine can use up).
    expect(Date.now() - started).toBeLessThan(30_000 / 2);
    // A lookup was refused, then retried twice; then librdkafka gave up on it.
    const lookups = cluster.requests().filter((r) => r.apiKey === 10);
    expect(lookups.length).toBeGreaterThanOrEqual(3);
    // Once the coordinator can be found, the next call finds it and answers.
    cluster.clearRequestErrors('FindCoordinator');
    await expect(admin.listConsumerGroupOffsets('g-lookups', null, { timeoutMs: 10_000 })).resolves.toBeDefined();
  } finally {
    const closing = Date.now();
    await admin.close();
    expect(Date.now() - closing).toBeLessThan(5000);
  }
}, 60_000);
