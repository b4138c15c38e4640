/**
 * The soak's client process (started by test/faults/soak.ts): an idempotent producer and a 3-member
 * at-least-once group on one topic, a transactional producer on another, a member replaced every
 * `ROTATE_MS` (a rebalance), and a sample of its own RSS, heap, handles and threads every 10 s. The
 * history goes to files (HistoryFile), not to this heap, so the memory figures are the client's.
 *
 * Stops on the message 'stop': stops producing, waits (≤ 2 min) until the group has committed up to the
 * end of the topic, closes everything, writes `done` and exits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KafkaAdmin, KafkaProducer } from '../../src';
import { addon } from '../../src/native/addon';
import { HistoryFile } from './history';
import { groupMember, IDEMPOTENT, produceLoad, transactionalLoad, type GroupMember } from './workload';

const dir = process.env.SOAK_DIR!;
const bootstrapServers = process.env.SOAK_BOOTSTRAP!;
const topic = process.env.SOAK_TOPIC!;
const txTopic = process.env.SOAK_TX_TOPIC!;
const groupId = process.env.SOAK_GROUP!;
const ROTATE_MS = Number(process.env.SOAK_ROTATE_MS ?? 120_000);
const GROUP = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function threads(): number {
  const m = /Threads:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : -1;
}

/** Anonymous and file-backed resident memory (bytes), from /proc/self/smaps_rollup. */
function rollup(): { anon: number; file: number } {
  const text = fs.readFileSync('/proc/self/smaps_rollup', 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { anon: kib('Anonymous'), file: kib('Rss') - kib('Anonymous') };
}

const ARENA_HEAP = 64 * 2 ** 20; // glibc's HEAP_MAX_SIZE on 64-bit: each thread arena's heap reservation

/**
 * Resident memory by where it lives, from /proc/self/smaps: `arenas` in glibc's thread arenas (a 64 MiB
 * aligned reservation, the used part rw-p and the rest ---p: librdkafka's threads allocate there), `brk`
 * in the main heap (malloc from the JS thread), `otherAnon` the rest of anonymous memory (V8's heap,
 * thread stacks, mmapped large blocks). Tells a leak in one place from allocator retention spread over
 * many arenas.
 */
function regions(): { arenas: number; arenaCount: number; brk: number; otherAnon: number } {
  const maps: Array<{ start: number; end: number; perms: string; path: string; rss: number }> = [];
  for (const line of fs.readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head)
      maps.push({ start: parseInt(head[1], 16), end: parseInt(head[2], 16), perms: head[3], path: head[4], rss: 0 });
    else if (line.startsWith('Rss:')) maps[maps.length - 1].rss = Number(/(\d+)/.exec(line)![1]) * 1024;
  }
  const out = { arenas: 0, arenaCount: 0, brk: 0, otherAnon: 0 };
  for (let i = 0; i < maps.length; i++) {
    const m = maps[i];
    if (m.path === '[heap]') out.brk += m.rss;
    else if (m.path !== '') continue;
    else if (
      m.perms.startsWith('rw') &&
      m.start % ARENA_HEAP === 0 &&
      (m.end - m.start === ARENA_HEAP ||
        (maps[i + 1]?.start === m.end &&
          maps[i + 1].perms.startsWith('---') &&
          maps[i + 1].end - m.start === ARENA_HEAP))
    ) {
      out.arenas += m.rss;
      out.arenaCount++;
    } else out.otherAnon += m.rss;
  }
  return out;
}

/** In use and free in the C allocator (NaN where it is not glibc's): a leak grows the first, retention the second. */
function mallocStats(): { mallocInUse: number; mallocFree: number } {
  const m = addon.mallocStats();
  return { mallocInUse: m?.inUse ?? NaN, mallocFree: m?.free ?? NaN };
}

async function main(): Promise<void> {
  const history = new HistoryFile(path.join(dir, 'history.jsonl'));
  const txHistory = new HistoryFile(path.join(dir, 'tx-history.jsonl'));
  const samples = fs.openSync(path.join(dir, 'samples.jsonl'), 'w');
  const t0 = Date.now();
  const sample = () => {
    const m = process.memoryUsage();
    const row = {
      t: Math.round((Date.now() - t0) / 1000),
      rss: m.rss,
      heapUsed: m.heapUsed,
      // What V8 holds from the system (used or not): RSS minus this is the native side (librdkafka, the
      // addon, the allocator's arenas), the part a leak of ours would grow.
      heapTotal: m.heapTotal,
      ...rollup(),
      ...regions(),
      ...mallocStats(),
      external: m.external,
      handles: process.getActiveResourcesInfo().length,
      threads: threads(),
      ...addon.closeStats(),
    };
    fs.writeSync(samples, JSON.stringify(row) + '\n');
  };
  sample();
  const sampler = setInterval(sample, 10_000);

  const producer = new KafkaProducer({ ...IDEMPOTENT, bootstrapServers });
  const makeTxProducer = () => new KafkaProducer({ ...IDEMPOTENT, bootstrapServers, transactionalId: `${groupId}-tx` });
  let next = 0;
  const member = (): GroupMember =>
    groupMember(topic, history, { bootstrapServers, groupId, name: `c${next++}`, extra: GROUP });
  const members = [member(), member(), member()];
  const load = produceLoad(producer, topic, history, { ratePerSec: 1000 });
  const txLoad = transactionalLoad(makeTxProducer, txTopic, txHistory, { perTransaction: 100, pauseMs: 100 });

  // A rebalance every ROTATE_MS: the oldest member leaves, a new one joins.
  const closes = fs.openSync(path.join(dir, 'closes.jsonl'), 'w');
  const rotation = setInterval(() => {
    const old = members.shift()!;
    members.push(member());
    const t = Date.now();
    void old.stop().then(
      () => fs.writeSync(closes, JSON.stringify({ t: Math.round((t - t0) / 1000), closeMs: Date.now() - t }) + '\n'),
      (err: unknown) =>
        fs.writeSync(closes, JSON.stringify({ t: Math.round((t - t0) / 1000), error: String(err) }) + '\n'),
    );
  }, ROTATE_MS);

  await new Promise<void>((resolve) => process.once('message', () => resolve()));
  clearInterval(rotation);
  await Promise.all([load.stop(), txLoad.stop()]);
  // Let the group finish what was produced before it leaves.
  const admin = new KafkaAdmin({ bootstrapServers });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const offsets = await admin.listConsumerGroupOffsets(groupId, null, { withLag: true }).catch(() => []);
    const lags = offsets.map((p) => p.lag);
    if (lags.length > 0 && lags.every((lag) => lag === 0)) break;
    await sleep(1000);
  }
  await Promise.all(members.map((m) => m.stop()));
  await Promise.all([producer.close(30_000), txLoad.close(), admin.close()]);
  clearInterval(sampler);
  sample();
  fs.closeSync(samples);
  history.close();
  txHistory.close();
  fs.writeFileSync(
    path.join(dir, 'done'),
    `${txLoad.committed()} transactions committed, ${txLoad.aborted()} aborted, producer replaced ${txLoad.replaced()} times\n`,
  );
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error('soak load failed:', err);
  process.exit(1);
});
