/**
 * No loss, no duplicates across broker crashes: idempotent producer (default) with acks 'all' sends a
 * continuous numbered stream while a broker is SIGKILLed and restarted. These tests start their own
 * clusters so the shared broker is never disturbed.
 */
import { KafkaAdmin, KafkaProducer } from '../../src';
import { startKafka, type KafkaCluster } from '../broker/kafka';
import { consumeAll, uniqueTopic, waitFor } from '../helpers';

interface StreamResult {
  acked: Array<{ n: number; partition: number; offset: number }>;
  failed: number;
  sent: number;
}

/** Sends numbered records (keyed, so each key keeps one partition) until `stop()` is called. */
function numberedStream(
  producer: KafkaProducer,
  topic: string,
): { stop: () => Promise<StreamResult>; sent: () => number; ackedFrom: (n: number) => number } {
  const acked: StreamResult['acked'] = [];
  let failed = 0;
  let seq = 0;
  let stopping = false;
  const inflight = new Set<Promise<void>>();
  const loop = (async () => {
    while (!stopping) {
      if (inflight.size >= 2000) {
        await Promise.race(inflight);
        continue;
      }
      const n = seq++;
      const p: Promise<void> = producer
        .send(topic, String(n), { key: String(n % 12) })
        .then(
          (m) => void acked.push({ n, partition: m.partition, offset: m.offset }),
          () => void failed++,
        )
        .finally(() => inflight.delete(p));
      inflight.add(p);
      if (n % 100 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    await Promise.all(inflight);
  })();
  return {
    stop: async () => {
      stopping = true;
      await loop;
      return { acked, failed, sent: seq };
    },
    sent: () => seq,
    ackedFrom: (n: number) => acked.filter((a) => a.n >= n).length,
  };
}

/**
 * Every acknowledged record is there exactly once and in order, no send failed, and the stream kept
 * going after the restart: records numbered from `afterRestart` on were acknowledged too.
 */
async function verify(cluster: KafkaCluster, topic: string, result: StreamResult, afterRestart: number): Promise<void> {
  const records = await consumeAll(topic, result.acked.length, {
    bootstrapServers: cluster.bootstrapServers,
    settleMs: 2000,
    timeoutMs: 90_000,
  });
  const counts = new Map<number, number>();
  for (const r of records) {
    const n = Number(r.value!.toString());
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const lost = result.acked.filter((a) => counts.get(a.n) !== 1 && !counts.has(a.n));
  const duplicated = [...counts].filter(([, c]) => c > 1);
  // Per partition the stream's numbers must appear in increasing order.
  let outOfOrder = 0;
  const lastByPartition = new Map<number, number>();
  for (const r of records) {
    const n = Number(r.value!.toString());
    const last = lastByPartition.get(r.partition) ?? -1;
    if (n <= last) outOfOrder++;
    lastByPartition.set(r.partition, n);
  }
  console.log(
    `sent ${result.sent}, acknowledged ${result.acked.length}, failed ${result.failed}; ` +
      `consumed ${records.length}: lost ${lost.length}, duplicated ${duplicated.length}, out of order ${outOfOrder}`,
  );
  expect(lost).toEqual([]);
  expect(duplicated).toEqual([]);
  expect(outOfOrder).toBe(0);
  expect(result.failed).toBe(0);
  expect(result.acked.length).toBe(result.sent);
  expect(result.acked.filter((a) => a.n >= afterRestart).length).toBeGreaterThan(100);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Closes clients (bounded) before the cluster goes away, so a failed assertion cannot hang the run. */
async function cleanup(
  cluster: KafkaCluster,
  clients: Array<{ close(timeoutMs?: number): Promise<void> }>,
): Promise<void> {
  await Promise.all(clients.map((c) => c.close(5000).catch(() => undefined)));
  await cluster.stop();
}

test('single node: SIGKILL and restart the broker mid-stream', async () => {
  const cluster = await startKafka({ nodes: 1 });
  const admin = new KafkaAdmin({ bootstrapServers: cluster.bootstrapServers });
  const producer = new KafkaProducer({ bootstrapServers: cluster.bootstrapServers, acks: 'all', lingerMs: 5 });
  try {
    const topic = uniqueTopic('crash1');
    await admin.createTopics([{ name: topic, numPartitions: 3 }]);
    const stream = numberedStream(producer, topic);
    await sleep(1500);
    await cluster.nodes[0].kill('SIGKILL');
    await sleep(1000);
    await cluster.nodes[0].start();
    const afterRestart = stream.sent();
    // The stream goes on once the producer has reconnected (its backoff grows to 10 s meanwhile).
    await waitFor(() => stream.ackedFrom(afterRestart) > 100, 60_000, 'records sent after the restart acknowledged');
    const result = await stream.stop();
    await producer.close();
    await verify(cluster, topic, result, afterRestart);
  } finally {
    await cleanup(cluster, [producer, admin]);
  }
}, 180_000);

test('three nodes: SIGKILL the partition leader mid-stream, then bring it back', async () => {
  const cluster = await startKafka({ nodes: 3 });
  const admin = new KafkaAdmin({ bootstrapServers: cluster.bootstrapServers });
  const producer = new KafkaProducer({ bootstrapServers: cluster.bootstrapServers, acks: 'all', lingerMs: 5 });
  try {
    const topic = uniqueTopic('crash3');
    await admin.createTopics([{ name: topic, numPartitions: 3, replicationFactor: 3 }]);
    const [before] = await admin.describeTopics([topic]);
    const leader = before.partitions[0].leader;
    const stream = numberedStream(producer, topic);
    await sleep(1500);
    const victim = cluster.nodes.find((n) => n.id === leader)!;
    await victim.kill('SIGKILL');
    // The controller fences the dead broker after broker.session.timeout.ms (6 s), then moves leadership.
    const deadline = Date.now() + 30_000;
    let newLeader = leader;
    while (newLeader === leader && Date.now() < deadline) {
      await sleep(500);
      newLeader = (await admin.describeTopics([topic]))[0].partitions[0].leader;
    }
    expect(newLeader).not.toBe(leader);
    await sleep(1000);
    await victim.start();
    const afterRestart = stream.sent();
    await waitFor(() => stream.ackedFrom(afterRestart) > 100, 60_000, 'records sent after the restart acknowledged');
    const result = await stream.stop();
    await producer.close();
    await verify(cluster, topic, result, afterRestart);

    // KafkaAdmin.electLeaders: the restarted broker is back in sync but leads nothing it led before
    // (automatic rebalancing waits leader.imbalance.check.interval.seconds, 300 s). A preferred election
    // hands each partition back to its first replica.
    const tps = [0, 1, 2].map((partition) => ({ topic, partition }));
    await waitFor(
      async () => (await admin.describeTopics([topic]))[0].partitions.every((p) => p.isr.length === 3),
      60_000,
      'the restarted broker back in every ISR',
    );
    const misplaced = (await admin.describeTopics([topic]))[0].partitions.filter((p) => p.leader !== p.replicas[0]);
    expect(misplaced.length).toBeGreaterThan(0);
    const elected = await admin.electLeaders('preferred', tps);
    expect(elected).toHaveLength(3);
    for (const r of elected) {
      const wasMisplaced = misplaced.some((p) => p.partition === r.partition);
      // Partitions already led by their preferred replica answer ELECTION_NOT_NEEDED.
      expect(r.error?.code).toBe(wasMisplaced ? undefined : 'ELECTION_NOT_NEEDED');
    }
    await waitFor(
      async () => (await admin.describeTopics([topic]))[0].partitions.every((p) => p.leader === p.replicas[0]),
      15_000,
      'every partition led by its preferred replica',
    );
  } finally {
    await cleanup(cluster, [producer, admin]);
  }
}, 240_000);
