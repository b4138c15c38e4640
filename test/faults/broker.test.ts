/**
 * Broker faults on a 3-node cluster (combined broker+controller nodes, replication factor 3,
 * min.insync.replicas 2) while an idempotent acks=all producer and an at-least-once group hold a load, or
 * a transactional producer commits back to back: a rolling restart of every node, the active controller
 * killed, a broker frozen (SIGSTOP, as a long GC pause) and the whole cluster down. Each test checks the
 * whole history against the log (test/faults/history.ts); consumers resume without any manual action.
 */
import { activeController, startKafka, type BrokerNode, type KafkaCluster } from '../broker/kafka';
import { waitFor } from '../helpers';
import { KafkaAdmin } from '../../src';
import { holdLoadThrough } from './scenario';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let cluster: KafkaCluster;
let admin: KafkaAdmin;

beforeAll(async () => {
  cluster = await startKafka({ nodes: 3 });
  admin = new KafkaAdmin({ bootstrapServers: cluster.bootstrapServers });
}, 180_000);

afterEach(async () => {
  // A failed test must not leave a node stopped or frozen for the next one.
  for (const node of cluster.nodes) {
    if (node.pid !== undefined && node.running) process.kill(node.pid, 'SIGCONT');
    if (!node.running) await node.start();
  }
});

afterAll(async () => {
  await admin?.close();
  await cluster?.stop();
});

/** Consumers notice a lost coordinator within seconds rather than the 45 s default. */
const GROUP = { sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1000 };

/** Every partition of `topic` has all 3 replicas in sync again. */
async function fullyReplicated(topic: string): Promise<void> {
  await waitFor(
    async () => {
      const [t] = await admin.describeTopics([topic], { timeoutMs: 5000 }).catch(() => [undefined]);
      return t !== undefined && t.error === undefined && t.partitions.every((p) => p.isr.length === 3);
    },
    120_000,
    `${topic} fully replicated`,
  );
}

function scenario(fault: string, inject: (topic: string) => Promise<void>, transactional = false) {
  return holdLoadThrough({
    fault,
    clientBootstrap: cluster.bootstrapServers,
    directBootstrap: cluster.bootstrapServers,
    replicationFactor: 3,
    consumer: GROUP,
    transactional,
    inject: async (topic) => {
      await inject(topic);
      return Date.now();
    },
  });
}

async function rollingRestart(topic: string): Promise<void> {
  for (const node of cluster.nodes) {
    await node.kill('SIGTERM');
    await sleep(2000);
    await node.start();
    await fullyReplicated(topic);
  }
}

test('rolling restart of all 3 nodes under load (idempotent producer, consumer group)', async () => {
  await scenario('rolling restart of 3 nodes (SIGTERM, restart, wait for ISR)', rollingRestart);
});

test('rolling restart of all 3 nodes under load (transactions, exactly-once)', async () => {
  await scenario('rolling restart of 3 nodes, transactional producer', rollingRestart, true);
});

test('the active controller SIGKILLed, then restarted', async () => {
  let victim: BrokerNode | undefined;
  await scenario('active KRaft controller SIGKILL, restart after 10 s', async (topic) => {
    const id = await activeController(cluster.bootstrapServers);
    victim = cluster.nodes.find((n) => n.id === id)!;
    await victim.kill('SIGKILL');
    // A new controller is elected among the other two.
    await waitFor(
      async () => (await activeController(cluster.bootstrapServers).catch(() => id)) !== id,
      60_000,
      'a new active controller',
    );
    await sleep(10_000);
    await victim.start();
    await fullyReplicated(topic);
  });
  expect(victim).toBeDefined();
});

test('a broker frozen for 20 s (SIGSTOP, as a GC pause), then SIGCONT', async () => {
  await scenario('partition leader frozen 20 s (SIGSTOP / SIGCONT)', async (topic) => {
    const [t] = await admin.describeTopics([topic]);
    const leader = t.partitions[0].leader;
    const node = cluster.nodes.find((n) => n.id === leader)!;
    process.kill(node.pid!, 'SIGSTOP');
    try {
      await sleep(20_000);
    } finally {
      process.kill(node.pid!, 'SIGCONT');
    }
    await fullyReplicated(topic);
  });
});

test('the whole cluster down for 30 s (SIGKILL all 3), then back', async () => {
  await scenario('whole cluster SIGKILLed, down 30 s, restarted', async (topic) => {
    await Promise.all(cluster.nodes.map((n) => n.kill('SIGKILL')));
    await sleep(30_000);
    await Promise.all(cluster.nodes.map((n) => n.start()));
    await fullyReplicated(topic);
  });
});
