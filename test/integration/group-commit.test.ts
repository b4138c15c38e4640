import { KafkaConsumer, KafkaProducer, deserializers } from '../../src';
import { bootstrapServers, createTopic, uniqueTopic } from '../helpers';

const N = 300;

function consumer(topic: string, groupId: string): KafkaConsumer<string, string> {
  return new KafkaConsumer<string, string>(topic, {
    bootstrapServers: bootstrapServers(),
    groupId,
    autoOffsetReset: 'earliest',
    enableAutoCommit: false,
    maxPollRecords: 10,
    keyDeserializer: deserializers.string as (b: Buffer | null) => string,
    valueDeserializer: deserializers.string as (b: Buffer | null) => string,
  });
}

test('manual commit: a reopened group member resumes after the last commit, no loss, no replay', async () => {
  const topic = uniqueTopic('resume');
  await createTopic(topic, 2);
  const producer = new KafkaProducer({ bootstrapServers: bootstrapServers() });
  await producer.sendBatch(
    topic,
    Array.from({ length: N }, (_, i) => ({ key: String(i % 7), value: String(i) })),
  );
  await producer.close();
  const groupId = uniqueTopic('group');
  const seen: string[] = [];

  // First member: consume and commit 100 records via commit() (all consumed positions), then close.
  const first = consumer(topic, groupId);
  while (seen.length < 100) {
    const records = await first.poll({ timeoutMs: 5000 });
    // maxPollRecords caps every poll.
    expect(records.length).toBeLessThanOrEqual(10);
    seen.push(...records.map((r) => r.value!));
  }
  await first.commit();
  // Records handed out after the commit but not committed must come back later.
  const uncommitted = await first.poll({ timeoutMs: 5000, maxRecords: 5 });
  expect(uncommitted.length).toBeGreaterThan(0);
  await first.close();

  // Second member: commit per record; stop after 100 more.
  const second = consumer(topic, groupId);
  const secondSeen: string[] = [];
  for await (const record of second) {
    secondSeen.push(record.value!);
    await second.commit(record);
    if (secondSeen.length === 100) break;
  }
  await second.close();
  // The uncommitted records are re-delivered (at-least-once), and nothing already committed is.
  for (const r of uncommitted) expect(secondSeen).toContain(r.value);
  for (const v of secondSeen) expect(seen).not.toContain(v);

  // Third member: the rest, exactly.
  const third = consumer(topic, groupId);
  const thirdSeen: string[] = [];
  while (seen.length + secondSeen.length + thirdSeen.length < N) {
    const records = await third.poll({ timeoutMs: 10_000 });
    if (records.length === 0) break;
    thirdSeen.push(...records.map((r) => r.value!));
  }
  const committed = await third.committed([
    { topic, partition: 0 },
    { topic, partition: 1 },
  ]);
  await third.commit();
  await third.close();

  const all = [...seen, ...secondSeen, ...thirdSeen];
  expect(all).toHaveLength(N);
  expect(new Set(all).size).toBe(N);
  // committed() reflects what the second member committed record by record.
  expect(committed.reduce((sum, c) => sum + Math.max(0, c.offset), 0)).toBe(seen.length + secondSeen.length);
});
