/**
 * No loss, no duplicates across broker crashes: idempotent producer (default) with acks 'all' sends a
 * continuous numbered stream while a broker is SIGKILLed and restarted. These tests start their own
 * clusters so the shared broker is never disturbed.
 */
import { KafkaAdmin, KafkaProducer } from '../../src';
import { startKafka, type KafkaCluster } from '../broker/kafka';
import { History, summary, violations } from '../faults/history';
import { produceLoad, readLog } from '../faults/workload';
import { uniqueTopic, waitFor } from '../helpers';

/**
 * Every acknowledged record is in the log exactly once, at the offset it was acknowledged at, in send
 * order (the history checker, test/faults/history.ts), no send failed, and the stream kept going after
 * the restart: more than 100 records attempted after `afterRestart` were acknowledged.
 */
async function verify(cluster: KafkaCluster, topic: string, history: History, afterRestart: number): Promise<void> {
  const log = await readLog(cluster.bootstrapServers, topic, 3);
  const report = history.check(log, 'idempotent');
  console.log(summary(report));
  expect(violations(report)).toEqual([]);
  expect(report.failed).toBe(0);
  expect(report.unresolved).toBe(0);
  expect(report.acknowledged).toBe(report.attempted);
  expect(ackedFrom(history, afterRestart)).toBeGreaterThan(100);
}

/** Acknowledged records of the stream numbered `n` or more. */
function ackedFrom(history: History, n: number): number {
  return history.ackedIds().filter((id) => Number(id.split(':')[1]) >= n).length;
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
    const history = new History();
    const stream = produceLoad(producer, topic, history, { ratePerSec: 20_000, maxInFlight: 2000 });
    await sleep(1500);
    await cluster.nodes[0].kill('SIGKILL');
    await sleep(1000);
    await cluster.nodes[0].start();
    const afterRestart = stream.sent();
    // The stream goes on once the producer has reconnected (its backoff grows to 10 s meanwhile).
    await waitFor(() => ackedFrom(history, afterRestart) > 100, 60_000, 'records sent after the restart acknowledged');
    await stream.stop();
    await producer.close();
    await verify(cluster, topic, history, afterRestart);
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
    const history = new History();
    const stream = produceLoad(producer, topic, history, { ratePerSec: 20_000, maxInFlight: 2000 });
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
    await waitFor(() => ackedFrom(history, afterRestart) > 100, 60_000, 'records sent after the restart acknowledged');
    await stream.stop();
    await producer.close();
    await verify(cluster, topic, history, afterRestart);

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
