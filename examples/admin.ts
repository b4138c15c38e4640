/**
 * Admin operations users do most (kafka-python: KafkaAdminClient): a lag report for every group, a
 * group's offsets reset to a point in time before a replay, a topic's retention changed.
 * Run: npm run example -- admin
 */
import { KafkaAdmin, KafkaConsumer, KafkaProducer } from 'kafka-napi';

export async function main(bootstrapServers: string, topic = 'admin-demo'): Promise<void> {
  const admin = new KafkaAdmin({ bootstrapServers });
  const groupId = `${topic}-group`;
  try {
    // Some data with known timestamps, and a group that read part of it.
    await admin.createTopics([{ name: topic, numPartitions: 3 }]).catch((err: { code?: string }) => {
      if (err.code !== 'TOPIC_ALREADY_EXISTS') throw err;
    });
    const start = Date.now() - 300_000; // one record a second over the last five minutes
    const producer = new KafkaProducer({ bootstrapServers });
    await producer.sendBatch(
      topic,
      Array.from({ length: 300 }, (_, i) => ({ value: `event ${i}`, timestamp: start + i * 1000 })),
    );
    await producer.close();
    const consumer = new KafkaConsumer(topic, {
      bootstrapServers,
      groupId,
      autoOffsetReset: 'earliest',
      enableAutoCommit: false,
      maxPollRecords: 100,
    });
    let read = 0;
    while (read < 100) read += (await consumer.poll({ timeoutMs: 5000 })).length;
    await consumer.commit();
    await consumer.close();

    // 1. Lag report: every group, every partition it committed, how far behind the end it is.
    const { groups } = await admin.listConsumerGroups();
    for (const group of groups) {
      const offsets = await admin.listConsumerGroupOffsets(group.groupId, null, { withLag: true });
      const total = offsets.reduce((sum, o) => sum + (o.lag ?? 0), 0);
      console.log(`group ${group.groupId} (${group.state}): total lag ${total}`);
      for (const o of offsets) console.log(`  ${o.topic}[${o.partition}] committed ${o.offset}, lag ${o.lag}`);
    }

    // 2. Replay the last two minutes: the group's offsets go to the first record at or after that time
    // (the group must have no active member while its offsets change).
    const since = Date.now() - 120_000;
    const partitions = (await admin.describeTopics([topic]))[0].partitions.map((p) => ({
      topic,
      partition: p.partition,
    }));
    const positions = await admin.listOffsets(partitions, { timestamp: since });
    const ends = await admin.listOffsets(partitions, 'latest');
    const reset = await admin.alterConsumerGroupOffsets(
      groupId,
      // -1: no record that recent in this partition; start at its end.
      positions.map((p, i) => ({ topic, partition: p.partition, offset: p.offset >= 0 ? p.offset : ends[i].offset })),
    );
    for (const r of reset) {
      console.log(`reset ${r.topic}[${r.partition}] to ${r.offset}${r.error ? ` failed: ${r.error.code}` : ''}`);
    }

    // 3. Keep this topic's data for one day; the other configs keep their values.
    const [altered] = await admin.incrementalAlterConfigs([
      { type: 'topic', name: topic, configs: [{ name: 'retention.ms', value: 24 * 3600 * 1000 }] },
    ]);
    if (altered.error) throw altered.error;
    const [described] = await admin.describeConfigs([{ type: 'topic', name: topic }]);
    const retention = described.configs.find((c) => c.name === 'retention.ms');
    console.log(`retention.ms = ${retention?.value} (${retention?.source})`);
  } finally {
    await admin.close();
  }
}
