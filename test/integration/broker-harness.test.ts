import { KafkaAdmin, KafkaConsumer, KafkaProducer } from '../../src';
import { startKafka } from '../broker/kafka';
import { uniqueTopic } from '../helpers';

// The harness itself: a 3-node KRaft cluster starts, serves replicated topics, and stops every JVM.
test('3-node cluster: starts, replicates, survives one node, and stops every JVM', async () => {
  const cluster = await startKafka({ nodes: 3 });
  console.log(`3-node cluster ready in ${cluster.startMs} ms`);
  const admin = new KafkaAdmin({ bootstrapServers: cluster.bootstrapServers });
  try {
    const description = await admin.describeCluster();
    expect(description.brokers.map((b) => b.id).sort()).toEqual([1, 2, 3]);
    const topic = uniqueTopic('replicated');
    await admin.createTopics([{ name: topic, numPartitions: 3, replicationFactor: 3 }]);
    const [desc] = await admin.describeTopics([topic]);
    expect(desc.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    for (const p of desc.partitions) expect(p.replicas.sort()).toEqual([1, 2, 3]);

    // Stop one node; the remaining two keep the quorum and serve produce/consume.
    await cluster.nodes[2].kill('SIGKILL');
    expect(cluster.nodes[2].running).toBe(false);
    const producer = new KafkaProducer({ bootstrapServers: cluster.bootstrapServers });
    await producer.sendBatch(
      topic,
      Array.from({ length: 30 }, (_, i) => ({ value: String(i) })),
    );
    await producer.close();
    await cluster.nodes[2].start();
    expect(cluster.nodes[2].running).toBe(true);

    const consumer = new KafkaConsumer(topic, {
      bootstrapServers: cluster.bootstrapServers,
      groupId: uniqueTopic('g'),
      autoOffsetReset: 'earliest',
    });
    const values: string[] = [];
    for await (const record of consumer) if (values.push(record.value!.toString()) === 30) break;
    await consumer.close();
    // The very records sent while a node was down, each once.
    expect(values.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
  } finally {
    await admin.close();
    const pids = cluster.nodes.map((node) => node.pid!);
    await cluster.stop();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  }
}, 240_000);
