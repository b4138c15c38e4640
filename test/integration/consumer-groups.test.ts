import { spawn } from 'node:child_process';
import * as path from 'node:path';

import {
  KafkaConsumer,
  KafkaProducer,
  type ConsumerOptions,
  type ConsumerRecord,
  type TopicPartition,
} from '../../src';
import { bootstrapServers, brokerAtLeast, createTopic, uniqueTopic, waitFor } from '../helpers';

const PARTITIONS = 6;

interface Member {
  consumer: KafkaConsumer;
  owned: Set<number>;
  records: ConsumerRecord[];
  events: string[];
  /** Ends when the consumer closes; never rejects: an error of the loop is kept in `error`. */
  loop: Promise<void>;
  error?: unknown;
}

/**
 * For waitFor conditions: a member's loop that failed (e.g. a record from a partition it does not own)
 * fails the test with that error at once, instead of surfacing later as a misleading timeout.
 */
function healthy(members: Member[]): true {
  const failed = members.find((m) => m.error !== undefined);
  if (failed) throw failed.error;
  return true;
}

function member(topic: string, groupId: string, extra: Partial<ConsumerOptions> = {}): Member {
  const m = { owned: new Set<number>(), records: [] as ConsumerRecord[], events: [] as string[] } as Member;
  m.consumer = new KafkaConsumer<Buffer, Buffer>(topic, {
    bootstrapServers: bootstrapServers(),
    groupId,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    onPartitionsAssigned: async (tps: TopicPartition[]) => {
      await new Promise((r) => setTimeout(r, 20)); // async callbacks are awaited
      for (const tp of tps) m.owned.add(tp.partition);
      m.events.push(`assigned ${tps.map((t) => t.partition).join(',')}`);
    },
    onPartitionsRevoked: async (tps: TopicPartition[]) => {
      await m.consumer.commit().catch(() => undefined);
      for (const tp of tps) m.owned.delete(tp.partition);
      m.events.push(`revoked ${tps.map((t) => t.partition).join(',')}`);
    },
    ...extra,
  });
  m.loop = (async () => {
    for await (const record of m.consumer) {
      // Only partitions the member owns may deliver records.
      if (!m.owned.has(record.partition)) throw new Error(`record from unowned partition ${record.partition}`);
      m.records.push(record);
      if (m.records.length % 50 === 0) await m.consumer.commit();
    }
  })().catch((err: unknown) => {
    m.error = err;
  });
  return m;
}

async function produce(topic: string, from: number, count: number): Promise<void> {
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  await producer.sendBatch(
    topic,
    Array.from({ length: count }, (_, i) => ({ key: String(from + i), value: String(from + i) })),
  );
  await producer.close();
}

function exclusive(members: Member[]): boolean {
  const all = members.flatMap((m) => [...m.owned]);
  return all.length === PARTITIONS && new Set(all).size === PARTITIONS;
}

// KIP-848's consumer protocol is generally available from Kafka 4.0; 3.9 brokers only speak the classic one.
const PROTOCOLS: Array<[string, Partial<ConsumerOptions>]> = [
  ['range (eager)', { partitionAssignmentStrategy: 'range' as const }],
  ['roundrobin (eager)', { partitionAssignmentStrategy: 'roundrobin' as const }],
  ['cooperative-sticky', { partitionAssignmentStrategy: 'cooperative-sticky' as const }],
  ...(brokerAtLeast(4, 0)
    ? [['KIP-848 consumer protocol', { groupProtocol: 'consumer' as const }] as [string, Partial<ConsumerOptions>]]
    : []),
];

describe.each(PROTOCOLS)('group of 3 on 6 partitions: %s', (name, options) => {
  test('each partition has one owner; a member leaving hands its partitions over with nothing lost', async () => {
    const topic = uniqueTopic('grp');
    await createTopic(topic, PARTITIONS);
    await produce(topic, 0, 600);
    const groupId = uniqueTopic('g');
    const members = [member(topic, groupId, options), member(topic, groupId, options), member(topic, groupId, options)];
    try {
      // Balanced means two each: with incremental protocols a member can briefly own more while the
      // group converges (KIP-848 hands partitions out one heartbeat at a time), and a snapshot taken
      // then would count the convergence as the leave's doing.
      await waitFor(
        () =>
          healthy(members) && members.every((m) => m.owned.size === PARTITIONS / members.length) && exclusive(members),
        60_000,
        'balanced assignment',
      );
      const before = members.map((m) => new Set(m.owned));
      // One member leaves; the other two take over its partitions.
      const leaving = members[2];
      await leaving.consumer.close();
      await leaving.loop;
      expect(leaving.owned.size).toBe(0); // onPartitionsRevoked ran on close
      const rest = members.slice(0, 2);
      await waitFor(() => healthy(members) && exclusive(rest), 60_000, 'rebalance after leave');
      if (name !== 'range (eager)' && name !== 'roundrobin (eager)') {
        // Incremental protocols: the remaining members kept what they had.
        for (let i = 0; i < 2; i++) for (const p of before[i]) expect(rest[i].owned.has(p)).toBe(true);
      }
      await produce(topic, 600, 600);
      await waitFor(
        () =>
          healthy(members) && new Set(members.flatMap((m) => m.records.map((r) => r.value!.toString()))).size === 1200,
        60_000,
        'all 1200 records consumed',
      );
    } finally {
      await Promise.all(members.map((m) => m.consumer.close()));
      await Promise.all(members.map((m) => m.loop));
    }
    expect(members.map((m) => m.error)).toEqual([undefined, undefined, undefined]);
    for (const m of members) expect(m.events[0]).toMatch(/^assigned/);
  }, 180_000);
});

test('close() with rebalance callbacks leaves promptly, is idempotent, and the group moves on', async () => {
  const topic = uniqueTopic('close-cb');
  await createTopic(topic, 2);
  const groupId = uniqueTopic('g');
  const a = member(topic, groupId);
  const b = member(topic, groupId);
  await waitFor(() => a.owned.size + b.owned.size === 2 && a.owned.size > 0 && b.owned.size > 0, 60_000, 'assignment');
  const started = Date.now();
  await Promise.all([a.consumer.close(), a.consumer.close()]);
  const closeMs = Date.now() - started;
  console.log(`consumer close with rebalance callbacks: ${closeMs} ms`);
  // Half of close()'s 10 s deadline for the group leave (src/consumer/group.ts), which a leave that cannot
  // complete waits out; a healthy one is a round trip or two.
  expect(closeMs).toBeLessThan(10_000 / 2);
  expect(a.events[a.events.length - 1]).toMatch(/^revoked/); // onPartitionsRevoked ran during close
  expect(a.owned.size).toBe(0);
  // The remaining member gets both partitions well before the session timeout (45 s).
  const moved = Date.now();
  await waitFor(() => b.owned.size === 2, 20_000, 'takeover');
  expect(Date.now() - moved).toBeLessThan(30_000);
  await b.consumer.close();
  await Promise.all([a.loop, b.loop]);
  expect([a.error, b.error]).toEqual([undefined, undefined]);
});

/** A group member in a child process (fixtures/group-member.js) that the test can SIGKILL. */
function childMember(topic: string, groupId: string, stopAfter: number) {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'fixtures', 'group-member.js'), bootstrapServers(), topic, groupId],
    { env: { ...process.env, STOP_AFTER: String(stopAfter) } },
  );
  const state = { child, owned: new Set<number>(), committed: [] as string[], stderr: '' };
  let buffer = '';
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const line of lines) {
      const [kind, rest = ''] = [line.slice(0, 1), line.slice(2)];
      const partitions = rest === '' ? [] : rest.split(',').map(Number);
      if (kind === 'P') state.committed.push(rest);
      if (kind === 'A') for (const p of partitions) state.owned.add(p);
      if (kind === 'R') for (const p of partitions) state.owned.delete(p);
    }
  });
  child.stderr.on('data', (d: Buffer) => (state.stderr += d.toString()));
  return state;
}

test('a member SIGKILLed mid-stream: its partitions move after the session timeout and nothing is lost', async () => {
  const topic = uniqueTopic('grp-kill');
  await createTopic(topic, PARTITIONS);
  const groupId = uniqueTopic('g');
  const options = { partitionAssignmentStrategy: 'cooperative-sticky' as const, sessionTimeoutMs: 6000 };
  const survivors = [member(topic, groupId, options), member(topic, groupId, options)];
  const victim = childMember(topic, groupId, 20);
  const exited = new Promise<string | null>((resolve) => victim.child.on('exit', (_code, signal) => resolve(signal)));
  try {
    await waitFor(
      () => healthy(survivors) && victim.owned.size > 0 && exclusive([...survivors, { owned: victim.owned } as Member]),
      60_000,
      `3-member assignment (child stderr: ${victim.stderr})`,
    );
    await produce(topic, 0, 600);
    await waitFor(() => victim.committed.length === 20, 30_000, 'child consumed 20 and idles');
    victim.child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const killedAt = Date.now();
    const childCommitted = [...victim.committed];
    await waitFor(() => healthy(survivors) && exclusive(survivors), 60_000, 'survivors take over');
    const takeoverMs = Date.now() - killedAt;
    // The session timeout (6 s) moves them: not before it can have run out since the member's last
    // heartbeat (at most heartbeat.interval.ms, 3 s, before the kill), and well before the 45 s default
    // would (half of it: the bound was 6 + 10 s, which a busy broker's rebalance can approach).
    expect(takeoverMs).toBeGreaterThan(6000 - 3000);
    expect(takeoverMs).toBeLessThan(45_000 / 2);
    await produce(topic, 600, 600);
    const seen = () =>
      new Set([...childCommitted, ...survivors.flatMap((m) => m.records.map((r) => r.value!.toString()))]);
    await waitFor(() => healthy(survivors) && seen().size === 1200, 60_000, 'all 1200 records consumed');
    const survivorValues = new Set(survivors.flatMap((m) => m.records.map((r) => r.value!.toString())));
    const redelivered = childCommitted.filter((v) => survivorValues.has(v)).length;
    console.log(
      `SIGKILLed member: committed ${childCommitted.length} before the kill, survivors took over after ${takeoverMs} ms, ` +
        `survivors consumed ${survivorValues.size}, missing ${1200 - seen().size}, committed-then-redelivered ${redelivered}`,
    );
    // Every record the dead member had committed stays consumed; everything else reached a survivor.
    expect(redelivered).toBe(0);
    expect(seen().size).toBe(1200);
  } finally {
    victim.child.kill('SIGKILL');
    await Promise.all(survivors.map((m) => m.consumer.close()));
    await Promise.all(survivors.map((m) => m.loop));
  }
  expect(survivors.map((m) => m.error)).toEqual([undefined, undefined]);
}, 180_000);
