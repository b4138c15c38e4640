/**
 * Incremental rebalances on librdkafka's mock cluster: members joining a KIP-848 group one after another,
 * each member that loses its whole assignment closing while its onPartitionsRevoked runs. No real broker:
 * the mock's assignor makes that revocation happen on every join, deterministically.
 */
import { KafkaConsumer, KafkaProducer, type TopicPartition } from '../../src';
import { MockCluster } from '../../src/testing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: MockCluster;

beforeEach(async () => {
  cluster = await MockCluster.start({ brokers: 1 });
});

afterEach(async () => {
  await cluster.stop();
});

async function waitFor(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

interface Member {
  consumer: KafkaConsumer;
  owned: Set<number>;
  /** Set by the first revocation of a member that closes on it: it took every partition the member had. */
  revokedAll?: boolean;
  closing?: Promise<void>;
  closeMs?: number;
  /** Ends when the consumer closes; never rejects: an error of the loop is kept in `error`. */
  loop: Promise<void>;
  error?: unknown;
}

function member(topic: string, groupId: string, closeOnRevoke: boolean): Member {
  const m = { owned: new Set<number>() } as Member;
  m.consumer = new KafkaConsumer(topic, {
    bootstrapServers: cluster.bootstrapServers,
    groupId,
    groupProtocol: 'consumer',
    autoOffsetReset: 'earliest',
    logger: {},
    onPartitionsAssigned: (tps: TopicPartition[]) => {
      for (const tp of tps) m.owned.add(tp.partition);
    },
    onPartitionsRevoked: async (tps: TopicPartition[]) => {
      for (const tp of tps) m.owned.delete(tp.partition);
      if (closeOnRevoke && !m.closing) {
        // close() while this revocation is still being handled.
        m.revokedAll = m.owned.size === 0;
        const started = Date.now();
        m.closing = m.consumer.close().then(() => {
          m.closeMs = Date.now() - started;
        });
      }
      await sleep(30);
    },
  });
  m.loop = (async () => {
    for await (const record of m.consumer) {
      if (!m.owned.has(record.partition)) throw new Error(`record from unowned partition ${record.partition}`);
    }
  })().catch((err: unknown) => {
    m.error = err;
  });
  return m;
}

// A KIP-848 member whose whole assignment was being revoked, closed before the application had applied
// that revocation: the close's unsubscribe made librdkafka rejoin and drop the pending revocation, leaving
// the (empty) incremental assignment it had parked for after the revocation in
// rkcg_rebalance_incr_assignment; the group then terminated at once and nothing freed the list, not even
// rd_kafka_destroy (LeakSanitizer under scripts/sanitize.sh, one list per such member; fixed by
// scripts/deps/patches/librdkafka/0005-*). The mock's KIP-848 assignor gives each member a range of the
// partitions in join order: with a first member that stays, every joining member moves the previous
// newcomer's whole range. Here: each such member's close is prompt, and the group goes on.
test('KIP-848 members closing while their whole assignment is revoked leave promptly; the group goes on', async () => {
  const topic = 'coop';
  cluster.createTopic(topic, 3, 1);
  const producer = new KafkaProducer({ bootstrapServers: cluster.bootstrapServers, logger: {} });
  try {
    await producer.sendBatch(
      topic,
      Array.from({ length: 60 }, (_, i) => ({ value: `v${i}`, partition: i % 3 })),
    );
  } finally {
    await producer.close();
  }
  const groupId = 'g-closing-on-revoke';
  const stable = member(topic, groupId, false);
  const all: Member[] = [stable];
  const closed: Member[] = [];
  try {
    await waitFor(() => stable.owned.size === 3, 30_000, 'the first member assigned');
    let newcomer = member(topic, groupId, true);
    all.push(newcomer);
    await waitFor(() => newcomer.owned.size > 0, 30_000, 'the second member assigned');
    for (let round = 0; round < 6; round++) {
      // The next member takes the newcomer's range: the newcomer's whole assignment is revoked.
      const next = member(topic, groupId, true);
      all.push(next);
      await waitFor(() => newcomer.closing !== undefined, 30_000, `round ${round}: the revocation`);
      await newcomer.closing;
      await newcomer.loop;
      closed.push(newcomer);
      await waitFor(() => next.owned.size > 0, 30_000, `round ${round}: the next member assigned`);
      newcomer = next;
    }
    // Every partition has exactly one owner among the two members left.
    await waitFor(
      () => stable.owned.size + newcomer.owned.size === 3 && [...newcomer.owned].every((p) => !stable.owned.has(p)),
      30_000,
      'the remaining two members owning every partition once',
    );
  } finally {
    await Promise.all(all.map((m) => m.consumer.close()));
    await Promise.all(all.map((m) => m.loop));
  }
  expect(all.map((m) => m.error)).toEqual(all.map(() => undefined));
  expect(closed.map((m) => m.revokedAll)).toEqual(closed.map(() => true));
  for (const m of closed) expect(m.closeMs).toBeLessThan(5000);
}, 120_000);
